"""A bounded load test: 2 000 mixed requests from 8 clients while `kb ingest` rewrites the store.

The real server (``kb serve``, waitress, in its own process) serves a store built from a snapshot
of data/. Every request of a fixed list (timeline with filters, reader pages and their JSON twins,
SPARQL SELECT and CONSTRUCT in several formats, content negotiation on ``/id/...`` IRIs, the
dumps) is first answered at rest; then 8 client threads replay the list, shuffled, 2 000 times in
all, while a subprocess re-ingests annotations of the same snapshot in a loop (each run switches
the store to new generations holding the same data). Every answer must equal its answer at rest:
no 5xx, no connection error, no other body. Latency percentiles per request kind are printed
(``pytest tests/test_load.py -s``).
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self
from urllib.parse import quote

import pytest
import requests
from rdflib import Graph
from rdflib.compare import to_isomorphic
from servers import free_port, stop_process

from kb.build import build
from kb.config import DEFAULT_DATA_DIR
from kb.namespaces import IriMinter

TOTAL_REQUESTS = 2000
CLIENTS = 8
#: A hang guard, not a speed target: the replay stops here and the test fails, saying why.
REPLAY_DEADLINE_S = 120
#: Articles re-ingested during the load; the list below reads their pages.
REINGESTED = ("khalilzad-kabul-sahar-news", "kabul-falls-oxus-dispatch", "biden-withdrawal-lapis-wire")

PREFIXES = ("PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")
ACTORS = PREFIXES + "SELECT ?actor ?name WHERE { ?actor a sem:Actor ; rdfs:label ?name } ORDER BY ?actor ?name"
EVENTS_OF = PREFIXES + (
    "SELECT ?event ?label WHERE {{ GRAPH <https://peacekb.example/graph/article/{article}> "
    "{{ ?event a sem:Event ; rdfs:label ?label }} }} ORDER BY ?event"
)
EVENT_LABELS = PREFIXES + (
    "CONSTRUCT { ?event rdfs:label ?label } WHERE { GRAPH <https://peacekb.example/graph/article/kabul-falls-oxus-dispatch>"
    " { ?event a sem:Event ; rdfs:label ?label } }"
)
RDF_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld"}


@dataclass(frozen=True)
class Probe:
    """One request of the list: its kind (for the latency table), path, Accept header and status at rest."""

    kind: str
    path: str
    accept: str | None = None
    status: int = 200


def sparql(query: str, fmt: str) -> str:
    return f"/sparql?query={quote(query)}&format={fmt}"


PROBES: tuple[Probe, ...] = (
    Probe("timeline", "/"),
    Probe("timeline", "/?actor=zalmay-khalilzad&from=2019&to=2020-06"),
    Probe("timeline", "/?q=ceasefire"),
    Probe("timeline", "/?type=visit&status=occurred"),
    Probe("timeline", "/?source=article/kabul-falls-oxus-dispatch&page=1"),
    Probe("timeline-json", "/timeline.json?actor=taliban"),
    Probe("timeline-json", "/?source=article/khalilzad-kabul-sahar-news", "application/json"),
    Probe("timeline-export", "/timeline.csv?from=2020"),
    Probe("timeline-export", "/timeline.timelinejs.json?from=2021"),
    Probe("page", "/id/event/kabul-falls-oxus-dispatch/palace-taken.html"),
    Probe("page", "/id/event/biden-withdrawal-lapis-wire/bush-announces-strikes.html"),
    Probe("page", "/id/actor/joe-biden.html"),
    Probe("page", "/id/article/biden-withdrawal-lapis-wire.html"),
    Probe("page-json", "/id/event/kabul-falls-oxus-dispatch/palace-taken.json"),
    Probe("page-json", "/id/article/biden-withdrawal-lapis-wire.json"),
    Probe("page-json", "/id/actor/joe-biden.json"),
    Probe("rdf-document", "/id/event/khalilzad-kabul-sahar-news/trump-stalls-process.ttl"),
    Probe("rdf-document", "/id/event/kabul-falls-oxus-dispatch/palace-taken.jsonld"),
    Probe("conneg", "/id/event/kabul-falls-oxus-dispatch/doha-agreement", "text/turtle", 303),
    Probe("conneg", "/id/event/kabul-falls-oxus-dispatch/doha-agreement", "application/ld+json", 303),
    Probe("conneg", "/id/event/biden-withdrawal-lapis-wire/first-strikes", "application/rdf+xml;q=0.5, text/*;q=0.1", 303),
    Probe("conneg", "/id/actor/taliban", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", 303),
    Probe("conneg", "/id/article/kabul-falls-oxus-dispatch", "application/json", 303),
    Probe("conneg", "/id/article/khalilzad-kabul-sahar-news", None, 303),
    Probe("sparql-select", sparql(ACTORS, "json")),
    Probe("sparql-select", sparql(ACTORS, "csv")),
    Probe("sparql-select", sparql(EVENTS_OF.format(article="kabul-falls-oxus-dispatch"), "xml")),
    Probe("sparql-select", sparql(EVENTS_OF.format(article="khalilzad-kabul-sahar-news"), "tsv")),
    Probe("sparql-select", f"/sparql?query={quote(EVENTS_OF.format(article='biden-withdrawal-lapis-wire'))}",
          "application/sparql-results+json"),
    Probe("sparql-construct", sparql(EVENT_LABELS, "turtle")),
    Probe("sparql-construct", sparql(EVENT_LABELS, "ntriples")),
    Probe("sparql-construct", sparql(EVENT_LABELS, "jsonld")),
    Probe("sparql-page", sparql(EVENTS_OF.format(article="biden-withdrawal-lapis-wire"), "html")),
    Probe("dump", "/dumps/SHA256SUMS"),
    Probe("dump", "/dumps/kb.nq.gz"),
)


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    location: str
    body: bytes


@dataclass
class Outcome:
    """What one client saw."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server_errors: list[str] = field(default_factory=list)
    connection_errors: list[str] = field(default_factory=list)
    wrong_answers: list[str] = field(default_factory=list)


#: What legitimately varies: VoID's dcterms:modified (the store's last write, which each ingest
#: moves) and the query page's time figure.
_VARYING = (
    (re.compile(rb'(dcterms:modified\s+)"[^"]*"'), rb'\1"(the last write)"'),
    (re.compile(rb'(<span class="elapsed">)[0-9.]+ ms'), rb"\1(time) ms"),
)


def fetch(session: requests.Session, base: str, probe: Probe) -> Answer:
    headers = {"Accept": probe.accept} if probe.accept else {}
    reply = session.get(base + probe.path, headers=headers, allow_redirects=False, timeout=60)
    body = reply.content
    for pattern, replacement in _VARYING:
        body = pattern.sub(replacement, body)
    media_type = reply.headers.get("Content-Type", "").split(";")[0]
    return Answer(reply.status_code, media_type, reply.headers.get("Location", ""), body)


def same_answer(seen: Answer, expected: Answer) -> bool:
    """Equal answers; RDF bodies and the N-Quads dump may list the same triples in another order."""
    if seen == expected:
        return True
    if (seen.status, seen.media_type, seen.location) != (expected.status, expected.media_type, expected.location):
        return False
    if seen.media_type == "application/gzip":
        return sorted(gzip.decompress(seen.body).splitlines()) == sorted(gzip.decompress(expected.body).splitlines())
    rdf_format = RDF_FORMATS.get(seen.media_type)
    if rdf_format is None:
        return False
    graphs = [to_isomorphic(Graph().parse(data=a.body, format=rdf_format)) for a in (seen, expected)]
    return graphs[0] == graphs[1]


def describe(probe: Probe, seen: Answer, expected: Answer) -> str:
    """One line on how ``seen`` differs from ``expected``: status, type, size and the first bytes that differ."""
    first = next((i for i, (a, b) in enumerate(zip(seen.body, expected.body)) if a != b),
                 min(len(seen.body), len(expected.body)))
    return (f"{probe.path}: {seen.status} {seen.media_type} {len(seen.body)} bytes, expected {expected.status} "
            f"{expected.media_type} {len(expected.body)} bytes; from byte {first}: "
            f"{seen.body[first:first + 60]!r} != {expected.body[first:first + 60]!r}")


def answers(base: str) -> dict[Probe, Answer]:
    """The answer to every probe, one after another."""
    with requests.Session() as session:
        return {probe: fetch(session, base, probe) for probe in PROBES}


def differences(seen: dict[Probe, Answer], expected: dict[Probe, Answer]) -> list[str]:
    """A line per probe whose answer in ``seen`` is not the same as in ``expected``."""
    return [describe(p, seen[p], expected[p]) for p in PROBES if not same_answer(seen[p], expected[p])]


def current_generation(store: Path) -> int:
    """The number of the store's current generation (``gen-N`` in its marker), which each write raises."""
    return int(json.loads((store / "kb-store.json").read_text())["current"].removeprefix("gen-"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of data/ (other work may change data/ while this runs) and a store built from it."""
    folder = tmp_path_factory.mktemp("load")
    data = folder / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data)
    build(data, str(folder / "store"), IriMinter())
    return folder


@pytest.fixture(scope="module")
def server(snapshot: Path) -> Iterator[str]:
    """``kb serve`` with 8 threads on the snapshot's store."""
    port = free_port()
    log = (snapshot / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "kb", "serve", "--store", str(snapshot / "store"), "--port", str(port),
         "--threads", str(CLIENTS)], stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                requests.get(base + "/dumps/SHA256SUMS", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        yield base
    finally:
        stop_process(process)
        log.close()


class IngestLoop:
    """``kb ingest`` of one re-ingested annotation after another, run until stopped."""

    def __init__(self, snapshot: Path) -> None:
        data = snapshot / "data"
        self.files = [str(data / "annotations" / f"{name}.yaml") for name in REINGESTED]
        self.command = [sys.executable, "-m", "kb", "ingest", "--data", str(data), "--store", str(snapshot / "store")]
        self.runs: list[tuple[int, float, str]] = []  # (exit code, seconds, stderr)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.process: subprocess.Popen | None = None

    def _loop(self) -> None:
        for file in itertools.cycle(self.files):
            if self.stop.is_set():
                return
            started = time.monotonic()
            self.process = subprocess.Popen([*self.command, file], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            _, stderr = self.process.communicate(timeout=120)
            self.runs.append((self.process.returncode, time.monotonic() - started, stderr.decode(errors="replace")))

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        """Let the run in progress finish (a store write is never cut short here), then stop."""
        self.stop.set()
        self.thread.join(timeout=150)
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def replay(base: str, plan: list[Probe], expected: dict[Probe, Answer], deadline: float) -> list[Outcome]:
    """Send ``plan`` from :data:`CLIENTS` threads, each with its own session; return what each saw."""
    cursor = iter(range(len(plan)))
    lock = threading.Lock()
    outcomes = [Outcome() for _ in range(CLIENTS)]

    def client(outcome: Outcome) -> None:
        with requests.Session() as session:
            while time.monotonic() < deadline:
                with lock:
                    index = next(cursor, None)
                if index is None:
                    return
                probe = plan[index]
                started = time.perf_counter()
                try:
                    answer = fetch(session, base, probe)
                except requests.RequestException as exc:
                    outcome.connection_errors.append(f"{probe.path}: {exc}")
                    continue
                outcome.latencies[probe.kind].append(time.perf_counter() - started)
                if answer.status >= 500:
                    outcome.server_errors.append(f"{probe.path}: {answer.status} {answer.body[:300]!r}")
                elif not same_answer(answer, expected[probe]):
                    outcome.wrong_answers.append(describe(probe, answer, expected[probe]))

    threads = [threading.Thread(target=client, args=(o,), daemon=True) for o in outcomes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1.0, deadline - time.monotonic() + 60))
    return outcomes


def latency_table(outcomes: list[Outcome]) -> str:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for outcome in outcomes:
        for kind, values in outcome.latencies.items():
            by_kind[kind] += values
    every = [v for values in by_kind.values() for v in values]
    lines = [f"{'kind':<18}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"]
    for kind, values in sorted(by_kind.items()) + [("all", every)]:
        figures = [percentile(values, s) * 1000 for s in (0.5, 0.95, 0.99)] + [max(values) * 1000]
        lines.append(f"{kind:<18}{len(values):>6}" + "".join(f"{f:>9.0f}" for f in figures))
    return "\n".join(lines)


def test_mixed_load_during_an_ingest_gives_the_answers_at_rest(server: str, snapshot: Path) -> None:
    loop = IngestLoop(snapshot)  # first one ingest, which writes the dumps as those during the load will be
    assert subprocess.run([*loop.command, loop.files[0]], capture_output=True, timeout=120, check=False).returncode == 0
    expected = answers(server)
    assert differences(answers(server), expected) == [], "answers vary at rest"
    for probe, answer in expected.items():
        assert answer.status == probe.status, (probe, answer.status, answer.body[:300])
    rng = random.Random(8)
    plan = [PROBES[i % len(PROBES)] for i in range(TOTAL_REQUESTS)]
    rng.shuffle(plan)

    generation_before = current_generation(snapshot / "store")
    started = time.monotonic()
    with loop as ingests:
        outcomes = replay(server, plan, expected, started + REPLAY_DEADLINE_S)
        replay_seconds = time.monotonic() - started
    served = sum(len(v) for o in outcomes for v in o.latencies.values())
    switches = current_generation(snapshot / "store") - generation_before
    print(f"\n{served} requests from {CLIENTS} clients in {replay_seconds:.1f} s while {len(ingests.runs)} "
          f"`kb ingest` runs of one annotation (mean "
          f"{sum(r[1] for r in ingests.runs) / max(1, len(ingests.runs)):.1f} s each) switched the store "
          f"{switches} times")
    print(latency_table(outcomes))

    assert [r for r in ingests.runs if r[0] != 0] == [], "an ingest failed"
    # Each run switches the store once; the last may end after the replay, the ones before it did not.
    assert len(ingests.runs) >= 2 and switches == len(ingests.runs), "the store was not rewritten during the load"
    assert [e for o in outcomes for e in o.connection_errors] == []
    assert [e for o in outcomes for e in o.server_errors] == []
    wrong = Counter(e for o in outcomes for e in o.wrong_answers)
    assert not wrong, f"{sum(wrong.values())} wrong answers: {wrong.most_common(10)}"
    assert served == TOTAL_REQUESTS, f"only {served} of {TOTAL_REQUESTS} requests answered in {REPLAY_DEADLINE_S} s"
    assert differences(answers(server), expected) == [], "the store at the end answers otherwise than at the start"
