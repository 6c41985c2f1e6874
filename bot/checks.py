"""`knowledge check`: everything a moderator can get wrong, one line per problem."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from rapidfuzz.distance import OSA

from bot.answers import Outcome
from bot.knowledge import Entry, KnowledgeError, load_knowledge
from bot.knowledge.loader import MATCHER_FILE, EntryLines
from bot.library import Library, build_library
from bot.search import decide
from bot.search.language import LETTER_RUN, english
from bot.search.text import plain_words
from bot.verdicts import reads_as_fragment_without_verdict

__all__ = ["MAX_ANSWER_CHARS", "check_library", "run_check"]

# The smallest place an answer is shown whole is a Discord embed field (1024 characters,
# discord.com/developers/docs/resources/message#embed-object-embed-limits); Slack's section
# block (3000) and Discord's message (2000) are larger.
MAX_ANSWER_CHARS = 1024


def check_matcher_settings(library: Library) -> Iterator[KnowledgeError]:
    """Settings in matcher.yaml that would do nothing or contradict each other."""
    settings = library.snapshot.matcher
    path = f"{library.snapshot.knowledge_name}/{MATCHER_FILE}"
    language = english()
    for word in settings.topic_words:
        if word.casefold() not in language.skipped | language.source_words:
            yield KnowledgeError(
                path, None, None, f"topic_words: {word!r} is not skipped anyway: remove it"
            )
    for word in settings.stop_words:
        if word.casefold() in language.question_words:
            yield KnowledgeError(
                path, None, None, f"stop_words: {word!r} is a question word; it cannot be one"
            )
        if len(word.split()) > 1:
            yield KnowledgeError(
                path, None, None, f"stop_words: {word!r} is several words: list it in phrases"
            )
    for phrase in settings.phrases:
        if len(phrase.split()) < 2:
            yield KnowledgeError(
                path, None, None, f"phrases: {phrase!r} is one word; a phrase needs two or more"
            )
    thresholds = settings.thresholds
    if (
        thresholds.answer is not None
        and thresholds.suggest is not None
        and thresholds.suggest > thresholds.answer
    ):
        yield KnowledgeError(
            path, None, None, "thresholds: suggest is above answer; 'did you mean' would never show"
        )


def check_library(library: Library) -> Iterator[KnowledgeError]:
    """Problems that a valid snapshot can still have: clashes, lengths, and unreachable entries."""
    yield from check_matcher_settings(library)
    snapshot = library.snapshot
    owners: dict[str, str] = {}
    for entry in snapshot.entries:
        path, line = snapshot.entry_files.get(entry.id, ("knowledge", None))
        at = snapshot.entry_lines.get(entry.id, EntryLines(line))
        for phrasing in entry.all_phrasings:
            key = plain_words(phrasing)
            owner = owners.setdefault(key, entry.id)
            if owner != entry.id:
                yield KnowledgeError(
                    path, line, entry.id, f"phrasing {phrasing!r} is also a phrasing of {owner!r}"
                )
        if len(entry.answer) > MAX_ANSWER_CHARS:
            yield KnowledgeError(
                path,
                at.line("answer"),
                entry.id,
                f"answer is {len(entry.answer)} characters; at most {MAX_ANSWER_CHARS} fit "
                "one chat message (keep it to three sentences)",
            )
        for phrasing in entry.all_phrasings:
            decision = decide(library.index.rank(phrasing, limit=5), library.policy)
            winner = decision.best.key if decision.best else None
            if decision.outcome is Outcome.ANSWERED and winner == entry.id:
                continue
            if decision.outcome is Outcome.ANSWERED:
                problem = f"finds {winner!r} instead"
            elif winner == entry.id:
                problem = (
                    "is not answered (too close to: "
                    + ", ".join(repr(m.key) for m in decision.suggestions if m.key != entry.id)
                    + ")"
                )
            else:
                problem = f"is not answered (closest: {winner!r})"
            yield KnowledgeError(
                path, line, entry.id, f"self-test: phrasing {phrasing!r} " + problem
            )


def run_check(directory: Path, out: TextIO) -> int:
    """Print every problem as `file:line: entry-id: message`; 1 when there are any, else 0.

    Each file is named as it opens from the current folder (in full when not under it)."""
    result = load_knowledge(directory)
    problems = list(result.errors)
    if result.snapshot is not None:
        problems.extend(check_library(build_library(result.snapshot)))
    parent = Path(os.path.abspath(directory)).parent  # where the problems' paths start
    for problem in problems:
        print(_from_here(problem, parent), file=out)
    if result.snapshot is not None:
        _advise_phrasings(result.snapshot.entries, out)
        _advise_misspellings(result.snapshot.entries, out)
        _advise_verdict_fragments(result.snapshot.entries, out)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=out)
        return 1
    entries = len(result.snapshot.entries) if result.snapshot else 0
    print(f"{directory}: {entries} entries, no problems", file=out)
    return 0


def _from_here(problem: KnowledgeError, parent: Path) -> KnowledgeError:
    """The problem with its path as it opens from the current folder: relative when the file
    is under it, else in full. The loader names files from the knowledge folder's own name
    ("knowledge/faq.yaml"), as chat shows them, which opens only from the folder's parent."""
    path = parent / problem.path  # an absolute problem.path stays as it is
    try:
        shown = path.relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):  # not under the current folder, or that folder is gone
        shown = str(path)
    return dataclasses.replace(problem, path=shown)


# How many entries without phrasings the advice names; more are counted.
NAMED_BARE_ENTRIES = 5


def _advise_phrasings(entries: Sequence[Entry], out: TextIO) -> None:
    """Not a problem, but the surest way to answers that are missed: an entry with nothing but
    its own question is found only by questions worded much like it (two of the tuning sets,
    with every phrasing removed, answer 11 and 15 in 100 fewer questions)."""
    bare = [entry.id for entry in entries if not entry.phrasings]
    if not bare:
        return
    named = ", ".join(bare[:NAMED_BARE_ENTRIES]) + (
        ", ..." if len(bare) > NAMED_BARE_ENTRIES else ""
    )
    print(
        f"note: {len(bare)} of {len(entries)} entries have no phrasings ({named}); questions "
        "worded unlike their own question may miss them: add the ways people ask",
        file=out,
    )


# Shorter words are one slip from too many others to tell a misspelling.
SLIP_MIN_LENGTH = 5


def _advise_misspellings(entries: Sequence[Entry], out: TextIO) -> None:
    """Not a problem, but it costs answers: a phrasing word that is one slip from a word of
    its own entry ("Lindqvst" beside "Lindqvist") and is neither English nor used anywhere
    else. The bot mends a question's slips itself; a misspelled phrasing instead makes the
    slip a word only that entry holds, so a question spelling it so finds no other entry."""
    language = english()
    own_words = [
        set(LETTER_RUN.findall(f"{entry.question} {entry.answer}".casefold())) for entry in entries
    ]
    used = set().union(*own_words)
    for entry, own in zip(entries, own_words, strict=True):
        for phrasing in entry.phrasings:
            for word in LETTER_RUN.findall(phrasing.casefold()):
                if len(word) < SLIP_MIN_LENGTH or word in used or word in language.zipf:
                    continue
                meant = _slipped_from(word, own)
                if meant:
                    print(
                        f"note: {entry.id}: phrasing {phrasing!r} spells {meant!r} as "
                        f"{word!r}; the bot mends slips in questions itself, and a misspelled "
                        "phrasing makes the slip a word only this entry holds: spell it right",
                        file=out,
                    )


def _advise_verdict_fragments(entries: Sequence[Entry], out: TextIO) -> None:
    """Not a problem, but it reads badly: a question that does not ask yes or no gets the
    answer without its opening "Yes."/"No.", and what follows should stand alone."""
    for entry in entries:
        fragment = reads_as_fragment_without_verdict(entry.answer)
        if fragment:
            print(
                f"note: {entry.id}: without its opening yes or no, as questions that do not "
                f"ask yes or no get it, the answer starts {fragment!r}: write a whole "
                "sentence after the verdict",
                file=out,
            )


def _slipped_from(word: str, known_words: set[str]) -> str | None:
    """The first (alphabetically) of the known words that this one is a slip of: one edit
    away, the same first letter, and not a plural or suffix of it."""
    return min(
        (
            known
            for known in known_words
            if known[0] == word[0]
            and len(known) >= SLIP_MIN_LENGTH
            and not known.startswith(word)
            and not word.startswith(known)
            and OSA.distance(word, known, score_cutoff=1) <= 1
        ),
        default=None,
    )
