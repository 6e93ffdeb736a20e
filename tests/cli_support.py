"""The ``kb`` command run as a user runs it (``python -m kb``, a process of its own), for the
command-line tests: the exit code and both streams are the caller's to check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kb.namespaces import IriMinter

MINTER = IriMinter()


def kb(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``kb ARGS`` with :data:`MINTER`'s base IRI; return what it did, whatever its exit code."""
    return subprocess.run([sys.executable, "-m", "kb", *map(str, args)], check=False, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "KB_BASE_IRI": str(MINTER.base)})
