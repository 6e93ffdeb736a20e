"""A fuzz run of the readers and the extractor together (hypothesis): random articles built from
sentence fragments of the domain, random Unicode and huge paragraphs, written as .txt, .md and
.html files, read with kb.articles.read_article and extracted with kb.extract.extract against the
real gazetteer. Nothing but InputError may come out.

The suite runs a bounded number of examples; for a fuzz run at scale set KB_FUZZ_EXAMPLES
(e.g. 2000: about a second an example).
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.articles import read_article
from kb.config import DEFAULT_DATA_DIR
from kb.errors import InputError
from kb.extract import extract
from kb.extract.actors import ActorIndex

FUZZ = settings(max_examples=int(os.environ.get("KB_FUZZ_EXAMPLES", "10")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SUBJECTS = ["Zalmay Khalilzad", "The Taliban", "Ashraf Ghani", "US President Donald Trump", "The Afghan government",
            "Taliban spokesman Zabihullah Mujahid", "Mullah Baradar", "Reuters", "The US", "Pakistan", "He", "They",
            "NATO", "Abdullah Abdullah", "An unnamed official"]
VERBS = ["met", "announced talks with", "said", "agreed to a ceasefire with", "killed", "rejected", "signed a deal with",
         "will meet", "had stalled the process with", "called for", "released 5,000 prisoners of", "denied",
         "attacked", "visited", "is expected to meet"]
OBJECTS = ["the Taliban", "Afghan leaders", "a reduction in violence", "the peace process", "12 people",
           "hundreds of fighters", "US forces", "the agreement", "intra-Afghan negotiations", "Khalilzad"]
WHEN = ["on Wednesday", "in October 2019", "last month", "on 29 February 2020", "between 2019 and 2020", "",
        "early next year", "on 2019-02-30", "on 31 April", "in the 1990s", "on 1 January 10000", "yesterday",
        "by May 1", "within 14 days", "in Ramadan", "on 11/09/2001"]
WHERE = ["in Kabul", "in Doha", "in Qatar", "at Bagram Airfield", "", "in Helmand province", "in Islamabad"]
QUOTES = ["“We spoke about the way forward,” he said.", '"Peace is near," a source added.', "— Reuters",
          "KABUL –", "Read more: ...", "Home / Afghanistan / Story"]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    words = [draw(st.sampled_from(SUBJECTS)), draw(st.sampled_from(VERBS)), draw(st.sampled_from(OBJECTS)),
             draw(st.sampled_from(WHEN)), draw(st.sampled_from(WHERE))]
    return " ".join(w for w in words if w) + draw(st.sampled_from([".", "", "!", "?", ";"]))


FRAGMENT = st.one_of(sentences(), sentences(), st.sampled_from(QUOTES), st.text(max_size=40))
PARAGRAPH = st.one_of(
    st.lists(FRAGMENT, min_size=1, max_size=8).map(" ".join),
    # a huge paragraph (5 to 17 kB here: the extractor's time grows faster than the text's length)
    st.tuples(sentences(), st.integers(100, 300)).map(lambda s: " ".join([s[0]] * s[1])),
)
BODY = st.lists(PARAGRAPH, min_size=1, max_size=6)


def as_file(kind: str, title: str, paragraphs: list[str]) -> tuple[str, bytes]:
    text = "\n\n".join(paragraphs)
    if kind == "html":
        blocks = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        page = f"<html><head><title>{html.escape(title)}</title></head><body><article>{blocks}</article></body></html>"
        return ".html", page.encode("utf-8", "surrogatepass")
    head = f"---\ntitle: {json.dumps(title)}\npublished: 2020-03-01\npublisher: Sahar News\n---\n"
    return (".md" if kind == "md" else ".txt"), (head + text).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def index() -> ActorIndex:
    return ActorIndex.from_folder(DEFAULT_DATA_DIR / "gazetteer")


@FUZZ
@given(st.sampled_from(["txt", "md", "html"]), st.one_of(sentences(), st.text(max_size=40)), BODY)
def test_reading_and_extracting_any_article_gives_a_draft_or_an_input_error(
    index: ActorIndex, kind: str, title: str, paragraphs: list[str]
) -> None:
    suffix, content = as_file(kind, title, paragraphs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"article{suffix}"
        path.write_bytes(content)
        try:
            article = read_article(path)
            draft = extract(article, "fuzz-article", index, date(2020, 3, 1))
        except InputError as exc:
            assert str(exc) and "Traceback" not in str(exc)
            return
    assert draft["article"]["id"] == "fuzz-article"
    spans = list(evidence_spans(draft))
    assert all(article.body[span["start"]:span["end"]] == span["exact"] for span in spans), spans


def test_a_sentence_whose_pronoun_names_no_one_is_extracted_without_a_crash(index: ActorIndex, tmp_path: Path) -> None:
    """Found by the fuzz run above (1 Dec 2026): an IndexError in kb.extract.events._event."""
    path = tmp_path / "article.md"
    path.write_text("---\ntitle: A visit\npublished: 2020-03-01\npublisher: Sahar News\n---\n"
                    "He visited the peace process on 11/09/2001 in Kabul.\n", encoding="utf-8")
    draft = extract(read_article(path), "pronoun", index, date(2020, 3, 1))
    assert draft["article"]["id"] == "pronoun"


def evidence_spans(value: object):
    """Every ``{start, end, exact}`` span anywhere in a draft."""
    if isinstance(value, dict):
        if {"start", "end", "exact"} <= value.keys():
            yield value
        for item in value.values():
            yield from evidence_spans(item)
    elif isinstance(value, list):
        for item in value:
            yield from evidence_spans(item)
