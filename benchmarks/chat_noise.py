"""How often chat noise around a question changes the reply: greetings, thanks, apologies,
signatures, emoji, asides.

Each wrapper in `tests/data/chat-noise/wrappers-N.txt` is a message with `{q}` where the
question goes (`\\n` a line break). The questions are the first six plain or fact questions
with an answer of each tuning set's knowledge base. A wrapped question "changes" when its
outcome (answer, "did you mean", "I don't know") or its answer's entry differs from the
question asked bare. Noise never decides the topic, so every change is a miss of this
measure, whichever way it goes.

    .venv/bin/python benchmarks/chat_noise.py            # every wrapper set
    .venv/bin/python benchmarks/chat_noise.py --worst 10 # and each set's worst wrappers
    .venv/bin/python benchmarks/chat_noise.py --quick    # smoke run: two knowledge bases
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.calibrate import TUNING_SETS  # noqa: E402
from bot.service import QAService  # noqa: E402

WRAPPERS = ROOT / "tests" / "data" / "chat-noise"
QUESTIONS_PER_KNOWLEDGE = 6
QUICK_KNOWLEDGE_BASES = 2


def bare_questions() -> list[tuple[Path, list[str]]]:
    """Each knowledge base with its first plain or fact questions (no question mark)."""
    chosen: dict[Path, list[str]] = {}
    for knowledge, path in TUNING_SETS:
        if not path.exists():
            continue
        cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        questions = chosen.setdefault(knowledge, [])
        questions += [
            case["q"].rstrip("?")
            for case in cases
            if case.get("style") in ("plain", "fact") and case.get("expect")
        ][: QUESTIONS_PER_KNOWLEDGE - len(questions)]
    return list(chosen.items())


def wrappers(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.replace("\\n", "\n") for line in lines if "{q}" in line]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=0, help="list each set's N worst wrappers")
    parser.add_argument("--quick", action="store_true", help="two knowledge bases only")
    args = parser.parse_args()
    chosen = bare_questions()[: QUICK_KNOWLEDGE_BASES if args.quick else None]
    sets = {path.name: wrappers(path) for path in sorted(WRAPPERS.glob("wrappers-*.txt"))}
    changed: dict[str, Counter[str]] = {name: Counter() for name in sets}
    asked = 0
    for knowledge, questions in chosen:
        service = QAService.from_directory(knowledge)
        for question in questions:
            bare = service.ask(question)
            asked += 1
            for name, templates in sets.items():
                for template in templates:
                    reply = service.ask(template.replace("{q}", question))
                    if (reply.outcome, reply.entry_id) != (bare.outcome, bare.entry_id):
                        changed[name][template] += 1
    print(f"{asked} bare questions from {len(chosen)} knowledge bases")
    for name, templates in sets.items():
        total = asked * len(templates)
        count = sum(changed[name].values())
        print(f"{name}: {count}/{total} = {count / total:.1%} of wrapped questions changed")
        for template, n in changed[name].most_common(args.worst):
            print(f"  {n:4}  {template!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
