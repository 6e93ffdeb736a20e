"""A seeded synthetic corpus in the project's own formats, for the benchmarks.

``generate(events, seed)`` writes, under ``var/bench/<events>-s<seed>/``:

- ``data/``: a gazetteer (``gazetteer/*.yaml``), article text files (``articles/*.txt``) and one
  annotation (format 1, docs/annotation-format.md) per article (``annotations/*.yaml``), so the
  whole pipeline (``kb build --data``, ``kb ingest``) runs on it;
- ``kb.nq``: the same data as N-Quads (every article graph, the gazetteer and the ontology
  graphs), made by the project's own converter (:mod:`kb.rdf`), sorted so it is byte-stable;
- ``manifest.json``: the counts (articles, events, facts, triples) and the generator version.

The shape follows real coverage: actors are drawn from a long-tailed (Zipf) distribution, so a
few appear in most articles and most in few; every event type of ``ontology/event-types.ttl``
occurs, with statuses, roles, places and times; articles carry statements, proposals with their
responses, demands, agreements, quantities, preconditions with chains of conditions, wire
reports with unnamed sources, and memberships. Every fact's evidence quotes a line of the
generated article body exactly. Same ``events``, ``seed`` and folder: the same bytes (the RDF
names each article file by its path).

Run ``python -m benchmarks.generate --events 1000`` to generate one size by hand.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from kb.config import PROJECT_ROOT

GENERATOR_VERSION = 2
BENCH_DIR = PROJECT_ROOT / "var" / "bench"
BASE_IRI = "https://peacekb.example/"

_FIRST = ("Amir", "Sara", "Omar", "Lena", "Hamid", "Nadia", "Karim", "Zahra", "Farid", "Mina", "Tariq",
          "Leila", "Rashid", "Anna", "Jamal", "Maria", "Yusuf", "Hana", "Sami", "Eva", "Idris", "Noor")
_LAST = ("Rahimi", "Stone", "Karimi", "Haddad", "Noori", "Weber", "Sultani", "Brooks", "Azizi", "Moreau",
         "Popal", "Lindqvist", "Wardak", "Tanaka", "Safi", "Okafor", "Jalali", "Novak", "Barakzai", "Costa")
_ORG_WORDS = ("Northern", "Southern", "Eastern", "Western", "Central", "United", "Free", "National",
              "Popular", "Democratic", "Federal", "Regional", "Independent", "Allied", "Coastal")
_PLACE_WORDS = ("Ar", "Bel", "Cor", "Dar", "Es", "Fal", "Gor", "Har", "Is", "Jal", "Kan", "Lor", "Mar",
                "Nor", "Os", "Par", "Qal", "Ras", "Sar", "Tal", "Ur", "Val", "Zar")
_PLACE_ENDS = ("abad", "ia", "stan", "burg", "ville", "ar", "on", "esh", "grad", "pur", "kot", "dor")
_ACTOR_TYPES = (  # (gazetteer type, share of the actors)
    ("Person", 0.46), ("UnnamedSource", 0.05), ("Government", 0.06), ("GovernmentAgency", 0.08),
    ("ArmedGroup", 0.07), ("MilitaryForce", 0.05), ("InternationalOrganisation", 0.04),
    ("NewsOrganisation", 0.09), ("WireService", 0.02), ("ResearchOrganisation", 0.03),
    ("Collective", 0.05),
)
_ROLE_NAMES = ("president", "foreign-minister", "spokesman", "envoy", "commander", "chairman",
               "negotiator", "ambassador")
_CHANNELS = ("press-statement", "tweet", "newspaper-interview", "wire-service-interview", "speech",
             "unspecified")
_VERBS = {  # event type -> (sentence verb phrase, label verb)
    "acceptance": ("accepted the offer made by", "accepts the offer of"),
    "agreement": ("reached an agreement with", "agrees with"),
    "airstrike": ("carried out an airstrike on positions of", "strikes from the air"),
    "announcement": ("announced new steps together with", "announces steps with"),
    "appeal": ("appealed for calm to", "appeals to"),
    "attack": ("attacked", "attacks"),
    "bombing": ("claimed a bombing that hit", "bombs"),
    "cancellation": ("called off the talks with", "cancels talks with"),
    "ceasefire": ("declared a ceasefire with", "declares a ceasefire with"),
    "ceasefire-violation": ("broke the ceasefire by attacking", "breaks the ceasefire against"),
    "claim-of-responsibility": ("claimed responsibility for an attack on", "claims an attack on"),
    "consultation": ("consulted", "consults"),
    "criticism": ("criticised", "criticises"),
    "commitment": ("pledged security guarantees to", "pledges guarantees to"),
    "demand": ("demanded concessions from", "demands concessions from"),
    "intent-to-negotiate": ("said it was ready to negotiate with", "is ready to negotiate with"),
    "host-visit": ("hosted a delegation of", "hosts"),
    "meeting": ("met", "meets"),
    "mediation": ("offered to mediate with", "mediates with"),
    "negotiation": ("held negotiations with", "negotiates with"),
    "phone-call": ("spoke by phone with", "phones"),
    "prisoner-release": ("freed prisoners held from", "frees prisoners of"),
    "proposal": ("proposed a ceasefire to", "proposes a ceasefire to"),
    "reduction-in-violence": ("agreed to reduce violence with", "reduces violence with"),
    "rejection": ("rejected the proposal of", "rejects the proposal of"),
    "response": ("responded to the remarks of", "responds to"),
    "resumption": ("resumed talks with", "resumes talks with"),
    "stall": ("saw its talks stall with", "stalls talks with"),
    "statement": ("spoke about the talks with", "speaks about"),
    "threat": ("threatened", "threatens"),
    "talks-round": ("held a round of talks with", "holds a round of talks with"),
    "talks-series": ("held a series of talks with", "holds talks with"),
    "troop-level-change": ("changed its troop numbers near", "changes troop numbers near"),
    "visit": ("visited", "visits"),
    "withdrawal": ("withdrew forces from the area of", "withdraws from the area of"),
}
_STATUS_WEIGHTS = (("occurred", 70), ("planned", 12), ("possible", 8), ("cancelled", 3),
                   ("accepted", 3), ("rejected", 2), ("proposed", 2))
_START = date(2018, 1, 1)
_DAYS = 4 * 365


@dataclass
class Gazetteer:
    """The generated known entities: ids by kind, labels, and the Zipf weights of actors."""

    actors: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    posts: list[dict[str, Any]] = field(default_factory=list)
    by_type: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Corpus:
    """Where a generated corpus lives and what it holds."""

    root: Path
    manifest: dict[str, Any]

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def nquads(self) -> Path:
        return self.root / "kb.nq"

    def annotation_files(self) -> list[Path]:
        return sorted((self.data_dir / "annotations").glob("*.yaml"))


def corpus_dir(events: int, seed: int) -> Path:
    return BENCH_DIR / f"{events}-s{seed}"


def generate(events: int, seed: int = 1, *, root: Path | None = None) -> Corpus:
    """Generate (or reuse, when already generated by this version) a corpus of about ``events``
    events; return where it is and its counts."""
    root = root or corpus_dir(events, seed)
    manifest_path = root / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("generator_version") == GENERATOR_VERSION:
            return Corpus(root, manifest)
    if root.exists():
        shutil.rmtree(root)
    data = root / "data"
    for sub in ("articles", "annotations", "gazetteer"):
        (data / sub).mkdir(parents=True)
    rng = random.Random(seed)
    gaz = _gazetteer(rng, events)
    _write_gazetteer(gaz, data / "gazetteer")
    counts = {"articles": 0, "events": 0, "facts": 0}
    writer = _ArticleWriter(rng, gaz)
    while counts["events"] < events:
        n = counts["articles"]
        article_id, text, annotation, n_events, n_facts = writer.article(n, min(events - counts["events"], 40))
        (data / "articles" / f"{article_id}.txt").write_text(text, encoding="utf-8")
        (data / "annotations" / f"{article_id}.yaml").write_text(annotation, encoding="utf-8")
        counts["articles"] += 1
        counts["events"] += n_events
        counts["facts"] += n_facts
    counts["triples"] = _write_nquads(data, root / "kb.nq")
    manifest = {"generator_version": GENERATOR_VERSION, "seed": seed, "requested_events": events,
                **counts, "actors": len(gaz.actors), "places": len(gaz.places)}
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return Corpus(root, manifest)


# -- the gazetteer ----------------------------------------------------------------------------

def _gazetteer(rng: random.Random, events: int) -> Gazetteer:
    """Actors, places and posts; more of them for a bigger corpus (a long tail grows)."""
    gaz = Gazetteer()
    n_actors = 120 + events // 40
    taken: set[str] = set()
    for kind, share in _ACTOR_TYPES:
        for _ in range(max(3, round(n_actors * share))):
            label = _actor_label(rng, kind)
            actor_id = _unique(_slug(label), taken)
            gaz.actors.append({"id": actor_id, "type": kind, "label": label})
            gaz.by_type.setdefault(kind, []).append(actor_id)
            gaz.labels[actor_id] = label
    organisations = [a["id"] for a in gaz.actors if a["type"] in ("Government", "GovernmentAgency", "ArmedGroup")]
    for actor in gaz.actors:
        if actor["type"] in ("Person", "UnnamedSource", "Collective") and rng.random() < 0.6:
            actor["member_of"] = rng.choice(organisations)
        if actor["type"] == "GovernmentAgency":
            actor["part_of"] = rng.choice(gaz.by_type["Government"])
    n_countries = 12 + events // 5000
    for _ in range(n_countries):
        label = rng.choice(_PLACE_WORDS) + rng.choice(_PLACE_ENDS)
        place_id = _unique(_slug(label), taken)
        gaz.places.append({"id": place_id, "type": "Country", "label": label.capitalize()})
    countries = [p["id"] for p in gaz.places]
    for _ in range(8 * n_countries):
        kind = rng.choices(("City", "Province", "Airfield"), (70, 20, 10))[0]
        label = rng.choice(_PLACE_WORDS) + rng.choice(_PLACE_ENDS) + ("" if kind == "City" else f" {kind}")
        place_id = _unique(_slug(label), taken)
        gaz.places.append({"id": place_id, "type": kind, "label": label.capitalize(), "within": rng.choice(countries)})
    for organisation in organisations:
        for role in rng.sample(_ROLE_NAMES, 2):
            gaz.posts.append({"id": f"{role}-of-{organisation}", "organisation": organisation, "role": role,
                              "label": f"{role.replace('-', ' ').title()} of {gaz.labels[organisation]}"})
    for place in gaz.places:
        gaz.labels[place["id"]] = place["label"]
    return gaz


def _actor_label(rng: random.Random, kind: str) -> str:
    word = rng.choice(_ORG_WORDS)
    region = rng.choice(_PLACE_WORDS) + rng.choice(_PLACE_ENDS)
    return {
        "Person": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
        "UnnamedSource": f"a {region.lower()} official",
        "Government": f"Government of {region.capitalize()}",
        "GovernmentAgency": f"{region.capitalize()} Ministry of {rng.choice(('Defence', 'Foreign Affairs', 'Interior'))}",
        "ArmedGroup": f"{word} {region.capitalize()} Front",
        "MilitaryForce": f"{word} Forces of {region.capitalize()}",
        "InternationalOrganisation": f"{word} Union of {region.capitalize()}",
        "NewsOrganisation": f"{region.capitalize()} {rng.choice(('Times', 'News', 'Herald', 'Post'))}",
        "WireService": f"{word} Press Agency",
        "ResearchOrganisation": f"{region.capitalize()} Institute for Peace Studies",
        "Collective": f"{region.lower()} elders",
    }[kind]


def _write_gazetteer(gaz: Gazetteer, folder: Path) -> None:
    roles = sorted({p["role"] for p in gaz.posts})
    (folder / "actors.yaml").write_text(_yaml({"actors": gaz.actors}), encoding="utf-8")
    (folder / "places.yaml").write_text(_yaml({"places": gaz.places}), encoding="utf-8")
    (folder / "posts.yaml").write_text(_yaml({
        "roles": [{"id": r, "label": r.replace("-", " ").title()} for r in roles], "posts": gaz.posts,
    }), encoding="utf-8")
    (folder / "redirects.yaml").write_text("redirects: []\n", encoding="utf-8")


# -- articles ---------------------------------------------------------------------------------

class _ArticleWriter:
    """Writes one article: its body, line by line, and the annotation whose evidence quotes it."""

    def __init__(self, rng: random.Random, gaz: Gazetteer) -> None:
        from kb.ontology import load_vocabulary

        self.rng, self.gaz = rng, gaz
        self.types = sorted(load_vocabulary().event_types())
        missing = set(self.types) - set(_VERBS)
        if missing:
            raise ValueError(f"benchmarks/generate.py has no sentence for event type(s) {sorted(missing)}")
        self.agents = [a["id"] for a in gaz.actors if a["type"] not in ("NewsOrganisation", "WireService")]
        self.weights = [1 / (rank + 1) ** 1.1 for rank in range(len(self.agents))]  # Zipf: a long tail
        self.outlets = gaz.by_type["NewsOrganisation"] + gaz.by_type["WireService"]
        self.people = gaz.by_type["Person"]
        self.posts_by_org: dict[str, list[dict[str, Any]]] = {}
        for post in gaz.posts:
            self.posts_by_org.setdefault(post["organisation"], []).append(post)
        self.type_turn = 0

    def actor(self) -> str:
        return self.rng.choices(self.agents, self.weights)[0]

    def actors(self, n: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < n:
            a = self.actor()
            if a not in chosen:
                chosen.append(a)
        return chosen

    def line(self, text: str) -> dict[str, Any]:
        """Append a line to the body; return the evidence span quoting it."""
        start = self.offset + (1 if self.lines else 0)
        self.lines.append(text)
        self.offset = start + len(text)
        return {"start": start, "end": self.offset, "exact": text}

    def next_type(self) -> str:
        """Event types in turn (so every type occurs), shuffled by a random skip."""
        self.type_turn += 1 + (self.rng.random() < 0.3)
        return self.types[self.type_turn % len(self.types)]

    def article(self, n: int, max_events: int) -> tuple[str, str, str, int, int]:
        rng = self.rng
        self.lines: list[str] = []
        self.offset = 0
        published = _START + timedelta(days=rng.randrange(_DAYS))
        outlets = self.gaz.by_type["NewsOrganisation"]
        publisher = rng.choices(outlets, [1 / (rank + 1) for rank in range(len(outlets))])[0]
        article_id = f"article-{n:06d}"
        title = f"Talks report {n} from {self.gaz.labels[publisher]}"
        self.published = published
        sections: dict[str, list[dict[str, Any]]] = {
            "reports": [], "memberships": [], "events": [], "quantities": [], "preconditions": [], "conditions": []}
        meta: dict[str, Any] = {"id": article_id, "file": f"../articles/{article_id}.txt", "title": title,
                                "published": published, "publisher": publisher,
                                "url": f"https://news.example/{publisher}/{article_id}"}
        report = None
        if rng.random() < 0.3:
            wire = rng.choice(self.gaz.by_type["WireService"])
            source = rng.choice(self.gaz.by_type["UnnamedSource"])
            report = {"id": "wire-report", "author": wire, "cites": [source],
                      "evidence": self.line(f"{self.gaz.labels[wire]} reported citing {self.gaz.labels[source]}.")}
            sections["reports"].append(report)
            meta["derived_from"] = ["wire-report"]
        n_events = min(max_events, 1 + int(rng.expovariate(1 / 9)))
        events = sections["events"]
        while len(events) < n_events:
            self.event(self.next_type(), sections, report)
        if rng.random() < 0.3:
            self.membership(sections)
        text = title + "\n" + "\n".join(self.lines) + "\n"
        doc = {"format": 1, "article": meta,
               "review": {"status": "reviewed", "reviewer": "benchmark generator", "date": published},
               **{k: v for k, v in sections.items() if v}}
        n_facts = sum(len(v) for v in sections.values())
        return article_id, text, _yaml(doc), len(events), n_facts

    # -- facts ----------------------------------------------------------------------------

    def time(self, status: str) -> dict[str, Any]:
        rng, pub = self.rng, self.published
        if status in ("planned", "possible", "proposed"):
            return {"earliest": pub, "precision": "day", "anchor": pub}
        form = rng.random()
        if form < 0.75:
            when = pub - timedelta(days=rng.randrange(0, 10))
            return {"value": when, "precision": "day", "text": f"on {when:%A}", "anchor": pub}
        if form < 0.85:
            return {"value": f"{pub:%Y-%m}", "precision": "month", "text": f"in {pub:%B}", "anchor": pub}
        if form < 0.9:
            return {"value": f"{pub:%Y}", "precision": "year", "text": "this year", "anchor": pub}
        return {"earliest": pub - timedelta(days=30), "latest": pub, "precision": "day", "anchor": pub}

    def event(self, etype: str, sections: dict[str, list], report: dict | None,
              status: str | None = None, actors: list[str] | None = None) -> dict[str, Any]:
        rng, labels = self.rng, self.gaz.labels
        events = sections["events"]
        if status is None:
            status = rng.choices([s for s, _ in _STATUS_WEIGHTS], [w for _, w in _STATUS_WEIGHTS])[0]
        a, b = actors or self.actors(2)
        verb, label_verb = _VERBS[etype]
        place = rng.choice(self.gaz.places)["id"] if rng.random() < 0.7 else None
        where = f" in {labels[place]}" if place else ""
        event: dict[str, Any] = {"id": f"e{len(events) + 1}-{etype}", "type": etype,
                                 "label": f"{labels[a]} {label_verb} {labels[b]}", "status": status}
        roles: dict[str, list[str]]
        if etype in ("statement", "claim-of-responsibility"):
            roles = {"speaker": [a]}
            event["channel"] = rng.choice(_CHANNELS)
            if event["channel"] in ("newspaper-interview", "wire-service-interview"):
                event["to_outlet"] = rng.choice(self.outlets)
        elif etype in ("proposal", "demand"):
            roles = {"proposer" if etype == "proposal" else "demander": [a], "addressee": [b]}
        elif etype in ("visit", "host-visit"):
            roles = {"visitor": [a], "host": [b]}
        elif etype in ("attack", "bombing", "airstrike", "ceasefire-violation"):
            roles = {"attacker": [a], "target": [b]}
        elif etype in ("response", "rejection", "acceptance"):
            roles = {"responder": [a]}
        elif etype == "announcement":
            roles = {"announcer": [a], "participant": [b]}
        elif etype == "cancellation":
            roles = {"canceller": [a], "party": [b]}
        elif etype in ("agreement", "negotiation", "talks-series", "talks-round", "ceasefire", "resumption"):
            roles = {"party": [a, b]}
        else:
            roles = {"participant": [a, b]}
        event["roles"] = roles
        if place:
            event["place"] = place
        event["time"] = self.time(status)
        sentence = f"{labels[a]} {verb} {labels[b]}{where}"
        if status != "occurred":
            sentence += f", which is {status} so far"
        event["evidence"] = self.line(sentence + ".")
        events.append(event)
        if etype in ("statement", "claim-of-responsibility"):
            quote = f"We will keep talking with {labels[b]} about the future"
            if rng.random() < 0.5:
                event["quote"] = quote
                event["evidence"] = [event["evidence"], self.line(f'"{quote}," {labels[a]} said.')]
            else:
                event["content"] = f"{labels[a]} spoke of continued talks with {labels[b]}."
            if report and rng.random() < 0.6:
                event["reported_via"] = report["id"]
                event["according_to"] = report["cites"]
            if rng.random() < 0.3:
                self.precondition(sections, a, event)
        elif etype == "proposal":
            action = self.event("ceasefire", sections, None, status="proposed", actors=[a, b])
            action["duration"] = f"P{rng.randrange(3, 30)}D"
            event["proposed_action"] = action["id"]
            event["purpose"] = "to build trust before further talks"
            if rng.random() < 0.5:
                event["outcome"] = rng.choice(("accepted", "rejected"))
        elif etype == "demand" and rng.random() < 0.5:
            action = self.event("withdrawal", sections, None, status="proposed", actors=[b, a])
            event["demanded_action"] = action["id"]
        elif etype in ("response", "rejection", "acceptance"):
            earlier = [e for e in events if e is not event and e["type"] in ("proposal", "demand", "statement")]
            if earlier:
                event["responds_to"] = rng.choice(earlier)["id"]
            else:
                target = self.event("proposal", sections, report, actors=[b, a])
                event["responds_to"] = target["id"]
        elif etype == "agreement":
            event["stage"] = rng.choice(("finalised", "signed", "agreed-in-principle"))
        elif etype == "talks-series":
            event["rounds"] = rng.randrange(2, 12)
        elif etype == "meeting" and rng.random() < 0.2:
            event["informal"] = True
        elif etype == "troop-level-change":
            before = self.quantity(sections, b, "occurred")
            after = self.quantity(sections, b, status if status in ("occurred", "possible") else "possible")
            event["from_quantity"], event["to_quantity"] = before, after
        if etype in ("visit", "negotiation") and len(events) > 1 and rng.random() < 0.3:
            event["part_of"] = events[0]["id"] if events[0] is not event else events[1]["id"]
        return event

    def quantity(self, sections: dict[str, list], subject: str, status: str) -> str:
        rng, quantities = self.rng, sections["quantities"]
        value = rng.randrange(5, 400) * 100
        measure = rng.choice(("troop-level", "casualties", "prisoners"))
        unit = {"troop-level": "troops", "casualties": "people", "prisoners": "prisoners"}[measure]
        q: dict[str, Any] = {"id": f"q{len(quantities) + 1}", "label": f"{self.gaz.labels[subject]}: {value} {unit}",
                             "value": value, "unit": unit, "measure": measure, "subject": subject,
                             "status": status, "time": self.time(status)}
        approx = rng.random() < 0.4
        if approx:
            q["approximation"] = "nearly"
        q["evidence"] = self.line(f"The count for {self.gaz.labels[subject]} stands at {'nearly ' if approx else ''}"
                                  f"{value} {unit}.")
        quantities.append(q)
        return q["id"]

    def precondition(self, sections: dict[str, list], setter: str, statement: dict[str, Any]) -> None:
        rng, conditions = self.rng, sections["conditions"]
        first = f"c{len(conditions) + 1}"
        chain = [first] + ([f"c{len(conditions) + 2}"] if rng.random() < 0.5 else [])
        for i, cid in enumerate(chain):
            condition: dict[str, Any] = {"id": cid, "label": "A reduction of violence" if i == 0 else "A ceasefire",
                                         "evidence": self.line("There must first be a reduction of violence."
                                                               if i == 0 else "That must lead to a ceasefire.")}
            if i + 1 < len(chain):
                condition["leads_to"] = chain[i + 1]
            conditions.append(condition)
        pre: dict[str, Any] = {"id": f"p{len(sections['preconditions']) + 1}",
                               "label": f"{self.gaz.labels[setter]} sets conditions for the talks",
                               "set_by": setter, "requires": chain, "stated_in": statement["id"],
                               "evidence": self.line(f"{self.gaz.labels[setter]} set conditions for any talks.")}
        target = [e for e in sections["events"] if e["type"] in ("negotiation", "resumption", "talks-round")]
        if target:
            pre["condition_for"] = target[0]["id"]
        sections["preconditions"].append(pre)

    def membership(self, sections: dict[str, list]) -> None:
        person = self.rng.choices(self.people, [1 / (i + 1) for i in range(len(self.people))])[0]
        post = self.rng.choice(self.gaz.posts)
        tenure = self.rng.choice(("current", "current", "former"))
        former = "former " if tenure == "former" else ""
        sections["memberships"].append({
            "id": "m1", "member": person, "post": post["id"], "tenure": tenure,
            "evidence": self.line(f"{self.gaz.labels[person]}, {former}{post['label']}, was also present."),
        })


# -- output -----------------------------------------------------------------------------------

def _write_nquads(data: Path, out: Path) -> int:
    """Convert the annotations with the project's converter (in one process per CPU); write the
    shared graphs' and then each article's N-Quads, sorted; return the count."""
    from kb.build import Inputs
    from kb.namespaces import IriMinter

    inputs = Inputs.load(data, IriMinter(BASE_IRI))
    paths = sorted((data / "annotations").glob("*.yaml"))
    count = 0
    with open(out, "w", encoding="utf-8") as sink:
        for iri, graph in inputs.shared_graphs().items():
            count += _write_graph(sink, graph, iri)
        with ProcessPoolExecutor(os.cpu_count() or 1, initializer=_start_converter, initargs=(data,)) as pool:
            for quads in pool.map(_article_quads, paths, chunksize=16):
                sink.write(quads)
                count += quads.count("\n")
    return count


_inputs = None


def _start_converter(data: Path) -> None:
    global _inputs
    from kb.build import Inputs
    from kb.namespaces import IriMinter

    _inputs = Inputs.load(data, IriMinter(BASE_IRI))


def _article_quads(path: Path) -> str:
    from kb.annotation import load_annotation
    from kb.rdf import annotation_to_graph

    ann = load_annotation(path, _inputs.gazetteer)
    article = annotation_to_graph(ann, _inputs.gazetteer, _inputs.vocabulary, _inputs.minter)
    buffer = io.StringIO()
    _write_graph(buffer, article.graph, article.graph_iri)
    return buffer.getvalue()


def _write_graph(sink: io.TextIOBase, graph: Any, iri: Any) -> int:
    """Write a graph's triples as N-Quads in ``iri``, lines sorted (rdflib's order is not stable)."""
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    suffix = f" <{iri}> .\n"
    quads = sorted(line[:-2] + suffix for line in lines if line.endswith(" ."))
    if any(" _:" in q or q.startswith("_:") for q in quads):
        raise ValueError(f"graph <{iri}> has blank nodes; their labels would not be stable")
    sink.writelines(quads)
    return len(quads)


def _yaml(value: Any, indent: int = 0) -> str:
    """A small, stable YAML writer for the generated mappings (strings double-quoted, dates bare)."""
    pad = " " * indent
    if isinstance(value, dict):
        out = []
        for key, item in value.items():
            if isinstance(item, dict | list) and item and not _flat(item):
                out.append(f"{pad}{key}:\n{_yaml(item, indent + 2)}")
            else:
                out.append(f"{pad}{key}: {_inline(item)}\n")
        return "".join(out)
    out = []
    for item in value:
        if isinstance(item, dict) and not _flat(item):
            body = _yaml(item, indent + 2)
            out.append(f"{pad}- {body[indent + 2:]}")
        else:
            out.append(f"{pad}- {_inline(item)}\n")
    return "".join(out)


def _flat(value: Any) -> bool:
    """Whether a value is written on one line: a list of scalars or a mapping of scalars."""
    items = value.values() if isinstance(value, dict) else value
    return all(not isinstance(i, dict | list) for i in items)


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_inline(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | int | float):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, required=True, help="about how many events to generate")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    corpus = generate(args.events, args.seed)
    print(f"{corpus.root}: {json.dumps(corpus.manifest)}")


if __name__ == "__main__":
    main()
