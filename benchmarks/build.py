"""Building the KB: from N-Quads (the store's load) and from annotations (``kb build``), each
against pyoxigraph's own bulk load of the same N-Quads into a fresh store."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from benchmarks.common import Context, Row, median_time
from kb.build import build
from kb.namespaces import IriMinter
from kb.store import EmbeddedStore

BASE = "https://peacekb.example/"


def _bulk_load(nquads: Path, folder: Path) -> None:
    store = ox.Store(str(folder))
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store


def _store_load(nquads: Path, folder: Path) -> None:
    with EmbeddedStore.open_writer(folder) as writer:
        writer.load_quads(nquads.read_bytes(), ox.RdfFormat.N_QUADS)


def run(ctx: Context) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        target = Path(tmp) / "kb"

        def fresh() -> None:
            shutil.rmtree(target, ignore_errors=True)

        large = ctx.corpus("large")
        bulk = median_time(lambda: _bulk_load(large.nquads, target), ctx.repeats, fresh, budget=120)
        ours = median_time(lambda: _store_load(large.nquads, target), ctx.repeats, fresh, budget=120)
        rows.append(Row("build", "from RDF (N-Quads)", ctx.label("large"), ours, "s",
                        f"pyoxigraph bulk_load {bulk:.1f} s", ours / bulk, "<= 2x", ours / bulk <= 2))
        # From annotations: read, convert and validate every article, then load. pySHACL's
        # validation dominates, so this runs once, at the small size, and is projected per article.
        size = "small"
        corpus = ctx.corpus(size)
        bulk_m = median_time(lambda: _bulk_load(corpus.nquads, target), ctx.repeats, fresh)
        fresh()
        minter = IriMinter(BASE)
        annotations = median_time(lambda: build(corpus.data_dir, str(target), minter), 1, fresh)
        per_article = annotations / corpus.manifest["articles"]
        rows.append(Row("build", "from annotations (kb build)", ctx.label(size), annotations, "s",
                        f"pyoxigraph bulk_load {bulk_m:.2f} s", annotations / bulk_m, "", None,
                        f"{per_article * 1000:.0f} ms per article; one run"))
        projected = per_article * large.manifest["articles"]
        rows.append(Row("build", "from annotations (projected)", ctx.label("large"), projected, "s",
                        f"pyoxigraph bulk_load {bulk:.1f} s", projected / bulk, "", None,
                        f"projected from {size} per article ({large.manifest['articles']} articles), not measured"))
    return rows
