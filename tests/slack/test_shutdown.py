"""Stopping the Slack app (SIGTERM) lets an answer in progress finish."""

from __future__ import annotations

import asyncio
import contextlib

from tests.conftest import slow_answers
from tests.slack.conftest import RunningBot


async def test_slack_finishes_an_answer_in_progress_when_it_is_stopped(bot: RunningBot) -> None:
    with slow_answers(bot.runtime.service, 0.5):
        _, key = await bot.sender.command("when did canada cut ties with iran")
        await asyncio.sleep(0.1)  # acknowledged; the answer is being worked out
        bot.task.cancel()  # what SIGTERM does to each part
        with contextlib.suppress(asyncio.CancelledError):
            await bot.task
    assert bot.fake.responses_to(key), "the answer in progress was cut"
