"""The article readers on realistic files, against bodies and metadata written out by hand."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from kb.articles import read_article

FIXTURES = Path(__file__).parent / "reader_fixtures"
SEED = Path(__file__).parents[1] / "data" / "articles" / "khalilzad-kabul-sahar-news.txt"


def test_saved_news_page_keeps_only_the_article() -> None:
    article = read_article(FIXTURES / "tolonews-style-page.html")
    assert article.body == (
        "KABUL – The Afghan government on Thursday freed another 100 Taliban prisoners, the National "
        "Security Council said, a week after the releases were paused.\n\n"
        "Javid Faisal, the council’s spokesman, said the \"technical teams\" of both sides would meet "
        "again in Bagram. The Taliban did not comment.\n\n"
        "Next steps\n\n"
        "Under the February agreement signed in Doha, up to 5,000 prisoners are to be freed."
    )
    assert article.title == "Prisoner Releases Resume After Week-Long Pause"
    assert article.publisher == "Kabul Daily Example"
    assert article.published == date(2020, 4, 16)
    assert article.url == "https://daily.example.org/2020/04/prisoners"  # canonical wins over og:url
    assert article.language == "en"
    assert article.author == "Staff Reporter"


def test_page_without_article_element_uses_the_densest_block() -> None:
    # Declared windows-1252, <br><br> paragraphs, a share line, "Check Also" teaser and comment heading.
    article = read_article(FIXTURES / "old-portal-page.htm")
    assert article.body == (
        "KABUL – Taliban fighters and Afghan soldiers embraced in several provinces on Saturday as the "
        "three-day Eid ceasefire held for a second day.\n\n"
        "In Nangarhar, residents said fighters entered the city unarmed; “we want peace,” one of them told "
        "reporters. President Ashraf Ghani extended the government’s truce, which was due to end on Tuesday."
    )
    assert article.title == "Ceasefire Holds on Second Day of Eid"
    assert article.published == date(2018, 6, 16)
    assert article.publisher is None and article.url is None


def test_cms_page_without_article_element_drops_sharing_related_and_comments() -> None:
    article = read_article(FIXTURES / "wordpress-no-article.html")
    assert article.body == (
        "DOHA – Afghan government and Taliban negotiators opened talks in Doha on Saturday, the first "
        "direct negotiations between the two sides.\n\n"
        "US Secretary of State Mike Pompeo attended the opening ceremony and urged both sides to "
        "“seize this opportunity”."
    )
    assert article.title == "Talks Resume in Doha"  # the " | Site" suffix of <title> is cut
    assert (article.published, article.url) == (date(2020, 9, 12), "https://times.example.af/talks-resume-in-doha/")


def test_article_in_main_with_time_element_and_story_links() -> None:
    article = read_article(FIXTURES / "main-article-components.html")
    assert article.body == (
        "Talks between the Afghan government and the Taliban have begun in Qatar.\n\n"
        "The talks are expected to be difficult, with the two sides far apart on a ceasefire.\n\n"
        "\"Peace is possible,\" said Abdullah Abdullah."
    )
    assert article.published == date(2020, 9, 12)  # from <time datetime>
    assert (article.title, article.publisher) == ("Afghan peace talks begin in Qatar", "Example Broadcasting")


def test_page_with_only_json_ld_metadata() -> None:
    # No og:* or article:* tags: the NewsArticle in an @graph gives the metadata; a broken
    # JSON-LD block before it is skipped; the publisher is an @id reference.
    article = read_article(FIXTURES / "json-ld-only-page.html")
    assert article.body == (
        "DOHA – The US envoy returned to Qatar on Saturday and the talks with the Taliban started again, "
        "three months after they were called off.\n\nNeither side said when a deal could be reached."
    )
    assert (article.title, article.publisher, article.published) == (
        "Envoy back in Doha as talks restart", "Pamir Wire", date(2019, 12, 7))
    assert (article.url, article.language, article.author) == (
        "https://pamir.example.net/2019/12/07/envoy-doha/", "en", "A. Karimi, L. Noori")


def test_page_tags_win_over_json_ld(tmp_path: Path) -> None:
    page = (FIXTURES / "json-ld-only-page.html").read_text(encoding="utf-8").replace(
        '<meta charset="utf-8">',
        '<meta charset="utf-8"><meta property="og:site_name" content="Pamir">'
        '<meta name="pubdate" content="2019-12-06"><link rel="canonical" href="https://pamir.example.net/a">')
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    article = read_article(tmp_path / "page.html")
    assert (article.publisher, article.url) == ("Pamir", "https://pamir.example.net/a")
    assert article.published == date(2019, 12, 7)  # JSON-LD datePublished before a pubdate meta
    no_json_ld = page.replace('type="application/ld+json"', 'type="text/plain"')
    (tmp_path / "page.html").write_text(no_json_ld, encoding="utf-8")
    assert read_article(tmp_path / "page.html").published == date(2019, 12, 6)


@pytest.mark.parametrize("written", ["2019/12/07", "Dec. 7, 2019", "Sat, 07 Dec 2019 18:05:00 GMT",
                                     "7 December 2019", "Saturday, December 7th, 2019 10:00"])
def test_a_page_date_written_another_common_way_is_read(tmp_path: Path, written: str) -> None:
    page = (FIXTURES / "json-ld-only-page.html").read_text(encoding="utf-8")
    page = page.replace('type="application/ld+json"', 'type="text/plain"').replace(
        '<meta charset="utf-8">', f'<meta charset="utf-8"><meta name="pubdate" content="{written}">')
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    assert read_article(tmp_path / "page.html").published == date(2019, 12, 7)


def test_bylines_ads_promotions_credits_and_copyright_are_not_article_text(tmp_path: Path) -> None:
    body = (
        "KABUL – The Taliban freed 20 Afghan soldiers on Sunday, the group's spokesman said.\n\n"
        "The release followed the government's release of 300 Taliban prisoners last week."
    )
    assert read_article(FIXTURES / "byline-ads-credits-page.html").body == body
    scraped = tmp_path / "scraped.txt"
    scraped.write_text(
        "Taliban free 20 soldiers - Kabul Example\nBy Staff Writer | April 12, 2020\n"
        + body.replace("\n\n", "\nADVERTISEMENT\n")
        + "\nBy the end of the year, more were freed.\nFollow us on Twitter\n"
        "Reporting by A. Staff; Editing by B. Desk\nCopyright © 2020 Kabul Example\nAbout us\n",
        encoding="utf-8")
    article = read_article(scraped, published=date(2020, 4, 12), publisher="Kabul Example")
    assert article.body == body.replace("\n\n", "\n") + "\nBy the end of the year, more were freed."


def test_markdown_with_front_matter_keeps_markdown_as_written() -> None:
    article = read_article(FIXTURES / "doha-signing.md")
    assert article.body == (
        "DOHA – The United States and the Taliban **signed** an agreement in Doha on Saturday.\n\n"
        "Under the deal, foreign troops are to leave Afghanistan within 14 months:\n\n"
        "- a first drawdown to 8,600 troops within 135 days;\n"
        "- a prisoner exchange of up to 5,000 Taliban and 1,000 government captives.\n\n"
        "> \"We will not let this be the end,\" a Taliban spokesman said."
    )
    assert article.title == "US and Taliban Sign Deal in Doha: Troops to Leave Within 14 Months"
    assert (article.published, article.publisher, article.author) == (date(2020, 2, 29), "Example Wire", "Desk Editor")
    assert article.url == "https://wire.example.org/2020/02/29/doha-deal"
    assert article.body.index("**signed**") == 41  # offsets count the Markdown as written


def test_text_file_with_front_matter() -> None:
    article = read_article(FIXTURES / "eid-ceasefire.txt")
    assert article.body == "Crowds gathered in Kabul on Friday."
    assert (article.title, article.published, article.publisher) == (
        "Afghans Celebrate First Eid Ceasefire", date(2018, 6, 15), "Example Radio")


def test_given_metadata_wins_over_the_page() -> None:
    article = read_article(FIXTURES / "tolonews-style-page.html", publisher="kabul-daily", published=date(2020, 4, 15))
    assert (article.publisher, article.published) == ("kabul-daily", date(2020, 4, 15))
    assert article.title == "Prisoner Releases Resume After Week-Long Pause"


def test_seed_article_body_is_unchanged() -> None:
    """Its reviewed annotation's offsets depend on this exact body."""
    article = read_article(SEED)
    assert article.title == "Khalilzad in Kabul to Discuss Ways of Resuming Peace Talks"
    assert len(article.body) == 3186
    assert article.body.startswith("KABUL – US Special Representative for Afghanistan Reconciliation")
    assert article.body.endswith("the number could be reduced to 8600.\n(Sahar News)")
    # The digest of the body as the original reader produced it, before the readers were split.
    assert hashlib.sha256(article.body.encode()).hexdigest() == (
        "859f80a89aecb4ad4f1e3ed69f0e87a1232f9ef710e076003020bf0c6f818636"
    )


def test_utf16_with_bom_and_crlf_decode_to_the_same_body(tmp_path: Path) -> None:
    text = "---\r\ntitle: Talks Resume\r\npublished: 2020-09-12\r\n---\r\nDOHA – Talks opened.\r\nBoth sides spoke.\r\n"
    path = tmp_path / "a.md"
    path.write_bytes(text.encode("utf-16"))
    article = read_article(path)
    assert article.body == "DOHA – Talks opened.\nBoth sides spoke."
    assert article.title == "Talks Resume"
