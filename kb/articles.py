"""Reading article files: the body text (with page furniture removed) and its metadata.

The body is the text every evidence span points into: offsets count code points in
:attr:`Article.body`, end exclusive. docs/annotation-format.md ("Article files") describes the
formats; the readers are in :mod:`kb.readers`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from kb.errors import InputError
from kb.readers.files import read_text
from kb.readers.found import Found
from kb.readers.front_matter import FRONT_MATTER, has_front_matter, read_front_matter
from kb.readers.html import read_html
from kb.readers.plain import extract_body, read_plain

__all__ = ["Article", "extract_body", "read_article"]

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_URL = re.compile(r"^https?://\S+$")


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
    author: str | None = None


def read_article(path: Path | str, **given: object) -> Article:
    """Read an article file of any supported format (chosen by its suffix).

    ``given`` metadata (title, published, publisher, url, language, author; ``None`` means not
    given) wins over what the file says.

    :raises InputError: naming the file and what to fix, when it cannot be read as an article.
    """
    path = Path(path)
    try:
        found = _reader(path)(path)
        return _article(path, found, {k: v for k, v in given.items() if v is not None})
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc


def _reader(path: Path) -> Callable[[Path], Found]:
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        return lambda p: read_html(read_text(p, html=True))
    if suffix in {".md", ".markdown"}:
        return lambda p: read_front_matter(read_text(p))
    if suffix == ".txt" or (path.is_dir() or not path.exists()):
        return lambda p: _read_txt(read_text(p))
    kind = f"a '{suffix}' file" if suffix else "a file without a suffix"
    raise InputError(
        f"is {kind}, not an article; articles are {', '.join(SUFFIXES)} files "
        "(rename it if it is one of these)."
    )


def _read_txt(text: str) -> Found:
    return read_front_matter(text) if has_front_matter(text) else read_plain(text)


def _article(path: Path, found: Found, given: dict[str, object]) -> Article:
    unknown = set(given) - {"title", "published", "publisher", "url", "language", "author"}
    if unknown:
        raise TypeError(f"read_article() got unknown metadata {sorted(unknown)}")
    meta: dict[str, object] = {**found.metadata, **given}
    where = {key: ("the metadata given" if key in given else found.source) for key in meta}
    title = str(meta.get("title") or "")
    if not title:
        where_to_add = "add 'title:' to the front matter" if found.source == FRONT_MATTER else "add a <title>"
        raise InputError(f"has no title; {where_to_add} or give the title.")
    language = str(meta.get("language") or "en")
    if not _LANGUAGE.match(language):
        raise InputError(f"language '{language}' in {where['language']} is not a language tag; write e.g. 'en'.")
    url = meta.get("url")
    if url is not None and not _URL.match(str(url)):
        raise InputError(f"url '{url}' in {where['url']} is not an http(s) address; write the full address.")
    published = meta.get("published")
    return Article(
        path=path, title=title, body=found.body,
        published=None if published is None else publication_date(published, where["published"]),
        publisher=_text_or_none(meta.get("publisher")), url=_text_or_none(url), language=language,
        author=_text_or_none(meta.get("author")),
    )


def publication_date(value: object, where: str, today: date | None = None) -> date:
    """The publication date of ``value`` (a date, ``YYYY-MM-DD`` or an ISO date-time, whose date
    part is taken as written), which must be a real day and not in the future.

    :raises InputError: naming the value and ``where`` it was written.
    """
    today = today or datetime.now(UTC).date()
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        match = _DATE.match(str(value).strip())
        if match is None:
            raise InputError(f"published '{value}' in {where} is not a date; write it as YYYY-MM-DD.")
        year, month, day = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            raise InputError(f"published '{value}' in {where} has no month {month}; write it as YYYY-MM-DD.")
        days = calendar.monthrange(year, month)[1] if year >= 1 else 31
        if not (year >= 1 and 1 <= day <= days):
            raise InputError(
                f"published '{value}' in {where} is not a real date: {calendar.month_name[month]} {year} "
                f"has {days} days; correct the day."
            )
        value = date(year, month, day)
    # A day of slack: the publisher's local date may be ahead of UTC.
    if value > today + timedelta(days=1):
        raise InputError(
            f"published '{value.isoformat()}' in {where} is in the future (today is {today.isoformat()}); "
            "correct the publication date."
        )
    return value


def _text_or_none(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
