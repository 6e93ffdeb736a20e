"""Lengths of time in their two RDF forms: an ISO 8601 ``xsd:duration`` and an OWL-Time number of
one unit (``time:numericDuration`` and ``time:unitType``), and the way from one to the other."""

from __future__ import annotations

import re

from rdflib import URIRef
from rdflib.namespace import TIME

DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
#: Each ISO 8601 duration field (``TM`` the minutes after ``T``): its OWL-Time unit and its length
#: in seconds (none for years and months, whose length varies).
_UNITS = {"Y": (TIME.unitYear, None), "M": (TIME.unitMonth, None), "W": (TIME.unitWeek, 604800),
          "D": (TIME.unitDay, 86400), "H": (TIME.unitHour, 3600), "TM": (TIME.unitMinute, 60),
          "S": (TIME.unitSecond, 1)}
_FIELDS = ("Y", "M", "W", "D", None, "H", "TM", "S")  # the groups of DURATION


def numeric_duration(duration: str) -> tuple[int, URIRef] | None:
    """An ISO 8601 duration as a number of one OWL-Time unit, the smallest it names: ``P6M`` ->
    (6, unitMonth), ``P1Y6M`` -> (18, unitMonth), ``P1W3D`` -> (10, unitDay). None when it mixes
    years or months with days or times, which have no exact sum, or is not a duration."""
    match = DURATION.match(duration)
    if match is None:
        return None
    given = {key: int(value[:-1]) for key, value in zip(_FIELDS, match.groups()) if key and value}
    smallest = list(given)[-1]
    if {"Y", "M"} >= set(given):
        return 12 * given.get("Y", 0) + given.get("M", 0) if smallest == "M" else given["Y"], _UNITS[smallest][0]
    if {"Y", "M"} & set(given):
        return None
    seconds = sum(value * _UNITS[key][1] for key, value in given.items())  # type: ignore[operator]
    return seconds // _UNITS[smallest][1], _UNITS[smallest][0]  # type: ignore[operator]


def xsd_duration(count: int, unit: str) -> str | None:
    """The ISO 8601 duration of ``count`` OWL-Time ``unit`` (an IRI): (6, unitMonth) -> ``P6M``;
    None for a unit that is not one of a duration's fields."""
    key = next((k for k, (owl_unit, _) in _UNITS.items() if str(owl_unit) == unit), None)
    if key is None:
        return None
    return f"PT{count}{key[-1]}" if key in ("H", "TM", "S") else f"P{count}{key}"
