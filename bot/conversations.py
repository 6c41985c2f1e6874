"""What each conversation last asked about, so that a follow-up can be read with it.

In chat a second question often names nothing of its own: "why?", "when did he say it?",
"how long does that take?". Read alone it has nothing to look up; read with the question
before it in the same conversation, it does. A conversation is a thread (whoever writes in
it: people answer each other's threads), or else one person in one channel or DM.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bot.recent import RecentItems

__all__ = ["ConversationMemory", "conversation_of"]

# How many conversations are remembered; past that, the least recent is forgotten.
MAX_CONVERSATIONS = 10_000
# A follow-up comes within minutes; a question asked an hour later starts afresh.
FOLLOW_UP_SECONDS = 30 * 60.0

Conversation = tuple[str, str, str, str, str]


def conversation_of(
    platform: str, workspace: str, channel: str, user_id: str, thread: str
) -> Conversation | None:
    """The conversation a message belongs to, or None when it belongs to none (a question
    from the command line or a question set: each stands alone)."""
    if not channel or not (user_id or thread):
        return None
    return (platform, workspace, channel, thread, "" if thread else user_id)


class ConversationMemory:
    """The last question with words to look up, per conversation; safe across threads."""

    def __init__(
        self,
        max_conversations: int = MAX_CONVERSATIONS,
        ttl_seconds: float = FOLLOW_UP_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._recent: RecentItems[Conversation, str] = RecentItems(
            max_conversations, ttl_seconds, clock
        )
        self._lock = threading.Lock()

    def remember(self, conversation: Conversation | None, question: str) -> None:
        if conversation is None or not question:
            return
        with self._lock:
            self._recent.put(conversation, question)

    def recall(self, conversation: Conversation | None) -> str | None:
        if conversation is None:
            return None
        with self._lock:
            return self._recent.get(conversation)
