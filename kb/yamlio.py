"""YAML loading that remembers the line of every mapping, for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kb.errors import AnnotationError

LINE = "__line__"
KEY_LINES = "__key_lines__"
META_KEYS = frozenset({LINE, KEY_LINES})


class _LineLoader(yaml.CSafeLoader):
    """A safe loader (libyaml's parser) that stores each mapping's 1-based line under :data:`LINE` and the line of
    each of its keys under :data:`KEY_LINES`."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        mapping[KEY_LINES] = {
            self.construct_object(key, deep=True): key.start_mark.line + 1 for key, _ in node.value
        }
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; every mapping in it carries its lines (:data:`LINE`, :data:`KEY_LINES`).

    :raises AnnotationError: when the file is not valid YAML, with the line of the fault.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AnnotationError(str(path), f"cannot read the file ({exc}).") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else 0
        raise AnnotationError(f"{path}:{line}", f"invalid YAML: {exc.problem}.") from exc
