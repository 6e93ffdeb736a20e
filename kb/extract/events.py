"""Events, statements, preconditions and quantities of an article body, found by rules.

The input is the body with its sentences, the actor mentions (:mod:`kb.extract.actors`), the
time mentions (:mod:`kb.extract.times`) and the gazetteer's place names; the output is records
of the annotation format (docs/annotation-format.md) without ids, which :mod:`kb.extract.draft`
names. One event per clause and type family: the triggers of a clause are merged.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from kb.extract.lexicon import (
    ACT_TYPES,
    CANCELLED,
    NEGATED,
    OCCURRED_ONLY,
    PLANNED,
    POSSIBLE,
    PRIORITY,
    PURPOSE,
    ROLES,
    TRIGGERS,
)
from kb.extract.names import OUTLET_TYPES
from kb.extract.text import (
    SPEECH_VERBS,
    Quote,
    Span,
    Spans,
    dateline,
    find_quotes,
    span,
    split_sentences,
)


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    place: str


@dataclass
class Actor:
    """What the rules need to know of an actor."""

    type: str
    label: str
    part_of: str | None = None
    member_of: str | None = None


@dataclass
class Context:
    """An article's body and everything found in it that the event rules build on."""

    body: str
    published: date
    mentions: list[Any]  # ActorMention: start, end, actor
    times: list[Any]  # TimeMention: start, end, as_annotation()
    places: list[PlaceMention]
    actors: dict[str, Actor]
    quotes: list[Quote] = field(default_factory=list)
    place_actors: dict[str, str] = field(default_factory=dict)  # place id -> the government it names
    place_names: dict[str, str] = field(default_factory=dict)  # place id -> label
    affiliations: dict[str, set[str]] = field(default_factory=dict)  # person -> organisations of their posts
    last_statement: Record | None = None
    sources: list[str] = field(default_factory=list)  # whom the facts of the current sentence are from
    condition_from: int | None = None  # where a condition that runs to the end of the sentence starts
    last_time: dict[str, Any] | None = None  # the explicit time of the latest dated event that occurred
    mention_spans: Spans = field(init=False)
    time_spans: Spans = field(init=False)
    place_spans: Spans = field(init=False)

    def __post_init__(self) -> None:
        self.mention_spans = Spans(self.mentions)
        self.time_spans = Spans(self.times)
        self.place_spans = Spans(self.places)


@dataclass(eq=False)
class Record:
    """A fact found in the text, in the annotation format (links to other facts are records);
    ``name`` suggests its id and ``anchor`` is where in the body it was found."""

    section: str
    fields: dict[str, Any]
    evidence: list[Span]
    confidence: float
    name: str
    anchor: int  # where in the body the fact is, for linking and ordering


@dataclass
class Findings:
    events: list[Record] = field(default_factory=list)
    quantities: list[Record] = field(default_factory=list)
    preconditions: list[Record] = field(default_factory=list)
    conditions: list[Record] = field(default_factory=list)


# "since October", "since last year": a time, not a clause ("since the talks began").
_SINCE_TIME = (r"(?:(?:early|mid-?|late|the\s+(?:start|end|beginning)\s+of)\s*)?(?:\d|last\b|then\b|\w+day\b|"
               r"(?-i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))")
# Verbs that, bare after "and", open a verb phrase of their own ("will reduce ... and pull out ...").
_BARE_VERBS = "pull|withdraw|release|free|sign|meet|begin|start|resume|reduce|cut|leave|open|hold|halt|stop|end|extend"
_AND_BARE = re.compile(rf"\s*and (?:{_BARE_VERBS})\s")
_CLAUSE_BREAK = re.compile(
    r"\s*(?:;|:|—|–|\s-\s)\s*"
    r"|,\s*(?:and|but|while|which|who|where|when|as|after|before|although|though|following|despite|"
    r"because|since|so that|adding|saying|setting|including|specifically|namely|such as)\b"
    r"|,\s*(?=(?:arranged|brokered|facilitated|mediated) by\b)"  # "talks ..., arranged by Qatar": the mediation
    r"|(?<!\bthe day)(?<!\bthe week)\s(?:but|while|after|before|when|where|which|because|once|during which|"
    r"so that|as long as|provided|only if|if|in return|on condition that|since(?!\s+" + _SINCE_TIME + r"))\b"
    r"|(?<!\bthe)\sfollowing\b"  # not "the following day"
    r"|\sand (?=(?:he|she|they|it|then|also|later|met|said|told|will|would|has|have|had|is|are|was|were|held|"
    r"began|took|made|sent|went|gave|struck|spoke|brought|sat|led|kept|came|fled|won|fought|broke|drove|flew|"
    r"wrote)\b|\w+ed\b)"
    rf"|\sand (?=(?:{_BARE_VERBS})\s+(?!of\b))"
    r"|\sand (?=the \w+(?: \w+)? (?:will|would|could|has|have|had|is|are|was|were)\b)"
    r"|\sas (?=(?:the \w+(?: \w+){0,5}|he|she|they|it) \w+ed\b)"
    r"|\sthat (?=(?:will|would|could|may|might)\b)"
    # a purpose ("flew to Doha | to meet ..."), not a plan ("are to start", "is expected to begin")
    r"|\sto(?<!\bis to)(?<!\bare to)(?<!\bwas to)(?<!\bwere to)(?<!\bexpected to)(?<!\bdue to)(?<!\bset to)"
    r"(?<!\bscheduled to) (?=(?:meet|discuss|sign|hold|begin|start|attend|join|rejoin|negotiate|visit|talk|travel|"
    r"release|withdraw|prolong|extend|approve|agree|resume|restart|reduce|pull|leave|host|consult|"
    r"follow|cut|free|halt|end|stop)\b)",
)
_ASKING = re.compile(r"\b(?:urg\w*|call\w* on|ask\w*|appeal\w*|press\w*|demand\w*|propos\w*|invit\w*|order\w*|"
                     r"offer\w*|suggest\w*)\b",
                     re.IGNORECASE)
_SPEECH = re.compile(rf"\b(?:{SPEECH_VERBS}|wrote on Twitter|said on Twitter)\b")
_PRONOUN = re.compile(r"\b(he|she)\s*$", re.IGNORECASE)
_CHANNELS = (
    ("tweet", re.compile(r"twitter|tweet", re.IGNORECASE)),
    ("press-statement", re.compile(r"\bstatement\b|(?:told|speaking to|spoke to|talking to) reporters",
                                   re.IGNORECASE)),
    ("speech", re.compile(r"news conference|address to|televised address|\bspeech\b|in remarks|speaking (?:at|from)",
                          re.IGNORECASE)),
)
_ACTING_PREPOSITIONS = re.compile(r"\b(?:in|at|from|near|of|over|across|into|inside|outside|around)\s+(?:the\s+)?$",
                                  re.IGNORECASE)
_QUANTITY = re.compile(
    r"(?:(?P<approx>(?i:nearly|about|around|roughly|almost|at least|more than|up to|over|some|fewer than|"
    r"less than))\s+)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+)\s+(?:(?P<pre>[A-Z][\w-]*|foreign|government)\s+)?"
    r"(?P<unit>troops|soldiers|prisoners|people|civilians|fighters|service members)\b"
)
# A number after "to" or "from" with no unit of its own: a troop number when the sentence named
# troops before it ("cut its forces to about 4,500", "from about 13,000 troops to 8,600").
_TO_NUMBER = re.compile(r"\b(?:to|from)\s+(?:(?P<approx>(?i:nearly|about|around|roughly|almost|some))\s+)?"
                        r"(?!(?:19|20)\d\d\b)(?P<num>\d{1,3}(?:,\d{3})+|\d{4,})\b(?!\s+[a-z]+s\b)")
_TROOP_WORD = re.compile(r"\b(?:troops|forces|force|soldiers|troop levels?|troop numbers?)\b")
# Cues of a precondition; the group "cond" is what is required.
_CONDITIONS = tuple(re.compile(p) for p in (
    # "provided" as a conjunction, not the participle ("provided for", "provided by")
    (r"\b(?:only if|on condition that|provided(?: that)?(?=\s+(?!(?:for|by|to|with|in)\b))|as long as|"
     r"only (?:once|when)|unless|as soon as)\s+"
     r"(?P<cond>[^.;”\x22]+?)(?=[.;]|,\s(?:and |but )?(?:he|she|they|it)\b|$)"),
    r"\bprecondition (?:is|was)\s+(?P<cond>[^.;,”\x22]+)",
    r"\b(?:insist(?:ed|s)?|demand(?:ed|s)?)\s+(?:that\s+)?(?P<cond>[^.;,”\x22]*?\b(?:should|must)\s+first\s+[^.;,”\x22]+)",
    # "insist that all 5,000 of their men be freed before the talks can start"
    r"\b(?:insist(?:ed|s|ing)?|demand(?:ed|s|ing)?)\s+(?:that\s+)?(?P<cond>(?:[^.;,”\x22]|(?<=\d),(?=\d))+?)\s+before\s+"
    r"[^.;,”\x22]*?\b(?:can|could|would|will|sit)\b",
    r"(?P<cond>\b(?:a|an|the)\s[^,.;”\x22]+?)\s+must\s+(?:come before|(?:be\s+\w+\s+)?first\b)",
    r"\b(?:not|no|nothing)\b[^.;”\x22]{0,80}?\buntil\s+(?P<cond>[^.;,”\x22]+)",
    r"\bmade\s+(?P<cond>[^.;”\x22]+?)\s+a\s+(?:pre)?condition\b",
    r"\b(?:must|would have to|had to|has to|have to)\s+include\s+(?P<cond>[^.;”\x22]+)",
    r"\bOnce\s+(?P<cond>[^,.;”\x22]+)",
    r"\bdemand(?:ed|s)?\s+(?P<cond>[^.;,”\x22]+?)\s+before\b",
))
# The sides of the "intra-Afghan" negotiations: the Taliban, the government and the other Afghan leaders.
INTRA_AFGHAN_PARTIES = ("taliban", "afghan-government", "afghan-leaders")
# The gazetteer's collective of people counted in a toll, and of civilians; the government the
# armed group of a story makes a lasting truce with.
CASUALTIES, CIVILIANS, AFGHAN_GOVERNMENT = "attack-victims", "afghan-civilians", "afghan-government"
US_GOVERNMENT = "united-states-government"
# What an armed group demands, and of whom: its prisoners freed, of the government that holds them;
# foreign forces gone, of the United States that leads them.
_DEMANDED_OF = ((re.compile(r"\b(?:free|freed|freeing|releas(?:e|ed|es|ing))\b", re.IGNORECASE), AFGHAN_GOVERNMENT),
                (re.compile(r"\b(?:withdraw\w*|departure|pull(?:s|ed|ing)? out|leave|exit)\b|\bforeign (?:forces|troops)\b",
                            re.IGNORECASE), US_GOVERNMENT))
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def find_facts(ctx: Context) -> Findings:
    """Every event, quantity and precondition the rules find in ``ctx.body``."""
    ctx.quotes = ctx.quotes or find_quotes(ctx.body)
    findings = Findings()
    last_person: list[str] = []
    sentences = split_sentences(ctx.body)
    for sentence in sentences:
        for part in _sayings(ctx, sentence):
            _sentence_facts(ctx, part, findings, last_person)
    _merge_statements(ctx, findings.events)
    _counterparts(ctx, findings.events)
    _at_the_occasion(ctx, findings.events)
    _news_day(ctx, findings.events)
    _during_the_visit(findings.events)
    _said_since(findings.events)
    _one_signing(findings.events)
    _agreement_terms(ctx, sentences, findings.events)
    _link_responses(findings)
    _demanded_of(ctx, findings.events)
    _claimed_attacks(findings.events)
    _after_what_it_answers(findings.events)
    _not_yet(ctx, findings.events)
    # again, for the proposals and responses the links made statements: only what follows as "he said"
    _merge_statements(ctx, findings.events, pronoun_only=True)
    for event in findings.events:
        for key in ("_past", "_pronoun", "_said_in", "_pledge"):
            event.fields.pop(key, None)
    return findings


def _merge_statements(ctx: Context, events: list[Record], *, pronoun_only: bool = False) -> None:
    """What one speaker goes on to say ("Khalilzad said ... He added ...") is one statement with
    several evidence spans, when no one else speaks in between (``pronoun_only``: when the later
    one is a "he said")."""
    previous: Record | None = None
    for event in list(events):
        if event.fields["type"] != "statement":
            continue
        quoted = "quote" in event.fields or "quote" in previous.fields if previous is not None else False
        if (previous is not None and (event.fields.get("_pronoun") or not (quoted or pronoun_only))
                and not ("quote" in event.fields and "quote" in previous.fields)
                and _same_speaker(event, previous)
                and event.anchor - previous.evidence[-1].end < 300
                and ("text" not in event.fields["time"] or event.fields["time"] == previous.fields["time"])):
            previous.evidence.extend(event.evidence)
            for key in ("quote", "to_outlet"):
                if key in event.fields:
                    previous.fields[key] = event.fields[key]
            if previous.fields["channel"] == "unspecified":
                previous.fields["channel"] = event.fields["channel"]
            events.remove(event)
            continue
        previous = event


def _same_speaker(later: Record, earlier: Record) -> bool:
    """Whether a statement is by the speaker of an earlier one and addressed to no one else ("Pompeo
    urged the delegates to ... He acknowledged ...")."""
    roles, before = later.fields["roles"], earlier.fields["roles"]
    speaking = {r: a for r, a in roles.items() if r != "addressee"}
    return speaking == {r: a for r, a in before.items() if r != "addressee"} \
        and roles.get("addressee") in (None, before.get("addressee"))


# Events between two sides: when the clause names one side ("the US rejoined the talks"), the
# other is the side it deals with in the nearest such event of the article that names both.
BILATERAL = frozenset({"negotiation", "talks-round", "talks-series", "resumption", "agreement"})
# Talks the text names without their parties ("The round of talks ended on Saturday"): the
# parties of the nearest talks between two sides.
_ANAPHORIC_TALKS = frozenset({"talks-round", "talks-series"})


def _sides(event: Record) -> list[str]:
    """The actors of every role of an event, each once, in the order of its roles."""
    return list(dict.fromkeys(a for actors in event.fields["roles"].values() for a in actors))


def _counterparts(ctx: Context, events: list[Record]) -> None:
    """Complete a bilateral event that names one side with that side's counterpart in the nearest
    bilateral event between exactly two sides (before it, else after it), named at the level of
    the side it completes (a government's counterpart is an organisation, not its negotiators).
    A round of talks that names no side gets both sides of that event, or is dropped."""
    pairs = []
    for event in events:
        sides = _sides(event)
        if event.fields["type"] in BILATERAL and len(sides) == 2:
            pairs.append((event.anchor, sides))
    armed_group = _most_named_armed_group(ctx)
    for event in [e for e in events if e.fields.pop("_sideless", False)]:
        near = sorted((anchor > event.anchor, abs(anchor - event.anchor), pair) for anchor, pair in pairs)
        if near:
            event.fields["roles"] = {ROLES[event.fields["type"]][0]: list(near[0][2])}
            event.fields["label"] = _label(ctx, event.fields["type"], event.fields["status"], event.fields["roles"],
                                           event.fields.get("place"))
        else:
            events.remove(event)
    for event in events:
        roles = event.fields["roles"]
        sides = [a for actors in roles.values() for a in actors]
        if event.fields["type"] == "ceasefire" and len(sides) == 1:
            _ceasefire_sides(ctx, event, armed_group)
        if event.fields["type"] not in BILATERAL or len(sides) != 1:
            continue
        near = sorted((anchor > event.anchor, abs(anchor - event.anchor), pair) for anchor, pair in pairs
                      if sides[0] in pair)
        if near:
            other = _same_level(ctx, sides[0], next(a for a in near[0][2] if a != sides[0]))
        elif armed_group is not None and ctx.actors.get(sides[0], Actor("", "")).type == "Government":
            other = armed_group  # a government's talks in an article that pairs it with no one
        else:
            continue
        role = next(iter(roles))
        roles[role] = [*roles[role], other]
        event.fields["label"] = _label(ctx, event.fields["type"], event.fields["status"], roles,
                                       event.fields.get("place"))


# "The agreement also provides for ...": a term of a deal the article reports.
_TERMS = re.compile(r"\b(?:provides?|provided|providing)\s+for\b", re.IGNORECASE)
_DEAL = re.compile(r"\b(?:agreement|deal|accord|pact)\b", re.IGNORECASE)
_UNDER_DEAL = re.compile(r"under\s+(?:the|this|that|their|its)\s+(?:[\w-]+\s+){0,3}?(?:agreement|deal|accord|pact)\b",
                         re.IGNORECASE)


def _agreement_terms(ctx: Context, sentences: list[Span], events: list[Record]) -> None:
    """A deal that "provides for" something commits its parties to it: a planned commitment,
    part of the deal, from the deal's date on (with any person the term names as a participant).
    A release the term describes is that commitment, not an event of its own. A pledge made
    "under the deal" is part of it, made when it was, to its other parties."""
    deals = [e for e in events if e.fields["type"] == "agreement"]
    for pledge in [e for e in events if e.fields["type"] == "commitment"]:
        under = _UNDER_DEAL.match(ctx.body, pledge.evidence[0].start)
        earlier = [d for d in deals if d.anchor < pledge.anchor]
        if under and earlier:
            deal = earlier[-1]
            pledge.fields["part_of"] = deal
            if "value" in deal.fields["time"]:
                pledge.fields["time"] = dict(deal.fields["time"])
            parties = pledge.fields["roles"].get("party", [])
            others = [a for a in _sides(deal) if a not in parties
                      and ctx.actors.get(a, Actor("", "")).type != "MilitaryForce"]
            if others:
                pledge.fields["roles"]["addressee"] = others
    for sentence in sentences:
        for term in _TERMS.finditer(ctx.body, sentence.start, sentence.end):
            if not _DEAL.search(ctx.body, sentence.start, term.start()):
                continue
            earlier = [d for d in deals if d.anchor < term.start()]
            if not earlier:
                continue
            deal = max(earlier, key=lambda d: (sentence.start <= d.anchor, d.anchor))
            parties = _sides(deal)
            evidence = span(ctx.body, term.start(), sentence.end - (ctx.body[sentence.end - 1] in ".!?"))
            named = [a for a in _ids(_mentions(ctx, evidence.start, evidence.end))
                     if ctx.actors.get(a, Actor("", "")).type == "Person" and a not in parties]
            roles = {"party": parties, **({"participant": named} if named else {})}
            since = deal.fields["time"]
            day = since.get("value") or since.get("begin")
            time = {"earliest": day, "precision": since["precision"]} if day else {"earliest": ctx.published,
                                                                                    "precision": "day"}
            deadline = [m.as_annotation()["latest"] for m in ctx.time_spans.within(evidence.start, evidence.end)
                        if m.text.startswith("by ") and m.as_annotation().get("latest")]
            if deadline and time["precision"] == "day":  # "... by March 10": due from the deal to then
                time["latest"] = _date(deadline[0])
            fields = {"type": "commitment", "label": _label(ctx, "commitment", "planned", roles, None),
                      "status": "planned", "roles": roles, "part_of": deal,
                      "time": {**time, "anchor": ctx.published}}
            events[:] = [e for e in events if not (e.fields["type"] in ("prisoner-release", "commitment")
                                                   and evidence.start <= e.anchor < evidence.end)]
            events.append(Record("events", fields, [evidence], 0.45, f"{parties[0]}-commitment", term.start()))


_MUTUAL = re.compile(r"\b(?:comprehensive|lasting|permanent|nationwide|general|full|complete|mutual|"
                     r"two-way)\s+(?:[\w-]+\s+)?(?:ceasefire|truce)", re.IGNORECASE)


def _ceasefire_sides(ctx: Context, event: Record, armed_group: str | None) -> None:
    """A ceasefire that names one side: a lasting or comprehensive one binds both sides (the
    government and the armed group of the story); a government's own (or its forces') is the
    government's, held towards that armed group."""
    roles = event.fields["roles"]
    side = _sides(event)[0]
    info = ctx.actors.get(side, Actor("", ""))
    government = side if info.type == "Government" else info.part_of if info.type == "MilitaryForce" else None
    if government is not None and ctx.actors.get(government, Actor("", "")).type != "Government":
        government = None
    mutual = _MUTUAL.search(event.evidence[0].text) is not None
    if armed_group is None or (side == armed_group and not mutual):
        return  # the armed group's own truce is its own
    if mutual:
        other = armed_group if government else (AFGHAN_GOVERNMENT if AFGHAN_GOVERNMENT in ctx.actors else None)
        if other is not None:
            roles.clear()
            roles["party"] = [side if government is None else government, other]
    elif government is not None:
        roles.clear()
        roles.update({"party": [government], "addressee": [armed_group]})
    event.fields["label"] = _label(ctx, "ceasefire", event.fields["status"], roles, event.fields.get("place"))


def _one_signing(events: list[Record]) -> None:
    """Mentions of one signed deal ("the deal the United States and the Taliban signed in Doha",
    later "the agreement the movement signed with the United States") are one event: a signed
    agreement whose sides are among those of an earlier one is that one, with another evidence
    span; the better dated of the two gives the time, the longer list the sides."""
    kept: list[Record] = []
    for event in list(events):
        fields = event.fields
        if fields["type"] != "agreement" or fields.get("stage") != "signed" or fields["status"] != "occurred":
            continue
        sides = set(_sides(event))
        same = next((k for k in kept if sides <= (other := set(_sides(k))) or other <= sides), None)
        if same is None:
            kept.append(event)
            continue
        if _dating(fields["time"]) > _dating(same.fields["time"]):
            same.fields["time"] = fields["time"]
        if len(sides) > len(_sides(same)):
            same.fields["roles"] = fields["roles"]
            same.fields["label"] = fields["label"]
        same.evidence.extend(event.evidence)
        for other in events:  # what pointed to the mention now points to the event
            for key, value in other.fields.items():
                if value is event:
                    other.fields[key] = same
        events.remove(event)


def _dating(time: dict[str, Any]) -> tuple[bool, int]:
    """How well a time dates an event: a point or bounds before a window, then by precision."""
    return ("value" in time or "begin" in time or "end" in time,
            {"day": 2, "month": 1}.get(str(time.get("precision")), 0))


def _most_named_armed_group(ctx: Context) -> str | None:
    """The armed group the article names most, the other side of a government's talks that name
    no one else ("talks with the government" in a story of the Taliban)."""
    counts = Counter(m.actor for m in ctx.mentions if ctx.actors.get(m.actor, Actor("", "")).type == "ArmedGroup")
    return counts.most_common(1)[0][0] if counts else None


def _same_level(ctx: Context, side: str, other: str) -> str:
    """``other`` as the organisation it belongs to when ``side`` is an organisation itself."""
    info, mine = ctx.actors.get(other), ctx.actors.get(side)
    if info is None or mine is None or mine.member_of or mine.part_of or mine.type == "Person":
        return other
    return info.member_of or info.part_of or other


# "In remarks at the ceremony", "At the signing", "read out at the closing session": the occasion
# (group 1) and which of its days is meant.
_OCCASION = re.compile(r"\bat\s+(?:the|that|this)\s+(signing|ceremony|meeting|summit|conference|gathering|"
                       r"(closing|opening)\s+session)\b", re.IGNORECASE)
_OCCASIONS = {"signing": ("agreement",), "ceremony": ("agreement", "meeting"),
              "session": ("meeting", "talks-round", "negotiation"), "meeting": ("meeting",),
              "summit": ("meeting",), "conference": ("meeting",), "gathering": ("meeting",)}
# Acts of saying something: dated by the occasion they were said at, and given no place of their own.
_SAID = frozenset({"statement", "announcement", "proposal", "demand", "rejection", "acceptance"})


def _at_the_occasion(ctx: Context, events: list[Record]) -> None:
    """What was said "at the signing" or "at the ceremony" with no date of its own was said on
    the day of the latest such occasion named before it (the last day for a closing session)."""
    for event in events:
        if event.fields["type"] not in _SAID or "text" in event.fields["time"]:
            continue
        sentence = max(ctx.body.rfind(". ", 0, event.anchor), ctx.body.rfind("\n", 0, event.anchor)) + 1
        opening = ctx.body[sentence:event.anchor]  # "At that meeting Biden said": before the speaker
        occasion = next((m for text in (*(ev.text for ev in event.evidence), opening)
                         if (m := _OCCASION.search(text))), None)
        if occasion is None:
            continue
        kinds = _OCCASIONS[occasion.group(1).split()[-1].lower()]
        key = "end" if (occasion.group(2) or "").lower() == "closing" else "begin"
        days = [(e.anchor, e.fields["time"].get(key, e.fields["time"].get("value")), e.fields["time"].get("precision"))
                for e in events if e.fields["type"] in kinds and e.anchor < event.anchor and "text" in e.fields["time"]]
        days = [day for day in days if day[1] is not None]
        if days:
            _, value, precision = max(days, key=lambda d: d[0])
            event.fields["time"] = {"value": value, "precision": precision, "text": occasion.group(0),
                                    "anchor": ctx.published}


def _news_day(ctx: Context, events: list[Record]) -> None:
    """An undated statement in the past tense ("Biden said ...", "claimed responsibility") was made
    on the day its speaker was last dated on ("Biden said on Wednesday ... Biden warned ..."), else
    between the day of the news last reported before it (an explicit day in the week before
    publication, on which something happened or ended) and the publication date."""
    day = None
    spoke: dict[str, date] = {}  # the explicit day each speaker last spoke or announced on
    for event in sorted(events, key=lambda e: e.anchor):
        time = event.fields["time"]
        point = time.get("value", time.get("end"))  # "met on Monday", "ended on Tuesday"
        dated = "text" in time and time.get("precision") == "day" and isinstance(point, date) \
            and event.fields["status"] == "occurred"
        speakers = _speakers(event)
        if dated and speakers:
            spoke.update((speaker, point) for speaker in speakers)
        if dated and 0 <= (ctx.published - point).days <= 7:
            day = point
        elif event.fields.get("_past") and "text" not in time:
            same = next((spoke[s] for s in speakers if s in spoke), None)
            if same is not None:
                event.fields["time"] = {"value": same, "precision": "day", "anchor": ctx.published}
            elif day is not None:
                window = {"value": day} if day == ctx.published else {"earliest": day, "latest": ctx.published}
                event.fields["time"] = {**window, "precision": "day", "anchor": ctx.published}


def _during_the_visit(events: list[Record]) -> None:
    """An undated meeting of a visitor, told right after the visit's dated arrival ("Pompeo flew
    to Kabul on Monday ... He saw each man separately"), took place during the visit: it takes
    the visit's day (a sub-event takes its parent's date)."""
    visit: Record | None = None
    for event in sorted(events, key=lambda e: e.anchor):
        fields, time = event.fields, event.fields["time"]
        if fields["status"] != "occurred":
            continue
        if fields["type"] == "visit" and "text" in time and isinstance(time.get("value"), date):
            visit = event
        elif visit is not None and fields["type"] == "meeting" and "text" not in time \
                and event.anchor - visit.anchor < _VISIT_REACH \
                and set(visit.fields["roles"].get("visitor", [])) & set(fields["roles"].get("participant", [])):
            fields["time"] = {k: v for k, v in visit.fields["time"].items() if k != "text"}


_VISIT_REACH = 400  # characters from a visit's trigger to a meeting held during it


def _said_since(events: list[Record]) -> None:
    """What a speaker said will happen ("said on Saturday that talks would follow") is planned
    from the day it was said (not only from publication), and is not dated by the time of the
    saying."""
    for event in events:
        said = event.fields.get("_said_in")
        if said is None:
            continue
        time, when = event.fields["time"], said.fields["time"]
        day = when.get("value")
        if not isinstance(day, date) or when.get("precision") != "day":
            continue
        if "text" in time and time.get("text") == when.get("text") and time.get("value") == day:
            event.fields["time"] = {"earliest": day, "precision": "day", "anchor": when["anchor"]}
        elif ("text" not in time or "latest" in time and time.get("earliest") == when.get("anchor")) \
                and day < time.get("earliest", day):
            event.fields["time"] = {**time, "earliest": day}  # "said on April 14 ... would leave by September 11"


def _speakers(event: Record) -> list[str]:
    """Who speaks in a statement or an announcement."""
    roles = event.fields["roles"]
    return list(roles.get("speaker", [])) + list(roles.get("announcer", []))


# -- sentences and clauses --------------------------------------------------------------------


# "between X" right before an "and": the first of a pair, not the end of a clause.
_BETWEEN_PAIR = re.compile(r"\bbetween\s+(?:the\s+)?(?:[\w’'-]+\s+){0,3}?[\w’'-]+\s*$", re.IGNORECASE)


def clauses(body: str, sentence: Span) -> list[Span]:
    """The clauses of a sentence, split at conjunctions, subordinators and semicolons."""
    pieces: list[Span] = []
    start = sentence.start
    for cut in _CLAUSE_BREAK.finditer(body, sentence.start, sentence.end):
        if cut.group(0).strip() == "and" and _BETWEEN_PAIR.search(body, start, cut.start()):
            continue  # "Negotiations between the Taliban and the government will begin": one pair
        if cut.start() > start:
            piece = span(body, start, cut.start())
            if piece.text:
                pieces.append(piece)
        start = cut.end() if cut.group(0).strip() in {";", ":", "—", "–", "-"} else cut.start()
        start = max(start, cut.start())
    piece = span(body, start, sentence.end)
    if piece.text:
        pieces.append(piece)
    joined: list[Span] = []
    for piece in pieces:  # "urged the Taliban | to prolong ...": what is asked belongs to the asking
        if joined and piece.text.startswith("to ") and _ASKING.search(joined[-1].text):
            joined[-1] = span(body, joined[-1].start, piece.end)
        else:
            joined.append(piece)
    return [p for p in joined if any(ch.isalpha() for ch in p.text)]


# A condition after the main clause ("peace will come only once X stopped ... and entered ..."):
# what follows it, up to the end of the sentence, is only possible.
_TRAILING_CONDITION = re.compile(r"\b(?:only\s+(?:when|once|if|after)|unless|once|provided\s+that|as\s+long\s+as|"
                                 r"as\s+soon\s+as)\b", re.IGNORECASE)


def _said_also_by(ctx: Context, statement: Record, speakers: list[str]) -> list[Record]:
    """The same statement once more for each further collective that made it ("Afghan and American
    officials said ...": one statement per collective, as the guidelines ask)."""
    copies = []
    for speaker in speakers:
        fields = {**statement.fields, "roles": {**statement.fields["roles"], "speaker": [speaker]},
                  "time": dict(statement.fields["time"])}
        said = fields.get("content") or fields.get("quote") or ""
        fields["label"] = _one_line(f"{ctx.actors[speaker].label}: {said}")
        copies.append(Record("events", fields, list(statement.evidence), statement.confidence,
                             f"{speaker}-statement", statement.anchor))
    return copies


# Where a second saying with a subject of its own may begin: "The insurgents denied ..., and two
# days later Khalilzad said ...".
_SECOND_SAYING = re.compile(r"(?:,\s+(?:and|but|while|whereas)|;)\s+", re.IGNORECASE)
_SUBJECT_REACH = 60  # characters from the break to the second speech verb


def _sayings(ctx: Context, sentence: Span) -> list[Span]:
    """A sentence that reports two sayings by different speakers, as its two parts; else itself.

    The second part begins at a break (``, and``, ``; `` ...) followed, within a short reach, by a
    named speaker and a speech verb; the first part must report a saying of another speaker."""
    body = ctx.body
    for cut in _SECOND_SAYING.finditer(body, sentence.start, sentence.end):
        verb = _SPEECH.search(body, cut.end(), min(sentence.end, cut.end() + _SUBJECT_REACH))
        first = _SPEECH.search(body, sentence.start, cut.start())
        if verb is None or first is None or _quote_around(ctx, cut.start()):
            continue
        second_speakers = _ids(_mentions(ctx, cut.end(), verb.start()))
        first_speakers = _ids(_mentions(ctx, sentence.start, first.start()))
        if second_speakers and first_speakers and not set(second_speakers) & set(first_speakers):
            return [span(body, sentence.start, cut.start()), span(body, cut.end(), sentence.end)]
    return [sentence]


def _quote_around(ctx: Context, offset: int) -> bool:
    return any(q.start <= offset < q.end for q in ctx.quotes)


def _sentence_facts(ctx: Context, sentence: Span, out: Findings, last_person: list[str]) -> None:
    condition = _TRAILING_CONDITION.search(ctx.body, sentence.start + 4, sentence.end)
    ctx.condition_from = condition.start() if condition else None
    statement = _statement(ctx, sentence, last_person)
    frame = (statement.anchor, statement.fields.pop("_frame_end")) if statement else None
    if statement:
        ctx.last_statement = statement
        out.events.append(statement)
        out.events.extend(_said_also_by(ctx, statement, statement.fields.pop("_also_said_by")))
        _remember(ctx, _speakers(statement), last_person)
    state = _ClauseState(frame=frame, last_person=last_person, speakers=_speakers(statement) if statement else [])
    if statement and "text" in statement.fields["time"]:  # what the speaker did, was done when said
        state.time = statement.fields["time"]
    opening = _opening_time(ctx, sentence)
    if state.time is None and opening is not None and ctx.body.startswith(",", opening.end) and \
            any(getattr(opening, k) for k in ("value", "begin", "end_value", "earliest", "latest")):
        # "On Thursday, while the talks went on, the Taliban appointed ...": the opening time
        # dates the sentence's events
        state.time = {k: _date(v) for k, v in opening.as_annotation().items()}
    if state.time is None and ctx.last_time is not None and _SAME_TIME.match(sentence.text):
        state.time = ctx.last_time  # "At the same hour, ...": when the news before happened
    sentence_events: list[Record] = []
    for clause in clauses(ctx.body, sentence):
        found = _clause_events(ctx, clause, sentence, state)
        if not found and sentence_events:
            _dated_by_its_end(ctx, sentence_events[-1], clause)
        sentence_events.extend(found)
    out.events.extend(sentence_events)
    if statement and frame:
        _announced_decision(ctx, statement, frame, sentence, sentence_events)
    ctx.last_time = next((e.fields["time"] for e in reversed(sentence_events) if "text" in e.fields["time"]
                          and e.fields["status"] == "occurred"), ctx.last_time)
    for record in sentence_events if frame else ():
        if record.anchor >= frame[1] and record.fields["status"] in ("planned", "proposed"):
            record.fields["_said_in"] = statement
    if statement:  # the speaker is who "he" means in the next sentence
        _remember(ctx, _speakers(statement), last_person)
    elif not sentence_events:  # "Ghani sought to calm Afghans ... He said ...": the subject is who "he" is
        subject = [m for m in _mentions(ctx, sentence.start, sentence.end) if not _governed(ctx.body, sentence.start, m)]
        _remember(ctx, [m.actor for m in subject[:1]], last_person)
    _quantities(ctx, sentence, out)
    cited = _ACCORDING_TO.search(ctx.body, sentence.start, sentence.end)
    if not ctx.sources and cited:  # "killing 16 people, according to the interior ministry"
        ctx.sources = [m.actor for m in _mentions(ctx, cited.end(), sentence.end)
                       if _SOURCE_GAP.fullmatch(ctx.body, cited.end(), m.start)][:1]
    if ctx.sources:
        for record in sentence_events + out.quantities:
            if sentence.start <= record.anchor < sentence.end:
                record.fields.setdefault("according_to", list(ctx.sources))
        ctx.sources = []
    _preconditions(ctx, sentence, statement, frame, sentence_events, out)


# "according to (the) X": X is the source of the sentence's facts.
_ACCORDING_TO = re.compile(r"\baccording\s+to\b", re.IGNORECASE)
_SOURCE_GAP = re.compile(r"\s*(?:the\s+)?(?:[\w-]+\s+){0,3}?")

# A sentence that happens when the one before did ("In return, the government released ...": the
# other half of a swap).
_SAME_TIME = re.compile(r"(?:at|on|in)\s+(?:(?:almost|about|roughly|nearly|much)\s+)?the\s+same\s+"
                        r"(?:time|hour|moment|day)\b|simultaneously\b|in\s+(?:return|exchange)\s*,", re.IGNORECASE)


# A clause that goes on with when the subject's last event began or ended: "... and ended on Saturday".
_BOUND_OF_THE_LAST = re.compile(r"\W*and\s+(?:then\s+)?(?:began|started|opened|ended|concluded|closed|finished)\s+"
                                r"(?:on|in|late|early)\s", re.IGNORECASE)


def _dated_by_its_end(ctx: Context, record: Record, clause: Span) -> None:
    """An undated lasting event is dated by a clause that only says when it began or ended ("The
    round of talks ran for six days and ended on Saturday": 21 to 26 January)."""
    fields = record.fields
    if fields["type"] not in _LASTING or fields["status"] != "occurred" or "text" in fields["time"] \
            or not _BOUND_OF_THE_LAST.match(clause.text):
        return
    time = _time(ctx, clause.start, clause.end, "occurred", near=clause.start)
    if "text" in time and ("begin" in time or "end" in time):
        fields["time"] = _ended(time, fields["duration"]) if "duration" in fields else time


@dataclass
class _ClauseState:
    """What the clauses of one sentence share: the statement frame ("X said") whose mentions are
    not participants, the subject of the clause before, and the last person who acted."""

    frame: tuple[int, int] | None
    last_person: list[str]
    subject: list[str] = field(default_factory=list)
    time: dict[str, Any] | None = None  # the explicit time of an earlier clause's occurred event
    speakers: list[str] = field(default_factory=list)  # who said what the frame opens
    objects: list[str] = field(default_factory=list)  # the objects of the clause before ("them")


# Who the news is from ("citing an official", "according to the Taliban"): no participant.
_SOURCE = re.compile(r"\b(?:citing|quoting|according to)\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
# "by" before a name and its titles: the agent of a passive or of an event noun.
_AGENT = re.compile(r"\bby\s+(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,3}$")
# A passive before a verb trigger: "was turned down", "had been attacked".
_PASSIVE = re.compile(r"\b(?:was|were|been|being|be|is|are)\s+(?:\w+\s+)?$", re.IGNORECASE)
# A preposition before a name and its titles ("with Afghan President Ashraf Ghani").
_OBJECT_OF = re.compile(r"\b(?:with|to|against|for|of|from|on|at|about)\s+(?:[A-Z][\w.-]*\s+){0,3}$")


def _nearest_person(ctx: Context, pronoun: int, sentence: Span) -> str | None:
    """Who "he" or "she" in the middle of a sentence means: the person named last before it in
    the same sentence ("a visit by Khalilzad, during which he met ..."), not as a possessor nor
    as the object of a preposition ("met with Ghani")."""
    people = [m for m in _mentions(ctx, sentence.start, pronoun)
              if ctx.actors.get(m.actor, Actor("", "")).type == "Person"
              and ctx.body[m.end:m.end + 2] not in ("’s", "'s")
              and not _OBJECT_OF.search(ctx.body, max(sentence.start, m.start - 40), m.start)]
    return people[-1].actor if people else None


def _speaking_group(ctx: Context, frame: tuple[int, int] | None, at: int) -> list[str]:
    """The speaker of the statement whose words begin before ``at``, when it is not a person
    (a group, whom "they" or "it would" in its words means), else nothing."""
    said = ctx.last_statement
    if frame is None or at < frame[1] or said is None or said.anchor != frame[0]:
        return []
    speakers = _speakers(said)
    return [] if any(ctx.actors.get(a, Actor("", "")).type == "Person" for a in speakers) else list(speakers)


def _remember(ctx: Context, actors: list[str], last_person: list[str]) -> None:
    people = [a for a in actors if ctx.actors.get(a, Actor("", "")).type == "Person"]
    if people:
        last_person[:] = people[:1]


def _mentions(ctx: Context, start: int, end: int) -> list[Any]:
    return ctx.mention_spans.within(start, end)


def _ids(mentions: list[Any]) -> list[str]:
    ids: list[str] = []
    for m in mentions:
        if m.actor not in ids:
            ids.append(m.actor)
    return ids


# -- statements -------------------------------------------------------------------------------


def _statement(ctx: Context, sentence: Span, last_person: list[str]) -> Record | None:
    body = ctx.body
    quote = next((q for q in ctx.quotes if sentence.start <= q.start < sentence.end), None)
    if quote is not None and quote.attribution is not None:
        verb_end = quote.attribution.end
        speakers = _speaker(ctx, _mentions(ctx, quote.attribution.start, quote.attribution.end))
        pronoun = not speakers and bool(re.match(r"(he|she)\b", quote.attribution.text, re.IGNORECASE))
        if pronoun:
            speakers = list(last_person)
        if not speakers:
            return None
        evidence = [Span(quote.start, quote.end, quote.text), quote.attribution]
        window = body[min(quote.attribution.start, quote.start, sentence.start):
                      max(quote.attribution.end, quote.end, sentence.end)]
        record = _statement_record(ctx, speakers[0], evidence, quote.attribution, window,
                                   {"quote": quote.text}, sentence, verb_end, 0.7, quote_start=quote.start)
        record.fields["_pronoun"] = pronoun
        record.fields["_also_said_by"] = speakers[1:]
        return record
    if quote is not None and not _SPEECH.search(body, sentence.start, quote.start):
        return None  # an unattributed quote: who said it is not known here ("X called it “...”" is known)
    for verb in _SPEECH.finditer(body, sentence.start, sentence.end):
        before = body[sentence.start:verb.start()]
        if verb.group(0) in _NOT_STATEMENTS or _CLAIMED.match(body, verb.end()) or _ASIDE.search(before):
            continue
        cut = max(before.rfind(" that "), before.rfind(";"), before.rfind(": "), _new_subject(ctx, sentence, before))
        segment_start = sentence.start + (cut + 1 if cut >= 0 else 0)
        comma = before.rfind(", ")
        near = _mentions(ctx, sentence.start + comma + 2, verb.start()) if comma > cut else []
        # "X met Y, after which he said": he is the person named before in the sentence, if any
        nearest = _nearest_person(ctx, verb.start(), sentence) \
            if comma > cut and _PRONOUN_SAYS.fullmatch(before[comma + 1:]) else None
        if not (comma > cut and (nearest or re.fullmatch(r"\s*(?:he|she)\s*", before[comma + 1:], re.IGNORECASE))):
            # "Washington would wait, he said, ...", "X met Y, after which he said ...": the actors
            # before the comma are what was said, or what was done first
            near = near or _mentions(ctx, segment_start, verb.start())
        goes_on = comma > cut and bool(re.fullmatch(r"\s*and\s+(?:also\s+)?", before[comma + 1:]))
        if goes_on:  # "He pointed to ..., and accused ...": the subject goes on; what it did first is no saying.
            # Its subject opens what was said or the sentence (not an "and" inside the first clause).
            segment_start = sentence.start + max(before.rfind(" that "), before.rfind(";"), before.rfind(": ")) + 1
            near = _opening_subject(ctx, segment_start, sentence.start + comma)
        speakers = _speaker(ctx, near)
        pronoun = not speakers and bool(_PRONOUN.search(before)
                                        or goes_on and _OPENING_PRONOUN.match(body, segment_start))
        if pronoun:
            speakers = [nearest] if nearest else list(last_person)
        if not speakers:
            continue
        complement = span(body, verb.end(), sentence.end)
        if _is_collective(ctx, speakers[0]) and (verb.group(0) in ("say", "says") or len(complement.text) < 3
                        or body.startswith(",", verb.end())  # "..., a provincial official said, and ..."
                        or _ANONYMOUS.search(body, sentence.start, verb.start())):
            # "Sources say ...", "..., officials said.", "..., an official said, and ...",
            # "officials, speaking on condition of anonymity, said ...": whom the facts are
            # from, not a statement of theirs
            ctx.sources = speakers
            return None
        if NEGATED.search(body[max(sentence.start, verb.start() - 12):verb.start()]):
            continue  # "have not confirmed"
        frame_start = min([m.start for m in near if m.actor == speakers[0]] or [verb.start()])
        if goes_on:
            frame_start = verb.start()
        if verb.group(0) == "saying":  # "The Taliban rejected it, saying ...": the rejecting is no saying
            frame_start = verb.start()
        if len(complement.text) < 12 and frame_start > sentence.start:
            content = span(body, sentence.start, frame_start).text.rstrip(" ,")
        else:
            content = re.sub(r"^(?:on \w+|in a statement|on Twitter|,)?\s*(?:that\s+)?", "", complement.text)
        content = content.strip(" ,.") or sentence.text
        evidence = [span(body, frame_start, sentence.end) if frame_start > sentence.start and complement.text
                    and len(complement.text) >= 12 else sentence]
        said = {"content": _sentence_case(content)}
        if quote is not None and quote.start > verb.start():  # "called the discussions “very satisfactory”"
            said["quote"] = quote.text
        record = _statement_record(ctx, speakers[0], evidence, Span(frame_start, verb.end(), body[frame_start:verb.end()]),
                                   sentence.text, said, sentence, verb.end(), 0.6,
                                   time_from=segment_start if goes_on else None)
        record.fields["_pronoun"] = pronoun
        record.fields["_also_said_by"] = speakers[1:]
        return record
    return None


# "he" or "she" opening the clause of a speech verb after a comma: ", he said", ", after which she said".
_PRONOUN_SAYS = re.compile(r"\s*(?:(?:after|before|when|while|as|and|but)\s+(?:which\s+|then\s+)?)?(?:he|she)\s*",
                           re.IGNORECASE)
_OPENING_PRONOUN = re.compile(r"\s*(?:he|she)\s", re.IGNORECASE)


def _opening_subject(ctx: Context, start: int, end: int) -> list[Any]:
    """The mentions that open ``start..end`` as its subject, after at most an opening phrase set
    off by a comma ("On Tuesday, Ghani ..."); none when the span opens otherwise."""
    line = dateline(ctx.body) if start == 0 else None
    start = max(start, line.end()) if line else start  # "KABUL (Reuters) — Trump visited ..."
    found = _mentions(ctx, start, end)
    lead = re.match(r"\s*(?:[^,]{0,30},\s*)?(?:the\s+)?", ctx.body[start:end], re.IGNORECASE)
    if not found or found[0].start > start + lead.end():
        return []
    return [m for m in found if m.start == found[0].start]


# What a speaker's own side will do or is doing: "it would support ...", "the remaining US troops
# would be gone by ...", "the government is cutting ..." (not "would be able to", "is ready to").
_DECISION = re.compile(r"(?:[\w’',-]+\s+){0,8}?(?:would|will|(?:is|are)\s+(?:now\s+)?[a-z]+ing\b)"
                       r"(?!\s+(?:be\s+)?(?:able|willing|ready|prepared|happy|likely)\b)")
_NEXT_SAID = re.compile(r",?\s+and\s+that\b|;|,\s+but\b")  # "... would leave, and that ..."
_SAID_OPENS = re.compile(r"\s*(?:(?:on|in|at)\s+(?:a\s+|an\s+|the\s+)?[\w’']+(?:\s+[\w’']+)?\s+)?(?:that\s+)?",
                         re.IGNORECASE)


def _announced_decision(ctx: Context, statement: Record, frame: tuple[int, int], sentence: Span,
                        events: list[Record]) -> None:
    """A statement that tells what the speaker's own side will do or is doing ("Washington said it
    would support peace talks", "Biden said the remaining US troops would leave by September 11",
    "officials said the government would free 100 prisoners") announces a decision: it becomes an
    announcement by the speaker. Not a refusal ("would not accept"), not a conditional position
    ("will join only if"), not what "he" will do (whom a spokesman's "he" means is not known), and
    only where the text names the act decided on."""
    body, (frame_start, verb_end) = ctx.body, frame
    if "quote" in statement.fields and "content" not in statement.fields:
        return
    said_start, said_end = verb_end, sentence.end
    if len(body[verb_end:sentence.end].strip(" ,.")) < 12 and frame_start > sentence.start:
        said_start, said_end = sentence.start, frame_start  # "..., Pompeo said on Monday."
    that = body.find(" that ", said_start, min(said_end, said_start + 60))  # "said in an address to the nation that"
    said_start = that + 6 if that >= 0 else _SAID_OPENS.match(body, said_start, said_end).end()
    decision = _DECISION.match(body, said_start, said_end)
    if decision is None or NEGATED.search(body, decision.end(), min(said_end, decision.end() + 8)):
        return
    next_said = _NEXT_SAID.search(body, decision.end(), said_end)
    decided_end = next_said.start() if next_said else said_end
    if _CONDITION_CUE.search(body, decision.end(), decided_end) or not any(
            said_start <= e.anchor < decided_end and _names_an_act(e) for e in events):
        return  # a condition set ("will join the talks only if ...") is a position, not a decision
    speaker = _speakers(statement)[0]
    subject = _mentions(ctx, said_start, decision.end())[:1]
    if subject and re.fullmatch(r"(?:the\s+)?(?:[\w-]+\s+)?", body[said_start:subject[0].start], re.IGNORECASE):
        own = _own_side(ctx, speaker, subject[0].actor)
    else:  # "Washington said it would ..."
        own = ctx.actors[speaker].type != "Person" and bool(re.match(r"(?:it|they)\b", body[said_start:said_end]))
    if own:
        statement.fields["type"] = "announcement"
        statement.fields["roles"] = {"announcer": [speaker]}


def _names_an_act(event: Record) -> bool:
    """Whether an event is an act of its own, not a saying about one: a trigger's commitment (a
    release to come) is; a bare "would ..." read as a commitment is not."""
    return event.fields["type"] not in ACT_TYPES | {"statement"} or (
        event.fields["type"] == "commitment" and not event.fields.get("_pledge"))


def _own_side(ctx: Context, speaker: str, actor: str) -> bool:
    """Whether ``actor`` is the speaker, the organisation the speaker belongs to or holds a post
    in, or a part of it (its forces)."""
    info = ctx.actors.get(speaker)
    sides = {speaker, *ctx.affiliations.get(speaker, ()), *((info.member_of, info.part_of) if info else ())}
    other = ctx.actors.get(actor)
    return actor in sides or (other is not None and bool({other.part_of, other.member_of} & sides - {None}))


_ANONYMOUS = re.compile(r"\b(?:on\s+condition\s+of\s+anonymity|(?:asked|declined)\s+not\s+to\s+be\s+"
                        r"(?:named|identified)|declined\s+to\s+be\s+(?:named|identified)"
                        r"|not\s+authori[sz]ed\s+to\s+(?:speak|talk))\b", re.IGNORECASE)


def _new_subject(ctx: Context, sentence: Span, before: str) -> int:
    """Where in ``before`` (the sentence up to a speech verb) an "and" opens a clause with a
    subject of its own ("the US has 13,000 troops | and American officials have indicated"), or
    -1; not in a coordinated subject ("Khalilzad and Ghani said")."""
    for joint in reversed(list(re.finditer(r",? and ", before))):
        at = sentence.start + joint.start()
        if any(m.end == at for m in _mentions(ctx, max(sentence.start, at - 80), at)) \
                and not _FINITE.search(before, _phrase_start(before, joint.start()), joint.start()):
            # an actor just before the "and", and no verb before it in its phrase: one subject of
            # two ("Khalilzad and Ghani said", "The talks will resume, US and Afghan officials said")
            return -1
        if _mentions(ctx, sentence.start + joint.end(), sentence.start + len(before)):
            return joint.end() - 1
    return -1


def _phrase_start(text: str, end: int) -> int:
    """Where the phrase that ends at ``end`` begins: after the last comma, "that", "which" or "who"."""
    found = [(at, len(cue)) for cue in (", ", " that ", " which ", " who ") if (at := text.rfind(cue, 0, end)) >= 0]
    return max((at + length - 1 for at, length in found), default=0)


# A finite verb or auxiliary, as far as a word shows it (lower case: "United" is none).
_FINITE = re.compile(r"\b(?:has|have|had|is|are|was|were|will|would|did|does|do|[a-z]+ed)\b")


# Speech verbs whose object is what they are about, not what was said ("thanked Qatar", "praised
# the deal"): the rest of their clause tells of the saying itself.
_ABOUT_VERBS = frozenset({"thanked", "thanks", "praised", "praises", "criticised", "criticized", "criticises",
                          "criticizes", "welcomed", "welcomes", "condemned", "condemns", "described", "describes",
                          "called", "accused", "accuses", "blamed", "blames", "hailed", "hails"})


# "The Taliban, who say the deal obliges ..., reacted": a speech verb in a relative clause is
# background, not a statement of the news
_ASIDE = re.compile(r"(?:,|—)\s*(?:who|which)\s+(?:[\w’'-]+\s+){0,3}$", re.IGNORECASE)
# "said it had carried out the bombing": a claim of responsibility, not a statement
_CLAIMED = re.compile(r"\s+(?:that\s+)?(?:it|they)\s+(?:had\s+|has\s+|have\s+)?(?:carried\s+out|was\s+behind|"
                      r"were\s+behind)\b")
_NOT_STATEMENTS = frozenset({"announced", "announces", "declared", "declares", "asked", "asks", "insisted",
                             "insists"})


def _speaker(ctx: Context, near: list[Any]) -> list[str]:
    """The speaker among the mentions before a speech verb: the first person named (not as a
    possessor, "Trump's announcement"), else the first actor."""
    near = [m for m in near if not _governed(ctx.body, 0, m)  # nor "With Karzai at his side, Stanekzai said"
            and not re.search(r"\bwith\s+$", ctx.body[max(0, m.start - 6):m.start], re.IGNORECASE)] or near
    for mention in near:
        info = ctx.actors.get(mention.actor)
        if info is not None and info.type == "Person" and ctx.body[mention.end:mention.end + 2] not in ("’s", "'s"):
            return [mention.actor]
    if not near:
        return []
    group = near[:1]  # "Afghan and American officials": each collective speaks
    for mention in near[1:]:
        if not all(_is_collective(ctx, m.actor) for m in (group[-1], mention)) \
                or not re.fullmatch(r",?\s*(?:and\s+)?", ctx.body[group[-1].end:mention.start]):
            break
        group.append(mention)
    return _ids(group)


def _statement_record(ctx: Context, speaker: str, evidence: list[Span], frame: Span, window: str,
                      said: dict[str, str], sentence: Span, verb_end: int, confidence: float,
                      *, quote_start: int | None = None, time_from: int | None = None) -> Record:
    fields: dict[str, Any] = {"type": "statement", "label": "", "status": "occurred",
                              "roles": {"speaker": [speaker]}}
    channel = next((name for name, pattern in _CHANNELS if pattern.search(window)), "unspecified")
    outlet = _outlet(ctx, frame, sentence)
    if outlet is not None:
        fields["to_outlet"] = outlet
        if channel == "unspecified":
            wire = ctx.actors[outlet].type == "WireService"
            channel = "wire-service-interview" if wire else "newspaper-interview"
    fields["channel"] = channel
    addressee = _told(ctx, verb_end)
    if addressee is not None and addressee not in (speaker, outlet):
        fields["roles"]["addressee"] = [addressee]
    fields.update(said)
    # the time of the saying: before the speech verb or just after it ("said on Sunday that"); after
    # a quote the rest of the sentence tells of the saying ("..., X said at the ceremony on Saturday")
    that = ctx.body.find(" that ", verb_end, sentence.end)
    verb = ctx.body[frame.start:verb_end].split()[-1] if ctx.body[frame.start:verb_end].split() else ""
    if quote_start is not None:
        window_end = quote_start if quote_start >= verb_end else sentence.end
    elif verb.lower() in _ABOUT_VERBS:  # "praised the negotiators on Monday": all of it is the saying
        window_end = sentence.end
    else:
        window_end = that if 0 <= that < verb_end + 60 else min(verb_end + 25, sentence.end)
    # before the speaker, only a time of the phrase that opens the sentence ("On Sunday, X said",
    # "In a string of tweets that day he revealed ...": no verb before the speaker)
    opening = _opening_time(ctx, sentence)
    before = ctx.time_spans.within(sentence.start, frame.start)
    if opening is None and before and not _FINITE.search(ctx.body, sentence.start, frame.start):
        opening = before[-1]
    window_start = opening.start if opening is not None and opening.end <= frame.start else frame.start
    if time_from is not None and not any(_possessive(ctx, m)  # not "Thursday's bombing"
                                         for m in ctx.time_spans.within(time_from, frame.start)):
        window_start = min(window_start, time_from)  # "X visited Bagram on Thursday, and told reporters": that day
    fields["time"] = _as_point(_time(ctx, window_start, window_end, "occurred", near=verb_end))
    label_text = said.get("content") or said.get("quote") or ""
    fields["label"] = _one_line(f"{ctx.actors[speaker].label}: {label_text}")
    fields["_frame_end"] = verb_end
    perfect = re.search(r"\b(?:has|have|had)\s+(?:\w+\s+)?$", ctx.body[max(0, frame.start - 40):verb_end - len(verb)])
    # "has long said": a standing position, not the news of a day
    fields["_past"] = (verb.endswith("ed") or verb in ("said", "told", "wrote")) and not perfect
    return Record("events", fields, evidence, confidence, f"{speaker}-statement", frame.start)


def _told(ctx: Context, verb_end: int) -> str | None:
    """Whom a saying is addressed to: the actor named right after "told", "urged" or "assured"
    ("told delegates that", "urged the Taliban to"), unless it is a news outlet."""
    if not re.search(r"\b(?:told|tells|tell|urged|urges|assured|assures)$", ctx.body[max(0, verb_end - 8):verb_end]):
        return None
    addressed = next(iter(_mentions(ctx, verb_end, verb_end + 60)), None)
    if addressed is None or not re.fullmatch(r"\s+(?:the\s+)?", ctx.body[verb_end:addressed.start]):
        return None
    return None if _is_outlet(ctx, addressed.actor) else addressed.actor


def _opening_time(ctx: Context, sentence: Span) -> Any:
    """The time mention of the phrase a sentence opens with, up to its first comma ("On Thursday,
    ...", "In messages on Twitter that night, ..."), or None."""
    comma = ctx.body.find(",", sentence.start, min(sentence.end, sentence.start + 60))
    opening = ctx.time_spans.starting(sentence.start, max(sentence.start + 3, comma))
    return next((t for t in opening if t.start <= sentence.start + 3 or (comma >= 0 and t.end <= comma)), None)


def _outlet(ctx: Context, frame: Span, sentence: Span) -> str | None:
    after = ctx.body[frame.end - 6:min(sentence.end, frame.end + 40)]
    if "told" not in ctx.body[frame.start:frame.end + 1] and "told" not in after[:10]:
        return None
    return next((m.actor for m in _mentions(ctx, frame.start, min(sentence.end, frame.end + 40))
                 if _is_outlet(ctx, m.actor)), None)


# -- events of a clause -----------------------------------------------------------------------


@dataclass
class _Hit:
    type: str
    start: int
    end: int
    verb: bool
    stage: str | None


def _hits(ctx: Context, clause: Span, frame: tuple[int, int] | None) -> list[_Hit]:
    """The triggers in a clause (outside the statement frame); of overlapping ones the longest wins
    ("called the talks off" over "talks")."""
    found = [(trigger, match) for trigger in TRIGGERS
             for match in trigger.pattern.finditer(ctx.body, clause.start, clause.end)]
    found.sort(key=lambda tm: (-(tm[1].end() - tm[1].start()), TRIGGERS.index(tm[0])))
    hits: list[_Hit] = []
    taken: list[tuple[int, int]] = []
    for trigger, match in found:
        s, e = match.start(), match.end()
        if frame and frame[0] <= s < frame[1]:
            continue
        if any(s < te and ts < e for ts, te in taken):
            continue
        if trigger.type in ACT_TYPES and re.search(r"\b(?:the|a|an|its|their|his|her)\s+$",
                                                   ctx.body[max(0, s - 8):s]) and match.group(0).endswith("ed"):
            continue  # an adjective: "the stalled process"
        taken.append((s, e))
        hits.append(_Hit(trigger.type, s, e, trigger.verb or _verbal(ctx.body, s, e), trigger.stage))
    hits.sort(key=lambda h: h.start)
    # "a bombing that killed ...": the killing is the toll of the attack named before it
    return [h for i, h in enumerate(hits) if not (ctx.body.startswith("kill", h.start) and any(
        o.type in _VIOLENT for o in hits[:i]))]


# What an actor will do, or stands ready to do, where no trigger names the act: "the Afghan army
# would guard the base", "the United States would keep supporting ...", "the government was
# ready to sit down with ...".
_WILL_DO = re.compile(r"\s+(?:would|will|(?:is|are|was|were)\s+(?:expected\s+|set\s+|(?P<ready>ready|prepared)\s+)to)"
                      r"\s+(?!(?:not|never|be|have|say|tell|need|want|like|seem)\b)[a-z]{3,}\b")
_CLAUSE_OPENING = re.compile(r"[\s,]*(?:(?:and|but)\s+)?(?:that\s+)?", re.IGNORECASE)


def _pledge(ctx: Context, clause: Span, frame: tuple[int, int] | None) -> list[Record]:
    """A commitment of the actor that opens a clause without event triggers (or what a speaker
    said in it: "said that X would ...", "X would ..., he said"), to what the clause says it will
    do (planned) or is ready to do (made)."""
    opens = frame[1] if frame and frame[0] <= clause.start < frame[1] else clause.start
    opens += len(_CLAUSE_OPENING.match(ctx.body, opens).group(0))
    the = re.match(r"the\s+", ctx.body[opens:opens + 4], re.IGNORECASE)
    at = ctx.mention_spans.starting(opens, opens + (the.end() if the else 0))
    subject = [m for m in at if (m.start, m.end) == (at[0].start, at[0].end)]  # "both sides": two
    pledge = _WILL_DO.match(ctx.body, subject[0].end, clause.end) if subject else None
    if pledge is None:
        return []
    status = "occurred" if pledge.group("ready") else "planned"
    hit = _Hit("commitment", pledge.start(), pledge.end(), True, None)
    record = _event(ctx, hit, clause, subject[0].start, [m.actor for m in subject], [], None, status=status)
    if record is None:
        return []
    record.fields["_pledge"] = True
    return [record]


_VIOLENT = frozenset({"attack", "bombing", "airstrike"})
_PAST_FORMS = frozenset({"met", "struck", "held", "began", "withdrew", "left", "broke", "took", "fought", "stood"})
_AUXILIARY = re.compile(r"\b(?:(?:will|would|could|may|might|should|must|can|shall|did|not)\s+(?:\w+\s+)?|to\s+)$",
                        re.IGNORECASE)


def _verbal(body: str, start: int, end: int) -> bool:
    """Whether a trigger word is used as a verb: a past form, or a base form after a modal or "to"."""
    word = body[start:end].split()[0].lower()
    if word in _PAST_FORMS or (word.endswith("ed") and word not in ("speed", "need", "seed")):
        return True
    if word.endswith(("s", "al", "ion", "ment", "ing")):
        return False
    return bool(_AUXILIARY.search(body[max(0, start - 25):start]))


def _clause_events(ctx: Context, clause: Span, sentence: Span, state: _ClauseState) -> list[Record]:
    body, frame = ctx.body, state.frame
    hits = _hits(ctx, clause, frame)
    if re.match(r"\W*(?:which|that)\b", clause.text):  # "..., which killed ...": the toll of the antecedent
        hits = [h for h in hits if not body.startswith("kill", h.start)]
    if not hits:
        dated = [m for m in ctx.time_spans.within(clause.start, clause.end) if m.value]
        if dated and state.time is None:  # "On March 6 he escaped unhurt | when gunmen attacked ...": then
            state.time = {k: _date(v) for k, v in dated[0].as_annotation().items()}
        # "The Taliban freed 20 soldiers | and released ...": the subject acts in the next verb too;
        # after "X said", the subject of what was said ("Pompeo said the US was prepared | to sign")
        said = frame is not None and clause.start <= frame[1] <= clause.end
        opens = frame[1] if said else clause.start
        lead = _mentions(ctx, opens, clause.end)[:1]
        if (said or clause.start == sentence.start) and lead and re.fullmatch(
                r"\s*(?:that\s+)?(?:the\s+)?", body[opens:lead[0].start], re.IGNORECASE):
            state.subject = [lead[0].actor]
        elif clause.start == sentence.start and re.match(r"\s*(?:He|She)\b", clause.text) and state.last_person:
            state.subject = list(state.last_person)  # "He saw each man separately | and also met ..."
        return _pledge(ctx, clause, frame)
    if frame and clause.start < frame[0] < clause.end and all(h.end <= frame[0] for h in hits):
        # "X and Y have settled the rules, both sides said on Wednesday": the frame after what was
        # said, and its time, belong to the saying
        what_was_said = re.sub(r"(?:,\s*(?:he|she|they)\s*)?[\s,]*$", "", body[clause.start:frame[0]],
                               flags=re.IGNORECASE)
        clause = span(body, clause.start, clause.start + len(what_was_said))
    start = clause.start
    if frame and frame[0] <= start < frame[1]:
        start = frame[1]
    if frame and clause.start < frame[0] < clause.end and all(h.start >= frame[1] for h in hits):
        start = frame[1]
    if frame and start == frame[1]:  # "said on Sunday in an interview that ...": the saying's words
        that = body.find(" that ", start, min(clause.end, start + 60))
        if that >= 0 and all(h.start > that for h in hits):
            start = that + 1
    mentions = [m for m in _mentions(ctx, start, clause.end) if not (frame and frame[0] <= m.start < frame[1])
                and not _is_outlet(ctx, m.actor)
                and not _SOURCE.search(body, max(start, m.start - 40), m.start)
                and m.actor not in ctx.sources]  # "..., two senior Taliban sources said": whom it is from
    acts = [h for h in hits if h.type in ACT_TYPES]
    contents = [h for h in hits if h.type not in ACT_TYPES]
    act = acts[0] if acts else None
    if act is not None and act.type != "rejection" and _negated(body, start, act.start):
        act = None
    # the most specific trigger that names an event of its own: a verb, or a dated noun
    verbs = any(h.verb for h in hits)
    standing = [h for h in contents if h.verb or (_has_anchor(ctx, clause, h)
                                                  and not (verbs and _reference(body, start, h)))]
    content = min(standing or contents, key=lambda h: PRIORITY.index(h.type)) if contents else None
    if content is not None and _BACK_REFERENCE.fullmatch(body, clause.start, content.start) \
            and _FOLLOWED.match(body, content.end):
        # "The resumption followed Trump's visit to Bagram": the event told before is the subject,
        # what it followed is the news
        later = [h for h in contents if h.start >= content.end]
        content = min(later, key=lambda h: PRIORITY.index(h.type)) if later else None
    if content is not None and content.type == "resumption":
        resumed = [h for h in contents if h.type in _VIOLENT and
                   re.fullmatch(r"\s+(?:(?:the|their|its|offensive|military)\s+)*", body[content.end:h.start])]
        if resumed:  # "resume (offensive) operations against the Taliban": the fighting is the event
            content = replace(resumed[0], verb=True)
    if content is not None and content.type == "attack" and content.verb:
        weapon = [h for h in contents if h.type in ("bombing", "airstrike") and h.end <= content.start]
        if weapon:  # "a truck bomb struck ...": the attack is a bombing
            content = replace(content, type=weapon[-1].type)
    chain = _chain(ctx, contents, content)
    if chain and act is None:
        content = chain[0]  # the list's subject and objects are those of its first noun
    anchor = act or content
    if anchor is None:
        return []
    # a mention the trigger begins inside ("American troops | would leave") is before it too
    before = [m for m in mentions if m.start < anchor.start and not _governed(body, start, m)]
    if anchor.type in _VIOLENT and not anchor.verb and not _SUFFERED.search(body, start, anchor.start) and \
            (reference := _REFERENCE.search(body, max(start, anchor.start - 40), anchor.start)):
        # "identified the soldier killed in Thursday's attack": who acts in the clause did not attack
        before = [m for m in before if m.start >= reference.start()]
    own_subject = _subject(body, before)
    if anchor.type == "prisoner-release" and own_subject \
            and re.match(r"(?:prisoners|detainees|captives|inmates)\b", body[anchor.start:anchor.end]):
        # "400 Taliban prisoners were freed": freed by the side that held them
        own_subject = [_ENEMY_OF.get(actor, actor) for actor in own_subject]
    if own_subject and re.match(r"\s*and\s", body[clause.start:clause.end]):
        own_subject = _coordinated_subject(ctx, clause.start, sentence) + own_subject
    paired = _PRONOUN_AND.search(body, start, before[-1].start) if before else None
    if paired and own_subject:  # "he and President Ashraf Ghani met Biden"
        person = _nearest_person(ctx, paired.start(), sentence) or next(iter(state.last_person), None)
        own_subject = ([person] if person and person not in own_subject else []) + own_subject
    prefix = body[start:anchor.start]
    interrupted = _INTERRUPTION.match(prefix)
    if interrupted:  # "Abdullah, who heads the council, met ...": Abdullah, not what the relative clause names
        antecedent = [m for m in _mentions(ctx, sentence.start, clause.start) if not _governed(body, sentence.start, m)]
        own_subject = [antecedent[-1].actor] if antecedent else []
    if own_subject:
        state.subject = own_subject
        _remember(ctx, own_subject, state.last_person)
    elif interrupted:
        state.subject = []
    elif pronoun := re.search(r"\b(?:he|she)\b(?:\s+\w+){0,2}\s*$", prefix, re.IGNORECASE):
        at = start + pronoun.start()
        # "X said that he ... and that he ...": the speaker
        reported = frame is not None and at >= frame[1] and re.search(r"\bthat\s+$", ctx.body[at - 8:at])
        nearest = None if reported else _nearest_person(ctx, at, sentence)
        state.subject = own_subject = [nearest] if nearest else list(state.last_person)
    elif (they := _GROUP_PRONOUN.search(prefix)) and (group := _speaking_group(ctx, frame, start + they.start())):
        state.subject = own_subject = group  # "the Taliban said they would attend ...", "... said it would free"
    elif re.search(r"\b(?:they|it|we|i)\b(?:\s+\w+){0,2}\s*$", prefix, re.IGNORECASE):
        state.subject = []  # a pronoun this module does not resolve: better no participant than a wrong one
    # an outlet told something ("Mujahid told AFP it was too early to talk about ...") does not act in it
    inherited = own_subject or ([] if _SUBORDINATE.match(prefix)
                                else [a for a in state.subject if not _is_outlet(ctx, a)])
    if not own_subject and prefix.startswith("to ") and (wanted := _wanted(ctx, sentence, clause)):
        inherited = wanted  # "The Taliban want foreign forces | to leave": the forces leave
    if not own_subject and frame and clause.start >= frame[1] and _SPEAKER_GOES_ON.match(prefix):
        inherited = list(state.speakers)  # "X said ..., and called on all sides to ...": X calls
    clash = anchor.type == "attack" and body[anchor.start:anchor.end].lower().startswith("clash")
    allowed = ("with", "between") if clash else _OBJECT_PREPOSITIONS.get(anchor.type, ("with",))
    reach = body.find(" that ", anchor.end, clause.end)
    reach = reach if reach >= 0 and not body.startswith(" that kill", reach) else clause.end
    # a phrase in apposition to a date names no participant ("by September 11, the anniversary of the attacks")
    reach = min([t.end for t in ctx.time_spans.within(anchor.end, reach) if _DATE_APPOSITION.match(body, t.end)],
                default=reach)
    after = [m for m in mentions if anchor.end <= m.start < reach
             and (not _governed(body, anchor.end, m) or _preposition(body, anchor.end, m) in allowed)]
    # the agent after "by" ("a visit to Kabul by X", "was attacked by X") is the one who acts; a
    # passive's subject is then its object. An active verb's is not: "turned down an appeal by
    # Ghani" is Ghani's appeal
    agents = [m for m in after if _AGENT.search(body, max(anchor.end, m.start - 40), m.start)] \
        if not _verbal(body, anchor.start, anchor.end) or _PASSIVE.search(body, max(start, anchor.start - 25), anchor.start) \
        else []
    patient: list[str] = []
    if agents:
        patient = own_subject
        own_subject = inherited = _ids(agents)
        after = [m for m in after if m not in agents]
    elif anchor.type in _VIOLENT and (suffered := _SUFFERED.search(body, start, anchor.start)):
        # "X survived a bombing": X is the target; "died in the Taliban attack": the Taliban attacked
        attackers = _ids([m for m in mentions if suffered.start() <= m.start and m.end <= anchor.start])
        patient = _subject(body, [m for m in before if m.end <= suffered.start()]) if attackers else inherited
        own_subject = inherited = attackers
    if clash:  # "clashed with X", "clashes between X and Y": the other side, or both
        sides, last = [], anchor.end
        for m in after:
            if not _SIDES_OF_A_CLASH.fullmatch(body, last, m.start):
                break
            sides.append(m)
            last = m.end
        after = sides
        if _BETWEEN.match(body, anchor.end):
            own_subject = inherited = list(dict.fromkeys(inherited + _ids(after[:1])))
            after = after[1:]
    elif anchor.type in _VIOLENT:  # the target is right after: "struck X", "attack on X"
        after = [m for m in after if re.fullmatch(r"\s*(?:(?:on|against|at|near)\s+)?(?:the\s+)?",
                                                  body[anchor.end:m.start])
                 or _VICTIM.search(body, anchor.start, m.start)]  # "a bombing that killed X"
    # actors inside a phrase trigger ("the agreement that X and Y signed") take part too
    objects = _ids([m for m in mentions if anchor.start <= m.start and m.end <= anchor.end] + after)
    objects = patient + [a for a in objects if a not in patient]
    if not objects and re.match(r"\s+with\s+them\b", body[anchor.end:clause.end]):
        objects = list(state.objects)  # "met Taliban officials ... and held talks with them": those officials
    state.objects = objects or state.objects
    if anchor.type == "visit" and body.startswith("delegation to", anchor.end - len("delegation to")):
        # "Baradar led a Taliban delegation to Moscow": the delegation travels with its leader
        inside = _ids([m for m in mentions if anchor.start <= m.start and m.end <= anchor.end])
        objects = [a for a in objects if a not in inside]
        own_subject = inherited = list(dict.fromkeys(inherited + inside))
    if ROLES[anchor.type][1] is None and _BETWEEN.match(body, anchor.end):  # "a truce between X and Y"
        own_subject = inherited = list(dict.fromkeys(inherited + objects))
    if anchor.type in _VIOLENT and not (inherited or objects):  # "a bomb struck ..., killing 16 people"
        objects = _ids([m for m in _mentions(ctx, clause.end, sentence.end)
                        if _VICTIM.search(body, max(clause.end, m.start - 40), m.start)][:1])
    if anchor.type in _VIOLENT and not objects and re.match(r"\W*when\b", clause.text, re.IGNORECASE):
        # "At least 24 people were killed | when a bomb struck a funeral": who was killed then
        objects = _ids([m for m in _mentions(ctx, sentence.start, clause.start)
                        if _KILLED_WHEN.match(body, m.end)][:1])
    place = _place(ctx, clause, sentence)
    records: list[Record] = []
    if act is not None:
        act_record = _event(ctx, act, clause, start, inherited, objects, place)
        if act_record is not None:
            records.append(act_record)
            _share_time(act_record, state, clause)
        answered = _answered_act(ctx, acts, act, mentions)
        if answered is not None:  # "rejected the Taliban's demand for ...": the demand is a fact too
            act, owner, addressees = answered
            answered_record = _event(ctx, act, clause, act.start, owner, addressees, place, status="occurred")
            if answered_record is not None:
                records.append(answered_record)
                if act_record is not None:
                    act_record.fields["responds_to"] = answered_record
                    answered_record.fields["time"] = _by_then(act_record.fields["time"])
            act_record = answered_record
        ordered = act.type == "announcement" and body.startswith("order", act.start)
        nested = ("planned" if ordered else _nested_status(act.type, content.type, _signed_before(body, content))) \
            if content and content.start > act.start else None
        # "announced that the government would release ...": what was announced, with its own status
        said_that = re.search(r"\bthat\b", body[act.end:content.start]) \
            if act.type == "announcement" and content is not None and content.start > act.start else None
        reported = said_that is not None
        if content is not None and (nested is not None or reported):
            inner_mentions = [m for m in mentions if m.start >= act.end]
            asked = act.type in ("proposal", "demand") and re.fullmatch(
                r"\s+(?:(?:the|both|all|each|his|her|their|its)\s|[A-Z]).*\s+to\s+", body[act.end:content.start])
            # "urged the two sides to reduce violence": those asked act, never the one asking
            parties = _ids(inner_mentions) or objects or ([] if asked else inherited)
            offered = bool(re.fullmatch(r"\s+to\s+", body[act.end:content.start]))
            if offered and inherited:
                parties = inherited  # "offered to release ...": who offers would do it
            if answered is not None and not inner_mentions:
                parties = _answered_parties(ctx, answered, content, inherited)
            asking = (act_record.fields["roles"].get("proposer") or act_record.fields["roles"].get("demander")
                      if act_record is not None else None) or inherited
            if content.type in ("ceasefire", "reduction-in-violence") and nested == "proposed" and parties \
                    and parties == asking and not offered:  # "Khalilzad proposed a ceasefire": both sides hold fire
                parties = _warring_sides(ctx, parties[0]) or parties
            targets: list[str] = []
            if ordered:  # "ordered the forces to resume operations against the Taliban": the forces act
                parties = _ids([m for m in inner_mentions if m.start < content.start]) or inherited
                targets = _ids([m for m in inner_mentions if m.start >= content.start])
            if reported:  # who is freed is no party: "release up to 2,000 Taliban prisoners"
                parties = _ids([m for m in inner_mentions if not _HELD.match(body, m.end)]) or inherited
            opens = act.end + said_that.end() if said_that else act.end
            inner = _event(ctx, content, clause, opens, parties, targets, place, status=nested)
            if inner is not None:
                if reported and act_record is not None:
                    inner.fields["_said_in"] = act_record  # planned from the day it was announced
                records.append(inner)
                if act_record is not None:
                    _link_nested(act_record, inner)
                records.extend(_coordinated(ctx, inner, content, chain, clause, act.end, place))
        return records
    if _negated(body, start, content.start):
        return records
    # "to begin withdrawing its troops": a gerund after a verb of aspect acts like the verb; so does
    # a noun with a modal verb of its own ("talks with the government are to start")
    verbal = content.verb or _gerund_of_aspect(body, start, content) or bool(_MODAL_AFTER.match(body, content.end))
    if not verbal and not _has_anchor(ctx, clause, content):
        return records
    subject = inherited if verbal or _LIGHT_VERB.search(body, max(start, content.start - 50), content.start) \
        else own_subject
    record = _event(ctx, content, clause, start, subject, objects, place)
    if record is not None:
        records.append(record)
        _share_time(record, state, clause)
    records.extend(_coordinated(ctx, record, content, chain, clause, start, place))
    return records


# A verb that only says an event noun took place: its subject takes part in the event, in a clause
# that goes on from the one before too ("X met Y on Monday and held three days of talks with Z").
_LIGHT_VERB = re.compile(r"\b(?:held|holds|hold|holding|conducted|launched|mounted|carried\s+out)\s+"
                         r"(?:[\w-]+\s+){0,4}$", re.IGNORECASE)


# Verbs of aspect, after which a gerund is the verb of the clause: "to begin withdrawing".
_ASPECT = re.compile(r"\b(?:begin|began|begun|begins|start|started|starts|continue|continued|continues|"
                     r"resume|resumed|resumes|finish|finished|complete|completed|stop|stopped)\s+$", re.IGNORECASE)


# Verbs whose object does what the infinitive after it says: "want foreign forces to leave".
_WANT = re.compile(r"\b(?:wants?|wanted|wanting|expects?|expected|forced?|forces|told|tells|"
                   r"persuaded?|convinced?|encouraged?|need|needs|needed)\s+(?:all\s+|the\s+)?$", re.IGNORECASE)


def _is_collective(ctx: Context, actor: str) -> bool:
    return ctx.actors.get(actor, Actor("", "")).type in ("Collective", "UnnamedSource")


def _is_outlet(ctx: Context, actor: str) -> bool:
    return ctx.actors.get(actor, Actor("", "")).type in OUTLET_TYPES


def _wanted(ctx: Context, sentence: Span, clause: Span) -> list[str]:
    """The actor right before an infinitive clause, when a verb of wanting governs it."""
    before = [m for m in _mentions(ctx, sentence.start, clause.start) if not ctx.body[m.end:clause.start].strip()]
    if not before or not _WANT.search(ctx.body, max(sentence.start, before[-1].start - 30), before[-1].start):
        return []
    return [m.actor for m in before if m.start == before[-1].start]


def _warring_sides(ctx: Context, proposer: str) -> list[str]:
    """The two sides a ceasefire proposed by ``proposer`` would bind: the side it fights (the
    Taliban, or for them the Afghan government), first as the one the proposal is made to, and the
    government or armed group the proposer acts for (a person by the titles the article gives
    them); none when that side is not known."""
    side = _state_of(ctx, _state_of_person(ctx, proposer))
    other = _ENEMY_OF.get(side, "taliban") if side is not None else None
    return [other, side] if other is not None and other in ctx.actors else []


def _state_of_person(ctx: Context, actor: str) -> str:
    """The government or armed group a person acts for, by the titles the article gives them;
    any other actor as it is."""
    if ctx.actors.get(actor, Actor("", "")).type != "Person":
        return actor
    states = {state for state in (_state_of(ctx, a) for a in ctx.affiliations.get(actor, ())) if state}
    return states.pop() if len(states) == 1 else actor


def _state_of(ctx: Context, actor: str) -> str | None:
    """The government or armed group an actor is part of (itself if it is one)."""
    for _ in range(4):  # a body of a ministry of a government at most
        info = ctx.actors.get(actor)
        if info is None:
            return None
        if info.type in ("Government", "ArmedGroup"):
            return actor
        actor = info.part_of or info.member_of
        if actor is None:
            return None
    return None


def _gerund_of_aspect(body: str, start: int, hit: _Hit) -> bool:
    """A trigger in -ing right after a verb of aspect ("to begin withdrawing"): a verb, not a noun."""
    return body[hit.start:hit.end].split()[0].endswith("ing") \
        and bool(_ASPECT.search(body, max(start, hit.start - 12), hit.start))


# After a side's name: the people of that side who are held ("Taliban prisoners").
_HELD = re.compile(r"\s+(?:[\w-]+\s+)?(?:prisoners|detainees|captives|inmates)\b", re.IGNORECASE)
# The side each side of the war fights: who holds its prisoners, and whom its proposed ceasefire binds too.
_ENEMY_OF = {"taliban": "afghan-government", "afghan-security-forces": "taliban", "afghan-government": "taliban"}


# Between a response verb and the act it answers: the act's owner as a possessive ("the
# Taliban's", "the president's"), a determiner and at most two words ("the latest US").
_ANSWERED = re.compile(r"\s+(?:(?:the\s+)?[\w.-]+(?:\s+[\w.-]+){0,3}?['’]s|the|an?|this|that)(?:\s+[\w-]+){0,2}?\s+$",
                       re.IGNORECASE)


def _answered_act(ctx: Context, acts: list[_Hit], response: _Hit,
                  mentions: list[Any]) -> tuple[_Hit, list[str], list[str]] | None:
    """The proposal or demand a rejection or acceptance names as its object, with its owner (the
    possessive before it, or the agent after it: "an appeal by Ghani") and whom it was made to
    (named right after it: "offer to the Taliban"), or None: "rejected the Taliban's demand for
    ..." names a demand by the Taliban."""
    if response.type not in ("rejection", "acceptance"):
        return None
    answered = next((h for h in acts if h.start >= response.end), None)
    if answered is None or answered.type not in ("proposal", "demand") \
            or not _ANSWERED.fullmatch(ctx.body, response.end, answered.start):
        return None
    owner = _ids([m for m in mentions if response.end <= m.start < answered.start]) or _ids(
        [m for m in mentions if re.fullmatch(r"\s*(?:by|from)\s+(?:the\s+)?", ctx.body[answered.end:m.start])])
    addressees = _ids([m for m in mentions if re.fullmatch(r"\s+(?:to|on)\s+(?:the\s+)?",
                                                           ctx.body[answered.end:m.start])])
    return (answered, owner, addressees) if owner else None


def _by_then(time: dict[str, Any]) -> dict[str, Any]:
    """The time of something done by the time of ``time`` (an act answered then was made by then)."""
    latest = time.get("value") or time.get("latest") or time.get("end")
    if latest is None:
        return dict(time)
    return {"latest": latest, "precision": time["precision"], "anchor": time["anchor"]}


def _answered_parties(ctx: Context, answered: tuple[_Hit, list[str], list[str]], content: _Hit,
                      responders: list[str]) -> list[str]:
    """Who would do what an answered act asks for, when the text names nobody: both sides of
    talks offered; the responder for a demand or an appeal ("rejected the Taliban's demand for the
    release of prisoners": the responder would release them); else the act's owner ("an offer to
    host the talks")."""
    act, owner, _ = answered
    if content.type in BILATERAL:
        return list(dict.fromkeys(owner + responders))
    asked = act.type == "demand" or ctx.body[act.start:act.end].lower().startswith(("appeal", "urg", "call"))
    return (responders or owner) if asked else owner


# What joins two event nouns into one list ("negotiations on a settlement and a ceasefire",
# "a reduction in violence leading to negotiations"): a few words, a conjunction, a determiner.
_COORDINATED = re.compile(r"(?:\s+[\w’'-]+){0,5}?,?\s+(?:and|or|as well as|leading to|that leads? to|followed by)"
                          r"\s+(?:(?:a|an|the|for|to)\s+)?(?:[\w-]+\s+){0,2}", re.IGNORECASE)
_COORDINABLE = frozenset({"ceasefire", "negotiation", "reduction-in-violence", "withdrawal", "agreement",
                          "prisoner-release", "talks-round"})


def _chain(ctx: Context, contents: list[_Hit], hit: _Hit | None) -> list[_Hit]:
    """The event nouns listed together with ``hit`` ("intra-Afghan negotiations and a ceasefire"),
    in text order; empty when ``hit`` is in no such list."""
    nouns = sorted((h for h in contents if not h.verb and h.type in _COORDINABLE), key=lambda h: h.start)
    if hit not in nouns:
        return []
    first = last = nouns.index(hit)
    while first > 0 and _COORDINATED.fullmatch(ctx.body, nouns[first - 1].end, nouns[first].start):
        first -= 1
    while last + 1 < len(nouns) and _COORDINATED.fullmatch(ctx.body, nouns[last].end, nouns[last + 1].start):
        last += 1
    return nouns[first:last + 1] if last > first else []


def _coordinated(ctx: Context, record: Record | None, hit: _Hit, chain: list[_Hit], clause: Span, start: int,
                 place: str | None) -> list[Record]:
    """The events of the other nouns of ``hit``'s list (:func:`_chain`): each with its own type, and
    the status, time and parties of ``record`` (``hit``'s event), or when ``hit`` named none, of
    the first of the list that names its parties ("intra-Afghan")."""
    found: list[Record] = []
    types = {hit.type} if record is not None else set()
    for other in chain:
        if other.type in types:
            continue
        parties = [a for actors in record.fields["roles"].values() for a in actors] if record else []
        event = _event(ctx, other, clause, start, parties, [], place,
                       status=record.fields["status"] if record else None)
        if event is not None:
            types.add(other.type)
            if record is not None:
                event.fields["time"] = dict(record.fields["time"])
            record = record or event
            found.append(event)
    return found


def _share_time(record: Record, state: _ClauseState, clause: Span) -> None:
    """Clauses joined in one sentence ("started meetings on Wednesday and met ...") share a time;
    what an "after" clause names happened by that time ("called off in May, after a bombing ...")."""
    if record.fields["status"] != "occurred":
        return
    time = record.fields["time"]
    if "text" in time:
        state.time = time
    elif state.time is not None and _EARLIER.match(clause.text) and "value" in state.time:
        record.fields["time"] = _by_then(state.time)
    elif state.time is not None and record.fields["type"] in _SAID and isinstance(state.time.get("end"), date):
        # "observed a truce from June 15 to June 17, and turned down the appeal to prolong it": an
        # act told after what lasted came at its end
        record.fields["time"] = {"value": state.time["end"],
                                 **{k: v for k, v in state.time.items() if k not in ("begin", "end", "duration")}}
    elif state.time is not None:
        record.fields["time"] = dict(state.time)


_EARLIER = re.compile(r"\W*after\b", re.IGNORECASE)


# A relative clause between a subject and its verb: ", which was not part of the truce, said ..."
_INTERRUPTION = re.compile(r"\W*(?:which|who)\b[^,;]*,\s*$", re.IGNORECASE)
# In a group's words, the group: "they would attend", "it would free" (not "it is ready for").
_GROUP_PRONOUN = re.compile(r"\b(?:they\b(?:\s+\w+){0,3}|it\s+(?:would|will)(?:\s+\w+)?)\s*$", re.IGNORECASE)
# A clause that goes on with the speaker's next act, with no subject of its own: ", and called on".
_SPEAKER_GOES_ON = re.compile(r"\W*and\s+(?:also\s+|then\s+)?$", re.IGNORECASE)
_SUBORDINATE = re.compile(r"\W*(?:where|which|who|when|whom|whose|while|after|before|as|if|once|until)\b",
                          re.IGNORECASE)
_BETWEEN = re.compile(r"\s+between\b", re.IGNORECASE)
# What the subject of an attack noun suffered ("survived a bombing", "was wounded in an attack").
_SUFFERED = re.compile(r"\b(?:surviv(?:ed|es|e)|escap(?:ed|es|e)|died\s+in|(?:was|were|been|is|are)\s+(?:\w+\s+)?"
                       r"(?:(?:killed|wounded|injured)\s+and\s+"  # "were killed and more than 20 wounded in"
                       r"(?:(?:more\s+than|at\s+least|about|nearly)\s+)?[\w,]+\s+)?"
                       r"(?:wounded|injured|hurt|killed|targeted|caught)\s+(?:in|by))\s+(?:[\w’'-]+\s+){0,4}$",
                       re.IGNORECASE)
# The victims of an attack named after it ("a bombing ... that killed an American soldier").
_ABOUT = r"(?:(?:more than|at least|nearly|about|some|up to|over)\s+)?"
# "killing 16 people", "killing 170 Afghans and 13 US troops": the victims the article names
_VICTIM = re.compile(rf"\bkill(?:ed|ing)\s+(?:{_ABOUT}[\d,]+\s+(?:[\w-]+\s+){{1,3}}?(?:and|as well as)\s+)?"
                     rf"{_ABOUT}(?:[\d,]+\s+|an?\s+|the\s+|\w+\s+)?$", re.IGNORECASE)
# The victims named before the attack that killed them: "24 people were killed | when ...".
_KILLED_WHEN = re.compile(r"\s+(?:were|was|have\s+been|had\s+been|has\s+been)\s+(?:\w+\s+)?"
                          r"(?:killed|wounded|injured|hurt)\b", re.IGNORECASE)
_OBJECT_PREPOSITIONS = {"visit": ("to", "with", "in"), "withdrawal": ("of",), "troop-level-change": ("of",),
                        "attack": ("on", "against"), "bombing": ("on", "against"), "airstrike": ("on", "against")}


def _governed(body: str, start: int, mention: Any) -> bool:
    """Whether a mention follows a preposition of place or possession ("in Kabul", "of the Taliban"),
    not one that names whom people act for or whose number is told ("representatives of the Taliban",
    "delegations from", "the number of US troops")."""
    return bool(_ACTING_PREPOSITIONS.search(body[max(start, mention.start - 12):mention.start])) \
        and not _ACTOR_AFTER_OF.search(body, max(start, mention.start - 40), mention.start)


_ACTOR_AFTER_OF = re.compile(r"\b(?:representatives|delegations?|delegates|envoys|negotiators|negotiating\s+teams?|"
                             r"(?:the\s+)?numbers?)\s+(?:of|from)\s+(?:the\s+)?$", re.IGNORECASE)


def _preposition(body: str, start: int, mention: Any) -> str:
    words = body[max(start, mention.start - 12):mention.start].split()
    words = [w for w in words if w.lower() != "the"]
    return words[-1].lower() if words else ""


_REFERENCE = re.compile(r"\b(?:over|about|after|following|since|before|of|for|in|on|to|from)\s+"
                        r"(?:[\w’'-]+\s+){0,3}$", re.IGNORECASE)


def _reference(body: str, start: int, hit: _Hit) -> bool:
    """Whether a noun trigger follows a preposition ("over Wednesday's attack"): it names an event
    the clause refers to, not the clause's own."""
    return bool(_REFERENCE.search(body, max(start, hit.start - 40), hit.start))


# What makes an event noun after it a condition, and so an event of its own (a possible one).
_CONDITION_CUE = re.compile(r"\b(?:until|unless|if|once|provided\s+that|as\s+long\s+as|as\s+soon\s+as)\b",
                            re.IGNORECASE)


def _has_anchor(ctx: Context, clause: Span, hit: _Hit) -> bool:
    """Whether a noun trigger names an event of its own: it is dated, follows a condition cue
    ("until", "if"), or has a finite verb or a modal ("would", "must", "can", "had to") in its clause."""
    if ctx.time_spans.within(clause.start, clause.end):
        return True
    if _CONDITION_CUE.search(ctx.body, clause.start, hit.start):  # "until the withdrawal has been agreed"
        return True
    text = ctx.body[clause.start:clause.end]
    return bool(re.search(r"\b(?:met|held|began|begun|started|opened|ended|took place|took effect|resumed|"
                          r"killed|struck|exploded|observed|observing|lasted|signed|will|would|could|"
                          r"entered|enters|took hold|takes hold|expired|collapsed|broke down|went ahead|"
                          r"must|should|can|(?:had|has|have|need|needs) to)\b", text))


# "X and Y", "X, Y and the Z", "X and NATO Secretary General Y" (a title before the second name),
# "X and his rival Y", "the US-Taliban deal"
_COORDINATION = re.compile(r"-|\s*(?:,|and|&|,\s*and)\s*(?:the\s+|(?:his|her|their|its)\s+(?:[a-z-]+\s+){1,2})?"
                           r"(?:[A-Z][\w.-]*\s+){0,4}"
                           # "opposition politicians, among them former president Hamid Karzai"
                           r"|,\s*among\s+them\s+(?:[\w.-]+\s+){0,4}")


def _coordinated_subject(ctx: Context, at: int, sentence: Span) -> list[str]:
    """The actor just before an "and" that opens a clause ("the United States | and the Taliban
    had agreed"), when it is no object of a preposition: the first half of a coordinated subject."""
    before = [m for m in _mentions(ctx, sentence.start, at) if not ctx.body[m.end:at].strip()]
    if not before or _governed(ctx.body, sentence.start, before[-1]) or _OBJECT_OF.search(
            ctx.body, max(sentence.start, before[-1].start - 40), before[-1].start):
        return []
    return [before[-1].actor]


# A sentence that opens with an event told before ("The resumption | followed ...", "The attack |
# came a day after ...").
_BACK_REFERENCE = re.compile(r"\s*(?:the|this|that)\s+", re.IGNORECASE)
_FOLLOWED = re.compile(r"\s+(?:followed|came|preceded)\b")
# Between a clash and a side of it: "clashed with (the) X", "clashes between X and (the) Y".
_SIDES_OF_A_CLASH = re.compile(r"\s*(?:(?:with|between)\s+)?(?:the\s+)?|\s*(?:and|&)\s+(?:the\s+)?")
# A noun phrase after a date's comma, in apposition to it: ", the 20th anniversary of ...", ", the day ...".
_DATE_APPOSITION = re.compile(r",\s+the\s+(?:[\w-]+\s+){0,2}(?:anniversary|day|eve|date|start|end)\b")
# A pronoun coordinated with the name that follows it: "he and President Ashraf Ghani".
_PRONOUN_AND = re.compile(r"\b(?:he|she)\s+and\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)


def _subject(body: str, before: list[Any]) -> list[str]:
    """The actors of the noun phrase nearest before the trigger ("X and Y", "X's")."""
    if not before:
        return []
    first = len(before) - 1
    while first > 0 and (before[first - 1].start == before[first].start  # "both men": a pair on one span
                         or _COORDINATION.fullmatch(body[before[first - 1].end:before[first].start])):
        first -= 1  # "X, Y and Z"
    return _ids(before[first:])


def _negated(body: str, start: int, trigger: int) -> bool:
    """A negation in the clause before the trigger ("did not have the power to negotiate")."""
    window = body[start:trigger]
    if _INTERRUPTION.match(window):  # "X, which is not part of the truce, said ...": the relative clause's
        return False
    if re.match(r"to\s", window) and re.search(r"\b(?:not|n't|never)\b(?:\s+[\w’'-]+){0,4}\s*$",
                                               body[max(0, start - 40):start]):
        return True  # "did not have the power | to negotiate": the infinitive is negated too
    return bool(NEGATED.search(body[max(start, trigger - 30):trigger]) or
                re.search(r"\b(?:not|n't|never)\b", window))


def _nested_status(act: str, content: str, signed: bool = False) -> str | None:
    """The status of an event named inside an act ("proposed a ceasefire"; "press the insurgents
    to comply with the agreement they signed": the agreement's own), or None when the act alone is
    the fact ("broke off the talks")."""
    if signed:
        return "occurred"
    if act in ("proposal", "demand"):
        return "proposed"
    if act == "claim-of-responsibility" and content in ("attack", "bombing", "airstrike"):
        return "occurred"
    if act == "cancellation" and content in ("meeting", "visit"):
        return "cancelled"
    return None


def _link_nested(act: Record, inner: Record) -> None:
    key = {"proposal": "proposed_action", "demand": "demanded_action"}.get(act.fields["type"])
    if key:
        act.fields[key] = inner


def _signed_before(body: str, hit: _Hit) -> bool:
    """An agreement named with the relative clause of its past signing ("the agreement the movement signed")."""
    return hit.type == "agreement" and not hit.verb and body[hit.start:hit.end].endswith("signed")


def _status(body: str, start: int, hit: _Hit) -> str:
    if _signed_before(body, hit):
        return "occurred"  # "(due under) the agreement the movement signed": the relative clause's past
    prefix = body[start:hit.start]
    if _AND_BARE.match(body, start):  # "will reduce ... and pull out ...": the modal of the verb before
        prefix = re.split(r"[.!?]\s", body[max(0, start - 300):start])[-1] + prefix
    if re.match(r"\s*(?:to|before)\s", prefix):  # a purpose or a later step: "to meet ...", "before talks"
        return "planned" if hit.verb or _gerund_of_aspect(body, start, hit) else "possible"
    if CANCELLED.search(prefix):
        return "cancelled"
    with_trigger = prefix + body[hit.start:hit.end]  # "troops would leave": the modal inside the trigger
    if PLANNED.search(with_trigger):
        return "planned"
    if POSSIBLE.search(with_trigger):
        return "possible"
    if PURPOSE.search(prefix[-25:]):
        return "planned"
    modal = None if hit.verb else _MODAL_AFTER.match(body, hit.end)
    if modal:  # "talks with the government would start in Doha": the noun's own verb
        return "possible" if POSSIBLE.search(modal.group("modal")) else "planned"
    return "occurred"


# The modal of the verb that follows an event noun, after at most a short prepositional phrase.
_MODAL_AFTER = re.compile(r"(?:\s+(?:with|between|among|in|on|over|of|for)\s+(?:the\s+)?"
                          r"[\w’'-]+(?:\s+[\w’'-]+){0,2}?)?"
                          r"\s+(?P<modal>(?:will|would)(?:\s+(?:have|need)\s+to)?|could|may|might"
                          r"|(?:is|are|was|were)\s+(?:expected\s+|due\s+|set\s+)?to)\s",
                          re.IGNORECASE)


def _event(ctx: Context, hit: _Hit, clause: Span, start: int, subject: list[str], objects: list[str],
           place: str | None, *, act: bool = False, status: str | None = None) -> Record | None:
    type_ = hit.type
    subject_role, object_role = ROLES[type_]
    roles: dict[str, list[str]] = {}
    people = [a for a in subject if a]
    if type_ in ("proposal", "demand", "claim-of-responsibility"):
        people = people[:1]
    if people:
        roles[subject_role] = people
    others = [a for a in objects if a not in people]
    if object_role and others:
        roles.setdefault(object_role, []).extend(a for a in others if a not in roles.get(object_role, []))
    if type_ in ("withdrawal", "troop-level-change") and _OWN_TROOPS.search(ctx.body, hit.start, clause.end):
        # "Washington will pull out its troops": the troops withdraw
        roles = {role: _as_forces(ctx, actors) for role, actors in roles.items()}
    if type_ == "prisoner-release":  # "freed two hostages, the American Kevin King and ...": the people freed
        freed = [a for a in others if ctx.actors.get(a, Actor("", "")).type == "Person"]
        if freed:
            roles["participant"] = freed
    if type_ in _VIOLENT and "target" in roles and CASUALTIES in ctx.actors and CIVILIANS in ctx.actors:
        # "killing 24 people": an attack's victims counted without a side are civilians
        roles["target"] = list(dict.fromkeys(CIVILIANS if a == CASUALTIES else a for a in roles["target"]))
    refused = _REFUSED_PARTNER.match(ctx.body, hit.end) if type_ == "rejection" and "addressee" not in roles else None
    if refused:
        partner = _mentions(ctx, refused.end(), refused.end() + 80)[:2]
        if partner and partner[0].start - refused.end() <= 4:  # "refused to deal directly with (the) X"
            owned = len(partner) > 1 and re.fullmatch(r"['’]s\s+", ctx.body[partner[0].end:partner[1].start])
            roles["addressee"] = [partner[1 if owned else 0].actor]  # "with Ghani's government"
    if type_ == "visit" and "host" not in roles and place in ctx.place_actors:
        roles["host"] = [ctx.place_actors[place]]
    formal = re.search(r"intra-Afghan\s+$", ctx.body[max(0, hit.start - 14):hit.start]) \
        or re.search(r"\bintra-Afghan\s", ctx.body[hit.start:hit.end])  # "the second round of intra-Afghan talks"
    if (formal or re.match(r"\s+(?:among|between) Afghans\b", ctx.body[hit.end:hit.end + 20])) and \
            type_ in ("negotiation", "talks-round", "resumption"):
        # "intra-Afghan talks": the Taliban and the government (and the other leaders when named);
        # "talks among Afghans": all of them
        before = re.split(r"[.!?]\s", ctx.body[max(0, hit.start - 150):hit.start])[-1]  # this sentence
        leaders = "afghan-leaders" in {a for actors in roles.values() for a in actors} or re.search(
            r"\bother Afghans?\b|\bAfghan (?:leaders|sides|politicians)\b", before)
        roles = {"party": [a for a in INTRA_AFGHAN_PARTIES if a in ctx.actors
                           and not (formal and a == "afghan-leaders" and not leaders)]}
    sideless = not any(roles.values()) and type_ in _ANAPHORIC_TALKS
    if (not any(roles.values()) and not sideless) or (type_ in ACT_TYPES and subject_role not in roles):
        return None
    status = status or _status(ctx.body, start, hit)
    if type_ in ("resumption", "negotiation") and status in ("planned", "possible", "proposed") \
            and re.match(r"\s*to\s", ctx.body[start:hit.start]):
        # "met the Taliban to discuss ways of resuming peace talks": the talks of the sides, not of the envoy
        roles = {role: list(dict.fromkeys(_state_of_person(ctx, a) for a in actors)) for role, actors in roles.items()}
    if status == "occurred" and ctx.condition_from is not None and hit.start > ctx.condition_from:
        status = "possible"
    if type_ in OCCURRED_ONLY and status != "occurred":
        return None
    if type_ == "prisoner-release" and status != "occurred":
        type_ = "commitment"  # a release still to come is the releaser's commitment (annotation guidelines)
    opening = re.match(r"[\s,;:]*", ctx.body[start:clause.end])  # the clause break is no part of the fact
    evidence = span(ctx.body, start + opening.end(), clause.end)
    fields: dict[str, Any] = {"type": type_, "label": "", "status": status, "roles": roles}
    if place and type_ not in _SAID:
        fields["place"] = place
    # a time after a speech frame or an act ("said on Sunday that X had ... in the past week")
    # dates what was said; the frame's time is the saying's; so is the time of an act's own
    # "that" clause ("announced last week that they would meet from April 24")
    complement = _COMPLEMENT.search(ctx.body, hit.end, min(clause.end, hit.end + 40)) if type_ in ACT_TYPES else None
    end = complement.start() if complement else clause.end
    own = _time(ctx, start, end, status, near=hit.start, near_end=hit.end)
    fields["time"] = own if "text" in own or start == clause.start else \
        _time(ctx, clause.start, end, status, near=hit.start, near_end=hit.end)
    duration = _duration(ctx, clause, hit)
    if duration and type_ in _LASTING:
        fields["duration"] = duration
        if _CLOSED_LENGTH.search(ctx.body[max(clause.start, hit.start - 40):hit.end]) and "value" in fields["time"]:
            # "ended six days of talks in Doha on January 26": the day is the last one
            fields["time"] = {("end" if k == "value" else k): v for k, v in fields["time"].items()}
        fields["time"] = _ended(fields["time"], duration)
    if type_ == "agreement":
        fields["stage"] = hit.stage or ("signed" if re.search(r"\bsign", evidence.text, re.IGNORECASE) else "finalised")
    if type_ in ("claim-of-responsibility", "criticism"):
        fields["content"] = _sentence_case(evidence.text)
        fields["channel"] = "unspecified"
        fields["_past"] = status == "occurred"
    if type_ == "talks-series":
        count = re.match(r"(\w+)", ctx.body[hit.start:hit.end]).group(1).lower()
        rounds = _WORD_NUMBERS.get(count) or (int(count) if count.isdigit() else None)
        if rounds:
            fields["rounds"] = rounds
    fields["label"] = _label(ctx, type_, status, roles, fields.get("place"))
    confidence = 0.55 if hit.verb else 0.45
    if status != "occurred":
        confidence -= 0.05
    if sideless:  # "The round of talks ended on Saturday": whose, _counterparts tells
        fields["_sideless"] = True
    name = f"{next((a for actors in roles.values() for a in actors), 'talks')}-{type_}"
    return Record("events", fields, [evidence], round(confidence, 2), name, hit.start)


# Whom a refusal shuts out: "refused to meet a delegation", "refused to negotiate directly with X".
_REFUSED_PARTNER = re.compile(r"\s+to\s+(?:meet|negotiate|deal|talk|sit\s+down)(?:\s+directly)?(?:\s+with)?\s+",
                              re.IGNORECASE)
_COMPLEMENT = re.compile(r"\bthat\b(?!\s+(?:day|night|week|month|year|morning|evening|time)\b)", re.IGNORECASE)
_OWN_TROOPS = re.compile(r"\b(?:(?:its|their)\s+(?:[\w,]+\s+){0,3}?|(?:withdraw|pull|bring|cut|reduc)\w*\s+"
                         r"(?:(?:all|the|some|remaining|\d[\d,]*|American|U\.?S\.?)\s+){0,3})"
                         r"(?:troops|forces|soldiers|troop)\b")


def _as_forces(ctx: Context, actors: list[str]) -> list[str]:
    """Each government (or agency of one: "the Pentagon") as its military force (when it has
    exactly one), once."""
    found: list[str] = []
    for actor in actors:
        info = ctx.actors.get(actor)
        if info is not None and info.type == "GovernmentAgency" and info.part_of in ctx.actors:
            actor, info = info.part_of, ctx.actors[info.part_of]
        forces = [a for a, i in ctx.actors.items() if i.type == "MilitaryForce" and i.part_of == actor] \
            if info is not None and info.type == "Government" else []
        actor = forces[0] if len(forces) == 1 else actor
        if actor not in found:
            found.append(actor)
    return found


_LOCATIVE = re.compile(r"\b(?:in|at|to|from|near|inside|outside|into|visited|visits|visiting|reached|toured)"
                       r"\s+(?:the\s+)?$", re.IGNORECASE)


def _place(ctx: Context, clause: Span, sentence: Span) -> str | None:
    """The place of a clause: a gazetteer place after "in", "at", "to" ... in the clause, else one
    the sentence opens with ("In Doha, ...")."""
    for place in ctx.place_spans.within(clause.start, clause.end):
        if _LOCATIVE.search(ctx.body[max(clause.start, place.start - 12):place.start]):
            return place.place
    if re.match(r"(?:In|At) ", ctx.body[sentence.start:sentence.end]):
        first = ctx.place_spans.starting(sentence.start, sentence.start + 7)
        if first:
            return first[0].place
    return None


def _time(ctx: Context, start: int, end: int, status: str, *, near: int, near_end: int | None = None) -> dict[str, Any]:
    """The time of the mention in ``start..end`` nearest to ``near`` (or to the span
    ``near..near_end`` of a trigger: "the agreement Washington signed | in February 2020") that
    names a date, else the window the status allows: up to publication for what happened, from
    it for what may."""
    dated = []
    last = near if near_end is None else near_end
    # a mention begun in the span belongs to it when it counts from a day named after it ("struck a
    # day | after the talks opened on Saturday"); counted back from publication ("two days | after
    # the talks opened"), it dates the talks, not what the span tells
    for mention in ctx.time_spans.starting(start, end - 1):
        if mention.end > end and mention.anchor == ctx.published.isoformat():
            continue
        if _possessive(ctx, mention) and not mention.end <= near <= mention.end + 30:
            continue  # "their dispute over last year's election": the time of the noun it qualifies
        value = {k: _date(v) for k, v in mention.as_annotation().items()}
        if any(value.get(k) is not None for k in ("value", "begin", "end", "earliest", "latest")):
            # a date or a span ("from June 15 to June 17") wins over a window ("over Eid")
            window = not any(value.get(k) is not None for k in ("value", "begin", "end"))
            distance = abs(mention.start - near) if mention.start < near else max(0, mention.start - last)
            dated.append((window, distance, value))
    if dated:
        return _begun(ctx, min(dated, key=lambda d: d[:2])[2])
    published = ctx.published
    if status == "occurred":
        return {"latest": published, "precision": "day", "anchor": published}
    return {"earliest": published, "precision": "day", "anchor": published}


def _possessive(ctx: Context, mention: Any) -> bool:
    """Whether a time mention is in the possessive ("Thursday's bombing", "last year's election"),
    the "'s" inside its text or right after it: it dates the noun that follows."""
    return mention.text.endswith(("'s", "’s")) or ctx.body.startswith(("'s", "’s"), mention.end)


def _ended(time: dict[str, Any], duration: str) -> dict[str, Any]:
    """A time with a first day and a length in days or weeks ("a three-day truce that began on
    Sunday") also has its last day; one with a last day ("ended two days of talks on Wednesday"),
    its first."""
    length = re.fullmatch(r"P(\d+)([DW])", duration)
    begin, end = time.get("begin"), time.get("end")
    if length is None or time.get("precision") != "day" or (begin is None) == (end is None):
        return time
    days = timedelta(days=int(length.group(1)) * (7 if length.group(2) == "W" else 1) - 1)
    if isinstance(begin, date):
        return {**time, "end": begin + days}
    return {"begin": end - days, **time} if isinstance(end, date) else time


def _as_point(time: dict[str, Any]) -> dict[str, Any]:
    """A time for something that happens at once (a statement): a begin or end that a verb nearby
    gave the date ("Ghani, who opened the gathering on Friday, told ...") is its day; both, the
    window it falls in."""
    begin, end = time.get("begin"), time.get("end")
    if begin is None and end is None:
        return time
    rest = {k: v for k, v in time.items() if k not in ("begin", "end")}
    return {"earliest": begin, "latest": end, **rest} if begin is not None and end is not None \
        else {"value": begin if begin is not None else end, **rest}


def _begun(ctx: Context, time: dict[str, Any]) -> dict[str, Any]:
    """An end day with a number of days right next to it ("ended on Tuesday after 16 days", "ran
    for six days and ended on Saturday") also gives the first day."""
    if not isinstance(time.get("end"), date) or "begin" in time:
        return time
    end = next((t for t in ctx.times if t.text == time.get("text") and t.end_value == time["end"].isoformat()), None)
    for mention in ctx.times if end is not None else ():
        days = re.fullmatch(r"P(\d+)D", mention.duration or "")
        gap = ctx.body[mention.end:end.start] if mention.end <= end.start else ctx.body[end.end:mention.start]
        if days and len(gap) <= 15 and not re.search(r"[.;:!?]", gap) and int(days.group(1)) > 1:
            return {"begin": time["end"] - timedelta(days=int(days.group(1)) - 1), **time}
    return time


# A verb of ending right before the length of what it ends ("wrapped up three days of talks").
_CLOSED_LENGTH = re.compile(r"\b(?:ended|concluded|wrapped\s+up|closed|completed|finished)\s+(?:(?:their|its|the)\s+)?"
                            r"[\w-]+\s+(?:days?|weeks?)\s+of\s+(?:[\w-]+\s+){0,2}[\w-]+$", re.IGNORECASE)

# Types whose events last a stated while ("a three-day truce", "ran for six days").
_LASTING = frozenset({"ceasefire", "reduction-in-violence", "talks-round", "negotiation", "visit", "meeting",
                      "withdrawal", "troop-level-change", "stall"})


def _duration(ctx: Context, clause: Span, hit: _Hit) -> str | None:
    """The ISO 8601 duration named next to a trigger in its clause, if any."""
    for mention in ctx.time_spans.within(clause.start, clause.end):
        duration = getattr(mention, "duration", None)
        if duration and abs(mention.start - hit.start) < 60 and re.fullmatch(r"P\d+[DWMY]", duration):
            return duration
    return None


def _date(value: Any) -> Any:
    """Day values as dates (so that YAML writes them as dates); months and years as text."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    return value


# -- quantities -------------------------------------------------------------------------------


def _quantities(ctx: Context, sentence: Span, out: Findings) -> None:
    body = ctx.body
    for match in _quantity_matches(body, sentence):
        unit = match.groupdict().get("unit") or "troops"
        value = int(match.group("num").replace(",", ""))
        first = match.start("approx") if match.group("approx") else match.start("num")
        window = body[max(sentence.start, first - 40):min(sentence.end, match.end() + 30)]
        if re.search(r"\bkill|\bdied|\bdead|\bwounded|\binjured", window) and unit != "prisoners":
            measure = "casualties"
            if _wounded(body, max(sentence.start, first - 40), match):
                unit = "wounded"
        elif unit in ("troops", "soldiers", "service members"):
            measure = "troop-level"
        elif unit == "prisoners":
            measure = "prisoners"
        else:
            continue
        subject = _quantity_subject(ctx, sentence, match, measure)
        if subject is None:
            continue
        clause_start = max(sentence.start, body.rfind(", ", sentence.start, first) + 1)  # not "13,000"
        prefix = body[clause_start:first]
        status = "possible" if POSSIBLE.search(prefix) else "planned" if PLANNED.search(prefix) else "occurred"
        if re.search(r"\bfrom\s+$", prefix):  # "shrink its force from about 13,000 troops to 8,600": the level then
            status = "occurred"
        # a toll is dated by its sentence ("exploded on Thursday, killing 10", "killed 12 soldiers in an
        # attack on a checkpoint in Kunduz on Monday"), a count by its clause
        casualties = measure == "casualties"
        window_start, window_end = (sentence.start, sentence.end) if casualties else \
            (clause_start, min(sentence.end, match.end() + 40))
        time = _time(ctx, window_start, window_end, status, near=first)
        if "latest" in time and status == "occurred" and re.search(r"\b(?:has|have|keeps|is|are)\b", prefix):
            time = {"value": ctx.published, "precision": "day", "anchor": ctx.published}
        evidence = span(body, first, match.end())
        fields: dict[str, Any] = {
            "label": _one_line(f"{ctx.actors[subject].label}: {evidence.text}"), "value": value, "unit": unit,
            "measure": measure, "subject": subject, "status": status, "time": time,
        }
        if match.group("approx"):
            fields["approximation"] = match.group("approx").lower()
        out.quantities.append(Record("quantities", fields, [evidence], 0.5, f"{subject}-{unit}-{value}",
                                     first))


def _quantity_matches(body: str, sentence: Span) -> list[re.Match[str]]:
    """The numbers of a sentence with their unit, and the troop numbers whose unit came before."""
    found = list(_QUANTITY.finditer(body, sentence.start, sentence.end))
    found += [m for m in _TO_NUMBER.finditer(body, sentence.start, sentence.end)
              if _TROOP_WORD.search(body, sentence.start, m.start())
              and not any(q.start("num") == m.start("num") for q in found)]
    return sorted(found, key=lambda m: m.start("num"))


def _wounded(body: str, start: int, match: re.Match[str]) -> bool:
    """Whether a toll counts the wounded: by the verb before the number ("killed 23 people and
    wounded 50"), else by the words after it ("50 people were wounded")."""
    verbs = re.findall(r"\b(?:kill|died|dead|wound|injur)", body[start:match.start()])
    if verbs:
        return verbs[-1] in ("wound", "injur")
    after = body[match.end():match.end() + 25]
    return bool(re.search(r"\bwounded|\binjured", after)) and not re.search(r"\bkill", after)


def _quantity_subject(ctx: Context, sentence: Span, match: re.Match[str], measure: str) -> str | None:
    inside_match = _mentions(ctx, match.start("num"), match.end())
    if inside_match:
        actor = inside_match[-1].actor
    elif measure == "troop-level":
        before = _mentions(ctx, sentence.start, match.start())
        if not before:
            return None
        actor = before[-1].actor
    else:
        return None
    if ctx.actors.get(actor, Actor("", "")).type == "Government" and measure == "troop-level":
        forces = [a for a, info in ctx.actors.items() if info.type == "MilitaryForce" and info.part_of == actor]
        if len(forces) == 1:
            return forces[0]
    return actor


# -- preconditions ----------------------------------------------------------------------------


def _preconditions(ctx: Context, sentence: Span, statement: Record | None, frame: tuple[int, int] | None,
                   events: list[Record], out: Findings) -> None:
    body = ctx.body
    matches = sorted((m for pattern in _CONDITIONS for m in pattern.finditer(body, sentence.start, sentence.end)),
                     key=lambda m: (m.start(), -m.end()))
    taken: list[tuple[int, int]] = []
    for match in matches:
        if any(match.start() < e and s < match.end() for s, e in taken):
            continue
        taken.append((match.start(), match.end()))
        cond = span(body, match.start("cond"), match.end("cond"))
        if len(cond.text.split()) < 2:
            continue
        setter = _setter(ctx, sentence, statement, frame, match.start())
        if setter is None:
            continue
        parts = _condition_parts(body, cond)
        conditions: list[Record] = []
        for part in parts:
            required = next((e for e in events if e.fields["type"] not in ACT_TYPES and
                             part.start <= e.anchor < part.end), None)
            fields: dict[str, Any] = {"label": _one_line(_sentence_case(part.text))}
            if required is not None:
                fields["required_event"] = required
            conditions.append(Record("conditions", fields, [part], 0.45, _slug(part.text), part.start))
        for first, second in itertools.pairwise(conditions):
            if re.search(r"\b(?:leading|leads) to\s*$", body[first.evidence[0].end:second.evidence[0].start + 1]):
                first.fields["leads_to"] = second
        evidence = span(body, match.start(), match.end())
        fields = {"label": _one_line(f"{ctx.actors[setter].label} sets a condition: {cond.text}"),
                  "set_by": setter, "requires": conditions}
        gated = [e for e in events if e.fields["type"] not in ACT_TYPES
                 and not (cond.start <= e.anchor < cond.end)]
        if gated:
            fields["condition_for"] = gated[0]
        if statement is not None and statement.fields["type"] == "statement":
            fields["stated_in"] = statement
        out.conditions.extend(conditions)
        out.preconditions.append(Record("preconditions", fields, [evidence], 0.45, f"{setter}-precondition",
                                        match.start()))


def _condition_parts(body: str, cond: Span) -> list[Span]:
    cut = re.search(r"\s(?:and|leading to|that leads to)\s(?=(?:the|a|an|it|they|he|she|[A-Z])\b)", cond.text)
    if cut is None:
        return [cond]
    first = span(body, cond.start, cond.start + cut.start())
    second_start = cond.start + cut.end() if "and" in cut.group(0) else cond.start + cut.start()
    second = span(body, second_start, cond.end)
    return [p for p in (first, second) if len(p.text.split()) >= 2] or [cond]


def _setter(ctx: Context, sentence: Span, statement: Record | None, frame: tuple[int, int] | None,
            cue: int) -> str | None:
    """Who sets a condition: the subject of what is said, when it comes before the condition ("X
    said the Taliban would not attend until ..."), else the speaker of the sentence's statement,
    else the sentence's first actor, else (an unattributed quote) the speaker of the statement
    just before; a spokesman sets it for the organisation he speaks for."""
    if statement is not None and frame is not None:
        said = [m for m in _mentions(ctx, frame[1], cue) + _mentions(ctx, sentence.start, min(frame[0], cue))
                if not _governed(ctx.body, sentence.start, m) and ctx.body[m.end:m.end + 2] not in ("’s", "'s")
                and not _is_outlet(ctx, m.actor)]
        actor = said[0].actor if said else _speakers(statement)[0]
    elif statement is not None:
        actor = _speakers(statement)[0]
    else:
        before = _mentions(ctx, sentence.start, cue)
        if before:
            actor = before[0].actor
        elif ctx.last_statement is not None and sentence.start - ctx.last_statement.evidence[-1].end < 200:
            actor = _speakers(ctx.last_statement)[0]
        else:
            return None
    info = ctx.actors.get(actor)
    if info is not None and info.type in ("UnnamedSource", "Collective", "Person") and info.member_of:
        return info.member_of
    return actor


# -- links between events ---------------------------------------------------------------------


def _link_responses(findings: Findings) -> None:
    """A rejection or acceptance answers the nearest proposal or demand before it, else it is kept
    as a statement of the responder. A proposal needs its proposed event and an addressee, else it
    is kept as a statement of the proposer (or dropped when a statement already holds it)."""
    events = findings.events
    for index, event in enumerate(events):
        if event.fields["type"] not in ("rejection", "acceptance") or "responds_to" in event.fields:
            continue
        earlier = [e for e in events[:index] if e.fields["type"] in ("proposal", "demand")
                   and event.anchor - e.anchor < 600]
        earlier = earlier or [e for e in events[:index] if e.fields["type"] in ("agreement", "announcement")
                              and event.anchor - e.anchor < 600]
        if earlier:
            event.fields["responds_to"] = earlier[-1]
        else:
            event.fields["roles"].pop("addressee", None)  # the one refused is not spoken to
            _as_statement(event, event.fields["roles"]["responder"][0])
    statements = [e for e in events if e.fields["type"] == "statement"]
    for event in list(events):
        fields = event.fields
        if fields["type"] != "proposal":
            continue
        roles = fields["roles"]
        if "addressee" not in roles and "proposed_action" in fields:
            others = [a for r in fields["proposed_action"].fields["roles"].values() for a in r
                      if a not in roles.get("proposer", [])]
            if others:
                roles["addressee"] = others[:1]
        if "addressee" not in roles:  # whoever answers a proposal is the one it was made to
            answers = [a for e in events if e.fields.get("responds_to") is event
                       for a in e.fields["roles"].get("responder", []) if a not in roles.get("proposer", [])]
            if answers:
                roles["addressee"] = answers[:1]
        if "proposed_action" in fields and "addressee" in roles and "proposer" in roles:
            continue
        holder = next((st for st in statements if any(sp.start <= event.anchor < sp.end for sp in st.evidence)), None)
        if holder is None and "proposed_action" not in fields:
            _as_statement(event, (roles.get("proposer") or roles.get("addressee"))[0])  # "urged X to ..."
            continue
        events.remove(event)  # its proposed event stays; the text does not say to whom it was made
        for other in events:
            if other.fields.get("responds_to") is event:
                other.fields["responds_to"] = holder or fields["proposed_action"]


def _demanded_of(ctx: Context, events: list[Record]) -> None:
    """A demand that names no addressee is made of whoever answers it ("Ghani rejected the
    Taliban's demand"); an armed group's that no one answers ("The Taliban insist that all 5,000
    of their men be freed"), of the side that can grant it (``_DEMANDED_OF``), which then also
    does what was demanded in the demander's place."""
    for event in events:
        roles = event.fields["roles"]
        if event.fields["type"] != "demand" or list(roles) != ["demander"]:
            continue
        answers = [a for e in events if e.fields.get("responds_to") is event
                   for a in e.fields["roles"].get("responder", []) if a not in roles["demander"]]
        demander = ctx.actors.get(roles["demander"][0])
        text = " ".join(span.text for span in event.evidence)
        granting = next((side for pattern, side in _DEMANDED_OF if pattern.search(text)), None) \
            if demander is not None and demander.type == "ArmedGroup" else None
        addressee = answers[0] if answers else granting
        if addressee is not None and addressee in ctx.actors:
            roles["addressee"] = [addressee]
            demanded = event.fields.get("demanded_action")
            if demanded is not None and granting == addressee:
                # "The Taliban demanded the release of 5,000 prisoners": the government would free them
                demanded.fields["roles"] = {role: [addressee if a in roles["demander"] else a for a in actors]
                                            for role, actors in demanded.fields["roles"].items()}


def _claimed_attacks(events: list[Record]) -> None:
    """An undated claim of responsibility ("The Islamic State group claimed the attack.") answers
    the last dated attack before it, which is the attack it names: no attack of its own."""
    for claim in [e for e in events if e.fields["type"] == "claim-of-responsibility"]:
        if "responds_to" in claim.fields or "text" in claim.fields["time"]:
            continue
        attacks = [e for e in events if e.fields["type"] in _VIOLENT and e.fields["status"] == "occurred"
                   and 0 < claim.anchor - e.anchor < 600 and _first_day(e.fields["time"]) is not None]
        if not attacks:
            continue
        claim.fields["responds_to"] = attacks[-1]
        named = [e for e in events if e.fields["type"] in _VIOLENT and "text" not in e.fields["time"]
                 and any(span.start <= e.anchor < span.end for span in claim.evidence)]
        for attack in named:
            events.remove(attack)


def _after_what_it_answers(events: list[Record]) -> None:
    """An undated response (a claim, a rejection) came no earlier than the day of what it answers:
    its window opens there (annotation guidelines, "Inherited dates"), not at the news day
    ``_news_day`` guessed."""
    for event in events:
        answered, time = event.fields.get("responds_to"), event.fields["time"]
        if not isinstance(answered, Record) or "text" in time or "value" in time:
            continue
        day, latest = _first_day(answered.fields["time"]), time.get("latest")
        if day is None or (latest is not None and day > latest):
            continue
        rest = {k: v for k, v in time.items() if k not in ("earliest", "latest")}
        event.fields["time"] = {"value": day, **rest} if day == latest else \
            {"earliest": day, **({"latest": latest} if latest is not None else {}), **rest}


def _not_yet(ctx: Context, events: list[Record]) -> None:
    """What the text dates after the publication day has not happened: it is planned ("the two
    sides had agreed that negotiations would open on September 23", in an article of 8 September)."""
    for event in events:
        fields = event.fields
        if fields["status"] != "occurred" or fields["type"] in OCCURRED_ONLY or fields["type"] in _SAID:
            continue
        start = next((fields["time"][k] for k in ("value", "begin", "earliest")
                      if fields["time"].get(k) is not None), None)
        first = start if isinstance(start, date) else _first_of(start) if isinstance(start, str) else None
        if first is not None and first > ctx.published:
            fields["status"] = "planned"
            fields["label"] = _label(ctx, fields["type"], "planned", fields["roles"], fields.get("place"))


def _first_of(period: str) -> date | None:
    """The first day of a month ("2019-10") or year ("2020") as written in a time, if it is one."""
    found = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", period)
    return date(int(found.group(1)), int(found.group(2) or 1), 1) if found else None


def _first_day(time: dict[str, Any]) -> date | None:
    """The first day a time at day precision allows (its value, first day or earliest)."""
    if time.get("precision") != "day":
        return None
    day = next((time[k] for k in ("value", "begin", "earliest") if time.get(k) is not None), None)
    return day if isinstance(day, date) else None


def _as_statement(event: Record, speaker: str) -> None:
    """Make ``event`` (an act the links leave standing alone) a statement by ``speaker``, to the
    addressee it had ("urged the Taliban to ...")."""
    fields = event.fields
    addressees = [a for a in fields["roles"].get("addressee", []) if a != speaker][:1]  # "urged X to ..."
    for key in ("roles", "place", "proposed_action", "responds_to"):
        fields.pop(key, None)
    roles = {"speaker": [speaker], **({"addressee": addressees} if addressees else {})}
    fields.update({"type": "statement", "roles": roles, "channel": "unspecified", "content": fields["label"]})
    event.confidence = min(event.confidence, 0.4)


def _label(ctx: Context, type_: str, status: str, roles: dict[str, list[str]], place: str | None) -> str:
    """A one-line summary: "Meeting (planned): Zalmay Khalilzad and Ashraf Ghani, in Kabul"."""
    names = [ctx.actors[a].label if a in ctx.actors else a for r in roles.values() for a in r]
    kind = _sentence_case(type_.replace("-", " "))
    if status != "occurred":
        kind += f" ({status})"
    text = f"{kind}: {' and '.join(dict.fromkeys(names))}"
    if place:
        text += f", in {ctx.place_names.get(place, place)}"
    return _one_line(text)


# -- words ------------------------------------------------------------------------------------


def _sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _one_line(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


_STOPWORDS = frozenset({"a", "an", "the", "to", "of", "in", "on", "at", "is", "it", "its", "and", "that", "be",
                        "for", "with", "by", "has", "have", "had", "was", "were", "are", "will", "would"})


def _slug(text: str, words: int = 4) -> str:
    kept = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOPWORDS]
    return "-".join(kept[:words]) or "condition"
