"""The timeline index: the timeline in date order in an SQLite file, so a filtered page of it
costs a few bitmap operations and look-ups instead of a sort of the whole KB.

:func:`write_generation_index` writes it while the embedded store writes a generation, inside
that generation's folder (:data:`INDEX_FILE`), so the index of a generation always describes
that generation's data: read from the quads (:mod:`kb.timeline_scan`), and updated, not
rebuilt, when a write replaces some graphs. For other stores (a remote SPARQL server, or a store
written before the index existed) :func:`index_path` builds it in this process on first use from
:func:`kb.timeline.timeline` (:func:`write_index`) and keeps it while the store's modified stamp
stays the same. Either way it holds exactly what the SPARQL answer holds, in the same order.

:func:`timeline_page` answers a :class:`~kb.timeline.Filters` a page at a time, with the overview
of the matching events per actor (:class:`Overview`). Filters with ``as_of`` read the index of the
KB as it stood that day (:class:`kb.as_of.AsOfView`), built in this process from the quads of the
graphs known then, once per set of such graphs.

Tables: ``event`` (``pos``, its place on the timeline, in gaps of :data:`GAP`; ``datekey``, the
first stamp as ``YYYYMMDD`` with 00 for an unknown month or day; the event as zlib-compressed JSON; its search
text), ``facet`` (``kind`` actor | type | status | source, ``key`` an IRI, ``pos``), ``choice``
(each facet value with its label and number of events) and ``lane`` (events per actor and month).
"""

from __future__ import annotations

import bisect
import itertools
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox

from kb.as_of import AsOfView
from kb.errors import StoreError
from kb.timeline import (
    NO_FILTERS,
    PAGE_SIZE,
    DatePoint,
    FilterError,
    Filters,
    Link,
    SelectableStore,
    TimelineEvent,
    timeline,
    timeline_order,
)
from kb.timeline_scan import BlankNodeFound, QuadView, ReplacedGraphs, affected_events, scan_events

INDEX_FILE = "timeline.sqlite"
SCHEMA_VERSION = 3
#: Lanes in the overview, and the most events it draws one mark each for (else one per month).
LANES = 8
MARKS_PER_EVENT_LIMIT = 400
#: The distance between neighbouring ``pos`` in a new index: room for events added in between later.
GAP = 1 << 32

_SCHEMA = f"""
PRAGMA user_version = {SCHEMA_VERSION};
CREATE TABLE event (
    pos INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL, datekey INTEGER NOT NULL,
    data BLOB NOT NULL, search TEXT NOT NULL
);
CREATE TABLE facet (kind TEXT NOT NULL, key TEXT NOT NULL, pos INTEGER NOT NULL,
                    PRIMARY KEY (kind, key, pos)) WITHOUT ROWID;
CREATE TABLE choice (kind TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL, events INTEGER NOT NULL,
                     PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE lane (actor TEXT NOT NULL, month INTEGER NOT NULL, events INTEGER NOT NULL,
                   PRIMARY KEY (actor, month)) WITHOUT ROWID;
"""
_INDEXES = """
CREATE INDEX event_by_date ON event (datekey, pos);
CREATE INDEX event_by_iri ON event (iri);
CREATE INDEX choice_by_events ON choice (kind, events DESC, key);
INSERT INTO lane SELECT f.key, e.datekey / 100, count(*) FROM facet AS f JOIN event AS e ON e.pos = f.pos
    WHERE f.kind = 'actor' GROUP BY f.key, e.datekey / 100;
ANALYZE;
"""


def write_index(store: SelectableStore, folder: Path) -> Path:
    """Write the timeline of ``store`` (read with :func:`kb.timeline.timeline`, or from its quads
    when it offers them, as :class:`kb.as_of.AsOfView` does) to ``folder``/:data:`INDEX_FILE`
    (replacing it); return its path."""
    quads = store.quads() if isinstance(store, AsOfView) else None
    if quads is not None:
        try:
            return _write_whole(folder, sorted(scan_events(None, quads=quads), key=timeline_order))
        except BlankNodeFound:
            pass
    return _write_whole(folder, timeline(store))


def write_generation_index(
    store: ox.Store | ReplacedGraphs,
    folder: Path,
    previous: Path | None = None,
    changed: set | None = None,
) -> Path:
    """Write the index of a generation's data, ``store`` (its database, or the data it was made
    from with the replaced graphs, :class:`~kb.timeline_scan.ReplacedGraphs`), to
    ``folder``/:data:`INDEX_FILE`.

    With ``previous`` (the index of the generation it was made from) and ``changed`` (the
    subjects whose triples differ between the two), update a copy of ``previous``: only the
    events that reach a changed subject (:func:`kb.timeline_scan.affected_events`) are read
    again. Else, or when the timeline has no room left between two positions, read every event
    from the store (:func:`write_index_of_quads` reads them from the data instead). Events are
    read from quads, not with SPARQL.
    """
    if previous is not None and changed is not None and previous.exists():
        path, temporary = folder / INDEX_FILE, folder / f".{INDEX_FILE}.tmp"
        shutil.copyfile(previous, temporary)
        view = QuadView(store)  # what finding the affected events reads, scanning them reads again
        affected = affected_events(view, changed)
        try:
            with closing(sqlite3.connect(temporary)) as db:
                db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
                if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
                    if unmerged := _reports_of(db, affected):  # lines of their own again, or merged anew
                        affected = affected_events(view, affected | unmerged)
                    with db:
                        _update(db, {node.value for node in affected}, scan_events(store, affected, view=view))
                    os.replace(temporary, path)
                    return path
        except _NoRoom:
            pass
        temporary.unlink(missing_ok=True)
    return _write_whole(folder, sorted(scan_events(store), key=timeline_order))


def write_index_of_quads(folder: Path, quads: Callable[[], Iterable[ox.Quad]]) -> Path | None:
    """Write the index of a whole dataset, ``quads()`` (such as the data being loaded into an
    empty generation), without reading a store; None when the quads hold a blank node where
    events are read (the store renames those: use :func:`write_generation_index` then)."""
    try:
        events = list(scan_events(None, quads=quads()))
    except BlankNodeFound:
        return None
    return _write_whole(folder, sorted(events, key=timeline_order))


def _reports_of(db: sqlite3.Connection, nodes: set) -> set[ox.NamedNode]:
    """The reports that the index's merged lines among ``nodes`` hold."""
    iris = json.dumps(sorted(node.value for node in nodes if isinstance(node, ox.NamedNode)))
    rows = db.execute("SELECT data FROM event WHERE iri IN (SELECT value FROM json_each(?))", [iris])
    return {ox.NamedNode(report) for (data,) in rows for report in _event(data).reports}


def _write_whole(folder: Path, events: list[TimelineEvent]) -> Path:
    path = folder / INDEX_FILE
    temporary = folder / f".{INDEX_FILE}.tmp"
    temporary.unlink(missing_ok=True)
    with closing(sqlite3.connect(temporary)) as db:
        db.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + _SCHEMA)
        with db:
            _fill(db, events)
            db.executescript(_INDEXES)
    os.replace(temporary, path)
    return path


def _link(link: Link | None) -> dict[str, str] | None:
    return {"iri": link.iri, "label": link.label} if link else None


def _event_data(event: TimelineEvent) -> dict:
    """:meth:`TimelineEvent.as_dict`, written out (``dataclasses.asdict`` costs ten times more)."""
    kind = event.event_type
    return {
        "iri": event.iri,
        "label": event.label,
        "time": event.time.as_dict(),
        "event_type": {"iri": kind.iri, "label": kind.label, "notation": kind.notation} if kind else None,
        "actors": [_link(a) for a in event.actors],
        "places": [_link(p) for p in event.places],
        "status": _link(event.status),
        "machine_extracted": event.machine_extracted,
        "sources": [
            {"article": s.article, "headline": s.headline, "publisher": _link(s.publisher), "quotes": list(s.quotes),
             "citing": [_link(c) for c in s.citing]}
            for s in event.sources
        ],
        "informal": event.informal,
        "independent_sources": event.independent_sources,
        "disagreements": [{"aspect": d.aspect, "label": d.label} for d in event.disagreements],
        "reports": list(event.reports),
    }


def _row(pos: int, event: TimelineEvent) -> tuple:
    data = zlib.compress(json.dumps(_event_data(event), ensure_ascii=False, separators=(",", ":")).encode(), 1)
    return (pos, event.iri, event.label, event.time.first.key_number, data, event.search_text)


def _event(data: bytes) -> TimelineEvent:
    """The event of a row's ``data`` (its JSON, zlib-compressed)."""
    return TimelineEvent.from_dict(json.loads(zlib.decompress(data)))


def _facets(event: TimelineEvent) -> dict[tuple[str, str], str]:
    """The event's facet values, (kind, key) -> label."""
    found = {("actor", a.iri): a.label for a in event.actors}
    if event.event_type:
        found[("type", event.event_type.iri)] = event.event_type.label
    if event.status:
        found[("status", event.status.iri)] = event.status.label
    for source in event.sources:
        found.setdefault(("source", source.article), source.headline or source.article)
        if source.publisher:
            found.setdefault(("source", source.publisher.iri), source.publisher.label)
    return found


def _fill(db: sqlite3.Connection, events: list[TimelineEvent]) -> None:
    choices: dict[tuple[str, str], list] = {}
    rows, facets = [], []
    for n, event in enumerate(events):
        pos = (n + 1) * GAP
        rows.append(_row(pos, event))
        for (kind, key), label in _facets(event).items():
            choices.setdefault((kind, key), [label, 0])[1] += 1  # a source filed twice for one event counts once
            facets.append((kind, key, pos))
    db.executemany("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT INTO facet VALUES (?, ?, ?)", sorted(facets))
    db.executemany("INSERT INTO choice VALUES (?, ?, ?, ?)", [(*key, *entry) for key, entry in choices.items()])


class _NoRoom(Exception):
    """No free ``pos`` is left between two neighbouring events."""


def _update(db: sqlite3.Connection, iris: set[str], events: Iterable[TimelineEvent]) -> None:
    """Remove the events in ``iris`` and add ``events`` (their new state), keeping every table true."""
    old = db.execute(
        "SELECT pos, datekey, data FROM event WHERE iri IN (SELECT value FROM json_each(?))", [json.dumps(sorted(iris))]
    ).fetchall()
    emptied_choices, emptied_lanes = set(), set()  # counted down: maybe to 0
    for pos, datekey, data in old:
        for kind, key in _facets(_event(data)):
            db.execute("DELETE FROM facet WHERE kind = ? AND key = ? AND pos = ?", (kind, key, pos))
            db.execute("UPDATE choice SET events = events - 1 WHERE kind = ? AND key = ?", (kind, key))
            emptied_choices.add((kind, key))
            if kind == "actor":
                db.execute("UPDATE lane SET events = events - 1 WHERE actor = ? AND month = ?", (key, datekey // 100))
                emptied_lanes.add((key, datekey // 100))
        db.execute("DELETE FROM event WHERE pos = ?", (pos,))
    for event in sorted(events, key=timeline_order):
        row = _row(_free_pos(db, event), event)
        db.execute("INSERT INTO event VALUES (?, ?, ?, ?, ?, ?)", row)
        for (kind, key), label in _facets(event).items():
            db.execute("INSERT INTO facet VALUES (?, ?, ?)", (kind, key, row[0]))
            db.execute(
                "INSERT INTO choice VALUES (?, ?, ?, 1) ON CONFLICT DO UPDATE SET label = excluded.label,"
                " events = events + 1",
                (kind, key, label),
            )
            if kind == "actor":
                db.execute(
                    "INSERT INTO lane VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET events = events + 1",
                    (key, row[3] // 100),
                )
    db.executemany("DELETE FROM choice WHERE kind = ? AND key = ? AND events <= 0", sorted(emptied_choices))
    db.executemany("DELETE FROM lane WHERE actor = ? AND month = ? AND events <= 0", sorted(emptied_lanes))


def _free_pos(db: sqlite3.Connection, event: TimelineEvent) -> int:
    """A ``pos`` between the events before and after ``event`` in timeline order."""
    datekey, place = event.time.first.key_number, (event.label, event.iri)
    before = after = None
    for pos, label, iri in db.execute("SELECT pos, label, iri FROM event WHERE datekey = ? ORDER BY pos", (datekey,)):
        if (label, iri) < place:
            before = pos
        elif after is None:
            after = pos
    if before is None:
        found = db.execute(
            "SELECT pos FROM event WHERE datekey < ? ORDER BY datekey DESC, pos DESC LIMIT 1", (datekey,)
        ).fetchone()
        before = found[0] if found else None
    if after is None:
        found = db.execute("SELECT pos FROM event WHERE datekey > ? ORDER BY datekey, pos LIMIT 1", (datekey,)).fetchone()
        after = found[0] if found else None
    if before is None and after is None:
        return GAP
    if before is None or after is None:
        return after - GAP if before is None else before + GAP  # type: ignore[operator]
    if after - before < 2:
        raise _NoRoom
    return (before + after) // 2


# -- finding the index of a store ---------------------------------------------------------------

_built: dict[str, tuple[str, Path]] = {}  # store -> (modified stamp, index)
_building = threading.Lock()
_cache_folder: tempfile.TemporaryDirectory | None = None


def _as_of(store: SelectableStore, filters: Filters) -> SelectableStore:
    """The store the filters read: as it stood on their ``as_of`` day (an index of its own), or as it is."""
    return AsOfView(store, filters.as_of) if filters.as_of is not None else store  # type: ignore[arg-type]


def index_path(store: SelectableStore) -> Path:
    """The index of ``store``'s current data: the one written with its generation, or one built
    here (once per store and modified stamp).

    :raises StoreError: the store cannot be read.
    """
    folder = getattr(store, "generation_folder", None)
    if folder is not None and _current(folder / INDEX_FILE):
        return folder / INDEX_FILE
    where, modified = _identity(store)
    with _building:
        built = _built.get(where)
        if built is None or built[0] != modified:
            global _cache_folder
            if _cache_folder is None:
                _cache_folder = tempfile.TemporaryDirectory(prefix="kb-timeline-")
            path = write_index(store, Path(tempfile.mkdtemp(dir=_cache_folder.name)))
            if built is not None:  # the index of data that has since changed
                shutil.rmtree(built[1].parent, ignore_errors=True)
            _built[where] = built = (modified, path)
        return built[1]


_checked: dict[Path, bool] = {}  # generation index -> whether it is of this SCHEMA_VERSION


def _current(path: Path) -> bool:
    """Whether ``path`` exists and is an index of this :data:`SCHEMA_VERSION` (an older one is
    rebuilt in process)."""
    found = _checked.get(path)
    if found is None:
        if not path.exists():
            return False
        with _connect(path) as db:
            found = _checked[path] = db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    return found and path.exists()


def _identity(store: SelectableStore) -> tuple[str, str]:
    """Which store this is (its folder and generation, or its URL) and when it was last written."""
    modified = store.last_modified().isoformat() if hasattr(store, "last_modified") else ""
    if hasattr(store, "generation_folder"):
        return f"{store.path}:{store.generation_folder}", modified
    return repr(store), modified


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the timeline index ({exc}); rebuild with `kb build`.") from exc
    try:
        yield db
    finally:
        db.close()


# -- answering ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A value a filter can take, with its label and how many events have it."""

    key: str
    label: str
    events: int


@dataclass(frozen=True)
class Mark:
    """A mark in a lane: one event (``iri`` set) or the events of one month (``iri`` None)."""

    datekey: int
    count: int
    iri: str | None
    label: str

    @property
    def month(self) -> DatePoint:
        """The month (or the year, when the month is not known) the mark sits in."""
        year, month = divmod(self.datekey // 100, 100)
        return DatePoint.parse(f"{year:04d}-{month:02d}" if month else f"{year:04d}")  # type: ignore[return-value]


@dataclass(frozen=True)
class Lane:
    """One actor's events in the overview."""

    actor: Choice
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Overview:
    """The most active actors among the matching events, each a lane of marks on one time axis
    that runs from ``first`` to ``last`` (``datekey`` numbers)."""

    first: int
    last: int
    lanes: tuple[Lane, ...]
    per_event: bool  # one mark per event; else one per month
    all_events: bool = False  # the lanes count every event in the date range, not only the matching ones


@dataclass(frozen=True)
class TimelinePage:
    """One page of the filtered timeline; ``total`` is exact up to :data:`COUNT_LIMIT` (beyond,
    ``total_exact`` is False and ``total`` is a lower bound)."""

    events: tuple[TimelineEvent, ...]
    page: int
    total: int
    filters: Filters
    overview: Overview | None
    total_exact: bool = True
    more: bool = False  # events follow this page

    @property
    def page_count(self) -> int | None:
        """How many pages there are (None when the total is not counted exactly)."""
        return max(1, -(-self.total // PAGE_SIZE)) if self.total_exact else None


#: The most matching events a page counts exactly.
COUNT_LIMIT = 10_000


def timeline_page(
    store: SelectableStore, filters: Filters = NO_FILTERS, page: int = 1, *, overview: bool = True
) -> TimelinePage:
    """Page ``page`` (from 1, :data:`~kb.timeline.PAGE_SIZE` events) of the events that pass
    ``filters``, in timeline order, read from the timeline index; the same events, in the same
    order, as the matching slice of :func:`kb.timeline.timeline`.

    The matching events are a bitmap over the timeline (:class:`_Bitmaps`): each facet value's
    events, a date range and the events holding the words, combined with ``&`` and ``|``.

    :raises FilterError: a filter names an actor, type or source no dated event has, or ``page``
        is out of range.
    :raises StoreError: the store or its index cannot be read.
    """
    if page < 1:
        raise FilterError(f"There is no page {page}: pages count from 1.")
    path = index_path(_as_of(store, filters))
    with _connect(path) as db:
        _check_known(db, filters)
        bitmaps = _Bitmaps.of(path, db)
        matching = bitmaps.matching(db, filters)
        count = matching.bit_count()
        total = count if not filters else min(count, COUNT_LIMIT + 1)
        exact = total <= COUNT_LIMIT
        ranks = _set_bits(matching, (page - 1) * PAGE_SIZE, PAGE_SIZE + 1)
        if page > 1 and not ranks:
            pages = f"{max(1, -(-total // PAGE_SIZE))}" if exact else f"more than {COUNT_LIMIT // PAGE_SIZE}"
            raise FilterError(f"There is no page {page}: the filtered timeline has {pages}.")
        rows = db.execute(
            "SELECT data FROM event WHERE pos IN (SELECT value FROM json_each(?)) ORDER BY pos",
            [json.dumps([bitmaps.positions[rank] for rank in ranks[:PAGE_SIZE]])],
        ).fetchall()
        lanes = _overview(db, bitmaps, filters, matching, count) if overview and count else None
    events = tuple(_event(data) for (data,) in rows)
    return TimelinePage(events, page, total, filters, lanes, exact, len(ranks) > PAGE_SIZE)


def all_matching(store: SelectableStore, filters: Filters = NO_FILTERS) -> Iterator[TimelineEvent]:
    """Every event that passes ``filters``, in timeline order, read from the index (for exports).

    :raises FilterError: as for :func:`timeline_page`.
    """
    with _connect(index_path(_as_of(store, filters))) as db:
        _check_known(db, filters)
        query = _query(db, filters)
        sql = f"SELECT event.data FROM {query.tables} WHERE {query.where} ORDER BY {query.order}"
        for (data,) in db.execute(sql, query.params):
            yield _event(data)


def choices(store: SelectableStore, kind: str, limit: int = 300) -> list[Choice]:
    """The values of one filter (``actor``, ``type``, ``status``, ``source``), most events first."""
    with _connect(index_path(store)) as db:
        rows = db.execute(
            "SELECT key, label, events FROM choice WHERE kind = ? ORDER BY events DESC, key LIMIT ?", (kind, limit)
        ).fetchall()
    return [Choice(*row) for row in rows]


def labels(store: SelectableStore, keys: list[str]) -> dict[str, str]:
    """The labels of facet values (to show the filters in force)."""
    if not keys:
        return {}
    with _connect(index_path(store)) as db:
        marks = ", ".join("?" * len(keys))
        return dict(db.execute(f"SELECT key, label FROM choice WHERE key IN ({marks})", keys).fetchall())


_FACETS = (("actor", "actors"), ("type", "types"), ("status", "statuses"), ("source", "sources"))


def _check_known(db: sqlite3.Connection, filters: Filters) -> None:
    problems = []
    for kind, field_name in _FACETS:
        for key in getattr(filters, field_name):
            if db.execute("SELECT 1 FROM choice WHERE kind = ? AND key = ?", (kind, key)).fetchone():
                continue
            local = key.rstrip("/").rsplit("/", 1)[-1]
            near = db.execute(
                "SELECT key FROM choice WHERE kind = ? AND (key LIKE ? ESCAPE '\\' OR label LIKE ? ESCAPE '\\')"
                " ORDER BY events DESC LIMIT 3",
                (kind, f"%{_like(local)}%", f"%{_like(local.replace('-', ' '))}%"),
            ).fetchall()
            hint = f" Did you mean {', '.join(repr(k.rsplit('/', 1)[-1]) for (k,) in near)}?" if near else ""
            problems.append(f"No dated event has the {kind} {local!r}.{hint}")
    if problems:
        raise FilterError(" ".join(problems) + " Remove the filter or pick a value from the form.")


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class _Query:
    """``SELECT ... FROM {tables} WHERE {where} ORDER BY {order}`` picks the matching events
    (columns as ``event.<name>``); ``params`` are the values of its ``?`` placeholders."""

    tables: str
    where: str
    params: list[object]
    order: str


def _query(db: sqlite3.Connection, filters: Filters) -> _Query:
    """The SQL for ``filters``: fixed text with ``?`` placeholders, and their values.

    The facet filter with the fewest events drives: read in timeline order from the facet's
    primary key when it has one value, else as ``pos IN``; the other facet filters are probed
    per event (``EXISTS`` on the primary key). A date range is a range of ``pos``, since the
    timeline is in date order. Words are looked for with ``instr``.
    """
    tables, order, conditions, params = "event", "event.pos", ["1"], []
    facets = []
    for kind, field_name in _FACETS:
        keys = getattr(filters, field_name)
        if keys:
            marks = ", ".join("?" * len(keys))
            size = db.execute(
                f"SELECT sum(events) FROM choice WHERE kind = ? AND key IN ({marks})", [kind, *keys]
            ).fetchone()[0]
            facets.append((size or 0, kind, keys, marks))
    for n, (_, kind, keys, marks) in enumerate(sorted(facets)):
        if n == 0 and len(keys) == 1:
            tables, order = "facet AS driver JOIN event ON event.pos = driver.pos", "driver.pos"
            conditions.append("driver.kind = ? AND driver.key = ?")
        elif n == 0:
            conditions.append(f"event.pos IN (SELECT pos FROM facet WHERE kind = ? AND key IN ({marks}))")
        else:
            conditions.append(
                f"EXISTS (SELECT 1 FROM facet AS f WHERE f.kind = ? AND f.key IN ({marks}) AND f.pos = event.pos)"
            )
        params += [kind, *keys]
    if filters.start or filters.end:
        low = filters.start.key_number if filters.start else 0
        year, month, day = filters.end.last_key if filters.end else (99999, 99, 99)
        first, last = db.execute(
            "SELECT min(pos), max(pos) FROM event WHERE datekey BETWEEN ? AND ?",
            (low, year * 10000 + month * 100 + day),
        ).fetchone()
        conditions.append("event.pos BETWEEN ? AND ?")
        params += [first if first is not None else 0, last if last is not None else -1]
    if filters.text:
        folded = filters.text.casefold()
        conditions.append("instr(event.search, ?) > 0")
        params.append(folded)
    return _Query(tables, " AND ".join(conditions), params, order)


#: The most matching events the overview counts per actor itself; beyond, it shows the lanes of
#: the most active actors overall, over the date range.
OVERVIEW_COUNT_LIMIT = 2000
#: The most facet values whose bitmaps a process keeps per index.
BITMAPS_KEPT = 512


class _Bitmaps:
    """What an index's answers are computed from in this process, read once per index file: the
    ``pos`` of each event by rank (its place on the timeline, from 0), its ``datekey``, and, on
    first use, each facet value's events as a bitmap (bit ``rank`` set) and each event's actors."""

    _open: ClassVar[dict[tuple[Path, int, int], _Bitmaps]] = {}  # by the index file, its inode and mtime
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, db: sqlite3.Connection) -> None:
        rows = db.execute("SELECT pos, datekey FROM event ORDER BY pos").fetchall()
        self.positions = [pos for pos, _ in rows]
        self.datekeys = [datekey for _, datekey in rows]
        self.rank = {pos: n for n, pos in enumerate(self.positions)}
        self.everything = (1 << len(rows)) - 1
        self._facets: dict[tuple[str, str], int] = {}
        self._actors: list[tuple[str, ...]] | None = None
        self._texts: str | None = None
        self._ends: list[int] = []  # where each event's text ends in ``_texts``

    @classmethod
    def of(cls, path: Path, db: sqlite3.Connection) -> _Bitmaps:
        stat = path.stat()
        key = (path, stat.st_ino, stat.st_mtime_ns)
        with cls._lock:
            found = cls._open.get(key)
            if found is None:
                if len(cls._open) >= 4:  # indexes of generations since replaced
                    cls._open.pop(next(iter(cls._open)))
                found = cls._open[key] = cls(db)
            return found

    def of_ranks(self, ranks: Iterable[int]) -> int:
        bits = bytearray(len(self.positions) // 8 + 1)
        for rank in ranks:
            bits[rank >> 3] |= 1 << (rank & 7)
        return int.from_bytes(bits, "little")

    def facet(self, db: sqlite3.Connection, kind: str, key: str) -> int:
        found = self._facets.get((kind, key))
        if found is None:
            rows = db.execute("SELECT pos FROM facet WHERE kind = ? AND key = ?", (kind, key))
            found = self.of_ranks(self.rank[pos] for (pos,) in rows)
            with self._lock:
                if len(self._facets) >= BITMAPS_KEPT:
                    self._facets.pop(next(iter(self._facets)))
                self._facets[(kind, key)] = found
        return found

    def actors(self, db: sqlite3.Connection) -> list[tuple[str, ...]]:
        """The actors of each event, by rank."""
        if self._actors is None:
            actors: list[list[str]] = [[] for _ in self.positions]
            for key, pos in db.execute("SELECT key, pos FROM facet WHERE kind = 'actor'"):
                actors[self.rank[pos]].append(key)
            self._actors = [tuple(keys) for keys in actors]
        return self._actors

    def matching(self, db: sqlite3.Connection, filters: Filters) -> int:
        """The events that pass ``filters``."""
        found = self.everything
        for kind, field_name in _FACETS:
            keys = getattr(filters, field_name)
            if keys:
                union = 0
                for key in keys:
                    union |= self.facet(db, kind, key)
                found &= union
        if filters.start or filters.end:
            low = filters.start.key_number if filters.start else 0
            year, month, day = filters.end.last_key if filters.end else (99999, 99, 99)
            first = bisect.bisect_left(self.datekeys, low)
            last = bisect.bisect_right(self.datekeys, year * 10000 + month * 100 + day)
            found &= ((1 << last) - 1) ^ ((1 << first) - 1)
        if filters.text and found:
            found = self._with_text(db, found, filters.text.casefold())
        return found

    def _with_text(self, db: sqlite3.Connection, found: int, folded: str) -> int:
        """The events among ``found`` whose search text holds ``folded``: found with ``str.find``
        in all the search texts joined (read on first use), each text ending in a NUL."""
        if self._texts is None:
            texts = [search for (search,) in db.execute("SELECT search FROM event ORDER BY pos")]
            self._ends = list(itertools.accumulate(len(text) + 1 for text in texts))
            self._texts = "\0".join(texts) + "\0"
        if "\0" in folded:
            return 0
        if found.bit_count() <= len(self.positions) // 4:  # few events to look in: look in each
            ends, texts = self._ends, self._texts
            return self.of_ranks(
                rank for rank in _set_bits(found, 0, found.bit_count())
                if texts.find(folded, ends[rank - 1] if rank else 0, ends[rank]) >= 0
            )
        holding, at, texts, ends = [], self._texts.find(folded), self._texts, self._ends
        while at >= 0:
            rank = bisect.bisect_right(ends, at)
            holding.append(rank)
            at = texts.find(folded, ends[rank])  # on from the next event's text
        return found & self.of_ranks(holding)


def _set_bits(bits: int, skip: int, count: int) -> list[int]:
    """The places of set bits ``skip`` to ``skip + count - 1`` of ``bits`` (from the lowest)."""
    if skip:
        low, high = 0, bits.bit_length()  # the fewest low bits holding ``skip`` set bits
        while low < high:
            middle = (low + high) // 2
            if (bits & ((1 << middle) - 1)).bit_count() >= skip:
                high = middle
            else:
                low = middle + 1
        bits = bits >> low << low
    text = bin(bits)[:1:-1]  # bit 0 first
    places, at = [], text.find("1")
    while at >= 0 and len(places) < count:
        places.append(at)
        at = text.find("1", at + 1)
    return places


def _overview(db: sqlite3.Connection, bitmaps: _Bitmaps, filters: Filters, matching: int, total: int) -> Overview:
    first = bitmaps.datekeys[(matching & -matching).bit_length() - 1]  # the timeline is in date order
    last = bitmaps.datekeys[matching.bit_length() - 1]
    only_dates = not (filters.actors or filters.types or filters.statuses or filters.sources or filters.text)
    per_event = total <= MARKS_PER_EVENT_LIMIT
    if per_event or (not only_dates and total <= OVERVIEW_COUNT_LIMIT):
        lanes = _counted_lanes(db, bitmaps, matching, total, per_event)
        whole = False
    else:
        lanes = _lanes_of_the_most_active(db, first, last)
        whole = not only_dates
    return Overview(first, last, lanes, per_event, whole)


def _counted_lanes(
    db: sqlite3.Connection, bitmaps: _Bitmaps, matching: int, total: int, per_event: bool
) -> tuple[Lane, ...]:
    """The lanes of the most active actors among the matching events, counted here."""
    actors = bitmaps.actors(db)
    by_actor: dict[str, list[int]] = {}
    for rank in _set_bits(matching, 0, total):
        for key in actors[rank]:
            by_actor.setdefault(key, []).append(rank)
    top = sorted(by_actor.items(), key=lambda item: (-len(item[1]), item[0]))[:LANES]
    names = dict(db.execute(
        "SELECT key, label FROM choice WHERE kind = 'actor' AND key IN (SELECT value FROM json_each(?))",
        [json.dumps([key for key, _ in top])],
    ).fetchall())
    events = {}
    if per_event:
        wanted = sorted({bitmaps.positions[rank] for _, ranks in top for rank in ranks})
        events = {pos: (iri, label) for pos, iri, label in db.execute(
            "SELECT pos, iri, label FROM event WHERE pos IN (SELECT value FROM json_each(?))", [json.dumps(wanted)]
        )}
    lanes = []
    for key, ranks in top:
        if per_event:
            marks = tuple(Mark(bitmaps.datekeys[rank], 1, *events[bitmaps.positions[rank]]) for rank in ranks)
        else:
            months: dict[int, int] = {}
            for rank in ranks:
                month = bitmaps.datekeys[rank] // 100 * 100
                months[month] = months.get(month, 0) + 1
            marks = tuple(Mark(month, count, None, "") for month, count in sorted(months.items()))
        lanes.append(Lane(Choice(key, names[key], len(ranks)), marks))
    return tuple(lanes)


def _lanes_of_the_most_active(db: sqlite3.Connection, first: int, last: int) -> tuple[Lane, ...]:
    """The lanes of the most active actors overall, every event of theirs from ``first`` to ``last``."""
    top = db.execute(
        "SELECT key, label FROM choice WHERE kind = 'actor' ORDER BY events DESC, key LIMIT ?", (LANES,)
    ).fetchall()
    lanes = []
    for key, label in top:
        rows = db.execute(
            "SELECT month * 100, events, NULL, '' FROM lane WHERE actor = ? AND month BETWEEN ? AND ? ORDER BY month",
            (key, first // 100, last // 100),
        ).fetchall()
        lanes.append(Lane(Choice(key, label, sum(row[1] for row in rows)), tuple(Mark(*row) for row in rows)))
    return tuple(sorted(lanes, key=lambda lane: (-lane.actor.events, lane.actor.key)))
