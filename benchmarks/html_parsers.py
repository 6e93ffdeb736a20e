"""The HTML reader's parser choice, measured: Python's ``html.parser`` (used) against ``lxml.html``.

Prints, for a saved news page of realistic size (navigation menus, inline scripts, teasers, a
long article) and for a page nested 5000 deep: the parse time of each parser, the time of the
whole reader (:func:`kb.readers.html.read_html`), and whether lxml keeps the deep page's text.
lxml is optional here (``pip install lxml``); the reader never imports it.

Run ``python -m benchmarks.html_parsers``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from kb.readers.html import read_html

FIXTURE = Path(__file__).parents[1] / "tests" / "reader_fixtures" / "tolonews-style-page.html"


def news_page() -> str:
    """The test fixture grown to a typical saved page: ~300 menu links, 60 KB of script, 30 paragraphs."""
    page = FIXTURE.read_text(encoding="utf-8")
    menu = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(300))
    script = "<script>" + "var config = {'ads': [1, 2, 3], 'tracking': true};\n" * 1200 + "</script>"
    paragraphs = "".join(
        f"<p>Paragraph {i}: officials in Kabul and Doha said on Thursday that the talks would resume "
        "after a week-long pause, according to a statement.</p>" for i in range(30)
    )
    page = page.replace('<ul><li><a href="/">Home</a></li>', "<ul>" + menu + '<li><a href="/">Home</a></li>')
    page = page.replace("</head>", script + "</head>")
    return page.replace('<div class="entry-content">', '<div class="entry-content">' + paragraphs)


def deep_page(depth: int = 5000) -> str:
    return "<html><body>" + "<div>" * depth + "<article><p>DOHA - Talks resumed.</p></article>" + "</div>" * depth


def timed(action: Callable[[], object], repeat: int = 20) -> float:
    """The median wall time of ``action`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def stdlib_parse(page: str) -> None:
    parser = HTMLParser(convert_charrefs=True)
    parser.feed(page)
    parser.close()


def main() -> None:
    page = news_page()
    print(f"news page: {len(page.encode()) / 1024:.0f} KB")
    print(f"  html.parser parse only: {timed(lambda: stdlib_parse(page)):.1f} ms")
    print(f"  kb reader (parse + rules): {timed(lambda: read_html(page)):.1f} ms")
    try:
        import lxml.etree
        import lxml.html
    except ImportError:
        print("  lxml not installed: no comparison")
        return
    print(f"  lxml.html parse only: {timed(lambda: lxml.html.document_fromstring(page)):.1f} ms "
          f"(lxml {lxml.etree.__version__}, libxml2 {'.'.join(map(str, lxml.etree.LIBXML_VERSION))})")
    deep = deep_page()
    tree = lxml.html.document_fromstring(deep)
    print(f"deep page (5000 nested div): kb reader body {read_html(deep).body!r}; "
          f"lxml keeps the text: {'Talks resumed' in tree.text_content()}")


if __name__ == "__main__":
    main()
