"""Reading a SPARQL text without parsing it: its first keyword, what an absolute IRI is, and
variables bound to IRIs in the text."""

from __future__ import annotations

import re
from collections.abc import Mapping

from kb.errors import QueryError

#: An absolute IRI: a scheme, a colon, and characters allowed in a SPARQL IRI reference.
ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
_PROLOGUE_PART = re.compile(r"\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:<]*:\s*<[^>]*>", re.IGNORECASE)
_KEYWORD = re.compile(r"[A-Za-z]+")
# Tokens that may contain '?' or '$' without being variables: IRIs, strings, comments.
_SKIP = r"<[^<>\"{}|^`\\\s]*>|'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"|#[^\n]*"
_PROJECTION = re.compile(r"\bSELECT\b((?:\s+(?:DISTINCT|REDUCED))?[^{]*?)(?:\bWHERE\b|\{)", re.IGNORECASE | re.DOTALL)


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


def query_kind(query: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``: the first keyword after the prologue."""
    return first_keyword(query).lower()


def substitute(query: str, substitutions: Mapping[str, str] | None) -> str:
    """``query`` with each variable of ``substitutions`` replaced by its IRI (outside strings,
    IRIs and comments): the text form of pyoxigraph's substitutions, for a remote server and for
    a variable that a SELECT does not project.

    :raises QueryError: a value is not an absolute IRI (so it cannot break out of ``<...>``).
    """
    if not substitutions:
        return query
    for value in substitutions.values():
        if not ABSOLUTE_IRI.fullmatch(value):
            raise QueryError(f"{value!r} is not an absolute IRI.")
    names = "|".join(re.escape(n) for n in substitutions)
    pattern = re.compile(rf"({_SKIP})|[?$]({names})(?![A-Za-z0-9_\u00b7\u0300-\u036f\u203f-\u2040])", re.DOTALL)
    # In a SELECT projection the variable stays an output column: ``(<iri> AS ?name)``.
    projection = _PROJECTION.search(query) if query_kind(query) == "select" else None
    start, end = projection.span(1) if projection else (0, 0)

    def replace(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)
        iri = f"<{substitutions[match.group(2)]}>"
        return f"({iri} AS ?{match.group(2)})" if start <= match.start() < end else iri

    return pattern.sub(replace, query)
