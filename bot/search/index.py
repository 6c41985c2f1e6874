"""The search index over one knowledge snapshot: BM25F for recall, fuzzy phrasing for precision."""

from __future__ import annotations

import gc
import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.search.answer_types import AnswerType, answer_types_of, wanted_answer_type
from bot.search.text import Analyzer, Terms

__all__ = ["Document", "Match", "SearchIndex", "settle_near_ties"]

# BM25 constants: the usual defaults, which suit short texts of mixed length.
BM25_K1 = 1.2
BM25_B = 0.75
# How much each field of an entry counts: the ways people ask weigh most, the answer next,
# the cited quote least (it holds the source's wording, which people rarely type).
FIELD_WEIGHTS = {"phrasings": 1.0, "answer": 0.5, "quote": 0.25, "tags": 0.5}
# How many BM25 hits are re-scored with the fuzzy phrasing comparison.
RERANK_DEPTH = 20
# Words in more than this share of the entries (and at least COMMON_MIN_ENTRIES of them) are
# "common": they only re-weigh the PRESELECT_DEPTH entries that the rarer words found, so that
# a question word in half of 100,000 entries costs 100 look-ups instead of 50,000 additions.
# Small knowledge bases have no common words at all, and rank exactly as plain BM25F.
COMMON_SHARE = 0.05
COMMON_MIN_ENTRIES = 500
PRESELECT_DEPTH = 100
# Two scores closer than this are a tie between the entries (development and project question
# sets: ties are settled better by the closer phrasing than by the last hundredth of a score).
TIE_MARGIN = 0.01
# A word of at least this many letters, not in the vocabulary, may be a typo of one that is.
TYPO_MIN_LENGTH = 5
# A typo-corrected word is weaker evidence than one typed right: its share of coverage.
CORRECTED_WEIGHT = 0.75
# Intent words ("who", "when") nudge ranking only: this is their share of a topic word's weight.
INTENT_WEIGHT = 0.3
# The final score blends: how much of the question's rare words the entry holds (coverage),
# how close the question is to one of the entry's phrasings (fuzzy), and BM25 relative to the
# best hit. Coverage leads because an unknown rare word ("China", "supreme leader") is the
# surest sign that a question is about something the knowledge does not hold.
# A question that asks "how many" or "when" wants a count or a date; an entry whose answer holds
# none is probably about the right topic but not the asked fact. Its score is multiplied by this.
ANSWER_TYPE_MISMATCH = 0.85
COVERAGE_WEIGHT = 0.55
PHRASING_WEIGHT = 0.30
BM25_WEIGHT = 0.15


@dataclass(frozen=True)
class Document:
    """What the index needs of one entry: its key and its text by field."""

    key: str
    phrasings: Sequence[str]
    answer: str = ""
    quotes: Sequence[str] = ()
    tags: Sequence[str] = ()


@dataclass(frozen=True)
class Match:
    """One ranked entry with the evidence behind its score (all in 0..1)."""

    key: str
    score: float
    coverage: float
    phrasing: float
    best_phrasing: str
    information: float = 0.0  # the question's summed IDF: how specific it is
    lacks_wanted_type: bool = False  # asked "how many" or "when"; the answer has no such fact


def phrasing_similarity(query: str, phrasing: str, **_: object) -> float:
    """0..100: how alike two normalised texts are as sets of words and as word sequences.

    token_set_ratio alone gives 100 whenever the question's words are a subset of a phrasing,
    so a bare "canada" would equal every phrasing that names Canada; the sorted-words ratio
    keeps the exact phrasing ahead of a mere superset.
    """
    return (fuzz.token_set_ratio(query, phrasing) + fuzz.token_sort_ratio(query, phrasing)) / 2


def settle_near_ties(matches: Sequence[Match]) -> list[Match]:
    """Best first; when the best scores are within TIE_MARGIN, the closest phrasing leads."""
    ranked = sorted(matches, key=lambda m: m.score, reverse=True)
    if ranked:
        tied = [m for m in ranked if ranked[0].score - m.score <= TIE_MARGIN]
        closest = max(tied, key=lambda m: m.phrasing)
        ranked.remove(closest)
        ranked.insert(0, closest)
    return ranked


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Building makes millions of small objects with no cycles among them; the cycle collector
    would walk them again and again for nothing (a fifth of the build time at 100k entries)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class SearchIndex:
    """Immutable and pure: built once per snapshot, then only read."""

    def __init__(self, documents: Sequence[Document], synonyms: Mapping[str, str] | None = None):
        with _cyclic_gc_paused():
            self._build(documents, synonyms)

    def _build(self, documents: Sequence[Document], synonyms: Mapping[str, str] | None) -> None:
        self._analyzer = Analyzer(synonyms)
        self._keys = [doc.key for doc in documents]
        self._answers = [doc.answer for doc in documents]
        self._phrasing_text: list[tuple[str, ...]] = []
        self._phrasing_raw = [tuple(doc.phrasings) for doc in documents]
        self._size = len(documents)
        # Pass 1: each entry's terms by field, and the fields' total lengths.
        fields_of_entries = [self._fields_of(doc) for doc in documents]
        total_length = dict.fromkeys(FIELD_WEIGHTS, 0)
        for fields in fields_of_entries:
            for name, terms in fields:
                total_length[name] += len(terms)
        average = {
            name: (total / max(self._size, 1)) or 1.0 for name, total in total_length.items()
        }
        # Pass 2: BM25F's weighted, saturated term frequency, filed under each term. The IDF
        # factor is applied when a question is ranked: it is one multiplication per term there,
        # but would be one per posting here.
        postings: dict[str, tuple[array[int], array[float]]] = {}
        for number, fields in enumerate(fields_of_entries):
            weighted: dict[str, float] = {}
            for name, terms in fields:
                norm = 1 - BM25_B + BM25_B * len(terms) / average[name]
                step = FIELD_WEIGHTS[name] / norm
                for term in terms:
                    weighted[term] = weighted.get(term, 0.0) + step
            for term, tf in weighted.items():
                posting = postings.get(term)
                if posting is None:
                    posting = postings[term] = (array("i"), array("f"))
                posting[0].append(number)
                posting[1].append(tf * (BM25_K1 + 1) / (tf + BM25_K1))
        self._idf = {term: self._idf_for(len(ids)) for term, (ids, _) in postings.items()}
        self._unknown_idf = self._idf_for(0)
        common_df = max(COMMON_MIN_ENTRIES, COMMON_SHARE * self._size)
        self._common = {
            term: dict(zip(ids, saturated, strict=True))
            for term, (ids, saturated) in postings.items()
            if len(ids) > common_df
        }
        for term in self._common:
            del postings[term]
        self._postings = postings
        # Memos filled on demand; each only ever grows towards the same answers.
        self._corrections: dict[str, str | None] = {}
        self._answer_types: dict[int, frozenset[AnswerType]] = {}
        self._typo_buckets: dict[tuple[int, str], list[str]] = defaultdict(list)
        for term in self._idf:
            self._typo_buckets[len(term), term[0]].append(term)

    def __len__(self) -> int:
        return self._size

    def _idf_for(self, df: int) -> float:
        return math.log(1 + (self._size - df + 0.5) / (df + 0.5))

    def _terms(self, text: str) -> Terms:
        return self._analyzer.terms(text)

    def _fields_of(self, doc: Document) -> list[tuple[str, list[str]]]:
        comparable = self._analyzer.comparable
        phrasing_terms = [comparable(p) for p in doc.phrasings]
        self._phrasing_text.append(tuple(" ".join(terms) for terms in phrasing_terms))
        fields = [
            ("phrasings", [term for terms in phrasing_terms for term in terms]),
            ("answer", comparable(doc.answer)),
            ("quote", [term for q in doc.quotes for term in comparable(q)]),
            ("tags", [term for tag in doc.tags for term in comparable(tag)]),
        ]
        return [(name, terms) for name, terms in fields if terms]

    def _answer_types_of(self, number: int) -> frozenset[AnswerType]:
        if number not in self._answer_types:
            self._answer_types[number] = answer_types_of(self._answers[number])
        return self._answer_types[number]

    def correct(self, term: str) -> str | None:
        """The known term a typo most likely meant, or None."""
        if term not in self._corrections:
            self._corrections[term] = self._closest_known(term)
        return self._corrections[term]

    def _closest_known(self, term: str) -> str | None:
        if len(term) < TYPO_MIN_LENGTH or term.isdigit():
            return None
        # One slip for a short word, two for a long one: more turns real words into others.
        max_edits = 1 if len(term) < 8 else 2
        # Typos rarely hit the first letter; looking only at words that share it keeps this
        # fast on a large vocabulary.
        candidates: list[str] = []
        for length in range(len(term) - max_edits, len(term) + max_edits + 1):
            candidates.extend(self._typo_buckets.get((length, term[0]), ()))
        found = process.extractOne(term, candidates, scorer=OSA.distance, score_cutoff=max_edits)
        return found[0] if found else None

    def known(self, term: str) -> bool:
        return term in self._idf

    def has_topic(self, text: str) -> bool:
        """Whether a text holds any word to search for (not only stop words and symbols)."""
        return bool(self._terms(text).topic)

    def rank(self, question: str, limit: int = 5) -> list[Match]:
        """The best entries for a question, best first; empty when nothing shares a word."""
        terms = self._terms(question)
        corrected = {t: self.correct(t) for t in terms.topic if not self.known(t)}
        topic = list(dict.fromkeys(corrected.get(t) or t for t in terms.topic))
        if not topic:
            return []
        evidence = {fixed: CORRECTED_WEIGHT for fixed in corrected.values() if fixed}
        # (term, share of its BM25 weight, coverage it earns)
        weighted = [(t, 1.0, self._idf[t] * evidence.get(t, 1.0)) for t in topic if self.known(t)]
        weighted += [(t, INTENT_WEIGHT, 0.0) for t in dict.fromkeys(terms.intent) if self.known(t)]
        scores: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        rare = [w for w in weighted if w[0] in self._postings]
        common = [w for w in weighted if w[0] in self._common]
        for term, share, coverage in rare:
            ids, saturated = self._postings[term]
            factor = share * self._idf[term]
            for number, tf in zip(ids, saturated, strict=True):
                scores[number] += factor * tf
                if coverage:
                    covered[number] += coverage
        if not rare:
            # Only common words: every entry holding one is a candidate.
            for term, share, coverage in common:
                factor = share * self._idf[term]
                for number, tf in self._common[term].items():
                    scores[number] += factor * tf
                    covered[number] += coverage
        if not scores:
            return []
        depth = max(RERANK_DEPTH, limit)
        candidates = heapq.nlargest(max(PRESELECT_DEPTH, depth), scores, key=scores.__getitem__)
        if rare:
            # Common words only re-weigh entries that rare words already found.
            for term, share, coverage in common:
                factor = share * self._idf[term]
                holders = self._common[term]
                for number in candidates:
                    held = holders.get(number)
                    if held is not None:
                        scores[number] += factor * held
                        covered[number] += coverage
        best = heapq.nlargest(depth, candidates, key=scores.__getitem__)
        total_idf = sum(self._idf.get(t, self._unknown_idf) for t in topic)
        top_bm25 = scores[best[0]]
        query_text = " ".join([*terms.intent, *topic])
        wanted = wanted_answer_type(question)
        matches = []
        for number in best:
            found = process.extractOne(
                query_text, self._phrasing_text[number], scorer=phrasing_similarity
            )
            phrasing = found[1] / 100 if found else 0.0
            best_raw = self._phrasing_raw[number][found[2]] if found else ""
            coverage = min(1.0, covered.get(number, 0.0) / total_idf) if total_idf else 0.0
            score = (
                COVERAGE_WEIGHT * coverage
                + PHRASING_WEIGHT * phrasing
                + BM25_WEIGHT * scores[number] / top_bm25
            )
            lacks_wanted = wanted is not None and wanted not in self._answer_types_of(number)
            if lacks_wanted:
                score *= ANSWER_TYPE_MISMATCH
            matches.append(
                Match(
                    self._keys[number], score, coverage, phrasing, best_raw, total_idf, lacks_wanted
                )
            )
        return settle_near_ties(matches)[:limit]
