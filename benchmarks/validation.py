"""Full SHACL validation of a KB, as ``kb validate`` does it: the compiled shapes of
kb.shacl_engine over the union of the store's graphs in one pass (``kb validate``, measured at
the large size), and pySHACL as the reference at the medium size (``kb validate --engine
pyshacl``: dump the store, split it by graph, validate the gazetteer and every article graph with
what it touches of the gazetteer, in one process per CPU)."""

from __future__ import annotations

import time

import pyoxigraph as ox
from rdflib import Graph

from benchmarks.common import Context, Row, cpu_count, median_time
from kb.namespaces import IriMinter
from kb.ontology import load_vocabulary
from kb.store import open_store
from kb.validate import (
    StoreValidation,
    split_graphs,
    validate_articles,
    validate_graph,
    validate_store,
)

GAZETTEER = "https://peacekb.example/graph/gazetteer"
ARTICLE_PREFIX = "https://peacekb.example/graph/article/"
TARGET_SECONDS = 25
MINTER = IriMinter("https://peacekb.example/")


def validate_with_pyshacl(path: str) -> int:
    """Validate the store at ``path`` per article graph with pySHACL; return the number of violations."""
    with open_store(path) as reader:
        graphs = split_graphs(reader.dump(ox.RdfFormat.N_QUADS))
    gazetteer = graphs[GAZETTEER]
    found = validate_graph(Graph().parse(data=gazetteer.decode(), format="nt"), load_vocabulary(), {},
                           engine="pyshacl")
    articles = {n: d for n, d in graphs.items() if n.startswith(ARTICLE_PREFIX)}
    return len(found) + sum(len(v) for v in validate_articles(articles, gazetteer, engine="pyshacl").values())


def validate_fast(path: str) -> StoreValidation:
    """Validate the store at ``path`` in one pass of the compiled shapes."""
    return validate_store(path, MINTER)


def run(ctx: Context) -> list[Row]:
    reference_size = "small" if ctx.quick else "medium"
    reference_store = str(ctx.store(reference_size))
    start = time.perf_counter()
    violations = validate_with_pyshacl(reference_store)  # minutes: one run
    reference = time.perf_counter() - start
    _conform(violations, reference_size, "pySHACL")
    rows = [Row("validation", "full SHACL validation, pySHACL per article (reference)", ctx.label(reference_size),
                reference, "s", "", None, "", None, f"{cpu_count()} processes; one run")]
    for size in (reference_size, "large"):
        store, found = str(ctx.store(size)), []
        took = median_time(lambda store=store, found=found: found.append(validate_fast(store)), ctx.repeats, budget=120)
        _conform(max(sum(map(len, run.violations.values())) for run in found), size, "the compiled engine")
        processes = f"{found[0].processes} process{'es' if found[0].processes > 1 else ''}"
        if size == reference_size:
            rows.append(Row("validation", "full SHACL validation, compiled engine", ctx.label(size), took, "s",
                            "pySHACL per article", took / reference, "", None,
                            f"{processes}, union of all graphs in one pass"))
        else:
            rows.append(Row("validation", "full SHACL validation, compiled engine", ctx.label(size), took, "s",
                            "", None, f"<= {TARGET_SECONDS} s", took <= TARGET_SECONDS,
                            f"{processes}, union of all graphs in one pass; measured"))
    return rows


def _conform(violations: int, size: str, engine: str) -> None:
    if violations:
        raise RuntimeError(f"the generated KB ({size}) has {violations} violation(s) under {engine}")
