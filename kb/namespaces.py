"""The vocabularies the KB writes, and the minting of its own IRIs.

IRIs are minted from ids written in the gazetteer and the annotations, so a rebuild from the
same data gives the same IRIs.
"""

from __future__ import annotations

import re

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

DEFAULT_BASE_IRI = "https://peacekb.example/"

PEACE = Namespace("https://peacekb.example/ontology#")
ETYPE = Namespace("https://peacekb.example/event-type/")
KBSHAPE = Namespace("https://peacekb.example/shapes#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, Namespace] = {
    "peace": PEACE,
    "etype": ETYPE,
    "kbshape": KBSHAPE,
    "sem": SEM,
    "prov": PROV,
    "time": TIME,
    "org": ORG,
    "skos": SKOS,
    "schema": SCHEMA,
    "oa": OA,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "wd": WD,
}

# No dots: a suffix such as ".ttl" on an IRI's path names a document format (docs/architecture.md).
_LOCAL_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_local_id(value: str) -> bool:
    """Whether ``value`` is a valid id for minting: lowercase letters and digits joined by '-'."""
    return bool(_LOCAL_ID.match(value))


def sparql_prefixes() -> str:
    """The PREFIX lines for every namespace above, for queries and the query page."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


class IriMinter:
    """Mints the KB's IRIs under one base IRI (the ``KB_BASE_IRI`` setting).

    >>> m = IriMinter("https://peacekb.example/")
    >>> str(m.fact("event", "seed", "visit"))
    'https://peacekb.example/id/event/seed/visit'
    """

    def __init__(self, base: str = DEFAULT_BASE_IRI) -> None:
        if not base.endswith("/"):
            base += "/"
        self.base = Namespace(base)

    def actor(self, actor_id: str):
        return self.base[f"id/actor/{actor_id}"]

    def place(self, place_id: str):
        return self.base[f"id/place/{place_id}"]

    def post(self, post_id: str):
        return self.base[f"id/post/{post_id}"]

    def role(self, role_id: str):
        return self.base[f"id/role/{role_id}"]

    def article(self, article_id: str):
        return self.base[f"id/article/{article_id}"]

    def fact(self, kind: str, article_id: str, fact_id: str):
        return self.base[f"id/{kind}/{article_id}/{fact_id}"]

    def article_graph(self, article_id: str):
        return self.base[f"graph/article/{article_id}"]

    @property
    def gazetteer_graph(self):
        return self.base["graph/gazetteer"]

    @property
    def ontology_graph(self):
        return self.base["graph/ontology"]
