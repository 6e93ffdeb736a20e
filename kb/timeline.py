"""The timeline: every dated event in date order, with what a reader needs to judge it.

:func:`timeline` reads the events through the standard vocabularies of ``docs/model.md`` (SEM
time stamps, SKOS event types, ``prov:wasDerivedFrom`` and Web Annotation evidence) with three
fixed SELECT queries, and groups their rows in Python. :class:`Filters` narrows it (actors,
types, statuses, sources, a date range, words); :func:`timeline` applies them through bound
``VALUES`` of validated IRIs and then :meth:`Filters.matches`, the one definition of what each
filter means. :mod:`kb.timeline_index` answers the same questions from an index, a page at a time.

>>> DatePoint.parse("2019-12-04").text, DatePoint.parse("2019-11").text, DatePoint.parse("2019").text
('4 Dec 2019', 'November 2019', '2019')
>>> EventTime(latest=DatePoint.parse("2019-08")).text
'by August 2019'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import groupby
from typing import Any, Protocol

from kb.as_of import AsOfError, AsOfView, parse_day
from kb.errors import QueryError
from kb.namespaces import ETYPE, PEACE, SEM, IriMinter, is_local_id, sparql_prefixes
from kb.store import Binding

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_LEXICAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
#: The statuses of ``peace:StatusScheme`` (docs/model.md), by the name a filter uses.
STATUSES = {name.lower(): str(PEACE[name]) for name in (
    "Occurred", "Planned", "Proposed", "Accepted", "Rejected", "Cancelled", "Possible",
)}
PAGE_SIZE = 100
_MAX_TEXT = 200



class SelectableStore(Protocol):
    """What :func:`timeline` needs from a store (see :meth:`kb.store.EmbeddedStore.select`)."""

    def select(self, query: str) -> list[Binding]: ...


class FilterError(QueryError):
    """A filter value that is malformed or names nothing on the timeline; the message says which
    and how to fix it."""


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

    @property
    def last_key(self) -> tuple[int, int, int]:
        """The greatest :attr:`sort_key` inside this stamp: ``2019-08`` holds (2019, 8, 99)."""
        return (self.year, self.month or 99, self.day or 99)

    @property
    def key_number(self) -> int:
        """:attr:`sort_key` as one integer, ``20191204`` (``20190800`` for August 2019)."""
        year, month, day = self.sort_key
        return year * 10000 + month * 100 + day

    @classmethod
    def from_dict(cls, value: str | None) -> DatePoint | None:
        return cls.parse(value) if value else None


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EventTime:
        """The inverse of :meth:`as_dict`."""
        names = ("point", "begin", "end", "earliest", "latest")
        return cls(**{name: DatePoint.from_dict(data.get(name)) for name in names})


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
    citing: tuple[Link, ...] = ()  # authors of the reports the article relays ("citing Reuters")


@dataclass(frozen=True)
class Disagreement:
    """Where the reports of a merged event disagree: the aspect (``casualties``, ``time``, ...) and
    each version with its source, as one line (``36 killed per A; 26 per B``)."""

    aspect: str
    label: str


@dataclass(frozen=True)
class TimelineEvent:
    """One line of the timeline: an article's event, or an event merged from several articles'
    reports of it (``reports`` their IRIs; ``sources`` every report's articles)."""

    iri: str
    label: str
    time: EventTime
    event_type: EventType | None
    actors: tuple[Link, ...]
    places: tuple[Link, ...]
    status: Link | None
    machine_extracted: bool  # peace:assertedBy peace:MachineExtracted: no reviewer confirmed it
    sources: tuple[Source, ...]
    informal: bool = False  # peace:informal true
    independent_sources: int | None = None  # a merged event's peace:independentSources
    disagreements: tuple[Disagreement, ...] = ()
    reports: tuple[str, ...] = ()

    @property
    def source_count(self) -> int:
        """How many independent sources report the event (its articles, unless it says otherwise)."""
        return self.independent_sources if self.independent_sources is not None else len(self.sources)

    def as_dict(self) -> dict[str, Any]:
        """The event as plain JSON-ready data."""
        data = asdict(self)
        data["time"] = self.time.as_dict()
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimelineEvent:
        """The inverse of :meth:`as_dict`."""

        def link(value: Mapping[str, str] | None) -> Link | None:
            return Link(**value) if value else None

        return cls(
            iri=data["iri"],
            label=data["label"],
            time=EventTime.from_dict(data["time"]),
            event_type=EventType(**data["event_type"]) if data["event_type"] else None,
            actors=tuple(Link(**a) for a in data["actors"]),
            places=tuple(Link(**p) for p in data["places"]),
            status=link(data["status"]),
            machine_extracted=data["machine_extracted"],
            sources=tuple(
                Source(
                    article=s["article"],
                    headline=s["headline"],
                    publisher=link(s["publisher"]),
                    quotes=tuple(s["quotes"]),
                    citing=tuple(Link(**c) for c in s["citing"]),
                )
                for s in data["sources"]
            ),
            informal=data["informal"],
            independent_sources=data.get("independent_sources"),
            disagreements=tuple(Disagreement(**d) for d in data.get("disagreements", ())),
            reports=tuple(data.get("reports", ())),
        )

    @property
    def source_keys(self) -> set[str]:
        """The IRIs a source filter matches: the articles and their publishers."""
        keys = {s.article for s in self.sources}
        return keys | {s.publisher.iri for s in self.sources if s.publisher}

    @property
    def search_text(self) -> str:
        """What free-text search looks in, case-folded: the summary, type, status, actors, places,
        and each source's headline, publisher, cited authors and quoted evidence."""
        parts = [self.label]
        if self.event_type:
            parts += [self.event_type.label, self.event_type.notation or ""]
        parts += [self.status.label] if self.status else []
        parts += [link.label for link in self.actors + self.places]
        for source in self.sources:
            parts += [source.headline or "", *(link.label for link in source.citing), *source.quotes]
            parts += [source.publisher.label] if source.publisher else []
        parts += [d.label for d in self.disagreements]
        return "\n".join(parts).casefold()


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


@dataclass(frozen=True)
class Filters:
    """What the reader asked to see. Each filter narrows the timeline; several values of one
    filter widen it (any of them). Empty: everything.

    ``actors``, ``types``, ``statuses``, ``sources`` hold IRIs (a source is an article or a
    publisher); ``start`` and ``end`` bound an event's place on the timeline (the first of its
    stamps) at their precision, inclusive (``end`` 2019-08 lets in 31 Aug 2019); ``text`` is
    looked for, case-insensitively, in :attr:`TimelineEvent.search_text`; ``as_of`` shows the KB
    as it stood that day (only the graphs of :func:`kb.as_of.graphs_as_of`), so it picks the
    data the other filters apply to rather than testing each event.
    """

    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    start: DatePoint | None = None
    end: DatePoint | None = None
    text: str = ""
    as_of: date | None = None

    def __bool__(self) -> bool:
        return bool(self.actors or self.types or self.statuses or self.sources or self.start or self.end or self.text
                    or self.as_of)

    def matches(self, event: TimelineEvent) -> bool:
        """Whether ``event`` passes every filter: the definition every way of filtering follows."""
        key = event.time.first.sort_key
        return (
            (not self.actors or any(a.iri in self.actors for a in event.actors))
            and (not self.types or (event.event_type is not None and event.event_type.iri in self.types))
            and (not self.statuses or (event.status is not None and event.status.iri in self.statuses))
            and (not self.sources or not event.source_keys.isdisjoint(self.sources))
            and (self.start is None or key >= self.start.sort_key)
            and (self.end is None or key <= self.end.last_key)
            and (not self.text or self.text.casefold() in event.search_text)
        )


def parse_filters(args: Mapping[str, list[str]], base: str) -> Filters:
    """Filters from a query string (each name to its values): ``actor``, ``type``, ``status`` and
    ``source`` repeatable, ``from``, ``to``, ``q`` and ``as_of`` (``YYYY-MM-DD``) once. Empty
    values are ignored.

    An actor is an actor id (``khalilzad``) or its IRI; a type an event type id (``visit``); a
    status one of :data:`STATUSES`; a source ``article/<id>``, ``actor/<id>`` or an IRI under
    ``base``; ``from`` and ``to`` are ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    :raises FilterError: a malformed value (all problems in one message).
    """
    minter = IriMinter(base)
    problems: list[str] = []

    def values(name: str) -> list[str]:
        return [v.strip() for v in args.get(name, []) if v.strip()]

    def one(name: str) -> str:
        found = values(name)
        if len(found) > 1:
            problems.append(f"give {name!r} once (got {len(found)} values).")
        return found[0] if found else ""

    def iri_or_id(name: str, value: str, prefix: str) -> str | None:
        if value.startswith(prefix) and is_local_id(value[len(prefix):].replace("/", "-")):
            return value
        if is_local_id(value):
            return prefix + value
        problems.append(f"{name} {value!r} is not an id (lower-case letters, digits and hyphens, "
                        f"such as 'zalmay-khalilzad') nor an IRI starting with {prefix}.")
        return None

    actors = [iri_or_id("actor", v, str(minter.actor(""))) for v in values("actor")]
    types = [iri_or_id("type", v, str(ETYPE)) for v in values("type")]
    statuses = []
    for value in values("status"):
        if value.lower() in STATUSES:
            statuses.append(STATUSES[value.lower()])
        else:
            problems.append(f"status {value!r} is unknown; use one of {', '.join(STATUSES)}.")
    sources = []
    for value in values("source"):
        kind, _, local = value.partition("/")
        if kind in ("article", "actor") and is_local_id(local):
            sources.append(f"{minter.base}id/{value}")
        elif value.startswith(f"{minter.base}id/") and _IRI_SAFE.fullmatch(value):
            sources.append(value)
        else:
            problems.append(f"source {value!r} is unknown; use article/<id>, actor/<publisher id> "
                            f"or an IRI starting with {minter.base}id/.")
    start, end = (_date(name, one(name), problems) for name in ("from", "to"))
    if start and end and start.sort_key > end.last_key:
        problems.append(f"'from' ({start.value}) is after 'to' ({end.value}); swap them.")
    text = one("q")
    if len(text) > _MAX_TEXT:
        problems.append(f"the search text is {len(text)} characters long; use at most {_MAX_TEXT}.")
    as_of = None
    if day := one("as_of"):
        try:
            as_of = parse_day(day)
        except AsOfError as exc:
            problems.append(str(exc))
    if problems:
        raise FilterError("Cannot filter the timeline: " + " ".join(problems))
    return Filters(
        tuple(dict.fromkeys(filter(None, actors))), tuple(dict.fromkeys(filter(None, types))),
        tuple(dict.fromkeys(statuses)), tuple(dict.fromkeys(sources)), start, end, text, as_of,
    )


_IRI_SAFE = re.compile(r"[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]+")
_FULL_DATE = re.compile(r"\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?")


def _date(name: str, value: str, problems: list[str]) -> DatePoint | None:
    if not value:
        return None
    if not _FULL_DATE.fullmatch(value):
        problems.append(f"{name!r} {value!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD (2019-08).")
        return None
    point = DatePoint.parse(value)
    if point and point.day and not _is_real_day(point.year, point.month, point.day):
        problems.append(f"{name!r} {value!r} is not a real date: that month has no day {point.day}.")
        return None
    return point


def _is_real_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


NO_FILTERS = Filters()


def timeline(store: SelectableStore, filters: Filters = NO_FILTERS) -> list[TimelineEvent]:
    """Every ``sem:Event`` with a SEM time stamp that passes ``filters``, oldest first.

    Events are ordered by the earliest of their stamps (a year before its months, a month before
    its days); events on the same date by label, then IRI. The IRI filters narrow the query
    through ``VALUES`` (IRIs checked by :func:`parse_filters` and again here); the result is
    exactly the events for which :meth:`Filters.matches` holds. The reports of one event in
    several articles are one line (:func:`kb.timeline_merge.merge_reports`). With ``as_of``, the
    store is read as it stood that day (:class:`kb.as_of.AsOfView`).

    :raises StoreError: the store cannot be read.
    """
    # imported here: kb.timeline_merge builds on this module
    from kb.timeline_merge import CLUSTERS_QUERY, clusters_from_rows, merge_reports

    if filters.as_of is not None:
        store = AsOfView(store, filters.as_of)
    clusters = clusters_from_rows(store.select(CLUSTERS_QUERY))
    narrowing = "" if clusters else _narrowing(filters)  # a merged event's reports are read whole
    drafts: dict[str, _Draft] = defaultdict(_Draft)
    for row in store.select(_EVENTS_QUERY.replace("#FILTERS", narrowing)):
        drafts[row["event"]["value"]].add_event_row(row)
    for row in store.select(_LINKS_QUERY):
        if row["event"]["value"] in drafts:
            drafts[row["event"]["value"]].add_link_row(row)
    for row in store.select(_SOURCES_QUERY):
        if row["event"]["value"] in drafts:
            drafts[row["event"]["value"]].add_source_row(row)
    frozen = [event for iri, draft in drafts.items() if (event := draft.freeze(iri))]
    return sorted((e for e in merge_reports(frozen, clusters) if filters.matches(e)), key=timeline_order)


def timeline_order(event: TimelineEvent) -> tuple:
    """The sort key of the timeline."""
    return (event.time.first.sort_key, event.label, event.iri)


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


def _values(variable: str, iris: tuple[str, ...]) -> str:
    """``VALUES ?variable { <iri> ... }`` of IRIs that cannot break out of their brackets."""
    for iri in iris:
        if not _IRI_SAFE.fullmatch(iri) or ":" not in iri:
            raise FilterError(f"{iri!r} is not an IRI the timeline can filter on.")
    return f"VALUES ?{variable} {{ {' '.join(f'<{iri}>' for iri in iris)} }}"


def _narrowing(filters: Filters) -> str:
    """Patterns that keep the events some IRI filter may let through (a superset of the answer)."""
    parts = []
    if filters.actors:
        parts.append(_values("wantedActor", filters.actors) + " ?event sem:hasActor ?wantedActor .")
    if filters.types:
        parts.append(_values("wantedType", filters.types) + " ?event sem:eventType ?wantedType .")
    if filters.statuses:
        parts.append(_values("wantedStatus", filters.statuses) + " ?event peace:status ?wantedStatus .")
    if filters.sources:
        parts.append(
            _values("wantedSource", filters.sources)
            + " { ?event prov:wasDerivedFrom ?wantedSource }"
            + " UNION { ?event prov:wasDerivedFrom/schema:publisher ?wantedSource }"
            + " UNION { ?event peace:evidence/oa:hasTarget/oa:hasSource ?wantedSource }"
            + " UNION { ?event peace:evidence/oa:hasTarget/oa:hasSource/schema:publisher ?wantedSource }"
        )
    return "\n  ".join(parts)

_EVENTS_QUERY = sparql_prefixes() + f"""
SELECT ?event ?stampProperty ?stamp ?label ?type ?typeLabel ?notation ?status ?statusLabel ?assertedBy
  ?informal
WHERE {{
  #FILTERS
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
  OPTIONAL {{ ?event peace:informal ?informal }}
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
SELECT ?event ?article ?headline ?publisher ?publisherName ?quote ?start ?citing ?citingName
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
  OPTIONAL {{
    ?article prov:wasDerivedFrom ?report .
    ?report a peace:Report ; prov:wasAttributedTo ?citing .
    OPTIONAL {{ ?citing rdfs:label ?citingName {_ENGLISH.format("citingName")} }}
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
    informal: set[str] = field(default_factory=set)
    links: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: {"actor": defaultdict(set), "place": defaultdict(set)}
    )
    articles: dict[str, tuple[set[str], dict[str, set[str]]]] = field(default_factory=dict)
    quotes: dict[str, set[tuple[int, str]]] = field(default_factory=lambda: defaultdict(set))
    citing: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))

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
        if informal := _value(row, "informal"):
            self.informal.add(informal)

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
        if citing := _value(row, "citing"):
            self.citing[article][citing].update(filter(None, [_value(row, "citingName")]))

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
            informal=bool(self.informal & {"true", "1"}),
        )

    def _source(self, article: str) -> Source:
        headlines, publishers = self.articles[article]
        publisher = min(publishers, default=None)
        return Source(
            article=article,
            headline=min(headlines, default=None),
            publisher=_link(publisher, publishers[publisher]) if publisher else None,
            quotes=tuple(dict.fromkeys(quote for _, quote in sorted(self.quotes[article]))),
            citing=_sorted_links(self.citing[article]) if article in self.citing else (),
        )


def _sorted_links(labelled: dict[str, set[str]]) -> tuple[Link, ...]:
    return tuple(sorted((_link(iri, names) for iri, names in labelled.items()), key=lambda l: (l.label, l.iri)))
