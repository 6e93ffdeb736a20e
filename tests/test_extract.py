"""The extractor's entry point (kb.extract): the seed article, drafts of the whole corpus that
convert and validate, and odd bodies that must not break it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kb.annotation import load_annotation
from kb.articles import Article, read_article
from kb.build import Inputs, convert_and_validate
from kb.config import DEFAULT_DATA_DIR
from kb.errors import InputError
from kb.evaluate import actor_names, draft_for, reviewed_annotations
from kb.extract import extract, write_draft
from kb.extract.actors import ActorIndex
from kb.namespaces import IriMinter

SEED = DEFAULT_DATA_DIR / "articles" / "khalilzad-kabul-sahar-news.txt"
SECTIONS = ("events", "quantities", "preconditions", "conditions", "memberships", "reports", "actors")


@pytest.fixture(scope="module")
def index() -> ActorIndex:
    return ActorIndex.from_folder(DEFAULT_DATA_DIR / "gazetteer")


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return Inputs.load(DEFAULT_DATA_DIR, IriMinter())


@pytest.fixture(scope="module")
def seed(index: ActorIndex) -> dict:
    article = read_article(SEED, published=date(2019, 12, 4), publisher="Sahar News")
    return extract(article, "khalilzad-kabul-sahar-news", index)


def facts(doc: dict) -> list[dict]:
    return [f for s in SECTIONS for f in doc.get(s, [])]


def spans(fact: dict) -> list[dict]:
    return fact["evidence"] if isinstance(fact["evidence"], list) else [fact["evidence"]]


# -- the seed article, as raw text with only its date and publisher ----------------------------


def test_seed_draft_is_a_machine_annotation_of_its_article(seed: dict) -> None:
    assert seed["format"] == 1
    assert seed["review"] == {"status": "machine"}
    assert seed["article"]["publisher"] == "sahar-news"
    assert seed["article"]["published"] == date(2019, 12, 4)
    ids = [f["id"] for f in facts(seed)]
    assert len(ids) == len(set(ids))
    assert all(0 <= f["confidence"] <= 1 for f in facts(seed))


def test_seed_visit_and_planned_meeting(seed: dict) -> None:
    visit = next(e for e in seed["events"] if e["type"] == "visit" and e["place"] == "kabul")
    assert visit["roles"] == {"visitor": ["zalmay-khalilzad"], "host": ["afghan-government"]}
    assert visit["time"]["value"] == date(2019, 12, 4)
    assert visit["evidence"]["exact"].endswith("Zalmay Khalilzad arrived in Kabul on Wednesday")
    meeting = next(e for e in seed["events"] if e["type"] == "meeting" and "ashraf-ghani" in
                   e["roles"].get("participant", []) and e["status"] == "planned")
    assert set(meeting["roles"]["participant"]) == {"zalmay-khalilzad", "ashraf-ghani"}


def test_seed_tweet_quote_and_state_department_statement(seed: dict) -> None:
    statements = [e for e in seed["events"] if e["type"] == "statement"]
    tweet = next(e for e in statements if e.get("channel") == "tweet")
    assert tweet["roles"] == {"speaker": ["hekmat-khalil-karzai"]}
    assert tweet["quote"].startswith("We spoke about the way forward")
    department = next(e for e in statements if e["roles"]["speaker"] == ["us-department-of-state"])
    assert department["quote"].startswith("In Kabul, Special Representative Khalilzad will meet")
    assert department["channel"] == "press-statement"


def test_seed_troops_precondition_and_rejection(seed: dict) -> None:
    troops = next(q for q in seed["quantities"] if q["value"] == 13000)
    assert (troops["subject"], troops["approximation"], troops["measure"]) == (
        "us-forces-afghanistan", "nearly", "troop-level")
    condition = next(p for p in seed["preconditions"] if p["set_by"] == "afghan-government")
    required = [c["evidence"]["exact"] for c in seed["conditions"] if c["id"] in condition["requires"]]
    assert required == ["it is given a seat at the table", "the Taliban agrees to a ceasefire"]
    rejection = next(e for e in seed["events"] if e["type"] == "rejection")
    assert rejection["roles"] == {"responder": ["taliban"]}
    assert rejection["evidence"]["exact"].startswith("The Taliban have not agreed to the proposal")


def test_seed_draft_round_trips_and_validates(seed: dict, inputs: Inputs, tmp_path: Path) -> None:
    path = tmp_path / "annotations" / "khalilzad-kabul-sahar-news.yaml"
    path.parent.mkdir()
    write_draft(seed, path)
    annotation = load_annotation(path, inputs.gazetteer)
    assert not annotation.reviewed
    assert set(annotation.facts) == {f["id"] for f in facts(seed) if f not in seed.get("actors", [])}
    graph = convert_and_validate(path, inputs)
    assert len(graph.graph) > 100


# -- the whole corpus ---------------------------------------------------------------------------


def test_every_corpus_draft_quotes_its_body_and_validates(index: ActorIndex, inputs: Inputs,
                                                          tmp_path: Path) -> None:
    gazetteer = DEFAULT_DATA_DIR / "gazetteer"
    names = actor_names(gazetteer)
    corpus = reviewed_annotations(DEFAULT_DATA_DIR)
    assert len(corpus) >= 17
    for reviewed in corpus:
        doc = draft_for(reviewed, index, gazetteer, names)
        body = read_article((reviewed.path.parent / reviewed.doc["article"]["file"]).resolve()).body
        for fact in facts(doc):
            assert all(body[s["start"]:s["end"]] == s["exact"] for s in spans(fact)), fact["id"]
        path = tmp_path / f"{reviewed.article_id}.yaml"
        write_draft(doc, path)
        convert_and_validate(path, inputs)  # raises on a malformed draft or a SHACL violation


# -- odd input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    "",
    "“”",
    "“We will never give up.” “Nor will we.”",
    '"unclosed quote and no full stop',
    "Ḱabul — Ömer said “ceasefire” 🙂 on 31 February, then 99999999999999999999 troops left.",
    "\n\n\n",
    "said said said. told. , , ; ; — –",
    "A" * 5000,
    "He arrived in Kabul on Wednesday.",  # a pronoun that names no one: a host but no visitor
])
def test_odd_bodies_never_raise(index: ActorIndex, body: str) -> None:
    article = Article(path=Path("odd.txt"), title="Odd", body=body, published=date(2020, 1, 1),
                      publisher="Example Wire")
    doc = extract(article, "odd", index)
    assert doc["review"] == {"status": "machine"}
    for fact in facts(doc):
        assert all(body[s["start"]:s["end"]] == s["exact"] for s in spans(fact))


def test_unknown_date_is_one_clear_error(index: ActorIndex) -> None:
    article = Article(path=Path("undated.txt"), title="Undated", body="Talks resumed.")
    with pytest.raises(InputError, match="publication date is unknown"):
        extract(article, "undated", index)


def test_new_article_with_unknown_publisher_converts(index: ActorIndex, inputs: Inputs, tmp_path: Path) -> None:
    article_path = tmp_path / "articles" / "wire.md"
    article_path.parent.mkdir()
    article_path.write_text(
        "---\ntitle: Talks in Doha\npublished: 2020-09-12\npublisher: Example Wire\n---\n\n"
        "DOHA — Abdullah Abdullah met Taliban negotiators in Doha on Saturday. "
        "“The war must end,” Abdullah said. The United States has about 4,500 troops in Afghanistan.\n",
        encoding="utf-8")
    doc = extract(read_article(article_path), "talks-in-doha-example-wire", index)
    publisher = doc["article"]["publisher"]
    assert [a["type"] for a in doc["actors"] if a["id"] == publisher] == ["NewsOrganisation"]
    meeting = next(e for e in doc["events"] if e["type"] == "meeting")
    assert meeting["time"]["value"] == date(2020, 9, 12)
    draft_path = tmp_path / "annotations" / "talks-in-doha-example-wire.yaml"
    draft_path.parent.mkdir()
    write_draft(doc, draft_path)
    assert load_annotation(draft_path, inputs.gazetteer).article.path == article_path
    convert_and_validate(draft_path, inputs)
