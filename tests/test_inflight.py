"""A shutdown lets answers in progress finish, within bounds."""

from __future__ import annotations

import asyncio
import contextlib

from bot.inflight import InFlight


async def test_drain_waits_for_tracked_work_and_gives_up_after_its_timeout() -> None:
    in_flight = InFlight()
    assert await in_flight.drain(0.01)  # nothing running

    async def work(seconds: float) -> None:
        async with in_flight.track():
            await asyncio.sleep(seconds)

    quick = asyncio.create_task(work(0.05))
    await asyncio.sleep(0)
    assert in_flight.running == 1
    assert await in_flight.drain(1.0)
    await quick
    slow = asyncio.create_task(work(10))
    await asyncio.sleep(0)
    assert not await in_flight.drain(0.05)
    slow.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await slow
