"""`knowledge check` on deliberately broken copies of the knowledge: one line per problem."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from bot.checks import MAX_ANSWER_CHARS, run_check

FAQ = "iran-canada/faq.yaml"


def _check(directory: Path) -> tuple[int, list[str]]:
    """Run from the knowledge folder's parent, so that files show as "knowledge/…"."""
    out = io.StringIO()
    with contextlib.chdir(directory.parent):
        code = run_check(directory, out)
    lines = out.getvalue().splitlines()
    return code, lines[:-1] if code else lines


def _edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_knowledge_is_clean(knowledge_copy: Path) -> None:
    code, lines = _check(knowledge_copy)
    assert code == 0
    assert "no problems" in lines[-1]


def test_every_line_has_file_line_entry_and_message(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy,
        FAQ,
        "  - id: faq-main-obstacles\n",
        "  - id: faq-main-obstacles\n    bogus: 1\n",
    )
    code, lines = _check(knowledge_copy)
    assert code == 1
    assert re.fullmatch(r"knowledge/iran-canada/faq\.yaml:\d+: faq-main-obstacles: .+", lines[0])


def test_schema_and_types(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy,
        FAQ,
        "    phrasings:\n",
        "    phrasings: 42\n    unused:\n",
    )
    code, lines = _check(knowledge_copy)
    assert code == 1
    assert lines[0].endswith("faq-why-canada-severed-ties: phrasings: should be a list")
    assert lines[1].endswith("faq-why-canada-severed-ties: unused: is not a known field")
    assert len(lines) == 2  # no knock-on errors from the briefing that names these entries


def test_duplicate_id(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy, FAQ, "  - id: faq-main-obstacles\n", "  - id: faq-why-canada-severed-ties\n"
    )
    code, lines = _check(knowledge_copy)
    assert code == 1
    assert any("duplicate id" in line for line in lines)


def test_the_same_phrasing_on_two_entries(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy,
        FAQ,
        "      - obstacles to normalization\n",
        "      - obstacles to normalization\n      - Why did Canada cut ties with Iran?\n",
    )
    code, lines = _check(knowledge_copy)
    assert code == 1
    assert any(
        "faq-main-obstacles: phrasing 'Why did Canada cut ties with Iran?' is also a "
        "phrasing of" in line
        for line in lines
    )


def test_quote_not_in_the_cited_section(knowledge_copy: Path) -> None:
    _edit(knowledge_copy, FAQ, "section: Frequently Asked Questions (FAQ)", "section: Main Report")
    code, lines = _check(knowledge_copy)
    assert code == 1
    assert any("quote: not found in section 'Main Report'" in line for line in lines)


def test_empty_answer(knowledge_copy: Path) -> None:
    path = knowledge_copy / "empty.yaml"
    path.write_text(
        "entries:\n  - id: empty-answer\n    question: Is this empty?\n    answer: ''\n"
        "    citations:\n      - {source: iran-canada-talks, section: Main Report, "
        "quote: Iran has expressed its readiness}\n",
        encoding="utf-8",
    )
    code, lines = _check(knowledge_copy)
    assert code == 1
    assert lines == [
        "knowledge/empty.yaml:4: empty-answer: answer: String should have at least 1 character"
    ]


def test_answer_too_long_for_one_message(knowledge_copy: Path) -> None:
    long_answer = "Canada severed ties in 2012. " * (MAX_ANSWER_CHARS // 20)
    _edit(
        knowledge_copy,
        FAQ,
        "    answer: >-\n      The main obstacles",
        f"    answer: >-\n      {long_answer}The main obstacles",
    )
    code, lines = _check(knowledge_copy)
    assert code == 1
    assert any(f"at most {MAX_ANSWER_CHARS} fit one chat message" in line for line in lines)


def test_self_test_reports_a_phrasing_that_finds_another_entry(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy,
        FAQ,
        "      - obstacles to normalization\n",
        "      - obstacles to normalization\n      - how many canadian citizens died on ps752\n",
    )
    code, lines = _check(knowledge_copy)
    assert code == 1
    assert any(
        "faq-main-obstacles: self-test: phrasing 'how many canadian citizens died on "
        "ps752' finds" in line
        for line in lines
    )


def test_a_phrasing_of_common_words_is_answered_only_word_for_word(knowledge_copy: Path) -> None:
    from bot.library import load_library
    from bot.service import QAService

    _edit(
        knowledge_copy,
        FAQ,
        "      - obstacles to normalization\n",
        "      - obstacles to normalization\n      - iran and canada\n",
    )
    code, _ = _check(knowledge_copy)
    assert code == 0  # a moderator may say so: the phrasing is answered by its entry
    library, _ = load_library(knowledge_copy)
    assert library is not None
    service = QAService(library)
    assert service.ask("iran and canada").entry_id == "faq-main-obstacles"
    assert not service.ask("what about canada").answered  # too vague otherwise


def test_entries_without_phrasings_are_pointed_out_without_failing(knowledge_copy: Path) -> None:
    _edit(
        knowledge_copy,
        FAQ,
        "    phrasings:\n"
        "      - what is stopping iran and canada from restoring ties\n"
        "      - obstacles to normalization\n"
        "      - what stands in the way of better relations\n"
        "      - main challenges to iran canada relations\n",
        "",
    )
    code, lines = _check(knowledge_copy)
    notes = [line for line in lines if line.startswith("note:")]
    assert len(notes) == 1 and "1 of " in notes[0] and "(faq-main-obstacles)" in notes[0]
    assert code == 0 and lines[-1].endswith("no problems")  # advice, not a problem


def test_a_misspelled_phrasing_is_pointed_out_without_failing(knowledge_copy: Path) -> None:
    # Plurals, suffixes and English words are no slips: the shipped knowledge has none.
    assert not [line for line in _check(knowledge_copy)[1] if line.startswith("note:")]
    _edit(
        knowledge_copy,
        "iran-canada/key-points.yaml",
        "      - what is kanaani's job\n",
        "      - what is kanaani's job\n      - who is nasser kanani\n",
    )
    code, lines = _check(knowledge_copy)
    notes = [line for line in lines if line.startswith("note:")]
    assert len(notes) == 1
    assert notes[0].startswith("note: who-is-nasser-kanaani: phrasing 'who is nasser kanani'")
    assert "spells 'kanaani' as 'kanani'" in notes[0]
    assert code == 0 and lines[-1].endswith("no problems")  # advice, not a problem


def test_a_verdict_followed_by_a_fragment_is_pointed_out_without_failing(
    knowledge_copy: Path,
) -> None:
    _edit(
        knowledge_copy,
        "iran-canada/background.yaml",
        "      Yes. Canada's decision to sever diplomatic ties with Iran in 2012 was not taken",
        "      Yes, in 2012. Canada's decision to sever diplomatic ties with Iran in 2012 was not"
        " taken",
    )
    code, lines = _check(knowledge_copy)
    notes = [line for line in lines if line.startswith("note:")]
    assert len(notes) == 1 and "the answer starts 'In 2012.'" in notes[0]
    assert code == 0 and lines[-1].endswith("no problems")  # advice, not a problem
