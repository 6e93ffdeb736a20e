"""Linked data over HTTP, with linked-data clients as users use them (rdflib, pyld, a crawler).

The seed article and two articles that report some of its events (``LINKED_SAMPLE``) are built
with the base IRI of a real waitress server on 127.0.0.1, so their IRIs dereference. A second server serves a KB with an extra graph: a replaced IRI and a label that
holds markup.
"""

from __future__ import annotations

import gzip
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import requests
from pyld import jsonld
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from kb.build import build
from kb.describe import describe
from kb.export import NQUADS, TRIG, dumps_dir
from kb.namespaces import SEM, IriMinter, sparql_prefixes
from kb.store import EmbeddedStore
from servers import free_port
from webapp_support import http_request, live_server
from webapp import create_app

ARTICLE_ID = "khalilzad-kabul-sahar-news"
RESOURCES = (
    "id/actor/taliban",
    f"id/event/{ARTICLE_ID}/khalilzad-arrives-in-kabul",
    f"id/article/{ARTICLE_ID}",
)
RDF_SUFFIXES = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}
#: rdflib's formats whose Accept header names a media type we serve (its "nt" asks for text/plain).
NEGOTIATED = ("turtle", "json-ld", "xml")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
SCRIPT = "<script>alert('x')</script> & co"

# rdflib's JSON-LD and N-Quads parsers use its own deprecated Dataset APIs; nothing to act on here.
pytestmark = pytest.mark.filterwarnings(r"ignore::DeprecationWarning:rdflib\..*")


@dataclass(frozen=True)
class Site:
    """A running server whose base IRI is its own address, and its store folder."""

    base: str
    store_path: Path

    def iri(self, path: str) -> str:
        return self.base + path

    def reader(self) -> EmbeddedStore:
        return EmbeddedStore.open_reader(self.store_path)


def _serve(data: Path, store_path: Path, tweak=None) -> Iterator[Site]:
    """Build ``data`` under the base of a free port (then ``tweak`` the store) and serve it there."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    build(data, str(store_path), IriMinter(base))
    if tweak:
        tweak(store_path, base)
    app = create_app({"TESTING": True, "KB_STORE": str(store_path), "KB_BASE_IRI": base})
    with live_server(app, port=port) as url:
        assert url + "/" == base
        yield Site(base, store_path)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, linked_sample_data: Path) -> Iterator[Site]:
    yield from _serve(linked_sample_data, tmp_path_factory.mktemp("linked") / "store")


def _add_extra_graph(store_path: Path, base: str) -> None:
    extra = Graph()
    extra.add((URIRef(base + "id/actor/old-taliban"), DCTERMS.isReplacedBy, URIRef(base + "id/actor/taliban")))
    extra.add((URIRef(base + "id/actor/markup"), RDF.type, SEM.Actor))
    extra.add((URIRef(base + "id/actor/markup"), RDFS.label, Literal(SCRIPT, lang="en")))
    with EmbeddedStore.open_writer(store_path) as writer:
        writer.replace_graphs({URIRef(base + "graph/extra"): extra})
    (dumps_dir(store_path) / TRIG).unlink()


@pytest.fixture(scope="module")
def tweaked(tmp_path_factory: pytest.TempPathFactory, linked_sample_data: Path) -> Iterator[Site]:
    yield from _serve(linked_sample_data, tmp_path_factory.mktemp("tweaked") / "store", _add_extra_graph)


# -- clients get the same triples in every format ----------------------------------------------


@pytest.mark.parametrize("path", RESOURCES)
def test_rdflib_follows_the_303_and_every_format_gives_the_same_triples(site: Site, path: str) -> None:
    iri = site.iri(path)
    negotiated = Graph().parse(iri)
    with site.reader() as store:
        assert isomorphic(negotiated, describe(store, iri))
    assert (URIRef(iri), RDF.type, None) in negotiated
    for suffix, fmt in RDF_SUFFIXES.items():
        assert isomorphic(Graph().parse(f"{iri}.{suffix}", format=fmt), negotiated), suffix
    for fmt in NEGOTIATED:
        assert isomorphic(Graph().parse(iri, format=fmt), negotiated), fmt


@pytest.mark.parametrize("path", RESOURCES)
def test_pyld_expands_the_json_ld_to_the_turtle_triples(site: Site, path: str) -> None:
    iri = site.iri(path)
    with requests.Session() as session:  # closed after, so the server can stop without waiting
        loader = jsonld.requests_document_loader(session=session, timeout=30)
        expanded = jsonld.expand(iri, {"documentLoader": loader})
    nquads = jsonld.to_rdf(expanded, {"format": "application/n-quads"})
    assert isomorphic(Graph().parse(data=nquads, format="nt"), Graph().parse(f"{iri}.ttl", format="turtle"))


def test_a_description_carries_neighbour_labels_and_provenance(site: Site) -> None:
    event = URIRef(site.iri(f"id/event/{ARTICLE_ID}/khalilzad-arrives-in-kabul"))
    evidence = URIRef(site.iri(f"id/evidence/{ARTICLE_ID}/khalilzad-arrives-in-kabul"))
    article = URIRef(site.iri(f"id/article/{ARTICLE_ID}"))
    graph = Graph().parse(str(event), format="turtle")
    assert graph.value(URIRef(site.iri("id/place/kabul")), RDFS.label) == Literal("Kabul", lang="en")
    assert graph.value(article, URIRef("https://schema.org/datePublished")) is not None
    assert graph.value(URIRef(f"{evidence}#quote"), URIRef("http://www.w3.org/ns/oa#exact")) == Literal(
        "Zalmay Khalilzad arrived in Kabul on Wednesday"
    )
    actor = Graph().parse(site.iri("id/actor/zalmay-khalilzad"), format="turtle")
    assert (event, SEM.hasActor, URIRef(site.iri("id/actor/zalmay-khalilzad"))) in actor  # inbound


def test_a_named_graph_answers_with_its_triples(site: Site) -> None:
    iri = site.iri(f"graph/article/{ARTICLE_ID}")
    reply = http_request(iri, headers={"Accept": "text/turtle"})
    assert reply.status == 200 and reply.media_type == "text/turtle"
    assert "Accept" in reply.headers["Vary"]
    assert reply.headers["Content-Location"] == f"/graph/article/{ARTICLE_ID}.ttl"
    with site.reader() as store:
        stored = store.graph(iri)
    assert isomorphic(Graph().parse(data=reply.text, format="turtle"), stored)
    assert isomorphic(Graph().parse(iri + ".nt", format="nt"), stored)


# -- a crawler reaches every actor and event from VoID -----------------------------------------


def test_a_crawler_from_void_reaches_every_actor_and_event(site: Site) -> None:
    with site.reader() as store:  # a crawl that fetches more documents than the KB names goes round in circles
        named = store.select("SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } FILTER(isIRI(?x)) }")
        documents = {row["x"]["value"].split("#")[0] for row in named} | set(store.graph_names())
    limit, fetched = len(documents) + 1, 0
    start = site.iri(".well-known/void")
    queue, seen = deque([start]), {start}
    while queue:
        assert fetched < limit, f"more than {limit} documents"
        graph = Graph().parse(queue.popleft())
        fetched += 1
        for node in {*graph.subjects(), *graph.objects()}:
            link = str(node).split("#")[0]
            if isinstance(node, URIRef) and link.startswith((site.iri("id/"), site.iri("graph/"))) and link not in seen:
                seen.add(link)
                queue.append(link)
    query = sparql_prefixes() + "SELECT DISTINCT ?x WHERE { { ?x a sem:Actor } UNION { ?x a sem:Event } }"
    with site.reader() as store:
        wanted = {row["x"]["value"] for row in store.select(query)}
    assert len(wanted) > 40
    assert wanted <= seen, sorted(wanted - seen)


# -- HTTP behaviour ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "suffix"),
    [
        (BROWSER, "html"),
        ("text/turtle", "ttl"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml;q=0.9, text/html;q=0.5", "rdf"),
        (None, "html"),
    ],
)
def test_an_iri_sees_other_by_accept(site: Site, accept: str | None, suffix: str) -> None:
    reply = http_request(site.iri("id/actor/taliban"), headers={"Accept": accept} if accept else {})
    assert reply.status == 303
    assert reply.headers["Location"] == f"/id/actor/taliban.{suffix}"
    assert "Accept" in reply.headers["Vary"]
    assert reply.headers["Access-Control-Allow-Origin"] == "*"


def test_an_unacceptable_accept_gets_406(site: Site) -> None:
    assert http_request(site.iri("id/actor/taliban"), headers={"Accept": "image/png"}).status == 406


@pytest.mark.parametrize("suffix", ["html", *RDF_SUFFIXES])
def test_documents_carry_validators_cors_and_links(site: Site, suffix: str) -> None:
    reply = http_request(site.iri(f"id/actor/taliban.{suffix}"))
    assert reply.status == 200
    assert reply.headers["ETag"] and reply.headers["Last-Modified"]
    with site.reader() as store:
        assert parsedate_to_datetime(reply.headers["Last-Modified"]) == store.last_modified()
    assert reply.headers["Access-Control-Allow-Origin"] == "*"
    link = reply.headers["Link"]
    assert '</.well-known/void#dataset>; rel="http://rdfs.org/ns/void#inDataset"' in link
    alternates = {s for s in ["html", *RDF_SUFFIXES] if f'</id/actor/taliban.{s}>; rel="alternate"' in link}
    expected = set() if suffix == "jsonld" else {"html", *RDF_SUFFIXES} - {suffix}
    assert alternates == expected


def test_revalidation_answers_304(site: Site) -> None:
    url = site.iri("id/actor/taliban.ttl")
    first = http_request(url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert http_request(url).headers["ETag"] == etag  # the same body, the same tag
    assert http_request(url, headers={"If-None-Match": etag}).status == 304
    assert http_request(url, headers={"If-Modified-Since": modified}).status == 304
    assert http_request(url, headers={"If-None-Match": '"something-else"'}).status == 200
    assert http_request(site.iri("id/actor/taliban.nt")).headers["ETag"] != etag


def test_an_unknown_iri_gets_a_helpful_404(site: Site) -> None:
    iri = site.iri("id/actor/nobody")
    page = http_request(iri, headers={"Accept": BROWSER})
    assert page.status == 404 and page.media_type == "text/html"
    assert iri in page.text
    assert 'href="/"' in page.text and 'href="/sparql"' in page.text and "/sparql?query=" in page.text
    assert http_request(iri, headers={"Accept": "text/turtle"}).status == 404
    assert http_request(iri + ".ttl").status == 404
    assert http_request(site.iri("graph/nothing")).status == 404


def test_the_html_page_shows_labels_evidence_and_formats(site: Site) -> None:
    page = http_request(site.iri(f"id/event/{ARTICLE_ID}/khalilzad-arrives-in-kabul.html")).text
    assert "<h1" in page and "Khalilzad arrives in Kabul" in page
    assert 'href="/id/place/kabul">Kabul</a>' in page  # IRIs under the base link to local pages
    assert "Zalmay Khalilzad arrived in Kabul on Wednesday" in page
    for suffix in RDF_SUFFIXES:
        assert f'href="/id/event/{ARTICLE_ID}/khalilzad-arrives-in-kabul.{suffix}"' in page
    assert 'href="/.well-known/void"' in page


def test_a_replaced_iri_redirects_permanently(tweaked: Site) -> None:
    old = tweaked.iri("id/actor/old-taliban")
    reply = http_request(old, headers={"Accept": "text/turtle"})
    assert reply.status == 301 and reply.headers["Location"] == "/id/actor/taliban"
    assert http_request(old + ".nt").headers["Location"] == "/id/actor/taliban.nt"
    followed = Graph().parse(old)
    assert (URIRef(tweaked.iri("id/actor/taliban")), RDF.type, SEM.Actor) in followed


def test_html_pages_escape_literals(tweaked: Site) -> None:
    page = http_request(tweaked.iri("id/actor/markup.html"))
    assert page.status == 200
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co" in page.text


# -- VoID and dumps ---------------------------------------------------------------------------


def _void(site: Site) -> tuple[Graph, URIRef]:
    return Graph().parse(site.iri(".well-known/void"), format="turtle"), URIRef(site.iri(".well-known/void#dataset"))


def _count(graph: Graph, dataset: URIRef, prop: URIRef) -> int:
    return int(graph.value(dataset, prop))


def test_void_numbers_equal_direct_counts(site: Site) -> None:
    void, dataset = _void(site)
    with site.reader() as store:
        quads = store.dump_nquads()
        modified = store.last_modified()
    kb = Dataset()
    kb.parse(data=quads.decode("utf-8"), format="nquads")
    triples = [(s, p, o) for s, p, o, _ in kb.quads((None, None, None, None))]
    subjects = {s for s, _, _ in triples}
    assert _count(void, dataset, VOID.triples) == len(quads.splitlines())
    assert _count(void, dataset, VOID.distinctSubjects) == len(subjects)
    assert _count(void, dataset, VOID.entities) == len({s for s in subjects if str(s).startswith(site.iri("id/"))})
    assert _count(void, dataset, VOID.classes) == len({o for _, p, o in triples if p == RDF.type})
    assert _count(void, dataset, VOID.properties) == len({p for _, p, _ in triples})
    for partition in void.objects(dataset, VOID.classPartition):
        cls = void.value(partition, VOID["class"])
        assert int(void.value(partition, VOID.entities)) == len({s for s, p, o in triples if p == RDF.type and o == cls})
    assert {void.value(p, VOID["class"]) for p in void.objects(dataset, VOID.classPartition)} >= {SEM.Event, SEM.Actor}
    assert void.value(dataset, DCTERMS.modified).toPython() == modified
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef(site.iri("sparql"))
    assert str(void.value(dataset, VOID.uriSpace)) == site.iri("id/")
    assert void.value(dataset, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert URIRef(site.iri(f"id/article/{ARTICLE_ID}")) in set(void.objects(dataset, DCTERMS.source))
    assert URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/") in set(void.objects(dataset, VOID.vocabulary))
    assert len(set(void.objects(dataset, VOID.exampleResource))) == 3


def test_void_links_the_dumps_that_exist(site: Site, tweaked: Site) -> None:
    void, dataset = _void(site)
    assert set(void.objects(dataset, VOID.dataDump)) == {URIRef(site.iri(f"dumps/{n}")) for n in (NQUADS, TRIG)}
    reply = http_request(site.iri(f"dumps/{NQUADS}"))
    assert reply.status == 200 and reply.media_type == "application/gzip"
    assert "Content-Encoding" not in reply.headers
    assert sorted(gzip.decompress(reply.body).splitlines()) == _nquads(site).splitlines()
    assert http_request(site.iri(f"dumps/{NQUADS}"), headers={"If-None-Match": reply.headers["ETag"]}).status == 304

    void, dataset = _void(tweaked)  # its TriG dump was removed
    assert set(void.objects(dataset, VOID.dataDump)) == {URIRef(tweaked.iri(f"dumps/{NQUADS}"))}
    assert http_request(tweaked.iri(f"dumps/{TRIG}")).status == 404


def _nquads(site: Site) -> bytes:
    with site.reader() as store:
        return store.dump_nquads()


def test_void_is_served_in_every_format_and_linked_from_every_page(site: Site) -> None:
    void, _ = _void(site)
    for suffix, fmt in RDF_SUFFIXES.items():
        assert isomorphic(Graph().parse(site.iri(f".well-known/void.{suffix}"), format=fmt), void), suffix
    page = http_request(site.iri(".well-known/void"), headers={"Accept": BROWSER})
    assert page.status == 200 and page.media_type == "text/html" and "Accept" in page.headers["Vary"]
    assert "Afghan peace process knowledge base" in page.text
    for path in ("", "sparql", "id/actor/taliban.html", f"graph/article/{ARTICLE_ID}.html"):
        assert 'href="/.well-known/void"' in http_request(site.iri(path), headers={"Accept": BROWSER}).text, path


def test_every_minted_iri_dereferences(site: Site) -> None:
    """Actors, places, posts, roles, articles, facts, evidence, time descriptions: every IRI the
    KB mints under {base}id/ answers 303 and then a Turtle document that describes it."""
    with site.reader() as reader:
        minted = {row["x"]["value"] for row in reader.select(
            "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?p ?x } FILTER(isIRI(?x)) }")}
    minted = sorted(x for x in minted if x.startswith(site.iri("id/")) and "#" not in x)
    kinds = {x[len(site.iri("id/")):].split("/")[0] for x in minted}
    assert kinds >= {"actor", "place", "post", "role", "article", "event", "precondition", "condition",
                     "quantity", "membership", "report", "evidence", "time"}
    for iri in minted:
        first = http_request(iri, headers={"Accept": "text/turtle"})
        assert first.status == 303, iri
        document = http_request(site.base.rstrip("/") + first.headers["Location"], headers={"Accept": "text/turtle"})
        assert document.status == 200, iri
        graph = Graph().parse(data=document.text, format="turtle")
        assert (URIRef(iri), None, None) in graph or (None, None, URIRef(iri)) in graph, iri
