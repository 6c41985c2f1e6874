"""What every Slack listener shares: the runtime, and what the adapter remembers meanwhile."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import dedupe
from adapters.slack.members import WorkspaceMembers
from bot.answers import Answer
from bot.cooldown import AskCooldown
from bot.inflight import InFlight
from bot.recent import RecentItems
from bot.reload_notices import ReloadNotices
from bot.runtime import Runtime
from bot.service import AskContext, QAService, ReloadResult
from bot.store import Store
from bot.workspace_settings import (
    DEFAULT_BRIEFING,
    MODERATOR_CHANNEL,
    MODERATORS,
    SharedSet,
    WorkspaceSettings,
)
from config import SlackSettings

__all__ = ["PLATFORM", "SlackState", "ask_context"]

_log = logging.getLogger(__name__)

_T = TypeVar("_T")

PLATFORM = "slack"
# Threads the bot answered in, for follow-ups: kept in the store a week (a thread is rarely
# continued later; forgetting it only means a follow-up there needs an @mention), and the
# newest this-many in memory too.
ANSWERED_THREADS_MAX = 5000
ANSWERED_THREAD_SECONDS = 7 * 86_400.0
THREAD_CLAIM_KIND = "slack-thread"
# "Share in channel" works through the question's response_url, which Slack honours for 30
# minutes; the answer to share is kept as long.
SHAREABLE_ANSWERS_MAX = 2000
SHAREABLE_ANSWER_SECONDS = 30 * 60.0
SHARE_CLAIM_KIND = "slack-share"


def ask_context(
    workspace: str,
    channel: str,
    user_id: str,
    thread: str | None = None,
    delivery: str = "",
    *,
    opens_thread: bool = False,
) -> AskContext:
    return AskContext(PLATFORM, workspace, channel, user_id, thread or "", delivery, opens_thread)


@dataclass
class SlackState:
    """The runtime plus the adapter's bounded in-memory records; used from one event loop."""

    runtime: Runtime
    deliveries: RecentItems[str, bool] = field(
        default_factory=lambda: RecentItems(dedupe.DEDUPE_MAX_DELIVERIES, dedupe.DEDUPE_TTL_SECONDS)
    )
    threads: RecentItems[tuple[str, str], bool] = field(
        default_factory=lambda: RecentItems(ANSWERED_THREADS_MAX)
    )
    # answer id -> (the answer, the user who asked): only the asker may share it
    answers: RecentItems[str, tuple[Answer, str]] = field(
        default_factory=lambda: RecentItems(SHAREABLE_ANSWERS_MAX, SHAREABLE_ANSWER_SECONDS)
    )
    team_id: str = ""  # the workspace of the bot token, from auth.test at start
    reload_notices: ReloadNotices = field(default_factory=ReloadNotices)
    pins_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    in_flight: InFlight = field(default_factory=InFlight)  # answers a shutdown lets finish
    closed: bool = False
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    cooldown: AskCooldown = field(init=False)
    last_reload: ReloadResult | None = None  # shown to moderators on the Home tab
    # (workspace, channel) of the help channels, as the store has them
    help_channels: SharedSet = field(init=False)
    workspace_settings: WorkspaceSettings = field(init=False)
    members: WorkspaceMembers = field(default_factory=WorkspaceMembers)

    def __post_init__(self) -> None:
        self.cooldown = AskCooldown(
            self.settings.ask_cooldown_seconds, store=self.store, platform=PLATFORM
        )
        self.help_channels = SharedSet(lambda: self.store.help_channels(PLATFORM))
        defaults = {MODERATOR_CHANNEL: self.settings.moderator_channel}
        self.workspace_settings = WorkspaceSettings(self.store, PLATFORM, defaults)

    async def default_briefing(self, workspace: str) -> str | None:
        """The briefing this workspace chose for a bare briefing command, if the knowledge
        still has it."""
        chosen = await self.call(self.workspace_settings.get, workspace, DEFAULT_BRIEFING)
        return self.service.known_briefing(chosen)

    async def moderator_channel(self, workspace: str) -> str | None:
        """Where this workspace's hand-offs go: its own setting, else SLACK_MODERATOR_CHANNEL."""
        return await self.call(self.workspace_settings.get, workspace, MODERATOR_CHANNEL)

    @property
    def settings(self) -> SlackSettings:
        return self.runtime.settings.slack

    @property
    def service(self) -> QAService:
        return self.runtime.service

    @property
    def store(self) -> Store:
        return self.runtime.store

    @property
    def feedback_buttons(self) -> bool:
        return self.runtime.settings.features.feedback_buttons

    async def claim_delivery(self, key: str) -> bool | None:
        """Take a Slack delivery in the shared store; False when another replica has it."""
        return await self.call(self.store.claim, dedupe.CLAIM_KIND, key, dedupe.DEDUPE_TTL_SECONDS)

    async def abandoned_delivery(self, key: str) -> bool:
        """Whether a question another replica took is still unanswered long after it came in."""
        received_at = await self.call(self.store.received_at, key)
        return (
            received_at is not None and time.time() - received_at >= dedupe.ABANDONED_AFTER_SECONDS
        )

    async def remember_thread(self, channel: str, thread: str) -> bool:
        """Note a thread the bot answers in; False when it was noted already."""
        if not self.threads.add((channel, thread), True):
            return False
        key = f"{channel}/{thread}"
        await self.call(self.store.claim, THREAD_CLAIM_KIND, key, ANSWERED_THREAD_SECONDS)
        return True

    async def forget_thread(self, channel: str, thread: str) -> None:
        self.threads.discard((channel, thread))
        await self.call(self.store.release, THREAD_CLAIM_KIND, f"{channel}/{thread}")

    async def answered_in(self, channel: str, thread: str) -> bool:
        """Whether the bot answered in this thread: here, or on another replica (the store)."""
        if (channel, thread) in self.threads:
            return True
        key = f"{channel}/{thread}"
        return await self.call(self.store.claimed, THREAD_CLAIM_KIND, key) is not None

    async def remember_shareable(self, answer: Answer, asker: str) -> None:
        """Keep a private answer for its asker's "Share in channel", on any replica: the
        store keeps which entry answered what, for the asker alone."""
        self.answers.add(answer.answer_id, (answer, asker))
        if answer.entry_id:
            shared = json.dumps(
                {"entry": answer.entry_id, "question": answer.question, "asker": asker}
            )
            await self.call(
                self.store.claim,
                SHARE_CLAIM_KIND,
                answer.answer_id,
                SHAREABLE_ANSWER_SECONDS,
                shared,
            )

    async def shareable(self, answer_id: str) -> tuple[Answer, str] | None:
        """The answer to share and who asked it; None once it may no longer be shared."""
        remembered = self.answers.get(answer_id)
        if remembered is not None:
            return remembered
        kept = await self.call(self.store.claimed, SHARE_CLAIM_KIND, answer_id)
        if kept is None:
            return None
        shared = json.loads(kept)
        answer = self.service.answer_entry(
            shared["entry"], question=shared["question"], record=False
        )
        if answer is None:  # the entry left the knowledge meanwhile
            return None
        # The id the asker's rating buttons carry: the answer logged when it was asked.
        return dataclasses.replace(answer, answer_id=answer_id), str(shared["asker"])

    async def is_moderator(
        self, user_id: str, workspace: str, client: AsyncWebClient | None = None
    ) -> bool:
        """SLACK_MODERATORS everywhere; each workspace's own moderators, and its admins and
        owners (asked of Slack through `client`), there."""
        if not user_id:
            return False
        if user_id in self.settings.moderators:
            return True
        if user_id in await self.workspace_moderators(workspace):
            return True
        return client is not None and await self.members.is_admin(client, workspace, user_id)

    async def workspace_moderators(self, workspace: str) -> tuple[str, ...]:
        return tuple(await self.call(self.workspace_settings.get_list, workspace, MODERATORS))

    async def call(self, function: Callable[..., _T], *args: Any) -> _T:
        """Run a core call on a worker thread: the store writes SQLite, the loop must not wait.

        The store is safe to share between threads (one connection under a lock).
        """
        return await asyncio.to_thread(function, *args)

    def spawn(self, coroutine: Coroutine[Any, Any, Any], name: str) -> None:
        """Run coroutine in the background, keeping a reference until it is done."""
        task = asyncio.get_running_loop().create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _log.error("background task %s failed", task.get_name(), exc_info=task.exception())

    async def close(self) -> None:
        """Stop reacting to reloads and finish (or cancel) background work."""
        self.closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
