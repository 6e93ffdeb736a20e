"""The vocabularies at their namespace IRIs and the JSON-LD context, over a real WSGI server.

Expected values are read from the Turtle files themselves: the pages must show every term of
ontology/peace.ttl, event-types.ttl and shapes.ttl, and every RDF answer must be the same graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, SH, SKOS

from kb.config import ONTOLOGY_DIR
from kb.jsonld import load_context, serialize_jsonld
from kb.namespaces import ETYPE, KBSHAPE, PEACE
from kb.store import EmbeddedStore
from kb.vocabdoc import prefixed_name
from webapp_support import Reply, http_request, live_server, make_app

# rdflib's own parsers use its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
#: What rdflib's Graph().parse(url) sends when no format is given.
RDFLIB_ACCEPT = (
    "application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
    "application/n-quads, application/trix, application/trig"
)
#: (path, Turtle file, namespace of its terms)
VOCABULARIES = [
    ("/ontology", "peace.ttl", PEACE),
    ("/event-type/", "event-types.ttl", ETYPE),
    ("/shapes", "shapes.ttl", KBSHAPE),
]
#: (suffix, media type, rdflib parser)
RDF_FORMATS = [
    ("ttl", "text/turtle", "turtle"),
    ("nt", "application/n-triples", "nt"),
    ("rdf", "application/rdf+xml", "xml"),
    ("jsonld", "application/ld+json", "json-ld"),
]
ALL_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"
VOID_ELEMENTS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


@pytest.fixture(scope="module")
def server(seed_store_path: Path) -> Iterator[str]:
    with live_server(make_app(seed_store_path)) as url:
        yield url


def turtle_file(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


def get(url: str, accept: str | None = None, **headers: str) -> Reply:
    return http_request(url, headers={**({"Accept": accept} if accept else {}), **headers})


class Anchors(HTMLParser):
    """The elements of a page that have an id: their text, in document order; and every link."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: dict[str, str] = {}
        self.hrefs: list[str] = []
        self._open: list[tuple[str, str | None, list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])
        if tag in VOID_ELEMENTS:
            return
        ident = attributes.get("id")
        if ident is not None:
            assert ident not in self.text, f"two elements with id {ident!r}"
            self.text[ident] = ""  # keeps document order
        self._open.append((tag, ident, []))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            open_tag, ident, parts = self._open.pop()
            if ident is not None:
                self.text[ident] = " ".join("".join(parts).split())
            if open_tag == tag:
                return

    def handle_data(self, data: str) -> None:
        for _, _, parts in self._open:
            parts.append(data)


def page(server: str, path: str) -> Anchors:
    reply = get(server + path, BROWSER)
    assert reply.status == 200, reply.text
    assert reply.media_type == "text/html"
    return Anchors(reply.text)


def words(value: object) -> str:
    return " ".join(str(value).split())


def terms(graph: Graph, namespace: str) -> list[URIRef]:
    return sorted({s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and s.startswith(namespace)})


# -- HTML documentation ------------------------------------------------------------------------


def test_every_ontology_term_has_an_anchor_with_its_label_and_comment(server):
    anchors = page(server, "/ontology")
    graph = turtle_file("peace.ttl")
    documented = terms(graph, str(PEACE))
    assert len(documented) > 100
    for term in documented:
        local = term[len(PEACE):]
        assert local in anchors.text, f"no anchor {local!r}"
        for predicate in (RDFS.label, RDFS.comment):
            assert words(graph.value(term, predicate)) in anchors.text[local], (local, predicate)


def test_every_event_type_is_listed_with_its_notation_under_its_root_in_order(server):
    anchors = page(server, "/event-type/")
    graph = turtle_file("event-types.ttl")
    order = list(anchors.text)
    roots = sorted(graph.objects(ETYPE.scheme, SKOS.hasTopConcept), key=lambda r: str(graph.value(r, SKOS.notation)))
    assert [order.index(r[len(ETYPE):]) for r in roots] == sorted(order.index(r[len(ETYPE):]) for r in roots)
    assert "scheme" in anchors.text
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        local = concept[len(ETYPE):]
        assert words(graph.value(concept, SKOS.prefLabel)) in anchors.text[local], local
        assert str(graph.value(concept, SKOS.notation)) in anchors.text[local].split(), local
    for i, root in enumerate(roots):
        start = order.index(root[len(ETYPE):])
        end = order.index(roots[i + 1][len(ETYPE):]) if i + 1 < len(roots) else len(order)
        members = [c[len(ETYPE):] for c in graph.subjects(SKOS.broader, root)]
        positions = sorted(order.index(m) for m in members)
        assert all(start < p < end for p in positions), root
        notations = [str(graph.value(ETYPE[order[p]], SKOS.notation)) for p in positions]
        assert notations == sorted(notations), root


def test_every_shape_is_documented_with_its_targets_and_message(server):
    anchors = page(server, "/shapes")
    graph = turtle_file("shapes.ttl")
    text = " ".join(anchors.text.values())
    for message in graph.objects(None, SH.message):
        assert words(message) in text  # inline property shapes' messages too
    shapes = terms(graph, str(KBSHAPE))
    assert len(shapes) > 90
    for shape in shapes:
        local = shape[len(KBSHAPE):]
        documented = anchors.text[local]
        assert words(graph.value(shape, RDFS.label)) in documented, local
        for message in graph.objects(shape, SH.message):
            assert words(message) in documented, local
        for target in graph.objects(shape, SH.targetClass | SH.targetObjectsOf):
            assert prefixed_name(str(target)) in documented.split(), local


def test_terms_link_to_each_other_and_every_internal_link_lands_on_an_anchor(server):
    pages = {path: page(server, path) for path, _, _ in VOCABULARIES}
    visit = pages["/ontology"]
    assert "/ontology#Event" in visit.hrefs and "/event-type/#visit" in visit.hrefs  # Visit's superclass, event type
    assert "/ontology#Visit" in pages["/event-type/"].hrefs  # etype:visit's event class
    assert "/ontology#time" in pages["/shapes"].hrefs  # kbshape:TimeShape's target
    for path, anchors in pages.items():
        assert anchors.hrefs[0] == "#main"  # base.html's skip link to <main id="main">
        for link in anchors.hrefs[1:]:
            target, _, fragment = link.partition("#")
            if fragment and (target or path) in pages:
                assert fragment in pages[target or path].text, f"{path}: broken link {link}"


# -- RDF -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "filename", "namespace"), VOCABULARIES)
@pytest.mark.parametrize(("suffix", "media_type", "parser"), RDF_FORMATS)
def test_each_rdf_format_gives_the_turtle_files_graph(server, path, filename, namespace, suffix, media_type, parser):
    expected = turtle_file(filename)
    by_suffix = get(f"{server}{path.rstrip('/')}.{suffix}")
    negotiated = get(server + path, media_type)
    for reply in (by_suffix, negotiated):
        assert reply.status == 200, reply.text
        assert reply.media_type == media_type
        assert isomorphic(Graph().parse(data=reply.body, format=parser), expected)
    assert "Accept" in negotiated.headers["Vary"]


def test_jsonld_refers_to_the_published_context(server):
    document = json.loads(get(f"{server}/ontology.jsonld").body)
    assert document["@context"] == f"{server}/context.jsonld"
    visit = next(node for node in document["@graph"] if node["id"] == "peace:Visit")  # compact IRI
    assert visit["label"] == "Visit"  # a term of the context


def test_rdflib_dereferences_the_vocabulary_iris(server):
    assert isomorphic(Graph().parse(f"{server}/ontology"), turtle_file("peace.ttl"))
    assert isomorphic(Graph().parse(f"{server}/shapes"), turtle_file("shapes.ttl"))
    assert isomorphic(Graph().parse(f"{server}/event-type/visit"), turtle_file("event-types.ttl"))


def test_browsers_get_html_and_rdf_clients_turtle(server):
    assert get(f"{server}/ontology", BROWSER).media_type == "text/html"
    assert get(f"{server}/ontology", RDFLIB_ACCEPT).media_type == "text/turtle"
    assert get(f"{server}/ontology", "application/rdf+xml;q=0.5, text/turtle;q=0.9").media_type == "text/turtle"
    assert get(f"{server}/ontology", "image/png").status == 406


def test_an_event_type_iri_sees_other_to_its_entry_or_to_the_schemes_rdf(server):
    html = get(f"{server}/event-type/visit", BROWSER)
    assert html.status == 303
    assert urlsplit(html.headers["Location"]).path == "/event-type/"
    assert html.headers["Location"].endswith("#visit")
    rdf = get(f"{server}/event-type/visit", "text/turtle")
    assert (rdf.status, urlsplit(rdf.headers["Location"]).path) == (303, "/event-type.ttl")
    assert "Accept" in rdf.headers["Vary"]
    assert get(f"{server}/event-type/scheme", BROWSER).status == 303
    assert get(f"{server}/event-type/no-such-type", BROWSER).status == 404


@pytest.mark.parametrize("path", ["/ontology", "/event-type/", "/shapes.nt", "/context.jsonld"])
def test_etag_revalidation_and_cors(server, path):
    first = get(server + path, BROWSER)
    assert first.status == 200
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    etag = first.headers["ETag"]
    again = get(server + path, BROWSER, **{"If-None-Match": etag})
    assert (again.status, again.body) == (304, b"")


# -- the JSON-LD context -------------------------------------------------------------------------


def test_the_context_is_published(server):
    reply = get(f"{server}/context.jsonld")
    assert reply.status == 200
    assert reply.media_type == "application/ld+json"
    assert json.loads(reply.body) == load_context()
    assert load_context()["@context"]["peace"] == str(PEACE)


def test_jsonld_of_the_seed_kb_parses_back_to_the_same_graph(seed_store_path):
    answer = EmbeddedStore.open_reader(seed_store_path).query(ALL_TRIPLES, graph_format="ntriples")
    graph = Graph().parse(data=answer.body, format="nt")
    # terms such as "value" (peace:value, typed by precision) and "timeDescription" (peace:time)
    assert (None, PEACE.value, None) in graph and (None, PEACE.time, None) in graph
    document = json.loads(serialize_jsonld(graph))
    assert document["@context"] == load_context()["@context"]
    assert isomorphic(Graph().parse(data=json.dumps(document), format="json-ld"), graph)
    linked = json.loads(serialize_jsonld(graph, context_url="https://example.org/context.jsonld"))
    assert linked["@context"] == "https://example.org/context.jsonld"
    assert linked["@graph"] == document["@graph"]


def test_sparql_jsonld_answers_use_the_context(server):
    url = f"{server}/sparql?"
    jsonld = get(url + urlencode({"query": ALL_TRIPLES, "format": "jsonld"}))
    turtle = get(url + urlencode({"query": ALL_TRIPLES, "format": "ttl"}))
    assert jsonld.status == 200 and jsonld.media_type == "application/ld+json"
    document = json.loads(jsonld.body)
    assert document["@context"] == load_context()["@context"]
    assert any("eventType" in node for node in document["@graph"])  # compacted with its terms
    assert isomorphic(
        Graph().parse(data=jsonld.body, format="json-ld"), Graph().parse(data=turtle.body, format="turtle")
    )
