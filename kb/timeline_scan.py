"""The timeline's events read straight from a pyoxigraph store's quads, for the timeline index.

:func:`kb.timeline.timeline` reads events with three SPARQL queries; over a big KB pyoxigraph
spends minutes joining their OPTIONALs. :func:`scan_events` walks the same patterns with
``quads_for_pattern`` lookups and fills the same drafts (:class:`kb.timeline._Draft`), so it
gives exactly the events :func:`~kb.timeline.timeline` gives (before filters), the reports of
one event in several articles merged as there (:func:`kb.timeline_merge.merge_reports`).
:func:`affected_events` finds which events a change of some subjects' triples can alter, so an
index update recomputes only those.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain

import pyoxigraph as ox

from kb.namespaces import OA, PEACE, PROV, RDF, RDFS, SCHEMA, SEM, SKOS
from kb.timeline import _STAMP_FIELDS, TimelineEvent, _Draft
from kb.timeline_merge import Cluster, make_cluster, merge_reports

Term = ox.NamedNode | ox.BlankNode | ox.Literal
#: An object as plain data: its value and what it is (:data:`IRI`, :data:`BLANK`, :data:`ENGLISH`
#: for a literal in English or without a language, :data:`LITERAL` for another literal).
Value = tuple[str, int]
IRI, BLANK, ENGLISH, LITERAL = range(4)


def _node(iri: object) -> str:
    return str(iri)


_TYPE, _EVENT, _REPORT = _node(RDF.type), _node(SEM.Event), _node(PEACE.Report)
_LABEL, _PREF_LABEL, _NOTATION = _node(RDFS.label), _node(SKOS.prefLabel), _node(SKOS.notation)
_EVENT_TYPE, _STATUS = _node(SEM.eventType), _node(PEACE.status)
_ASSERTED_BY, _INFORMAL = _node(PEACE.assertedBy), _node(PEACE.informal)
_ACTOR, _PLACE = _node(SEM.hasActor), _node(SEM.hasPlace)
_DERIVED_FROM, _PUBLISHER, _HEADLINE = _node(PROV.wasDerivedFrom), _node(SCHEMA.publisher), _node(SCHEMA.headline)
_EVIDENCE, _TARGET, _SOURCE = _node(PEACE.evidence), _node(OA.hasTarget), _node(OA.hasSource)
_SELECTOR, _EXACT, _START = _node(OA.hasSelector), _node(OA.exact), _node(OA.start)
_ATTRIBUTED_TO = _node(PROV.wasAttributedTo)
_REPORTED_AS, _INDEPENDENT = _node(PEACE.reportedAs), _node(PEACE.independentSources)
_ABOUT, _ASPECT, _DISAGREEMENT = _node(PEACE.about), _node(PEACE.aspect), _node(PEACE.Disagreement)
_STAMPS = dict(_STAMP_FIELDS)
_READ = frozenset((_LABEL, _PREF_LABEL, _NOTATION, _EVENT_TYPE, _STATUS, _ASSERTED_BY, _INFORMAL, _ACTOR, _PLACE,
                   _DERIVED_FROM, _PUBLISHER, _HEADLINE, _EVIDENCE, _TARGET, _SOURCE, _SELECTOR, _EXACT, _START,
                   _ATTRIBUTED_TO, _REPORTED_AS, _INDEPENDENT, _ABOUT, _ASPECT, *_STAMPS))
#: The links read backwards: from a report to its merged event, from a merged event to its disagreements.
_REVERSED = (_REPORTED_AS, _ABOUT)

#: The links from an event to what its timeline line shows: a change to a node these reach back
#: from to an event can change that event.
LINKS = tuple(ox.NamedNode(p) for p in (
    _ACTOR, _PLACE, _EVENT_TYPE, _STATUS, _DERIVED_FROM, _PUBLISHER, _EVIDENCE, _TARGET, _SOURCE, _SELECTOR,
    _ATTRIBUTED_TO,
))
_LINK_NAMES = frozenset(link.value for link in LINKS)


class BlankNodeFound(Exception):
    """Quads read apart from the store hold a blank node: the store renamed it, so read the store."""


def loaded_subjects(quads: Iterable[ox.Quad]) -> set[Term] | None:
    """The subjects of quads added to a store; None if one is a blank node (the store renamed it)."""
    subjects = {q.subject for q in quads}
    return None if any(isinstance(s, ox.BlankNode) for s in subjects) else subjects


def _value(term: Term) -> Value:
    if isinstance(term, ox.NamedNode):
        return term.value, IRI
    if isinstance(term, ox.BlankNode):
        return term.value, BLANK
    language = term.language
    english = language is None or language.lower() == "en" or language.lower().startswith("en-")
    return term.value, ENGLISH if english else LITERAL


def _term(value: Value) -> ox.NamedNode | ox.BlankNode:
    return ox.NamedNode(value[0]) if value[1] == IRI else ox.BlankNode(value[0])


class QuadView:
    """The objects of (subject, predicate) in every graph of ``store`` (its union default graph),
    looked up on demand and kept; or among ``quads`` (all of the dataset's quads), read in one
    pass. One view serves :func:`affected_events` and then :func:`scan_events`, which finds the
    nodes the first looked up already read."""

    def __init__(self, store: ox.Store | ReplacedGraphs | None, quads: Iterable[ox.Quad] | None = None) -> None:
        self._store: ox.Store | ReplacedGraphs | None = store
        self._cache: dict[tuple[Value, str], list[Value]] = {}
        self._read: set[Value] = set()  # the subjects whose quads the store was asked for
        self._reversed: dict[tuple[Value, str], list[Value]] = {}
        self.events: dict[Value, None] = {}  # the subjects typed sem:Event among ``quads``
        self.merged: dict[Value, None] = {}  # the subjects with peace:reportedAs among ``quads``
        if quads is not None:
            lists: dict[tuple[Value, str], dict[Value, None]] = defaultdict(dict)
            backwards: dict[tuple[Value, str], dict[Value, None]] = defaultdict(dict)
            for subject, predicate, term, _ in quads:
                name = predicate.value
                if name in _READ:
                    if isinstance(subject, ox.BlankNode) or isinstance(term, ox.BlankNode):
                        raise BlankNodeFound(subject if isinstance(subject, ox.BlankNode) else term)
                    lists[(_value(subject), name)][_value(term)] = None
                    if name in _REVERSED:
                        backwards[(_value(term), name)][_value(subject)] = None
                    if name == _REPORTED_AS:
                        self.merged[_value(subject)] = None
                elif name == _TYPE and isinstance(term, ox.NamedNode) and term.value in (_EVENT, _REPORT, _DISAGREEMENT):
                    lists[(_value(subject), name)][(term.value, IRI)] = None
                    if term.value == _EVENT:
                        self.events[_value(subject)] = None
            self._cache = {key: list(values) for key, values in lists.items()}
            self._reversed = {key: list(values) for key, values in backwards.items()}
            self._store = None

    def objects(self, subject: Value, predicate: str) -> list[Value]:
        if subject[1] > BLANK:  # a literal is the subject of nothing
            return []
        if self._store is not None and subject not in self._read:
            self._read_subject(subject)
        return self._cache.get((subject, predicate), [])

    def has(self, subject: Value, predicate: str, value: Value | None = None) -> bool:
        """Whether ``subject`` has ``predicate`` (with object ``value``), asked on its own where
        its quads were not read: most nodes asked about have neither."""
        if self._store is None or subject in self._read:
            found = self.objects(subject, predicate)
            return bool(found) if value is None else value in found
        obj = None if value is None else _term(value)
        return subject[1] <= BLANK and next(
            self._store.quads_for_pattern(_term(subject), ox.NamedNode(predicate), obj), None) is not None

    def _read_subject(self, subject: Value) -> None:
        """Every object of ``subject`` by predicate, in one lookup (one per predicate costs more)."""
        objects: dict[str, dict[Value, None]] = defaultdict(dict)
        for quad in self._store.quads_for_pattern(_term(subject), None, None):  # type: ignore[union-attr]
            objects[quad.predicate.value][_value(quad.object)] = None
        self._cache.update(((subject, predicate), list(values)) for predicate, values in objects.items())
        self._read.add(subject)

    def incoming(self, node: Value) -> Iterator[tuple[str, Value]]:
        """(predicate, subject) of every quad whose object is ``node``, in one lookup; the
        subjects by the predicates of :data:`_REVERSED` are kept for :meth:`subjects`."""
        if self._store is None or node[1] > BLANK:
            return
        found: dict[str, dict[Value, None]] = {predicate: {} for predicate in _REVERSED}
        for quad in self._store.quads_for_pattern(None, None, _term(node)):
            name, subject = quad.predicate.value, _value(quad.subject)
            if name in found:
                found[name][subject] = None
            yield name, subject
        self._reversed.update(((node, predicate), list(subjects)) for predicate, subjects in found.items())

    def subjects(self, predicate: str, node: Value) -> list[Value]:
        """The subjects of (``predicate``, ``node``), for a predicate of :data:`_REVERSED`."""
        key = (node, predicate)
        found = self._reversed.get(key)
        if found is None:
            if self._store is None or node[1] > BLANK:
                return []
            quads = self._store.quads_for_pattern(None, ox.NamedNode(predicate), _term(node))
            found = self._reversed[key] = list(dict.fromkeys(_value(q.subject) for q in quads))
        return found

    def values(self, subject: Value, predicate: str) -> list[str]:
        """The objects' values, but empty ones (the queries' rows skip those)."""
        return [value for value, _ in self.objects(subject, predicate) if value]

    def english(self, subject: Value, predicate: str) -> list[str]:
        """The values of literals in English or without a language (the SPARQL queries' filter)."""
        return [value for value, kind in self.objects(subject, predicate) if value and kind == ENGLISH]


def scan_events(
    store: ox.Store | ReplacedGraphs | None, events: Iterable[Term] | None = None,
    quads: Iterable[ox.Quad] | None = None, *, view: QuadView | None = None,
) -> Iterator[TimelineEvent]:
    """The timeline events among ``events`` (default: all; those typed ``sem:Event`` with a
    date stamp count), read as :func:`kb.timeline.timeline` reads them; in no particular order.

    ``quads``, when given, are all of ``store``'s quads in a cheaper form than the store (the
    data just loaded into an empty store, or the graphs of an as-of view; ``store`` may then be
    None): they are read in one pass instead.

    ``view``, when given, is a view of ``store`` that has read some nodes already.

    :raises BlankNodeFound: ``quads`` hold a blank node where the events are read.
    """
    if view is None:
        if events is None and quads is None:
            quads = store.quads_for_pattern(None, None, None)  # type: ignore[union-attr]
        view = QuadView(store, quads)
    wanted = dict.fromkeys(view.events if events is None else [_value(event) for event in events])
    merged = list(view.merged) if events is None else [
        m for node in wanted for m in ([node] if view.has(node, _REPORTED_AS) else view.subjects(_REPORTED_AS, node))
    ]
    clusters = {m[0]: _cluster(view, m) for m in merged}
    for cluster in clusters.values():  # a merged line needs every report
        wanted.update(dict.fromkeys((report, IRI) for report in cluster.reports))
    frozen = (event for node in wanted if (event := _scan_event(view, node)))
    yield from merge_reports(frozen, clusters)


def _scan_event(view: QuadView, event: Value) -> TimelineEvent | None:
    if not view.has(event, _TYPE, (_EVENT, IRI)):
        return None
    draft = _Draft()
    for predicate, name in _STAMPS.items():
        for stamp, _ in view.objects(event, predicate):
            draft.stamps[name].add(stamp)
    if not draft.stamps:
        return None
    _fill_draft(view, event, draft)
    return draft.freeze(event[0])


def _cluster(view: QuadView, merged: Value) -> Cluster:
    """What the links say of a merged event, as :data:`kb.timeline_merge.CLUSTERS_QUERY` reads it."""
    disagreements = [
        (aspect, label)
        for node in view.subjects(_ABOUT, merged) if (_DISAGREEMENT, IRI) in view.objects(node, _TYPE)
        for aspect in (view.values(node, _ASPECT) or [""])
        for label in (view.english(node, _LABEL) or [aspect])
    ]
    reports = [value for value, kind in view.objects(merged, _REPORTED_AS) if kind == IRI]
    return make_cluster(merged[0], reports, view.values(merged, _INDEPENDENT), disagreements,
                        view.english(merged, _LABEL))


def _fill_draft(view: QuadView, event: Value, draft: _Draft) -> None:
    draft.labels.update(view.english(event, _LABEL))
    for kind in view.objects(event, _EVENT_TYPE):
        names, notations = draft.types.setdefault(kind[0], (set(), set()))
        names.update(view.english(kind, _PREF_LABEL))
        notations.update(view.values(kind, _NOTATION))
    for status in view.objects(event, _STATUS):
        draft.statuses[status[0]].update(view.english(status, _PREF_LABEL))
    draft.asserted_by.update(view.values(event, _ASSERTED_BY))
    draft.informal.update(view.values(event, _INFORMAL))
    for role, predicate in (("actor", _ACTOR), ("place", _PLACE)):
        for thing in view.objects(event, predicate):
            draft.links[role][thing[0]].update(view.english(thing, _LABEL))
    articles: dict[Value, list[tuple[int, str]]] = {article: [] for article in view.objects(event, _DERIVED_FROM)}
    for evidence in view.objects(event, _EVIDENCE):
        for target in view.objects(evidence, _TARGET):
            selectors = view.objects(target, _SELECTOR)
            exact = [value for s in selectors for value, _ in view.objects(s, _EXACT)]
            if not exact:  # no quote: the evidence gives no row
                continue
            starts = [value for s in selectors for value, _ in view.objects(s, _START)] or [None]
            ranked = [int(s) if s and s.isdigit() else -1 for s in starts]
            for article in view.objects(target, _SOURCE):
                articles.setdefault(article, []).extend(
                    (rank, quote) for quote in exact if quote for rank in ranked
                )
    for article, quotes in articles.items():
        headlines, publishers = draft.articles.setdefault(article[0], (set(), defaultdict(set)))
        headlines.update(view.english(article, _HEADLINE))
        for publisher in view.objects(article, _PUBLISHER):
            if publisher[0]:
                publishers[publisher[0]].update(view.english(publisher, _LABEL))
        if quotes:
            draft.quotes[article[0]].update(quotes)
        for report in view.objects(article, _DERIVED_FROM):
            if (_REPORT, IRI) in view.objects(report, _TYPE):
                for citing in view.objects(report, _ATTRIBUTED_TO):
                    if citing[0]:
                        draft.citing[article[0]][citing[0]].update(view.english(citing, _LABEL))


def changed_subjects(store: ox.Store, graph: str, quads: list[ox.Quad]) -> set[Term]:
    """The subjects of the quads in the named graph ``graph`` of ``store`` or in ``quads`` (its
    new version), but not both."""
    node = ox.NamedNode(graph)
    if not store.contains_named_graph(node):
        return {quad.subject for quad in quads}
    return {quad.subject for quad in set(store.quads_for_pattern(None, None, None, node)) ^ set(quads)}


class ReplacedGraphs:
    """The dataset of a store after some of its named graphs were replaced, read from the store
    as it was (all but those graphs) and the new graphs held in memory: what the next generation
    holds, without reading its just-opened database, where a look-up costs ~15x one in memory."""

    def __init__(self, before: ox.Store, replaced: Mapping[str, Iterable[ox.Quad]]) -> None:
        self._before = before
        # the graphs to leave out of ``before``: those it holds (new ones need no filter)
        self._old = {node for node in map(ox.NamedNode, replaced) if before.contains_named_graph(node)}
        self._new = ox.Store()
        self._new.bulk_extend(quad for quads in replaced.values() for quad in quads)

    def quads_for_pattern(self, subject: Term | None, predicate: ox.NamedNode | None, obj: Term | None,
                          graph_name: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        """The quads matching the pattern, as :meth:`pyoxigraph.Store.quads_for_pattern`."""
        kept = self._before.quads_for_pattern(subject, predicate, obj, graph_name)
        if self._old:
            kept = (quad for quad in kept if quad.graph_name not in self._old)
        return chain(kept, self._new.quads_for_pattern(subject, predicate, obj, graph_name))


def affected_events(view: QuadView, changed: set[Term]) -> set[Term]:
    """The nodes that reach one of ``changed`` through :data:`LINKS` (``changed`` included), and
    the merged events of those nodes with all their reports: every event whose timeline line a
    change of those subjects' triples can alter is among them. Each node is looked up both
    ways once, and what ``view`` reads of it is kept for :func:`scan_events`."""
    seen = {_value(node) for node in changed}
    frontier = list(seen)
    merged = set()
    while frontier:
        node = frontier.pop()
        for predicate, subject in view.incoming(node):
            if predicate in _LINK_NAMES and subject not in seen:
                seen.add(subject)
                frontier.append(subject)
            elif predicate == _REPORTED_AS:  # a report
                merged.add(subject)
        merged.update(n for n in view.objects(node, _ABOUT) if n[1] <= BLANK)  # a disagreement
        if view.objects(node, _REPORTED_AS):  # a merged event
            merged.add(node)
    for node in merged:
        seen.add(node)
        seen.update(n for n in view.objects(node, _REPORTED_AS) if n[1] <= BLANK)
    return {_term(value) for value in seen}
