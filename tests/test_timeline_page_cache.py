"""The parts of the timeline page kept per timeline index (webapp.page_cache): the form's choice
lists and each filter's overview are the same whether made for the request or kept from an
earlier one, and a write that changes the KB gives the page new ones.

Expected values are the facts of tests/fixtures/mini.trig and of timeline_kb.EXTRA_TRIG.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from rdflib import Dataset
from timeline_kb import EXTRA_TRIG
from webapp_support import load_fixture, make_app

from kb.store import EmbeddedStore

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


class FormAndOverview(HTMLParser):
    """The options of each <select> (value, label, selected) and the titles of the overview's marks."""

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, list[tuple[str, str, bool]]] = {}
        self.marks: list[str] = []
        self._select: str | None = None
        self._in: str | None = None  # "option" or "mark" while reading its text

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "select":
            self._select = attributes["name"]
            self.options[self._select] = []
        elif tag == "option" and self._select:
            self.options[self._select].append((attributes["value"], "", "selected" in attributes))
            self._in = "option"
        elif tag == "a" and attributes.get("class") == "mark":
            self.marks.append("")
            self._in = "mark"

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag in ("option", "title"):
            self._in = None

    def handle_data(self, data):
        if self._in == "option":
            value, label, selected = self.options[self._select][-1]
            self.options[self._select][-1] = (value, label + data, selected)
        elif self._in == "mark":
            self.marks[-1] += data


def parts(client, url: str) -> FormAndOverview:
    response = client.get(url)
    assert response.status_code == 200
    parser = FormAndOverview()
    parser.feed(response.get_data(as_text=True))
    return parser


def labels(parser: FormAndOverview, select: str) -> set[str]:
    return {label for _, label, _ in parser.options[select]}


@pytest.fixture()
def store(tmp_path):
    return load_fixture(tmp_path / "store")


def test_the_form_and_the_overview_change_after_an_ingest(store):
    client = make_app(store).test_client()
    before = parts(client, "/")
    assert parts(client, "/").options == before.options  # kept: the same lists
    assert "Tolo News" not in labels(before, "source") and "Sahar News" in labels(before, "source")
    assert not any("Taliban reject the ceasefire" in title for title in before.marks)

    dataset = Dataset()
    dataset.parse(data=EXTRA_TRIG, format="trig")
    with EmbeddedStore.open_writer(store) as writer:
        writer.replace_graphs({g.identifier: g for g in dataset.graphs() if len(g)})

    after = parts(client, "/")  # the same app and process: what it kept was of the old index
    assert labels(after, "source") == labels(before, "source") | {"Tolo News"}
    assert any("Taliban reject the ceasefire" in title for title in after.marks)
    assert len(after.marks) > len(before.marks)


def test_kept_parts_equal_freshly_made_ones_and_show_the_chosen_values(store):
    url = "/?actor=taliban&source=actor/sahar-news&page=1"
    warm_client = make_app(store).test_client()
    warm_client.get(url)
    warm = warm_client.get(url).get_data(as_text=True)
    cold = make_app(store).test_client().get(url).get_data(as_text=True)
    assert warm == cold

    page = parts(warm_client, url)
    chosen = {select: [value for value, _, selected in options if selected] for select, options in page.options.items()}
    assert chosen == {"actor": ["taliban"], "type": [], "source": ["actor/sahar-news"]}
    assert page.marks  # the overview of this filter: one mark per event of its lanes
    assert parts(warm_client, "/").options["actor"] == [
        (value, label, False) for value, label, _ in page.options["actor"]
    ]
