"""Moderators' commands (reload, report) and the reload errors sent to moderators by DM."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import SlackMessage, notice, notice_naming, notices, topics_message
from adapters.slack.delivery import open_dm, post_message, respond_with
from adapters.slack.state import PLATFORM, SlackState
from bot.reload_notices import reload_headline, reload_problems
from bot.reporting import build_report, render_report_text
from bot.service import ReloadResult
from bot.workspace_settings import DEFAULT_BRIEFING, MODERATOR_CHANNEL, MODERATORS

__all__ = ["notify_moderator_channels", "notify_reload_errors", "refusal", "run_moderator_command"]

_log = logging.getLogger(__name__)

# The report's window when the command names none, and the longest it may name.
REPORT_DAYS = 7
MAX_REPORT_DAYS = 3650
# Rows per table of the report: enough to act on, short enough for one chat message.
REPORT_ROWS = 10
# Slack accepts at most five messages through one response_url.
RESPONSE_URL_USES = 5


def refusal(what: str) -> str:
    return (
        f"Sorry, only this bot's moderators can {what}. If you think you should be one, "
        "ask whoever runs the bot to add you."
    )


def _help(command: str, briefing: str) -> str:
    return (
        f"Moderator commands (and, for everyone, `{command} topics`: what I know):\n"
        f"• `{command} reload`: load the knowledge files again now\n"
        f"• `{command} report [days]`: unanswered questions, answers rated not helpful, "
        f"and entry use over the last days (default {REPORT_DAYS})\n"
        f"• `{command} channel help on|off`: make this channel a help channel (I answer new "
        f"messages in their thread, without an @mention, when I know the answer), or stop\n"
        f"• `{command} channel moderators on|off`: send the questions people pass to the "
        f"moderators (Ask a moderator) to this channel, or back to the default\n"
        f"• `{command} moderators add|remove @someone`, `{command} moderators list`: this "
        f"workspace's moderators\n"
        f"• `{command} briefing ID|off`: the briefing `{briefing}` alone posts here, or back "
        f"to the default"
    )


async def _respond_all(respond: AsyncRespond, messages: list[SlackMessage]) -> None:
    if len(messages) > RESPONSE_URL_USES:
        _log.warning(
            "reply cut to %d of %d messages (response_url limit)", RESPONSE_URL_USES, len(messages)
        )
    for message in messages[:RESPONSE_URL_USES]:
        await respond_with(respond, message)


def _reload_errors(result: ReloadResult) -> list[SlackMessage]:
    return [
        notice(reload_headline(result)),
        *notices(reload_problems(result), preformatted=True),
    ]


async def run_moderator_command(
    state: SlackState, client: AsyncWebClient, command: dict[str, Any], respond: AsyncRespond
) -> None:
    """The moderators' command: `reload`, `report [days]`, or help; a refusal for anyone else."""
    name = state.settings.faq_command
    user, workspace = str(command.get("user_id") or ""), str(command.get("team_id") or "")
    if str(command.get("text") or "").strip().casefold() == "topics":
        # Browsing what the bot knows is for everyone, as `/ask` alone is.
        await respond_with(respond, topics_message(await state.call(state.service.topics)))
        return
    if not await state.is_moderator(user, workspace, client):
        _log.warning("refused %s from %s in %s: not a moderator", name, user, workspace)
        await respond_with(respond, notice(refusal(f"use `{name}`")))
        return
    action, _, argument = str(command.get("text") or "").strip().partition(" ")
    action = action.casefold()
    if action == "reload":
        result = await state.call(state.service.reload)
        if result.ok:
            extra = " Pinned briefings are being updated." if result.changed else ""
            await respond_with(respond, notice(f"{reload_headline(result)}{extra}"))
        else:
            await _respond_all(respond, _reload_errors(result))
    elif action == "channel":
        await respond_with(respond, notice_naming(await _set_channel(state, command, argument)))
    elif action == "moderators":
        reply = await _manage_moderators(state, workspace, user, argument)
        await respond_with(respond, notice_naming(reply))
    elif action == "briefing":
        reply = await _set_default_briefing(state, workspace, user, argument.strip())
        await respond_with(respond, notice(reply))
    elif action == "report":
        days = REPORT_DAYS
        if argument.strip():
            days_text = argument.strip()
            if not (days_text.isascii() and days_text.isdecimal()) or not (
                1 <= int(days_text) <= MAX_REPORT_DAYS
            ):
                await respond_with(
                    respond,
                    notice(
                        f"Give the number of days as a whole number from 1 to {MAX_REPORT_DAYS}, "
                        f"e.g. `{name} report 30`."
                    ),
                )
                return
            days = int(argument)
        report = await state.call(
            build_report,
            state.store,
            state.service.library,
            days,
            REPORT_ROWS,
            None,  # now
            state.runtime.settings.knowledge.dir,
        )
        await _respond_all(respond, notices(render_report_text(report), preformatted=True))
    else:
        await respond_with(respond, notice(_help(name, state.settings.briefing_command)))


NOT_SAVED = "I could not save that (the bot's database is unavailable); try again later."


async def _set_channel(state: SlackState, command: dict[str, Any], argument: str) -> str:
    setting = " ".join(argument.casefold().split())
    name = state.settings.faq_command
    if setting not in ("help on", "help off", "moderators on", "moderators off"):
        return f"Say `{name} channel help on|off` or `{name} channel moderators on|off`."
    workspace = str(command.get("team_id") or "")
    channel = str(command.get("channel_id") or "")
    user = str(command.get("user_id") or "")
    kind, on = setting.split()[0], setting.endswith(" on")
    if kind == "moderators":
        return await _set_moderator_channel(state, workspace, channel if on else None, user)
    if not await state.call(state.store.set_help_channel, PLATFORM, workspace, channel, on, user):
        return NOT_SAVED
    state.help_channels.forget()  # read again on the next message
    _log.info(
        "channel %s is %s a help channel (set by %s)", channel, "now" if on else "no longer", user
    )
    if on:
        return (
            "This is now a help channel: I answer each new message here in its thread, "
            "without an @mention, when I know the answer, and stay quiet when I don't."
        )
    return "This is no longer a help channel: I answer here only when mentioned."


# A member as Slack writes a mention in an escaped command (<@U123|name>), or a bare id.
_MEMBER = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|\b([UW][A-Z0-9]{4,})\b")


async def _manage_moderators(state: SlackState, workspace: str, user: str, argument: str) -> str:
    """`moderators add|remove @someone` or `moderators list`, for this workspace."""
    verb, _, rest = argument.strip().partition(" ")
    verb = verb.casefold() or "list"
    listed = list(await state.workspace_moderators(workspace))
    everywhere = list(state.settings.moderators)
    if verb == "list":
        everyone = list(dict.fromkeys([*everywhere, *listed]))
        names = ", ".join(f"<@{member}>" for member in everyone) or "none yet"
        return f"Moderators in this workspace: {names}."
    members = [first or second for first, second in _MEMBER.findall(rest)]
    if verb not in ("add", "remove") or not members:
        name = state.settings.faq_command
        return (
            f"Say `{name} moderators add @someone`, `{name} moderators remove @someone` "
            f"or `{name} moderators list`."
        )
    adding = verb == "add"
    changed = await state.call(
        state.workspace_settings.change_list,
        workspace,
        MODERATORS,
        user,
        members if adding else (),
        () if adding else members,
    )
    if changed is None:
        return NOT_SAVED
    _log.info("moderators of %s: %s %s (by %s)", workspace, verb, ",".join(members), user)
    kept = [m for m in members if verb == "remove" and m in everywhere]
    note = (
        f" {', '.join(f'<@{m}>' for m in kept)} stay moderators: SLACK_MODERATORS names them."
        if kept
        else ""
    )
    done = "added" if verb == "add" else "removed"
    return f"{', '.join(f'<@{m}>' for m in members)} {done}.{note}"


async def _set_default_briefing(state: SlackState, workspace: str, user: str, argument: str) -> str:
    """`briefing ID` or `briefing off`: what a bare briefing command posts in this workspace."""
    command, name = state.settings.faq_command, state.settings.briefing_command
    if not argument:
        current = await state.default_briefing(workspace)
        chosen = f"`{current}`" if current else "not chosen"
        return (
            f"This workspace's default briefing is {chosen}. Say `{command} briefing ID` to "
            f"choose the one `{name}` alone posts, or `{command} briefing off`."
        )
    off = argument.casefold() in ("off", "none")
    if not off and state.service.known_briefing(argument) is None:
        known = ", ".join(f"`{b}`" for b, _ in state.service.briefing_titles()) or "none"
        return f"There is no briefing called `{argument}`. The knowledge has: {known}."
    value = None if off else argument
    settings = state.workspace_settings
    if not await state.call(settings.set, workspace, DEFAULT_BRIEFING, value, user):
        return NOT_SAVED
    _log.info("default briefing of %s set to %s by %s", workspace, value or "none", user)
    if off:
        return f"`{name}` alone goes back to the knowledge's own choice."
    return f"`{name}` alone now posts the `{argument}` briefing in this workspace."


async def _set_moderator_channel(
    state: SlackState, workspace: str, channel: str | None, user: str
) -> str:
    settings = state.workspace_settings
    if not await state.call(settings.set, workspace, MODERATOR_CHANNEL, channel, user):
        return NOT_SAVED
    _log.info("moderators' channel of %s set to %s by %s", workspace, channel or "default", user)
    if channel:
        return (
            "Questions people pass to the moderators (Ask a moderator) now come to this "
            "channel, with Answer and Dismiss buttons. Keep me in it."
        )
    default = state.settings.moderator_channel
    if default:
        return f"Questions passed to the moderators go to the default channel again (<#{default}>)."
    return "Questions can no longer be passed to the moderators: no channel is set."


async def notify_reload_errors(
    state: SlackState, client: AsyncWebClient, result: ReloadResult
) -> int:
    """DM each moderator the errors of a failed reload, once per distinct set of errors.

    The watcher reloads on every save, so the same mistake must not be reported again and
    again; a good reload clears the memory. Returns how many moderators were told.
    """
    if not state.reload_notices.worth_telling(result):
        return 0
    if not state.settings.moderators:
        _log.warning("knowledge reload failed, and no SLACK_MODERATORS are set to tell")
        return 0
    told = 0
    for moderator in state.settings.moderators:
        channel = await open_dm(client, moderator)
        if channel is None:
            continue
        sent = [await post_message(client, channel, m) for m in _reload_errors(result)]
        told += all(s.ok for s in sent)
    return told


async def notify_moderator_channels(
    state: SlackState, clients: list[tuple[str, AsyncWebClient]], result: ReloadResult
) -> int:
    """With many workspaces (OAuth), tell each workspace's moderators' channel the errors of a
    failed reload, once per distinct set; return how many channels were told."""
    if not state.reload_notices.worth_telling(result):
        return 0
    told = 0
    for team, client in clients:
        channel = await state.moderator_channel(team)
        if not channel:
            continue
        sent = [await post_message(client, channel, m) for m in _reload_errors(result)]
        told += all(s.ok for s in sent)
    if not told:
        _log.warning("knowledge reload failed, and no workspace has a moderators' channel to tell")
    return told
