"""Settings, declared once with their help text; read from the environment or a mapping."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from kb.namespaces import DEFAULT_BASE_IRI

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_STORE = PROJECT_ROOT / "var" / "store"


@dataclass(frozen=True)
class Settings:
    """The KB's settings. Each field names its environment variable in ``metadata['env']``."""

    store: str = field(
        default=str(DEFAULT_STORE),
        metadata={"env": "KB_STORE", "help": (
            "Folder of the embedded store (created on first build), or the http(s) URL of a SPARQL 1.1 "
            "query endpoint; see kb.remote for KB_STORE_UPDATE_URL, KB_STORE_GSP_URL, KB_STORE_USER, "
            "KB_STORE_PASSWORD and KB_STORE_MAX_ROWS."
        )},
    )
    base_iri: str = field(
        default=DEFAULT_BASE_IRI,
        metadata={"env": "KB_BASE_IRI", "help": "Base of every IRI the KB mints; ends with '/'."},
    )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> "Settings":
        """Settings from ``environ`` (default ``os.environ``); explicit ``overrides`` win when not None."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            if overrides.get(f.name) is not None:
                values[f.name] = overrides[f.name]
            elif f.metadata["env"] in environ:
                values[f.name] = environ[f.metadata["env"]]
        return cls(**values)
