"""HTML pages as saved from news sites: metadata from the head (tags, then JSON-LD), the body from the article.

Parsed with the standard library's :mod:`html.parser` and the rules below (no extractor library),
so the body, which reviewed evidence offsets point into, changes only when these rules do.
docs/annotation-format.md ("Article files") states the rules; in short:

- the content is the largest ``itemprop=articleBody`` or ``<article>`` element, else the densest
  text block (the element whose paragraphs hold the most text that is not link text);
- page furniture is skipped: script, style, forms, nav, header, footer, aside, figures, hidden
  elements, and elements whose class, id or role names furniture (share, related, comments, ...);
- block elements make paragraphs, joined by a blank line; whitespace inside a paragraph becomes
  one space; entities are decoded;
- paragraph rules: a breadcrumb ("Home / ..."), a markup remnant, a share bar, a "Read more:"
  teaser, a heading ``<h1>`` and a paragraph that is mostly link text are dropped, and a
  "Related" / "Check Also" / "Leave a Reply" paragraph ends the body.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from kb.errors import InputError
from kb.readers.found import Found
from kb.readers.plain import FURNITURE_LINE, TAIL_MARKER


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SCAN_DEPTH = 512  # an end tag (or implied end) closes only one of this many innermost open elements
MIN_DENSEST_CHARS = 80  # a page without <article> needs this much paragraph text
VOID = _words("area base br col embed hr img input keygen link meta param source track wbr")
SKIPPED = _words(
    "script style noscript template form nav header footer aside iframe svg math button select textarea "
    "figure object embed canvas video audio dialog menu head title"
)
BLOCKS = _words(
    "p div section article main h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote pre table tr caption "
    "address details summary hr center figcaption fieldset hgroup body html"
)
# An open <p> is closed by these start tags (HTML "has a p element in button scope").
_CLOSES_P = _words(
    "address article aside blockquote details dialog div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul"
)
_SCOPE = _words("html table td th caption template object button #root")
_TEXT_CONTAINERS = _words("div section td main body #root")  # text directly in these counts for them
_HEAD_CONTENT = _words("head meta link title style script noscript base template")  # else <head> ends
_HEADINGS = _words("h1 h2 h3 h4 h5 h6")
_FURNITURE_WORDS = _words(
    "breadcrumb breadcrumbs share shares sharing sharer social related comment comments respond reply "
    "newsletter subscribe subscription advert advertisement ad ads promo sidebar widget widgets popup "
    "modal cookie cookies banner nav navbar navigation menu footer header masthead pagination pager tags "
    "tagcloud byline meta trending popular recommended outbrain taboola disqus"
)
_FURNITURE_CLASSES = frozenset({"sr-only", "screen-reader-text", "visually-hidden", "hidden"})
_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog"})
_BREADCRUMB = re.compile(r"^(?:Home|Homepage)\s*(?:/|»|>|›|\||→|::)", re.IGNORECASE)
_REMNANT = re.compile(r'^(?:"\s*/>|<[^>]*>?|[<>/"\s]*)$')
_REMNANT_PREFIX = re.compile(r'^"\s*/>\s*')
_TEASER = re.compile(r"^(?:Also read|Read also|Read more|See also|More on this|Related)\s*:", re.IGNORECASE)
_SHARE_WORDS = _words(
    "share shares this on via tweet facebook twitter x whatsapp telegram linkedin email e-mail mail print "
    "pinterest reddit messenger copy link viber vk"
)
_NETWORKS = _words("share tweet facebook twitter whatsapp telegram linkedin email pinterest reddit")
_INVISIBLE = re.compile("[\u200b\ufeff\u00ad]")
_TITLE_SUFFIX = re.compile(r"\s+[-|–—]\s+[^-|–—]{1,60}$")


@dataclass(eq=False, repr=False)  # no recursive comparison or repr of deep trees
class Node:
    """An element of the parsed page: tag, attributes and children (elements or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None


@dataclass
class Paragraph:
    """A paragraph of text, the block element it came from and how much of it is link text."""

    text: str
    block: Node
    link_chars: int = 0


class _TreeBuilder(HTMLParser):
    """Builds a :class:`Node` tree, closing what the HTML leaves open, as a browser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.open: dict[str, int] = {}  # how many elements of each tag are on the stack

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HEAD_CONTENT:
            self._close_in_scope("head", stop=set())
        if tag in _CLOSES_P:
            self._close_in_scope("p")
        if tag == "li":
            self._close_in_scope("li", stop={"ul", "ol"})
        elif tag in {"dt", "dd"}:
            self._close_in_scope("dt", stop={"dl"})
            self._close_in_scope("dd", stop={"dl"})
        elif tag in _HEADINGS and self.stack[-1].tag in _HEADINGS:
            self._pop_to(len(self.stack) - 1)
        node = Node(tag, {name: value or "" for name, value in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(node)
        if tag in VOID:
            return
        self.stack.append(node)
        self.open[tag] = self.open.get(tag, 0) + 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # HTML ignores the slash of <div/>

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":
            self.handle_starttag("br", [])
        if tag in VOID:
            return
        self._close_in_scope(tag, stop=set())

    def handle_data(self, data: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def _close_in_scope(self, tag: str, stop: set[str] | frozenset[str] = _SCOPE) -> None:
        if not self.open.get(tag):
            return
        for depth in range(len(self.stack) - 1, max(len(self.stack) - 1 - SCAN_DEPTH, 0), -1):
            open_tag = self.stack[depth].tag
            if open_tag == tag:
                self._pop_to(depth)
                return
            if open_tag in stop or open_tag in _SCOPE:
                return

    def _pop_to(self, depth: int) -> None:
        for node in self.stack[depth:]:
            self.open[node.tag] -= 1
        del self.stack[depth:]


def parse(text: str) -> Node:
    """The page's element tree (never raises on malformed HTML)."""
    builder = _TreeBuilder()
    try:
        builder.feed(text)
        builder.close()
    except AssertionError as exc:  # html.parser's reaction to a few malformed declarations
        raise InputError(f"has HTML that cannot be parsed ({exc}); save the page again from the browser.") from exc
    return builder.root


def read_html(text: str) -> Found:
    """Read a saved news page: its metadata and its article body.

    :raises InputError: when the page has no article text.
    """
    root = parse(text)
    metadata = page_metadata(root)
    paragraphs = _article_paragraphs(root)
    body = "\n\n".join(_body_paragraphs(paragraphs, metadata.get("title")))
    if not body:
        raise InputError(
            "has no article text: no <article> element and no block of paragraphs outside the page furniture; "
            "check that the file is the saved article page."
        )
    return Found(body, metadata, "the page's <head>")


# Date metas that content systems write besides article:published_time, in order of preference.
_DATE_METAS = ("datepublished", "date", "pubdate", "publishdate", "publish-date", "dc.date.issued", "dc.date",
               "dcterms.issued", "dcterms.created", "parsely-pub-date", "sailthru.date")
# schema.org types of a news page's main item in its JSON-LD.
_ARTICLE_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                            "BackgroundNewsArticle", "OpinionNewsArticle", "ReviewNewsArticle", "BlogPosting",
                            "Report"})


_MONTH_NUMBERS = {name.lower(): number for names in (calendar.month_name, calendar.month_abbr)
                  for number, name in enumerate(names) if name} | {"sept": 9}
_MONTH_NAME = r"(?P<month>[A-Za-z]{3,9})\.?"
_WRITTEN_DATES = (
    re.compile(r"(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})\b"),
    re.compile(rf"(?:[A-Za-z]+,?\s+)?{_MONTH_NAME}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"),
    re.compile(rf"(?:[A-Za-z]+,?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME},?\s+(?P<year>\d{{4}})\b"),
)


def _iso_date(written: str) -> str:
    """A page's date as ``YYYY-MM-DD`` when it is written another common way ("2019/12/07",
    "Dec. 7, 2019", "Sat, 07 Dec 2019 18:05:00 GMT", "7 December 2019"), the day as written;
    else unchanged, so that a date that cannot be read is reported as written."""
    written = written.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}", written):
        return written
    for pattern in _WRITTEN_DATES:
        match = pattern.match(written)
        if match is None:
            continue
        month = match["month"]
        number = int(month) if month.isdigit() else _MONTH_NUMBERS.get(month.lower())
        if number is not None:
            return f"{int(match['year']):04d}-{number:02d}-{int(match['day']):02d}"
    return written


def _schema_items(data: object) -> list[dict]:
    """The objects of a JSON-LD document: a top-level list, an ``@graph``, or one object."""
    items = data if isinstance(data, list) else [data]
    found: list[dict] = []
    for item in items:
        if isinstance(item, dict):
            found.append(item)
            found.extend(x for x in item.get("@graph", []) if isinstance(x, dict))
    return found


def _schema_name(value: object, by_id: dict[str, dict]) -> str:
    """The name of a schema.org person or organisation (an object, an ``@id`` reference, a list
    of them, or a plain string)."""
    if isinstance(value, list):
        return ", ".join(n for n in (_schema_name(v, by_id) for v in value) if n)
    if isinstance(value, dict):
        value = by_id.get(str(value.get("@id")), value) if "name" not in value else value
        return _collapse(str(value.get("name") or ""))
    return _collapse(value) if isinstance(value, str) else ""


def _json_ld_metadata(scripts: list[Node]) -> dict[str, str]:
    """Title, publisher, published, url, language and author from the news article in the page's
    JSON-LD ``scripts`` (``<script type="application/ld+json">``), as written; empty when there
    is none."""
    items: list[dict] = []
    for node in scripts:
        try:
            items.extend(_schema_items(json.loads("".join(c for c in node.children if isinstance(c, str)))))
        except ValueError:
            continue  # a broken block is skipped, as a browser would
    by_id = {str(item["@id"]): item for item in items if "@id" in item}
    for item in items:
        types = item.get("@type")
        if not _ARTICLE_TYPES.intersection(types if isinstance(types, list) else [types]):
            continue
        page = item.get("mainEntityOfPage")
        found = {
            "title": _collapse(str(item.get("headline") or "")),
            "publisher": _schema_name(item.get("publisher"), by_id),
            "published": str(item.get("datePublished") or "").strip(),
            "url": str(item.get("url") or (page.get("@id") if isinstance(page, dict) else page) or "").strip(),
            "language": str(item.get("inLanguage") or "").strip(),
            "author": _schema_name(item.get("author"), by_id),
        }
        return {key: value for key, value in found.items() if value}
    return {}


def page_metadata(root: Node) -> dict[str, str]:
    """Title, publisher, published, url, language and author from the page's tags (as written),
    then from its JSON-LD news article for what the tags leave out."""
    metas: dict[str, str] = {}
    canonical = title = lang = h1 = time = ""
    json_ld: list[Node] = []
    for node in _elements(root):
        if node.tag == "meta":
            key = (node.attrs.get("property") or node.attrs.get("name") or node.attrs.get("itemprop") or "").lower()
            if key and key not in metas and node.attrs.get("content", "").strip():
                metas[key] = _collapse(node.attrs["content"])
        elif node.tag == "link" and "canonical" in node.attrs.get("rel", "").lower().split() and not canonical:
            canonical = node.attrs.get("href", "").strip()
        elif node.tag == "title" and not title:
            title = _collapse(_text(node))
        elif node.tag == "html" and not lang:
            lang = node.attrs.get("lang", "").strip()
        elif node.tag == "h1" and not h1:
            h1 = _collapse(_text(node))
        elif node.tag == "time" and not time:
            time = node.attrs.get("datetime", "").strip()
        elif node.tag == "script" and node.attrs.get("type", "").strip().lower() == "application/ld+json":
            json_ld.append(node)
    publisher = metas.get("og:site_name", "")
    if title and publisher and re.search(rf"\s+[-|–—:]\s+{re.escape(publisher)}$", title):
        title = title[: title.rindex(publisher)].rstrip(" -|–—:")
    elif title:
        title = _TITLE_SUFFIX.sub("", title)
    schema = _json_ld_metadata(json_ld)
    found = {
        "title": metas.get("og:title") or schema.get("title") or title or h1,
        "publisher": publisher or schema.get("publisher", ""),
        "published": _iso_date(metas.get("article:published_time") or schema.get("published")
                               or next((metas[key] for key in _DATE_METAS if key in metas), "") or time),
        "url": canonical or metas.get("og:url") or schema.get("url", ""),
        "language": (lang or schema.get("language", "")).replace("_", "-").split("-")[0].lower(),
        "author": metas.get("author") or schema.get("author", ""),
    }
    return {key: value for key, value in found.items() if value}


def _article_paragraphs(root: Node) -> list[Paragraph]:
    """The paragraphs of the article element, else of the densest text block."""
    elements = _elements(root, skip_furniture=True)
    candidates = [n for n in elements if n.attrs.get("itemprop") == "articleBody"] or [
        n for n in elements if n.tag == "article"
    ]
    scored = [(_own_text(p), p) for p in (_paragraphs(c) for c in candidates)]
    best = max(scored, key=lambda s: s[0], default=(0, []))
    if best[0] > 0:
        return best[1]
    scores: dict[Node, float] = {}  # in document order of first paragraph: max() keeps the first of ties
    for paragraph in _paragraphs(root):
        block = paragraph.block
        container = block if block.tag in _TEXT_CONTAINERS or block.parent is None else block.parent
        for node, share in ((container, 1.0), (container.parent, 0.5)):
            if node is not None:
                scores[node] = scores.get(node, 0) + share * _own_text([paragraph])
    densest = max(scores, key=lambda node: scores[node], default=None)
    if densest is None or scores[densest] < MIN_DENSEST_CHARS:
        return []
    return _paragraphs(densest)


def _body_paragraphs(paragraphs: list[Paragraph], title: str | None) -> list[str]:
    """The paragraph texts after the paragraph rules of the module docstring."""
    kept: list[str] = []
    for paragraph in paragraphs:
        text = _REMNANT_PREFIX.sub("", paragraph.text)
        if TAIL_MARKER.match(text):
            break
        if (
            paragraph.block.tag == "h1"
            or _REMNANT.match(text)
            or _BREADCRUMB.match(text)
            or FURNITURE_LINE.match(text)
            or _TEASER.match(text)
            or _is_share_bar(text)
            or paragraph.link_chars >= 0.8 * len(text)
            or (not kept and title is not None and text == title)
        ):
            continue
        kept.append(text)
    return kept


def _paragraphs(container: Node) -> list[Paragraph]:
    """The container's text split at block elements, skipping furniture, in document order."""
    paragraphs: list[Paragraph] = []
    pieces: list[str] = []
    state = {"links": 0, "breaks": 0}
    block_of: list[Node] = [container]

    def flush() -> None:
        text = _collapse("".join(pieces))
        if text:
            paragraphs.append(Paragraph(text, block_of[-1], min(state["links"], len(text))))
        pieces.clear()
        state["links"] = state["breaks"] = 0

    # An explicit stack of (node, inside a link, leaving): deep pages must not exhaust recursion.
    work: list[tuple[Node | str, bool, bool]] = [(container, False, False)]
    while work:
        item, in_link, leaving = work.pop()
        if isinstance(item, str):
            if state["breaks"] >= 2 and item.strip():
                flush()
            pieces.append(item)
            state["links"] += len(_collapse(item)) if in_link else 0
            if item.strip():
                state["breaks"] = 0
            continue
        if leaving:
            flush()
            block_of.pop()
            continue
        if item is not container and _is_furniture(item):
            continue
        if item.tag == "br":
            pieces.append(" ")
            state["breaks"] += 1
            continue
        if item.tag in {"td", "th"}:
            pieces.append(" ")
        link = in_link or item.tag == "a"
        if item.tag in BLOCKS or item is container:
            flush()
            block_of.append(item)
            work.append((item, link, True))
        work.extend((child, link, False) for child in reversed(item.children))
    flush()
    return paragraphs


def _is_furniture(node: Node) -> bool:
    if node.tag in SKIPPED:
        return True
    attrs = node.attrs
    if "hidden" in attrs or attrs.get("aria-hidden") == "true" or re.search(
        r"display\s*:\s*none|visibility\s*:\s*hidden", attrs.get("style", "")
    ):
        return True
    if node.tag in {"html", "body", "main", "article"} or node.attrs.get("itemprop") == "articleBody":
        return False
    if attrs.get("role", "").lower() in _FURNITURE_ROLES:
        return True
    for name in (attrs.get("class", "") + " " + attrs.get("id", "")).lower().split():
        if name in _FURNITURE_CLASSES:
            return True
        words = re.split(r"[-_]+", name)
        if words[0] not in {"has", "with", "no", "without"} and _FURNITURE_WORDS.intersection(words):
            return True
    return False


def _is_share_bar(text: str) -> bool:
    words = re.findall(r"[\w-]+", text.lower())
    return bool(words) and all(w in _SHARE_WORDS for w in words) and bool(_NETWORKS.intersection(words))


def _own_text(paragraphs: list[Paragraph]) -> int:
    return sum(max(len(p.text) - p.link_chars, 0) for p in paragraphs if p.block.tag != "h1")


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", text)).strip()


def _text(node: Node) -> str:
    parts: list[str] = []
    work: list[Node | str] = [node]
    while work:
        item = work.pop()
        if isinstance(item, str):
            parts.append(item)
        elif item.tag not in {"script", "style"}:
            work.extend(reversed(item.children))
    return "".join(parts)


def _elements(root: Node, skip_furniture: bool = False) -> list[Node]:
    """The elements in document order; without furniture and what is in it if ``skip_furniture``."""
    found: list[Node] = []
    work = [root]
    while work:
        node = work.pop()
        if skip_furniture and node is not root and _is_furniture(node):
            continue
        found.append(node)
        work.extend(c for c in reversed(node.children) if isinstance(c, Node))
    return found
