"""A knowledge base's own matcher settings (matcher.yaml), and what entries say they answer."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from bot.answers import Outcome
from bot.checks import run_check
from bot.library import load_library
from bot.search.language import english
from bot.service import QAService

MATCHER = "matcher.yaml"


def _check(directory: Path) -> tuple[int, list[str]]:
    """`knowledge check` run from the folder that holds the knowledge: its paths start there."""
    out = io.StringIO()
    with contextlib.chdir(directory.parent):
        code = run_check(directory, out)
    return code, out.getvalue().splitlines()


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_the_shipped_matcher_settings_are_read(knowledge_copy: Path) -> None:
    library, errors = load_library(knowledge_copy)
    assert library is not None, errors
    assert "human rights" in library.snapshot.matcher.phrases
    assert any("tehran" in group for group in library.snapshot.synonyms)


def test_a_broken_setting_is_reported_with_its_file_and_line(knowledge_copy: Path) -> None:
    _append(knowledge_copy / MATCHER, "thresholds:\n  answer: 2\n")
    code, lines = _check(knowledge_copy)
    assert code == 1
    assert any(
        line.startswith("knowledge/matcher.yaml:") and "thresholds.answer" in line for line in lines
    ), lines


def test_an_unknown_setting_is_reported(knowledge_copy: Path) -> None:
    _append(knowledge_copy / MATCHER, "stopwords: [article]\n")
    code, lines = _check(knowledge_copy)
    assert code == 1 and any("stopwords" in line and "not a known field" in line for line in lines)


def test_settings_that_would_do_nothing_are_reported(knowledge_copy: Path) -> None:
    _append(
        knowledge_copy / MATCHER,
        "topic_words: [embassy]\nstop_words: [when]\nthresholds:\n  answer: 0.4\n  suggest: 0.6\n",
    )
    _, lines = _check(knowledge_copy)
    text = "\n".join(lines)
    assert "'embassy' is not skipped anyway" in text
    assert "'when' is a question word" in text
    assert "suggest is above answer" in text


def test_extra_stop_words_and_topic_words_change_what_is_matched(knowledge_copy: Path) -> None:
    before, _ = load_library(knowledge_copy)
    assert before is not None
    assert before.index.has_topic("embassy")
    _append(knowledge_copy / MATCHER, "stop_words: [embassy]\ntopic_words: [may]\n")
    after, errors = load_library(knowledge_copy)
    assert after is not None, errors
    assert not after.index.has_topic("embassy")
    assert after.index.has_topic("may")


def test_threshold_overrides_change_the_decision(knowledge_copy: Path) -> None:
    question = "why did canada cut ties with iran"
    library, _ = load_library(knowledge_copy)
    assert library is not None
    assert QAService(library).ask(question).answered
    _append(knowledge_copy / MATCHER, "thresholds:\n  answer: 1.0\n  suggest: 0.0\n")
    strict, _ = load_library(knowledge_copy)
    assert strict is not None
    answer = QAService(strict).ask("what reasons did canada give for cutting ties in 2012")
    assert answer.outcome is Outcome.DID_YOU_MEAN


def test_tags_are_not_matched_as_text(knowledge_copy: Path) -> None:
    faq = knowledge_copy / "iran-canada" / "faq.yaml"
    text = faq.read_text(encoding="utf-8")
    faq.write_text(text.replace("tags: [faq,", "tags: [zeppelin, faq,", 1), encoding="utf-8")
    library, errors = load_library(knowledge_copy)
    assert library is not None, errors
    assert library.index.rank("zeppelin") == []


def test_an_entry_may_declare_that_it_answers_when(tmp_path: Path) -> None:
    knowledge = tmp_path / "kb"
    (knowledge / "sources").mkdir(parents=True)
    (knowledge / "sources" / "guide.md").write_text(
        "# Guide\n\n## Calls\n\nThe community call follows each release sprint.\n",
        encoding="utf-8",
    )
    entry = (
        "entries:\n  - id: call-timing\n    question: When is the community call?\n"
        "    answer: The community call follows each release sprint.\n"
        "    citations:\n      - source: guide\n        section: Calls\n"
        "        quote: The community call follows each release sprint.\n"
    )
    (knowledge / "faq.yaml").write_text(entry, encoding="utf-8")
    plain, _ = load_library(knowledge)
    (knowledge / "faq.yaml").write_text(entry + "    answers: [when]\n", encoding="utf-8")
    declared, errors = load_library(knowledge)
    assert plain is not None and declared is not None, errors
    assert plain.index.rank("when is the call")[0].lacks_wanted_type
    assert not declared.index.rank("when is the call")[0].lacks_wanted_type


def test_words_yaml_would_read_as_booleans_are_quoted_in_the_language_data() -> None:
    language = english()
    assert {"on", "off"} <= language.stop_words
    assert language.shorthand["n"] == "and"


def test_a_knowledge_bases_topic_words_are_never_passed_over() -> None:
    # "current" is a time word in most questions ("the current chair"), a topic in a guide to
    # electricity.
    adapted = english().adapted(topic_words=["current"])
    assert "current" in english().passed_over_after_question_word
    assert "current" not in adapted.passed_over_after_question_word
