"""How much a word says about which entry is meant.

A word counts by how many entries hold it, tempered by how common it is in English; a word
the knowledge does not hold counts by its English rarity alone. No weight depends on how many
entries there are, so adding unrelated entries to the knowledge changes no score.
"""

from __future__ import annotations

import math

__all__ = [
    "BM25_B",
    "BM25_K1",
    "ONE_ENTRY_WEIGHT",
    "WIDE_WORD_ENTRIES",
    "known_word_salience",
    "saturate",
    "unknown_word_salience",
    "word_weight",
]

# BM25 constants: the usual defaults, which suit short texts of mixed length.
BM25_K1 = 1.2
BM25_B = 0.75
# A word's weight is ln(1 + IDF_SCALE / (entries holding it + 0.5)): a word in one entry
# weighs most, one in IDF_SCALE entries about a fifth as much, one in a hundred about a
# twelfth. Unlike BM25's IDF it does not grow with the size of the knowledge, so unrelated
# entries added to a knowledge base change no weight of its words.
IDF_SCALE = 30.0
# Past this many entries holding it, a word's weight falls as BM25's does over a million
# entries (ln(1 + WIDE_IDF_SCALE / held), joined to the curve above): in large knowledge a
# word in a thousand entries still sets them apart from all the others, where the curve
# above would make it weigh nothing (benchmark, 100,000 entries: the paraphrased entry first
# 98.8% of the time, against 96.7%). Still no weight depends on the knowledge's size, and
# knowledge this project has seen never has a word in this many entries, so its answers are
# those of the curve above.
WIDE_WORD_ENTRIES = 100
WIDE_IDF_SCALE = 1_000_000.0
# A word the knowledge does not hold counts by how common it is in English (Zipf scale): as
# common as "the" (6.5 and above) it says nothing, "really" (6) little; as rare as "acronym"
# (3 and below) it says the question is about something the knowledge does not cover.
COMMON_ZIPF = 6.5
RARE_ZIPF = 3.0
# Even so rare a word, or one of no English at all (a slip nobody could mend), says less than
# a name the question writes, which counts fully: this share of it.
WORD_RARITY_SHARE = 0.875
# A word the knowledge holds counts by how specific it is to one entry, tempered by how
# common it is in English: at least this share of its specificity, all of it for a rare word.
KNOWN_ENGLISH_FLOOR = 0.25


def saturate(tf: float) -> float:
    """BM25's term frequency saturation: each further use of a word adds less."""
    return tf * (BM25_K1 + 1) / (tf + BM25_K1)


def word_weight(entries_holding: int) -> float:
    """How much a word held by this many entries says about which entry is meant."""
    if entries_holding <= WIDE_WORD_ENTRIES:
        return math.log(1 + IDF_SCALE / (entries_holding + 0.5))
    return _WIDE_WORD_WEIGHT * _wide_idf(entries_holding) / _wide_idf(WIDE_WORD_ENTRIES)


def _wide_idf(entries_holding: int) -> float:
    return math.log(1 + WIDE_IDF_SCALE / (entries_holding + 0.5))


_WIDE_WORD_WEIGHT = math.log(1 + IDF_SCALE / (WIDE_WORD_ENTRIES + 0.5))
ONE_ENTRY_WEIGHT = word_weight(1)


def unknown_word_salience(zipf: float) -> float:
    """0..WORD_RARITY_SHARE: how much a word the knowledge does not hold says, by how common
    it is."""
    rarity = min(1.0, max(0.0, (COMMON_ZIPF - zipf) / (COMMON_ZIPF - RARE_ZIPF)))
    return WORD_RARITY_SHARE * rarity


def known_word_salience(entries_holding: int, zipf: float) -> float:
    """How much a word the knowledge holds says, against a word held by one entry: its
    specificity, tempered by how common it is in English."""
    rarity = unknown_word_salience(zipf)
    return (
        word_weight(entries_holding)
        / ONE_ENTRY_WEIGHT
        * (KNOWN_ENGLISH_FLOOR + (1 - KNOWN_ENGLISH_FLOOR) * rarity)
    )
