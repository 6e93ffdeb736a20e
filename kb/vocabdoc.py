"""The project's vocabularies as published documents: their RDF, and their documentation data.

The ontology, the event-type scheme and the shapes each live in one Turtle file and are served at
their namespace IRIs (:data:`ONTOLOGY`, :data:`EVENT_TYPES`, :data:`SHAPES`) as RDF and as HTML.
What the HTML documentation shows is read from those files here, as plain dataclasses, so nothing
is written twice: terms with their labels and comments, and the links between them.

>>> locate("https://peacekb.example/event-type/visit") == (EVENT_TYPES, "visit")
True
>>> prefixed_name("http://semanticweb.cs.vu.nl/2009/11/sem/Event")
'sem:Event'
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, VANN
from rdflib.term import Node

from kb.config import ONTOLOGY_DIR
from kb.namespaces import ETYPE, KBSHAPE, PEACE, PREFIXES
from kb.ontology import load_shapes, load_vocabulary


@dataclass(frozen=True)
class VocabularyDocument:
    """One vocabulary: its Turtle file, its document IRI and the namespace of its terms."""

    filename: str
    iri: str
    namespace: str


ONTOLOGY = VocabularyDocument("peace.ttl", "https://peacekb.example/ontology", str(PEACE))
EVENT_TYPES = VocabularyDocument("event-types.ttl", str(ETYPE), str(ETYPE))
SHAPES = VocabularyDocument("shapes.ttl", "https://peacekb.example/shapes", str(KBSHAPE))
DOCUMENTS = (ONTOLOGY, EVENT_TYPES, SHAPES)

_PREFIXES = {**{p: str(ns) for p, ns in PREFIXES.items()}, "sh": str(SH), "vann": str(VANN)}


def locate(iri: str) -> tuple[VocabularyDocument, str] | None:
    """The vocabulary that defines ``iri`` and the term's local name ("" for the document)."""
    for document in DOCUMENTS:
        if iri == document.iri:
            return document, ""
        if iri.startswith(document.namespace) and len(iri) > len(document.namespace):
            return document, iri[len(document.namespace):]
    return None


def prefixed_name(iri: str) -> str:
    """``iri`` as ``prefix:local`` with the project's prefixes (and ``sh:``), else unchanged."""
    matches = [p for p, ns in _PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)]
    if not matches:
        return iri
    prefix = max(matches, key=lambda p: len(_PREFIXES[p]))
    return f"{prefix}:{iri[len(_PREFIXES[prefix]):]}"


@cache
def document_graph(document: VocabularyDocument) -> Graph:
    """The triples of one vocabulary file (parsed once per process)."""
    return Graph().parse(ONTOLOGY_DIR / document.filename, format="turtle")


def turtle(document: VocabularyDocument) -> bytes:
    """The Turtle file of ``document``, comments included."""
    return (ONTOLOGY_DIR / document.filename).read_bytes()


# -- documentation data -----------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A piece of text the pages show, linked to ``iri`` when it names a term."""

    text: str
    iri: str | None = None


@dataclass(frozen=True)
class Term:
    """A term: its IRI, prefixed name, local name (its anchor in the page), label and comment."""

    iri: str
    name: str
    local: str
    label: str
    comment: str


@dataclass(frozen=True)
class ClassDoc:
    term: Term
    superclasses: tuple[Link, ...]
    subclasses: tuple[Link, ...]
    event_types: tuple[Link, ...]  # the event-type concepts whose peace:eventClass this is


@dataclass(frozen=True)
class PropertyDoc:
    term: Term
    kind: str  # "object property", "datatype property", "annotation property"
    domains: tuple[Link, ...]
    ranges: tuple[Link, ...]
    superproperties: tuple[Link, ...]
    subproperties: tuple[Link, ...]


@dataclass(frozen=True)
class ConceptDoc:
    term: Term
    definition: str
    notation: str
    event_class: Link | None


@dataclass(frozen=True)
class SchemeDoc:
    term: Term
    concepts: tuple[ConceptDoc, ...]


@dataclass(frozen=True)
class OntologyDoc:
    iri: str
    title: str
    description: str
    version: str
    created: str
    prefix: str
    namespace: str
    see_also: tuple[Link, ...]
    classes: tuple[ClassDoc, ...]
    properties: tuple[PropertyDoc, ...]
    schemes: tuple[SchemeDoc, ...]
    individuals: tuple[Term, ...]  # named individuals outside any concept scheme


@dataclass(frozen=True)
class EventTypeGroup:
    """A CAMEO root category and the event types under it, ordered by notation."""

    root: ConceptDoc
    types: tuple[ConceptDoc, ...]


@dataclass(frozen=True)
class EventTypesDoc:
    scheme: Term
    description: str
    created: str
    see_also: tuple[Link, ...]
    groups: tuple[EventTypeGroup, ...]


@dataclass(frozen=True)
class Target:
    """What a shape applies to: ``kind`` ("instances of", "objects of" ...) and a term or a query."""

    kind: str
    term: Link | None = None
    select: str | None = None


@dataclass(frozen=True)
class Constraint:
    """A parameter of a shape (``sh:minCount``) and its value, written as in Turtle."""

    parameter: Link
    value: tuple[Link, ...]


@dataclass(frozen=True)
class ShapeDoc:
    """A shape; ``term`` is None for a property shape written inline in another shape."""

    term: Term | None
    kind: str  # "node shape", "property shape", "SPARQL constraint"
    targets: tuple[Target, ...]
    path: tuple[Link, ...]
    constraints: tuple[Constraint, ...]
    inline_properties: tuple[ShapeDoc, ...]
    select: str
    message: str
    used_by: tuple[Link, ...]


@dataclass(frozen=True)
class ShapesDoc:
    iri: str
    label: str
    comment: str
    node_shapes: tuple[ShapeDoc, ...]
    property_shapes: tuple[ShapeDoc, ...]
    sparql_constraints: tuple[ShapeDoc, ...]


_PROPERTY_KINDS = {
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
}
_SHAPE_KINDS = {
    SH.NodeShape: "node shape",
    SH.PropertyShape: "property shape",
    SH.SPARQLConstraint: "SPARQL constraint",
}
_TARGETS = {
    SH.targetClass: "instances of",
    SH.targetNode: "the node",
    SH.targetSubjectsOf: "subjects of",
    SH.targetObjectsOf: "objects of",
}
# Shown other than as constraints: the path, the message, targets, queries and their prefixes.
_NOT_CONSTRAINTS = {SH.path, SH.message, SH.select, SH.prefixes, SH.target, *_TARGETS}


@cache
def ontology_doc() -> OntologyDoc:
    """The documentation of ``peace.ttl`` (cross-linked with the event types)."""
    g = load_vocabulary().graph
    header = URIRef(ONTOLOGY.iri)
    own = sorted({s for s in g.subjects(RDF.type, None) if _defines(ONTOLOGY, s)}, key=_local)
    return OntologyDoc(
        iri=ONTOLOGY.iri,
        title=_text(g, header, DCTERMS.title),
        description=_text(g, header, DCTERMS.description),
        version=_text(g, header, OWL.versionInfo),
        created=_text(g, header, DCTERMS.created),
        prefix=_text(g, header, VANN.preferredNamespacePrefix),
        namespace=_text(g, header, VANN.preferredNamespaceUri),
        see_also=_links(g.objects(header, RDFS.seeAlso)),
        classes=tuple(
            ClassDoc(
                _term(g, c),
                superclasses=_links(g.objects(c, RDFS.subClassOf)),
                subclasses=_links(g.subjects(RDFS.subClassOf, c)),
                event_types=_links(g.subjects(PEACE.eventClass, c)),
            )
            for c in own
            if (c, RDF.type, OWL.Class) in g
        ),
        properties=tuple(
            PropertyDoc(
                _term(g, p),
                kind=next(k for t, k in _PROPERTY_KINDS.items() if (p, RDF.type, t) in g),
                domains=_links(g.objects(p, RDFS.domain)),
                ranges=_links(g.objects(p, RDFS.range)),
                superproperties=_links(g.objects(p, RDFS.subPropertyOf)),
                subproperties=_links(g.subjects(RDFS.subPropertyOf, p)),
            )
            for p in own
            if any((p, RDF.type, t) in g for t in _PROPERTY_KINDS)
        ),
        schemes=tuple(
            SchemeDoc(_term(g, s), _concepts(g, g.subjects(SKOS.inScheme, s)))
            for s in own
            if (s, RDF.type, SKOS.ConceptScheme) in g
        ),
        individuals=tuple(
            _term(g, i)
            for i in own
            if (i, RDF.type, OWL.NamedIndividual) in g and (i, SKOS.inScheme, None) not in g
        ),
    )


@cache
def event_types_doc() -> EventTypesDoc:
    """The documentation of ``event-types.ttl``: CAMEO root categories and their event types."""
    g = load_vocabulary().graph
    scheme = ETYPE.scheme
    roots = _concepts(g, g.objects(scheme, SKOS.hasTopConcept))
    return EventTypesDoc(
        scheme=_term(g, scheme),
        description=_text(g, scheme, DCTERMS.description),
        created=_text(g, scheme, DCTERMS.created),
        see_also=_links(g.objects(scheme, RDFS.seeAlso)),
        groups=tuple(
            EventTypeGroup(root, _concepts(g, g.subjects(SKOS.broader, URIRef(root.term.iri))))
            for root in roots
        ),
    )


@cache
def event_type_names() -> frozenset[str]:
    """The local names under ``/event-type/``: the scheme and its concepts."""
    g = document_graph(EVENT_TYPES)
    return frozenset(_local(s) for s in g.subjects(RDF.type, None) if _defines(EVENT_TYPES, s))


@cache
def shapes_doc() -> ShapesDoc:
    """The documentation of ``shapes.ttl``: every named shape with its targets, constraints and message."""
    g = load_shapes()
    header = URIRef(SHAPES.iri)
    named = sorted({s for s in g.subjects(RDF.type, None) if _defines(SHAPES, s)}, key=_local)
    docs = [_shape(g, s) for s in named if any((s, RDF.type, t) in g for t in _SHAPE_KINDS)]
    return ShapesDoc(
        iri=SHAPES.iri,
        label=_text(g, header, RDFS.label),
        comment=_text(g, header, RDFS.comment),
        node_shapes=tuple(d for d in docs if d.kind == _SHAPE_KINDS[SH.NodeShape]),
        property_shapes=tuple(d for d in docs if d.kind == _SHAPE_KINDS[SH.PropertyShape]),
        sparql_constraints=tuple(d for d in docs if d.kind == _SHAPE_KINDS[SH.SPARQLConstraint]),
    )


# -- helpers ----------------------------------------------------------------------------------


def _defines(document: VocabularyDocument, node: Node) -> bool:
    found = locate(str(node)) if isinstance(node, URIRef) else None
    return found is not None and found[0] == document and found[1] != ""


def _local(node: Node) -> str:
    found = locate(str(node))
    return found[1] if found else str(node)


def _text(g: Graph, subject: Node, predicate: URIRef) -> str:
    """The value of ``predicate``, the English one if there are several; "" if none."""
    values = sorted(g.objects(subject, predicate), key=lambda v: (getattr(v, "language", None) != "en", str(v)))
    return str(values[0]) if values else ""


def _term(g: Graph, node: Node) -> Term:
    label = _text(g, node, SKOS.prefLabel) or _text(g, node, RDFS.label)
    return Term(str(node), prefixed_name(str(node)), _local(node), label, _text(g, node, RDFS.comment))


def _link(node: Node) -> Link:
    return Link(prefixed_name(str(node)), str(node))


def _links(nodes: Iterable[Node]) -> tuple[Link, ...]:
    return tuple(sorted({_link(n) for n in nodes if isinstance(n, URIRef)}, key=lambda link: link.text))


def _concepts(g: Graph, nodes: Iterable[Node]) -> tuple[ConceptDoc, ...]:
    """The concepts among ``nodes``, ordered by notation, then by local name."""
    docs = [
        ConceptDoc(
            _term(g, c),
            definition=_text(g, c, SKOS.definition),
            notation=_text(g, c, SKOS.notation),
            event_class=_link(cls) if (cls := g.value(c, PEACE.eventClass)) is not None else None,
        )
        for c in set(nodes)
    ]
    return tuple(sorted(docs, key=lambda d: (d.notation, d.term.local)))


def _shape(g: Graph, node: Node) -> ShapeDoc:
    """A shape, named or inline, described from its triples."""
    kinds = [k for t, k in _SHAPE_KINDS.items() if (node, RDF.type, t) in g]
    inline = sorted((p for p in g.objects(node, SH.property) if isinstance(p, BNode)), key=lambda p: _path_text(g, p))
    constraints = [
        Constraint(_link(p), _run(g, o))
        for p, o in g.predicate_objects(node)
        if str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS and not (p == SH.property and o in inline)
    ]
    targets = [Target(kind, term=_link(o)) for p, kind in _TARGETS.items() for o in g.objects(node, p)]
    targets += [Target("SPARQL query", select=_query(g, t)) for t in g.objects(node, SH.target)]
    path = g.value(node, SH.path)
    return ShapeDoc(
        term=_term(g, node) if isinstance(node, URIRef) else None,
        kind=kinds[0] if kinds else _SHAPE_KINDS[SH.PropertyShape],
        targets=tuple(sorted(targets, key=lambda t: (t.kind, t.term.text if t.term else ""))),
        path=_path(g, path) if path is not None else (),
        constraints=tuple(sorted(constraints, key=lambda c: (c.parameter.text, _plain(c.value)))),
        inline_properties=tuple(_shape(g, p) for p in inline),
        select=_query(g, node),
        message=_text(g, node, SH.message),
        used_by=_links(s for s, p in g.subject_predicates(node) if str(p).startswith(str(SH)))
        if isinstance(node, URIRef)
        else (),
    )


def _query(g: Graph, node: Node) -> str:
    return textwrap.dedent(_text(g, node, SH.select)).strip()


def _items(g: Graph, node: Node) -> list[Node] | None:
    """The members of the RDF list ``node``, or None if it is not a list."""
    if node == RDF.nil or (node, RDF.first, None) in g:
        return list(Collection(g, node))
    return None


def _joined(runs: Iterable[tuple[Link, ...]], separator: str) -> tuple[Link, ...]:
    pieces: list[Link] = []
    for run in runs:
        pieces += [Link(separator)] if pieces else []
        pieces += run
    return tuple(pieces)


def _path(g: Graph, node: Node) -> tuple[Link, ...]:
    """A SHACL path as in SPARQL: ``a / b`` for a sequence, ``a | b`` for alternatives."""
    if (items := _items(g, node)) is not None:
        return _joined((_path(g, i) for i in items), "/")
    alternatives = g.value(node, SH.alternativePath)
    if alternatives is not None and (items := _items(g, alternatives)) is not None:
        return _joined((_path(g, i) for i in items), "|")
    return _run(g, node)


def _path_text(g: Graph, node: Node) -> str:
    path = g.value(node, SH.path)
    return _plain(_path(g, path)) if path is not None else ""


def _run(g: Graph, node: Node) -> tuple[Link, ...]:
    """``node`` written as in Turtle, with prefixed names linked to their terms."""
    if isinstance(node, URIRef):
        return (_link(node),)
    if isinstance(node, Literal):
        return (Link(str(node)),)
    if (items := _items(g, node)) is not None:
        return (Link("("), *(piece for i in items for piece in _run(g, i)), Link(")"))
    pairs = sorted(g.predicate_objects(node), key=lambda po: (po[0] != SH.path, prefixed_name(str(po[0]))))
    return (Link("["), *_joined(((_link(p), *_run(g, o)) for p, o in pairs), ";"), Link("]"))


def _plain(run: tuple[Link, ...]) -> str:
    return " ".join(link.text for link in run)
