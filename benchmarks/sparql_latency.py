"""The analyst query library (ontology/queries/*.rq): median latency per query through
:func:`kb.sparql.execute` (the code path of /sparql and ``kb query``), at the medium and large
sizes, against pyoxigraph answering the same query on the same store directly."""

from __future__ import annotations

from functools import partial

import pyoxigraph as ox

from benchmarks.common import Context, Row, median_time
from kb.config import ONTOLOGY_DIR
from kb.errors import KBError
from kb.sparql import execute
from kb.store import open_store

REPEATS = 5
BUDGET = 1.5  # seconds per query and engine: a slow query is timed fewer times (at least once)


def _direct(store: ox.Store, text: str) -> bytes:
    answer = store.query(text, use_default_graph_as_union=True)
    if isinstance(answer, ox.QueryTriples):
        return answer.serialize(format=ox.RdfFormat.TURTLE)
    return answer.serialize(format=ox.QueryResultsFormat.JSON)


def run(ctx: Context) -> list[Row]:
    rows = []
    queries = sorted((ONTOLOGY_DIR / "queries").glob("*.rq"))
    for size in [s for s in ("medium", "large") if s in ctx.sizes]:
        with open_store(ctx.store(size)) as reader:
            raw = reader._store  # the same database, queried without the project's layers (baseline)
            for path in queries:
                text = path.read_text(encoding="utf-8")
                base = median_time(partial(_direct, raw, text), REPEATS, budget=BUDGET)
                try:
                    ours = median_time(partial(execute, reader, text, fmt="json"), REPEATS, budget=BUDGET)
                except KBError as exc:  # e.g. the endpoint's query timeout
                    rows.append(Row("sparql", path.stem, ctx.label(size), float("nan"), "ms",
                                    f"pyoxigraph {base * 1000:.1f} ms", None, "", None, str(exc)[:200]))
                    continue
                rows.append(Row("sparql", path.stem, ctx.label(size), ours * 1000, "ms",
                                f"pyoxigraph {base * 1000:.1f} ms", ours / base, "", None))
    return rows
