"""Settings, declared once with their help text; read from the environment or a mapping."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from kb.errors import KBError
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
    query_timeout: float = field(
        default=10.0,
        metadata={"env": "KB_QUERY_TIMEOUT", "help": (
            "Seconds a SPARQL query may run (on /sparql and in `kb query`) before it is stopped with "
            "503 / an error; 0 disables the limit."
        )},
    )
    max_rows: int = field(
        default=100_000,
        metadata={"env": "KB_MAX_ROWS", "help": (
            "Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) one answer carries; longer answers are "
            "cut and say so (headers KB-Max-Rows, KB-Truncated). 0: no cap. Not KB_STORE_MAX_ROWS, "
            "which is a remote server's own cap that the remote store pages around."
        )},
    )
    query_workers: int = field(
        default=2,
        metadata={"env": "KB_QUERY_WORKERS", "help": (
            "Worker processes answering /sparql queries on an embedded store (the most queries that "
            "run at once)."
        )},
    )
    max_request_bytes: int = field(
        default=1_048_576,
        metadata={"env": "KB_MAX_REQUEST_BYTES", "help": (
            "Largest request body the web app reads (a POSTed query or update), in bytes; a larger one "
            "gets 413. 0: no limit."
        )},
    )
    update_token: str = field(
        default="",
        repr=False,
        metadata={"env": "KB_UPDATE_TOKEN", "help": (
            "Bearer token that enables SPARQL Update on /sparql (POST with Authorization: Bearer "
            "<token>); empty: updates are refused with 403."
        )},
    )

    def as_config(self) -> dict[str, object]:
        """The settings keyed by their environment variable's name (the web app's config keys)."""
        return {f.metadata["env"]: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> "Settings":
        """Settings from ``environ`` (default ``os.environ``); explicit ``overrides`` win when not None."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            if overrides.get(f.name) is not None:
                values[f.name] = _typed(f.name, f.metadata["env"], type(f.default), overrides[f.name])
            elif f.metadata["env"] in environ:
                values[f.name] = _typed(f.name, f.metadata["env"], type(f.default), environ[f.metadata["env"]])
        return cls(**values)


class SettingError(KBError):
    """A setting has a value of the wrong kind (a word where a number is needed, a negative count)."""


def _typed(name: str, env: str, kind: type, value: object) -> object:
    """``value`` as the setting's type; numbers must not be negative."""
    if kind is str:
        return str(value)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        what = "a whole number" if kind is int else "a number of seconds"
        raise SettingError(f"{env} (or --{name.replace('_', '-')}) must be {what} >= 0, not {value!r}.")
    return number
