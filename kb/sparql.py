"""The one code path for SPARQL queries, shared by the ``/sparql`` endpoint and ``kb query``.

:func:`execute` refuses SPARQL Update and serialises the answer in the format named by a short
name (``fmt``) or negotiated from an HTTP ``Accept`` header against one table of media types
(:data:`FORMATS`). Without either, SELECT and ASK answer in SPARQL Results JSON and CONSTRUCT
and DESCRIBE in Turtle. JSON-LD answers are compacted with the project's context
(:func:`kb.jsonld.serialize_jsonld`).

>>> parse_accept("text/csv;q=0.5, application/sparql-results+json")
[('application/sparql-results+json', 1.0), ('text/csv', 0.5)]
>>> choose_format("results", accept="text/csv;q=0.5, application/sparql-results+xml").name
'xml'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from rdflib import Graph

from kb.errors import QueryError
from kb.jsonld import MEDIA_TYPE as JSONLD_MEDIA_TYPE
from kb.jsonld import serialize_jsonld
from kb.store import QueryAnswer

AnswerKind = Literal["results", "graph"]


class UpdateRefused(QueryError):
    """The request is a SPARQL Update; this query path only reads."""

    def __init__(self) -> None:
        super().__init__(
            "SPARQL Update is not accepted here: this endpoint only answers queries "
            "(SELECT, ASK, CONSTRUCT, DESCRIBE)."
        )


class NotAcceptable(QueryError):
    """No format that the client names or accepts can carry the answer."""


@dataclass(frozen=True)
class Format:
    """An answer format: the store's name for it, its short aliases and its media types.

    The first media type is the one the store serves; the others are also accepted.
    """

    name: str
    media_types: tuple[str, ...]
    aliases: tuple[str, ...] = ()


#: The one table of answer formats, in order of preference when an Accept header ties.
FORMATS: dict[AnswerKind, tuple[Format, ...]] = {
    "results": (
        Format("json", ("application/sparql-results+json", "application/json")),
        Format("xml", ("application/sparql-results+xml",)),
        Format("csv", ("text/csv",)),
        Format("tsv", ("text/tab-separated-values",)),
    ),
    "graph": (
        Format("turtle", ("text/turtle", "application/x-turtle"), ("ttl",)),
        Format("ntriples", ("application/n-triples",), ("nt",)),
        Format("jsonld", ("application/ld+json", "application/json"), ("json",)),
        Format("rdfxml", ("application/rdf+xml",), ("xml",)),
        Format("trig", ("application/trig",)),
    ),
}
_KIND_WORDS: dict[AnswerKind, str] = {
    "results": "a SELECT or ASK answer",
    "graph": "a CONSTRUCT or DESCRIBE answer",
}


class QueryableStore(Protocol):
    """What :func:`execute` needs from a store (see :meth:`kb.store.EmbeddedStore.query`)."""

    def query(
        self,
        query: str,
        *,
        result_format: str = ...,
        graph_format: str = ...,
        default_graphs: list[str] | None = ...,
        named_graphs: list[str] | None = ...,
    ) -> QueryAnswer: ...


def execute(
    store: QueryableStore,
    query: str,
    *,
    accept: str | None = None,
    fmt: str | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
) -> QueryAnswer:
    """Run a read-only SPARQL query and serialise its answer.

    ``fmt`` (a short name such as ``csv`` or ``ttl``, or a media type) overrides ``accept``.
    ``default_graphs`` / ``named_graphs`` set the dataset (absolute IRIs); without
    ``default_graphs`` the default graph is the union of all graphs.

    :raises UpdateRefused: the text is a SPARQL Update.
    :raises NotAcceptable: neither ``fmt`` nor ``accept`` allows a format for this answer.
    :raises QueryError: a graph IRI is not absolute, or the query is malformed (the message
        carries the parser's line:column).
    :raises StoreError: the store cannot be read.
    """
    if _first_keyword(query) in _UPDATE_KEYWORDS:
        raise UpdateRefused()
    for iri in [*(default_graphs or ()), *(named_graphs or ())]:
        if not _ABSOLUTE_IRI.fullmatch(iri):
            raise QueryError(f"graph IRI {iri!r} is not an absolute IRI.")
    chosen = {kind: choose_format(kind, accept=accept, fmt=fmt) for kind in FORMATS}
    if not any(chosen.values()):
        raise NotAcceptable(_unacceptable(accept, fmt, "any answer"))
    graph_format = (chosen["graph"] or FORMATS["graph"][0]).name
    answer = store.query(
        query,
        result_format=(chosen["results"] or FORMATS["results"][0]).name,
        graph_format="ntriples" if graph_format == "jsonld" else graph_format,  # compacted below
        default_graphs=list(default_graphs) if default_graphs else None,
        named_graphs=list(named_graphs) if named_graphs else None,
    )
    kind: AnswerKind = "graph" if answer.kind == "graph" else "results"
    if chosen[kind] is None:
        raise NotAcceptable(_unacceptable(accept, fmt, _KIND_WORDS[kind], FORMATS[kind]))
    if kind == "graph" and graph_format == "jsonld":
        graph = Graph().parse(data=answer.body, format="nt")
        return QueryAnswer("graph", JSONLD_MEDIA_TYPE, serialize_jsonld(graph))
    return answer


def choose_format(kind: AnswerKind, *, accept: str | None = None, fmt: str | None = None) -> Format | None:
    """The format for an answer of ``kind``: named by ``fmt`` if given, else negotiated from ``accept``.

    Returns None when ``fmt`` names no format of this kind or nothing in ``accept`` matches.
    """
    table = FORMATS[kind]
    if fmt is not None and "/" not in fmt:
        name = fmt.strip().lower()
        return next((f for f in table if name == f.name or name in f.aliases), None)
    media_type = best_match(fmt or accept, [m for f in table for m in f.media_types])
    return next((f for f in table if media_type in f.media_types), None)


# -- the Accept parser ------------------------------------------------------------------------

_TOKEN = r"[!#$%&'+.^_`|~0-9a-z-]+"  # an RFC 9110 token, less '*', lower-cased
_MEDIA_RANGE = re.compile(rf"(?:\*/\*|{_TOKEN}/\*|{_TOKEN}/{_TOKEN})")
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values, highest q first.

    Media ranges are lower-cased and their parameters other than ``q`` dropped; ranges with equal
    q keep the header's order. A part that is not ``type/subtype``, ``type/*`` or ``*/*``, or
    whose q is not a valid q-value (0 to 1, at most three decimals), is ignored.

    >>> parse_accept("text/*;q=0.3, text/csv, bogus, text/tsv;q=2")
    [('text/csv', 1.0), ('text/*', 0.3)]
    """
    ranges: list[tuple[str, float]] = []
    for part in (header or "").split(","):
        media_range, *params = (piece.strip() for piece in part.split(";"))
        media_range = media_range.lower()
        if not _MEDIA_RANGE.fullmatch(media_range):
            continue
        q: float | None = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":  # parameters after q are accept-extensions
                value = value.strip()
                q = float(value) if _QVALUE.fullmatch(value) else None
                break
        if q is not None:
            ranges.append((media_range, q))
    return sorted(ranges, key=lambda r: -r[1])


def best_match(header: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type that ``header`` prefers, or None if it accepts none of them.

    Each offer gets the q of the most specific range that matches it (exact, then ``type/*``,
    then ``*/*``); ties go to the earlier offer. A missing header, or one with no valid range,
    accepts anything, so the first offer wins.

    >>> best_match("text/html;q=0.9, */*;q=0.1", ["application/json", "text/html"])
    'text/html'
    """
    ranges = parse_accept(header)
    if not ranges:
        return offers[0] if offers else None
    best, best_q = None, 0.0
    for offer in offers:
        q = _quality(offer, ranges)
        if q > best_q:
            best, best_q = offer, q
    return best


def _quality(media_type: str, ranges: list[tuple[str, float]]) -> float:
    main_type = media_type.partition("/")[0]
    specificity = {media_type: 2, f"{main_type}/*": 1, "*/*": 0}
    matches = [(specificity[r], q) for r, q in ranges if r in specificity]
    return max(matches)[1] if matches else 0.0


def _unacceptable(
    accept: str | None, fmt: str | None, what: str, table: Sequence[Format] | None = None
) -> str:
    asked = f"format {fmt!r}" if fmt else f"Accept: {accept}"
    formats = table or [f for kind in FORMATS.values() for f in kind]
    offered = ", ".join(f"{f.name} ({f.media_types[0]})" for f in formats)
    return f"cannot give {what} as {asked}; use one of: {offered}."


# -- telling an update from a query -----------------------------------------------------------

_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_PROLOGUE_PART = re.compile(
    r"\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s*[^\s:<]*:\s*<[^>]*>", re.IGNORECASE
)
_KEYWORD = re.compile(r"[A-Za-z]+")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")


def _first_keyword(text: str) -> str:
    """The first keyword after the prologue (whitespace, comments, BASE and PREFIX), upper-cased."""
    position = 0
    while part := _PROLOGUE_PART.match(text, position):
        position = part.end()
    keyword = _KEYWORD.match(text, position)
    return keyword.group().upper() if keyword else ""
