"""Sentences, clauses and quotations of an article body, with character offsets into the body.

Everything here is rule-based and works on code points, so that every span it returns can be
quoted as evidence: ``body[start:end] == text``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

# Words that end in a full stop without ending the sentence.
ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "adm", "gov",
    "sen", "rep", "st", "jr", "sr", "rev", "hon", "pres", "amb", "no", "vs", "etc", "inc", "ltd",
    "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "approx",
})
SPEECH_VERBS = (
    "said|says|say|saying|told|tells|tweeted|tweets|wrote|writes|added|adds|stressed|stresses|warned|"
    "warns|insisted|insists|stated|states|explained|explains|noted|notes|declared|declares|"
    "announced|announces|confirmed|confirms|replied|replies|asked|asks|continued|argued|argues|denied|denies|"
    "welcomed|welcomes|condemned|condemns|indicated|indicates|acknowledged|acknowledges|admitted|admits|"
    "reiterated|reiterates|emphasi[sz]ed|emphasi[sz]es|cautioned|cautions|predicted|"
    "predicts|conceded|concedes|maintained|maintains|recalled|recalls|revealed|reveals|thanked|thanks|praised|"
    "praises|criticised|criticized|criticises|criticizes|described|describes|accused|accuses|blamed|blames|"
    "put the blame on|puts the blame on|hailed|hails|assured|assures|"
    # "called it a “historic day”", "called the deal a step": a judgement, not "called off" or "called on"
    r"called(?= (?:it|this|that|them|the [\w-]+(?: [\w-]+)?) (?:an? |the |“|\x22))"
)
# A wire dateline opening the body: "KABUL —", "KABUL, July 5 (Zabul Journal) –",
# "WASHINGTON/KABUL (Reuters) -": the place filed from, the filing date and the credited outlet.
_DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Z.’'-]+(?:[ /][A-Z][A-Z.’'-]+)*)"
    r"(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"
    r"(?:\s*\((?P<credit>[^()\n]{2,60})\))?"
    r"\s*[–—-]\s"
)
_SENTENCE_END = re.compile(r"[.!?]+[”\"’)]*(?=\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
# After the closing mark: ", he tweeted", ", the official told Reuters", ", Trump wrote".
_AFTER = re.compile(
    rf"^\s*,?\s*((?:[A-Z][\w’'-]*|he|she|they|it|the|a|an|his|her|their)(?:[\s][\w’'.-]+){{0,8}}?)\s+"
    rf"({SPEECH_VERBS})\b"
)
_AFTER_VERB_FIRST = re.compile(rf"^\s*,?\s*({SPEECH_VERBS})\s+((?:[A-Z]|the\b)[\w’'.\s-]{{0,80}}?)(?=[,.;]|$)")
# Before the opening mark: "X said that “", "X told daily Times that “", "X tweeted: “".
_BEFORE = re.compile(rf"\b({SPEECH_VERBS})\b[^.“”\"]{{0,80}}?(?:\bthat\b)?\s*[:,]?\s*$")


@dataclass(frozen=True)
class Span:
    """A stretch of the body: ``body[start:end] == text``."""

    start: int
    end: int
    text: str


def dateline(body: str) -> re.Match[str] | None:
    """The dateline the body opens with, if any: groups ``place``, ``date`` and ``credit`` (the
    last two optional). Its date and outlet describe the report, not an event of it."""
    return _DATELINE.match(body)


@dataclass(frozen=True)
class Quote:
    """A quotation: its words without the marks, and the attribution next to it, if any."""

    start: int
    end: int
    text: str
    attribution: Span | None
    verb: str | None


class _Located(Protocol):
    start: int
    end: int


Located = TypeVar("Located", bound=_Located)


class Spans(Generic[Located]):
    """Things found in a body (anything with ``start`` and ``end``), looked up by offsets in
    logarithmic time; answers keep the order of the list given."""

    def __init__(self, items: Sequence[Located]) -> None:
        self._items = items
        self._order = sorted(range(len(items)), key=lambda k: items[k].start)
        self._starts = [items[k].start for k in self._order]

    def starting(self, low: int, high: int) -> list[Located]:
        """The items that start at ``low`` or later and at ``high`` or earlier."""
        picked = self._order[bisect_left(self._starts, low):bisect_right(self._starts, high)]
        return [self._items[k] for k in sorted(picked)]

    def within(self, start: int, end: int) -> list[Located]:
        """The items that lie in ``start..end``."""
        return [item for item in self.starting(start, end) if item.end <= end]


def span(body: str, start: int, end: int) -> Span:
    """The span ``start..end`` trimmed of surrounding whitespace."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return Span(start, end, body[start:end])


def split_sentences(body: str) -> list[Span]:
    """The sentences of ``body`` in order: paragraph breaks always end one; a full stop, ``!`` or
    ``?`` ends one unless it closes an abbreviation ("U.S.", "Dec.", "Mr.") or an initial
    ("George W. Bush") or the next word starts in lower case."""
    sentences: list[Span] = []
    for paragraph in re.finditer(r"[^\n]+", body):
        start = paragraph.start()
        for end_mark in _SENTENCE_END.finditer(body, paragraph.start(), paragraph.end()):
            end = end_mark.end()
            if _continues(body, end_mark.start(), end, paragraph.end()):
                continue
            piece = span(body, start, end)
            if piece.text:
                sentences.append(piece)
            start = end
        piece = span(body, start, paragraph.end())
        if piece.text:
            sentences.append(piece)
    return sentences


def _continues(body: str, mark: int, end: int, limit: int) -> bool:
    """Whether the full stop at ``mark`` does not end the sentence."""
    following = body[end:limit].lstrip()
    if not following:
        return False
    if following[0].islower() or following[0] in ",;:":
        return True
    if body[mark] != ".":
        return False
    word = _WORD_BEFORE.search(body, max(0, mark - 20), mark)
    if word is None:
        return False
    token = word.group(1)
    if len(token) == 1 and token.isupper():  # an initial: "W. Bush"
        return True
    if "." in token:  # "U.S", "D.C"
        return True
    return token.lower() in ABBREVIATIONS


def find_quotes(body: str) -> list[Quote]:
    """Quotations in straight or curly double quotes, each with the attribution beside it."""
    quotes: list[Quote] = []
    position = 0
    while True:
        opening = _next_opening(body, position)
        if opening < 0:
            break
        closing_char = "”" if body[opening] == "“" else '"'
        closing = body.find(closing_char, opening + 1)
        paragraph_end = body.find("\n", opening)
        if closing < 0 or (0 <= paragraph_end < closing):
            position = opening + 1
            continue
        inner = span(body, opening + 1, closing)
        if inner.text:
            words = inner.text
            while words and words[-1] in ",":
                words = words[:-1]
            attribution, verb = _attribution(body, opening, closing + 1)
            quotes.append(Quote(inner.start, inner.start + len(words), words, attribution, verb))
        position = closing + 1
    return quotes


def _next_opening(body: str, position: int) -> int:
    found = [i for i in (body.find("“", position), body.find('"', position)) if i >= 0]
    return min(found) if found else -1


def _attribution(body: str, opening: int, after: int) -> tuple[Span | None, str | None]:
    line_end = body.find("\n", after)
    rest = body[after: line_end if line_end >= 0 else len(body)]
    if match := _AFTER.match(rest):
        return span(body, after + match.start(1), after + match.end(2)), match.group(2)
    if match := _AFTER_VERB_FIRST.match(rest):
        return span(body, after + match.start(1), after + match.end(2)), match.group(1)
    line_start = body.rfind("\n", 0, opening) + 1
    before = body[line_start:opening]
    if match := _BEFORE.search(before):
        sentence_start = max(before.rfind(". "), before.rfind("? ")) + 1
        return span(body, line_start + sentence_start, line_start + match.end(1)), match.group(1)
    return None, None


def inside(quotes: list[Quote], start: int, end: int) -> Quote | None:
    """The quotation that holds ``start..end``, if any."""
    for quote in quotes:
        if quote.start <= start and end <= quote.end + 1:
            return quote
    return None
