"""The search index over one knowledge snapshot: BM25F for recall, fuzzy phrasing for precision."""

from __future__ import annotations

import heapq
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.search.answer_types import answer_types_of, wanted_answer_type
from bot.search.text import Terms, terms_of

__all__ = ["Document", "Match", "SearchIndex"]

# BM25 constants: the usual defaults, which suit short texts of mixed length.
BM25_K1 = 1.2
BM25_B = 0.75
# How much each field of an entry counts: the ways people ask weigh most, the answer next,
# the cited quote least (it holds the source's wording, which people rarely type).
FIELD_WEIGHTS = {"phrasings": 1.0, "answer": 0.5, "quote": 0.25, "tags": 0.5}
# How many BM25 hits are re-scored with the fuzzy phrasing comparison.
RERANK_DEPTH = 20
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


def phrasing_similarity(query: str, phrasing: str, **_: object) -> float:
    """0..100: how alike two normalised texts are as sets of words and as word sequences.

    token_set_ratio alone gives 100 whenever the question's words are a subset of a phrasing,
    so a bare "canada" would equal every phrasing that names Canada; the sorted-words ratio
    keeps the exact phrasing ahead of a mere superset.
    """
    return (fuzz.token_set_ratio(query, phrasing) + fuzz.token_sort_ratio(query, phrasing)) / 2


class SearchIndex:
    """Immutable and pure: built once per snapshot, then only read."""

    def __init__(self, documents: Sequence[Document], synonyms: Mapping[str, str] | None = None):
        self._synonyms = dict(synonyms or {})
        self._keys = [doc.key for doc in documents]
        self._phrasing_text: list[tuple[str, ...]] = []
        self._phrasing_raw: list[tuple[str, ...]] = []
        self._answer_types = [answer_types_of(doc.answer) for doc in documents]
        field_counts: list[dict[str, Counter[str]]] = []
        field_lengths: dict[str, list[int]] = defaultdict(list)
        document_frequency: Counter[str] = Counter()
        for doc in documents:
            fields = self._fields_of(doc)
            field_counts.append(fields)
            for name, counts in fields.items():
                field_lengths[name].append(sum(counts.values()))
            document_frequency.update({t for counts in fields.values() for t in counts})
        self._size = len(documents)
        self._idf = {t: self._idf_for(df) for t, df in document_frequency.items()}
        self._unknown_idf = self._idf_for(0)
        average = {
            name: (sum(lengths) / len(lengths)) or 1.0 for name, lengths in field_lengths.items()
        }
        postings: dict[str, tuple[array[int], array[float]]] = {}
        for number, fields in enumerate(field_counts):
            weighted: dict[str, float] = defaultdict(float)
            for name, counts in fields.items():
                length = sum(counts.values())
                norm = 1 - BM25_B + BM25_B * length / average[name]
                for term, count in counts.items():
                    weighted[term] += FIELD_WEIGHTS[name] * count / norm
            for term, tf in weighted.items():
                ids, weights = postings.setdefault(term, (array("i"), array("f")))
                ids.append(number)
                weights.append(self._idf[term] * tf * (BM25_K1 + 1) / (tf + BM25_K1))
        self._postings = postings
        # A memo of typo corrections; it only ever grows towards the same answers.
        self._corrections: dict[str, str | None] = {}
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for term in self._idf:
            self._by_length[len(term)].append(term)

    def __len__(self) -> int:
        return self._size

    def _idf_for(self, df: int) -> float:
        return math.log(1 + (self._size - df + 0.5) / (df + 0.5))

    def _terms(self, text: str) -> Terms:
        return terms_of(text, self._synonyms)

    def _fields_of(self, doc: Document) -> dict[str, Counter[str]]:
        phrasing_terms = [self._terms(p) for p in doc.phrasings]
        self._phrasing_text.append(tuple(" ".join(t.all) for t in phrasing_terms))
        self._phrasing_raw.append(tuple(doc.phrasings))
        fields: dict[str, Counter[str]] = {
            "phrasings": Counter(term for t in phrasing_terms for term in t.all),
            "answer": Counter(self._terms(doc.answer).all),
            "quote": Counter(term for q in doc.quotes for term in self._terms(q).all),
            "tags": Counter(term for tag in doc.tags for term in self._terms(tag).all),
        }
        return {name: counts for name, counts in fields.items() if counts}

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
        candidates: list[str] = []
        for length in range(len(term) - max_edits, len(term) + max_edits + 1):
            candidates.extend(self._by_length.get(length, ()))
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
        topic = [corrected.get(t) or t for t in terms.topic]
        intent = list(terms.intent)
        if not topic:
            return []
        evidence = {corrected[t]: CORRECTED_WEIGHT for t in corrected if corrected[t]}
        scores: dict[int, float] = defaultdict(float)
        covered: dict[int, float] = defaultdict(float)
        weights = [(t, 1.0) for t in dict.fromkeys(topic)]
        weights += [(t, INTENT_WEIGHT) for t in dict.fromkeys(intent)]
        for term, share in weights:
            posting = self._postings.get(term)
            if posting is None:
                continue
            ids, contributions = posting
            idf = self._idf[term] if share == 1.0 else 0.0
            for number, contribution in zip(ids, contributions, strict=True):
                scores[number] += share * contribution
                if idf:
                    covered[number] += idf * evidence.get(term, 1.0)
        if not scores:
            return []
        total_idf = sum(self._idf.get(t, self._unknown_idf) for t in dict.fromkeys(topic))
        best = heapq.nlargest(max(RERANK_DEPTH, limit), scores.items(), key=lambda item: item[1])
        top_bm25 = best[0][1]
        query_text = " ".join(intent + topic)
        wanted = wanted_answer_type(question)
        matches = []
        for number, bm25 in best:
            found = process.extractOne(
                query_text, self._phrasing_text[number], scorer=phrasing_similarity
            )
            phrasing = found[1] / 100 if found else 0.0
            best_raw = self._phrasing_raw[number][found[2]] if found else ""
            coverage = min(1.0, covered.get(number, 0.0) / total_idf) if total_idf else 0.0
            score = (
                COVERAGE_WEIGHT * coverage
                + PHRASING_WEIGHT * phrasing
                + BM25_WEIGHT * bm25 / top_bm25
            )
            if wanted is not None and wanted not in self._answer_types[number]:
                score *= ANSWER_TYPE_MISMATCH
            matches.append(
                Match(self._keys[number], score, coverage, phrasing, best_raw, total_idf)
            )
        matches.sort(key=lambda m: m.score, reverse=True)
        return matches[:limit]

    def closest_phrasings(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """(key, phrasing) pairs for autocomplete: the best entries' closest phrasings."""
        return [(m.key, m.best_phrasing) for m in self.rank(prefix, limit)]
