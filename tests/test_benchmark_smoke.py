"""The benchmarks still run: --quick smoke runs in a subprocess, no figure asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

BENCHMARK = PROJECT_ROOT / "benchmarks" / "bench_search.py"
# The quick run takes a few seconds; this leaves room for a slow, busy CI machine.
TIMEOUT_S = 180
TARGET_TABLE_HEADER = "| target | goal | measured | result |"


def quick_run(script: Path) -> str:
    """The script's report of a --quick run, which must exit 0."""
    done = subprocess.run(
        [sys.executable, str(script), "--quick"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_quick_run_exits_0_and_prints_the_target_table() -> None:
    stdout = quick_run(BENCHMARK)
    assert "# Search benchmark" in stdout
    # timings from different days compare through the machine reference
    reference = re.search(r"^Machine reference: (\d+\.\d+) s ", stdout, re.MULTILINE)
    assert reference is not None and float(reference.group(1)) > 0
    assert TARGET_TABLE_HEADER in stdout
    target_rows = stdout.split(TARGET_TABLE_HEADER, 1)[1].strip().splitlines()[1:]
    assert target_rows, "no targets listed"
    assert all(row.rstrip(" |").endswith(("PASS", "FAIL", "SKIP")) for row in target_rows)


def test_the_chat_noise_measure_runs_on_every_wrapper_set() -> None:
    stdout = quick_run(PROJECT_ROOT / "benchmarks" / "chat_noise.py")
    sets = sorted((PROJECT_ROOT / "tests" / "data" / "chat-noise").glob("wrappers-*.txt"))
    assert sets
    for wrapper_set in sets:
        assert f"{wrapper_set.name}: " in stdout


def test_the_typo_measure_runs_every_kind_of_slip() -> None:
    stdout = quick_run(PROJECT_ROOT / "benchmarks" / "typo_noise.py")
    for slip in ("swap", "drop", "double", "replace", "insert"):
        assert f"\n{slip} " in stdout or stdout.startswith(f"{slip} ")
    assert "of slipped questions changed" in stdout
