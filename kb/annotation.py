"""Reading a stand-off annotation file (docs/annotation-format.md) and checking it.

The checks here are the ones SHACL cannot make: the YAML's own shape, ids that resolve, and
evidence spans that quote the article body exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kb.articles import Article, read_article
from kb.errors import InputError
from kb.gazetteer import ACTOR_CLASSES, Gazetteer
from kb.records import Records, as_list
from kb.yamlio import LINE, META_KEYS, load_yaml

FORMAT_VERSION = 1

ROLES = (
    "visitor", "host", "participant", "speaker", "proposer", "addressee", "demander",
    "responder", "attacker", "target", "party", "announcer", "canceller",
)
# Keys every fact may have; events and quantities add a label, a time and a status.
FACT_KEYS = {"note", "confidence", "according_to"}
DATED_FACT_KEYS = FACT_KEYS | {"label", "time", "reported_via", "status"}
EVENT_KEYS = DATED_FACT_KEYS | {
    "roles", "place", "part_of", "purpose", "precedes", "leads_to", "responds_to", "informal",
    "channel", "to_outlet", "quote", "content", "proposed_action", "outcome", "counter_demand",
    "demanded_action", "stage", "duration", "rounds", "from_quantity", "to_quantity",
}
SECTIONS: dict[str, tuple[set[str], set[str]]] = {
    # section: (required keys, allowed keys) besides id and evidence
    "reports": ({"author"}, FACT_KEYS | {"cites"}),
    "memberships": ({"member", "post", "tenure"}, FACT_KEYS),
    "events": ({"type", "label", "status", "time"}, EVENT_KEYS),
    "quantities": ({"label", "value", "unit", "measure", "subject", "status", "time"},
                   DATED_FACT_KEYS | {"approximation"}),
    "preconditions": ({"label", "set_by", "requires"}, FACT_KEYS | {"condition_for", "stated_in"}),
    "conditions": ({"label"}, FACT_KEYS | {"required_event", "leads_to"}),
}
# Keys whose values name other records, and the sections those may be in.
REFERENCES: dict[str, tuple[str, ...]] = {
    "part_of": ("events",), "precedes": ("events",), "leads_to": ("events", "conditions"),
    "responds_to": ("events",), "proposed_action": ("events",), "counter_demand": ("events",),
    "demanded_action": ("events",), "required_event": ("events",), "condition_for": ("events",),
    "stated_in": ("events",), "requires": ("conditions",), "reported_via": ("reports",),
    "from_quantity": ("quantities",), "to_quantity": ("quantities",),
}
ACTOR_KEYS = ("author", "cites", "member", "according_to", "set_by", "subject", "to_outlet")
# The optional section of actors new to the gazetteer, found in this article.
NEW_ACTORS = "actors"
NEW_ACTOR_KEYS = ({"type", "label"}, {"aliases", "member_of", "confidence", "note"})


@dataclass(frozen=True)
class Span:
    """An evidence span: ``article.body[start:end] == exact``."""

    start: int
    end: int
    exact: str


@dataclass
class Fact:
    """One record of an annotation: its section, id, fields, evidence and source line."""

    section: str
    id: str
    fields: dict[str, Any]
    evidence: list[Span]
    line: int


@dataclass
class Annotation:
    """A checked annotation and the article it annotates."""

    path: Path
    article_id: str
    article: Article
    reviewed: bool
    meta: dict[str, Any]
    facts: dict[str, Fact] = field(default_factory=dict)
    actors: dict[str, Fact] = field(default_factory=dict)  # the 'actors:' section, by id
    derived_from: list[str] = field(default_factory=list)

    def location(self, line: int) -> str:
        return f"{self.path}:{line}"

    def known_actors(self, gazetteer: Gazetteer) -> set[str]:
        """The actor ids this file may refer to: the gazetteer's and its own new actors."""
        return gazetteer.actors | set(self.actors)


def load_annotation(path: Path, gazetteer: Gazetteer) -> Annotation:
    """Read and check an annotation file against its article and the gazetteer.

    :raises AnnotationError: on any fault, naming the file and line and how to fix it.
    :raises InputError: when the annotated article cannot be read.
    """
    rec = Records(path)
    doc = rec.mapping(load_yaml(path), "the annotation file")
    if doc.get("format") != FORMAT_VERSION:
        raise rec.fault(doc, f"'format: {doc.get('format')}' is not supported; this kb reads format {FORMAT_VERSION}.")
    rec.check_keys(doc, "the annotation", {"format", "article", "review"}, {*SECTIONS, NEW_ACTORS})
    meta = rec.mapping(doc["article"], "'article'", doc)
    rec.check_keys(meta, "article", {"id", "file", "title", "published", "publisher"},
                   {"url", "language", "derived_from", "note"})
    review = rec.mapping(doc["review"], "'review'", doc)
    rec.check_keys(review, "review", {"status"}, {"reviewer", "date", "note"})
    reviewed = rec.choice(review, "status", {"reviewed": True, "machine": False})
    if not isinstance(meta["published"], date):
        raise rec.fault(meta, f"'published: {meta['published']}' is not a date; write it as YYYY-MM-DD.", "published")
    article_file = (path.parent / str(meta["file"])).resolve()
    try:
        article = read_article(article_file, title=meta["title"], published=meta["published"],
                               publisher=meta["publisher"], url=meta.get("url"),
                               language=meta.get("language", "en"))
    except InputError as exc:
        raise rec.fault(meta, f"the article 'file' cannot be read: {exc}") from exc

    ann = Annotation(path, rec.local_id(meta), article, reviewed, meta)
    for section, (required, allowed) in {NEW_ACTORS: NEW_ACTOR_KEYS, **SECTIONS}.items():
        for record in rec.items(doc, section):
            rec.check_keys(record, f"{section[:-1]} '{record.get('id')}'", {"id", "evidence"} | required, allowed)
            fact_id = rec.local_id(record)
            if fact_id in ann.facts or fact_id in ann.actors:
                raise rec.fault(record, f"id '{fact_id}' is used twice in this file; ids must be unique.")
            spans = [_span(rec, s, article.body) for s in rec.as_list(record, "evidence")]
            fact = Fact(section, fact_id, record, spans, record[LINE])
            if section == NEW_ACTORS:
                _check_new_actor(rec, fact, gazetteer)
                ann.actors[fact_id] = fact
            else:
                ann.facts[fact_id] = fact
    actors = ann.known_actors(gazetteer)
    rec.ref(meta, "publisher", actors, "actor (see data/gazetteer/actors.yaml or this file's 'actors:')")
    for new_actor in ann.actors.values():
        if new_actor.fields.get("member_of") is not None:
            rec.ref(new_actor.fields, "member_of", actors, "actor (see data/gazetteer/actors.yaml)")
    for fact in ann.facts.values():
        _check_references(rec, fact, ann, actors, gazetteer)
    for report in rec.as_list(meta, "derived_from"):
        if getattr(ann.facts.get(str(report)), "section", None) != "reports":
            raise rec.fault(meta, f"'derived_from: {report}' names no report in this file.", "derived_from")
        ann.derived_from.append(str(report))
    return ann


def _span(rec: Records, raw: Any, body: str) -> Span:
    span = rec.mapping(raw, "an evidence span")
    rec.check_keys(span, "evidence span", {"start", "end", "exact"}, set())
    start, end, exact = span["start"], span["end"], str(span["exact"])
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(body)):
        raise rec.fault(span, f"evidence start/end {start}..{end} is not a range inside the body (0..{len(body)}).")
    if body[start:end] != exact:
        where = body.find(exact)
        hint = (f"the quote is at start: {where}, end: {where + len(exact)}" if where >= 0
                else "the quote does not occur in the body at all; copy it from the article")
        raise rec.fault(span, f"evidence {start}..{end} reads {body[start:end]!r}, not the quoted text; {hint}.")
    return Span(start, end, exact)


def _check_new_actor(rec: Records, fact: Fact, gazetteer: Gazetteer) -> None:
    record = fact.fields
    if fact.id in gazetteer.actors:
        raise rec.fault(record, f"actor '{fact.id}' is already in the gazetteer; refer to it instead of "
                                "defining it in 'actors:'.", "id")
    rec.choice(record, "type", ACTOR_CLASSES)
    aliases = record.get("aliases")
    if aliases is not None and not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
        raise rec.fault(record, "'aliases' must be a list of names, such as [Shaheen, Suhail Shahhen].", "aliases")


def _check_references(
    rec: Records, fact: Fact, ann: Annotation, actors: set[str], gazetteer: Gazetteer
) -> None:
    record = fact.fields
    for key, sections in REFERENCES.items():
        for target in rec.as_list(record, key):
            other = ann.facts.get(str(target))
            if other is None or other.section not in sections:
                kinds = " or ".join(s[:-1] for s in sections)
                raise rec.fault(record, f"'{key}: {target}' names no {kinds} in this file.", key)
    for key in ACTOR_KEYS:
        for actor in rec.as_list(record, key):
            rec.ref({**record, key: actor}, key, actors, "actor (see data/gazetteer/actors.yaml)")
    roles = record.get("roles") or {}
    if fact.section == "events":
        rec.mapping(roles, "'roles'", record)
        for role, players in roles.items():
            if role in META_KEYS:
                continue
            if role not in ROLES:
                raise rec.fault(roles, f"role '{role}' is not one of: {', '.join(ROLES)}.", role)
            for actor in as_list(players):
                rec.ref({**roles, role: actor}, role, actors, "actor (see data/gazetteer/actors.yaml)")
        if record.get("place") is not None:
            rec.ref(record, "place", gazetteer.places, "place (see data/gazetteer/places.yaml)")
    if fact.section == "memberships":
        rec.ref(record, "post", gazetteer.posts, "post (see data/gazetteer/posts.yaml)")
