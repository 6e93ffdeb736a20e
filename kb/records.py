"""Checking the mappings read from YAML: required and allowed keys, ids and references."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kb.errors import AnnotationError
from kb.namespaces import is_local_id
from kb.yamlio import KEY_LINES, LINE, META_KEYS


class Records:
    """Reads the mappings of one YAML file and reports faults as ``file:line: message``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fault(self, record: dict[str, Any] | None, message: str, key: str | None = None) -> AnnotationError:
        """An error at ``key``'s line in ``record`` (or the record's first line)."""
        line = 0
        if isinstance(record, dict):
            line = record.get(KEY_LINES, {}).get(key) or record.get(LINE, 0)
        return AnnotationError(f"{self.path}:{line}", message)

    def mapping(self, value: Any, what: str, parent: dict[str, Any] | None = None) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fault(parent, f"{what} must be a mapping of keys to values.")
        return value

    def items(self, parent: dict[str, Any], key: str) -> list[dict[str, Any]]:
        """The list under ``key`` (empty when absent), each item a mapping."""
        value = parent.get(key) or []
        if not isinstance(value, list):
            raise self.fault(parent, f"'{key}' must be a list.", key)
        return [self.mapping(item, f"each item of '{key}'", parent) for item in value]

    def check_keys(
        self, record: dict[str, Any], what: str, required: set[str], allowed: set[str]
    ) -> None:
        missing = sorted(k for k in required if record.get(k) in (None, "", []))
        if missing:
            raise self.fault(record, f"{what} lacks {', '.join(missing)}; add it.")
        unknown = sorted(set(record) - allowed - required - META_KEYS)
        if unknown:
            known = ", ".join(sorted(allowed | required))
            raise self.fault(
                record, f"{what} has unknown key(s) {', '.join(unknown)}; known keys: {known}.", unknown[0]
            )

    def local_id(self, record: dict[str, Any], key: str = "id") -> str:
        value = str(record.get(key, ""))
        if not is_local_id(value):
            raise self.fault(
                record, f"'{key}: {value}' is not a valid id; use lowercase letters, digits and '-'.", key
            )
        return value

    def choice(self, record: dict[str, Any], key: str, options: dict[str, Any]) -> Any:
        value = record.get(key)
        if value not in options:
            raise self.fault(record, f"'{key}: {value}' is not one of: {', '.join(sorted(options))}.", key)
        return options[value]

    def ref(self, record: dict[str, Any], key: str, known: set[str] | dict[str, Any], kind: str) -> str:
        value = str(record.get(key))
        if value not in known:
            raise self.fault(record, f"'{key}: {value}' names no known {kind}; add it or fix the id.", key)
        return value

    def as_list(self, record: dict[str, Any], key: str) -> list[Any]:
        return as_list(record.get(key))


def as_list(value: Any) -> list[Any]:
    """A YAML value that may be one item or a list, as a list (None as [])."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
