"""The search index over one knowledge snapshot: BM25F for recall, fuzzy phrasing for precision.

Ranking runs in stages, each a method below: read the question into weighted words
(`_query`, with the word weights of `weights.py`), find candidates with BM25F
(`_candidates`), re-score the best of them by coverage, phrasing and BM25 (`_rescore`), and
settle near-ties by the closest phrasing (`phrasing.py`). A long message's context sentences
are read with its question, their words at a share of their weight (`_with_context`).
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from bot.gc_pause import cyclic_gc_paused
from bot.search.answer_types import (
    ANSWER_TYPE_WORDS,
    WIDER_KIND,
    YEAR_DIGITS,
    AnswerType,
    asks_who,
    counted_near_number,
    counted_words,
    gives,
    gives_a_new_figure,
    gives_a_new_name,
    gives_a_new_person,
    names_one_of_a_kind,
    wanted_answer_type,
)
from bot.search.initialisms import Initialisms, may_hold_initialisms
from bot.search.language import Language, english
from bot.search.mending import KnownWordMender
from bot.search.phrasing import (
    EXACT_LEAD_MARGIN,
    EXACT_PHRASING,
    REVERSED_NAMES,
    names_in_order,
    phrasing_similarities,
    reverses_names,
    settle_near_ties,
)
from bot.search.postings import Postings
from bot.search.reading import sentences_of
from bot.search.spelling import Spelling, spelling
from bot.search.text import DOTTED_NUMBER, THOUSANDS_SEPARATOR, Analyzer
from bot.search.weights import (
    BM25_B,
    BM25_K1,
    ONE_ENTRY_WEIGHT,
    known_word_salience,
    saturate,
    unknown_word_salience,
    word_weight,
)

if TYPE_CHECKING:
    from bot.search.bulk import BulkScorer

__all__ = ["Document", "Match", "SearchIndex"]

# How much each field of an entry counts: the ways people ask weigh most, the answer next,
# the cited quote least (it holds the source's wording, which people rarely type).
FIELD_WEIGHTS = {"phrasings": 1.0, "answer": 0.5, "quote": 0.25}
# BM25 scales a field's term frequency by its length against a typical length. The usual
# choice, the knowledge's own average, would make every entry's score move when unrelated
# entries are added; these are typical lengths (in terms) of the project's knowledge bases.
TYPICAL_FIELD_LENGTH = {"phrasings": 30.0, "answer": 25.0, "quote": 20.0}
# How many BM25 hits are re-scored with the fuzzy phrasing comparison.
RERANK_DEPTH = 20
# A reload reuses the previous index's reading of unchanged entries while the knowledge has at
# most this many entries.
MAX_KEPT_READINGS = 15_000
# Words in more than this share of the entries (and at least COMMON_MIN_ENTRIES of them) are
# "common": they only re-weigh the PRESELECT_DEPTH entries that the rarer words found, so that
# a question word in half of 100,000 entries costs 100 look-ups instead of 50,000 additions.
# Small knowledge bases have no common words at all, and rank exactly as plain BM25F. A word
# in a twentieth of the entries may still be the one that tells two entries apart: summed in
# full, such words find the paraphrased entry first more often at 100,000 entries (benchmark:
# 98.8% against 98.0% with a twentieth), for a few hundredths of a millisecond.
COMMON_SHARE = 0.2
COMMON_MIN_ENTRIES = 500
PRESELECT_DEPTH = 100
# From this many entries the index is filed and its candidates scored in numpy (bulk.py):
# the same scores, several times faster, for the cost of importing numpy (0.1 s), which a
# smaller knowledge base would not win back.
BULK_MIN_ENTRIES = 5_000
# Its entries' term frequencies are saturated this many at a time.
SATURATE_BLOCK = 65_536
# A question of common words only names nothing precise: each of its words brings the entries
# that hold it most (by saturated term frequency), at most this many, instead of every holder.
# Work stays bounded however large the knowledge; such a question is never answered outright.
COMMON_SCAN_DEPTH = 500
# Rounding room when ruling out entries that cannot reach the matches returned.
LIFT_SLACK = 1e-9
# A typo-corrected word is weaker evidence than one typed right: its share of coverage.
CORRECTED_WEIGHT = 0.75
# Intent words ("who", "when") nudge ranking only: their weight is this share of a word held
# by one entry, whatever entries hold them (they are in many, and say nothing of the topic).
INTENT_WEIGHT = 0.3
# A name is held in any word that starts like it, less its last three letters and at least
# this long ("Norw" in "Norwegian", "Japa" in "Japanese", "West" in "Western").
NAME_PREFIX = 4
# A name counts as missing only when it says this much (salience): the knowledge's own
# subject (a country's name in a knowledge about that country) is missing from many entries
# that answer.
NAME_SALIENCE = 0.5
# How many words after "what" the focus may stand ("what are the names of" -> names).
FOCUS_REACH = 4
# A long message's question sentence is read together with the sentences around it, whose
# words count at this share of their weight: the question leads, and a question that names
# little ("what happens now?", "is that true?") is placed by its context. (Tuning sets,
# cross-validated: reading every long message so finds the right entry first for 3 more of
# 701 questions than reading the context only for questions that name little or point back,
# with as many wrong answers; 0.4 scores best of 0.25, 0.3, 0.4 and 0.5.)
CONTEXT_SALIENCE = 0.4
# A question sentence that points back ("when does it show up?", "is that true?") asks about
# what the rest of its message names: those words count at this share instead. Not so for an
# earlier question read with a follow-up, which asks something else. (Tuning sets,
# cross-validated: 6.8 more right answers in 2541 and 3.4 fewer wrong over five fold draws,
# 4.7 more and 2.6 fewer over twenty, 5 more and 2 fewer with each knowledge base decided by
# a policy fitted on the others; 0.55, 0.7 and 1.0 gain too, 0.85 most. Counting "this" or
# "that" before a noun or after one as pointing back too finds 2.4 more right answers but 2.2
# more wrong, and lets the noise around a question decide more often.)
POINTING_CONTEXT_SALIENCE = 0.85
# A question sentence naming less than this (rare-word units) is compared with the entries'
# phrasings together with the rest of its message: "is that allowed?" alone is closest to
# whichever entry was phrased "is X allowed". (Tuning sets, cross-validated over five fold
# draws: 14 more right answers in 1441, as many wrong ones; each knowledge base decided by a
# policy fitted on the others: 18 more right, 10 more wrong. 0.75 to 1.25 score alike;
# always so, 2 more wrong than this.) A follow-up is never compared with an earlier message:
# it asks something else than the question it follows.
PHRASE_ALONE_INFORMATION = 1.0
# The final score blends: how much of the question's salient words the entry holds
# (coverage: an unknown rare word is the surest sign that a question is about something the
# knowledge does not hold), how close the question is to one of the entry's phrasings
# (fuzzy: how moderators wrote that people ask), and BM25 relative to the best hit. Phrasing
# ahead of coverage ranks best (tuning sets of 22 knowledge bases, cross-validated: 0.35 and
# 0.50 give 2.8 more right answers in 3061 than 0.40 and 0.45 and 12.6 fewer wrong over five
# fold draws, 4.5 more and 9.1 fewer over twenty, 2 more and 12 fewer with each knowledge base
# decided by a policy fitted on the others; 0.30/0.55 and 0.45/0.40 score worse).
COVERAGE_WEIGHT = 0.35
PHRASING_WEIGHT = 0.50
BM25_WEIGHT = 0.15
# A question that asks "how many" or "when" wants an amount or a time; an entry whose answer
# holds none is probably about the right topic but not the asked fact. Its score is
# multiplied by this: lowered, not forbidden, since the patterns cannot see every time; the
# answer policy weighs the mismatch again. (Tuning sets, cross-validated over five fold
# draws: 0.9 scores 2 more right answers in 1441 than 0.75 and 3 fewer wrong ones, and as
# much better with each knowledge base decided by a policy fitted on the others; 0.6 and
# 0.75 score alike, 0.85 to 1.0 alike.)
ANSWER_TYPE_MISMATCH = 0.9
# How much an answer that counts other things than the question lacks the count (0..1):
# most of the way, since such an answer rarely counts the asked thing under another name
# (tuning sets, cross-validated over five fold draws: 0.75 scores best of 0.5, 0.75 and 1.0).
COUNTED_ELSEWHERE = 0.75
# How much an answer lacks the asked fact when it gives that kind of fact only in statements
# that hold none of the names the question writes (nor, for a time, a price, a measure or a
# name, any of the words naming what it is asked of): about something else, most likely
# (tuning sets, cross-validated: 0.6 more right answers in 1441 and 9.8 fewer wrong ones;
# every value from 0.5 to 0.8 gains; 0.75 as for a count of other things).
GIVEN_ELSEWHERE = 0.75
# "Who founded it?" met by an entry whose only new names are places and bodies named with
# everyday words ("Cork Airport", "Kettleby City Council"): no person is given. (Tuning sets:
# 5.2 more right answers and 6.8 fewer wrong over five fold draws, 5.7 more and 5.7 fewer
# over twenty, 6 more and 5 fewer left out by knowledge base.)
NO_PERSON = 1.0
# A time, a price, a duration, a measure or the name of whoever holds a role is stated in the
# clause that names what it belongs to ("the day pass costs £8", "the bag tent closes at 2
# pm", "e-bikes weigh 25 kg", "Ada Okafor chairs the board"): one given only in clauses about
# other things belongs to them ("a 50% refund of the entry fee… you can defer for £25" gives
# no entry fee). Not a count: "24 lanes between the two gates" is the count asked of either
# gate as often as not. (Tuning sets, with the words naming a measure, "weigh", "far", "long",
# read as naming the kind of fact: 1.8 more right answers and 4.0 fewer wrong over five fold
# draws, 3 more right and 5 fewer wrong left out by knowledge base; names too, 0.6 more right
# and 0.4 fewer wrong, and 4 more right and 1 fewer wrong; counts too, 8 fewer right; places
# too, 3 fewer right.)
_STATED_WITH_THEIR_SUBJECT = frozenset(
    {
        AnswerType.TIME,
        AnswerType.PRICE,
        AnswerType.DURATION,
        AnswerType.WEIGHT,
        AnswerType.SPEED,
        AnswerType.DISTANCE,
        AnswerType.AGE,
        AnswerType.NAME,
    }
)
# The question words that name what a time, a price, a measure or a name is asked of: salient
# ones. Everyday verbs and the words of a long message's context fall below.
ASKED_ABOUT_SALIENCE = 0.3


@dataclass(frozen=True)
class Document:
    """What the index needs of one entry: its key, its text by field, what it answers."""

    key: str
    phrasings: Sequence[str]
    answer: str = ""
    quotes: Sequence[str] = ()
    answers: frozenset[AnswerType] = frozenset()


class _EntryText(NamedTuple):
    """Everything an entry's reading depends on (with the language and the synonyms)."""

    key: str
    phrasings: tuple[str, ...]
    answer: str
    quotes: tuple[str, ...]


# An entry read: its phrasings as read, one a line, words sorted; its terms; their BM25F
# frequencies (not yet saturated: large knowledge saturates them all at once in numpy).
_Reading = tuple[str, tuple[str, ...], "array[float]"]


@dataclass(frozen=True)
class Match:
    """One ranked entry with the evidence behind its score (all in 0..1 unless said)."""

    key: str
    score: float
    coverage: float
    phrasing: float
    best_phrasing: str
    information: float = 0.0  # the question's salient words, in rare-word units (0..)
    # Asked "how many" or "when" and the answer has no such fact: 1, or less when it is only
    # unsure (amounts, but of other things).
    lacks_wanted_type: float = 0.0
    # What the answer policy weighs of the best match; rank fills these for the first match
    # it returns only.
    uncovered: float = 0.0  # the most salient question word that this entry does not hold
    lacks_focus: bool = False  # the entry does not hold the word naming what is asked
    lacks_name: bool = False  # the entry does not hold a name the question writes ("Notion")
    with_context: bool = False  # the question was read with the sentences around it


class _Checked(NamedTuple):
    """An entry re-scored and checked for the kind of fact asked: what its match is made of."""

    number: int
    score: float
    phrasing: float
    coverage: float
    lacks_wanted_type: float
    closest: int  # which of its phrasings is closest to the question


class _Evidence(TypedDict, total=False):
    """What the answer policy weighs of the best match beyond its score (Match's fields)."""

    uncovered: float
    lacks_focus: bool
    lacks_name: bool


@dataclass(frozen=True)
class _Query:
    """A question read for ranking: its weighted topic terms and intent terms."""

    text: str
    topic: tuple[str, ...]
    salience: Mapping[str, float]  # topic term -> 0..1
    intent: tuple[str, ...]
    wanted: AnswerType | None
    # The word right after "which"/"what"/"whose": what is asked ("which party", "what type")
    focus: frozenset[str] = frozenset()
    # The kind "which" asks for: the focus, and the head of a two-word noun phrase after
    # "which" ("which local groups does Norway fund" -> groups, where the focus is "local").
    kind: frozenset[str] = frozenset()
    with_context: bool = False  # read together with the sentences around the question
    counted: tuple[str, ...] = ()  # the terms a "how many" question may count
    names: frozenset[str] = frozenset()  # terms the question writes as names ("Peru")
    # Capital letters the question writes as labels ("Zone C", "Car Park A", "band D"): no
    # term holds one letter, so the entry's own text must write it.
    letters: frozenset[str] = frozenset()
    # The words compared with the entries' phrasings when they are not all of the query's:
    # a long message's question sentence, without its context, unless it names too little
    # (PHRASE_ALONE_INFORMATION); a follow-up without the question it follows.
    phrased: str = ""
    # The first two names the question writes, in its order ("Norway ... Sweden"): a phrasing
    # naming them the other way round asks the other way round.
    name_order: tuple[str, str] | None = None
    information: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "information", sum(self.salience.values()))

    @property
    def fuzzy_text(self) -> str:
        return self.phrased or " ".join([*self.intent, *self.topic])


_BE = (["is"], ["was"], ["are"], ["were"])
_YEAR = re.compile(YEAR_DIGITS)
_AMOUNT_WITH_UNIT = re.compile(
    r"\d+(?:[.,]\d+)?(?:am|pm|h|hrs?|mins?|secs?|ms|km|kg|mg|g|m|cm|mm|mi|ml|l|kb|mb|gb|tb|k|p|x)"
)
_ASKS_WHICH = re.compile(r"\bwhich\b", re.IGNORECASE)
# A capital letter written after a word as its label: "Zone C", "Car Park A", "rated G" ("I"
# is the asker).
_LETTER_LABEL = re.compile(r"\b([A-Za-z]+)\s+([A-HJ-Z])(?![\w'’.])")
_SPACED_CAPITAL = re.compile(r"\s[A-HJ-Z](?![\w'’.])")  # the quick test most questions fail
_WORD_SPAN = re.compile(r"[\w’'-]+")
# A range of capital letters as labels: "A–C", "A-C", "A to C", "A through C".
_LETTER_RANGE = re.compile(
    r"(?<![\w'’])([A-Z])\s*(?:[-–—]|\s(?:to|through|thru)\s)\s*([A-Z])(?![\w'’])"
)


@lru_cache(maxsize=32)
def _letter_label(letter: str) -> re.Pattern[str]:
    """A capital letter written as a label, not as the word opening a sentence."""
    return re.compile(rf"(?<![.!?:]\s)(?<=[\s(,/-]){re.escape(letter)}(?![\w'’])")


def _in_letter_range(text: str, letter: str) -> bool:
    return any(
        first <= letter <= last for first, last in _LETTER_RANGE.findall(text) if first < last
    )


_INSIDE_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)(?<=\s)[A-Z][a-z]+\b")


# "Norway's", "the club's", "members'": whose something is; not "what's" or "it's".
_POSSESSOR = re.compile(r"\b([^\W\d_]+?s?)(?:(?<!s)['’]s|(?<=s)['’]s?)(?!\w)")
_CONTRACTED = frozenset("it that there what who he she where how here let when why this".split())


def _possessors(question: str) -> frozenset[str]:
    """The words of a question that own what follows them ("Norway's king" -> norway)."""
    found = (match.group(1).casefold() for match in _POSSESSOR.finditer(question))
    return frozenset(word for word in found if word not in _CONTRACTED)


_ACRONYM = re.compile(r"\b[A-Z]{3,}\b")


def _acronyms(text: str) -> frozenset[str]:
    """Lower-cased words written in capitals ("ISBN", "GDPR") in a text that is not all
    capitals: a name of its own, not a slip of a little word ("isbn" is one from "isn")."""
    if text.isupper() or not any(map(str.isupper, text)):
        return frozenset()
    return frozenset(word.casefold() for word in _ACRONYM.findall(text))


def _capitalised_inside(text: str) -> frozenset[str]:
    """Lower-cased words written with a capital inside a sentence (not at its start): names,
    when the asker bothers with capitals at all."""
    if text.islower() or text.isupper():
        return frozenset()
    return frozenset(word.casefold() for word in _INSIDE_CAPITALISED.findall(text.strip()))


# Where a sentence joins two statements: ", and", ", but", ", while", ", whereas", ";".
_CLAUSE_JOIN = re.compile(r"(?:,\s+(?:and|but|while|whereas)|;)\s+", re.IGNORECASE)


def named_clauses(sentence: str) -> list[str]:
    """A sentence's joined statements, each one that names its own subject (a capitalised
    word or a year) apart; one that does not ("…, and it opened in 2019") stays with the
    statement before it, which it goes on speaking of."""
    clauses: list[str] = []
    start = 0
    for join in _CLAUSE_JOIN.finditer(sentence):
        clauses.append(sentence[start : join.start()])
        start = join.end()
    clauses.append(sentence[start:])
    kept = clauses[:1]
    for clause in clauses[1:]:
        if _INSIDE_CAPITALISED.search(" " + clause) or _YEAR.search(clause):
            kept.append(clause)
        else:
            kept[-1] = f"{kept[-1]}, {clause}"
    return kept


def _highest(scores: Mapping[int, float], count: int) -> list[int]:
    """The `count` keys with the highest scores, best first (ties in insertion order), as
    heapq.nlargest with a key would give, but comparing the bare scores in C first: the
    score of the count-th best, then only the keys at or above it are sorted."""
    if len(scores) <= count:
        return sorted(scores, key=scores.__getitem__, reverse=True)
    floor = heapq.nlargest(count, scores.values())[-1]
    above = [key for key, score in scores.items() if score >= floor]
    return sorted(above, key=scores.__getitem__, reverse=True)[:count]


def _top_holders(ids: array[int], saturated: array[float]) -> tuple[array[int], array[float]]:
    """The COMMON_SCAN_DEPTH entries that hold a common word most, in entry order."""
    holders = zip(saturated, ids, strict=True)
    top = sorted(heapq.nlargest(COMMON_SCAN_DEPTH, holders), key=lambda h: h[1])
    return array("i", (n for _, n in top)), array("f", (tf for tf, _ in top))


class SearchIndex:
    """Built once per snapshot, then only read; memos of typo repairs and answer types grow
    inside it as questions arrive, always towards the same values."""

    def __init__(
        self,
        documents: Sequence[Document],
        synonyms: Mapping[str, str] | None = None,
        language: Language | None = None,
        previous: SearchIndex | None = None,
    ):
        """`previous`: the index this one replaces (a reload); the entries it already read the
        same way (same text, language and synonyms) are not read again."""
        self.language = language or english()
        with cyclic_gc_paused():
            self._build(documents, synonyms, previous)

    def _build(
        self,
        documents: Sequence[Document],
        synonyms: Mapping[str, str] | None,
        previous: SearchIndex | None,
    ) -> None:
        self._analyzer = Analyzer(synonyms, self.language)
        self._synonyms = dict(synonyms or {})
        same_reading = (
            previous is not None
            and previous._synonyms == self._synonyms
            and previous.language == self.language
        )
        read_before = previous._readings if previous and same_reading else {}
        # Kept for the next reload while the knowledge is small: a few MiB, where reading
        # every entry again would cost a user-visible fraction of a second.
        self._readings: dict[_EntryText, _Reading] = {}
        keep = len(documents) <= MAX_KEPT_READINGS
        self._keys = [doc.key for doc in documents]
        self._answers = [doc.answer for doc in documents]
        self._declared = [doc.answers for doc in documents]
        # Each entry's phrasings as read, one line each: one string per entry, not one per
        # phrasing (a fifth of the index's memory at 100,000 entries).
        self._phrasing_text: list[str] = []
        self._phrasing_raw = [tuple(doc.phrasings) for doc in documents]
        self._size = len(documents)
        # Each entry's terms with their saturated BM25F frequency, filed under each term, one
        # entry at a time (its terms are garbage at once, which keeps the build's memory low);
        # large knowledge lays them end to end and files them all at once in numpy.
        postings: dict[str, tuple[array[int], array[float]]] = {}
        bulk = self._size >= BULK_MIN_ENTRIES
        if bulk:
            from bot.search.bulk import BulkScorer, postings_of, saturated
        flat_terms: list[str] = []
        flat_frequencies = array("f")
        # Read a block of entries at a time, saturated together: one numpy step per block,
        # and no array of every frequency in float64 (its memory would stay with the process).
        block = array("d")
        term_counts = array("i")
        reused = False
        # Large knowledge neither keeps nor finds readings: no key to make for each entry.
        remembered = keep or bool(read_before)
        for number, doc in enumerate(documents):
            if remembered:
                text = _EntryText(doc.key, tuple(doc.phrasings), doc.answer, tuple(doc.quotes))
                reading = read_before.get(text)
                reused = reused or reading is not None
                if reading is None:
                    reading = self._read_entry(doc)
                if keep:
                    self._readings[text] = reading
            else:
                reading = self._read_entry(doc)
            phrasing_text, terms, frequencies = reading
            self._phrasing_text.append(phrasing_text)
            if bulk:
                flat_terms.extend(terms)
                block.extend(frequencies)
                term_counts.append(len(terms))
                if len(block) >= SATURATE_BLOCK:
                    flat_frequencies.extend(saturated(block, BM25_K1))
                    block = array("d")
                continue
            for term, tf in zip(terms, frequencies, strict=True):
                posting = postings.get(term)
                if posting is None:
                    posting = postings[term] = (array("i"), array("f"))
                posting[0].append(number)
                posting[1].append(saturate(tf))
        self._bulk: BulkScorer | None = None
        if bulk:
            flat_frequencies.extend(saturated(block, BM25_K1))
            self._postings = postings_of(flat_terms, flat_frequencies, term_counts)
            del flat_terms, flat_frequencies, term_counts
            self._bulk = BulkScorer(self._postings, self._size)
        else:
            self._postings = Postings(postings)
            del postings
        common_df = max(COMMON_MIN_ENTRIES, COMMON_SHARE * self._size)
        self._common = frozenset(self._postings.held_by_more_than(common_df))
        self._common_top = {term: _top_holders(*self._postings.of(term)) for term in self._common}
        # The words the knowledge is written in, for typo repair: "recordigns" is one slip
        # from the word "recordings", though three from its stem "record". Texts read by the
        # previous index bring their words from its list.
        words = self._analyzer.vocabulary()
        if reused and previous is not None:
            words = {**previous.surface_words, **words}
        self._surface = {
            word: term
            for word, term in words.items()
            if term in self._postings and not word.isdigit()
        }
        self._mender = KnownWordMender(
            self._surface,
            self._postings,
            self._analyzer,
            self.language,
            large=self._bulk is not None,
        )
        # Memos filled on demand; each only ever grows towards the same answers.
        self._answer_types: dict[tuple[int, AnswerType], bool] = {}
        self._answer_sentences: dict[int, tuple[tuple[str, frozenset[str]], ...]] = {}
        self._answer_clauses: dict[int, tuple[tuple[str, frozenset[str]], ...]] = {}
        self._name_form_memo: dict[str, list[str]] = {}

    @property
    def surface_words(self) -> Mapping[str, str]:
        """The words the knowledge is written in, each with its term."""
        surface: dict[str, str] = self._surface
        return surface

    @cached_property
    def _initialisms(self) -> Initialisms:
        return Initialisms(
            lambda: chain(self._answers, chain.from_iterable(self._phrasing_raw)),
            self.language.stop_words,
        )

    def _holds_word(self, word: str) -> bool:
        term = self._analyzer.term(word.casefold())
        return term is not None and self.known(term)

    @cached_property
    def _spelling(self) -> Spelling:
        return spelling(self.language)

    def __len__(self) -> int:
        return self._size

    def _read_entry(self, doc: Document) -> _Reading:
        """An entry read for the index: its phrasings as read (one line each, words sorted),
        and each of its terms with its BM25F frequency. The word weight is applied when a
        question is ranked: one multiplication per term there, where here it would be one per
        posting."""
        comparable = self._analyzer.comparable
        phrasing_terms = [comparable(p) for p in doc.phrasings]
        fields = [
            ("phrasings", list(chain.from_iterable(phrasing_terms))),
            ("answer", comparable(doc.answer)),
            ("quote", [term for q in doc.quotes for term in comparable(q)]),
        ]
        weighted: dict[str, float] = {}
        for name, terms in fields:
            if not terms:
                continue
            norm = 1 - BM25_B + BM25_B * len(terms) / TYPICAL_FIELD_LENGTH[name]
            step = FIELD_WEIGHTS[name] / norm
            for term in terms:
                weighted[term] = weighted.get(term, 0.0) + step
        # Each phrasing's words sorted once here, rather than for every question that meets
        # the entry: the phrasing closeness ignores their order (phrasing_similarities).
        phrasing_text = "\n".join(" ".join(sorted(terms)) for terms in phrasing_terms)
        return phrasing_text, tuple(weighted), array("d", weighted.values())

    def _gives(self, number: int, kind: AnswerType) -> bool:
        """Whether entry `number` gives this kind of fact: declared, or seen in its answer. A
        declared contact gives the phone number asked for unless the answer shows its
        contacts and no phone number among them; a declared "when" gives the time of day
        unless the answer shows a date and no time of day."""
        declared = self._declared[number]
        wider = WIDER_KIND.get(kind)
        if wider is not None and wider in declared:
            return self._seen_giving(number, kind) or not self._seen_giving(number, wider)
        return kind in declared or self._seen_giving(number, kind)

    def _seen_giving(self, number: int, kind: AnswerType) -> bool:
        """Whether entry `number`'s answer gives this kind of fact where the patterns see it."""
        if (number, kind) not in self._answer_types:
            self._answer_types[number, kind] = gives(self._answers[number], kind)
        return self._answer_types[number, kind]

    def correct(self, word: str) -> str | None:
        """The known term that a word the knowledge does not hold most likely meant
        (`KnownWordMender.correct`)."""
        return self._mender.correct(word)

    def _weight(self, term: str) -> float:
        return word_weight(self._postings.count(term))

    def known(self, term: str) -> bool:
        return term in self._postings

    def has_topic(self, text: str) -> bool:
        """Whether a text holds any word to search for (not only stop words and symbols)."""
        return bool(self._analyzer.terms(text).topic)

    def names_nothing_beyond(self, question: str, written: Iterable[str]) -> bool:
        """Whether every word a question searches for is in one of the texts written: "is
        dialysis affected?" asks what "Is dialysis affected by the strike?" asks, "is dialysis
        still going ahead?" asks something more (and may want the opposite yes or no)."""
        asked = set(self._analyzer.terms(question).topic)
        return any(asked <= set(self._analyzer.comparable(text)) for text in written)

    def rank(
        self, question: str, limit: int = 5, context: str = "", earlier: str = ""
    ) -> list[Match]:
        """The best entries for a question, best first; empty when nothing shares a word.

        `context` is the rest of a long message, read together with the question; `earlier`,
        the conversation's last question, which a follow-up ("why?") is read with likewise.
        """
        if limit < 1:
            return []
        query = self._query(question)
        around = self._query(f"{earlier} {context}") if earlier or context else None
        # Context that names nothing the knowledge holds ("thx!", ":)") leaves the question
        # alone.
        if around is not None and any(self.known(t) for t in around.topic):
            phrased = query
            if context and query.information < PHRASE_ALONE_INFORMATION:
                phrased = self._query(f"{context} {question}")
            query = self._with_context(query, around, phrased.fuzzy_text, same_message=not earlier)
        if not query.topic:
            return []
        ranked, scores, covered = self._candidates(query, max(RERANK_DEPTH, limit))
        if not ranked:
            return []
        # What can still lift an entry past those above it: the lead an exact phrasing takes
        # within EXACT_LEAD_MARGIN of the best.
        lift = EXACT_LEAD_MARGIN + LIFT_SLACK
        checked = self._rescore(query, ranked, scores, covered, limit, lift)
        best, *others = settle_near_ties(checked)[:limit]
        if context and query.with_context and around is not None:
            said = self._query(context) if earlier else around  # the context's own words
            if not self._bears_on(said, [best, *others]):
                # Context only breaks ties: one that no entry in the running shares a word
                # with ("no rush, whenever someone has a sec") cannot, and the question reads
                # alone.
                return self.rank(question, limit, earlier=earlier)
        return [self._match(query, best, evidence=True), *(self._match(query, c) for c in others)]

    def _bears_on(self, context: _Query, checked: Sequence[_Checked]) -> bool:
        """Whether a known word of the context is held by one of these entries."""
        terms = [t for t in context.topic if self.known(t)]
        return any(self._holds(c.number, t) for c in checked for t in terms)

    def _query(self, question: str) -> _Query:
        if may_hold_initialisms(question):
            question = self._initialisms.expand(question, self._holds_word)
        terms = self._analyzer.terms(question)
        words = self._analyzer.words(question)
        names = _capitalised_inside(question) | self._identifier_numbers(question)
        focus = self._as_known(self._focus_terms(words, names, _possessors(question)))
        kind = focus | self._as_known(self._head_nouns_after_which(words))
        acronyms = _acronyms(question)
        named: set[str] = set()
        salience: dict[str, float] = {}
        for term, word in zip(terms.topic, terms.words, strict=True):
            if self.known(term):
                fixed = term
                weight = known_word_salience(
                    self._postings.count(term), self.language.frequency(word)
                )
            elif (corrected := self._mender.mended(word, names | acronyms)) is not None:
                if not corrected:
                    continue
                # as much as the word it stands for, typed right, would weigh
                meant = self._spelling.respelled(word) or word
                fixed = corrected
                weight = CORRECTED_WEIGHT * known_word_salience(
                    self._postings.count(corrected), self.language.frequency(meant)
                )
            else:
                fixed = term
                # A capitalised word inside a sentence is a name ("Peru"): however common
                # in English, the knowledge not holding it says the question is elsewhere.
                rare = word in names
                english = word if rare else (self._spelling.respelled(word) or word)
                if english in self.language.skipped or (
                    not rare and self._spelling.swapped_from(word, self.language.skipped)
                ):
                    continue  # a slip of a stop word ("teh", "dose")
                weight = 1.0 if rare else unknown_word_salience(self.language.frequency(english))
            salience[fixed] = max(salience.get(fixed, 0.0), min(1.0, weight))
            if (word in names or word in self.language.names) and weight >= NAME_SALIENCE:
                named.add(fixed)
        intent = tuple(t for t in dict.fromkeys(terms.intent) if self.known(t))
        return _Query(
            question,
            tuple(salience),
            salience,
            intent,
            wanted_answer_type(question),
            focus,
            kind=kind,
            counted=self._counted_terms(question),
            names=frozenset(named),
            letters=self._letter_labels(question),
            name_order=names_in_order(words, self.language.names | names),
        )

    def _as_known(self, terms: Iterable[str]) -> frozenset[str]:
        """Each term as the knowledge holds it: one it does not hold, as the known term it
        most likely meant (a slip: "challanges")."""
        return frozenset(term if self.known(term) else self.correct(term) or term for term in terms)

    def _letter_labels(self, question: str) -> frozenset[str]:
        """The capital letters a question writes after a word as its label ("Zone C",
        "Car Park A", "rated G"); not an article or a pronoun ("for an A", "Am I")."""
        if not _SPACED_CAPITAL.search(question):
            return frozenset()
        stop = self.language.stop_words
        return frozenset(
            found.group(2)
            for found in _LETTER_LABEL.finditer(question)
            if found.group(1).casefold() not in stop
        )

    def _identifier_numbers(self, question: str) -> set[str]:
        """Numbers the question uses as part of a name ("level 15", "version 2.0", "QuillCon
        2025"), not as amounts ("2 approvals", "about 150 employees"): a number with letters
        or an inner dot, one that follows a word and counts no word after it, or a year ("the
        rate in 2024" is not answered by the rate in 2025)."""
        if not any(map(str.isdigit, question)):
            return set()
        stop = self.language.stop_words
        words = re.findall(r"[\w.'’-]+", THOUSANDS_SEPARATOR.sub("", question))
        found: set[str] = set()
        for position, raw in enumerate(words):
            word = raw.strip(".").casefold()
            if not any(character.isdigit() for character in word):
                continue
            if word in self.language.shorthand:
                continue  # "b4" is a word ("before"), not a label
            if _AMOUNT_WITH_UNIT.fullmatch(word):
                continue  # "10pm", "5km", "500k": a time or an amount, not a label
            before = words[position - 1].casefold() if position else ""
            after = words[position + 1].casefold() if position + 1 < len(words) else ""
            labelled = before and not before[0].isdigit() and before not in stop
            counts = after and not after[0].isdigit() and after not in stop
            if DOTTED_NUMBER.fullmatch(word):
                found.add(word)  # "2.0", "1.x": read whole, as the analyzer also reads it
            elif _YEAR.fullmatch(word) or not word.isdigit() or (labelled and not counts):
                # as the analyzer splits them, keeping the number of a join ("QX418", "2nd":
                # "418", "2"), what the letters label
                found.update(re.findall(r"\d+", word))
        return found

    def _counted_terms(self, question: str) -> tuple[str, ...]:
        terms = []
        for word in counted_words(question):
            term = self._analyzer.term(word)
            if not term:  # "how many were killed" names nothing it counts
                break
            terms.append((self.correct(word) or term) if not self.known(term) else term)
        return tuple(terms)

    def _with_context(
        self, question: _Query, context: _Query, phrased: str, same_message: bool
    ) -> _Query:
        """A question read with the sentences around it: their words count, each at a share
        of its weight. `phrased`: what is compared with the entries' phrasings;
        `same_message`: the context is the rest of the question's own message, not an
        earlier question."""
        share = CONTEXT_SALIENCE
        if same_message and self.language.points_back_in_message(question.text):
            share = POINTING_CONTEXT_SALIENCE
        salience = {t: s * share for t, s in context.salience.items()}
        for term, weight in question.salience.items():
            salience[term] = max(salience.get(term, 0.0), weight)
        return _Query(
            f"{context.text} {question.text}",
            tuple(salience),
            salience,
            question.intent or context.intent,
            question.wanted,
            question.focus,
            kind=question.kind,
            with_context=True,
            counted=question.counted,
            names=question.names,
            letters=question.letters,
            phrased=phrased,
            name_order=question.name_order,
        )

    def _focus_terms(
        self, words: list[str], names: AbstractSet[str], possessors: AbstractSet[str]
    ) -> set[str]:
        """The terms that name what is asked: the first word that is a term after
        which/what/whose, "who is" or "is there" ("what are the names of..." -> names; "who
        is the CEO of..." -> ceo; "is there a fee..." -> fee), and the one after its "of"
        (that one alone after a word naming a kind: "what kind of measures" -> measures); a
        verb ("what happens"), an adverb ("what would they physically need") or the source
        ("what does the guide say") is passed over. A slip is read as the word it stands for
        ("what does the artical say", "waht are the challanges"), and a word owning what
        follows ("who is Norway's king") is passed over too. `words`: the question's, as the
        analyzer splits them; `names`: the names it writes; `possessors`: its owning words."""
        term = self._analyzer.term
        focus: set[str] = set()
        for position, word in enumerate(words):
            # "is there prize money?" asks whether there is prize money, as "which prize"
            # asks for a prize: an entry without it does not say.
            asks_if_there_is = word == "there" and words[position - 1 : position] in _BE
            if word not in {"which", "what", "whose", "who"} and not asks_if_there_is:
                continue
            # "who is the CEO" asks for the one in a role, as "which party" asks for a party;
            # "who runs the servers" names a deed, not what is asked.
            if word == "who" and words[position + 1 : position + 2] not in _BE:
                continue
            following = words[position + 1 : position + 1 + FOCUS_REACH]
            for offset, candidate in enumerate(following):
                if candidate in possessors:
                    continue  # "who is Norway's king": the king is asked, not Norway
                asked = self._asked_term(candidate, names)
                if asked and candidate not in self.language.question_words:
                    after = following[offset + 1 : offset + 3]
                    of_what = term(after[1]) if len(after) == 2 and after[0] == "of" else ""
                    if not (of_what and candidate in self.language.kind_nouns):
                        focus.add(asked)  # "what kind of measures": measures, not "kind"
                    if of_what:
                        focus.add(of_what)
                    break
        return focus

    def _head_nouns_after_which(self, words: list[str]) -> set[str]:
        """The second of two words after "which" that end at a verb's helper or a preposition:
        the head of the noun phrase naming the kind asked ("which local groups does Norway
        fund" -> groups; "which political party is he in" -> party), which an entry may speak
        of without naming one. (Tuning sets, cross-validated: 4.4 more right answers in 3061
        over five fold draws, 3.7 more and 1.3 fewer wrong over twenty folds, 1 more with each
        knowledge base decided by a policy fitted on the others; counting the head among the
        focus words too, which an entry lacking weighs against it, loses there.) `words`: the
        question's, as the analyzer splits them."""
        term = self._analyzer.term
        closing = self.language.after_noun_phrase
        heads: set[str] = set()
        for position, word in enumerate(words):
            if word != "which":
                continue
            phrase = words[position + 1 : position + 4]
            if len(phrase) == 3 and phrase[2] in closing and term(phrase[0]):
                head = term(phrase[1])
                if head:
                    heads.add(head)
        return heads

    def _asked_term(self, word: str, names: AbstractSet[str]) -> str | None:
        """The term a word after the question word names as the kind asked, a slip read as
        the word it stands for; None for a word that names no kind (a verb, the source)."""
        passed_over = self.language.passed_over_after_question_word
        asked = self._analyzer.term(word)
        if not asked or word in passed_over or self.language.is_adverb(word):
            return None
        if not self.known(asked):
            asked = self._mender.mended(word, names) or asked
            if self._spelling.slip_of(word, passed_over):
                return None
        return None if asked in self._passed_over_terms else asked

    @cached_property
    def _passed_over_terms(self) -> frozenset[str]:
        passed_over = self.language.passed_over_after_question_word
        return frozenset(filter(None, map(self._analyzer.term, passed_over)))

    def _candidates(
        self, query: _Query, depth: int
    ) -> tuple[list[int], Mapping[int, float], Mapping[int, float]]:
        """BM25F over the query's words: the `depth` entries it scores highest (best first,
        equal scores in the order found), entry -> score, and entry -> salience covered."""
        # (term, its BM25 weight, the salience it covers)
        weighted = [(t, self._weight(t), query.salience[t]) for t in query.topic if self.known(t)]
        weighted += [(t, INTENT_WEIGHT * ONE_ENTRY_WEIGHT, 0.0) for t in query.intent]
        scores: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        rare = [w for w in weighted if w[0] not in self._common]
        common = [w for w in weighted if w[0] in self._common]
        holders = []  # (the entries holding a rare term, the salience it covers)
        # The longest posting list first: it fills the empty table in one C-level step, and
        # only the shorter ones are added entry by entry.
        rare.sort(key=lambda weighted_term: -self._postings.count(weighted_term[0]))
        if rare and self._bulk is not None:
            scores, covered = self._bulk.best(rare, common, PRESELECT_DEPTH)
            return list(scores)[:depth], scores, covered  # best first already
        for position, (term, factor, salience) in enumerate(rare):
            ids, saturated = self._postings.of(term)
            if position == 0:
                scores.update(zip(ids, map(factor.__mul__, saturated), strict=True))
            else:
                for number, tf in zip(ids, saturated, strict=True):
                    scores[number] += factor * tf
            if salience:
                holders.append((ids, salience))
        if not rare:
            # Only common words: the entries that hold each most are the candidates.
            for term, factor, salience in common:
                ids, saturated = self._common_top[term]
                for number, tf in zip(ids, saturated, strict=True):
                    scores[number] += factor * tf
                    covered[number] += salience
            # Any other holder still counts where a top one also holds the word.
            for term, factor, salience in common:
                top = set(self._common_top[term][0])
                for number in list(scores):
                    if number in top:
                        continue
                    if (held := self._postings.held(term, number)) is not None:
                        scores[number] += factor * held
                        covered[number] += salience
            return _highest(scores, depth), scores, covered
        # Common words only re-weigh entries that rare words already found.
        preselected = _highest(scores, PRESELECT_DEPTH)
        # What each preselected entry covers, counted for those alone (not every holder).
        chosen = set(preselected)
        for ids, salience in holders:
            for number in chosen.intersection(ids):
                covered[number] += salience
        for term, factor, salience in common:
            for number in preselected:
                held = self._postings.held(term, number)
                if held is not None:
                    scores[number] += factor * held
                    covered[number] += salience
        kept = {n: scores[n] for n in preselected}
        return _highest(kept, depth), kept, covered

    def _rescore(
        self,
        query: _Query,
        best: Sequence[int],
        scores: Mapping[int, float],
        covered: Mapping[int, float],
        kept: int,
        lift: float,
    ) -> list[_Checked]:
        """The best entries by BM25 (best first) re-scored, in BM25 order, without those that
        cannot be among the `kept` best even with `lift` added to their score later."""
        top_bm25 = scores[best[0]]
        total = query.information
        fuzzy_text = query.fuzzy_text
        # Every phrasing of the entries re-scored, compared with the question in one go.
        phrasings = [self._phrasing_text[number].split("\n") for number in best]
        similarities = phrasing_similarities(fuzzy_text, [p for ps in phrasings for p in ps])
        start = 0
        # (score before the answer-type check, position in BM25 order, coverage, phrasing,
        # the closest phrasing)
        scored = []
        for position, (number, own) in enumerate(zip(best, phrasings, strict=True)):
            # the closest phrasing, the first of equals
            ratios = similarities[start : start + len(own)]
            start += len(own)
            closest = max(range(len(own)), key=ratios.__getitem__)
            phrasing = ratios[closest] / 100
            if query.name_order and self._reverses_names(query.name_order, number, closest):
                phrasing *= REVERSED_NAMES
            # (rounded: weights summed in another order must still make a whole 1.0)
            coverage = min(1.0, round(covered.get(number, 0.0) / total, 9)) if total else 0.0
            score = (
                COVERAGE_WEIGHT * coverage
                + PHRASING_WEIGHT * phrasing
                + BM25_WEIGHT * scores[number] / top_bm25
            )
            scored.append((score, position, coverage, phrasing, closest))
        # The answer-type check only ever lowers a score, and it is the costly part (an
        # answer's patterns, the first time a question meets the entry): highest first, an
        # entry is checked only while it can still reach the `kept` best.
        scored.sort(key=lambda entry: entry[0], reverse=True)
        finals: list[float] = []  # a heap of the `kept` best checked scores
        checked: list[tuple[int, _Checked]] = []
        for score, position, coverage, phrasing, closest in scored:
            if len(finals) == kept and score + lift < finals[0]:
                break
            number = best[position]
            # A question word for word one of the entry's phrasings is what a moderator wrote
            # for it: the answer-type patterns do not overrule them.
            lacks_wanted = 0.0 if phrasing >= EXACT_PHRASING else self._lacks_wanted(query, number)
            score *= ANSWER_TYPE_MISMATCH**lacks_wanted
            if len(finals) < kept:
                heapq.heappush(finals, score)
            else:
                heapq.heappushpop(finals, score)
            checked.append(
                (position, _Checked(number, score, phrasing, coverage, lacks_wanted, closest))
            )
        checked.sort(key=lambda entry: entry[0])
        return [entry for _, entry in checked]

    def _reverses_names(self, order: tuple[str, str], number: int, phrasing: int) -> bool:
        """Whether entry `number`'s phrasing names the question's two names the other way."""
        raw = self._phrasing_raw[number]
        return phrasing < len(raw) and reverses_names(order, self._analyzer.words(raw[phrasing]))

    def _match(self, query: _Query, checked: _Checked, evidence: bool = False) -> Match:
        """A checked entry as a match. With `evidence`, also what the answer policy weighs
        beyond its score: worked out only for the best match, the one the policy judges (the
        first time a question meets an entry, reading its answer costs more than ranking at
        100,000 entries)."""
        number = checked.number
        return Match(
            key=self._keys[number],
            score=checked.score,
            coverage=checked.coverage,
            phrasing=checked.phrasing,
            best_phrasing=(self._phrasing_raw[number] or ("",))[checked.closest],
            information=query.information,
            lacks_wanted_type=checked.lacks_wanted_type,
            with_context=query.with_context,
            **(self._evidence(query, checked) if evidence else _Evidence()),
        )

    def _evidence(self, query: _Query, checked: _Checked) -> _Evidence:
        number = checked.number
        return _Evidence(
            uncovered=self._uncovered(query, number),
            lacks_focus=self._lacks_focus(query, number, checked.lacks_wanted_type),
            lacks_name=any(not self._holds_name(number, t) for t in query.names)
            or any(not self._writes_letter(number, letter) for letter in query.letters),
        )

    def _lacks_wanted(self, query: _Query, number: int) -> float:
        """1 when asked for a kind of fact the entry's answer does not give (a time for "when",
        one of the kind named for "which <kind>"); GIVEN_ELSEWHERE when it gives that kind of
        fact only beside other names or letter labels than the question's; COUNTED_ELSEWHERE
        for "how many <things>" answered by amounts of something else ("176 people" for "how
        many teachers"), a weaker sign: the thing may go by another name ("victims")."""
        if query.wanted is None:
            # "which groups…" wants groups named, as "when" wants a time; "which party" a party
            lacks = self._names_none_of_kind(query, number) or self._lacks_attribute(query, number)
            return 1.0 if lacks else 0.0
        if not self._gives(number, query.wanted) and not (
            query.wanted is AnswerType.COUNT and query.counted
        ):
            return 1.0
        if (
            query.wanted is AnswerType.NAME
            and AnswerType.NAME not in self._declared[number]
            and not gives_a_new_name(self._answers[number], query.text)
        ):
            return 1.0  # its only names are those the question already says
        if (
            query.wanted is AnswerType.NAME
            and AnswerType.NAME not in self._declared[number]
            and asks_who(query.text)
            and not gives_a_new_person(self._answers[number], query.text)
        ):
            return NO_PERSON
        if (
            query.wanted is AnswerType.PRICE
            and AnswerType.PRICE not in self._declared[number]
            and not gives_a_new_figure(self._answers[number], query.text)
        ):
            return 1.0  # its only sums are those the question already says
        # A declared kind of fact that the answer also shows is given where it shows: "F1
        # fares are £3" gives no fare for route F2, whatever the entry declares.
        if (
            query.wanted not in self._declared[number] or self._seen_giving(number, query.wanted)
        ) and (
            (query.names and not self._gives_beside(query, number, query.names))
            or (query.letters and not self._gives_beside_labels(query, number))
            or (
                query.wanted in _STATED_WITH_THEIR_SUBJECT
                and not self._gives_beside(query, number, self._asked_about(query))
            )
        ):
            return GIVEN_ELSEWHERE
        if query.wanted is not AnswerType.COUNT or not query.counted:
            return 0.0
        if AnswerType.COUNT in self._declared[number]:
            return 0.0
        words = self._analyzer.words(self._answers[number])
        if counted_near_number(
            [self._analyzer.term(word) or word for word in words],
            query.counted,
            self.language.stop_words,
        ):
            return 0.0
        # "Two approvals" counts though "two" alone is no amount; no number at all lacks it.
        return COUNTED_ELSEWHERE if self._gives(number, AnswerType.COUNT) else 1.0

    def _gives_beside(self, query: _Query, number: int, terms: AbstractSet[str]) -> bool:
        """Whether the answer gives the kind of fact asked in a statement that holds one of
        `terms` (the names the question writes, say), when it holds them at all: "when did
        the Oslo office open?" is not answered by "The Bergen office opened in 2019. Oslo's
        is planned."."""
        assert query.wanted is not None
        clauses = self._clauses(number)
        # Terms only the entry's phrasings hold are what the whole answer is about.
        held = {term for term in terms if any(term in words for _, words in clauses)}
        return not held or any(
            not held.isdisjoint(words) and gives(clause, query.wanted) for clause, words in clauses
        )

    def _gives_beside_labels(self, query: _Query, number: int) -> bool:
        """Whether the answer gives the kind of fact asked in a statement that writes one of
        the letter labels the question does, when any statement writes them: "Zone D was on
        alert, and Zone E's alert was lifted on 10 August" gives no date for Zone D. (Tuning
        sets, cross-validated: 1 to 2.7 fewer wrong answers in 3061 over five folds, twenty
        and ten other draws of five, at a cost of 0 to 1 right; 1 fewer wrong with each
        knowledge base decided by a policy fitted on the others.)"""
        assert query.wanted is not None
        labelled = [
            clause
            for clause, _ in self._clauses(number)
            if any(
                _letter_label(letter).search(clause) or _in_letter_range(clause, letter)
                for letter in query.letters
            )
        ]
        return not labelled or any(gives(clause, query.wanted) for clause in labelled)

    def _asked_about(self, query: _Query) -> frozenset[str]:
        """The words naming what a question asks the time, price, measure or name of: its
        salient words, less those naming the kind of fact ("date", "fee")."""
        return frozenset(
            term
            for term in query.topic
            if query.salience[term] >= ASKED_ABOUT_SALIENCE and term not in self._answer_type_terms
        )

    def _lacks_attribute(self, query: _Query, number: int) -> bool:
        """Whether the question asks an attribute ("which party is she in?", "what colour is
        the sticker?") that entry `number` does not even name: it speaks of the subject, not
        of that."""
        asked = self.language.asks_an_attribute.search(query.text)
        if asked is None:
            return False
        term = self._analyzer.term(asked.group(1).casefold())
        return bool(term) and not self._holds(number, term)

    def _names_none_of_kind(self, query: _Query, number: int) -> bool:
        """Whether "which <kind>" meets an entry that speaks of that kind but names none of
        it: "which groups does Norway fund?" and "Norway funds several groups"."""
        if not query.kind or not _ASKS_WHICH.search(query.text):
            return False
        sentences = self._sentences(number)
        # The names the question writes that the answer holds: the kind must be named beside
        # them ("which ward does Ada Lind represent?" is not answered by another's ward).
        named = {name for name in query.names if any(name in terms for _, terms in sentences)}
        mentioned = False
        for sentence, terms in sentences:
            if query.kind.isdisjoint(terms):
                continue
            mentioned = True
            if named and named.isdisjoint(terms):
                continue
            before, after = self._around_kind(sentence, query.kind)
            if names_one_of_a_kind(before, after, query.text):
                return False
        return mentioned

    def _sentences(self, number: int) -> tuple[tuple[str, frozenset[str]], ...]:
        """Entry `number`'s answer as sentences, each with its terms (read once per entry)."""
        sentences = self._answer_sentences.get(number)
        if sentences is None:
            sentences = self._answer_sentences[number] = tuple(
                (sentence, frozenset(self._analyzer.comparable(sentence)))
                for sentence in sentences_of(self._answers[number])
            )
        return sentences

    def _clauses(self, number: int) -> tuple[tuple[str, frozenset[str]], ...]:
        """Entry `number`'s answer as clauses that each name what they speak of, with their
        terms: "The Oslo office opened in 2019, and the Bergen one in 2021" is two."""
        clauses = self._answer_clauses.get(number)
        if clauses is None:
            # Most sentences are one statement: their terms are the sentence's, read once.
            clauses = self._answer_clauses[number] = tuple(
                (
                    clause,
                    terms if clause == sentence else frozenset(self._analyzer.comparable(clause)),
                )
                for sentence, terms in self._sentences(number)
                for clause in named_clauses(sentence)
            )
        return clauses

    def _around_kind(self, sentence: str, kind: frozenset[str]) -> tuple[str, str]:
        """A sentence's text before and after its first word read as one of `kind`'s terms
        (all of it after, when the kind is a phrase no one word makes)."""
        for word in _WORD_SPAN.finditer(sentence):
            if self._analyzer.term(word.group().casefold()) in kind:
                return sentence[: word.start()], sentence[word.end() :]
        return "", sentence

    def _lacks_focus(self, query: _Query, number: int, lacks_wanted: float) -> bool:
        """Whether entry `number` lacks a word naming what is asked. A word naming the kind of
        fact asked ("which month") is not lacking when the entry gives that kind of fact, even
        apart from the name asked about."""
        missing = [t for t in query.focus if not self._holds(number, t)]
        if query.wanted is not None and lacks_wanted < 1.0:
            missing = [t for t in missing if t not in self._answer_type_terms]
        return bool(missing)

    @cached_property
    def _answer_type_terms(self) -> frozenset[str]:
        return frozenset(filter(None, map(self._analyzer.term, ANSWER_TYPE_WORDS)))

    def _uncovered(self, query: _Query, number: int) -> float:
        """The salience of the most salient question word that entry `number` does not hold."""
        missing = 0.0
        for term in query.topic:
            if not self._holds(number, term):
                missing = max(missing, query.salience[term])
        return missing

    def _writes_letter(self, number: int, letter: str) -> bool:
        """Whether entry `number`'s answer or phrasings write a capital letter as a label
        ("Car Park B", "Zones A and C"), not as the word opening a sentence, or a range of
        labels that holds it ("Corrals A–C" holds B)."""
        pattern = _letter_label(letter)
        return any(
            pattern.search(text) or _in_letter_range(text, letter)
            for text in (self._answers[number], *self._phrasing_raw[number])
        )

    def _holds_name(self, number: int, name: str) -> bool:
        """Whether entry `number` holds a name or a word made from it ("Norway", "Norwegian";
        "West", "Western")."""
        return any(self._holds(number, term) for term in self._name_forms(name))

    def _name_forms(self, name: str) -> list[str]:
        if name not in self._name_form_memo:
            stem_part = name[: max(NAME_PREFIX, len(name) - 3)]
            forms = [name] + [t for t in self._terms_starting(stem_part) if t != name]
            self._name_form_memo[name] = forms
        return self._name_form_memo[name]

    def _terms_starting(self, prefix: str) -> list[str]:
        """The terms of the knowledge's words that start with prefix."""
        return [
            term
            for word in self._words_by_letter.get(prefix[0], ())
            if word.startswith(prefix) and (term := self._surface[word])
        ]

    @cached_property
    def _words_by_letter(self) -> dict[str, list[str]]:
        by_letter: dict[str, list[str]] = defaultdict(list)
        for word in self._surface:
            by_letter[word[0]].append(word)
        return by_letter

    def _holds(self, number: int, term: str) -> bool:
        return self._postings.held(term, number) is not None
