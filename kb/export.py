"""Dumps of the whole KB (gzipped N-Quads and TriG with SHA-256 sums) and a GDELT-style event CSV.

``kb build`` and ``kb ingest`` regenerate the dumps next to the store (:func:`dumps_dir`);
``kb export`` writes the same files, and the CSV, to a folder of the user's choice; ``kb import``
(:mod:`kb.restore`) loads them back.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import os
from pathlib import Path

import pyoxigraph as ox

from kb.namespaces import sparql_prefixes
from kb.store import Store, write_atomically

NQUADS = "kb.nq.gz"
TRIG = "kb.trig.gz"
CHECKSUMS = "SHA256SUMS"
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


def write_dumps(store: Store, out_dir: Path) -> list[Path]:
    """Write the dataset as gzipped N-Quads and TriG plus ``SHA256SUMS``; return the paths.

    Each file is written under a temporary name and renamed, so a reader sees the old file or
    the new one. Everything is serialised and compressed before the first file is replaced, so a
    process killed meanwhile leaves the files and their sums in step except in the short span of
    the three renames (``kb import`` then refuses the mismatch; the next build or ingest rewrites
    them). The gzip headers carry no time stamp: the same KB gives the same bytes.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    packed = {
        NQUADS: gzip.compress(store.dump_nquads(), mtime=0),
        TRIG: gzip.compress(store.dump(ox.RdfFormat.TRIG), mtime=0),
    }
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in packed.items())
    for name, data in packed.items():
        write_atomically(out_dir / name, data)
    write_atomically(out_dir / CHECKSUMS, sums.encode("ascii"))
    return [out_dir / name for name in (*packed, CHECKSUMS)]


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
