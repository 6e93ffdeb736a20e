"""One contract for every store backend: embedded, ``oxigraph serve`` and Virtuoso open source.

The servers are real processes on 127.0.0.1 (tests/servers.py), started once per session (the
large-graph test starts its own: ``unshared_location``); a backend that is not installed is
skipped with the command that installs it. Each test gets a store emptied of the KB's graphs (a
new folder, or ``replace_graphs({}, clear_all=True)``).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from servers import (VIRTUOSO_MAX_ROWS, Server, oxigraph_available, oxigraph_server, virtuoso_available,
                     virtuoso_server)

from kb.build import build
from kb.config import DEFAULT_DATA_DIR, ONTOLOGY_DIR
from kb.errors import QueryError, StoreError
from kb.namespaces import IriMinter
from kb.remote import RemoteStore
from kb.sparql import execute
from kb.store import EmbeddedStore, Store, open_store
from kb.update import UpdateInvalid, apply_update
from kb.validate import validate_store
from webapp import create_app

BACKENDS = ["embedded", "oxigraph", "virtuoso"]
EX = "https://peacekb.example/"
G1, G2 = URIRef(EX + "graph/article/one"), URIRef(EX + "graph/article/two")
P = URIRef("https://peacekb.example/ontology#p")
X = URIRef(EX + "id/x")
LIBRARY = ["meetings.rq", "proposals-with-response.rq", "statements-by-speaker.rq", "troop-levels.rq",
           "khalilzad-timeline.rq"]


#: Same data, different answers: Virtuoso 7.2 evaluates these SPARQL features differently from
#: Oxigraph (seen on meetings.rq): GROUP_CONCAT of no values gives "" (Oxigraph leaves the
#: variable unbound), it drops the common language tag of a GROUP_CONCAT, orders the joined values
#: differently, and writes xsd:boolean as "1". Not a store bug; the dataset itself is equal.
VIRTUOSO_AGGREGATES = "Virtuoso's GROUP_CONCAT and xsd:boolean answers differ from Oxigraph's"
#: A quad whose object is an xsd:duration counting years or months ("P1Y6M"): Virtuoso 7.2 stores
#: durations as seconds, so it cannot give such a value back (a documented limit of that backend);
#: the same length as a time:Duration number of units comes back intact.
CALENDAR_DURATION = re.compile(rb'"P(?=[^T"]*[YM])[^"]*"\^\^<http://www\.w3\.org/2001/XMLSchema#duration>')


def graph(*objects: str) -> Graph:
    g = Graph()
    for o in objects:
        g.add((X, P, Literal(o)))
    return g


def server_factory(name: str) -> Callable[[Path], AbstractContextManager[Server]]:
    """The context manager that runs the ``name`` server; skips the test if it is not installed."""
    if name == "oxigraph" and not oxigraph_available():
        pytest.skip("the oxigraph CLI is missing: pip install -e '.[test]'")
    if name == "virtuoso" and not virtuoso_available():
        pytest.skip("virtuoso-t is missing: apt-get install -y virtuoso-opensource")
    return oxigraph_server if name == "oxigraph" else virtuoso_server


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server | Exception]]:
    """The running servers by backend name (started lazily, ended at the session's end)."""
    from contextlib import ExitStack

    started: dict[str, Server | Exception] = {}
    with ExitStack() as stack:

        def get(name: str) -> Server:
            if name not in started:
                factory = server_factory(name)
                try:
                    started[name] = stack.enter_context(factory(tmp_path_factory.mktemp(name) / "data"))
                except RuntimeError as exc:
                    started[name] = exc
            if isinstance(started[name], Exception):
                pytest.fail(f"{name} did not start: {started[name]}")
            return started[name]

        yield get


def point_at(server: Server, monkeypatch: pytest.MonkeyPatch) -> str:
    """Set the environment that points a remote store at ``server``; its query URL."""
    for key in ("KB_STORE_UPDATE_URL", "KB_STORE_GSP_URL", "KB_STORE_USER", "KB_STORE_PASSWORD",
                "KB_STORE_MAX_ROWS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in server.env.items():
        monkeypatch.setenv(key, value)
    return server.query_url


@pytest.fixture(params=BACKENDS)
def location(request, servers, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty store's location for the backend (the environment pointing at its endpoints)."""
    if request.param == "embedded":
        return str(tmp_path / "store")
    url = point_at(servers(request.param), monkeypatch)
    with open_store(url, writable=True) as store:
        store.replace_graphs({}, clear_all=True)
    return url


@pytest.fixture(params=BACKENDS)
def unshared_location(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty store's location on a server of the test's own, ended with the test. For a graph
    too large to delete on the shared server: Virtuoso 7.2's deletion of 100,000 triples at times
    holds its locks for many minutes, and every later test on that server would wait for it."""
    if request.param == "embedded":
        yield str(tmp_path / "store")
        return
    with server_factory(request.param)(tmp_path / "data") as server:
        yield point_at(server, monkeypatch)


@pytest.fixture
def store(location: str) -> Iterator[Store]:
    with open_store(location, writable=True) as opened:
        yield opened


def objects(store: Store) -> set[str]:
    return {r["o"]["value"] for r in store.select(f"SELECT ?o WHERE {{ ?s <{P}> ?o }}")}


def test_a_select_longer_than_the_servers_row_cap_is_read_whole(store: Store) -> None:
    # Virtuoso's ResultSetMaxRows cuts an answer silently; the store reads it again in pages
    values = {f"v{i:05d}" for i in range(VIRTUOSO_MAX_ROWS + 205)}
    store.replace_graphs({G1: graph(*values)})
    assert objects(store) == values
    prefixed = store.select(f"PREFIX ex: <{EX}>\nSELECT ?s ?o WHERE {{ ?s <{P}> ?o }}")
    assert len(prefixed) == len(values)


# -- the interface ---------------------------------------------------------------------------


def test_open_store_picks_the_backend(location: str) -> None:
    store = open_store(location, writable=True)
    assert isinstance(store, Store)
    assert isinstance(store, RemoteStore if location.startswith("http") else EmbeddedStore)


def test_replace_graphs_replaces_only_the_named_graphs(store: Store) -> None:
    store.replace_graphs({G1: graph("a", "b"), G2: graph("c")})
    store.replace_graphs({G1: graph("z")})
    assert objects(store) == {"z", "c"}
    assert store.graph_names() == [str(G1), str(G2)]
    store.replace_graphs({G2: graph("y")}, clear_all=True)
    assert store.graph_names() == [str(G2)]
    assert objects(store) == {"y"}


def test_a_large_graph_is_sent_whole(unshared_location: str) -> None:
    # ~6 MB of Turtle: sent before the credentials, Virtuoso's early 401 cut it off (connection reset)
    large = Graph()
    for i in range(100_000):
        large.add((URIRef(f"https://peacekb.example/id/s{i}"), P, Literal(f"value {i:06d} " + "x" * 30)))
    with open_store(unshared_location, writable=True) as store:
        store.replace_graphs({G1: large})
        [row] = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{P}> ?o }}")
    assert int(row["n"]["value"]) == 100_000


def test_select_ask_construct_over_the_union_of_graphs(store: Store) -> None:
    store.replace_graphs({G1: graph("a"), G2: graph("b")})
    assert objects(store) == {"a", "b"}
    assert store.ask(f"ASK {{ ?s <{P}> 'a' }}") is True
    assert store.ask(f"ASK {{ ?s <{P}> 'nothing' }}") is False
    built = store.construct(f"CONSTRUCT {{ ?s <{P}> ?o }} WHERE {{ ?s <{P}> ?o }}")
    assert isomorphic(built, graph("a", "b"))
    assert store.select(f"SELECT ?this ?o WHERE {{ ?this <{P}> ?o }} ORDER BY ?o", {"this": str(X)})[0]["o"]["value"] == "a"
    with pytest.raises(QueryError):
        store.select("SELECT ?o WHERE { ?s ?p ?o ")
    with pytest.raises(QueryError, match="absolute IRI"):
        store.ask("ASK { ?this ?p ?o }", {"this": "not an iri> } ; DROP ALL ; <x"})


def test_substitutions_bind_projected_and_unprojected_variables_alike(store: Store) -> None:
    other = URIRef(EX + "id/other")
    data = graph("a")
    data.add((other, P, Literal("b")))
    store.replace_graphs({G1: data})
    bound = {"this": str(X)}
    projected = store.select(f"SELECT ?this ?o WHERE {{ ?this <{P}> ?o }}", bound)
    assert [(r["this"]["value"], r["o"]["value"]) for r in projected] == [(str(X), "a")]
    unprojected = store.select(f"SELECT ?o WHERE {{ ?this <{P}> ?o }}", bound)
    assert [r["o"]["value"] for r in unprojected] == ["a"]
    counted = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?this <{P}> ?o }}", bound)
    assert int(counted[0]["n"]["value"]) == 1
    assert store.ask(f"ASK {{ ?this <{P}> 'b' }}", bound) is False
    with pytest.raises(QueryError, match="absolute IRI"):
        store.select(f"SELECT ?o WHERE {{ ?this <{P}> ?o }}", {"this": "no iri"})


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_query_results_in_every_format(store: Store, fmt: str) -> None:
    store.replace_graphs({G1: graph("a"), G2: graph("b")})
    answer = store.query(f"SELECT ?o WHERE {{ ?s <{P}> ?o }} ORDER BY ?o", result_format=fmt)
    assert answer.kind == "select"
    assert answer.media_type.startswith({"json": "application/sparql-results+json",
                                         "xml": "application/sparql-results+xml", "csv": "text/csv",
                                         "tsv": "text/tab-separated-values"}[fmt])
    if fmt == "csv":
        assert list(csv.reader(io.StringIO(answer.body.decode()))) == [["o"], ["a"], ["b"]]
        return
    parsed = ox.parse_query_results(answer.body, format={
        "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}[fmt])
    assert [s["o"].value for s in parsed] == ["a", "b"]
    ask = store.query(f"ASK {{ ?s <{P}> 'a' }}", result_format=fmt)
    assert ask.kind == "ask"
    if fmt == "json":
        assert json.loads(ask.body)["boolean"] is True


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "rdfxml", "trig"])
def test_query_graphs_in_every_format(store: Store, fmt: str) -> None:
    store.replace_graphs({G1: graph("a"), G2: graph("b")})
    answer = store.query(f"CONSTRUCT {{ ?s <{P}> ?o }} WHERE {{ ?s <{P}> ?o }}", graph_format=fmt)
    assert answer.kind == "graph"
    rdflib_format = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "trig": "trig"}[fmt]
    assert isomorphic(Graph().parse(data=answer.body, format=rdflib_format), graph("a", "b"))


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "turtle", "ntriples"])
def test_answers_are_cut_to_the_row_cap(store: Store, fmt: str) -> None:
    store.replace_graphs({G1: graph("a", "b", "c"), G2: graph("d")})
    graph_format = fmt in ("turtle", "ntriples")
    query = (f"CONSTRUCT {{ ?s <{P}> ?o }} WHERE {{ ?s <{P}> ?o }}" if graph_format
             else f"SELECT ?o WHERE {{ ?s <{P}> ?o }} ORDER BY ?o")
    cut = execute(store, query, fmt=fmt, max_rows=2)
    whole = execute(store, query, fmt=fmt, max_rows=4)
    assert cut.truncated and not whole.truncated
    if graph_format:
        counts = [len(Graph().parse(data=a.body, format="nt" if fmt == "ntriples" else fmt)) for a in (cut, whole)]
    elif fmt == "json":
        counts = [len(json.loads(a.body)["results"]["bindings"]) for a in (cut, whole)]
    elif fmt == "xml":
        counts = [a.body.count(b"<result>") for a in (cut, whole)]
    else:
        counts = [len(list(csv.reader(io.StringIO(a.body.decode()), delimiter="," if fmt == "csv" else "\t"))) - 1
                  for a in (cut, whole)]
    assert counts == [2, 4]


def test_an_update_writes_only_the_graphs_it_changes(store: Store) -> None:
    store.replace_graphs({G1: graph("a"), G2: graph("b")})
    update = f"DELETE DATA {{ GRAPH <{G1}> {{ <{X}> <{P}> 'a' }} }} ; INSERT DATA {{ GRAPH <{G1}> {{ <{X}> <{P}> 'z' }} }}"
    assert apply_update(store, update, IriMinter()) == [str(G1)]
    assert objects(store) == {"z", "b"}
    assert apply_update(store, f"INSERT DATA {{ GRAPH <{G2}> {{ <{X}> <{P}> 'b' }} }}", IriMinter()) == []
    before = store.dump_nquads()
    event = f"<{EX}id/event/e> a <http://semanticweb.cs.vu.nl/2009/11/sem/Event>"  # no label, type or time
    with pytest.raises(UpdateInvalid, match="SHACL"):
        apply_update(store, f"INSERT DATA {{ GRAPH <{G2}> {{ {event} }} }}", IriMinter())
    assert store.dump_nquads() == before


def test_default_and_named_graphs(store: Store) -> None:
    store.replace_graphs({G1: graph("a"), G2: graph("b")})
    only_one = store.query(f"SELECT ?o WHERE {{ ?s <{P}> ?o }}", default_graphs=[str(G1)])
    assert [b["o"]["value"] for b in json.loads(only_one.body)["results"]["bindings"]] == ["a"]
    named = store.query(f"SELECT ?g ?o WHERE {{ GRAPH ?g {{ ?s <{P}> ?o }} }}", default_graphs=[str(G1)],
                        named_graphs=[str(G2)])
    rows = [(b["g"]["value"], b["o"]["value"]) for b in json.loads(named.body)["results"]["bindings"]]
    assert rows == [(str(G2), "b")]


def test_graph_graph_names_dump_and_reload(store: Store, tmp_path: Path) -> None:
    store.replace_graphs({G1: graph("a", "é\n\"quoted\""), G2: graph("c")})
    assert isomorphic(store.graph(str(G1)), graph("a", "é\n\"quoted\""))
    assert store.graph_names() == [str(G1), str(G2)]
    dumped = store.dump_nquads()
    with EmbeddedStore.open_writer(tmp_path / "reloaded") as copy:
        dataset = ox.Dataset(ox.parse(dumped, format=ox.RdfFormat.N_QUADS))
        copy.replace_graphs({URIRef(g): Graph().parse(data=ox.serialize(
            (q.triple for q in dataset if q.graph_name.value == g), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
            for g in (str(G1), str(G2))})
        assert copy.dump_nquads() == dumped
    assert store.last_modified().year >= 2024


# -- the seed KB on every backend --------------------------------------------------------------


def test_the_corpus_is_the_same_on_every_backend(location: str, seed_store: EmbeddedStore, seed_store_path: Path,
                                                minter, monkeypatch: pytest.MonkeyPatch) -> None:
    """data/ built once on each backend (sending the corpus to a server is the slow step), then
    read back: the same dataset, pages around a server's row cap, the same web app answers and
    the same answers to the query library."""
    build(DEFAULT_DATA_DIR, location, minter)
    with open_store(location) as store:
        got, expected = store.dump_nquads().splitlines(), seed_store.dump_nquads().splitlines()
        if location.endswith("/sparql"):  # leave out the calendar durations, on both sides
            lost = {tuple(q.split(b" ", 2)[:2]) for q in expected if CALENDAR_DURATION.search(q)}
            assert lost, "the seed KB no longer has a calendar duration: drop this exception"
            expected = [q for q in expected if not CALENDAR_DURATION.search(q)]
            got = [q for q in got if not (tuple(q.split(b" ", 2)[:2]) in lost and b"#duration>" in q)]
            numeric = {q.split(b" ", 1)[0] for q in got if b" <http://www.w3.org/2006/time#hasDuration> " in q}
            assert {subject for subject, _ in lost} <= numeric  # their length kept as a number of units
        assert got == expected
        assert store.graph_names() == seed_store.graph_names()
    if location.startswith("http"):
        _pages_around_the_row_cap(location, seed_store, monkeypatch)
    web_answers = [_web_app_answers(where) for where in (str(seed_store_path), location)]
    with open_store(location) as store:
        library = {name: (_rows(store, text), _rows(seed_store, text)) for name in LIBRARY
                   for text in [(ONTOLOGY_DIR / "queries" / name).read_text(encoding="utf-8")]}
    if location.endswith("/sparql"):
        pytest.xfail(VIRTUOSO_AGGREGATES)
    assert web_answers[1] == web_answers[0]
    for name, (got_rows, expected_rows) in library.items():
        assert got_rows == expected_rows, name


def test_whole_store_validation_runs_on_every_backend(location: str, seed_only_data: Path, minter) -> None:
    """In worker processes where they can open the store (an embedded one, queried in place), in
    one process on the in-memory copy of a server's data; the same lines either way."""
    if location.endswith("/sparql"):
        pytest.skip("Virtuoso drops the seed's calendar durations (see test_the_corpus_is_the_same_on_every_backend)")
    build(seed_only_data, location, minter)
    one, two = (validate_store(location, minter, workers=n) for n in (1, 2))
    assert one.violations == two.violations == {}
    assert (one.processes, two.processes) == ((1, 2) if location.endswith("store") else (1, 1))


def _rows(store: Store, text: str) -> list[tuple]:
    results = json.loads(store.query(text, result_format="json").body)
    return sorted(tuple(sorted((k, v["value"], v.get("datatype", ""), v.get("xml:lang", "")) for k, v in row.items()))
                  for row in results["results"]["bindings"])


def _web_app_answers(where: str) -> tuple[object, list[str]]:
    """The web app's timeline (as JSON) and its answer to the library's meetings query, over a store."""
    client = create_app({"TESTING": True, "KB_STORE": where}).test_client()
    timeline = client.get("/", headers={"Accept": "application/json"})
    assert timeline.status_code == 200, timeline.text[:500]
    query = (ONTOLOGY_DIR / "queries" / "meetings.rq").read_text(encoding="utf-8")
    sparql = client.post("/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert sparql.status_code == 200, sparql.text[:500]
    rows = sparql.get_json()["results"]["bindings"]
    return _json_of(timeline), sorted(json.dumps(r, sort_keys=True) for r in rows)


def _json_of(response) -> object:
    return response.get_json() if response.is_json else response.text


# -- Virtuoso's row cap ------------------------------------------------------------------------


def _without_calendar_durations(got: Graph, expected: Graph) -> tuple[Graph, Graph]:
    """Both graphs less the durations that count years or months in ``expected``, which Virtuoso
    cannot keep (:data:`CALENDAR_DURATION`): it gives back another duration in their place."""
    lost = {(s, p) for s, p, o in expected if CALENDAR_DURATION.search(o.n3().encode("utf-8"))}
    kept = []
    for graph in (got, expected):
        trimmed = Graph()
        for s, p, o in graph:
            if not ((s, p) in lost and str(getattr(o, "datatype", "")).endswith("#duration")):
                trimmed.add((s, p, o))
        kept.append(trimmed)
    return kept[0], kept[1]


def _pages_around_the_row_cap(location: str, seed_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server's reads of more rows than its cap come in pages; a user's query is said to be cut."""
    with monkeypatch.context() as patched:
        patched.setenv("KB_STORE_MAX_ROWS", "500")
        with open_store(location) as store:
            article = next(g for g in store.graph_names() if "/graph/article/" in g)
            assert len(store.graph(article)) > 500  # paged in several requests
            assert isomorphic(*_without_calendar_durations(store.graph(article), seed_store.graph(article)))
            triples = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{article}> {{ ?s ?p ?o }} }}"
            assert len(store.select(triples)) == len(seed_store.select(triples)) > 500  # the store's own read: paged
            with pytest.raises(StoreError, match="cap"):  # a user's query: said to be cut, never cut silently
                store.query(triples)


def test_remote_errors_name_the_server_but_never_the_password(monkeypatch) -> None:
    monkeypatch.setenv("KB_STORE_PASSWORD", "s3cret-password")
    monkeypatch.setenv("KB_STORE_USER", "someone")
    store = open_store("http://127.0.0.1:9/query")
    with pytest.raises(StoreError) as caught:
        store.select("SELECT * WHERE { ?s ?p ?o }")
    assert "127.0.0.1:9" in str(caught.value)
    assert "s3cret" not in str(caught.value) and "s3cret" not in repr(store)
