"""From a moderator's answer to knowledge: the answer kept in a source document of moderators'
answers, and a draft entry citing it word for word.

The draft is written to `drafts/` in the knowledge folder, which is not served: a moderator
reviews it, moves it into the knowledge (and runs `knowledge check`), as with any edit.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from bot.handoffs import Handoff

__all__ = ["DRAFTS_DIR", "SOURCE_ID", "pending_drafts", "save_draft"]

DRAFTS_DIR = "drafts"
SOURCE_ID = "moderator-answers"
SOURCE_TITLE = "Moderators' answers"
# The quote a draft cites: the reply's first sentence (more while it is shorter than a quote
# may be), at most this long, cut between words.
MAX_QUOTE = 200
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def save_draft(knowledge: Path, handoff: Handoff, author: str, now: float) -> Path:
    """Write a draft entry and add the answer to the moderators' answers; the draft's path.

    Saving again (a second click, a retry after a failure) adds nothing twice: the answer's
    section, found by the hand-off's id, is cited as it is. The draft is written first, so
    a folder that cannot take it leaves the source untouched.

    Raises OSError when the knowledge folder cannot be written (a read-only mount).
    """
    # One line; after "Answer: ", so that a reply starting "## " is no heading of the source.
    reply = " ".join(handoff.reply.split())
    question = " ".join(handoff.question.split())
    source = knowledge / "sources" / f"{SOURCE_ID}.md"
    saved = _saved_section(source, handoff.id)
    day = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d")
    section = saved or f"{day} {handoff.id}"
    entry = {
        "id": f"moderator-{handoff.id}",
        "question": question,
        "answer": reply,
        "phrasings": [],
        "citations": [{"source": SOURCE_ID, "section": section, "quote": _quote_of(reply)}],
        "tags": ["moderators"],
    }
    draft = knowledge / DRAFTS_DIR / f"{handoff.id}.yaml"
    draft.parent.mkdir(parents=True, exist_ok=True)
    note = (
        "# A draft from a moderator's answer: review it, then move it into the knowledge\n"
        "# folder and run `python -m bot knowledge check`. Drafts are not served.\n"
    )
    draft.write_text(note + yaml.safe_dump({"entries": [entry]}, sort_keys=False), "utf-8")
    if saved is None:
        source.parent.mkdir(parents=True, exist_ok=True)
        head = "" if source.exists() else f"# {SOURCE_TITLE}\n"
        with source.open("a", encoding="utf-8") as file:
            file.write(
                f"{head}\n## {section}\n\nAsked: {question}\n\nAnswer: {reply}\n\n"
                f"(answered by {author})\n"
            )
    return draft


def _saved_section(source: Path, handoff_id: str) -> str | None:
    """The section a hand-off's answer was saved under before, if it was."""
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    found = re.search(rf"^## (\S+ {re.escape(handoff_id)})$", text, re.MULTILINE)
    return found.group(1) if found else None


def _quote_of(reply: str) -> str:
    """The passage of the reply the draft cites: whole words, as `knowledge check` wants."""
    # Imported here: the knowledge loader imports this module (DRAFTS_DIR).
    from bot.knowledge.sources import MIN_QUOTE_WORDS

    sentences = _SENTENCE_END.split(reply)
    quote = sentences[0]
    for sentence in sentences[1:]:
        if len(quote.split()) >= MIN_QUOTE_WORDS:
            break
        quote += " " + sentence
    if len(quote) > MAX_QUOTE:
        quote = quote[: MAX_QUOTE + 1].rsplit(" ", 1)[0]
    return quote.strip()


def pending_drafts(knowledge: Path) -> list[str]:
    """The draft entries waiting for a moderator's review, as paths from the knowledge
    folder's parent ("knowledge/drafts/….yaml"), oldest first."""
    folder = knowledge / DRAFTS_DIR
    try:
        drafts = sorted(folder.glob("*.yaml"), key=lambda path: path.stat().st_mtime)
    except OSError:
        return []
    return [draft.relative_to(knowledge.parent).as_posix() for draft in drafts]
