"""Errors a user can act on. Each message says what is wrong and how to fix it."""

from __future__ import annotations


class KBError(Exception):
    """Base class: an error whose message is meant for the user, never a traceback."""

    exit_code = 1


class InputError(KBError):
    """A file given to the KB cannot be read or converted (wrong path, format or content)."""


class AnnotationError(InputError):
    """An annotation file is malformed: a wrong field, a missing id, a span that does not match.

    ``location`` is ``"file:line"`` where the fault is.
    """

    def __init__(self, location: str, message: str) -> None:
        super().__init__(f"{location}: {message}")
        self.location = location


class ValidationFailed(KBError):
    """An article's triples violate the SHACL shapes; it was not loaded."""

    def __init__(self, article: str, violations: list[str]) -> None:
        lines = "\n".join(f"  - {v}" for v in violations)
        super().__init__(
            f"{article}: {len(violations)} SHACL violation(s); the article was not loaded:\n{lines}"
        )
        self.violations = violations


class StoreError(KBError):
    """The store cannot be opened or written (missing, locked, read-only, wrong version)."""


class QueryError(KBError):
    """A SPARQL query is malformed or not allowed; the message carries the parser's position."""

    exit_code = 2
