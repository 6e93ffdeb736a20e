"""Bad article files: each gets one InputError line that names the file and the fault.

The small inputs are in tests/bad_input/; the big and deep ones are generated in tmp_path.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from kb.articles import read_article
from kb.errors import InputError
from kb.readers.files import MAX_BYTES

BAD = Path(__file__).parent / "bad_input"


def refused(path: Path, *faults: str) -> str:
    """Read ``path``, expecting one InputError line naming the file and every fault phrase."""
    with pytest.raises(InputError) as caught:
        read_article(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    assert "\n" not in message and "Traceback" not in message
    for fault in faults:
        assert fault in message, message
    return message


CASES = {
    "empty.txt": ("is empty",),
    "only-whitespace.md": ("is empty",),
    "binary.txt": ("is a binary file", "save the article as UTF-8 text"),
    "pdf-renamed.txt": ("is a PDF document",),
    "invalid-utf8.txt": ("is not valid UTF-8 (byte 24)", "save it as UTF-8"),
    "utf16-no-bom.txt": ("UTF-16 text without a byte-order mark", "save it again as UTF-8"),
    "no-article.html": ("has no article text",),
    "unknown-charset.html": ("charset 'klingon-8'", "not a known encoding"),
    "bad-declaration.html": ("HTML that cannot be parsed", "save the page again"),
    "no-front-matter.md": ("has no front matter", "start the file with a line '---'"),
    "front-matter-unclosed.md": ("never closed", "add a line '---'"),
    "front-matter-bad-yaml.md": ("not valid YAML on line 4",),
    "front-matter-unknown-key.md": ("unknown front-matter key(s) date", "the keys are: title, published"),
    "front-matter-list-value.md": ("'title' whose value is not text",),
    "front-matter-no-body.md": ("no body text after its closing '---' line",),
    "front-matter-no-title.md": ("has no title", "add 'title:' to the front matter"),
    "impossible-date.md": ("published '2019-02-30'", "not a real date: February 2019 has 28 days"),
    "impossible-date.html": ("published '2019-02-30T10:00:00+04:30' in the page's <head>", "not a real date"),
    "not-a-date.md": ("published 'September 12, 2020'", "write it as YYYY-MM-DD"),
    "future-date.md": ("published '2099-01-01'", "is in the future", "correct the publication date"),
    "bad-url.md": ("url 'www.example.org/talks'", "not an http(s) address"),
    "bad-language.md": ("language 'English (UK)'", "not a language tag"),
    "no-title.html": ("has no title", "add a <title>"),
    "events.csv": ("is a '.csv' file, not an article", ".txt, .md"),
    "events.json": ("is a '.json' file, not an article",),
    "table-as-text.txt": ("looks like a table", "','"),
    "title-only.txt": ("has a title but no body text",),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_file(name: str) -> None:
    refused(BAD / name, *CASES[name])


def test_every_bad_input_file_has_a_case() -> None:
    tested_apart = {"utf16-bom.txt", "unclosed.html", "windows-1252.txt"}
    assert {p.name for p in BAD.iterdir()} == set(CASES) | tested_apart


def test_windows_1252_is_refused_with_the_conversion_command() -> None:
    message = refused(BAD / "windows-1252.txt", "is not valid UTF-8", "looks like Windows-1252")
    assert "iconv -f WINDOWS-1252 -t UTF-8 'windows-1252.txt'" in message


def test_utf16_with_bom_is_decoded() -> None:
    article = read_article(BAD / "utf16-bom.txt")
    assert (article.title, article.body) == ("Talks in Doha", "The envoy met the delegation in Doha on Monday.")


def test_unclosed_html_is_closed_as_a_browser_would() -> None:
    article = read_article(BAD / "unclosed.html")
    assert article.body == (
        "KANDAHAR – The Taliban freed 20 government prisoners on Sunday, a spokesman said.\n\n"
        "The release followed a similar move by the government on Friday."
    )
    assert article.title == "Taliban Free 20 Prisoners"


def test_a_50_mb_text_is_refused_by_its_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = b"The envoy met the delegation in Doha on Monday to discuss the talks.\n"
    with path.open("wb") as out:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            out.write(line)
    assert path.stat().st_size > 50 * 1024 * 1024 > MAX_BYTES
    refused(path, "is 50.0 MB", "read up to 10 MB")


def test_deeply_nested_html_reads_its_article(tmp_path: Path) -> None:
    depth = 5000
    path = tmp_path / "deep.html"
    path.write_text(
        "<html><title>Talks Resume</title><body>" + "<div>" * depth + "<article><p>DOHA - Talks resumed on Saturday.</p></article>"
        + "</div>" * depth + "</body></html>", encoding="utf-8")
    assert read_article(path).body == "DOHA - Talks resumed on Saturday."


def test_deeply_nested_html_without_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep-empty.html"
    path.write_text("<span><b><i>" * 5000, encoding="utf-8")
    refused(path, "has no article text")


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    refused(tmp_path / "missing.html", "no such file", "check the path")


def test_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "articles.md"
    folder.mkdir()
    refused(folder, "is a folder", "give an article file")


def test_a_pipe_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    refused(pipe, "is not a regular file")


def test_a_name_the_file_system_refuses(tmp_path: Path) -> None:
    refused(tmp_path / ("x" * 300 + ".txt"), "cannot be read (File name too long)", "check the path")


def test_future_date_given_by_the_caller_is_refused() -> None:
    with pytest.raises(InputError, match="published '2099-05-01' in the metadata given is in the future"):
        read_article(BAD / "utf16-bom.txt", published=date(2099, 5, 1))
