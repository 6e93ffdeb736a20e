"""The SHACL shapes (ontology/shapes.ttl) against the real seed data.

* The seed conforms.
* Every shape catches what it is meant to catch: each case in CASES copies the seed's article
  graph (merged with the gazetteer), breaks one constraint with a triple or two, validates with
  kb.validate.validate_graph, and expects every violation to carry the sh:message that
  shapes.ttl gives that constraint, and nothing else. Messages are read from shapes.ttl, so
  rewording a message never breaks a test; adding a shape without a case does.
* Validating an article with only the gazetteer entries it uses reports the same violations as
  validating it with the whole gazetteer.
* End to end: a copy of the seed annotation with one fact broken in a way only SHACL sees
  fails kb.build.convert_and_validate with the shape's message at the fact's file and line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SH

from kb.build import Dataset, Inputs, convert_and_validate
from kb.config import DEFAULT_DATA_DIR
from kb.errors import ValidationFailed
from kb.namespaces import KBSHAPE, OA, PEACE, SCHEMA, SEM, IriMinter
from kb.ontology import load_shapes
from kb.rdf import ArticleGraph
from kb.validate import merged, validate_article, validate_graph

# rdflib's own parsers use its deprecated ConjunctiveGraph internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

SEED_ANNOTATION = DEFAULT_DATA_DIR / "annotations" / "khalilzad-kabul-sahar-news.yaml"
ARTICLE_ID = "khalilzad-kabul-sahar-news"
M = IriMinter()
# Plain namespaces: rdflib's closed TIME and XSD warn when pytest probes module attributes.
TIME = Namespace("http://www.w3.org/2006/time#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

# -- IRIs of the seed's resources (docs/model.md, "IRI scheme") ---------------------------------

ARTICLE = M.article(ARTICLE_ID)


def event(fact_id: str) -> URIRef:
    return M.fact("event", ARTICLE_ID, fact_id)


def time_of(fact_id: str) -> URIRef:
    return M.fact("time", ARTICLE_ID, fact_id)


def evidence(fact_id: str) -> URIRef:
    return M.fact("evidence", ARTICLE_ID, fact_id)


def part(fact_id: str, fragment: str) -> URIRef:
    """The #target, #quote or #position node of a fact's evidence span."""
    return URIRef(f"{evidence(fact_id)}#{fragment}")


def precondition(fact_id: str) -> URIRef:
    return M.fact("precondition", ARTICLE_ID, fact_id)


def condition(fact_id: str) -> URIRef:
    return M.fact("condition", ARTICLE_ID, fact_id)


def quantity(fact_id: str) -> URIRef:
    return M.fact("quantity", ARTICLE_ID, fact_id)


def membership(fact_id: str) -> URIRef:
    return M.fact("membership", ARTICLE_ID, fact_id)


def report(fact_id: str) -> URIRef:
    return M.fact("report", ARTICLE_ID, fact_id)


VISIT = event("khalilzad-arrives-in-kabul")            # a visit with a day-precision value
VISIT_TIME = time_of("khalilzad-arrives-in-kabul")
STATE_STATEMENT = event("state-department-statement")  # a statement with a quote only
REUTERS_STATEMENT = event("official-on-presidents-agreement")  # told to Reuters
PROPOSAL = event("ceasefire-proposal")
CEASEFIRE = event("proposed-week-long-ceasefire")      # the proposed action, with a duration
WEEK = URIRef(f"{CEASEFIRE}#duration")                  # its length as a number of days
REJECTION = event("taliban-reject-ceasefire")
KARZAI_TWEET = event("karzai-tweet")                    # a statement that responds to a meeting
DEMAND = event("taliban-demand-us-sign-first")
DEAL = event("us-taliban-deal-finalised")
PRECONDITION = precondition("government-seat-and-ceasefire")
CONDITION = condition("seat-at-the-table")
CHAIN = condition("government-reduction-of-violence")  # leads to another condition
SIGNING_FIRST = condition("us-signs-agreement-first")  # names its required event
TROOPS = quantity("us-troops-december-2019")
GHANI = membership("ghani-president")
REUTERS_REPORT = report("reuters-report")
SPAN = evidence("reuters-report")                      # its span is 191..244
SPAN_TARGET, SPAN_QUOTE, SPAN_POSITION = (part("reuters-report", f) for f in ("target", "quote", "position"))
KHALILZAD = M.actor("zalmay-khalilzad")
KABUL = M.place("kabul")
AFGHAN_GOVERNMENT = M.actor("afghan-government")
TALIBAN = M.actor("taliban")

# -- breaking the graph ---------------------------------------------------------------------------

Op = Callable[[Graph], None]


def drop(s: URIRef, p: URIRef, o=None) -> Op:
    """Remove the triple(s) ``s p o`` (every value of ``p`` when ``o`` is None)."""
    return lambda g: g.remove((s, p, o))


def put(s: URIRef, p: URIRef, o) -> Op:
    """Replace every value of ``s p`` with ``o``."""
    return lambda g: g.set((s, p, o))


def add(s: URIRef, p: URIRef, o) -> Op:
    """Add one more value."""
    return lambda g: g.add((s, p, o))


@dataclass(frozen=True)
class Case:
    shape: str                  # kbshape: local name whose sh:message must be the only one reported
    how: str                    # what the break does
    ops: tuple[Op, ...]
    via: tuple[str, ...] = ()   # helper shapes (its sh:qualifiedValueShape) that the break exercises

    @property
    def id(self) -> str:
        return f"{self.shape}: {self.how}"


def case(shape: str, how: str, *ops: Op, via: str | None = None) -> Case:
    return Case(shape, how, ops, (via,) if via else ())


# One row per way of breaking a constraint: the kbshape: constraint whose message is expected,
# what the break does, and the triples removed, replaced or added. Several rows may break the
# same constraint in different ways (a missing value, one too many, a value of the wrong kind).
CASES = [
    # -- every fact --------------------------------------------------------------------------------
    case("Fact-source", "condition without prov:wasDerivedFrom", drop(CONDITION, PROV.wasDerivedFrom)),
    case("Fact-source", "derived from a report, not an article",
         put(CONDITION, PROV.wasDerivedFrom, REUTERS_REPORT)),
    case("Fact-evidence", "condition without evidence", drop(CONDITION, PEACE.evidence)),
    case("Fact-evidence", "evidence that is not an oa:Annotation", put(CONDITION, PEACE.evidence, ARTICLE)),
    case("Fact-assertedBy", "membership without peace:assertedBy", drop(GHANI, PEACE.assertedBy)),
    case("Fact-assertedBy", "asserted by a status concept", put(GHANI, PEACE.assertedBy, PEACE.Occurred)),
    case("Fact-assertedBy", "both reviewed and machine-extracted",
         add(GHANI, PEACE.assertedBy, PEACE.MachineExtracted),
         add(GHANI, PEACE.confidence, Literal(Decimal("0.9")))),
    case("Fact-confidence", "confidence above 1", add(VISIT, PEACE.confidence, Literal(Decimal("1.5")))),
    case("Fact-confidence", "confidence as a string", add(VISIT, PEACE.confidence, Literal("0.5"))),
    case("MachineExtractedShape", "machine-extracted event without confidence",
         put(VISIT, PEACE.assertedBy, PEACE.MachineExtracted)),
    # -- events ----------------------------------------------------------------------------------
    case("Event-label", "event without a label", drop(VISIT, RDFS.label)),
    case("Event-label", "event with two labels", add(VISIT, RDFS.label, Literal("Envoy in Kabul", lang="en"))),
    case("Event-type", "event without sem:eventType", drop(VISIT, SEM.eventType)),
    case("Event-type", "event type that is not a concept", put(VISIT, SEM.eventType, KABUL),
         via="EventTypeConcept"),
    case("Event-type", "event type concept without skos:notation", put(VISIT, SEM.eventType, PEACE.Tweet),
         via="EventTypeConcept"),
    case("Event-actor", "event without sem:hasActor", drop(VISIT, SEM.hasActor)),
    case("Event-actor", "a place as an actor", add(VISIT, SEM.hasActor, KABUL)),
    case("Event-status", "event without a status", drop(VISIT, PEACE.status)),
    case("Event-status", "event with two statuses", add(VISIT, PEACE.status, PEACE.Planned)),
    case("Event-status", "status outside the status scheme", put(VISIT, PEACE.status, PEACE.Tweet),
         via="StatusConcept"),
    case("Event-timeStamp", "event without SEM time stamp", drop(VISIT, SEM.hasTimeStamp)),
    case("Event-timeStampDatatype", "time stamp as a plain string",
         put(VISIT, SEM.hasTimeStamp, Literal("2019-12-04"))),
    case("Event-place", "event with two places", add(VISIT, SEM.hasPlace, M.place("doha"))),
    case("Event-place", "an actor as the place", put(VISIT, SEM.hasPlace, AFGHAN_GOVERNMENT)),
    # -- time descriptions -------------------------------------------------------------------------
    case("Time-precision", "time without precision", drop(VISIT_TIME, PEACE.precision)),
    case("Time-precision", "precision of a week",
         put(VISIT_TIME, PEACE.precision, TIME.unitWeek)),
    case("Time-value", "time without value", drop(VISIT_TIME, PEACE.value)),
    case("Time-windowDatatype", "earliest as free text",
         put(time_of("planned-doha-talks"), PEACE.earliest, Literal("soon"))),
    case("Time-anchorDate", "anchor date as a month",
         put(time_of("planned-doha-talks"), PEACE.anchorDate, Literal("2019-12", datatype=XSD.gYearMonth))),
    case("TimePrecisionShape", "precision month with a day value",
         put(VISIT_TIME, PEACE.precision, TIME.unitMonth)),
    case("TimePrecisionShape", "precision day with a year begin",
         put(time_of("doha-talks-nine-rounds"), PEACE.precision, TIME.unitDay)),
    case("Time-beginNotAfterEnd", "end a month before the begin",
         add(time_of("doha-talks-nine-rounds"), PEACE.end, Literal("2019-09", datatype=XSD.gYearMonth))),
    case("Time-earliestNotAfterLatest", "earliest the day after latest",
         put(time_of("afghan-government-conditions"), PEACE.earliest,
             Literal("2019-12-05", datatype=XSD.date))),
    # -- statements, proposals, responses, demands, agreements ----------------------------------------
    case("Statement-speaker", "statement without speaker", drop(STATE_STATEMENT, PEACE.speaker)),
    case("Statement-speaker", "statement with two speakers", add(STATE_STATEMENT, PEACE.speaker, KHALILZAD)),
    case("Statement-channel", "statement without channel", drop(STATE_STATEMENT, PEACE.channel)),
    case("Statement-channel", "channel outside the channel scheme",
         put(STATE_STATEMENT, PEACE.channel, PEACE.Occurred), via="ChannelConcept"),
    case("Statement-text", "statement without quote or content", drop(STATE_STATEMENT, PEACE.quote)),
    case("Statement-outlet", "told to an armed group", put(REUTERS_STATEMENT, PEACE.toOutlet, TALIBAN)),
    case("Proposal-proposer", "proposal without proposer", drop(PROPOSAL, PEACE.proposer)),
    case("Proposal-addressee", "proposal without addressee", drop(PROPOSAL, PEACE.addressee)),
    case("Proposal-action", "proposal without proposed action", drop(PROPOSAL, PEACE.proposedAction)),
    case("Proposal-action", "a condition as the proposed action",
         put(PROPOSAL, PEACE.proposedAction, CONDITION)),
    case("Response-respondsTo", "rejection that responds to nothing", drop(REJECTION, PEACE.respondsTo)),
    case("Response-respondsTo", "statement responding to a condition",
         put(KARZAI_TWEET, PEACE.respondsTo, CONDITION)),
    case("Demand-demander", "demand without demander", drop(DEMAND, PEACE.demander)),
    case("Demand-action", "a condition as the demanded action", put(DEMAND, PEACE.demandedAction, CONDITION)),
    case("Agreement-stage", "agreement without stage", drop(DEAL, PEACE.agreementStage)),
    case("Agreement-stage", "stage outside the stage scheme", put(DEAL, PEACE.agreementStage, PEACE.Current),
         via="AgreementStageConcept"),
    case("Duration-value", "duration as a plain string",
         put(CEASEFIRE, TIME.hasXSDDuration, Literal("a week"))),
    case("NumericDuration-node", "numeric duration that is no time:Duration", put(CEASEFIRE, TIME.hasDuration, KABUL)),
    case("DurationValue-number", "duration without a number", drop(WEEK, TIME.numericDuration)),
    case("DurationValue-number", "negative number of days",
         put(WEEK, TIME.numericDuration, Literal(-7))),
    case("DurationValue-number", "number as a string", put(WEEK, TIME.numericDuration, Literal("7"))),
    case("DurationValue-unit", "duration without a unit", drop(WEEK, TIME.unitType)),
    case("DurationValue-unit", "a status as the unit", put(WEEK, TIME.unitType, PEACE.Occurred)),
    case("Outcome-value", "outcome outside the status scheme", put(PROPOSAL, PEACE.outcome, PEACE.Tweet),
         via="StatusConcept"),
    case("Outcome-value", "two outcomes", add(PROPOSAL, PEACE.outcome, PEACE.Accepted)),
    # -- preconditions and conditions --------------------------------------------------------------
    case("Precondition-label", "precondition without label", drop(PRECONDITION, RDFS.label)),
    case("Precondition-setBy", "precondition set by nobody", drop(PRECONDITION, PEACE.setBy)),
    case("Precondition-setBy", "precondition set by a place", put(PRECONDITION, PEACE.setBy, KABUL)),
    case("Precondition-requires", "precondition requiring nothing", drop(PRECONDITION, PEACE.requires)),
    case("Precondition-requires", "an event as a condition", put(PRECONDITION, PEACE.requires, VISIT)),
    case("Precondition-conditionFor", "gating a condition", put(PRECONDITION, PEACE.conditionFor, CONDITION)),
    case("Precondition-statedIn", "stated in a visit", put(PRECONDITION, PEACE.statedIn, VISIT)),
    case("Condition-label", "condition without label", drop(CONDITION, RDFS.label)),
    case("Condition-leadsTo", "leading to the article", put(CHAIN, PEACE.leadsTo, ARTICLE)),
    case("Condition-requiredEvent", "a condition as required event",
         put(SIGNING_FIRST, PEACE.requiredEvent, CONDITION)),
    # -- quantities --------------------------------------------------------------------------------
    case("Quantity-value", "quantity without value", drop(TROOPS, SCHEMA.value)),
    case("Quantity-value", "value as a string", put(TROOPS, SCHEMA.value, Literal("13000"))),
    case("Quantity-unit", "quantity without unit", drop(TROOPS, SCHEMA.unitText)),
    case("Quantity-measure", "quantity without measure", drop(TROOPS, PEACE.measure)),
    case("Quantity-measure", "measure outside the measure scheme", put(TROOPS, PEACE.measure, PEACE.Current),
         via="MeasureConcept"),
    case("Quantity-subject", "quantity without subject", drop(TROOPS, PEACE.subject)),
    case("Quantity-subject", "a place as the subject", put(TROOPS, PEACE.subject, KABUL)),
    case("Quantity-status", "quantity without status", drop(TROOPS, PEACE.status)),
    case("Quantity-status", "status outside the status scheme", put(TROOPS, PEACE.status, PEACE.TroopLevel),
         via="StatusConcept"),
    case("Quantity-time", "quantity without time", drop(TROOPS, PEACE.time)),
    # -- memberships and reports -------------------------------------------------------------------
    case("Membership-member", "membership without member", drop(GHANI, ORG.member)),
    case("Membership-member", "a place as member", put(GHANI, ORG.member, KABUL)),
    case("Membership-organization", "membership without organisation", drop(GHANI, ORG.organization)),
    case("Membership-role", "membership without role", drop(GHANI, ORG.role)),
    case("Membership-role", "a post as the role", put(GHANI, ORG.role, M.post("president-of-afghanistan"))),
    case("Membership-post", "membership without post", drop(GHANI, PEACE.post)),
    case("Membership-post", "a role as the post", put(GHANI, PEACE.post, M.role("president"))),
    case("Membership-tenure", "membership without tenure", drop(GHANI, PEACE.tenure)),
    case("Membership-tenure", "tenure outside the tenure scheme", put(GHANI, PEACE.tenure, PEACE.Occurred),
         via="TenureConcept"),
    case("Membership-attestedOn", "attested on a string", put(GHANI, PEACE.attestedOn, Literal("2019-12-04"))),
    case("Report-source", "report not referenced by its article", drop(REUTERS_REPORT, DCTERMS.isReferencedBy)),
    case("Report-author", "report without author", drop(REUTERS_REPORT, PROV.wasAttributedTo)),
    case("Report-author", "report attributed to a place", put(REUTERS_REPORT, PROV.wasAttributedTo, KABUL)),
    case("Report-cites", "report citing a place", put(REUTERS_REPORT, PEACE.cites, KABUL)),
    # -- the article -------------------------------------------------------------------------------
    case("Article-headline", "article without headline", drop(ARTICLE, SCHEMA.headline)),
    case("Article-headline", "article with two headlines",
         add(ARTICLE, SCHEMA.headline, Literal("Another", lang="en"))),
    case("Article-publisher", "article without publisher", drop(ARTICLE, SCHEMA.publisher)),
    case("Article-publisher", "published by a government", put(ARTICLE, SCHEMA.publisher, AFGHAN_GOVERNMENT)),
    case("Article-datePublished", "article without date", drop(ARTICLE, SCHEMA.datePublished)),
    case("Article-datePublished", "date as a string",
         put(ARTICLE, SCHEMA.datePublished, Literal("2019-12-04"))),
    case("Article-url", "url as a literal", add(ARTICLE, SCHEMA.url, Literal("https://sahar.news/x"))),
    case("Article-url", "two urls", add(ARTICLE, SCHEMA.url, URIRef("https://sahar.news/a")),
         add(ARTICLE, SCHEMA.url, URIRef("https://sahar.news/b"))),
    case("Article-body", "article without body", drop(ARTICLE, SCHEMA.articleBody)),
    case("Article-body", "body with a language tag",
         put(ARTICLE, SCHEMA.articleBody, Literal("Text", lang="en"))),
    # -- evidence ----------------------------------------------------------------------------------
    case("Evidence-body", "annotation without body", drop(SPAN, OA.hasBody)),
    case("Evidence-source", "target without source", drop(SPAN_TARGET, OA.hasSource)),
    case("Evidence-source", "target quoting a condition", put(SPAN_TARGET, OA.hasSource, CONDITION)),
    case("Evidence-quoteSelector", "target without quote selector",
         drop(SPAN_TARGET, OA.hasSelector, SPAN_QUOTE)),
    case("Evidence-quoteSelector", "target with two quote selectors",
         add(SPAN_TARGET, OA.hasSelector, part("ghani-president", "quote"))),
    case("Evidence-positionSelector", "target without position selector",
         drop(SPAN_TARGET, OA.hasSelector, SPAN_POSITION)),
    case("Quote-exact", "quote selector without exact text", drop(SPAN_QUOTE, OA.exact)),
    case("Position-start", "negative start", put(SPAN_POSITION, OA.start, Literal(-1))),
    case("Position-start", "selector without start", drop(SPAN_POSITION, OA.start)),
    case("Position-end", "end as a decimal", put(SPAN_POSITION, OA.end, Literal(Decimal(244)))),
    case("Position-order", "empty span (end == start)", put(SPAN_POSITION, OA.end, Literal(191))),
    # -- actors and places (the gazetteer) ---------------------------------------------------------
    case("Actor-label", "actor without label", drop(KHALILZAD, RDFS.label)),
    case("Actor-label", "actor with two labels", add(KHALILZAD, RDFS.label, Literal("Zal", lang="en"))),
    case("Actor-sameAs", "sameAs a Wikipedia page",
         add(KHALILZAD, OWL.sameAs, URIRef("https://en.wikipedia.org/wiki/Zalmay_Khalilzad"))),
    case("Actor-sameAs", "sameAs a Wikidata page rather than the entity",
         add(KHALILZAD, OWL.sameAs, URIRef("https://www.wikidata.org/wiki/Q434806"))),
    case("Place-label", "place without label", drop(KABUL, RDFS.label)),
    case("Place-sameAs", "sameAs a DBpedia resource",
         put(KABUL, OWL.sameAs, URIRef("http://dbpedia.org/resource/Kabul"))),
    case("Place-within", "contained in a government", put(KABUL, SCHEMA.containedInPlace, AFGHAN_GOVERNMENT)),
    # -- actors an article introduces (its 'actors:' section) ------------------------------------------
    case("FoundActorShape", "actor derived from the article without evidence",
         add(KHALILZAD, PROV.wasDerivedFrom, ARTICLE)),
    case("FoundActor-source", "found actor derived from the article and from a report",
         add(KHALILZAD, PEACE.evidence, SPAN), add(KHALILZAD, PEACE.assertedBy, PEACE.Reviewed),
         add(KHALILZAD, PROV.wasDerivedFrom, ARTICLE), add(KHALILZAD, PROV.wasDerivedFrom, REUTERS_REPORT)),
]

# -- fixtures and helpers ---------------------------------------------------------------------------


@dataclass
class Seed:
    inputs: Inputs
    article: ArticleGraph
    data: Graph                  # the article graph merged with the gazetteer
    lines: dict[URIRef, str]


@pytest.fixture(scope="module")
def seed() -> Seed:
    inputs = Inputs.load(DEFAULT_DATA_DIR, M)
    article = convert_and_validate(SEED_ANNOTATION, inputs)
    return Seed(inputs, article, merged(article.graph, inputs.gazetteer.graph),
                {**inputs.gazetteer.lines, **article.lines})


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


def message(shapes: Graph, name: str) -> str:
    """The sh:message that shapes.ttl gives ``kbshape:{name}``."""
    text = shapes.value(KBSHAPE[name], SH.message)
    assert text is not None, f"kbshape:{name} has no sh:message in ontology/shapes.ttl"
    return str(text)


def named_shapes(shapes: Graph) -> set[URIRef]:
    """Every kbshape: node shape, property shape and SPARQL constraint."""
    kinds = (SH.NodeShape, SH.PropertyShape, SH.SPARQLConstraint)
    return {s for k in kinds for s in shapes.subjects(RDF.type, k)
            if isinstance(s, URIRef) and str(s).startswith(str(KBSHAPE))}


def owners(shapes: Graph, constraint: URIRef) -> set[URIRef]:
    """The node shapes that hold ``constraint`` with sh:property or sh:sparql."""
    return {*shapes.subjects(SH.property, constraint), *shapes.subjects(SH.sparql, constraint)}


def yaml_line(text: str, fact_id: str) -> int:
    """The 1-based line of the ``- id: {fact_id}`` item in an annotation's text."""
    matches = [n for n, line in enumerate(text.splitlines(), start=1)
               if re.fullmatch(rf"\s*- id: {re.escape(fact_id)}\s*", line)]
    assert len(matches) == 1, f"'- id: {fact_id}' occurs {len(matches)} times"
    return matches[0]


# -- (a) the seed conforms ----------------------------------------------------------------------------


def test_seed_conforms(seed: Seed, seed_dataset: Dataset) -> None:
    dataset = seed_dataset  # prepare() raised BuildFailed on any violation
    assert ARTICLE_ID in dataset.articles
    article_graphs = {iri: g for iri, g in dataset.graphs.items()
                      if str(iri).startswith(str(M.base["graph/article/"]))}
    assert len(article_graphs) == len(dataset.articles)
    gazetteer, vocabulary = seed.inputs.gazetteer.graph, seed.inputs.vocabulary
    for iri, graph in article_graphs.items():
        assert validate_graph(merged(graph, gazetteer), vocabulary, seed.lines) == [], iri


# -- (b) every shape catches its violation ------------------------------------------------------------


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_shape_reports_its_violation_with_or_without_the_whole_gazetteer(c: Case, seed: Seed, shapes: Graph) -> None:
    """The case's shape, and no other, reports the change; validate_article (the article with the
    gazetteer entries it uses, as build and ingest validate) reports exactly what validate_graph
    reports with the whole gazetteer merged in."""
    expected = message(shapes, c.shape)
    data = Graph()
    data += seed.data
    for op in c.ops:
        op(data)
    assert set(data) != set(seed.data), "the case did not change the seed graph"

    violations = validate_graph(data, seed.inputs.vocabulary, seed.lines)

    assert violations, f"no violation reported; expected: {expected}"
    others = [v for v in violations if expected not in v]
    assert not others, "other shapes fired as well:\n" + "\n".join(others)
    assert not [v for v in violations if v.startswith("(no source line)")], violations

    gazetteer_subjects = set(seed.inputs.gazetteer.graph.subjects())
    gazetteer, article = Graph(), Graph()
    for triple in data:
        (gazetteer if triple[0] in gazetteer_subjects else article).add(triple)
    assert validate_article(article, gazetteer, seed.inputs.vocabulary, seed.lines) == violations


#: Shapes of the links graph (merged events across articles), whose cases break the corpus's own
#: links graph: tests/test_coreference.py::test_each_link_shape_reports_its_violation.
LINKS_GRAPH_SHAPES = ("ReportedEvent", "Disagreement")


def test_every_shape_has_a_case(shapes: Graph) -> None:
    covered: set[URIRef] = set()
    for c in CASES:
        constraint = KBSHAPE[c.shape]
        covered |= {constraint, *owners(shapes, constraint), *(KBSHAPE[v] for v in c.via)}
    missing = sorted(str(s) for s in named_shapes(shapes) - covered
                     if not str(s).removeprefix(str(KBSHAPE)).startswith(LINKS_GRAPH_SHAPES))
    assert not missing, "shapes without a case in tests/test_shapes.py CASES:\n" + "\n".join(missing)


def test_cases_name_real_constraints(shapes: Graph) -> None:
    known = named_shapes(shapes)
    for c in CASES:
        assert KBSHAPE[c.shape] in known, c.id
        message(shapes, c.shape)
        for helper in c.via:
            assert (KBSHAPE[c.shape], SH.qualifiedValueShape, KBSHAPE[helper]) in shapes, (
                f"{c.id}: kbshape:{helper} is not the qualified value shape of kbshape:{c.shape}")


def test_every_shape_is_documented(shapes: Graph) -> None:
    for s in named_shapes(shapes):
        assert shapes.value(s, RDFS.label), f"{s} has no rdfs:label"
        assert shapes.value(s, RDFS.comment), f"{s} has no rdfs:comment"
    # every constraint that can be reported carries a message: property shapes, SPARQL
    # constraints, and node shapes with constraints of their own (sh:or, sh:class)
    for s in named_shapes(shapes):
        if (s, RDF.type, SH.NodeShape) in shapes and not ({*shapes.predicates(s)} & {SH["or"], SH["class"]}):
            continue
        assert shapes.value(s, SH.message), f"{s} has no sh:message"
    # a case can only tell its constraint by the message
    messages = [str(m) for s in named_shapes(shapes) for m in shapes.objects(s, SH.message)]
    assert len(messages) == len(set(messages)), "two kbshape: constraints share a message"


def test_shapes_do_not_target_the_ontology(seed: Seed, shapes: Graph) -> None:
    """No resource of the vocabulary (merged into the data by validate_graph) is a focus node."""
    vocabulary = seed.inputs.vocabulary.graph
    focus: set = set()
    for cls in set(shapes.objects(None, SH.targetClass)):
        focus |= {*vocabulary.query("SELECT ?x WHERE { ?x a/rdfs:subClassOf* ?c }",
                                    initBindings={"c": cls}, initNs={"rdfs": RDFS})}
    for p in set(shapes.objects(None, SH.targetSubjectsOf)):
        focus |= set(vocabulary.subjects(p, None))
    for p in set(shapes.objects(None, SH.targetObjectsOf)):
        focus |= set(vocabulary.objects(None, p))
    assert not focus
    assert validate_graph(Graph(), seed.inputs.vocabulary, {}) == []


# -- (c) end to end: a broken annotation file ----------------------------------------------------------


def _copy_seed_annotation(tmp_path: Path, edit: Callable[[str], str]) -> tuple[Path, str]:
    """Write the seed annotation into ``tmp_path`` with ``edit`` applied.

    The article's ``file:`` is relative to the annotation, so it is rewritten to point from
    ``tmp_path`` to the real article file.
    """
    text = SEED_ANNOTATION.read_text(encoding="utf-8")
    file_line = re.search(r"^  file: (.+)$", text, flags=re.MULTILINE)
    assert file_line, "the seed annotation has no article 'file:'"
    article_file = (SEED_ANNOTATION.parent / file_line[1]).resolve()
    assert article_file.is_file()
    text = text.replace(file_line[0], f"  file: {os.path.relpath(article_file, tmp_path)}", 1)
    text = edit(text)
    path = tmp_path / SEED_ANNOTATION.name
    path.write_text(text, encoding="utf-8")
    return path, text


def _in_fact(fact_id: str, old: str, new: str) -> Callable[[str], str]:
    """An edit replacing the first ``old`` inside the fact (between its ``- id:`` and the next)."""

    def edit(text: str) -> str:
        start = text.index(f"- id: {fact_id}\n")
        end = text.find("- id: ", start + 1)
        at = text.find(old, start, end if end >= 0 else len(text))
        assert at >= 0, f"'{old}' is not in fact {fact_id}"
        return text[:at] + new + text[at + len(old):]

    return edit


def test_statement_without_quote_or_content_fails_the_build(tmp_path: Path, shapes: Graph) -> None:
    fact_id = "officials-indicate-reduction"
    content = "    content: The number of US troops in Afghanistan could be reduced to 8600.\n"
    path, text = _copy_seed_annotation(tmp_path, _in_fact(fact_id, content, ""))
    inputs = Inputs.load(DEFAULT_DATA_DIR, IriMinter())

    with pytest.raises(ValidationFailed) as failure:
        convert_and_validate(path, inputs)

    expected = f"{path}:{yaml_line(text, fact_id)}: {message(shapes, 'Statement-text')}"
    assert expected in str(failure.value)
    assert len(failure.value.violations) == 1


def test_month_precision_with_a_day_value_fails_the_build(tmp_path: Path, shapes: Graph) -> None:
    fact_id = "khalilzad-arrives-in-kabul"
    path, text = _copy_seed_annotation(tmp_path, _in_fact(fact_id, "precision: day", "precision: month"))
    inputs = Inputs.load(DEFAULT_DATA_DIR, IriMinter())

    with pytest.raises(ValidationFailed) as failure:
        convert_and_validate(path, inputs)

    # the time description is reported at the line of the fact's 'time:' mapping
    lines = text.splitlines()
    fact_line = yaml_line(text, fact_id)
    time_line = next(n for n in range(fact_line, len(lines) + 1) if lines[n - 1].lstrip().startswith("time:"))
    expected = f"{path}:{time_line}: {message(shapes, 'TimePrecisionShape')}"
    assert expected in str(failure.value)
    assert len(failure.value.violations) == 1
