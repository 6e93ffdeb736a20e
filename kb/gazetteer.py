"""The gazetteer: known actors, places, posts and roles, with aliases and Wikidata links."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS

from kb.namespaces import PEACE, SCHEMA, SEM, WD, IriMinter, is_local_id
from kb.records import Records
from kb.yamlio import LINE, load_yaml

#: The classes every actor has besides those of its type.
AGENT_CLASSES = (SEM.Actor, PROV.Agent, FOAF.Agent)
_ORGANISATION = (ORG.Organization, FOAF.Organization)
ACTOR_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "Person": (PEACE.Person, FOAF.Person, SCHEMA.Person),
    "UnnamedSource": (PEACE.UnnamedSource, FOAF.Person, SCHEMA.Person),
    "Government": (PEACE.Government, *_ORGANISATION, SCHEMA.GovernmentOrganization),
    "GovernmentAgency": (PEACE.GovernmentAgency, *_ORGANISATION, SCHEMA.GovernmentOrganization),
    "ArmedGroup": (PEACE.ArmedGroup, *_ORGANISATION, SCHEMA.Organization),
    "MilitaryForce": (PEACE.MilitaryForce, *_ORGANISATION, SCHEMA.Organization),
    "InternationalOrganisation": (PEACE.InternationalOrganisation, *_ORGANISATION, SCHEMA.Organization),
    "NewsOrganisation": (PEACE.NewsOrganisation, *_ORGANISATION, SCHEMA.NewsMediaOrganization),
    "WireService": (
        PEACE.WireService, PEACE.NewsOrganisation, *_ORGANISATION, SCHEMA.NewsMediaOrganization
    ),
    "ResearchOrganisation": (PEACE.ResearchOrganisation, *_ORGANISATION, SCHEMA.ResearchOrganization),
    "Collective": (PEACE.Collective, FOAF.Group, SCHEMA.Organization),
}
PLACE_CLASSES: dict[str, tuple[URIRef, ...]] = {
    "Country": (PEACE.Country, SCHEMA.Country),
    "Province": (PEACE.Province, SCHEMA.AdministrativeArea),
    "City": (PEACE.City, SCHEMA.City),
    "Airfield": (PEACE.Airfield, SCHEMA.Airport),
}


@dataclass
class Gazetteer:
    """The known entities by id, their graph, and the source line of each IRI."""

    actors: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    graph: Graph = field(default_factory=Graph)
    lines: dict[URIRef, str] = field(default_factory=dict)
    # Ids merged away or corrected (redirects.yaml): "actor/old" -> "actor/new", followed to the end.
    redirects: dict[str, str] = field(default_factory=dict)

    def resolving(self, minter: IriMinter) -> IriMinter:
        """A minter that gives an actor or place id listed in redirects.yaml the IRI of the entry
        that replaced it, so annotations that still use the old id are converted to the new one."""
        return RedirectingMinter(str(minter.base), self.redirects)


class RedirectingMinter(IriMinter):
    """Mints actor and place IRIs through the gazetteer's redirects (:meth:`Gazetteer.resolving`)."""

    def __init__(self, base: str, redirects: dict[str, str]) -> None:
        super().__init__(base)
        self.redirects = redirects

    def actor(self, actor_id: str):
        return super().actor(self.redirects.get(f"actor/{actor_id}", f"actor/{actor_id}").partition("/")[2])

    def place(self, place_id: str):
        return super().place(self.redirects.get(f"place/{place_id}", f"place/{place_id}").partition("/")[2])


def load_gazetteer(folder: Path, minter: IriMinter) -> Gazetteer:
    """Read actors.yaml, places.yaml, posts.yaml and (if present) redirects.yaml from ``folder``.

    :raises AnnotationError: on a malformed entry, naming its file and line.
    """
    gaz = Gazetteer()
    g = gaz.graph
    actors_file, places_file, posts_file = (folder / n for n in ("actors.yaml", "places.yaml", "posts.yaml"))

    rec = Records(actors_file)
    actor_entries = rec.items(rec.mapping(load_yaml(actors_file), "the file"), "actors")
    gaz.actors = {rec.local_id(e) for e in actor_entries}
    for e in actor_entries:
        rec.check_keys(e, "actor", {"id", "type", "label"},
                       {"aliases", "wikidata", "description", "member_of", "part_of"})
        iri = minter.actor(e["id"])
        gaz.lines[iri] = f"{actors_file}:{e[LINE]}"
        for cls in (*rec.choice(e, "type", ACTOR_CLASSES), *AGENT_CLASSES):
            g.add((iri, RDF.type, cls))
        add_names(g, iri, e)
        if e.get("member_of"):
            g.add((iri, ORG.memberOf, minter.actor(rec.ref(e, "member_of", gaz.actors, "actor"))))
        if e.get("part_of"):
            g.add((iri, ORG.subOrganizationOf, minter.actor(rec.ref(e, "part_of", gaz.actors, "actor"))))
        _wikidata(rec, g, iri, e)

    rec = Records(places_file)
    place_entries = rec.items(rec.mapping(load_yaml(places_file), "the file"), "places")
    gaz.places = {rec.local_id(e) for e in place_entries}
    for e in place_entries:
        rec.check_keys(e, "place", {"id", "type", "label"}, {"aliases", "wikidata", "within", "description"})
        iri = minter.place(e["id"])
        gaz.lines[iri] = f"{places_file}:{e[LINE]}"
        for cls in (*rec.choice(e, "type", PLACE_CLASSES), SEM.Place, SCHEMA.Place):
            g.add((iri, RDF.type, cls))
        add_names(g, iri, e)
        if e.get("within"):
            g.add((iri, SCHEMA.containedInPlace, minter.place(rec.ref(e, "within", gaz.places, "place"))))
        _wikidata(rec, g, iri, e)

    rec = Records(posts_file)
    doc = rec.mapping(load_yaml(posts_file), "the file")
    roles = {rec.local_id(r): r for r in rec.items(doc, "roles")}
    for r in roles.values():
        rec.check_keys(r, "role", {"id", "label"}, set())
        iri = minter.role(r["id"])
        g.add((iri, RDF.type, ORG.Role))
        g.add((iri, RDFS.label, Literal(r["label"], lang="en")))
    for p in rec.items(doc, "posts"):
        rec.check_keys(p, "post", {"id", "label", "organisation", "role"}, set())
        iri = minter.post(rec.local_id(p))
        gaz.posts[p["id"]] = p
        gaz.lines[iri] = f"{posts_file}:{p[LINE]}"
        g.add((iri, RDF.type, ORG.Post))
        g.add((iri, RDFS.label, Literal(p["label"], lang="en")))
        g.add((iri, ORG.postIn, minter.actor(rec.ref(p, "organisation", gaz.actors, "actor"))))
        g.add((iri, ORG.role, minter.role(rec.ref(p, "role", roles, "role"))))
    _load_redirects(folder / "redirects.yaml", gaz, minter)
    return gaz


def _load_redirects(path: Path, gaz: Gazetteer, minter: IriMinter) -> None:
    """``<old> dcterms:isReplacedBy <new>`` for each entry of redirects.yaml (optional file).

    A redirect may lead to another redirected id (a merge of a merge); each old id of an actor or
    place that ends at an entry of the same kind joins ``gaz.actors`` / ``gaz.places`` and
    ``gaz.redirects``, so annotations may still refer to it.
    """
    if not path.exists():
        return
    rec = Records(path)
    known = {"actor": (gaz.actors, minter.actor), "place": (gaz.places, minter.place)}
    entries: dict[str, tuple[str, dict[str, Any]]] = {}
    for r in rec.items(rec.mapping(load_yaml(path), "the file"), "redirects"):
        rec.check_keys(r, "redirect", {"from", "to"}, {"reason", "date", "undo"})
        ends = []
        for key in ("from", "to"):
            kind, _, local = str(r[key]).partition("/")
            if kind not in known or not is_local_id(local):
                raise rec.fault(r, f"'{key}: {r[key]}' must read actor/<id> or place/<id>.", key)
            ends.append((kind, local))
        (old_kind, old_id), _ = ends
        if old_id in known[old_kind][0]:
            raise rec.fault(r, f"'from: {r['from']}' is still a gazetteer entry; remove it or the redirect.", "from")
        if str(r["from"]) in entries:
            raise rec.fault(r, f"'from: {r['from']}' is redirected twice; keep one entry.", "from")
        entries[str(r["from"])] = (str(r["to"]), r)
    for old, (new, r) in entries.items():
        final, seen = new, {old}
        while final in entries and final not in seen:
            seen.add(final)
            final = entries[final][0]
        kind, _, local = final.partition("/")
        if local not in known[kind][0]:
            raise rec.fault(r, f"'to: {new}' names no gazetteer entry; redirect to an existing one.", "to")
        (old_kind, old_id), (new_kind, new_id) = (s.partition("/")[::2] for s in (old, new))
        gaz.graph.add((known[old_kind][1](old_id), DCTERMS.isReplacedBy, known[new_kind][1](new_id)))
        if kind == old_kind:
            gaz.redirects[old] = final
    gaz.actors |= {old.partition("/")[2] for old in gaz.redirects if old.startswith("actor/")}
    gaz.places |= {old.partition("/")[2] for old in gaz.redirects if old.startswith("place/")}


def add_names(g: Graph, iri: URIRef, entry: dict[str, Any]) -> None:
    """An entry's label (rdfs:label, schema:name), aliases (skos:altLabel) and description."""
    g.add((iri, RDFS.label, Literal(entry["label"], lang="en")))
    g.add((iri, SCHEMA.name, Literal(entry["label"], lang="en")))
    for alias in entry.get("aliases") or []:
        g.add((iri, SKOS.altLabel, Literal(alias, lang="en")))
    if entry.get("description"):
        g.add((iri, SCHEMA.description, Literal(entry["description"], lang="en")))


def _wikidata(rec: Records, g: Graph, iri: URIRef, entry: dict[str, Any]) -> None:
    qid = entry.get("wikidata")
    if qid is None:
        return
    if not (isinstance(qid, str) and qid[:1] == "Q" and qid[1:].isdigit()):
        raise rec.fault(entry, f"'wikidata: {qid}' is not a Wikidata id such as Q5838.", "wikidata")
    g.add((iri, OWL.sameAs, WD[qid]))
