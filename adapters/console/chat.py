"""An interactive chat with the bot in a terminal, with the moderator commands of a local user."""

from __future__ import annotations

import contextlib
import re
import sys
import textwrap
import threading
from collections.abc import Callable
from typing import TextIO

from adapters.console.render import render_answer, render_briefing
from bot.answers import Answer, Outcome, Suggestion
from bot.chat_text import without_own_name
from bot.reload_notices import (
    ReloadNotices,
    reload_fixed_headline,
    reload_headline,
    reload_problems,
)
from bot.service import AskContext, QAService, ReloadResult

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
  quit              leave (Ctrl-D works too)
The slash commands of Slack and Discord work too: /ask QUESTION, /topics, /briefing,
/faq reload, /faq report, /quit."""

CONTEXT = AskContext(platform="console", workspace="local", channel="terminal", user_id="local")
# What someone trying the bot here calls it: the name it has on Slack and Discord.
CONSOLE_NAMES = ("faqbot",)


_COMMAND = re.compile(
    r"(quit|exit|bye|help|\?|reload|report|briefing|topics)(?:\s+([a-z0-9-]+))?", re.I
)
# Arguments are taken by these commands only: "help me" or "report fees" are questions.
_TAKES_ARGUMENT = {"briefing", "topics"}
# A pick: "2", and the ways people write a number in a list ("#2", "2.", "2)").
_PICK = re.compile(r"#?\s*([0-9]+)\s*[.)]?")
# A command as typed on Slack or Discord ("/ask why…", "/faq report", "/quit").
_SLASH = re.compile(r"/([^\W\d_][\w-]*)(?:\s+(.*))?", re.S)
# The platforms' commands that only name a console command: "/faq report" is "report".
_COMMAND_HOLDERS = {"faq"}


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
        self._notices = ReloadNotices()
        # The thread running a `reload` command, whose reply tells of it: the service calls
        # its reload listeners (reload_notice) on that thread before the reply is made.
        self._reloading: int | None = None

    def handle(self, line: str) -> str | None:
        """The reply to one line of input; None means the user wants to leave.

        A command is the whole line ("exit", "briefing getting-started"): a question that merely
        starts with a command word ("exit fees for members, how much?") is a question.
        """
        text = line.strip()
        if text.startswith("/"):
            text, problem, asked = _slash_read(text)
            if problem:
                return problem
            if asked:
                return self._ask(text)  # "/ask quit" asks; it does not leave
            line = text
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
            return render_briefing(view) if view else self._no_briefing(argument.strip())
        if command == "reload":
            return self._reload()
        if command == "report":
            return self._report() if self._report else "Reports need the question log."
        if text in {"+", "-"}:
            return self._rate(text == "+")
        if command == "topics":
            return self._topics(argument)
        pick = _PICK.fullmatch(text)
        if pick is not None:
            if self._choices:
                return self._pick(int(pick.group(1)))
            return "There are no numbered choices to pick from. Ask a question in words."
        return self._ask(line)

    def _ask(self, line: str) -> str:
        answer = self._service.ask(without_own_name(line, CONSOLE_NAMES), CONTEXT)
        if _asks_something(answer):
            self._answered(answer)
        return render_answer(answer)

    def reload_notice(self, result: ReloadResult) -> str | None:
        """What to tell of a reload the chat did not ask for (the watcher's), or None: the
        console's user is its moderator. A broken edit with its problems, an update, and the
        problems fixed when the files match the live version again (a reload that changes
        nothing); a `reload` command's reply tells of its own reload."""
        if self._reloading == threading.get_ident():
            return None
        if self._notices.fixed(result) and not result.changed:
            return f"[{reload_fixed_headline(result)}]"
        if not result.ok:
            problems = textwrap.indent(reload_problems(result), "  ")
            return f"[{reload_headline(result)}]\n{problems}"
        if result.changed:
            return f"[{reload_headline(result)}]"
        return None

    def _reload(self) -> str:
        self._reloading = threading.get_ident()
        try:
            result = self._service.reload()
        finally:
            self._reloading = None
        if self._notices.fixed(result):
            return reload_fixed_headline(result)
        if result.ok:
            return reload_headline(result)
        problems = textwrap.indent(reload_problems(result), "  ")
        return f"{reload_headline(result)}\n{problems}"

    def _no_briefing(self, name: str) -> str:
        known = ", ".join(briefing_id for briefing_id, _ in self._service.briefing_titles())
        return f"No briefing called {name!r}." + (f" Briefings: {known}." if known else "")

    def _answered(self, answer: Answer) -> None:
        """A new question (answered or not) replaces what ratings and numbers refer to."""
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


def _slash_read(text: str) -> tuple[str, str, bool]:
    """(line, problem, asked): the console's line for a command typed as on Slack or Discord
    ("/faq reload" is "reload", "/quit" is "quit"), or the reply when the slash names no
    command here; `asked` when the line is a question ("/ask why" asks "why", and "/ask quit"
    asks "quit")."""
    slash = _SLASH.fullmatch(text)
    if slash is None:
        return text, "", False
    named = slash.group(0).split(maxsplit=1)[0]
    name, rest = slash.group(1).casefold(), (slash.group(2) or "").strip()
    if name == "ask":
        return (rest, "", True) if rest else ("help", "", False)
    if name in _COMMAND_HOLDERS:
        name, _, rest = rest.partition(" ")
        if not name:
            return "help", "", False
        named = f"{named} {name}"
    line = f"{name} {rest.strip()}".strip()
    if _command_of(line)[0]:
        return line, "", False
    return (
        "",
        (
            f"There is no command {named} here. Type help for the commands;"
            " anything else is read as a question."
        ),
        False,
    )


def _asks_something(answer: Answer) -> bool:
    """False for a message with nothing to look up ("thanks", "ok", "+1", "talk to a human"):
    it leaves the last answer rateable and the numbered choices showing pickable. A message
    offered the starter topics still counts: those are the numbers showing now."""
    return bool(answer.suggestions) or answer.outcome not in {Outcome.EMPTY, Outcome.PERSON}


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

    def tell(result: ReloadResult) -> None:
        notice = chat.reload_notice(result)
        if notice is not None:
            print(f"\n{notice}", file=stdout, flush=True)

    stop_listening = service.on_reload(tell)
    try:
        _converse(chat, stdin, stdout, interactive)
    except KeyboardInterrupt:
        # Ctrl-C: the shell's prompt goes on a line of its own, not after "you> ".
        if interactive:
            print(file=stdout, flush=True)
    finally:
        stop_listening()


def _converse(chat: ConsoleChat, stdin: TextIO, stdout: TextIO, interactive: bool) -> None:
    while True:
        line = _read_line(stdin, stdout, interactive)
        if line is None:
            if interactive:  # Ctrl-D: end the "you> " line
                print(file=stdout, flush=True)
            return
        if not line.strip():
            continue
        reply = chat.handle(line)
        if reply is None:
            return
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
