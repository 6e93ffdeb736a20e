"""Scoring the extractor against the reviewed annotations (``kb evaluate``), and a second
reviewer's annotations against them (``kb evaluate --against``: how far two reviewers agree).

The scores are pure functions over two annotation documents (a reviewed one and a machine
draft, both as the dicts of docs/annotation-format.md) and are micro-averaged over the articles:
the true and false positives and the misses of every article are summed before precision, recall
and F1 are computed. What counts as a match:

- actors: the ids a fact refers to (event roles, ``according_to``, ``set_by``, ``member``,
  ``subject``, ``author``, ``cites``, ``to_outlet``), as a set per article;
- events: the same type, the same time (value, begin, end, earliest, latest and precision) and
  the same set of participants (every actor of every role); ``events (lenient)``: the same type
  and overlapping evidence;
- dates: among the leniently matched events, the share whose time is the same (value and
  precision), i.e. dated correctly at the right precision;
- proposals (events of type ``proposal``): the same proposers and overlapping evidence;
- preconditions: the same ``set_by`` and overlapping evidence;
- quotes (events with a ``quote``): the quoted texts share a stretch of at least 80 % of the
  longer one;
- coreference: pairwise precision and recall of cross-article same-event links
  (:mod:`kb.coreference`), against ``data/links.yaml``.

Each fact is matched at most once (a maximum matching between the two documents' facts).
The held-out articles (:data:`HELD_OUT`) were kept out of every rule-tuning decision.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml

from kb.annotation import ACTOR_KEYS, load_annotation
from kb.articles import read_article
from kb.errors import InputError, KBError
from kb.namespaces import IriMinter
from kb.records import as_list
from kb.yamlio import META_KEYS

#: Articles kept out of every rule-tuning decision: the extractor's rules are written and tuned
#: on the other (development) articles only, and its scores on these are the honest ones.
HELD_OUT = ("kabul-falls-oxus-dispatch", "ghani-prisoners-lapis-wire", "talks-open-salang-review",
            "moscow-troika-panjshir-ledger", "doha-dialogue-khost-observer", "blinken-letter-ghazni-tribune",
            "drawdown-2500-paktia-herald", "maternity-attack-takhar-review", "kabul-process-offer-wardak-wire")
PARTS = ("development", "held-out", "all")
QUOTE_OVERLAP = 0.8
TIME_KEYS = ("value", "begin", "end", "earliest", "latest", "precision")
MEASURES = ("actors", "events", "events (lenient)", "dates", "proposals", "preconditions", "quotes")


@dataclass
class Score:
    """Counts of one measure: true positives, false positives (draft only), misses (reviewed only)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass
class Accuracy:
    """The share of ``total`` items that are ``correct``."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def __add__(self, other: Accuracy) -> Accuracy:
        return Accuracy(self.correct + other.correct, self.total + other.total)

    def as_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


@dataclass
class Ratios:
    """Precision, recall and F1 given as such (pairwise coreference, :mod:`kb.coreference`)."""

    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, Any]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


Scores = dict[str, Score | Accuracy | Ratios]


def score_article(reviewed: dict[str, Any], draft: dict[str, Any]) -> Scores:
    """Every measure of :data:`MEASURES` for one article's reviewed annotation and draft."""
    strict, lenient, dates = event_scores(reviewed, draft)
    return {
        "actors": actor_score(reviewed, draft), "events": strict, "events (lenient)": lenient,
        "dates": dates, "proposals": proposal_score(reviewed, draft),
        "preconditions": precondition_score(reviewed, draft), "quotes": quote_score(reviewed, draft),
    }


def add_scores(all_scores: Iterable[Scores]) -> Scores:
    """Micro-average: the sum of each measure's counts over the articles."""
    total: Scores = {}
    for scores in all_scores:
        for name, score in scores.items():
            total[name] = total[name] + score if name in total else score  # type: ignore[operator]
    return total


def actor_score(reviewed: dict[str, Any], draft: dict[str, Any]) -> Score:
    """The actors referred to by the facts of each document, compared as sets."""
    return _set_score(referenced_actors(reviewed), referenced_actors(draft))


def referenced_actors(doc: dict[str, Any]) -> set[str]:
    """The actor ids the facts of ``doc`` refer to (not the article's publisher)."""
    found: set[str] = set()
    for fact in _facts(doc):
        for key in ACTOR_KEYS:
            found.update(str(a) for a in as_list(fact.get(key)))
        found |= participants(fact)
    return found


def participants(event: dict[str, Any]) -> set[str]:
    """Every actor of every role of an event."""
    roles = event.get("roles") or {}
    return {str(a) for role, actors in roles.items() if role not in META_KEYS for a in as_list(actors)}


def event_scores(reviewed: dict[str, Any], draft: dict[str, Any]) -> tuple[Score, Score, Accuracy]:
    """Events matched strictly (type, time, participants) and leniently (type, overlapping
    evidence), and the time accuracy over the leniently matched pairs."""
    gold, found = _section(reviewed, "events"), _section(draft, "events")
    strict = _matched_score(gold, found, lambda g, d: _type(g) == _type(d) and time_key(g) == time_key(d)
                            and participants(g) == participants(d))
    pairs = _lenient_pairs(gold, found)
    lenient = Score(len(pairs), len(found) - len(pairs), len(gold) - len(pairs))
    dates = Accuracy(sum(time_key(gold[i]) == time_key(found[j]) for i, j in pairs), len(pairs))
    return strict, lenient, dates


def matched_events(reviewed: dict[str, Any], draft: dict[str, Any]) -> dict[str, str]:
    """The reviewed event id of each leniently matched draft event, by draft event id."""
    gold, found = _section(reviewed, "events"), _section(draft, "events")
    return {str(found[j]["id"]): str(gold[i]["id"]) for i, j in _lenient_pairs(gold, found)}


def proposal_score(reviewed: dict[str, Any], draft: dict[str, Any]) -> Score:
    """Proposal events with the same proposers and overlapping evidence."""
    gold, found = ([e for e in _section(doc, "events") if _type(e) == "proposal"] for doc in (reviewed, draft))
    return _matched_score(gold, found, lambda g, d: _role(g, "proposer") == _role(d, "proposer")
                          and evidence_overlaps(g, d))


def precondition_score(reviewed: dict[str, Any], draft: dict[str, Any]) -> Score:
    """Preconditions set by the same actor with overlapping evidence."""
    return _matched_score(_section(reviewed, "preconditions"), _section(draft, "preconditions"),
                          lambda g, d: str(g.get("set_by")) == str(d.get("set_by")) and evidence_overlaps(g, d))


def quote_score(reviewed: dict[str, Any], draft: dict[str, Any]) -> Score:
    """Quotes (events' ``quote``) that overlap by at least :data:`QUOTE_OVERLAP`."""
    gold, found = ([str(e["quote"]) for e in _section(doc, "events") if e.get("quote")] for doc in (reviewed, draft))
    return _matched_score(gold, found, lambda g, d: quote_overlap(g, d) >= QUOTE_OVERLAP)


def quote_overlap(a: str, b: str) -> float:
    """The longest stretch two quotes share, as a share of the longer one (whitespace and case
    folded, surrounding quotation marks and punctuation ignored)."""
    a, b = _plain(a), _plain(b)
    if not a or not b:
        return 0.0
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size / max(len(a), len(b))


def time_key(fact: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A fact's time as comparable text: each of value, begin, end, earliest, latest, precision."""
    time = fact.get("time") or {}
    return tuple((k, str(time[k])) for k in TIME_KEYS if time.get(k) is not None)


def evidence_overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether a span of ``a``'s evidence overlaps a span of ``b``'s."""
    return any(int(x["start"]) < int(y["end"]) and int(y["start"]) < int(x["end"])
               for x in as_list(a.get("evidence")) for y in as_list(b.get("evidence")))


def maximum_matching(gold: Sequence[Any], found: Sequence[Any],
                     compatible: Callable[[Any, Any], bool]) -> list[tuple[int, int]]:
    """The largest set of (gold index, found index) pairs that are ``compatible``, each item used
    once (augmenting paths; the documents are small)."""
    edges = [[j for j, d in enumerate(found) if compatible(g, d)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


@dataclass
class Reviewed:
    """An annotation (reviewed, or scored against a reviewed one) as its document, and its file."""

    path: Path
    doc: dict[str, Any]

    @property
    def article_id(self) -> str:
        return str(self.doc["article"]["id"])


def reviewed_annotations(data_dir: Path) -> list[Reviewed]:
    """The reviewed annotations under ``data_dir/annotations`` (machine drafts left out).

    :raises InputError: when one cannot be parsed.
    """
    return annotations_in(data_dir / "annotations", statuses=("reviewed",))


def annotations_in(folder: Path, statuses: tuple[str, ...] = ("reviewed", "machine")) -> list[Reviewed]:
    """The annotation files (``*.yaml``) in ``folder`` whose review status is one of ``statuses``.

    :raises InputError: when one cannot be parsed.
    """
    found = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            wanted = doc["review"]["status"] in statuses
        except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, KeyError) as exc:
            raise InputError(f"{path}: cannot be read as an annotation ({exc}); check it with kb build.") from exc
        if wanted:
            found.append(Reviewed(path, doc))
    return found


def draft_for(reviewed: Reviewed, index: Any, gazetteer_dir: Path, publisher_names: dict[str, str]) -> dict[str, Any]:
    """The extractor's draft of a reviewed annotation's raw article, given the annotation's article
    metadata as a user would give it on the command line (the publisher by its name)."""
    from kb.extract import extract

    meta = reviewed.doc["article"]
    publisher = str(meta["publisher"])
    article = read_article((reviewed.path.parent / str(meta["file"])).resolve(), title=meta.get("title"),
                           published=meta.get("published"), publisher=publisher_names.get(publisher, publisher),
                           url=meta.get("url"), language=meta.get("language"))
    return extract(article, reviewed.article_id, index, published=article.published, gazetteer_dir=gazetteer_dir)


@dataclass
class Evaluation:
    """Every reviewed article's scores, the drafts they were computed from, and the articles
    the extractor failed on (scored as empty drafts)."""

    per_article: dict[str, Scores] = field(default_factory=dict)
    drafts: dict[str, dict[str, Any]] = field(default_factory=dict)
    matches: dict[str, dict[str, str]] = field(default_factory=dict)  # article: draft event -> reviewed event
    failures: list[str] = field(default_factory=list)
    coreference: Coreference | None = None

    def part(self, name: str) -> PartResult:
        result = split(self.per_article, name)
        if self.coreference is not None:
            result.scores.update(self.coreference.scores(set(result.articles)))
        return result

    def as_json(self, parts: Sequence[str]) -> dict[str, Any]:
        return {
            "held_out": list(HELD_OUT),
            "parts": {name: {"articles": result.articles, "scores": _as_dicts(result.scores)}
                      for name, result in ((n, self.part(n)) for n in parts)},
            "articles": {a: {"part": part_of(a), "scores": _as_dicts(s)} for a, s in sorted(self.per_article.items())},
            "failures": self.failures,
        }


def evaluate_corpus(data_dir: Path, progress: Callable[[Iterable[Reviewed]], Iterable[Reviewed]] = iter) -> Evaluation:
    """Run the extractor on the raw article of every reviewed annotation under ``data_dir`` and
    score its draft against the annotation (``progress`` wraps the loop, for a progress bar)."""
    from kb.extract.actors import ActorIndex

    gazetteer_dir = data_dir / "gazetteer"
    index = ActorIndex.from_folder(gazetteer_dir)
    names = actor_names(gazetteer_dir)
    result = Evaluation()
    corpus = reviewed_annotations(data_dir)
    for reviewed in progress(corpus):
        try:
            draft = draft_for(reviewed, index, gazetteer_dir, names)
        except Exception as exc:  # noqa: BLE001 - reported and scored as an empty draft; the others still run
            result.failures.append(f"{reviewed.path}: the extractor failed ({type(exc).__name__}: {exc}); "
                                   "the article is scored as if nothing had been extracted.")
            draft = {}
        result.drafts[reviewed.article_id] = draft
        result.matches[reviewed.article_id] = matched_events(reviewed.doc, draft)
        result.per_article[reviewed.article_id] = score_article(reviewed.doc, draft)
    if (data_dir / "links.yaml").exists():
        result.coreference = coreference_clusters(data_dir, corpus, result)
    return result


def agreement(data_dir: Path, other_dir: Path) -> Evaluation:
    """Score the annotations in ``other_dir`` (a second reviewer's files, or saved drafts, each
    named after its article and checked as ``kb build`` checks it) against the reviewed
    annotations of the same articles under ``data_dir``, in place of the extractor's drafts.

    Two reviewers' agreement is the ceiling against which the extractor's scores are read.
    Cross-article coreference is not scored.

    :raises InputError: when ``other_dir`` holds no annotation, or one annotates an article that
        has no reviewed annotation.
    :raises AnnotationError: when one does not load, naming its file and line.
    """
    from kb.gazetteer import load_gazetteer

    gazetteer = load_gazetteer(data_dir / "gazetteer", IriMinter())
    reviewed = {r.article_id: r for r in reviewed_annotations(data_dir)}
    others = annotations_in(other_dir)
    if not others:
        raise InputError(f"{other_dir}: no annotation (*.yaml) to score; give the folder of the second "
                         "reviewer's files, each named after its article.")
    result = Evaluation()
    for other in others:
        load_annotation(other.path, gazetteer)
        if other.article_id not in reviewed:
            raise InputError(f"{other.path}: article '{other.article_id}' has no reviewed annotation in "
                             f"{data_dir / 'annotations'} to score it against; check its 'article: id'.")
        result.drafts[other.article_id] = other.doc
        result.matches[other.article_id] = matched_events(reviewed[other.article_id].doc, other.doc)
        result.per_article[other.article_id] = score_article(reviewed[other.article_id].doc, other.doc)
    return result


@dataclass
class Coreference:
    """Clusters of cross-article reports of one event, as sets of ``article-id/fact-id``: the
    reviewed ones (data/links.yaml), and those :func:`kb.coreference.propose_links` finds among
    the reviewed annotations' events and among the drafts' (each draft event named by the
    reviewed event it matches leniently, so an unmatched one can only be a false link)."""

    gold: list[set[str]]
    on_reviewed: list[set[str]]
    on_drafts: list[set[str]]

    def scores(self, articles: set[str]) -> dict[str, Ratios]:
        """Pairwise scores over the links between ``articles``."""
        from kb.coreference import pairwise_scores

        gold = _within(self.gold, articles)
        return {"coreference (reviewed events)": Ratios(*pairwise_scores(_within(self.on_reviewed, articles), gold)),
                "coreference (drafts)": Ratios(*pairwise_scores(_within(self.on_drafts, articles), gold))}


def coreference_clusters(data_dir: Path, reviewed: list[Reviewed], evaluation: Evaluation) -> Coreference:
    """The reviewed clusters and those proposed over the reviewed annotations and over the drafts
    of ``evaluation`` (a draft that does not load is reported among its failures and left out)."""
    from kb.build import Inputs
    from kb.coreference import propose_links
    from kb.extract import write_draft
    from kb.links import load_links

    inputs = Inputs.load(data_dir, IriMinter())
    gold = load_links(data_dir / "links.yaml").gold_clusters()
    annotations = [load_annotation(r.path, inputs.gazetteer) for r in reviewed]
    on_reviewed = [set(c.members) for c in propose_links(annotations, inputs.vocabulary, inputs.gazetteer)]
    drafts = []
    with tempfile.TemporaryDirectory(prefix="kb-evaluate-") as tmp:
        for article_id, doc in evaluation.drafts.items():
            if not doc:
                continue
            path = Path(tmp) / f"{article_id}.yaml"
            write_draft(doc, path)
            try:
                drafts.append(load_annotation(path, inputs.gazetteer))
            except KBError as exc:
                evaluation.failures.append(f"the draft of {article_id} does not load ({exc}); it is left out of "
                                           "the coreference of drafts.")
    proposed = propose_links(drafts, inputs.vocabulary, inputs.gazetteer)
    on_drafts = [{_reviewed_name(ref, evaluation.matches) for ref in c.members} for c in proposed]
    return Coreference(gold, on_reviewed, on_drafts)


def _reviewed_name(ref: str, matches: dict[str, dict[str, str]]) -> str:
    article, _, fact = ref.partition("/")
    reviewed = matches.get(article, {}).get(fact)
    return f"{article}/{reviewed}" if reviewed else f"{article}/draft:{fact}"


def _within(clusters: list[set[str]], articles: set[str]) -> list[set[str]]:
    kept = ({ref for ref in c if ref.partition("/")[0] in articles} for c in clusters)
    return [c for c in kept if len(c) > 1]


def actor_names(gazetteer_dir: Path) -> dict[str, str]:
    """Each gazetteer actor's label, by id."""
    doc = yaml.safe_load((gazetteer_dir / "actors.yaml").read_text(encoding="utf-8"))
    return {str(a["id"]): str(a["label"]) for a in doc.get("actors") or []}


@dataclass
class PartResult:
    """The micro-averaged scores of a part of the corpus and those of each of its articles."""

    name: str
    articles: list[str] = field(default_factory=list)
    scores: Scores = field(default_factory=dict)
    per_article: dict[str, Scores] = field(default_factory=dict)


def part_of(article_id: str) -> str:
    return "held-out" if article_id in HELD_OUT else "development"


def split(per_article: dict[str, Scores], part: str) -> PartResult:
    """The scores of the articles of ``part`` (``development``, ``held-out`` or ``all``)."""
    chosen = {a: s for a, s in sorted(per_article.items()) if part == "all" or part_of(a) == part}
    return PartResult(part, list(chosen), add_scores(chosen.values()), chosen)


def table(result: PartResult) -> str:
    """A part's scores as an aligned text table."""
    rows = [("measure", "tp", "fp", "fn", "P", "R", "F1")]
    for name, score in result.scores.items():
        if isinstance(score, Ratios):
            rows.append((name, "", "", "", _num(score.precision), _num(score.recall), _num(score.f1)))
        elif isinstance(score, Accuracy):
            rows.append((f"{name} (accuracy)", str(score.correct), "", str(score.total - score.correct),
                         "", "", _num(score.value)))
        else:
            rows.append((name, str(score.tp), str(score.fp), str(score.fn), _num(score.precision),
                         _num(score.recall), _num(score.f1)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [f"{result.name}: {len(result.articles)} article(s)"]
    lines += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
              for r in rows]
    lines.append("dates: tp = leniently matched events dated right (value and precision), fn = dated wrong; "
                 "last column: their share.")
    return "\n".join(lines)


def _as_dicts(scores: Scores) -> dict[str, dict[str, Any]]:
    return {name: score.as_dict() for name, score in scores.items()}


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _lenient_pairs(gold: Sequence[dict[str, Any]], found: Sequence[dict[str, Any]]) -> list[tuple[int, int]]:
    return maximum_matching(gold, found, lambda g, d: _type(g) == _type(d) and evidence_overlaps(g, d))


def _set_score(gold: set[str], found: set[str]) -> Score:
    return Score(len(gold & found), len(found - gold), len(gold - found))


def _matched_score(gold: Sequence[Any], found: Sequence[Any], compatible: Callable[[Any, Any], bool]) -> Score:
    matched = len(maximum_matching(gold, found, compatible))
    return Score(matched, len(found) - matched, len(gold) - matched)


def _section(doc: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [r for r in as_list(doc.get(name)) if isinstance(r, dict)]


def _facts(doc: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for name in ("reports", "memberships", "events", "quantities", "preconditions", "conditions"):
        yield from _section(doc, name)


def _type(event: dict[str, Any]) -> str:
    return str(event.get("type"))


def _role(event: dict[str, Any], role: str) -> set[str]:
    return {str(a) for a in as_list((event.get("roles") or {}).get(role))}


def _plain(quote: str) -> str:
    return " ".join(quote.casefold().split()).strip(" \"'“”‘’.,;:")
