"""What `knowledge check` and a reload refuse, and where they point: an emptied file of entries,
citations that are not whole passages, problems on the offending line, paths that open from
where the command runs, one error for a broken source, and e-mail addresses that are no ping."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.checks import MAX_ANSWER_CHARS, run_check
from bot.knowledge import load_knowledge
from bot.knowledge.models import MAX_TAG_CHARS, Entry
from bot.knowledge.sources import MIN_QUOTE_WORDS, find_quote
from bot.library import load_library
from bot.service import QAService
from tests.conftest import KNOWLEDGE_DIR, PROJECT_ROOT

BENEFITS = "iran-canada/benefits-challenges.yaml"  # no briefing names its entries
EMPTY = "holds no entries: delete the file to remove its entries"
GOOD_ENTRY = """\
entries:
  - id: sample-fact
    question: When did Canada cut ties with Iran?
    answer: Canada severed diplomatic relations with Iran in 2012.
    citations:
      - source: iran-canada-talks
        section: Contextual Background
        quote: "Canada severed diplomatic relations with Iran in 2012"
"""
QUOTE_LINE = 8  # of GOOD_ENTRY; the entry's own line is 2


def _check(directory: Path, cwd: Path | None = None) -> tuple[int, list[str]]:
    """`knowledge check` run from cwd (the knowledge folder's parent unless told)."""
    out = io.StringIO()
    with contextlib.chdir(cwd or directory.parent):
        code = run_check(directory, out)
    return code, out.getvalue().splitlines()


def _errors(directory: Path) -> list[str]:
    result = load_knowledge(directory)
    assert result.snapshot is None, "expected the knowledge to be refused"
    return [str(error) for error in result.errors]


def _write(directory: Path, name: str, text: str | bytes) -> None:
    path = directory / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _line_of(directory: Path, name: str, text: str, after: str = "") -> int:
    """The 1-based line of the first line holding text (after the first holding `after`)."""
    lines = (directory / name).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1


# --- an emptied file of entries -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [("", ""), ("  \n\n", ""), ("# entries moved to talks.yaml\n", ""), ("entries: []\n", ":1")],
    ids=["empty", "blank", "comment-only", "empty-list"],
)
def test_a_file_of_entries_that_holds_none_is_an_error(
    knowledge_copy: Path, text: str, line: str
) -> None:
    _write(knowledge_copy, BENEFITS, text)
    assert _errors(knowledge_copy) == [f"knowledge/{BENEFITS}{line}: {EMPTY}"]
    code, lines = _check(knowledge_copy)
    assert code == 1 and lines[0] == f"knowledge/{BENEFITS}{line}: {EMPTY}"


def test_empty_briefings_and_matcher_files_are_still_allowed(knowledge_copy: Path) -> None:
    _write(knowledge_copy, "briefings.yaml", "# no briefing yet\n")
    _write(knowledge_copy, "matcher.yaml", "")
    _write(knowledge_copy, "synonyms.yaml", "synonyms:\n  - [sever, cut]\n")  # not empty
    result = load_knowledge(knowledge_copy)
    assert result.ok, [str(error) for error in result.errors]


def test_a_running_bot_keeps_the_entries_of_a_file_emptied_by_mistake(
    knowledge_copy: Path,
) -> None:
    library, _ = load_library(knowledge_copy)
    assert library is not None
    service = QAService(library, knowledge_copy)
    question = "direct communication between ottawa and tehran"
    assert service.ask(question).entry_id == "benefit-improved-communication"
    _write(knowledge_copy, BENEFITS, "")
    result = service.reload()
    assert not result.ok and [str(e) for e in result.errors] == [f"knowledge/{BENEFITS}: {EMPTY}"]
    assert service.ask(question).entry_id == "benefit-improved-communication"


# --- paths that open from where the command runs ------------------------------------------


def _break_faq(knowledge: Path) -> int:
    """Give faq.yaml an unknown field; the line it is on."""
    path = knowledge / "iran-canada" / "faq.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - id: faq-main-obstacles\n"
    path.write_text(text.replace(old, old + "    bogus: 1\n", 1), encoding="utf-8")
    return _line_of(knowledge, "iran-canada/faq.yaml", "bogus: 1")


@pytest.mark.parametrize(
    ("run_in", "argument", "shown"),
    [
        ("knowledge", ".", "iran-canada/faq.yaml"),
        ("knowledge/iran-canada", "..", "faq.yaml"),
        ("knowledge/iran-canada", "../../knowledge", "faq.yaml"),
        ("", "knowledge", "knowledge/iran-canada/faq.yaml"),
    ],
)
def test_paths_are_shown_from_the_folder_the_check_runs_in(
    knowledge_copy: Path, run_in: str, argument: str, shown: str
) -> None:
    line = _break_faq(knowledge_copy)
    here = knowledge_copy.parent / run_in
    code, lines = _check(Path(argument), cwd=here)
    assert code == 1
    assert lines[0] == f"{shown}:{line}: faq-main-obstacles: bogus: is not a known field"
    assert (here / shown).is_file()


def test_a_folder_outside_the_current_one_is_shown_in_full(
    knowledge_copy: Path, tmp_path: Path
) -> None:
    line = _break_faq(knowledge_copy)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, lines = _check(knowledge_copy, cwd=elsewhere)
    assert code == 1
    assert lines[0].startswith(f"{knowledge_copy / 'iran-canada' / 'faq.yaml'}:{line}: ")


def test_knowledge_check_of_the_current_folder_prints_paths_that_open(
    knowledge_copy: Path,
) -> None:
    line = _break_faq(knowledge_copy)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "knowledge", "check", "."],
        cwd=knowledge_copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"iran-canada/faq.yaml:{line}: faq-main-obstacles: ")


# --- problems on the offending line -------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "line"),
    [
        ("source: iran-canada-talks", "source: some-blog", "source", 6),
        ("section: Contextual Background", "section: Conclusion", "section", 7),
        ('relations with Iran in 2012"', 'ties with Iran in 2012"', "quote", QUOTE_LINE),
    ],
)
def test_a_citation_problem_points_at_its_own_line(
    knowledge_copy: Path, old: str, new: str, key: str, line: int
) -> None:
    _write(knowledge_copy, "cite.yaml", GOOD_ENTRY.replace(old, new))
    (error,) = _errors(knowledge_copy)
    assert error.startswith(f"knowledge/cite.yaml:{line}: sample-fact: citations[0].{key}: ")


def test_a_problem_in_a_second_citation_points_at_that_citation(knowledge_copy: Path) -> None:
    second = (
        "      - {source: iran-canada-talks, section: Contextual Background, "
        "quote: Canada severed diplomatic ties}\n"
    )
    _write(knowledge_copy, "cite.yaml", GOOD_ENTRY + second)
    (error,) = _errors(knowledge_copy)
    assert error.startswith("knowledge/cite.yaml:9: sample-fact: citations[1].quote: not found")


def test_a_quote_over_several_lines_points_at_its_key(knowledge_copy: Path) -> None:
    text = GOOD_ENTRY.replace(
        '        quote: "Canada severed diplomatic relations with Iran in 2012"\n',
        "        quote: >-\n          Canada severed diplomatic\n          ties with Iran\n",
    )
    _write(knowledge_copy, "cite.yaml", text)
    (error,) = _errors(knowledge_copy)
    assert error.startswith(f"knowledge/cite.yaml:{QUOTE_LINE}: sample-fact: citations[0].quote:")


def test_an_answer_too_long_points_at_the_answer_line(knowledge_copy: Path) -> None:
    path = knowledge_copy / "iran-canada" / "faq.yaml"
    text = path.read_text(encoding="utf-8")
    old = "    answer: >-\n      The main obstacles"
    long_answer = "Canada severed ties in 2012. " * (MAX_ANSWER_CHARS // 20)
    path.write_text(text.replace(old, f"    answer: >-\n      {long_answer}The main obstacles"))
    line = _line_of(knowledge_copy, "iran-canada/faq.yaml", "answer:", "id: faq-main-obstacles")
    code, lines = _check(knowledge_copy)
    assert code == 1
    prefix = f"knowledge/iran-canada/faq.yaml:{line}: faq-main-obstacles: answer is "
    assert any(shown.startswith(prefix) for shown in lines), lines


# --- quotes: whole words, and enough of them ----------------------------------------------


@pytest.mark.parametrize(
    ("quote", "message"),
    [
        ("the", "citations[0].quote: is 1 word; quote at least 3 words of the source"),
        ("severed diplomatic", "citations[0].quote: is 2 words; quote at least 3 words"),
        (
            "nada severed diplomatic relations with Ir",
            "citations[0].quote: starts inside the word 'Canada' and ends inside the word "
            "'Iran' in section 'Contextual Background' of source 'iran-canada-talks': "
            "quote whole words",
        ),
        ("s 2012 Severance of Ties", "starts inside the word 'Canada’s'"),
        ("concerns over Iran", "ends inside the word 'Iran’s'"),
        ("severed diplomatic relations with Ira", "ends inside the word 'Iran'"),
    ],
)
def test_a_quote_must_be_a_passage_of_whole_words(
    knowledge_copy: Path, quote: str, message: str
) -> None:
    text = GOOD_ENTRY.replace("Canada severed diplomatic relations with Iran in 2012", quote)
    _write(knowledge_copy, "quote.yaml", text)
    (error,) = _errors(knowledge_copy)
    assert error.startswith(f"knowledge/quote.yaml:{QUOTE_LINE}: sample-fact: citations[0].quote:")
    assert message in error


@pytest.mark.parametrize(
    "quote",
    [
        "Canada’s 2012 Severance of Ties",  # starts and ends with a word
        "• Canada’s 2012 Severance of Ties:",  # starts and ends with a mark
        "with Iran in 2012, citing",
        "Iran’s nuclear program, human rights record",
    ],
)
def test_a_quote_of_whole_words_is_found(quote: str) -> None:
    text = (KNOWLEDGE_DIR / "sources" / "iran-canada-talks.md").read_text(encoding="utf-8")
    assert len(quote.split()) >= MIN_QUOTE_WORDS
    assert find_quote(quote, text)


def test_a_quote_is_found_where_a_later_occurrence_is_whole_words() -> None:
    assert find_quote("cut ties with", "uncut ties with Iran; Canada cut ties with Iran")
    assert not find_quote("cut ties with", "uncut ties with Iran")


@pytest.mark.parametrize(
    "knowledge",
    [KNOWLEDGE_DIR, *sorted((PROJECT_ROOT / "tests" / "data" / "kb").iterdir())],
    ids=lambda path: path.name,
)
def test_every_knowledge_base_meets_the_quote_rules(knowledge: Path) -> None:
    result = load_knowledge(knowledge)
    assert result.ok, [str(error) for error in result.errors]


# --- mass mentions ------------------------------------------------------------------------


def _entry(answer: str) -> dict[str, object]:
    citation = {"source": "s", "section": "t", "quote": "one two three"}
    return {"id": "x1", "question": "Who?", "answer": answer, "citations": [citation]}


@pytest.mark.parametrize(
    "answer",
    [
        "email team@everyone.com",
        "write to help@here.example",
        "ask a_@here",
        "＠everyone may read it",  # a full-width @ pings no one
        "@\u200beveryone may read it",  # nor does one followed by a zero-width space
    ],
)
def test_an_at_sign_inside_a_word_is_not_a_mass_mention(answer: str) -> None:
    assert Entry.model_validate(_entry(answer)).answer == answer


@pytest.mark.parametrize(
    ("answer", "ping"),
    [
        ("@everyone read this", "@everyone"),
        ("hi @Here", "@here"),
        ("(@everyone)", "@everyone"),
        ("mail.@here", "@here"),
        ("<!channel> read this", "<!channel>"),
        ("<!here|here> read this", "<!here|here>"),
    ],
)
def test_mass_mentions_are_still_refused(answer: str, ping: str) -> None:
    with pytest.raises(ValidationError, match=f"must not contain the mass mention '{ping}'"):
        Entry.model_validate(_entry(answer))


def test_an_email_address_in_an_answer_passes_knowledge_check(knowledge_copy: Path) -> None:
    path = knowledge_copy / BENEFITS
    text = path.read_text(encoding="utf-8")
    old = "      Yes. Restoring diplomatic"
    assert old in text
    path.write_text(text.replace(old, "      Yes. Email team@everyone.com. Restoring diplomatic"))
    code, lines = _check(knowledge_copy)
    assert code == 0, lines


# --- files that are not UTF-8 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("bad.yaml", "entries:\n  - id: x1\n    question: caf\xe9?\n", 3),
        ("sources/extra.md", "# Title\n\n## Part\n\ncaf\xe9\n", 5),
    ],
)
def test_a_file_that_is_not_utf8_gets_its_line_and_byte(
    knowledge_copy: Path, name: str, text: str, line: int
) -> None:
    raw = text.encode("latin-1")
    _write(knowledge_copy, name, raw)
    byte = raw.index(b"\xe9")
    assert _errors(knowledge_copy) == [
        f"knowledge/{name}:{line}: not UTF-8 text (byte {byte}: invalid continuation byte); "
        "save it as UTF-8"
    ]


# --- a broken source ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "break_it",
    [
        lambda path: path.write_bytes(path.read_bytes().replace("’".encode(), b"\x92", 1)),
        lambda path: (path.unlink(), os.mkfifo(path)),
        lambda path: (path.unlink(), os.symlink(path.name, path)),
    ],
    ids=["not-utf8", "fifo", "link-loop"],
)
def test_a_source_that_fails_to_load_is_one_error_not_one_per_citation(
    knowledge_copy: Path, break_it: object
) -> None:
    break_it(knowledge_copy / "sources" / "iran-canada-talks.md")  # type: ignore[operator]
    errors = _errors(knowledge_copy)
    assert len(errors) == 1, errors[:3]
    assert errors[0].startswith("knowledge/sources/iran-canada-talks.md")


def test_a_citation_of_a_source_that_does_not_exist_is_still_an_error(
    knowledge_copy: Path,
) -> None:
    _write(knowledge_copy, "cite.yaml", GOOD_ENTRY.replace("iran-canada-talks", "some-blog"))
    (error,) = _errors(knowledge_copy)
    assert "unknown source 'some-blog' (known: iran-canada-talks)" in error


# --- messages in plain words ---------------------------------------------------------------


def test_shape_problems_are_told_in_plain_words_without_follow_on_errors(
    knowledge_copy: Path,
) -> None:
    _write(
        knowledge_copy,
        "bad.yaml",
        "entries:\n"
        "  - just a string\n"
        "  - id: bad-two\n"
        "    question: Why?\n"
        "    answer: Because.\n"
        "    citations: [1]\n"
        "  - id: bad-three\n"
        "    question: How?\n"
        "    answer: Like this.\n"
        "    citations: []\n",
    )
    assert _errors(knowledge_copy) == [
        "knowledge/bad.yaml:2: entries[0]: should be a mapping of fields (name: value)",
        "knowledge/bad.yaml:6: bad-two: citations[0]: should be a mapping of fields (name: value)",
        "knowledge/bad.yaml:10: bad-three: citations: needs at least 1 item(s)",
    ]


def test_a_briefing_may_list_an_entry_only_once(knowledge_copy: Path) -> None:
    _write(
        knowledge_copy,
        "twice.yaml",
        "briefings:\n  - id: twice\n    title: Twice\n"
        "    entries: [severance-2012, severance-2012]\n",
    )
    assert _errors(knowledge_copy) == [
        "knowledge/twice.yaml:4: twice: entries: lists 'severance-2012' more than once"
    ]


def test_a_tag_too_long_for_a_chat_menu_is_an_error(knowledge_copy: Path) -> None:
    long_tag = "relations-" * (MAX_TAG_CHARS // 10 + 1)
    _write(
        knowledge_copy,
        "tagged.yaml",
        "entries:\n"
        "  - id: tagged\n"
        "    question: When did Canada cut ties?\n"
        "    answer: In 2012.\n"
        "    citations:\n"
        "      - source: iran-canada-talks\n"
        "        section: Contextual Background\n"
        '        quote: "Canada severed diplomatic relations with Iran in 2012"\n'
        f"    tags: [history, {long_tag}]\n",
    )
    assert _errors(knowledge_copy) == [
        f"knowledge/tagged.yaml:9: tagged: tags[1]: String should have at most "
        f"{MAX_TAG_CHARS} characters"
    ]
