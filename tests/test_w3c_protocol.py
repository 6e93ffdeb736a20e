"""The W3C SPARQL 1.1 Protocol test suite (w3c/rdf-tests, sparql/sparql11/protocol) against /sparql.

The manifest and its data files are read from ``shared/w3c/sparql11-protocol`` beside the
project's clone (the module is skipped, saying so, when that folder is absent). Each test's
``ht:Request`` nodes become HTTP requests (method, ``ht:absolutePath`` with ``/sparql/`` mapped
to our ``/sparql``, headers, body in its ``cnt:characterEncoding``) sent with http.client to a
real waitress server over an embedded store holding the test's ``ut:graphData``: each data file
loaded as a named graph under its ``rdfs:label`` IRI. Every answer is checked against the
manifest: ``mf:expectedStatus`` (the status class, 2xx/3xx or 4xx), ``mf:expectedFormat``
(``tabular``: a SPARQL results format; ``boolean``: SPARQL results JSON or XML carrying a
boolean; ``RDF``: an RDF media type whose body parses) and ``mf:expectedBoolean``.

Query tests, all run as the manifest says (20):
    query_post_form, query_dataset_default_graphs_get, query_dataset_default_graphs_post,
    query_dataset_named_graphs_post, query_dataset_named_graphs_get, query_dataset_full,
    query_multiple_dataset, query_get, query_content_type_select, query_content_type_ask,
    query_content_type_describe, query_content_type_construct, query_post_direct,
    bad_query_method, bad_multiple_queries, bad_query_wrong_media_type,
    bad_query_missing_form_type, bad_query_missing_direct_type, bad_query_non_utf8,
    bad_query_syntax (the last seven are the malformed-query tests: 4xx expected).

Update tests, not run as the manifest says: the update endpoint is off unless KB_UPDATE_TOKEN is
set (issue 4 item 3; tests/test_sparql_update.py tests it on), and these requests carry no bearer
token. Instead each one's update request must be refused:
    update_dataset_default_graph, update_dataset_default_graphs, update_dataset_named_graphs,
    update_dataset_full, update_post_form, update_post_direct, update_base_uri,
    bad_update_get, bad_multiple_updates, bad_update_non_utf8, bad_update_syntax,
    bad_update_dataset_conflict: 403 (the manifest expects 2xx for the first seven).
    bad_update_wrong_media_type, bad_update_missing_form_type: 415, which is the manifest's 4xx.
    Their body is an update sent as ``text/plain`` or without a Content-Type; the endpoint
    checks the media type before reading a body, so it cannot (and should not guess to) tell an
    update from any other text there.
The follow-up ASK requests of the update_* tests are sent too, and must answer ``false``:
what the refused update would have written is not there.

Deviation on the default graph: our endpoint's default graph is the union of the named graphs
unless the protocol (``default-graph-uri`` / ``named-graph-uri``) or the query (``FROM`` /
``FROM NAMED``) gives a dataset. The data is therefore loaded only as named graphs, never into
the store's own default graph; no query test of this manifest reads the default graph without
giving a dataset, so none depends on the difference.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from kb.sparql import FORMATS
from kb.store import EmbeddedStore
from webapp_support import Reply, http_request, live_server, make_app

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "sparql11-protocol"
if not (SUITE / "manifest.ttl").is_file():
    pytest.skip(
        f"the W3C protocol suite is not at {SUITE} (shared/w3c/sparql11-protocol beside the clone)",
        allow_module_level=True,
    )

# rdflib's own parsers use its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
MANIFEST_NS = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"

STATUS_CLASSES = {HTS.StatusCode2xx: 2, HTS.StatusCode3xx: 3, HTS.StatusCode4xx: 4, HTS.StatusCode5xx: 5}
RESULT_TYPES = {m for f in FORMATS["results"] for m in f.media_types}
GRAPH_TYPES = {m for f in FORMATS["graph"] for m in f.media_types}
RDFLIB_PARSERS = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
}
#: Update tests whose request our endpoint cannot recognise as an update (see the docstring).
UNRECOGNISED_UPDATES = {"bad_update_wrong_media_type": 415, "bad_update_missing_form_type": 415}


@dataclass(frozen=True)
class Request:
    """One ht:Request and the ht:Response expected for it."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    status_classes: frozenset[int]
    expected_format: str | None
    expected_boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    graph_data: tuple[tuple[str, Path], ...]  # (graph IRI, data file)
    requests: tuple[Request, ...]

    @property
    def is_update(self) -> bool:
        return "update" in self.name  # update_*, bad_update_*, bad_multiple_updates


def _request(manifest: Graph, node) -> Request:
    path = str(manifest.value(node, HT.absolutePath))
    assert path.startswith("/sparql/"), path
    headers = tuple(
        (str(manifest.value(h, HT.fieldName)), str(manifest.value(h, HT.fieldValue)))
        for h in Collection(manifest, manifest.value(node, HT.headers) or RDF.nil)
    )
    body_node = manifest.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(manifest.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(manifest.value(body_node, CNT.chars)).encode(encoding)
    response = manifest.value(node, HT.resp)
    expected_boolean = manifest.value(response, MF.expectedBoolean)
    expected_format = manifest.value(response, MF.expectedFormat)
    return Request(
        method=str(manifest.value(node, HT.methodName)),
        path="/sparql" + path[len("/sparql/"):],
        headers=headers,
        body=body,
        status_classes=frozenset(STATUS_CLASSES[s] for s in manifest.objects(response, MF.expectedStatus)),
        expected_format=str(expected_format) if expected_format is not None else None,
        expected_boolean=expected_boolean.toPython() if expected_boolean is not None else None,
    )


def read_manifest() -> list[ProtocolTest]:
    """The manifest's tests, in its mf:entries order."""
    manifest = Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=(SUITE / "manifest.ttl").as_uri())
    root = next(manifest.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(manifest, manifest.value(root, MF.entries)):
        assert str(entry).startswith(MANIFEST_NS), entry
        graph_data = tuple(
            sorted(
                (str(manifest.value(d, RDFS.label)), Path(url2pathname(urlsplit(manifest.value(d, UT.graph)).path)))
                for d in manifest.objects(entry, UT.graphData)
            )
        )
        action = manifest.value(entry, MF.action)
        requests = tuple(_request(manifest, r) for r in Collection(manifest, manifest.value(action, HT.requests)))
        tests.append(ProtocolTest(str(entry)[len(MANIFEST_NS):], str(manifest.value(entry, MF.name)), graph_data, requests))
    return tests


TESTS = read_manifest()
QUERY_TESTS = [t for t in TESTS if not t.is_update]
UPDATE_TESTS = [t for t in TESTS if t.is_update]


# -- servers, one per set of graph data ---------------------------------------------------------


@pytest.fixture(scope="module")
def server_for(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[ProtocolTest], str]]:
    """A function giving the base URL of a live server whose store holds a test's ut:graphData."""
    servers: dict[tuple[tuple[str, Path], ...], str] = {}
    with ExitStack() as stack:

        def server(test: ProtocolTest) -> str:
            if test.graph_data not in servers:
                store_dir = tmp_path_factory.mktemp("w3c") / "store"
                graphs = {URIRef(iri): Graph().parse(path, format="nt") for iri, path in test.graph_data}
                with EmbeddedStore.open_writer(store_dir) as writer:
                    if graphs:
                        writer.replace_graphs(graphs)
                servers[test.graph_data] = stack.enter_context(live_server(make_app(store_dir)))
            return servers[test.graph_data]

        yield server


def send(base_url: str, request: Request) -> Reply:
    return http_request(base_url + request.path, request.method, request.body, dict(request.headers))


# -- checking an answer against the manifest ----------------------------------------------------


def check(reply: Reply, request: Request) -> None:
    detail = f"{request.method} {request.path} -> {reply.status} {reply.media_type}: {reply.body[:300]!r}"
    assert reply.status // 100 in request.status_classes, detail
    if request.expected_format == "tabular":
        assert reply.media_type in RESULT_TYPES, detail
        _parse_results(reply)
    elif request.expected_format == "boolean":
        assert reply.media_type in RESULT_TYPES, detail
        assert isinstance(_parse_results(reply), ox.QueryBoolean), detail
    elif request.expected_format == "RDF":
        assert reply.media_type in GRAPH_TYPES, detail
        Graph().parse(data=reply.body, format=RDFLIB_PARSERS[reply.media_type])
    elif request.expected_format is not None:
        raise AssertionError(f"unknown mf:expectedFormat {request.expected_format!r}")
    if request.expected_boolean is not None:
        assert bool(_parse_results(reply)) is request.expected_boolean, detail


def _parse_results(reply: Reply):
    if reply.media_type == "text/csv":  # pyoxigraph reads no CSV; a SELECT answer has a header row
        assert reply.text.splitlines()[0], reply.text
        return None
    return ox.parse_query_results(reply.body, ox.QueryResultsFormat.from_media_type(reply.media_type))


# -- the tests ----------------------------------------------------------------------------------


def test_the_manifest_is_read_whole():
    assert len(TESTS) == 34
    assert len(QUERY_TESTS) == 20 and len(UPDATE_TESTS) == 14
    assert all(t.requests for t in TESTS)


@pytest.mark.parametrize("test", QUERY_TESTS, ids=[t.name for t in QUERY_TESTS])
def test_query(test: ProtocolTest, server_for):
    base_url = server_for(test)
    for request in test.requests:
        check(send(base_url, request), request)


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t.name for t in UPDATE_TESTS])
def test_update_is_refused(test: ProtocolTest, server_for):
    base_url = server_for(test)
    update, *follow_ups = test.requests
    reply = send(base_url, update)
    expected = UNRECOGNISED_UPDATES.get(test.name, 403)
    assert reply.status == expected, f"{reply.status}: {reply.body[:300]!r}"
    if expected == 403:
        assert "update" in reply.text.lower()
    for request in follow_ups:  # the ASKs that would see the update's effect
        reply = send(base_url, request)
        assert reply.status == 200, reply.text
        assert json.loads(reply.body)["boolean"] is False


# -- beyond the manifest: the service description and the dataset rules it relies on -------------

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
DATA1, DATA2, DATA3 = (f"http://kasei.us/2009/09/sparql/data/data{i}.rdf" for i in (1, 2, 3))
FULL_DATA = next(t for t in TESTS if t.name == "query_dataset_full")  # data1, data2 and data3


@pytest.mark.parametrize(
    ("accept", "media_type", "rdflib_format"),
    [
        (None, "text/turtle", "turtle"),
        ("*/*", "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/trig", "application/trig", "trig"),
    ],
)
def test_get_without_query_answers_the_service_description(server_for, accept, media_type, rdflib_format):
    base_url = server_for(FULL_DATA)
    reply = http_request(f"{base_url}/sparql", headers={"Accept": accept} if accept else {})
    assert reply.status == 200, reply.text
    assert reply.media_type == media_type
    assert "Accept" in reply.headers["Vary"]
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    g = Graph().parse(data=reply.body, format=rdflib_format)
    service = URIRef(f"{base_url}/sparql")
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.endpoint, service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    assert set(g.objects(service, SD.resultFormat)) == {
        W3C_FORMATS[local]
        for local in (
            "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
            "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG",
        )
    }
    dataset = g.value(service, SD.defaultDataset)
    assert (dataset, RDF.type, SD.Dataset) in g
    assert (g.value(dataset, SD.defaultGraph), RDF.type, SD.Graph) in g
    named = {g.value(n, SD.name) for n in g.objects(dataset, SD.namedGraph)}
    assert named == {URIRef(DATA1), URIRef(DATA2), URIRef(DATA3)}
    assert all((n, RDF.type, SD.NamedGraph) in g for n in g.objects(dataset, SD.namedGraph))


def test_every_format_of_the_table_has_a_w3c_format_iri():
    from kb.service_description import FORMAT_IRIS

    assert {f.name for kind in FORMATS.values() for f in kind} <= set(FORMAT_IRIS)


def test_a_browser_still_gets_the_query_page(server_for):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    reply = http_request(f"{server_for(FULL_DATA)}/sparql", headers={"Accept": browser})
    assert reply.status == 200
    assert reply.media_type == "text/html"
    assert "<textarea" in reply.text


def test_get_without_query_but_with_protocol_parameters_is_400(server_for):
    base_url = server_for(FULL_DATA)
    assert http_request(f"{base_url}/sparql?default-graph-uri={DATA1}").status == 400
    assert http_request(f"{base_url}/sparql", headers={"Accept": "application/sparql-results+json"}).status == 400


def _ask(base_url: str, query: str, url_params: str = "") -> bool:
    reply = http_request(
        f"{base_url}/sparql{url_params}", "POST", query.encode(), {"Content-Type": "application/sparql-query"}
    )
    assert reply.status == 200, reply.text
    return json.loads(reply.body)["boolean"]


def test_the_querys_from_clauses_set_the_dataset(server_for):
    base_url = server_for(FULL_DATA)
    assert _ask(base_url, f"ASK {{ <{DATA1}> a ?t }}")  # the union default graph
    assert not _ask(base_url, f"ASK FROM <{DATA3}> {{ <{DATA1}> a ?t }}")
    assert _ask(base_url, f"ASK FROM <{DATA3}> {{ <{DATA3}> a ?t }}")
    assert not _ask(base_url, f"ASK FROM <{DATA3}> {{ GRAPH ?g {{ ?s ?p ?o }} }}")  # no named graphs
    assert _ask(base_url, f"ASK FROM NAMED <{DATA1}> {{ GRAPH <{DATA1}> {{ ?s ?p ?o }} }}")
    assert not _ask(base_url, f"ASK FROM NAMED <{DATA1}> {{ GRAPH <{DATA2}> {{ ?s ?p ?o }} }}")
    assert not _ask(base_url, f"ASK FROM NAMED <{DATA1}> {{ ?s ?p ?o }}")  # an empty default graph
    # the protocol's dataset wins over the query's
    assert _ask(base_url, f"ASK FROM <{DATA3}> {{ <{DATA1}> a ?t }}", f"?default-graph-uri={DATA1}")


def test_named_graph_uri_alone_leaves_the_default_graph_empty(server_for):
    base_url = server_for(FULL_DATA)
    assert not _ask(base_url, "ASK { ?s ?p ?o }", f"?named-graph-uri={DATA1}")
    assert _ask(base_url, f"ASK {{ GRAPH <{DATA1}> {{ ?s ?p ?o }} }}", f"?named-graph-uri={DATA1}")


def test_relative_iris_resolve_against_the_endpoint(server_for):
    base_url = server_for(FULL_DATA)
    reply = http_request(
        f"{base_url}/sparql", "POST", b"CONSTRUCT { <s> <p> 1 } WHERE {}",
        {"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
    )
    assert reply.status == 200, reply.text
    assert reply.text.startswith(f"<{base_url}/s> <{base_url}/p> ")
    # the syntax error's position is in the text as sent, not in the text with BASE added
    error = http_request(
        f"{base_url}/sparql", "POST", b"SELECT ?s WHERE { <s> ?p }",
        {"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    assert error.status == 400
    assert "1:27" in json.loads(error.body)["error"]["message"]  # line 1: BASE was added as a line 0
