"""Initialisms the knowledge spells out are read as the words they stand for."""

from __future__ import annotations

from bot.search import Document, SearchIndex
from bot.search.initialisms import Initialisms

STOP_WORDS = frozenset({"the", "of", "at", "on", "a", "is"})


def never_known(word: str) -> bool:
    return False


def test_a_name_written_with_capitals_spells_its_initialism() -> None:
    table = Initialisms(lambda: ["Patients at Bergen General Hospital wait."], STOP_WORDS)
    assert table.expand("is BGH open", never_known) == "is Bergen General Hospital open"


def test_a_lower_case_run_spells_one_only_when_it_recurs() -> None:
    once = Initialisms(lambda: ["A pull request needs review."], STOP_WORDS)
    assert once.expand("my PR is stuck", never_known) == "my PR is stuck"
    habit = Initialisms(lambda: ["A pull request needs review."] * 3, STOP_WORDS)
    assert habit.expand("my PR is stuck", never_known) == "my pull request is stuck"
    # a plural stays plural, once
    assert habit.expand("two PRs", never_known) == "two pull requests"
    plural = Initialisms(lambda: ["Permanent residents vote."] * 3, STOP_WORDS)
    assert plural.expand("PRs", never_known) == "permanent residents"


def test_what_is_left_alone() -> None:
    table = Initialisms(lambda: ["Bergen General Hospital. Big Green Hills."], STOP_WORDS)
    # two runs spell it equally often: no guess
    assert table.expand("is BGH open", never_known) == "is BGH open"
    named = Initialisms(lambda: ["Oslo Opera House"], STOP_WORDS)
    # a word the knowledge holds means itself; shouting is not a row of initialisms
    assert named.expand("is OOH open", lambda word: word == "OOH") == "is OOH open"
    assert named.expand("IS OOH OPEN", never_known) == "IS OOH OPEN"
    # a run does not cross punctuation or a stop word
    broken = Initialisms(lambda: ["Oslo, Opera House", "Oslo of Opera House"], STOP_WORDS)
    assert broken.expand("is OOH open", never_known) == "is OOH open"


def test_a_question_with_an_initialism_finds_the_entry_that_spells_it_out() -> None:
    entrances = Document(
        "entrances",
        ["Which entrance is kept clear?"],
        "At Bergen General Hospital the emergency entrance on Strand Street is kept clear.",
    )
    parking = Document(
        "parking", ["Where can visitors park?"], "Visitors park on Strand Street after 6 pm."
    )
    index = SearchIndex([entrances, parking])
    best = index.rank("BGH emergency entrance street")[0]
    assert best.key == "entrances"
    assert best.coverage == 1.0
