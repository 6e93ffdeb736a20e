"""Faults in annotation and gazetteer files: one clear message at the right file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kb.build import Inputs, convert_and_validate
from kb.config import DEFAULT_DATA_DIR
from kb.errors import AnnotationError
from kb.gazetteer import load_gazetteer
from kb.namespaces import IriMinter

SEED = "khalilzad-kabul-sahar-news"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, copy)
    return copy


def break_file(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` with ``new``; return the 1-based line where it stood."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def convert(data: Path) -> None:
    convert_and_validate(data / "annotations" / f"{SEED}.yaml", Inputs.load(data, IriMinter()))


# (what is broken, old text, new text, words the message must contain)
CASES = [
    ("quote differs from the body", 'exact: "Zalmay Khalilzad arrived in Kabul on Wednesday"',
     'exact: "Zalmay Khalilzad arrived in Kabul on Tuesday"', ["does not occur in the body"]),
    ("unknown key", "    place: kabul\n", "    venue: kabul\n", ["unknown key(s) venue"]),
    ("unknown actor", "roles: {visitor: [zalmay-khalilzad]", "roles: {visitor: [zalmay-khalizad]",
     ["'visitor: zalmay-khalizad' names no known actor"]),
    ("unknown role", "roles: {visitor: [zalmay-khalilzad]", "roles: {traveller: [zalmay-khalilzad]",
     ["role 'traveller' is not one of"]),
    ("unknown status", "status: planned", "status: scheduled", ["'status: scheduled' is not one of"]),
    ("unknown event type", "type: visit", "type: trip", ["'type: trip' is not an event type"]),
    ("dangling reference", "part_of: khalilzad-arrives-in-kabul", "part_of: khalilzad-arrives",
     ["'part_of: khalilzad-arrives' names no event"]),
    ("impossible date", "time: {value: 2019-08, precision: month",
     "time: {value: 2019-8, precision: month", ["is not a date"]),
    ("bad duration", "duration: P7D", "duration: 7 days", ["not an ISO 8601 duration"]),
    ("bad id", "- id: trump-bagram-visit", "- id: Trump Bagram Visit", ["is not a valid id"]),
    ("published not a date", "published: 2019-12-04", "published: last Wednesday", ["is not a date"]),
    ("invalid YAML", "  title: Khalilzad", "  title: [Khalilzad", ["invalid YAML"]),
]


@pytest.mark.parametrize("what,old,new,words", CASES, ids=[c[0] for c in CASES])
def test_annotation_fault_names_file_line_and_fix(data: Path, what: str, old: str, new: str,
                                                  words: list[str]) -> None:
    annotation = data / "annotations" / f"{SEED}.yaml"
    line = break_file(annotation, old, new)
    with pytest.raises(AnnotationError) as caught:
        convert(data)
    message = str(caught.value)
    for word in words:
        assert word in message
    assert caught.value.location.startswith(f"{annotation}:")
    reported = int(caught.value.location.rsplit(":", 1)[1])
    if what != "invalid YAML":  # the parser reports where it noticed the fault, a line or so later
        assert reported == line, message
    else:
        assert line <= reported <= line + 2


def test_moved_offsets_say_where_the_quote_is(data: Path) -> None:
    annotation = data / "annotations" / f"{SEED}.yaml"
    quote = "Zalmay Khalilzad arrived in Kabul on Wednesday"
    text = annotation.read_text(encoding="utf-8")
    span = re.search(r"\{start: (\d+), end: (\d+), exact: \"" + quote, text)
    assert span is not None
    start = int(span.group(1))
    line = break_file(annotation, span.group(0), span.group(0).replace(f"start: {start},", f"start: {start + 1},"))
    with pytest.raises(AnnotationError) as caught:
        convert(data)
    assert f"the quote is at start: {start}, end: {start + len(quote)}" in str(caught.value)
    assert caught.value.location == f"{annotation}:{line}"


def test_duplicate_fact_id(data: Path) -> None:
    annotation = data / "annotations" / f"{SEED}.yaml"
    second = break_file(annotation, "- id: trump-meets-ghani-at-bagram", "- id: trump-bagram-visit")
    with pytest.raises(AnnotationError, match="used twice") as caught:
        convert(data)
    assert caught.value.location == f"{annotation}:{second}"


def test_gazetteer_fault(data: Path) -> None:
    actors = data / "gazetteer" / "actors.yaml"
    line = break_file(actors, "    wikidata: Q22686", "    wikidata: 22686")
    with pytest.raises(AnnotationError, match="not a Wikidata id") as caught:
        load_gazetteer(data / "gazetteer", IriMinter())
    assert caught.value.location == f"{actors}:{line}"


def test_missing_article_file(data: Path) -> None:
    (data / "articles" / f"{SEED}.txt").unlink()
    with pytest.raises(AnnotationError, match="no such file"):
        convert(data)
