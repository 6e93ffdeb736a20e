"""``python -m benchmarks.pool_overhead STORE [N]``: what the query worker pool adds per query.

Runs a cheap SELECT N times (default 2000) on the embedded store at STORE three ways and prints
the mean time of each (and the CPU time spent in this process): in this process on a store kept open (the floor), in this process opening
the store for each query (what a request without the pool does), and through
:class:`kb.query_pool.QueryPool` (two workers, the default). The difference between the first
and the last is the cost of the pool's IPC.
"""

from __future__ import annotations

import sys
import time

from kb.query_pool import QueryPool
from kb.sparql import execute
from kb.store import EmbeddedStore

CHEAP = "SELECT ?event WHERE { ?event a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> } LIMIT 10"


def _mean_us(run, n: int) -> float:
    return _mean_and_cpu_us(run, n)[0]


def _mean_and_cpu_us(run, n: int) -> tuple[float, float]:
    """Mean wall time and mean CPU time of this process per run (the pool's workers not counted)."""
    for _ in range(min(n, 100)):  # warm up caches
        run()
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(n):
        run()
    return (time.perf_counter() - start) / n * 1e6, (time.process_time() - cpu) / n * 1e6


def main(argv: list[str]) -> None:
    store, n = argv[0], int(argv[1]) if len(argv) > 1 else 2000
    with EmbeddedStore.open_reader(store) as reader:
        kept_open, kept_open_cpu = _mean_and_cpu_us(lambda: execute(reader, CHEAP, max_rows=100_000), n)

    def reopened() -> None:
        with EmbeddedStore.open_reader(store) as fresh:
            execute(fresh, CHEAP, max_rows=100_000)

    per_request_open = _mean_us(reopened, max(1, n // 20))
    with QueryPool(store, size=2, timeout=10, max_rows=100_000) as pool:
        pooled, pooled_cpu = _mean_and_cpu_us(lambda: execute(pool, CHEAP, max_rows=100_000), n)
    print(f"in process, store kept open : {kept_open:8.0f} us/query ({kept_open_cpu:.0f} us CPU)")
    print(f"in process, store per query : {per_request_open:8.0f} us/query")
    print(f"through the pool (2 workers): {pooled:8.0f} us/query (+{pooled - kept_open:.0f} us; "
          f"{pooled_cpu:.0f} us CPU in this process, the rest in a worker)")


if __name__ == "__main__":
    main(sys.argv[1:])
