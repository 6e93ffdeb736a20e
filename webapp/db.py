"""The store, opened once per request (or app context) and kept on :data:`flask.g`."""

from __future__ import annotations

from flask import Flask, current_app, g

from kb.store import Store, open_store


def get_store() -> Store:
    """The request's read-only store, opened from ``KB_STORE`` (a folder or a SPARQL server's URL)
    on first use.

    :raises StoreError: the folder is missing, not a store, or of another format version.
    """
    if "store" not in g:
        g.store = open_store(current_app.config["KB_STORE"])
    return g.store


def close_store(_error: BaseException | None = None) -> None:
    """Release the request's store, if one was opened."""
    store = g.pop("store", None)
    if store is not None:
        store.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_store)
