"""kb evaluate's scoring on hand-made reviewed/draft pairs whose true and false positives are
counted by hand (no extractor involved)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta

import pytest
import yaml

from kb.config import DEFAULT_DATA_DIR
from kb.evaluate import (
    HELD_OUT,
    Accuracy,
    Coreference,
    Score,
    add_scores,
    agreement,
    matched_events,
    maximum_matching,
    quote_overlap,
    score_article,
    split,
)

SEED = "khalilzad-kabul-sahar-news"


def span(start: int, end: int) -> dict:
    return {"start": start, "end": end, "exact": "x" * (end - start)}


def event(fid: str, etype: str, roles: dict, at: tuple[int, int], time: dict | None = None, **more) -> dict:
    return {"id": fid, "type": etype, "label": fid, "status": "occurred", "roles": roles,
            "time": time or {}, "evidence": span(*at), **more}


DAY = {"value": date(2019, 12, 4), "precision": "day"}

REVIEWED = {
    "events": [
        event("r1", "visit", {"visitor": ["a"], "host": ["b"]}, (0, 10), DAY, according_to=["g"]),
        event("r2", "meeting", {"participant": ["a", "c"]}, (20, 30), {"value": "2019-11", "precision": "month"}),
        event("r3", "proposal", {"proposer": ["a"], "addressee": ["d"]}, (40, 50),
              {"latest": date(2019, 12, 4), "precision": "day"}),
        event("r4", "statement", {"speaker": ["c"]}, (60, 70), DAY, quote="We spoke about the way forward"),
    ],
    "preconditions": [{"id": "p1", "label": "p", "set_by": "b", "requires": [], "evidence": span(300, 320)}],
}
DRAFT = {
    "events": [
        # r1 exactly, the date written as text as a draft may write it: strict, lenient, date right
        event("d1", "visit", {"visitor": ["a"], "host": ["b"]}, (5, 15), {"value": "2019-12-04", "precision": "day"}),
        # r2 at the wrong precision: lenient only, date wrong
        event("d2", "meeting", {"participant": ["c", "a"]}, (25, 35), {"value": "2019-11-20", "precision": "day"}),
        # r3 with the wrong proposer: lenient only, date right, proposal wrong
        event("d3", "proposal", {"proposer": ["e"], "addressee": ["d"]}, (45, 48),
              {"latest": "2019-12-04", "precision": "day"}),
        # r4 with evidence elsewhere: strict (type, time, participants) but not lenient; quote right
        event("d4", "statement", {"speaker": ["c"]}, (100, 110), DAY, quote="“we spoke about the  way forward.”"),
        # nothing of the reviewed file
        event("d5", "attack", {"attacker": ["f"], "target": ["b"]}, (200, 210)),
    ],
    "preconditions": [{"id": "q1", "label": "q", "set_by": "c", "requires": [], "evidence": span(305, 310)}],
}


@pytest.fixture(scope="module")
def scores() -> dict:
    return score_article(REVIEWED, DRAFT)


def counts(score: Score) -> tuple[int, int, int]:
    return score.tp, score.fp, score.fn


def test_events_strict_need_type_time_and_participants(scores: dict) -> None:
    strict = scores["events"]
    assert counts(strict) == (2, 3, 2)  # r1-d1 and r4-d4
    assert strict.precision == pytest.approx(2 / 5)
    assert strict.recall == pytest.approx(2 / 4)
    assert strict.f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)


def test_events_lenient_need_type_and_overlapping_evidence(scores: dict) -> None:
    lenient = scores["events (lenient)"]
    assert counts(lenient) == (3, 2, 1)  # r1-d1, r2-d2, r3-d3
    assert lenient.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)


def test_dates_are_judged_on_the_leniently_matched_events(scores: dict) -> None:
    dates = scores["dates"]
    assert (dates.correct, dates.total) == (2, 3)  # d2 has the right month but at day precision
    assert dates.value == pytest.approx(2 / 3)


def test_actors_are_the_sets_referred_to_by_facts(scores: dict) -> None:
    actors = scores["actors"]
    # reviewed {a, b, c, d, g}; draft {a, b, c, d, e, f}
    assert counts(actors) == (4, 2, 1)
    assert actors.f1 == pytest.approx(2 * (4 / 6) * (4 / 5) / (4 / 6 + 4 / 5))


def test_proposals_preconditions_and_quotes(scores: dict) -> None:
    assert counts(scores["proposals"]) == (0, 1, 1)
    assert scores["proposals"].f1 == 0.0
    assert counts(scores["preconditions"]) == (0, 1, 1)
    assert counts(scores["quotes"]) == (1, 0, 0)


def test_quote_overlap_is_the_shared_stretch_of_the_longer_quote() -> None:
    full = "Americans had withdrawn from negotiations and it is also up to them to restart the process."
    assert quote_overlap(full, "Americans had withdrawn from negotiations") < 0.8
    assert quote_overlap(full, full.replace("Americans", "americans")) == 1.0
    assert quote_overlap(full, full[:-1] + " now.") >= 0.8
    assert quote_overlap("", full) == 0.0


def test_matching_is_maximum_not_greedy() -> None:
    # g0 fits both, g1 only the first: a greedy pass giving f0 to g0 would leave g1 unmatched
    fits = {(0, 0), (0, 1), (1, 0)}
    assert maximum_matching(["g0", "g1"], ["f0", "f1"], lambda g, f: (int(g[1]), int(f[1])) in fits) == [(0, 1), (1, 0)]


def test_micro_average_sums_counts_over_articles() -> None:
    total = add_scores([{"events": Score(1, 0, 0), "dates": Accuracy(1, 1)},
                        {"events": Score(0, 0, 3), "dates": Accuracy(0, 1)}])
    assert total["events"].recall == pytest.approx(1 / 4)  # the macro average would be 0.5
    assert total["dates"].value == pytest.approx(0.5)


def test_undefined_ratios_are_none_not_zero() -> None:
    empty = score_article({"events": []}, {"events": []})
    assert empty["events"].precision is None and empty["events"].f1 is None
    assert empty["dates"].value is None


def test_a_reviewed_annotation_scores_perfectly_against_itself() -> None:
    doc = yaml.safe_load((DEFAULT_DATA_DIR / "annotations" / "khalilzad-kabul-sahar-news.yaml").read_text("utf-8"))
    for name, score in score_article(doc, doc).items():
        ratio = score.value if isinstance(score, Accuracy) else score.f1
        assert ratio == 1.0, name


def test_split_keeps_the_held_out_articles_apart() -> None:
    per_article = {"kabul-falls-oxus-dispatch": {"events": Score(1, 0, 0)},
                   "khalilzad-kabul-sahar-news": {"events": Score(0, 2, 0)}}
    held_out, development, whole = (split(per_article, p) for p in ("held-out", "development", "all"))
    assert held_out.articles == ["kabul-falls-oxus-dispatch"] and held_out.scores["events"].precision == 1.0
    assert development.articles == ["khalilzad-kabul-sahar-news"] and development.scores["events"].precision == 0.0
    assert whole.scores["events"].precision == pytest.approx(1 / 3)
    assert all((DEFAULT_DATA_DIR / "annotations" / f"{a}.yaml").exists() for a in HELD_OUT)


def test_kb_evaluate_scores_every_reviewed_fact_of_the_corpus(seed_only_data) -> None:
    """Through the command: the seed alone is the development part; every reviewed fact is either
    found or missed, whatever the extractor drafts."""
    result = subprocess.run([sys.executable, "-m", "kb", "evaluate", "--data", str(seed_only_data), "--json"],
                            check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["parts"]["development"]["articles"] == [SEED] and report["parts"]["held-out"]["articles"] == []
    scores = report["parts"]["all"]["scores"]
    doc = yaml.safe_load((seed_only_data / "annotations" / f"{SEED}.yaml").read_text("utf-8"))
    quotes = [e for e in doc["events"] if e.get("quote")]
    assert scores["events"]["tp"] + scores["events"]["fn"] == len(doc["events"])
    assert scores["quotes"]["tp"] + scores["quotes"]["fn"] == len(quotes) == 5  # the five quotations of the seed article
    assert scores["preconditions"]["tp"] + scores["preconditions"]["fn"] == len(doc["preconditions"]) == 7
    assert scores["dates"]["total"] == scores["events (lenient)"]["tp"]

    table = subprocess.run([sys.executable, "-m", "kb", "evaluate", "--data", str(seed_only_data), "--part",
                            "held-out"], check=False, capture_output=True, text=True, timeout=120)
    assert table.returncode == 0 and table.stdout.startswith("held-out: 0 article(s)")


def test_coreference_is_scored_pairwise_within_the_part() -> None:
    gold = [{"a/visit", "b/visit", "c/trip"}]  # three links: a-b, a-c, b-c
    drafts = [{"a/visit", "b/visit"}, {"c/draft:meeting", "a/talks"}]  # two links, one of them right
    coreference = Coreference(gold, on_reviewed=gold, on_drafts=drafts)
    whole = coreference.scores({"a", "b", "c"})["coreference (drafts)"]
    assert (whole.precision, whole.recall) == pytest.approx((1 / 2, 1 / 3))
    assert whole.f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))
    assert coreference.scores({"a", "b", "c"})["coreference (reviewed events)"].f1 == 1.0
    two = coreference.scores({"a", "b"})["coreference (drafts)"]  # only the a-b link is left on both sides
    assert (two.precision, two.recall) == (1.0, 1.0)


def test_draft_events_are_named_by_the_reviewed_events_they_match() -> None:
    assert matched_events(REVIEWED, DRAFT) == {"d1": "r1", "d2": "r2", "d3": "r3"}


def strings_outside_ids(node: object) -> set[str]:
    """Every string of an annotation document except the values of ``id`` keys: what its facts refer to."""
    if isinstance(node, dict):
        return set().union(*(strings_outside_ids(v) for k, v in node.items() if k != "id"))
    if isinstance(node, list):
        return set().union(*(strings_outside_ids(v) for v in node))
    return {node} if isinstance(node, str) else set()


@pytest.fixture()
def second_review(seed_only_data, tmp_path):
    """A copy of the seed-only data with a second reviewer's folder beside ``annotations/``, which
    holds the seed's reviewed annotation less one event, with another event dated a day early."""
    data = tmp_path / "data"
    shutil.copytree(seed_only_data, data)
    doc = yaml.safe_load((data / "annotations" / f"{SEED}.yaml").read_text("utf-8"))
    referred = strings_outside_ids(doc)
    dropped = next(e for e in doc["events"] if e["id"] not in referred)
    redated = next(e for e in doc["events"] if e is not dropped and "value" in e["time"]
                   and e["time"]["precision"] == "day")
    redated["time"]["value"] -= timedelta(days=1)
    doc["events"].remove(dropped)
    (data / "second").mkdir()
    (data / "second" / f"{SEED}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return data, len(doc["events"]) + 1


def kb_evaluate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kb", "evaluate", *args], check=False, capture_output=True,
                          text=True, timeout=120)


def test_kb_evaluate_against_scores_a_second_reviewer_instead_of_the_extractor(second_review) -> None:
    data, reviewed_events = second_review
    result = kb_evaluate("--data", str(data), "--against", str(data / "second"), "--json")
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)["parts"]["development"]["scores"]
    # the dropped event is missed; the redated one matches leniently only and is dated wrong
    assert (scores["events"]["tp"], scores["events"]["fp"], scores["events"]["fn"]) == (reviewed_events - 2, 1, 2)
    assert (scores["events (lenient)"]["tp"], scores["events (lenient)"]["fn"]) == (reviewed_events - 1, 1)
    assert (scores["dates"]["correct"], scores["dates"]["total"]) == (reviewed_events - 2, reviewed_events - 1)
    assert scores["quotes"]["f1"] == scores["preconditions"]["f1"] == 1.0


@pytest.mark.parametrize(("change", "message"), [
    (lambda doc: doc["article"].update(id="no-such-article"), "article 'no-such-article' has no reviewed annotation"),
    (lambda doc: doc["events"][0]["evidence"].update(exact="not in the article"), "the quote does not occur"),
], ids=["unknown-article", "quote-not-in-the-body"])
def test_kb_evaluate_against_names_the_file_at_fault(second_review, change, message) -> None:
    data, _ = second_review
    path = data / "second" / f"{SEED}.yaml"
    doc = yaml.safe_load(path.read_text("utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    result = kb_evaluate("--data", str(data), "--against", str(data / "second"))
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr.startswith(f"error: {path}") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_kb_evaluate_against_an_empty_folder_says_what_to_give(tmp_path, seed_only_data) -> None:
    result = kb_evaluate("--data", str(seed_only_data), "--against", str(tmp_path))
    assert result.returncode != 0 and "no annotation (*.yaml) to score" in result.stderr


def test_the_second_review_loads_and_keeps_to_the_development_part() -> None:
    """data/second-review (the agreement study, BENCHMARKS.md) stays loadable as the gazetteer
    changes, and never re-annotates a held-out article."""
    folder = DEFAULT_DATA_DIR / "second-review"
    result = agreement(DEFAULT_DATA_DIR, folder)
    assert sorted(result.per_article) == sorted(p.stem for p in folder.glob("*.yaml"))
    assert result.per_article and not set(result.per_article) & set(HELD_OUT)
