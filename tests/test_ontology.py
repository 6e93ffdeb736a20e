"""The ontology files: they parse, document every term, and agree with docs/model.md.

docs/model.md is the contract for the data model; these tests keep the OWL ontology, the event-type
scheme and the JSON-LD context from drifting away from it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
MODEL_MD = ROOT / "docs" / "model.md"

PEACE = Namespace("https://peacekb.example/ontology#")
ETYPE = Namespace("https://peacekb.example/event-type/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
PROV = Namespace("http://www.w3.org/ns/prov#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ONTOLOGY_IRI = URIRef("https://peacekb.example/ontology")
SCHEME = ETYPE["scheme"]

DECLARATION_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
    SKOS.Concept,
    SKOS.ConceptScheme,
}


@pytest.fixture(scope="module")
def peace() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "peace.ttl", format="turtle")


@pytest.fixture(scope="module")
def etypes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "event-types.ttl", format="turtle")


@pytest.fixture(scope="module")
def model_text() -> str:
    return MODEL_MD.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads((ONTOLOGY_DIR / "context.jsonld").read_text(encoding="utf-8"))


def _paragraph(text: str, start: str) -> str:
    """The paragraph of model.md that begins with ``start`` (up to the next blank line)."""
    index = text.find(start)
    assert index >= 0, f"model.md no longer has a paragraph starting {start!r}"
    end = text.find("\n\n", index)
    return text[index : end if end >= 0 else len(text)]


def _peace_terms(text: str) -> set[URIRef]:
    return {PEACE[name] for name in re.findall(r"peace:([A-Za-z]+)", text)}


def _superclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    return set(graph.transitive_objects(cls, RDFS.subClassOf)) - {cls}


def _en(values) -> list[Literal]:
    return [v for v in values if isinstance(v, Literal) and v.language == "en"]


# --- peace.ttl --------------------------------------------------------------------------------


def test_ontology_header(peace: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in peace
    assert _en(peace.objects(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/title")))
    created = peace.value(ONTOLOGY_IRI, URIRef("http://purl.org/dc/terms/created"))
    assert created is not None and created.datatype == XSD.date
    assert peace.value(ONTOLOGY_IRI, OWL.versionInfo) is not None
    assert set(peace.objects(ONTOLOGY_IRI, RDFS.seeAlso))


def test_no_blank_nodes(peace: Graph, etypes: Graph) -> None:
    for graph in (peace, etypes):
        for triple in graph:
            assert not any(isinstance(term, BNode) for term in triple), f"blank node in {triple}"


def test_every_peace_subject_is_documented(peace: Graph) -> None:
    subjects = {s for s in peace.subjects() if str(s).startswith(str(PEACE))}
    assert len(subjects) > 100
    problems = []
    for subject in sorted(subjects):
        labels = _en(peace.objects(subject, RDFS.label))
        if len(labels) != 1:
            problems.append(f"{subject}: {len(labels)} English labels")
        if not _en(peace.objects(subject, RDFS.comment)):
            problems.append(f"{subject}: no English comment")
        if (subject, RDFS.isDefinedBy, ONTOLOGY_IRI) not in peace:
            problems.append(f"{subject}: no rdfs:isDefinedBy the ontology")
        if not set(peace.objects(subject, RDF.type)) & DECLARATION_TYPES:
            problems.append(f"{subject}: not declared as a class, property or concept")
    assert not problems, "\n".join(problems)


def test_every_peace_term_in_model_md_is_declared(peace: Graph, model_text: str) -> None:
    mentioned = _peace_terms(model_text)
    assert len(mentioned) > 50
    declared = {s for s in peace.subjects(RDF.type) if set(peace.objects(s, RDF.type)) & DECLARATION_TYPES}
    missing = sorted(str(term) for term in mentioned - declared)
    assert not missing, f"terms used in docs/model.md but not declared in peace.ttl: {missing}"


def test_every_peace_term_used_in_event_types_is_declared(peace: Graph, etypes: Graph) -> None:
    used = {t for triple in etypes for t in triple if str(t).startswith(str(PEACE))}
    undeclared = sorted(str(t) for t in used if (t, RDF.type, None) not in peace)
    assert not undeclared


def test_role_properties_are_sub_properties_of_has_actor(peace: Graph, model_text: str) -> None:
    roles = _peace_terms(_paragraph(model_text, "Role properties"))
    assert len(roles) >= 10
    for role in roles:
        assert (role, RDF.type, OWL.ObjectProperty) in peace, role
        assert SEM.hasActor in set(peace.transitive_objects(role, RDFS.subPropertyOf)), role


def test_responds_to_is_a_prov_relation(peace: Graph) -> None:
    assert (PEACE.respondsTo, RDFS.subPropertyOf, PROV.wasInformedBy) in peace


def test_event_classes_are_sem_events(peace: Graph, model_text: str) -> None:
    paragraph = _paragraph(model_text, "Event classes")
    classes = _peace_terms(paragraph) - {PEACE.Event}
    assert len(classes) >= 15
    assert SEM.Event in _superclasses(peace, PEACE.Event)
    for cls in classes:
        assert (cls, RDF.type, OWL.Class) in peace, cls
        assert PEACE.Event in _superclasses(peace, cls), cls


@pytest.mark.parametrize(
    ("start", "stop", "root"),
    [("Actor classes", "Place classes", SEM.Actor), ("Place classes", None, SEM.Place)],
)
def test_actor_and_place_classes(peace: Graph, model_text: str, start, stop, root) -> None:
    paragraph = _paragraph(model_text, start)
    if stop:
        paragraph = paragraph[: paragraph.find(stop)]
    classes = _peace_terms(paragraph)
    assert len(classes) >= 4
    for cls in classes:
        assert (cls, RDF.type, OWL.Class) in peace, cls
        assert root in _superclasses(peace, cls), cls


def test_status_scheme_matches_model_md(peace: Graph, model_text: str) -> None:
    sentence = _paragraph(model_text, "`peace:status` takes").split(".")[0]
    listed = _peace_terms(sentence) - {PEACE.status, PEACE.StatusScheme}
    in_scheme = set(peace.subjects(SKOS.inScheme, PEACE.StatusScheme))
    assert listed and listed == in_scheme


def test_concepts_and_schemes(peace: Graph) -> None:
    schemes = set(peace.subjects(RDF.type, SKOS.ConceptScheme))
    assert {PEACE.StatusScheme, PEACE.AssertionScheme} <= schemes
    concepts = set(peace.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 20
    for concept in concepts:
        in_schemes = set(peace.objects(concept, SKOS.inScheme))
        assert len(in_schemes) == 1 and in_schemes <= schemes, concept
        assert len(_en(peace.objects(concept, SKOS.prefLabel))) == 1, concept
        assert _en(peace.objects(concept, SKOS.definition)), concept
    for scheme in schemes:
        assert set(peace.subjects(SKOS.inScheme, scheme)), f"{scheme} has no concepts"


# --- event-types.ttl --------------------------------------------------------------------------


def test_event_type_roots(etypes: Graph) -> None:
    roots = set(etypes.subjects(SKOS.topConceptOf, SCHEME))
    assert set(etypes.objects(SCHEME, SKOS.hasTopConcept)) == roots
    notations = sorted(str(etypes.value(root, SKOS.notation)) for root in roots)
    assert notations == [f"{n:02d}" for n in range(1, 21)]
    for root in roots:
        assert str(root) == str(ETYPE[f"cameo-{etypes.value(root, SKOS.notation)}"])
        assert etypes.value(root, SKOS.broader) is None


def test_every_event_type_is_complete(etypes: Graph) -> None:
    concepts = set(etypes.subjects(RDF.type, SKOS.Concept))
    roots = set(etypes.subjects(SKOS.topConceptOf, SCHEME))
    assert len(concepts - roots) >= 20
    problems = []
    for concept in sorted(concepts):
        name = str(concept)[len(str(ETYPE)) :]
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
            problems.append(f"{concept}: local name is not lowercase-hyphen")
        if (concept, SKOS.inScheme, SCHEME) not in etypes:
            problems.append(f"{concept}: not in etype:scheme")
        if len(_en(etypes.objects(concept, SKOS.prefLabel))) != 1:
            problems.append(f"{concept}: needs one English prefLabel")
        if not _en(etypes.objects(concept, SKOS.definition)):
            problems.append(f"{concept}: no English definition")
        notations = list(etypes.objects(concept, SKOS.notation))
        if len(notations) != 1 or not re.fullmatch(r"\d{2,4}", str(notations[0])):
            problems.append(f"{concept}: notation {notations} is not one digit string")
            continue
        if notations[0].datatype is not None:
            problems.append(f"{concept}: notation should be a plain string")
        if concept in roots:
            continue
        broader = list(etypes.objects(concept, SKOS.broader))
        if len(broader) != 1 or broader[0] not in roots:
            problems.append(f"{concept}: broader {broader} is not one root concept")
        elif str(etypes.value(broader[0], SKOS.notation)) != str(notations[0])[:2]:
            problems.append(f"{concept}: code {notations[0]} is not under root {broader[0]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("statement", "010"),
        ("visit", "042"),
        ("meeting", "044"),
        ("negotiation", "046"),
        ("agreement", "057"),
        ("ceasefire", "0871"),
        ("withdrawal", "0874"),
        ("rejection", "120"),
        ("stall", "164"),
        ("bombing", "183"),
    ],
)
def test_cameo_codes(etypes: Graph, name: str, code: str) -> None:
    assert str(etypes.value(ETYPE[name], SKOS.notation)) == code


def test_event_classes_have_event_types(peace: Graph, etypes: Graph) -> None:
    event_classes = {
        cls
        for cls in peace.subjects(RDF.type, OWL.Class)
        if PEACE.Event in _superclasses(peace, cls)
    }
    linked = set(etypes.objects(None, PEACE.eventClass))
    assert linked <= event_classes, linked - event_classes
    assert event_classes <= linked, f"event classes without an event type: {event_classes - linked}"


# --- context.jsonld ---------------------------------------------------------------------------


def _model_namespaces(model_text: str) -> dict[str, str]:
    table = _paragraph(model_text, "| prefix | IRI |")
    rows = re.findall(r"^\|\s*`([A-Za-z]+):`\s*\|\s*`([^`]+)`\s*\|", table, flags=re.M)
    return dict(rows)


def test_context_prefixes_match_model_md(context: dict, model_text: str) -> None:
    namespaces = _model_namespaces(model_text)
    assert len(namespaces) >= 10 and namespaces["peace"] == str(PEACE)
    ctx = context["@context"]
    assert ctx["@version"] == 1.1
    for prefix, iri in namespaces.items():
        assert ctx.get(prefix) == iri, prefix


def test_context_peace_terms_are_declared(context: dict, peace: Graph) -> None:
    ctx = context["@context"]
    namespaces = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}
    for term, definition in ctx.items():
        iri = definition["@id"] if isinstance(definition, dict) else definition
        if term.startswith("@") or term in namespaces or iri.startswith("@"):
            continue
        prefix, _, local = iri.partition(":")
        assert prefix in namespaces, f"{term}: {iri} uses an unknown prefix"
        full = URIRef(namespaces[prefix] + local)
        if prefix == "peace":
            assert (full, RDF.type, None) in peace, f"{term} maps to undeclared {full}"


def test_context_expands_a_small_document(context: dict) -> None:
    document = {
        "@context": context["@context"],
        "@id": "https://peacekb.example/id/event/seed/visit",
        "@type": ["peace:Visit", "Event"],
        "label": "Khalilzad arrives in Kabul",
        "eventType": "etype:visit",
        "visitor": "https://peacekb.example/id/actor/khalilzad",
        "status": "peace:Occurred",
        "timeDescription": {
            "@id": "https://peacekb.example/id/time/seed/visit",
            "anchorDate": "2019-12-04",
            "precision": "time:unitDay",
        },
    }
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    event = URIRef("https://peacekb.example/id/event/seed/visit")
    time_ = URIRef("https://peacekb.example/id/time/seed/visit")
    assert (event, RDF.type, PEACE.Visit) in graph
    assert (event, RDF.type, SEM.Event) in graph
    assert (event, RDFS.label, Literal("Khalilzad arrives in Kabul", lang="en")) in graph
    assert (event, SEM.eventType, ETYPE.visit) in graph
    assert (event, PEACE.visitor, URIRef("https://peacekb.example/id/actor/khalilzad")) in graph
    assert (event, PEACE.status, PEACE.Occurred) in graph
    assert (event, PEACE.time, time_) in graph
    assert (time_, PEACE.anchorDate, Literal("2019-12-04", datatype=XSD.date)) in graph
    assert (time_, PEACE.precision, URIRef("http://www.w3.org/2006/time#unitDay")) in graph
