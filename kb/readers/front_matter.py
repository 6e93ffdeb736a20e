"""Markdown or text with YAML front matter (docs/annotation-format.md, "Article files").

The file starts with a ``---`` line, then YAML keys, then a closing ``---`` line; the body is
everything after the closing line with the leading blank lines and the trailing whitespace removed,
kept as written (Markdown is not rendered).
"""

from __future__ import annotations

import re

import yaml

from kb.errors import InputError
from kb.readers.found import Found

FRONT_MATTER = "the front matter"
KEYS = ("title", "published", "publisher", "url", "language", "author")
_OPENING = re.compile(r"\A---[ \t]*\n")
_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_HOW = "start the file with a line '---', then 'key: value' lines, then a closing line '---'"


def has_front_matter(text: str) -> bool:
    """Whether the text opens with a front-matter line ``---``."""
    return _OPENING.match(text) is not None


def read_front_matter(text: str) -> Found:
    """Read the front matter's keys (as text) and the body after it.

    :raises InputError: when the front matter is missing, unclosed, not YAML, not a mapping of
        known keys to text, or there is no body after it.
    """
    opening = _OPENING.match(text)
    if opening is None:
        raise InputError(f"has no front matter; {_HOW} (keys: {', '.join(KEYS)}).")
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        raise InputError("has front matter that is never closed: add a line '---' after its last key.")
    metadata = _parse(text[opening.end():closing.start()])
    body = _LEADING_BLANK_LINES.sub("", text[closing.end() + 1:]).rstrip()
    if not body:
        raise InputError("has front matter but no body text after its closing '---' line.")
    return Found(body, metadata, FRONT_MATTER)


def _parse(block: str) -> dict[str, str]:
    try:
        doc = yaml.load(block, Loader=yaml.BaseLoader)  # BaseLoader builds only str, list, dict
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(
            f"has front matter that is not valid YAML{where} ({problem}); write one 'key: value' per line "
            "and quote values that contain ': ' or start with a special character."
        ) from exc
    if doc is None:
        doc = {}
    if not isinstance(doc, dict):
        raise InputError(f"has front matter that is not a list of 'key: value' lines; {_HOW}.")
    unknown = sorted(str(k) for k in doc if k not in KEYS)
    if unknown:
        raise InputError(
            f"has unknown front-matter key(s) {', '.join(unknown)}; the keys are: {', '.join(KEYS)}."
        )
    for key, value in doc.items():
        if not isinstance(value, str):
            raise InputError(f"has front-matter key '{key}' whose value is not text; write '{key}: value'.")
    return {key: value.strip() for key, value in doc.items() if value.strip()}
