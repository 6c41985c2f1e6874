"""The command line: ask, chat, eval, knowledge check, report, and run (the default).

This is the composition root: it reads settings, builds the service and hands it to an
adapter, which is why it alone may name the adapters (imported lazily, so that `ask` starts
fast and never loads the Slack or Discord libraries).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import io
import json
import logging
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.logs import configure_logging
from config import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.service import QAService

__all__ = ["main", "run"]

_log = logging.getLogger("bot")


# A report window longer than a century reaches before the epoch: nothing is that old.
MAX_DAYS = 36_500
# Characters that JSON allows raw but that end a line for many readers of JSON lines.
_LINE_BREAKING = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"}


def _days(value: str) -> int:
    if not (value.isascii() and value.isdecimal()) or not 1 <= int(value) <= MAX_DAYS:
        raise argparse.ArgumentTypeError(f"give a whole number of days from 1 to {MAX_DAYS}")
    return int(value)


def _json_line(data: object) -> str:
    line = json.dumps(data, ensure_ascii=False)
    for raw, escaped in _LINE_BREAKING.items():
        line = line.replace(raw, escaped)
    return line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="A Q&A bot that answers from curated knowledge files and cites its source.",
    )
    parser.add_argument(
        "--knowledge",
        type=Path,
        metavar="DIR",
        help="knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser("ask", help="answer one question (or '-' for one per stdin line)")
    ask.add_argument("question", nargs="+", help="the question, or - to read lines from stdin")
    ask.add_argument("--json", action="store_true", help="print JSON (one object per question)")

    commands.add_parser(
        "chat",
        help="chat with the bot in this terminal",
        description="Chat with the bot in this terminal: questions, 'help', 'briefing [ID]', "
        "1-3 to pick a choice, +/- to rate the last answer, 'reload', 'report', 'exit'.",
    )

    evaluate = commands.add_parser("eval", help="score a question set (JSON lines)")
    evaluate.add_argument(
        "file", type=Path, help="JSON lines: {q, expect} per line (see ../shared/eval/README.md)"
    )
    evaluate.add_argument(
        "--min-overall",
        type=float,
        default=None,
        metavar="RATIO",
        help="exit 1 when overall accuracy is below this (0..1)",
    )

    knowledge = commands.add_parser("knowledge", help="knowledge tools")
    knowledge_commands = knowledge.add_subparsers(
        dest="knowledge_command", metavar="ACTION", required=True
    )
    check = knowledge_commands.add_parser("check", help="validate the knowledge files")
    check.add_argument(
        "directory",
        type=Path,
        nargs="?",
        default=None,
        help="the knowledge folder (default: KNOWLEDGE_DIR or ./knowledge)",
    )

    report = commands.add_parser("report", help="unanswered questions, unhelpful answers, use")
    report.add_argument(
        "--days", type=_days, default=30, help=f"time window, 1 to {MAX_DAYS} (default 30)"
    )
    report.add_argument("--limit", type=int, default=20, help="rows per table (default 20)")
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print JSON")
    output.add_argument("--csv", action="store_true", help="print CSV")

    store = commands.add_parser("store", help="the bot's database")
    store_commands = store.add_subparsers(
        dest="store_command", metavar="STORE_COMMAND", required=True
    )
    migrate = store_commands.add_parser(
        "migrate",
        help="copy the question log and settings into another database (e.g. PostgreSQL)",
        description="Copy everything the bot keeps from STORE_DATABASE (or --from) into a new "
        "database: questions, ratings, pins, help channels, hand-offs, workspace settings.",
    )
    migrate.add_argument(
        "--to", required=True, metavar="DATABASE", help="a postgresql:// URL or a SQLite file"
    )
    migrate.add_argument(
        "--from", dest="source", metavar="DATABASE", help="default: STORE_DATABASE"
    )

    commands.add_parser(
        "run",
        help="start every configured adapter (the default)",
        description="Start every platform whose tokens are set (Slack, Discord), sharing one "
        "knowledge base, question log and live reload; with none set, the console chat.",
    )
    commands.add_parser(
        "health", help="exit 0 when the running bot's heartbeat is fresh (Docker HEALTHCHECK)"
    )
    return parser


def _log_level(args: argparse.Namespace, settings: Settings) -> int:
    """-v, else LOG_LEVEL, else INFO while serving Slack or Discord (start-up, connections,
    reloads and shutdown are each one line) and WARNING in the terminal's own commands."""
    if args.verbose:
        return logging.INFO
    if settings.log.level:
        return logging.getLevelNamesMapping()[settings.log.level]
    serving = (args.command or "run") == "run" and (
        settings.slack.configured or settings.discord.configured
    )
    return logging.INFO if serving else logging.WARNING


def run() -> int:
    """The command line as installed (`faqbot`, `python -m bot`): `main`, and quiet when the
    reader of its output goes away (`knowledge check | head`), as command-line tools are."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # stdout pointed at nothing, so that the flush at exit cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(_log_level(args, settings), settings.log.format)
    if args.knowledge:
        knowledge = settings.knowledge.model_copy(update={"dir": args.knowledge})
        settings = dataclasses.replace(settings, knowledge=knowledge)
    knowledge_dir = settings.knowledge.dir
    command = args.command or "run"
    if command == "knowledge":
        from bot.checks import run_check

        return run_check(args.directory or knowledge_dir, sys.stdout)
    if command == "health":
        from bot.health import check_health, heartbeat_path

        healthy, why = check_health(heartbeat_path(settings.store.local_folder))
        print(why)
        return 0 if healthy else 1
    if command == "store":
        return _copy_store(args.source or settings.store.location, args.to)
    if command == "report":
        from bot.reporting import print_report

        return print_report(
            settings,
            args.days,
            args.limit,
            "json" if args.json else "csv" if args.csv else "table",
            sys.stdout,
        )

    from bot.service import KnowledgeLoadError, QAService

    try:
        if command == "ask":
            return _ask(QAService.from_directory(knowledge_dir), args.question, args.json)
        if command == "eval":
            return _eval(QAService.from_directory(knowledge_dir), args.file, args.min_overall)
        launcher = importlib.import_module("adapters.launcher")
        return int(launcher.launch(settings, console_only=command == "chat"))
    except SettingsError as exc:  # an adapter found a missing or rejected token at start
        print(exc, file=sys.stderr)
        return 2
    except KnowledgeLoadError as exc:
        print(
            f"cannot start: {exc}\nRun `python -m bot knowledge check` for details.",
            file=sys.stderr,
        )
        return 1


def _copy_store(source: str | Path, target: str) -> int:
    from bot.store.connection import (
        is_postgres_url,
        outage_errors,
        shown_location,
        without_password,
    )
    from bot.store.copy import TargetNotEmptyError, copy_store

    if "://" in target and not is_postgres_url(target):
        print("not copied: --to must be a postgresql:// URL or a SQLite file", file=sys.stderr)
        return 2
    target_location: str | Path = target if is_postgres_url(target) else Path(target)
    if not is_postgres_url(source) and not Path(source).is_file():
        # Opening it would make an empty database there and "copy" nothing.
        print(
            f"not copied: no database at {source} (give --from, or run from the folder the "
            "bot runs in)",
            file=sys.stderr,
        )
        return 2
    try:
        copied = copy_store(source, target_location)
    except TargetNotEmptyError as exc:
        print(f"not copied: {exc}", file=sys.stderr)
        return 1
    except outage_errors(target) + outage_errors(source) as exc:
        # The message may quote the URL: shown without its password.
        problem = str(exc)
        for location in (source, target):
            problem = problem.replace(str(location), shown_location(location))
            problem = without_password(problem, location)
        print(f"not copied: {type(exc).__name__}: {problem}", file=sys.stderr)
        return 1
    print(f"copied {shown_location(source)} to {shown_location(target)}:")
    for table, rows in copied.items():
        print(f"  {table}: {rows} rows")
    return 0


def _ask(service: QAService, words: list[str], as_json: bool) -> int:
    from adapters.console.render import render_answer

    if words == ["-"]:
        # Bytes that are not UTF-8 become U+FFFD: the question is still answered and logged,
        # and the JSON written is valid UTF-8 whatever the locale.
        stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        questions: Iterable[str] = (line.rstrip("\r\n") for line in stdin)
    else:
        questions = [" ".join(words)]
    try:
        for question in questions:
            answer = service.ask(question)
            text = (
                _json_line(answer.to_json()) if as_json else render_answer(answer, choosing=False)
            )
            # UTF-8 whatever the locale: a consumer of JSON lines expects nothing else.
            sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
            sys.stdout.buffer.flush()
    except BrokenPipeError:
        # The reader has gone (`| head -1`): stop quietly, as command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _eval(service: QAService, file: Path, min_overall: float | None) -> int:
    from bot.evaluation import load_cases, run_eval

    try:
        cases = load_cases(file)
    except (OSError, ValueError) as exc:
        print(f"cannot read {file}: {exc}", file=sys.stderr)
        return 2
    if not cases:
        print(f"{file}: no questions in it (one JSON object per line)", file=sys.stderr)
        return 2
    report = run_eval(
        cases, service.ask, lambda entry_id: service.answer_entry(entry_id, record=False)
    )
    for result in report.misses:
        answer = result.answer
        got = answer.text if answer.answered and answer.text else f"[{answer.outcome.value}]"
        if result.first_choice_right:
            got += " first choice right: " + answer.suggestions[0].question
        print(
            f"MISS line {result.case.line}: {result.case.question!r}\n"
            f"     expected {result.case.expect!r}\n"
            f"     got ({answer.confidence:.2f}, {answer.entry_id}) {got}"
        )
    for label, (right, total) in (
        ("in-scope", report.in_scope),
        ("out-of-scope", report.out_of_scope),
        ("overall", report.overall),
    ):
        share = right / total if total else 1.0
        print(f"{label:>13}: {right}/{total} = {share:.1%}")
    for style, (right, total) in report.by_style().items():
        print(f"{'style ' + style:>13}: {right}/{total} = {right / total:.1%}")
    print(f"{'wrong answers':>13}: {report.wrong_answers}")
    # Not counted right above, but one pick away from the answer.
    print(f"{'did you mean':>13}: {report.first_choices_right} with the right entry first")
    right, total = report.overall
    if min_overall is not None and total and right / total < min_overall:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
