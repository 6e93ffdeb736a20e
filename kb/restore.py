"""Restore a store from a dump written by ``kb export`` (or beside a store by ``kb build``).

A dump is ``kb.nq.gz`` or ``kb.trig.gz`` (plain ``.nq`` / ``.trig`` too), optionally with the
``SHA256SUMS`` file written beside it. The checksum and the gzip stream are checked before the store is
opened for writing; the RDF syntax and that every triple is in a named graph are checked as the
dataset is bulk-loaded into an embedded store's next generation (parsed once), which becomes
current only when they pass. The dataset replaces the store's in one write, so a failed or
interrupted import leaves the store as it was.
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
from kb.export import CHECKSUMS, NQUADS, TRIG, Changes, dumps_dir, write_dumps
from kb.store import EmbeddedStore, is_remote, open_store

#: File name endings of the dumps kb reads, with their RDF format.
DUMP_FORMATS = {
    ".nq.gz": ox.RdfFormat.N_QUADS, ".nq": ox.RdfFormat.N_QUADS,
    ".trig.gz": ox.RdfFormat.TRIG, ".trig": ox.RdfFormat.TRIG,
}


@dataclass(frozen=True)
class Dump:
    """A dump read into memory, its checksum and gzip stream checked."""

    path: Path
    data: bytes  # the RDF, unpacked
    format: ox.RdfFormat
    checksum_verified: bool


@dataclass(frozen=True)
class Restored:
    """What :func:`import_dump` loaded, and whether it replaced an existing dataset."""

    dump: Dump
    graphs: int
    quads: int
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
    """Read the dump at ``source`` (see :func:`dump_file`) and check its checksum and gzip stream.

    :raises InputError: a checksum mismatch or a damaged gzip stream, naming the file and what to do.
    """
    path = dump_file(source)
    try:
        packed = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the dump ({exc.strerror}).") from exc
    verified = _verify_checksum(path, packed)
    return Dump(path, _unpack(path, packed), _format(path), verified)


def check_dataset(dump: Dump, dataset: ox.Store) -> None:
    """Check the dataset loaded from ``dump``: some triples, every one in a named graph.

    :raises InputError: naming the file and what to do.
    """
    if any(True for _ in dataset.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        raise InputError(f"{dump.path}: has triples outside any named graph; a kb dump keeps every triple in "
                         "a named graph (use N-Quads or TriG with graph names).")
    if not any(True for _ in dataset.named_graphs()):
        raise InputError(f"{dump.path}: the dump holds no triples; nothing to restore.")


def import_dump(source: Path, store_location: str, *, replace: bool = False) -> Restored:
    """Load the dump at ``source`` into the store at ``store_location`` in one write.

    The store must be empty unless ``replace`` is given; then its whole dataset is replaced
    atomically. An embedded store's dumps (:func:`kb.export.dumps_dir`) are rewritten.

    :raises InputError: the dump is missing or damaged (see :func:`read_dump`, :func:`check_dataset`);
        the store is untouched.
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
        try:
            if isinstance(store, EmbeddedStore):
                store.load_quads(dump.data, dump.format, replace=True, check=lambda new: check_dataset(dump, new))
            else:
                store.replace_graphs(_graphs(dump), clear_all=True)
        except SyntaxError as exc:
            raise InputError(f"{dump.path}: not valid {dump.format.name} ({exc}); the file is damaged or is not "
                             "a kb dump; export it again with `kb export --out DIR`.") from exc
        graphs = store.graph_names()
        quads = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")[0]["n"]["value"]
        if not is_remote(store_location):
            write_dumps(store, dumps_dir(store_location), Changes(None))
    return Restored(dump, len(graphs), int(quads), len(present))


def _graphs(dump: Dump) -> dict[URIRef, Graph]:
    """The dump's named graphs as rdflib graphs, checked (:func:`check_dataset`)."""
    dataset = ox.Store()
    dataset.load(dump.data, format=dump.format)
    check_dataset(dump, dataset)
    return {URIRef(name.value): Graph().parse(data=dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
                                              .decode("utf-8"), format="nt")
            for name in sorted(dataset.named_graphs(), key=lambda n: n.value)}


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

