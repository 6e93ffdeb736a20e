"""The time normaliser: time expressions of a news text, resolved against its publication date.

:func:`find_times` finds absolute dates ("4 December 2019", "Dec. 4", "in August"), weekdays and
deictic words ("on Wednesday", "yesterday", "last month"), ranges ("from June 12 until June 19"),
windows ("within 135 days", "by May 1", "last week", "overnight"), expressions relative to another
event ("a day after", "two days later", "the following day", "on the 12th") and durations
("week-long", "14 months").
Each becomes a :class:`TimeMention` whose :meth:`~TimeMention.as_annotation` is the ``time:``
mapping of docs/annotation-format.md. Values are ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; where
the text leaves the day open the mention gets the coarser precision or a window, never a guessed
day.

Resolution rules:

- A weekday is the publication day when it is that weekday; else the most recent such day in past
  reporting (or after "says"), the next one in future reporting, and the window from the last to
  the next one when no verb tells; ``last``/``next`` exclude the publication day.
- A month without a year is the most recent one (the publication month included) in past
  reporting, the next one in future reporting, the nearest one otherwise; a day and month
  without a year is the nearest such day in a window biased by the tense (up to 45 days against
  it).
- The tense is ``tense`` when given, else guessed from the verb cues nearest to the expression
  (:func:`sentence_tense` gives it for a whole sentence); "was (originally) due to" (a plan seen
  from the past) counts as past.
- Prepositions make bounds: "by X" (latest X, and earliest the publication date when X is still
  ahead; a deadline ahead is never a day gone by), "since/from X" (begin), "until X" (end), "after
  X" (earliest), "before X" (latest); a verb of beginning or ending just before "on X" ("began
  on", "ended on") makes X the begin or end. Two bounds that open and close a range are one
  mention: "between X and Y" the window the event falls in, "from X to Y" the time it lasts.
- Relative expressions count from the latest day mentioned earlier in the same sentence, else
  from the publication date; anaphoric ones ("a day later", "the following day", "that night")
  from the latest day mentioned anywhere before that is not itself relative (and, in past
  reporting, not after publication); "at the time" is that day, and no date when there is none.
  In "<N> after <event>" the value dates the event named after "after" (counting back from the
  anchor), unless that event is dated in its clause ("two days after the talks opened on
  Saturday": counting on from Saturday); in "<N> after <date>" it dates the sentence's event
  (counting on from that date).
  ``relative_to`` says "after" or "before". Weeks are loose ("a week after" gives a window of a
  day either side), approximations ("less than", "about", "days") give windows.

Call it on a whole body, or sentence by sentence giving each call the mentions found before
(``earlier``): anaphoric expressions need the dates of the sentences before them, and the tense
is read around each expression.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = ["TimeMention", "find_times", "sentence_tense"]

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_SMALL_NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                  "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
NUMBER_WORDS: dict[str, int] = {word: value for value, word in enumerate(_SMALL_NUMBERS)}
NUMBER_WORDS.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                     "eighty": 80, "ninety": 90, "a hundred": 100, "one hundred": 100, "a": 1, "an": 1,
                     "a single": 1, "a couple of": 2, "a dozen": 12, "half a dozen": 6})
# Units of duration and the ISO 8601 designator of those written as is (weeks count as days).
UNITS = {"hour": "H", "day": "D", "week": "D", "fortnight": "D", "month": "M", "year": "Y", "decade": "Y"}
# Vague plurals ("days after", "in recent weeks"): the span they allow, in units of the word.
VAGUE_SPANS = {"hour": (0, 23), "day": (2, 10), "week": (2, 8), "month": (2, 11), "year": (2, 10),
               "decade": (2, 5)}
HOLIDAYS = ("Thanksgiving", "Christmas Day", "Christmas Eve", "Christmas", "New Year's Day",
            "New Year’s Day", "New Year's Eve", "New Year’s Eve", "Nowruz", "Nauroz", "Nawruz")
# First days of the two Eids as most of Afghanistan kept them (local sighting may differ by a day,
# so a mention gets a window). Ramadan ends the day before Eid al-Fitr and lasts 29 or 30 days.
EID_AL_FITR = {2015: (7, 17), 2016: (7, 6), 2017: (6, 25), 2018: (6, 15), 2019: (6, 4), 2020: (5, 24),
               2021: (5, 13), 2022: (5, 2), 2023: (4, 21), 2024: (4, 10), 2025: (3, 30), 2026: (3, 20)}
EID_AL_ADHA = {2015: (9, 24), 2016: (9, 12), 2017: (9, 1), 2018: (8, 21), 2019: (8, 11), 2020: (7, 31),
               2021: (7, 20), 2022: (7, 9), 2023: (6, 28), 2024: (6, 16), 2025: (6, 6), 2026: (5, 27)}

PAST, FUTURE, PRESENT = "past", "future", "present"
NEAREST = "nearest"  # a date read with no tense: the nearest one either way
REPORTED = "reported"  # a present-tense reporting verb ("says"): present, but weekdays look back


@dataclass(frozen=True)
class TimeMention:
    """One time expression of a text and what it resolves to."""

    start: int
    end: int
    text: str
    value: str | None
    begin: str | None
    end_value: str | None
    earliest: str | None
    latest: str | None
    precision: str
    anchor: str
    duration: str | None = None
    relative_to: str | None = None

    def as_annotation(self) -> dict:
        """The ``time:`` mapping of the annotation format (only the keys that are set)."""
        mapping: dict[str, str] = {}
        for key, item in (("value", self.value), ("begin", self.begin), ("end", self.end_value),
                          ("earliest", self.earliest), ("latest", self.latest)):
            if item is not None:
                mapping[key] = item
        mapping.update(precision=self.precision, text=self.text, anchor=self.anchor)
        return mapping


# -- Points of time at a precision ----------------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    """A day, month or year; ``day`` is the first day of the period."""

    day: date
    precision: str

    @property
    def iso(self) -> str:
        if self.precision == "year":
            return f"{self.day.year:04d}"
        if self.precision == "month":
            return f"{self.day.year:04d}-{self.day.month:02d}"
        return self.day.isoformat()

    @property
    def last_day(self) -> date:
        if self.precision == "year":
            return date(self.day.year, 12, 31)
        if self.precision == "month":
            return date(self.day.year, self.day.month, calendar.monthrange(self.day.year, self.day.month)[1])
        return self.day


def _day(value: date) -> _Point:
    return _Point(value, "day")


def _month(year: int, month: int) -> _Point:
    return _Point(date(year, month, 1), "month")


def _year(year: int) -> _Point:
    return _Point(date(year, 1, 1), "year")


def _add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(value.day, calendar.monthrange(year, month + 1)[1]))


def _shift(value: date, amount: int, unit: str) -> date:
    """``value`` moved by ``amount`` units (negative: back); calendar months and years."""
    if unit in ("hour", "day"):
        return value + timedelta(days=amount if unit == "day" else _ceil_div(amount, 24))
    if unit in ("week", "fortnight"):
        return value + timedelta(days=amount * (7 if unit == "week" else 14))
    months = {"month": 1, "year": 12, "decade": 120}[unit]
    return _add_months(value, amount * months)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _duration(amount: int, unit: str) -> str:
    if unit == "hour":
        return f"PT{amount}H"
    if unit in ("week", "fortnight"):
        return f"P{amount * (7 if unit == 'week' else 14)}D"
    if unit == "decade":
        return f"P{amount * 10}Y"
    return f"P{amount}{UNITS[unit]}"


def _unit_precision(unit: str) -> str:
    return {"month": "month", "year": "year", "decade": "year"}.get(unit, "day")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# -- Tense -------------------------------------------------------------------------------------------

_IRREGULAR_PAST = frozenset({
    "said", "told", "met", "went", "came", "took", "gave", "made", "held", "left", "began", "became", "fell",
    "sent", "spoke", "wrote", "led", "won", "lost", "struck", "brought", "fought", "sought", "kept", "ran", "saw",
    "was", "were", "had", "did", "thought", "knew", "got", "paid", "flew", "broke", "drew", "rose", "chose",
    "stood", "sat", "hit", "shot", "stole", "swore", "understood", "withdrew", "overthrew", "grew", "threw",
    "spent", "built", "sank", "fled", "bought", "caught", "taught", "wore", "woke", "rang", "sang", "froze",
    "tore", "blew", "swept", "hid", "bore", "dealt", "meant", "felt", "laid", "spread", "sold", "upheld",
    "withheld", "undertook", "overtook", "forgave", "arose", "drove", "rode", "slew", "stuck", "spun", "sped",
    "overran", "died", "lied", "tied", "used", "owed", "eyed",
})
_NOT_PAST_ED = frozenset({
    "need", "proceed", "exceed", "succeed", "indeed", "speed", "hundred", "seed", "feed", "bleed", "breed",
    "creed", "embed", "shed", "steed", "weed", "greed", "red", "bed", "wed", "fled", "sled",
})
_PLANNED = frozenset({"expected", "due", "scheduled", "set", "slated", "planned", "supposed", "going", "about",
                      "meant", "likely", "poised", "to"})
_FUTURE_WORDS = frozenset({"will", "shall", "would", "won't", "won’t", "must", "should", "upcoming", "next",
                           "coming"})
_INTENT_WORDS = frozenset({"plan", "plans", "planning", "intend", "intends", "aim", "aims", "expect", "expects"})
_PRESENT_WORDS = frozenset({"is", "are", "am", "remains", "remain", "begins", "starts", "ends", "expires", "lasts",
                            "opens", "resumes"})
_REPORTING_WORDS = frozenset({"says", "tells", "has", "have", "insists", "wants", "seems", "adds", "claims"})
_VERB_GROUP = frozenset({"to", "be", "been", "have", "not", "also", "now", "then", "still", "soon", "first", "only",
                         "never", "likely", "again", "all", "finally", "probably"})
_WORD = re.compile(r"[A-Za-z]+(?:[’'][A-Za-z]+)?")


def _tense_cues(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, tense) of each verb cue of ``sentence``, in order.

    Future: "will", "would", "'ll", "is/are expected/due/set/to", "plans to", "next". Past: "said",
    "was", "had", lower-case "-ed" words, and a plan seen from the past ("was due to", "had been
    expected to"). Present: "is", "says", "has".
    """
    words = [(match.start(), match.end(), match.group()) for match in _WORD.finditer(sentence)]
    lowered = [word.lower() for _, _, word in words]
    cues: list[tuple[int, int, str]] = []
    index = 0
    while index < len(words):
        start, _, word = words[index]
        low = lowered[index]
        following = lowered[index + 1:index + 4]
        step, tense = 1, None
        adverb = int(bool(following[:1]) and following[0].endswith("ly"))  # "were originally meant to"
        if low in ("was", "were") and following[adverb:adverb + 1] and following[adverb] in _PLANNED:
            step, tense = 2 + adverb, PAST
        elif low == "had" and following[:1] == ["been"] and following[1:2] and following[1] in _PLANNED:
            step, tense = 3, PAST
        elif low in _FUTURE_WORDS or low.endswith(("'ll", "’ll")) \
                or word in ("could", "might", "may") and following[:1] != ["not"]:  # "could leave by May"
            tense = FUTURE
        elif low in ("is", "are", "am"):
            negated = following[:1] == ["not"]
            rest = following[1:] if negated else following
            if rest[:1] and rest[0] in _PLANNED:
                step, tense = 2 + negated, FUTURE
            else:
                tense = PRESENT
        elif low in _INTENT_WORDS and following[:1] == ["to"]:
            step, tense = 2, FUTURE
        elif low in _PLANNED and low != "to" and following[:1] in (["for"], ["to"]):
            step, tense = 2, FUTURE  # "the conference scheduled for April 24"
        elif low in _IRREGULAR_PAST or word == "could" or (word.islower() and len(word) >= 5 and low.endswith("ed")
                                                           and low not in _NOT_PAST_ED):  # "could not agree"
            tense = PAST
        elif low in _PRESENT_WORDS:
            tense = PRESENT
        elif low in _REPORTING_WORDS:
            tense = REPORTED
        if tense:
            cues.append((start, words[min(index + step, len(words)) - 1][1], tense))
        if tense == FUTURE or (tense == PAST and step > 1):
            # The rest of the verb group ("will be held", "is expected to be freed") is no cue.
            while index + step < len(words) and lowered[index + step] in _VERB_GROUP:
                step += 1
            step += 1
        index += step
    return cues


def sentence_tense(sentence: str) -> str:
    """"past", "future" or "present": the tense of the first verb cue of ``sentence``.

    Future: "will", "would", "is expected/due/set to", "plans to", "next". Past: "said", "was",
    "had", "-ed" verbs; "was due to" (a plan seen from the past) counts as past. Present: "is",
    "says", "has"; a sentence with no cue is present.
    """
    cues = _tense_cues(sentence)
    return PRESENT if not cues or cues[0][2] == REPORTED else cues[0][2]


def _tense_near(sentence: str, position: int, end: int) -> str:
    """The tense of the cue nearest to the expression at ``position``..``end`` of the sentence."""
    best: tuple[int, str] | None = None
    for start, stop, tense in _tense_cues(sentence):
        if start >= end and re.search(r"\bthat\b", sentence[end:start]):
            continue  # "told reporters on Monday | that talks would ...": the complement's verb is not its
        if start >= end:
            distance = start - end + 3  # a verb before the expression governs it more often
        elif stop <= position:
            distance = position - stop
        else:
            continue
        if best is None or distance < best[0]:
            best = (distance, tense)
    return best[1] if best else PRESENT


# -- Sentences ------------------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "maj", "capt", "sgt", "st", "jr", "sr", "rev", "gov",
    "sen", "rep", "no", "vs", "etc", "inc", "ltd", "co", "corp", "prof", "adm",
    *MONTH_ABBREVIATIONS, "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
})
_SENTENCE_END = re.compile(r"[.!?]+[”\"’)]*(?=\s)|\n")


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``: ends at . ! ? before a space (not after an
    abbreviation or an initial) and at line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group() != "\n" and match.group()[0] == ".":
            word = re.search(r"([A-Za-z]+)$", text[start:match.start()])
            if word and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
                continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return [span for span in spans if span[1] > span[0]]


# -- Patterns -------------------------------------------------------------------------------------------


def _alternation(words) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))


_MONTH = rf"(?P<month>{_alternation(MONTHS)}|(?:{_alternation(MONTH_ABBREVIATIONS)})\.?)"
_MONTH_FULL = rf"(?P<month>{_alternation(MONTHS)})"
_WEEKDAY = rf"(?P<weekday>{_alternation(WEEKDAYS)})"
_DAYNUM = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_NUMBER = (rf"(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d{{1,4}}|(?:{_TENS})(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?\b|"
           rf"(?:{_alternation(NUMBER_WORDS)})\b)")
_UNIT = rf"(?P<unit>{_alternation(UNITS)})s?\b"
_APPROX = (r"(?P<approx>(?:less|more|fewer)\s+than|nearly|almost|about|around|some|just|only|barely|"
           r"roughly|over|under|at\s+least|at\s+most|up\s+to|close\s+to|little\s+more\s+than)\s+")
_PERIOD_MODIFIER = (r"(?:(?:early|mid|late|end)-?\s*|(?:the\s+)?(?:end|beginning|start|middle|first\s+half|"
                    r"second\s+half|(?:first|second|third|fourth|last|final)\s+(?:week|weeks|days))\s+of\s+)")
_POINT_PREFIX = (r"(?P<prefix>(?:as\s+early\s+as|as\s+soon\s+as|no\s+later\s+than|not\s+before|not\s+until|"
                 r"on|by|until|till|through|throughout|since|from|before|after|as\s+of|in|during|of|last|next|this|"
                 r"starting|beginning|ending)\s+)?")
_WEEKDAY_PREFIX = (r"(?P<prefix>(?:(?:at\s+(?:midnight|noon|dawn|dusk)|late|early|overnight)(?:\s+on)?|"
                   r"as\s+early\s+as|as\s+soon\s+as|no\s+later\s+than|not\s+before|not\s+until|"
                   r"on|by|until|till|since|from|before|after|last|next|this\s+(?:coming|past)|this|"
                   r"coming|past)\s+)?")

_DAY_MONTH = rf"(?:the\s+)?{_DAYNUM}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"
_MONTH_DAY = rf"{_MONTH}\s+{_DAYNUM}(?:,?\s+{_YEAR})?"


def _named(pattern: str, suffix: str) -> str:
    """``pattern`` with its group names suffixed (to use it twice in one expression)."""
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}{suffix}>", pattern)


_RANGE_FULL = (rf"(?P<prefix>(?:from|between)\s+)?(?:{_named(_MONTH_DAY, '1')}|{_named(_DAY_MONTH, '1b')})"
               rf"\s*(?P<link>until|till|to|through|and|-|–|—)\s*"
               rf"(?:{_named(_MONTH_DAY, '2')}|{_named(_DAY_MONTH, '2b')})")
_RANGE_MONTH_FIRST = (rf"(?P<prefix>(?:from|between)\s+)?{_MONTH}\s+(?P<day1>[0-3]?\d)(?:st|nd|rd|th)?"
                      rf"\s*(?P<link>until|till|to|through|and|-|–)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
                      rf"(?:,?\s+{_YEAR})?")
_RANGE_DAY_FIRST = (rf"(?P<prefix>(?:from|between)\s+)?(?P<day1>[0-3]?\d)(?:st|nd|rd|th)?"
                    rf"\s*(?P<link>until|till|to|through|and|-|–)\s*(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?\s+"
                    rf"(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?")

_RELATION = r"(?P<relation>after|before|later|earlier|ago|from\s+now|on)\b"

_RULES: list[tuple[str, str]] = [
    ("range", rf"\b{_RANGE_FULL}"),
    ("range_short", rf"\b{_RANGE_MONTH_FIRST}"),
    ("range_short", rf"\b{_RANGE_DAY_FIRST}"),
    ("range_months", (rf"\b(?P<prefix>from|between)\s+{_named(_MONTH_FULL, '1')}(?:,?\s+{_named(_YEAR, '1')})?"
                      rf"\s*(?:until|till|to|through|and|-|–)\s*{_named(_MONTH_FULL, '2')}(?:,?\s+{_named(_YEAR, '2')})?")),
    ("range_years", (r"\b(?:(?P<prefix>from|between)\s+)?(?P<year1>(?:19|20)\d\d)\s*(?P<link>until|till|to|through|and|-|–)"
                     r"\s*(?P<year2>(?:19|20)\d\d)(?![\d,.]\d)")),
    ("iso", r"\b(?P<prefix>(?:on|by|until|since|from|before|after)\s+)?(?P<year>\d{4})-(?P<mon>\d\d)-(?P<day>\d\d)\b"),
    ("date", rf"\b{_POINT_PREFIX}(?:{_WEEKDAY},?\s+(?:the\s+)?)?(?:{_DAY_MONTH}|{_named(_MONTH_DAY, 'b')})"),
    ("month_year", rf"\b{_POINT_PREFIX}(?P<modifier>{_PERIOD_MODIFIER})?{_MONTH},?\s+{_YEAR}"),
    ("season_year", rf"\b{_POINT_PREFIX}(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}"),
    ("month", (rf"\b(?P<prefix>(?:in|since|until|till|through|throughout|by|from|during|before|after|last|next|this|"
              rf"the|early|mid|late|end)(?:-|\s+))(?P<modifier>{_PERIOD_MODIFIER})?{_MONTH_FULL}\b(?!\s+\d)")),
    ("month", rf"\b(?P<prefix>)(?P<modifier>{_PERIOD_MODIFIER}){_MONTH_FULL}\b(?!\s+\d)"),
    ("year", (rf"\b(?P<prefix>(?:in|since|until|till|through|throughout|by|from|during|before|after|of)\s+|)"
             rf"(?P<modifier>{_PERIOD_MODIFIER})?(?P<year>(?:19|20)\d\d)(?![\d,.]\d)(?!\s*%)")),
    ("decade", r"\b(?P<prefix>(?:in|during|since|until|by|through|of)\s+)?(?:the\s+)?(?P<decade>(?:19|20)\d0)[’']?s\b"),
    ("islamic", (r"\b(?P<name>Eid(?:[\s-]+(?:al|ul|el)[\s-]*(?P<kind>Fitr|Adha|Azha|Fetr))?|Ramadan|Ramazan)\b")),
    ("holiday", rf"\b{_POINT_PREFIX}(?:(?:last|this|next)\s+)?(?P<holiday>{_alternation(HOLIDAYS)})\b"),
    ("weekday", (rf"\b{_WEEKDAY_PREFIX}{_WEEKDAY}(?P<possessive>[’']s)?"
                r"(?P<part>\s+(?:morning|afternoon|evening|night))?\b")),
    # "on the 12th" (of the month last named, else of publication), not "the 16th American killed"
    ("ordinal_day", (r"\b(?P<prefix>(?:on|since|by|until|from)\s+)?the\s+(?P<day>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b"
                     r"(?=\s*(?:[,.;:)]|$)|\s+(?:and|when|after|before|at|in|as|but|while)\b)")),
    ("deictic", (r"\b(?P<prefix>(?:(?:earlier|later|late|early)\s+)?)(?P<word>today|tonight|yesterday|tomorrow|"
                r"this\s+(?:morning|afternoon|evening)|last\s+night|the\s+day\s+before\s+yesterday|"
                r"the\s+day\s+after\s+tomorrow|"
                # "overnight" as an adverb ("struck overnight", "overnight, gunmen ..."), not "overnight talks"
                r"overnight(?=\s*(?:[,.;:!?]|$|\s+(?:on|in|at|and|but|as|when|near|after|before|to|from|into)\b)))\b")),
    ("present", r"\b(?P<word>currently|at\s+present|at\s+the\s+moment|right\s+now)\b"),
    ("soon", (r"\b(?P<word>(?:very\s+)?soon|shortly|before\s+long|in\s+the\s+near\s+future|"
              r"in\s+the\s+not[\s-]+too[\s-]+distant\s+future)\b(?!\s+(?:after|before))")),
    ("period", (r"\b(?P<prefix>(?:(?:earlier|later|early|late)\s+(?:in\s+)?|(?:since|until|by|in|during|over|for|"
               r"(?:at\s+|by\s+|since\s+|until\s+)?the\s+(?:end|beginning|start)\s+of)\s+)?)(?P<which>this\s+past|this|"
               r"last|next|the\s+past|the\s+coming|the\s+current)\s+(?P<unit>week|weekend|month|year)\b")),
    ("period", (r"\b(?P<prefix>(?:at\s+|by\s+|since\s+|until\s+)?the\s+(?:end|beginning|start)\s+of\s+|"
               r"(?:earlier|later)\s+in\s+)"
               r"(?P<which>the)\s+(?P<unit>week|month|year)\b")),
    ("period", r"\b(?P<prefix>(?:over|at|during)\s+)(?P<which>the)\s+(?P<unit>weekend)\b"),
    ("anaphoric", (r"\b(?P<phrase>(?:on\s+)?the\s+(?:following|next)\s+(?:day|morning|afternoon|evening|night)|"
                  r"the\s+(?:day|week)\s+(?:after|before)(?=[\s,.;:])(?!\s+(?:yesterday|tomorrow|last|next))|"
                  r"(?:on\s+)?the\s+previous\s+(?:day|morning|evening|night)|"
                  r"(?:on\s+|later\s+|earlier\s+)?(?:that|the\s+same)\s+(?:day|night|morning|afternoon|evening|date)|"
                  r"(?:earlier|later)\s+in\s+the\s+day|"
                  r"the\s+(?:following|next|previous)\s+(?:week|month|year)|"
                  r"(?:on|by)\s+that\s+date|at\s+(?:the|that)\s+time(?!\s+of\b)|"
                  r"(?:later\s+|earlier\s+)?(?:in\s+)?(?:that|the\s+same)\s+(?:month|year))\b")),
    ("within", (rf"\b(?P<word>within|in\s+the\s+next|in\s+the\s+coming|over\s+the\s+next|over\s+the\s+coming|"
               rf"during\s+the\s+next|in)\s+(?:{_APPROX})?{_NUMBER}\s+{_UNIT}(?!\s+(?:ago|after|before|later|earlier))")),
    ("past_span", (rf"\b(?P<word>(?:in|over|during|for|throughout)\s+the\s+(?:past|last|previous|preceding))\s+"
                  rf"(?:{_APPROX})?{_NUMBER}\s+{_UNIT}")),
    ("vague_span", (r"\b(?P<word>(?:in|over|during|for)\s+(?:the\s+)?(?:recent|past\s+few|last\s+few|previous\s+few|"
                   r"coming|next\s+few|following)|(?:within|in)\s+(?:a\s+few|the\s+next\s+few)|within)\s+"
                   r"(?P<unit>hour|day|week|month|year)s\b")),
    ("relative", rf"\b(?:{_APPROX})?{_NUMBER}\s+{_UNIT}\s+{_RELATION}"),
    ("relative_vague", (rf"\b(?P<approx>(?:just|only|a\s+few|several|a\s+couple\s+of|some)\s+)?"
                       rf"(?P<unit>hour|day|week|month|year)s\s+{_RELATION}")),
    ("duration_adjective", (rf"\b(?:(?P<number>\d{{1,4}}|(?:{_TENS})(?:-(?:one|two|three|four|five|six|seven|eight|"
                           rf"nine))?|{'|'.join(_SMALL_NUMBERS[1:])})-)?(?P<unit>hour|day|week|month|year)s?-long\b"
                           rf"|\b(?P<number2>\d{{1,4}}|(?:{_TENS})(?:-(?:one|two|three|four|five|six|seven|eight|"
                           rf"nine))?|{'|'.join(_SMALL_NUMBERS[1:])})-(?P<unit2>hour|day|week|month|year)\b(?!-old)")),
    ("duration", rf"\b(?P<word>for\s+)?(?:{_APPROX})?{_NUMBER}\s+{_UNIT}(?![-‐]|\s+old)"),
]
# Whitespace inside an expression is short: bounded runs keep a failed match cheap.
_COMPILED = [(kind, re.compile(pattern.replace(r"\s+", r"\s{1,3}").replace(r"\s*", r"\s{0,3}"), re.IGNORECASE))
             for kind, pattern in _RULES]
_BY_KIND = {kind: pattern for kind, pattern in reversed(_COMPILED)}
# The words without which a rule cannot match: rules are only tried near them.
_TRIGGERS = {
    "month": rf"\b(?:{_alternation(MONTHS)}|{_alternation(MONTH_ABBREVIATIONS)})\b",
    "year": r"(?:19|20)\d\d",
    "ordinal": r"\b(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b",
    "weekday": rf"\b(?:{_alternation(WEEKDAYS)})",
    "holiday": r"\b(?:Thanksgiving|Christmas|New\s+Year|Nowruz|Nauroz|Nawruz|Eid|Ramadan|Ramazan)\b",
    "word": (r"\b(?:today|tonight|overnight|yesterday|tomorrow|morning|afternoon|evening|night|currently|present|"
             r"moment|now|soon|shortly|long|future|weekend|date|time|hour|day|week|fortnight|month|year|decade)s?\b"),
}
_TRIGGER_OF = {
    "range": "month", "range_short": "month", "range_months": "month", "date": "month", "month_year": "month",
    "month": "month", "range_years": "year", "decade": "year", "iso": "year", "season_year": "year", "year": "year",
    "holiday": "holiday", "islamic": "holiday", "weekday": "weekday", "ordinal_day": "ordinal",
}
_TRIGGERED = [
    (re.compile(trigger, re.IGNORECASE),
     [(priority, kind, pattern) for priority, (kind, pattern) in enumerate(_COMPILED)
      if _TRIGGER_OF.get(kind, "word") == name])
    for name, trigger in _TRIGGERS.items()
]
_WORD_START = re.compile(r"\b\w")
# A verb of beginning or ending shortly before "on <day>" makes the day a bound of the event.
_BEGUN = re.compile(r"(?<!the\s)(?<!\ba\s)"  # not the noun: "at the start of Ramadan"
                    r"\b(?:began|begun|begins|begin|started|starts|start|opened(?!\s+fire)|opens|took\s+effect|"
                    r"takes\s+effect|take\s+effect|came\s+into\s+(?:force|effect)|commenced)\b[^,.;:()“”\"]{0,30}$",
                    re.IGNORECASE)
_ENDED = re.compile(r"\b(?:ended|ends|expired|expires|finished|concluded)\b[^,.;:()“”\"]{0,30}$", re.IGNORECASE)
_NO_DURATION_BEFORE = re.compile(r"(?:once|twice|thrice|times|per|every|each)\s+$", re.IGNORECASE)


# -- Resolution -----------------------------------------------------------------------------------------


class _Impossible:
    """What a resolver returns for a date that does not exist ("30 February"): no mention, and no
    other rule may read part of it."""


IMPOSSIBLE = _Impossible()


@dataclass
class _Context:
    """What a resolver knows besides its match: the publication date, the tense, prior mentions."""

    text: str
    published: date
    tense: str
    sentence_start: int
    mentions: list[TimeMention]
    offset: int

    def previous_day(self, same_sentence: bool) -> date | None:
        """The day of the latest day-precision mention before this one (in this sentence), skipping
        mentions that are themselves relative and, in past reporting, days after publication."""
        for mention in reversed(self.mentions):
            if same_sentence and mention.start - self.offset < self.sentence_start:
                return None
            iso = mention.value or mention.end_value or mention.begin
            if not iso or len(iso) != 10 or mention.relative_to is not None or _BOUNDARY.match(mention.text):
                continue  # a bound of a period ("from Wednesday", "by March 10") is no day of its own
            day = date.fromisoformat(iso)
            if self.tense != PAST or day <= self.published:
                return day
        return None

    def previous_period(self, length: int) -> _Point | None:
        """The month (``length`` 7) or year (4) of the latest mention before this one that names a
        day or month within it ("in August 2016 ... later that month"), or None."""
        for mention in reversed(self.mentions):
            iso = mention.value or mention.end_value or mention.begin
            if not iso or len(iso) < length or mention.relative_to is not None or _BOUNDARY.match(mention.text):
                continue
            return _month(int(iso[:4]), int(iso[5:7])) if length == 7 else _year(int(iso[:4]))
        return None

    def previous_month(self) -> _Point | None:
        """The month of the latest mention before this one if it has month precision ("in
        September"), else None (also when a day was mentioned after it)."""
        for mention in reversed(self.mentions):
            iso = mention.value or mention.end_value or mention.begin
            if not iso or mention.relative_to is not None or _BOUNDARY.match(mention.text):
                continue
            if len(iso) != 7:
                return None
            month = _month(int(iso[:4]), int(iso[5:]))
            return month if self.tense != PAST or month.day <= self.published else None
        return None


_BOUNDARY = re.compile(r"(?:from|by|until|till|through)\b", re.IGNORECASE)


def _number(word: str) -> int | None:
    word = re.sub(r"\s+", " ", word.lower()).replace(",", "")
    if word.isdigit():
        return int(word)
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    parts = re.split(r"[- ]", word)
    if len(parts) == 2 and parts[0] in NUMBER_WORDS and parts[1] in NUMBER_WORDS:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return None


def _month_number(token: str) -> int | None:
    """The month of a name or abbreviation written with a capital, else None ("may", "march")."""
    if not token[:1].isupper():
        return None
    key = token.rstrip(".").lower()
    return MONTHS.get(key) or MONTH_ABBREVIATIONS.get(key)


def _year_for_month(month: int, published: date, tense: str) -> int:
    """The year of a month named without one: most recent (past), next (future) or nearest."""
    here = published.year * 12 + published.month - 1
    candidates = [(year * 12 + month - 1 - here, year) for year in (published.year - 1, published.year,
                                                                    published.year + 1)]
    if tense == PAST:
        return max((c for c in candidates if c[0] <= 0), key=lambda c: c[0])[1]
    if tense == FUTURE:
        return min((c for c in candidates if c[0] >= 0), key=lambda c: c[0])[1]
    return min(candidates, key=lambda c: (abs(c[0]), -c[0]))[1]


def _year_for_day(month: int, day: int, published: date, tense: str) -> date | None:
    """The nearest such day, within a window that leans 45 days against the tense at most."""
    low, high = {PAST: (-320, 45), FUTURE: (-45, 320)}.get(tense, (-183, 183))
    best: date | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        candidate = _safe_date(year, month, day)
        if candidate is None:
            continue
        distance = (candidate - published).days
        if low <= distance <= high and (best is None or abs(distance) < abs((best - published).days)):
            best = candidate
    if best is None and (month, day) == (2, 29):  # only in leap years: the last one (the next, ahead)
        years = range(published.year + 1, published.year + 5) if tense == FUTURE else \
            range(published.year, published.year - 5, -1)
        best = next((d for d in (_safe_date(y, 2, 29) for y in years)
                     if d is not None and (d >= published if tense == FUTURE else d <= published)), None)
    return best


def _day_exists(month: int, day: int) -> bool:
    return _safe_date(2000, month, day) is not None  # 2000 is a leap year


def _weekday(weekday: int, published: date, tense: str, which: str) -> date:
    """The day of ``weekday`` nearest to ``published`` in the direction the words and tense give."""
    back = (published.weekday() - weekday) % 7
    forward = (weekday - published.weekday()) % 7
    if which == "last":
        return published - timedelta(days=back or 7)
    if which == "next":
        return published + timedelta(days=forward or 7)
    if tense == FUTURE or which == "coming":
        return published + timedelta(days=forward)
    return published - timedelta(days=back)


def _holiday(name: str, year: int) -> date | None:
    key = name.lower().replace("’", "'")
    if key == "thanksgiving":
        first = date(year, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    if key.startswith("christmas"):
        return date(year, 12, 24 if key.endswith("eve") else 25)
    if key.startswith("new year"):
        return date(year, 12, 31) if key.endswith("eve") else date(year, 1, 1)
    return date(year, 3, 21)  # Nowruz, the Afghan new year


def _mention(ctx: _Context, match: re.Match, anchor: date, *, point: _Point | None = None,
             begin: _Point | None = None, end: _Point | None = None, earliest: _Point | None = None,
             latest: _Point | None = None, precision: str | None = None, duration: str | None = None,
             relative_to: str | None = None, span: tuple[int, int] | None = None) -> TimeMention:
    start, stop = span or match.span()
    if precision is None:
        shown = point or begin or end or latest or earliest
        precision = shown.precision if shown else "day"
    return TimeMention(
        start=start + ctx.offset, end=stop + ctx.offset, text=ctx.text[start:stop],
        value=point.iso if point else None, begin=begin.iso if begin else None,
        end_value=end.iso if end else None, earliest=earliest.iso if earliest else None,
        latest=latest.iso if latest else None, precision=precision, anchor=anchor.isoformat(),
        duration=duration, relative_to=relative_to)


def _prefix_word(match: re.Match) -> str:
    prefix = match.groupdict().get("prefix") or ""
    return re.sub(r"\s+", " ", prefix.strip().lower())


def _placed(ctx: _Context, match: re.Match, point: _Point, **extra) -> TimeMention:
    """A point mention, turned into a bound or window by its preposition ("by", "since", ...)."""
    prefix = _prefix_word(match)
    published = ctx.published
    if prefix in ("by", "no later than"):
        future = point.last_day >= published
        return _mention(ctx, match, published, latest=point, earliest=_day(published) if future else None,
                        precision=point.precision, **extra)
    if prefix == "before":
        return _mention(ctx, match, published, latest=point, precision=point.precision, **extra)
    if prefix in ("after", "as early as", "as soon as", "not before", "not until"):
        reported = ctx.tense == PAST and prefix == "after" and point.last_day <= published
        return _mention(ctx, match, published, earliest=point, latest=_day(published) if reported else None,
                        precision=point.precision, **extra)
    if prefix in ("until", "till", "through", "ending"):
        return _mention(ctx, match, published, end=point, **extra)
    before = ctx.text[max(0, match.start() - 40):match.start()]
    dated = prefix in ("on", "in") or prefix.endswith(" on")
    begun, ended = (_BEGUN.search(before), _ENDED.search(before)) if dated else (None, None)
    if ended and begun and ended.start() > begun.start():
        begun = None  # "began on Tuesday and ends in mid-May": the nearer verb
    if prefix in ("since", "from", "starting", "beginning") or begun:
        return _mention(ctx, match, published, begin=point, **extra)
    if ended:
        return _mention(ctx, match, published, end=point, **extra)
    return _mention(ctx, match, published, point=point, **extra)


def _resolve_iso(ctx: _Context, match: re.Match) -> TimeMention | _Impossible:
    value = _safe_date(int(match["year"]), int(match["mon"]), int(match["day"]))
    return _placed(ctx, match, _day(value)) if value else IMPOSSIBLE


def _resolve_date(ctx: _Context, match: re.Match) -> TimeMention | _Impossible | None:
    groups = {key.rstrip("b"): item for key, item in match.groupdict().items() if item is not None}
    month = _month_number(groups["month"])
    if month is None:
        return None
    day = int(groups["day"])
    year, span = _year_after(ctx, match)
    if groups.get("year"):
        value = _safe_date(int(groups["year"]), month, day)
    elif year is not None:
        value = _safe_date(year, month, day)
    else:
        value = _year_for_day(month, day, ctx.published, _looking_back(ctx, match)) if _day_exists(month, day) \
            else None
        if value is not None and value > ctx.published and _prefix_word(match) == "since":
            value = _safe_date(value.year - 1, month, day)  # "since October 3": not one still to come
        if value is not None and value < ctx.published and ctx.tense == FUTURE \
                and _prefix_word(match) in ("by", "until"):  # "will leave by September 11": not one gone by
            value = _safe_date(value.year + 1, month, day)
    if value is None:
        return IMPOSSIBLE
    if groups.get("weekday") and (not groups["weekday"][0].isupper()
                                  or WEEKDAYS[groups["weekday"].lower()] != value.weekday()):
        # The weekday contradicts the date: keep what both allow, the month.
        return _placed(ctx, match, _month(value.year, value.month), span=span)
    return _placed(ctx, match, _day(value), span=span)


def _year_after(ctx: _Context, match: re.Match) -> tuple[int | None, tuple[int, int] | None]:
    """The year a date or month without one is given by the words right after it ("March 3
    last year", "in June next year"), and the span that takes them in; else (None, None)."""
    after = _YEAR_AFTER.match(ctx.text, match.end())
    if after is None:
        return None, None
    return ctx.published.year + {"last": -1, "this": 0, "next": 1}[after[1].lower()], (match.start(), after.end())


_YEAR_AFTER = re.compile(r",?\s+(last|this|next)\s+year\b", re.IGNORECASE)


def _resolve_month_year(ctx: _Context, match: re.Match) -> TimeMention | None:
    month = _month_number(match["month"])
    if month is None:
        return None
    return _placed(ctx, match, _month(int(match["year"]), month))


def _resolve_season_year(ctx: _Context, match: re.Match) -> TimeMention:
    return _placed(ctx, match, _year(int(match["year"])))


def _resolve_month(ctx: _Context, match: re.Match) -> TimeMention | None:
    month = _month_number(match["month"])
    if month is None:
        return None
    prefix = _prefix_word(match).rstrip("-")
    if prefix == "the" and not re.match(r"\s+[a-z]", ctx.text[match.end():match.end() + 2]):
        return None  # "the February agreement", not "the February of ..."
    published = ctx.published
    named, span = _year_after(ctx, match)
    if named is not None:
        year = named
    elif prefix == "last":
        year = published.year if month < published.month else published.year - 1
    elif prefix == "next":
        year = published.year if month > published.month else published.year + 1
    elif prefix == "this":
        year = published.year
    else:
        year = _year_for_month(month, published, _looking_back(ctx, match))
    return _placed(ctx, match, _month(year, month), span=span)


def _looking_back(ctx: _Context, match: re.Match) -> str:
    """The tense a day or month without a year is read in: past after "since" ("since February"
    is the last one, whatever the verb); ahead for a deadline ("set a May 1 deadline", "the
    deadline of May 1": one still to come when it was set); else the sentence's."""
    if _prefix_word(match) == "since":
        return PAST
    if _DEADLINE_AFTER.match(ctx.text, match.end()) or _DEADLINE_BEFORE.search(ctx.text, 0, match.start()):
        return NEAREST
    return ctx.tense


_DEADLINE_AFTER = re.compile(r"\s+deadline\b", re.IGNORECASE)
_DEADLINE_BEFORE = re.compile(r"\bdeadline\s+(?:of|is|was|for)\s+(?:[\w-]+\s+){0,3}?$", re.IGNORECASE)


def _resolve_year(ctx: _Context, match: re.Match) -> TimeMention | None:
    if not match["prefix"] and not match["modifier"]:
        return None
    if not match["modifier"] and re.match(r"\s+[a-z]{3,}s\b", ctx.text[match.end():match.end() + 30]) and \
            _prefix_word(match) in ("by", "of", "from", "until", "through"):
        return None  # "cut by 2000 troops", "of 1990 prisoners": a count
    return _placed(ctx, match, _year(int(match["year"])))


def _resolve_decade(ctx: _Context, match: re.Match) -> TimeMention:
    first = int(match["decade"])
    return _mention(ctx, match, ctx.published, begin=_year(first), end=_year(first + 9), duration="P10Y")


def _resolve_islamic(ctx: _Context, match: re.Match) -> TimeMention | None:
    """Eid al-Fitr (three days), Eid al-Adha (four days), plain "Eid" (the nearer of the two) and
    Ramadan, as windows around the table's days; None outside the table's years."""
    if not match["name"][0].isupper():
        return None
    name, kind = match["name"].lower(), (match["kind"] or "").lower()
    spans: list[tuple[date, date]] = []
    for year in range(ctx.published.year - 1, ctx.published.year + 2):
        fitr, adha = EID_AL_FITR.get(year), EID_AL_ADHA.get(year)
        if name.startswith("ram") and fitr:
            end = date(year, *fitr)
            spans.append((end - timedelta(days=31), end))
        if name.startswith("eid") and fitr and kind in ("", "fitr", "fetr"):
            spans.append((date(year, *fitr) - timedelta(days=1), date(year, *fitr) + timedelta(days=3)))
        if name.startswith("eid") and adha and kind in ("", "adha", "azha"):
            spans.append((date(year, *adha) - timedelta(days=1), date(year, *adha) + timedelta(days=4)))
    if ctx.tense == PAST:
        spans = [span for span in spans if span[0] <= ctx.published]
    elif ctx.tense == FUTURE:
        spans = [span for span in spans if span[1] >= ctx.published]
    if not spans:
        return None
    first, last = min(spans, key=lambda span: min(abs((span[0] - ctx.published).days),
                                                  abs((span[1] - ctx.published).days)))
    return _mention(ctx, match, ctx.published, earliest=_day(first), latest=_day(last))


def _resolve_holiday(ctx: _Context, match: re.Match) -> TimeMention | None:
    if not match["holiday"][0].isupper():
        return None
    candidates = [_holiday(match["holiday"], year) for year in range(ctx.published.year - 1, ctx.published.year + 2)]
    if ctx.tense == FUTURE:
        value = min(c for c in candidates if c >= ctx.published)
    elif ctx.tense == PAST:
        value = max(c for c in candidates if c <= ctx.published)
    else:
        value = min(candidates, key=lambda c: abs((c - ctx.published).days))
    return _placed(ctx, match, _day(value))


def _resolve_weekday(ctx: _Context, match: re.Match) -> TimeMention | None:
    if not match["weekday"][0].isupper():
        return None
    prefix = _prefix_word(match)
    which = {"last": "last", "this past": "last", "past": "last", "next": "next", "this coming": "coming",
             "coming": "coming"}.get(prefix, "")
    tense = FUTURE if prefix in ("as early as", "as soon as", "not before", "not until") else ctx.tense
    weekday = WEEKDAYS[match["weekday"].lower()]
    if tense == PRESENT and not which and weekday != ctx.published.weekday():
        # No verb says which way: the window from the last such day to the next one.
        return _mention(ctx, match, ctx.published, earliest=_day(_weekday(weekday, ctx.published, PAST, "")),
                        latest=_day(_weekday(weekday, ctx.published, FUTURE, "")))
    value = _weekday(weekday, ctx.published, tense, which)
    if which:
        return _mention(ctx, match, ctx.published, point=_day(value))
    return _placed(ctx, match, _day(value))


def _resolve_deictic(ctx: _Context, match: re.Match) -> TimeMention:
    word = re.sub(r"\s+", " ", match["word"].lower())
    if word == "overnight":  # the night that ends on publication (or, ahead, begins on it)
        other = ctx.published + timedelta(days=1 if ctx.tense == FUTURE else -1)
        first, last = min(other, ctx.published), max(other, ctx.published)
        return _mention(ctx, match, ctx.published, earliest=_day(first), latest=_day(last))
    shift = {"yesterday": -1, "tomorrow": 1, "last night": -1, "the day before yesterday": -2,
             "the day after tomorrow": 2}.get(word, 0)
    return _mention(ctx, match, ctx.published, point=_day(ctx.published + timedelta(days=shift)))


def _resolve_ordinal_day(ctx: _Context, match: re.Match) -> TimeMention | _Impossible:
    """"on the 12th": that day of the month last named ("talks opened on September 3 ... on the
    12th"), else of the publication month (the one before it in the past, after it ahead)."""
    day, published = int(match["day"]), ctx.published
    named = ctx.previous_day(same_sentence=False)
    month = (named.year, named.month) if named else None
    if month is None and (earlier := ctx.previous_month()) is not None:
        month = (earlier.day.year, earlier.day.month)
    if month is None:
        step = -1 if ctx.tense == PAST and day > published.day else \
            1 if ctx.tense == FUTURE and day < published.day else 0
        shifted = _add_months(published.replace(day=1), step)
        month = (shifted.year, shifted.month)
    value = _safe_date(month[0], month[1], day)
    return IMPOSSIBLE if value is None else _placed(ctx, match, _day(value))


def _resolve_present(ctx: _Context, match: re.Match) -> TimeMention:
    return _mention(ctx, match, ctx.published, point=_day(ctx.published))


def _resolve_soon(ctx: _Context, match: re.Match) -> TimeMention | None:
    if ctx.tense == PAST:
        return None  # "soon" in a past narrative counts from an event, not from publication
    return _mention(ctx, match, ctx.published, earliest=_day(ctx.published))


def _week_start(value: date) -> date:
    return value - timedelta(days=value.weekday())


def _resolve_period(ctx: _Context, match: re.Match) -> TimeMention:
    published = ctx.published
    which = re.sub(r"\s+", " ", match["which"].lower())
    unit = match["unit"].lower()
    prefix = _prefix_word(match)
    if which in ("the past", "this past", "the coming") and unit != "weekend":
        # A rolling span up to or from publication: "over the past year", "this past week".
        other = _shift(published, 1 if which == "the coming" else -1, unit)
        return _mention(ctx, match, published, earliest=_day(min(other, published)),
                        latest=_day(max(other, published)), duration=_duration(1, unit))
    step = {"last": -1, "next": 1}.get(which, 0)
    if unit == "year":
        return _placed_bare(ctx, match, _year(published.year + step), prefix)
    if unit == "month":
        shifted = _add_months(published.replace(day=1), step)
        return _placed_bare(ctx, match, _month(shifted.year, shifted.month), prefix)
    monday = _week_start(published) + timedelta(days=7 * step)
    if unit == "weekend":
        saturday = monday + timedelta(days=5)
        gone = which in ("the past", "this past") or which in ("this", "the") and ctx.tense != FUTURE
        if gone and published < saturday:  # "this past weekend", "met at the weekend": the last one
            saturday -= timedelta(days=7)
        return _mention(ctx, match, published, earliest=_day(saturday), latest=_day(saturday + timedelta(days=1)))
    first, last = monday, monday + timedelta(days=6)
    if prefix == "by" or prefix.endswith("by the end of"):
        return _mention(ctx, match, published, earliest=_day(published), latest=_day(max(last, published)))
    if step == 0:
        if prefix.startswith("earlier") or (ctx.tense == PAST and not prefix.startswith("later")):
            last = max(first, published - timedelta(days=1) if prefix.startswith("earlier") else published)
        elif prefix.startswith("later") or ctx.tense == FUTURE:
            first = published
    return _mention(ctx, match, published, earliest=_day(first), latest=_day(last))


def _placed_bare(ctx: _Context, match: re.Match, point: _Point, prefix: str) -> TimeMention:
    if prefix in ("since", "until", "by"):
        return _placed(ctx, match, point)
    if prefix.startswith("by ") and point.last_day >= ctx.published:  # "by the end of the year": a deadline
        return _mention(ctx, match, ctx.published, earliest=_day(ctx.published), latest=point,
                        precision=point.precision)
    if prefix.startswith("since "):  # "since the start of the year"
        return _mention(ctx, match, ctx.published, begin=point)
    if prefix.startswith("until "):
        return _mention(ctx, match, ctx.published, end=point)
    return _mention(ctx, match, ctx.published, point=point)


def _relative_anchor(ctx: _Context, anaphoric: bool) -> date:
    return ctx.previous_day(same_sentence=True) or (anaphoric and ctx.previous_day(False)) or ctx.published


def _resolve_anaphoric(ctx: _Context, match: re.Match) -> TimeMention | None:
    phrase = re.sub(r"\s+", " ", match["phrase"].lower())
    if phrase.endswith(" time"):  # "at the time": the day last mentioned, never the publication day
        earlier = ctx.previous_day(same_sentence=False)
        return _mention(ctx, match, earlier, point=_day(earlier)) if earlier else None
    if re.search(r"(?:that|same) (?:month|year)$", phrase):  # "later that month": the month last named
        unit = phrase.rsplit(" ", 1)[1]
        earlier = ctx.previous_period(7 if unit == "month" else 4)
        return _mention(ctx, match, ctx.published, point=earlier) if earlier else None
    anchor = ctx.previous_day(same_sentence=False) or ctx.published
    period = re.search(r"(following|next|previous) (week|month|year)$", phrase)
    if period:
        step = -1 if period.group(1) == "previous" else 1
        relative_to = "before" if step < 0 else "after"
        if period.group(2) == "week":
            monday = _week_start(anchor) + timedelta(days=7 * step)
            return _mention(ctx, match, anchor, earliest=_day(monday), latest=_day(monday + timedelta(days=6)),
                            relative_to=relative_to)
        if period.group(2) == "month":
            shifted = _add_months(anchor.replace(day=1), step)
            return _mention(ctx, match, anchor, point=_month(shifted.year, shifted.month), relative_to=relative_to)
        return _mention(ctx, match, anchor, point=_year(anchor.year + step), relative_to=relative_to)
    if phrase.startswith("the week "):  # "the week before": the seven days before that day
        step = 1 if phrase.endswith("after") else -7
        first = anchor + timedelta(days=step)
        return _mention(ctx, match, anchor, earliest=_day(first), latest=_day(first + timedelta(days=6)),
                        relative_to="after" if step > 0 else "before")
    if "following" in phrase or "next" in phrase or "day after" in phrase:
        return _mention(ctx, match, anchor, point=_day(anchor + timedelta(days=1)), relative_to="after")
    if "previous" in phrase or "day before" in phrase:
        return _mention(ctx, match, anchor, point=_day(anchor - timedelta(days=1)), relative_to="before")
    return _mention(ctx, match, anchor, point=_day(anchor))


def _amount(match: re.Match) -> int | None:
    return _number(match["number"]) if match["number"] else None


def _resolve_within(ctx: _Context, match: re.Match) -> TimeMention | None:
    amount, unit = _amount(match), match["unit"].lower()
    if amount is None:
        return None
    if match["word"].lower() == "in" and unit not in ("hour", "day", "week"):
        return None  # "in 14 months" reads as a duration, "in two days" as a deadline
    # "Under the agreement, ... within 135 days": counted from the day of the agreement last dated
    anchor = _relative_anchor(ctx, anaphoric=bool(_UNDER_THE_DEAL.match(ctx.text, ctx.sentence_start)))
    if match["word"].lower() == "in" and ctx.tense == PAST:
        # "the second attack in a week": the span up to the anchor.
        return _mention(ctx, match, anchor, earliest=_day(_shift(anchor, -amount, unit)), latest=_day(anchor),
                        precision="day", duration=_duration(amount, unit))
    latest = _shift(anchor, amount, unit)
    return _mention(ctx, match, anchor, earliest=_day(anchor), latest=_day(latest), precision="day",
                    duration=_duration(amount, unit))


_UNDER_THE_DEAL = re.compile(r"\s*(?:under|as part of) (?:the|that|this|their) (?:\w+ )?(?:deal|agreement|accord|"
                             r"plan|terms)\b", re.IGNORECASE)


def _resolve_past_span(ctx: _Context, match: re.Match) -> TimeMention | None:
    amount, unit = _amount(match), match["unit"].lower()
    if amount is None:
        return None
    anchor = _relative_anchor(ctx, anaphoric=False)
    return _mention(ctx, match, anchor, earliest=_day(_shift(anchor, -amount, unit)), latest=_day(anchor),
                    precision="day", duration=_duration(amount, unit))


def _resolve_vague_span(ctx: _Context, match: re.Match) -> TimeMention:
    unit, word = match["unit"].lower(), match["word"].lower()
    anchor = _relative_anchor(ctx, anaphoric=False)
    longest = VAGUE_SPANS[unit][1]
    if any(w in word for w in ("coming", "next", "following", "within", "in a few")):
        return _mention(ctx, match, anchor, earliest=_day(anchor), latest=_day(_shift(anchor, longest, unit)))
    return _mention(ctx, match, anchor, earliest=_day(_shift(anchor, -longest, unit)), latest=_day(anchor))


def _relation_point(anchor: date, amount: int, unit: str, direction: int) -> dict:
    """The point or window ``amount`` units from ``anchor`` (direction +1 later, -1 earlier); weeks
    are loose in prose ("a week after"), so they give a window of a day or more either side."""
    target = _shift(anchor, direction * amount, unit)
    if unit in ("week", "fortnight"):
        slack = timedelta(days=min(3, amount * (2 if unit == "fortnight" else 1)))
        return {"earliest": _day(target - slack), "latest": _day(target + slack)}
    if unit in ("month",):
        return {"point": _month(target.year, target.month)}
    if unit in ("year", "decade"):
        return {"point": _year(target.year)}
    return {"point": _day(target)}


def _resolve_relative(ctx: _Context, match: re.Match, following: TimeMention | None,
                      vague: bool) -> TimeMention | None:
    unit = match["unit"].lower()
    amount = None if vague else _amount(match)
    if not vague and amount is None:
        return None
    if amount is not None and unit in ("decade", "fortnight"):
        amount, unit = (amount * 10, "year") if unit == "decade" else (amount * 14, "day")
    relation = re.sub(r"\s+", " ", match["relation"].lower())
    if relation == "on":
        return None  # "two years on": too loose to resolve
    approx = re.sub(r"\s+", " ", (match["approx"] or "").strip().lower())
    duration = _duration(amount, unit) if amount is not None else None
    span = match.span()
    if relation in ("after", "before") and following is not None and following.value and len(following.value) == 10:
        # "two days after June 12": counted on (or back) from that date.
        anchor = date.fromisoformat(following.value)
        direction = 1 if relation == "after" else -1
        span = (match.start(), following.end - ctx.offset)
    elif relation in ("ago", "from now"):
        anchor, direction = ctx.published, (-1 if relation == "ago" else 1)
    elif relation in ("later", "earlier"):
        month = ctx.previous_month() if unit in ("hour", "day", "week") else None
        if month is not None and ctx.previous_day(same_sentence=True) is None:
            return _from_month(ctx, match, month, amount, unit, approx, 1 if relation == "later" else -1, duration)
        anchor, direction = _relative_anchor(ctx, anaphoric=True), (1 if relation == "later" else -1)
    else:
        # "<N> after <event>": the event named after "after" lies N before the sentence's own day,
        # unless it is still to come ("14 months after it is signed", "will leave a week after").
        anchor, direction = _relative_anchor(ctx, anaphoric=False), (-1 if relation == "after" else 1)
        clause = re.match(r"[^,.;:!?()“”\"]*", ctx.text[match.end():match.end() + 120]).group()
        clause_cues = _tense_cues(clause)
        if ctx.tense == FUTURE or (clause_cues and clause_cues[0][2] != PAST):
            return _mention(ctx, match, ctx.published, precision=_unit_precision(unit), duration=duration,
                            relative_to="after" if relation == "after" else "before")
        dated = _day_in(ctx, match.end(), match.end() + len(clause))
        if dated is not None:  # "a day after the talks opened on Saturday": counted from that day
            anchor, direction = dated, (1 if relation == "after" else -1)
    relative_to = None if relation in ("ago", "from now") else ("after" if relation in ("after", "later") else "before")
    if amount is None and unit == "hour":
        return _mention(ctx, match, anchor, point=_day(anchor), relative_to=relative_to, span=span)
    if amount is None or approx:
        low, high = _bounds(amount, unit, approx)
        near, far = _shift(anchor, direction * low, unit), _shift(anchor, direction * high, unit)
        first, last = min(near, far), max(near, far)
        # A comparison with an exact amount ("less than a year after") bounds the day exactly; an
        # estimate ("nearly two decades", "months after") only at the precision of its unit.
        exact = amount is not None and approx in _COMPARISONS
        precision = "day" if exact or unit in ("hour", "day", "week") else _unit_precision(unit)
        if precision == "day":
            return _mention(ctx, match, anchor, earliest=_day(first), latest=_day(last), duration=duration,
                            relative_to=relative_to, span=span)
        if precision == "month" and (first.year, first.month) == (last.year, last.month):
            return _mention(ctx, match, anchor, point=_month(first.year, first.month), duration=duration,
                            relative_to=relative_to, span=span)
        if precision == "year" and first.year == last.year:
            return _mention(ctx, match, anchor, point=_year(first.year), duration=duration,
                            relative_to=relative_to, span=span)
        return _mention(ctx, match, anchor, earliest=_Point(first, precision), latest=_Point(last, precision),
                        precision=precision, duration=duration, relative_to=relative_to, span=span)
    return _mention(ctx, match, anchor, **_relation_point(anchor, amount, unit, direction), duration=duration,
                    relative_to=relative_to, span=span)


def _from_month(ctx: _Context, match: re.Match, month: _Point, amount: int | None, unit: str, approx: str,
                direction: int, duration: str | None) -> TimeMention:
    """Days or weeks later (or earlier) than a month ("called off the talks in September. Days
    later, ..."): that month or, counting from its last days, the next (the one before)."""
    low, high = _bounds(amount, unit, approx) if amount is None or approx else (amount, amount)
    if direction > 0:
        first, last = _shift(month.day, low, unit), _shift(month.last_day, high, unit)
    else:
        first, last = _shift(month.day, -high, unit), _shift(month.last_day, -low, unit)
    first_month, last_month = _month(first.year, first.month), _month(last.year, last.month)
    relative_to = "after" if direction > 0 else "before"
    if first_month == last_month:
        return _mention(ctx, match, month.day, point=first_month, duration=duration, relative_to=relative_to)
    return _mention(ctx, match, month.day, earliest=first_month, latest=last_month, precision="month",
                    duration=duration, relative_to=relative_to)


_COMPARISONS = ("less than", "fewer than", "under", "up to", "at most", "more than", "over", "at least",
                "little more than")


def _bounds(amount: int | None, unit: str, approx: str) -> tuple[int, int]:
    """The smallest and largest number of units an approximate amount allows."""
    if amount is None:
        low, high = VAGUE_SPANS[unit]
        if unit == "hour" or approx in ("just", "only", "a few", "a couple of"):
            high = max(low, min(high, 5 if unit != "hour" else high))
        return low, high
    if approx in ("less than", "fewer than", "under", "up to", "at most", "barely", "just", "only"):
        return 0, amount
    if approx in ("more than", "over", "at least", "little more than"):
        return amount, amount + max(1, amount // 2)
    if approx in ("nearly", "almost"):
        return max(0, amount - max(1, amount // 10)), amount
    return max(0, amount - max(1, amount // 10)), amount + max(1, amount // 10)


def _resolve_duration_adjective(ctx: _Context, match: re.Match) -> TimeMention | None:
    number = match["number"] or match["number2"]
    unit = (match["unit"] or match["unit2"]).lower()
    amount = _number(number.replace("-", " ")) if number else 1
    if amount is None:
        return None
    return _mention(ctx, match, ctx.published, precision=_unit_precision(unit), duration=_duration(amount, unit))


def _resolve_duration(ctx: _Context, match: re.Match) -> TimeMention | None:
    amount, unit = _amount(match), match["unit"].lower()
    if amount is None or _NO_DURATION_BEFORE.search(ctx.text[max(0, match.start() - 12):match.start()]):
        return None
    if match["number"].isdigit() and unit == "year" and not match["word"] and not match["approx"] and amount > 100:
        return None
    return _mention(ctx, match, ctx.published, precision=_unit_precision(unit), duration=_duration(amount, unit))


def _resolve_range(ctx: _Context, match: re.Match) -> TimeMention | _Impossible | None:
    groups = match.groupdict()
    if groups["prefix"] is None and groups["link"].lower() in ("to", "and", "until", "till", "through"):
        return None  # "June 15 to June 17" without "from": may be two separate dates
    month1 = _month_number(groups.get("month1") or groups.get("month1b") or "")
    month2 = _month_number(groups.get("month2") or groups.get("month2b") or "")
    day1 = groups.get("day1") or groups.get("day1b")
    day2 = groups.get("day2") or groups.get("day2b")
    year1 = groups.get("year1") or groups.get("year1b")
    year2 = groups.get("year2") or groups.get("year2b")
    return _range(ctx, match, month1, int(day1), year1, month2, int(day2), year2)


def _resolve_range_short(ctx: _Context, match: re.Match) -> TimeMention | _Impossible | None:
    if match["prefix"] is None and match["link"].lower() in ("and", "to", "until", "till", "through"):
        return None
    month = _month_number(match["month"])
    return _range(ctx, match, month, int(match["day1"]), match["year"], month, int(match["day2"]), match["year"])


def _resolve_range_months(ctx: _Context, match: re.Match) -> TimeMention | None:
    month1, month2 = _month_number(match["month1"]), _month_number(match["month2"])
    if month1 is None or month2 is None:
        return None
    if match["year1"]:
        year1 = int(match["year1"])
    elif match["year2"]:
        year1 = int(match["year2"]) - (1 if month1 > month2 else 0)
    else:
        year1 = _year_for_month(month1, ctx.published, ctx.tense)
    year2 = int(match["year2"]) if match["year2"] else year1 + (1 if month2 < month1 else 0)
    if not (match["year1"] or match["year2"]) and ctx.tense == PAST and (year1, month1) > (
            ctx.published.year, ctx.published.month):
        year1, year2 = year1 - 1, year2 - 1  # a past range starts before publication
    if (year2, month2) <= (year1, month1):
        return None
    return _mention(ctx, match, ctx.published, begin=_month(year1, month1), end=_month(year2, month2))


def _resolve_range_years(ctx: _Context, match: re.Match) -> TimeMention | None:
    first, last = int(match["year1"]), int(match["year2"])
    if last <= first or (match["prefix"] is None and match["link"].lower() not in ("-", "–")):
        return None
    return _mention(ctx, match, ctx.published, begin=_year(first), end=_year(last))


def _range(ctx: _Context, match: re.Match, month1: int | None, day1: int, year1: str | None,
           month2: int | None, day2: int, year2: str | None) -> TimeMention | _Impossible | None:
    if month1 is None or month2 is None:
        return None
    if not (_day_exists(month1, day1) and _day_exists(month2, day2)):
        return IMPOSSIBLE
    if year2 and not year1:
        year1 = str(int(year2) - (1 if (month1, day1) > (month2, day2) else 0))
    if year1:
        first = _safe_date(int(year1), month1, day1)
    else:
        first = _year_for_day(month1, day1, ctx.published, ctx.tense)
    if first is None:
        return None
    last_year = int(year2) if year2 else first.year + (1 if (month2, day2) < (month1, day1) else 0)
    last = _safe_date(last_year, month2, day2)
    if last is None or last < first:
        return None
    days = (last - first).days + 1
    return _mention(ctx, match, ctx.published, begin=_day(first), end=_day(last), duration=f"P{days}D")


_RESOLVERS: dict[str, Callable[[_Context, re.Match], TimeMention | _Impossible | None]] = {
    "range": _resolve_range, "range_short": _resolve_range_short, "range_months": _resolve_range_months,
    "range_years": _resolve_range_years, "iso": _resolve_iso, "date": _resolve_date,
    "month_year": _resolve_month_year, "season_year": _resolve_season_year, "month": _resolve_month,
    "year": _resolve_year, "decade": _resolve_decade, "holiday": _resolve_holiday,
    "islamic": _resolve_islamic, "weekday": _resolve_weekday,
    "deictic": _resolve_deictic, "present": _resolve_present, "soon": _resolve_soon,
    "ordinal_day": _resolve_ordinal_day,
    "period": _resolve_period, "anaphoric": _resolve_anaphoric,
    "within": _resolve_within, "past_span": _resolve_past_span, "vague_span": _resolve_vague_span,
    "duration_adjective": _resolve_duration_adjective, "duration": _resolve_duration,
}


def _candidates(text: str) -> list[tuple[int, int, int, str, re.Match]]:
    """All rule matches, leftmost-longest first, earlier rules first among equals.

    Each rule is tried only at the word starts up to 60 characters before one of its trigger words
    (a month, a year, a weekday, a unit ...), which keeps the cost linear in the text.
    """
    word_starts = [match.start() for match in _WORD_START.finditer(text)]
    found: dict[tuple[int, int], tuple[int, int, int, str, re.Match]] = {}
    for trigger, rules in _TRIGGERED:
        starts: set[int] = set()
        for hit in trigger.finditer(text):
            first = bisect.bisect_left(word_starts, hit.start() - 60)
            last = bisect.bisect_right(word_starts, hit.start())
            starts.update(word_starts[first:last])
        for position in sorted(starts):
            for priority, kind, pattern in rules:
                match = pattern.match(text, position)
                if match and match.end() > position:
                    found[(position, priority)] = (position, -(match.end() - position), priority, kind, match)
    return [(start, start - negative_length, priority, kind, match)
            for start, negative_length, priority, kind, match in sorted(found.values(), key=lambda item: item[:3])]


def find_times(text: str, published: date, *, offset: int = 0, tense: str | None = None,
               earlier: Sequence[TimeMention] = ()) -> list[TimeMention]:
    """All time expressions in ``text`` (a sentence or a whole body), resolved against ``published``.

    ``offset`` is added to every start and end (the position of ``text`` in the body). ``tense``
    ("past" | "future" | "present" | None = guessed from the verbs nearest each expression) decides
    the direction of weekdays and the year of bare months and days. ``earlier`` are the mentions
    of the body before ``text`` (in body offsets), which anaphoric expressions may count from.
    """
    if tense not in (None, PAST, FUTURE, PRESENT):
        raise ValueError(f"tense must be 'past', 'future', 'present' or None, not {tense!r}")
    sentences = _sentences(text) or [(0, len(text))]
    sentence_starts = [start for start, _ in sentences]
    candidates = _candidates(text)
    mentions: list[TimeMention] = list(earlier)
    skip_until = -1
    for start, end, _priority, kind, match in candidates:
        if start < skip_until:
            continue
        sentence_start, sentence_end = sentences[max(0, bisect.bisect_right(sentence_starts, start) - 1)]
        # The verbs that govern an expression are near it: a window of the sentence around it.
        window_start, window_end = max(sentence_start, start - 150), min(sentence_end, end + 100)
        local_tense = tense or _tense_near(text[window_start:window_end], start - window_start, end - window_start)
        ctx = _Context(text, published, local_tense, sentence_start, mentions, offset)
        try:
            if kind in ("relative", "relative_vague"):
                following = _following_date(ctx, end)
                mention = _resolve_relative(ctx, match, following, vague=kind == "relative_vague")
            else:
                mention = _RESOLVERS[kind](ctx, match)
        except (ValueError, OverflowError):
            mention = IMPOSSIBLE  # beyond the calendar (years 1 to 9999): no date, and no part of one
        if isinstance(mention, TimeMention):
            mentions.append(mention)
            skip_until = mention.end - offset
        elif mention is IMPOSSIBLE:
            skip_until = end
    return _joined_ranges(text, mentions[len(earlier):], offset)


_RANGE_OPENER = re.compile(r"\b(between|from)\s+$", re.IGNORECASE)
_RANGE_JOINT = re.compile(r"\s+(?:and|to|until|till|through)\s+", re.IGNORECASE)
_RANGE_CLOSER = re.compile(r"(?:until|till|through|to)\s", re.IGNORECASE)  # "from June | until the end of July"


def _joined_ranges(text: str, mentions: list[TimeMention], offset: int) -> list[TimeMention]:
    """Two months or days that open and close one range ("between the start of February and the
    end of April", "from mid-March to late April") as one mention: "between" gives the window the
    event falls in (earliest, latest), "from ... to" the time it lasts (begin, end). A bound
    written as the start or end of a month is that month's first or last day."""
    joined: list[TimeMention] = []
    for mention in mentions:
        first = joined[-1] if joined else None
        opener = _RANGE_OPENER.search(text, 0, first.start - offset) if first else None
        joint = text[first.end - offset:mention.start - offset] if first else ""
        if first is None or (opener is None and not first.text.lower().startswith("from ")) \
                or not (_RANGE_JOINT.fullmatch(joint) or joint.isspace() and _RANGE_CLOSER.match(mention.text)):
            joined.append(mention)
            continue
        low, high = first.value or first.begin, mention.value or mention.end_value
        if low is not None and high is not None and len(high) >= 7 and high < low \
                and not re.search(r"\d{4}", mention.text):  # the April after that February, not the one before
            high = _after(high, low)
        if low is None or high is None or len(low) < 7 or len(high) < 7 or high < low:
            joined.append(mention)
            continue
        low, high = _bound(low, first.text, last=False), _bound(high, mention.text, last=True)
        if len(low) != len(high):  # a day and a month: the month's first or last day
            low, high = _month_day(low, last=False), _month_day(high, last=True)
        between = opener is not None and opener.group(1).lower() == "between"
        start = first.start - (len(opener.group(0)) if opener else 0)
        joined[-1] = TimeMention(
            start, mention.end, text[start - offset:mention.end - offset], None,
            None if between else low, None if between else high, low if between else None,
            high if between else None, "day" if len(low) == 10 or len(high) == 10 else "month", first.anchor)
    return joined


def _after(value: str, low: str) -> str:
    """``value`` (a month or day whose year was guessed) moved to the first year that puts it on
    or after ``low``."""
    for year in (int(low[:4]), int(low[:4]) + 1):
        moved = f"{year:04d}{value[4:]}"
        if moved >= low and (len(moved) == 7 or _day_exists(int(moved[5:7]), int(moved[8:10]))):
            return moved
    return value


def _bound(value: str, written: str, last: bool) -> str:
    """A month bound written as its start or end ("the end of April") as that day."""
    if not re.search(r"\b(?:start|beginning|end)\s+of\b", written, re.IGNORECASE):
        return value
    return _month_day(value, last)


def _month_day(value: str, last: bool) -> str:
    """The first (or last) day of a month value; any other value as it is."""
    if len(value) != 7:
        return value
    year, month = int(value[:4]), int(value[5:])
    return date(year, month, calendar.monthrange(year, month)[1] if last else 1).isoformat()


def _day_in(ctx: _Context, start: int, end: int) -> date | None:
    """The first day a date or weekday written in ``start..end`` names, resolved, or None."""
    found = [(m.start(), kind, m) for kind in ("iso", "date", "weekday")
             for m in _BY_KIND[kind].finditer(ctx.text, start, end)]
    for _start, kind, match in sorted(found, key=lambda f: f[0]):
        mention = _RESOLVERS[kind](ctx, match)
        day = (mention.value or mention.begin or mention.end_value) if isinstance(mention, TimeMention) else None
        if day and len(day) == 10:
            return date.fromisoformat(day)
    return None


def _following_date(ctx: _Context, end: int) -> TimeMention | None:
    """The date written right after a relation word ("two days after June 12"), resolved, or None."""
    position = end + len(ctx.text[end:]) - len(ctx.text[end:].lstrip(" "))
    for kind in ("iso", "date", "weekday", "holiday", "deictic"):
        match = _BY_KIND[kind].match(ctx.text, position)
        if match and not (match.groupdict().get("prefix") or "").strip():
            mention = _RESOLVERS[kind](ctx, match)
            return mention if isinstance(mention, TimeMention) else None
    return None
