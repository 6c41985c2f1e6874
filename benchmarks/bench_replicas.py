"""Benchmark the Slack app over HTTP as it would run in production: bot processes in HTTP
mode, on SQLite or PostgreSQL, one replica or two, against a fake Slack on loopback.

20 clients send signed slash commands and @mentions, spread over the replicas (as a load
balancer would), a quarter of them delivered a second time to the other replica (as Slack
retries). Reported: questions answered per second, and the acknowledgement time each client
saw (p50, p99). Every question must be answered exactly once.

Run from the project root: `.venv/bin/python benchmarks/bench_replicas.py [--questions N]`.
PostgreSQL needs the server binaries (Debian: apt-get install postgresql); a throwaway
cluster is made in a temp folder.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from tests.postgres_server import running_server  # noqa: E402
from tests.slack.fake_slack import FakeSlack  # noqa: E402
from tests.slack.load import answers_per_question, send_load, wait_answered  # noqa: E402
from tests.slack.processes import running_replicas  # noqa: E402

CLIENTS = 20


_RUNS = itertools.count(1)


async def measure(fake: FakeSlack, urls: list[str], questions: int) -> dict[str, float]:
    """Send the questions; return throughput and acknowledgement times."""
    fake.calls.clear()
    fake.responses.clear()
    started = time.perf_counter()
    load = await send_load(fake, urls, questions, clients=CLIENTS, run=next(_RUNS))
    if set(load.statuses) != {200}:
        raise RuntimeError(f"HTTP {sorted(set(load.statuses) - {200})}")
    await wait_answered(fake, load, timeout=300)
    elapsed = time.perf_counter() - started
    answered, posted = answers_per_question(fake)
    if set(answered.values()) != {1} or set(posted.values()) != {1}:
        twice = [key for key, count in (answered + posted).items() if count > 1]
        raise RuntimeError(f"{len(twice)} question(s) answered twice, e.g. {twice[:3]}")
    ordered = sorted(load.ack_seconds)
    return {
        "per_second": questions / elapsed,
        "ack_p50_ms": statistics.median(ordered) * 1000,
        "ack_p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
    }


@contextlib.contextmanager
def sqlite_file() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="faqbot-bench-") as folder:
        yield str(Path(folder) / "log.sqlite3")


async def main(questions: int, stores: list[str], counts: list[int]) -> int:
    fake = FakeSlack()
    await fake.start()
    rows = []
    try:
        with running_server() as postgres:
            for store in stores:
                for count in counts:
                    with contextlib.ExitStack() as stack:
                        if store == "sqlite":
                            database = stack.enter_context(sqlite_file())
                        else:
                            database = postgres.new_database()
                        async with running_replicas(fake, database, count) as replicas:
                            urls = [replica.url for replica in replicas]
                            await measure(fake, urls, 40)  # warm up: imports, first answers
                            figures = await measure(fake, urls, questions)
                    rows.append((store, count, figures))
                    print(
                        f"{store:10} x{count}: {figures['per_second']:6.0f} questions/s, "
                        f"ack p50 {figures['ack_p50_ms']:5.1f} ms, "
                        f"p99 {figures['ack_p99_ms']:6.1f} ms",
                        flush=True,
                    )
    finally:
        await fake.stop()
    worst_p50 = max(f["ack_p50_ms"] for _, _, f in rows)
    worst_p99 = max(f["ack_p99_ms"] for _, _, f in rows)
    met = worst_p50 < 300 and worst_p99 < 1000
    verdict = "met" if met else "NOT met"
    print(f"targets (ack p50 < 300 ms, p99 < 1 s under {CLIENTS} clients): {verdict}")
    return 0 if met else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--replicas", default="1,2")
    args = parser.parse_args()
    stores = args.stores.split(",")
    counts = [int(n) for n in args.replicas.split(",")]
    sys.exit(asyncio.run(main(args.questions, stores, counts)))
