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


def test_saving_again_adds_nothing_twice_and_a_heading_like_reply_still_checks(
    knowledge_copy: Path,
) -> None:
    handoff = Handoff(
        "def456",
        "slack",
        "T1",
        "C1",
        "",
        "U1",
        "Where do I park?",
        0.0,
        status="answered",
        reply="## Parking: use the lot behind the hall.",
        handled_by="UMOD",
    )
    save_draft(knowledge_copy, handoff, "mod", 86_400.0)
    draft = save_draft(knowledge_copy, handoff, "mod", 3 * 86_400.0)  # a retry, days later

    source = (knowledge_copy / "sources" / "moderator-answers.md").read_text(encoding="utf-8")
    assert source.count("def456") == 1 and "Answer: ## Parking" in source
    draft.rename(knowledge_copy / "from-moderators.yaml")
    moved = load_knowledge(knowledge_copy)
    assert moved.snapshot is not None, moved.errors
    cited = moved.snapshot.by_id["moderator-def456"].citations[0]
    assert cited.section == "1970-01-02 def456" and cited.quote.startswith("## Parking")
