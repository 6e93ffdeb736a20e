"""Parts of pages that depend only on the timeline index (and on what the request asks), kept
per index so a request does not rebuild them: the timeline form's choice lists, the overview's
SVG of a filter.

An entry is keyed on the index file of the store's current data (its path, inode and mtime,
which a write that makes a new generation, or rebuilds the index, changes) and on the caller's
key; a store switched to new data therefore never sees an entry of the old.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from kb.timeline import SelectableStore
from kb.timeline_index import index_path

T = TypeVar("T")


class IndexCache:
    """At most ``size`` values, least recently used dropped first, each computed once per index."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, store: SelectableStore, key: Hashable, compute: Callable[[], T]) -> T:
        """The value of ``key`` for ``store``'s current index, made by ``compute`` when not kept.

        :raises StoreError: the store or its index cannot be read.
        """
        found = self.find(store, key)
        return found if found is not None else self.keep(store, key, compute())

    def find(self, store: SelectableStore, key: Hashable) -> object | None:
        """The value kept for ``key`` and ``store``'s current index, or None."""
        full_key = _full_key(store, key)
        with self._lock:
            found = self._entries.get(full_key)
            if found is not None:
                self._entries.move_to_end(full_key)
            return found

    def keep(self, store: SelectableStore, key: Hashable, value: T) -> T:
        """Keep ``value`` (not None) for ``key`` and ``store``'s current index; return it."""
        full_key = _full_key(store, key)
        with self._lock:
            self._entries[full_key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value


def _full_key(store: SelectableStore, key: Hashable) -> tuple:
    path = index_path(store)
    stat = path.stat()
    return str(path), stat.st_ino, stat.st_mtime_ns, key
