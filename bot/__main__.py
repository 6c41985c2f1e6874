"""`python -m bot`: the command line."""

from bot.cli import run

raise SystemExit(run())
