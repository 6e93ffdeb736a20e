"""What a reader finds in an article file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Found:
    """A body and the metadata written in the file, as text (checked by the caller).

    ``source`` names where the metadata came from, for error messages ("the front matter").
    """

    body: str
    metadata: dict[str, str] = field(default_factory=dict)
    source: str = "the file"
