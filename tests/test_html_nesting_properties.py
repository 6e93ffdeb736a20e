"""Property-based tests of the HTML reader on arbitrary nesting: elements opened and closed in any
order, left unclosed or closed twice, nested thousands deep. tests/test_readers_properties.py
covers tag soup and furniture; here the checks are on what reaches the body: only the page's
text, never its markup nor its attribute values."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.articles import Article, read_article
from kb.errors import InputError

BOUNDED = settings(max_examples=int(os.environ.get("KB_READER_EXAMPLES", "150")), deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
#: Fewer examples for the deep pages, each thousands of elements long.
DEEP = settings(BOUNDED, max_examples=max(1, BOUNDED.max_examples // 5))

TAGS = ("div", "p", "span", "b", "em", "section", "article", "main", "table", "tr", "td", "ul", "li",
        "blockquote", "h2", "a", "font", "center", "x-custom")
#: Text the page says: words that no tag name, attribute or entity can produce.
WORD = st.integers(0, 999).map(lambda n: f"Word{n}")
SENTENCE = st.lists(WORD, min_size=3, max_size=25).map(lambda words: " ".join(words) + ".")
ATTRIBUTES = st.sampled_from(["", " class='share'", ' title="Attr1 <b>Attr2</b>"', " data-x=Attr3",
                              " id=main", ' style="display:none"', " hidden", " itemprop=articleBody",
                              " class=\"Attr4 story-body\"", " onclick='Attr5()'"])
EVENT = st.one_of(
    st.tuples(st.just("open"), st.sampled_from(TAGS), ATTRIBUTES),
    st.tuples(st.just("close"), st.sampled_from(TAGS), st.just("")),
    st.tuples(st.just("text"), SENTENCE, st.just("")),
)


def read_html(page: str) -> Article:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_text(page, encoding="utf-8")
        return read_article(path)


def render(events: list[tuple[str, str, str]]) -> tuple[str, set[str]]:
    """The page of ``events`` and the words its text holds."""
    parts, words = [], set()
    for kind, value, attributes in events:
        if kind == "open":
            parts.append(f"<{value}{attributes}>")
        elif kind == "close":
            parts.append(f"</{value}>")
        else:
            parts.append(value)
            words.update(value.rstrip(".").split())
    return "<html><head><title>Headline</title></head><body>" + "".join(parts), words


def check_body(article: Article, words: set[str]) -> None:
    assert "<" not in article.body and ">" not in article.body
    assert "Attr" not in article.body
    for token in re.findall(r"[^\s.]+", article.body):
        assert token in words, token


@BOUNDED
@given(st.lists(EVENT, max_size=150))
def test_any_nesting_reads_only_the_pages_text_or_gives_an_input_error(events: list[tuple[str, str, str]]) -> None:
    page, words = render(events)
    try:
        article = read_html(page)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    check_body(article, words)


@DEEP
@given(st.integers(0, 2000), st.sampled_from(TAGS), st.booleans(), st.lists(SENTENCE, min_size=1, max_size=6))
def test_deep_nesting_reads_or_gives_an_input_error(depth: int, tag: str, closed: bool, sentences: list[str]) -> None:
    opening, closing = f"<{tag}>" * depth, f"</{tag}>" * depth if closed else ""
    text = "".join(f"<p>{s}</p>" for s in sentences)
    page, words = render([("text", s, "") for s in sentences])
    page = page.replace("<body>" + "".join(sentences), f"<body>{opening}<article>{text}</article>{closing}")
    try:
        article = read_html(page)
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    check_body(article, words)
    assert article.body == "\n\n".join(sentences)
