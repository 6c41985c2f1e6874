"""/topics menus fit Discord's limits whatever the knowledge's size."""

from adapters.discord.topics import MORE, _question_menus, _subject_menu
from bot.answers import Suggestion
from bot.topics import TopicGroup


def group(name: str, size: int) -> TopicGroup:
    return TopicGroup(name, tuple(Suggestion(f"{name}-{n}", f"Q {n}?") for n in range(size)))


def test_subjects_past_twenty_five_share_the_last_option() -> None:
    groups = tuple(group(f"s{n}", 2) for n in range(30))

    options = _subject_menu(groups).options

    assert len(options) == 25
    assert options[-1].value == MORE and options[-1].description == "12 question(s)"


def test_a_large_subject_spreads_over_menus_of_twenty_five() -> None:
    menus = _question_menus(group("billing", 60))

    assert [len(m.options) for m in menus] == [25, 25, 10]
    assert [m.custom_id for m in menus] == ["faq:topic:0", "faq:topic:1", "faq:topic:2"]
