"""Reading a SPARQL text without parsing it: its first keyword, and what an absolute IRI is."""

from __future__ import annotations

import re

#: An absolute IRI: a scheme, a colon, and characters allowed in a SPARQL IRI reference.
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
_PROLOGUE_PART = re.compile(r"\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:<]*:\s*<[^>]*>", re.IGNORECASE)
_KEYWORD = re.compile(r"[A-Za-z]+")


def first_keyword(text: str) -> str:
    """The first keyword after the prologue (whitespace, comments, BASE and PREFIX), upper-cased.

    >>> first_keyword("PREFIX x: <http://example.org/> # a comment\\nselect * {}")
    'SELECT'
    """
    position = 0
    while part := _PROLOGUE_PART.match(text, position):
        position = part.end()
    keyword = _KEYWORD.match(text, position)
    return keyword.group().upper() if keyword else ""
