"""The SQL of the question and feedback log: write a question or a rating, purge, summarise."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.answers import Outcome
from bot.store.dialect import Sql
from bot.store.models import EntryFeedback, EntryUse

__all__ = [
    "RECEIVED",
    "FeedbackRow",
    "QuestionRow",
    "delete_received",
    "entry_use",
    "insert_feedback",
    "insert_question",
    "most_unhelpful",
    "purge_before",
    "received_at",
    "unanswered_texts",
]

# A report reads at most this many unanswered questions, newest first: it bounds the time and
# memory of grouping them, and a busy month of a large server still fits.
MAX_UNANSWERED_ROWS = 50_000
# The outcome of a question logged when it came in, before the bot answered it: it stays so
# (an unanswered question in reports) if the process is killed before it answers.
RECEIVED = "received"
# Outcomes that count as a use of their best-matching entry: it was given, or offered first.
_USE_OUTCOMES = (Outcome.ANSWERED.value, Outcome.DID_YOU_MEAN.value)


@dataclass(frozen=True)
class QuestionRow:
    asked_at: float
    platform: str
    workspace: str
    channel: str
    user_hash: str | None
    text: str | None
    entry_id: str | None
    confidence: float
    answered: bool
    outcome: str
    answer_id: str | None
    knowledge_version: str
    delivery: str | None = None
    more_entries: tuple[str, ...] = ()  # the entries that answered its other questions
    unanswered_parts: tuple[str, ...] = ()  # its questions the reply did not answer


@dataclass(frozen=True)
class FeedbackRow:
    rated_at: float
    answer_id: str
    user_hash: str | None
    helpful: bool


def meta_int(conn: Sql, key: str) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return int(row[0]) if row else 0


def add_to_meta_int(conn: Sql, key: str, amount: int) -> None:
    conn.execute(
        """INSERT INTO meta (key, value) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET value =
               CAST(CAST(meta.value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT)""",
        (key, str(amount)),
    )


def insert_question(conn: Sql, row: QuestionRow) -> None:
    """Store one question; logging the same answer twice keeps the first. A question whose
    delivery was logged as received replaces that row (keeping when it was asked)."""
    values = (
        row.asked_at,
        row.platform,
        row.workspace,
        row.channel,
        row.user_hash,
        row.text,
        row.entry_id,
        row.confidence,
        int(row.answered),
        row.outcome,
        row.answer_id,
        row.knowledge_version,
        row.delivery,
        " ".join(row.more_entries),
        json.dumps(list(row.unanswered_parts), ensure_ascii=False) if row.unanswered_parts else "",
    )
    columns = """asked_at, platform, workspace, channel, user_hash, text, entry_id, confidence,
        answered, outcome, answer_id, knowledge_version, delivery, more_entries,
        unanswered_parts"""
    if row.delivery is None:
        conn.execute(
            f"INSERT INTO questions ({columns}) VALUES ({', '.join('?' * len(values))}) "
            "ON CONFLICT DO NOTHING",
            values,
        )
        return
    conn.execute(
        f"""INSERT INTO questions ({columns}) VALUES ({", ".join("?" * len(values))})
            ON CONFLICT (delivery) DO UPDATE SET
                text = excluded.text, entry_id = excluded.entry_id,
                confidence = excluded.confidence, answered = excluded.answered,
                outcome = excluded.outcome, answer_id = excluded.answer_id,
                knowledge_version = excluded.knowledge_version,
                more_entries = excluded.more_entries,
                unanswered_parts = excluded.unanswered_parts
            WHERE questions.outcome = ?""",
        (*values, RECEIVED),
    )


def received_at(conn: Sql, delivery: str) -> float | None:
    row = conn.execute(
        "SELECT asked_at FROM questions WHERE delivery = ? AND outcome = ?", (delivery, RECEIVED)
    ).fetchone()
    return None if row is None else float(row[0])


def delete_received(conn: Sql, delivery: str) -> None:
    conn.execute("DELETE FROM questions WHERE delivery = ? AND outcome = ?", (delivery, RECEIVED))


def insert_feedback(conn: Sql, row: FeedbackRow) -> bool:
    """Store a rating of a logged answer, replacing the same user's earlier one.

    The rating is tied to the entry that answered, and to each entry that answered one of
    the message's other questions (one rated reply held all their answers); a rating of a
    reply that answered nothing is kept without an entry. False when the answer is not in
    the log.
    """
    found = conn.execute(
        "SELECT entry_id, answered, more_entries FROM questions WHERE answer_id = ?",
        (row.answer_id,),
    ).fetchone()
    if found is None:
        return False
    entry_id, answered, more = found
    entries = [entry_id, *str(more or "").split()] if answered else [None]
    with conn.transaction():
        conn.execute(
            "DELETE FROM feedback WHERE answer_id = ? AND coalesce(user_hash, '') = ?",
            (row.answer_id, row.user_hash or ""),
        )
        for entry in entries:
            conn.execute(
                """INSERT INTO feedback (rated_at, answer_id, entry_id, user_hash, helpful)
                   VALUES (?, ?, ?, ?, ?)""",
                (row.rated_at, row.answer_id, entry, row.user_hash, int(row.helpful)),
            )
    return True


def purge_before(conn: Sql, cutoff: float) -> int:
    """Delete questions and ratings older than cutoff (in the caller's transaction); return
    how many rows went."""
    questions = conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount
    ratings = conn.execute("DELETE FROM feedback WHERE rated_at < ?", (cutoff,)).rowcount
    return questions + ratings


def unanswered_texts(conn: Sql, since: float) -> list[tuple[str, float]]:
    """(text, asked_at) of questions the bot did not answer, newest first: whole messages,
    and the questions of an answered message that its reply left unanswered.

    Blank or small-talk questions (outcome "empty") and questions logged without their text
    are left out: there is nothing in them for a moderator to add.
    """
    rows = conn.execute(
        """SELECT text, asked_at, answered, unanswered_parts FROM questions
           WHERE asked_at >= ? AND outcome != ? AND text IS NOT NULL
               AND (answered = 0 OR unanswered_parts != '')
           ORDER BY asked_at DESC LIMIT ?""",
        (since, Outcome.EMPTY.value, MAX_UNANSWERED_ROWS),
    ).fetchall()
    texts: list[tuple[str, float]] = []
    for text, asked_at, answered, parts in rows:
        if not answered:
            texts.append((str(text), float(asked_at)))
        elif parts:
            texts += [(str(part), float(asked_at)) for part in json.loads(parts)]
    return texts


def unanswered_without_text(conn: Sql, since: float) -> int:
    """How many questions since then went unanswered with their words not logged
    (STORE_LOG_QUESTION_TEXT=false): the report can count them, not show them."""
    row = conn.execute(
        """SELECT COUNT(*) FROM questions
           WHERE asked_at >= ? AND answered = 0 AND outcome NOT IN (?, ?) AND text IS NULL""",
        (since, Outcome.EMPTY.value, RECEIVED),
    ).fetchone()
    return int(row[0]) if row else 0


def most_unhelpful(conn: Sql, since: float, limit: int) -> list[EntryFeedback]:
    """Entries with at least one "not helpful" rating, the most such ratings first."""
    rows = conn.execute(
        """SELECT entry_id, SUM(helpful) AS yes, SUM(1 - helpful) AS no FROM feedback
           WHERE rated_at >= ? AND entry_id IS NOT NULL
           GROUP BY entry_id HAVING SUM(1 - helpful) > 0
           ORDER BY no DESC, yes ASC, entry_id LIMIT ?""",
        (since, limit),
    ).fetchall()
    return [EntryFeedback(str(entry), int(yes), int(no)) for entry, yes, no in rows]


def entry_use(conn: Sql, since: float, limit: int) -> list[EntryUse]:
    """Per entry: questions it matched best (answered, or offered first), how many it answered.

    A "did you mean" that the asker then picks counts twice (offered, then answered): both
    are uses of the entry, and the gap between asked and answered shows its weak phrasings.
    An entry that answered one of a message's other questions was asked and answered too.
    """
    rows = conn.execute(
        """SELECT entry_id, COUNT(*) AS asked, SUM(answered) AS answered FROM questions
           WHERE asked_at >= ? AND entry_id IS NOT NULL AND outcome IN (?, ?)
           GROUP BY entry_id""",
        (since, *_USE_OUTCOMES),
    ).fetchall()
    use = {str(entry): [int(asked), int(answered)] for entry, asked, answered in rows}
    more = conn.execute(
        "SELECT more_entries FROM questions WHERE asked_at >= ? AND more_entries != ''",
        (since,),
    ).fetchall()
    for (entries,) in more:
        for entry in str(entries).split():
            counts = use.setdefault(entry, [0, 0])
            counts[0] += 1
            counts[1] += 1
    ranked = sorted(use.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [EntryUse(entry, asked, answered) for entry, (asked, answered) in ranked[:limit]]
