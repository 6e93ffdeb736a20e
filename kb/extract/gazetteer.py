"""The gazetteer's places as the extraction rules read them: the place names to find in a body."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kb.config import DEFAULT_DATA_DIR
from kb.extract.events import PlaceMention

DEFAULT_GAZETTEER = DEFAULT_DATA_DIR / "gazetteer"


def find_places(body: str, gazetteer_dir: Path = DEFAULT_GAZETTEER) -> list[PlaceMention]:
    """Mentions of the gazetteer's places (labels and aliases, as written, whole words), longest
    first and without overlaps."""
    found: list[PlaceMention] = []  # by start; they do not overlap, so their ends are sorted too
    starts: list[int] = []
    for name, place, pattern in _place_names(gazetteer_dir):
        if name not in body:  # most of a big gazetteer's names are not in a given article
            continue
        for match in pattern.finditer(body):
            before = bisect_left(starts, match.end()) - 1  # the last one found starting before this ends
            if before < 0 or found[before].end <= match.start():
                at = bisect_right(starts, match.start())
                starts.insert(at, match.start())
                found.insert(at, PlaceMention(match.start(), match.end(), place))
    return found


def _place_names(gazetteer_dir: Path) -> list[tuple[str, str, re.Pattern[str]]]:
    """(name, place id, whole-word pattern) of every place label and alias, longest name first."""
    path = gazetteer_dir / "places.yaml"
    stat = path.stat()
    return _compiled_names(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _compiled_names(path: Path, mtime_ns: int, size: int) -> list[tuple[str, str, re.Pattern[str]]]:
    entries = _parsed(path, mtime_ns, size).get("places") or []
    names = [(str(name), str(entry["id"])) for entry in entries for name in [entry["label"], *(entry.get("aliases") or [])]]
    names.sort(key=lambda n: -len(n[0]))
    return [(name, place, re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")) for name, place in names]


def load_yaml(path: Path) -> dict[str, Any]:
    """A gazetteer file's content, parsed once per version of the file (callers must not change it)."""
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _parsed(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
