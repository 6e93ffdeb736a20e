"""The gazetteer's places as the extraction rules read them: the place names to find in a body."""

from __future__ import annotations

import re
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
    names: list[tuple[str, str]] = []
    for entry in load_yaml(gazetteer_dir / "places.yaml").get("places") or []:
        for name in [entry["label"], *(entry.get("aliases") or [])]:
            names.append((str(name), str(entry["id"])))
    names.sort(key=lambda n: -len(n[0]))
    found: list[PlaceMention] = []
    for name, place in names:
        for match in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", body):
            if not any(match.start() < p.end and p.start < match.end() for p in found):
                found.append(PlaceMention(match.start(), match.end(), place))
    return sorted(found, key=lambda p: p.start)


def load_yaml(path: Path) -> dict[str, Any]:
    """A gazetteer file's content, parsed once per version of the file (callers must not change it)."""
    stat = path.stat()
    return _parsed(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _parsed(path: Path, mtime_ns: int, size: int) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
