"""The KB as it stood on a day: every fact becomes known when its article is published.

:func:`graphs_as_of` names the graphs known on a day: the graph of every article published on
or before it (its ``schema:datePublished``), the gazetteer and ontology graphs, and each links
graph (``{base}graph/links``, or one under it) whose links are all between facts already known.
A links graph that would link a fact of a later article is left out whole, so the as-of view
never shows a merge, a source count or a disagreement that no one could have known then. `kb build`
writes a links graph per entry of data/links.yaml (kb/links.py), so each merge appears on the day
its last report was published.

Queries run over those graphs as the default graph (their union) and as the named graphs
(:func:`as_of_dataset`); :class:`AsOfView` is a store seen that way, which the timeline reads
to show the KB as of a day.

>>> parse_day("2019-12-05"), day_text(date(2019, 12, 5))
(datetime.date(2019, 12, 5), '5 December 2019')
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Protocol

import pyoxigraph as ox

from kb.errors import QueryError
from kb.namespaces import DEFAULT_BASE_IRI, sparql_prefixes
from kb.sparql import NO_GRAPH
from kb.store import Binding, QueryAnswer

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class AsOfError(QueryError):
    """An as-of date that is not a day written as YYYY-MM-DD."""


class GraphStore(Protocol):
    """What :func:`graphs_as_of` needs from a store (see :class:`kb.store.Store`)."""

    def select(self, query: str, substitutions: Mapping[str, str] | None = None) -> list[Binding]: ...

    def query(self, query: str, *, result_format: str = ..., graph_format: str = ...,
              default_graphs: list[str] | None = ..., named_graphs: list[str] | None = ...) -> QueryAnswer: ...

    def last_modified(self) -> datetime: ...


def parse_day(value: str, name: str = "as_of") -> date:
    """The day written as ``YYYY-MM-DD``.

    :raises AsOfError: it is not a date of that form (the message says which form to use).
    """
    text = value.strip()
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise AsOfError(f"{name} {value!r} is not a date: write it as YYYY-MM-DD, such as 2019-12-05.")


def day_text(day: date) -> str:
    """The day for readers: ``5 December 2019``."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_ARTICLE_GRAPHS = sparql_prefixes() + """
SELECT ?g ?published WHERE {
  GRAPH ?g { ?article a schema:NewsArticle . OPTIONAL { ?article schema:datePublished ?published } }
}"""
#: The nodes some links graphs name, as subject or object (``#GRAPHS`` is filled in: naming the
#: graphs lets the store read only them, 30 times faster on the corpus than filtering all graphs).
_LINKED_NODES = """
SELECT DISTINCT ?g ?node WHERE {
  VALUES ?g { #GRAPHS }
  GRAPH ?g { { ?node ?p ?o } UNION { ?s ?p ?node FILTER(isIRI(?node)) } }
}"""
#: The graphs that describe some nodes (``VALUES`` is filled in).
_HOMES = "SELECT DISTINCT ?node ?home WHERE { VALUES ?node { #NODES } GRAPH ?home { ?node ?p ?o } }"
_BATCH = 500


def graphs_as_of(store: GraphStore, day: date, base: str = DEFAULT_BASE_IRI) -> list[str]:
    """The named graphs known on ``day``, sorted: articles published on or before it, the
    gazetteer and ontology graphs (under ``base``), and the links graphs whose linked facts are
    all known then. An article without a publication date is never known.

    :raises StoreError: the store cannot be read.
    """
    if not base.endswith("/"):
        base += "/"
    published: dict[str, list[str]] = defaultdict(list)
    for row in store.select(_ARTICLE_GRAPHS):
        published[row["g"]["value"]].append(row["published"]["value"] if "published" in row else "")
    known = {graph for graph, dates in published.items() if all(_on_or_before(d, day) for d in dates)}
    names = {row["g"]["value"] for row in store.select(sparql_prefixes() + "SELECT DISTINCT ?g { GRAPH ?g {} }")}
    known |= {g for g in (f"{base}graph/gazetteer", f"{base}graph/ontology") if g in names}
    links = sorted(g for g in names if g == f"{base}graph/links" or g.startswith(f"{base}graph/links/"))
    linked: dict[str, set[str]] = defaultdict(set)  # links graph -> the nodes it names
    for at in range(0, len(links), _BATCH):
        values = " ".join(f"<{graph}>" for graph in links[at:at + _BATCH])  # IRIs read from the store
        for row in store.select(_LINKED_NODES.replace("#GRAPHS", values)):
            linked[row["g"]["value"]].add(row["node"]["value"])
    nodes = sorted(set().union(*linked.values()))
    homes: dict[str, set[str]] = defaultdict(set)  # node -> the article graphs that describe it
    for at in range(0, len(nodes), _BATCH):
        values = " ".join(f"<{node}>" for node in nodes[at:at + _BATCH])  # IRIs read from the store
        for row in store.select(_HOMES.replace("#NODES", values)):
            if row["home"]["value"] in published:
                homes[row["node"]["value"]].add(row["home"]["value"])
    for graph, named in linked.items():
        if all(homes[node] & known or not homes[node] for node in named):
            known.add(graph)  # every fact it links is known (a node described in no article is)
    return sorted(known)


_known: dict[tuple, list[str]] = {}  # (store, its modified stamp, day, base) -> graphs_as_of
_known_lock = threading.Lock()
_KNOWN_KEPT = 64


def known_graphs(store: GraphStore, day: date, base: str = DEFAULT_BASE_IRI) -> list[str]:
    """:func:`graphs_as_of`, remembered while the store's modified stamp stays the same (the
    timeline asks for it on every page of an as-of view)."""
    where = getattr(store, "generation_folder", None) or getattr(store, "query_url", None) or id(store)
    key = (str(where), store.last_modified(), day, base)
    with _known_lock:
        found = _known.get(key)
    if found is None:
        found = graphs_as_of(store, day, base)
        with _known_lock:
            if len(_known) >= _KNOWN_KEPT:
                _known.pop(next(iter(_known)))
            _known[key] = found
    return list(found)


def _on_or_before(lexical: str, day: date) -> bool:
    try:
        return date.fromisoformat(lexical[:10]) <= day
    except ValueError:
        return False


def as_of_dataset(graphs: list[str]) -> tuple[list[str], list[str]]:
    """The (default graphs, named graphs) of a query over ``graphs``: their union as the default
    graph and each as a named graph; an empty list is a dataset of no graph."""
    chosen = list(graphs) or [NO_GRAPH]
    return chosen, list(chosen)


class AsOfView:
    """``store`` as it stood on ``day``: its selects run over the graphs known then
    (:func:`known_graphs`) only, as the default graph and the named graphs."""

    def __init__(self, store: GraphStore, day: date, base: str = DEFAULT_BASE_IRI) -> None:
        self.store = store
        self.day = day
        self.graphs = known_graphs(store, day, base)

    def __repr__(self) -> str:
        where = getattr(self.store, "path", None) or repr(self.store)
        generation = getattr(self.store, "generation_folder", None)
        digest = hashlib.sha1("\n".join(self.graphs).encode()).hexdigest()[:16]
        return f"AsOfView({where}:{generation}, {len(self.graphs)} graphs {digest})"

    def select(self, query: str, substitutions: Mapping[str, str] | None = None) -> list[Binding]:
        """Run a SELECT over the known graphs (``substitutions`` are not supported).

        :raises QueryError: a malformed query, or substitutions given.
        """
        if substitutions:
            raise QueryError("an as-of view does not substitute variables; bind them in the query.")
        default, named = as_of_dataset(self.graphs)
        answer = self.store.query(query, result_format="json", default_graphs=default, named_graphs=named)
        return json.loads(answer.body)["results"]["bindings"]

    def last_modified(self) -> datetime:
        """When the underlying store was last written."""
        return self.store.last_modified()

    def quads(self) -> Iterator[ox.Quad] | None:
        """The quads of the known graphs, read straight from an embedded store (None for others,
        which are read with SPARQL)."""
        read = getattr(self.store, "quads", None)  # kb.store.EmbeddedStore.quads
        return read(self.graphs) if read is not None else None
