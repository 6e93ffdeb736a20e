"""The analysts' named queries: ``ontology/queries/*.rq``, each opening with a header comment.

A header is the block of ``#`` lines at the top of the file; ``# title:``, ``# description:`` and
``# tags:`` (comma-separated) start a field, and an indented comment line (``#   more``)
continues the field above it. The query text kept is the whole file, header included, so a
query loaded from the library runs and reads exactly as the file does.

>>> q = parse_query("demo", "# title: Demo\\n# description: One\\n#   line more.\\n# tags: a, b\\nASK {}\\n")
>>> q.title, q.description, q.tags
('Demo', 'One line more.', ('a', 'b'))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kb.config import ONTOLOGY_DIR
from kb.errors import InputError

QUERY_DIR = ONTOLOGY_DIR / "queries"
_FIELD = re.compile(r"#\s?(title|description|tags):\s*(.*)$")
_CONTINUATION = re.compile(r"#\s{2,}(\S.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """One query of the library: its file stem, header fields and full text."""

    name: str
    title: str
    description: str
    tags: tuple[str, ...]
    text: str


def parse_query(name: str, text: str) -> NamedQuery:
    """The query named ``name`` (its file stem) with the header fields read from ``text``.

    :raises InputError: the header has no title.
    """
    fields: dict[str, str] = {}
    current: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if field := _FIELD.match(line):
            current = field.group(1)
            fields[current] = field.group(2).strip()
        elif current and (more := _CONTINUATION.match(line)):
            fields[current] = f"{fields[current]} {more.group(1).strip()}".strip()
        else:
            current = None
    if not fields.get("title"):
        raise InputError(f"{name}.rq: the query has no '# title:' header line; add one at the top.")
    tags = tuple(tag.strip() for tag in fields.get("tags", "").split(",") if tag.strip())
    return NamedQuery(name, fields["title"], fields.get("description", ""), tags, text)


def load_library(folder: Path = QUERY_DIR) -> list[NamedQuery]:
    """Every ``*.rq`` file of ``folder``, in order of file name.

    :raises InputError: a file is not UTF-8 or has no title.
    """
    queries = []
    for path in sorted(folder.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8.") from exc
        queries.append(parse_query(path.stem, text))
    return queries
