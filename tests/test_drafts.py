"""A moderator's answer becomes a draft entry that cites it word for word, and is not served
until it is moved into the knowledge."""

from pathlib import Path

from bot.drafts import save_draft
from bot.handoffs import Handoff
from bot.knowledge.loader import load_knowledge


def test_a_draft_cites_the_saved_answer_and_passes_the_check_once_moved(
    knowledge_copy: Path,
) -> None:
    handoff = Handoff(
        "abc123",
        "slack",
        "T1",
        "C1",
        "",
        "U1",
        "Can I bring my dog?",
        0.0,
        status="answered",
        reply="Yes, on a leash.  Dogs must stay with you.",
        handled_by="UMOD",
    )
    before = load_knowledge(knowledge_copy).snapshot
    assert before is not None

    draft = save_draft(knowledge_copy, handoff, "mod", 86_400.0)

    assert draft == knowledge_copy / "drafts" / "abc123.yaml"
    source = (knowledge_copy / "sources" / "moderator-answers.md").read_text(encoding="utf-8")
    assert "## 1970-01-02 abc123" in source and "Yes, on a leash. Dogs must stay" in source
    still = load_knowledge(knowledge_copy).snapshot  # a draft is not knowledge yet
    assert still is not None and len(still.entries) == len(before.entries)

    draft.rename(knowledge_copy / "from-moderators.yaml")
    moved = load_knowledge(knowledge_copy)
    assert moved.snapshot is not None, moved.errors
    entry = moved.snapshot.by_id["moderator-abc123"]
    assert entry.citations[0].quote == "Yes, on a leash."


def test_a_draft_quotes_whole_words_and_enough_of_them() -> None:
    from bot.drafts import MAX_QUOTE, _quote_of

    assert _quote_of("Yes. Dogs must stay on a leash.") == "Yes. Dogs must stay on a leash."
    assert _quote_of("Yes, on a leash. Dogs must stay") == "Yes, on a leash."
    long = "word " * 100 + "end."
    quote = _quote_of(long)
    assert len(quote) <= MAX_QUOTE and long.startswith(quote) and quote.endswith("word")
