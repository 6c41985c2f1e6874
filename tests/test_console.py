"""The console chat, driven line by line as a person would type."""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.console import ConsoleChat, run_console
from adapters.console.render import WIDTH, render_answer, render_briefing
from bot.answers import Answer, Citation, Outcome, Suggestion
from bot.briefings import BriefingItem, BriefingView
from bot.library import Library
from bot.service import QAService
from bot.store import Store


def test_pick_a_did_you_mean_choice_by_number(service: QAService) -> None:
    chat = ConsoleChat(service)
    reply = chat.handle("canada")
    assert "not sure which" in str(reply) and "1." in str(reply)
    picked = chat.handle("1")
    assert picked is not None and "Source:" in picked


def test_rating_goes_to_the_log(tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "log.sqlite3")
    chat = ConsoleChat(QAService(library, log=store))
    assert chat.handle("-") == "There is no answer to rate yet."
    chat.handle("which prime minister cut ties with iran")
    assert chat.handle("-") == "Thanks, noted."
    (unhelpful,) = store.most_unhelpful(0, 10)
    assert unhelpful.not_helpful == 1 and unhelpful.entry_id
    store.close()


def test_reload_reports_errors_and_keeps_serving(knowledge_copy: Path) -> None:
    service = QAService.from_directory(knowledge_copy)
    chat = ConsoleChat(service)
    (knowledge_copy / "oops.yaml").write_text("entries:\n  - id: x\n")
    reply = str(chat.handle("reload"))
    assert "NOT reloaded" in reply and "oops.yaml" in reply
    assert "2012" in str(chat.handle("when were relations cut"))


def test_session_ends_on_quit_or_end_of_input(service: QAService) -> None:
    out = io.StringIO()
    run_console(service, io.StringIO("help\nquit\nnever read\n"), out)
    assert "briefing [ID]" in out.getvalue()
    assert "never read" not in out.getvalue()


def test_a_number_with_no_choices_showing_is_not_a_question(service: QAService) -> None:
    chat = ConsoleChat(service)
    assert chat.handle("4") == (
        "There are no numbered choices to pick from. Ask a question in words."
    )
    chat.handle("why did canada cut ties with iran")  # answered: its related topics are numbered
    assert chat.handle("9") is not None and "Pick a number from 1 to" in str(chat.handle("9"))


def test_a_question_that_starts_with_a_command_word_is_a_question(service: QAService) -> None:
    chat = ConsoleChat(service)
    reply = chat.handle("exit of canadian diplomats from ottawa, when was that?")
    assert reply is not None  # answered or offered, but not taken as "exit"
    assert chat.handle("report on the talks") is not None
    assert chat.handle("briefing iran-canada") is not None
    assert chat.handle("EXIT") is None


def test_slash_commands_as_typed_on_slack_or_discord_work_here(service: QAService) -> None:
    chat = ConsoleChat(service)
    assert "Source:" in str(chat.handle("/ask which prime minister cut ties with iran"))
    assert chat.handle("/help") == chat.handle("help")
    assert chat.handle("/faq report") == "Reports need the question log."
    assert "Subjects" in str(chat.handle("/topics"))
    assert chat.handle("/Quit") is None


def test_a_slash_that_names_no_command_is_told_not_asked(service: QAService) -> None:
    chat = ConsoleChat(service)
    assert chat.handle("/leave") == (
        "There is no command /leave here. Type help for the commands;"
        " anything else is read as a question."
    )
    assert "no command /faq purge here" in str(chat.handle("/faq purge everything"))


def test_what_follows_ask_is_a_question_even_when_it_is_a_command_word(
    service: QAService,
) -> None:
    chat = ConsoleChat(service)
    assert chat.handle("/ask quit") is not None  # asked, not a way out
    assert chat.handle("/ask help") != chat.handle("help")


def test_piped_answers_stand_apart(service: QAService) -> None:
    out = io.StringIO()
    run_console(service, stdin=io.StringIO("why did canada cut ties\ncanada\n"), stdout=out)
    assert "\n\nI'm not sure which of these you mean:" in out.getvalue()


def test_topics_list_the_subjects_and_a_number_reads_a_listed_question(
    service: QAService,
) -> None:
    chat = ConsoleChat(service)

    subjects = chat.handle("topics")
    listed = chat.handle("topics ps752")
    picked = chat.handle("2")

    assert subjects is not None and "ps752 (9)" in subjects
    assert listed is not None and "2. Why was Flight PS752 shot down?" in listed
    assert picked is not None and "mistakenly shot down" in picked and "Source:" in picked
    assert "No subject called 'weather'" in (chat.handle("topics weather") or "")


def test_briefing_alone_with_several_briefings_lists_them(knowledge_copy: Path) -> None:
    path = knowledge_copy / "briefings.yaml"
    second = "\n  - id: newcomers\n    title: For newcomers\n    entries: [severance-2012]\n"
    path.write_text(path.read_text(encoding="utf-8") + second, encoding="utf-8")
    chat = ConsoleChat(QAService.from_directory(knowledge_copy))

    listed = chat.handle("briefing") or ""
    named = chat.handle("briefing newcomers") or ""

    assert "Which briefing?" in listed and "newcomers: For newcomers" in listed
    assert "For newcomers" in named and "Source" in named
    unknown = chat.handle("briefing nope") or ""
    assert "No briefing called 'nope'" in unknown and "newcomers" in unknown


def test_small_talk_keeps_the_answer_to_rate_and_the_choices_showing(
    tmp_path: Path, library: Library
) -> None:
    store = Store(tmp_path / "log.sqlite3")
    chat = ConsoleChat(QAService(library, log=store))

    chat.handle("which prime minister cut ties with iran")
    assert "Ask me a question in words" in str(chat.handle("thanks"))
    # the bot's name said to it is no question of its own
    assert "Ask me a question in words" in str(chat.handle("thanks faqbot!"))
    rated = chat.handle("+")
    offered = chat.handle("canada")
    chat.handle("+1")
    chat.handle("ok")
    picked = chat.handle("1")

    assert rated == "Thanks, noted."
    assert offered is not None and "1. What does Canada demand from Iran?" in offered
    assert picked is not None and "Source:" in picked
    # A real question still replaces them, answered or not.
    chat.handle("what is the capital of peru")
    assert chat.handle("+") == "There is no answer to rate yet."
    assert "no numbered choices" in str(chat.handle("1"))
    store.close()


def test_a_number_written_as_in_a_list_picks_too(service: QAService) -> None:
    chat = ConsoleChat(service)
    chat.handle("canada")  # did you mean: 2 is "What does Iran accuse Canada of?"
    for typed in ("#2", "2.", " 2 ", "# 2", "2)"):
        reply = chat.handle(typed)
        assert reply is not None and "Iran accuses Canada" in reply, typed
        chat.handle("canada")
    assert "no numbered choices" in str(ConsoleChat(service).handle("#2"))


def test_a_fixed_knowledge_problem_is_told_when_the_files_are_restored(
    knowledge_copy: Path,
) -> None:
    service = QAService.from_directory(knowledge_copy)
    live = service.library.version
    broken = knowledge_copy / "oops.yaml"

    def watcher_reload() -> None:  # the watcher reloads on its own thread
        thread = threading.Thread(target=service.reload)
        thread.start()
        thread.join()

    def edits() -> Iterator[str]:
        broken.write_text("entries:\n  - id: x\n")
        watcher_reload()
        yield "reload\n"  # the `reload` command while it is broken
        broken.unlink()  # restored: the files are the last good version again
        watcher_reload()
        watcher_reload()  # a second good reload has nothing new to tell
        yield "quit\n"

    out = io.StringIO()
    run_console(service, _Typed(edits()), out)

    told = out.getvalue()
    # Once for the watcher's reload, once in the `reload` command's reply: never twice each.
    assert told.count("NOT reloaded") == 2
    fixed = f"[Knowledge problems fixed: version {live} is live (the files match it again).]"
    assert told.count(fixed) == 1
    assert told.rstrip().endswith(fixed)
    # Fixed by the `reload` command: its reply says so.
    chat = ConsoleChat(service)
    broken.write_text("entries:\n  - id: x\n")
    assert "NOT reloaded" in str(chat.handle("reload"))
    broken.unlink()
    assert chat.handle("reload") == (
        f"Knowledge problems fixed: version {live} is live (the files match it again)."
    )
    assert chat.handle("reload") == f"Knowledge unchanged (version {live})."


def test_the_related_line_is_wrapped_like_the_answer() -> None:
    questions = [
        "When did Canada cut diplomatic ties with Iran and what followed?",
        "What does Iran think of Canada's decision to cut ties with it?",
        "How have Canadian governments dealt with Iran since 2012?",
    ]
    answer = Answer(
        "why",
        Outcome.ANSWERED,
        text="Because.",
        entry_id="e",
        suggestions=tuple(Suggestion(f"e{n}", q) for n, q in enumerate(questions)),
    )

    lines = render_answer(answer).splitlines()[1:]

    assert lines[0].startswith("  Related: 1. When did")
    assert len(lines) > 1 and all(len(line) <= WIDTH for line in lines)
    assert all(line.startswith("    ") and line[4] != " " for line in lines[1:])
    assert " ".join(line.strip() for line in lines) == "Related: " + " | ".join(
        f"{n}. {q}" for n, q in enumerate(questions, start=1)
    )


def test_each_answer_of_a_several_question_reply_keeps_its_paragraph() -> None:
    first, second = "The embassy closed in 2012. " * 4, "Kanaani is the spokesperson. " * 4
    answer = Answer("q", Outcome.ANSWERED, text=f"{first.strip()}\n\n{second.strip()}")

    text = render_answer(answer)

    assert text.count("\n\n") == 1
    above, below = text.split("\n\n")
    assert "Kanaani" not in above and below.startswith("Kanaani")
    assert all(len(line) <= WIDTH for line in text.splitlines())


def test_two_digit_briefing_items_line_up_with_one_digit_ones() -> None:
    citation = Citation("s.md", "The source", "Facts", "A quote.")
    long_answer = "A fact that takes more than one line to say. " * 3
    items = tuple(
        BriefingItem(f"e{n}", f"q{n}", long_answer.strip(), (citation,)) for n in range(1, 11)
    )
    view = BriefingView("b", "Briefing", "", items, "v1")

    lines = render_briefing(view).splitlines()

    nine = lines.index(next(line for line in lines if line.lstrip().startswith("9. ")))
    ten = lines.index(next(line for line in lines if line.startswith("10. ")))
    assert lines[nine].startswith(" 9. A fact")
    for first in (nine, ten):
        text_column = 4
        assert lines[first][text_column - 1] == " " and lines[first][text_column] != " "
        wrapped = lines[first + 1]
        assert wrapped[:text_column] == " " * text_column and wrapped[text_column] != " "
        assert lines[first + 2].startswith(" " * text_column + "Source: The source")


class _Typed(io.StringIO):
    """What a person types in a terminal: lines from an iterator, then Ctrl-D (or Ctrl-C)."""

    def __init__(self, lines: Iterator[str], interrupt: bool = False) -> None:
        super().__init__()
        self._lines = lines
        self._interrupt = interrupt
        self.tty = False

    def isatty(self) -> bool:
        return self.tty

    def readline(self, size: int | None = -1) -> str:
        line = next(self._lines, "")
        if not line and self._interrupt:
            raise KeyboardInterrupt
        return line


@pytest.mark.parametrize("interrupt", [False, True], ids=["ctrl-d", "ctrl-c"])
def test_ctrl_d_and_ctrl_c_leave_the_shell_prompt_on_a_line_of_its_own(
    service: QAService, interrupt: bool
) -> None:
    typed = _Typed(iter(["help\n"]), interrupt=interrupt)
    typed.tty = True
    out = io.StringIO()
    with contextlib.suppress(KeyboardInterrupt):  # the launcher ends on it too
        run_console(service, typed, out)
    assert out.getvalue().endswith("\nyou> \n")
