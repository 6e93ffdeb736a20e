"""The timeline index at scale: what writing it costs (a whole load, one article's ingest) and
what reading a page costs (:func:`kb.timeline_index.timeline_page`, the Flask ``/`` request).

    .venv/bin/python -m benchmarks.timeline_index --events 100000 --store /tmp/timeline-100k

The KB is tests/timeline_kb.py's synthetic one; an existing ``--store`` is reused (its load is
then not measured; ``--pages-only`` leaves it unwritten: no ingest). Medians of ``--runs`` runs,
in milliseconds.

The Flask ``GET /`` figures are server time in this process (the WSGI app called through
Flask's test client, no socket): *repeated* asks for the same page again (the overview of its
filter is then kept, :mod:`webapp.page_cache`); *first view* asks each run for a filter not seen
before (another actor), so the overview is counted and drawn in the request.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from rdflib import Dataset, Literal, URIRef

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from timeline_kb import BASE, build, generate

from kb import timeline_index
from kb.store import EmbeddedStore
from kb.timeline import parse_filters

PAGES = {
    "no filter": {},
    "actor+status": {"actor": ["a3"], "status": ["occurred"]},
    "q": {"q": ["ceasefire truce"]},
    "actor+q+dates": {"actor": ["a0", "a5"], "q": ["doha"], "from": ["2008"], "to": ["2015-06"]},
}


class _IndexClock:
    """Times every call of :func:`kb.timeline_index.write_generation_index`."""

    def __init__(self) -> None:
        self.spent: list[float] = []
        self._original = timeline_index.write_generation_index
        timeline_index.write_generation_index = self._timed

    def _timed(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self._original(*args, **kwargs)
        finally:
            self.spent.append(time.perf_counter() - start)


def _median_ms(run, times: int) -> float:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append(time.perf_counter() - start)
    return statistics.median(spent) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pages-only", action="store_true", help="measure reads only: no ingest into --store")
    args = parser.parse_args()
    clock = _IndexClock()
    print(f"load average {os.getloadavg()[0]:.2f}")
    if not args.store.exists():
        start = time.perf_counter()
        build(args.store, args.events)
        print(f"load of {args.events} events: {time.perf_counter() - start:.1f} s, index step {clock.spent[-1]:.1f} s")
    reader = EmbeddedStore.open_reader(args.store)
    size = (reader.generation_folder / timeline_index.INDEX_FILE).stat().st_size
    print(f"index file {size / 1e6:.1f} MB")

    if not args.pages_only:
        _ingests(args, clock)
    _pages(args)


def _ingests(args: argparse.Namespace, clock: _IndexClock) -> None:
    dataset = Dataset()
    article = generate(args.events).split(b"\n")
    graph = f"<{BASE}graph/article/art5>".encode()
    dataset.parse(data=b"\n".join(line for line in article if line.endswith(graph + b" .")).decode(), format="nquads")
    article_graph = dataset.graph(URIRef(f"{BASE}graph/article/art5"))
    ingests = []
    for n in range(max(3, args.runs // 10)):  # the same article, its headline changed: its events are rewritten
        article_graph.set((URIRef(f"{BASE}id/article/art5"), URIRef("https://schema.org/headline"),
                           Literal(f"Headline changed {n}", lang="en")))
        with EmbeddedStore.open_writer(args.store) as writer:
            start = time.perf_counter()
            writer.replace_graphs({article_graph.identifier: article_graph})
            ingests.append((time.perf_counter() - start, clock.spent[-1]))
    print(f"one-article ingest: write {statistics.median(w for w, _ in ingests) * 1000:.0f} ms, "
          f"index step {statistics.median(i for _, i in ingests) * 1000:.1f} ms (median of {len(ingests)})")


def _pages(args: argparse.Namespace) -> None:
    reader = EmbeddedStore.open_reader(args.store)
    for name, query in PAGES.items():
        filters = parse_filters(query, BASE)
        page = timeline_index.timeline_page(reader, filters)
        with_overview = _median_ms(lambda f=filters: timeline_index.timeline_page(reader, f), args.runs)
        without = _median_ms(lambda f=filters: timeline_index.timeline_page(reader, f, overview=False), args.runs)
        print(f"timeline_page {name} ({page.total} events): {with_overview:.1f} ms, "
              f"{without:.1f} ms without the overview")

    from webapp import create_app

    app = create_app({"KB_STORE": str(args.store), "KB_BASE_IRI": BASE, "TESTING": True})
    client = app.test_client()
    for name, query in PAGES.items():
        url = "/?" + urlencode(query, doseq=True)
        assert client.get(url).status_code == 200
        print(f"GET {url} ({name}), repeated: {_wall_and_cpu(lambda u=url: client.get(u), args.runs)}")
    first_views = iter(f"/?actor=a{n}&status=occurred" for n in itertools.count(10))
    print(f"GET /?actor=a<n>&status=occurred, first view of each: "
          f"{_wall_and_cpu(lambda: _ok(client.get(next(first_views))), args.runs)}")


def _wall_and_cpu(run, times: int) -> str:
    """Median wall time and median CPU time of this process per run: on a shared machine the CPU
    time is what the request itself costs, the wall time adds the wait for a core."""
    wall, cpu = [], []
    for _ in range(times):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return f"{statistics.median(wall) * 1000:.1f} ms (CPU {statistics.median(cpu) * 1000:.1f} ms)"


def _ok(response) -> None:
    assert response.status_code == 200, response.status_code


if __name__ == "__main__":
    main()
