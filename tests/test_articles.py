"""Reading article files: page furniture removed, unreadable files refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.articles import extract_body, read_article
from kb.errors import InputError


def test_scraped_page_furniture_is_removed() -> None:
    scraped = (
        '" /> A Truce Holds - Daily Example\n'
        "Home / World / A Truce Holds\n"
        "A Truce Holds\n"
        "\n"
        "DOHA – The truce held for a third day.\n"
        "Both sides reported calm.\n"
        "Related Posts\n"
        "Another story entirely\n"
        "Leave a Reply"
    )
    title, body = extract_body(scraped)
    assert title == "A Truce Holds"
    assert body == "DOHA – The truce held for a third day.\nBoth sides reported calm."


def test_metadata_given_wins_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Scraped Title\nBody line one.\n", encoding="utf-8")
    article = read_article(path, title="Given Title", publisher="someone")
    assert article.title == "Given Title" and article.publisher == "someone"
    assert article.body == "Body line one."


@pytest.mark.parametrize("content,words", [
    (b"", "is empty"),
    (b'" />\nHome / World / Story\n<div>\n', "no article text"),
    (b"\x00\x01\x02binary", "binary file"),
    ("Titel\nK\xf6ln".encode("latin-1"), "not valid UTF-8"),
    (b"Only a title\nCheck Also\nteaser", "no body text"),
])
def test_unreadable_files(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=words) as caught:
        read_article(path)
    assert str(path) in str(caught.value)


def test_missing_path_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_article(tmp_path)


def test_suffix_chooses_the_reader_case_insensitively(tmp_path: Path) -> None:
    page = tmp_path / "PAGE.HTML"
    page.write_text("<title>T</title><article><p>Body of the page.</p></article>", encoding="utf-8")
    assert read_article(page).body == "Body of the page."
    scraped = tmp_path / "scraped.TXT"
    scraped.write_text("Title\n<p>Body of the page.</p>\n", encoding="utf-8")
    assert read_article(scraped).body == "<p>Body of the page.</p>"  # plain text: markup is not parsed
