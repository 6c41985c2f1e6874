"""The console chat, driven line by line as a person would type."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.console import ConsoleChat, run_console
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
