"""The event rules (kb.extract.events) and the text helpers (kb.extract.text) on short,
hand-written texts whose facts are written out by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kb.articles import Article
from kb.config import DEFAULT_DATA_DIR
from kb.extract import extract
from kb.extract.actors import ActorIndex
from kb.extract.text import find_quotes, split_sentences

WEDNESDAY = date(2019, 12, 4)


@pytest.fixture(scope="module")
def index() -> ActorIndex:
    return ActorIndex.from_folder(DEFAULT_DATA_DIR / "gazetteer")


def draft(index: ActorIndex, body: str, published: date = WEDNESDAY) -> dict:
    article = Article(path=Path("hand-written.txt"), title="A test", body=body, published=published,
                      publisher="sahar-news")
    return extract(article, "hand-written", index)


def events(doc: dict, type_: str) -> list[dict]:
    return [e for e in doc.get("events", []) if e["type"] == type_]


def only(doc: dict, type_: str) -> dict:
    found = events(doc, type_)
    assert len(found) == 1, f"expected one {type_} event, found {found}"
    return found[0]


# -- text -------------------------------------------------------------------------------------


def test_sentences_keep_abbreviations_initials_and_offsets() -> None:
    body = ("Mr. Khalilzad met U.S. officials on Dec. 3 in Washington, D.C. and left.\n"
            "George W. Bush spoke. “Talks resume,” he said. Then the talks resumed!")
    sentences = split_sentences(body)
    assert [s.text for s in sentences] == [
        "Mr. Khalilzad met U.S. officials on Dec. 3 in Washington, D.C. and left.",
        "George W. Bush spoke.",
        "“Talks resume,” he said.",
        "Then the talks resumed!",
    ]
    assert all(body[s.start:s.end] == s.text for s in sentences)


def test_paragraph_break_ends_a_sentence_without_a_full_stop() -> None:
    body = "KABUL – The talks opened\n\nThe Taliban said nothing."
    assert [s.text for s in split_sentences(body)] == ["KABUL – The talks opened", "The Taliban said nothing."]


def test_quotes_curly_and_straight_with_their_attribution() -> None:
    body = ('“We spoke about the way forward,” he tweeted.\n'
            'The spokesman told reporters that "the process is over".\n'
            '"No deal," the official told Reuters.')
    quotes = find_quotes(body)
    assert [q.text for q in quotes] == ["We spoke about the way forward", "the process is over", "No deal"]
    assert [q.attribution.text for q in quotes] == ["he tweeted", "The spokesman told", "the official told"]
    assert all(body[q.start:q.end] == q.text for q in quotes)
    assert all(body[q.attribution.start:q.attribution.end] == q.attribution.text for q in quotes)


def test_unclosed_quote_is_not_a_quotation() -> None:
    assert find_quotes("He said “we will see.\nNothing more.") == []


# -- events -----------------------------------------------------------------------------------


def test_visit_with_visitor_host_place_and_weekday(index: ActorIndex) -> None:
    visit = only(draft(index, "Zalmay Khalilzad arrived in Kabul on Wednesday."), "visit")
    assert visit["status"] == "occurred"
    assert visit["roles"] == {"visitor": ["zalmay-khalilzad"], "host": ["afghan-government"]}
    assert visit["place"] == "kabul"
    assert (visit["time"]["value"], visit["time"]["precision"]) == (date(2019, 12, 4), "day")


def test_planned_meeting_has_both_participants_and_a_future_day(index: ActorIndex) -> None:
    meeting = only(draft(index, "Khalilzad will meet Ashraf Ghani in Doha on Friday."), "meeting")
    assert meeting["status"] == "planned"
    assert set(meeting["roles"]["participant"]) == {"zalmay-khalilzad", "ashraf-ghani"}
    assert meeting["place"] == "doha"
    assert meeting["time"]["value"] == date(2019, 12, 6)


def test_triggers_of_one_clause_make_one_event(index: ActorIndex) -> None:
    doc = draft(index, "The United States and the Taliban signed an agreement in Doha on Saturday.",
                published=date(2020, 2, 29))
    agreement = only(doc, "agreement")
    assert agreement["stage"] == "signed"
    assert set(agreement["roles"]["party"]) == {"united-states-government", "taliban"}
    assert agreement["time"]["value"] == date(2020, 2, 29)
    assert len(doc["events"]) == 1


def test_called_off_is_a_cancellation_by_its_subject(index: ActorIndex) -> None:
    doc = draft(index, "President Donald Trump called off the talks with the Taliban.")
    cancellation = only(doc, "cancellation")
    assert cancellation["roles"] == {"canceller": ["donald-trump"]}
    assert events(doc, "negotiation") == []


def test_negated_event_is_not_reported_as_occurred(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban did not attend the talks in Doha.")
    assert [e for e in doc.get("events", []) if e["status"] == "occurred" and e["type"] == "negotiation"] == []


def test_possible_event_and_window_from_publication(index: ActorIndex) -> None:
    doc = draft(index, "Khalilzad said the Taliban could sign an agreement with the United States.")
    agreement = only(doc, "agreement")
    assert agreement["status"] == "possible"
    assert agreement["time"] == {"earliest": WEDNESDAY, "precision": "day", "anchor": WEDNESDAY}


def test_proposal_names_its_proposed_event(index: ActorIndex) -> None:
    doc = draft(index, "Ashraf Ghani proposed a ceasefire to the Taliban on Monday.")
    proposal = only(doc, "proposal")
    ceasefire = only(doc, "ceasefire")
    assert proposal["roles"] == {"proposer": ["ashraf-ghani"], "addressee": ["taliban"]}
    assert proposal["proposed_action"] == ceasefire["id"]
    assert ceasefire["status"] == "proposed"
    assert proposal["time"]["value"] == date(2019, 12, 2)


def test_quote_statement_has_speaker_words_and_channel(index: ActorIndex) -> None:
    doc = draft(index, "“We will sign the deal,” Zabihullah Mujahid wrote on Twitter.")
    statement = only(doc, "statement")
    assert statement["roles"] == {"speaker": ["zabihullah-mujahid"]}
    assert statement["quote"] == "We will sign the deal"
    assert statement["channel"] == "tweet"


def test_statement_to_a_wire_service(index: ActorIndex) -> None:
    doc = draft(index, "Suhail Shaheen told Reuters on Monday that the group was ready for talks.",
                published=date(2020, 8, 10))
    statement = only(doc, "statement")
    assert statement["roles"] == {"speaker": ["suhail-shaheen"]}
    assert (statement["channel"], statement["to_outlet"]) == ("wire-service-interview", "reuters")
    assert statement["time"]["value"] == date(2020, 8, 10)


def test_precondition_only_if_with_its_condition(index: ActorIndex) -> None:
    body = "The Afghan government says it will join the talks only if the Taliban agree to a ceasefire."
    doc = draft(index, body)
    [precondition] = doc["preconditions"]
    [condition] = doc["conditions"]
    assert precondition["set_by"] == "afghan-government"
    assert precondition["requires"] == [condition["id"]]
    assert condition["evidence"]["exact"] == "the Taliban agree to a ceasefire"
    assert precondition["stated_in"] == only(doc, "statement")["id"]


def test_troop_quantity_of_a_government_is_its_forces(index: ActorIndex) -> None:
    [quantity] = draft(index, "The United States has about 14,000 troops in Afghanistan.")["quantities"]
    assert (quantity["value"], quantity["unit"], quantity["measure"]) == (14000, "troops", "troop-level")
    assert quantity["subject"] == "us-forces-afghanistan"
    assert quantity["approximation"] == "about"
    assert quantity["status"] == "occurred"
    assert quantity["time"]["value"] == WEDNESDAY


def test_bombing_with_attacker_place_and_toll(index: ActorIndex) -> None:
    doc = draft(index, "A Taliban car bomb exploded in Kabul on Thursday, killing at least 10 people.",
                published=date(2019, 9, 6))
    bombing = only(doc, "bombing")
    assert bombing["roles"]["attacker"] == ["taliban"]
    assert bombing["place"] == "kabul"
    assert bombing["time"]["value"] == date(2019, 9, 5)
    [toll] = doc["quantities"]
    assert (toll["value"], toll["measure"], toll["approximation"]) == (10, "casualties", "at least")
    assert toll["time"]["value"] == date(2019, 9, 5)


def test_every_fact_has_a_confidence_and_exact_evidence(index: ActorIndex) -> None:
    body = ("Khalilzad will meet Ashraf Ghani in Doha on Friday. The Taliban rejected the proposal.\n"
            "“We will sign the deal,” Zabihullah Mujahid said.")
    doc = draft(index, body)
    facts = [f for s in ("events", "quantities", "preconditions", "conditions") for f in doc.get(s, [])]
    assert facts
    for fact in facts:
        assert 0 <= fact["confidence"] <= 1
        spans = fact["evidence"] if isinstance(fact["evidence"], list) else [fact["evidence"]]
        assert all(body[s["start"]:s["end"]] == s["exact"] for s in spans)


def test_truce_with_its_range_and_duration(index: ActorIndex) -> None:
    doc = draft(index, "The insurgents are observing a three-day truce from June 15 until June 17.",
                published=date(2018, 6, 16))
    truce = only(doc, "ceasefire")
    assert truce["roles"] == {"party": ["taliban"]}
    assert truce["duration"] == "P3D"
    assert (truce["time"]["begin"], truce["time"]["end"]) == (date(2018, 6, 15), date(2018, 6, 17))


def test_unnamed_sources_are_whom_the_facts_are_from_not_speakers(index: ActorIndex) -> None:
    doc = draft(index, "Sources say Khalilzad held informal meetings with the Taliban in Qatar last month.")
    assert events(doc, "statement") == []
    meeting = only(doc, "meeting")
    assert meeting["according_to"] == ["unnamed-sources"]
    assert set(meeting["roles"]["participant"]) == {"zalmay-khalilzad", "taliban"}
    assert (meeting["time"]["value"], meeting["time"]["precision"]) == ("2019-11", "month")
    assert meeting["place"] == "qatar"


def test_what_one_speaker_goes_on_to_say_is_one_statement(index: ActorIndex) -> None:
    body = "Khalilzad said the talks were useful. He added that the Taliban were ready."
    statement = only(draft(index, body), "statement")
    assert statement["roles"] == {"speaker": ["zalmay-khalilzad"]}
    assert [s["exact"] for s in statement["evidence"]] == [
        "Khalilzad said the talks were useful.", "added that the Taliban were ready."]


def test_undated_statement_falls_between_the_news_and_publication(index: ActorIndex) -> None:
    body = "A Taliban car bomb exploded in Kabul on Monday. Ashraf Ghani said the attack was a crime."
    doc = draft(index, body, published=date(2019, 9, 3))
    statement = only(doc, "statement")
    assert statement["time"] == {"earliest": date(2019, 9, 2), "latest": date(2019, 9, 3), "precision": "day",
                                 "anchor": date(2019, 9, 3)}


def test_urging_to_extend_a_truce_is_a_proposal(index: ActorIndex) -> None:
    doc = draft(index, "Ashraf Ghani urged the Taliban to extend the truce.", published=date(2018, 6, 16))
    proposal = only(doc, "proposal")
    truce = only(doc, "ceasefire")
    assert proposal["roles"] == {"proposer": ["ashraf-ghani"], "addressee": ["taliban"]}
    assert proposal["proposed_action"] == truce["id"]
    assert (truce["status"], truce["roles"]) == ("proposed", {"party": ["taliban"]})
