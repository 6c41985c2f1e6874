"""Keeping pinned briefings current, the same way on every platform.

A platform provides a `BriefingSurface`: whether it can reach a pinned message, and how to
show a briefing in it (or, when the briefing has left the knowledge, a notice saying so). The
rest is decided here: which pins are out of date, what the store remembers afterwards, that
two reloads in a row never edit the same messages at once, and that of several replicas
sharing one store only one edits each message.
"""

from __future__ import annotations

import asyncio
import logging
from enum import Enum
from typing import Protocol

from bot.briefings import BriefingView
from bot.service import QAService
from bot.store import PinnedBriefing, Store

__all__ = ["BriefingSurface", "Shown", "left_the_knowledge", "refresh_pinned_briefings"]

_log = logging.getLogger(__name__)

# The claim a process takes in the store before editing a pinned message for a version, and
# gives back once the edit is done or failed: should the process die meanwhile, it expires
# after this long, long enough for any edit to finish.
PIN_CLAIM_KIND = "pin-update"
PIN_CLAIM_SECONDS = 600.0


def left_the_knowledge(briefing_id: str) -> str:
    """What a pinned briefing says once its briefing is no longer in the knowledge."""
    return (
        f"This briefing ({briefing_id}) is no longer in the knowledge, so it is no longer kept "
        "up to date. Unpin it, or post a current one."
    )


class Shown(Enum):
    """What became of a pinned message the platform was asked to change."""

    EDITED = "edited"  # it shows what it was given
    GONE = "gone"  # deleted, or can never be edited again: forget it
    FAILED = "failed"  # not now (a network error, a rate limit): try again on the next change


class BriefingSurface(Protocol):
    """What a platform provides to keep its pinned briefings current."""

    @property
    def platform(self) -> str: ...

    def reaches(self, pin: PinnedBriefing) -> bool:
        """Whether this connection may edit the pinned message (its workspace or server)."""
        ...

    async def show(self, pin: PinnedBriefing, view: BriefingView | None) -> Shown:
        """Edit the pinned message to show the briefing; None: the briefing has left the
        knowledge, so the message should say that instead."""
        ...


async def refresh_pinned_briefings(
    service: QAService, store: Store, surface: BriefingSurface, lock: asyncio.Lock
) -> int:
    """Bring every pinned briefing made from older knowledge up to date; how many changed.

    A briefing that has left the knowledge is replaced by a notice saying so, once, and its
    pin forgotten; a message that is gone is forgotten. The store is SQLite: its calls run
    off the event loop.
    """
    async with lock:  # two reloads in a row must not edit the same messages at once
        version = service.library.version
        changed = 0
        for pin in await asyncio.to_thread(store.pins, surface.platform):
            if not pin.pinned or pin.knowledge_version == version or not surface.reaches(pin):
                continue
            # Replicas sharing the store all see this reload: one of them edits each message.
            claim = f"{surface.platform}/{pin.channel}/{pin.message_id}@{version}"
            taken = await asyncio.to_thread(store.claim, PIN_CLAIM_KIND, claim, PIN_CLAIM_SECONDS)
            if taken is False:
                continue
            # Another replica may have shown this version and freed its claim since the pins
            # were read: the pin, read again, says so.
            if not await asyncio.to_thread(_still_behind, store, pin, version):
                await asyncio.to_thread(store.release, PIN_CLAIM_KIND, claim)
                continue
            view = service.briefing(pin.briefing_id)
            shown = await surface.show(pin, view)
            changed += shown is Shown.EDITED
            if shown is Shown.EDITED and view is not None:
                await asyncio.to_thread(
                    store.update_pin_version,
                    surface.platform,
                    pin.channel,
                    pin.message_id,
                    view.knowledge_version,
                )
            elif shown is not Shown.FAILED:
                await asyncio.to_thread(
                    store.remove_pin, surface.platform, pin.channel, pin.message_id
                )
            # Done (the pin now records the version it shows) or failed (the next reload, here
            # or elsewhere, tries again): the claim is free, so that knowledge edited back to
            # this version later (A, B, then A again) is shown again.
            await asyncio.to_thread(store.release, PIN_CLAIM_KIND, claim)
            if view is None and shown is Shown.EDITED:
                _log.info(
                    "pinned briefing %r in channel %s is no longer in the knowledge: it now "
                    "says so, and is no longer kept up to date",
                    pin.briefing_id,
                    pin.channel,
                )
        if changed:
            _log.info(
                "updated %d pinned briefing(s) on %s to knowledge %s",
                changed,
                surface.platform,
                version,
            )
        return changed


def _still_behind(store: Store, pin: PinnedBriefing, version: str) -> bool:
    """Whether the stored pin is still pinned and made from other knowledge than `version`."""
    for stored in store.pins(pin.platform, pin.briefing_id):
        if (stored.channel, stored.message_id) == (pin.channel, pin.message_id):
            return stored.pinned and stored.knowledge_version != version
    return False  # forgotten meanwhile: its message is gone or has left the knowledge
