"""Limits on what one query may cost: the time limit's error and the row cap.

The time limit is enforced where the query runs (:mod:`kb.query_pool` for the embedded store,
the HTTP timeout for a remote one); both report it as :class:`QueryTimeout`. The row cap
(``KB_MAX_ROWS``) is applied to a serialised answer by :func:`cap_answer`, which keeps the first
rows of a SELECT answer or the first triples of a CONSTRUCT/DESCRIBE answer and says whether it
cut anything.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from kb.errors import QueryError
from kb.store import GRAPH_FORMATS, RESULT_FORMATS, QueryAnswer


class QueryTimeout(QueryError):
    """The query ran past the time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"the query was stopped after {seconds:g} s, the time limit of this endpoint (KB_QUERY_TIMEOUT). "
            "Add a LIMIT, narrow the patterns (bind more variables, filter earlier), or raise "
            "KB_QUERY_TIMEOUT (`kb serve --timeout`, `kb query --timeout`)."
        )
        self.seconds = seconds


@dataclass(frozen=True)
class CappedAnswer(QueryAnswer):
    """A serialised answer after the row cap: ``truncated`` says whether rows were dropped.

    ``max_rows`` is the cap that was applied (0: none).
    """

    truncated: bool = False
    max_rows: int = 0


def cap_answer(answer: QueryAnswer, max_rows: int) -> CappedAnswer:
    """``answer`` with at most ``max_rows`` rows (SELECT) or triples (CONSTRUCT, DESCRIBE).

    ``max_rows`` 0 means no cap. An answer that cannot exceed the cap (by a cheap upper bound on
    its row count) is passed on as it is; a longer one is parsed and the first ``max_rows`` are
    written again in the same format. An answer already capped at ``max_rows`` is returned as is.

    >>> body = b"?s\\n<http://e/1>\\n<http://e/2>\\n<http://e/3>\\n"
    >>> capped = cap_answer(QueryAnswer("select", "text/tab-separated-values", body), 2)
    >>> capped.truncated, capped.body.decode().splitlines()
    (True, ['?s', '<http://e/1>', '<http://e/2>'])
    """
    if isinstance(answer, CappedAnswer) and answer.max_rows == max_rows:
        return answer
    capped = CappedAnswer(answer.kind, answer.media_type, answer.body, False, max_rows)
    if max_rows <= 0 or answer.kind == "ask" or _at_most(answer, max_rows):
        return capped
    if answer.kind == "graph":
        fmt = next(f for f, media in GRAPH_FORMATS.values() if media == answer.media_type)
        triples = list(islice(ox.parse(answer.body, format=fmt), max_rows + 1))
        if len(triples) <= max_rows:
            return capped
        body = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in triples[:max_rows]), format=fmt)
        return CappedAnswer(answer.kind, answer.media_type, body, True, max_rows)
    fmt = next(f for f, media in RESULT_FORMATS.values() if media == answer.media_type)
    if fmt == ox.QueryResultsFormat.CSV:  # lossy, so pyoxigraph does not read it: cut its records
        records = list(islice(csv.reader(io.StringIO(answer.body.decode("utf-8"), newline="")), max_rows + 2))
        if len(records) <= max_rows + 1:
            return capped
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(records[: max_rows + 1])
        return CappedAnswer(answer.kind, answer.media_type, out.getvalue().encode("utf-8"), True, max_rows)
    solutions = ox.parse_query_results(answer.body, format=fmt)
    variables = [v.value for v in solutions.variables]
    rows = list(islice(solutions, max_rows + 1))
    if len(rows) <= max_rows:
        return capped
    bindings = [
        {name: _json_term(row[name]) for name in variables if row[name] is not None} for row in rows[:max_rows]
    ]
    data = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}).encode("utf-8")
    if fmt != ox.QueryResultsFormat.JSON:
        data = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(format=fmt)
    return CappedAnswer(answer.kind, answer.media_type, data, True, max_rows)


def _at_most(answer: QueryAnswer, max_rows: int) -> bool:
    """Whether ``answer`` surely has no more than ``max_rows`` rows or triples, judged from its bytes.

    Each row or triple takes at least one byte; in line formats at least one line; in SPARQL JSON
    at least one ``{``; in SPARQL XML exactly one ``<result>`` tag.
    """
    body = answer.body
    if len(body) <= max_rows:
        return True
    if answer.media_type in ("text/csv", "text/tab-separated-values", "application/n-triples"):
        return body.count(b"\n") <= max_rows
    if answer.media_type == "application/sparql-results+json":
        return body.count(b"{") <= max_rows
    if answer.media_type == "application/sparql-results+xml":
        return body.count(b"<result>") <= max_rows
    return False


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    """A term in SPARQL 1.1 Query Results JSON form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value not in (_XSD_STRING, _LANG_STRING):
        out["datatype"] = term.datatype.value
    return out
