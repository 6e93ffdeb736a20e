"""A length as an OWL-Time number of units and as an xsd:duration (kb.durations)."""

from __future__ import annotations

import pytest
from rdflib.namespace import TIME

from kb.durations import numeric_duration, xsd_duration


@pytest.mark.parametrize(("duration", "expected"), [
    ("P7D", (7, TIME.unitDay)),
    ("P2W", (2, TIME.unitWeek)),
    ("P6M", (6, TIME.unitMonth)),
    ("P3Y", (3, TIME.unitYear)),
    ("P1Y6M", (18, TIME.unitMonth)),      # twelve months a year
    ("P1W3D", (10, TIME.unitDay)),        # seven days a week
    ("P1DT12H", (36, TIME.unitHour)),     # a day of 24 hours
    ("PT1H30M", (90, TIME.unitMinute)),
    ("PT45S", (45, TIME.unitSecond)),
    ("P0D", (0, TIME.unitDay)),
])
def test_a_duration_is_a_number_of_its_smallest_unit(duration: str, expected: tuple) -> None:
    assert numeric_duration(duration) == expected


@pytest.mark.parametrize("duration", ["P1M15D", "P1YT2H", "P", "7 days", "PT"])
def test_months_with_days_and_what_is_no_duration_have_no_number(duration: str) -> None:
    assert numeric_duration(duration) is None


@pytest.mark.parametrize("duration", ["P7D", "P2W", "P6M", "P3Y", "PT72H", "PT90M", "PT45S"])
def test_a_number_of_one_unit_gives_its_duration_back(duration: str) -> None:
    count, unit = numeric_duration(duration)
    assert xsd_duration(count, str(unit)) == duration


def test_a_unit_that_is_no_duration_field_has_no_duration() -> None:
    assert xsd_duration(3, "http://www.w3.org/2006/time#unitDecade") is None
