"""The search benchmark still runs: a --quick smoke run in a subprocess, no timing asserted."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT_ROOT

BENCHMARK = PROJECT_ROOT / "benchmarks" / "bench_search.py"
# The quick run takes a few seconds; this leaves room for a slow, busy CI machine.
TIMEOUT_S = 180
TARGET_TABLE_HEADER = "| target | goal | measured | result |"


def test_quick_run_exits_0_and_prints_the_target_table() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--quick"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "# Search benchmark" in done.stdout
    assert TARGET_TABLE_HEADER in done.stdout
    target_rows = done.stdout.split(TARGET_TABLE_HEADER, 1)[1].strip().splitlines()[1:]
    assert target_rows, "no targets listed"
    assert all(row.rstrip(" |").endswith(("PASS", "FAIL", "SKIP")) for row in target_rows)
