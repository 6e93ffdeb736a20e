"""The remote backend of :class:`kb.store.Store`: any SPARQL 1.1 server, over HTTP.

Opened by :func:`kb.store.open_store` for an ``http(s)://`` location, which is the server's
query endpoint. Settings come from the environment:

``KB_STORE_UPDATE_URL``
    SPARQL Update endpoint (default: the query URL with a final ``/query`` replaced by
    ``/update``, as ``oxigraph serve`` has it; otherwise the query URL itself).
``KB_STORE_GSP_URL``
    Graph Store Protocol endpoint. When set, writes go through it (``PUT``/``DELETE`` per graph,
    parameter ``graph``) instead of SPARQL Update. For Virtuoso use ``.../sparql-graph-crud-auth``:
    Virtuoso 7.2's SPARQL parser rejects some literals in ``INSERT DATA`` (``"P7D"^^xsd:duration``
    fails with "SQ200: No column P7DD"), its Turtle loader does not. ``oxigraph serve`` has it
    at ``<base>/store`` (:attr:`RemoteStore.default_gsp_url`).
``KB_STORE_USER`` / ``KB_STORE_PASSWORD``
    HTTP credentials (basic or digest, whichever the server asks for). They are never logged nor
    put into an error message.
``KB_QUERY_TIMEOUT``
    Seconds a query of :meth:`RemoteStore.query` (the ``/sparql`` and ``kb query`` path) may take
    (each wait on the server: connecting, and every read of its answer); past it the request is
    abandoned with :class:`~kb.limits.QueryTimeout`. Bulk reads and writes keep a 120 s limit.
``KB_STORE_MAX_ROWS``
    The server's row cap (default 10 000, Virtuoso's ``ResultSetMaxRows``). A SELECT answer of
    exactly this many rows may be silently truncated, so :meth:`RemoteStore.query` (a user's
    query) raises :class:`~kb.errors.StoreError` on one, while the store's own reads
    (:meth:`~RemoteStore.select`, :meth:`~RemoteStore.graph`, :meth:`~RemoteStore.dump`) then
    read the answer again in pages below the cap with a stable ``ORDER BY``.

The union default graph: kb's queries expect the default graph to be the union of all named
graphs, as in the embedded store. Queries are sent unchanged, so the server must provide this:
``oxigraph serve --union-default-graph``; Virtuoso does it for a query without ``FROM`` (and also
shows its own system graphs there). ``default_graphs`` / ``named_graphs`` are sent as the
protocol's ``default-graph-uri`` / ``named-graph-uri``.

Bookkeeping: every write also rewrites the graph ``{base}graph/kb-meta``, which lists the graphs
the KB wrote (``kbm:graph``) and the time of the write (``dcterms:modified``).
:meth:`~RemoteStore.graph_names` is that list, so a server's own graphs (Virtuoso's
``virtrdf#`` and others) stay out of graph names and dumps, and :meth:`~RemoteStore.last_modified`
is that time, the same for every process that reads the server.
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from datetime import datetime, timezone

import pyoxigraph as ox
from rdflib import Graph, URIRef
from SPARQLWrapper import BASIC, DIGEST, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException, Unauthorized

from kb.config import Settings
from kb.errors import QueryError, StoreError
from kb.limits import QueryTimeout
from kb.sparqltext import query_kind, substitute
from kb.store import GRAPH_FORMATS, RESULT_FORMATS, Binding, GraphData, QueryAnswer, as_ntriples

KBM = "https://peacekb.example/ontology/store#"
_MODIFIED = "http://purl.org/dc/terms/modified"
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_XSD_DURATION = "http://www.w3.org/2001/XMLSchema#duration"
_SECONDS = re.compile(r"-?[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")  # Virtuoso writes 1.3824e+06

def _term(term: dict[str, str]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = term["type"]
    if kind == "uri":
        return ox.NamedNode(term["value"])
    if kind == "bnode":
        return ox.BlankNode(term["value"])
    if "xml:lang" in term:
        return ox.Literal(term["value"], language=term["xml:lang"])
    if "datatype" in term:
        return ox.Literal(term["value"], datatype=ox.NamedNode(term["datatype"]))
    return ox.Literal(term["value"])


# The PREFIX and BASE declarations a query opens with (they cannot go inside a subquery).
_PROLOGUE = re.compile(r"(?:\s*(?:#[^\n]*\n|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>))*\s*", re.IGNORECASE)


def _normalised(results: dict) -> tuple[dict, bool]:
    """SPARQL JSON results as the standard has them; whether anything had to change.

    Virtuoso writes ``"type": "typed-literal"`` (of a 2007 draft) and answers ASK as a binding of
    ``__ASK_RETVAL``.
    """
    if "boolean" in results:
        return results, False
    if results.get("head", {}).get("vars") == ["__ASK_RETVAL"]:
        rows = results["results"]["bindings"]
        value = bool(rows) and rows[0].get("__ASK_RETVAL", {}).get("value", "0") not in ("0", "false")
        return {"head": {}, "boolean": value}, True
    changed = False
    for row in results.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
                changed = True
            if term.get("datatype") == _XSD_DURATION and _SECONDS.fullmatch(term["value"]):
                term["value"] = _iso_duration(float(term["value"]))
                changed = True
    head = results.get("head", {})
    if "link" in head and not head["link"]:
        del head["link"]
        changed = True
    return results, changed


def _iso_duration(seconds: float) -> str:
    """Seconds as an xsd:duration of days, hours, minutes and seconds: 604800.0 -> ``P7D``.

    Virtuoso 7.2 keeps an ``xsd:duration`` as a number of seconds and answers SELECT with that
    number; this restores the lexical form for durations of days or less (a month or a year
    cannot be told from its seconds, so those come back as days).
    """
    sign = "-" if seconds < 0 else ""
    days, rest = divmod(abs(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    time = "".join(f"{int(v)}{u}" for v, u in ((hours, "H"), (minutes, "M")) if v)
    if secs:
        time += f"{secs:g}S"
    text = f"{sign}P" + (f"{int(days)}D" if days else "") + (f"T{time}" if time else "")
    return text if text not in ("P", "-P") else "PT0S"


class RemoteStore:
    """A SPARQL 1.1 server as a :class:`kb.store.Store`.

    Construction makes no request; the first query or write reports an unreachable server as
    :class:`~kb.errors.StoreError`.

    Atomicity of :meth:`replace_graphs`: with SPARQL Update the whole write (drops, inserts and
    the bookkeeping graph) is one request, which Oxigraph runs as one transaction, so a reader
    sees the old graphs or the new ones. A write of more than ``KB_STORE_UPDATE_CHUNK`` triples
    (default 50 000) is split into several requests and is then atomic only per request.
    Virtuoso runs each request on its own too, but a failure part-way through a request may
    leave part of it applied. With the Graph Store Protocol each graph is one ``PUT``: atomic per
    graph on both servers, not across graphs.
    """

    def __init__(
        self,
        location: str,
        *,
        environ: Mapping[str, str] | None = None,
        base_iri: str | None = None,
    ) -> None:
        env = os.environ if environ is None else environ
        self.query_url = location
        self.update_url = env.get("KB_STORE_UPDATE_URL") or self.default_update_url(location)
        self.gsp_url = env.get("KB_STORE_GSP_URL") or None
        self._user = env.get("KB_STORE_USER") or None
        self._password = env.get("KB_STORE_PASSWORD") or ""
        self.max_rows = int(env.get("KB_STORE_MAX_ROWS") or 10000)
        self.chunk = int(env.get("KB_STORE_UPDATE_CHUNK") or 50000)
        settings = Settings.from_env(dict(env))
        base = base_iri or settings.base_iri
        #: Seconds :meth:`query` waits for the server (0: no limit); set from ``KB_QUERY_TIMEOUT``.
        self.query_timeout = settings.query_timeout
        self.meta_graph = f"{base}graph/kb-meta"

    def __repr__(self) -> str:  # no credentials here
        return f"RemoteStore({self.query_url!r})"

    @staticmethod
    def default_update_url(query_url: str) -> str:
        """``.../query`` -> ``.../update`` (oxigraph serve); any other URL is used for updates too."""
        return query_url[: -len("/query")] + "/update" if query_url.endswith("/query") else query_url

    @staticmethod
    def default_gsp_url(query_url: str) -> str:
        """``.../query`` -> ``.../store``, where ``oxigraph serve`` has its Graph Store Protocol."""
        return query_url[: -len("/query")] + "/store" if query_url.endswith("/query") else query_url

    def close(self) -> None:
        """Nothing to release: every request opens and closes its own connection."""

    def __enter__(self) -> "RemoteStore":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- HTTP ------------------------------------------------------------------------------

    def _wrapper(self, url: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(url, updateEndpoint=url)
        wrapper.setMethod(POST)
        wrapper.setOnlyConneg(True)
        wrapper.setTimeout(120)
        if self._user:
            wrapper.setCredentials(self._user, self._password)
            wrapper.setHTTPAuth(DIGEST if self._digest(url) else BASIC)
        return wrapper

    def _digest(self, url: str) -> bool:
        """Whether the server asks for digest auth (one unauthenticated probe, remembered)."""
        cache = self.__dict__.setdefault("_auth_scheme", {})
        if url not in cache:
            try:
                urllib.request.urlopen(urllib.request.Request(url, method="POST", data=b""), timeout=10).close()
                cache[url] = False
            except urllib.error.HTTPError as exc:
                cache[url] = "digest" in (exc.headers.get("WWW-Authenticate") or "").lower()
            except OSError:
                cache[url] = False
        return cache[url]

    def _send(self, wrapper: SPARQLWrapper, what: str, timeout: float | None = None) -> tuple[str, bytes]:
        """Run the wrapper's request; (media type, body). Errors name the URL, never credentials.

        With ``timeout`` (seconds), a server that does not answer in time raises :class:`QueryTimeout`.
        """
        if timeout:
            wrapper.setTimeout(timeout)
        try:
            response = wrapper.query().response
            media_type = (response.info().get("Content-Type") or "").split(";")[0].strip().lower()
            return media_type, response.read()
        except TimeoutError:
            if timeout:
                raise QueryTimeout(timeout) from None
            raise StoreError(f"{wrapper.endpoint}: the server did not answer the {what} in time.") from None
        except QueryBadFormed as exc:
            raise QueryError(f"the server refused the {what}: {_server_message(exc)}") from None
        except Unauthorized:
            raise StoreError(
                f"{wrapper.endpoint}: the server refused the credentials; check KB_STORE_USER and "
                "KB_STORE_PASSWORD."
            ) from None
        except SPARQLWrapperException as exc:
            raise StoreError(f"{wrapper.endpoint}: the {what} failed: {_server_message(exc)}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            if timeout and isinstance(reason, TimeoutError):
                raise QueryTimeout(timeout) from None
            raise StoreError(
                f"{wrapper.endpoint}: cannot reach the SPARQL server ({reason}); is it running, and is "
                "--store / KB_STORE its query URL?"
            ) from None

    def _request(
        self,
        query: str,
        accept: str,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        timeout: float | None = None,
    ) -> tuple[str, bytes]:
        wrapper = self._wrapper(self.query_url)
        wrapper.setQuery(query)
        wrapper.queryType = "SELECT"  # a query, whatever words its comments hold (not `update=`)
        for iri in default_graphs or ():
            wrapper.addDefaultGraph(iri)
        for iri in named_graphs or ():
            wrapper.addNamedGraph(iri)
        wrapper.addCustomHttpHeader("Accept", accept)
        return self._send(wrapper, "query", timeout)

    def _update(self, update: str) -> None:
        wrapper = self._wrapper(self.update_url)
        wrapper.setQuery(update)
        wrapper.queryType = "INSERT"  # sent as the protocol's `update=`
        self._send(wrapper, "update")

    def _results(
        self, query: str, default_graphs=None, named_graphs=None, *, capped: bool = True, timeout: float | None = None
    ) -> tuple[dict, bytes, bool]:
        """The JSON results of a SELECT or ASK, normalised; the server's bytes; whether they changed."""
        _, body = self._request(query, RESULT_FORMATS["json"][1], default_graphs, named_graphs, timeout)
        try:
            results, changed = _normalised(json.loads(body))
        except ValueError as exc:
            raise StoreError(f"{self.query_url}: the server's answer is not SPARQL JSON results ({exc}).") from None
        rows = results.get("results", {}).get("bindings", [])
        if capped and "boolean" not in results and len(rows) >= self.max_rows:
            raise StoreError(
                f"{self.query_url}: the answer has {len(rows)} rows, the server's cap "
                f"(KB_STORE_MAX_ROWS={self.max_rows}); it may be truncated. Narrow the query or page "
                "it with ORDER BY and LIMIT/OFFSET, or raise the cap (Virtuoso: ResultSetMaxRows)."
            )
        return results, body, changed

    # -- reading ---------------------------------------------------------------------------

    def select(self, query: str, substitutions: Mapping[str, str] | None = None) -> list[Binding]:
        """Run a SELECT query over the union of all graphs; its solutions as JSON terms (an answer
        as long as the server's row cap is read again in pages, :meth:`_pages`).

        :raises QueryError: a malformed query, or a substituted value that is not an absolute IRI.
        :raises StoreError: the server cannot be reached.
        """
        if query_kind(query) != "select":
            raise QueryError("select() needs a SELECT query.")
        text = substitute(query, substitutions)
        results, _, _ = self._results(text, capped=False)
        rows = results["results"]["bindings"]
        if len(rows) < self.max_rows:
            return rows
        return list(self._pages(text, results["head"]["vars"]))

    def _pages(self, query: str, variables: list[str]) -> Iterator[Binding]:
        """The whole answer of a SELECT longer than the server's row cap: the query as a subquery
        with a stable ORDER BY of every variable, read in pages (:meth:`_paged`)."""
        prologue = _PROLOGUE.match(query)
        order = " ".join(f"?{v}" for v in variables)
        yield from self._paged(f"{prologue.group()}SELECT * WHERE {{ {query[prologue.end():]} }} ORDER BY {order}")

    def _paged(self, ordered: str) -> Iterator[Binding]:
        """The solutions of a SELECT that ends in a stable ORDER BY, read in pages below the row cap."""
        page = max(1, self.max_rows - 1)
        offset = 0
        while True:
            results, _, _ = self._results(f"{ordered} LIMIT {page} OFFSET {offset}", capped=False)
            rows = results["results"]["bindings"]
            yield from rows
            if len(rows) < page:
                return
            offset += page

    def ask(self, query: str, substitutions: Mapping[str, str] | None = None) -> bool:
        """Run an ASK query over the union of all graphs."""
        if query_kind(query) != "ask":
            raise QueryError("ask() needs an ASK query.")
        results, _, _ = self._results(substitute(query, substitutions))
        return bool(results["boolean"])

    def construct(self, query: str, substitutions: Mapping[str, str] | None = None) -> Graph:
        """Run a CONSTRUCT query over the union of all graphs; its triples as an rdflib graph."""
        if query_kind(query) != "construct":
            raise QueryError("construct() needs a CONSTRUCT query.")
        data = self._graph_answer(substitute(query, substitutions), ox.RdfFormat.N_TRIPLES)
        return Graph().parse(data=data.decode("utf-8"), format="nt")

    def _graph_answer(
        self, query: str, fmt: ox.RdfFormat, default_graphs=None, named_graphs=None, timeout: float | None = None
    ) -> bytes:
        """A CONSTRUCT/DESCRIBE answer in ``fmt``: the server's bytes when it gives that format,
        else its Turtle converted here (Virtuoso 7.2 has no TriG answers; N-Triples always come
        from Turtle, see :func:`_iso_duration`)."""
        if fmt != ox.RdfFormat.N_TRIPLES:  # Virtuoso writes durations as seconds in N-Triples only
            try:
                media_type, body = self._request(query, fmt.media_type, default_graphs, named_graphs, timeout)
                if media_type == fmt.media_type:
                    return body
            except StoreError:  # 406 and the like: ask for Turtle below
                pass
        media_type, body = self._request(query, "text/turtle", default_graphs, named_graphs, timeout)
        source = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
        store = ox.Store()
        store.load(body, format=source, to_graph=ox.DefaultGraph())
        return store.dump(format=fmt, from_graph=ox.DefaultGraph())

    def query(
        self,
        query: str,
        *,
        result_format: str = "json",
        graph_format: str = "turtle",
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryAnswer:
        """Run any query and serialise its answer, as :meth:`kb.store.EmbeddedStore.query`.

        SELECT and ASK are fetched as SPARQL JSON, normalised (Virtuoso's dialect) and checked
        against the row cap; a JSON answer that needed no change is passed on byte for byte,
        other formats are written by pyoxigraph. CONSTRUCT and DESCRIBE are asked in the requested
        format and passed on, or converted here when the server lacks it.

        :raises QueryTimeout: the server did not answer within :attr:`query_timeout` seconds.
        """
        kind = query_kind(query)
        timeout = self.query_timeout or None
        if kind in ("construct", "describe"):
            fmt, media = GRAPH_FORMATS[graph_format]
            body = self._graph_answer(query, fmt, default_graphs, named_graphs, timeout)
            return QueryAnswer("graph", media, body)
        fmt, media = RESULT_FORMATS[result_format]
        results, body, changed = self._results(query, default_graphs, named_graphs, timeout=timeout)
        kind = "ask" if "boolean" in results else "select"
        if fmt == ox.QueryResultsFormat.JSON and not changed:
            return QueryAnswer(kind, media, body)
        data = json.dumps(results).encode("utf-8")
        if fmt == ox.QueryResultsFormat.JSON:
            return QueryAnswer(kind, media, data)
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        return QueryAnswer(kind, media, parsed.serialize(format=fmt))

    def graph_names(self) -> list[str]:
        """The named graphs the KB wrote (listed in its bookkeeping graph), sorted."""
        rows = self.select(f"SELECT ?g WHERE {{ GRAPH <{self.meta_graph}> {{ <{self.meta_graph}> <{KBM}graph> ?g }} }}")
        return sorted(r["g"]["value"] for r in rows)

    def last_modified(self) -> datetime:
        """The time of the last write through kb (from the bookkeeping graph); the epoch if none."""
        rows = self.select(
            f"SELECT ?m WHERE {{ GRAPH <{self.meta_graph}> {{ <{self.meta_graph}> <{_MODIFIED}> ?m }} }}"
        )
        if not rows:
            return _EPOCH
        return datetime.fromisoformat(rows[0]["m"]["value"].replace("Z", "+00:00"))

    def _triples(self, iri: str) -> Iterator[tuple]:
        """The triples of one graph, paged below the row cap with a stable ORDER BY."""
        for row in self._paged(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o"):
            yield _term(row["s"]), _term(row["p"]), _term(row["o"])

    def _dataset(self, names: list[str]) -> ox.Store:
        store = ox.Store()
        for name in names:
            graph = ox.NamedNode(name)
            store.extend(ox.Quad(s, p, o, graph) for s, p, o in self._triples(name))
        return store

    def graph(self, iri: str) -> Graph:
        """A copy of one named graph as an rdflib graph."""
        data = self._dataset([iri]).dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        return Graph().parse(data=data.decode("utf-8"), format="nt")

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """The KB's named graphs (not the bookkeeping graph) in a quad format."""
        return self._dataset(self.graph_names()).dump(format=fmt)

    def dump_nquads(self) -> bytes:
        """The KB's named graphs as N-Quads (sorted lines, so two dumps compare as text)."""
        return b"".join(sorted(self.dump(ox.RdfFormat.N_QUADS).splitlines(keepends=True)))

    # -- writing ---------------------------------------------------------------------------

    def replace_graphs(self, graphs: Mapping[URIRef, GraphData], *, clear_all: bool = False) -> None:
        """Replace the named graphs in ``graphs`` (with ``clear_all``: every graph the KB wrote).

        Graphs the server holds that the KB did not write are left alone, even with
        ``clear_all``. See the class docstring for what each server makes atomic.

        :raises StoreError: the server refused the write or cannot be reached.
        """
        known = set(self.graph_names())
        dropped = known if clear_all else set()
        names = (known - dropped) | {str(g) for g in graphs}
        modified = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        meta = (
            f"<{self.meta_graph}> <{_MODIFIED}> \"{modified}\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
            + "".join(f"<{self.meta_graph}> <{KBM}graph> <{n}> .\n" for n in sorted(names))
        )
        bodies = {str(iri): as_ntriples(graph).decode("utf-8") for iri, graph in graphs.items()}
        if self.gsp_url:
            for name in sorted(dropped - set(bodies)):
                self._gsp("DELETE", name)
            for name, body in bodies.items():
                self._gsp("PUT", name, body)
            self._gsp("PUT", self.meta_graph, meta)
            return
        parts = [f"DROP SILENT GRAPH <{n}>" for n in sorted(dropped | set(bodies) | {self.meta_graph})]
        for name, body in bodies.items():
            lines = body.splitlines(keepends=True)
            for start in range(0, max(len(lines), 1), self.chunk):
                parts.append(f"INSERT DATA {{ GRAPH <{name}> {{\n{''.join(lines[start:start + self.chunk])}}} }}")
        parts.append(f"INSERT DATA {{ GRAPH <{self.meta_graph}> {{\n{meta}}} }}")
        for request in self._batches(parts):
            self._update(" ;\n".join(request))

    def _batches(self, parts: list[str]) -> Iterator[list[str]]:
        """Operations grouped into requests of at most about ``chunk`` lines each."""
        batch: list[str] = []
        size = 0
        for part in parts:
            lines = part.count("\n")
            if batch and size + lines > self.chunk:
                yield batch
                batch, size = [], 0
            batch.append(part)
            size += lines
        if batch:
            yield batch

    def _gsp(self, method: str, graph: str, body: str | None = None) -> None:
        url = f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"
        request = urllib.request.Request(
            url, method=method, data=body.encode("utf-8") if body is not None else None,
            headers={"Content-Type": "text/turtle"} if body is not None else {},
        )
        handlers = []
        if self._user:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, self.gsp_url, self._user, self._password)
            digest = urllib.request.HTTPDigestAuthHandler(passwords)
            handlers = [digest, urllib.request.HTTPBasicAuthHandler(passwords)]
            if body is not None:
                self._authorise(request, digest)
        try:
            urllib.request.build_opener(*handlers).open(request, timeout=120).close()
        except urllib.error.HTTPError as exc:
            if method == "DELETE" and exc.code == 404:
                return
            detail = exc.read()[:500].decode("utf-8", "replace")
            raise StoreError(f"{self.gsp_url}: {method} of <{graph}> failed with {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"{self.gsp_url}: cannot reach the graph store ({getattr(exc, 'reason', exc)}).") from None

    def _authorise(self, request: urllib.request.Request, digest: urllib.request.HTTPDigestAuthHandler) -> None:
        """Give a request with a body its credentials up front. Sent without them, a large graph
        can be cut off by the server's early 401 (a broken pipe); so the challenge is fetched
        with a bodiless HEAD first. A server that sends none is left to the usual 401 round trip."""
        try:
            urllib.request.urlopen(urllib.request.Request(request.full_url, method="HEAD"), timeout=30).close()
            return
        except urllib.error.HTTPError as exc:
            scheme, _, params = (exc.headers.get("WWW-Authenticate") or "").partition(" ")
        except (urllib.error.URLError, OSError):
            return  # the request itself will say that the store cannot be reached
        if scheme.lower() == "digest":
            challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(params))
            answer = digest.get_authorization(request, challenge)
            if answer:
                request.add_unredirected_header("Authorization", f"Digest {answer}")
        elif scheme.lower() == "basic":
            token = base64.b64encode(f"{self._user}:{self._password}".encode()).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")


def _server_message(exc: Exception) -> str:
    """The server's own words from a SPARQLWrapper exception (which carries the response body)."""
    text = str(exc)
    _, _, body = text.partition("Response:\n")
    return (body or text).strip()[:1000]
