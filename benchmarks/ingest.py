"""Ingesting one reviewed annotation (read, convert, validate with what it touches, load into its
named graph) into a KB of the small and the large size: articles per second.

There is no extractor yet, so this is the reviewed path of ``kb ingest`` (:func:`kb.build.ingest_file`:
validate + load); what ``kb ingest`` does once per invocation (load the inputs, check the
gazetteer, write the shared graphs, rewrite the dumps) is timed separately.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import Context, Row, median_time
from kb.build import Inputs, check_gazetteer, ingest_file
from kb.export import write_dumps
from kb.namespaces import IriMinter
from kb.store import EmbeddedStore

BASE = "https://peacekb.example/"
ARTICLES = 12


def _rate(ctx: Context, size: str, articles: list[Path], data_dir: Path) -> tuple[float, str]:
    """Articles per second (median over the articles after the first) on a copy of the store, and
    what one ``kb ingest`` invocation adds around its articles."""
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        store = Path(tmp) / "kb"
        shutil.copytree(ctx.store(size), store)
        start = time.perf_counter()
        inputs = Inputs.load(data_dir, IriMinter(BASE))
        check_gazetteer(inputs, data_dir)
        setup = time.perf_counter() - start
        with EmbeddedStore.open_writer(store) as writer:
            start = time.perf_counter()
            ingest_file(articles[0], inputs, writer, with_shared_graphs=True)
            first = time.perf_counter() - start
            times = []
            for path in articles[1:]:
                start = time.perf_counter()
                ingest_file(path, inputs, writer, with_shared_graphs=False)
                times.append(time.perf_counter() - start)
            dumps = median_time(lambda: write_dumps(writer, Path(tmp) / "dumps"), 1)
    per_article = statistics.median(times)
    overhead = (f"per kb ingest run: inputs + gazetteer check {setup:.1f} s, first article with the shared "
                f"graphs {first:.1f} s, dumps {dumps:.1f} s")
    return 1 / per_article, overhead


def run(ctx: Context) -> list[Row]:
    rows = []
    rates = {}
    # Each KB re-ingests its own first articles (a reviewed correction replaces the graph).
    for size in ("small", "large"):
        corpus = ctx.corpus(size)
        articles = corpus.annotation_files()[:ARTICLES if not ctx.quick else 4]
        rates[size], overhead = _rate(ctx, size, articles, corpus.data_dir)
        rows.append(Row("ingest", "articles/s (validate + load)", ctx.label(size), rates[size], "art/s",
                        "", rates[size] / 20, ">= 20/s", rates[size] >= 20,
                        f"median of {len(articles) - 1} articles; {overhead}"))
    slowdown = rates["small"] / rates["large"] - 1
    rows.append(Row("ingest", "slowdown large vs small", ctx.label("large"), slowdown * 100, "%",
                    f"small {rates['small']:.1f} art/s", rates["large"] / rates["small"], "<= 20% slower",
                    slowdown <= 0.2))
    return rows
