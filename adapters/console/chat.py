"""An interactive chat with the bot in a terminal, with the moderator commands of a local user."""

from __future__ import annotations

import contextlib
import re
import sys
import textwrap
from collections.abc import Callable
from typing import TextIO

from adapters.console.render import render_answer, render_briefing
from bot.answers import Answer, Suggestion
from bot.reload_notices import reload_headline, reload_problems
from bot.service import AskContext, QAService

__all__ = ["ConsoleChat", "run_console"]

HELP = """\
Ask a question in plain words and press Enter. Other commands:
  help              this text
  briefing [ID]     the key facts, each with its source
  topics [NAME]     what the bot knows: the subjects, or one subject's questions
  1, 2, 3           pick a numbered choice ("did you mean", a related topic, a listed question)
  +  /  -           rate the last answer helpful / not helpful
  reload            reload the knowledge files now
  report            questions that went unanswered and answers rated unhelpful
  quit              leave (Ctrl-D works too)"""

CONTEXT = AskContext(platform="console", workspace="local", channel="terminal", user_id="local")


_COMMAND = re.compile(
    r"(quit|exit|bye|help|\?|reload|report|briefing|topics)(?:\s+([a-z0-9-]+))?", re.I
)
# Arguments are taken by these commands only: "help me" or "report fees" are questions.
_TAKES_ARGUMENT = {"briefing", "topics"}


def _command_of(text: str) -> tuple[str, str]:
    """(command, argument) when the whole line is a command, else ("", "")."""
    found = _COMMAND.fullmatch(text)
    if found is None or (found.group(2) and found.group(1).casefold() not in _TAKES_ARGUMENT):
        return "", ""
    return found.group(1).casefold(), found.group(2) or ""


class ConsoleChat:
    """One conversation: remembers the last answer so choices and ratings refer to it."""

    def __init__(self, service: QAService, report: Callable[[], str] | None = None) -> None:
        self._service = service
        self._report = report
        self._last: Answer | None = None
        # What a number picks: the last answer's choices, or the questions last listed.
        self._choices: tuple[Suggestion, ...] = ()

    def handle(self, line: str) -> str | None:
        """The reply to one line of input; None means the user wants to leave.

        A command is the whole line ("exit", "briefing getting-started"): a question that merely
        starts with a command word ("exit fees for members, how much?") is a question.
        """
        text = line.strip()
        command, argument = _command_of(text)
        if command in {"quit", "exit", "bye"}:
            return None
        if command in {"help", "?"}:
            return HELP
        if command == "briefing":
            menu = None if argument.strip() else self._service.briefing_menu("'briefing ID'")
            if menu is not None:
                return menu
            view = self._service.briefing(argument.strip() or None)
            return render_briefing(view) if view else f"No briefing called {argument.strip()!r}."
        if command == "reload":
            result = self._service.reload()
            if result.ok:
                return reload_headline(result)
            problems = textwrap.indent(reload_problems(result), "  ")
            return f"{reload_headline(result)}\n{problems}"
        if command == "report":
            return self._report() if self._report else "Reports need the question log."
        if text in {"+", "-"}:
            return self._rate(text == "+")
        if command == "topics":
            return self._topics(argument)
        if text.isdecimal() and text.isascii():
            if self._choices:
                return self._pick(int(text))
            return "There are no numbered choices to pick from. Ask a question in words."
        answer = self._service.ask(line, CONTEXT)
        self._answered(answer)
        return render_answer(answer)

    def _answered(self, answer: Answer) -> None:
        self._last = answer
        self._choices = answer.suggestions

    def _topics(self, name: str) -> str:
        if not name:
            groups = self._service.topics()
            lines = [f"  {g.name} ({len(g.topics)})" for g in groups]
            return "Subjects (type 'topics NAME' for their questions):\n" + "\n".join(lines)
        group = self._service.topic_group(name)
        if group is None:
            return f"No subject called {name!r}: type 'topics' for the list."
        self._choices = group.topics
        lines = [f"  {number}. {t.question}" for number, t in enumerate(group.topics, start=1)]
        return f"{group.name} (type a number to read one):\n" + "\n".join(lines)

    def _rate(self, helpful: bool) -> str:
        if self._last is None or not self._last.answered:
            return "There is no answer to rate yet."
        if self._service.feedback(self._last.answer_id, helpful, CONTEXT):
            return "Thanks, noted."
        return "Thanks. (The rating could not be stored.)"

    def _pick(self, number: int) -> str:
        choices = self._choices
        if not 1 <= number <= len(choices):
            return f"Pick a number from 1 to {len(choices)}."
        answer = self._service.answer_entry(choices[number - 1].entry_id, CONTEXT)
        if answer is None:
            return "That topic is gone since the knowledge was updated; ask again."
        self._answered(answer)
        return render_answer(answer)


def run_console(
    service: QAService,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    report: Callable[[], str] | None = None,
) -> None:
    chat = ConsoleChat(service, report)
    if stdin is sys.stdin and hasattr(stdin, "reconfigure"):
        # Bytes that are not UTF-8 become U+FFFD: the question is answered and logged anyway.
        stdin.reconfigure(errors="replace")
    interactive = stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  line editing and history for input(), where available
    entries = len(service.library.snapshot.entries)
    print(
        f"Ask me about the knowledge base ({entries} topics). Type 'help' for commands.",
        file=stdout,
    )
    while True:
        line = _read_line(stdin, stdout, interactive)
        if line is None:
            break
        if not line.strip():
            continue
        reply = chat.handle(line)
        if reply is None:
            break
        # Piped input gets a blank line between answers, so each stands apart.
        print(
            ("bot> " if interactive else "") + reply + ("" if interactive else "\n"),
            file=stdout,
            flush=True,
        )


def _read_line(stdin: TextIO, stdout: TextIO, interactive: bool) -> str | None:
    """The next line typed, or None at the end of input."""
    if interactive and stdin is sys.stdin and stdout is sys.stdout:
        try:
            return input("\nyou> ")
        except EOFError:
            return None
    if interactive:
        print("\nyou> ", end="", file=stdout, flush=True)
    line = stdin.readline()
    return line or None
