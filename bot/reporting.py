"""Reports over the question log: what went unanswered, what was rated unhelpful, what is used."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import sys
import textwrap
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.drafts import pending_drafts
from bot.handoffs import Handoff
from bot.library import Library, load_library
from bot.service import readable_question
from bot.store import EntryFeedback, EntryUse, Store, UnansweredGroup
from bot.store.connection import open_database, outage_errors, without_password
from bot.textfit import shorten

if TYPE_CHECKING:
    from config import Settings

__all__ = [
    "FORMATS",
    "Report",
    "build_report",
    "print_report",
    "render_report_text",
    "report_to_csv",
    "report_to_json",
]

_log = logging.getLogger(__name__)

SECONDS_PER_DAY = 86_400
# Longest question shown in the text table: keeps a row on one line of a chat message.
MAX_QUESTION_WIDTH = 48
# The columns of the CSV export, shared by its tables (see report_to_csv); new columns go
# at the end, so that a spreadsheet reading the older ones by position still reads them.
CSV_COLUMNS = (
    "table",
    "question",
    "entry_id",
    "count",
    "asked",
    "answered",
    "helpful",
    "not_helpful",
    "last_asked",
    "closest_entry",
    "closest_score",
    "variants",
    "id",
    "platform",
    "reply",
    "answered_by",
    "answered_at",
    "path",
)
# Joins a group's wordings in one CSV cell; a pipe rarely occurs in a question.
CSV_VARIANT_SEPARATOR = " | "


@dataclass(frozen=True)
class Report:
    """One window of the log: since and until are unix times."""

    since: float
    until: float
    unanswered: list[UnansweredGroup]
    unhelpful: list[EntryFeedback]
    usage: list[EntryUse]
    dropped: int = 0  # questions never logged: the log was unwritable and the queue full
    handoffs: list[Handoff] = dataclasses.field(default_factory=list)  # open, oldest first
    # answered by a moderator in the window, newest first: the reply is here for whoever
    # asked and left before it came
    answered_handoffs: list[Handoff] = dataclasses.field(default_factory=list)
    drafts: list[str] = dataclasses.field(default_factory=list)  # waiting for review
    # Where the log is and why it could not be read ("/x/log.sqlite3: database is locked"):
    # the tables are then empty for want of data, not of questions, and are not shown.
    # Empty when it was read.
    unreadable: str = ""
    # The store passed in could not use the log, so it was read the way `python -m bot report`
    # reads it (read-only): questions waiting to be logged by the store are not in it.
    read_directly: bool = False
    # Unanswered questions logged without their words (STORE_LOG_QUESTION_TEXT=false).
    unanswered_unworded: int = 0


def build_report(
    store: Store,
    library: Library | None,
    days: int,
    limit: int,
    now: float | None = None,
    knowledge: Path | None = None,
) -> Report:
    """The last `days` days of the log, `limit` rows per table.

    With a library, each unanswered group gets the entry that the live matcher finds closest,
    which tells a moderator whether to add a phrasing to it or write a new entry. With the
    knowledge folder, the draft entries waiting in it are listed.

    A store that cannot use its log (locked, read-only, gone) answers every query with
    nothing: the log is then read read-only, as `python -m bot report` reads it, and if that
    fails too the report's `unreadable` says why, instead of the report looking quiet.
    """
    until = time.time() if now is None else now
    since = until - days * SECONDS_PER_DAY
    drafts = pending_drafts(knowledge) if knowledge is not None else []
    report = _read_report(store, library, since, until, limit, drafts)
    if store.available:
        return report
    problem = _why_unreadable(store.location)
    if problem is None:
        with Store(store.location, read_only=True) as reader:
            direct = _read_report(reader, library, since, until, limit, drafts)
            if reader.available:
                return dataclasses.replace(direct, dropped=report.dropped, read_directly=True)
        problem = "it could not be read just now; try again"
    return dataclasses.replace(report, unreadable=f"{store.shown_location}: {problem}")


def _read_report(
    store: Store,
    library: Library | None,
    since: float,
    until: float,
    limit: int,
    drafts: list[str],
) -> Report:
    groups = store.unanswered(since, limit)
    if library is not None:
        groups = [_with_closest(group, library) for group in groups]
    return Report(
        since=since,
        until=until,
        unanswered=groups,
        unhelpful=store.most_unhelpful(since, limit),
        usage=store.entry_use(since, limit),
        dropped=store.dropped(),
        unanswered_unworded=store.unanswered_without_text(since),
        handoffs=store.open_handoffs(),
        answered_handoffs=store.answered_handoffs(since, until, limit),
        drafts=drafts,
    )


def _why_unreadable(location: str | Path) -> str | None:
    """Why the log cannot be opened for reading (no password in it), or None when it can."""
    try:
        database = open_database(location, read_only=True)
    except outage_errors(location) as exc:
        return without_password(str(exc).strip() or type(exc).__name__, location)
    database.close()
    return None


def _with_closest(group: UnansweredGroup, library: Library) -> UnansweredGroup:
    closest = library.closest(readable_question(group.question))
    if closest is None:
        return group
    suggestion, score = closest
    return dataclasses.replace(group, closest_entry=suggestion.entry_id, closest_score=score)


def render_report_text(report: Report) -> str:
    """Three fixed-width tables under headings; short enough for a chat message when the
    window is quiet (use a monospace block to keep the columns)."""
    if report.unreadable:
        why = textwrap.indent(report.unreadable, "  ")
        return f"The question log could not be read, so there is no report.\n{why}"
    lines = [f"Question log {_date(report.since)} to {_date(report.until)} (UTC)", ""]
    if report.read_directly:
        lines += [
            "The bot cannot use the question log right now: this was read from it directly,",
            "without the questions still waiting to be logged.",
            "",
        ]
    if report.dropped:
        lines += [
            f"{report.dropped} question(s) could not be logged: the log was unwritable for "
            "long enough to fill the waiting queue.",
            "",
        ]
    lines.append("Unanswered questions, most asked first")
    lines += _table(
        ("Asked", "Question", "Closest entry", "Score"),
        [
            (
                str(g.count),
                shorten(g.question, MAX_QUESTION_WIDTH) + _more_wordings(g),
                g.closest_entry or "-",
                f"{g.closest_score:.2f}" if g.closest_entry else "",
            )
            for g in report.unanswered
        ],
        numeric={0, 3},
    )
    if report.unanswered_unworded:
        lines.append(
            f"  and {report.unanswered_unworded} unanswered question(s) logged without their "
            "words (STORE_LOG_QUESTION_TEXT=false): counted, not shown"
        )
    lines += ["", "Answers rated not helpful, most first"]
    lines += _table(
        ("Entry", "Not helpful", "Helpful"),
        [(f.entry_id, str(f.not_helpful), str(f.helpful)) for f in report.unhelpful],
        numeric={1, 2},
    )
    lines += ["", "Questions passed to the moderators, still open"]
    lines += _table(
        ("Asked", "Question", "Where"),
        [
            (_date(h.asked_at), shorten(h.question, MAX_QUESTION_WIDTH), h.platform)
            for h in report.handoffs
        ],
        numeric=set(),
    )
    lines += ["", "Questions the moderators answered, newest first"]
    lines += _table(
        ("Answered", "Question", "Answer", "By"),
        [
            (
                _date(h.handled_at),
                shorten(h.question, MAX_QUESTION_WIDTH),
                shorten(h.reply, MAX_QUESTION_WIDTH),
                h.handled_by,
            )
            for h in report.answered_handoffs
        ],
        numeric=set(),
    )
    lines += ["", "Draft entries waiting for review (move one into the knowledge to serve it)"]
    lines += [f"  {draft}" for draft in report.drafts] or ["  (none)"]
    lines += ["", "Entry use, most asked first"]
    lines += _table(
        ("Entry", "Asked", "Answered"),
        [(u.entry_id, str(u.asked), str(u.answered)) for u in report.usage],
        numeric={1, 2},
    )
    return "\n".join(lines)


def report_to_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready values; times are ISO 8601 in UTC."""
    return {
        "since": _iso(report.since),
        "until": _iso(report.until),
        "dropped": report.dropped,
        "unanswered_without_text": report.unanswered_unworded,
        "unanswered": [
            {
                "question": g.question,
                "count": g.count,
                "variants": list(g.variants),
                "last_asked": _iso(g.last_asked),
                "closest_entry": g.closest_entry,
                "closest_score": round(g.closest_score, 4),
            }
            for g in report.unanswered
        ],
        "unhelpful": [dataclasses.asdict(f) for f in report.unhelpful],
        "usage": [dataclasses.asdict(u) for u in report.usage],
        "open_handoffs": [
            {
                "id": h.id,
                "platform": h.platform,
                "question": h.question,
                "asked_at": _iso(h.asked_at),
            }
            for h in report.handoffs
        ],
        "answered_handoffs": [
            {
                "id": h.id,
                "platform": h.platform,
                "question": h.question,
                "answer": h.reply,
                "answered_by": h.handled_by,
                "answered_at": _iso(h.handled_at),
            }
            for h in report.answered_handoffs
        ],
        "drafts": list(report.drafts),
        **({"unreadable": report.unreadable} if report.unreadable else {}),
    }


def report_to_csv(report: Report) -> str:
    """One CSV of all the report's tables, told apart by the `table` column.

    Rows of `unanswered` fill question, count, last_asked, closest_entry, closest_score and
    variants (joined by " | "); rows of `unhelpful` fill entry_id, helpful, not_helpful; rows
    of `usage` fill entry_id, asked, answered; rows of `open_handoff` fill id, platform,
    question and last_asked (when it was asked); rows of `answered_handoff` also reply,
    answered_by and answered_at; rows of `draft` fill path; one `dropped` row, when questions
    went unlogged, fills count. Other cells are empty. Filter on `table` in a spreadsheet to
    get one table.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for g in report.unanswered:
        writer.writerow(
            {
                "table": "unanswered",
                "question": _inert(g.question),
                "count": g.count,
                "last_asked": _iso(g.last_asked),
                "closest_entry": g.closest_entry or "",
                "closest_score": f"{g.closest_score:.4f}" if g.closest_entry else "",
                "variants": _inert(CSV_VARIANT_SEPARATOR.join(g.variants)),
            }
        )
    for f in report.unhelpful:
        writer.writerow(
            {
                "table": "unhelpful",
                "entry_id": f.entry_id,
                "helpful": f.helpful,
                "not_helpful": f.not_helpful,
            }
        )
    for u in report.usage:
        writer.writerow(
            {"table": "usage", "entry_id": u.entry_id, "asked": u.asked, "answered": u.answered}
        )
    for h in report.handoffs:
        writer.writerow({"table": "open_handoff", **_handoff_cells(h)})
    for h in report.answered_handoffs:
        writer.writerow(
            {
                "table": "answered_handoff",
                **_handoff_cells(h),
                "reply": _inert(h.reply),
                "answered_by": _inert(h.handled_by),
                "answered_at": _iso(h.handled_at),
            }
        )
    for draft in report.drafts:
        writer.writerow({"table": "draft", "path": _inert(draft)})
    if report.dropped:
        writer.writerow({"table": "dropped", "count": report.dropped})
    return buffer.getvalue()


def _handoff_cells(handoff: Handoff) -> dict[str, str]:
    return {
        "id": handoff.id,
        "platform": handoff.platform,
        "question": _inert(handoff.question),
        "last_asked": _iso(handoff.asked_at),
    }


def _inert(typed: str) -> str:
    """What someone typed, as a spreadsheet cell that stays text: a leading "=", "+", "-",
    "@" (or a tab or carriage return before one) would make it a formula when the CSV is
    opened, and "=HYPERLINK(...)" in a question would become a link."""
    return "'" + typed if typed.lstrip(" \t\r").startswith(("=", "+", "-", "@")) else typed


def _as_json_text(report: Report) -> str:
    return json.dumps(report_to_json(report), indent=2, ensure_ascii=False)


FORMATS: dict[str, Callable[[Report], str]] = {
    "table": render_report_text,
    "json": _as_json_text,
    "csv": report_to_csv,
}


def print_report(settings: Settings, days: int, limit: int, fmt: str, out: TextIO) -> int:
    """`python -m bot report`: print the report of the configured log; return the exit code.

    0 on success, 1 when the log cannot be read, 2 for a bad argument.
    """
    render = FORMATS.get(fmt)
    if render is None:
        print(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    if days < 1 or limit < 1:
        print("--days and --limit must be at least 1", file=sys.stderr)
        return 2
    library, errors = load_library(settings.knowledge.dir)
    if library is None:
        _log.warning(
            "the knowledge in %s has %d errors, so no closest entries are shown; "
            "run `python -m bot knowledge check`",
            settings.knowledge.dir,
            len(errors),
        )
    with Store(
        settings.store.location,
        retention_days=settings.store.retention_days,
        log_question_text=settings.store.log_question_text,
        read_only=True,  # a report reads; it must work on a log this user cannot write
    ) as store:
        if not store.available:
            print(f"cannot read the question log {store.shown_location}", file=sys.stderr)
            return 1
        report = build_report(store, library, days, limit, knowledge=settings.knowledge.dir)
    if report.unreadable:
        print(f"cannot read the question log {report.unreadable}", file=sys.stderr)
        return 1
    text = render(report)
    out.write(text if text.endswith("\n") else text + "\n")
    return 0


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> list[str]:
    """Fixed-width columns, numbers right-aligned; a "(none)" line when there are no rows."""
    if not rows:
        return ["  (none)"]
    widths = [max([_width(h), *(_width(row[i]) for row in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        padded = []
        for i, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            room = " " * (width - _width(cell))
            padded.append(room + cell if i in numeric else cell + room)
        return "  " + "  ".join(padded).rstrip()

    return [line(headers), *(line(row) for row in rows)]


def _width(text: str) -> int:
    """Columns the text takes in a terminal: East Asian wide letters take two, combining
    marks none (a question in Chinese would otherwise push its row out of line)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _more_wordings(group: UnansweredGroup) -> str:
    others = len(group.variants) - 1
    return f" (+{others} wording{'s' if others > 1 else ''})" if others > 0 else ""


def _date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M")


def _iso(timestamp: float) -> str:
    return (
        datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    )
