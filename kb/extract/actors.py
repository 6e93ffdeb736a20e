"""Actor recognition: who an article names, under which name, and what posts and reports it states.

Rules over the gazetteer and over name shapes (:mod:`kb.extract.names`), in this order:

1. gazetteer labels and aliases, case-, punctuation- and possessive-tolerant; place names that
   are also governments ("Washington", "Kabul") only where they act, acronyms case-sensitive;
2. capitalised names with a title cue ("spokesman X", "X, the Taliban's chief negotiator") or a
   reporting verb after a full name ("Hamdullah Mohib said"): a gazetteer actor under a
   spelling variant, or a new person;
3. capitalised organisation names ("... Council", "Ministry of ...") and their acronyms;
4. descriptions and coreference: "the group" (the armed group named last), "the envoy", "the
   official", surnames of persons named earlier, "US troops", "14,000 troops" of a government;
5. unnamed sources ("two senior Taliban sources", "officials said");
6. memberships from titles matched against the gazetteer's posts, and reports ("Reuters
   reported citing ...", "according to ...", "X told Reuters").
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.extract.names import (
    ARTICLES,
    COUNTERPART_WORDS,
    FORCE_NOUNS,
    GROUP_DESCRIPTIONS,
    HONORIFICS,
    LOCATIVE,
    MEMBER_NOUNS,
    NAME_CONNECTORS,
    NOT_NAME_WORDS,
    NOUN_FOLLOWERS,
    NUMBER_WORDS,
    ORGANISATION_HEADS,
    OUTLET_TYPES,
    PERSON_TITLES,
    REPORTING_VERBS,
    ROLE_SYNONYMS,
    SOURCE_DESCRIPTIONS,
    SUBJECT_VERBS,
    TITLE_DESCRIPTIONS,
    TITLE_WORDS,
    Token,
    name_tokens,
    normalise,
    slug,
    tokens,
)
from kb.extract.events import Actor
from kb.extract.text import dateline
from kb.yamlio import load_yaml

# Confidence of each way of finding a mention.
CONFIDENCE = {
    "gazetteer": 0.95, "alias": 0.9, "title-cue": 0.8, "organisation": 0.75, "spelling variant": 0.7,
    "surname": 0.85, "description": 0.7, "unnamed source": 0.8, "force": 0.75,
}
_DEMONYMS = {
    "american": "us", "afghan": "afghanistan", "pakistani": "pakistan", "qatari": "qatar",
    "turkish": "turkey", "british": "uk", "russian": "russia", "indian": "india", "iranian": "iran",
    "chinese": "china", "german": "germany", "norwegian": "norway", "emirati": "uae", "saudi": "riyadh",
    "us": "us", "u.s": "us",
}
# Nationalities that may stand before a person's name as the only cue ("the Australian Timothy Weeks").
_NATIONALITIES = frozenset({*(w for w in _DEMONYMS if w.isalpha() and w != "us"), "australian", "canadian",
                            "french", "italian", "japanese", "norwegian", "dutch", "swedish", "uzbek", "tajik"})
# Words of place, building, outlet and group names, never of a person's: "Kandahar Province said".
_NOT_PERSON_WORDS = frozenset({
    "province", "provincial", "district", "city", "county", "valley", "region", "border", "airport", "airfield",
    "base", "camp", "square", "street", "road", "hotel", "palace", "house", "hall", "centre", "center",
    "university", "school", "hospital", "mosque", "news", "times", "post", "press", "radio", "television",
    "tv", "channel", "daily", "herald", "tribune", "journal", "review", "wire", "group", "network", "forces",
    "army", "police", "party", "movement", "front", "alliance", "coalition", "union", "bank", "company",
    "corporation", "media", "online", "today",
})
# Words after a nationality that make it stand for the state: "Norwegian officials", "the Emirati
# foreign ministry" (not "Afghan women"; and one unnamed official is not the state).
_STATE_BODY_WORDS = frozenset({"government", "officials", "authorities", "ministry", "foreign", "defence",
                               "defense", "interior", "embassy", "diplomats", "delegation", "administration"})
# Attacks from the air, named after the force's owner: "a US airstrike", "Afghan air raids".
_STRIKE_NOUNS = frozenset({"airstrike", "airstrikes", "strike", "strikes", "raid", "raids"})
# Kinds of force between an owner and a force noun: "US special forces", "Afghan army commandos".
_FORCE_KINDS = frozenset({"special", "combat", "ground", "elite", "army", "air", "security"})
_NUMBER = re.compile(r"^\d[\d,.]*$")
# What may stand between the names of one list: "citing two senior officials and a source".
_LIST_GAP = re.compile(r"^[\s,]*(?:(?:and|or|a|an|the|two|three|several|senior|top|\d+),?\s+)*$")
_TITLE_MODIFIERS = frozenset({"chief", "top", "senior", "special", "former", "lead"})
_NOT_ORGANISATIONS = frozenset({"Person", "UnnamedSource", "Collective"})
# A title as a whole clause: "a spokesman for the Afghan Ministry of Foreign Affairs".
_TITLE_CLAUSE = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,2}['’]s)\s+"
    r"(?:[\w’'-]+\s+){0,3}?(?:"
    + "|".join(sorted(PERSON_TITLES)) + r")(?:\s+(?:for|of|to)\s+[^,.;]{1,70})?$")  # ending at the comma
_RANKS = frozenset({"vice", "deputy", "assistant", "under"})
_APPOSITION_STARTS = frozenset({"the", "a", "an", "his", "her", "its", "their"})
# Titles of one kind: a person called by one may be described by another ("the chief negotiator").
_DIPLOMATIC = frozenset({"envoy", "negotiator", "representative", "diplomat", "ambassador"})


def _by_first_two_words(names: frozenset[tuple[str, ...]]) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    grouped: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for name in names:
        grouped.setdefault(name[:2], []).append(name)
    return grouped


# What "its" or "their" before a member noun can refer to ("their negotiators").
_POSSESSORS = frozenset({"ArmedGroup", "Government", "GovernmentAgency", "InternationalOrganisation"})

# GROUP_DESCRIPTIONS by their first two words, so that a body is scanned once.
_GROUP_DESCRIPTIONS_BY_START = _by_first_two_words(GROUP_DESCRIPTIONS)


@dataclass(frozen=True)
class ActorMention:
    """A stretch of the body naming an actor: ``body[start:end] == text``."""

    start: int
    end: int
    text: str
    actor: str            # gazetteer id or new-actor id
    confidence: float
    how: str              # a key of CONFIDENCE: "gazetteer", "alias", "title-cue", "surname", ...


@dataclass
class NewActor:
    """An actor the gazetteer does not know, found in the article (the annotation's 'actors:')."""

    id: str
    type: str
    label: str
    aliases: list[str]
    member_of: str | None
    evidence: tuple[int, int]
    confidence: float


@dataclass
class ActorFindings:
    """Everything :func:`find_actors` found in one article."""

    mentions: list[ActorMention]          # sorted by start, non-overlapping (longest match wins)
    new_actors: list[NewActor]
    memberships: list[dict]               # annotation-format membership records
    reports: list[dict]                   # annotation-format report records

    def holding(self, start: int, end: int) -> ActorMention | None:
        """The mention that ``start..end`` lies in, if any."""
        before = bisect_right(self.mentions, start, key=lambda m: m.start) - 1
        mention = self.mentions[before] if before >= 0 else None
        return mention if mention is not None and end <= mention.end else None


@dataclass
class _Entry:
    id: str
    type: str
    label: str
    aliases: list[str]
    member_of: str | None
    part_of: str | None
    description: str


@dataclass
class ActorIndex:
    """The gazetteer as the extractor needs it: names to ids, types, memberships and posts."""

    actors: dict[str, _Entry] = field(default_factory=dict)
    names: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    case_sensitive: dict[tuple[str, ...], str] = field(default_factory=dict)  # acronyms as written
    places: dict[tuple[str, ...], str] = field(default_factory=dict)        # place name -> type
    posts: list[dict[str, Any]] = field(default_factory=list)
    longest_from: dict[str, int] = field(default_factory=dict)  # first word -> words of its longest name
    # (words, first letter) -> the names of that shape, the candidates of a spelling variant
    names_by_shape: dict[tuple[int, str], list[tuple[str, ...]]] = field(default_factory=dict)
    _resolved: dict[str, str | None] = field(default_factory=dict, repr=False)  # resolve_name's answers
    _facts: dict[str, Actor] | None = field(default=None, repr=False)  # actor_facts' answer

    @classmethod
    def from_folder(cls, folder: Path) -> ActorIndex:
        """Read actors.yaml, places.yaml and posts.yaml of a gazetteer folder (data/gazetteer)."""
        index = cls()
        for e in load_yaml(folder / "actors.yaml").get("actors") or []:
            entry = _Entry(str(e["id"]), str(e["type"]), str(e["label"]), [str(a) for a in e.get("aliases") or []],
                           e.get("member_of"), e.get("part_of"), str(e.get("description") or ""))
            index.actors[entry.id] = entry
            for name in (entry.label, *entry.aliases):
                index._add_name(name, entry.id)
        for p in load_yaml(folder / "places.yaml").get("places") or []:
            for name in (p["label"], *(p.get("aliases") or [])):
                index.places[name_tokens(str(name))] = str(p["type"])
        posts = load_yaml(folder / "posts.yaml")
        roles = {str(r["id"]): str(r["label"]) for r in posts.get("roles") or []}
        for p in posts.get("posts") or []:
            index.posts.append({"id": str(p["id"]), "label": str(p["label"]), "organisation": str(p["organisation"]),
                                "role": str(p["role"]), "role_label": roles.get(str(p["role"]), str(p["role"]))})
        return index

    def _add_name(self, name: str, actor_id: str) -> None:
        key = name_tokens(name)
        if not key:
            return
        variants = {key}
        if key[0] in ARTICLES and len(key) > 1 and any(c.isupper() for c in name):
            variants.add(key[1:])  # "the US envoy" also as "US envoy"; "the government" stays whole
        for variant in variants:
            if variant not in self.names:
                self.names_by_shape.setdefault((len(variant), variant[0][:1]), []).append(variant)
            ids = self.names.setdefault(variant, [])
            if actor_id not in ids:
                ids.append(actor_id)
            self.longest_from[variant[0]] = max(self.longest_from.get(variant[0], 0), len(variant))
        words = name.split()
        if len(words) == 1 and name.isupper() and len(name) <= 5:
            self.case_sensitive[key] = name

    def actor_facts(self) -> dict[str, Actor]:
        """What the event rules need of each actor, by id: a new dict each time, made from one
        kept copy (the gazetteer of a big KB has thousands of actors)."""
        if self._facts is None:
            self._facts = {e.id: Actor(e.type, e.label, e.part_of, e.member_of) for e in self.actors.values()}
        return dict(self._facts)

    def entry(self, actor_id: str) -> _Entry | None:
        return self.actors.get(actor_id)

    def resolve_name(self, name: str) -> str | None:
        """The actor id for a label, alias or spelling variant ("Suhail Shahhen", "Sahar News");
        answers are kept, as the index does not change once read."""
        if name not in self._resolved:
            self._resolved[name] = self._resolve(name)
        return self._resolved[name]

    def _resolve(self, name: str) -> str | None:
        key = name_tokens(name)
        for candidate in (key, key[1:] if key[:1] and key[0] in ARTICLES else None,
                          tuple(w for w in key if w not in HONORIFICS)):
            if candidate and candidate in self.names:
                return self.names[candidate][0]
        return self.spelling_variant(key)

    def spelling_variant(self, key: tuple[str, ...]) -> str | None:
        """The one actor whose name differs from ``key`` by a small edit distance: same number of
        words, same first letter, at least 6 letters, one edit per 6 letters (at most 2)."""
        text = " ".join(key)
        letters = len(text.replace(" ", ""))
        if letters < 6:
            return None
        allowed = min(2, letters // 6)
        found = set()
        for name in self.names_by_shape.get((len(key), key[0][:1]), []):
            candidate = " ".join(name)
            if name != key and abs(len(candidate) - len(text)) <= allowed \
                    and _edit_distance(candidate, text, allowed) <= allowed:
                found.update(self.names[name])
        return found.pop() if len(found) == 1 else None

    def government_of(self, word: str) -> str | None:
        """The government a country word or demonym stands for: "American" -> the US government."""
        if not word.isalpha() or word in ARTICLES or word == "government":
            return None
        word = _DEMONYMS.get(word, word)
        for key in ((word, "government"), ("government", "of", word), (word,)):
            for actor_id in self.names.get(key, []):
                if self.actors[actor_id].type == "Government":
                    return actor_id
        return None

    def parts(self, actor_id: str, actor_type: str) -> list[str]:
        """Actors of ``actor_type`` that are part of (or members of) ``actor_id``."""
        return [e.id for e in self.actors.values()
                if e.type == actor_type and actor_id in (e.part_of, e.member_of)]


def _past_verb(word: str) -> bool:
    """A lower-case word in -ed ("demanded"): after "US" a verb whose subject it is, not a noun it
    modifies ("US envoy")."""
    return word.islower() and len(word) >= 5 and word.endswith("ed")


def _edit_distance(a: str, b: str, limit: int) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@dataclass
class _Person:
    """What is known in this article of a person mentioned: title words and the cue span."""

    titles: set[str] = field(default_factory=set)
    cues: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, title phrase)


class _Finder:
    def __init__(self, body: str, index: ActorIndex, published: datetime.date) -> None:
        self.body, self.index, self.published = body, index, published
        self.toks = tokens(body)
        self.token_ends = [t.end for t in self.toks]
        self.token_starting = {t.start: k for k, t in enumerate(self.toks)}
        self.taken: list[ActorMention] = []
        self.new: dict[str, NewActor] = {}
        self.persons: dict[str, _Person] = {}
        self.extra_names: dict[tuple[str, ...], str] = {}  # names of new actors, surnames
        line = dateline(body)
        self.dateline_place = line.span("place") if line else (0, 0)
        self.dateline_end = line.end() if line else 0
        # the filing date and the credited outlet of a dateline name no actor of the report
        self.report_credit = [line.span(g) for g in ("date", "credit") if line and line.group(g)]
        self.covered = [self.in_report_credit(t.start, t.end) for t in self.toks]

    # -- helpers -------------------------------------------------------------------------------

    def joined(self, i: int) -> bool:
        """Whether token ``i`` and ``i + 1`` are in one phrase (only a space or hyphen between)."""
        if i + 1 >= len(self.toks):
            return False
        gap = self.body[self.toks[i].end:self.toks[i + 1].start]
        return gap in (" ", "-", "\u00a0")

    def prev_word(self, i: int) -> Token | None:
        """The word right before token ``i`` in the same phrase (a plural possessive mark allowed)."""
        if i == 0:
            return None
        gap = self.body[self.toks[i - 1].end:self.toks[i].start]
        return self.toks[i - 1] if gap.strip() in ("", "-", "’", "'") else None

    def next_word(self, i: int) -> Token | None:
        return self.toks[i + 1] if self.joined(i) or (
            i + 1 < len(self.toks) and self.body[self.toks[i].end:self.toks[i + 1].start].strip() == ""
        ) else None

    def sentence_start(self, i: int) -> bool:
        if i == 0 or self.toks[i - 1].end <= self.dateline_end <= self.toks[i].start:
            return True  # the body's first word, or the first after its dateline ("KABUL – Officials said")
        gap = self.body[self.toks[i - 1].end:self.toks[i].start]
        return bool(re.search(r"[.!?\n:“\"]", gap)) or self.toks[i - 1].text.endswith(".")

    def add(self, i: int, j: int, actor: str, how: str, confidence: float | None = None) -> ActorMention:
        """A mention over tokens ``i..j`` (inclusive)."""
        start, end = self.toks[i].start, self.toks[j].end
        if self.toks[j].possessive:
            end = start + len(self.body[start:end]) - 2 if self.body[end - 2:end] in ("’s", "'s") else end
        mention = ActorMention(start, end, self.body[start:end], actor, confidence or CONFIDENCE[how], how)
        self.taken.append(mention)
        for k in range(i, j + 1):
            self.covered[k] = True
        return mention

    def in_report_credit(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.report_credit)

    def free(self, i: int, j: int) -> bool:
        return not any(self.covered[i:j + 1])

    def quantified(self, i: int) -> bool:
        before = self.prev_word(i)
        if before is not None and before.norm in ("of", "than"):
            before = self.prev_word(i - 1)
        return before is not None and (bool(_NUMBER.match(before.text)) or before.norm in NUMBER_WORDS)

    def last(self, kinds: set[str], before: int, where=None) -> str | None:
        """The actor of the latest mention before offset ``before`` whose type is in ``kinds``."""
        for m in sorted(self.taken, key=lambda m: m.start, reverse=True):
            if m.start >= before:
                continue
            if self.type_of(m.actor) in kinds and (where is None or where(m.actor)):
                return m.actor
        return None

    def type_of(self, actor_id: str) -> str | None:
        if actor_id in self.new:
            return self.new[actor_id].type
        entry = self.index.entry(actor_id)
        return entry.type if entry else None

    # -- 1. gazetteer names ----------------------------------------------------------------------

    def gazetteer_names(self) -> None:
        """Every position's longest acceptable gazetteer name; overlaps go to the longer text."""
        candidates, n = [], len(self.toks)
        norms = [t.norm for t in self.toks]
        phrase_after = [0] * (n + 1)  # how many tokens after token i are in its phrase
        for i in range(n - 2, -1, -1):
            phrase_after[i] = phrase_after[i + 1] + 1 if self.joined(i) else 0
        for i in range(n):
            for length in range(min(self.index.longest_from.get(norms[i], 0), phrase_after[i] + 1), 0, -1):
                key = tuple(norms[i:i + length])
                ids = self.index.names.get(key)
                if ids and key not in GROUP_DESCRIPTIONS and self.acceptable(key, i, i + length - 1, ids):
                    candidates.append((i, i + length - 1, key, ids, self.bare_noun(key, i, i + length - 1, ids)))
                    break
        chosen: list[tuple[int, int, tuple[str, ...], list[str], bool]] = []
        in_chosen = [False] * n
        for c in sorted(candidates, key=lambda c: (c[0] - c[1], self.toks[c[0]].start - self.toks[c[1]].end, c[0])):
            if not any(in_chosen[c[0]:c[1] + 1]):
                chosen.append(c)
                in_chosen[c[0]:c[1] + 1] = [True] * (c[1] + 1 - c[0])
        named: set[str] = set()
        for i, j, key, ids, bare in sorted(chosen):
            if bare and (key[0] not in ARTICLES or ids[0] not in named):
                continue  # "the delegates" only after the jirga they sit in is named; "people" never
            actor = self.choose(key, ids)
            named.add(actor)
            how = "gazetteer" if key == name_tokens(self.index.actors[actor].label) else "alias"
            self.add(i, j, actor, how)
            self.note_person(actor, i, j)

    def choose(self, key: tuple[str, ...], ids: list[str]) -> str:
        """Of several actors sharing a name ("Karzai"), the one this article named in full last."""
        if len(ids) == 1:
            return ids[0]
        for m in sorted(self.taken, key=lambda m: m.start, reverse=True):
            if m.actor in ids:
                return m.actor
        return ids[0]

    def acceptable(self, key: tuple[str, ...], i: int, j: int, ids: list[str]) -> bool:
        """Whether the gazetteer name ``key`` at tokens ``i..j`` names its actor here."""
        first, last = self.toks[i], self.toks[j]
        written = self.index.case_sensitive.get(key)
        if written is not None and re.sub(r"[.’']|[’']s$", "", first.text) != written:
            return False  # acronyms as written: "IS", not "is"
        entry = self.index.actors[ids[0]]
        after = self.next_word(j)
        paired = after is not None and self.body[last.end:after.start] == "-" and (after.norm,) in self.index.names
        modifier = written is not None and entry.type == "Government" and after is not None and not paired and (
            after.capitalised or (after.norm not in NOUN_FOLLOWERS and after.norm not in SUBJECT_VERBS
                                  and not (_past_verb(after.text) and self.body[last.end:after.start] == " ")
                                  and not last.possessive and self.joined(j)))
        place = key in self.index.places and not self.acts_as_government(i, j, self.index.places[key])
        part_of_name = len(key) == 1 and first.capitalised and written is None and self.in_longer_name(i)
        return not (modifier or place or part_of_name)

    def bare_noun(self, key: tuple[str, ...], i: int, j: int, ids: list[str]) -> bool:
        """Whether the name at tokens ``i..j`` is a collective's plain noun ("people", "the
        delegates"), which names it only when counted ("at least 10 people") or named before."""
        generic = not any(c.isupper() for c in self.body[self.toks[i].start:self.toks[j].end])
        content = [w for w in key if w not in ARTICLES]
        return generic and len(content) == 1 and self.index.actors[ids[0]].type in ("Collective", "UnnamedSource") \
            and not self.quantified(i)

    def acts_as_government(self, i: int, j: int, place_type: str) -> bool:
        """A place name stands for its government where it is not a place: not after "in", "to"
        ...; not a dateline; a city only as the subject of a verb ("Washington said") or as a
        counterpart ("talks with Kabul")."""
        first = self.toks[i]
        if first.end <= self.dateline_place[1]:
            return False
        before = self.prev_word(i)
        if before is not None and before.norm in ARTICLES:
            before = self.prev_word(i - 1)
        if before is not None and before.norm == "between" and self.paired_with_actor(j):
            return True  # "talks between the US and the Taliban": a side, not a place
        if before is not None and before.norm in LOCATIVE:
            return False
        if place_type == "City":
            if before is not None and before.norm in COUNTERPART_WORDS:
                return True  # "signed with Washington", "a war against Kabul"
            after = self.next_word(j)
            return after is not None and not self.toks[j].possessive and after.norm in SUBJECT_VERBS
        return True

    def paired_with_actor(self, j: int) -> bool:
        """Whether "and" after token ``j`` joins a gazetteer name that is no place ("... and the Taliban")."""
        k = j + 2 + (j + 2 < len(self.toks) and self.toks[j + 2].norm in ARTICLES)
        if j + 1 >= len(self.toks) or self.toks[j + 1].norm != "and" or k >= len(self.toks):
            return False
        norms = [t.norm for t in self.toks[k:k + 4]]
        return any(tuple(norms[:n]) in self.index.names and tuple(norms[:n]) not in self.index.places
                   for n in range(len(norms), 0, -1))

    def in_longer_name(self, i: int) -> bool:
        """Whether the capitalised word at ``i`` is part of a longer unknown name ("Abdullah" in
        "Mohammad Abdullah Ahmadi")."""
        def name_like(k: int) -> bool:
            t = self.toks[k]
            return t.capitalised and t.norm not in NOT_NAME_WORDS and t.norm not in TITLE_WORDS \
                and self.index.government_of(t.norm) is None and not self.covered[k]
        left = i > 0 and self.joined(i - 1) and not self.sentence_start(i) and name_like(i - 1)
        right = self.joined(i) and not self.toks[i].possessive and name_like(i + 1)
        return left or right

    def note_person(self, actor: str, i: int, j: int) -> None:
        if self.type_of(actor) == "Person":
            person = self.persons.setdefault(actor, _Person())
            cue = self.title_inside(i, j) or self.title_before(i) or self.title_after(j)
            if cue:
                person.cues.append(cue)
                person.titles.update(ROLE_SYNONYMS.get(w, w) for w in name_tokens(cue[2]))
                person.titles.update(name_tokens(cue[2]))

    # -- titles ----------------------------------------------------------------------------------

    def title_inside(self, i: int, j: int) -> tuple[int, int, str] | None:
        """The title that a gazetteer alias starts with ("President Donald Trump"), with the words
        before it that belong to the title ("US President Donald Trump")."""
        k = i
        while k < j and (self.toks[k].norm in TITLE_WORDS or (k > i and self.toks[k].norm in NAME_CONNECTORS)):
            k += 1
        if k == i or not {t.norm for t in self.toks[i:k]} & PERSON_TITLES:
            return None
        start = i
        while start > 0 and self.joined(start - 1) and not self.toks[start - 1].possessive and (
                self.toks[start - 1].norm in TITLE_WORDS or self.index.government_of(self.toks[start - 1].norm)):
            start -= 1
        s, e = self.toks[start].start, self.toks[k - 1].end
        return s, e, self.body[s:e]

    def title_before(self, i: int, *, person_title: bool = True) -> tuple[int, int, str] | None:
        """A title phrase right before token ``i``: "former deputy foreign minister", "Taliban
        spokesman", "US Special Representative for Afghanistan Reconciliation" (with
        ``person_title=False`` also words that only lead into a title: "Pakistan's")."""
        k = i - 1
        while k >= 0 and self.joined(k) and not self.person_at(k):
            t = self.toks[k]
            if t.norm in TITLE_WORDS or t.norm in NAME_CONNECTORS or t.capitalised \
                    or self.index.government_of(t.norm):
                k -= 1
                if t.possessive:  # "Pakistan's Foreign Minister": the owner starts the title
                    break
                continue
            break
        start = k + 1
        while start < i and self.toks[start].norm in NAME_CONNECTORS:
            start += 1
        if start >= i or self.toks[i - 1].norm in NAME_CONNECTORS:
            return None
        if person_title and not {t.norm for t in self.toks[start:i]} & PERSON_TITLES:
            return None
        s, e = self.toks[start].start, self.toks[i - 1].end
        return s, e, self.body[s:e]

    def title_before_comma(self, i: int) -> tuple[int, int, str] | None:
        """A title phrase ending in a comma before the name: "A spokesman for the ministry, X"."""
        if i == 0 or self.body[self.toks[i - 1].end:self.toks[i].start] != ", ":
            return None
        end = self.toks[i - 1].end
        clause_start = max(self.body.rfind(c, 0, end) for c in ".,;\n“”") + 1
        m = _TITLE_CLAUSE.search(self.body, clause_start, end)
        return (m.start(), m.end(), m.group()) if m else None

    def person_at(self, k: int) -> bool:
        return self.covered[k] and any(m.start <= self.toks[k].start < m.end and self.type_of(m.actor) == "Person"
                                       for m in self.taken)

    def title_after(self, j: int) -> tuple[int, int, str] | None:
        """An apposition after token ``j``: ", the Taliban's chief negotiator", ", a spokesman for
        the interior ministry", ", Chairman of the Centre for Conflict and Peace Studies"."""
        m = re.match(r",\s+((?:(?:the|a|an|his|her|its|their)\s+)?[^,.;:“”\"()]{2,90}?)(?=[,.;:)]|\s+(?:said|says|told|who|which|has|had|was|is)\b)",
                     self.body[self.toks[j].end:])
        if not m:
            return None
        words = set(name_tokens(m.group(1)))
        first = m.group(1).split()[0]
        if not words & PERSON_TITLES or not (first.lower() in _APPOSITION_STARTS or first[:1].isupper()
                                             or normalise(first) in TITLE_WORDS):
            return None
        s = self.toks[j].end + m.start(1)
        return s, s + len(m.group(1)), m.group(1)

    # -- 2. and 3. names with a title cue, organisations, spelling variants ------------------------

    def name_runs(self) -> list[tuple[int, int]]:
        """Runs of capitalised words not yet covered, with connectors inside ("Centre for ...")."""
        runs, i, n = [], 0, len(self.toks)
        while i < n:
            t = self.toks[i]
            if not t.capitalised or self.covered[i] or _NUMBER.match(t.text):
                i += 1
                continue
            j = i
            while self.joined(j) and not self.toks[j].possessive and not self.covered[j + 1]:
                nxt = self.toks[j + 1]
                if nxt.capitalised:
                    j += 1
                elif nxt.norm in NAME_CONNECTORS and j + 2 < n and self.joined(j + 1) \
                        and self.toks[j + 2].capitalised and not self.covered[j + 2] \
                        and self.toks[j + 2].norm not in NOT_NAME_WORDS:  # not "the Associated Press on June 30"
                    j += 2
                else:
                    break
            runs.append((i, j))
            i = j + 1
        return runs

    def names_and_organisations(self) -> None:
        for i, j in self.name_runs():
            while i <= j and (self.toks[i].norm in NOT_NAME_WORDS or self.toks[i].norm in NAME_CONNECTORS):
                i += 1
            if i > j:
                continue
            if self.organisation(i, j):
                continue
            self.person(i, j)

    def organisation(self, i: int, j: int) -> bool:
        heads = [k for k in range(i, j + 1) if self.toks[k].norm in ORGANISATION_HEADS and self.toks[k].capitalised]
        if not heads or j == i:
            return False
        head = heads[-1] if self.toks[j].norm in ORGANISATION_HEADS else heads[0]
        if head != j and self.toks[head + 1].norm not in ("of", "for", "on"):
            return False
        start = i
        while start < head and self.toks[start].norm in TITLE_WORDS and self.toks[start].norm not in ORGANISATION_HEADS:
            start += 1
        if self.toks[start].norm in NAME_CONNECTORS:  # "Chairman of the Centre ..." names the centre
            while start < head and self.toks[start].norm in NAME_CONNECTORS:
                start += 1
        else:  # "National Directorate of Security": the words before the head are its name
            start = i
        if start == j:
            return False
        s, e = self.toks[start].start, self.toks[j].end
        name = self.body[s:e]
        actor = self.index.resolve_name(name)
        if actor is not None:
            self.add(start, j, actor, "spelling variant" if name_tokens(name) not in self.index.names else "gazetteer")
            return True
        acronym = re.match(r"\s*\(([A-Z]{2,8})\)", self.body[e:])
        actor = slug(name)
        if actor in self.index.actors:
            actor += "-org"
        kind = ORGANISATION_HEADS[self.toks[head].norm]
        if actor not in self.new:
            member_of = self.owner_in(start, j)
            self.new[actor] = NewActor(actor, kind, name, [acronym.group(1)] if acronym else [], member_of,
                                       (s, e), CONFIDENCE["organisation"])
            self.extra_names[name_tokens(name)] = actor
            if acronym:
                self.extra_names[(acronym.group(1).lower(),)] = actor
        self.add(start, j, actor, "organisation")
        return True

    def owner_in(self, i: int, j: int) -> str | None:
        """The government a name's words point to ("Afghan ...", "... of Afghanistan")."""
        for k in range(i, j + 1):
            owner = self.index.government_of(self.toks[k].norm)
            if owner:
                return owner
        return None

    def person(self, i: int, j: int) -> None:
        """A run of capitalised words as a person: a name known under a spelling variant, or a new
        person where a title goes with it. Title words in the run are the cue, not the name:
        "Russian Foreign Minister Sergei Lavrov", "Sergeant First Class Elis A. Barreto Ortiz"."""
        titles = [k for k in range(i, j + 1) if self.toks[k].norm in TITLE_WORDS]
        start = titles[-1] + 1 if titles and titles[-1] < j else i
        name_toks = self.toks[start:j + 1]
        if any(t.norm in NAME_CONNECTORS for t in name_toks):
            return
        key = tuple(t.norm for t in name_toks)
        if key in self.extra_names:
            self.add(start, j, self.extra_names[key], "surname" if len(key) == 1 else "title-cue")
            return
        variant = self.index.spelling_variant(key) if (len(key) >= 2 or len(key[0]) >= 7) else None
        if variant is not None:
            self.add(start, j, variant, "spelling variant")
            self.note_person(variant, start, j)
            return
        if start > i:
            before = self.title_before(i, person_title=False)
            s = before[0] if before else self.toks[i].start
            cue = (s, self.toks[start - 1].end, self.body[s:self.toks[start - 1].end])
        else:
            cue = self.title_before(i) or self.title_before_comma(i) or self.title_after(j)
        if cue is None and self.toks[i].norm in _NATIONALITIES and j - i >= 2:
            # a nationality before a name describes a person: "the American Kevin King"
            start, name_toks = i + 1, self.toks[i + 1:j + 1]
            key = tuple(t.norm for t in name_toks)
            cue = (self.toks[i].start, self.toks[i].end, self.toks[i].text)
        if cue is None and self.known_surname(key):
            # "Sher Mohammad Abbas Stanekzai": another person of a known person's surname
            cue = (name_toks[0].start, name_toks[0].start, "")
        if cue is None and self.speaks_around(i, j) and self.plain_name(name_toks):
            # "Hamdullah Mohib said", "..., said Hamdullah Mohib": a full name that says something
            cue = (name_toks[0].start, name_toks[0].start, "")
        words = len([t for t in name_toks if len(t.norm) > 1])
        if cue is None or not 2 <= len(name_toks) <= 4 or words < 2:
            return
        if set(key) & (PERSON_TITLES | NOT_NAME_WORDS | set(ORGANISATION_HEADS)):
            return
        label = self.body[name_toks[0].start:name_toks[-1].end]
        actor = slug(label)
        if actor in self.index.actors:
            return
        if actor not in self.new:
            self.new[actor] = NewActor(actor, "Person", label, [name_toks[-1].text], self.member_of_cue(cue),
                                       (name_toks[0].start, name_toks[-1].end), CONFIDENCE["title-cue"])
            self.extra_names[key] = actor
            self.extra_names[(key[-1],)] = actor
        self.add(start, j, actor, "title-cue")
        person = self.persons.setdefault(actor, _Person())
        person.cues.append(cue)
        person.titles.update(ROLE_SYNONYMS.get(w, w) for w in name_tokens(cue[2]))

    def speaks_around(self, i: int, j: int) -> bool:
        """Whether a reporting verb is right after token ``j`` ("X said") or right before token
        ``i`` ("..., said X")."""
        after, before = self.next_word(j), self.prev_word(i)
        verb_after = after is not None and self.body[self.toks[j].end:after.start] == " " \
            and after.norm in REPORTING_VERBS
        verb_before = before is not None and self.body[before.end:self.toks[i].start] == " " \
            and before.norm in REPORTING_VERBS
        return verb_after or verb_before

    def plain_name(self, name_toks: list[Token]) -> bool:
        """Whether words can be a person's name alone: two to four words in title case, none of
        them a place, a people or a government's name, a word of a place's or an outlet's name
        ("Kandahar Province", "Khaama Press"), nor an acronym ("NATO")."""
        norms = tuple(t.norm for t in name_toks)
        return 2 <= len(name_toks) <= 4 and all(t.text[:1].isupper() and not t.text.isupper() for t in name_toks) \
            and not any((n,) in self.index.places or n in _NATIONALITIES or n in _NOT_PERSON_WORDS
                        or self.index.government_of(n) for n in norms) and norms not in self.index.places

    def known_surname(self, key: tuple[str, ...]) -> bool:
        """Whether the last word of a longer name is, alone, the name of a person of the gazetteer."""
        ids = self.index.names.get(key[-1:], [])
        return len(key) >= 2 and bool(ids) and all(self.type_of(a) == "Person" for a in ids)

    def surnames_of_people_named_in_full(self) -> None:
        """A surname alone means the one person of that surname the article names in full (a new
        person, or the gazetteer's under a longer name), not another person of the gazetteer whom
        the article never names in full; a gazetteer person's surname that names no one else in the
        gazetteer is found alone too (``descriptions``)."""
        full: dict[str, set[str]] = {}
        for m in self.taken:
            key = name_tokens(m.text)
            if len(key) > 1 and self.type_of(m.actor) == "Person":
                full.setdefault(key[-1], set()).add(m.actor)
        named = set().union(*full.values())
        for surname, people in full.items():  # "General Mir Asadullah Kohistani ... said Kohistani"
            if len(people) == 1 and (surname,) not in self.index.names:
                self.extra_names.setdefault((surname,), next(iter(people)))
        for k, m in enumerate(self.taken):
            key = name_tokens(m.text)
            people = full.get(key[0], set()) if len(key) == 1 else set()
            if len(people) == 1 and m.actor not in people | named and self.type_of(m.actor) == "Person":
                self.taken[k] = ActorMention(m.start, m.end, m.text, next(iter(people)), m.confidence, "surname")

    def member_of_cue(self, cue: tuple[int, int, str]) -> str | None:
        """The organisation a title names: "Taliban spokesman" -> taliban."""
        s, e, _ = cue
        for m in self.taken:
            if m.start < e and s < m.end and self.type_of(m.actor) != "Person":
                return m.actor
        words = name_tokens(cue[2])
        for w in words:
            owner = self.index.government_of(w)
            if owner:
                return owner
        return None

    # -- 4. descriptions and coreference --------------------------------------------------------------

    def group_descriptions(self) -> None:
        """"the group", "the insurgents": the armed group named last (else the gazetteer's)."""
        n = len(self.toks)
        for i in range(n - 1):
            for key in _GROUP_DESCRIPTIONS_BY_START.get((self.toks[i].norm, self.toks[i + 1].norm), ()):
                j = i + len(key) - 1
                if j < n and tuple(x.norm for x in self.toks[i:j + 1]) == key and self.free(i, j) \
                        and all(self.joined(k) for k in range(i, j)):
                    actor = self.speakers_group(i) or self.last({"ArmedGroup"}, self.toks[i].start) \
                        or self.index.names.get(key, [None])[0]
                    if actor:
                        self.add(i, j, actor, "description")
                    break

    def speakers_group(self, i: int) -> str | None:
        """The armed group of the member who opens the sentence of token ``i`` ("Baradar told the
        gathering that the movement ..."): a member speaks of their own group."""
        start = self.sentence_opening(self.toks[i].start)
        opening = min((m for m in self.taken if start <= m.start < self.toks[i].start), key=lambda m: m.start,
                      default=None)
        entry = self.index.entry(opening.actor) if opening is not None and opening.start <= start + 2 else None
        group = entry.member_of if entry is not None and entry.type == "Person" else None
        return group if group is not None and self.type_of(group) == "ArmedGroup" else None

    def named_next(self, kinds: set[str], after: int, where=None) -> str | None:
        """The actor of the first mention within :data:`_CATAPHORA_REACH` characters after offset
        ``after`` whose type is in ``kinds``."""
        for m in sorted(self.taken, key=lambda m: m.start):
            if after <= m.start < after + _CATAPHORA_REACH and self.type_of(m.actor) in kinds \
                    and (where is None or where(m.actor)):
                return m.actor
        return None

    def coordinated_titles(self) -> None:
        """"the US and Afghan presidents": for each country, the person named last with that title
        and that country in it ("US President Donald Trump"), where the two differ."""
        for i in range(len(self.toks) - 3):
            first, conjunction, second, noun = self.toks[i:i + 4]
            word = ROLE_SYNONYMS.get(noun.norm[:-1], noun.norm[:-1])
            if conjunction.norm != "and" or not noun.norm.endswith("s") or word not in TITLE_DESCRIPTIONS \
                    or not all(self.joined(k) for k in range(i, i + 3)) \
                    or not all(self.index.government_of(c.norm) for c in (first, second)):
                continue
            people = [self.last({"Person"}, first.start, lambda a, c=c.norm: self.has_title(a, word)
                                and c in self.persons.get(a, _Person()).titles) for c in (first, second)]
            if None in people or people[0] == people[1]:
                continue
            self.taken = [m for m in self.taken if not (first.start <= m.start and m.end <= noun.end)]
            self.add(i, i, people[0], "description")
            self.add(i + 2, i + 3, people[1], "description")

    def descriptions(self) -> None:
        """"the envoy", "the chief US negotiator": the person named last with such a title (in the
        lede, where news reports name people only later: "The Afghan general who runs Bagram said
        ... according to General Kohistani", the first named after it); "the official": the
        unnamed source named last; a surname of a new person named earlier."""
        for i, t in enumerate(self.toks):
            if self.covered[i]:
                continue
            if t.norm == "the" and self.joined(i):
                j = i + 1
                while j + 1 < len(self.toks) and self.joined(j) and (
                        self.index.government_of(self.toks[j].norm) or self.toks[j].norm in _TITLE_MODIFIERS):
                    j += 1
                word = ROLE_SYNONYMS.get(self.toks[j].norm, self.toks[j].norm)
                if word in TITLE_DESCRIPTIONS and self.free(i, j) and not self.toks[j].capitalised:
                    titled = lambda a, w=word: self.has_title(a, w)  # noqa: E731
                    in_lede = t.start < self.sentence_end(0)
                    actor = self.last({"Person"}, t.start, titled) or (
                        self.named_next({"Person"}, self.toks[j].end, titled) if in_lede else None)
                    if actor:
                        self.add(i, j, actor, "description")
                        continue
                if self.toks[j].norm in SOURCE_DESCRIPTIONS and self.free(i, j):
                    actor = self.last({"UnnamedSource"}, t.start)
                    if actor:
                        self.add(i, j, actor, "description")
            elif t.capitalised and (t.norm,) in self.extra_names and self.free(i, i):
                self.add(i, i, self.extra_names[(t.norm,)], "surname")

    def peoples(self) -> None:
        """"other Afghans", "negotiations among Afghans", "Afghan sides": the country's leaders
        (a collective of the gazetteer; else its government: "the Americans"); "intra-Afghan":
        the country's government."""
        for i, t in enumerate(self.toks):
            if self.covered[i]:
                continue
            before = self.prev_word(i)
            if t.norm.endswith("s") and before is not None and before.norm in ("other", "among", "between", "all", "the") \
                    and t.capitalised and self.index.government_of(t.norm[:-1]):
                leaders = self.index.names.get((t.norm[:-1], "leaders")) or [self.index.government_of(t.norm[:-1])]
                self.add(i, i, leaders[0], "description")
            elif before is not None and before.norm == "intra" and self.joined(i - 1) and not self.covered[i - 1]:
                owner = self.index.government_of(t.norm)
                if owner:
                    self.add(i - 1, i, owner, "description")
            elif t.norm in ("sides", "parties") and before is not None and not self.covered[i - 1] \
                    and self.index.government_of(before.norm) and self.index.names.get((before.norm, "leaders")):
                self.add(i - 1, i, self.index.names[(before.norm, "leaders")][0], "description")
            elif t.capitalised and (t.possessive or _DEMONYMS.get(t.norm, t.norm) != t.norm) \
                    and (after := self.next_word(i)) and after.norm in _STATE_BODY_WORDS \
                    and self.index.government_of(t.norm):
                self.add(i, i, self.index.government_of(t.norm), "description")  # "Afghanistan's government"

    def administrations(self) -> None:
        """"the Trump administration", "Ghani's government": the government the person leads."""
        for m in list(self.taken):
            if self.type_of(m.actor) != "Person":
                continue
            j = bisect_left(self.token_ends, m.end)  # the token that holds the mention's end
            if j + 1 >= len(self.toks) or self.toks[j].start >= m.end or self.covered[j + 1]:
                continue
            if self.toks[j + 1].norm in ("administration", "government", "cabinet") and (
                    self.joined(j) or self.toks[j].possessive):
                government = self.led_by(m.actor)
                if government is None:
                    continue
                if self.toks[j].possessive:  # "Ghani's government": the person and the government
                    self.add(j + 1, j + 1, government, "description")
                else:  # "the Trump administration"
                    self.taken.remove(m)
                    self.add(self.token_at(m.start), j + 1, government, "description")

    def has_title(self, actor: str, word: str) -> bool:
        person = self.persons.get(actor)
        titles = set(person.titles) if person else set()
        entry = self.index.entry(actor)
        if entry:
            titles.update(ROLE_SYNONYMS.get(w, w) for w in name_tokens(" ".join([*entry.aliases, entry.description])))
        return word in titles or (word in _DIPLOMATIC and bool(titles & _DIPLOMATIC))

    def drop_titles(self) -> None:
        """An organisation named only in a person's title ("Taliban spokesman X", "X, Chairman of
        the Centre ...") describes the person; it is no mention of its own."""
        spans = [(s, e) for person in self.persons.values() for s, e, _ in person.cues]
        for mention in self.taken:  # a person of the gazetteer: "Taliban co-founder Mullah Baradar"
            if self.type_of(mention.actor) == "Person" and mention.start in self.token_starting:
                i = self.token_at(mention.start)
                cue = self.title_before(i) or self.title_before_comma(i)
                if cue is not None:
                    spans.append(cue[:2])
        self.taken = [m for m in self.taken if self.type_of(m.actor) in _NOT_ORGANISATIONS
                      or not any(s <= m.start and m.end <= e for s, e in spans)]

    def forces(self) -> None:
        """"US troops", "Afghan forces", "the NATO mission": the force of that government or
        organisation; "its forces" or "14,000 troops" after a government in the same sentence:
        that government's force."""
        for i, t in enumerate(self.toks):
            if self.covered[i] or t.norm not in FORCE_NOUNS:
                continue
            before = self.prev_word(i)
            if before is None:
                continue
            head = i  # "US special forces": the owner is before the kind of force
            if before.norm in _FORCE_KINDS and not self.covered[i - 1] and self.prev_word(i - 1) is not None:
                head, before = i - 1, self.prev_word(i - 1)
            owner_mention = self.mention_ending(head - 1)
            if owner_mention is not None and self.type_of(owner_mention.actor) != "Person":
                force = self.force_of(owner_mention.actor)
                if force:
                    self.taken.remove(owner_mention)
                    self.add(self.token_at(owner_mention.start), i, force, "force")
                continue
            if self.covered[head - 1]:
                continue
            owner = self.index.government_of(before.norm) or self.government_member(head - 1)
            if owner and self.force_of(owner):
                self.add(head - 1, i, self.force_of(owner), "force")
                continue
            counted = t.norm == "troops" and (_NUMBER.match(before.text) or self.quantified(i))
            if counted or before.norm in ("its", "their"):
                sentence_start = max(self.body.rfind(".", 0, t.start), self.body.rfind("\n", 0, t.start)) + 1
                mention = next((m for m in sorted(self.taken, key=lambda m: -m.start)
                                if sentence_start <= m.start < t.start and self.type_of(m.actor) == "Government"), None)
                force = self.force_of(mention.actor) if mention else None
                if force:
                    self.add(i, i, force, "force", 0.6)

    def strikes(self) -> None:
        """"a US airstrike", "an Afghan air raid", "American drone strikes": the strike is by that
        government's force, named by the owner word."""
        for i, t in enumerate(self.toks):
            if t.norm not in _STRIKE_NOUNS:
                continue
            k = i - 1
            while k >= 0 and self.toks[k].norm in ("air", "drone") and self.joined(k):
                k -= 1
            if k < 0 or k == i - 1 and t.norm in ("strike", "strikes", "raid", "raids") or self.covered[k] \
                    or not self.joined(k) or not self.toks[k].capitalised:
                continue  # a bare "strike" or "raid" needs "air" or "drone" before it
            force = self.force_of(self.index.government_of(self.toks[k].norm))
            if force:
                self.add(k, k, force, "force")

    def government_member(self, k: int) -> str | None:
        """The government of "government" at token ``k`` before a member or force noun: the one
        named right before it ("a US government official"), none after another actor ("a Taliban
        government official"), else the one the gazetteer calls "the government" ("a government
        official", "government forces")."""
        if self.toks[k].norm != "government" or self.covered[k]:
            return None
        before, named = self.prev_word(k), self.mention_ending(k - 1)
        if named is not None:
            return named.actor if self.type_of(named.actor) == "Government" else None
        owner = self.index.government_of(before.norm) if before is not None else None
        return owner or self.index.resolve_name("the government")

    def mention_ending(self, k: int) -> ActorMention | None:
        """The mention that ends with token ``k`` right before the next word, if any."""
        if k < 0 or not self.covered[k] or not self.joined(k):
            return None
        return next((m for m in self.taken if m.end == self.toks[k].end), None)

    def token_at(self, offset: int) -> int:
        return self.token_starting[offset]

    def force_of(self, government: str | None) -> str | None:
        if government is None:
            return None
        forces = self.index.parts(government, "MilitaryForce")
        return forces[0] if len(forces) == 1 else None

    # -- 5. unnamed sources ------------------------------------------------------------------------

    def unnamed_sources(self) -> None:
        """"two senior Taliban sources" -> a Taliban source; "officials said" -> unnamed sources."""
        for i, t in enumerate(self.toks):
            if t.norm not in MEMBER_NOUNS or t.capitalised and not self.sentence_start(i):
                continue
            noun = MEMBER_NOUNS[t.norm]
            if self.covered[i]:  # "Afghan and [American officials]"
                named = next((m for m in self.taken if m.end == t.end and self.type_of(m.actor) in _NOT_ORGANISATIONS), None)
                if named is not None:
                    self.coordinated(self.token_at(named.start), noun, t.norm.endswith("s") and noun != "source")
                continue
            org_start = i
            while org_start > 0 and self.prev_word(org_start) is not None and self.covered[org_start - 1]:
                org_start -= 1
            owner = None
            if org_start < i:
                inner = [m for m in self.taken if self.toks[org_start].start <= m.start and m.end <= self.toks[i - 1].end]
                owner = inner[-1].actor if inner else None
            else:
                before = self.prev_word(i)
                if before is not None:
                    owner = self.index.government_of(before.norm) or self.government_member(i - 1) \
                        or (self.possessor(i - 1) if before.norm in ("its", "their") else None)
                    org_start = i - 1 if owner else i
            plural = t.norm.endswith("s") and noun != "source"
            if owner:
                # "Turkish officials", "American negotiators": members the gazetteer does not
                # list speak and act for their government
                actor = self.member_actor(owner, noun, plural) or (owner if plural and org_start < i else None)
                if actor:
                    self.taken = [m for m in self.taken
                                  if not (self.toks[org_start].start <= m.start and m.end <= t.end)]
                    self.add(org_start, i, actor, "unnamed source")
                    self.coordinated(org_start, noun, plural)
                continue
            after = self.next_word(i)
            before = self.prev_word(i)
            says = after is not None and after.norm in REPORTING_VERBS
            cited = before is not None and before.norm in ("to", "citing", "quoting")
            if t.norm in ("officials", "sources") and (says or cited):
                local = self.index.names.get(("officials", "in", self.dateline())) if t.norm == "officials" else None
                actor = local[0] if local else next((e.id for e in self.index.actors.values()
                                                     if e.type == "UnnamedSource" and not e.member_of), None)
                if actor:
                    self.add(i, i, actor, "unnamed source", 0.6)

    def possessor(self, k: int) -> str | None:
        """Whom "its" or "their" at token ``k`` refers to: the group, government or body named last
        in its sentence or the one before ("The Taliban ... Their negotiators")."""
        start = self.toks[k].start
        sentence = self.sentence_opening(start)
        reach = self.sentence_opening(sentence - 2) if sentence > 1 else 0
        return next((m.actor for m in sorted(self.taken, key=lambda m: -m.start)
                     if reach <= m.start < start and self.type_of(m.actor) in _POSSESSORS), None)

    def sentence_opening(self, offset: int) -> int:
        """Where the sentence (or line) holding ``offset`` begins: after the last ". " or line break."""
        stop = self.body.rfind(". ", 0, offset)
        return max(stop + 2 if stop >= 0 else 0, self.body.rfind("\n", 0, offset) + 1)

    def coordinated(self, k: int, noun: str, plural: bool) -> None:
        """"Afghan and American officials", "the Saudi, Emirati and Pakistani officials": the other
        countries' members too."""
        if k < 2 or self.toks[k - 1].norm != "and" or not (self.joined(k - 2) and self.joined(k - 1)):
            return
        m = k - 2
        while m >= 0:
            owner = self.index.government_of(self.toks[m].norm)
            actor = (self.member_actor(owner, noun, plural) or (owner if plural else None)) if owner else None
            if actor is None or self.covered[m] and not self.drop_government_name(m, owner):
                return
            self.add(m, m, actor, "unnamed source", 0.7)
            if m == 0 or self.body[self.toks[m - 1].end:self.toks[m].start] != ", ":
                return
            m -= 1

    def drop_government_name(self, k: int, government: str | None) -> bool:
        """Drop the mention of ``government`` that token ``k`` alone makes ("US" in "US and Afghan
        officials", where it is the nationality of officials); whether there was one."""
        found = [m for m in self.taken if m.start == self.toks[k].start and m.end == self.toks[k].end
                 and m.actor == government]
        self.taken = [m for m in self.taken if m not in found]
        return bool(found)

    def dateline(self) -> str:
        """The place the article is filed from ("KABUL —"), as compared, or ""."""
        return self.toks[0].norm if self.toks and self.toks[0].end <= self.dateline_place[1] else ""

    def member_actor(self, owner: str, noun: str, plural: bool) -> str | None:
        """The gazetteer's unnamed source or collective of ``owner`` called by ``noun``."""
        preferred = ("Collective", "UnnamedSource") if plural else ("UnnamedSource", "Collective")
        for kind in preferred:
            for e in self.index.actors.values():
                if e.type == kind and e.member_of == owner and any(
                        noun in " ".join(name_tokens(name)) for name in (e.label, *e.aliases)):
                    return e.id
        return None

    # -- 6. memberships and reports --------------------------------------------------------------------

    def memberships(self) -> list[dict]:
        out, seen = [], set()
        for actor, person in self.persons.items():
            for s, e, phrase in person.cues:
                post = self.post_for(actor, phrase)
                if post is None or (actor, post["id"]) in seen:
                    continue
                seen.add((actor, post["id"]))
                near = [m for m in self.taken if m.actor == actor]
                if not near:
                    continue
                mention = min(near, key=lambda m: min(abs(m.start - e), abs(s - m.end)))
                start, end = min(s, mention.start), max(e, mention.end)
                former = "former" in name_tokens(phrase) or self.ended_before(actor)
                out.append({"id": f"{actor}-{post['id']}"[:80].rstrip("-"), "member": actor, "post": post["id"],
                            "tenure": "former" if former else "current",
                            "evidence": {"start": start, "end": end, "exact": self.body[start:end]},
                            "confidence": 0.75})
        return out

    def ended_before(self, actor: str) -> bool:
        """Whether the gazetteer dates the person's office ("2001-2009") before the article."""
        entry = self.index.entry(actor)
        years = re.search(r"\b(\d{4})\s*[-–]\s*(\d{4})\b", entry.description) if entry else None
        return bool(years) and int(years.group(2)) < self.published.year

    def post_for(self, actor: str, phrase: str) -> dict | None:
        """The post whose role the title names and whose organisation or other words the title
        names too ("Afghan President", "Taliban spokesman"); ties go to what the gazetteer says of
        the person and to the post whose name the title covers best."""
        words = {ROLE_SYNONYMS.get(w, w) for w in name_tokens(phrase)}
        stems = {w[:5] for w in words}
        entry = self.index.entry(actor)
        known = {w[:5] for w in name_tokens(entry.description)} if entry else set()
        member_of = entry.member_of if entry else (self.new[actor].member_of if actor in self.new else None)
        best, best_score = None, 0.0
        for post in self.index.posts:
            role = {ROLE_SYNONYMS.get(w, w) for w in name_tokens(post["role_label"])} - {"the", "of"}
            if not role <= words:
                continue
            if (words & _RANKS) - role:  # a vice president holds no post of president
                continue
            if member_of and not self.related(member_of, post["organisation"]):
                continue
            role_stems = {w[:5] for w in role}
            label = {w[:5] for w in name_tokens(post["label"])} - {"the", "of", "us"} - role_stems
            org = self.index.entry(post["organisation"])
            org_words = ({w[:5] for a in (org.label, *org.aliases) for w in name_tokens(a)} - {"the"}) if org else set()
            described = role_stems <= known and label & known  # the gazetteer says the person held it
            if not (label & stems or org_words & stems or described):
                continue
            score = 2 * len(label & stems) + 0.5 * len(label & known) - len(label - stems) \
                + (1.5 if post["organisation"] == member_of else 0) + (1 if org_words & stems else 0)
            if best is None or score > best_score:
                best, best_score = post, score
        return best

    def related(self, a: str, b: str) -> bool:
        """Whether one organisation is the other or a member or part of it."""
        def up(x: str) -> set[str]:
            entry = self.index.entry(x)
            return {x} | ({entry.member_of, entry.part_of} - {None} if entry else set())
        return bool(up(a) & up(b))

    def led_by(self, actor: str) -> str | None:
        """The government whose president the gazetteer says the person is (or was)."""
        entry = self.index.entry(actor)
        known = {w[:5] for w in name_tokens(entry.description)} if entry else set()
        for post in self.index.posts:
            label = {w[:5] for w in name_tokens(post["label"])} - {"the", "of"}
            if post["role"] == "president" and label <= known:
                return post["organisation"]
        return None

    def reports(self) -> list[dict]:
        """"X reported citing Y", "X said, quoting Y", "according to Y", "Y told X" (X a news
        organisation): annotation-format report records."""
        out: list[dict] = []
        by_start = sorted(self.taken, key=lambda m: m.start)
        for n, m in enumerate(by_start):
            if not self.is_news(m.actor):
                continue
            rest = self.body[m.end:self.sentence_end(m.end)]
            hit = re.match(r"(?:\s+(?:had|has|also))?\s+report(?:ed|s)?\b[^.;]{0,80}?,?\s+(?:citing|quoting)\s", rest) \
                or re.match(r"(?:\s+(?:said|says|reported|wrote)\b[^.;]{0,60}?)?,?\s+quot(?:ing|ed)\s", rest)
            if hit:
                cited = self.next_actors(by_start, n, m.end + hit.end())
                out.append(self.report(m, cited, m.start, max([c.end for c in cited], default=m.end)))
            before = self.body[max(0, m.start - 12):m.start]
            if re.search(r"\btold\s+(?:the\s+)?$", before):
                speaker = self.clause_subject(by_start, m)
                if speaker is not None:
                    out.append(self.report(m, [speaker], speaker.start, m.end))
        for hit in re.finditer(r"\baccording to\s", self.body, re.IGNORECASE):
            source = next((x for x in by_start if x.start >= hit.end()), None)
            if source is not None and _LIST_GAP.match(self.body[hit.end():source.start]):
                out.append(self.report(source, [], hit.start(), source.end))
        unique, seen = [], set()
        for r in out:
            if r["id"] not in seen:
                seen.add(r["id"])
                unique.append(r)
        return unique

    def is_news(self, actor: str) -> bool:
        return self.type_of(actor) in OUTLET_TYPES

    def sentence_end(self, offset: int) -> int:
        ends = [i for i in (self.body.find(". ", offset), self.body.find("\n", offset)) if i >= 0]
        return min(ends) if ends else len(self.body)

    def clause_subject(self, by_start: list[ActorMention], outlet: ActorMention) -> ActorMention | None:
        """Who told ``outlet``: the first actor of its sentence outside quotation marks."""
        sentence_start = self.sentence_opening(outlet.start)
        for x in by_start:
            if sentence_start <= x.start and x.end <= outlet.start and x.actor != outlet.actor \
                    and not re.search(r"[“”\"]", self.body[x.end:outlet.start]):
                return x
        return None

    def next_actors(self, by_start: list[ActorMention], n: int, offset: int) -> list[ActorMention]:
        """The actors named right after ``offset``, in one list ("X and Y"), in the same sentence."""
        cited: list[ActorMention] = []
        limit = self.sentence_end(offset)
        for x in by_start[n + 1:]:
            if x.start < offset:
                continue
            if x.end > limit or not _LIST_GAP.match(self.body[cited[-1].end if cited else offset:x.start]):
                break
            cited.append(x)
        return cited

    def report(self, author: ActorMention, cited: list[ActorMention], start: int, end: int) -> dict:
        record: dict[str, Any] = {"id": f"{author.actor}-report", "author": author.actor}
        cites = list(dict.fromkeys(c.actor for c in cited if c.actor != author.actor))
        if cites:
            record["cites"] = cites
            record["id"] = f"{author.actor}-report-citing-{'-'.join(cites)}"[:80].rstrip("-")
        record["evidence"] = {"start": start, "end": end, "exact": self.body[start:end]}
        record["confidence"] = 0.7 if cites else 0.6
        return record

    # -- the whole --------------------------------------------------------------------------------------

    def run(self) -> ActorFindings:
        self.gazetteer_names()
        self.names_and_organisations()
        self.surnames_of_people_named_in_full()
        self.group_descriptions()
        self.forces()
        self.strikes()
        self.unnamed_sources()
        self.coordinated_titles()
        self.descriptions()
        self.peoples()
        self.administrations()
        self.drop_titles()
        mentions = _non_overlapping([m for m in self.taken if not self.in_report_credit(m.start, m.end)])
        self.taken = mentions
        memberships = self.memberships()
        reports = self.reports()
        used = {m.actor for m in mentions} | {m["member"] for m in memberships}
        for actor in list(used):  # an organisation named only in a title stays as the person's
            while actor in self.new and self.new[actor].member_of:
                actor = self.new[actor].member_of
                used.add(actor)
        new = [a for a in self.new.values() if a.id in used]
        return ActorFindings(mentions, new, memberships, reports)


# How far after a lede's description ("The Afghan general ... said") its person may be named.
_CATAPHORA_REACH = 1000

# Two people referred to together: "both men", "the two leaders".
_PAIR = re.compile(r"\b(?:[Tt]he two|[Bb]oth(?: the)?)\s+(?:men|women|leaders|presidents|rivals|politicians)\b"
                   r"|\b[Tt]he two(?=\s+(?:together|separately|of them)\b)")


# What joins two people named together: "Ghani and his rival Abdullah", "Ghani and Abdullah".
_PEOPLE_JOINED = re.compile(r"\s*,?\s*(?:and|&)\s+(?:(?:his|her|their)\s+)?(?:[a-z-]+\s+){0,2}")


def pair_mentions(body: str, mentions: list[ActorMention], types: dict[str, str]) -> list[ActorMention]:
    """For each "both men" / "the two leaders" / "the two together", one mention of each of the
    last two people named together before it ("Ghani and his rival Abdullah"), else of the last
    two people named before it (within 1,500 characters), leaving out who its own sentence names
    ("Pompeo spoke to both men": not Pompeo), on the phrase's span (``types``: actor id -> type)."""
    found = []
    for match in _PAIR.finditer(body):
        sentence = max(body.rfind(". ", 0, match.start()), body.rfind("\n", 0, match.start())) + 1
        own = {m.actor for m in mentions if sentence <= m.start < match.start()}
        before = [m for m in mentions if match.start() - 1500 <= m.start and m.end <= match.start()
                  and types.get(m.actor) == "Person" and m.actor not in own]
        joined = [(a.actor, b.actor) for a, b in zip(before, before[1:])
                  if a.actor != b.actor and _PEOPLE_JOINED.fullmatch(body, a.end, b.start)]
        people: list[str] = list(reversed(joined[-1])) if joined else []
        for m in reversed(before):
            if len(people) == 2:
                break
            if m.actor not in people:
                people.append(m.actor)
        if len(people) == 2:
            found += [ActorMention(match.start(), match.end(), match.group(), actor, 0.6, "pair")
                      for actor in reversed(people)]
    return found


# The two parties of a conflict or of talks referred to together: "both sides", "the two teams".
_SIDES = re.compile(r"\b(?:[Bb]oth|[Tt]he two|[Aa]ll)\s+(?:sides|parties|delegations|teams)\b")
# What joins two sides named together: "the government and the Taliban", "between X and Y".
_SIDES_JOINED = re.compile(r"\s*(?:,\s*)?(?:and|&|with)\s+(?:the\s+)?")
_SIDE_TYPES = frozenset({"Government", "ArmedGroup"})


def side_mentions(body: str, mentions: list[ActorMention], actors: dict[str, Any]) -> list[ActorMention]:
    """For each "both sides" / "the two teams", one mention of each of the last two sides (a
    government or an armed group, or the one a group, team or force belongs to) named together
    before it ("the Afghan government and the Taliban", within 2,000 characters), on the phrase's
    span (``actors``: actor id -> its facts: type, part_of, member_of)."""
    found = []
    for match in _SIDES.finditer(body):
        near = [m for m in mentions if match.start() - 2000 <= m.start and m.end <= match.start()]
        for first, second in reversed(list(zip(near, near[1:]))):
            pair = [_side(actors, first.actor), _side(actors, second.actor)]
            if None not in pair and pair[0] != pair[1] and _SIDES_JOINED.fullmatch(body, first.end, second.start):
                found += [ActorMention(match.start(), match.end(), match.group(), side, 0.6, "pair") for side in pair]
                break
    return found


# Governments referred to together by their number: "the four countries", "both governments".
_COUNTRIES = re.compile(r"\b(?:[Tt]he\s+(?P<n>two|three|four|five|six)|[Bb]oth(?:\s+the)?)\s+"
                        r"(?:countries|governments|nations|powers|states)\b")
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# What joins the governments of a list: "the United States, Russia, China and Pakistan".
_LIST_JOINED = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?")


def country_mentions(body: str, mentions: list[ActorMention], types: dict[str, str]) -> list[ActorMention]:
    """For each "the four countries" / "both governments", one mention of each government of the
    last list of exactly that many governments named before it (within 2,000 characters), on the
    phrase's span (``types``: actor id -> type)."""
    found = []
    for match in _COUNTRIES.finditer(body):
        wanted = _NUMBERS[match.group("n")] if match.group("n") else 2
        near = [m for m in mentions if match.start() - 2000 <= m.start and m.end <= match.start()
                and types.get(m.actor) == "Government"]
        lists: list[list[ActorMention]] = []
        for m in near:
            if lists and _LIST_JOINED.fullmatch(body, lists[-1][-1].end, m.start):
                lists[-1].append(m)
            else:
                lists.append([m])
        listed = next((ms for ms in reversed(lists) if len({m.actor for m in ms}) == wanted), [])
        found += [ActorMention(match.start(), match.end(), match.group(), actor, 0.6, "pair")
                  for actor in dict.fromkeys(m.actor for m in listed)]
    return found


def _side(actors: dict[str, Any], actor: str) -> str | None:
    """The government or armed group ``actor`` is, or belongs to (at most three steps up)."""
    for _ in range(3):
        facts = actors.get(actor)
        if facts is None:
            return None
        if facts.type in _SIDE_TYPES:
            return actor
        actor = facts.member_of or facts.part_of
        if actor is None:
            return None
    return None


def _non_overlapping(mentions: list[ActorMention]) -> list[ActorMention]:
    """Longest first, then earliest; drop any mention overlapping one already kept."""
    kept: list[ActorMention] = []  # by start; kept mentions do not overlap, so their ends are sorted too
    starts: list[int] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        before = bisect_left(starts, m.end) - 1  # the last kept mention starting before m ends
        if before < 0 or kept[before].end <= m.start:
            at = bisect_right(starts, m.start)
            starts.insert(at, m.start)
            kept.insert(at, m)
    return kept


def find_actors(body: str, gazetteer: ActorIndex, published: datetime.date) -> ActorFindings:
    """The actors an article body names, new actors, memberships and reports (module docstring)."""
    return _Finder(body, gazetteer, published).run()
