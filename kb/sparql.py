"""The one code path for SPARQL queries, shared by the ``/sparql`` endpoint and ``kb query``.

:func:`execute` refuses SPARQL Update and serialises the answer in the format named by a short
name (``fmt``) or negotiated from an HTTP ``Accept`` header against one table of media types
(:data:`FORMATS`). Without either, SELECT and ASK answer in SPARQL Results JSON and CONSTRUCT
and DESCRIBE in Turtle. JSON-LD answers are compacted with the project's context
(:func:`kb.jsonld.serialize_jsonld`). The row cap (``max_rows``) is applied here, whichever
store answered (:func:`kb.limits.cap_answer`); the time limit is the store's (:mod:`kb.query_pool`,
:class:`kb.remote.RemoteStore`).

>>> parse_accept("text/csv;q=0.5, application/sparql-results+json")
[('application/sparql-results+json', 1.0), ('text/csv', 0.5)]
>>> choose_format("results", accept="text/csv;q=0.5, application/sparql-results+xml").name
'xml'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Protocol

from rdflib import Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery

from kb.errors import KBError, QueryError
from kb.jsonld import MEDIA_TYPE as JSONLD_MEDIA_TYPE
from kb.jsonld import serialize_jsonld
from kb.limits import CappedAnswer, cap_answer
from kb.sparqltext import ABSOLUTE_IRI, first_keyword
from kb.store import QueryAnswer

AnswerKind = Literal["results", "graph"]


class UpdateRefused(QueryError):
    """The request is a SPARQL Update; this query path only reads."""

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason or (
            "SPARQL Update is not accepted here: this endpoint only answers queries "
            "(SELECT, ASK, CONSTRUCT, DESCRIBE). Change the KB with `kb ingest`, or enable updates "
            "on /sparql by setting KB_UPDATE_TOKEN on the server and POSTing the update (update= or "
            "application/sparql-update) with the header Authorization: Bearer <token>."
        ))


class ServiceRefused(QueryError):
    """The query or update would fetch from another server (``SERVICE``, ``LOAD``); the endpoint
    never makes outbound requests."""

    def __init__(self, keyword: str = "SERVICE") -> None:
        what = "SERVICE (federated query)" if keyword == "SERVICE" else f"{keyword} (fetching a document)"
        super().__init__(
            f"{what} is not allowed here: this endpoint never fetches data from other servers. "
            "Query those endpoints directly, or load their data into the KB."
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
    base_iri: str | None = None,
    max_rows: int = 0,
) -> CappedAnswer:
    """Run a read-only SPARQL query and serialise its answer, cut to ``max_rows`` (0: no cap).

    ``fmt`` (a short name such as ``csv`` or ``ttl``, or a media type) overrides ``accept``.
    ``default_graphs`` / ``named_graphs`` set the dataset (absolute IRIs), as the protocol's
    ``default-graph-uri`` / ``named-graph-uri`` do; see :func:`resolve_dataset`. ``base_iri``
    (the endpoint's address) resolves relative IRIs in a query that declares no ``BASE``.

    :raises UpdateRefused: the text is a SPARQL Update.
    :raises ServiceRefused: the query uses ``SERVICE``, which would make the store fetch from
        another server (the keyword anywhere outside strings, IRIs and comments).
    :raises NotAcceptable: neither ``fmt`` nor ``accept`` allows a format for this answer.
    :raises QueryError: a graph IRI is not absolute, or the query is malformed (the message
        carries the parser's line:column).
    :raises QueryTimeout: the store stopped the query at its time limit.
    :raises StoreError: the store cannot be read.
    """
    if first_keyword(query) in _UPDATE_KEYWORDS:
        raise UpdateRefused()
    keyword = outbound_keyword(query)
    if keyword:
        raise ServiceRefused(keyword)
    text, added_lines = _with_base(query, base_iri)
    default_graphs, named_graphs = resolve_dataset(text, default_graphs, named_graphs)
    for iri in [*(default_graphs or ()), *(named_graphs or ())]:
        if not ABSOLUTE_IRI.fullmatch(iri):
            raise QueryError(f"graph IRI {iri!r} is not an absolute IRI.")
    chosen = {kind: choose_format(kind, accept=accept, fmt=fmt) for kind in FORMATS}
    if not any(chosen.values()):
        raise NotAcceptable(_unacceptable(accept, fmt, "any answer"))
    graph_format = (chosen["graph"] or FORMATS["graph"][0]).name
    try:
        answer = store.query(
            text,
            result_format=(chosen["results"] or FORMATS["results"][0]).name,
            graph_format="ntriples" if graph_format == "jsonld" else graph_format,  # compacted below
            default_graphs=default_graphs,
            named_graphs=named_graphs,
        )
    except QueryError as exc:
        if not added_lines:
            raise
        raise QueryError(_shift_position(str(exc), -added_lines)) from exc
    kind: AnswerKind = "graph" if answer.kind == "graph" else "results"
    if chosen[kind] is None:
        raise NotAcceptable(_unacceptable(accept, fmt, _KIND_WORDS[kind], FORMATS[kind]))
    answer = cap_answer(answer, max_rows)
    if kind == "graph" and graph_format == "jsonld":
        graph = Graph().parse(data=answer.body, format="nt")
        return CappedAnswer("graph", JSONLD_MEDIA_TYPE, serialize_jsonld(graph), answer.truncated, max_rows)
    return answer


_BASE_DECLARED = re.compile(r"^\s*BASE\s*<", re.IGNORECASE | re.MULTILINE)
_RELATIVE_IRI = re.compile(r"<(?![A-Za-z][A-Za-z0-9+.-]*:)[^<>\s\"{}|\\^`]*>")
_POSITION = re.compile(r"\b(\d+):(\d+)\b")


def _with_base(query: str, base_iri: str | None) -> tuple[str, int]:
    """The query with ``BASE <base_iri>`` on a line of its own before it, if it needs one.

    It needs one when it declares no BASE and writes a relative IRI (``<s>``). Returns the text
    and how many lines were added (0 or 1), by which parser positions must be shifted back.

    >>> _with_base("CONSTRUCT { <s> <p> 1 } WHERE {}", "http://example.org/sparql")
    ('BASE <http://example.org/sparql>\\nCONSTRUCT { <s> <p> 1 } WHERE {}', 1)
    >>> _with_base("SELECT * { <http://example.org/s> ?p ?o }", "http://example.org/sparql")[1]
    0
    """
    if not base_iri or _BASE_DECLARED.search(query) or not _RELATIVE_IRI.search(query):
        return query, 0
    return f"BASE <{base_iri}>\n{query}", 1


def _shift_position(message: str, lines: int) -> str:
    """``message`` with its first ``line:column`` moved by ``lines`` lines."""
    return _POSITION.sub(lambda m: f"{int(m.group(1)) + lines}:{m.group(2)}", message, count=1)


#: A graph IRI that names no graph: the store reads an empty list of graphs as "not given", so
#: an empty default graph (or an empty set of named graphs) is passed as this one graph.
NO_GRAPH = "urn:x-kb:no-graph"


def resolve_dataset(
    query: str, default_graphs: Sequence[str] | None, named_graphs: Sequence[str] | None
) -> tuple[list[str] | None, list[str] | None]:
    """The dataset a query runs over, as (default graphs, named graphs) to give the store.

    As the SPARQL 1.1 Protocol says: graphs given by the protocol (``default_graphs``,
    ``named_graphs``) win; else the query's own ``FROM`` / ``FROM NAMED``; else the service's
    dataset, here the union of all named graphs as the default graph and every named graph
    (``(None, None)``). A dataset that is given but has no default graph (only named graphs) has
    an empty default graph, and one with only default graphs has no named graphs.

    >>> resolve_dataset("ASK {}", None, ["http://example.org/g"])
    (['urn:x-kb:no-graph'], ['http://example.org/g'])
    >>> resolve_dataset("SELECT * FROM <http://example.org/a> { ?s ?p ?o }", None, None)
    (['http://example.org/a'], ['urn:x-kb:no-graph'])
    >>> resolve_dataset("SELECT * { ?s ?p ?o }", None, None)
    (None, None)
    """
    defaults, named = list(default_graphs or ()), list(named_graphs or ())
    if not defaults and not named:
        defaults, named = _query_dataset(query)
    if not defaults and not named:
        return None, None
    return defaults or [NO_GRAPH], named or [NO_GRAPH]


_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)


def _query_dataset(query: str) -> tuple[list[str], list[str]]:
    """The IRIs of the query's ``FROM`` and ``FROM NAMED`` clauses (resolved against its prologue).

    The store runs with the union default graph, which would otherwise ignore these clauses.
    rdflib's parser reads them; a query it cannot parse is left to the store to accept or report.
    """
    if not _FROM.search(query):
        return [], []
    try:
        algebra = translateQuery(parseQuery(query)).algebra
    except Exception:  # noqa: BLE001 -- any parser failure: the store gives the real error
        return [], []
    clauses = algebra.get("datasetClause") or []
    defaults = [str(c["default"]) for c in clauses if "default" in c]
    named = [str(c["named"]) for c in clauses if "named" in c]
    return defaults, named


@lru_cache(maxsize=256)  # clients send a handful of distinct Accept headers; parsing one is not free
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


class MalformedAccept(KBError):
    """An Accept header that is not a list of media ranges (RFC 9110, section 12.5.1)."""


#: The most media ranges :func:`check_accept` lets through; browsers send fewer than ten.
MAX_MEDIA_RANGES = 64

_TOKEN = r"[!#$%&'+.^_`|~0-9a-z-]+"  # an RFC 9110 token, less '*', lower-cased
_MEDIA_RANGE = re.compile(rf"(?:\*/\*|{_TOKEN}/\*|{_TOKEN}/{_TOKEN})")
# A parameter value is a token or a quoted string; any unquoted run of visible characters is let
# through, as clients write URLs unquoted (pyld: ``application/ld+json;profile=http://...#context``).
_PARAMETER = re.compile(rf'{_TOKEN}\s*(?:=\s*(?:"(?:[^"\\]|\\.)*"|[^\s;,"]+))?', re.IGNORECASE)
# ".5" is not an RFC q-value, but Java's default header (``*; q=.2``) writes it.
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?|\.[0-9]{1,3}")


def _media_range(part: str) -> tuple[str, float] | None:
    """A part of an Accept header as (media range, q), or None when it is malformed.

    Parameters other than ``q`` are dropped; those after ``q`` are extensions. The bare ``*`` of
    old Java clients is read as ``*/*``.
    """
    media_range, *params = (piece.strip() for piece in _split_outside_quotes(part, ";"))
    media_range = "*/*" if media_range == "*" else media_range.lower()
    if not _MEDIA_RANGE.fullmatch(media_range):
        return None
    q: float | None = None
    for param in filter(None, params):
        if not _PARAMETER.fullmatch(param):
            return None
        key, _, value = param.partition("=")
        if q is None and key.strip().lower() == "q":
            if not _QVALUE.fullmatch(value.strip()):
                return None
            q = float(value.strip())
    return media_range, 1.0 if q is None else q


def _split_outside_quotes(text: str, separator: str) -> list[str]:
    """``text`` cut at each ``separator`` that is not inside a quoted string.

    >>> _split_outside_quotes('a;b="x;y";c', ";")
    ['a', 'b="x;y"', 'c']
    """
    if '"' not in text:
        return text.split(separator)
    pieces, start, quoted, escaped = [], 0, False, False
    for index, char in enumerate(text):
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            pieces.append(text[start:index])
            start = index + 1
    return [*pieces, text[start:]]


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their q-values, highest q first.

    Media ranges are lower-cased and their parameters other than ``q`` dropped; ranges with equal
    q keep the header's order. A part that is not ``type/subtype``, ``type/*`` or ``*/*``, or
    whose q is not a valid q-value (0 to 1, at most three decimals), is ignored; use
    :func:`check_accept` to refuse such a header instead.

    >>> parse_accept("text/*;q=0.3, text/csv, bogus, text/tsv;q=2")
    [('text/csv', 1.0), ('text/*', 0.3)]
    """
    parts = _split_outside_quotes(header or "", ",")
    ranges = [r for part in parts if (r := _media_range(part)) is not None]
    return sorted(ranges, key=lambda r: -r[1])


def check_accept(header: str | None) -> None:
    """Refuse an Accept header that :func:`parse_accept` would not read whole.

    Empty list elements (``text/html,,``) are allowed, as RFC 9110 asks.

    :raises MalformedAccept: a character outside printable ASCII, more than
        :data:`MAX_MEDIA_RANGES` ranges, or a part that is not a media range with a valid q.
    """
    if header is None:
        return
    bad = next((i for i, c in enumerate(header) if not (" " <= c <= "~" or c == "\t")), None)
    if bad is not None:
        raise MalformedAccept(
            f"the Accept header has a character that is not printable ASCII ({header[bad]!r} at position "
            f"{bad + 1}); list media types such as text/html or application/sparql-results+json."
        )
    parts = [part.strip() for part in _split_outside_quotes(header, ",") if part.strip()]
    if len(parts) > MAX_MEDIA_RANGES:
        raise MalformedAccept(
            f"the Accept header lists {len(parts)} media ranges; send at most {MAX_MEDIA_RANGES}."
        )
    for part in parts:
        if _media_range(part) is None:
            shown = part if len(part) <= 60 else part[:60] + "..."
            raise MalformedAccept(
                f"the Accept header's part {shown!r} is not a media range: write type/subtype, type/* or */*, "
                "optionally with ;q= and a weight from 0 to 1 with at most three decimals (text/csv;q=0.5)."
            )


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
# SERVICE or LOAD as a keyword, not part of a name (ex:wire-service, ?service); searched after
# strings, IRIs and comments are blanked out with _NOT_CODE.
_OUTBOUND = re.compile(r"(?<![\w:?$.-])(SERVICE|LOAD)(?![\w:-])", re.IGNORECASE)
_NOT_CODE = re.compile(
    r'""".*?"""' r"|'''.*?'''"  # long strings
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"  # short strings
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRIs, as SPARQL's IRIREF
    r"|#[^\n]*",  # comments
    re.DOTALL,
)
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def outbound_keyword(text: str) -> str | None:
    """``SERVICE`` or ``LOAD`` if the query or update uses it (either makes the store fetch from
    another server), wherever it stands outside strings, IRIs and comments; else None.

    >>> outbound_keyword("INSERT DATA { <s> <p> 'LOAD' } ; load <http://example.org/x>")
    'LOAD'
    >>> outbound_keyword("SELECT ?service { ?service a ex:wire-service }") is None
    True
    """
    match = _OUTBOUND.search(_NOT_CODE.sub(" ", _unescape_codepoints(text)))
    return match.group(1).upper() if match else None


def _unescape_codepoints(text: str) -> str:
    r"""The query with ``\uXXXX`` / ``\UXXXXXXXX`` decoded, as SPARQL does before parsing.

    >>> _unescape_codepoints(r"\u0053ERVICE")
    'SERVICE'
    """
    def decode(match: re.Match[str]) -> str:
        codepoint = int(match.group(1) or match.group(2), 16)
        return chr(codepoint) if codepoint <= 0x10FFFF else match.group(0)

    return _CODEPOINT_ESCAPE.sub(decode, text)

