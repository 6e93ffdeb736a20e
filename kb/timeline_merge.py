"""One timeline line per event, however many articles report it.

The links graph (docs/model.md, "Cross-article model") merges the reports of one event in
several articles into ``{base}id/event/{cluster}``, a ``peace:ReportedEvent`` with
``peace:reportedAs`` each article's event, ``peace:independentSources`` and the
``peace:Disagreement`` nodes where the reports differ. :func:`merge_reports` turns the timeline
lines of those reports into one line: its own label, the earliest report's date, type and status, every
report's actors, places and sources, the count of independent sources and the disagreements.
Both ways of reading the timeline (:func:`kb.timeline.timeline`, :func:`kb.timeline_scan.scan_events`)
read the clusters (:class:`Cluster`) and merge with this one function.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kb.namespaces import sparql_prefixes
from kb.store import Binding
from kb.timeline import Disagreement, Link, Source, TimelineEvent, timeline_order


@dataclass(frozen=True)
class Cluster:
    """A merged event: its IRI, the article events it merges, and what the links graph says of it."""

    iri: str
    reports: tuple[str, ...]
    independent_sources: int | None = None
    disagreements: tuple[Disagreement, ...] = ()
    label: str | None = None  # the merged event's own summary


#: Each merged event's reports, its independent-source count, and its disagreements (one per row).
CLUSTERS_QUERY = sparql_prefixes() + """
SELECT ?merged ?report ?independent ?aspect ?label ?mergedLabel WHERE {
  { ?merged peace:reportedAs ?report }
  UNION { ?merged peace:reportedAs [] ; peace:independentSources ?independent }
  UNION {
    ?merged peace:reportedAs [] ; rdfs:label ?mergedLabel
    FILTER(langMatches(lang(?mergedLabel), "en") || lang(?mergedLabel) = "")
  }
  UNION {
    ?merged peace:reportedAs [] . ?disagreement a peace:Disagreement ; peace:about ?merged .
    OPTIONAL { ?disagreement peace:aspect ?aspect }
    OPTIONAL { ?disagreement rdfs:label ?label FILTER(langMatches(lang(?label), "en") || lang(?label) = "") }
  }
}"""


def integer(lexical: str | None) -> int | None:
    """An ``xsd:integer`` value, or None if it is none."""
    return int(lexical) if lexical and lexical.strip().lstrip("+").isdigit() else None


def make_cluster(iri: str, reports: Iterable[str], independent: Iterable[str],
                 disagreements: Iterable[tuple[str, str]], labels: Iterable[str] = ()) -> Cluster:
    """A :class:`Cluster` from the values read (the least count and label, if several are given)."""
    counts = [n for n in map(integer, independent) if n is not None]
    return Cluster(
        iri, tuple(sorted(set(reports))), min(counts, default=None),
        tuple(Disagreement(aspect, label) for aspect, label in sorted(set(disagreements))),
        min(labels, default=None),
    )


def clusters_from_rows(rows: Iterable[Binding]) -> dict[str, Cluster]:
    """The clusters in the rows of :data:`CLUSTERS_QUERY`, by merged IRI."""
    found: dict[str, tuple[set[str], set[str], set[tuple[str, str]], set[str]]] = {}
    for row in rows:
        reports, counts, disagreements, labels = found.setdefault(row["merged"]["value"], (set(), set(), set(), set()))
        if "mergedLabel" in row:
            labels.add(row["mergedLabel"]["value"])
        if "report" in row:
            reports.add(row["report"]["value"])
        if "independent" in row:
            counts.add(row["independent"]["value"])
        if "aspect" in row or "label" in row:
            aspect = row["aspect"]["value"] if "aspect" in row else ""
            disagreements.add((aspect, row["label"]["value"] if "label" in row else aspect))
    return {iri: make_cluster(iri, *values) for iri, values in found.items()}


def merge_reports(events: Iterable[TimelineEvent], clusters: Mapping[str, Cluster]) -> list[TimelineEvent]:
    """``events`` with the dated reports of each cluster replaced by one merged line (in no
    particular order). A cluster none of whose reports is among ``events`` gives no line, unless
    the merged event is a dated event itself."""
    by_iri = {event.iri: event for event in events}
    absorbed: set[str] = set()
    merged = []
    for cluster in clusters.values():
        reports = sorted((by_iri[r] for r in cluster.reports if r in by_iri and r != cluster.iri), key=timeline_order)
        own = by_iri.get(cluster.iri)
        if not reports and own is None:
            continue
        absorbed.update(r.iri for r in reports)
        absorbed.add(cluster.iri)
        merged.append(_merged(cluster, own, reports))
    return merged + [event for iri, event in by_iri.items() if iri not in absorbed]


def _merged(cluster: Cluster, own: TimelineEvent | None, reports: list[TimelineEvent]) -> TimelineEvent:
    parts = ([own] if own else []) + reports
    first = parts[0]
    return TimelineEvent(
        iri=cluster.iri,
        label=cluster.label or first.label,
        time=first.time,
        event_type=first.event_type or next((p.event_type for p in parts if p.event_type), None),
        actors=_union(p.actors for p in parts),
        places=_union(p.places for p in parts),
        status=first.status,
        machine_extracted=all(p.machine_extracted for p in parts),
        sources=_sources(parts),
        informal=first.informal,
        independent_sources=cluster.independent_sources,
        disagreements=cluster.disagreements,
        reports=tuple(r.iri for r in sorted(reports, key=lambda r: r.iri)),
    )


def _union(groups: Iterable[tuple[Link, ...]]) -> tuple[Link, ...]:
    """The links of every group, once per IRI (the least label), by label."""
    found: dict[str, str] = {}
    for group in groups:
        for link in group:
            found[link.iri] = min(found.get(link.iri, link.label), link.label)
    return tuple(sorted((Link(iri, label) for iri, label in found.items()), key=lambda l: (l.label, l.iri)))


def _sources(parts: list[TimelineEvent]) -> tuple[Source, ...]:
    """Every report's sources, one per article (the quotes of all reports from it)."""
    found: dict[str, Source] = {}
    for source in (s for part in parts for s in part.sources):
        known = found.get(source.article)
        if known is None:
            found[source.article] = source
        else:
            found[source.article] = Source(
                known.article, known.headline, known.publisher, tuple(dict.fromkeys(known.quotes + source.quotes)),
                tuple(sorted(set(known.citing + source.citing), key=lambda l: (l.label, l.iri))),
            )
    return tuple(found[article] for article in sorted(found))
