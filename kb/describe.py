"""The description of one resource, as its dereferenced IRI answers it (fixed CONSTRUCT queries).

A description holds the resource's own triples (and those of its hash IRIs, ``<iri#quote>``), the
triples that point at it, the labels of its IRI neighbours, and the provenance of the resource as
a fact: the article it comes from (headline, publisher, date) and its evidence spans with their
selectors. The IRI reaches the store only as a query substitution, never as query text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Protocol

from rdflib import Graph

from kb.errors import KBError
from kb.namespaces import sparql_prefixes


class UnknownResource(KBError):
    """No triple in the KB has this IRI as subject or object."""

    def __init__(self, iri: str) -> None:
        super().__init__(f"the knowledge base has nothing about <{iri}>.")
        self.iri = iri


class ReadableStore(Protocol):
    """What describing needs from a store (see :class:`kb.store.EmbeddedStore`)."""

    def construct(self, query: str, substitutions: Mapping[str, str] | None = None) -> Graph: ...

    def select(self, query: str, substitutions: Mapping[str, str] | None = None) -> list[dict]: ...

    def ask(self, query: str, substitutions: Mapping[str, str] | None = None) -> bool: ...


# The parts of ?this: IRIs ``?this#...`` one or two links away (an evidence's #target, #quote, #position).
_PARTS = """
  ?this (!rdf:type)/((!rdf:type)?) ?part .
  FILTER(isIRI(?part) && STRSTARTS(STR(?part), CONCAT(STR(?this), "#")))
"""
_SOURCE_PROPERTIES = (
    "rdf:type, schema:headline, dcterms:title, schema:publisher, dcterms:publisher, "
    "schema:datePublished, schema:url"
)

#: One CONSTRUCT per part of a description; ``?this`` is the described IRI.
_DESCRIPTION = (
    # its own triples and those of its parts
    "CONSTRUCT { ?this ?p ?o } WHERE { ?this ?p ?o }",
    f"CONSTRUCT {{ ?part ?p ?o }} WHERE {{ {_PARTS} ?part ?p ?o }}",
    # the triples that point at it
    "CONSTRUCT { ?s ?p ?this } WHERE { ?s ?p ?this }",
    # its sources: the article (or report) a fact comes from
    f"""CONSTRUCT {{ ?source ?p ?o }} WHERE {{
      ?this prov:wasDerivedFrom|dcterms:isReferencedBy ?source .
      ?source ?p ?o .
      FILTER(?p IN ({_SOURCE_PROPERTIES})) }}""",
    # its evidence spans, with their parts (selectors)
    f"""CONSTRUCT {{ ?evidence ?p ?o . ?part ?q ?v }} WHERE {{
      ?this peace:evidence ?evidence .
      {{ ?evidence ?p ?o }}
      UNION {{ {_PARTS.replace("?this", "?evidence")} ?part ?q ?v }} }}""",
    # the labels of its IRI neighbours (and of its sources' publishers)
    f"""CONSTRUCT {{ ?n ?label ?text }} WHERE {{
      {{ SELECT DISTINCT ?this ?n WHERE {{
          {{ ?this ?p ?n }} UNION {{ ?n ?p ?this }}
          UNION {{ {_PARTS} ?part ?p ?n }}
          UNION {{ ?this prov:wasDerivedFrom|dcterms:isReferencedBy ?source .
                   ?source schema:publisher|dcterms:publisher ?n }}
          FILTER(isIRI(?n)) }} }}
      VALUES ?label {{ rdfs:label skos:prefLabel }}
      ?n ?label ?text }}""",
)
_REPLACED_BY = "SELECT ?this ?new WHERE { ?this dcterms:isReplacedBy ?new FILTER(isIRI(?new)) } ORDER BY ?new LIMIT 1"
_PREFIXES = sparql_prefixes()


def describe(store: ReadableStore, iri: str) -> Graph:
    """The description of ``iri``; an empty graph when the KB knows nothing about it.

    >>> describe(store, "https://peacekb.example/id/actor/taliban")  # doctest: +SKIP
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>

    :raises QueryError: ``iri`` is not an absolute IRI.
    """
    description = Graph()
    for query in _DESCRIPTION:
        description += store.construct(_PREFIXES + query, {"this": iri})
    return description


def lookup_query(iri: str) -> str:
    """A SPARQL query for the KB's IRIs that contain the last path segment of ``iri`` (for a 404 page).

    >>> print(lookup_query("https://peacekb.example/id/actor/talib").splitlines()[2])
      ?iri ?p ?o FILTER(isIRI(?iri) && CONTAINS(STR(?iri), "talib"))
    """
    segment = re.sub(r"[^A-Za-z0-9._-]", "", iri.rstrip("/").rpartition("/")[2])
    return (
        "SELECT DISTINCT ?iri ?label\nWHERE {\n"
        f'  ?iri ?p ?o FILTER(isIRI(?iri) && CONTAINS(STR(?iri), "{segment}"))\n'
        "  OPTIONAL { ?iri <http://www.w3.org/2000/01/rdf-schema#label> ?label }\n"
        "} ORDER BY ?iri LIMIT 100"
    )


def exists(store: ReadableStore, iri: str) -> bool:
    """Whether any triple has ``iri`` as subject or object.

    :raises QueryError: ``iri`` is not an absolute IRI.
    """
    return store.ask("ASK { { ?this ?p ?o } UNION { ?s ?p ?this } }", {"this": iri})


def replaced_by(store: ReadableStore, iri: str) -> str | None:
    """The IRI that replaces ``iri`` (``dcterms:isReplacedBy``, e.g. after a merge), or None.

    :raises QueryError: ``iri`` is not an absolute IRI.
    """
    rows = store.select(_PREFIXES + _REPLACED_BY, {"this": iri})
    return rows[0]["new"]["value"] if rows else None
