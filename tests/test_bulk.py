"""Large knowledge is filed and scored in numpy: the answers must be exactly the plain loops'.

Each test builds the same index both ways (numpy forced on small knowledge, or the plain
loops forced on large) and compares every ranked match, scores to the last bit.
"""

from __future__ import annotations

import random
from array import array
from pathlib import Path

import pytest

import bot.search.index as index_module
from bot.evaluation import load_cases
from bot.library import Library, load_library
from bot.search import Document, SearchIndex
from bot.search.bulk import postings_of
from bot.search.postings import Postings

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_SETS = [
    (ROOT / "knowledge", ROOT / "tests/data/tuning/iran-blind.jsonl"),
    (ROOT / "knowledge", ROOT / "tests/data/tuning/iran-paraphrases.jsonl"),
    (ROOT / "tests/data/kb/handbook", ROOT / "tests/data/tuning/handbook-chat.jsonl"),
    (ROOT / "tests/data/kb/guild", ROOT / "tests/data/tuning/guild-chat.jsonl"),
]


def _library(directory: Path) -> Library:
    library, errors = load_library(directory)
    assert library is not None, errors
    return library


@pytest.mark.parametrize(("knowledge", "questions"), KNOWLEDGE_SETS, ids=lambda p: p.name)
def test_numpy_ranks_the_question_sets_exactly_as_the_plain_loops(
    knowledge: Path, questions: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _library(knowledge).index
    monkeypatch.setattr(index_module, "BULK_MIN_ENTRIES", 0)
    bulk = _library(knowledge).index
    assert plain._bulk is None and bulk._bulk is not None
    for case in load_cases(questions):
        question = case.question
        assert bulk.rank(question) == plain.rank(question), question
        # A long message: its last sentence asked, the rest as context.
        last = question.rstrip(".?! ").rsplit(". ", 1)[-1]
        assert bulk.rank(last, context=question) == plain.rank(last, context=question)


def _made_up_knowledge(count: int) -> list[Document]:
    """Entries over a Zipf vocabulary: a few words sit in more entries than the common-word
    limit, so both the full sums and the re-weighing of the best entries run."""
    rng = random.Random(5)
    syllables = ["ka", "lo", "mir", "tu", "sen", "vo", "ra", "pel", "di", "gor", "an", "qui"]
    vocabulary = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 3))) for _ in range(3000)})
    weights = [1 / rank for rank in range(1, len(vocabulary) + 1)]
    documents = []
    for number in range(count):
        topic = rng.choices(vocabulary, weights, k=4)
        phrasings = [
            f"{rng.choice(['what is', 'how do i', 'when does', 'who runs'])} "
            + " ".join(rng.sample(topic, k=3) + rng.choices(vocabulary, weights, k=2))
            for _ in range(rng.randint(2, 4))
        ]
        answer = " ".join(topic + rng.choices(vocabulary, weights, k=10)) + "."
        documents.append(Document(f"entry-{number}", phrasings, answer))
    return documents


def _plain_and_bulk(
    documents: list[Document], monkeypatch: pytest.MonkeyPatch
) -> tuple[SearchIndex, SearchIndex]:
    """The same knowledge indexed with the plain loops and with numpy."""
    monkeypatch.setattr(index_module, "BULK_MIN_ENTRIES", len(documents) + 1)
    plain = SearchIndex(documents)
    monkeypatch.setattr(index_module, "BULK_MIN_ENTRIES", 0)
    return plain, SearchIndex(documents)


def test_numpy_ranks_large_knowledge_exactly_as_the_plain_loops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    documents = _made_up_knowledge(3000)
    monkeypatch.setattr(index_module, "SATURATE_BLOCK", 1000)  # frequencies in many blocks
    plain, bulk = _plain_and_bulk(documents, monkeypatch)
    assert plain._common and plain._common == bulk._common  # the re-weighing path runs
    assert list(bulk._postings) == list(plain._postings)
    for term in plain._postings:
        assert bulk._postings.of(term) == plain._postings.of(term), term
    rng = random.Random(9)
    for document in rng.sample(documents, 150):
        words = rng.choice(document.phrasings).split()
        rng.shuffle(words)
        question = " ".join(words[: rng.randint(2, len(words))])
        assert bulk.rank(question) == plain.rank(question), question


def test_postings_filed_at_once_match_postings_filed_one_by_one() -> None:
    readings = [("tea", "rye"), ("rye",), (), ("bread", "tea", "rye")]
    frequencies = [(1.0, 0.5), (2.0,), (), (0.25, 0.75, 1.5)]
    lists: dict[str, tuple[array[int], array[float]]] = {}
    for number, (terms, values) in enumerate(zip(readings, frequencies, strict=True)):
        for term, value in zip(terms, values, strict=True):
            lists.setdefault(term, (array("i"), array("f")))
            lists[term][0].append(number)
            lists[term][1].append(value)
    one_by_one = Postings(lists)

    at_once = postings_of(
        [term for terms in readings for term in terms],
        array("f", [value for values in frequencies for value in values]),
        array("i", [len(terms) for terms in readings]),
    )

    assert list(at_once) == list(one_by_one) == ["tea", "rye", "bread"]
    for term in one_by_one:
        assert at_once.of(term) == one_by_one.of(term)
    assert at_once.held("rye", 3) == 1.5 and at_once.held("bread", 0) is None


def test_the_slip_filter_keeps_every_word_within_reach() -> None:
    """Letter counts rule words out before they are compared edit by edit: no word within
    the allowed edits may be ruled out, and the order is the buckets' own."""
    from rapidfuzz.distance import OSA

    from bot.search.bulk import SlipFilter

    rng = random.Random(3)
    letters = "aeioulnrstkmpé"  # an accented letter counts as "other"
    words = {"".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(4000)}
    words |= {"a" * 130, "a" * 129 + "b"}  # counts past what a byte holds
    buckets: dict[tuple[int, str], list[str]] = {}
    for word in sorted(words):
        buckets.setdefault((len(word), word[0]), []).append(word)
    slips = SlipFilter(buckets)
    asked = [*rng.sample(sorted(words), 300), "a" * 131, "zzzz"]
    compared = ruled_out = 0
    for word in asked:
        # a slip of each: a letter dropped, changed, or two swapped
        slipped = list(word)
        at = rng.randrange(1, len(slipped))
        slipped[at - 1], slipped[at] = slipped[at], slipped[at - 1]
        for typed in (word, "".join(slipped), word[:-1], word[:-1] + "x"):
            for max_edits in (1, 2):
                lengths = range(len(typed) - max_edits, len(typed) + max_edits + 1)
                every = [w for n in lengths for w in buckets.get((n, typed[0]), [])]
                within = [w for w in every if OSA.distance(typed, w) <= max_edits]
                kept = slips.candidates(typed, lengths, max_edits)
                assert set(within) <= set(kept), typed
                assert kept == [w for w in every if w in set(kept)]  # bucket order
                compared += len(every)
                ruled_out += len(every) - len(kept)
    assert ruled_out > compared / 2  # and it does rule most words out


def test_numpy_ranks_a_question_of_many_words_exactly_as_the_plain_loops(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past seven words a question's posting lists share one mark of the entries that hold
    them: the salience they cover is then counted list by list, to the same sums."""
    documents = _made_up_knowledge(3000)
    plain, bulk = _plain_and_bulk(documents, monkeypatch)
    words = sorted({word for document in documents for word in document.answer[:-1].split()})
    rng = random.Random(11)
    for count in (6, 7, 8, 9, 40):
        question = " ".join(rng.sample(words, count))
        assert len(bulk._query(question).topic) >= min(count, 8)
        assert bulk.rank(question) == plain.rank(question), question


def test_numpy_ranks_questions_from_several_threads_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each thread sums a question's scores in its own arrays."""
    from concurrent.futures import ThreadPoolExecutor

    documents = _made_up_knowledge(2000)
    plain, bulk = _plain_and_bulk(documents, monkeypatch)
    rng = random.Random(13)
    questions = [" ".join(rng.choice(documents).phrasings[0].split()[1:]) for _ in range(200)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(bulk.rank, questions))
    assert together == [plain.rank(question) for question in questions]
