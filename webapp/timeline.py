"""``/`` the timeline of dated events: filters in the query string, a page of 100 events, an
overview of swimlanes drawn as SVG, and the same answer as JSON (``/timeline.json`` or Accept:
application/json), TimelineJS JSON (``/timeline.timelinejs.json``, ``?format=timelinejs``) and CSV
(``/timeline.csv``, ``?format=csv``).

Pages are read from the timeline index (:func:`kb.timeline_index.timeline_page`); filter values
are parsed and checked by :func:`kb.timeline.parse_filters` and reach the index only as bound
SQL parameters.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from markupsafe import Markup, escape

from kb.as_of import day_text
from kb.namespaces import ETYPE
from kb.sparql import best_match
from kb.timeline import (
    STATUSES,
    DatePoint,
    FilterError,
    Filters,
    TimelineEvent,
    by_year_and_month,
    parse_filters,
)
from kb.timeline_index import (
    Overview,
    TimelinePage,
    all_matching,
    choices,
    labels,
    timeline_page,
)
from kb.vocabdoc import locate
from webapp.db import get_store
from webapp.linkeddata import base_iri, local_url
from webapp.page_cache import IndexCache

bp = Blueprint("timeline", __name__)

_FORMATS = ("html", "json", "timelinejs", "csv")


@bp.get("/")
def index() -> Response:
    """The timeline as HTML, or as JSON for a client that prefers it (or as ``?format=``).

    :raises StoreError: the store cannot be opened.
    """
    fmt = request.args.get("format", "")
    if fmt not in ("", *_FORMATS):
        raise FilterError(f"Unknown format {fmt!r}; use one of {', '.join(_FORMATS)}.")
    if not fmt:
        fmt = "json" if best_match(request.headers.get("Accept"), ("text/html", "application/json")) == (
            "application/json"
        ) else "html"
    response = {"html": _as_html, "json": _as_json, "timelinejs": _as_timelinejs, "csv": _as_csv}[fmt]()
    response.vary.add("Accept")
    return response


@bp.get("/timeline.json")
def as_json() -> Response:
    """The page as JSON: ``{"events": [...], "total", "total_exact", "page", "pages", "next", "previous",
    "filters"}`` (``total`` is a lower bound and ``pages`` null when ``total_exact`` is false)."""
    return _as_json()


@bp.get("/timeline.timelinejs.json")
def as_timelinejs() -> Response:
    """Every matching event in TimelineJS3's JSON format."""
    return _as_timelinejs()


@bp.get("/timeline.csv")
def as_csv() -> Response:
    """Every matching event as CSV, one row per event."""
    return _as_csv()


# -- the request's filters --------------------------------------------------------------------


def _filters() -> Filters:
    return parse_filters(request.args.to_dict(flat=False), base_iri())


def _page_number() -> int:
    value = request.args.get("page", "1").strip() or "1"
    if not value.isdigit() or int(value) < 1:
        raise FilterError(f"page {value!r} is not a page number; pages count from 1.")
    return int(value)


def query_args(filters: Filters, page: int = 1) -> dict[str, list[str] | str]:
    """The query string that asks for ``filters`` (and ``page``): the inverse of :func:`parse_filters`."""
    base = base_iri()
    actor_base, id_base = f"{base}id/actor/", f"{base}id/"
    status_names = {iri: name for name, iri in STATUSES.items()}
    args: dict[str, list[str] | str] = {
        "actor": [a.removeprefix(actor_base) for a in filters.actors],
        "type": [t.removeprefix(str(ETYPE)) for t in filters.types],
        "status": [status_names[s] for s in filters.statuses],
        "source": [s.removeprefix(id_base) for s in filters.sources],
    }
    if filters.start:
        args["from"] = filters.start.value
    if filters.end:
        args["to"] = filters.end.value
    if filters.text:
        args["q"] = filters.text
    if filters.as_of:
        args["as_of"] = filters.as_of.isoformat()
    if page > 1:
        args["page"] = str(page)
    return {name: value for name, value in args.items() if value}


def timeline_url(filters: Filters, page: int = 1, endpoint: str = "timeline.index", path: str | None = None) -> str:
    """The permalink of ``filters`` at ``page`` (``path``: the endpoint's URL, when already known)."""
    args = query_args(filters, page)
    return (path or url_for(endpoint)) + ("?" + urlencode(args, doseq=True, quote_via=quote) if args else "")


# -- representations ----------------------------------------------------------------------------


#: What the timeline page keeps per index: the form's choice lists, the overview of each filter.
_PAGE_PARTS = IndexCache(256)


def _as_html() -> Response:
    store = get_store()
    try:
        filters = _filters()
        overview_key = ("overview", base_iri(), request.script_root, filters)
        overview = _PAGE_PARTS.find(store, overview_key)
        result = timeline_page(store, filters, _page_number(), overview=overview is None)
        if overview is None:
            overview = _PAGE_PARTS.keep(store, overview_key, _draw_overview(result.overview, filters))
        error, status = None, 200
    except FilterError as exc:
        filters, result, overview, error, status = None, None, None, str(exc), 400
    in_force = filters or Filters()
    html_text = render_template(
        "timeline/index.html",
        result=result,
        years=by_year_and_month(result.events) if result else [],
        error=error,
        filters=in_force,
        raw=request.args,
        form=_form_choices(store, in_force),
        in_force=_in_force(store, in_force),
        as_of=(day_text(in_force.as_of), timeline_url(replace(in_force, as_of=None))) if in_force.as_of else None,
        overview=overview,
        links=_page_links(result) if result else {},
        local_url=_local_urls(),
        exports={
            "JSON": timeline_url(in_force, endpoint="timeline.as_json"),
            "TimelineJS": timeline_url(in_force, endpoint="timeline.as_timelinejs"),
            "CSV": timeline_url(in_force, endpoint="timeline.as_csv"),
        },
    )
    return Response(html_text, status=status, mimetype="text/html")


def _page_links(result: TimelinePage) -> dict[str, str]:
    links = {}
    if result.page > 1:
        links["previous"] = timeline_url(result.filters, result.page - 1)
    if result.more:
        links["next"] = timeline_url(result.filters, result.page + 1)
    return links


def _as_json() -> Response:
    result = timeline_page(get_store(), _filters(), _page_number(), overview=False)
    links = _page_links(result)
    return jsonify(
        events=[event.as_dict() for event in result.events],
        total=result.total,
        total_exact=result.total_exact,
        page=result.page,
        pages=result.page_count,
        next=links.get("next"),
        previous=links.get("previous"),
        filters=query_args(result.filters),
    )


def _as_timelinejs() -> Response:
    events = list(all_matching(get_store(), _filters()))
    return jsonify(timelinejs(events))


def timelinejs(events: Iterable[TimelineEvent]) -> dict:
    """Events as a TimelineJS3 timeline: ``{"title": slide, "events": [slide, ...]}``, where a
    slide has ``start_date`` (and ``end_date``) objects of year, month and day, ``text`` with a
    ``headline`` and HTML ``text`` (escaped here), ``group`` and ``unique_id``."""

    def date(stamp) -> dict[str, str]:
        parts = {"year": str(stamp.year), "display_date": stamp.text}
        if stamp.month:
            parts["month"] = str(stamp.month)
        if stamp.day:
            parts["day"] = str(stamp.day)
        return parts

    slides = []
    for event in events:
        slide = {
            "unique_id": event.iri,
            "start_date": date(event.time.first),
            "display_date": event.time.text,
            "text": {"headline": html.escape(event.label), "text": _slide_text(event)},
        }
        if event.time.end and event.time.begin:
            slide["end_date"] = date(event.time.end)
        if event.event_type:
            slide["group"] = event.event_type.label
        slides.append(slide)
    title = {"text": {"headline": "Peace process timeline", "text": f"{len(slides)} events"}}
    return {"title": title, "events": slides}


def _slide_text(event: TimelineEvent) -> str:
    parts = []
    if event.actors:
        parts.append("Actors: " + ", ".join(html.escape(a.label) for a in event.actors))
    if event.status:
        parts.append("Status: " + html.escape(event.status.label))
    for source in event.sources:
        parts += [f"<blockquote>{html.escape(quote)}</blockquote>" for quote in source.quotes]
        parts.append("Source: " + html.escape(attribution(source) + (source.headline or source.article)))
    return "<br>".join(parts)


def attribution(source) -> str:
    """``Sahar News, citing Reuters, `` (the words before the headline), or empty."""
    words = [source.publisher.label] if source.publisher else []
    if source.citing:
        words.append("citing " + " and ".join(c.label for c in source.citing))
    return ", ".join(words) + (", " if words else "")


CSV_COLUMNS = (
    "event", "date", "date_text", "precision", "label", "type", "cameo", "status", "machine_extracted",
    "informal", "actors", "actor_iris", "places", "articles", "publishers",
)


def _as_csv() -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for event in all_matching(get_store(), _filters()):
        first = event.time.first
        writer.writerow([_cell(value) for value in (
            event.iri, first.value, event.time.text, first.precision, event.label,
            event.event_type.label if event.event_type else "",
            (event.event_type.notation or "") if event.event_type else "",
            event.status.label if event.status else "", str(event.machine_extracted).lower(),
            str(event.informal).lower(), "; ".join(a.label for a in event.actors),
            " ".join(a.iri for a in event.actors), "; ".join(p.label for p in event.places),
            " ".join(s.article for s in event.sources),
            "; ".join(s.publisher.label for s in event.sources if s.publisher),
        )])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'inline; filename="timeline.csv"'
    return response


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# -- the form and the overview ---------------------------------------------------------------------


#: An ``<option>`` of a filter's list: its key (an IRI), its HTML, its HTML when selected.
_Option = tuple[str, str, str]


def _option(key: str, value: str, label: str) -> _Option:
    start, end = f'<option value="{escape(value)}"', f">{escape(label)}</option>\n"
    return key, start + end, start + " selected" + end


def _choice_lists(store) -> dict[str, tuple[_Option, ...]]:
    """The options of the actor, type and source lists (the same for every request on one index)."""
    actor_base, id_base = f"{base_iri()}id/actor/", f"{base_iri()}id/"
    sources = [c for c in choices(store, "source", 400) if "/id/article/" not in c.key][:100]
    return {
        "actor": tuple(_option(c.key, c.key.removeprefix(actor_base), c.label) for c in choices(store, "actor", 300)),
        "type": tuple(_option(c.key, c.key.removeprefix(str(ETYPE)), c.label) for c in choices(store, "type")),
        "source": tuple(_option(c.key, c.key.removeprefix(id_base), c.label) for c in sources),
    }


def _form_choices(store, filters: Filters) -> dict[str, Markup | list]:
    """The form's lists as HTML (the chosen values selected) and the status check boxes."""
    lists = _PAGE_PARTS.get(store, ("form", base_iri()), lambda: _choice_lists(store))
    listed = {key for key, _, _ in lists["actor"]}
    missing = [a for a in filters.actors if a not in listed]
    names = labels(store, missing)
    extra = tuple(_option(a, a.removeprefix(f"{base_iri()}id/actor/"), names.get(a, a)) for a in missing)

    def options(entries: Iterable[_Option], chosen: tuple[str, ...]) -> Markup:
        return Markup("".join(selected if key in chosen else plain for key, plain, selected in entries))

    return {
        "actor": options(extra + lists["actor"], filters.actors),
        "type": options(lists["type"], filters.types),
        "status": [(name, name.capitalize(), iri in filters.statuses) for name, iri in STATUSES.items()],
        "source": options(lists["source"], filters.sources),
    }


def _local_urls() -> Callable[[str], str]:
    """:func:`webapp.linkeddata.local_url` for this request, with the base IRI and the app's
    path looked up once (the template calls it for every event, actor, place and source)."""
    base, root = base_iri(), request.script_root

    def url(iri: str) -> str:
        if iri.startswith(base) and locate(iri) is None:
            return f"{root}/{iri[len(base):]}"
        return local_url(iri)

    return url


def _draw_overview(overview: Overview | None, filters: Filters) -> Markup:
    """The overview's HTML (empty without one)."""
    if overview is None:
        return Markup("")
    return Markup(render_template(
        "timeline/overview.html", lanes=swimlanes(overview, filters), filters=filters,
        zoom_out=timeline_url(replace(filters, start=None, end=None)),
    ))


def _in_force(store, filters: Filters) -> list[tuple[str, str]]:
    """Each filter value in force as (what it says, the permalink without it)."""
    names = labels(store, [*filters.actors, *filters.types, *filters.statuses, *filters.sources])
    found = []
    for field_name, word in (("actors", "actor"), ("types", "type"), ("statuses", "status"), ("sources", "source")):
        for value in getattr(filters, field_name):
            rest = tuple(v for v in getattr(filters, field_name) if v != value)
            found.append((f"{word}: {names.get(value, value)}", timeline_url(replace(filters, **{field_name: rest}))))
    if filters.start:
        found.append((f"from {filters.start.text}", timeline_url(replace(filters, start=None))))
    if filters.end:
        found.append((f"to {filters.end.text}", timeline_url(replace(filters, end=None))))
    if filters.text:
        found.append((f"words: “{filters.text}”", timeline_url(replace(filters, text=""))))
    if filters.as_of:
        found.append((f"as of {day_text(filters.as_of)}", timeline_url(replace(filters, as_of=None))))
    return found


@dataclass(frozen=True)
class SvgMark:
    x: float
    width: float
    href: str
    title: str
    count: int


@dataclass(frozen=True)
class SvgLane:
    y: float
    label: str
    href: str
    events: int
    marks: tuple[SvgMark, ...]


@dataclass(frozen=True)
class Swimlanes:
    """The overview's geometry: lanes of marks and the year ticks of the axis, in SVG units."""

    width: int
    height: int
    left: int
    lanes: tuple[SvgLane, ...]
    ticks: tuple[tuple[float, str, str], ...]  # (x, year, zoom link)
    per_event: bool
    all_events: bool


_WIDTH, _LEFT, _LANE, _TOP = 1000, 240, 32, 28


def _month_number(datekey: int) -> int:
    year, month = divmod(datekey // 100, 100)
    return year * 12 + max(month, 1) - 1


def _month_stamp(datekey: int) -> str:
    """The value of :attr:`kb.timeline_index.Mark.month`: ``YYYY-MM``, or ``YYYY`` when the month is unknown."""
    year, month = divmod(datekey // 100, 100)
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _zoom_urls(filters: Filters, path: str):
    """A function giving :func:`timeline_url` of ``filters`` zoomed to a stamp (from and to it),
    with the parts of the query string around ``from``/``to`` encoded once."""
    around = [query_args(replace(filters, start=None, end=None, text="")), query_args(Filters(text=filters.text))]
    before, after = (urlencode(args, doseq=True, quote_via=quote) for args in around)

    def url(when: DatePoint) -> str:
        dates = f"from={when.value}&to={when.value}"  # a stamp's value is digits and '-': nothing to quote
        return f"{path}?" + "&".join(part for part in (before, dates, after) if part)

    return url


def swimlanes(overview: Overview, filters: Filters) -> Swimlanes:
    """Where to draw ``overview``: one lane per actor, a mark per event (linking to its page) or per
    month (per year over more than six years; linking to the timeline zoomed to it), ticks per
    year linking to that year."""
    first, last = _month_number(overview.first), _month_number(overview.last)
    span = max(1, last - first + 1)
    scale = (_WIDTH - _LEFT - 10) / span
    by_year = span > 72
    path = url_for("timeline.index")
    event_url = _local_urls()
    points: dict[str, DatePoint] = {}  # stamps repeat from lane to lane: each parsed once

    def point(stamp: str) -> DatePoint:
        found = points.get(stamp)
        if found is None:
            found = points[stamp] = DatePoint.parse(stamp)  # type: ignore[assignment]
        return found  # type: ignore[return-value]

    def x(month_number: int) -> float:
        return round(_LEFT + (month_number - first) * scale, 1)

    lanes = []
    for n, lane in enumerate(overview.lanes):
        marks = []
        if overview.per_event:
            for mark in lane.marks:
                title = f"{mark.label} ({point(_month_stamp(mark.datekey)).text})"
                marks.append(SvgMark(x(_month_number(mark.datekey)), round(max(min(scale, 8), 3), 1),
                                     event_url(mark.iri), title, 1))
        else:
            bins: dict[str, int] = {}
            for mark in lane.marks:
                stamp = f"{mark.datekey // 10000:04d}" if by_year else _month_stamp(mark.datekey)
                bins[stamp] = bins.get(stamp, 0) + mark.count
            zoom_url = _zoom_urls(replace(filters, actors=(lane.actor.key,)), path)
            for stamp, count in bins.items():
                when = point(stamp)
                start = _month_number(when.key_number)
                title = f"{lane.actor.label}: {count} event{'s' if count != 1 else ''} in {when.text}"
                width = scale * (12 if by_year else 1)
                marks.append(SvgMark(x(start), round(max(width, 3), 1), zoom_url(when), title, count))
        href = timeline_url(replace(filters, actors=(lane.actor.key,)), path=path)
        lanes.append(SvgLane(_TOP + n * _LANE, lane.actor.label, href, lane.actor.events, tuple(marks)))
    first_year, last_year = first // 12, last // 12
    step = max(1, -(-(last_year - first_year + 1) // 12))
    ticks = []
    for year in range(first_year, last_year + 1, step):
        stamp = DatePoint.parse(f"{year:04d}")
        tick_x = round(_LEFT + max(0, year * 12 - first) * scale, 1)
        ticks.append((tick_x, str(year), timeline_url(replace(filters, start=stamp, end=stamp), path=path)))
    height = _TOP + len(lanes) * _LANE + 8
    return Swimlanes(_WIDTH, height, _LEFT, tuple(lanes), tuple(ticks), overview.per_event, overview.all_events)
