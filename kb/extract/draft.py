"""The extractor's entry point: an article in, a machine-drafted annotation document out.

:func:`extract` runs the actor, time and event rules over the article body and assembles a
complete annotation in the format of docs/annotation-format.md (``review: {status: machine}``,
a ``confidence`` on every fact, evidence spans that quote the body exactly); :func:`write_draft`
writes it as YAML that :func:`kb.annotation.load_annotation` reads back.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kb.articles import Article
from kb.errors import InputError
from kb.extract.actors import ActorIndex, country_mentions, find_actors, pair_mentions, side_mentions
from kb.extract.events import Actor, Context, Record, find_facts
from kb.extract.gazetteer import DEFAULT_GAZETTEER, find_places, load_yaml
from kb.extract.text import dateline, split_sentences
from kb.extract.times import find_times

FORMAT_VERSION = 1
# Required links: a fact whose link was dropped is dropped too.
_REQUIRED_LINKS = {"responds_to": ("rejection", "acceptance", "response"), "proposed_action": ("proposal",)}
_LINK_KEYS = ("part_of", "precedes", "leads_to", "responds_to", "proposed_action", "counter_demand",
              "demanded_action", "required_event", "condition_for", "stated_in", "requires",
              "from_quantity", "to_quantity")


def extract(article: Article, article_id: str, index: ActorIndex, published: date | None = None, *,
            gazetteer_dir: Path = DEFAULT_GAZETTEER) -> dict[str, Any]:
    """A complete machine annotation of ``article`` (a dict in the annotation format).

    ``published`` wins over the article's own date; the publisher (an actor id or name) must be
    known to ``index`` or becomes a new news organisation of the draft's ``actors:``.

    :raises InputError: when the publication date is unknown.
    """
    published = published or article.published
    if published is None:
        raise InputError(f"{article.path}: the publication date is unknown; give it (--published YYYY-MM-DD).")
    body = article.body
    findings = find_actors(body, index, published)
    actors = index.actor_facts()
    for new in findings.new_actors:
        actors[new.id] = Actor(new.type, new.label, None, new.member_of)
    types = {actor_id: fact.type for actor_id, fact in actors.items()}
    mentions = sorted([*findings.mentions, *pair_mentions(body, findings.mentions, types),
                       *side_mentions(body, findings.mentions, actors),
                       *country_mentions(body, findings.mentions, types)], key=lambda m: m.start)
    # a place name inside a longer actor name is not a place ("US" in "US forces")
    places = [p for p in find_places(body, gazetteer_dir)
              if (m := findings.holding(p.start, p.end)) is None or m.end - m.start <= p.end - p.start]
    ctx = Context(body=body, published=published, mentions=mentions, times=_times(body, published),
                  places=places, actors=actors)
    ctx.place_actors = _place_governments(gazetteer_dir, index, actors)
    ctx.place_names = {str(e["id"]): str(e["label"])
                       for e in load_yaml(gazetteer_dir / "places.yaml").get("places") or []}
    organisation = {post["id"]: post["organisation"] for post in index.posts}
    for membership in findings.memberships:
        if membership["post"] in organisation:
            ctx.affiliations.setdefault(membership["member"], set()).add(organisation[membership["post"]])
    facts = find_facts(ctx)
    _attribute(body, findings.reports, facts.events)
    new_actors = [_new_actor(a, body) for a in findings.new_actors]
    publisher = _publisher(article, index, actors, new_actors)
    meta: dict[str, Any] = {"id": article_id, "file": str(Path(article.path).resolve()), "title": article.title,
                            "published": published, "publisher": publisher}
    if article.url:
        meta["url"] = article.url
    meta["language"] = article.language or "en"
    doc: dict[str, Any] = {"format": FORMAT_VERSION, "article": meta, "review": {"status": "machine"}}
    if new_actors:
        doc["actors"] = new_actors
    for section, records in (("reports", findings.reports), ("memberships", findings.memberships)):
        if records:
            doc[section] = [dict(r) for r in records]
    used = {r.get("id") for r in new_actors} | {str(r.get("id")) for s in ("reports", "memberships")
                                                 for r in doc.get(s, [])}
    named = _name(facts, used)
    for section in ("events", "quantities", "preconditions", "conditions"):
        records = [_as_fact(r, named) for r in getattr(facts, section) if r in named]
        records = [r for r in records if r is not None]
        if records:
            doc[section] = records
    _drop_dangling(doc)
    return doc


def write_draft(doc: dict[str, Any], path: Path) -> None:
    """Write ``doc`` as an annotation file at ``path`` (its article ``file`` made relative to it)."""
    path = Path(path)
    out = dict(doc)
    meta = dict(out["article"])
    target = Path(meta["file"])
    if target.is_absolute():
        meta["file"] = os.path.relpath(target, path.parent.resolve())
    out["article"] = meta
    header = (f"# Machine-drafted annotation of {meta['id']} (kb.extract): review it, then set "
              "'review: status: reviewed'.\n")
    text = yaml.dump(out, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110,
                     default_flow_style=False)
    path.write_text(header + text, encoding="utf-8")


class _Dumper(yaml.CSafeDumper):  # libyaml's emitter: the same text as SafeDumper, 6x faster
    """Writes every value in full: no ``&id001`` anchors for dates that several facts share."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


# -- inputs -------------------------------------------------------------------------------------


def _times(body: str, published: date) -> list[Any]:
    """The body's time mentions, sentence by sentence: each read in the tense of the verbs nearest
    to it ("has freed the prisoners named in the deal signed in February"), anaphora ("that
    night") against the sentences before; not the filing date of a dateline ("KABUL, July 5 -")."""
    line = dateline(body)
    filed = line.end("date") if line and line.group("date") else 0
    found: list[Any] = []
    for sentence in split_sentences(body):
        found.extend(t for t in find_times(sentence.text, published, offset=sentence.start, earlier=found)
                     if t.start >= filed)
    return found


def _attribute(body: str, reports: list[dict[str, Any]], events: list[Record]) -> None:
    """The events of a sentence that names a report ("Reuters reported citing an official") came
    through that report, according to whom it cites."""
    sentences = split_sentences(body)
    for report in reports:
        first = report["evidence"][0] if isinstance(report["evidence"], list) else report["evidence"]
        sentence = next((s for s in sentences if s.start <= int(first["start"]) < s.end), None)
        if sentence is None:
            continue
        for event in events:
            if sentence.start <= event.anchor < sentence.end and event.fields["type"] != "statement":
                event.fields["reported_via"] = str(report["id"])
                if report.get("cites"):
                    event.fields.setdefault("according_to", list(report["cites"])[:1])


def prepare(gazetteer_dir: Path = DEFAULT_GAZETTEER) -> None:
    """Read and compile what :func:`extract` reads of the gazetteer folder (kept per version of
    its files), so that the first article does not pay for it."""
    find_places("", gazetteer_dir)
    load_yaml(gazetteer_dir / "places.yaml")


def _place_governments(gazetteer_dir: Path, index: ActorIndex, actors: dict[str, Actor]) -> dict[str, str]:
    """Places whose name also names a government ("Kabul" for the Afghan government): the host of
    a visit there."""
    found: dict[str, str] = {}
    for entry in load_yaml(gazetteer_dir / "places.yaml").get("places") or []:
        actor = index.resolve_name(str(entry["label"]))
        if actor and actors.get(actor, Actor("", "")).type == "Government":
            found[str(entry["id"])] = actor
    return found


def _new_actor(actor: Any, body: str) -> dict[str, Any]:
    record: dict[str, Any] = {"id": actor.id, "type": actor.type, "label": actor.label}
    if actor.aliases:
        record["aliases"] = list(actor.aliases)
    if actor.member_of:
        record["member_of"] = actor.member_of
    record["confidence"] = actor.confidence
    start, end = actor.evidence
    record["evidence"] = {"start": start, "end": end, "exact": body[start:end]}
    return record


def _publisher(article: Article, index: ActorIndex, actors: dict[str, Actor],
               new_actors: list[dict[str, Any]]) -> str:
    name = (article.publisher or "").strip()
    if name in actors:
        return name
    known = index.resolve_name(name) if name else None
    if known:
        return known
    slug = "-".join(re.findall(r"[a-z0-9]+", name.lower())) or "unknown-publisher"
    if slug in actors:
        return slug
    if all(a["id"] != slug for a in new_actors):
        evidence = {"start": 0, "end": min(len(article.body), max(1, len(article.body.split("\n", 1)[0])))}
        evidence["exact"] = article.body[evidence["start"]:evidence["end"]]
        new_actors.append({"id": slug, "type": "NewsOrganisation", "label": name or "Unknown publisher",
                           "confidence": 0.5, "note": "The article's publisher, as given.",
                           "evidence": evidence})
    return slug


# -- records to annotation facts -----------------------------------------------------------------


def _name(facts: Any, used: set[str]) -> dict[Record, str]:
    """A readable id for every record: its actor and kind, numbered when repeated."""
    named: dict[Record, str] = {}
    taken = set(used)
    for section in ("events", "quantities", "preconditions", "conditions"):
        for record in getattr(facts, section):
            base = _short(record.name)
            name, n = base, 2
            spans = len(record.evidence)
            # a fact with several spans has evidence IRIs named {id}-1, {id}-2 ...: keep those free
            while name in taken or (spans > 1 and any(f"{name}-{k}" in taken for k in range(1, spans + 1))):
                name, n = f"{base}-{n}", n + 1
            taken.add(name)
            if spans > 1:
                taken.update(f"{name}-{k}" for k in range(1, spans + 1))
            named[record] = name
    return named


def _short(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", name.lower())
    generic = {"government", "forces", "officials", "leaders", "group", "representatives", "source"}
    if len(words) > 2 and words[1] not in generic and words[0] not in ("us", "afghan"):
        words = words[1:]
    return "-".join(words[:6]) or "fact"


def _as_fact(record: Record, named: dict[Record, str]) -> dict[str, Any] | None:
    fact: dict[str, Any] = {"id": named[record]}
    for key, value in record.fields.items():
        if key.startswith("_"):
            continue
        if isinstance(value, Record):
            if value not in named:
                continue
            value = named[value]
        elif isinstance(value, list) and value and isinstance(value[0], Record):
            value = [named[v] for v in value if v in named]
            if not value:
                continue
        fact[key] = value
    fact["confidence"] = record.confidence
    fact["evidence"] = _evidence(record.evidence)
    return fact


def _evidence(spans: Any) -> Any:
    items = [{"start": s.start, "end": s.end, "exact": s.text} for s in spans]
    return items[0] if len(items) == 1 else items


def _drop_dangling(doc: dict[str, Any]) -> None:
    """Remove links to facts that are not in ``doc``, and facts that cannot stand without them."""
    while True:
        ids = {str(f["id"]) for s in ("events", "quantities", "preconditions", "conditions") for f in doc.get(s, [])}
        changed = False
        for section in ("events", "quantities", "preconditions", "conditions"):
            kept = []
            for fact in doc.get(section, []):
                for key in _LINK_KEYS:
                    if key not in fact:
                        continue
                    value = fact[key]
                    if isinstance(value, list):
                        value = [v for v in value if v in ids and v != fact["id"]]
                        fact[key] = value
                        if not value:
                            del fact[key]
                    elif value not in ids or value == fact["id"]:
                        del fact[key]
                required = [k for k, types in _REQUIRED_LINKS.items() if fact.get("type") in types]
                if any(k not in fact for k in required) or (section == "preconditions" and "requires" not in fact):
                    changed = True
                    continue
                kept.append(fact)
            if kept:
                doc[section] = kept
            else:
                doc.pop(section, None)
        if not changed:
            return
