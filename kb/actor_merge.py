"""Merging two gazetteer actors into one, recorded in redirects.yaml, and undoing it.

``merge_actors`` removes OLD's entry from actors.yaml, adds its label and aliases to NEW's
aliases and records the redirect (with a reason, the date and what is needed to undo it) in
redirects.yaml; the files are edited as text, so comments, order and quoting stay as written.
Annotations that still say OLD are converted to NEW at build time (kb.gazetteer), and OLD's IRI
answers with a permanent redirect to NEW's. ``unmerge_actors`` restores both files byte for byte.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from kb.errors import InputError
from kb.namespaces import is_local_id

_ENTRY = re.compile(r"^  - id: (\S+)\s*$")
_REDIRECT = re.compile(r"^  - from: (\S+)\s*$")
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .'\u2019()-]*$")


@dataclass(frozen=True)
class Merge:
    """What a merge moved: OLD's names now among NEW's aliases."""

    old: str
    new: str
    names: list[str]


def merge_actors(data_dir: Path, old: str, new: str, reason: str, today: date | None = None) -> Merge:
    """Merge actor OLD into NEW in ``data_dir/gazetteer`` (actors.yaml, redirects.yaml).

    :raises InputError: when either id is not an entry, they are the same, or another gazetteer
        entry still refers to OLD (point it to NEW first).
    """
    folder = data_dir / "gazetteer"
    actors_path, redirects_path = folder / "actors.yaml", folder / "redirects.yaml"
    for actor_id in (old, new):
        if not is_local_id(actor_id):
            raise InputError(f"'{actor_id}' is not an actor id (lowercase words joined by '-').")
    if old == new:
        raise InputError(f"cannot merge actor '{old}' into itself; name two different actors.")
    if not reason.strip():
        raise InputError("a merge needs a reason (--reason), for the reviewers of redirects.yaml.")
    lines = _read(actors_path).splitlines(keepends=True)
    old_start, old_end = _block(lines, old, actors_path)
    _block(lines, new, actors_path)
    _refuse_references(folder, lines, old, (old_start, old_end))
    entry_text = "".join(lines[old_start:old_end])
    entry = yaml.safe_load(entry_text)[0]
    del lines[old_start:old_end]
    new_start, new_end = _block(lines, new, actors_path)
    aliases_at = _aliases_line(lines, new_start, new_end, new, actors_path)
    new_entry = yaml.safe_load("".join(lines[new_start:new_end]))[0]
    taken = {str(new_entry["label"]), *map(str, new_entry.get("aliases") or [])}
    names = [n for n in dict.fromkeys([str(entry["label"]), *map(str, entry.get("aliases") or [])]) if n not in taken]
    before = lines[aliases_at] if aliases_at is not None else None
    if aliases_at is None:
        label_at = next(i for i in range(new_start, new_end) if lines[i].startswith("    label:"))
        lines.insert(label_at + 1, f"    aliases: [{', '.join(map(_flow, names))}]\n")
    elif names:
        line = lines[aliases_at].rstrip("\n")
        cut = line.rstrip().rindex("]")
        comma = "" if line[:cut].rstrip().endswith("[") else ", "
        lines[aliases_at] = f"{line[:cut]}{comma}{', '.join(map(_flow, names))}{line[cut:]}\n"
    redirects = _read(redirects_path) if redirects_path.exists() else "redirects: []\n"
    redirects = re.sub(r"(?m)^redirects: \[\]\s*$", "redirects:", redirects)
    if not redirects.endswith("\n"):
        redirects += "\n"
    undo = {"line": old_start + 1, "aliases": before, "entry": entry_text}
    redirects += (
        f"  - from: actor/{old}\n    to: actor/{new}\n    reason: {json.dumps(reason.strip())}\n"
        f"    date: {(today or date.today()).isoformat()}\n    undo:\n"
        + "".join(f"      {key}: {json.dumps(value)}\n" for key, value in undo.items())
    )
    actors_path.write_text("".join(lines), encoding="utf-8")
    redirects_path.write_text(redirects, encoding="utf-8")
    return Merge(old, new, names)


def unmerge_actors(data_dir: Path, old: str) -> Merge:
    """Undo the merge of actor OLD recorded in redirects.yaml: its entry comes back to actors.yaml
    where it was, NEW's aliases are as before, and the redirect is gone.

    :raises InputError: when redirects.yaml records no merge of OLD that can be undone.
    """
    folder = data_dir / "gazetteer"
    actors_path, redirects_path = folder / "actors.yaml", folder / "redirects.yaml"
    if not redirects_path.exists():
        raise InputError(f"{redirects_path}: no such file, so there is no merge of '{old}' to undo.")
    redirect_lines = _read(redirects_path).splitlines(keepends=True)
    starts = [i for i, line in enumerate(redirect_lines) if _REDIRECT.match(line)]
    mine = [i for i in starts if _REDIRECT.match(redirect_lines[i]).group(1) == f"actor/{old}"]
    if not mine:
        raise InputError(f"{redirects_path}: no redirect from actor/{old}; nothing to undo.")
    start = mine[0]
    end = next((i for i in range(start + 1, len(redirect_lines)) if not redirect_lines[i].startswith("    ")),
               len(redirect_lines))
    record: dict[str, Any] = yaml.safe_load("".join(redirect_lines[start:end]))[0]
    undo = record.get("undo")
    if not isinstance(undo, dict) or not {"line", "aliases", "entry"} <= set(undo):
        raise InputError(f"{redirects_path}:{start + 1}: the redirect from actor/{old} was not made by "
                         "`kb merge-actors` (it has no 'undo'); restore the entry by hand.")
    new = str(record["to"]).partition("/")[2]
    lines = _read(actors_path).splitlines(keepends=True)
    new_start, new_end = _block(lines, new, actors_path)
    at = _aliases_line(lines, new_start, new_end, new, actors_path)
    if at is None:
        raise InputError(f"{actors_path}: '{new}' has no aliases line; was the merge edited by hand?")
    if undo["aliases"] is None:
        del lines[at]
    else:
        lines[at] = undo["aliases"]
    index = min(int(undo["line"]) - 1, len(lines))
    lines[index:index] = [str(undo["entry"])]
    del redirect_lines[start:end]
    redirects = "".join(redirect_lines)
    if not any(_REDIRECT.match(line) for line in redirect_lines):
        redirects = re.sub(r"(?m)^redirects:[ \t]*$", "redirects: []", redirects)
    actors_path.write_text("".join(lines), encoding="utf-8")
    redirects_path.write_text(redirects, encoding="utf-8")
    entry = yaml.safe_load(str(undo["entry"]))[0]
    return Merge(old, new, [str(entry["label"]), *map(str, entry.get("aliases") or [])])


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the file ({exc}).") from exc


def _block(lines: list[str], actor_id: str, path: Path) -> tuple[int, int]:
    """The lines of an actor's entry: its ``  - id:`` line and the lines indented under it."""
    found = [i for i, line in enumerate(lines) if (m := _ENTRY.match(line)) and m.group(1) == actor_id]
    if len(found) != 1:
        raise InputError(f"{path}: no actor '{actor_id}' (an entry '  - id: {actor_id}'); check the id."
                         if not found else f"{path}: actor '{actor_id}' is listed {len(found)} times.")
    end = found[0] + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return found[0], end


def _aliases_line(lines: list[str], start: int, end: int, actor_id: str, path: Path) -> int | None:
    at = [i for i in range(start, end) if lines[i].startswith("    aliases:")]
    if at and not lines[at[0]].rstrip().endswith("]"):
        raise InputError(f"{path}:{at[0] + 1}: the aliases of '{actor_id}' are not a one-line list "
                         "[a, b]; write them so and merge again.")
    return at[0] if at else None


def _refuse_references(folder: Path, lines: list[str], old: str, own: tuple[int, int]) -> None:
    """Other gazetteer entries may not refer to OLD: the merge rewrites nothing but its own entry."""
    pattern = re.compile(rf"^\s+(member_of|part_of|organisation|within):\s*{re.escape(old)}\s*$")
    posts = folder / "posts.yaml"
    for path, text_lines, skip in ((folder / "actors.yaml", lines, own),
                                   (posts, _read(posts).splitlines() if posts.exists() else [], (0, 0))):
        for n, line in enumerate(text_lines):
            if pattern.match(line) and not skip[0] <= n < skip[1]:
                raise InputError(f"{path}:{n + 1}: '{line.strip()}' refers to '{old}'; point it to the "
                                 "actor it is merged into first, then merge.")


def _flow(name: str) -> str:
    """An alias as an item of a one-line YAML list: plain when safe, else double-quoted."""
    return name if _PLAIN.match(name) else json.dumps(name)
