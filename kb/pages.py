"""The data of the reader-friendly pages: an event, a proposal, an actor, a precondition, an article.

Each page is assembled from fixed SELECT queries in which the page's IRI is bound as ``?this``
(a query substitution, never query text), into plain dataclasses that a template renders and
that :func:`as_json` turns into the page's JSON twin. :func:`page_data` picks the kind of page
from the thing's types; a thing of another kind (a place, an evidence span) has no such page.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from kb.durations import numeric_duration, xsd_duration
from kb.namespaces import sparql_prefixes
from kb.timeline import DatePoint, Link

Binding = Mapping[str, Mapping[str, str]]

PEACE = "https://peacekb.example/ontology#"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"
TIME = "http://www.w3.org/2006/time#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
WIKIDATA = "http://www.wikidata.org/entity/"


class SelectableStore(Protocol):
    """What the pages need from a store (see :class:`kb.store.Store`)."""

    def select(self, query: str, substitutions: Mapping[str, str] | None = None) -> list[Binding]: ...

    def last_modified(self) -> datetime: ...


# -- the shapes of a page's data ---------------------------------------------------------------


@dataclass(frozen=True)
class Date:
    """A date at its precision: ``value`` for ``<time datetime>`` ("2019-12", "2019-12-04"), ``text``
    for readers ("December 2019", "4 Dec 2019"), ``precision`` "year", "month" or "day"."""

    value: str
    text: str
    precision: str


@dataclass(frozen=True)
class Timing:
    """When a fact happened: as the article wrote it, and as dates with a word each ("on", "from",
    "until", "after", "by")."""

    surface: str | None
    dates: list[tuple[str, Date]]


@dataclass(frozen=True)
class Fact:
    """One statement about the thing: a property's label and its values (links or text)."""

    prop: str
    values: list[Link | str]


@dataclass(frozen=True)
class Participant:
    role: str
    actor: Link


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: the quoted span of an article and who the article cites."""

    quote: str | None
    start: int | None
    end: int | None
    article: Link
    publisher: Link | None
    published: Date | None
    citing: list[Link]

    @property
    def attribution(self) -> str:
        """"Sahar News, citing Reuters"."""
        who = self.publisher.label if self.publisher else self.article.label
        citing = " and ".join(c.label for c in self.citing)
        return f"{who}, citing {citing}" if citing else who


@dataclass(frozen=True)
class Dated:
    """A linked thing with its first date (for lists in time order)."""

    link: Link
    date: Date | None
    status: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Response:
    """A response to the event; ``article`` and ``published`` say which article reports it, and
    ``later`` whether that article came out after the event's own."""

    link: Link
    kind: str
    responders: list[Link]
    counter_demands: list[Link]
    article: Link | None = None
    published: Date | None = None
    later: bool = False


@dataclass(frozen=True)
class Report:
    """One article's report of a merged event: its event, and the article with its publisher and date."""

    link: Link
    article: Link | None
    publisher: Link | None
    published: Date | None


@dataclass(frozen=True)
class Contradiction:
    """Where the reports of a merged event disagree: the aspect, every version with its source in
    one line (``36 killed per A; 26 per B``), and the facts that hold the versions."""

    aspect: str
    label: str
    claims: list[Link]


@dataclass(frozen=True)
class Merged:
    """The event as several articles report it (``peace:ReportedEvent``): how many independent
    sources, each report, and where they disagree."""

    link: Link
    independent_sources: int | None
    reports: list[Report]
    disagreements: list[Contradiction]

    @property
    def source_count(self) -> int:
        """The independent sources, or the reporting articles when the links do not count them."""
        if self.independent_sources is not None:
            return self.independent_sources
        return len({r.article.iri for r in self.reports if r.article})


@dataclass(frozen=True)
class Action:
    """What a proposal or demand asks for: the proposed event, its duration and status."""

    link: Link
    duration: str | None
    status: str | None

    @property
    def duration_text(self) -> str | None:
        """The duration in words ("P7D" -> "7 days"), or as written if it is not a simple one."""
        return readable_duration(self.duration) if self.duration else None


@dataclass
class EventPage:
    kind: str
    iri: str
    label: str
    types: list[Link]
    event_type: Link | None
    status: Link | None
    asserted_by: Link | None
    confidence: str | None
    time: Timing | None
    participants: list[Participant]
    places: list[Link]
    according_to: list[Link]
    facts: list[Fact]
    sources: list[Source]
    proposals: list[Link]
    preconditions: list[Link]
    responses: list[Response]
    previous: Dated | None
    next: Dated | None
    proposer: list[Link] = field(default_factory=list)
    addressee: list[Link] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    purpose: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    precedes: list[Link] = field(default_factory=list)
    outcome: Link | None = None
    merged: Merged | None = None  # the reports of the event in several articles, when it has them
    length: str | None = None  # how long it lasts, in words ("7 days")


@dataclass(frozen=True)
class Membership:
    """A position held, over the articles that attest it: the dates they were published, oldest
    first, and the tenure ("current", "former") the latest of them reports."""

    post: Link | None
    organisation: Link | None
    role: Link | None
    tenure: str | None
    attested: list[Date]


@dataclass(frozen=True)
class Statement:
    link: Link
    date: Date | None
    quotes: list[str]
    content: list[str]


@dataclass
class ActorPage:
    kind: str
    iri: str
    label: str
    types: list[Link]
    other_names: list[str]
    wikidata: list[str]
    memberships: list[Membership]
    events: list[Dated]
    statements: list[Statement]


@dataclass(frozen=True)
class Condition:
    """One required condition, whether it was met (True, False, or None when the data does not say)
    and why we think so."""

    link: Link
    leads_to: list[Link]
    required_event: Dated | None
    met: bool | None
    met_reason: str
    met_by: list[Dated] = field(default_factory=list)  # later reports of events that met it
    broken_by: list[Dated] = field(default_factory=list)  # ... or went against it


@dataclass
class PreconditionPage:
    kind: str
    iri: str
    label: str
    set_by: list[Link]
    condition_for: list[Dated]
    stated_in: list[Link]
    conditions: list[Condition]
    sources: list[Source]
    met_by: list[Dated] = field(default_factory=list)  # the precondition as a whole
    broken_by: list[Dated] = field(default_factory=list)


@dataclass(frozen=True)
class Span:
    """A piece of the article's text and the facts whose evidence covers it; ``starts`` lists the
    numbers of the facts whose evidence begins here."""

    text: str
    kinds: list[str]
    numbers: list[int]
    starts: list[int]


@dataclass(frozen=True)
class ArticleFact:
    number: int
    link: Link
    kind: str
    quote: str | None
    start: int | None
    end: int | None


@dataclass
class ArticlePage:
    kind: str
    iri: str
    label: str
    publisher: Link | None
    published: Date | None
    url: str | None
    citing: list[Link]
    text: str
    spans: list[Span]
    facts: list[ArticleFact]
    legend: list[tuple[str, int]]


Page = EventPage | ActorPage | PreconditionPage | ArticlePage


# -- queries (``?this`` is bound to the page's IRI) -------------------------------------------

_P = sparql_prefixes()
_EN = 'FILTER(langMatches(lang(?{0}), "en") || lang(?{0}) = "")'
_LABEL = "OPTIONAL {{ ?{0} rdfs:label|skos:prefLabel ?{0}Label " + _EN.format("{0}Label") + " }}"

#: An evidence target's quote and position: every span of an annotation has both (docs/model.md).
#: Required rather than OPTIONAL, which pyoxigraph evaluates over every selector of the KB.
_SELECTORS = """?target oa:hasSelector ?quote . ?quote oa:exact ?exact .
  ?target oa:hasSelector ?position . ?position oa:start ?start ; oa:end ?end ."""
_TYPES = _P + "SELECT ?this ?type WHERE { ?this a ?type }"
_OUT = _P + f"""SELECT ?this ?p ?o ?pLabel ?oLabel ?role WHERE {{
  ?this ?p ?o .
  OPTIONAL {{ ?p rdfs:label ?pLabel {_EN.format("pLabel")} }}
  {_LABEL.format("o")}
  OPTIONAL {{ ?p rdfs:subPropertyOf sem:hasActor BIND(true AS ?role) }}
}}"""
_TIME = _P + "SELECT ?this ?p ?o WHERE { ?this peace:time ?time . ?time ?p ?o }"
_SOURCES = _P + f"""SELECT ?this ?evidence ?exact ?start ?end ?article ?articleLabel ?publisher ?publisherLabel
       ?published ?author ?authorLabel WHERE {{
  ?this peace:evidence ?evidence .
  ?evidence oa:hasTarget ?target . ?target oa:hasSource ?article .
  {_SELECTORS}
  {_LABEL.format("article")}
  OPTIONAL {{ ?article schema:publisher ?publisher {_LABEL.format("publisher")} }}
  OPTIONAL {{ ?article schema:datePublished ?published }}
  OPTIONAL {{
    {{ ?this peace:reportedVia ?report }}
    UNION {{ ?article prov:wasDerivedFrom ?report FILTER NOT EXISTS {{ ?this peace:reportedVia ?via }} }}
    ?report prov:wasAttributedTo ?author {_LABEL.format("author")}
  }}
}}"""
_STAMPS = "sem:hasTimeStamp|sem:hasBeginTimeStamp|sem:hasEarliestBeginTimeStamp|sem:hasLatestEndTimeStamp"


def _key(var: str) -> str:
    """Patterns binding ``?{var}Date``, the first time stamp of ``?{var}``, and ``?{var}Key``, its text."""
    return f"""OPTIONAL {{ ?{var} sem:hasTimeStamp ?{var}Point }}
  OPTIONAL {{ ?{var} sem:hasBeginTimeStamp ?{var}Begin }}
  OPTIONAL {{ ?{var} sem:hasEarliestBeginTimeStamp ?{var}Earliest }}
  OPTIONAL {{ ?{var} sem:hasLatestEndTimeStamp ?{var}Latest }}
  BIND(COALESCE(?{var}Point, ?{var}Begin, ?{var}Earliest, ?{var}Latest) AS ?{var}Date)
  BIND(STR(?{var}Date) AS ?{var}Key)"""


#: Every dated event with its first time stamp (for the neighbours in time, see :class:`_TimeOrder`).
_EVENT_DATES = _P + f"""SELECT ?e ?eDate WHERE {{ ?e a sem:Event . {_key("e")} FILTER(BOUND(?eDate)) }}"""
_DATED = _P + f"""SELECT ?this ?thisLabel ?thisDate ?thisStatusLabel WHERE {{
  {_key("this")}
  {_LABEL.format("this")}
  OPTIONAL {{ ?this peace:status ?thisStatus {_LABEL.format("thisStatus")} }}
}} LIMIT 1"""
_RESPONSES = _P + f"""SELECT ?this ?r ?rLabel ?type ?typeLabel ?responder ?responderLabel ?demand ?demandLabel
       ?article ?articleLabel ?published WHERE {{
  ?r peace:respondsTo ?this {_LABEL.format("r")}
  OPTIONAL {{ ?r a ?type FILTER(?type IN (peace:Acceptance, peace:Rejection, peace:Response))
             {_LABEL.format("type")} }}
  OPTIONAL {{ ?r peace:responder ?responder {_LABEL.format("responder")} }}
  OPTIONAL {{ ?r peace:counterDemand ?demand {_LABEL.format("demand")} }}
  OPTIONAL {{ ?r prov:wasDerivedFrom ?article . ?article a schema:NewsArticle {_LABEL.format("article")}
             OPTIONAL {{ ?article schema:datePublished ?published }} }}
}}"""
#: The merged events the thing is a report of, or the thing itself when it is one.
_MERGED = _P + """SELECT ?this ?m WHERE { { ?m peace:reportedAs ?this } UNION { ?this peace:reportedAs [] BIND(?this AS ?m) } }"""
_REPORTS = _P + f"""SELECT ?this ?thisLabel ?independent ?r ?rLabel ?article ?articleLabel ?publisher ?publisherLabel
       ?published WHERE {{
  ?this peace:reportedAs ?r {_LABEL.format("this")} {_LABEL.format("r")}
  OPTIONAL {{ ?this peace:independentSources ?independent }}
  OPTIONAL {{ ?r prov:wasDerivedFrom ?article . ?article a schema:NewsArticle {_LABEL.format("article")}
             OPTIONAL {{ ?article schema:publisher ?publisher {_LABEL.format("publisher")} }}
             OPTIONAL {{ ?article schema:datePublished ?published }} }}
}}"""
_DISAGREEMENTS = _P + f"""SELECT ?this ?d ?aspect ?dLabel ?claim ?claimLabel WHERE {{
  ?d a peace:Disagreement ; peace:about ?this {_LABEL.format("d")}
  OPTIONAL {{ ?d peace:aspect ?aspect }}
  OPTIONAL {{ ?d peace:claim ?claim {_LABEL.format("claim")} }}
}}"""
#: The events that met or broke a precondition (``?x`` is the precondition or one of its conditions).
_MET_OR_BROKEN = _P + f"""SELECT ?this ?x ?how ?e ?eLabel ?eDate ?eStatusLabel WHERE {{
  {{ BIND(?this AS ?x) }} UNION {{ ?this peace:requires ?x }}
  VALUES ?how {{ peace:metBy peace:brokenBy }}
  ?x ?how ?e {_LABEL.format("e")}
  {_key("e")}
  OPTIONAL {{ ?e peace:status ?eStatus {_LABEL.format("eStatus")} }}
}}"""
_ACTIONS = _P + f"""SELECT ?this ?a ?aLabel ?duration ?count ?unit ?aStatusLabel WHERE {{
  ?this peace:proposedAction|peace:demandedAction ?a {_LABEL.format("a")}
  OPTIONAL {{ ?a time:hasXSDDuration ?duration }}
  OPTIONAL {{ ?a time:hasDuration [ time:numericDuration ?count ; time:unitType ?unit ] }}
  OPTIONAL {{ ?a peace:status ?aStatus {_LABEL.format("aStatus")} }}
}}"""
#: An event's own length, in both forms.
_LENGTH = _P + """SELECT ?this ?duration ?count ?unit WHERE {
  OPTIONAL { ?this time:hasXSDDuration ?duration }
  OPTIONAL { ?this time:hasDuration [ time:numericDuration ?count ; time:unitType ?unit ] }
}"""
_RELATED = _P + f"""SELECT ?this ?x ?xLabel ?kind WHERE {{
  {{ ?x peace:proposedAction|peace:precedes ?this BIND("proposal" AS ?kind) }}
  UNION {{ ?this peace:precedes|peace:proposedAction ?x BIND("proposal" AS ?kind) }}
  UNION {{ ?x peace:conditionFor|peace:statedIn ?this BIND("precondition" AS ?kind) }}
  UNION {{ ?x peace:requires/peace:requiredEvent ?this BIND("precondition" AS ?kind) }}
  {_LABEL.format("x")}
}}"""
_MEMBERSHIPS = _P + f"""SELECT ?this ?m ?post ?postLabel ?org ?orgLabel ?role ?roleLabel ?tenureLabel ?attested WHERE {{
  ?m org:member ?this .
  OPTIONAL {{ ?m peace:post ?post {_LABEL.format("post")} }}
  OPTIONAL {{ ?m org:organization ?org {_LABEL.format("org")} }}
  OPTIONAL {{ ?m org:role ?role {_LABEL.format("role")} }}
  OPTIONAL {{ ?m peace:tenure ?tenure {_LABEL.format("tenure")} }}
  OPTIONAL {{ ?m peace:attestedOn ?attested }}
}}"""
_ACTOR_EVENTS = _P + f"""SELECT ?this ?e ?eLabel ?eDate ?eStatusLabel ?roleLabel WHERE {{
  ?e sem:hasActor ?this .
  OPTIONAL {{ ?e ?role ?this . ?role rdfs:subPropertyOf sem:hasActor {_LABEL.format("role")} }}
  {_key("e")}
  {_LABEL.format("e")}
  OPTIONAL {{ ?e peace:status ?eStatus {_LABEL.format("eStatus")} }}
}}"""
_STATEMENTS = _P + f"""SELECT ?this ?e ?eLabel ?eDate ?quote ?content WHERE {{
  ?e peace:speaker ?this .
  {_key("e")}
  {_LABEL.format("e")}
  OPTIONAL {{ ?e peace:quote ?quote }}
  OPTIONAL {{ ?e peace:content ?content }}
}}"""
_CONDITIONS = _P + f"""SELECT ?this ?c ?cLabel ?next ?nextLabel ?e ?eLabel ?eDate ?eStatus ?eStatusLabel WHERE {{
  ?this peace:requires ?c {_LABEL.format("c")}
  OPTIONAL {{ ?c peace:leadsTo ?next {_LABEL.format("next")} }}
  OPTIONAL {{
    ?c peace:requiredEvent ?e {_LABEL.format("e")}
    {_key("e")}
    OPTIONAL {{ ?e peace:status ?eStatus {_LABEL.format("eStatus")} }}
  }}
}}"""
_GATED = _P + f"""SELECT ?this ?e ?eLabel ?eDate ?eStatusLabel WHERE {{
  ?this peace:conditionFor ?e {_LABEL.format("e")}
  {_key("e")}
  OPTIONAL {{ ?e peace:status ?eStatus {_LABEL.format("eStatus")} }}
}}"""
_ARTICLE_FACTS = _P + f"""SELECT ?this ?fact ?factLabel ?exact ?start ?end WHERE {{
  ?target oa:hasSource ?this . ?evidence oa:hasTarget ?target ; oa:hasBody ?fact .
  {_SELECTORS}
  {_LABEL.format("fact")}
}}"""
_ARTICLE_CITES = _P + f"""SELECT ?this ?author ?authorLabel WHERE {{
  ?this prov:wasDerivedFrom ?report . ?report prov:wasAttributedTo ?author {_LABEL.format("author")}
}}"""


# -- reading bindings ---------------------------------------------------------------------------


def _value(row: Binding, name: str) -> str | None:
    cell = row.get(name)
    return cell["value"] if cell else None


def local_name(iri: str) -> str:
    """The last segment of an IRI, words separated by spaces ("peace#TalksRound" -> "TalksRound")."""
    return re.split(r"[/#]", iri.rstrip("/#"))[-1].replace("-", " ")


def _link(row: Binding, name: str) -> Link | None:
    iri = _value(row, name)
    return Link(iri, _value(row, f"{name}Label") or local_name(iri)) if iri else None


def to_date(value: str, datatype: str | None = None) -> Date | None:
    """A date from a literal's lexical form: a day, a month or a year (None if it is not one).

    >>> to_date("2019-12-04").text, to_date("2019-11").text, to_date("2019").text
    ('4 Dec 2019', 'November 2019', '2019')
    """
    if not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value.strip()) or (datatype and not datatype.startswith(XSD)):
        return None
    point = DatePoint.parse(value.strip())
    return Date(value, point.text, point.precision) if point else None


def _dated(row: Binding, name: str, role: str | None = None) -> Dated:
    link = _link(row, name)
    assert link is not None
    raw = _value(row, f"{name}Date")
    return Dated(link, to_date(raw) if raw else None, _value(row, f"{name}StatusLabel"), role)


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _time_order(item: Dated) -> tuple[bool, str, str]:
    return (item.date is None, item.date.value if item.date else "", item.link.label)


class _Outgoing:
    """The thing's own triples, by property."""

    def __init__(self, rows: list[Binding]) -> None:
        self.values: dict[str, list[Link | str]] = {}
        self.labels: dict[str, str] = {}
        self.roles: set[str] = set()
        for row in rows:
            prop = _value(row, "p") or ""
            self.labels.setdefault(prop, _value(row, "pLabel") or local_name(prop))
            if _value(row, "role"):
                self.roles.add(prop)
            cell = row["o"]
            value: Link | str = (
                Link(cell["value"], _value(row, "oLabel") or local_name(cell["value"]))
                if cell["type"] == "uri" else cell["value"]
            )
            values = self.values.setdefault(prop, [])
            if not any(v == value or (isinstance(v, Link) and isinstance(value, Link) and v.iri == value.iri)
                       for v in values):
                values.append(value)

    def links(self, prop: str) -> list[Link]:
        return sorted((v for v in self.values.get(prop, []) if isinstance(v, Link)), key=lambda v: v.label)

    def link(self, prop: str) -> Link | None:
        return next(iter(self.links(prop)), None)

    def texts(self, prop: str) -> list[str]:
        return sorted(v for v in self.values.get(prop, []) if isinstance(v, str))

    def label(self, fallback: str) -> str:
        for prop in ("http://www.w3.org/2000/01/rdf-schema#label", "https://schema.org/headline",
                     "http://www.w3.org/2004/02/skos/core#prefLabel"):
            if texts := self.texts(prop):
                return texts[0]
        return fallback

    def facts(self, shown: set[str]) -> list[Fact]:
        """Every property not in ``shown`` (nor a role), with its values."""
        return sorted(
            (Fact(self.labels[p], sorted(v, key=lambda x: x.label if isinstance(x, Link) else x))
             for p, v in self.values.items() if p not in shown and p not in self.roles),
            key=lambda f: f.prop,
        )


# -- assembling pages --------------------------------------------------------------------------

_SHOWN_ON_EVENTS = {RDF_TYPE, *(PEACE + p for p in (
    "status", "assertedBy", "confidence", "time", "evidence", "accordingTo", "proposer", "addressee",
    "content", "purpose", "proposedAction", "demandedAction", "precedes", "outcome", "reportedVia",
))} | {SEM + p for p in ("hasActor", "hasPlace", "eventType", "hasTimeStamp", "hasBeginTimeStamp",
                         "hasEndTimeStamp", "hasEarliestBeginTimeStamp", "hasLatestEndTimeStamp")} | {
    "http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/ns/prov#wasDerivedFrom",
    "http://www.w3.org/ns/prov#wasInformedBy", "https://schema.org/eventStatus",
    TIME + "hasXSDDuration", TIME + "hasDuration",
}
_TIME_WORDS = (("value", "on"), ("begin", "from"), ("end", "until"), ("earliest", "after"), ("latest", "by"))


class _TimeOrder:
    """Every dated event sorted by (first time stamp, IRI), read once per state of the store (its
    last-modified stamp), so finding an event's neighbours is a binary search, not a sort."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple[str, datetime] | None = None
        self._order: list[tuple[str, str]] = []
        self._keys: dict[str, str] = {}

    def neighbours(self, store: SelectableStore, iri: str) -> tuple[str | None, str | None]:
        """The IRIs of the events just before and just after ``iri`` (None at either end, or when
        ``iri`` has no date)."""
        stamp = (str(getattr(store, "path", type(store).__name__)), store.last_modified())
        with self._lock:
            if stamp != self._stamp:
                rows = store.select(_EVENT_DATES)
                first: dict[str, str] = {}
                for row in rows:
                    event, key = _value(row, "e") or "", _value(row, "eDate") or ""
                    first[event] = min(key, first.get(event, key))
                self._order = sorted((key, event) for event, key in first.items())
                self._keys, self._stamp = first, stamp
            order, key = self._order, self._keys.get(iri)
        if key is None:
            return None, None
        at = bisect.bisect_left(order, (key, iri))
        return (order[at - 1][1] if at > 0 else None), (order[at + 1][1] if at + 1 < len(order) else None)


_TIME_ORDER = _TimeOrder()


def _dated_event(store: SelectableStore, iri: str | None) -> Dated | None:
    if iri is None:
        return None
    rows = store.select(_DATED, {"this": iri})
    return _dated(rows[0], "this") if rows else None


def page_data(store: SelectableStore, iri: str) -> Page | None:
    """The page of ``iri`` by the kind of thing it is, or None if it is none of the page kinds.

    :raises QueryError: ``iri`` is not an absolute IRI.
    """
    types = {_value(row, "type") for row in store.select(_TYPES, {"this": iri})}
    if PEACE + "ReportedEvent" in types:
        return _merged_event(store, iri)
    if PEACE + "Proposal" in types:
        return _event(store, iri, "proposal")
    if SEM + "Event" in types:
        return _event(store, iri, "event")
    if PEACE + "Precondition" in types:
        return _precondition(store, iri)
    if "https://schema.org/NewsArticle" in types:
        return _article(store, iri)
    if SEM + "Actor" in types:
        return _actor(store, iri)
    return None


def as_json(page: Page) -> dict[str, Any]:
    """The page's data as JSON-ready dicts and lists (a Source also carries its attribution, an
    Action its duration in words, a Merged event its count of sources)."""

    def convert(value: Any) -> Any:
        if isinstance(value, Source):
            return {**{f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)},
                    "attribution": value.attribution}
        if isinstance(value, Action):
            return {**{f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)},
                    "duration_text": value.duration_text}
        if isinstance(value, Merged):
            return {**{f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)},
                    "source_count": value.source_count}
        if dataclasses.is_dataclass(value):
            return {f.name: convert(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    return convert(page)


def _sources(store: SelectableStore, iri: str) -> list[Source]:
    grouped: dict[str, tuple[Binding, list[Link]]] = {}
    for row in store.select(_SOURCES, {"this": iri}):
        _, citing = grouped.setdefault(_value(row, "evidence") or "", (row, []))
        if (author := _link(row, "author")) and author not in citing:
            citing.append(author)
    sources = []
    for row, citing in grouped.values():
        start, end, published = _value(row, "start"), _value(row, "end"), _value(row, "published")
        article = _link(row, "article")
        assert article is not None
        sources.append(Source(
            quote=_value(row, "exact"),
            start=int(start) if start else None,
            end=int(end) if end else None,
            article=article,
            publisher=_link(row, "publisher"),
            published=to_date(published) if published else None,
            citing=sorted(citing, key=lambda c: c.label),
        ))
    return sorted(sources, key=lambda s: (s.article.label, s.start or 0))


def _timing(store: SelectableStore, iri: str) -> Timing | None:
    found: dict[str, tuple[str, str | None]] = {}
    for row in store.select(_TIME, {"this": iri}):
        prop = (_value(row, "p") or "").removeprefix(PEACE)
        found[prop] = (row["o"]["value"], row["o"].get("datatype"))
    dates = [(word, date) for name, word in _TIME_WORDS
             if name in found and (date := to_date(*found[name])) is not None]
    if not found:
        return None
    return Timing(found["surfaceText"][0] if "surfaceText" in found else None, dates)


def _event(store: SelectableStore, iri: str, kind: str) -> EventPage:
    this = {"this": iri}
    out = _Outgoing(store.select(_OUT, this))
    participants = sorted(
        (Participant(out.labels[p], actor) for p in out.roles for actor in out.links(p)),
        key=lambda x: (x.role, x.actor.label),
    )
    related: dict[str, list[Link]] = {"proposal": [], "precondition": []}
    for row in store.select(_RELATED, this):
        link = _link(row, "x")
        if link and link.iri != iri and link not in related[_value(row, "kind") or ""]:
            related[_value(row, "kind") or ""].append(link)
    merged = _merged(store, iri)
    sources = _sources(store, iri)
    responses = _responses(store, [iri, *([merged.link.iri, *(r.link.iri for r in merged.reports)] if merged else [])],
                           min((s.published.value for s in sources if s.published), default=None))
    actions = _unique([
        Action(_link(row, "a"), _duration(row), _value(row, "aStatusLabel"))  # type: ignore[arg-type]
        for row in store.select(_ACTIONS, this)
    ])
    previous, following = _TIME_ORDER.neighbours(store, iri)
    confidence = out.texts(PEACE + "confidence")
    length = next((_duration(row) for row in store.select(_LENGTH, this)), None) \
        if out.texts(TIME + "hasXSDDuration") else None  # kb writes the number only beside a duration
    return EventPage(
        kind=kind,
        iri=iri,
        label=out.label(local_name(iri)),
        types=[t for t in out.links(RDF_TYPE) if t.iri.startswith(PEACE)],
        event_type=out.link(SEM + "eventType"),
        status=out.link(PEACE + "status"),
        asserted_by=out.link(PEACE + "assertedBy"),
        confidence=confidence[0] if confidence else None,
        time=_timing(store, iri),
        participants=participants,
        places=out.links(SEM + "hasPlace"),
        according_to=out.links(PEACE + "accordingTo"),
        facts=out.facts(_SHOWN_ON_EVENTS),
        sources=sources,
        proposals=sorted(related["proposal"], key=lambda x: x.label),
        preconditions=sorted(related["precondition"], key=lambda x: x.label),
        responses=responses,
        previous=_dated_event(store, previous),
        next=_dated_event(store, following),
        proposer=out.links(PEACE + "proposer") or out.links(PEACE + "demander"),
        addressee=out.links(PEACE + "addressee"),
        content=out.texts(PEACE + "content"),
        purpose=out.texts(PEACE + "purpose"),
        actions=sorted(actions, key=lambda a: a.link.label),
        precedes=out.links(PEACE + "precedes"),
        outcome=out.link(PEACE + "outcome"),
        merged=merged,
        length=readable_duration(length) if length else None,
    )


def _responses(store: SelectableStore, targets: list[str], published: str | None) -> list[Response]:
    """The responses to any of ``targets`` (an event and the other reports of it), each with the
    article reporting it, and whether that article came out after ``published``."""
    responses: dict[str, Response] = {}
    for target in _unique(targets):
        for row in store.select(_RESPONSES, {"this": target}):
            link = _link(row, "r")
            assert link is not None
            when = _value(row, "published")
            response = responses.setdefault(link.iri, Response(
                link, "", [], [], _link(row, "article"), to_date(when) if when else None,
                bool(when and published and when > published),
            ))
            type_label = _value(row, "typeLabel")
            if type_label and (not response.kind or _value(row, "type") != PEACE + "Response"):
                response = responses[link.iri] = dataclasses.replace(response, kind=type_label)
            for name, items in (("responder", response.responders), ("demand", response.counter_demands)):
                if (found := _link(row, name)) and found not in items:
                    items.append(found)
    return sorted(responses.values(), key=lambda r: (r.published.value if r.published else "", r.link.label))


def _merged(store: SelectableStore, iri: str) -> Merged | None:
    """The merged event ``iri`` is a report of (or is), with its reports and disagreements."""
    found = sorted(_value(row, "m") or "" for row in store.select(_MERGED, {"this": iri}))
    if not found:
        return None
    merged = found[0]
    rows = store.select(_REPORTS, {"this": merged})
    reports = _unique([
        Report(_link(row, "r"), _link(row, "article"), _link(row, "publisher"),  # type: ignore[arg-type]
               to_date(_value(row, "published") or ""))
        for row in rows
    ])
    claims: dict[str, tuple[str, str, list[Link]]] = {}
    for row in store.select(_DISAGREEMENTS, {"this": merged}):
        aspect = _value(row, "aspect") or ""
        _, _, linked = claims.setdefault(_value(row, "d") or "", (aspect, _value(row, "dLabel") or aspect, []))
        if (claim := _link(row, "claim")) and claim not in linked:
            linked.append(claim)
    counts = [int(v) for row in rows if (v := _value(row, "independent")) and v.isdigit()]
    label = next((_value(row, "thisLabel") for row in rows if _value(row, "thisLabel")), None)
    return Merged(
        link=Link(merged, label or local_name(merged)),
        independent_sources=min(counts, default=None),
        reports=sorted(reports, key=lambda r: (r.published.value if r.published else "9999", r.link.iri)),
        disagreements=sorted((Contradiction(a, text, sorted(c, key=lambda x: x.label))
                              for a, text, c in claims.values()), key=lambda d: (d.aspect, d.label)),
    )


def _merged_event(store: SelectableStore, iri: str) -> EventPage:
    """The page of a merged event: the first report's page, with every report's participants,
    places, sources and responses, and the reports themselves with their disagreements."""
    merged = _merged(store, iri)
    assert merged is not None
    pages = [_event(store, r.link.iri, "event") for r in merged.reports]
    first = pages[0]
    kind = "proposal" if any(p.kind == "proposal" or PEACE + "Proposal" in {t.iri for t in p.types} for p in pages) \
        else "event"
    return dataclasses.replace(
        first,
        kind=kind,
        iri=iri,
        label=merged.link.label,
        participants=sorted(_unique([x for p in pages for x in p.participants]), key=lambda x: (x.role, x.actor.label)),
        places=sorted(_unique([x for p in pages for x in p.places]), key=lambda x: x.label),
        sources=sorted({(x.article.iri, x.start, x.quote): x for p in pages for x in p.sources}.values(),
                       key=lambda x: (x.article.label, x.start or 0)),
        responses=first.responses,
        proposals=sorted(_unique([x for p in pages for x in p.proposals]), key=lambda x: x.label),
        preconditions=sorted(_unique([x for p in pages for x in p.preconditions]), key=lambda x: x.label),
        previous=None,
        next=None,
        merged=merged,
    )


def _actor(store: SelectableStore, iri: str) -> ActorPage:
    this = {"this": iri}
    out = _Outgoing(store.select(_OUT, this))
    memberships = _memberships(store.select(_MEMBERSHIPS, this))
    events: dict[str, Dated] = {}
    for row in store.select(_ACTOR_EVENTS, this):
        found = _dated(row, "e", _value(row, "roleLabel"))
        if found.link.iri not in events or (found.role and not events[found.link.iri].role):
            events[found.link.iri] = found
    statements: dict[str, Statement] = {}
    for row in store.select(_STATEMENTS, this):
        dated = _dated(row, "e")
        statement = statements.setdefault(dated.link.iri, Statement(dated.link, dated.date, [], []))
        for name, items in (("quote", statement.quotes), ("content", statement.content)):
            if (text := _value(row, name)) and text not in items:
                items.append(text)
    return ActorPage(
        kind="actor",
        iri=iri,
        label=out.label(local_name(iri)),
        types=[t for t in out.links(RDF_TYPE) if t.iri.startswith(PEACE)],
        other_names=out.texts("http://www.w3.org/2004/02/skos/core#altLabel"),
        wikidata=sorted(v.iri for v in out.links("http://www.w3.org/2002/07/owl#sameAs")
                        if v.iri.startswith(WIKIDATA)),
        memberships=memberships,
        events=sorted(events.values(), key=_time_order),
        statements=sorted(statements.values(), key=lambda s: (s.date is None, s.date.value if s.date else "",
                                                               s.link.label)),
    )


def _memberships(rows: list[Binding]) -> list[Membership]:
    """One membership per post (or role) and organisation, oldest first."""
    grouped: dict[tuple[str | None, ...], list[tuple[str, str | None]]] = {}
    links: dict[tuple[str | None, ...], tuple[Link | None, Link | None, Link | None]] = {}
    for row in rows:
        key = (_value(row, "post"), _value(row, "org"), _value(row, "role"))
        links[key] = (_link(row, "post"), _link(row, "org"), _link(row, "role"))
        grouped.setdefault(key, []).append((_value(row, "attested") or "", _value(row, "tenureLabel")))
    memberships = []
    for key, seen in grouped.items():
        seen.sort(key=lambda s: (s[0], s[1] or ""))
        dates = [d for d in _unique([to_date(value) for value, _ in seen if value]) if d is not None]
        memberships.append(Membership(*links[key], tenure=seen[-1][1], attested=dates))
    return sorted(memberships, key=lambda m: (m.attested[0].value if m.attested else "9999",
                                              m.post.label if m.post else ""))


def _precondition(store: SelectableStore, iri: str) -> PreconditionPage:
    this = {"this": iri}
    out = _Outgoing(store.select(_OUT, this))
    conditions: dict[str, tuple[Link, list[Link], Dated | None, str | None]] = {}
    for row in store.select(_CONDITIONS, this):
        link = _link(row, "c")
        assert link is not None
        required = _dated(row, "e") if _value(row, "e") else None
        _, leads_to, _, _ = conditions.setdefault(link.iri, (link, [], required, _value(row, "eStatus")))
        if (following := _link(row, "next")) and following not in leads_to:
            leads_to.append(following)
    later: dict[tuple[str, str], list[Dated]] = {}  # (precondition or condition, metBy | brokenBy) -> events
    for row in store.select(_MET_OR_BROKEN, this):
        events = later.setdefault((_value(row, "x") or "", (_value(row, "how") or "").removeprefix(PEACE)), [])
        if (event := _dated(row, "e")) not in events:
            events.append(event)
    return PreconditionPage(
        kind="precondition",
        iri=iri,
        label=out.label(local_name(iri)),
        set_by=out.links(PEACE + "setBy"),
        condition_for=sorted((_dated(row, "e") for row in store.select(_GATED, this)), key=_time_order),
        stated_in=out.links(PEACE + "statedIn"),
        conditions=sorted((_condition(*c, later.get((c[0].iri, "metBy"), []), later.get((c[0].iri, "brokenBy"), []))
                           for c in conditions.values()), key=lambda c: c.link.label),
        sources=_sources(store, iri),
        met_by=sorted(later.get((iri, "metBy"), []), key=_time_order),
        broken_by=sorted(later.get((iri, "brokenBy"), []), key=_time_order),
    )


def _condition(link: Link, leads_to: list[Link], required: Dated | None, status: str | None,
               met_by: list[Dated], broken_by: list[Dated]) -> Condition:
    """Whether the condition was met: as a later report that met or broke it says (peace:metBy,
    peace:brokenBy), else judged by the status of the event that would meet it."""
    met_by, broken_by = sorted(met_by, key=_time_order), sorted(broken_by, key=_time_order)
    if broken_by:
        return Condition(link, leads_to, required, False, "Broken: a later report tells of an event that went "
                         "against it.", met_by, broken_by)
    if met_by:
        return Condition(link, leads_to, required, True, "Met: a later report tells of the event that met it.",
                         met_by, broken_by)
    if required is None:
        return Condition(link, leads_to, None, None, "The data names no event that would meet it.")
    if status == PEACE + "Occurred":
        return Condition(link, leads_to, required, True, "Met: the event that meets it occurred.")
    state = required.status or "of unknown status"
    return Condition(link, leads_to, required, False, f"Not met in the data: the event that would meet it is {state}.")


def _article(store: SelectableStore, iri: str) -> ArticlePage:
    this = {"this": iri}
    out = _Outgoing(store.select(_OUT, this))
    text = next(iter(out.texts("https://schema.org/articleBody")), "")
    found: dict[tuple[str, str | None], Binding] = {}
    for row in store.select(_ARTICLE_FACTS, this):
        found.setdefault((_value(row, "fact") or "", _value(row, "start")), row)
    rows = sorted(found.values(), key=lambda r: (int(_value(r, "start") or len(text)), -int(_value(r, "end") or 0),
                                                 _value(r, "fact") or ""))
    facts = []
    for number, row in enumerate(rows, start=1):
        link = _link(row, "fact")
        assert link is not None
        start, end = _value(row, "start"), _value(row, "end")
        facts.append(ArticleFact(number, link, fact_kind(link.iri), _value(row, "exact"),
                                 int(start) if start else None, int(end) if end else None))
    kinds: dict[str, int] = {}
    for fact in facts:
        kinds[fact.kind] = kinds.get(fact.kind, 0) + 1
    published = out.texts("https://schema.org/datePublished")
    return ArticlePage(
        kind="article",
        iri=iri,
        label=out.label(local_name(iri)),
        publisher=out.link("https://schema.org/publisher"),
        published=to_date(published[0]) if published else None,
        url=next((v.iri for v in out.links("https://schema.org/url")), None),
        citing=sorted(_unique([link for row in store.select(_ARTICLE_CITES, this)
                               if (link := _link(row, "author"))]), key=lambda c: c.label),
        text=text,
        spans=spans(text, facts),
        facts=facts,
        legend=sorted(kinds.items()),
    )


_DURATION_UNITS = (("Y", "year"), ("M", "month"), ("W", "week"), ("D", "day"))


def _duration(row: Binding) -> str | None:
    """An action's xsd:duration, or the one its OWL-Time number of units gives where the two
    disagree: Virtuoso keeps "P6M" as six seconds, and gives back "PT6S"."""
    duration, count, unit = _value(row, "duration"), _value(row, "count"), _value(row, "unit")
    if count is None or unit is None or not count.isdigit():
        return duration
    numeric = numeric_duration(duration) if duration else None
    if numeric is not None and (numeric[0], str(numeric[1])) == (int(count), unit):
        return duration
    return xsd_duration(int(count), unit) or duration


def readable_duration(value: str) -> str:
    """An xsd:duration of years, months, weeks or days in words; any other as written.

    >>> readable_duration("P7D"), readable_duration("P1Y2M"), readable_duration("PT5H")
    ('7 days', '1 year 2 months', 'PT5H')
    """
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?", value)
    if not match or not any(match.groups()):
        return value
    return " ".join(f"{n} {unit}{'' if n == '1' else 's'}"
                    for n, (_, unit) in zip(match.groups(), _DURATION_UNITS) if n)


def fact_kind(iri: str) -> str:
    """The kind of a fact from its IRI (``{base}id/{kind}/{article}/{fact}``): event, precondition, ..."""
    parts = iri.split("/")
    return parts[-3] if len(parts) >= 3 else "fact"


def spans(text: str, facts: list[ArticleFact]) -> list[Span]:
    """``text`` cut at every start and end of the facts' evidence, each piece with the facts that
    cover it (evidence may nest or overlap). Offsets outside the text are ignored."""
    placed = [f for f in facts if f.start is not None and f.end is not None and 0 <= f.start < f.end <= len(text)]
    cuts = sorted({0, len(text), *(f.start for f in placed), *(f.end for f in placed)})  # type: ignore[misc]
    pieces = []
    for start, end in itertools.pairwise(cuts):
        covering = [f for f in placed if f.start <= start and end <= f.end]  # type: ignore[operator]
        covering.sort(key=lambda f: (f.end - f.start, f.number))  # type: ignore[operator]
        pieces.append(Span(
            text=text[start:end],
            kinds=_unique([f.kind for f in covering]),
            numbers=[f.number for f in covering],
            starts=sorted(f.number for f in placed if f.start == start),
        ))
    return pieces
