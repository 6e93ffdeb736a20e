"""Ingesting raw article files into a KB of the small and the large size: articles per second for
what ``kb ingest ARTICLE.txt`` does per article (extract, write the draft, convert, validate, load
into a new named graph), and beside it the reviewed path (an annotation: validate + load,
:func:`kb.build.ingest_file`), so the extractor's share shows.

The raw articles are the generated corpus's own texts (``articles/*.txt``), copied under new ids
so that each becomes a new graph; their date and publisher are given as on the command line. What
one ``kb ingest`` invocation does once (load the inputs, check the gazetteer, index it for the
extractor, write the shared graphs, rewrite the dumps) is timed separately.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from benchmarks.common import Context, Row, median_time
from kb.build import Inputs, check_gazetteer, ingest_file
from kb.export import write_dumps
from kb.ingest import Given, Ingester
from kb.namespaces import IriMinter
from kb.store import EmbeddedStore

BASE = "https://peacekb.example/"
#: Articles ingested per size (the first one carries the shared graphs and is timed apart); fewer on
#: the large KB, where every write copies a generation of 1.4M triples.
ARTICLES = {"small": 12, "large": 5}


def _rates(ctx: Context, size: str, annotations: list[Path], data_dir: Path) -> tuple[float, float, str]:
    """Articles per second, raw and reviewed (medians over the articles after the first), on a copy of
    the store, and what one ``kb ingest`` invocation adds around its articles."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        store = Path(tmp) / "kb"
        shutil.copytree(ctx.store(size), store)
        raw = Path(tmp) / "articles"
        raw.mkdir()
        start = time.perf_counter()
        inputs = Inputs.load(data_dir, IriMinter(BASE))
        check_gazetteer(inputs, data_dir)
        setup = time.perf_counter() - start
        with EmbeddedStore.open_writer(store) as writer:
            ingester = Ingester(data_dir, inputs, writer, Path(tmp) / "drafts")
            start = time.perf_counter()
            ingester.index()
            index = time.perf_counter() - start
            start = time.perf_counter()
            ingest_file(annotations[0], inputs, writer, with_shared_graphs=True)
            first = time.perf_counter() - start
            raw_times, reviewed_times = [], []
            for annotation in annotations[1:]:
                start = time.perf_counter()
                ingest_file(annotation, inputs, writer, with_shared_graphs=False)
                reviewed_times.append(time.perf_counter() - start)
                article = _raw_copy(annotation, raw, ingester)
                start = time.perf_counter()
                draft = ingester.write_draft(article, article.stem)
                ingest_file(draft, inputs, writer, with_shared_graphs=False)
                raw_times.append(time.perf_counter() - start)
            dumps = median_time(lambda: write_dumps(writer, Path(tmp) / "dumps"), 1)
    overhead = (f"per kb ingest run: inputs + gazetteer check {setup:.1f} s, extractor's gazetteer index "
                f"{index:.1f} s, first article with the shared graphs {first:.1f} s, dumps {dumps:.1f} s")
    return 1 / statistics.median(raw_times), 1 / statistics.median(reviewed_times), overhead


def _raw_copy(annotation: Path, folder: Path, ingester: Ingester) -> Path:
    """The annotated article's raw text under a new id; its date and publisher become the given metadata."""
    meta = yaml.safe_load(annotation.read_text(encoding="utf-8"))["article"]
    source = (annotation.parent / meta["file"]).resolve()
    copy = folder / f"new-{source.name}"
    shutil.copy(source, copy)
    ingester.given = Given(published=meta["published"], publisher=meta["publisher"])
    return copy


def run(ctx: Context) -> list[Row]:
    rows = []
    rates = {}
    for size in ("small", "large"):
        corpus = ctx.corpus(size)
        annotations = corpus.annotation_files()[:ARTICLES[size] if not ctx.quick else 4]
        rates[size], reviewed, overhead = _rates(ctx, size, annotations, corpus.data_dir)
        rows.append(Row("ingest", "articles/s raw (extract + validate + load)", ctx.label(size), rates[size],
                        "art/s", f"reviewed {reviewed:.1f} art/s", rates[size] / reviewed, "", None,
                        f"median of {len(annotations) - 1} articles; {overhead}"))
        rows.append(Row("ingest", "articles/s reviewed (validate + load)", ctx.label(size), reviewed, "art/s",
                        "", reviewed / 20, ">= 20/s", reviewed >= 20))
    slowdown = rates["small"] / rates["large"] - 1
    rows.append(Row("ingest", "raw slowdown large vs small", ctx.label("large"), slowdown * 100, "%",
                    f"small {rates['small']:.1f} art/s", rates["large"] / rates["small"], "<= 20% slower",
                    slowdown <= 0.2))
    return rows
