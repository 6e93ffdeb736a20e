"""The store interface (:class:`Store`), its embedded on-disk backend (pyoxigraph) and
:func:`open_store`, which picks the backend from a location.

A location is a folder (the embedded store, :class:`EmbeddedStore`) or an ``http(s)://`` URL of
a SPARQL 1.1 query endpoint (:class:`kb.remote.RemoteStore`). Every backend passes the same
contract tests (tests/test_store_contract.py).

Embedded: the folder holds generations (``gen-<n>``, each a RocksDB database) and a marker
naming the current one. A write builds the next generation as a hard-link checkpoint of the
current one, applies the update there, closes it and then switches the marker atomically, so a
generation is never written once it is current: readers open only immutable databases, see a
write entirely or not at all, and a writer killed at any point leaves the previous generation.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import stat
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kb.errors import QueryError, StoreError
from kb.sparqltext import substitute

FORMAT_VERSION = 2
_MARKER = "kb-store.json"
_LOCK = "write.lock"
_GENERATION = re.compile(r"gen-(\d+)")

#: A solution of a SELECT query: variable -> term in SPARQL 1.1 Query Results JSON form
#: (``{"type": "uri"|"literal"|"bnode", "value": ..., "datatype"?: ..., "xml:lang"?: ...}``).
Binding = dict[str, dict[str, str]]

RESULT_FORMATS = {
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
    "xml": (ox.QueryResultsFormat.XML, "application/sparql-results+xml"),
    "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
    "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
}
GRAPH_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
}


#: A named graph to write: an rdflib graph, or its triples as N-Triples (UTF-8), as a worker
#: process of ``kb ingest`` hands a checked article over.
GraphData = Graph | bytes


def as_ntriples(data: GraphData) -> bytes:
    """The N-Triples (UTF-8) of a graph to write."""
    return data if isinstance(data, bytes) else data.serialize(format="nt", encoding="utf-8")


@dataclass(frozen=True)
class QueryAnswer:
    """A serialised query answer: its kind (``select``, ``ask`` or ``graph``), media type and bytes."""

    kind: str
    media_type: str
    body: bytes


@runtime_checkable
class Store(Protocol):
    """What the rest of kb uses from a store, whichever backend holds the data.

    Queries see the union of all named graphs as their default graph. ``substitutions`` bind
    variables (named without ``?``) to IRIs before a query runs, so an IRI from outside never
    becomes query text unchecked. Methods raise :class:`~kb.errors.QueryError` for a malformed
    query and :class:`~kb.errors.StoreError` when the store cannot be read or written.
    """

    def select(self, query: str, substitutions: Mapping[str, str] | None = None) -> list[Binding]: ...

    def ask(self, query: str, substitutions: Mapping[str, str] | None = None) -> bool: ...

    def construct(self, query: str, substitutions: Mapping[str, str] | None = None) -> Graph: ...

    def query(
        self,
        query: str,
        *,
        result_format: str = "json",
        graph_format: str = "turtle",
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryAnswer: ...

    def graph(self, iri: str) -> Graph: ...

    def graph_names(self) -> list[str]: ...

    def dump(self, fmt: ox.RdfFormat) -> bytes: ...

    def dump_nquads(self) -> bytes: ...

    def last_modified(self) -> datetime: ...

    def replace_graphs(self, graphs: Mapping[URIRef, GraphData], *, clear_all: bool = False) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> "Store": ...

    def __exit__(self, *_exc: object) -> None: ...


def is_remote(location: str | os.PathLike[str]) -> bool:
    """Whether ``location`` names a SPARQL server (an ``http://`` or ``https://`` URL)."""
    return str(location).lower().startswith(("http://", "https://"))


def change_stamp(location: str | os.PathLike[str]) -> tuple[int, int] | None:
    """What changes whenever a write switches an embedded store to a new generation (the marker
    file is replaced: its inode and mtime); None when there is no store at ``location``."""
    try:
        stat = (Path(location) / _MARKER).stat()
    except OSError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def open_store(location: str | os.PathLike[str], *, writable: bool = False) -> Store:
    """Open the store at ``location``: a folder (embedded) or an http(s) URL (a SPARQL server).

    ``writable`` opens an embedded store as its one writer (creating the folder if needed);
    otherwise read-only. A remote store is writable whenever its server accepts updates.

    :raises StoreError: the folder is missing, locked or not a store; or the URL is malformed.

    >>> import tempfile
    >>> with open_store(tempfile.mkdtemp() + "/s", writable=True) as store:
    ...     store.graph_names()
    []
    """
    if is_remote(location):
        from kb.remote import RemoteStore  # imported here: kb.remote builds on this module

        return RemoteStore(str(location))
    if writable:
        return EmbeddedStore.open_writer(location)
    return EmbeddedStore.open_reader(location)


class EmbeddedStore:
    """A pyoxigraph store in a folder, kept as generations (see the module docstring).

    Open it with :meth:`open_reader` to query or :meth:`open_writer` to load. Both raise
    :class:`~kb.errors.StoreError` with a message that says how to fix the problem. A reader
    answers from the generation it opened (a consistent snapshot); a writer answers from its
    latest write.
    """

    def __init__(self, path: Path, store: ox.Store, *, lock=None, generation: str | None = None) -> None:
        self.path = path
        self._store: ox.Store | None = store  # read-only handle on ``generation`` (in-memory when empty)
        self._lock = lock  # the writer's locked ``write.lock`` file; None for a reader
        self._generation = generation

    @classmethod
    def open_reader(cls, location: str | os.PathLike[str]) -> "EmbeddedStore":
        """Open an existing store read-only; any number of readers may run beside one writer."""
        path = Path(location)
        _check_marker(path)
        attempts = 5  # a writer may retire a generation between reading the marker and opening it
        while True:
            attempts -= 1
            generation = _read_marker(path).get("current")
            if generation is None:
                return cls(path, ox.Store())
            try:
                return cls(path, ox.Store.read_only(str(path / generation)), generation=generation)
            except OSError as exc:
                if attempts == 0 or _read_marker(path).get("current") == generation:
                    raise StoreError(f"{path}: cannot open the store for reading ({exc}).") from exc

    @classmethod
    def open_writer(cls, location: str | os.PathLike[str]) -> "EmbeddedStore":
        """Open (creating if needed) a store for writing; only one writer at a time."""
        path = Path(location)
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: is a file, not a store folder; give --store a folder path.")
        if path.is_dir() and any(p.name not in (_LOCK, _temporary(path / _MARKER).name) for p in path.iterdir()):
            _check_marker(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
            lock = open(path / _LOCK, "a+b")  # noqa: SIM115 - held until close()
        except OSError as exc:
            raise StoreError(f"{path}: cannot open the store for writing: {exc}.") from exc
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            lock.close()
            raise StoreError(
                f"{path}: cannot open the store for writing: it is locked by another process "
                "(a running build or ingest?)."
            ) from exc
        try:
            if not (path / _MARKER).exists():
                _write_marker(path, None)
            generation = _read_marker(path).get("current")
            _remove_generations(path, keep=_kept(path, generation))  # leftovers of an interrupted write
            store = ox.Store.read_only(str(path / generation)) if generation else ox.Store()
        except OSError as exc:
            lock.close()
            raise StoreError(f"{path}: cannot open the store for writing: {exc}.") from exc
        except BaseException:
            lock.close()
            raise
        return cls(path, store, lock=lock, generation=generation)

    def close(self) -> None:
        """Release the folder (the writer's lock) now rather than when garbage is collected."""
        self._store = None  # pyoxigraph closes the database when its last reference goes
        if self._lock is not None:
            self._lock.close()  # closing the file releases the flock
            self._lock = None

    def __enter__(self) -> "EmbeddedStore":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- reading -------------------------------------------------------------------------

    def _run(
        self,
        query: str,
        default_graphs: list[str] | None,
        named_graphs: list[str] | None,
        substitutions: Mapping[str, str] | None = None,
    ):
        options: dict[str, object] = {}
        if substitutions:
            options["substitutions"] = {ox.Variable(name): _iri(value) for name, value in substitutions.items()}
        if default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        try:
            try:
                return self._store.query(query, **options)
            except RuntimeError:
                if not substitutions:
                    raise
                # pyoxigraph binds only projected variables of a SELECT; bind the rest in the text.
                del options["substitutions"]
                return self._store.query(substitute(query, substitutions), **options)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except ValueError as exc:
            raise QueryError(f"invalid query: {exc}") from exc

    def select(self, query: str, substitutions: Mapping[str, str] | None = None) -> list[Binding]:
        """Run a SELECT query over the union of all graphs; return its solutions as JSON terms.

        ``substitutions`` binds variables (named without ``?``) to IRIs before the query runs
        (SPARQL SEP-0007), so an IRI from outside never becomes query text.

        :raises QueryError: on a malformed query, or a substituted value that is not an absolute IRI.
        """
        result = self._run(query, None, None, substitutions)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("select() needs a SELECT query.")
        return json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))["results"]["bindings"]

    def ask(self, query: str, substitutions: Mapping[str, str] | None = None) -> bool:
        """Run an ASK query over the union of all graphs (``substitutions`` as for :meth:`select`)."""
        result = self._run(query, None, None, substitutions)
        if not isinstance(result, ox.QueryBoolean):
            raise QueryError("ask() needs an ASK query.")
        return bool(result)

    def construct(self, query: str, substitutions: Mapping[str, str] | None = None) -> Graph:
        """Run a CONSTRUCT query over the union of all graphs; return its triples as an rdflib graph.

        ``substitutions`` as for :meth:`select`.

        :raises QueryError: on a malformed or non-CONSTRUCT query, or a value that is not an absolute IRI.
        """
        result = self._run(query, None, None, substitutions)
        if not isinstance(result, ox.QueryTriples):
            raise QueryError("construct() needs a CONSTRUCT query.")
        return Graph().parse(data=result.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")

    def query(
        self,
        query: str,
        *,
        result_format: str = "json",
        graph_format: str = "turtle",
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
    ) -> QueryAnswer:
        """Run any query and serialise its answer.

        ``result_format`` (a key of :data:`RESULT_FORMATS`) applies to SELECT and ASK,
        ``graph_format`` (a key of :data:`GRAPH_FORMATS`) to CONSTRUCT and DESCRIBE. Without
        ``default_graphs`` the default graph is the union of all graphs.

        :raises QueryError: on a syntax error, with the parser's position.
        """
        result = self._run(query, default_graphs, named_graphs)
        if isinstance(result, ox.QueryTriples):
            fmt, media = GRAPH_FORMATS[graph_format]
            return QueryAnswer("graph", media, result.serialize(format=fmt))
        fmt, media = RESULT_FORMATS[result_format]
        kind = "ask" if isinstance(result, ox.QueryBoolean) else "select"
        return QueryAnswer(kind, media, result.serialize(format=fmt))

    @property
    def pyoxigraph_store(self) -> ox.Store:
        """The pyoxigraph store this handle reads, for code that queries it directly (the SHACL engine)."""
        return self._store

    @property
    def generation(self) -> str | None:
        """The name of the generation this handle reads (None for an empty store)."""
        return self._generation

    @property
    def generation_folder(self) -> Path | None:
        """The folder of the generation this handle reads (None for an empty store); files derived
        from its data, such as the timeline index, are written there with it."""
        return self.path / self._generation if self._generation else None

    def last_modified(self) -> datetime:
        """When the store was last written (UTC, whole seconds), from its marker file."""
        return datetime.fromisoformat(_read_marker(self.path)["modified"])

    def graph_names(self) -> list[str]:
        """The IRIs of the named graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs())

    def quads(self, graphs: Iterable[str]) -> Iterator[ox.Quad]:
        """The quads of the named ``graphs``, read straight from the store."""
        for graph in graphs:
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def graph(self, iri: str) -> Graph:
        """A copy of one named graph as an rdflib graph."""
        data = self._store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(iri))
        return Graph().parse(data=data.decode("utf-8"), format="nt")

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        """The whole dataset in a quad format (N-Quads, TriG)."""
        return self._store.dump(format=fmt)

    def dump_nquads(self) -> bytes:
        """The whole dataset as N-Quads (sorted lines, so two dumps compare as text)."""
        return b"".join(sorted(self.dump(ox.RdfFormat.N_QUADS).splitlines(keepends=True)))

    # -- writing -------------------------------------------------------------------------

    def replace_graphs(self, graphs: Mapping[URIRef, GraphData], *, clear_all: bool = False) -> None:
        """Replace the named graphs in ``graphs`` (or the whole dataset) in one write."""
        quads = {str(iri): _quads_in(str(iri), graph) for iri, graph in graphs.items()}

        def apply(store: ox.Store) -> None:
            # the next generation, made current whole or not at all: pyoxigraph's bulk insert,
            # which skips transactions and existence checks, is safe here
            for name in quads:
                if store.contains_named_graph(ox.NamedNode(name)):  # removing reads the graph: only if there
                    store.remove_graph(ox.NamedNode(name))
            store.bulk_extend(quad for graph in quads.values() for quad in graph)

        self._write(apply, fresh=clear_all, replaced=quads)

    def load_quads(self, data: bytes, fmt: ox.RdfFormat, *, replace: bool = False,
                   check: Callable[[ox.Store], None] | None = None) -> None:
        """Add the quads in ``data`` (N-Quads, TriG) to the dataset, or with ``replace`` make them
        the whole dataset, in one write.

        They are bulk-loaded (pyoxigraph's fast loader, which is not transactional) into the next
        generation, which is thrown away if the load or ``check`` (given the loaded generation)
        raises: the write is still all or nothing.

        :raises SyntaxError: when ``data`` is not valid in ``fmt`` (nothing is written).
        """
        def apply(store: ox.Store) -> None:
            store.bulk_load(data, format=fmt)
            if check is not None:
                check(store)

        self._write(apply, fresh=replace, loaded=lambda: ox.parse(data, format=fmt))

    def _write(
        self,
        apply: Callable[[ox.Store], object],
        *,
        fresh: bool,
        replaced: Mapping[str, list[ox.Quad]] | None = None,
        loaded: Callable[[], Iterable[ox.Quad]] | None = None,
    ) -> None:
        """Build the next generation (a checkpoint of the current one, or empty when ``fresh``),
        apply the change there, write the timeline index of its data beside it, close it and make
        it current. Until the switch nothing changes.

        The generation is built in a thread (pyoxigraph lets go of the interpreter while it opens
        and writes a database) while this one writes the index from what it can be made of
        without the new database: the quads ``loaded()`` going into an empty store, or the
        current generation with the graphs in ``replaced`` (each one's IRI and new quads) held
        in memory, as an update of the current generation's index
        (:func:`kb.timeline_index.write_generation_index`). Otherwise the index is read from the
        new generation once it is built.
        """
        # imported here: kb.timeline_index builds on this module
        from kb.timeline_index import INDEX_FILE, write_generation_index
        from kb.timeline_scan import loaded_subjects

        if self._lock is None:
            raise StoreError(f"{self.path}: this store is open read-only; open it as the writer to change it.")
        name = f"gen-{max(_generations(self.path).values(), default=0) + 1}"
        target = self.path / name
        store: ox.Store | None = None
        try:
            empty = self._generation is None or fresh
            if empty:
                target.mkdir()
            else:
                self._store.backup(str(target))  # hard links to the current generation's files
            with ThreadPoolExecutor(1) as pool:
                built = pool.submit(_build_generation, target, apply, empty)
                try:
                    indexed = self._index_ahead(target, empty, replaced, loaded)
                finally:
                    store = built.result()
                    del built  # it holds the database open too
                try:
                    if not indexed:
                        previous = None if empty else self.generation_folder / INDEX_FILE
                        changed = loaded_subjects(loaded()) if loaded is not None and previous else None
                        write_generation_index(store, target, previous, changed)
                finally:
                    del store  # closes the database: no generation is open read-write once it is current
            _sync_tree(target)
            _write_marker(self.path, name)
        except BaseException as exc:
            store = None  # closes the database if it was built (the index could not be written)
            traceback.clear_frames(exc.__traceback__)  # the failed frames let go of the database: it closes
            shutil.rmtree(target, ignore_errors=True)
            if isinstance(exc, OSError):
                raise StoreError(f"{self.path}: the write failed and was rolled back ({exc}).") from exc
            raise
        previous, self._generation = self._generation, name
        self._store = ox.Store.read_only(str(target))
        _remove_generations(self.path, keep={name, previous})

    def _index_ahead(self, target: Path, empty: bool, replaced: Mapping[str, list[ox.Quad]] | None,
                     loaded: Callable[[], Iterable[ox.Quad]] | None) -> bool:
        """Write the index of the generation being built in ``target`` without reading it, where
        that can be done (see :meth:`_write`); return whether it was."""
        from kb.timeline_index import INDEX_FILE, write_generation_index, write_index_of_quads
        from kb.timeline_scan import ReplacedGraphs, changed_subjects

        if loaded is not None and empty:
            return write_index_of_quads(target, loaded) is not None
        if not replaced or empty:
            return False
        changed = set().union(*(changed_subjects(self._store, graph, quads) for graph, quads in replaced.items()))
        write_generation_index(ReplacedGraphs(self._store, replaced), target, self.generation_folder / INDEX_FILE,
                               changed)
        return True


def _build_generation(target: Path, apply: Callable[[ox.Store], object], empty: bool) -> ox.Store:
    """Open the generation in ``target`` for writing, apply the change and flush it; return it open."""
    store = ox.Store(str(target))
    apply(store)
    store.flush()
    if empty:  # a bulk write leaves its files unmerged: merged once now, not again by each later write
        store.optimize()
    return store


def _quads_in(graph: str, data: GraphData) -> list[ox.Quad]:
    """The triples of ``data`` as quads in the named graph ``graph``."""
    node = ox.NamedNode(graph)
    return [ox.Quad(q.subject, q.predicate, q.object, node)
            for q in ox.parse(as_ntriples(data), format=ox.RdfFormat.N_TRIPLES)]


def _iri(value: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise QueryError(f"{value!r} is not an absolute IRI ({exc}).") from exc


def _generations(path: Path) -> dict[str, int]:
    """The generation folders in ``path``, name -> number."""
    found = {}
    for child in path.iterdir():
        match = _GENERATION.fullmatch(child.name)
        if match and child.is_dir():
            found[child.name] = int(match.group(1))
    return found


def _kept(path: Path, current: str | None) -> set[str | None]:
    """The current generation and the newest one before it (a reader may have just opened it)."""
    if current is None:
        return {None}
    older = [(n, name) for name, n in _generations(path).items() if n < int(current.removeprefix("gen-"))]
    return {current, max(older)[1] if older else None}


def _remove_generations(path: Path, keep: set[str | None]) -> None:
    """Remove every generation folder not in ``keep``: renamed first, so a reader finds one whole or not at all."""
    for name in _generations(path):
        if name not in keep:
            doomed = path / f".removing-{name}"
            try:
                os.replace(path / name, doomed)
            except OSError:
                continue
            shutil.rmtree(doomed, ignore_errors=True)
    for leftover in path.glob(".removing-gen-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_tree(folder: Path) -> None:
    """Make a finished generation durable before the marker points at it: its new files, and the
    folder's entries (a file with other links is the previous generation's, synced already)."""
    for child in folder.iterdir():
        info = child.lstat()
        if stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
            _fsync(child)
    _fsync(folder)


def _read_marker(path: Path) -> dict:
    return json.loads((path / _MARKER).read_text(encoding="utf-8"))


def _write_marker(path: Path, current: str | None) -> None:
    """Record the format version, the current generation and the time of this write (readers
    use it as Last-Modified), atomically and durably."""
    modified = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    marker = {"format_version": FORMAT_VERSION, "modified": modified, "current": current}
    write_atomically(path / _MARKER, (json.dumps(marker) + "\n").encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` so a reader finds the old content or the new, never a part: a hidden
    temporary file beside it, synced, then renamed over it, and the folder synced."""
    temporary = _temporary(path)
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    _fsync(path.parent)


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


def _check_marker(path: Path) -> None:
    marker = path / _MARKER
    if not path.is_dir():
        raise StoreError(f"{path}: no store here; run `kb build` to create it, or fix --store / KB_STORE.")
    if not marker.exists():
        raise StoreError(
            f"{path}: this folder is not a KB store (no {_MARKER}); point --store at a store folder "
            "or at an empty or new folder."
        )
    try:
        version = json.loads(marker.read_text(encoding="utf-8"))["format_version"]
    except (ValueError, KeyError) as exc:
        raise StoreError(f"{marker}: unreadable store marker; rebuild the store with `kb build`.") from exc
    if version != FORMAT_VERSION:
        raise StoreError(
            f"{path}: store format version {version}, but this kb reads version {FORMAT_VERSION}; "
            "rebuild it with `kb build --store NEW_FOLDER`."
        )
