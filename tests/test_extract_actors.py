"""Actor recognition (kb.extract.actors) and the annotation's 'actors:' section for new actors."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, RDFS, SKOS

from kb.articles import read_article
from kb.build import Inputs, convert_and_validate
from kb.config import DEFAULT_DATA_DIR
from kb.errors import AnnotationError, ValidationFailed
from kb.extract.actors import ActorFindings, ActorIndex, find_actors
from kb.namespaces import PEACE, SEM, IriMinter

DAY = datetime.date(2020, 3, 2)
BASE = "https://peacekb.example/"
ACTOR_KEYS = ("according_to", "member", "author", "cites", "set_by", "subject", "to_outlet")


@pytest.fixture(scope="module")
def index() -> ActorIndex:
    return ActorIndex.from_folder(DEFAULT_DATA_DIR / "gazetteer")


def find(index: ActorIndex, body: str) -> ActorFindings:
    found = find_actors(body, index, DAY)
    for m in found.mentions:
        assert body[m.start:m.end] == m.text
    return found


def named(found: ActorFindings, text: str) -> str | None:
    """The actor of the mention whose text is ``text``."""
    return next((m.actor for m in found.mentions if m.text == text), None)


# -- gazetteer names -----------------------------------------------------------------------------

def test_labels_and_aliases_tolerate_case_and_possessives(index: ActorIndex) -> None:
    found = find(index, "Khalilzad’s trip followed the taliban's demands and Zabihullah Mujahid's reply.")
    assert named(found, "Khalilzad") == "zalmay-khalilzad"
    assert named(found, "the taliban") == "taliban"
    assert named(found, "Zabihullah Mujahid") == "zabihullah-mujahid"
    assert all(m.how in ("gazetteer", "alias") for m in found.mentions)


def test_longest_name_wins_and_mentions_do_not_overlap(index: ActorIndex) -> None:
    body = "Secretary of State Mike Pompeo met the Taliban negotiators and US Defense Secretary Mark Esper."
    found = find(index, body)
    assert named(found, "Secretary of State Mike Pompeo") == "mike-pompeo"
    assert named(found, "Taliban negotiators") == "taliban-political-representatives"
    assert named(found, "Defense Secretary Mark Esper") == "mark-esper"
    starts = [m.start for m in found.mentions]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(found.mentions, found.mentions[1:]))


def test_spelling_variant_is_resolved_with_lower_confidence(index: ActorIndex) -> None:
    found = find(index, "Zalmai Khalilzad arrived in Doha.")
    mention = found.mentions[0]
    assert (mention.text, mention.actor, mention.how) == ("Zalmai Khalilzad", "zalmay-khalilzad", "spelling variant")
    assert mention.confidence < find(index, "Zalmay Khalilzad arrived.").mentions[0].confidence


def test_resolve_name(index: ActorIndex) -> None:
    assert index.resolve_name("Suhail Shahhen") == "suhail-shaheen"
    assert index.resolve_name("Suhail Shaheen") == "suhail-shaheen"
    assert index.resolve_name("Sahar News") == "sahar-news"
    assert index.resolve_name("the Taliban's") == "taliban"
    assert index.resolve_name("Mullah Baradar") == "abdul-ghani-baradar"
    assert index.resolve_name("Jens Stoltenbreg") == "jens-stoltenberg"
    assert index.resolve_name("Oxford Gazette") is None
    assert index.resolve_name("Ghana") is None  # short names get no spelling tolerance


def test_place_names_stand_for_governments_only_where_they_act(index: ActorIndex) -> None:
    body = ("KABUL — Washington said it would talk. Khalilzad flew back to Washington. "
            "Kabul rejected the plan after a bombing in Kabul. Pakistan denied it, and talks began in Qatar.")
    found = find(index, body)
    actors = [(m.text, m.actor) for m in found.mentions]
    assert ("Washington", "united-states-government") in actors
    assert ("Kabul", "afghan-government") in actors
    assert ("Pakistan", "pakistan-government") in actors
    assert [m.start for m in found.mentions if m.text == "Washington"] == [8]
    assert [m.start for m in found.mentions if m.text == "Kabul"] == [body.index("Kabul rejected")]
    assert "qatar-government" not in {m.actor for m in found.mentions}


@pytest.mark.parametrize(("body", "us_is_government"), [
    ("The US demanded that the Taliban cut ties with al-Qaeda.", True),
    ("The US insisted on a ceasefire.", True),
    ("The US-backed government rejected the plan.", False),
    ("The US envoy arrived in Kabul.", False),
])
def test_us_before_a_past_verb_is_its_subject(index: ActorIndex, body: str, us_is_government: bool) -> None:
    assert (named(find(index, body), "US") == "united-states-government") is us_is_government


def test_the_taliban_by_their_own_name(index: ActorIndex) -> None:
    found = find(index, "The Islamic Emirate of Afghanistan said the Islamic Emirate would attend.")
    assert {m.actor for m in found.mentions} == {"taliban"} and len(found.mentions) == 2


def test_us_as_modifier_is_not_the_government(index: ActorIndex) -> None:
    found = find(index, "US troops stayed while US envoy Zalmay Khalilzad said the US would wait.")
    assert named(found, "US troops") == "us-forces-afghanistan"
    assert named(found, "US envoy") == "zalmay-khalilzad"
    governments = [m for m in found.mentions if m.actor == "united-states-government"]
    assert [m.text for m in governments] == ["US"] and governments[0].start == found.mentions[-1].start


def test_acronyms_match_only_as_written(index: ActorIndex) -> None:
    found = find(index, "It is what IS wants, as NATO said.")
    assert [(m.text, m.actor) for m in found.mentions] == [("IS", "islamic-state"), ("NATO", "nato")]


# -- new actors ----------------------------------------------------------------------------------

def test_new_person_from_title_cue_and_surname_coreference(index: ActorIndex) -> None:
    body = ("Taliban spokesman Qari Nasir Hamdard said the fighters would hold their positions. "
            "Hamdard added that talks could resume.")
    found = find(index, body)
    person = next(a for a in found.new_actors if a.id == "qari-nasir-hamdard")
    assert (person.type, person.label, person.member_of) == ("Person", "Qari Nasir Hamdard", "taliban")
    assert body[person.evidence[0]:person.evidence[1]] == "Qari Nasir Hamdard"
    later = next(m for m in found.mentions if m.text == "Hamdard")
    assert (later.actor, later.how) == ("qari-nasir-hamdard", "surname")
    # a name in a title is the person's description, not a mention of the group
    assert "taliban" not in {m.actor for m in found.mentions}


def test_new_person_from_apposition_not_confused_with_a_similar_gazetteer_name(index: ActorIndex) -> None:
    body = "Abdul Qadir Stanikzai, the Taliban's chief negotiator, met the envoys. Stanikzai smiled."
    found = find(index, body)
    assert [a.id for a in found.new_actors] == ["abdul-qadir-stanikzai"]
    assert [m.actor for m in found.mentions if m.text == "Stanikzai"] == ["abdul-qadir-stanikzai"]
    assert "masoom-stanekzai" not in {m.actor for m in found.mentions}


def test_capitalised_name_without_cue_is_no_actor(index: ActorIndex) -> None:
    found = find(index, "Camp David was quiet and Green Village burned.")
    assert found.mentions == [] and found.new_actors == []


def test_new_organisation_with_acronym(index: ActorIndex) -> None:
    body = "The Kandahar Peace Council (KPC) met elders. The KPC said it would meet again."
    found = find(index, body)
    council = found.new_actors[0]
    assert (council.id, council.type, council.aliases) == ("kandahar-peace-council", "GovernmentAgency", ["KPC"])
    assert [m.actor for m in found.mentions] == ["kandahar-peace-council"] * 3


def test_titles_inside_a_name_run_before_a_comma_and_with_an_owner(index: ActorIndex) -> None:
    body = ("Russian Foreign Minister Sergei Lavrov met Pakistan's Foreign Minister Tariq Mehmood Qadri. "
            "A spokesman for the Afghan Ministry of Foreign Affairs, Gran Hewad, said so.")
    new = {a.id: a for a in find(index, body).new_actors}
    assert new["sergei-lavrov"].label == "Sergei Lavrov"
    assert new["tariq-mehmood-qadri"].member_of == "pakistan-government"
    assert new["gran-hewad"].member_of == "afghan-ministry-of-foreign-affairs"
    assert new["afghan-ministry-of-foreign-affairs"].type == "GovernmentAgency"


def test_organisation_resolves_to_the_gazetteer_first(index: ActorIndex) -> None:
    found = find(index, "The High Council for National Reconciliation welcomed the plan.")
    assert [m.actor for m in found.mentions] == ["high-council-for-national-reconciliation"]
    assert found.new_actors == []


# -- descriptions and coreference -------------------------------------------------------------------

def test_the_group_is_the_armed_group_named_last(index: ActorIndex) -> None:
    found = find(index, "The Taliban denied it. The Islamic State group said the group had done it. "
                        "The insurgents disagreed.")
    groups = [m.actor for m in found.mentions if m.how == "description"]
    assert groups == ["islamic-state", "islamic-state"]


def test_the_envoy_and_the_official(index: ActorIndex) -> None:
    body = ("Zalmay Khalilzad met Afghan leaders, an Afghan government official said. "
            "The envoy left, the official added.")
    found = find(index, body)
    assert named(found, "The envoy") == "zalmay-khalilzad"
    assert named(found, "the official") == "afghan-government-official"


def test_forces_and_troop_counts(index: ActorIndex) -> None:
    found = find(index, "An American soldier died near the NATO mission. The United States has about "
                        "14,000 troops in Afghanistan, and Afghan forces guard the roads.")
    assert named(found, "American soldier") == "us-forces-afghanistan"
    assert named(found, "NATO mission") == "resolute-support"
    assert named(found, "troops") == "us-forces-afghanistan"
    assert named(found, "Afghan forces") == "afghan-security-forces"


def test_administration_and_intra_afghan(index: ActorIndex) -> None:
    found = find(index, "The Trump administration wants intra-Afghan talks among Afghans. The Americans agree.")
    assert named(found, "Trump administration") == "united-states-government"
    assert named(found, "Americans") == "united-states-government"
    assert named(found, "intra-Afghan") == "afghan-government"
    assert named(found, "Afghans") == "afghan-leaders"


def test_unnamed_sources(index: ActorIndex) -> None:
    found = find(index, "Two senior Taliban sources said so. Officials said more, and Afghan and "
                        "American officials agreed, according to a Taliban source.")
    actors = {m.actor for m in found.mentions}
    assert {"taliban-source", "unnamed-sources", "kabul-officials", "american-officials"} <= actors
    assert named(found, "Taliban sources") == "taliban-source"


def test_the_us_and_afghan_presidents_are_the_presidents_named_before(index: ActorIndex) -> None:
    body = ("Afghan President Ashraf Ghani met US President Donald Trump at Bagram. "
            "The US and Afghan presidents agreed on the resumption of talks.")
    found = find(index, body)
    assert (named(found, "US"), named(found, "Afghan presidents")) == ("donald-trump", "ashraf-ghani")
    unnamed = find(index, "The US and Afghan presidents agreed on the resumption of talks.")
    assert named(unnamed, "Afghan presidents") is None


def test_members_the_gazetteer_does_not_list_stand_for_their_government(index: ActorIndex) -> None:
    found = find(index, "Turkish officials said the talks were off. Pakistani diplomats agreed. "
                        "A Qatari official said so.")
    assert named(found, "Turkish officials") == "turkish-government"
    assert named(found, "Pakistani diplomats") == "pakistan-government"
    assert "qatar-government" not in {m.actor for m in found.mentions}, "one unnamed person is not the government"


def test_a_member_who_speaks_of_the_movement_means_their_own(index: ActorIndex) -> None:
    body = "Pompeo urged the Taliban to cut ties with al-Qaeda. Baradar told the gathering that the movement agreed."
    assert named(find(index, body), "the movement") == "taliban"
    other = "Pompeo urged the Taliban to cut ties with al-Qaeda. Officials said the movement agreed."
    assert named(find(index, other), "the movement") == "al-qaeda", "else the armed group named last"


def test_each_country_of_a_list_before_officials_is_named(index: ActorIndex) -> None:
    found = find(index, "The delegation met Khalilzad and the Saudi, Emirati and Pakistani officials.")
    actors = [m.actor for m in found.mentions]
    assert actors == ["zalmay-khalilzad", "saudi-government", "uae-government", "pakistan-government"]
    assert named(find(index, "Qatari and Pakistani officials agreed."), "Qatari") == "qatar-government"


def test_its_or_their_members_belong_to_the_body_named_in_reach(index: ActorIndex) -> None:
    found = find(index, "The Taliban are in no hurry. Their negotiators left Doha. Their officials said so.")
    assert named(found, "Their negotiators") == "taliban-political-representatives"  # the gazetteer's alias
    assert named(found, "Their officials") is None, "two sentences back is out of reach"
    government = find(index, "The Afghan government named a team on Monday, and its officials said so.")
    afghan_officials = named(find(index, "Afghan officials said so."), "Afghan officials")
    assert afghan_officials and named(government, "its officials") == afghan_officials
    assert named(find(index, "Their officials said so."), "Their officials") is None


def test_a_collectives_plain_noun_names_it_only_after_it_is_named(index: ActorIndex) -> None:
    jirga = find(index, "A loya jirga met in Kabul. Pompeo urged the delegates to approve the release.")
    assert named(jirga, "the delegates") == "loya-jirga-delegates"
    assert named(find(index, "Pompeo urged the delegates to approve the release."), "the delegates") is None
    counted = find(index, "The blast killed 11 civilians. Afterwards, residents gathered in the square.")
    assert named(counted, "civilians") == "afghan-civilians"
    assert named(counted, "residents") is None, "only a definite noun refers back"


# -- memberships and reports -------------------------------------------------------------------------

def test_memberships_from_titles(index: ActorIndex) -> None:
    body = ("Khalilzad met former deputy foreign minister Hekmat Khalil Karzai. "
            "Afghan President Ashraf Ghani stayed away.")
    found = find(index, body)
    held = {(m["member"], m["post"], m["tenure"]) for m in found.memberships}
    assert held == {("hekmat-khalil-karzai", "deputy-foreign-minister-of-afghanistan", "former"),
                    ("ashraf-ghani", "president-of-afghanistan", "current")}
    for m in found.memberships:
        span = m["evidence"]
        assert body[span["start"]:span["end"]] == span["exact"]
        assert set(m) == {"id", "member", "post", "tenure", "evidence", "confidence"}


def test_no_post_for_a_vice_president_and_past_offices_are_former(index: ActorIndex) -> None:
    body = "Afghan Vice President Amrullah Saleh spoke where President George W. Bush once stood."
    found = find(index, body)
    assert {(m["member"], m["post"], m["tenure"]) for m in found.memberships} == {
        ("george-w-bush", "president-of-the-united-states", "former")}


def test_reports(index: ActorIndex) -> None:
    body = ("Reuters reported, citing an Afghan government official, that talks had resumed. "
            "Suhail Shaheen told Reuters the group was ready. The BBC said so, quoting a Western diplomat.")
    reports = find(index, body).reports
    pairs = {(r["author"], tuple(r.get("cites", []))) for r in reports}
    assert pairs == {("reuters", ("afghan-government-official",)), ("reuters", ("suhail-shaheen",)),
                     ("bbc", ("western-diplomat",))}
    for r in reports:
        assert body[r["evidence"]["start"]:r["evidence"]["end"]] == r["evidence"]["exact"]


def test_the_mention_holding_a_span(index: ActorIndex) -> None:
    body = "Khalilzad met President Ashraf Ghani. Trump tweeted."
    found = find(index, body)
    ghani = body.index("Ghani")
    assert found.holding(ghani, ghani + len("Ghani")).actor == "ashraf-ghani"
    assert found.holding(body.index("Trump"), body.index("Trump") + 3).actor == "donald-trump"
    assert found.holding(body.index("met"), body.index("met") + 3) is None
    assert found.holding(ghani, body.index("Trump") + 5) is None  # runs past the mention's end
    assert found.holding(0, 2).actor == "zalmay-khalilzad"


# -- the seed article -------------------------------------------------------------------------------------

def reviewed_actors(annotation: Path) -> set[str]:
    doc = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    out: set[str] = set()
    for section in ("reports", "memberships", "events", "quantities", "preconditions"):
        for record in doc.get(section) or []:
            for key in ACTOR_KEYS:
                value = record.get(key)
                out.update(value if isinstance(value, list) else [value] if value else [])
            for value in (record.get("roles") or {}).values():
                out.update(value if isinstance(value, list) else [value])
    return out


def test_seed_article_actors_memberships_and_report(index: ActorIndex) -> None:
    annotation = DEFAULT_DATA_DIR / "annotations" / "khalilzad-kabul-sahar-news.yaml"
    body = read_article(DEFAULT_DATA_DIR / "articles" / "khalilzad-kabul-sahar-news.txt").body
    found = find_actors(body, index, datetime.date(2019, 12, 4))
    expected = reviewed_actors(annotation)
    assert len(expected) == 19
    assert expected <= {m.actor for m in found.mentions}
    assert found.new_actors == []
    held = {(m["member"], m["post"], m["tenure"]) for m in found.memberships}
    assert ("hekmat-khalil-karzai", "deputy-foreign-minister-of-afghanistan", "former") in held
    assert ("zalmay-khalilzad", "us-special-representative-for-afghanistan-reconciliation", "current") in held
    assert ("suhail-shaheen", "taliban-spokesman", "current") in held
    report = next(r for r in found.reports if r["author"] == "reuters")
    assert report["cites"] == ["afghan-government-official"]
    assert report["evidence"]["exact"] == "Reuters reported citing an Afghan government official"


def test_every_corpus_mention_quotes_the_body(index: ActorIndex) -> None:
    for article in sorted((DEFAULT_DATA_DIR / "articles").iterdir()):
        body = read_article(article).body
        found = find_actors(body, index, datetime.date(2020, 1, 1))
        assert found.mentions, article
        for m in found.mentions:
            assert body[m.start:m.end] == m.text and m.start < m.end
        assert all(a.end <= b.start for a, b in zip(found.mentions, found.mentions[1:]))


# -- the annotation's 'actors:' section ---------------------------------------------------------------------

ARTICLE = """---
title: Kandahar Peace Council Meets Taliban Envoys
published: 2020-03-02
publisher: Arghandab Times
---

KANDAHAR – The Kandahar Peace Council met Taliban envoys on Monday, its spokesman Ahmad Wali Rahmani said.
"""


def span(body: str, text: str) -> str:
    start = body.index(text)
    return f'{{start: {start}, end: {start + len(text)}, exact: "{text}"}}'


def annotation(tmp_path: Path, *, status: str = "machine", council_id: str = "kandahar-peace-council",
               member_of: str = "afghan-government", confidence: str = "    confidence: 0.8\n") -> Path:
    (tmp_path / "articles").mkdir(exist_ok=True)
    (tmp_path / "annotations").mkdir(exist_ok=True)
    article = tmp_path / "articles" / "council.md"
    article.write_text(ARTICLE, encoding="utf-8")
    body = read_article(article).body
    path = tmp_path / "annotations" / "council.yaml"
    path.write_text(f"""format: 1
article:
  id: kandahar-council-meets-taliban
  file: ../articles/council.md
  title: Kandahar Peace Council Meets Taliban Envoys
  published: 2020-03-02
  publisher: arghandab-times
review: {{status: {status}}}
actors:
  - id: arghandab-times
    type: NewsOrganisation
    label: Arghandab Times
    evidence: {span(body, "KANDAHAR")}
    confidence: 0.5
  - id: {council_id}
    type: GovernmentAgency
    label: Kandahar Peace Council
    member_of: {member_of}
    evidence: {span(body, "Kandahar Peace Council")}
{confidence}  - id: ahmad-wali-rahmani
    type: Person
    label: Ahmad Wali Rahmani
    aliases: [Rahmani]
    member_of: {council_id}
    evidence: {span(body, "Ahmad Wali Rahmani")}
    confidence: 0.9
events:
  - id: council-meets-taliban
    type: meeting
    label: The Kandahar Peace Council meets Taliban envoys
    status: occurred
    roles: {{participant: [{council_id}, taliban]}}
    according_to: [ahmad-wali-rahmani]
    time: {{value: 2020-03-02, precision: day, text: on Monday, anchor: 2020-03-02}}
    confidence: 0.7
    evidence: {span(body, "The Kandahar Peace Council met Taliban envoys on Monday")}
""", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def inputs() -> Inputs:
    return Inputs.load(DEFAULT_DATA_DIR, IriMinter())


def test_new_actors_become_typed_actor_nodes_of_the_article(tmp_path: Path, inputs: Inputs) -> None:
    graph = convert_and_validate(annotation(tmp_path), inputs).graph
    council = URIRef(f"{BASE}id/actor/kandahar-peace-council")
    rahmani = URIRef(f"{BASE}id/actor/ahmad-wali-rahmani")
    article = URIRef(f"{BASE}id/article/kandahar-council-meets-taliban")
    assert (council, RDF.type, PEACE.GovernmentAgency) in graph
    assert (council, RDF.type, SEM.Actor) in graph
    assert (council, ORG.memberOf, URIRef(f"{BASE}id/actor/afghan-government")) in graph
    assert (rahmani, RDF.type, PEACE.Person) in graph
    assert (rahmani, RDFS.label, Literal("Ahmad Wali Rahmani", lang="en")) in graph
    assert (rahmani, SKOS.altLabel, Literal("Rahmani", lang="en")) in graph
    assert (rahmani, ORG.memberOf, council) in graph
    assert (rahmani, PROV.wasDerivedFrom, article) in graph
    assert (rahmani, PEACE.evidence, None) in graph
    event = URIRef(f"{BASE}id/event/kandahar-council-meets-taliban/council-meets-taliban")
    assert (event, PEACE.participant, council) in graph
    assert (event, PEACE.accordingTo, rahmani) in graph
    assert (article, URIRef("https://schema.org/publisher"), URIRef(f"{BASE}id/actor/arghandab-times")) in graph


def test_reviewed_new_actors_need_no_confidence(tmp_path: Path, inputs: Inputs) -> None:
    convert_and_validate(annotation(tmp_path, status="reviewed", confidence=""), inputs)


def test_machine_new_actor_without_confidence_fails_validation(tmp_path: Path, inputs: Inputs) -> None:
    with pytest.raises(ValidationFailed, match="confidence"):
        convert_and_validate(annotation(tmp_path, confidence=""), inputs)


@pytest.mark.parametrize("change,words", [
    ({"council_id": "high-council-for-national-reconciliation"}, "already in the gazetteer; refer to it instead"),
    ({"member_of": "kandahar-shura"}, "'member_of: kandahar-shura' names no known actor"),
])
def test_new_actor_faults(tmp_path: Path, inputs: Inputs, change: dict, words: str) -> None:
    with pytest.raises(AnnotationError, match=words.replace("(", r"\(")) as caught:
        convert_and_validate(annotation(tmp_path, **change), inputs)
    assert caught.value.location.startswith(str(tmp_path / "annotations" / "council.yaml") + ":")


def test_new_actor_of_unknown_type(tmp_path: Path, inputs: Inputs) -> None:
    path = annotation(tmp_path)
    path.write_text(path.read_text().replace("type: GovernmentAgency", "type: Shura"), encoding="utf-8")
    with pytest.raises(AnnotationError, match="'type: Shura' is not one of"):
        convert_and_validate(path, inputs)


def test_unknown_actor_reference_still_fails(tmp_path: Path, inputs: Inputs) -> None:
    path = annotation(tmp_path)
    path.write_text(path.read_text().replace("according_to: [ahmad-wali-rahmani]", "according_to: [rahmani]"),
                    encoding="utf-8")
    with pytest.raises(AnnotationError, match="'according_to: rahmani' names no known actor"):
        convert_and_validate(path, inputs)


def test_an_organisation_in_a_known_persons_title_is_no_mention_of_its_own(index: ActorIndex) -> None:
    found = find(index, "Zalmay Khalilzad met Taliban co-founder Mullah Abdul Ghani Baradar in Doha.")
    assert [m.actor for m in found.mentions] == ["zalmay-khalilzad", "abdul-ghani-baradar"]
    # named on its own, it is a mention
    both = find(index, "The Taliban and Abdul Ghani Baradar agreed.")
    assert [m.actor for m in both.mentions] == ["taliban", "abdul-ghani-baradar"]


def test_a_possessive_title_before_a_comma_names_a_new_person(index: ActorIndex) -> None:
    found = find(index, "Abdullah's spokesman, Faraidoon Ahmadzai, said the deal was signed.")
    assert named(found, "Faraidoon Ahmadzai") == "faraidoon-ahmadzai"
    assert [a.id for a in found.new_actors] == ["faraidoon-ahmadzai"]
    # the whole title before the comma, not its first title word, describes the person
    met = find(index, "Khalilzad met the Taliban's chief negotiator, Abdul Ghani Baradar, on Monday.")
    assert [m.actor for m in met.mentions] == ["zalmay-khalilzad", "abdul-ghani-baradar"]


def test_a_nationality_before_a_name_cues_a_new_person(index: ActorIndex) -> None:
    found = find(index, "The Taliban freed the American Mark Frerichs and the Canadian Joshua Boyle.")
    assert named(found, "Mark Frerichs") == "mark-frerichs" and named(found, "Joshua Boyle") == "joshua-boyle"
    assert {a.id: a.type for a in found.new_actors} == {"mark-frerichs": "Person", "joshua-boyle": "Person"}
    # one word after the nationality is no name; an organisation keeps its own reading
    assert find(index, "The Indian Ocean was calm.").new_actors == []
    assert [a.type for a in find(index, "He visited the American Embassy.").new_actors] == ["GovernmentAgency"]


def test_a_full_name_that_says_something_is_a_new_person(index: ActorIndex) -> None:
    found = find(index, "Rahim Karimzai said the talks would go on. Later Karimzai told reporters it was over.")
    assert named(found, "Rahim Karimzai") == named(found, "Karimzai") == "rahim-karimzai"
    assert [(a.id, a.type) for a in found.new_actors] == [("rahim-karimzai", "Person")]
    inverted = find(index, "“We will not attend,” said Rahim Karimzai.")
    assert [(a.id, a.type) for a in inverted.new_actors] == [("rahim-karimzai", "Person")]
    # not a place, a people, a government or an acronym; not a name that says nothing
    for body in ("Kandahar Province said it was calm.", "Khaama Press said it was calm.",
                 "Afghan Taliban said it was calm.",
                 "Kabul Washington said it was calm.", "UNAMA FOO said it was calm.",
                 "Rahim Karimzai left the talks."):
        assert [a.type for a in find(index, body).new_actors if a.type == "Person"] == [], body


@pytest.mark.parametrize(("body", "actor"), [
    ("A government official said the talks went well.", "afghan-government-official"),
    ("Government officials said the talks went well.", "kabul-officials"),
    ("A US government official said the talks went well.", "senior-us-official"),
])
def test_a_government_official_belongs_to_the_government_named_or_the_government(
        index: ActorIndex, body: str, actor: str) -> None:
    assert [m.actor for m in find(index, body).mentions] == [actor]


@pytest.mark.parametrize(("body", "text", "actor"), [
    ("US special forces raided the prison.", "US special forces", "us-forces-afghanistan"),
    ("American combat troops left.", "American combat troops", "us-forces-afghanistan"),
    ("Afghan commandos raided the prison.", "Afghan commandos", "afghan-security-forces"),
    ("They said government forces retook it.", "government forces", "afghan-security-forces"),
])
def test_a_kind_of_force_after_its_owner_is_the_owners_force(index: ActorIndex, body: str, text: str,
                                                             actor: str) -> None:
    assert [(m.text, m.actor) for m in find(index, body).mentions] == [(text, actor)]


def test_another_person_of_a_known_surname_is_new_and_keeps_the_surname(index: ActorIndex) -> None:
    found = find(index, "The delegation was led by Abdul Qadir Stanekzai. Stanekzai said the talks went well.")
    assert named(found, "Abdul Qadir Stanekzai") == named(found, "Stanekzai") == "abdul-qadir-stanekzai"
    assert [a.id for a in found.new_actors] == ["abdul-qadir-stanekzai"]
    # named in full, the gazetteer's person keeps the surname
    known = find(index, "Masoom Stanekzai met Abdul Qadir Stanekzai. Stanekzai said the talks went well.")
    assert [m.actor for m in known.mentions][-1] == "masoom-stanekzai"


def test_an_organisations_own_first_words_stay_and_a_date_ends_a_name(index: ActorIndex) -> None:
    found = find(index, "The National Procurement Authority said so, the Bakhtar News Agency on June 30 reported.")
    assert named(found, "National Procurement Authority") == "national-procurement-authority"
    assert named(found, "Bakhtar News Agency") == "bakhtar-news-agency"
    chair = find(index, "He met the Chairman of the Centre for Peace Studies.")
    assert named(chair, "Centre for Peace Studies") == "centre-for-peace-studies"  # the chairman is no part of it


def test_a_gazetteer_persons_surname_alone_is_found_once_the_article_names_them_in_full(index: ActorIndex) -> None:
    body = "General Mir Asadullah Kohistani took over the base. \u201cWe will hold it,\u201d said Kohistani."
    assert named(find(index, body), "Kohistani") == "mir-asadullah-kohistani"  # no such alias in the gazetteer
    assert named(find(index, "\u201cWe will hold it,\u201d said Kohistani."), "Kohistani") is None  # never named in full


def test_a_surname_alone_means_the_person_of_that_name_named_in_full(index: ActorIndex) -> None:
    found = find(index, "Former president Hamid Karzai attended. Karzai called the talks useful.")
    assert named(found, "Karzai") == "hamid-karzai"  # not the gazetteer's other Karzai, never named here
    assert named(find(index, "Karzai called the talks useful."), "Karzai") == "hekmat-khalil-karzai"


@pytest.mark.parametrize(("body", "word", "actor"), [
    ("The Norwegian foreign ministry said talks would be held in Oslo.", "Norwegian", "norwegian-government"),
    ("The Norwegian government offered to host the talks.", "Norwegian", "norwegian-government"),
    ("The Emirati foreign ministry said the talks would go on.", "Emirati", "uae-government"),
    ("Afghanistan's government and the Taliban began talks.", "Afghanistan", "afghan-government"),
])
def test_a_nationality_or_country_before_a_body_of_state_is_that_state(index: ActorIndex, body: str, word: str,
                                                                       actor: str) -> None:
    assert [m.actor for m in find(index, body).mentions if m.text.startswith(word)] == [actor]


def test_a_nationality_before_other_people_is_no_state(index: ActorIndex) -> None:
    assert find(index, "Norwegian women marched in Oslo.").mentions == []


@pytest.mark.parametrize(("body", "found"), [
    ("Talks between the US and the Taliban opened.", ["united-states-government", "taliban"]),
    ("The road between Kabul and Kandahar was closed.", []),  # two places
])
def test_a_country_between_it_and_another_side_is_a_side(index: ActorIndex, body: str, found: list[str]) -> None:
    assert [m.actor for m in find(index, body).mentions] == found


@pytest.mark.parametrize("description", ["The Islamist movement", "The hardline group", "The insurgent movement"])
def test_more_descriptions_of_the_armed_group_named_last(index: ActorIndex, description: str) -> None:
    found = find(index, f"The Taliban attacked Kunduz on Monday. {description} denied it.")
    assert named(found, description) == "taliban"


def test_the_leader_is_the_person_named_last_with_that_title(index: ActorIndex) -> None:
    found = find(index, "The Taliban leader Haibatullah Akhundzada spoke on Monday. The leader agreed.")
    assert named(found, "The leader") == "hibatullah-akhundzada"
