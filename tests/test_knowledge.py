"""Loading knowledge: precise errors for each kind of mistake, and quotes proven verbatim."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge import load_knowledge
from bot.knowledge.sources import find_quote

GOOD_ENTRY = """\
entries:
  - id: sample-fact
    question: When did Canada cut ties with Iran?
    answer: Canada severed diplomatic relations with Iran in 2012.
    phrasings: [what year were relations cut]
    citations:
      - source: iran-canada-talks
        section: Contextual Background
        quote: "Canada severed diplomatic relations with Iran in 2012"
"""


def _write(directory: Path, name: str, text: str) -> str:
    """Write a knowledge file; return the path as errors show it."""
    (directory / name).write_text(text, encoding="utf-8")
    return f"knowledge/{name}"


def _errors(directory: Path) -> list[str]:
    result = load_knowledge(directory)
    assert result.snapshot is None
    return [str(e) for e in result.errors]


def test_shipped_knowledge_loads_and_every_quote_is_in_its_section(library) -> None:  # type: ignore[no-untyped-def]
    snapshot = library.snapshot
    assert len(snapshot.entries) >= 60
    for entry in snapshot.entries:
        assert entry.citations, entry.id
        for citation in entry.citations:
            section = snapshot.sources[citation.source].section(citation.section)
            assert section is not None, (entry.id, citation.section)
            assert find_quote(citation.quote, section.text), (entry.id, citation.quote)


def test_the_source_document_is_the_article(library) -> None:  # type: ignore[no-untyped-def]
    source = library.snapshot.sources["iran-canada-talks"]
    assert source.title.startswith("Iran Signals Thaw?")
    titles = [s.title for s in source.sections]
    assert "Frequently Asked Questions (FAQ)" in titles
    assert "Key Points from the Original Source" in titles


def test_broken_yaml_names_file_and_line(knowledge_copy: Path) -> None:
    path = _write(knowledge_copy, "broken.yaml", "entries:\n  - id: x\n    answer: [unclosed\n")
    errors = _errors(knowledge_copy)
    assert len(errors) == 1
    assert errors[0].startswith(f"{path}:")
    assert "broken YAML" in errors[0]


def test_broken_yaml_says_where_the_unfinished_part_started(knowledge_copy: Path) -> None:
    # A quote left open runs on until the next quote, lines later: the parser stops there.
    text = 'entries:\n  - id: x\n    question: "Why?\n    answer: "It was so."\n'
    path = _write(knowledge_copy, "broken.yaml", text)
    (error,) = _errors(knowledge_copy)
    assert error.startswith(f"{path}:4: broken YAML")
    assert "started on line 2" in error


def test_missing_field_names_entry_and_field(knowledge_copy: Path) -> None:
    text = GOOD_ENTRY.replace(
        "    answer: Canada severed diplomatic relations with Iran in 2012.\n", ""
    )
    path = _write(knowledge_copy, "missing.yaml", text)
    assert _errors(knowledge_copy) == [f"{path}:2: sample-fact: answer: is required"]


def test_empty_answer_is_an_error_on_its_line(knowledge_copy: Path) -> None:
    text = GOOD_ENTRY.replace(
        "answer: Canada severed diplomatic relations with Iran in 2012.", 'answer: "  "'
    )
    path = _write(knowledge_copy, "empty.yaml", text)
    (error,) = _errors(knowledge_copy)
    assert error.startswith(f"{path}:4: sample-fact: answer: ")


def test_unknown_field_is_an_error(knowledge_copy: Path) -> None:
    path = _write(knowledge_copy, "extra.yaml", GOOD_ENTRY + "    anwser: typo\n")
    assert _errors(knowledge_copy) == [f"{path}:10: sample-fact: anwser: is not a known field"]


def test_duplicate_id_points_at_both_places(knowledge_copy: Path) -> None:
    first = _write(knowledge_copy, "a.yaml", GOOD_ENTRY)
    second = _write(knowledge_copy, "b.yaml", GOOD_ENTRY.replace("cut ties", "break ties"))
    (error,) = _errors(knowledge_copy)
    assert error == f"{second}:2: sample-fact: duplicate id (first at {first}:2)"


def test_unknown_source_lists_the_known_ones(knowledge_copy: Path) -> None:
    path = _write(
        knowledge_copy,
        "src.yaml",
        GOOD_ENTRY.replace("source: iran-canada-talks", "source: some-blog"),
    )
    (error,) = _errors(knowledge_copy)
    assert error.startswith(f"{path}:7: sample-fact: citations[0].source: unknown source")
    assert "iran-canada-talks" in error


def test_unknown_section_is_an_error(knowledge_copy: Path) -> None:
    _write(
        knowledge_copy,
        "sec.yaml",
        GOOD_ENTRY.replace("section: Contextual Background", "section: Conclusion"),
    )
    (error,) = _errors(knowledge_copy)
    assert "no section 'Conclusion'" in error


def test_quote_not_in_section_is_an_error_with_a_hint(knowledge_copy: Path) -> None:
    _write(
        knowledge_copy,
        "quote.yaml",
        GOOD_ENTRY.replace(
            'quote: "Canada severed diplomatic relations with Iran in 2012"',
            'quote: "Canada\'s 2012 Severance of Ties"',
        ),
    )
    (error,) = _errors(knowledge_copy)
    assert "citations[0].quote: not found in section 'Contextual Background'" in error
    assert "quote marks" in error  # the source has a typographic apostrophe


def test_quote_from_another_section_is_not_accepted(knowledge_copy: Path) -> None:
    _write(
        knowledge_copy,
        "other.yaml",
        GOOD_ENTRY.replace(
            'Canada severed diplomatic relations with Iran in 2012"',
            'Harper cited Iran’s support for terrorism"',
        ),
    )
    (error,) = _errors(knowledge_copy)
    assert "not found in section 'Contextual Background'" in error


def test_mass_mentions_are_rejected(knowledge_copy: Path) -> None:
    _write(
        knowledge_copy,
        "ping.yaml",
        GOOD_ENTRY.replace("answer: Canada severed", 'answer: "@everyone Canada severed').replace(
            "Iran in 2012.\n", 'Iran in 2012."\n', 1
        ),
    )
    (error,) = _errors(knowledge_copy)
    assert "mass mention" in error


def test_briefing_with_unknown_entry_is_an_error(knowledge_copy: Path) -> None:
    _write(
        knowledge_copy,
        "brief.yaml",
        "briefings:\n  - id: extra\n    title: Extra\n    entries: [no-such-entry]\n",
    )
    (error,) = _errors(knowledge_copy)
    assert "unknown entry 'no-such-entry'" in error


def test_every_problem_is_reported_not_only_the_first(knowledge_copy: Path) -> None:
    _write(knowledge_copy, "one.yaml", "entries: [1, 2]\n")
    _write(
        knowledge_copy,
        "two.yaml",
        GOOD_ENTRY.replace("source: iran-canada-talks", "source: nowhere"),
    )
    assert len(_errors(knowledge_copy)) == 3


def test_version_changes_with_content(knowledge_copy: Path) -> None:
    before = load_knowledge(knowledge_copy).snapshot
    _write(knowledge_copy, "new.yaml", GOOD_ENTRY)
    after = load_knowledge(knowledge_copy).snapshot
    assert before is not None and after is not None
    assert before.version != after.version
    assert "sample-fact" in after.by_id


def test_text_before_the_first_section_is_a_section_named_like_the_document(
    tmp_path: Path,
) -> None:
    from bot.knowledge.sources import parse_source

    path = tmp_path / "guide.md"
    path.write_text("# The Guide\n\nIt is reviewed every January.\n\n## Rules\n\nBe kind.\n")
    source = parse_source(path, "guide")
    assert [s.title for s in source.sections] == ["The Guide", "Rules"]
    assert source.section("The Guide") is not None
    assert "every January" in source.sections[0].text
