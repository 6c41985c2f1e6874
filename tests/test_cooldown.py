"""One question per user per period, on every platform."""

from pathlib import Path

from bot.cooldown import AskCooldown, cooldown_note
from bot.store import Store


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_user_waits_out_the_period_and_others_do_not_wait() -> None:
    clock = Clock()
    cooldown = AskCooldown(3.0, clock)

    assert cooldown.retry_after("ann") == 0
    clock.now += 1
    assert cooldown.retry_after("ann") == 2.0
    assert cooldown.retry_after("ben") == 0
    clock.now += 2
    assert cooldown.retry_after("ann") == 0


def test_zero_seconds_is_no_cooldown() -> None:
    cooldown = AskCooldown(0, Clock())
    assert [cooldown.retry_after("ann") for _ in range(3)] == [0, 0, 0]


def test_the_note_rounds_up_to_whole_seconds() -> None:
    assert cooldown_note(0.2) == "One question at a time, please: ask again in 1 s."
    assert cooldown_note(2.1).endswith("in 3 s.")


def test_processes_sharing_a_store_keep_one_count_per_user(tmp_path: Path) -> None:
    with Store(tmp_path / "log.sqlite3") as store:
        replica_a = AskCooldown(30.0, store=store, platform="slack")
        replica_b = AskCooldown(30.0, store=store, platform="slack")
        assert replica_a.shared_retry_after("ann") == 0
        assert 28 <= replica_b.shared_retry_after("ann") <= 30  # asked through the other one
        assert replica_b.shared_retry_after("ben") == 0
        assert AskCooldown(30.0, store=store, platform="discord").shared_retry_after("ann") == 0
