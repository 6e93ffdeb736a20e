"""Annotation -> RDF: one named graph per article, with deterministic IRIs (docs/model.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, TIME, XSD

from kb.annotation import ROLES, Annotation, Fact, Span
from kb.config import PROJECT_ROOT
from kb.durations import DURATION, numeric_duration
from kb.errors import AnnotationError
from kb.gazetteer import ACTOR_CLASSES, AGENT_CLASSES, Gazetteer, add_names
from kb.namespaces import ETYPE, OA, PEACE, SCHEMA, SEM, IriMinter
from kb.ontology import Vocabulary
from kb.records import as_list
from kb.yamlio import KEY_LINES, LINE, META_KEYS

STATUS = {s: PEACE[s.capitalize()] for s in
          ("occurred", "planned", "proposed", "accepted", "rejected", "cancelled", "possible")}
SCHEMA_EVENT_STATUS = {"planned": SCHEMA.EventScheduled, "cancelled": SCHEMA.EventCancelled}
CHANNEL = {"press-statement": PEACE.PressStatement, "tweet": PEACE.Tweet,
           "newspaper-interview": PEACE.NewspaperInterview,
           "wire-service-interview": PEACE.WireServiceInterview, "speech": PEACE.Speech,
           "unspecified": PEACE.UnspecifiedChannel}
STAGE = {"finalised": PEACE.Finalised, "signed": PEACE.Signed,
         "agreed-in-principle": PEACE.AgreedInPrinciple}
TENURE = {"current": PEACE.Current, "former": PEACE.Former}
MEASURE = {"troop-level": PEACE.TroopLevel, "casualties": PEACE.Casualties, "prisoners": PEACE.Prisoners}
PRECISION = {"day": TIME.unitDay, "month": TIME.unitMonth, "year": TIME.unitYear}
# The IRI path segment of each section's facts.
KIND = {"reports": "report", "memberships": "membership", "events": "event",
        "quantities": "quantity", "preconditions": "precondition", "conditions": "condition"}
# Event keys that link to another fact, and the property they become.
EVENT_LINKS = {"part_of": SEM.subEventOf, "precedes": PEACE.precedes, "leads_to": PEACE.leadsTo,
               "responds_to": PEACE.respondsTo, "proposed_action": PEACE.proposedAction,
               "counter_demand": PEACE.counterDemand, "demanded_action": PEACE.demandedAction,
               "from_quantity": PEACE.fromQuantity, "to_quantity": PEACE.toQuantity,
               "reported_via": PEACE.reportedVia}
EVENT_TEXTS = {"purpose": PEACE.purpose, "quote": PEACE.quote, "content": PEACE.content}
_GYEARMONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass
class ArticleGraph:
    """The triples of one article, its graph IRI, and the source line of each subject."""

    article_id: str
    graph_iri: URIRef
    graph: Graph
    lines: dict[URIRef, str] = field(default_factory=dict)


def en(text: Any) -> Literal:
    return Literal(" ".join(str(text).split()), lang="en")


def time_literal(value: Any) -> Literal:
    """A date value typed by its precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
    if isinstance(value, date):
        return Literal(value.isoformat(), datatype=XSD.date)
    text = str(value)
    if _GYEARMONTH.match(text):
        return Literal(text, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    raise ValueError(f"'{text}' is not a date (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY)")


class _Converter:
    def __init__(self, ann: Annotation, gaz: Gazetteer, vocab: Vocabulary, minter: IriMinter) -> None:
        self.ann, self.gaz, self.vocab, self.m = ann, gaz, vocab, minter
        self.g = Graph()
        self.article = minter.article(ann.article_id)
        self.out = ArticleGraph(ann.article_id, minter.article_graph(ann.article_id), self.g)
        self.event_types = vocab.event_types()

    def fault(self, fact: Fact, message: str, key: str | None = None) -> AnnotationError:
        """An error at the line of ``key`` in the fact (or the fact's first line)."""
        line = fact.fields.get(KEY_LINES, {}).get(key) or fact.line
        return AnnotationError(self.ann.location(line), message)

    def iri(self, fact_id: str) -> URIRef:
        fact = self.ann.facts[fact_id]
        return self.m.fact(KIND[fact.section], self.ann.article_id, fact_id)

    def add(self, s: URIRef, p: URIRef, o: Any) -> None:
        self.g.add((s, p, o))

    def convert(self) -> ArticleGraph:
        self.article_triples()
        for actor in self.ann.actors.values():
            subject = self.m.actor(actor.id)
            self.out.lines[subject] = self.ann.location(actor.line)
            self.new_actor(actor, subject)
            self.provenance(actor, subject)
        for fact in self.ann.facts.values():
            subject = self.iri(fact.id)
            self.out.lines[subject] = self.ann.location(fact.line)
            getattr(self, f"convert_{fact.section}")(fact, subject)
            self.provenance(fact, subject)
        return self.out

    # -- the article -----------------------------------------------------------------------

    def article_triples(self) -> None:
        a, art, meta = self.article, self.ann.article, self.ann.meta
        self.out.lines[a] = self.ann.location(meta[LINE])
        for cls in (SCHEMA.NewsArticle, PROV.Entity):
            self.add(a, RDF.type, cls)
        for p in (RDFS.label, SCHEMA.headline, DCTERMS.title):
            self.add(a, p, en(art.title))
        publisher = self.m.actor(meta["publisher"])
        self.add(a, SCHEMA.publisher, publisher)
        self.add(a, DCTERMS.publisher, publisher)
        published = Literal(art.published.isoformat(), datatype=XSD.date)
        self.add(a, SCHEMA.datePublished, published)
        self.add(a, DCTERMS.issued, published)
        if art.url:
            self.add(a, SCHEMA.url, URIRef(art.url))
        self.add(a, SCHEMA.inLanguage, Literal(art.language))
        self.add(a, SCHEMA.articleBody, Literal(art.body))
        self.add(a, PEACE.sourceFile, Literal(_relative(art.path)))
        self.add(a, PEACE.assertedBy, PEACE.Reviewed if self.ann.reviewed else PEACE.MachineExtracted)
        if meta.get("note"):
            self.add(a, PEACE.reviewerNote, en(meta["note"]))
        for report in self.ann.derived_from:
            self.add(a, PROV.wasDerivedFrom, self.iri(report))

    def new_actor(self, actor: Fact, s: URIRef) -> None:
        """An actor of the 'actors:' section, typed and named as the gazetteer's actors are."""
        f = actor.fields
        for cls in (*ACTOR_CLASSES[f["type"]], *AGENT_CLASSES):
            self.add(s, RDF.type, cls)
        add_names(self.g, s, {"label": str(en(f["label"])), "aliases": f.get("aliases")})
        if f.get("member_of"):
            self.add(s, ORG.memberOf, self.m.actor(f["member_of"]))

    # -- what every fact carries -----------------------------------------------------------

    def provenance(self, fact: Fact, s: URIRef) -> None:
        f = fact.fields
        if fact.section == "reports":  # the article derives from the report, not the reverse
            self.add(s, DCTERMS.isReferencedBy, self.article)
        else:
            self.add(s, PROV.wasDerivedFrom, self.article)
        self.add(s, PEACE.assertedBy, PEACE.Reviewed if self.ann.reviewed else PEACE.MachineExtracted)
        if f.get("confidence") is not None:
            self.add(s, PEACE.confidence, Literal(Decimal(str(f["confidence"])), datatype=XSD.decimal))
        if f.get("note"):
            self.add(s, PEACE.reviewerNote, en(f["note"]))
        for source in f.get("according_to") or []:
            self.add(s, PEACE.accordingTo, self.m.actor(source))
        if f.get("label"):
            self.add(s, RDFS.label, en(f["label"]))
        for n, span in enumerate(fact.evidence, start=1):
            suffix = fact.id if len(fact.evidence) == 1 else f"{fact.id}-{n}"
            e = self.m.fact("evidence", self.ann.article_id, suffix)
            self.out.lines[e] = self.ann.location(fact.line)
            self.evidence(s, e, span)

    def evidence(self, fact: URIRef, e: URIRef, span: Span) -> None:
        target, quote, position = URIRef(f"{e}#target"), URIRef(f"{e}#quote"), URIRef(f"{e}#position")
        self.add(fact, PEACE.evidence, e)
        self.add(e, RDF.type, OA.Annotation)
        self.add(e, OA.hasBody, fact)
        self.add(e, OA.motivatedBy, OA.identifying)
        self.add(e, OA.hasTarget, target)
        self.add(target, RDF.type, OA.SpecificResource)
        self.add(target, OA.hasSource, self.article)
        self.add(target, OA.hasSelector, quote)
        self.add(target, OA.hasSelector, position)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(span.exact))
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(span.start))
        self.add(position, OA.end, Literal(span.end))

    def time(self, fact: Fact, s: URIRef, *, sem: bool) -> None:
        spec = fact.fields["time"]
        if not isinstance(spec, dict):
            raise self.fault(fact, "'time' must be a mapping such as {value: 2019-12-04, precision: day}.", "time")
        allowed = {"value", "begin", "end", "earliest", "latest", "precision", "text", "anchor"}
        unknown = set(spec) - allowed - META_KEYS
        if unknown:
            raise self.fault(fact, f"'time' has unknown key(s) {', '.join(sorted(unknown))}.", "time")
        if spec.get("precision") not in PRECISION:
            raise self.fault(fact, "'time' needs 'precision: day', 'month' or 'year'.", "time")
        t = self.m.fact("time", self.ann.article_id, fact.id)
        self.out.lines[t] = self.ann.location(spec.get(LINE, fact.line))
        self.add(s, PEACE.time, t)
        self.add(t, RDF.type, TIME.TemporalEntity)
        self.add(t, PEACE.precision, PRECISION[spec["precision"]])
        if spec.get("text"):
            self.add(t, PEACE.surfaceText, Literal(str(spec["text"])))
        if spec.get("anchor"):
            self.add(t, PEACE.anchorDate, self.time_value(fact, spec["anchor"]))
        stamps = {"value": (PEACE.value, SEM.hasTimeStamp), "begin": (PEACE.begin, SEM.hasBeginTimeStamp),
                  "end": (PEACE.end, SEM.hasEndTimeStamp),
                  "earliest": (PEACE.earliest, SEM.hasEarliestBeginTimeStamp),
                  "latest": (PEACE.latest, SEM.hasLatestEndTimeStamp)}
        given = [k for k in stamps if spec.get(k) is not None]
        if not given:
            raise self.fault(fact, "'time' needs a value, begin/end, or an earliest/latest window.", "time")
        for key in given:
            literal = self.time_value(fact, spec[key])
            own, sem_property = stamps[key]
            self.add(t, own, literal)
            if sem:
                self.add(s, sem_property, literal)

    def time_value(self, fact: Fact, value: Any) -> Literal:
        try:
            return time_literal(value)
        except ValueError as exc:
            raise self.fault(fact, f"'time': {exc}.", "time") from exc

    def concept(self, fact: Fact, key: str, table: dict[str, URIRef]) -> URIRef:
        value = fact.fields.get(key)
        if value not in table:
            raise self.fault(fact, f"'{key}: {value}' is not one of: {', '.join(table)}.", key)
        return table[value]

    # -- the sections ----------------------------------------------------------------------

    def convert_reports(self, fact: Fact, s: URIRef) -> None:
        f = fact.fields
        for cls in (PEACE.Report, PROV.Entity):
            self.add(s, RDF.type, cls)
        self.add(s, PROV.wasAttributedTo, self.m.actor(f["author"]))
        cited = f.get("cites") or []
        for actor in cited:
            self.add(s, PEACE.cites, self.m.actor(actor))
        names = [self._label(self.m.actor(a)) for a in [f["author"], *cited]]
        label = f"{names[0]} report" + (f" citing {', '.join(names[1:])}" if len(names) > 1 else "")
        self.add(s, RDFS.label, en(label))

    def convert_memberships(self, fact: Fact, s: URIRef) -> None:
        f = fact.fields
        post = self.gaz.posts[f["post"]]
        tenure = self.concept(fact, "tenure", TENURE)
        self.add(s, RDF.type, ORG.Membership)
        self.add(s, ORG.member, self.m.actor(f["member"]))
        self.add(s, ORG.organization, self.m.actor(post["organisation"]))
        self.add(s, ORG.role, self.m.role(post["role"]))
        self.add(s, PEACE.post, self.m.post(f["post"]))
        self.add(s, PEACE.tenure, tenure)
        self.add(s, PEACE.attestedOn, Literal(self.ann.article.published.isoformat(), datatype=XSD.date))
        former = " (former)" if f["tenure"] == "former" else ""
        self.add(s, RDFS.label, en(f"{self._label(self.m.actor(f['member']))}, {post['label']}{former}"))

    def convert_events(self, fact: Fact, s: URIRef) -> None:
        f = fact.fields
        if f["type"] not in self.event_types:
            raise self.fault(fact, f"'type: {f['type']}' is not an event type of ontology/event-types.ttl; "
                                   f"use one of: {', '.join(sorted(self.event_types))}.", "type")
        for cls in (*self.vocab.event_classes(f["type"]), PROV.Activity):
            self.add(s, RDF.type, cls)
        self.add(s, SEM.eventType, ETYPE[f["type"]])
        status = self.concept(fact, "status", STATUS)
        self.add(s, PEACE.status, status)
        if f["status"] in SCHEMA_EVENT_STATUS:
            self.add(s, SCHEMA.eventStatus, SCHEMA_EVENT_STATUS[f["status"]])
        for role in ROLES:
            for actor in as_list((f.get("roles") or {}).get(role)):
                self.add(s, PEACE[role], self.m.actor(actor))
                self.add(s, SEM.hasActor, self.m.actor(actor))
        if f.get("place"):
            self.add(s, SEM.hasPlace, self.m.place(f["place"]))
        self.time(fact, s, sem=True)
        for key, prop in EVENT_LINKS.items():
            for target in as_list(f.get(key)):
                self.add(s, prop, self.iri(target))
                if prop == PEACE.respondsTo:  # its super-property, for PROV-only consumers
                    self.add(s, PROV.wasInformedBy, self.iri(target))
        for key, prop in EVENT_TEXTS.items():
            if f.get(key):
                self.add(s, prop, en(f[key]))
        if f.get("channel"):
            self.add(s, PEACE.channel, self.concept(fact, "channel", CHANNEL))
        if f.get("to_outlet"):
            self.add(s, PEACE.toOutlet, self.m.actor(f["to_outlet"]))
        if f.get("outcome"):
            self.add(s, PEACE.outcome, self.concept(fact, "outcome", STATUS))
        if f.get("stage"):
            self.add(s, PEACE.agreementStage, self.concept(fact, "stage", STAGE))
        if f.get("informal") is not None:
            self.add(s, PEACE.informal, Literal(bool(f["informal"])))
        if f.get("rounds") is not None:
            self.add(s, PEACE.roundCount, Literal(int(f["rounds"])))
        if f.get("duration"):
            if not DURATION.match(str(f["duration"])):
                raise self.fault(fact, f"'duration: {f['duration']}' is not an ISO 8601 duration such as P7D.", "duration")
            self.add(s, TIME.hasXSDDuration, Literal(str(f["duration"]), datatype=XSD.duration))
            self.duration_in_units(fact, s, str(f["duration"]))

    def duration_in_units(self, fact: Fact, s: URIRef, duration: str) -> None:
        """The length again as an OWL-Time number of units (``<s#duration>``): a value every store
        keeps, where Virtuoso turns an xsd:duration of months into seconds."""
        numeric = numeric_duration(duration)
        if numeric is None:
            return
        part = URIRef(f"{s}#duration")
        self.out.lines[part] = self.ann.location(fact.fields.get(KEY_LINES, {}).get("duration", fact.line))
        self.add(s, TIME.hasDuration, part)
        self.add(part, RDF.type, TIME.Duration)
        self.add(part, TIME.numericDuration, Literal(numeric[0]))  # xsd:integer, a decimal of OWL-Time's range
        self.add(part, TIME.unitType, numeric[1])

    def convert_quantities(self, fact: Fact, s: URIRef) -> None:
        f = fact.fields
        for cls in (PEACE.QuantityObservation, SCHEMA.QuantitativeValue):
            self.add(s, RDF.type, cls)
        if isinstance(f["value"], bool) or not isinstance(f["value"], int | float):
            raise self.fault(fact, f"'value: {f['value']}' is not a number.", "value")
        self.add(s, SCHEMA.value, Literal(f["value"]))
        self.add(s, SCHEMA.unitText, Literal(str(f["unit"])))
        self.add(s, PEACE.measure, self.concept(fact, "measure", MEASURE))
        self.add(s, PEACE.subject, self.m.actor(f["subject"]))
        self.add(s, PEACE.status, self.concept(fact, "status", STATUS))
        if f.get("approximation"):
            self.add(s, PEACE.approximation, Literal(str(f["approximation"])))
        self.time(fact, s, sem=False)

    def convert_preconditions(self, fact: Fact, s: URIRef) -> None:
        f = fact.fields
        for cls in (PEACE.Precondition, PROV.Entity):
            self.add(s, RDF.type, cls)
        self.add(s, PEACE.setBy, self.m.actor(f["set_by"]))
        for condition in as_list(f["requires"]):
            self.add(s, PEACE.requires, self.iri(condition))
        if f.get("condition_for"):
            self.add(s, PEACE.conditionFor, self.iri(f["condition_for"]))
        if f.get("stated_in"):
            self.add(s, PEACE.statedIn, self.iri(f["stated_in"]))

    def convert_conditions(self, fact: Fact, s: URIRef) -> None:
        f = fact.fields
        for cls in (PEACE.Condition, PROV.Entity):
            self.add(s, RDF.type, cls)
        if f.get("required_event"):
            self.add(s, PEACE.requiredEvent, self.iri(f["required_event"]))
        if f.get("leads_to"):
            self.add(s, PEACE.leadsTo, self.iri(f["leads_to"]))

    def _label(self, iri: URIRef) -> str:
        return str(self.g.value(iri, RDFS.label) or self.gaz.graph.value(iri, RDFS.label) or iri)


def annotation_to_graph(
    ann: Annotation, gazetteer: Gazetteer, vocabulary: Vocabulary, minter: IriMinter
) -> ArticleGraph:
    """Convert a checked annotation into the article's named graph (docs/model.md).

    :raises AnnotationError: on a value the conversion cannot type (a date, a duration, a
        concept name), naming the file and line.
    """
    return _Converter(ann, gazetteer, vocabulary, minter).convert()


def _relative(path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
