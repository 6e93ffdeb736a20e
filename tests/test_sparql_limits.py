"""The query time limit (worker pool, remote timeout) and the row cap, through the real server.

Expected rows are the facts of tests/fixtures/mini.trig (six actors, each with one label).
"""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from servers import free_port, oxigraph_available, oxigraph_server
from webapp_support import BASE, FIXTURE, http_request, live_server, load_fixture

from kb.limits import QueryTimeout, cap_answer
from kb.query_pool import QueryPool
from kb.remote import RemoteStore
from kb.sparql import execute
from kb.store import EmbeddedStore, QueryAnswer
from webapp import create_app
from webapp.sparql import stop_query_pool

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

PREFIXES = """PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
ACTORS = PREFIXES + "SELECT ?actor ?name WHERE { ?actor a sem:Actor ; rdfs:label ?name } ORDER BY ?name"
ACTOR_LABELS = PREFIXES + "CONSTRUCT { ?actor rdfs:label ?name } WHERE { ?actor a sem:Actor ; rdfs:label ?name }"
#: Every triple of the fixture joined with itself four times over: billions of rows to count.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
CHEAP = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_fixture(tmp_path_factory.mktemp("limits") / "store")


def _app(store: str | Path, **config: object):
    return create_app({"TESTING": True, "KB_STORE": str(store), **config})


@pytest.fixture(scope="module")
def limited(store_dir: Path):
    """The server with a 1 s time limit, two query workers and a cap of 3 rows."""
    app = _app(store_dir, KB_QUERY_TIMEOUT=1, KB_QUERY_WORKERS=2, KB_MAX_ROWS=3)
    with live_server(app) as url:
        yield app, url
    stop_query_pool(app)


def get(url: str, query: str, accept: str | None = None, **params: str):
    return http_request(f"{url}/sparql?{urlencode({'query': query, **params})}",
                        headers={"Accept": accept} if accept else {})


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _descendants(pid: int) -> list[int]:
    """The processes started by ``pid`` and by those, from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_descendants(int(child))]
    return found


# -- the time limit ---------------------------------------------------------------------------


def test_runaway_query_gets_503_while_other_requests_are_answered(limited) -> None:
    app, url = limited
    assert get(url, CHEAP).status == 200  # the pool is up
    pool = app.extensions["kb.query_pool"]
    workers_before = pool.pids
    runaway: dict[str, object] = {}
    thread = threading.Thread(target=lambda: runaway.update(reply=get(url, RUNAWAY, "text/csv")))
    thread.start()
    answered_during = []  # cheap queries sent while the runaway held a worker, answered before it ended
    while thread.is_alive():
        busy = pool.idle < 2
        reply = get(url, CHEAP, "application/sparql-results+json")
        if busy and thread.is_alive():
            answered_during.append(reply.status)
    thread.join(timeout=30)
    reply = runaway["reply"]
    assert answered_during and set(answered_during) == {200}
    assert reply.status == 503 and reply.media_type == "text/plain"
    assert "1 s" in reply.text and "KB_QUERY_TIMEOUT" in reply.text and "LIMIT" in reply.text
    killed = set(workers_before) - set(pool.pids)
    assert len(killed) == 1 and not _alive(killed.pop())
    assert len(pool.pids) == 2
    after = get(url, ACTORS, "application/sparql-results+json")
    assert after.status == 200 and len(json.loads(after.body)["results"]["bindings"]) == 3


def test_query_page_shows_the_timeout_as_an_error(limited) -> None:
    _, url = limited
    reply = get(url, RUNAWAY, "text/html", format="html")
    assert reply.status == 503 and reply.media_type == "text/html"
    assert "The query was stopped" in reply.text and "KB_QUERY_TIMEOUT" in reply.text
    assert 'name="query"' in reply.text  # the editor is still there, with the query to fix


def test_workers_see_a_new_generation(tmp_path: Path) -> None:
    store = load_fixture(tmp_path / "store")
    query = "SELECT ?o WHERE { <https://example.org/s> <https://example.org/p> ?o }"
    with QueryPool(store, size=1, timeout=5) as pool:
        assert b"https://example.org/o" not in pool.query(query).body
        graph = Graph().parse(data="<https://example.org/s> <https://example.org/p> <https://example.org/o> .",
                              format="nt")
        with EmbeddedStore.open_writer(store) as writer:
            writer.replace_graphs({BASE + "graph/extra": graph})
        assert b"https://example.org/o" in pool.query(query).body


def test_closing_the_pool_ends_every_worker(store_dir: Path) -> None:
    pool = QueryPool(store_dir, size=2, timeout=5)
    pids = pool.pids
    assert len(pids) == 2 and all(_alive(p) for p in pids)
    pool.close()
    assert not any(_alive(p) for p in pids)


def test_kb_query_stops_at_its_timeout(store_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kb", "query", RUNAWAY, "--timeout", "1", "--store", str(store_dir)],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 2
    assert "stopped after 1 s" in result.stderr and "Traceback" not in result.stderr


def test_kb_serve_ends_its_query_workers_when_stopped(store_dir: Path) -> None:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "kb", "serve", "--store", str(store_dir), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if get(url, CHEAP).status == 200:  # the first query starts the pool
                    break
            except OSError:
                time.sleep(0.2)
        started = _descendants(server.pid)
        assert len(started) >= 3  # the fork server and the two workers
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        for _ in range(50):  # the fork server leaves when it sees its parent gone
            if not any(_alive(pid) for pid in started):
                break
            time.sleep(0.1)
        assert not [pid for pid in started if _alive(pid)]
    finally:
        if server.poll() is None:
            server.kill()


@pytest.mark.skipif(not oxigraph_available(), reason="the oxigraph CLI is not installed")
def test_remote_store_maps_its_timeout(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "oxigraph") as server:
        loader = RemoteStore(server.query_url, environ=server.env)
        fixture = Dataset().parse(FIXTURE, format="trig")
        loader.replace_graphs({g.identifier: g for g in fixture.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID})
        remote = RemoteStore(server.query_url, environ={**server.env, "KB_QUERY_TIMEOUT": "1"})
        with pytest.raises(QueryTimeout, match="stopped after 1 s"):
            execute(remote, RUNAWAY)
        app = _app(server.query_url, KB_QUERY_TIMEOUT=1)
        with live_server(app) as url:
            reply = get(url, RUNAWAY, "text/csv")
            assert reply.status == 503 and "KB_QUERY_TIMEOUT" in reply.text
            assert get(url, CHEAP).status == 200


# -- the row cap ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_is_cut_to_the_cap_in_every_format(limited, fmt: str) -> None:
    _, url = limited
    reply = get(url, ACTORS, format=fmt)
    assert reply.status == 200
    assert reply.headers["KB-Max-Rows"] == "3" and reply.headers["KB-Truncated"] == "true"
    if fmt == "json":
        names = [row["name"]["value"] for row in json.loads(reply.body)["results"]["bindings"]]
    elif fmt == "xml":
        literals = ET.fromstring(reply.body).iter("{http://www.w3.org/2005/sparql-results#}literal")
        names = [e.text for e in literals]
    else:
        rows = list(csv.reader(io.StringIO(reply.text), delimiter="," if fmt == "csv" else "\t"))[1:]
        names = [row[1].removesuffix("@en").strip('"') for row in rows]  # TSV writes "name"@en
    assert names == ["Ashraf Ghani", "Government of Afghanistan", "Sahar News"]


def test_an_answer_within_the_cap_says_it_is_whole(limited) -> None:
    _, url = limited
    reply = get(url, ACTORS + " LIMIT 2", "text/csv")
    assert reply.headers["KB-Truncated"] == "false" and reply.headers["KB-Max-Rows"] == "3"
    assert len(reply.text.strip().splitlines()) == 3


def test_cap_headers_are_readable_by_browser_scripts(limited) -> None:
    _, url = limited
    exposed = get(url, CHEAP).headers["Access-Control-Expose-Headers"]
    assert {"KB-Max-Rows", "KB-Truncated"} <= {h.strip() for h in exposed.split(",")}


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml", "trig"])
def test_construct_is_cut_to_the_cap_in_every_format(limited, fmt: str) -> None:
    _, url = limited
    reply = get(url, ACTOR_LABELS, format=fmt)
    assert reply.status == 200 and reply.headers["KB-Truncated"] == "true"
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml", "trig": "trig"}[fmt]
    assert len(Graph().parse(data=reply.body, format=rdflib_format)) == 3


def test_query_page_says_the_answer_was_cut(limited) -> None:
    _, url = limited
    reply = get(url, ACTORS, "text/html", format="html")
    assert reply.status == 200 and reply.headers["KB-Truncated"] == "true"
    assert "Only the first 3 rows are shown" in reply.text and "KB_MAX_ROWS" in reply.text
    whole = get(url, ACTORS + " LIMIT 3", "text/html", format="html")
    assert "Only the first" not in whole.text


def test_no_cap_with_zero(store_dir: Path) -> None:
    app = _app(store_dir, KB_MAX_ROWS=0)
    with live_server(app) as url:
        reply = get(url, ACTORS, "text/csv")
    stop_query_pool(app)
    assert reply.headers["KB-Max-Rows"] == "0" and reply.headers["KB-Truncated"] == "false"
    assert len(reply.text.strip().splitlines()) == 7


def test_kb_query_notes_a_cut_answer_on_stderr(store_dir: Path) -> None:
    run = [sys.executable, "-m", "kb", "query", ACTORS, "--format", "csv", "--store", str(store_dir)]
    cut = subprocess.run([*run, "--max-rows", "2"], capture_output=True, text=True, timeout=60, check=False)
    assert cut.returncode == 0 and len(cut.stdout.strip().splitlines()) == 3
    assert "cut to its first 2 rows" in cut.stderr
    whole = subprocess.run(run, capture_output=True, text=True, timeout=60, check=False)
    assert len(whole.stdout.strip().splitlines()) == 7 and whole.stderr == ""


def test_cap_answer_keeps_a_long_answer_parseable() -> None:
    """Above the fast path (more bytes than the cap): the body is parsed and written again."""
    rows = "".join(f"<https://example.org/{i}>\t\"line\\nbreak {i}\"\n" for i in range(50))
    answer = QueryAnswer("select", "text/tab-separated-values", ("?s\t?o\n" + rows).encode())
    capped = cap_answer(answer, 10)
    lines = capped.body.decode().splitlines()
    assert capped.truncated and len(lines) == 11 and lines[10].startswith("<https://example.org/9>")
    assert not cap_answer(answer, 50).truncated and cap_answer(answer, 50).body == answer.body
