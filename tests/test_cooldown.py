"""One question per user per period, on every platform."""

from bot.cooldown import AskCooldown, cooldown_note


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
