"""The store a request reads, kept on :data:`flask.g` so one request sees one snapshot.

An embedded store's read-only handle is shared by the requests of a process and reopened only
when a write has switched the store to a new generation (its marker file was replaced), so a
request does not pay for opening the database. A remote store is opened per request.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app, g

from kb.store import Store, change_stamp, is_remote, open_store

_shared: dict[str, tuple[tuple[int, int], Store]] = {}
_shared_lock = threading.Lock()


def get_store() -> Store:
    """The request's read-only store, from ``KB_STORE`` (a folder or a SPARQL server's URL).

    :raises StoreError: the folder is missing, not a store, or of another format version.
    """
    if "store" not in g:
        location = current_app.config["KB_STORE"]
        if is_remote(location):
            g.store = open_store(location)
            g.close_store = True
        else:
            g.store = _shared_reader(str(location))
    return g.store


def _shared_reader(location: str) -> Store:
    """The process's reader of an embedded store, reopened when the store has changed."""
    identity = change_stamp(location)
    with _shared_lock:
        cached = _shared.get(location)
        if cached is not None and identity is not None and cached[0] == identity:
            return cached[1]
        store = open_store(location)  # raises StoreError with advice when there is no store
        if identity is not None:
            # The handle it replaces is not closed: requests in flight may still be reading it.
            _shared[location] = (identity, store)
        return store


def close_store(_error: BaseException | None = None) -> None:
    """Release the request's store if it was opened for this request alone."""
    store = g.pop("store", None)
    if store is not None and g.pop("close_store", False):
        store.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_store)
