"""Property-based tests of the time normaliser (hypothesis, bounded runs).

For a fuzz run at scale, set KB_TIMES_EXAMPLES (e.g. 20000); the suite runs 200 per property.
"""

from __future__ import annotations

import calendar
import os
import re
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.extract.times import find_times

BOUNDED = settings(max_examples=int(os.environ.get("KB_TIMES_EXAMPLES", "200")), deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])
DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31))
PUBLISHED = st.dates(min_value=date(1990, 1, 1), max_value=date(2050, 12, 31))


def _abbreviated(month: int) -> str:
    """The abbreviation with a full stop ("Dec."), as news agencies write it; "May", "June" and "July" whole."""
    return calendar.month_name[month] if month in (5, 6, 7) else f"{calendar.month_abbr[month]}."


FORMS = {
    "day month year": lambda d: f"{d.day} {calendar.month_name[d.month]} {d.year}",
    "month day, year": lambda d: f"{calendar.month_name[d.month]} {d.day}, {d.year}",
    "abbreviated": lambda d: f"{_abbreviated(d.month)} {d.day}, {d.year}",
    "day abbreviated year": lambda d: f"{d.day} {calendar.month_abbr[d.month]} {d.year}",
    "iso": lambda d: d.isoformat(),
    "ordinal": lambda d: f"the {d.day}th of {calendar.month_name[d.month]} {d.year}",
    "weekday first": lambda d: f"{calendar.day_name[d.weekday()]}, {calendar.month_name[d.month]} {d.day}, {d.year}",
}
# Pieces of news prose, time expressions among them, to build texts that exercise every rule.
FRAGMENTS = [
    "on Wednesday", "Wednesday's", "last month", "in August", "in August 2019", "early 2019", "in 2018",
    "last week", "next week", "earlier this month", "this year", "yesterday", "tomorrow", "on Monday night",
    "a day after", "two days later", "less than a week after", "within 135 days", "by May 2021",
    "from June 12 until June 19", "June 12-19", "between 12 and 19 June", "week-long", "seven-day",
    "for three months", "14 months", "30 February", "31 April 2019", "2019-02-30", "the following day",
    "that night", "Thanksgiving", "said", "will", "was", "had been due to", ",", ".", "\n", "May", "march",
    "in the previous 10 days", "in recent weeks", "three years ago", "from 2001 to 2021", "Dec.", "4",
    "Eid al-Fitr", "Ramadan", "in the 1990s", "over the weekend", "late Sunday", "scheduled for", "by the end of",
    "the following month", "a week after", "within hours", "between March and May 2020", "currently", "soon",
]
PROSE = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30).map(" ".join)
ISO_FORMS = {"day": re.compile(r"^\d{4}-\d\d-\d\d$"), "month": re.compile(r"^\d{4}-\d\d$"),
             "year": re.compile(r"^\d{4}$")}


@BOUNDED
@given(day=DATES, form=st.sampled_from(sorted(FORMS)), published=PUBLISHED)
def test_written_dates_round_trip(day, form, published):
    text = f"The meeting took place on {FORMS[form](day)}, officials said."
    mentions = find_times(text, published)
    assert len(mentions) == 1, mentions
    assert (mentions[0].value, mentions[0].precision) == (day.isoformat(), "day")


@BOUNDED
@given(published=PUBLISHED, shift=st.integers(-150, 150))
def test_day_and_month_without_year_is_the_nearest(published, shift):
    day = published + timedelta(days=shift)
    text = f"The round of talks on {calendar.month_name[day.month]} {day.day}."
    assert [m.value for m in find_times(text, published)] == [day.isoformat()]


@BOUNDED
@given(published=PUBLISHED, weekday=st.integers(0, 6), tense=st.sampled_from(["past", "future"]),
       guessed=st.booleans(), part=st.sampled_from(["", " night", " morning"]))
def test_weekday_lands_within_six_days_in_the_tense_direction(published, weekday, tense, guessed, part):
    verb = "met" if tense == "past" else "will meet"
    text = f"The two delegations {verb} on {calendar.day_name[weekday]}{part} in Doha."
    mention, = find_times(text, published, tense=None if guessed else tense)
    value = date.fromisoformat(mention.value)
    assert value.weekday() == weekday
    gap = (published - value).days if tense == "past" else (value - published).days
    assert 0 <= gap <= 6


@BOUNDED
@given(text=st.text(), published=PUBLISHED, offset=st.integers(0, 10_000))
def test_any_text_gives_spans_that_quote_it(text, published, offset):
    for mention in find_times(text, published, offset=offset):
        assert mention.text == text[mention.start - offset:mention.end - offset]


@BOUNDED
@given(text=PROSE, published=PUBLISHED, offset=st.integers(0, 100),
       tense=st.sampled_from([None, "past", "future", "present"]))
def test_prose_mentions_are_well_formed(text, published, offset, tense):
    previous_end = offset
    for mention in find_times(text, published, offset=offset, tense=tense):
        assert mention.text == text[mention.start - offset:mention.end - offset]
        assert mention.start >= previous_end  # in order, never overlapping
        previous_end = mention.end
        # Precision agrees with the form of value, begin and end.
        for iso in (mention.value, mention.begin, mention.end_value):
            assert iso is None or ISO_FORMS[mention.precision].match(iso), mention
        for iso in (mention.value, mention.begin, mention.end_value, mention.earliest, mention.latest,
                    mention.anchor):
            if iso is not None:
                assert any(form.match(iso) for form in ISO_FORMS.values()), mention
        if mention.begin and mention.end_value:
            assert mention.begin <= mention.end_value
        if mention.earliest and mention.latest:  # compared at the coarser of the two ("2000-01-01" .. "2000")
            common = min(len(mention.earliest), len(mention.latest), 7)
            assert mention.earliest[:common] <= mention.latest[:common]
        annotation = mention.as_annotation()
        assert annotation["text"] == mention.text and annotation["precision"] == mention.precision
        assert mention.relative_to in (None, "after", "before")
