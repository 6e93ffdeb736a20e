"""`kb ingest` of raw article files through the installed command: the extractor's draft is
written beside the store and loaded; a reviewed annotation wins; re-ingesting replaces; bad files
are reported one line each and leave the store as it was.

The expected facts are read from the seed article itself (data/articles/khalilzad-kabul-sahar-news.txt).
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
from cli_support import MINTER, kb

from kb.config import DEFAULT_DATA_DIR
from kb.store import EmbeddedStore

SEED = "khalilzad-kabul-sahar-news"
SEED_ARTICLE = DEFAULT_DATA_DIR / "articles" / f"{SEED}.txt"
OTHER_ANNOTATION = DEFAULT_DATA_DIR / "annotations" / "eid-ceasefire-hindu-kush-herald.yaml"
GIVEN = ("--published", "2019-12-04", "--publisher", "Sahar News")
PREFIXES = """PREFIX peace: <https://peacekb.example/ontology#>
PREFIX etype: <https://peacekb.example/event-type/>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX schema: <https://schema.org/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


def ask(store: Path, where: str) -> bool:
    with EmbeddedStore.open_reader(store) as reader:
        return reader.ask(f"{PREFIXES}ASK {{ GRAPH <{MINTER.article_graph(SEED)}> {{ {where} }} }}")


def quads_by_graph(store: Path) -> dict[str, set[str]]:
    with EmbeddedStore.open_reader(store) as reader:
        lines = reader.dump_nquads().decode("utf-8").splitlines()
    graphs: dict[str, set[str]] = defaultdict(set)
    for line in lines:
        graphs[line.rsplit(" ", 2)[-2]].add(line)
    return dict(graphs)


@pytest.fixture(scope="module")
def gazetteer_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the gazetteer and no annotations, so the seed article must be extracted."""
    data = tmp_path_factory.mktemp("raw") / "data"
    shutil.copytree(DEFAULT_DATA_DIR / "gazetteer", data / "gazetteer")
    (data / "annotations").mkdir()
    return data


@pytest.fixture(scope="module")
def drafted(tmp_path_factory: pytest.TempPathFactory, gazetteer_only: Path) -> tuple[Path, subprocess.CompletedProcess]:
    """A store holding the seed article ingested as raw text with only its date and publisher."""
    folder = tmp_path_factory.mktemp("drafted")
    article = folder / "in" / SEED_ARTICLE.name
    article.parent.mkdir()
    shutil.copy(SEED_ARTICLE, article)
    store = folder / "store"
    return store, kb("ingest", article, *GIVEN, "--data", gazetteer_only, "--store", store)


@pytest.fixture
def store_copy(drafted: tuple[Path, subprocess.CompletedProcess], tmp_path: Path) -> Path:
    store = tmp_path / "store"
    shutil.copytree(drafted[0], store)
    return store


def test_raw_seed_article_loads_from_a_machine_draft_beside_the_store(drafted) -> None:
    store, result = drafted
    assert result.returncode == 0, result.stderr
    draft = store.with_name("store-drafts") / f"{SEED}.yaml"
    assert f"from the machine draft {draft}" in result.stdout
    text = draft.read_text(encoding="utf-8")
    assert "status: machine" in text and str(SEED_ARTICLE.name) in text
    assert ask(store, "?e peace:assertedBy peace:MachineExtracted ; peace:confidence ?c")
    assert not ask(store, "?e peace:assertedBy peace:Reviewed")


def test_the_publisher_given_by_name_is_the_gazetteer_outlet(drafted) -> None:
    assert ask(drafted[0], f"?a schema:publisher <{MINTER.actor('sahar-news')}> ; "
                           "schema:datePublished \"2019-12-04\"^^xsd:date")


def test_khalilzads_arrival_in_kabul_on_wednesday(drafted) -> None:
    # "Zalmay Khalilzad arrived in Kabul on Wednesday": published Wednesday 4 December 2019.
    assert ask(drafted[0], f"""?e sem:eventType etype:visit ; peace:visitor <{MINTER.actor('zalmay-khalilzad')}> ;
        sem:hasPlace <{MINTER.place('kabul')}> ; sem:hasTimeStamp "2019-12-04"^^xsd:date""")


def test_trumps_thanksgiving_visit_to_bagram(drafted) -> None:
    # Trump's Thanksgiving 2019 visit to Bagram Airfield, where he met President Ghani.
    assert ask(drafted[0], f"""?e sem:eventType etype:visit ; peace:visitor <{MINTER.actor('donald-trump')}> ;
        sem:hasPlace <{MINTER.place('bagram-airfield')}> ; sem:hasTimeStamp "2019-11-28"^^xsd:date""")
    assert ask(drafted[0], f"""?e sem:hasActor <{MINTER.actor('donald-trump')}>, <{MINTER.actor('ashraf-ghani')}> ;
        sem:eventType etype:meeting""")


def test_the_week_long_ceasefire_proposal(drafted) -> None:
    # "A Taliban source says Khalilzad proposed a week-long ceasefire"; "The Taliban have not agreed".
    assert ask(drafted[0], f"""?p sem:eventType etype:proposal ; peace:proposer <{MINTER.actor('zalmay-khalilzad')}>""")
    assert ask(drafted[0], f"""?r sem:eventType etype:rejection ; peace:responder <{MINTER.actor('taliban')}>""")


def test_a_reviewed_annotation_wins_over_the_draft(store_copy: Path, seed_only_data: Path) -> None:
    result = kb("ingest", SEED_ARTICLE, *GIVEN, "--data", seed_only_data, "--store", store_copy)
    assert result.returncode == 0, result.stderr
    assert f"from its reviewed annotation {seed_only_data / 'annotations' / f'{SEED}.yaml'}" in result.stdout
    assert ask(store_copy, '?e peace:assertedBy peace:Reviewed ; <http://www.w3.org/2000/01/rdf-schema#label> '
                           '"Trump meets President Ghani at Bagram"@en')
    assert not ask(store_copy, "?e peace:assertedBy peace:MachineExtracted"), "the draft's graph is replaced"


def test_reingest_replaces_the_graph_and_a_new_publisher_becomes_an_actor(store_copy: Path, tmp_path: Path, gazetteer_only: Path) -> None:
    karzai = f"?e sem:hasActor <{MINTER.actor('hekmat-khalil-karzai')}>"
    assert ask(store_copy, karzai)
    lines = SEED_ARTICLE.read_text(encoding="utf-8").splitlines()
    shorter = [line for line in lines if "Karzai" not in line and "he tweeted" not in line]
    assert len(shorter) == len(lines) - 3
    article = tmp_path / SEED_ARTICLE.name
    article.write_text("\n".join(shorter), encoding="utf-8")
    # ... now said to be published by an outlet the gazetteer does not know
    result = kb("ingest", article, "--published", "2019-12-04", "--publisher", "Kabul Evening Post",
                "--data", gazetteer_only, "--store", store_copy)
    assert result.returncode == 0, result.stderr
    assert not ask(store_copy, karzai), "facts of the earlier version must be gone"
    assert ask(store_copy, f"?e peace:visitor <{MINTER.actor('zalmay-khalilzad')}>")
    assert ask(store_copy, """?a schema:publisher ?p . ?p a peace:NewsOrganisation ;
        <http://www.w3.org/2000/01/rdf-schema#label> "Kabul Evening Post"@en""")
    assert not ask(store_copy, f"?a schema:publisher <{MINTER.actor('sahar-news')}>")


def test_bad_files_are_reported_and_the_others_load(store_copy: Path, tmp_path: Path, gazetteer_only: Path) -> None:
    no_text = tmp_path / "empty-page.html"
    no_text.write_text("<html><head><title>Nothing</title></head><body><nav>Home</nav></body></html>", "utf-8")
    bad_name = tmp_path / "Seed Copy.txt"
    shutil.copy(SEED_ARTICLE, bad_name)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    undated = tmp_path / "undated-copy.txt"  # plain text says nothing of its date, and none is given
    shutil.copy(SEED_ARTICLE, undated)
    before = quads_by_graph(store_copy)

    result = kb("ingest", no_text, OTHER_ANNOTATION, bad_name, pdf, undated, "--data", gazetteer_only,
                "--store", store_copy)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert [e.split(":")[1].strip() for e in errors] == [str(no_text), str(bad_name), str(pdf), str(undated)]
    assert "no article text" in errors[0]
    assert "not a valid article id" in errors[1] and "rename" in errors[1]
    assert ".pdf" in errors[2] and ".yaml" in errors[2]
    assert "no publication date; give --published" in errors[3]
    assert "4 of 5 file(s) failed" in result.stderr
    assert f"loaded {OTHER_ANNOTATION}" in result.stdout
    after = quads_by_graph(store_copy)
    other = f"<{MINTER.article_graph('eid-ceasefire-hindu-kush-herald')}>"
    assert other in after and other not in before
    assert {g: q for g, q in after.items() if g != other} == before, "failed files must not change the store"
    assert not (store_copy.with_name("store-drafts") / "undated-copy.yaml").exists()
