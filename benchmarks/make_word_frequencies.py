"""Write bot/search/data/english-frequency.txt: how common each English word is in general use.

The matcher weighs a question word that the knowledge does not hold by how common it is in
English: "actually" or "gonna" say little, "ramen" or "acronym" say the question is about
something else. The list comes from the wordfreq package (data CC BY-SA 4.0, see its
README); run this script again to rebuild it:

    pip install wordfreq==3.1.1 && python benchmarks/make_word_frequencies.py
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import wordfreq

OUT = Path(__file__).resolve().parents[1] / "bot" / "search" / "data" / "english-frequency.txt"
# Words rarer than this (Zipf scale: 3 is once per million words) are all "rare" to the
# matcher, so they need no line of their own.
MIN_ZIPF = 3.0
# Bands of this width: finer distinctions mean nothing to the matcher.
BAND = 0.25
WORD = re.compile(r"[a-z]+")


def main() -> None:
    bands: dict[float, list[str]] = defaultdict(list)
    for word in wordfreq.top_n_list("en", 200_000, wordlist="large"):
        zipf = wordfreq.zipf_frequency(word, "en", wordlist="large")
        if zipf < MIN_ZIPF:
            break
        if WORD.fullmatch(word):
            bands[int(zipf / BAND) * BAND].append(word)
    lines = [
        "# English words by how common they are: a line '@Z' opens the band of words whose",
        "# Zipf frequency is at least Z. From wordfreq 3.1.1 (data: CC BY-SA 4.0, by Robyn Speer",
        "# and the wordfreq contributors); rebuilt by benchmarks/make_word_frequencies.py.",
    ]
    for band in sorted(bands, reverse=True):
        lines.append(f"@{band:.2f}")
        words = sorted(bands[band])
        lines.extend(" ".join(words[i : i + 16]) for i in range(0, len(words), 16))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {sum(map(len, bands.values()))} words")


if __name__ == "__main__":
    main()
