"""Signed load from many clients, as Slack sends it to replicas behind a load balancer: slash
commands and @mentions spread over the replicas, a quarter delivered a second time to
another replica (Slack retries an event it thinks was lost; a command may be redelivered)."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field

import aiohttp

from tests.slack.conftest import SlackSender, mention_event
from tests.slack.fake_slack import FakeSlack

__all__ = ["QUESTIONS", "Load", "answers_per_question", "send_load", "wait_answered"]

QUESTIONS = (
    "when did canada cut ties with iran",
    "what happened to the canadian embassy in tehran",
    "who is nasser kanaani",
    "what is the weather in paris",
)
FORM = "application/x-www-form-urlencoded"


@dataclass
class Load:
    commands: list[str] = field(default_factory=list)  # each command's response_url key
    threads: list[str] = field(default_factory=list)  # each mention's thread
    ack_seconds: list[float] = field(default_factory=list)  # first deliveries only
    statuses: list[int] = field(default_factory=list)  # every delivery, repeats too


async def send_load(
    fake: FakeSlack, urls: list[str], count: int, *, clients: int = 20, run: int = 1
) -> Load:
    """Send `count` questions from `clients` clients; `run` keeps ids new between runs."""
    load = Load()
    chooser = random.Random(752 + run)

    async def timed(sending: Awaitable[tuple[int, str]]) -> tuple[int, str]:
        started = time.perf_counter()
        result = await sending
        load.ack_seconds.append(time.perf_counter() - started)
        return result

    async def client(number: int) -> None:
        async with aiohttp.ClientSession() as session:
            senders = [SlackSender(url, fake, session) for url in urls]
            for n in range(number, count, clients):
                first = chooser.randrange(len(senders))
                sender, other = senders[first], senders[(first + 1) % len(senders)]
                question = QUESTIONS[n % len(QUESTIONS)]
                if n % 2:
                    body, key = sender.command_body(question, user=f"U{number:03d}")
                    load.commands.append(key)
                    kind, again = FORM, sender.headers(body)
                else:
                    ts = f"16900{run:05d}.{n:06d}"
                    load.threads.append(ts)
                    body = sender.event_body(mention_event(ts, question), f"Ev{run:03d}{n:07d}")
                    kind, again = "application/json", {**sender.headers(body)}
                    again["X-Slack-Retry-Num"] = "1"
                sends = [timed(sender.post(body, kind, sender.headers(body)))]
                if n % 4 == 0:  # delivered again, to another replica, at the same time
                    sends.append(other.post(body, kind, again))
                load.statuses += [status for status, _ in await asyncio.gather(*sends)]

    await asyncio.gather(*(client(n) for n in range(clients)))
    return load


async def wait_answered(fake: FakeSlack, load: Load, timeout: float) -> None:
    """Until every question of the load has had an answer."""
    await fake.wait_for(
        lambda: (
            len({key for key, _ in fake.responses}) >= len(load.commands)
            and len(fake.calls_to("chat.postMessage")) >= len(load.threads)
        ),
        timeout=timeout,
    )


def answers_per_question(fake: FakeSlack) -> tuple[Counter[str], Counter[str]]:
    """Answers per command (by response_url key) and per mention (by thread)."""
    answered = Counter(key for key, _ in fake.responses)
    posted = Counter(str(c.args.get("thread_ts")) for c in fake.calls_to("chat.postMessage"))
    return answered, posted
