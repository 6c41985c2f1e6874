"""Score the bot on a question set: each line a question and what a right answer must contain."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.answers import Answer, Outcome
from bot.service import AskContext

__all__ = ["EvalCase", "EvalReport", "is_right", "load_cases", "run_eval"]

ExpectGroup = str | list[str]


@dataclass(frozen=True)
class EvalCase:
    question: str
    expect: tuple[ExpectGroup, ...] | None  # None: the bot must abstain
    kind: str = ""
    line: int = 0
    style: str = ""  # how it is written: plain, casual, typo, long, fact, terse, out-far, ...
    # A follow-up: the question asked just before it in the same conversation ("after").
    after: str = ""

    @property
    def in_scope(self) -> bool:
        return self.expect is not None


@dataclass(frozen=True)
class EvalResult:
    case: EvalCase
    answer: Answer
    right: bool
    # Not answered, but "did you mean" offered the right entry first: one click from the
    # answer, better than a wrong one.
    first_choice_right: bool = False


@dataclass(frozen=True)
class EvalReport:
    results: tuple[EvalResult, ...]

    def _accuracy(self, keep: Callable[[EvalResult], bool]) -> tuple[int, int]:
        chosen = [r for r in self.results if keep(r)]
        return sum(r.right for r in chosen), len(chosen)

    @property
    def in_scope(self) -> tuple[int, int]:
        return self._accuracy(lambda r: r.case.in_scope)

    @property
    def out_of_scope(self) -> tuple[int, int]:
        return self._accuracy(lambda r: not r.case.in_scope)

    @property
    def overall(self) -> tuple[int, int]:
        return self._accuracy(lambda r: True)

    def by_style(self) -> dict[str, tuple[int, int]]:
        """(right, total) for each style the question set names, in first-seen order."""
        styles = dict.fromkeys(r.case.style for r in self.results if r.case.style)
        return {
            style: self._accuracy(lambda r, style=style: r.case.style == style)  # type: ignore[misc]
            for style in styles
        }

    @property
    def wrong_answers(self) -> int:
        """Answers given that were not right: the worst outcome, worse than 'did you mean'."""
        return sum(1 for r in self.results if r.answer.answered and not r.right)

    @property
    def first_choices_right(self) -> int:
        """In-scope questions offered "did you mean" whose first choice is right."""
        return sum(1 for r in self.results if r.first_choice_right)

    @property
    def misses(self) -> tuple[EvalResult, ...]:
        return tuple(r for r in self.results if not r.right)


def load_cases(path: Path) -> list[EvalCase]:
    cases = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw: dict[str, Any] = json.loads(line)
            expect = raw["expect"]
            cases.append(
                EvalCase(
                    question=str(raw["q"]),
                    expect=None if expect is None else tuple(expect),
                    kind=str(raw.get("kind", "")),
                    line=number,
                    style=str(raw.get("style", "")),
                    after=str(raw.get("after") or ""),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a question line ({exc})") from exc
    return cases


def is_right(case: EvalCase, answer: Answer) -> bool:
    """Out of scope: abstained. In scope: answered, cited, and every expected group present."""
    if case.expect is None:
        return not answer.answered
    if not answer.answered or not answer.citations or not answer.text:
        return False
    text = answer.text.casefold()
    return all(
        any(option.casefold() in text for option in ([group] if isinstance(group, str) else group))
        for group in case.expect
    )


def run_eval(
    cases: Iterable[EvalCase],
    ask: Callable[[str, AskContext | None], Answer],
    choose: Callable[[str], Answer | None] | None = None,
) -> EvalReport:
    """Ask every case; a follow-up in a conversation of its own, after the question it follows.
    Other cases stand alone (no conversation): none is read with the one before it.

    `choose` answers an entry by its id, as picking a "did you mean" choice does: with it, an
    in-scope question offered choices is checked against the first one too."""
    results = []
    for case in cases:
        context = None
        if case.after:
            context = AskContext("eval", "", "eval", f"line-{case.line}")
            ask(case.after, context)
        answer = ask(case.question, context)
        right = is_right(case, answer)
        results.append(EvalResult(case, answer, right, _first_choice_right(case, answer, choose)))
    return EvalReport(tuple(results))


def _first_choice_right(
    case: EvalCase, answer: Answer, choose: Callable[[str], Answer | None] | None
) -> bool:
    if choose is None or not case.in_scope or answer.outcome is not Outcome.DID_YOU_MEAN:
        return False
    if not answer.suggestions:
        return False
    picked = choose(answer.suggestions[0].entry_id)
    return picked is not None and is_right(case, picked)
