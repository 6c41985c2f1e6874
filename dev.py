#!/usr/bin/env python3
"""Set-up and launch in one step: `dev.py run` opens the bot, `dev.py test` runs the tests.

Each command first makes sure `.venv/` exists and holds the project with its dev tools,
reinstalling only when pyproject.toml has changed. Needs only Python 3.11+ and pip.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MARKER = VENV / ".installed-from"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

USAGE = """usage: python3 dev.py COMMAND [ARGS...]
  run [ARGS]     start the bot (the console chat unless Slack/Discord tokens are set);
                 ARGS go to `python -m bot`, e.g. `run ask "why did canada cut ties"`
  test [ARGS]    run the test suite (ARGS go to pytest)
  check          lint, type-check, validate the knowledge (the shipped one and the test
                 knowledge bases) and score the dev question set"""


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs before any install
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if MARKER.exists() and MARKER.read_text().strip() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        try:
            venv.create(VENV, with_pip=True)
        except Exception as exc:  # e.g. Debian without python3-venv
            sys.exit(
                f"Could not create .venv ({exc}). Install the venv module "
                "(Debian/Ubuntu: apt install python3-venv) and try again."
            )
    print("Installing the bot and its tools into .venv (first run only) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "-e", f"{ROOT}[dev]"], check=True, cwd=ROOT)
    MARKER.write_text(wanted)


def run(*command: str) -> int:
    return subprocess.call([str(PYTHON), *command], cwd=ROOT)


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"], ["help"]):
        print(USAGE)
        return 0
    if not argv or argv[0] not in {"run", "test", "check"}:
        print(USAGE, file=sys.stderr)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run("-m", "bot", *rest)
    if command == "test":
        return run("-m", "pytest", *rest)
    steps = [
        ("-m", "ruff", "check", "."),
        ("-m", "ruff", "format", "--check", "."),
        ("-m", "mypy"),
        ("-m", "bot", "knowledge", "check"),
        # The other knowledge bases the tests use: the same rules hold for them.
        *(
            ("-m", "bot", "knowledge", "check", str(folder))
            for folder in sorted((ROOT / "tests" / "data" / "kb").iterdir())
            if folder.is_dir()
        ),
    ]
    dev_set = ROOT.parent / "shared" / "eval" / "dev.jsonl"
    if dev_set.exists():
        steps.append(("-m", "bot", "eval", str(dev_set), "--min-overall", "0.95"))
    else:
        print(
            f"NOTE: {dev_set} is not here: the development question set is not scored, and the "
            "tests that use ../shared/eval are skipped.",
            file=sys.stderr,
        )
    failed = [" ".join(step) for step in steps if run(*step) != 0]
    for step in failed:
        print(f"FAILED: {step}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl-C: the child has stopped too; no traceback
        sys.exit(130)
