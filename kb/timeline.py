"""The timeline: every dated event in date order, with what a reader needs to judge it.

:func:`timeline` reads the events through the standard vocabularies of ``docs/model.md`` (SEM
time stamps, SKOS event types, ``prov:wasDerivedFrom`` and Web Annotation evidence) with three
fixed SELECT queries, and groups their rows in Python.

>>> DatePoint.parse("2019-12-04").text, DatePoint.parse("2019-11").text, DatePoint.parse("2019").text
('4 Dec 2019', 'November 2019', '2019')
>>> EventTime(latest=DatePoint.parse("2019-08")).text
'by August 2019'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from itertools import groupby
from typing import Any, Protocol

from kb.namespaces import PEACE, SEM, sparql_prefixes
from kb.store import Binding

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_LEXICAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class SelectableStore(Protocol):
    """What :func:`timeline` needs from a store (see :meth:`kb.store.EmbeddedStore.select`)."""

    def select(self, query: str) -> list[Binding]: ...


@dataclass(frozen=True)
class DatePoint:
    """A time stamp at its precision; ``value`` is its lexical form, fit for ``<time datetime>``."""

    value: str
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, lexical: str) -> DatePoint | None:
        """A point from an ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` value; None if it is none."""
        match = _LEXICAL_DATE.match(lexical)
        if not match:
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        return cls(match.group(), year, month, day)  # type: ignore[arg-type]

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def text(self) -> str:
        """``4 Dec 2019``, ``November 2019`` or ``2019``."""
        if self.day and self.month:
            return f"{self.day} {_MONTHS[self.month - 1][:3]} {self.year}"
        if self.month:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """Orders a year before its months and a month before its days."""
        return (self.year, self.month or 0, self.day or 0)


@dataclass(frozen=True)
class EventTime:
    """When an event happened: a point, an interval (begin, end) or a window (earliest, latest)."""

    point: DatePoint | None = None
    begin: DatePoint | None = None
    end: DatePoint | None = None
    earliest: DatePoint | None = None
    latest: DatePoint | None = None

    def segments(self) -> list[tuple[str, DatePoint]]:
        """The date as written, as (words before, stamp) pairs: ``[("after ", 2019-08)]``."""
        if self.point:
            return [("", self.point)]
        if self.begin or self.end:
            if self.begin and self.end:
                return [("", self.begin), (" – ", self.end)]
            return [("from ", self.begin)] if self.begin else [("until ", self.end)]  # type: ignore[list-item]
        if self.earliest and self.latest:
            return [("between ", self.earliest), (" and ", self.latest)]
        return [("after ", self.earliest)] if self.earliest else [("by ", self.latest)]  # type: ignore[list-item]

    @property
    def text(self) -> str:
        """The date as one phrase: ``4 Dec 2019``, ``by 4 Dec 2019``, ``after August 2019``."""
        return "".join(words + stamp.text for words, stamp in self.segments())

    @property
    def first(self) -> DatePoint:
        """The earliest of the stamps: the event's place on the timeline."""
        stamps = [s for s in (self.point, self.begin, self.end, self.earliest, self.latest) if s]
        return min(stamps, key=lambda s: s.sort_key)

    def as_dict(self) -> dict[str, str | None]:
        """The phrase and each stamp's lexical value, for JSON."""
        stamps = {name: getattr(self, name) for name in ("point", "begin", "end", "earliest", "latest")}
        return {"text": self.text, **{name: s.value if s else None for name, s in stamps.items()}}


@dataclass(frozen=True)
class Link:
    """A resource with its label (an actor, a place, a status)."""

    iri: str
    label: str


@dataclass(frozen=True)
class EventType:
    """A SKOS event type with its CAMEO code."""

    iri: str
    label: str
    notation: str | None


@dataclass(frozen=True)
class Source:
    """An article an event is derived from, and the quoted evidence it gives for the event."""

    article: str
    headline: str | None
    publisher: Link | None
    quotes: tuple[str, ...]


@dataclass(frozen=True)
class TimelineEvent:
    """One line of the timeline."""

    iri: str
    label: str
    time: EventTime
    event_type: EventType | None
    actors: tuple[Link, ...]
    places: tuple[Link, ...]
    status: Link | None
    machine_extracted: bool
    sources: tuple[Source, ...]

    def as_dict(self) -> dict[str, Any]:
        """The event as plain JSON-ready data."""
        data = asdict(self)
        data["time"] = self.time.as_dict()
        return data


@dataclass(frozen=True)
class MonthGroup:
    """The events of one month of a year (``month`` None: the month is not known)."""

    year: int
    month: int | None
    events: tuple[TimelineEvent, ...]

    @property
    def heading(self) -> str:
        """``November 2019``, or ``2019, month not known``."""
        return DatePoint("", self.year, self.month).text if self.month else f"{self.year}, month not known"

    @property
    def value(self) -> str:
        """The month (or year) in ``<time datetime>`` form: ``2019-11`` (``2019``)."""
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


@dataclass(frozen=True)
class YearGroup:
    """The month groups of one year, in order."""

    year: int
    months: tuple[MonthGroup, ...]


def timeline(store: SelectableStore) -> list[TimelineEvent]:
    """Every ``sem:Event`` with a SEM time stamp, oldest first.

    Events are ordered by the earliest of their stamps (a year before its months, a month before
    its days); events on the same date by label, then IRI.

    :raises StoreError: the store cannot be read.
    """
    drafts: dict[str, _Draft] = defaultdict(_Draft)
    for row in store.select(_EVENTS_QUERY):
        drafts[row["event"]["value"]].add_event_row(row)
    for row in store.select(_LINKS_QUERY):
        if row["event"]["value"] in drafts:
            drafts[row["event"]["value"]].add_link_row(row)
    for row in store.select(_SOURCES_QUERY):
        if row["event"]["value"] in drafts:
            drafts[row["event"]["value"]].add_source_row(row)
    events = [event for iri, draft in drafts.items() if (event := draft.freeze(iri))]
    return sorted(events, key=lambda e: (e.time.first.sort_key, e.label, e.iri))


def by_year_and_month(events: Iterable[TimelineEvent]) -> list[YearGroup]:
    """Group events (in timeline order) under their year and month of :attr:`EventTime.first`."""
    years = []
    for year, in_year in groupby(events, key=lambda e: e.time.first.year):
        months = tuple(
            MonthGroup(year, month, tuple(in_month))
            for month, in_month in groupby(in_year, key=lambda e: e.time.first.month)
        )
        years.append(YearGroup(year, months))
    return years


# -- the queries (fixed text; nothing from a request goes into them) ---------------------------

_STAMP_FIELDS = {
    str(SEM.hasTimeStamp): "point",
    str(SEM.hasBeginTimeStamp): "begin",
    str(SEM.hasEndTimeStamp): "end",
    str(SEM.hasEarliestBeginTimeStamp): "earliest",
    str(SEM.hasLatestEndTimeStamp): "latest",
}
_ENGLISH = 'FILTER(langMatches(lang(?{0}), "en") || lang(?{0}) = "")'

_EVENTS_QUERY = sparql_prefixes() + f"""
SELECT ?event ?stampProperty ?stamp ?label ?type ?typeLabel ?notation ?status ?statusLabel ?assertedBy
WHERE {{
  VALUES ?stampProperty {{ {" ".join(f"<{p}>" for p in _STAMP_FIELDS)} }}
  ?event a sem:Event ; ?stampProperty ?stamp .
  OPTIONAL {{ ?event rdfs:label ?label {_ENGLISH.format("label")} }}
  OPTIONAL {{
    ?event sem:eventType ?type .
    OPTIONAL {{ ?type skos:prefLabel ?typeLabel {_ENGLISH.format("typeLabel")} }}
    OPTIONAL {{ ?type skos:notation ?notation }}
  }}
  OPTIONAL {{
    ?event peace:status ?status .
    OPTIONAL {{ ?status skos:prefLabel ?statusLabel {_ENGLISH.format("statusLabel")} }}
  }}
  OPTIONAL {{ ?event peace:assertedBy ?assertedBy }}
}}"""

_LINKS_QUERY = sparql_prefixes() + f"""
SELECT ?event ?role ?thing ?name
WHERE {{
  ?event a sem:Event .
  {{ ?event sem:hasActor ?thing BIND("actor" AS ?role) }}
  UNION
  {{ ?event sem:hasPlace ?thing BIND("place" AS ?role) }}
  OPTIONAL {{ ?thing rdfs:label ?name {_ENGLISH.format("name")} }}
}}"""

_SOURCES_QUERY = sparql_prefixes() + f"""
SELECT ?event ?article ?headline ?publisher ?publisherName ?quote ?start
WHERE {{
  ?event a sem:Event .
  {{ ?event prov:wasDerivedFrom ?article }}
  UNION
  {{
    ?event peace:evidence ?evidence .
    ?evidence oa:hasTarget ?target .
    ?target oa:hasSource ?article ; oa:hasSelector ?quoteSelector .
    ?quoteSelector oa:exact ?quote .
    OPTIONAL {{ ?target oa:hasSelector ?positionSelector . ?positionSelector oa:start ?start }}
  }}
  OPTIONAL {{ ?article schema:headline ?headline {_ENGLISH.format("headline")} }}
  OPTIONAL {{
    ?article schema:publisher ?publisher .
    OPTIONAL {{ ?publisher rdfs:label ?publisherName {_ENGLISH.format("publisherName")} }}
  }}
}}"""


# -- grouping rows -----------------------------------------------------------------------------


def _value(row: Binding, name: str) -> str | None:
    term = row.get(name)
    return term["value"] if term else None


def _local_name(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


def _link(iri: str, labels: set[str]) -> Link:
    return Link(iri, min(labels) if labels else _local_name(iri))


@dataclass
class _Draft:
    """What the rows say about one event; several values of a field are kept, the least wins."""

    stamps: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    labels: set[str] = field(default_factory=set)
    types: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    statuses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    asserted_by: set[str] = field(default_factory=set)
    links: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: {"actor": defaultdict(set), "place": defaultdict(set)}
    )
    articles: dict[str, tuple[set[str], dict[str, set[str]]]] = field(default_factory=dict)
    quotes: dict[str, set[tuple[int, str]]] = field(default_factory=lambda: defaultdict(set))

    def add_event_row(self, row: Binding) -> None:
        self.stamps[_STAMP_FIELDS[row["stampProperty"]["value"]]].add(row["stamp"]["value"])
        if label := _value(row, "label"):
            self.labels.add(label)
        if type_iri := _value(row, "type"):
            names, notations = self.types.setdefault(type_iri, (set(), set()))
            names.update(filter(None, [_value(row, "typeLabel")]))
            notations.update(filter(None, [_value(row, "notation")]))
        if status := _value(row, "status"):
            self.statuses[status].update(filter(None, [_value(row, "statusLabel")]))
        if asserted_by := _value(row, "assertedBy"):
            self.asserted_by.add(asserted_by)

    def add_link_row(self, row: Binding) -> None:
        names = self.links[row["role"]["value"]][row["thing"]["value"]]
        names.update(filter(None, [_value(row, "name")]))

    def add_source_row(self, row: Binding) -> None:
        article = row["article"]["value"]
        headlines, publishers = self.articles.setdefault(article, (set(), defaultdict(set)))
        headlines.update(filter(None, [_value(row, "headline")]))
        if publisher := _value(row, "publisher"):
            publishers[publisher].update(filter(None, [_value(row, "publisherName")]))
        if quote := _value(row, "quote"):
            start = _value(row, "start")
            self.quotes[article].add((int(start) if start and start.isdigit() else -1, quote))

    def freeze(self, iri: str) -> TimelineEvent | None:
        """The event, or None if none of its stamps is a date."""
        points = {
            name: min(filter(None, map(DatePoint.parse, values)), key=lambda p: p.sort_key, default=None)
            for name, values in self.stamps.items()
        }
        if not any(points.values()):
            return None
        type_iri = min(self.types, default=None)
        event_type = None
        if type_iri:
            names, notations = self.types[type_iri]
            event_type = EventType(type_iri, min(names, default=_local_name(type_iri)), min(notations, default=None))
        status = min(self.statuses, default=None)
        return TimelineEvent(
            iri=iri,
            label=min(self.labels, default=_local_name(iri)),
            time=EventTime(**points),
            event_type=event_type,
            actors=_sorted_links(self.links["actor"]),
            places=_sorted_links(self.links["place"]),
            status=_link(status, self.statuses[status]) if status else None,
            machine_extracted=str(PEACE.MachineExtracted) in self.asserted_by,
            sources=tuple(self._source(article) for article in sorted(self.articles)),
        )

    def _source(self, article: str) -> Source:
        headlines, publishers = self.articles[article]
        publisher = min(publishers, default=None)
        return Source(
            article=article,
            headline=min(headlines, default=None),
            publisher=_link(publisher, publishers[publisher]) if publisher else None,
            quotes=tuple(dict.fromkeys(quote for _, quote in sorted(self.quotes[article]))),
        )


def _sorted_links(labelled: dict[str, set[str]]) -> tuple[Link, ...]:
    return tuple(sorted((_link(iri, names) for iri, names in labelled.items()), key=lambda l: (l.label, l.iri)))
