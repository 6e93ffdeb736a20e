"""Plain text as scraped from a news page, without front matter: the title and the body.

The metadata other than the title comes from the command line (or the annotation).
"""

from __future__ import annotations

import re

from kb.errors import InputError
from kb.readers.found import Found

# Lines that are never part of an article body: scraped markup remnants and breadcrumbs.
NOISE_LINE = re.compile(r'^\s*(?:"\s*/>|<[^>]*>?\s*$|Home\s*/)')
# A line from which on everything is page furniture (teasers, comment forms, share bars, the
# copyright notice).
TAIL_MARKER = re.compile(
    r"^\s*(?:(?:Check Also|Related(?: Posts| Articles| Stories| News)?|Leave a Reply|Share this|You may also like"
    r"|More on this story|Most read|Most popular|Top stories)\s*:?\s*$"
    r"|(?:Copyright\s*(?:©|\(c\))?|©|\(c\))\s*(?:\d{4}\b|(?-i:[A-Z])).{0,150}$|.{0,150}\bAll rights reserved\.?\s*$)",
    re.IGNORECASE,
)
# A line of page furniture inside the article: an advertisement label, a "follow us" promotion,
# a byline ("By Staff Writer | April 12, 2020") or a wire's credit line ("Reporting by ...").
FURNITURE_LINE = re.compile(
    r"^\s*(?:(?:Advertisement|Sponsored(?: content)?|Scroll to continue(?: with content)?)\s*$"
    r"|(?:Follow|Like|Join) us on\b"
    r"|(?:Reporting|Writing|Additional reporting|Editing|Compiled) by\b.{0,150}$"
    r"|(?-i:By\s+(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*\s*(?:$|[|•·]\s*.{0,60}$)))",
    re.IGNORECASE,
)
_DELIMITERS = (",", ";", "\t")


def read_plain(text: str) -> Found:
    """Read scraped plain text (see :func:`extract_body`).

    :raises InputError: when the text is a table, or has no body after removing page furniture.
    """
    _refuse_table(text)
    title, body = extract_body(text)
    return Found(body, {"title": title}, "the text")


def extract_body(text: str) -> tuple[str, str]:
    """Split scraped plain text into (title, body), removing page furniture.

    The title is the first line that is not noise (a trailing " - Site Name" is cut); the body
    starts after the last repetition of the title and stops at the first tail marker.
    """
    lines = [line.strip() for line in text.splitlines()]
    content: list[str] = []
    for line in lines:
        if TAIL_MARKER.match(line):
            break
        if line and not NOISE_LINE.match(line) and not FURNITURE_LINE.match(line):
            content.append(line)
    if not content:
        raise InputError("has no article text after removing page furniture.")
    title = re.sub(r'^"\s*/>\s*', "", content[0])
    title = re.split(r"\s+[-|–]\s+", title)[0].strip()
    start = max(i for i, line in enumerate(content) if line == title) + 1 if title in content else 1
    body = "\n".join(content[start:]).strip()
    if not body:
        raise InputError(
            "has a title but no body text (only page furniture: breadcrumbs, teasers, comment forms); "
            "give the article's text."
        )
    return title, body


def _refuse_table(text: str) -> None:
    """Refuse a CSV/TSV table: at least three lines, each with the same number of one delimiter."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 3:
        return
    for delimiter in _DELIMITERS:
        counts = {line.count(delimiter) for line in lines}
        if len(counts) == 1 and counts.pop() > 0:
            name = "tab" if delimiter == "\t" else f"'{delimiter}'"
            raise InputError(
                f"looks like a table (every line has the same number of {name} separators), not an article; "
                "give the article's text."
            )
