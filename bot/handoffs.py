"""Hand-offs: a question the bot could not answer, passed to the moderators, and their reply.

The record is kept in the bot's database until a moderator answers or dismisses it, so nothing
is lost when the asker has left or the bot restarts. Platforms post the notice, open the
answer form and deliver the reply; what is said, and the limit on how often one person may
call on the moderators, are decided here.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = [
    "HANDOFFS_PER_HOUR",
    "Handoff",
    "asked_text",
    "moment_text",
    "new_handoff",
    "reply_text",
]

# One person may call on the moderators this many times an hour: enough for real needs,
# too few to flood their channel.
HANDOFFS_PER_HOUR = 3
OPEN, ANSWERED, DISMISSED = "open", "answered", "dismissed"


@dataclass(frozen=True)
class Handoff:
    id: str
    platform: str
    workspace: str
    channel: str  # where it was asked ("" in a direct message)
    thread: str  # the thread it was asked in, where the reply goes ("" when none)
    user: str  # who asked: the reply is delivered to them
    question: str
    asked_at: float
    status: str = OPEN
    reply: str = ""
    handled_by: str = ""
    handled_at: float = 0.0
    notice_channel: str = ""  # the moderators' message about it
    notice_ref: str = ""
    best_attempt: str = ""  # what the bot came closest with (an entry's question), if any


def new_handoff(
    platform: str,
    workspace: str,
    channel: str,
    thread: str,
    user: str,
    question: str,
    now: float,
    best_attempt: str = "",
) -> Handoff:
    return Handoff(
        secrets.token_hex(6),
        platform,
        workspace,
        channel,
        thread,
        user,
        question.strip(),
        now,
        best_attempt=best_attempt,
    )


def asked_text(handoff: Handoff) -> str:
    """The moderators' notice (plain words; the platform escapes and formats it)."""
    text = f"A question the bot could not answer:\n{handoff.question}"
    if handoff.best_attempt:
        text += f"\nThe closest it knows: “{handoff.best_attempt}”"
    return text


def moment_text(seconds: float) -> str:
    """A moment as the moderators' notice says it (UTC: moderators may be anywhere)."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def reply_text(handoff: Handoff, reply: str) -> str:
    """What the asker receives."""
    return f"A moderator answered your question “{handoff.question}”:\n{reply.strip()}"
