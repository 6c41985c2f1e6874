"""Block Kit for answers, briefings and notices: escaped, and fitted to Slack's message limits."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.answers import Answer, Citation, Suggestion
from bot.briefings import BriefingView
from bot.textfit import shorten, split_text
from bot.topics import TopicGroup

__all__ = [
    "ACTION_ASK_MODERATOR",
    "ACTION_HANDOFF_ANSWER",
    "ACTION_HANDOFF_DISMISS",
    "ACTION_HANDOFF_DRAFT",
    "ACTION_HELPFUL",
    "ACTION_NOT_HELPFUL",
    "ACTION_PIN",
    "ACTION_SHARE",
    "ACTION_SUGGESTION",
    "ACTION_TOPIC",
    "BUTTON_TEXT_LIMIT",
    "HANDOFF_FORM",
    "HANDOFF_REPLY",
    "HEADER_TEXT_LIMIT",
    "MAX_BLOCKS",
    "MESSAGE_TEXT_LIMIT",
    "SECTION_TEXT_LIMIT",
    "SlackMessage",
    "answer_message",
    "ask_moderator_message",
    "briefing_message",
    "escape",
    "fit_mrkdwn",
    "handoff_form",
    "handoff_notice",
    "mrkdwn_pieces",
    "notice",
    "notices",
    "section_block",
    "topics_message",
]

_log = logging.getLogger(__name__)

# Slack's limits: docs.slack.dev/reference/block-kit/blocks (and /block-elements/button-element,
# /composition-objects/text-object), docs.slack.dev/reference/methods/chat.postMessage.
SECTION_TEXT_LIMIT = 3000  # section block text, and any text object in a context block
MAX_BLOCKS = 50  # blocks in one message
MESSAGE_TEXT_LIMIT = 40_000  # chat.postMessage `text`; longer is msg_too_long
HEADER_TEXT_LIMIT = 150  # header block text
BUTTON_TEXT_LIMIT = 75  # a button's label
ACTIONS_ELEMENTS_LIMIT = 25  # buttons in one actions block
CONTEXT_ELEMENTS_LIMIT = 10  # text elements in one context block

# Our own choices within those limits.
FALLBACK_TEXT_LIMIT = 3000  # the notification / screen-reader text: a preview, not the message
NAME_LIMIT = 200  # a source title or section heading is cut beyond this
MAX_SOURCES = CONTEXT_ELEMENTS_LIMIT  # more sources than this would bury the answer
MAX_QUOTES_PER_SOURCE = 8  # entries cite one to four passages; this keeps each readable
MAX_ESCAPE_GROWTH = len("&amp;")  # one character becomes at most this many when escaped
PREFORMATTED_FENCE = "```"

ACTION_HELPFUL = "faq_feedback_helpful"
ACTION_NOT_HELPFUL = "faq_feedback_not_helpful"
ACTION_SHARE = "faq_share_answer"
ACTION_PIN = "faq_pin_briefing"
# Suggestion buttons share one message, where action ids must be unique: this plus an index.
ACTION_SUGGESTION = "faq_suggestion"
ACTION_TOPIC = "faq_topic"  # a question picked from the topics list: faq_topic_<n>
ACTION_ASK_MODERATOR = "faq_ask_moderator"
ACTION_HANDOFF_ANSWER = "faq_handoff_answer"
ACTION_HANDOFF_DISMISS = "faq_handoff_dismiss"
ACTION_HANDOFF_DRAFT = "faq_handoff_draft"
HANDOFF_FORM = "faq_handoff_form"  # the callback_id of the moderators' answer form
HANDOFF_REPLY = "reply"  # its text input
BUTTON_VALUE_LIMIT = 2000
OPTION_TEXT_LIMIT = 75  # a select menu option's text
MAX_OPTIONS = 100  # options in one select menu

Block = dict[str, Any]


@dataclass(frozen=True)
class SlackMessage:
    """What chat.postMessage, chat.update and response_url take: fallback text and blocks."""

    text: str
    blocks: tuple[Block, ...] = ()

    def fields(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": list(self.blocks)}


# "@here" typed as plain text: a word joiner after the "@" keeps Slack from ever reading it
# as the mention (where a message is parsed, as a shared slash-command answer may be).
_PLAIN_MASS_MENTION = re.compile(r"(?<!\w)@(?=(?:here|channel|everyone)\b)", re.IGNORECASE)


def escape(text: str) -> str:
    """Escape Slack's control characters, so no text can mention, link or ping anyone."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _PLAIN_MASS_MENTION.sub("@\u2060", escaped) if "@" in escaped else escaped


def _raw_limit(raw: str, limit: int) -> int:
    """How much raw text still fits in limit once escaped.

    Any part of the text grows by at most what the whole text grows by, so cutting the raw
    text that much shorter guarantees that every escaped piece fits.
    """
    growth = len(escape(raw)) - len(raw)
    return max(limit - growth, limit // MAX_ESCAPE_GROWTH, 1)


def fit_mrkdwn(raw: str, limit: int) -> str:
    """Raw text escaped and, when it would not fit in limit characters, shortened with '…'."""
    return escape(shorten(raw, _raw_limit(raw, limit)))


def mrkdwn_pieces(raw: str, limit: int, max_pieces: int | None = None) -> list[str]:
    """Raw text escaped and split into pieces of at most limit characters.

    With max_pieces, the pieces past it are dropped and the last one kept ends with '…'.
    """
    pieces = split_text(raw, _raw_limit(raw, limit))
    if max_pieces is not None and len(pieces) > max_pieces:
        pieces = pieces[: max(max_pieces, 1)]
        last = pieces[-1]
        pieces[-1] = shorten(last, max(len(last) - 1, 1))
    return [escape(piece) for piece in pieces]


def section_block(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def _context(*mrkdwn: str) -> Block:
    elements = [{"type": "mrkdwn", "text": text} for text in mrkdwn[:CONTEXT_ELEMENTS_LIMIT]]
    return {"type": "context", "elements": elements}


def _button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    # plain_text is never parsed for mentions or links, so labels need no escaping.
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": shorten(label, BUTTON_TEXT_LIMIT), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style is not None:
        button["style"] = style
    return button


def _actions(buttons: Sequence[Block]) -> Block:
    return {"type": "actions", "elements": list(buttons[:ACTIONS_ELEMENTS_LIMIT])}


def _sources_texts(citations: Sequence[Citation]) -> list[str]:
    """One text per cited source: its title, then each cited section with its quote."""
    by_source: dict[str, list[Citation]] = {}
    for citation in citations:
        by_source.setdefault(citation.source_title, []).append(citation)
    texts = []
    for title, cited in list(by_source.items())[:MAX_SOURCES]:
        cited = cited[:MAX_QUOTES_PER_SOURCE]
        head = f"*Source:* {fit_mrkdwn(title, NAME_LIMIT)}"
        # Each line gets an equal share of what is left; quotes are short, this rarely cuts.
        line_limit = (SECTION_TEXT_LIMIT - len(head)) // len(cited) - len("\n: “”")
        lines = []
        for citation in cited:
            section = fit_mrkdwn(citation.section, min(NAME_LIMIT, line_limit // 3))
            lines.append(f"{section}: “{fit_mrkdwn(citation.quote, line_limit - len(section))}”")
        texts.append("\n".join([head, *lines]))
    return texts


def _suggestion_buttons(suggestions: Sequence[Suggestion]) -> list[Block]:
    return [
        _button(s.question, f"{ACTION_SUGGESTION}_{n}", s.entry_id)
        for n, s in enumerate(suggestions[:ACTIONS_ELEMENTS_LIMIT])
    ]


def _fallback(raw: str) -> str:
    return fit_mrkdwn(" ".join(raw.split()), FALLBACK_TEXT_LIMIT)


def answer_message(
    answer: Answer,
    *,
    feedback: bool,
    share: bool = False,
    question: str | None = None,
    ask_moderator: bool = False,
) -> SlackMessage:
    """An answer with its citations, or the did-you-mean choices when the core abstained.

    Args:
        answer: the core's answer.
        feedback: offer Helpful / Not helpful buttons (answered only).
        share: offer "Share in channel" (answered only; for a reply only the asker sees).
        question: echo the question above the answer (when Slack does not show it).
        ask_moderator: offer "Ask a moderator" (when the bot did not answer).
    """
    head: list[Block] = []
    if question is not None:
        prefix = "*Question:* "
        head.append(_context(prefix + fit_mrkdwn(question, SECTION_TEXT_LIMIT - len(prefix))))
    tail: list[Block] = []
    if answer.answered:
        tail.extend(_context(text) for text in _sources_texts(answer.citations))
        if answer.suggestions:
            tail.append(_context("*Related questions:*"))
            tail.append(_actions(_suggestion_buttons(answer.suggestions)))
        buttons = []
        if feedback:
            buttons.append(_button("👍 Helpful", ACTION_HELPFUL, answer.answer_id))
            buttons.append(_button("👎 Not helpful", ACTION_NOT_HELPFUL, answer.answer_id))
        if share:
            buttons.append(_button("Share in channel", ACTION_SHARE, answer.answer_id, "primary"))
        if buttons:
            tail.append(_actions(buttons))
    elif answer.suggestions:
        tail.append(_actions(_suggestion_buttons(answer.suggestions)))
    if ask_moderator and not answer.answered:
        tail.append(_ask_moderator_buttons(answer.question))
    room = MAX_BLOCKS - len(head) - len(tail)
    lead = [section_block(p) for p in mrkdwn_pieces(answer.message, SECTION_TEXT_LIMIT, room)]
    fallback = answer.message
    if answer.answered and answer.citations:
        first = answer.citations[0]
        fallback += f" (Source: {first.source_title}, {first.section})"
    return SlackMessage(_fallback(fallback), (*head, *lead, *tail))


def briefing_message(view: BriefingView, *, pinnable: bool) -> SlackMessage:
    """A briefing: title, intro, then each fact with its sources; a Pin button if pinnable."""
    head: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": shorten(view.title, HEADER_TEXT_LIMIT)},
        }
    ]
    if view.intro:
        head.append(section_block(fit_mrkdwn(view.intro, SECTION_TEXT_LIMIT)))
    foot: list[Block] = [_context(f"Knowledge version {escape(view.knowledge_version)}")]
    if pinnable:
        foot.append(_actions([_button("📌 Pin this briefing", ACTION_PIN, view.id)]))
    room = MAX_BLOCKS - len(head) - len(foot)
    items = list(view.items)
    if 2 * len(items) > room:
        # Two blocks per fact; keep one block free to say how many were left out.
        shown = (room - 1) // 2
        left_out = len(items) - shown
        items = items[:shown]
        _log.warning(
            "briefing %r has more facts than one message holds; %d not shown", view.id, left_out
        )
    body: list[Block] = []
    for number, item in enumerate(items, start=1):
        title = f"*{number}. {fit_mrkdwn(item.question, NAME_LIMIT)}*\n"
        body.append(section_block(title + fit_mrkdwn(item.answer, SECTION_TEXT_LIMIT - len(title))))
        if item.citations:
            body.append(_context(*_sources_texts(item.citations)))
    if len(items) < len(view.items):
        body.append(_context(f"…and {len(view.items) - len(items)} more: ask me about them."))
    return SlackMessage(_fallback(f"{view.title}: {view.intro}"), (*head, *body, *foot))


def notice(text: str) -> SlackMessage:
    """A short message of our own: escaped (our texts use * and ` for formatting only)."""
    pieces = mrkdwn_pieces(text, SECTION_TEXT_LIMIT, MAX_BLOCKS)
    return SlackMessage(_fallback(text), tuple(section_block(p) for p in pieces))


# A member or channel our own reply names (<@U…>, <#C…>), as escaping writes it.
_OWN_NAMING = re.compile(r"&lt;([@#][UWC][A-Z0-9]{2,})&gt;")


def notice_naming(text: str) -> SlackMessage:
    """A short message of our own that names members or channels by id ("<@U123>" from
    Slack's own mention of them): those stay names Slack shows, everything else is escaped
    as in `notice`. Never for text a person typed: a typed "<@U123>" would become a ping."""
    pieces = mrkdwn_pieces(text, SECTION_TEXT_LIMIT, MAX_BLOCKS)
    named = tuple(section_block(_OWN_NAMING.sub(r"<\1>", piece)) for piece in pieces)
    return SlackMessage(_fallback(text), named)


def notices(text: str, *, preformatted: bool = False) -> list[SlackMessage]:
    """A long text (a report, a list of errors) in as many messages as it takes."""
    fences = 2 * len(PREFORMATTED_FENCE) + 2 if preformatted else 0
    pieces = mrkdwn_pieces(text, SECTION_TEXT_LIMIT - fences)
    if preformatted:
        pieces = [f"{PREFORMATTED_FENCE}\n{p}\n{PREFORMATTED_FENCE}" for p in pieces]
    messages = []
    for start in range(0, len(pieces), MAX_BLOCKS):
        chunk = pieces[start : start + MAX_BLOCKS]
        messages.append(SlackMessage(_fallback(text), tuple(section_block(p) for p in chunk)))
    return messages


def topics_message(groups: Sequence[TopicGroup]) -> SlackMessage:
    """What the bot knows: one line per subject, with a menu of its questions to pick from.

    A subject with more questions than a menu holds gets several lines; lines past what one
    message holds share the last menu (as many questions as it holds).
    """
    intro = "Here is what I can answer. Pick a question, or ask in your own words."
    lines: list[tuple[str, tuple[Suggestion, ...]]] = []
    for group in groups:
        topics = group.topics
        parts = [topics[i : i + MAX_OPTIONS] for i in range(0, len(topics), MAX_OPTIONS)]
        for number, part in enumerate(parts, start=1):
            lines.append((group.name if len(parts) == 1 else f"{group.name} {number}", part))
    room = MAX_BLOCKS - 1
    if len(lines) > room:
        rest = tuple(t for _, part in lines[room - 1 :] for t in part)
        lines = [*lines[: room - 1], ("more subjects", rest[:MAX_OPTIONS])]
    blocks = [section_block(escape(intro))]
    for number, (name, topics) in enumerate(lines):
        options = [
            {
                "text": {"type": "plain_text", "text": shorten(t.question, OPTION_TEXT_LIMIT)},
                "value": t.entry_id,
            }
            for t in topics
        ]
        section = section_block(f"*{fit_mrkdwn(name, NAME_LIMIT)}* ({len(topics)})")
        section["accessory"] = {
            "type": "static_select",
            "action_id": f"{ACTION_TOPIC}_{number}",
            "placeholder": {"type": "plain_text", "text": "Pick a question"},
            "options": options,
        }
        blocks.append(section)
    return SlackMessage(intro, tuple(blocks))


def handoff_notice(
    text: str,
    handoff_id: str,
    state_line: str | None = None,
    *,
    draft: bool = False,
    where: str = "",
) -> SlackMessage:
    """The moderators' message about a hand-off: with Answer / Dismiss while it is open, and
    a line saying who handled it once it is not (with, after an answer, `draft`, a button
    that saves the answer as a draft entry). `text` is raw and escaped here; `where` (who
    asked, and where) is mrkdwn the caller made safe."""
    blocks: list[Block] = [section_block(p) for p in mrkdwn_pieces(text, SECTION_TEXT_LIMIT, 40)]
    if where:
        blocks.append(_context(where))
    if draft:
        blocks.append(
            _actions([_button("Save as a draft entry", ACTION_HANDOFF_DRAFT, handoff_id)])
        )
    if state_line is None:
        blocks.append(
            _actions(
                [
                    _button("Answer", ACTION_HANDOFF_ANSWER, handoff_id, "primary"),
                    _button("Dismiss", ACTION_HANDOFF_DISMISS, handoff_id),
                ]
            )
        )
    else:
        blocks.append(_context(fit_mrkdwn(state_line, SECTION_TEXT_LIMIT)))
    return SlackMessage(_fallback(text), tuple(blocks))


def handoff_form(handoff_id: str, question: str) -> dict[str, Any]:
    """The moderators' answer form (a modal)."""
    return {
        "type": "modal",
        "callback_id": HANDOFF_FORM,
        "private_metadata": handoff_id,
        "title": {"type": "plain_text", "text": "Answer the question"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section_block(fit_mrkdwn(question, SECTION_TEXT_LIMIT)),
            {
                "type": "input",
                "block_id": HANDOFF_REPLY,
                "label": {"type": "plain_text", "text": "Your answer"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": HANDOFF_REPLY,
                    "multiline": True,
                    "max_length": 2900,
                },
            },
        ],
    }


def _ask_moderator_buttons(question: str) -> Block:
    value = shorten(question, BUTTON_VALUE_LIMIT)
    return _actions([_button("Ask a moderator", ACTION_ASK_MODERATOR, value)])


def ask_moderator_message(text: str, question: str) -> SlackMessage:
    """A short note of our own with "Ask a moderator" for that question."""
    blocks = (*notice(text).blocks, _ask_moderator_buttons(question))
    return SlackMessage(_fallback(text), blocks)
