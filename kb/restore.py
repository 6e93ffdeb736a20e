"""Restore a store from a dump written by ``kb export`` (or beside a store by ``kb build``).

A dump is ``kb.nq.gz`` or ``kb.trig.gz`` (plain ``.nq`` / ``.trig`` too), optionally with the
``SHA256SUMS`` file written beside it. Everything is checked before the store is opened for
writing: the checksum, the gzip stream, the RDF syntax and that every triple is in a named graph.
The dataset then replaces the store's in one write, so a failed or interrupted import leaves the
store as it was.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kb.errors import InputError, StoreError
from kb.export import CHECKSUMS, NQUADS, TRIG, dumps_dir, write_dumps
from kb.store import is_remote, open_store

#: File name endings of the dumps kb reads, with their RDF format.
DUMP_FORMATS = {
    ".nq.gz": ox.RdfFormat.N_QUADS, ".nq": ox.RdfFormat.N_QUADS,
    ".trig.gz": ox.RdfFormat.TRIG, ".trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class Dump:
    """A dump read and checked in memory, ready to load."""

    path: Path
    graphs: dict[URIRef, Graph]
    checksum_verified: bool

    def quad_count(self) -> int:
        return sum(len(g) for g in self.graphs.values())


@dataclass(frozen=True)
class Restored:
    """What :func:`import_dump` loaded, and whether it replaced an existing dataset."""

    dump: Dump
    replaced_graphs: int


def dump_file(source: Path) -> Path:
    """The dump to read from ``source``: the file itself, or in a folder its ``kb.nq.gz``
    (else ``kb.trig.gz``).

    :raises InputError: no such file or folder, no dump in the folder, or an unknown file type.
    """
    if not source.exists():
        raise InputError(f"{source}: no such file or folder; give the folder `kb export --out` wrote, "
                         f"or its {NQUADS} / {TRIG}.")
    if source.is_dir():
        for name in (NQUADS, TRIG):
            if (source / name).is_file():
                return source / name
        raise InputError(f"{source}: no {NQUADS} or {TRIG} in this folder; give the folder `kb export "
                         "--out` wrote, or a dump file.")
    if _format(source) is None:
        raise InputError(f"{source}: not a dump kb reads; give a {', '.join(DUMP_FORMATS)} file "
                         "(as `kb export` writes).")
    return source


def read_dump(source: Path) -> Dump:
    """Read and check the dump at ``source`` (see :func:`dump_file`), all in memory.

    :raises InputError: a checksum mismatch, a damaged gzip stream, text that is not RDF in the
        format its name says, triples outside a named graph, or an empty dump. Each message names
        the file and what to do.
    """
    path = dump_file(source)
    try:
        packed = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the dump ({exc.strerror}).") from exc
    verified = _verify_checksum(path, packed)
    data = _unpack(path, packed)
    dataset = ox.Store()
    try:
        dataset.load(data, format=_format(path))
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: not valid {_format(path).name} ({exc}); the file is damaged or is not "
                         "a kb dump; export it again with `kb export --out DIR`.") from exc
    if any(True for _ in dataset.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        raise InputError(f"{path}: has triples outside any named graph; a kb dump keeps every triple in "
                         "a named graph (use N-Quads or TriG with graph names).")
    names = sorted(g.value for g in dataset.named_graphs())
    if not names:
        raise InputError(f"{path}: the dump holds no triples; nothing to restore.")
    graphs = {}
    for name in names:
        triples = dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        graphs[URIRef(name)] = Graph().parse(data=triples.decode("utf-8"), format="nt")
    return Dump(path, graphs, verified)


def import_dump(source: Path, store_location: str, *, replace: bool = False) -> Restored:
    """Load the dump at ``source`` into the store at ``store_location`` in one write.

    The store must be empty unless ``replace`` is given; then its whole dataset is replaced
    atomically. An embedded store's dumps (:func:`kb.export.dumps_dir`) are rewritten.

    :raises InputError: the dump is missing or damaged (see :func:`read_dump`); the store is untouched.
    :raises StoreError: the store is not empty (without ``replace``), locked or not writable.
    """
    dump = read_dump(source)
    with open_store(store_location, writable=True) as store:
        present = store.graph_names()
        if present and not replace:
            raise StoreError(
                f"{store_location}: the store already holds {len(present)} graph(s); import into an "
                "empty or new folder, or add --replace to replace its whole dataset (back it up first "
                "with `kb export --out DIR`)."
            )
        store.replace_graphs(dump.graphs, clear_all=True)
        if not is_remote(store_location):
            write_dumps(store, dumps_dir(store_location))
    return Restored(dump, len(present))


def _format(path: Path) -> ox.RdfFormat | None:
    return next((fmt for end, fmt in DUMP_FORMATS.items() if path.name.endswith(end)), None)


def _verify_checksum(path: Path, packed: bytes) -> bool:
    """Check ``packed`` against the ``SHA256SUMS`` beside it; False when there is none to check."""
    sums_file = path.parent / CHECKSUMS
    if not sums_file.is_file():
        return False
    expected = None
    for number, line in enumerate(sums_file.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        digest, _, name = line.partition(" ")
        if not line.strip():
            continue
        if len(digest) != 64 or not name:
            raise InputError(f"{sums_file}:{number}: not a 'SHA-256  file name' line; export the dump again.")
        if name.lstrip(" *") == path.name:
            expected = digest.lower()
    if expected is None:
        return False
    found = hashlib.sha256(packed).hexdigest()
    if found != expected:
        raise InputError(
            f"{path}: checksum mismatch (SHA-256 {found}, {sums_file.name} says {expected}); the file is "
            "damaged or was changed after export; copy it again or export it again."
        )
    return True


def _unpack(path: Path, packed: bytes) -> bytes:
    if not path.name.endswith(".gz"):
        return packed
    try:
        return gzip.decompress(packed)
    except EOFError as exc:
        raise InputError(f"{path}: the gzip stream ends early (a truncated copy?); copy or export it "
                         "again.") from exc
    except (gzip.BadGzipFile, zlib.error, OSError) as exc:
        raise InputError(f"{path}: not a valid gzip file ({exc}); copy or export it again.") from exc

