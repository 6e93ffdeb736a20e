"""The VoID description of the KB: what the dataset holds, under which terms, and where to get it.

The document is ``{base}.well-known/void``; the dataset it describes is ``{base}.well-known/void#dataset``.
Counts are over the named graphs (the KB has no default-graph triples): ``void:triples`` counts
the quads, as the N-Quads dump does; ``void:entities`` counts the distinct subjects under the
``void:uriSpace`` (``{base}id/``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, RDFS, VOID

from kb.describe import ReadableStore
from kb.namespaces import OA, PEACE, PREFIXES, SCHEMA, SEM, sparql_prefixes

LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
RIGHTS = (
    "The knowledge base's own data (facts, annotations, gazetteer) is published under CC BY 4.0. "
    "The texts of the source articles, quoted as evidence, remain their publishers'."
)
#: The classes whose instances VoID counts in a class partition, with the partition's fragment.
MAIN_CLASSES: dict[str, URIRef] = {
    "class-sem-Event": SEM.Event,
    "class-sem-Actor": SEM.Actor,
    "class-sem-Place": SEM.Place,
    "class-schema-NewsArticle": SCHEMA.NewsArticle,
    "class-peace-Precondition": PEACE.Precondition,
    "class-peace-QuantityObservation": PEACE.QuantityObservation,
    "class-peace-Report": PEACE.Report,
    "class-org-Membership": ORG.Membership,
    "class-oa-Annotation": OA.Annotation,
}
#: The formats every resource is served in (W3C format IRIs).
FEATURES = ("Turtle", "N-Triples", "JSON-LD", "RDF_XML")
EXAMPLE_EVENTS = 3

_COUNTS = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects)
  (COUNT(DISTINCT ?o) AS ?objects) (COUNT(DISTINCT ?p) AS ?properties)
WHERE { GRAPH ?g { ?s ?p ?o } }"""
# ?space is substituted with the uriSpace as an IRI; its STR() is the prefix.
_ENTITIES = """SELECT ?space (COUNT(DISTINCT ?s) AS ?n)
WHERE { GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(?space))) } GROUP BY ?space"""
_CLASSES = "SELECT (COUNT(DISTINCT ?class) AS ?n) WHERE { GRAPH ?g { ?s a ?class } }"
_PARTITIONS = """SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
WHERE { VALUES ?class { %s } GRAPH ?g { ?s a ?class } } GROUP BY ?class"""
_TERMS = "SELECT DISTINCT ?term WHERE { GRAPH ?g { { ?s ?term ?o } UNION { ?s a ?term } } }"
_GRAPHS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
_ARTICLES = """SELECT ?article ?title ?publisher ?name WHERE {
  ?article a schema:NewsArticle .
  OPTIONAL { ?article dcterms:title|schema:headline ?title }
  OPTIONAL { ?article schema:publisher ?publisher OPTIONAL { ?publisher rdfs:label ?name } }
} ORDER BY ?article"""
_EVENTS = f"SELECT ?event WHERE {{ ?event a sem:Event }} ORDER BY ?event LIMIT {EXAMPLE_EVENTS}"


def void_iri(base: str) -> str:
    """The IRI of the VoID document."""
    return f"{base}.well-known/void"


def dataset_iri(base: str) -> str:
    """The IRI of the dataset the VoID document describes."""
    return f"{void_iri(base)}#dataset"


def void_description(
    store: ReadableStore, base: str, modified: datetime, dumps: Sequence[str] = ()
) -> Graph:
    """The VoID description of the KB under ``base``.

    ``modified`` is when the store was last written; ``dumps`` names the dump files that exist
    (each served at ``{base}dumps/{name}``).
    """
    doc, dataset = URIRef(void_iri(base)), URIRef(dataset_iri(base))
    g = Graph()
    g.bind("void", VOID)
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.add((doc, RDF.type, VOID.DatasetDescription))
    g.add((doc, DCTERMS.title, Literal("VoID description of the Afghan peace process knowledge base", lang="en")))
    g.add((doc, FOAF.primaryTopic, dataset))

    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal("Afghan peace process knowledge base", lang="en")))
    g.add((dataset, DCTERMS.description, Literal(
        "Events, actors, proposals, preconditions and statements of the Afghan peace process, "
        "extracted from news articles; every fact is linked to its article and quoted evidence.", lang="en")))
    g.add((dataset, DCTERMS.license, LICENSE))
    g.add((dataset, DCTERMS.rights, Literal(RIGHTS, lang="en")))
    g.add((dataset, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.dateTime)))
    publisher = URIRef(f"{doc}#publisher")
    g.add((dataset, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, FOAF.name, Literal("peace-kb team")))
    g.add((publisher, RDFS.label, Literal("peace-kb team")))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}sparql")))
    g.add((dataset, VOID.uriSpace, Literal(f"{base}id/")))
    for feature in FEATURES:
        g.add((dataset, VOID.feature, URIRef(f"http://www.w3.org/ns/formats/{feature}")))
    for name in dumps:
        g.add((dataset, VOID.dataDump, URIRef(f"{base}dumps/{name}")))

    _add_statistics(g, store, dataset, base)
    _add_sources(g, store, dataset)
    for row in store.select(sparql_prefixes() + _EVENTS):
        g.add((dataset, VOID.exampleResource, URIRef(row["event"]["value"])))
    for row in store.select(_GRAPHS):
        subset = URIRef(row["g"]["value"])
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, _integer(row["n"])))
    return g


def _add_statistics(g: Graph, store: ReadableStore, dataset: URIRef, base: str) -> None:
    counts = store.select(_COUNTS)[0]
    g.add((dataset, VOID.triples, _integer(counts["triples"])))
    g.add((dataset, VOID.distinctSubjects, _integer(counts["subjects"])))
    g.add((dataset, VOID.distinctObjects, _integer(counts["objects"])))
    g.add((dataset, VOID.properties, _integer(counts["properties"])))
    entities = store.select(_ENTITIES, {"space": f"{base}id/"})
    g.add((dataset, VOID.entities, _integer(entities[0]["n"]) if entities else Literal(0)))
    g.add((dataset, VOID.classes, _integer(store.select(_CLASSES)[0]["n"])))

    fragments = {iri: fragment for fragment, iri in MAIN_CLASSES.items()}
    values = " ".join(f"<{iri}>" for iri in MAIN_CLASSES.values())  # fixed IRIs, not input
    for row in store.select(_PARTITIONS % values):
        cls = URIRef(row["class"]["value"])
        partition = URIRef(f"{void_iri(base)}#{fragments[cls]}")
        g.add((dataset, VOID.classPartition, partition))
        g.add((partition, VOID["class"], cls))
        g.add((partition, VOID.entities, _integer(row["n"])))

    for namespace in sorted({_namespace(row["term"]["value"]) for row in store.select(_TERMS)}):
        g.add((dataset, VOID.vocabulary, URIRef(namespace)))


def _add_sources(g: Graph, store: ReadableStore, dataset: URIRef) -> None:
    """Each article is a source and a root resource, with its title and publisher."""
    for row in store.select(sparql_prefixes() + _ARTICLES):
        article = URIRef(row["article"]["value"])
        g.add((dataset, DCTERMS.source, article))
        g.add((dataset, VOID.rootResource, article))
        if "title" in row:
            g.add((article, DCTERMS.title, Literal(row["title"]["value"], lang=row["title"].get("xml:lang"))))
        if "publisher" in row:
            publisher = URIRef(row["publisher"]["value"])
            g.add((article, DCTERMS.publisher, publisher))
            if "name" in row:
                g.add((publisher, RDFS.label, Literal(row["name"]["value"], lang=row["name"].get("xml:lang"))))


def _namespace(term: str) -> str:
    """The namespace of a term: its IRI up to the last '#' or '/'."""
    cut = max(term.rfind("#"), term.rfind("/"))
    return term[: cut + 1]


def _integer(term: dict[str, str]) -> Literal:
    return Literal(int(term["value"]))
