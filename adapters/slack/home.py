"""The App Home tab: how to ask, what the bot knows, the briefing; for moderators, the state of
the knowledge and the questions that went unanswered."""

from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import SECTION_TEXT_LIMIT, escape, fit_mrkdwn, section_block
from adapters.slack.delivery import publish_view
from adapters.slack.state import SlackState
from bot.reload_notices import reload_headline, reload_problems
from bot.reporting import build_report

__all__ = ["home_view", "publish_home"]

# The moderators' view: how far back, and how many unanswered questions it lists.
UNANSWERED_DAYS = 7
UNANSWERED_ROWS = 5


def home_view(
    state: SlackState, moderator: bool, default_briefing: str | None = None
) -> dict[str, Any]:
    """The Home tab for one user (moderators see more), showing the workspace's default
    briefing (else the knowledge's first)."""
    settings = state.settings
    ask = settings.ask_command
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Ask me"}},
        section_block(
            f"Ask with `{ask} your question`, by mentioning me in a channel, or in Messages "
            f"here. Every answer names its source; when I don't know, I say so. `{ask}` alone "
            "lists everything I can answer."
        ),
        {"type": "divider"},
    ]
    groups = state.service.topics()
    subjects = " · ".join(f"{g.name} ({len(g.topics)})" for g in groups)
    blocks.append(section_block("*What I know*\n" + fit_mrkdwn(subjects, SECTION_TEXT_LIMIT - 20)))
    briefing = state.service.briefing(default_briefing)
    if briefing is not None:
        text = f"*{briefing.title}*\n{briefing.intro}\nPost it with `{settings.briefing_command}`."
        blocks.append(section_block(fit_mrkdwn(text, SECTION_TEXT_LIMIT)))
    if moderator:
        blocks += [
            {"type": "divider"},
            {"type": "header", "text": {"type": "plain_text", "text": "For moderators"}},
            *_moderator_blocks(state),
        ]
    return {"type": "home", "blocks": blocks}


def _moderator_blocks(state: SlackState) -> list[dict[str, Any]]:
    library = state.service.library
    entries = len(library.snapshot.entries)
    status = f"Knowledge version `{library.version}`, {entries} entries."
    last = state.last_reload
    if last is not None and not last.ok:
        problems = f"{reload_headline(last)}\n{reload_problems(last)}"
        status += "\n```\n" + escape(problems)[: SECTION_TEXT_LIMIT - len(status) - 20] + "\n```"
    blocks = [section_block(status)]
    report = build_report(state.store, library, UNANSWERED_DAYS, UNANSWERED_ROWS)
    if report.unanswered:
        lines = [f"• {escape(g.question)} ({g.count}×)" for g in report.unanswered]
        blocks.append(_listed(f"*Unanswered, last {UNANSWERED_DAYS} days*", lines))
    else:
        blocks.append(section_block(f"No unanswered questions in the last {UNANSWERED_DAYS} days."))
    if report.handoffs:
        lines = [f"• {escape(h.question)}" for h in report.handoffs[:UNANSWERED_ROWS]]
        blocks.append(
            _listed(f"*Passed to the moderators, still open: {len(report.handoffs)}*", lines)
        )
    return blocks


def _listed(head: str, lines: list[str]) -> dict[str, Any]:
    """A heading and escaped lines, cut to what one section holds."""
    return section_block(f"{head}\n" + "\n".join(lines)[: SECTION_TEXT_LIMIT - len(head) - 1])


async def publish_home(
    state: SlackState, client: AsyncWebClient, user: str, workspace: str
) -> None:
    """Show the Home tab to a user who opened it (a failure is logged by the delivery)."""
    moderator = await state.is_moderator(user, workspace, client)
    default_briefing = await state.default_briefing(workspace)
    view = await state.call(home_view, state, moderator, default_briefing)
    await publish_view(client, user, view)
