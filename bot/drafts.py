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
    """Append the answer to the moderators' answers and write a draft entry; the draft's path.

    Raises OSError when the knowledge folder cannot be written (a read-only mount).
    """
    reply = " ".join(handoff.reply.split())
    day = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%d")
    section = f"{day} {handoff.id}"
    source = knowledge / "sources" / f"{SOURCE_ID}.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    head = "" if source.exists() else f"# {SOURCE_TITLE}\n"
    with source.open("a", encoding="utf-8") as file:
        file.write(
            f"{head}\n## {section}\n\nAsked: {' '.join(handoff.question.split())}\n\n"
            f"{reply}\n\n(answered by {author})\n"
        )
    quote = _quote_of(reply)
    entry = {
        "id": f"moderator-{handoff.id}",
        "question": " ".join(handoff.question.split()),
        "answer": reply,
        "phrasings": [],
        "citations": [{"source": SOURCE_ID, "section": section, "quote": quote}],
        "tags": ["moderators"],
    }
    draft = knowledge / DRAFTS_DIR / f"{handoff.id}.yaml"
    draft.parent.mkdir(parents=True, exist_ok=True)
    note = (
        "# A draft from a moderator's answer: review it, then move it into the knowledge\n"
        "# folder and run `python -m bot knowledge check`. Drafts are not served.\n"
    )
    draft.write_text(note + yaml.safe_dump({"entries": [entry]}, sort_keys=False), "utf-8")
    return draft


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
