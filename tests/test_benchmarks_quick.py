"""``python -m benchmarks --quick`` runs and reports: the table on stdout and the Markdown file
with the machine, the versions and a row per figure (nothing about time is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kb.config import PROJECT_ROOT


def test_quick_build_run_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "build", "--out", str(out)],
        check=False, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "from RDF (N-Quads)" in result.stdout and "from annotations (kb build)" in result.stdout
    text = out.read_text(encoding="utf-8")
    assert "python -m benchmarks --quick --only build" in text
    assert "- Python 3." in text and "pyoxigraph" in text and "pyshacl" in text
    rows = [line for line in text.splitlines() if line.startswith("| build |")]
    assert len(rows) == 3  # from RDF, from annotations, and from annotations projected to the large size
    ratio = rows[0].split("|")[6].strip()
    assert ratio.endswith("x") and float(ratio[:-1]) > 0
    assert rows[0].split("|")[8].strip() in ("met", "NOT MET")


def test_quick_extract_scaling_run_reports_a_ratio(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "extract_scaling", "--out", str(out)],
        check=False, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rows = [line.split("|") for line in out.read_text(encoding="utf-8").splitlines()
            if line.startswith("| extract_scaling |")]
    assert len(rows) == 1 and rows[0][2].strip() == "one long body vs its articles one by one"
    articles = len(list((PROJECT_ROOT / "data" / "articles").iterdir()))
    assert f"{articles} article texts" in rows[0][9]  # one copy of each in a quick run
    assert float(rows[0][6].strip()[:-1]) > 0


def test_unknown_benchmark_is_one_clear_error() -> None:
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--only", "nonsense"],
                            check=False, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "invalid choice: 'nonsense'" in result.stderr and "Traceback" not in result.stderr
