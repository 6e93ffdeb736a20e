"""The extractor: from an article body to a draft stand-off annotation (docs/annotation-format.md).

:func:`extract` and :func:`write_draft` live in :mod:`kb.extract.draft`; they are imported on
first use, so that the rule modules of this package can be imported on their own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.articles import Article
    from kb.extract.actors import ActorIndex

__all__ = ["extract", "prepare", "write_draft"]


def extract(article: Article, article_id: str, index: ActorIndex, published: date | None = None,
            **options: Any) -> dict[str, Any]:
    """A complete machine annotation of ``article``; see :func:`kb.extract.draft.extract`."""
    from kb.extract.draft import extract as run

    return run(article, article_id, index, published, **options)


def write_draft(doc: dict[str, Any], path: Path) -> None:
    """Write a draft annotation as YAML; see :func:`kb.extract.draft.write_draft`."""
    from kb.extract.draft import write_draft as write

    write(doc, path)


def prepare(gazetteer_dir: Path) -> None:
    """Load the rules and compile the gazetteer's place patterns now rather than on the first
    article (worker processes forked afterwards share them); see :func:`kb.extract.draft.prepare`."""
    from kb.extract.draft import prepare as run

    run(gazetteer_dir)
