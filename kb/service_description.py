"""The SPARQL 1.1 Service Description of the ``/sparql`` endpoint.

What a client learns from a GET of the endpoint without a query: the endpoint's address, that it
answers SPARQL 1.1 Query (and not Update), every result format of :data:`kb.sparql.FORMATS` by its
W3C format IRI, that its default graph is the union of the named graphs
(``sd:UnionDefaultGraph``), and its default dataset: the default graph and each named graph.

>>> from rdflib import URIRef
>>> g = service_description("http://127.0.0.1:5000/sparql", ["https://peacekb.example/graph/gazetteer"])
>>> (None, SD.name, URIRef("https://peacekb.example/graph/gazetteer")) in g
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF

from kb.sparql import FORMATS

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS_NS = "http://www.w3.org/ns/formats/"

#: The W3C format IRI (http://www.w3.org/ns/formats/) of each format of :data:`kb.sparql.FORMATS`.
FORMAT_IRIS: dict[str, URIRef] = {
    name: URIRef(FORMATS_NS + local)
    for name, local in {
        "json": "SPARQL_Results_JSON",
        "xml": "SPARQL_Results_XML",
        "csv": "SPARQL_Results_CSV",
        "tsv": "SPARQL_Results_TSV",
        "turtle": "Turtle",
        "ntriples": "N-Triples",
        "jsonld": "JSON-LD",
        "rdfxml": "RDF_XML",
        "trig": "TriG",
    }.items()
}

_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


class SelectableStore(Protocol):
    """What :func:`graph_names` needs from a store (see :meth:`kb.store.EmbeddedStore.select`)."""

    def select(self, query: str, substitutions: object = None) -> list[dict]: ...


def graph_names(store: SelectableStore) -> list[str]:
    """The IRIs of the store's named graphs, sorted (one SELECT, so any store backend answers it)."""
    return [row["g"]["value"] for row in store.select(_GRAPHS)]


def service_description(endpoint: str, graphs: Iterable[str]) -> Graph:
    """The service description of the endpoint at ``endpoint`` (an absolute URL) over ``graphs``.

    The service is the endpoint's IRI itself; its default dataset is a blank node.

    :raises KeyError: a format of :data:`kb.sparql.FORMATS` has no W3C format IRI here.
    """
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS_NS)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in (f for kind in FORMATS.values() for f in kind):
        g.add((service, SD.resultFormat, FORMAT_IRIS[fmt.name]))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default_graph = BNode()
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    for iri in graphs:
        named = BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(iri)))
    return g
