"""Browsing: the knowledge's questions grouped by their first tag, main subjects first."""

from bot.knowledge.models import CitationSpec, Entry
from bot.topics import UNTAGGED, group_topics, topic_named

CITE = CitationSpec(source="doc", section="Intro", quote="a quote")


def entry(entry_id: str, *tags: str) -> Entry:
    return Entry(
        id=entry_id, question=f"About {entry_id}?", answer="Yes.", citations=(CITE,), tags=tags
    )


def test_entries_group_by_first_tag_largest_first_untagged_last_among_equals() -> None:
    groups = group_topics(
        [
            entry("fees", "Billing", "plans"),
            entry("refunds", "billing"),
            entry("bikes"),
            entry("helmets", "safety"),
        ]
    )

    assert [(g.name, [t.entry_id for t in g.topics]) for g in groups] == [
        ("billing", ["fees", "refunds"]),
        ("safety", ["helmets"]),
        (UNTAGGED, ["bikes"]),
    ]
    assert groups[0].topics[0].question == "About fees?"


def test_a_subject_named_lists_every_entry_with_its_tag_however_typed() -> None:
    entries = [
        entry("fees", "Billing", "key-point"),
        entry("refunds", "billing"),
        entry("bikes"),
        entry("helmets", "safety", "key_point"),
    ]
    named = topic_named(entries, "Key Point")
    assert named is not None and [t.entry_id for t in named.topics] == ["fees", "helmets"]
    untagged = topic_named(entries, UNTAGGED)
    assert untagged is not None and [t.entry_id for t in untagged.topics] == ["bikes"]
    assert topic_named(entries, "weather") is None
