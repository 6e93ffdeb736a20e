"""Reading article files: the body text (with boilerplate removed) and its metadata.

The body is the text every evidence span points into: offsets count code points in
:attr:`Article.body`, end exclusive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kb.errors import InputError

# Lines that are never part of an article body: scraped markup remnants and breadcrumbs.
_NOISE_LINE = re.compile(r'^\s*(?:"\s*/>|<[^>]*>?\s*$|Home\s*/)')
# A line from which on everything is page furniture (teasers, comment forms, share bars).
_TAIL_MARKER = re.compile(
    r"^\s*(?:Check Also|Related(?: Posts| Articles)?|Leave a Reply|Share this|You may also like)\s*:?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Article:
    """An article's body and the metadata known for it."""

    path: Path
    title: str
    body: str
    published: date | None = None
    publisher: str | None = None
    url: str | None = None
    language: str = "en"


def read_text(path: Path) -> str:
    """The file's text as UTF-8.

    :raises InputError: when the path is missing, a folder, or not UTF-8 text.
    """
    if not path.exists():
        raise InputError(f"{path}: no such file; check the path.")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give an article file (.txt, .md or .html).")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise InputError(f"{path}: is a binary file, not an article; give a text, Markdown or HTML file.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: is not valid UTF-8 (byte {exc.start}); save it as UTF-8 and try again."
        ) from exc


def extract_body(text: str) -> tuple[str, str]:
    """Split scraped plain text into (title, body), removing page furniture.

    The title is the first line that is not noise (a trailing " - Site Name" is cut); the body
    starts after the last repetition of the title and stops at the first tail marker.
    """
    lines = [line.strip() for line in text.splitlines()]
    content: list[str] = []
    for line in lines:
        if _TAIL_MARKER.match(line):
            break
        if line and not _NOISE_LINE.match(line):
            content.append(line)
    if not content:
        raise InputError("the file has no article text after removing page furniture.")
    title = re.sub(r'^"\s*/>\s*', "", content[0])
    title = re.split(r"\s+[-|–]\s+", title)[0].strip()
    start = max(i for i, line in enumerate(content) if line == title) + 1 if title in content else 1
    body = "\n".join(content[start:]).strip()
    if not body:
        raise InputError("the file has a title but no body text.")
    return title, body


def read_article(path: Path, **metadata: object) -> Article:
    """Read a plain-text article, given its metadata (title, published, publisher, url, language).

    :raises InputError: when the file cannot be read or has no body.
    """
    text = read_text(path)
    try:
        title, body = extract_body(text)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc
    given = {k: v for k, v in metadata.items() if v is not None}
    given.setdefault("title", title)
    return Article(path=path, body=body, **given)  # type: ignore[arg-type]
