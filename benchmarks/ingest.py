"""Ingesting into a KB of the small and the large size: articles per second for what ``kb ingest``
does with a run of files (:class:`kb.ingest.Ingester`: check each file, write the checked articles
in batches), for raw article files (extract, write the draft, convert, validate) and for reviewed
annotations (convert, validate).

The raw articles are the generated corpus's own texts (``articles/*.txt``), and the reviewed ones
its annotations, copied under new ids so that each becomes a new graph; the raw copies carry their
title, date and publisher in front matter. Each rate is the median of the suite's repeats, a run of
reviewed copies then a run of raw ones, each under ids of its own. The files are checked in as many
worker processes as ``kb ingest`` uses for a run of that many files
(:func:`kb.ingest.default_workers`). What one
``kb ingest`` run does once (load the inputs, check the gazetteer, index it for the extractor and
compile the rules and shapes before the workers fork (:meth:`kb.ingest.Ingester.prepare`), read
the digests of the stored article bodies, compare the shared graphs with the stored ones, remake
the dump members of the graphs it wrote) is timed apart.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.common import Context, Row
from kb.build import Inputs, check_gazetteer
from kb.export import Changes, write_dumps
from kb.errors import KBError
from kb.ingest import Ingester, default_workers
from kb.namespaces import IriMinter
from kb.store import EmbeddedStore

BASE = "https://peacekb.example/"
#: Files per run, and per quick run.
FILES, QUICK_FILES = 60, 6


def _rates(ctx: Context, size: str, annotations: list[Path], data_dir: Path) -> tuple[float, float, str]:
    """Articles per second of a run of raw files and of a run of reviewed annotations, on a copy of
    the store, and what one ``kb ingest`` run adds around its articles."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        store = Path(tmp) / "kb"
        shutil.copytree(ctx.store(size), store)
        start = time.perf_counter()
        inputs = Inputs.load(data_dir, IriMinter(BASE))
        check_gazetteer(inputs, data_dir)
        setup = time.perf_counter() - start
        with EmbeddedStore.open_writer(store) as writer:
            write_dumps(writer, Path(tmp) / "dumps", Changes(None))  # the dumps as a build leaves them
            ingester = Ingester(data_dir, inputs, writer, Path(tmp) / "drafts")
            start = time.perf_counter()
            ingester.prepare()
            index = time.perf_counter() - start
            start = time.perf_counter()
            ingester.stored_bodies()
            ingester.changed_shared_graphs()
            stored = time.perf_counter() - start
            reviewed_rates, raw_rates = [], []
            for repeat in range(ctx.repeats):  # each run loads new copies, under ids of its own
                folder = Path(tmp) / f"run-{repeat}"
                reviewed_rates.append(_run(ingester, [_reviewed_copy(a, folder, repeat) for a in annotations]))
                raw_rates.append(_run(ingester, [_raw_copy(a, folder, repeat) for a in annotations]))
            start = time.perf_counter()
            write_dumps(writer, Path(tmp) / "dumps", ingester.changes)
            dumps = time.perf_counter() - start
    overhead = (f"per kb ingest run: inputs + gazetteer check {setup:.1f} s, extractor's gazetteer index, "
                f"rules and compiled shapes {index:.1f} s, digests of the stored bodies + shared graphs "
                f"compared with the stored ones {stored:.1f} s, dumps of the {len(ingester.changes.graphs)} graphs "
                f"written {dumps:.1f} s")
    return statistics.median(raw_rates), statistics.median(reviewed_rates), overhead


def _run(ingester: Ingester, files: list[Path]) -> float:
    """Articles per second of one run over ``files``, as kb ingest's loop does it (in as many
    worker processes as kb ingest would use)."""
    start = time.perf_counter()
    for path, outcome in ingester.ingest_all(files, default_workers(len(files))):
        if isinstance(outcome, KBError):
            raise RuntimeError(f"{path} did not load: {outcome}")
        if ingester.due():
            ingester.commit()
    ingester.commit()
    return len(files) / (time.perf_counter() - start)


def _reviewed_copy(annotation: Path, folder: Path, run: int) -> Path:
    """The annotation under a new article id, so that it loads as a new graph, as the raw copies do."""
    doc = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    doc["article"]["id"] = f"reviewed{run}-{doc['article']['id']}"
    doc["article"]["file"] = str((annotation.parent / doc["article"]["file"]).resolve())
    folder.mkdir(exist_ok=True)
    copy = folder / f"{doc['article']['id']}.yaml"
    copy.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return copy


def _raw_copy(annotation: Path, folder: Path, run: int) -> Path:
    """The annotated article's raw text under a new id, with a line added, and its title, date
    and publisher in front matter (as a user's article files have them)."""
    meta = yaml.safe_load(annotation.read_text(encoding="utf-8"))["article"]
    source = (annotation.parent / meta["file"]).resolve()
    folder.mkdir(exist_ok=True)
    copy = folder / f"new{run}-{source.name}"
    front = yaml.safe_dump({"title": meta["title"], "published": meta["published"], "publisher": meta["publisher"]},
                           sort_keys=False, allow_unicode=True)
    # a line of its own, so the copy is not refused as a duplicate of the stored article or another run's
    text = source.read_text(encoding="utf-8") + f"\n\nThis report was updated ({run + 1}).\n"
    copy.write_text(f"---\n{front}---\n{text}", encoding="utf-8")
    return copy


def run(ctx: Context) -> list[Row]:
    rows = []
    rates = {}
    for size in ("small", "large"):
        corpus = ctx.corpus(size)
        annotations = corpus.annotation_files()[:QUICK_FILES if ctx.quick else FILES]
        rates[size], reviewed, overhead = _rates(ctx, size, annotations, corpus.data_dir)
        rows.append(Row("ingest", "articles/s raw (extract + validate + load)", ctx.label(size), rates[size],
                        "art/s", f"reviewed {reviewed:.1f} art/s", rates[size] / 20, ">= 20/s", rates[size] >= 20,
                        f"runs of {len(annotations)} files; {overhead}"))
        rows.append(Row("ingest", "articles/s reviewed (validate + load)", ctx.label(size), reviewed, "art/s",
                        "", reviewed / 20, ">= 20/s", reviewed >= 20))
    slowdown = rates["small"] / rates["large"] - 1
    rows.append(Row("ingest", "raw slowdown large vs small", ctx.label("large"), slowdown * 100, "%",
                    f"small {rates['small']:.1f} art/s", rates["large"] / rates["small"], "<= 20% slower",
                    slowdown <= 0.2))
    return rows

