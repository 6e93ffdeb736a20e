"""Event coreference across articles: proposing which events of different articles report the same
event, and scoring such clusters against the reviewed ones of data/links.yaml (kb/links.py).

A pair of events is a candidate when their articles differ, their types are the same or share a
broader concept (a CAMEO root), they are both real (occurred, accepted, rejected), both
prospective (planned, proposed, possible) or both cancelled, and their times can be the same. Its
score weighs the type, how well the times agree, the participants and place they share and the
words their labels share; pairs above a threshold are joined, best first, into clusters that hold
at most one event per article.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from typing import Any

from rdflib import URIRef
from rdflib.namespace import ORG, SKOS

from kb.annotation import Annotation, Fact
from kb.gazetteer import Gazetteer
from kb.namespaces import ETYPE, SCHEMA
from kb.ontology import Vocabulary, load_vocabulary
from kb.records import as_list

THRESHOLD = 0.65  # pairwise F1 0.76 on the development corpus (kb evaluate)
WEIGHTS = {"type": 0.25, "time": 0.2, "actors": 0.2, "place": 0.1, "words": 0.25}
_STATUS_GROUP = {"occurred": "real", "accepted": "real", "rejected": "real", "planned": "prospective",
                 "proposed": "prospective", "possible": "possible", "cancelled": "cancelled"}
_STOPWORDS = frozenset((
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "and", "or", "its",
    "their", "his", "her", "as", "is", "are", "be", "will", "would", "into", "over", "after",
    "before", "than", "that", "this", "these", "those", "all", "any",
))
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ProposedCluster:
    """Events of different articles proposed as reports of one event, with the lowest score of
    the pairs that joined them."""

    members: frozenset[str]
    score: float


@dataclass(frozen=True)
class _Event:
    ref: str
    article: str
    type: str
    group: str
    actors: frozenset[str]
    place: str | None
    window: tuple[date | None, date | None]  # earliest and latest day it can be
    stamps: Mapping[str, tuple[date, date]]  # value / begin / end as the days they cover
    words: frozenset[str]


def propose_links(
    annotations: Iterable[Annotation],
    vocabulary: Vocabulary | None = None,
    gazetteer: Gazetteer | None = None,
    threshold: float = THRESHOLD,
) -> list[ProposedCluster]:
    """Clusters of events from different articles that look like reports of one event, best
    scored first. ``gazetteer`` (optional) lets a place count as shared with the places it lies
    in."""
    vocabulary = vocabulary or load_vocabulary()
    roots = _roots(vocabulary)
    within = _closure(gazetteer, SCHEMA.containedInPlace) if gazetteer else {}
    parents = _closure(gazetteer, ORG.memberOf, ORG.subOrganizationOf) if gazetteer else {}
    events = [_event(ann, fact, parents) for ann in annotations for fact in ann.facts.values() if fact.section == "events"]
    score: dict[frozenset[str], float] = {}
    for a, b in combinations(events, 2):
        s = pair_score(a, b, roots, within)
        if s > 0:
            score[frozenset((a.ref, b.ref))] = s
    pairs = sorted(((s, *sorted(p)) for p, s in score.items() if s >= threshold), key=lambda p: (-p[0], p[1], p[2]))
    cluster_of = {e.ref: frozenset({e.ref}) for e in events}
    for _, x, y in pairs:
        cx, cy = cluster_of[x], cluster_of[y]
        if cx == cy or {r.partition("/")[0] for r in cx} & {r.partition("/")[0] for r in cy}:
            continue  # one report per article in a cluster
        cross = [score.get(frozenset((u, v)), 0.0) for u in cx for v in cy]
        if sum(cross) / len(cross) < threshold:  # average linkage: no chains of loose pairs
            continue
        joined = cx | cy
        for ref in joined:
            cluster_of[ref] = joined
    found = {c for c in cluster_of.values() if len(c) > 1}
    proposed = [ProposedCluster(c, round(min(score.get(frozenset(p), 0.0) for p in combinations(c, 2)), 3))
                for c in found]
    return sorted(proposed, key=lambda c: (-c.score, sorted(c.members)))


def pair_score(a: _Event, b: _Event, roots: Mapping[str, str], within: Mapping[str, set[str]]) -> float:
    """How likely two events report the same event (0 when they cannot: same article, other
    kind of status, unrelated types or times that cannot meet)."""
    if a.article == b.article or a.group != b.group or a.group == "possible":
        return 0.0  # possible events are hypotheses, not reports of something
    if a.type == b.type:
        type_score = 1.0
    elif roots.get(a.type) and roots.get(a.type) == roots.get(b.type):
        type_score = 0.5
    else:
        return 0.0
    time_score = _time_score(a, b)
    if time_score == 0.0:
        return 0.0
    parts = {
        "type": type_score,
        "time": time_score,
        "actors": _jaccard(a.actors, b.actors),
        "place": _place_score(a.place, b.place, within),
        "words": _jaccard(a.words, b.words),
    }
    return sum(WEIGHTS[k] * v for k, v in parts.items())


def pairwise_scores(predicted: list[set[str]], gold: list[set[str]]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of predicted clusters of fact refs against gold ones.

    Every unordered pair of refs in one cluster is a link. With no predicted links precision is
    1 if there are no gold links either, else 0; likewise recall with no gold links.
    """
    predicted_pairs, gold_pairs = _pairs(predicted), _pairs(gold)
    hits = len(predicted_pairs & gold_pairs)
    precision = hits / len(predicted_pairs) if predicted_pairs else float(not gold_pairs)
    recall = hits / len(gold_pairs) if gold_pairs else float(not predicted_pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _pairs(clusters: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    return {frozenset(p) for c in clusters for p in combinations(sorted(set(c)), 2)}


# -- features of an event ------------------------------------------------------------------------


def _event(ann: Annotation, fact: Fact, parents: Mapping[str, set[str]]) -> _Event:
    """An event's features; its actors include the organisations they belong to (``parents``)."""
    f = fact.fields
    named = {a for actors in (f.get("roles") or {}).values() if isinstance(actors, list | str)
             for a in as_list(actors)}
    actors = frozenset(named.union(*(parents.get(a, set()) for a in named)))
    spec = f.get("time") or {}
    stamps = {k: _days(spec[k]) for k in ("value", "begin", "end") if spec.get(k) is not None}
    earliest = [_days(spec[k])[0] for k in ("value", "begin", "earliest") if spec.get(k) is not None]
    latest = [_days(spec[k])[1] for k in ("value", "end", "latest") if spec.get(k) is not None]
    return _Event(
        ref=f"{ann.article_id}/{fact.id}",
        article=ann.article_id,
        type=str(f.get("type")),
        group=_STATUS_GROUP.get(str(f.get("status")), "other"),
        actors=actors,
        place=f.get("place"),
        window=(min(earliest) if earliest else None, max(latest) if latest else None),
        stamps=stamps,
        words=_words(str(f.get("label", ""))),
    )


def _days(value: Any) -> tuple[date, date]:
    """The first and last day of a time value: a date, ``YYYY-MM`` or ``YYYY``."""
    if isinstance(value, date):
        return value, value
    text = str(value)
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1), date(int(text), 12, 31)
    year, month = (int(p) for p in text.split("-")[:2])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _words(label: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", re.sub(r"\(.*?\)", " ", label.lower()))
    return frozenset(w for w in words if w not in _STOPWORDS and len(w) > 1)


def _time_score(a: _Event, b: _Event) -> float:
    """1 for the same days, less the looser the times, 0 when they cannot be the same."""
    for key in set(a.stamps) & set(b.stamps):
        if not _meet(a.stamps[key], b.stamps[key], slack=_ONE_DAY):
            return 0.0
    lo = max((d for d in (a.window[0], b.window[0]) if d), default=None)
    hi = min((d for d in (a.window[1], b.window[1]) if d), default=None)
    if lo and hi and lo > hi + _ONE_DAY:
        return 0.0
    exact = [k for k in set(a.stamps) & set(b.stamps) if a.stamps[k] == b.stamps[k]]
    if exact and all(a.stamps[k][0] == a.stamps[k][1] for k in exact):
        return 1.0
    if not (a.stamps and b.stamps):
        return 0.3  # a window only says when it may have been
    spans = [w[1] - w[0] for w in (a.window, b.window) if w[0] and w[1]]
    if len(spans) == 2 and max(spans) <= timedelta(days=31):
        return 0.8
    return 0.5


def _meet(x: tuple[date, date], y: tuple[date, date], slack: timedelta) -> bool:
    return x[0] <= y[1] + slack and y[0] <= x[1] + slack


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x & y) / len(x | y) if x | y else 0.0


def _place_score(x: str | None, y: str | None, within: Mapping[str, set[str]]) -> float:
    if x is None or y is None:
        return 0.5
    if x == y:
        return 1.0
    return 0.75 if y in within.get(x, set()) or x in within.get(y, set()) else 0.0


def _roots(vocabulary: Vocabulary) -> dict[str, str]:
    """Each event type's broader concept (its CAMEO root), by local name."""
    out = {}
    for concept, broader in vocabulary.graph.subject_objects(SKOS.broader):
        if str(concept).startswith(str(ETYPE)):
            out[str(concept)[len(str(ETYPE)):]] = str(broader)
    return out


def _closure(gazetteer: Gazetteer, *properties: URIRef) -> dict[str, set[str]]:
    """Each gazetteer id and the ids it reaches by ``properties``, directly or not: the places a
    place lies in, the organisations an actor belongs to."""
    direct: dict[str, set[str]] = {}
    for prop in properties:
        for inner, outer in gazetteer.graph.subject_objects(prop):
            if isinstance(inner, URIRef) and isinstance(outer, URIRef):
                    direct.setdefault(str(inner).rsplit("/", 1)[1], set()).add(str(outer).rsplit("/", 1)[1])
    out = {}
    for place, outer in direct.items():
        seen, todo = set(), list(outer)
        while todo:
            p = todo.pop()
            if p not in seen:
                seen.add(p)
                todo.extend(direct.get(p, ()))
        out[place] = seen
    return out
