"""How often one slip of the keyboard changes the reply: a letter dropped, doubled, swapped,
replaced or added in one word of a question.

The questions are those `chat_noise.py` wraps: the first six plain or fact questions with an
answer of each tuning set's knowledge base. Each word of four letters or more that is no stop
word gets each kind of slip once (seeded, so every run makes the same slips), and a slipped
question "changes" when its outcome or its answer's entry differs from the question asked as
written. Words of four or five letters are counted apart ("short"): one slip leaves three or
four letters, which reach many other words.

    .venv/bin/python benchmarks/typo_noise.py              # every knowledge base
    .venv/bin/python benchmarks/typo_noise.py --show drop-short   # and that kind's changes
    .venv/bin/python benchmarks/typo_noise.py --quick      # smoke run: two knowledge bases
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.chat_noise import QUICK_KNOWLEDGE_BASES, bare_questions  # noqa: E402
from bot.search.language import english  # noqa: E402
from bot.service import QAService  # noqa: E402

SEED = 11
SLIPS = ("swap", "drop", "double", "replace", "insert")
SHORT_WORD_LETTERS = 5
# Letters a slip brings in: the commonest, as a finger that lands one key off mostly does.
COMMON_LETTERS = "aeioustrnl"
_WORD = re.compile(r"[A-Za-z]{4,}")


def slipped(word: str, slip: str, rng: random.Random) -> str:
    """The word with one slip, never of its first letter (few slips hit it)."""
    at = rng.randrange(1, len(word) - 1)
    if slip == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if slip == "drop":
        return word[:at] + word[at + 1 :]
    if slip == "double":
        return word[:at] + word[at] + word[at:]
    if slip == "replace":
        return word[:at] + rng.choice(COMMON_LETTERS) + word[at + 1 :]
    return word[:at] + rng.choice(COMMON_LETTERS) + word[at:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", default="", help="list the changes of one kind (drop-short)")
    parser.add_argument("--quick", action="store_true", help="two knowledge bases only")
    args = parser.parse_args()
    rng = random.Random(SEED)
    stop_words = english().stop_words
    changed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    shown: dict[str, list[str]] = defaultdict(list)
    chosen = bare_questions()[: QUICK_KNOWLEDGE_BASES if args.quick else None]
    for knowledge, questions in chosen:
        service = QAService.from_directory(knowledge)
        for question in questions:
            bare = service.ask(question)
            for found in _WORD.finditer(question):
                if found.group().casefold() in stop_words:
                    continue
                for slip in SLIPS:
                    word = slipped(found.group(), slip, rng)
                    if word == found.group():
                        continue  # a swap of two equal letters
                    kind = slip + ("-short" if len(found.group()) <= SHORT_WORD_LETTERS else "")
                    asked = question[: found.start()] + word + question[found.end() :]
                    reply = service.ask(asked)
                    total[kind] += 1
                    if (reply.outcome, reply.entry_id) != (bare.outcome, bare.entry_id):
                        changed[kind] += 1
                        shown[kind].append(f"{found.group()} -> {word}: {asked}")
    print(f"{len(chosen)} knowledge bases")
    for kind in sorted(total):
        share = changed[kind] / total[kind]
        print(f"{kind:14} {changed[kind]}/{total[kind]} = {share:.1%} changed")
    count, asked_total = sum(changed.values()), sum(total.values())
    print(f"all: {count}/{asked_total} = {count / asked_total:.1%} of slipped questions changed")
    for line in shown.get(args.show, []):
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
