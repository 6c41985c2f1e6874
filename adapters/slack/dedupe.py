"""Answer each Slack delivery once: drop retries and Socket Mode redeliveries already seen.

Bolt itself passes a retried request (X-Slack-Retry-Num) to the listeners again, so without
this a question whose first delivery was slow to be acknowledged would be answered twice.
Slack may send the retry to another replica, or to this one after a restart: a delivery is
therefore claimed in the store, which every replica shares, with memory as a quick first look.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.recent import RecentItems

__all__ = ["DEDUPE_MAX_DELIVERIES", "DEDUPE_TTL_SECONDS", "delivery_key", "skip_duplicates"]

_log = logging.getLogger(__name__)

# Slack retries an event three times, the last about five minutes after the first delivery;
# an hour is ample margin.
DEDUPE_TTL_SECONDS = 3600.0
# Far more deliveries than a busy workspace sends in that hour, at a few hundred KB at most.
DEDUPE_MAX_DELIVERIES = 20_000


def delivery_key(body: dict[str, Any]) -> str | None:
    """What stays the same across redeliveries of one request: event_id, else trigger_id.

    An event carries an event_id; a slash command or a button click carries a trigger_id
    that is new for every invocation. Other requests (url_verification, ssl_check) have none.
    """
    for field in ("event_id", "trigger_id"):
        value = body.get(field)
        if isinstance(value, str) and value:
            return f"{field}:{value}"
    return None


# What a delivery's claim is filed under in the store.
CLAIM_KIND = "slack-delivery"
# A question another replica took but has not answered after this long was left by a replica
# that died: a replica that lives answers in well under a second. Slack's first retry comes
# after 3 s (too early to tell), its second a minute later, which is then answered.
ABANDONED_AFTER_SECONDS = 30.0


def skip_duplicates(
    seen: RecentItems[str, bool],
    claim: Callable[[str], Awaitable[bool | None]],
    received: Callable[[dict[str, Any]], Awaitable[None]],
    abandoned: Callable[[str], Awaitable[bool]],
) -> Callable[..., Awaitable[BoltResponse | None]]:
    """A global Bolt middleware that acknowledges a delivery seen before and goes no further.

    `claim(key)` takes the delivery in the shared store: False when another replica (or this
    one before a restart) took it first; None when the store cannot say, and then a first
    delivery is answered and a retry is not. `received(body)` is told of every delivery, repeated or
    not, before it is acknowledged (it logs the questions among them, once each).
    `abandoned(key)` says whether the replica that took a delivery left it unanswered long
    ago (it died): Slack's later retry of it is then answered here.
    """

    async def repeated(key: str, retry: bool) -> bool:
        if not seen.add(key, True):
            return True  # this process has it
        taken = await claim(key)
        if taken is False:  # another replica has it, unless it died and left it
            return not (retry and await abandoned(key))
        # None: the store cannot say (it is locked or down). A first delivery is answered
        # here; a retry is taken to repeat one that some replica has: twice is worse.
        return taken is None and retry

    async def skip_duplicate_deliveries(
        body: dict[str, Any],
        request: AsyncBoltRequest,
        next_: Callable[[], Awaitable[None]],
    ) -> BoltResponse | None:
        key = delivery_key(body)
        retry = request.headers.get("x-slack-retry-num", [""])[0]
        if key is not None and await repeated(key, bool(retry)):
            _log.info("skipping a repeated delivery %s (retry %s)", key, retry or "-")
            # The replica that took it may have died before logging it: the acknowledgement
            # below ends Slack's retries, so the question must be in the log first.
            await received(body)
            return BoltResponse(status=200, body="")
        await received(body)
        await next_()
        return None

    return skip_duplicate_deliveries
