"""A reload after one edit reads that file again, not the others, and answers as a fresh start."""

from __future__ import annotations

from pathlib import Path

from bot.library import load_library
from bot.search.index import Document, SearchIndex
from bot.service import QAService

QUESTIONS = [
    "why did canada cut ties with iran",
    "how many canadians died on the plane",
    "what does iran want from canada",
    "what does tehran expect from ottawa first",
    "wat did kanaani say abt the ball",
    "how do i bake bread",
]


def _entries_of(service: QAService, file_name: str) -> list[object]:
    library = service._library
    return [
        entry
        for entry in library.snapshot.entries
        if library.snapshot.entry_files[entry.id][0].endswith(file_name)
    ]


def test_an_unchanged_file_is_not_read_again(knowledge_copy: Path) -> None:
    service = QAService.from_directory(knowledge_copy)
    edited = knowledge_copy / "iran-canada" / "faq.yaml"
    untouched_before = _entries_of(service, "talks.yaml")
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")

    result = service.reload()

    assert result.ok and result.changed
    untouched_after = _entries_of(service, "talks.yaml")
    assert untouched_after and all(
        a is b for a, b in zip(untouched_before, untouched_after, strict=True)
    )


def test_a_reload_with_nothing_changed_keeps_the_same_index(knowledge_copy: Path) -> None:
    service = QAService.from_directory(knowledge_copy)
    before = service._library

    result = service.reload()

    assert result.ok and not result.changed
    assert service._library is before


def test_an_edit_answers_exactly_as_a_fresh_start(knowledge_copy: Path) -> None:
    service = QAService.from_directory(knowledge_copy)
    edited = knowledge_copy / "iran-canada" / "faq.yaml"
    text = edited.read_text(encoding="utf-8")
    added = "    phrasings:\n      - what does tehran expect from ottawa first\n"
    edited.write_text(text.replace("    phrasings:\n", added, 1), encoding="utf-8")

    assert service.reload().changed
    fresh, errors = load_library(knowledge_copy)

    assert fresh is not None, errors
    for question in QUESTIONS:
        assert service._library.index.rank(question) == fresh.index.rank(question), question


def test_an_index_built_on_the_previous_one_ranks_as_one_built_anew() -> None:
    documents = [
        Document("tea", ["how do I brew green tea"], answer="Steep it for three minutes."),
        Document("bread", ["how do I bake bread"], answer="Knead the dough, then bake it."),
    ]
    previous = SearchIndex(documents)
    changed = [documents[0], Document("bread", ["how do I bake rye bread"], answer="Use rye.")]

    reused = SearchIndex(changed, previous=previous)
    fresh = SearchIndex(changed)

    # "steap" and "breaf" are mended against words of a reused text and of a new one
    for question in ("brew tea", "bake rye bread", "how long to steap", "breaf"):
        assert reused.rank(question) == fresh.rank(question)
