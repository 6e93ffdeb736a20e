"""The event rules (kb.extract.events) and the text helpers (kb.extract.text) on short,
hand-written texts whose facts are written out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from kb.articles import Article
from kb.config import DEFAULT_DATA_DIR
from kb.extract import extract
from kb.extract.actors import ActorIndex
from kb.extract.text import dateline, find_quotes, split_sentences

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


def only_quantity(doc: dict) -> dict:
    found = doc.get("quantities", [])
    assert len(found) == 1, found
    return found[0]


# -- text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "parts"), [
    ("KABUL, July 5 (Zabul Journal) – The general said", ("KABUL", "July 5", "Zabul Journal")),
    ("WASHINGTON/KABUL (Reuters) - Talks resumed", ("WASHINGTON/KABUL", None, "Reuters")),
    ("DOHA, Nov. 18 - The talks", ("DOHA", "Nov. 18", None)),
    ("KABUL — Fighters walked into Kabul", ("KABUL", None, None)),
    ("US officials said - twice - that", None),
    ("The Taliban (the group) – said", None),
])
def test_dateline_gives_its_place_date_and_credited_outlet(body: str, parts: tuple | None) -> None:
    line = dateline(body)
    assert (line.group("place", "date", "credit") if line else None) == parts


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


@pytest.mark.parametrize("verb", ["put off", "postponed"])
def test_putting_off_a_meeting_is_its_cancellation(index: ActorIndex, verb: str) -> None:
    doc = draft(index, f"Turkey, Qatar and the United Nations {verb} a meeting they had planned in Istanbul.")
    hosts = ["turkish-government", "qatar-government", "united-nations"]
    assert only(doc, "cancellation")["roles"] == {"canceller": hosts}
    assert only(doc, "meeting")["status"] == "cancelled"


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


@pytest.mark.parametrize("link", [", and two days later", "; on Monday", ", while"])
def test_two_speakers_in_one_sentence_make_two_statements(index: ActorIndex, link: str) -> None:
    doc = draft(index, f"The Taliban denied any role in the attack{link} Khalilzad said the Islamic State "
                       "group had carried it out.")
    speakers = sorted(s["roles"]["speaker"] for s in events(doc, "statement"))
    assert speakers == [["taliban"], ["zalmay-khalilzad"]]
    khalilzad = next(s for s in events(doc, "statement") if s["roles"]["speaker"] == ["zalmay-khalilzad"])
    assert khalilzad["evidence"]["exact"] == "Khalilzad said the Islamic State group had carried it out."


def test_one_speaker_going_on_after_and_makes_one_statement(index: ActorIndex) -> None:
    doc = draft(index, "Khalilzad said the talks had been useful, and Khalilzad said the Taliban had "
                       "agreed to meet again.")
    assert [s["roles"]["speaker"] for s in events(doc, "statement")] == [["zalmay-khalilzad"]]


def test_people_named_among_a_group_take_part_with_it(index: ActorIndex) -> None:
    doc = draft(index, "Taliban envoys and Afghan opposition politicians, among them former president Hamid Karzai, "
                       "ended two days of talks in Moscow on Wednesday.", published=date(2019, 2, 7))
    talks = only(doc, "talks-round")
    assert sorted(talks["roles"]["party"]) == ["afghan-opposition-politicians", "hamid-karzai",
                                               "taliban-political-representatives"]


def test_an_outlet_told_something_takes_no_part_in_it(index: ActorIndex) -> None:
    doc = draft(index, "On Friday, Mujahid told AFP it was too early to talk about a resumption of the talks.",
                published=date(2019, 11, 29))
    outlets = {"agence-france-presse"}
    assert only(doc, "statement")["to_outlet"] == "agence-france-presse"
    assert all(not set(sum(e["roles"].values(), [])) & outlets for e in doc["events"] if e["type"] != "statement")


@pytest.mark.parametrize(("sentence", "synonym", "word"), [
    ("The agreement provides for the departure of US troops within 14 months.", "departure", "withdrawal"),
    ("The agreement provides for the exit of US troops within 14 months.", "exit", "withdrawal"),
    ("The pullout of US troops began on Wednesday.", "pullout", "withdrawal"),
    ("The United States and the Taliban struck a deal on Saturday.", "struck", "reached"),
    ("The United States and the Taliban sealed an agreement on Saturday.", "sealed", "reached"),
    ("Ghani proposed a ceasefire on Monday. The Taliban ruled out a ceasefire on Tuesday.", "ruled out", "rejected"),
    ("Ghani proposed a ceasefire on Monday. The Taliban rebuffed the proposal on Tuesday.", "rebuffed", "rejected"),
    ("Trump scrapped the talks on Saturday.", "scrapped", "called off"),
    ("The Taliban assassinated a senior official in Kabul on Monday.", "assassinated", "attacked"),
    ("The Taliban seized Kunduz on Sunday.", "seized", "attacked"),
    ("Taliban fighters captured Kabul without a fight on August 15.", "captured", "attacked"),
])
def test_news_synonyms_give_the_events_of_the_words_they_stand_for(index: ActorIndex, sentence: str, synonym: str,
                                                                    word: str) -> None:
    found = [(e["type"], e["status"], e["roles"]) for e in draft(index, sentence)["events"]]
    plain = draft(index, sentence.replace(synonym, word))["events"]
    assert found and found == [(e["type"], e["status"], e["roles"]) for e in plain]


@pytest.mark.parametrize("body", [
    "Afghan and American officials said the truce had largely held.",
    "US and Afghan officials said the truce had largely held.",
    "The truce began on February 22 and that Afghan and American officials said had largely held.",
])
def test_officials_of_two_countries_make_a_statement_each(index: ActorIndex, body: str) -> None:
    speakers = sorted(s["roles"]["speaker"][0] for s in events(draft(index, body), "statement"))
    assert speakers == ["american-officials", "kabul-officials"]


def test_officials_of_two_countries_who_are_the_source_take_no_part(index: ActorIndex) -> None:
    doc = draft(index, "The talks will resume, US and Afghan officials said.")
    named = {a for e in doc.get("events", []) for role in e["roles"].values() for a in role}
    assert not named & {"american-officials", "kabul-officials", "united-states-government"}


def test_victims_counted_after_others_are_the_target(index: ActorIndex) -> None:
    doc = draft(index, "A suicide bomber struck outside Kabul airport on Thursday, killing 170 Afghans and "
                       "13 US troops.", published=date(2021, 8, 27))
    assert only(doc, "bombing")["roles"] == {"target": ["us-forces-afghanistan"]}


@pytest.mark.parametrize(("body", "mediators"), [
    ("Qatar has mediated between the two sides since 2018.", ["qatar-government"]),
    ("The Taliban held a first round of talks with Kabul on Sunday, arranged by the United States and Qatar.",
     ["united-states-government", "qatar-government"]),
])
def test_a_third_side_that_brings_two_together_mediates(index: ActorIndex, body: str, mediators: list) -> None:
    mediation = only(draft(index, body, published=date(2020, 5, 18)), "mediation")
    assert all(m in mediation["roles"]["participant"] for m in mediators)


@pytest.mark.parametrize("verb", ["freed", "ordered the release of"])
def test_a_capital_that_acts_is_its_government(index: ActorIndex, verb: str) -> None:
    doc = draft(index, f"Kabul {verb} 400 Taliban prisoners on Monday.", published=date(2020, 8, 12))
    assert "afghan-government" in {a for e in doc["events"] for role in e["roles"].values() for a in role}


def test_attending_a_ceremony_or_conference_is_taking_part_in_a_meeting(index: ActorIndex) -> None:
    doc = draft(index, "Mike Pompeo attended the opening ceremony of the talks in Doha on Saturday.",
                published=date(2020, 9, 12))
    meeting = only(doc, "meeting")
    assert meeting["roles"] == {"participant": ["mike-pompeo"]} and meeting["time"]["value"] == date(2020, 9, 12)


@pytest.mark.parametrize(("body", "counts"), [
    ("The United States has cut its forces in Afghanistan to about 4,500.", [(4500, "occurred", "about")]),
    ("The United States is to shrink its force from about 13,000 troops to 8,600 within 135 days.",
     [(13000, "occurred", "about"), (8600, "planned", None)]),
    ("The number of US troops could be reduced to 8600.", [(8600, "possible", None)]),
    ("US troops were sent there from 2019 to 2020, and the aid rose to 3,000 dollars.", []),
])
def test_a_troop_number_after_to_or_from_takes_the_unit_named_before(index: ActorIndex, body: str,
                                                                      counts: list) -> None:
    found = draft(index, body, published=date(2020, 4, 8)).get("quantities", [])
    assert [(q["value"], q["status"], q.get("approximation")) for q in found] == counts
    assert all(q["measure"] == "troop-level" and q["subject"] == "us-forces-afghanistan" for q in found)


@pytest.mark.parametrize("verb", ["pressed", "asked"])
def test_asking_or_pressing_someone_to_act_is_a_demand(index: ActorIndex, verb: str) -> None:
    doc = draft(index, f"Khalilzad {verb} the Taliban to reduce violence on Monday.", published=date(2020, 11, 17))
    demand = only(doc, "demand")
    assert demand["roles"] == {"demander": ["zalmay-khalilzad"], "addressee": ["taliban"]}
    assert only(doc, "reduction-in-violence")["roles"] == {"party": ["taliban"]}


def test_talks_between_two_sides_that_will_begin_are_planned_talks_of_both(index: ActorIndex) -> None:
    doc = draft(index, "Negotiations between the Taliban and the government will begin on Saturday.",
                published=date(2020, 8, 10))
    talks = only(doc, "negotiation")
    assert talks["status"] == "planned" and sorted(talks["roles"]["party"]) == ["afghan-government", "taliban"]
    assert not events(doc, "commitment")


@pytest.mark.parametrize(("modal", "status"), [("would", "planned"), ("are to", "planned"),
                                                ("could", "possible")])
def test_an_event_noun_takes_the_status_of_the_modal_after_it(index: ActorIndex, modal: str, status: str) -> None:
    doc = draft(index, f"Suhail Shaheen tweeted that talks with the government {modal} start in Doha.",
                published=date(2020, 8, 10))
    assert only(doc, "negotiation")["status"] == status


def test_is_expected_to_is_a_plan_not_a_purpose(index: ActorIndex) -> None:
    doc = draft(index, "The withdrawal of US troops is expected to end in September.", published=date(2021, 8, 10))
    withdrawal = only(doc, "withdrawal")
    assert withdrawal["status"] == "planned" and withdrawal["roles"] == {"participant": ["us-forces-afghanistan"]}


@pytest.mark.parametrize(("listed", "phrase", "governments"), [
    ("Pakistan and Qatar", "The two countries", {"pakistan-government", "qatar-government"}),
    ("The United States, Russia, China and Pakistan", "The four countries",
     {"united-states-government", "russian-government", "chinese-government", "pakistan-government"}),
])
def test_countries_counted_together_are_the_governments_listed_before(index: ActorIndex, listed: str, phrase: str,
                                                                      governments: set) -> None:
    doc = draft(index, f"{listed} condemned the attack on Monday. {phrase} met in Istanbul on Tuesday.",
                published=date(2021, 3, 19))
    assert set(only(doc, "meeting")["roles"]["participant"]) == governments


def test_asking_for_time_is_no_demand_and_a_signed_agreement_stays_signed(index: ActorIndex) -> None:
    doc = draft(index, "The delegation asked for time to consult its leaders.", published=date(2019, 1, 28))
    assert not events(doc, "demand")
    doc = draft(index, "Pompeo said he would press the insurgents to comply with the agreement they signed "
                       "with Washington last month.", published=date(2020, 3, 24))
    assert only(doc, "agreement")["status"] == "occurred"


@pytest.mark.parametrize(("text", "status"), [
    ("Ghani said that peace talks would have to include the Taliban.", "possible"),
    ("The date by which foreign forces were to leave has passed.", "planned"),
])
def test_what_must_or_was_to_happen_is_possible_or_planned(index: ActorIndex, text: str, status: str) -> None:
    found = [e for e in draft(index, text, published=date(2020, 3, 24))["events"] if e["type"] != "statement"]
    assert [e["status"] for e in found] == [status]


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


# -- dates of statements ----------------------------------------------------------------------


def test_a_speaker_dated_once_speaks_on_that_day_again_later(index: ActorIndex) -> None:
    body = ("Ashraf Ghani said on Monday that the elders would meet in the spring. Khalilzad said the roads "
            "were open. Ghani warned that the roads were still unsafe.")
    doc = draft(index, body, published=date(2019, 9, 5))  # a Thursday
    dated, _, later = events(doc, "statement")
    assert later["roles"] == {"speaker": ["ashraf-ghani"]}
    assert dated["time"]["value"] == later["time"]["value"] == date(2019, 9, 2)


def test_the_news_day_can_be_the_day_something_ended(index: ActorIndex) -> None:
    body = ("The talks between the United States and the Taliban ended in Doha on Monday. "
            "Khalilzad said the talks were useful.")
    doc = draft(index, body, published=date(2019, 9, 4))
    statement = only(doc, "statement")
    assert (statement["time"]["earliest"], statement["time"]["latest"]) == (date(2019, 9, 2), date(2019, 9, 4))


def test_a_position_in_the_present_perfect_is_not_the_news_of_a_day(index: ActorIndex) -> None:
    body = "A Taliban car bomb exploded in Kabul on Monday. The Afghan government has long said that talks must wait."
    statement = only(draft(index, body, published=date(2019, 9, 4)), "statement")
    assert statement["time"] == {"latest": date(2019, 9, 4), "precision": "day", "anchor": date(2019, 9, 4)}


def test_the_time_of_the_opening_phrase_dates_the_sentence(index: ActorIndex) -> None:
    published = date(2019, 1, 28)  # a Monday
    body = ("The talks in Doha ended on Saturday. In a message that night, Khalilzad said the talks were useful. "
            "On Thursday, while the talks went on, the Taliban appointed a new negotiator.")
    doc = draft(index, body, published=published)
    statement = only(doc, "statement")
    assert statement["time"]["value"] == date(2019, 1, 26)
    assert only(doc, "announcement")["time"]["value"] == date(2019, 1, 24)


def test_he_said_between_commas_is_the_last_person_not_the_actors_of_the_content(index: ActorIndex) -> None:
    body = "Khalilzad met Ashraf Ghani in Kabul on Monday. The United States would keep its promises, he said."
    statements = events(draft(index, body), "statement")
    assert [s["roles"] for s in statements] == [{"speaker": ["zalmay-khalilzad"]}]


# -- dates of events --------------------------------------------------------------------------


def test_a_calendar_span_wins_over_a_holiday_window(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban held a truce over Eid al-Fitr, from June 15 to June 17.",
                published=date(2018, 7, 1))
    truce = only(doc, "ceasefire")
    assert (truce["time"]["begin"], truce["time"]["end"]) == (date(2018, 6, 15), date(2018, 6, 17))


def test_an_end_day_and_a_number_of_days_give_the_first_day(index: ActorIndex) -> None:
    doc = draft(index, "The round of talks between the United States and the Taliban ended in Doha on Tuesday "
                       "after 16 days.", published=date(2019, 3, 13))
    talks = only(doc, "talks-round")
    tuesday = date(2019, 3, 12)
    assert (talks["time"]["begin"], talks["time"]["end"]) == (tuesday - timedelta(days=15), tuesday)


def test_what_a_dated_statement_plans_is_planned_from_the_day_it_was_said(index: ActorIndex) -> None:
    body = "Khalilzad said on Monday that the Taliban and the Afghan government would hold talks in Oslo."
    doc = draft(index, body, published=date(2019, 9, 5))
    talks = only(doc, "negotiation")
    assert talks["status"] == "planned"
    assert talks["time"]["earliest"] == date(2019, 9, 2)
    assert "value" not in talks["time"]


def test_a_month_in_a_relative_clause_follows_its_own_verb(index: ActorIndex) -> None:
    # "are" opens the sentence; the month goes with "signed" (the last February, not the nearest)
    body = "The lists are named in the agreement that the United States and the Taliban signed in February."
    agreement = only(draft(index, body, published=date(2020, 8, 20)), "agreement")
    assert set(agreement["roles"]["party"]) == {"united-states-government", "taliban"}
    assert (agreement["time"]["value"], agreement["time"]["precision"]) == ("2020-02", "month")


# -- events named in lists and conditions -------------------------------------------------------


def test_event_nouns_listed_together_are_each_an_event(index: ActorIndex) -> None:
    body = "Khalilzad said the Taliban would agree to intra-Afghan negotiations and a nationwide ceasefire."
    doc = draft(index, body)
    talks, truce = only(doc, "negotiation"), only(doc, "ceasefire")
    assert talks["roles"] == truce["roles"]
    assert "taliban" in truce["roles"]["party"] and "afghan-government" in truce["roles"]["party"]
    assert talks["status"] == truce["status"] != "occurred"


def test_a_trailing_condition_makes_what_follows_it_possible(index: ActorIndex) -> None:
    body = ("Sediq Sediqqi said the aid would flow only when the Taliban entered direct talks with the government "
            "and a ceasefire took hold.")
    doc = draft(index, body, published=date(2019, 9, 5))
    talks, truce = only(doc, "negotiation"), only(doc, "ceasefire")
    assert talks["status"] == truce["status"] == "possible"
    assert set(talks["roles"]["party"]) == set(truce["roles"]["party"]) == {"taliban", "afghan-government"}
    assert talks["time"] == {"earliest": date(2019, 9, 5), "precision": "day", "anchor": date(2019, 9, 5)}


# -- preconditions ----------------------------------------------------------------------------


def test_a_condition_is_set_by_the_subject_of_what_is_said(index: ActorIndex) -> None:
    body = "Mohammad Naeem said the Taliban would not attend any summit until all foreign forces had left."
    [precondition] = draft(index, body)["preconditions"]
    assert precondition["set_by"] == "taliban"


def test_a_spokesman_sets_a_condition_for_the_organisation_he_speaks_for(index: ActorIndex) -> None:
    body = "Sediq Sediqqi said peace would come only once the Taliban agreed to a ceasefire."
    [precondition] = draft(index, body)["preconditions"]
    assert precondition["set_by"] == "afghan-government"


def test_provided_for_is_no_condition(index: ActorIndex) -> None:
    body = "Taliban officials said the draft provided for foreign troops to leave within 18 months."
    assert "preconditions" not in draft(index, body)


# -- claims and relative clauses ----------------------------------------------------------------


def test_saying_it_carried_out_an_attack_is_a_claim_and_a_denial_is_a_statement(index: ActorIndex) -> None:
    body = "The Islamic State group said it had carried out the blast in Jalalabad; the Taliban denied any role."
    doc = draft(index, body, published=date(2018, 6, 18))
    assert only(doc, "claim-of-responsibility")["roles"] == {"speaker": ["islamic-state"]}
    assert only(doc, "statement")["roles"] == {"speaker": ["taliban"]}


def test_a_relative_clause_between_subject_and_verb_neither_hides_nor_negates_the_subject(index: ActorIndex) -> None:
    body = "The Islamic State group, which did not join the truce, claimed responsibility."
    claim = only(draft(index, body, published=date(2018, 6, 18)), "claim-of-responsibility")
    assert claim["roles"] == {"speaker": ["islamic-state"]}


def test_a_speech_verb_in_a_relative_clause_is_background_not_a_statement(index: ActorIndex) -> None:
    body = "The Taliban, who say the accord binds every foreign army, reacted coolly to the plan."
    assert events(draft(index, body), "statement") == []


def test_a_negated_verb_negates_the_infinitive_after_it(index: ActorIndex) -> None:
    body = "If the Taliban could not agree to a truce, they did not have the power to negotiate a settlement."
    assert events(draft(index, body), "negotiation") == []


def test_an_event_noun_in_a_condition_is_a_possible_event(index: ActorIndex) -> None:
    body = "The Taliban say no progress can be made until the withdrawal of foreign troops is settled."
    withdrawal = only(draft(index, body), "withdrawal")
    assert withdrawal["status"] == "possible"
    assert "foreign-troops" in withdrawal["roles"]["participant"]


def test_meeting_conditions_is_no_meeting(index: ActorIndex) -> None:
    body = "The Taliban will meet the conditions of the accord."
    assert events(draft(index, body), "meeting") == []


def test_what_must_happen_is_a_possible_event(index: ActorIndex) -> None:
    body = "Khalilzad said the Taliban had to observe a nationwide ceasefire first."
    truce = only(draft(index, body), "ceasefire")
    assert truce["status"] == "possible"
    assert truce["time"] == {"earliest": WEDNESDAY, "precision": "day", "anchor": WEDNESDAY}


def test_intra_afghan_talks_are_the_taliban_and_the_government_talks_among_afghans_everyone(
        index: ActorIndex) -> None:
    formal = only(draft(index, "Khalilzad said intra-Afghan negotiations would open in Oslo."), "negotiation")
    assert set(formal["roles"]["party"]) == {"taliban", "afghan-government"}
    wide = only(draft(index, "Khalilzad said negotiations among Afghans would open in Oslo."), "negotiation")
    assert set(wide["roles"]["party"]) == {"taliban", "afghan-government", "afghan-leaders"}
    named = only(draft(index, "The Taliban and other Afghans will hold intra-Afghan negotiations in Oslo."),
                 "negotiation")
    assert "afghan-leaders" in named["roles"]["party"]


def test_welcoming_a_step_is_a_statement_of_the_one_who_welcomes_it(index: ActorIndex) -> None:
    body = "Zalmay Khalilzad welcomed the agreement on a prisoner exchange."
    statement = only(draft(index, body), "statement")
    assert statement["roles"] == {"speaker": ["zalmay-khalilzad"]}


# -- discourse, pronouns and argument structure -------------------------------------------------


def test_a_side_named_alone_in_talks_keeps_its_counterpart_from_earlier(index: ActorIndex) -> None:
    body = ("The United States and the Taliban signed an agreement in Doha on Monday. "
            "On Tuesday the United States resumed the talks.")
    resumed = only(draft(index, body), "resumption")
    assert set(resumed["roles"]["party"]) == {"united-states-government", "taliban"}


def test_he_in_mid_sentence_is_the_person_named_just_before(index: ActorIndex) -> None:
    body = ("Donald Trump said on Monday that the visit was over. "
            "A visit to Kabul by Zalmay Khalilzad followed on Tuesday, during which he met Ashraf Ghani.")
    meeting = only(draft(index, body), "meeting")
    assert set(meeting["roles"]["participant"]) == {"zalmay-khalilzad", "ashraf-ghani"}


def test_the_agent_after_by_acts_and_a_passive_subject_is_the_object(index: ActorIndex) -> None:
    visit = only(draft(index, "A visit to Kabul by Zalmay Khalilzad took place on Tuesday."), "visit")
    assert visit["roles"]["visitor"] == ["zalmay-khalilzad"]
    attack = only(draft(index, "Afghan soldiers were attacked by the Taliban in Kunduz on Monday."), "attack")
    assert attack["roles"] == {"attacker": ["taliban"], "target": ["afghan-security-forces"]}


def test_killing_is_an_attack_on_its_victims_and_the_toll_of_an_attack_named_before(index: ActorIndex) -> None:
    attack = only(draft(index, "US forces killed more than 200 Taliban fighters in Helmand on Monday."), "attack")
    assert attack["roles"] == {"attacker": ["us-forces-afghanistan"], "target": ["taliban"]}
    doc = draft(index, "A Taliban car bombing in Kabul on Monday killed two Afghan soldiers.")
    assert only(doc, "bombing")["roles"] == {"attacker": ["taliban"], "target": ["afghan-security-forces"]}
    assert events(doc, "attack") == []
    doc = draft(index, "A Taliban car bomb exploded in Kabul on Monday, which Ashraf Ghani said killed ten people.")
    assert events(doc, "attack") == []


def test_a_time_after_said_that_dates_what_was_said_not_the_saying(index: ActorIndex) -> None:
    body = "Zalmay Khalilzad said on Sunday that he had met Taliban negotiators twice in the past week."
    meeting = only(draft(index, body), "meeting")
    assert (meeting["time"]["earliest"], meeting["time"]["latest"]) == (WEDNESDAY - timedelta(days=7), WEDNESDAY)


def test_what_an_after_clause_names_happened_by_the_time_of_the_main_clause(index: ActorIndex) -> None:
    body = "Donald Trump called off the talks on Saturday, after a Taliban bombing in Kabul killed an American soldier."
    bombing = only(draft(index, body), "bombing")
    saturday = WEDNESDAY - timedelta(days=4)
    assert {k: v for k, v in bombing["time"].items() if k != "anchor"} == {"latest": saturday, "precision": "day"}


def test_a_coordinated_subject_split_at_and_keeps_both_sides(index: ActorIndex) -> None:
    body = ("Mike Pompeo announced on Friday that the United States and the Taliban had reached an "
            "understanding on a reduction in violence.")
    agreement = only(draft(index, body), "agreement")
    assert set(agreement["roles"]["party"]) == {"united-states-government", "taliban"}


def test_a_government_pulling_out_its_troops_is_its_forces_withdrawing(index: ActorIndex) -> None:
    withdrawal = only(draft(index, "Washington will pull out its troops within 14 months."), "withdrawal")
    assert withdrawal["roles"] == {"participant": ["us-forces-afghanistan"]}


@pytest.mark.parametrize("sentence", ["The United States will withdraw troops.",
                                      "The United States will withdraw all American troops by May."])
def test_a_government_withdrawing_troops_is_its_forces_withdrawing(index: ActorIndex, sentence: str) -> None:
    assert only(draft(index, sentence), "withdrawal")["roles"] == {"participant": ["us-forces-afghanistan"]}
    # leaving a country, the government itself is named
    leaving = only(draft(index, "The United States will withdraw from Afghanistan."), "withdrawal")
    assert leaving["roles"] == {"participant": ["united-states-government"]}


def test_resuming_is_a_resumption(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban said on Monday they were resuming talks with the United States.")
    assert len(events(doc, "resumption")) == 1


def test_whom_a_report_cites_takes_no_part_in_the_event(index: ActorIndex) -> None:
    body = ("Zalmay Khalilzad met Taliban negotiators in Doha on Monday, the agency reported citing an "
            "Afghan government official.")
    meeting = only(draft(index, body), "meeting")
    assert set(meeting["roles"]["participant"]) == {"zalmay-khalilzad", "taliban-political-representatives"}


def test_standing_beside_someone_is_a_meeting_and_as_opens_a_clause_of_its_own(index: ActorIndex) -> None:
    body = ("In Kabul on Saturday, Mark Esper stood beside Ashraf Ghani as the United States and the Afghan "
            "government issued a joint declaration.")
    doc = draft(index, body)
    assert set(only(doc, "meeting")["roles"]["participant"]) == {"mark-esper", "ashraf-ghani"}
    assert set(only(doc, "announcement")["roles"]["announcer"]) == {"united-states-government", "afghan-government"}


def test_at_the_same_hour_is_the_time_of_the_news_before(index: ActorIndex) -> None:
    body = ("Mike Pompeo met Abdul Ghani Baradar in Doha on Saturday. At the same hour in Kabul, the United "
            "States and the Afghan government issued a joint declaration.")
    announcement = only(draft(index, body), "announcement")
    assert announcement["time"]["value"] == WEDNESDAY - timedelta(days=4)


def test_a_title_before_the_second_of_two_coordinated_names_keeps_both(index: ActorIndex) -> None:
    body = "Mark Esper and NATO Secretary General Jens Stoltenberg met Ashraf Ghani in Kabul on Saturday."
    meeting = only(draft(index, body), "meeting")
    assert set(meeting["roles"]["participant"]) == {"mark-esper", "jens-stoltenberg", "ashraf-ghani"}


def test_the_government_of_the_country_a_visitor_arrives_in_is_the_host(index: ActorIndex) -> None:
    visit = only(draft(index, "Taliban leaders arrived in the United States on Saturday."), "visit")
    assert visit["roles"] == {"visitor": ["taliban-leadership"], "host": ["united-states-government"]}


@pytest.mark.parametrize("sentence", [
    "The United States would pull 5,400 of its troops out of five bases.",
    "The deal would allow the United States to begin bringing home some of its troops.",
    "Trump said he wanted to bring the troops home.",
])
def test_pulling_troops_out_or_bringing_them_home_is_a_withdrawal(index: ActorIndex, sentence: str) -> None:
    assert events(draft(index, sentence), "withdrawal"), sentence


def test_pulling_a_bill_out_of_a_vote_is_no_withdrawal(index: ActorIndex) -> None:
    assert events(draft(index, "The senator pulled the bill out of the vote."), "withdrawal") == []


def test_travelling_with_someone_to_a_capital_is_a_visit_hosted_there(index: ActorIndex) -> None:
    visit = only(draft(index, "Zalmay Khalilzad travelled with him to Islamabad on Tuesday."), "visit")
    assert visit["roles"] == {"visitor": ["zalmay-khalilzad"], "host": ["pakistan-government"]}
    assert visit["time"]["value"] == date(2019, 12, 3)



def test_the_subject_before_a_relative_clause_acts_not_what_the_clause_names(index: ActorIndex) -> None:
    doc = draft(index, "Ashraf Ghani, who met the Taliban negotiators last year, visited Doha on Monday.")
    visit = only(doc, "visit")
    assert visit["roles"]["visitor"] == ["ashraf-ghani"]


@pytest.mark.parametrize("sentence", ["Ashraf Ghani freed 1,500 Taliban prisoners on Monday.",
                                      "Ashraf Ghani freed the last of 5,000 Taliban prisoners on Monday."])
def test_a_release_of_a_thousands_count_of_prisoners_is_found(index: ActorIndex, sentence: str) -> None:
    release = only(draft(index, sentence), "prisoner-release")
    assert release["roles"] == {"party": ["ashraf-ghani"]}
    assert release["time"]["value"] == date(2019, 12, 2)


@pytest.mark.parametrize("verb", ["acknowledged", "reiterated", "emphasised", "indicated", "conceded"])
def test_reporting_verbs_beyond_said_make_a_statement(index: ActorIndex, verb: str) -> None:
    statement = only(draft(index, f"Ashraf Ghani {verb} on Monday that the talks would take time."), "statement")
    assert statement["roles"] == {"speaker": ["ashraf-ghani"]}
    assert statement["time"]["value"] == date(2019, 12, 2)


def test_the_speaker_of_a_clause_after_and_is_its_own_subject(index: ActorIndex) -> None:
    doc = draft(index, "The US currently has nearly 13,000 troops and American officials have indicated "
                       "the number could be reduced.")
    assert only(doc, "statement")["roles"] == {"speaker": ["american-officials"]}


def test_a_coordinated_subject_still_speaks_first_named_first(index: ActorIndex) -> None:
    doc = draft(index, "Zalmay Khalilzad and Ashraf Ghani said on Monday that the talks would resume.")
    assert only(doc, "statement")["roles"] == {"speaker": ["zalmay-khalilzad"]}


@pytest.mark.parametrize("addressed", ["the delegates", "the Taliban"])
def test_what_he_adds_after_an_appeal_is_the_same_statement(index: ActorIndex, addressed: str) -> None:
    doc = draft(index, f"A loya jirga met in Kabul. In a statement on Monday, Mike Pompeo urged {addressed} to "
                       "approve the release. He acknowledged that the decision was unpopular.")
    statement = only(doc, "statement")
    addressee = {"the delegates": "loya-jirga-delegates", "the Taliban": "taliban"}[addressed]
    assert statement["roles"] == {"speaker": ["mike-pompeo"], "addressee": [addressee]}
    assert len(statement["evidence"]) == 2


@pytest.mark.parametrize(("sentence", "addressee"), [
    ("Abdullah Abdullah told the Taliban on Monday that talks must begin.", ["taliban"]),
    ("Abdullah Abdullah assured Zalmay Khalilzad on Monday that talks would begin.", ["zalmay-khalilzad"]),
    ("Abdullah Abdullah told Reuters on Monday that talks must begin.", None),
    ("Abdullah Abdullah told reporters on Monday that talks must begin.", None),
    ("Abdullah Abdullah said on Monday that the Taliban must begin talks.", None),
])
def test_whom_a_speaker_tells_is_the_statements_addressee(index: ActorIndex, sentence: str,
                                                          addressee: list[str] | None) -> None:
    statement = only(draft(index, sentence), "statement")
    assert statement["roles"]["speaker"] == ["abdullah-abdullah"]
    assert statement["roles"].get("addressee") == addressee


def test_they_in_what_a_group_said_is_the_group(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban said they would attend a conference in Moscow next week.")
    meeting = only(doc, "meeting")
    assert (meeting["status"], meeting["roles"]) == ("planned", {"participant": ["taliban"]})
    assert (meeting["time"]["earliest"], meeting["time"]["latest"]) == (date(2019, 12, 9), date(2019, 12, 15))


def test_they_in_what_a_person_said_is_left_unresolved(index: ActorIndex) -> None:
    assert events(draft(index, "Ashraf Ghani said they would attend a summit in Moscow next week."), "meeting") == []


def test_a_news_conference_is_no_meeting(index: ActorIndex) -> None:
    doc = draft(index, "Speaking at a news conference in Kabul on Monday, Ashraf Ghani said the talks would resume.")
    assert events(doc, "meeting") == []


@pytest.mark.parametrize(("sentence", "type_"), [
    ("Ashraf Ghani survived a bombing in Kabul on Monday.", "bombing"),
    ("Ashraf Ghani was wounded in an attack in Kabul on Monday.", "attack"),
])
def test_who_survives_or_is_wounded_in_an_attack_is_its_target(index: ActorIndex, sentence: str, type_: str) -> None:
    attack = only(draft(index, sentence), type_)
    assert attack["roles"] == {"target": ["ashraf-ghani"]}
    assert attack["time"]["value"] == date(2019, 12, 2)


def test_a_plan_with_two_verbs_is_two_planned_events_counted_from_the_deal(index: ActorIndex) -> None:
    doc = draft(index, "The United States and the Taliban signed an agreement in Doha on Saturday.\n\n"
                       "Under the agreement, Washington will reduce its forces to 8,600 within 135 days and pull out "
                       "all foreign forces within 14 months, on condition that the Taliban honour their pledges.",
                published=date(2020, 3, 2))
    cut = only(doc, "troop-level-change")
    assert (cut["status"], cut["roles"]) == ("planned", {"participant": ["us-forces-afghanistan"]})
    signed = date(2020, 2, 29)
    assert (cut["time"]["earliest"], cut["time"]["latest"]) == (signed, signed + timedelta(days=135))
    withdrawal = only(doc, "withdrawal")
    assert (withdrawal["status"], withdrawal["roles"]) == ("planned", {"participant": ["foreign-troops"]})


def test_the_subject_of_a_first_verb_without_event_acts_in_the_next(index: ActorIndex) -> None:
    release = only(draft(index, "The Taliban gathered 20 elders and released 30 prisoners on Monday."),
                   "prisoner-release")
    assert release["roles"] == {"party": ["taliban"]}


def test_troops_that_would_leave_are_a_planned_withdrawal_of_those_troops(index: ActorIndex) -> None:
    doc = draft(index, "Donald Trump said on Monday that the remaining American troops would leave by next June.")
    withdrawal = only(doc, "withdrawal")
    assert (withdrawal["status"], withdrawal["roles"]) == ("planned", {"participant": ["us-forces-afghanistan"]})


def test_a_bomb_that_struck_is_a_bombing_whose_victims_come_after(index: ActorIndex) -> None:
    doc = draft(index, "On Monday a truck bomb struck a compound in Kabul, which houses foreign groups, "
                       "killing at least 16 people.")
    bombing = only(doc, "bombing")
    assert bombing["roles"] == {"target": ["afghan-civilians"]}  # the people counted
    assert bombing["time"]["value"] == date(2019, 12, 2)
    assert events(doc, "attack") == []


@pytest.mark.parametrize("sentence", ["Ashraf Ghani thanked Qatar on Monday for hosting the talks.",
                                      "Ashraf Ghani described the talks on Monday as a test of goodwill.",
                                      "On Monday, Ashraf Ghani praised the negotiators.",
                                      "Ashraf Ghani praised the negotiators for their work in Doha on Monday."])
def test_thanking_describing_and_praising_are_statements(index: ActorIndex, sentence: str) -> None:
    statement = only(draft(index, sentence), "statement")
    assert statement["roles"] == {"speaker": ["ashraf-ghani"]}
    assert statement["time"]["value"] == date(2019, 12, 2)


def test_an_appeal_left_as_a_statement_keeps_whom_it_was_made_to(index: ActorIndex) -> None:
    doc = draft(index, "Mike Pompeo urged the Taliban on Monday to keep their promise to cut ties with al-Qaeda.")
    statement = only(doc, "statement")
    assert statement["roles"] == {"speaker": ["mike-pompeo"], "addressee": ["taliban"]}


def test_calling_for_a_ceasefire_is_a_demand_not_a_ceasefire(index: ActorIndex) -> None:
    doc = draft(index, "The Afghan government called for an immediate ceasefire on Monday.")
    assert only(doc, "demand")["roles"] == {"demander": ["afghan-government"]}
    assert only(doc, "ceasefire")["status"] == "proposed"


def test_a_toll_counts_what_the_verb_before_it_says(index: ActorIndex) -> None:
    doc = draft(index, "The attack killed at least 23 people and wounded 50 civilians.")
    tolls = {(q["value"], q["unit"]) for q in doc.get("quantities", [])}
    assert tolls == {(23, "people"), (50, "wounded")}


def test_an_approximation_opening_a_sentence_is_kept(index: ActorIndex) -> None:
    doc = draft(index, "Nearly 2,400 American soldiers have died in the war.")
    toll = only_quantity(doc)
    assert (toll["value"], toll["approximation"], toll["subject"]) == (2400, "nearly", "us-forces-afghanistan")


def test_a_quote_is_dated_by_the_words_after_its_attribution(index: ActorIndex) -> None:
    doc = draft(index, "“We are committed to the peace process,” Ashraf Ghani said at the opening ceremony "
                       "on Monday.")
    statement = only(doc, "statement")
    assert statement["quote"] == "We are committed to the peace process"
    assert statement["time"]["value"] == date(2019, 12, 2)


def test_a_deal_with_modifiers_signed_is_an_agreement(index: ActorIndex) -> None:
    agreement = only(draft(index, "Ashraf Ghani and Abdullah Abdullah signed a power-sharing deal on Sunday."),
                     "agreement")
    assert set(agreement["roles"]["party"]) == {"ashraf-ghani", "abdullah-abdullah"}
    assert (agreement["stage"], agreement["time"]["value"]) == ("signed", date(2019, 12, 1))


def test_receiving_someone_is_a_meeting_receiving_something_is_not(index: ActorIndex) -> None:
    meeting = only(draft(index, "Ashraf Ghani received Zalmay Khalilzad in Kabul on Monday."), "meeting")
    assert set(meeting["roles"]["participant"]) == {"ashraf-ghani", "zalmay-khalilzad"}
    assert events(draft(index, "Ashraf Ghani received a letter from Zalmay Khalilzad."), "meeting") == []


@pytest.mark.parametrize(("sentence", "type_", "roles"), [
    ("The Taliban overran the district headquarters in Kunduz on Sunday.", "attack", {"attacker": ["taliban"]}),
    ("The Taliban seized control of the city on Sunday.", "attack", {"attacker": ["taliban"]}),
    ("Afghan forces launched an offensive against the Taliban on Sunday.", "attack",
     {"attacker": ["afghan-security-forces"], "target": ["taliban"]}),
    ("US forces carried out strikes against the Taliban on Sunday.", "airstrike",
     {"attacker": ["us-forces-afghanistan"], "target": ["taliban"]}),
])
def test_taking_ground_offensives_and_strikes_are_fighting(index: ActorIndex, sentence: str, type_: str,
                                                            roles: dict) -> None:
    event = only(draft(index, sentence), type_)
    assert (event["roles"], event["time"]["value"]) == (roles, date(2019, 12, 1))


def test_seizing_weapons_is_no_attack(index: ActorIndex) -> None:
    assert events(draft(index, "The police seized weapons in a raid."), "attack") == []


def test_since_a_month_is_the_time_of_its_clause_not_a_clause_of_its_own(index: ActorIndex) -> None:
    series = only(draft(index, "The United States and the Taliban have held nine rounds of talks since October."),
                  "talks-series")
    assert (series["time"]["begin"], series["time"]["precision"]) == ("2019-10", "month")


def test_talks_that_opened_on_a_day_began_then_but_a_statement_is_a_point(index: ActorIndex) -> None:
    doc = draft(index, "A new round of talks between the United States and the Taliban opened in Doha on Monday. "
                       "Ashraf Ghani, who opened the gathering on Tuesday, told delegates the talks would be long.")
    assert only(doc, "talks-round")["time"]["begin"] == date(2019, 12, 2)
    assert only(doc, "statement")["time"]["value"] == date(2019, 12, 3)


@pytest.mark.parametrize("sentence", ["The Taliban pulled out of the talks on Monday.",
                                      "The Taliban withdrew from the peace process on Monday."])
def test_leaving_the_talks_is_a_cancellation_not_a_withdrawal_of_troops(index: ActorIndex, sentence: str) -> None:
    doc = draft(index, sentence)
    assert events(doc, "withdrawal") == []
    cancellation = only(doc, "cancellation")
    assert (cancellation["roles"], cancellation["time"]["value"]) == ({"canceller": ["taliban"]}, date(2019, 12, 2))


def test_flying_to_a_capital_is_a_visit_hosted_there(index: ActorIndex) -> None:
    visit = only(draft(index, "Zalmay Khalilzad flew to Islamabad on Monday."), "visit")
    assert visit["roles"] == {"visitor": ["zalmay-khalilzad"], "host": ["pakistan-government"]}
    assert visit["time"]["value"] == date(2019, 12, 2)


def test_a_truce_between_sides_has_them_as_parties(index: ActorIndex) -> None:
    doc = draft(index, "A week-long reduction in violence between the United States and the Taliban took effect "
                       "on Saturday.")
    truce = only(doc, "reduction-in-violence")
    assert set(truce["roles"]["party"]) == {"united-states-government", "taliban"}
    assert truce["time"]["begin"] == date(2019, 11, 30)


def test_after_x_said_the_subject_of_what_was_said_acts_in_the_next_verb(index: ActorIndex) -> None:
    doc = draft(index, "Mike Pompeo said the United States was prepared to sign the agreement.")
    agreement = only(doc, "agreement")
    assert (agreement["status"], agreement["roles"]) == ("planned", {"party": ["united-states-government"]})


def test_a_suggestion_is_a_proposal_of_the_event_it_names(index: ActorIndex) -> None:
    doc = draft(index, "Zalmay Khalilzad suggested a reduction in violence to the Taliban on Monday.")
    proposal = only(doc, "proposal")
    assert proposal["roles"] == {"proposer": ["zalmay-khalilzad"], "addressee": ["taliban"]}
    assert only(doc, "reduction-in-violence")["status"] == "proposed"
    assert events(doc, "statement") == []


def test_who_offers_to_do_something_would_do_it(index: ActorIndex) -> None:
    doc = draft(index, "Ashraf Ghani offered on Monday to release 1,500 prisoners.")
    release = only(doc, "commitment")  # a release still to come
    assert (release["status"], release["roles"]) == ("proposed", {"party": ["ashraf-ghani"]})


def test_claiming_an_attack_is_a_claim_of_responsibility_and_the_attack(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban claimed the attack on Monday.")
    assert only(doc, "claim-of-responsibility")["roles"] == {"speaker": ["taliban"]}
    attack = only(doc, "attack")
    assert (attack["roles"], attack["time"]["value"]) == ({"attacker": ["taliban"]}, date(2019, 12, 2))
    noun = draft(index, "The Islamic State group's claim of the bombing came a day later.")
    assert only(noun, "claim-of-responsibility")["roles"] == {"speaker": ["islamic-state"]}
    # "claimed" as a verb of saying: what follows the attacks is a clause of its own
    said = draft(index, "Afghan officials claimed the attacks had dropped by half.")
    assert events(said, "claim-of-responsibility") == [] and events(said, "attack") == []


def test_an_undated_claim_answers_the_dated_attack_before_it_and_is_not_an_attack_itself(index: ActorIndex) -> None:
    body = "On November 20 gunmen attacked a wedding in Kabul, killing 20 people. The Islamic State group claimed the attack."
    doc = draft(index, body)
    attack, claim = only(doc, "attack"), only(doc, "claim-of-responsibility")
    assert attack["time"]["value"] == date(2019, 11, 20) and claim["responds_to"] == attack["id"]
    # from the attack to publication (annotation guidelines, "Inherited dates")
    assert claim["time"] == {"earliest": date(2019, 11, 20), "latest": WEDNESDAY, "precision": "day",
                             "anchor": WEDNESDAY}


def test_an_undated_response_is_no_earlier_than_what_it_answers(index: ActorIndex) -> None:
    doc = draft(index, "On November 10, Ashraf Ghani proposed a ceasefire to the Taliban. The Taliban rejected the proposal.")
    rejection = only(doc, "rejection")
    assert rejection["responds_to"] == only(doc, "proposal")["id"]
    assert (rejection["time"]["earliest"], rejection["time"]["latest"]) == (date(2019, 11, 10), WEDNESDAY)


def test_turning_down_an_appeal_by_someone_answers_their_proposal(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban had turned down an appeal by Ashraf Ghani for a ceasefire.")
    rejection, proposal = only(doc, "rejection"), only(doc, "proposal")
    assert rejection["roles"] == {"responder": ["taliban"]}  # "by Ghani" is the appeal's, not the verb's agent
    assert proposal["roles"] == {"proposer": ["ashraf-ghani"], "addressee": ["taliban"]}
    assert rejection["responds_to"] == proposal["id"]
    assert proposal["proposed_action"] == only(doc, "ceasefire")["id"]
    # after a passive verb, "by" still names who acts
    passive = draft(index, "The offer was turned down by the Taliban on Monday.")
    assert only(passive, "statement")["roles"] == {"speaker": ["taliban"]}


def test_an_armed_groups_demand_is_made_of_the_side_that_can_grant_it(index: ActorIndex) -> None:
    freed = draft(index, "The Taliban insist that all 5,000 of their men be freed before the talks can start.")
    assert only(freed, "demand")["roles"] == {"demander": ["taliban"], "addressee": ["afghan-government"]}
    gone = draft(index, "The Taliban have long demanded a full withdrawal of foreign forces.")
    assert only(gone, "demand")["roles"] == {"demander": ["taliban"], "addressee": ["united-states-government"]}
    # a demand that names neither, or a government's, keeps the text's roles
    seat = draft(index, "The Taliban demanded a seat at the table.")
    assert only(seat, "demand")["roles"] == {"demander": ["taliban"]}
    soldiers = draft(index, "Ashraf Ghani demanded the release of the soldiers.")
    assert only(soldiers, "demand")["roles"] == {"demander": ["ashraf-ghani"]}


def test_what_an_armed_group_demands_of_a_side_that_side_would_do(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban demanded the release of 5,000 prisoners before any talks.")
    demand = only(doc, "demand")
    release = next(e for e in doc["events"] if e["id"] == demand["demanded_action"])
    assert release["roles"] == {"party": ["afghan-government"]}  # not the Taliban, who asked


def test_rejecting_an_actors_demand_names_the_demand_and_answers_it(index: ActorIndex) -> None:
    doc = draft(index, "Ashraf Ghani on Monday rejected the Taliban's demand for the release of 5,000 prisoners.")
    demand, rejection = only(doc, "demand"), only(doc, "rejection")
    assert demand["roles"] == {"demander": ["taliban"], "addressee": ["ashraf-ghani"]}  # who answers it
    assert (rejection["roles"], rejection["responds_to"]) == ({"responder": ["ashraf-ghani"]}, demand["id"])
    assert demand["time"] == {"latest": date(2019, 12, 2), "precision": "day", "anchor": WEDNESDAY}
    release = only(doc, "commitment")  # the one asked would release them
    assert (release["status"], release["roles"]) == ("proposed", {"party": ["ashraf-ghani"]})
    assert demand["demanded_action"] == release["id"]


def test_accepting_an_offer_of_talks_names_both_sides_of_the_talks(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban accepted Ashraf Ghani's offer of talks.")
    proposal = only(doc, "proposal")
    assert proposal["roles"] == {"proposer": ["ashraf-ghani"], "addressee": ["taliban"]}
    assert only(doc, "acceptance")["responds_to"] == proposal["id"]
    talks = only(doc, "negotiation")
    assert proposal["proposed_action"] == talks["id"]
    assert set(talks["roles"]["party"]) == {"ashraf-ghani", "taliban"}


def test_who_acts_in_a_clause_did_not_carry_out_the_attack_it_refers_to(index: ActorIndex) -> None:
    doc = draft(index, "The Pentagon identified the American killed in Thursday's attack as a sergeant.")
    assert events(doc, "attack") == []
    after = only(draft(index, "Donald Trump called off the talks after a Taliban attack in Kabul on Monday."), "attack")
    assert after["roles"] == {"attacker": ["taliban"]}
    killed = only(draft(index, "The Taliban killed 12 soldiers in an attack on a checkpoint on Monday."), "attack")
    assert killed["roles"] == {"attacker": ["taliban"]}


def test_a_governments_talks_with_no_one_named_are_with_the_armed_group_of_the_story(index: ActorIndex) -> None:
    story = "The Taliban attacked a base on Monday. The Afghan government held talks in Doha on Tuesday."
    talks = only(draft(index, story), "negotiation")
    assert talks["roles"] == {"party": ["afghan-government", "taliban"]}
    # a story that names no armed group leaves the talks one-sided
    alone = only(draft(index, "The Afghan government held talks in Doha on Tuesday."), "negotiation")
    assert alone["roles"] == {"party": ["afghan-government"]}


def test_an_order_to_forces_is_an_announcement_of_what_they_are_to_do(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban on Monday ordered their fighters to observe a three-day ceasefire.")
    announcement, truce = only(doc, "announcement"), only(doc, "ceasefire")
    assert (announcement["roles"], announcement["time"]["value"]) == ({"announcer": ["taliban"]}, date(2019, 12, 2))
    assert (truce["status"], truce["roles"]) == ("planned", {"party": ["taliban"]})
    held = only(draft(index, "Ashraf Ghani ordered Afghan forces to hold their fire."), "ceasefire")
    assert (held["status"], held["roles"]) == ("planned", {"party": ["afghan-security-forces"]})
    assert events(draft(index, "A court in Kabul ordered a retrial on Monday."), "announcement") == []


def test_a_suicide_bomber_makes_an_attack_a_bombing(index: ActorIndex) -> None:
    doc = draft(index, "A Taliban suicide bomber struck a checkpoint in Kunduz on Monday.")
    assert only(doc, "bombing")["roles"] == {"attacker": ["taliban"]} and events(doc, "attack") == []


@pytest.mark.parametrize("sentence", ["Mike Pompeo spoke to Ashraf Ghani by telephone on Monday.",
                                      "Mike Pompeo held a phone call with Ashraf Ghani on Monday."])
def test_speaking_by_telephone_is_a_phone_call(index: ActorIndex, sentence: str) -> None:
    call = only(draft(index, sentence), "phone-call")
    assert call["roles"] == {"participant": ["mike-pompeo", "ashraf-ghani"]}
    assert call["time"]["value"] == date(2019, 12, 2)


def test_freeing_hostages_is_a_release_of_the_people_named(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban freed two hostages, the American Kevin King and the Australian Timothy Weeks, "
                       "on Monday.")
    release = only(doc, "prisoner-release")
    assert release["roles"] == {"party": ["taliban"], "participant": ["kevin-king", "timothy-weeks"]}
    assert release["time"]["value"] == date(2019, 12, 2)
    # who is freed as a group is no participant
    prisoners = only(draft(index, "The Afghan government released 400 Taliban prisoners on Monday."),
                     "prisoner-release")
    assert prisoners["roles"] == {"party": ["afghan-government"]}


def test_both_men_are_the_last_two_people_named_before_the_sentence(index: ActorIndex) -> None:
    story = "Ashraf Ghani and Abdullah Abdullah signed a deal.\n\nMike Pompeo spoke to both men by telephone on Monday."
    call = only(draft(index, story), "phone-call")
    assert call["roles"] == {"participant": ["mike-pompeo", "ashraf-ghani", "abdullah-abdullah"]}
    alone = only(draft(index, "Mike Pompeo spoke to both men by telephone on Monday."), "phone-call")
    assert alone["roles"] == {"participant": ["mike-pompeo"]}  # nobody named before: no pair


def test_calling_something_a_name_is_a_statement(index: ActorIndex) -> None:
    doc = draft(index, "Ashraf Ghani called it a “historic day” on Monday.")
    statement = only(doc, "statement")
    assert statement["roles"] == {"speaker": ["ashraf-ghani"]} and statement["quote"] == "historic day"
    assert events(draft(index, "Donald Trump called off the talks on Monday."), "statement") == []


def test_resuming_operations_against_a_side_is_an_attack(index: ActorIndex) -> None:
    doc = draft(index, "Ashraf Ghani ordered Afghan forces to resume operations against the Taliban.")
    attack = only(doc, "attack")
    assert attack["status"] == "planned"
    assert attack["roles"] == {"attacker": ["afghan-security-forces"], "target": ["taliban"]}
    assert events(doc, "resumption") == []
    talks = draft(index, "The United States and the Taliban resumed talks on Monday.")
    assert len(events(talks, "resumption")) == 1 and events(talks, "attack") == []


DEAL = "The United States and the Taliban signed an agreement in Doha on February 29, 2020.\n\n"


def test_a_deal_that_provides_for_something_commits_its_parties_to_it(index: ActorIndex) -> None:
    doc = draft(index, DEAL + "The agreement provides for the release of up to 5,000 Taliban prisoners.",
                published=date(2020, 5, 18))
    deal, term = only(doc, "agreement"), only(doc, "commitment")
    assert term["status"] == "planned" and term["part_of"] == deal["id"]
    assert term["roles"] == {"party": ["united-states-government", "taliban"]}
    assert (term["time"]["earliest"], term["time"]["precision"]) == (date(2020, 2, 29), "day")
    assert events(doc, "prisoner-release") == []  # the release is the term itself
    # no deal, no term
    plan = draft(index, "The plan provides for the release of up to 5,000 Taliban prisoners.", published=date(2020, 5, 18))
    assert events(plan, "commitment") == []


def test_a_pledge_under_a_deal_is_part_of_it_and_made_to_its_other_party(index: ActorIndex) -> None:
    doc = draft(index, DEAL + "Under the agreement, the United States undertook to pull out its forces within "
                              "14 months.", published=date(2021, 4, 21))
    deal, pledge = only(doc, "agreement"), only(doc, "commitment")
    assert pledge["roles"] == {"party": ["united-states-government"], "addressee": ["taliban"]}
    assert pledge["part_of"] == deal["id"] and pledge["time"]["value"] == date(2020, 2, 29)
    assert events(draft(index, "The United States undertook a review of the deal on Monday."), "commitment") == []


def test_x_and_his_rival_y_are_both_the_subject(index: ActorIndex) -> None:
    doc = draft(index, "President Ashraf Ghani and his rival Abdullah Abdullah signed a power-sharing agreement "
                       "on Sunday.", published=date(2020, 5, 18))
    assert set(only(doc, "agreement")["roles"]["party"]) == {"ashraf-ghani", "abdullah-abdullah"}


def test_what_is_said_at_the_signing_is_dated_by_the_signing(index: ActorIndex) -> None:
    story = ("Ashraf Ghani and Abdullah Abdullah signed an agreement on Sunday.\n\n"
             "In remarks at the ceremony, Mike Pompeo urged the Taliban to keep their promise.")
    remarks = only(draft(index, story, published=date(2020, 5, 18)), "statement")
    assert (remarks["time"]["value"], remarks["time"]["precision"]) == (date(2020, 5, 17), "day")
    # with no signing named before it, the remark keeps its window
    alone = only(draft(index, "In remarks at the ceremony, Mike Pompeo urged the Taliban to keep their promise.",
                       published=date(2020, 5, 18)), "statement")
    assert "value" not in alone["time"]


def test_a_truce_of_some_days_from_a_first_day_ends_that_many_days_later(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban observed a three-day ceasefire that began on Sunday.",
                published=date(2020, 5, 24))
    truce = only(doc, "ceasefire")
    assert (truce["time"]["begin"], truce["time"]["end"]) == (date(2020, 5, 24), date(2020, 5, 26))


def test_talks_of_some_days_that_ended_on_a_day_began_that_many_days_before(index: ActorIndex) -> None:
    doc = draft(index, "Taliban envoys and Afghan opposition politicians ended two days of talks in Moscow on Wednesday.",
                published=date(2019, 2, 7))
    talks = only(doc, "talks-round")  # Wednesday 6 February, the day before publication
    assert (talks["time"]["begin"], talks["time"]["end"]) == (date(2019, 2, 5), date(2019, 2, 6))


def test_people_killed_in_an_attack_without_a_side_are_civilians(index: ActorIndex) -> None:
    doc = draft(index, "Gunmen attacked a hospital in Kabul on Tuesday, killing 24 people.", published=date(2020, 5, 14))
    assert only(doc, "attack")["roles"] == {"target": ["afghan-civilians"]}


def test_a_governments_ceasefire_is_held_towards_the_armed_group_a_lasting_one_binds_both(index: ActorIndex) -> None:
    own = draft(index, "The Taliban welcomed the offer.\n\nAshraf Ghani ordered Afghan forces to observe a ceasefire "
                       "on Sunday.", published=date(2020, 5, 24))
    assert only(own, "ceasefire")["roles"] == {"party": ["afghan-government"], "addressee": ["taliban"]}
    lasting = draft(index, "The jirga demanded that the Taliban agree to an immediate and lasting ceasefire.",
                    published=date(2020, 8, 9))
    assert only(lasting, "ceasefire")["roles"] == {"party": ["taliban", "afghan-government"]}
    truce = draft(index, "The Taliban observed a ceasefire that began on Saturday.", published=date(2020, 5, 24))
    assert only(truce, "ceasefire")["roles"] == {"party": ["taliban"]}  # the group's own truce is its own


def test_every_actor_of_a_coordinated_list_is_in_the_subject(index: ActorIndex) -> None:
    doc = draft(index, "Turkey, Qatar and the United Nations met in Istanbul on Monday.", published=date(2021, 4, 21))
    assert set(only(doc, "meeting")["roles"]["participant"]) == {"turkish-government", "qatar-government",
                                                                  "united-nations"}


def test_what_is_announced_is_an_event_and_a_release_to_come_is_a_commitment(index: ActorIndex) -> None:
    doc = draft(index, "Ashraf Ghani announced on Sunday that the government would release up to 2,000 Taliban "
                       "prisoners.", published=date(2020, 5, 24))
    assert only(doc, "announcement")["roles"] == {"announcer": ["ashraf-ghani"]}
    release = only(doc, "commitment")  # planned, so the government's commitment, not a release
    assert (release["status"], release["roles"]) == ("planned", {"party": ["afghan-government"]})
    assert release["time"]["earliest"] == date(2020, 5, 24) and "value" not in release["time"]
    assert events(doc, "prisoner-release") == []
    done = draft(index, "The Afghan government released 400 Taliban prisoners on Monday.")
    assert len(events(done, "prisoner-release")) == 1 and events(done, "commitment") == []


def test_a_deals_term_due_by_a_day_runs_from_the_deal_to_that_day(index: ActorIndex) -> None:
    doc = draft(index, DEAL + "The deal also provides for the release of up to 5,000 prisoners by March 10.",
                published=date(2020, 3, 24))
    term = only(doc, "commitment")
    assert (term["time"]["earliest"], term["time"]["latest"]) == (date(2020, 2, 29), date(2020, 3, 10))


def test_a_city_one_deals_with_is_its_government(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban signed an agreement with Washington last month.", published=date(2020, 3, 24))
    assert only(doc, "agreement")["roles"]["party"] == ["taliban", "united-states-government"]
    meeting = draft(index, "Mike Pompeo met Ashraf Ghani in Washington on Monday.", published=date(2020, 3, 24))
    assert only(meeting, "meeting")["roles"] == {"participant": ["mike-pompeo", "ashraf-ghani"]}  # a place


@pytest.mark.parametrize(("sentence", "type_", "roles"), [
    ("Mike Pompeo flew into Kabul on Monday.", "visit", {"visitor": ["mike-pompeo"], "host": ["afghan-government"]}),
    ("The Afghan government named a negotiating team on Monday.", "announcement",
     {"announcer": ["afghan-government"]}),
])
def test_flying_into_a_city_is_a_visit_and_naming_a_team_an_announcement(index: ActorIndex, sentence: str,
                                                                          type_: str, roles: dict) -> None:
    assert only(draft(index, sentence), type_)["roles"] == roles


def test_dismissing_or_turning_down_an_offer_rejects_it(index: ActorIndex) -> None:
    for answer in ("The Taliban dismissed the offer.", "The Taliban turned the offer down."):
        doc = draft(index, "Ashraf Ghani offered to release 1,500 Taliban prisoners on Monday. " + answer)
        rejection = only(doc, "rejection")
        assert rejection["roles"] == {"responder": ["taliban"]} and rejection["responds_to"]
    assert events(draft(index, "A man named Ahmad Shah met Ashraf Ghani on Monday."), "announcement") == []


def test_an_agreement_a_relative_clause_says_was_signed_happened_whatever_the_main_clause_plans(
        index: ActorIndex) -> None:
    doc = draft(index, "The release was due to start under the agreement the Taliban signed with the United States.",
                published=date(2020, 4, 8))
    assert only(doc, "agreement")["status"] == "occurred"


def test_a_when_clause_happens_on_the_day_its_main_clause_names(index: ActorIndex) -> None:
    doc = draft(index, "On March 6 Abdullah Abdullah escaped unhurt when gunmen attacked a ceremony in Kabul, "
                       "killing 32 people.",
                published=date(2020, 3, 24))
    assert only(doc, "attack")["time"]["value"] == date(2020, 3, 6)


def test_he_is_the_subject_of_the_sentence_before_when_it_names_no_event(index: ActorIndex) -> None:
    doc = draft(index, "Zalmay Khalilzad said on Sunday that talks had begun.\n\nOn Tuesday, Ashraf Ghani sought to "
                       "calm Afghans. He said Washington had made the aid conditional.", published=date(2020, 3, 24))
    assert [e["roles"]["speaker"] for e in events(doc, "statement")] == [["zalmay-khalilzad"], ["ashraf-ghani"]]


def test_insisting_on_something_before_talks_can_start_sets_it_as_a_condition(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban insist that all 5,000 of their men be freed before the talks can start.",
                published=date(2020, 5, 24))
    (precondition,) = doc["preconditions"]
    assert precondition["set_by"] == "taliban"
    assert [c["label"] for c in doc["conditions"]] == ["All 5,000 of their men be freed"]


def test_mentions_of_one_signed_deal_are_one_agreement(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban signed an agreement with Washington last month. The release was due to start "
                       "under the deal the United States and the Taliban signed in Doha on February 29.",
                published=date(2020, 3, 24))
    deal = only(doc, "agreement")
    assert len(deal["evidence"]) == 2 and set(deal["roles"]["party"]) == {"taliban", "united-states-government"}
    assert (deal["time"]["value"], deal["time"]["precision"]) == (date(2020, 2, 29), "day")  # the better dated


@pytest.mark.parametrize("sentence", ["The Taliban on Monday freed two Western professors.",
                                      "The Taliban released 20 members of the Afghan security forces on Monday."])
def test_freeing_people_other_than_prisoners_is_a_release(index: ActorIndex, sentence: str) -> None:
    release = only(draft(index, sentence), "prisoner-release")
    assert release["roles"]["party"] == ["taliban"] and release["status"] == "occurred"
    assert events(draft(index, "The Taliban released a statement on Monday."), "prisoner-release") == []


def test_talks_that_can_start_once_something_is_done_are_an_event(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban insist that their men be freed before talks with Kabul can start.",
                published=date(2020, 3, 24))
    talks = only(doc, "negotiation")
    assert set(talks["roles"]["party"]) == {"afghan-government", "taliban"} and talks["status"] != "occurred"
    assert events(draft(index, "The talks were long.", published=date(2020, 3, 24)), "negotiation") == []


def test_days_of_talks_are_a_round_of_talks(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban ended six days of talks with Zalmay Khalilzad in Doha on January 26.",
                published=date(2019, 2, 7))
    assert only(doc, "talks-round")["roles"]["party"] == ["taliban", "zalmay-khalilzad"]
    assert events(doc, "negotiation") == []


def test_a_time_owned_by_a_noun_dates_that_noun_only(index: ActorIndex) -> None:
    doc = draft(index, "Ashraf Ghani and Abdullah Abdullah signed a power-sharing deal that ended their "
                       "dispute over last year's election.", published=date(2020, 5, 24))
    assert only(doc, "agreement")["time"] == {"latest": date(2020, 5, 24), "precision": "day",
                                              "anchor": date(2020, 5, 24)}
    bombing = only(draft(index, "Thursday's car bombing in Kabul killed 12 people.", published=date(2019, 9, 8)),
                   "bombing")
    assert bombing["time"]["value"] == date(2019, 9, 5)


@pytest.mark.parametrize(("sentence", "first_day", "last_day"), [
    ("The Taliban ended six days of talks with Zalmay Khalilzad in Doha on January 26.", date(2019, 1, 21),
     date(2019, 1, 26)),
    ("Taliban and government negotiators wrapped up three days of talks in Doha on Friday.", date(2019, 2, 6),
     date(2019, 2, 8)),
])
def test_the_day_days_of_talks_ended_on_is_their_last(index: ActorIndex, sentence: str, first_day: date,
                                                       last_day: date) -> None:
    talks = only(draft(index, sentence, published=date(2019, 2, 10)), "talks-round")
    assert (talks["time"]["begin"], talks["time"]["end"]) == (first_day, last_day)
    assert "value" not in talks["time"]


def test_a_clause_that_only_says_when_talks_ended_dates_them(index: ActorIndex) -> None:
    body = ("The Taliban and the United States held talks in Doha. "
            "The round of talks ran for six days and ended on Saturday.")
    talks = only(draft(index, body, published=date(2019, 1, 28)), "talks-round")
    assert (talks["time"]["begin"], talks["time"]["end"]) == (date(2019, 1, 21), date(2019, 1, 26))
    other = draft(index, "The Taliban and US negotiators met for three days and then began a new round on Monday.",
                  published=date(2019, 1, 28))
    assert "text" not in only(other, "meeting")["time"], "a clause with an act of its own dates that act"


def test_what_is_dated_after_the_publication_day_is_planned(index: ActorIndex) -> None:
    doc = draft(index, "Zalmay Khalilzad said the two sides had agreed that negotiations among Afghans would "
                       "open on September 23.", published=date(2019, 9, 8))
    talks = only(doc, "negotiation")
    assert (talks["status"], talks["time"]["value"]) == ("planned", date(2019, 9, 23))
    assert talks["label"].startswith("Negotiation (planned)")
    held = draft(index, "Zalmay Khalilzad said negotiations among Afghans opened on September 3.",
                 published=date(2019, 9, 8))
    assert only(held, "negotiation")["status"] == "occurred"


def test_what_a_speaker_did_before_after_which_he_said_stays_an_event(index: ActorIndex) -> None:
    body = ("Mike Pompeo named him in September. US envoy Zalmay Khalilzad first met Taliban officials in Doha "
            "on October 12, after which he said in Kabul that a deal was possible.")
    doc = draft(index, body, published=date(2018, 12, 19))
    meeting = only(doc, "meeting")
    assert set(meeting["roles"]["participant"]) == {"zalmay-khalilzad", "taliban-officials"}
    assert meeting["time"]["value"] == date(2018, 10, 12)
    assert only(doc, "statement")["roles"] == {"speaker": ["zalmay-khalilzad"]}, "he: the person named before"


def test_a_subject_goes_on_to_hold_talks_with_them(index: ActorIndex) -> None:
    doc = draft(index, "Zalmay Khalilzad met Taliban officials in Doha on October 12 and held three days of "
                       "talks with them there last month.", published=date(2018, 12, 19))
    assert only(doc, "meeting")["time"]["value"] == date(2018, 10, 12)
    talks = only(doc, "talks-round")
    assert set(talks["roles"]["party"]) == {"zalmay-khalilzad", "taliban-officials"}
    assert (talks["time"]["value"], talks["time"]["precision"]) == ("2018-11", "month")


def test_he_and_someone_named_after_him_both_take_part(index: ActorIndex) -> None:
    doc = draft(index, "Abdullah Abdullah, chairman of the council, said after he and President Ashraf Ghani met "
                       "Joe Biden at the White House last month that Kabul should keep talking.",
                published=date(2021, 7, 5))
    meeting = only(doc, "meeting")
    assert meeting["roles"]["participant"] == ["abdullah-abdullah", "ashraf-ghani", "joe-biden"]
    assert (meeting["time"]["value"], meeting["time"]["precision"]) == ("2021-06", "month")


@pytest.mark.parametrize("occasion", ["At that meeting", "At the summit"])
def test_what_was_said_at_that_meeting_was_said_when_it_met(index: ActorIndex, occasion: str) -> None:
    doc = draft(index, f"Ashraf Ghani met Joe Biden at the White House last month. {occasion} Biden said: Afghans "
                       "are going to have to decide their future.", published=date(2021, 7, 5))
    statement = only(doc, "statement")
    assert (statement["time"]["value"], statement["time"]["precision"]) == ("2021-06", "month")


def test_a_deadline_announced_on_a_day_runs_from_that_day(index: ActorIndex) -> None:
    doc = draft(index, "In a televised address on April 14, President Joe Biden said the remaining US troops, then "
                       "about 2,500, would be gone by September 11, the 20th anniversary of the al-Qaeda attacks.",
                published=date(2021, 7, 5))
    assert only(doc, "announcement")["roles"] == {"announcer": ["joe-biden"]}
    withdrawal = only(doc, "withdrawal")
    assert withdrawal["roles"] == {"participant": ["us-forces-afghanistan"]}, "the date's apposition names no one"
    assert (withdrawal["time"]["earliest"], withdrawal["time"]["latest"]) == (date(2021, 4, 14), date(2021, 9, 11))


@pytest.mark.parametrize("sentence", ["Taliban fighters clashed with Afghan forces in Kunduz on Sunday.",
                                      "Clashes between the Taliban and Afghan forces killed 12 people on Sunday."])
def test_a_clash_is_fighting_between_its_two_sides(index: ActorIndex, sentence: str) -> None:
    clash = only(draft(index, sentence, published=date(2021, 7, 5)), "attack")
    assert clash["roles"]["attacker"] == ["taliban"] and clash["roles"]["target"][:1] == ["afghan-security-forces"]
    assert clash["time"]["value"] == date(2021, 7, 4)


def test_the_other_half_of_a_swap_happens_the_same_day(index: ActorIndex) -> None:
    body = ("The Taliban on Tuesday freed two Western professors, the American Kevin King and the Australian "
            "Timothy Weeks. {} the Afghan government released three Taliban prisoners, among them Anas Haqqani.")
    swapped = events(draft(index, body.format("In return,"), published=date(2019, 11, 20)), "prisoner-release")
    assert [e["time"].get("value") for e in swapped] == [date(2019, 11, 19)] * 2
    later = events(draft(index, body.format("Later,"), published=date(2019, 11, 20)), "prisoner-release")
    assert later[1]["time"].get("value") is None


def test_what_someone_expects_others_to_do_has_not_happened(index: ActorIndex) -> None:
    doc = draft(index, "Mike Pompeo said he expected Ashraf Ghani and Abdullah Abdullah to remove the obstacles "
                       "to the talks, starting with the release of prisoners.", published=date(2020, 5, 24))
    assert all(e["status"] != "occurred" for e in doc["events"] if e["type"] != "statement")
    assert events(doc, "prisoner-release") == []


def test_sides_expected_to_meet_again_hold_the_next_round(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban and the United States ended six days of talks in Doha on Saturday. The two sides "
                       "are expected to meet again in Doha on February 25, two senior Taliban sources said.",
                published=date(2019, 1, 28))
    planned = [e for e in events(doc, "talks-round") if e["status"] == "planned"]
    assert len(planned) == 1 and events(doc, "meeting") == []
    assert set(planned[0]["roles"]["party"]) == {"taliban", "united-states-government"}, "not the sources"
    assert planned[0]["time"]["value"] == date(2019, 2, 25)
    assert planned[0]["according_to"] == ["taliban-source"]


def test_what_an_event_told_before_followed_is_the_news(index: ActorIndex) -> None:
    doc = draft(index, "The US resumed talks with the Taliban. The resumption followed a surprise visit to Bagram by "
                       "Donald Trump on November 28.", published=date(2019, 12, 13))
    assert len(events(doc, "resumption")) == 1
    visit = only(doc, "visit")
    assert visit["roles"]["visitor"] == ["donald-trump"] and visit["time"]["value"] == date(2019, 11, 28)


def test_an_act_told_after_what_lasted_came_at_its_end(index: ActorIndex) -> None:
    doc = draft(index, "President Ashraf Ghani appealed to the Taliban to prolong the truce. The Taliban observed "
                       "their own truce from June 15 to June 17, and turned down the president's appeal to prolong it.",
                published=date(2018, 7, 1))
    truce = next(e for e in events(doc, "ceasefire") if e["status"] == "occurred")
    assert (truce["time"]["begin"], truce["time"]["end"]) == (date(2018, 6, 15), date(2018, 6, 17))
    rejection = only(doc, "rejection")
    assert rejection["time"]["value"] == date(2018, 6, 17) and "begin" not in rejection["time"]


def test_days_of_talks_held_on_a_day_keep_that_day(index: ActorIndex) -> None:
    talks = only(draft(index, "Taliban and US negotiators held three days of talks in Doha on Friday.",
                       published=date(2019, 2, 10)), "talks-round")
    assert talks["time"]["value"] == date(2019, 2, 8)


def test_who_calls_something_a_quoted_name_said_the_quote(index: ActorIndex) -> None:
    doc = draft(index, "Hamid Karzai attended. Karzai called the discussions “very satisfactory.”",
                published=date(2019, 2, 7))
    statement = only(doc, "statement")
    assert statement["roles"]["speaker"] == ["hamid-karzai"] and statement["quote"] == "very satisfactory."


def test_who_stands_at_the_speakers_side_is_not_the_speaker(index: ActorIndex) -> None:
    doc = draft(index, "With Hamid Karzai at his side, Zalmay Khalilzad told reporters on Wednesday that the "
                       "meeting had been “very successful.”", published=date(2019, 2, 7))
    assert only(doc, "statement")["roles"]["speaker"] == ["zalmay-khalilzad"]


@pytest.mark.parametrize(("sentence", "status"), [
    ("US officials said on Friday that all American troops had left Bagram.", "occurred"),
    ("Joe Biden said the remaining US troops would be gone by September 11.", "planned"),
])
def test_troops_that_left_or_will_be_gone_are_a_withdrawal(index: ActorIndex, sentence: str, status: str) -> None:
    withdrawal = only(draft(index, sentence, published=date(2021, 7, 5)), "withdrawal")
    assert withdrawal["status"] == status and withdrawal["roles"]["participant"] == ["us-forces-afghanistan"]


@pytest.mark.parametrize(("sentence", "type_", "role", "actor"), [
    ("The Americans pushed for a six-month ceasefire on Monday.", "demand", "demander", "united-states-government"),
    ("Washington was insisting on a ceasefire on Monday.", "demand", "demander", "united-states-government"),
    ("Ashraf Ghani unveiled a negotiating team on Monday.", "announcement", "announcer", "ashraf-ghani"),
])
def test_pushing_for_or_insisting_on_is_a_demand_and_unveiling_an_announcement(
        index: ActorIndex, sentence: str, type_: str, role: str, actor: str) -> None:
    assert only(draft(index, sentence), type_)["roles"][role] == [actor]


def test_resisting_a_proposed_truce_rejects_it(index: ActorIndex) -> None:
    doc = draft(index, "Zalmay Khalilzad proposed a ceasefire on Monday. The Taliban were resisting the truce.")
    rejection = only(doc, "rejection")
    assert rejection["roles"] == {"responder": ["taliban"]} and rejection["responds_to"] == only(doc, "proposal")["id"]


def test_a_trigger_takes_the_date_right_after_it_over_a_nearer_start(index: ActorIndex) -> None:
    doc = draft(index, "Biden set aside the May 1 deadline of the agreement Washington signed with the Taliban in "
                       "February 2020.", published=date(2021, 7, 5))
    deal = only(doc, "agreement")
    assert (str(deal["time"]["value"]), deal["time"]["precision"]) == ("2020-02", "month")


def test_a_datelines_date_and_outlet_are_the_reports_not_an_events(index: ActorIndex) -> None:
    body = "KABUL, Dec 4 (Zabul Journal) – Taliban fighters attacked a checkpoint in Kunduz."
    doc = draft(index, body, WEDNESDAY + timedelta(days=1))
    attack = only(doc, "attack")
    assert attack["roles"]["attacker"] == ["taliban"]
    assert attack["time"].get("value") is None, "the filing date is not the day of the attack"
    assert attack["time"]["latest"] == WEDNESDAY + timedelta(days=1)
    assert "zabul-journal" not in str(doc)


def test_the_ledes_unnamed_official_is_the_person_named_next_with_that_title(index: ActorIndex) -> None:
    lede = "KABUL – The Afghan general who now runs the base said on Monday that the troops had left."
    body = lede + " The Americans left at night, according to General Mir Asadullah Kohistani, the new commander."
    statement = only(draft(index, body), "statement")
    assert statement["roles"]["speaker"] == ["mir-asadullah-kohistani"]
    # past the lede, a description without an antecedent stays unresolved
    later = ("KABUL – The troops left. The Afghan general who runs the base said they had gone. "
             + body[len(lede) + 1:])
    assert events(draft(index, later), "statement") == []


@pytest.mark.parametrize(("body", "announcer"), [
    ("Washington said it would support peace talks led by the Afghan government.", "united-states-government"),
    ("President Joe Biden said on Wednesday that the remaining American troops would leave Afghanistan by "
     "September 11.", "joe-biden"),
    ("President Ashraf Ghani said in a televised address to the nation that the government would extend "
     "its own ceasefire.", "ashraf-ghani"),
    ("KABUL – Officials said the government would free 100 prisoners who were sick.", "kabul-officials"),
])
def test_a_speaker_telling_what_its_own_side_will_do_announces_it(index: ActorIndex, body: str, announcer: str) -> None:
    doc = draft(index, body)
    assert only(doc, "announcement")["roles"] == {"announcer": [announcer]}
    assert events(doc, "statement") == []


@pytest.mark.parametrize("body", [
    "The Taliban said they would not attend the peace talks.",  # a refusal
    "The Taliban said they would attend the peace talks only if the prisoners were freed.",  # a position
    "President Ashraf Ghani said the Taliban would leave the talks.",  # not his side
    "Spokeswoman Morgan Ortagus said he would press the insurgents to hold peace talks.",  # whose "he"?
    "President Ashraf Ghani said the government would study the document closely.",  # no act named
])
def test_other_sayings_about_the_future_stay_statements(index: ActorIndex, body: str) -> None:
    doc = draft(index, body)
    assert len(events(doc, "statement")) == 1
    assert events(doc, "announcement") == []


def test_an_acts_that_clause_does_not_date_the_act(index: ActorIndex) -> None:
    published = date(2021, 4, 21)  # a Wednesday
    body = "Turkey announced last week that it would host peace talks from April 24 to May 4."
    announcement = only(draft(index, body, published), "announcement")
    monday = published - timedelta(days=published.weekday() + 7)
    assert announcement["time"] == {"earliest": monday, "latest": monday + timedelta(days=6), "precision": "day",
                                    "text": "last week", "anchor": published}
    undated = only(draft(index, "Turkey announced that it would host peace talks from April 24.", published),
                   "announcement")
    assert undated["time"] == {"latest": published, "precision": "day", "anchor": published}


def test_a_time_in_the_phrase_before_the_speaker_dates_the_saying(index: ActorIndex) -> None:
    body = ("President Donald Trump called off the talks on September 7. In a string of tweets that day "
            "Trump revealed that he had cancelled secret meetings with Taliban leaders.")
    statement = only(draft(index, body, date(2019, 11, 29)), "statement")
    assert (statement["time"]["value"], statement["time"]["text"]) == (date(2019, 9, 7), "that day")


@pytest.mark.parametrize(("body", "party", "status"), [
    ("The United States would keep supporting the Afghan security forces, President Joe Biden said.",
     "united-states-government", "planned"),
    ("President Ashraf Ghani said that the government was ready to sit down with the insurgents.",
     "afghan-government", "occurred"),
])
def test_what_an_actor_will_do_without_a_trigger_is_its_commitment(index: ActorIndex, body: str, party: str,
                                                                    status: str) -> None:
    commitment = only(draft(index, body), "commitment")
    assert (commitment["roles"], commitment["status"]) == ({"party": [party]}, status)
    assert commitment["evidence"]["exact"].startswith(("The United States", "the government"))


@pytest.mark.parametrize("body", [
    "The Taliban said they would not attend.",  # a refusal
    "Officials said the talks would resume soon.",  # no actor will act
    "President Ashraf Ghani said the Taliban would be blamed.",  # not an act of theirs
])
def test_no_commitment_without_an_actor_acting(index: ActorIndex, body: str) -> None:
    assert events(draft(index, body), "commitment") == []


def test_saying_after_an_act_is_a_statement_of_its_subject_beside_the_act(index: ActorIndex) -> None:
    body = ("President Ashraf Ghani offered the Taliban a ceasefire on Monday. "
            "The Taliban rejected the offer on Tuesday, saying it had not been agreed by all Afghan sides.")
    doc = draft(index, body)
    assert only(doc, "rejection")["roles"]["responder"] == ["taliban"]
    statement = only(doc, "statement")
    assert statement["roles"] == {"speaker": ["taliban"]}
    assert statement["evidence"]["exact"] == "saying it had not been agreed by all Afghan sides."


def test_both_sides_are_the_last_two_sides_named_together(index: ActorIndex) -> None:
    body = ("Negotiators for the Afghan government and the Taliban met in Doha on Monday. "
            "Khalilzad said the two sides had reached an agreement on procedural rules.")
    agreement = only(draft(index, body), "agreement")
    assert sorted(agreement["roles"]["party"]) == ["afghan-government", "taliban"]
    assert agreement["evidence"]["exact"].startswith("the two sides")
    # named apart, or not at all, they are not resolved
    apart = "The Afghan government met in Doha. The Taliban left. Both sides reached an agreement on the rules."
    assert events(draft(index, apart), "agreement") == []


@pytest.mark.parametrize("phrase", ["both sides", "all sides"])
def test_a_speaker_who_goes_on_calling_on_the_sides_is_the_demander(index: ActorIndex, phrase: str) -> None:
    body = ("Negotiators for the Afghan government and the Taliban met in Doha on Monday. "
            f"Khalilzad said the teams had codified the rules, and called on {phrase} to reduce violence.")
    doc = draft(index, body)
    demand = only(doc, "demand")
    assert demand["roles"] == {"demander": ["zalmay-khalilzad"], "addressee": ["afghan-government", "taliban"]}
    assert demand["evidence"]["exact"] == f"and called on {phrase} to reduce violence."  # no clause break
    assert sorted(only(doc, "reduction-in-violence")["roles"]["party"]) == ["afghan-government", "taliban"]
    # a clause with a subject of its own is that subject's act
    other = draft(index, "Khalilzad said the talks went well, and the Taliban called on Kabul to free prisoners.")
    assert only(other, "demand")["roles"]["demander"] == ["taliban"]


def test_settling_the_rules_is_an_agreement_and_a_frame_after_it_is_not_its_evidence(index: ActorIndex) -> None:
    body = ("The Afghan government and the Taliban have settled the rules and procedures for their talks, "
            "Zalmay Khalilzad said on Wednesday.")
    agreement = only(draft(index, body), "agreement")
    assert (agreement["stage"], sorted(agreement["roles"]["party"])) == ("finalised", ["afghan-government", "taliban"])
    assert agreement["evidence"]["exact"].endswith("for their talks")
    paused = only(draft(index, "Khalilzad met Ghani. Washington was taking a brief pause, he said."), "stall")
    assert paused["evidence"]["exact"] == "Washington was taking a brief pause"
    assert events(draft(index, "The Taliban settled in Doha in 2013."), "agreement") == []


def test_a_visitor_who_met_the_two_together_met_the_two_named_together_on_the_visits_day(index: ActorIndex) -> None:
    body = ("President Ashraf Ghani and his rival Abdullah Abdullah have feuded for weeks. "
            "Pompeo flew to Kabul on Monday. He saw each man separately and also met the two together.")
    meeting = next(e for e in events(draft(index, body), "meeting") if e["status"] == "occurred")
    assert meeting["roles"] == {"participant": ["mike-pompeo", "ashraf-ghani", "abdullah-abdullah"]}
    monday = WEDNESDAY - timedelta(days=2)
    assert meeting["time"] == {"value": monday, "precision": "day", "anchor": WEDNESDAY}
    # without a dated arrival, the meeting keeps its own window
    undated = next(e for e in events(draft(index, body.replace(" on Monday", "")), "meeting")
                   if e["status"] == "occurred")
    assert undated["time"] == {"latest": WEDNESDAY, "precision": "day", "anchor": WEDNESDAY}


def test_a_round_of_talks_named_without_parties_is_between_those_of_the_talks_before(index: ActorIndex) -> None:
    body = "The United States and the Taliban held talks in Doha on Monday. The round of talks ended on Saturday."
    talks_round = only(draft(index, body, date(2019, 1, 28)), "talks-round")
    assert talks_round["roles"] == {"party": ["united-states-government", "taliban"]}
    assert talks_round["time"]["end"] == date(2019, 1, 26)
    assert events(draft(index, "The round of talks ended on Saturday.", date(2019, 1, 28)), "talks-round") == []


def test_victims_killed_when_an_attack_struck_are_its_target_and_an_official_in_between_its_source(
        index: ActorIndex) -> None:
    body = ("At least 24 people were killed when a bomb struck a funeral in Nangarhar, a provincial official said, "
            "and dozens more were wounded.")
    doc = draft(index, body)
    bombing = only(doc, "bombing")
    assert bombing["roles"] == {"target": ["afghan-civilians"]}
    assert bombing["according_to"] == ["nangarhar-provincial-official"]
    assert events(doc, "statement") == []
    soldiers = "Two American soldiers were killed on Monday when the Taliban attacked their convoy."
    attack = only(draft(index, soldiers), "attack")
    assert attack["roles"] == {"attacker": ["taliban"], "target": ["us-forces-afghanistan"]}
    assert attack["time"]["value"] == WEDNESDAY - timedelta(days=2)


@pytest.mark.parametrize("verb", ["died in", "were killed in", "were wounded in"])
def test_who_died_in_an_attack_is_its_target_and_the_attacks_modifier_its_attacker(
        index: ActorIndex, verb: str) -> None:
    attack = only(draft(index, f"Ten Afghan soldiers {verb} the Taliban attack on Monday."), "attack")
    assert attack["roles"] == {"attacker": ["taliban"], "target": ["afghan-security-forces"]}
    assert (attack["status"], attack["time"]["value"]) == ("occurred", WEDNESDAY - timedelta(days=2))
    unclaimed = only(draft(index, f"Ten Afghan soldiers {verb} the attack on Monday."), "attack")
    assert unclaimed["roles"] == {"target": ["afghan-security-forces"]}
    both = "At least 14 civilians were killed and more than 20 wounded in a Taliban attack on Monday."
    assert only(draft(index, both), "attack")["roles"] == {"attacker": ["taliban"], "target": ["afghan-civilians"]}


def test_who_is_urged_to_act_acts_never_the_one_urging(index: ActorIndex) -> None:
    unresolved = draft(index, "Pompeo urged the two sides to reduce violence.")
    assert events(unresolved, "reduction-in-violence") == []  # "the two sides" unknown: no party, no event
    named = draft(index, "Pompeo urged the Taliban to reduce violence.")
    assert only(named, "reduction-in-violence")["roles"] == {"party": ["taliban"]}
    own = draft(index, "The Taliban offered to reduce violence.")
    assert only(own, "reduction-in-violence")["roles"] == {"party": ["taliban"]}


def test_it_would_in_an_organisations_words_is_the_organisation(index: ActorIndex) -> None:
    doc = draft(index, "The government said it would free 2,000 Taliban prisoners as a goodwill gesture.")
    assert only(doc, "commitment")["roles"] == {"party": ["afghan-government"]}
    withdrawal = only(draft(index, "NATO said it would pull out its forces by May 1."), "withdrawal")
    assert (withdrawal["status"], withdrawal["roles"]) == ("planned", {"participant": ["nato"]})
    # a person's "it" is not the person; "it is ready for" stays without a party (seed article)
    assert events(draft(index, "Khalilzad said it would pull out its forces by May 1."), "withdrawal") == []
    ready = draft(index, "The Afghan government says it is ready for resuming the talks.")
    assert events(ready, "resumption") == []


def test_a_vow_is_a_commitment_and_being_ready_for_an_event_plans_it(index: ActorIndex) -> None:
    vow = only(draft(index, "The Taliban vowed to keep fighting."), "commitment")
    assert (vow["status"], vow["roles"]) == ("occurred", {"party": ["taliban"]})
    ready = only(draft(index, "The Afghan government was ready for resuming the talks."), "resumption")
    assert ready["status"] == "planned"


@pytest.mark.parametrize(("sentence", "type_", "roles"), [
    ("Khalilzad landed in Kabul on Monday.", "visit", {"visitor": ["zalmay-khalilzad"], "host": ["afghan-government"]}),
    ("Khalilzad headed to Kabul on Monday.", "visit", {"visitor": ["zalmay-khalilzad"], "host": ["afghan-government"]}),
    ("Ghani hosted Khalilzad at the palace on Monday.", "meeting",
     {"participant": ["ashraf-ghani", "zalmay-khalilzad"]}),
    ("Khalilzad sat down with Baradar in Doha on Monday.", "meeting",
     {"participant": ["zalmay-khalilzad", "abdul-ghani-baradar"]}),
])
def test_more_ways_of_visiting_and_meeting(index: ActorIndex, sentence: str, type_: str, roles: dict) -> None:
    event = only(draft(index, sentence), type_)
    assert (event["roles"], event["time"]["value"]) == (roles, WEDNESDAY - timedelta(days=2))


def test_hosting_talks_is_no_meeting_of_its_own(index: ActorIndex) -> None:
    assert events(draft(index, "Qatar hosted the talks."), "meeting") == []


def test_troop_cuts_and_departures_are_the_forces_of_who_decides_them(index: ActorIndex) -> None:
    cut = draft(index, "The Pentagon announced on Tuesday that it would cut US troop levels in Afghanistan to "
                       "2,500 by January 15.")
    change = only(cut, "troop-level-change")
    assert (change["status"], change["roles"]) == ("planned", {"participant": ["us-forces-afghanistan"]})
    assert change["time"]["latest"] == date(2020, 1, 15)
    down = only(draft(index, "Washington agreed to bring its forces down to 8,600 within 135 days."),
                "troop-level-change")
    assert down["roles"] == {"participant": ["us-forces-afghanistan"]}
    left = only(draft(index, "The last US troops left Afghanistan on Monday."), "withdrawal")
    assert (left["roles"], left["time"]["value"]) == ({"participant": ["us-forces-afghanistan"]},
                                                      WEDNESDAY - timedelta(days=2))


@pytest.mark.parametrize("body", ["According to the interior ministry, the Taliban freed 20 soldiers on Monday.",
                                  "The Taliban freed 20 soldiers on Monday, according to the interior ministry."])
def test_according_to_names_the_source_of_the_sentences_facts(index: ActorIndex, body: str) -> None:
    doc = draft(index, body)
    release = only(doc, "prisoner-release")
    assert (release["roles"], release["according_to"]) == ({"party": ["taliban"]}, ["afghan-interior-ministry"])
    assert [r["author"] for r in doc["reports"]] == ["afghan-interior-ministry"]  # at a sentence's start too


@pytest.mark.parametrize("verb", ["raided", "ambushed", "opened fire on", "shelled"])
def test_more_ways_of_attacking(index: ActorIndex, verb: str) -> None:
    attack = only(draft(index, f"The Taliban {verb} a police post in Ghazni on Monday."), "attack")
    assert (attack["roles"], attack["time"]) == (
        {"attacker": ["taliban"]},
        {"value": WEDNESDAY - timedelta(days=2), "precision": "day", "text": "on Monday", "anchor": WEDNESDAY})


def test_anonymous_officials_are_a_source_not_a_statement(index: ActorIndex) -> None:
    body = "Taliban officials, speaking on condition of anonymity, said the Taliban had freed 20 prisoners."
    doc = draft(index, body)
    assert events(doc, "statement") == []
    assert only(doc, "prisoner-release")["according_to"] == ["taliban-officials"]
    named = "Taliban officials said the Taliban had freed 20 prisoners."
    assert len(events(draft(index, named), "statement")) == 1


@pytest.mark.parametrize(("when", "days_after_monday"), [
    ("the following day", 1), ("the day after", 1), ("the day before", -1), ("on the following day", 1)])
def test_a_day_counted_from_the_last_one_stays_in_its_clause(index: ActorIndex, when: str,
                                                             days_after_monday: int) -> None:
    body = f"Khalilzad met Baradar in Doha on Monday. The Taliban attacked a checkpoint in Kunduz {when}."
    attack = only(draft(index, body), "attack")
    monday = WEDNESDAY - timedelta(days=2)
    assert attack["time"]["value"] == monday + timedelta(days=days_after_monday)
    assert attack["evidence"]["exact"].endswith(f"{when}.")


def test_days_after_another_happening_date_the_main_clause(index: ActorIndex) -> None:
    body = "The Taliban attacked a checkpoint in Kunduz two days after the talks opened in Doha on Monday."
    attack = only(draft(index, body), "attack")
    assert (attack["time"]["value"], attack["time"]["text"]) == (WEDNESDAY, "two days after")


@pytest.mark.parametrize("verb", ["accused the Taliban of stalling the talks", "blamed the Taliban for the attack",
                                  "put the blame on the Taliban", "hailed the agreement"])
def test_accusing_blaming_and_hailing_are_statements(index: ActorIndex, verb: str) -> None:
    statement = only(draft(index, f"Ghani {verb} on Monday."), "statement")
    assert statement["roles"] == {"speaker": ["ashraf-ghani"]}
    assert statement["time"]["text"] == "on Monday"  # the day of the accusing, said after its object


@pytest.mark.parametrize("opening", ["", "KABUL (Reuters) — "])
def test_a_subject_that_goes_on_to_speak_did_both(index: ActorIndex, opening: str) -> None:
    body = (f"{opening}President Donald Trump made an unannounced visit to American troops at Bagram on Monday, "
            "and told reporters that the United States had resumed its talks with the Taliban.")
    doc = draft(index, body)
    visit, statement = only(doc, "visit"), only(doc, "statement")
    assert visit["roles"]["visitor"] == statement["roles"]["speaker"] == ["donald-trump"]
    assert statement["time"]["value"] == visit["time"]["value"] == WEDNESDAY - timedelta(days=2)
    assert statement["evidence"]["exact"].startswith("told reporters")


def test_he_who_goes_on_to_accuse_is_the_last_person_named(index: ActorIndex) -> None:
    body = ("Trump said the talks were dead. He pointed to the car bombing in Kabul, which killed an American "
            "soldier and 11 other people, and accused the insurgents of trying to build leverage through violence.")
    statement = only(draft(index, body), "statement")  # one saying, in two places
    assert statement["roles"] == {"speaker": ["donald-trump"]}
    assert statement["evidence"][-1]["exact"].startswith("accused the insurgents")


@pytest.mark.parametrize(("refusal", "refused"), [
    ("refused to deal directly with the Afghan government", "afghan-government"),
    ("refused to meet Khalilzad", "zalmay-khalilzad"),
    ("refused to sit down with President Ashraf Ghani's government", "afghan-government"),
])
def test_whom_a_refusal_shuts_out_is_its_addressee(index: ActorIndex, refusal: str, refused: str) -> None:
    body = f"Khalilzad proposed talks between the Taliban and the government. The Taliban {refusal} on Monday."
    rejection = only(draft(index, body), "rejection")
    assert rejection["roles"] == {"responder": ["taliban"], "addressee": [refused]}


def test_a_refusal_that_answers_nothing_is_a_statement_to_no_one(index: ActorIndex) -> None:
    statement = only(draft(index, "The Taliban refused to deal directly with the Afghan government."), "statement")
    assert statement["roles"] == {"speaker": ["taliban"]}


@pytest.mark.parametrize("group", ["Delegations from", "Representatives of", "Negotiators for"])
def test_people_acting_for_both_sides_make_both_sides_the_participants(index: ActorIndex, group: str) -> None:
    meeting = only(draft(index, f"{group} the Taliban and the government met in Doha on Monday."), "meeting")
    assert sorted(meeting["roles"]["participant"]) == ["afghan-government", "taliban"]


@pytest.mark.parametrize("start", ["begin", "start"])
def test_a_gerund_after_a_verb_of_beginning_is_done_by_the_subject(index: ActorIndex, start: str) -> None:
    withdrawal = only(draft(index, f"NATO agreed to {start} withdrawing its troops."), "withdrawal")
    assert (withdrawal["roles"], withdrawal["status"]) == ({"participant": ["nato"]}, "planned")


def test_a_noun_after_a_verb_of_beginning_keeps_its_own_parties(index: ActorIndex) -> None:
    body = ("Taliban spokesman Suhail Shaheen told Reuters on Monday that the group was ready to begin talks with "
            "the government within one week of the release.")
    talks = only(draft(index, body), "negotiation")
    assert (talks["roles"]["party"], talks["status"]) == (["afghan-government", "taliban"], "possible")


@pytest.mark.parametrize(("body", "type_", "parties"), [
    ("The second round of intra-Afghan talks began in Doha on Monday.", "talks-round",
     ["afghan-government", "taliban"]),
    ("Talks between the US and the Taliban opened in Doha on Monday.", "negotiation",
     ["taliban", "united-states-government"]),
])
def test_talks_and_their_sides(index: ActorIndex, body: str, type_: str, parties: list[str]) -> None:
    assert sorted(only(draft(index, body), type_)["roles"]["party"]) == parties


@pytest.mark.parametrize(("body", "type_", "roles"), [
    ("The Taliban want foreign forces to leave Afghanistan.", "withdrawal", {"participant": ["foreign-troops"]}),
    ("Washington expected the Taliban to reduce violence.", "reduction-in-violence", {"party": ["taliban"]}),
])
def test_whom_someone_wants_to_act_acts(index: ActorIndex, body: str, type_: str, roles: dict) -> None:
    assert only(draft(index, body), type_)["roles"] == roles


def test_speaking_to_reporters_is_a_press_statement(index: ActorIndex) -> None:
    body = "Speaking to reporters in Kabul on Monday, Abdullah said the talks would resume."
    assert only(draft(index, body), "statement")["channel"] == "press-statement"


@pytest.mark.parametrize(("strike", "attacker"), [
    ("A US drone strike", "us-forces-afghanistan"), ("A US airstrike", "us-forces-afghanistan"),
    ("Afghan air raids", "afghan-security-forces")])
def test_a_strike_from_the_air_is_by_the_force_of_its_owner(index: ActorIndex, strike: str, attacker: str) -> None:
    strike_event = only(draft(index, f"{strike} killed 5 Taliban fighters in Helmand on Monday."), "airstrike")
    assert strike_event["roles"] == {"attacker": [attacker], "target": ["taliban"]}


def test_a_toll_takes_the_day_its_sentence_gives_however_far(index: ActorIndex) -> None:
    body = "The Taliban killed 12 Afghan soldiers in an attack on a police checkpoint in Kunduz province on Monday."
    toll = only_quantity(draft(index, body))
    assert (toll["value"], toll["time"]["value"]) == (12, WEDNESDAY - timedelta(days=2))


@pytest.mark.parametrize(("body", "roles"), [
    ("Baradar visited Islamabad on Monday.", {"visitor": ["abdul-ghani-baradar"], "host": ["pakistan-government"]}),
    ("Baradar led a Taliban delegation to Islamabad on Monday.",
     {"visitor": ["abdul-ghani-baradar", "taliban-political-representatives"], "host": ["pakistan-government"]}),
])
def test_visits_named_by_the_place_visited(index: ActorIndex, body: str, roles: dict) -> None:
    visit = only(draft(index, body), "visit")
    assert (visit["roles"], visit["place"]) == (roles, "islamabad")


@pytest.mark.parametrize(("body", "releaser"), [
    ("The last batch of 400 Taliban prisoners was freed on Monday.", "afghan-government"),
    ("Some 80 government prisoners were released by the Taliban on Monday.", "taliban"),
])
def test_prisoners_freed_in_the_passive_are_freed_by_their_captors(index: ActorIndex, body: str,
                                                                   releaser: str) -> None:
    release = only(draft(index, body), "prisoner-release")
    assert (release["roles"], release["time"]["value"]) == ({"party": [releaser]}, WEDNESDAY - timedelta(days=2))


def test_reaching_a_deal_is_an_agreement(index: ActorIndex) -> None:
    deal = only(draft(index, "The United States and the Taliban reached a deal on Monday."), "agreement")
    assert sorted(deal["roles"]["party"]) == ["taliban", "united-states-government"]


@pytest.mark.parametrize(("body", "type_", "roles"), [
    ("The number of US troops will fall to 8,600 by July.", "troop-level-change",
     {"participant": ["us-forces-afghanistan"]}),
    ("The last US soldiers left Kabul airport on Monday.", "withdrawal", {"participant": ["us-forces-afghanistan"]}),
    ("The Taliban took control of Kabul on Monday.", "attack", {"attacker": ["taliban"]}),
])
def test_troops_falling_leaving_and_ground_taken(index: ActorIndex, body: str, type_: str, roles: dict) -> None:
    assert only(draft(index, body), type_)["roles"] == roles


@pytest.mark.parametrize(("proposer", "sides", "addressee"), [
    ("Zalmay Khalilzad, the US special representative for Afghanistan reconciliation,",
     ["taliban", "united-states-government"], "taliban"),
    ("President Ashraf Ghani", ["afghan-government", "taliban"], "taliban"),
])
def test_a_ceasefire_a_person_proposes_binds_their_side_and_the_side_it_fights(
        index: ActorIndex, proposer: str, sides: list[str], addressee: str) -> None:
    doc = draft(index, f"{proposer} proposed a week-long ceasefire on Monday.")
    assert sorted(only(doc, "ceasefire")["roles"]["party"]) == sides
    assert only(doc, "proposal")["roles"]["addressee"] == [addressee]


def test_a_ceasefire_with_named_sides_keeps_them(index: ActorIndex) -> None:
    doc = draft(index, "President Ashraf Ghani offered the Taliban a ceasefire on Monday.")
    assert only(doc, "ceasefire")["roles"]["party"] == ["taliban"]


def test_talks_an_envoy_goes_to_discuss_are_the_talks_of_the_sides(index: ActorIndex) -> None:
    body = ("Zalmay Khalilzad, the US special representative for Afghanistan reconciliation, met Taliban "
            "negotiators in Doha on Monday to discuss ways of resuming peace talks.")
    parties = only(draft(index, body), "resumption")["roles"]["party"]
    assert "united-states-government" in parties and "zalmay-khalilzad" not in parties


def test_days_after_an_undated_happening_do_not_date_the_main_clause(index: ActorIndex) -> None:
    body = "The Taliban attacked a checkpoint in Kunduz two days after the talks opened in Doha."
    attack = only(draft(index, body), "attack")
    assert attack["time"] == {"latest": WEDNESDAY, "precision": "day", "anchor": WEDNESDAY}


def test_a_boycott_answers_the_proposal_before_it(index: ActorIndex) -> None:
    doc = draft(index, "Turkey proposed a peace conference in Istanbul on Monday. The Taliban boycotted it.")
    assert only(doc, "rejection")["roles"] == {"responder": ["taliban"]}


def test_pulling_a_team_out_of_talks_is_leaving_them_not_talking(index: ActorIndex) -> None:
    doc = draft(index, "The Taliban pulled their technical team out of face-to-face talks in Kabul on Tuesday.")
    assert events(doc, "negotiation") == []
    assert only(doc, "cancellation")["roles"] == {"canceller": ["taliban"]}


def test_a_hyphened_pair_of_sides_are_the_parties(index: ActorIndex) -> None:
    deal = only(draft(index, "The US-Taliban deal was signed in Doha in February 2020."), "agreement")
    assert sorted(deal["roles"]["party"]) == ["taliban", "united-states-government"]
