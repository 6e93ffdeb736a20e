"""Extraction time against text length: the corpus articles of data/ extracted as one long body
(their texts joined, four times over: about 130 kB) against the same texts extracted one article
at a time (the baseline). A ratio near 1 means the extractor's time grows with the text, not faster.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from benchmarks.common import Context, Row, median_time
from kb.articles import Article, read_article
from kb.config import DEFAULT_DATA_DIR
from kb.extract import extract
from kb.extract.actors import ActorIndex

COPIES, QUICK_COPIES = 4, 1
PUBLISHED = date(2021, 9, 1)
#: The team's target: a long body costs at most this much more per character than short ones.
TARGET = 1.5


def run(ctx: Context) -> list[Row]:
    index = ActorIndex.from_folder(DEFAULT_DATA_DIR / "gazetteer")
    articles = [read_article(path) for path in sorted((DEFAULT_DATA_DIR / "articles").iterdir())]
    copies = QUICK_COPIES if ctx.quick else COPIES
    long_body = "\n\n".join(a.body for a in articles * copies)
    long_article = Article(path=Path("long.md"), title="All articles in one", body=long_body)

    def one_at_a_time() -> None:
        for _ in range(copies):
            for article in articles:
                extract(article, "one", index, article.published or PUBLISHED)

    one_at_a_time()  # warm: compiled patterns and the gazetteer's tables
    short = median_time(one_at_a_time, ctx.repeats)
    long = median_time(lambda: extract(long_article, "long", index, PUBLISHED), ctx.repeats)
    ratio = long / short
    return [Row("extract_scaling", "one long body vs its articles one by one", f"{len(long_body) / 1000:.0f} kB",
                long, "s", f"one by one {short:.2f} s", ratio, f"<= {TARGET}x (team)", ratio <= TARGET,
                f"{len(articles) * copies} article texts; per kB {long / len(long_body) * 1e6:.1f} ms long, "
                f"{short / len(long_body) * 1e6:.1f} ms one by one")]
