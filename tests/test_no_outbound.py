"""The public endpoint never connects to another server: SERVICE and LOAD are refused.

A trap server listens on 127.0.0.1; every request that would make the store fetch from it is
sent to the real WSGI server, and the trap must see no connection.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from webapp_support import http_request, live_server, make_app


@pytest.fixture()
def trap() -> Iterator[tuple[str, list[bytes]]]:
    """A listening socket on 127.0.0.1 that records every connection made to it."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                seen.append(connection.recv(200) or b"(connected)")

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/sparql", seen
    stop.set()
    thread.join(timeout=5)
    listener.close()


@pytest.fixture(scope="module")
def server(seed_store_path: Path) -> Iterator[str]:
    with live_server(make_app(seed_store_path)) as url:
        yield url


def attempts(target: str) -> list[tuple[str, str, bytes | None, dict[str, str]]]:
    service = f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"
    hidden = "SELECT * WHERE { \\u0053ERVICE <" + target + "> { ?s ?p ?o } }"
    lower = f"select * where {{ ?x ?y ?z . service silent <{target}> {{ ?s ?p ?o }} }}"
    compact = "SELECT*{VALUES?g{<" + target + ">}FILTER(1<2)SERVICE?g{?s?p?o}FILTER(3>2)}"
    load = f"LOAD <{target}>"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    return [
        ("GET", f"/sparql?query={quote(service)}", None, {}),
        ("GET", f"/sparql?query={quote(hidden)}", None, {}),
        ("POST", "/sparql", f"query={quote(lower)}".encode(), form),
        ("GET", f"/sparql?query={quote(compact)}", None, {}),
        ("POST", "/sparql", service.encode(), {"Content-Type": "application/sparql-query"}),
        ("GET", f"/sparql?update={quote(load)}", None, {}),
        ("POST", "/sparql", f"update={quote(load)}".encode(), form),
        ("POST", "/sparql", load.encode(), {"Content-Type": "application/sparql-update"}),
        ("POST", "/sparql", f"query={quote(load)}".encode(), form),
    ]


def test_no_request_makes_the_endpoint_fetch(server: str, trap: tuple[str, list[bytes]]) -> None:
    target, seen = trap
    for method, path, body, headers in attempts(target):
        reply = http_request(server + path, method=method, body=body, headers=headers)
        assert reply.status == 403, (method, path, reply.status, reply.text)
    # a final ordinary query proves the server is still answering, and gives the trap time
    assert http_request(server + "/sparql?query=" + quote("ASK { ?s ?p ?o }")).status == 200
    assert seen == [], f"the endpoint connected out: {seen}"


def test_kb_query_refuses_service(seed_store_path: Path, trap: tuple[str, list[bytes]]) -> None:
    target, seen = trap
    result = subprocess.run(
        [sys.executable, "-m", "kb", "query", f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
         "--store", str(seed_store_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "SERVICE" in result.stderr
    assert seen == []
