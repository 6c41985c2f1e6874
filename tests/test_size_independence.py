"""Answers do not depend on how big the knowledge is: 10,000 unrelated entries change nothing.

Every weight the matcher uses comes from how many entries hold a word, not from how many
entries there are, so unrelated entries (made-up words, as in benchmarks/bench_search.py)
must leave each question set's score within one point.
"""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

from bot.evaluation import load_cases, run_eval
from bot.knowledge import Entry
from bot.knowledge.models import CitationSpec
from bot.library import Library, build_library
from bot.service import QAService

ROOT = Path(__file__).resolve().parent.parent
SETS = [
    ROOT.parent / "shared" / "eval" / "chat.jsonl",
    ROOT / "tests" / "data" / "tuning" / "iran-blind.jsonl",
    ROOT / "tests" / "data" / "tuning" / "iran-paraphrases.jsonl",
]
DISTRACTORS = 10_000
SYLLABLES = ["bro", "um", "plo", "ssos", "ka", "ve", "rin", "dal", "mu", "tek", "zor", "qui", "fen"]


def _made_up_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _distractors(library: Library) -> list[Entry]:
    rng = random.Random(11)
    vocabulary = _made_up_words(rng, 20_000)
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]  # Zipf
    first = library.snapshot.entries[0].citations[0]
    entries = []
    for number in range(DISTRACTORS):
        topic = rng.choices(vocabulary, weights, k=3)
        phrasings = tuple(
            f"{rng.choice(['what is', 'how do i', 'when does', 'why is'])} "
            + " ".join(rng.sample(topic, k=2) + rng.choices(vocabulary, weights, k=3))
            for _ in range(rng.randint(3, 6))
        )
        answer = " ".join(topic + rng.choices(vocabulary, weights, k=12)).capitalize() + "."
        # Quotes are indexed too: each made-up entry quotes made-up words of its own.
        quote = " ".join(rng.choices(vocabulary, weights, k=8))
        citation = CitationSpec(source=first.source, section=first.section, quote=quote)
        entries.append(
            Entry(
                id=f"made-up-{number}",
                question=phrasings[0],
                answer=answer,
                phrasings=phrasings[1:],
                citations=(citation,),
            )
        )
    return entries


def test_ten_thousand_unrelated_entries_change_no_score(library: Library) -> None:
    snapshot = library.snapshot
    bigger = build_library(
        dataclasses.replace(snapshot, entries=snapshot.entries + tuple(_distractors(library)))
    )
    assert len(bigger.index) == len(library.index) + DISTRACTORS
    for question_set in (s for s in SETS if s.exists()):
        cases = load_cases(question_set)
        alone = run_eval(cases, QAService(library).ask).overall
        crowded = run_eval(cases, QAService(bigger).ask).overall
        assert abs(alone[0] - crowded[0]) / alone[1] <= 0.01, (question_set.name, alone, crowded)
