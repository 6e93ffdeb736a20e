"""Dumps of the whole KB (gzipped N-Quads and TriG with SHA-256 sums) and a GDELT-style event CSV.

``kb build``, ``kb ingest`` and ``kb import`` regenerate the dumps next to the store
(:func:`dumps_dir`); ``kb export`` writes the same files, and the CSV, to a folder of the user's
choice; ``kb import`` (:mod:`kb.restore`) loads them back.

A dump holds one gzip member per named graph, in the order of the graph IRIs: the graph's N-Quads
in sorted lines, or its TriG. Next to a store the members are kept, one file per graph and format,
in the hidden folder ``.parts`` with a manifest naming the store generation they were made from,
so that a write of a few graphs makes only their members again (:class:`Changes`).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kb.namespaces import sparql_prefixes
from kb.store import EmbeddedStore, Store, write_atomically

NQUADS = "kb.nq.gz"
TRIG = "kb.trig.gz"
CHECKSUMS = "SHA256SUMS"
PARTS = ".parts"
_MANIFEST = "manifest.json"
_SUFFIXES = {NQUADS: ".nq.gz", TRIG: ".trig.gz"}
EVENTS_CSV = "events.csv"

# GDELT's QuadClass by CAMEO root: verbal / material cooperation, verbal / material conflict.
QUAD_CLASS = {**{f"{r:02d}": 1 for r in range(1, 6)}, **{f"{r:02d}": 2 for r in range(6, 9)},
              **{f"{r:02d}": 3 for r in range(9, 14)}, **{f"{r:02d}": 4 for r in range(14, 21)}}
# Roles whose actor is GDELT's Actor1 (the one who acts); the others are Actor2.
ACTOR1_ROLES = ("visitor", "proposer", "speaker", "demander", "responder", "attacker", "announcer",
                "canceller")
ACTOR2_ROLES = ("host", "addressee", "target")
CSV_COLUMNS = (
    "EventId", "Date", "DatePrecision", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "EventType", "Label", "Status", "Actor1Name", "Actor1Iri", "Actor2Name", "Actor2Iri",
    "OtherActors", "ActionGeoName", "ActionGeoIri", "SourceArticle", "SourceUrl", "Publisher",
    "PublishedDate",
)


def dumps_dir(store_location: str | os.PathLike[str]) -> Path:
    """Where the dumps of a store live: the folder beside it named ``<store>-dumps``."""
    store = Path(store_location)
    return store.with_name(f"{store.name}-dumps")


@dataclass
class Changes:
    """The named graphs written since the store's generation ``generation`` (None: every graph may
    have changed, as after a build or an import)."""

    generation: str | None
    graphs: set[str] = field(default_factory=set)


def write_dumps(store: Store, out_dir: Path, changes: Changes | None = None) -> list[Path]:
    """Write the dataset as gzipped N-Quads and TriG plus ``SHA256SUMS``; return the paths.

    With ``changes`` (next to an embedded store) the members of each graph are kept in
    ``out_dir/.parts``; when they were made from ``changes.generation``, only the members of
    ``changes.graphs`` are made again, else all of them. A kept member whose digest differs from
    the manifest's is made again too.

    Each file is written under a temporary name and renamed, so a reader sees the old file or
    the new one. Everything is serialised and compressed before the first file is replaced, so a
    process killed meanwhile leaves the files and their sums in step except in the short span of
    the three renames (``kb import`` then refuses the mismatch; the next build or ingest rewrites
    them). The gzip headers carry no time stamp: the same KB gives the same bytes.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    names = store.graph_names()
    if changes is None:
        members = dict(_members(store, names))
    else:
        members = _kept_members(store, names, out_dir / PARTS, changes)
    packed = {dump: b"".join(members[name][dump] for name in names) for dump in (NQUADS, TRIG)}
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in packed.items())
    for name, data in packed.items():
        write_atomically(out_dir / name, data)
    write_atomically(out_dir / CHECKSUMS, sums.encode("ascii"))
    return [out_dir / name for name in (*packed, CHECKSUMS)]


def _members(store: Store, names: list[str]) -> Iterator[tuple[str, dict[str, bytes]]]:
    """Each graph's gzip members (dump file name -> bytes), graph by graph."""
    if isinstance(store, EmbeddedStore):
        for name in names:
            yield name, _pack(list(store.quads([name])))
        return
    by_graph: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS):
        by_graph.setdefault(quad.graph_name.value, []).append(quad)
    for name in names:
        yield name, _pack(by_graph.get(name, []))


def _pack(quads: Iterable[ox.Quad]) -> dict[str, bytes]:
    quads = list(quads)
    lines = sorted(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True))
    return {NQUADS: gzip.compress(b"".join(lines), compresslevel=6, mtime=0),
            TRIG: gzip.compress(ox.serialize(quads, format=ox.RdfFormat.TRIG), compresslevel=6, mtime=0)}


def _kept_members(store: Store, names: list[str], parts: Path, changes: Changes) -> dict[str, dict[str, bytes]]:
    """The members of every graph, made again only where needed (see :func:`write_dumps`), and the
    parts folder brought up to date with the store's current generation."""
    try:
        manifest = json.loads((parts / _MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    same = changes.generation is not None and manifest.get("generation") == changes.generation
    kept = manifest.get("graphs", {}) if same else {}
    members: dict[str, dict[str, bytes]] = {}
    stale = []
    for name in names:
        entry = kept.get(name)
        if entry is None or name in changes.graphs or not (found := _read_part(parts, entry)):
            stale.append(name)
        else:
            members[name] = found
    parts.mkdir(exist_ok=True)
    made = dict(_members(store, stale))
    entries = {name: kept[name] for name in members}
    for name, data in made.items():
        stem = hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]
        for dump, suffix in _SUFFIXES.items():
            (parts / f".{stem}{suffix}.tmp").write_bytes(data[dump])
            os.replace(parts / f".{stem}{suffix}.tmp", parts / f"{stem}{suffix}")
        entries[name] = {"stem": stem, **{dump: hashlib.sha256(data[dump]).hexdigest() for dump in _SUFFIXES}}
    members.update(made)
    generation = store.generation if isinstance(store, EmbeddedStore) else None
    write_atomically(parts / _MANIFEST, json.dumps({"generation": generation, "graphs": entries}).encode("utf-8"))
    for leftover in {p.name for p in parts.iterdir()} - {_MANIFEST} - {
            f"{e['stem']}{suffix}" for e in entries.values() for suffix in _SUFFIXES.values()}:
        (parts / leftover).unlink(missing_ok=True)
    return members


def _read_part(parts: Path, entry: dict[str, str]) -> dict[str, bytes] | None:
    """A graph's kept members, or None when one is missing or not what the manifest says."""
    found = {}
    for dump, suffix in _SUFFIXES.items():
        try:
            data = (parts / f"{entry['stem']}{suffix}").read_bytes()
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != entry.get(dump):
            return None
        found[dump] = data
    return found


def write_events_csv(store: Store, path: Path) -> int:
    """Write one row per event, GDELT-style (CAMEO codes, actors, place, source); return the count."""
    rows = _event_rows(store)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    write_atomically(path, buffer.getvalue().encode("utf-8"))
    return len(rows)


_EVENTS_QUERY = sparql_prefixes() + """
SELECT ?event ?label ?type ?typeLabel ?code ?status ?date ?precision ?place ?placeName
       ?article ?url ?publisherName ?published
WHERE {
  ?event a sem:Event ; rdfs:label ?label ; sem:eventType ?type ; peace:status ?s ;
         prov:wasDerivedFrom ?article .
  ?type skos:notation ?code ; skos:prefLabel ?typeLabel .
  BIND(STRAFTER(STR(?s), "#") AS ?status)
  OPTIONAL { ?event peace:time ?t . ?t peace:precision ?unit .
             BIND(LCASE(STRAFTER(STR(?unit), "#unit")) AS ?precision) }
  OPTIONAL { ?event sem:hasTimeStamp|sem:hasBeginTimeStamp|sem:hasEarliestBeginTimeStamp ?date }
  OPTIONAL { ?event sem:hasPlace ?place . ?place rdfs:label ?placeName }
  ?article schema:publisher/rdfs:label ?publisherName ; schema:datePublished ?published .
  OPTIONAL { ?article schema:url ?url }
}"""

_ACTORS_QUERY = sparql_prefixes() + """
SELECT ?event ?role ?actor ?name WHERE {
  ?event a sem:Event ; ?property ?actor .
  ?property rdfs:subPropertyOf sem:hasActor .
  ?actor rdfs:label ?name .
  BIND(STRAFTER(STR(?property), "#") AS ?role)
}"""

_LATEST_ONLY_QUERY = sparql_prefixes() + """
SELECT ?event ?date WHERE { ?event a sem:Event ; sem:hasLatestEndTimeStamp ?date }"""


def _event_rows(store: Store) -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for b in store.select(_EVENTS_QUERY):
        v = {k: t["value"] for k, t in b.items()}
        row = rows.setdefault(v["event"], {"EventId": v["event"]})
        if v.get("date"):
            row["Date"] = min(filter(None, (row.get("Date"), v["date"])))
        code = v["code"]
        row.update({
            "DatePrecision": v.get("precision", ""), "EventCode": code, "EventBaseCode": code[:3],
            "EventRootCode": code[:2], "QuadClass": str(QUAD_CLASS[code[:2]]), "EventType": v["typeLabel"],
            "Label": v["label"], "Status": v["status"].lower(), "ActionGeoName": v.get("placeName", ""),
            "ActionGeoIri": v.get("place", ""), "SourceArticle": v["article"], "SourceUrl": v.get("url", ""),
            "Publisher": v["publisherName"], "PublishedDate": v["published"],
        })
    for b in store.select(_LATEST_ONLY_QUERY):  # undated but for a "by" date: use that
        row = rows.get(b["event"]["value"])
        if row is not None and "Date" not in row:
            row["Date"] = b["date"]["value"]
    actors: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for b in store.select(_ACTORS_QUERY):
        by_role = actors.setdefault(b["event"]["value"], {})
        by_role.setdefault(b["role"]["value"], []).append((b["name"]["value"], b["actor"]["value"]))
    for iri, row in rows.items():
        row.update(_gdelt_actors(actors.get(iri, {})))
    return sorted(rows.values(), key=lambda r: (r.get("Date", ""), r["EventId"]))


def _gdelt_actors(by_role: dict[str, list[tuple[str, str]]]) -> dict[str, str]:
    """Actor1 is who acts, Actor2 who is acted upon; participants and parties fill in, by name."""
    acting = sorted(a for role in ACTOR1_ROLES for a in by_role.get(role, []))
    acted_on = sorted(a for role in ACTOR2_ROLES for a in by_role.get(role, []))
    shared = sorted(a for role in ("participant", "party") for a in by_role.get(role, []))
    actor1 = (acting or shared or [("", "")])[0]
    actor2 = next((a for a in acted_on + shared if a != actor1), ("", ""))
    others = sorted(set(acting + acted_on + shared) - {actor1, actor2})
    return {
        "Actor1Name": actor1[0], "Actor1Iri": actor1[1], "Actor2Name": actor2[0], "Actor2Iri": actor2[1],
        "OtherActors": "; ".join(name for name, _ in others),
    }
