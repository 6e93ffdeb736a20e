"""Property-based tests of the article readers (hypothesis, bounded runs).

For a fuzz run at scale, set KB_READER_EXAMPLES (e.g. 20000); the suite runs 200 per property.
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.articles import Article, read_article
from kb.errors import InputError

BOUNDED = settings(max_examples=int(os.environ.get("KB_READER_EXAMPLES", "200")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Printable text: no control characters, surrogates or line/paragraph separators.
PRINTABLE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
ONE_LINE = st.text(PRINTABLE, min_size=1, max_size=60).map(str.strip).filter(bool)
BODY = st.text(st.one_of(PRINTABLE, st.sampled_from("\n\t ")), min_size=1, max_size=400).map(str.strip).filter(bool)
# Words of any letters and signs, except the invisible ones the HTML reader removes.
WORD = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Z"), blacklist_characters="\u200b\ufeff\xad"),
               min_size=1, max_size=12)
SPACE = st.sampled_from([" ", "  ", "\n", "\n    ", "\t", "&nbsp;", " &#32; "])
FURNITURE_AROUND = [
    '<nav><a href="/">Home</a> <a href="/world">World</a></nav>',
    '<header class="site-header"><h1>Example News</h1><ul class="menu"><li><a>Politics</a></li></ul></header>',
    '<div class="breadcrumbs"><a href="/">Home</a> / Afghanistan / Story</div>',
    '<div class="share-bar">Share <a>Facebook</a> <a>Twitter</a> <a>WhatsApp</a></div>',
    ('<section class="related-posts"><h3>Related</h3><article><p>A teaser about another story entirely, '
     "long enough to look like an article paragraph to a careless reader.</p></article></section>"),
    '<aside><h3>Most read</h3><ul><li><a href="/x">Another story</a></li></ul></aside>',
    ('<div id="comments"><h3>Leave a Reply</h3><form><p>Your email address will not be published.</p>'
     "<textarea></textarea></form></div>"),
    "<footer><p>&copy; 2020 Example News. All rights reserved.</p></footer>",
    '<script>var teaser = "<p>not text</p>";</script>',
    "<style>p { color: red; }</style>",
    "<noscript><p>Please enable JavaScript.</p></noscript>",
]
FURNITURE_INSIDE = [
    '<header><h1>Headline</h1><div class="byline">By Staff</div></header>',
    '<div class="social-share"><a>Tweet</a> <a>Email</a></div>',
    '<figure><img src="a.jpg"><figcaption>Photo: file</figcaption></figure>',
    "<aside><p>Sidebar box</p></aside>",
    '<div class="ad-slot">Advertisement</div>',
    "<script>track()</script>",
]


def read(suffix: str, content: bytes) -> Article:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"article{suffix}"
        path.write_bytes(content)
        return read_article(path)


@st.composite
def front_matter_articles(draw: st.DrawFn) -> tuple[dict[str, str], str, str]:
    """Metadata, a body, and the file that writes them (values as JSON strings, a YAML subset)."""
    metadata = {
        "title": draw(ONE_LINE),
        "published": draw(st.dates(date(1990, 1, 1), date(2025, 12, 31))).isoformat(),
        "publisher": draw(ONE_LINE),
        "url": "https://example.org/" + draw(st.text("abcdefghijklmnopqrstuvwxyz0123456789-/", max_size=30)),
        "language": draw(st.sampled_from(["en", "fa", "ps", "en-GB", "prs"])),
    }
    if draw(st.booleans()):
        metadata["author"] = draw(ONE_LINE)
    body = draw(BODY)
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in metadata.items()]
    before = draw(st.sampled_from(["", "\n", "\n\n", " \n\t\n"]))
    after = draw(st.sampled_from(["", "\n", "\n\n  \n"]))
    return metadata, body, "---\n" + "\n".join(lines) + "\n---\n" + before + body + after


@BOUNDED
@given(front_matter_articles(), st.sampled_from([".md", ".txt"]), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_front_matter_reads_back_body_and_metadata(
    case: tuple[dict[str, str], str, str], suffix: str, encoding: str
) -> None:
    metadata, body, text = case
    article = read(suffix, text.encode(encoding))
    assert article.body == body
    assert (article.title, article.publisher, article.url, article.language, article.author) == (
        metadata["title"], metadata["publisher"], metadata["url"], metadata["language"], metadata.get("author"))
    assert article.published is not None and article.published.isoformat() == metadata["published"]


@st.composite
def paragraphs(draw: st.DrawFn) -> list[tuple[str, str]]:
    """(expected text, HTML) of each paragraph: words joined by any whitespace, some in inline tags."""
    result = []
    for number in range(1, draw(st.integers(1, 6)) + 1):
        words = [f"¶{number}", *draw(st.lists(WORD, min_size=1, max_size=15))]
        markup = []
        for word in words:
            escaped = html.escape(word)
            markup.append(draw(st.sampled_from([escaped, f"<b>{escaped}</b>", f"<em>{escaped}</em>"])))
            markup.append(draw(SPACE))
        result.append((" ".join(words), draw(SPACE) + "".join(markup)))
    return result


@BOUNDED
@given(
    paragraphs(),
    st.lists(st.sampled_from(FURNITURE_AROUND), max_size=6),
    st.lists(st.sampled_from(FURNITURE_AROUND), max_size=6),
    st.lists(st.sampled_from(FURNITURE_INSIDE), max_size=3),
    st.booleans(),
)
def test_article_paragraphs_read_back_from_any_furniture(
    paras: list[tuple[str, str]], before: list[str], after: list[str], inside: list[str], close_p: bool
) -> None:
    closing = "</p>" if close_p else ""
    article_html = "<article>" + "".join(inside) + "".join(f"<p>{m}{closing}" for _, m in paras) + "</article>"
    page = (
        '<!DOCTYPE html><html lang="en"><head><title>Headline - Example News</title></head><body>'
        + "".join(before) + article_html + "".join(after) + "</body></html>"
    )
    article = read(".html", page.encode("utf-8"))
    assert article.body == "\n\n".join(text for text, _ in paras)
    assert article.title == "Headline"


TAG_SOUP = st.lists(
    st.one_of(
        st.sampled_from([
            "<article>", "</article>", "<p>", "</p>", "<div class='share'>", "<div>", "</div>", "<br>", "<br/>",
            "<script>", "</script>", "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<title>", "</title>",
            "<meta property='article:published_time' content='2019-02-29'>", "<a href='x'>", "</a>", "&amp;",
            "&#0;", "&#xD800;", "&bogus;", "<", ">", "</", "<?php ?>", "<head>", "<body>", "<li>", "<table>",
            "<td>", "Home / News /", "Related", "Leave a Reply", "\n\n", "<h1>", "<svg><p>", "<![if IE]>",
        ]),
        st.text(max_size=30),
    ),
    max_size=60,
).map("".join)


@BOUNDED
@given(TAG_SOUP)
def test_any_tag_soup_reads_or_gives_an_input_error(page: str) -> None:
    try:
        article = read(".html", page.encode("utf-8", "surrogatepass"))
    except InputError as exc:
        assert str(exc).count("\n") == 0
        return
    assert article.body and article.body == article.body.strip()
    assert "\n\n\n" not in article.body and "  " not in article.body


@BOUNDED
@given(st.binary(max_size=2000), st.sampled_from([".html", ".md", ".txt", ".htm"]))
def test_any_bytes_read_or_give_an_input_error(content: bytes, suffix: str) -> None:
    try:
        article = read(suffix, content)
    except InputError as exc:
        assert str(exc).count("\n") == 0
        return
    assert article.body


@BOUNDED
@given(st.text(max_size=300), st.sampled_from([".md", ".txt"]))
def test_any_front_matter_text_reads_or_gives_an_input_error(text: str, suffix: str) -> None:
    try:
        read(suffix, ("---\n" + text).encode("utf-8", "surrogatepass"))
    except InputError as exc:
        assert str(exc).count("\n") == 0
