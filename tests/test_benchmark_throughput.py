"""The throughput benchmark compares two servers' rates only where both answer a query alike:
the check before the load against a real endpoint (the rdflib baseline on 127.0.0.1), and the
comparison that follows from it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from benchmarks.common import free_port, server
from benchmarks.throughput import _compare, check_answer

TRIPLES = """\
<http://example.org/e1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://semanticweb.cs.vu.nl/2009/11/sem/Event> <http://example.org/g> .
<http://example.org/e2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://semanticweb.cs.vu.nl/2009/11/sem/Event> <http://example.org/g> .
"""
EVENTS = "SELECT ?e WHERE { ?e a <http://semanticweb.cs.vu.nl/2009/11/sem/Event> }"


def test_check_answer_counts_rows_or_says_why_the_server_did_not_answer(tmp_path: Path) -> None:
    data = tmp_path / "kb.nq"
    data.write_text(TRIPLES, encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    command = [sys.executable, "-m", "benchmarks.rdflib_endpoint", "--data", str(data), "--port", str(port)]
    with server(command, url, tmp_path / "rdflib.log", timeout=60):
        assert check_answer(url, EVENTS) == (2, "")
        rows, why = check_answer(url, "SELECT ?e WHERE { ?e ?p }")
    assert rows is None and why.startswith("HTTP 400: ") and len(why.splitlines()) == 1


def test_rates_are_compared_only_when_both_servers_gave_the_same_rows() -> None:
    assert _compare((5, ""), (5, ""), 300.0, 100.0, 1.0, 0) == (3.0, True, "")
    assert _compare((5, ""), (5, ""), 300.0, 100.0, 20.0, 0)[:2] == (3.0, False)
    assert _compare((5, ""), (5, ""), 300.0, 100.0, 1.0, 4)[:2] == (3.0, False)  # our failures: not met
    ratio, met, note = _compare((5, ""), (None, "HTTP 400: no"), 300.0, 100.0, 1.0, 0)
    assert (ratio, met) == (None, None) and "not comparable" in note
    ratio, met, note = _compare((5, ""), (4, ""), 300.0, 100.0, 1.0, 0)
    assert (ratio, met) == (None, None) and "5 rows against 4" in note
    ratio, met, note = _compare((None, "HTTP 500: boom"), (5, ""), 300.0, 100.0, 1.0, 0)
    assert (ratio, met) == (None, False) and "HTTP 500: boom" in note


def test_check_answer_says_so_when_a_server_never_answers_or_cannot_be_reached() -> None:
    import socket

    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        assert check_answer(url, EVENTS, timeout=1) == (None, "no answer within 1 s")
    rows, why = check_answer(f"http://127.0.0.1:{free_port()}/sparql", EVENTS, timeout=1)
    assert rows is None and why.startswith("no usable answer: ")


@pytest.mark.parametrize("web_server", ["waitress", "granian"])
def test_lean_ceiling_answers_the_query_from_the_database_and_refuses_a_bad_one(tmp_path: Path, web_server: str) -> None:
    if web_server == "granian":
        pytest.importorskip("granian", reason="granian comes with the bench extra")
    import pyoxigraph

    database = tmp_path / "db"
    store = pyoxigraph.Store(str(database))
    store.load(TRIPLES.encode(), pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    del store
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    command = [sys.executable, "-m", "benchmarks.hello_endpoint", "--app", "lean", "--server", web_server,
               "--processes", "1", "--store", str(database), "--port", str(port)]
    with server(command, url, tmp_path / "lean.log", timeout=60):
        assert check_answer(url, EVENTS) == (2, "")
        assert check_answer(url, EVENTS + " LIMIT 1") == (1, "")
        rows, why = check_answer(url, "SELECT ?e WHERE { ?e ?p }")
    assert rows is None and why.startswith("HTTP 400: ")
