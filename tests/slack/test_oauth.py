"""Many workspaces through OAuth, end to end over HTTP: each installs the app with "Add to
Slack", is answered with its own bot token, and stops being answered once it uninstalls."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest

from config import Settings
from tests.slack.conftest import (
    RunningBot,
    make_settings,
    mention_event,
    running_http_bot,
)
from tests.slack.fake_slack import FakeSlack, installer_of

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "0123456789abcdef0123456789abcdef"
QUESTION = "when did canada cut ties with iran"


def oauth_settings(tmp_path: Path, knowledge: Path, fake: FakeSlack, **slack: Any) -> Settings:
    """Installed per workspace: a client id and secret, no bot token."""
    values = {"bot_token": None, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **slack}
    return make_settings(tmp_path, knowledge, fake, **values)


@pytest.fixture
async def oauth_bot(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> AsyncIterator[RunningBot]:
    settings = oauth_settings(tmp_path, knowledge_copy, fake_slack)
    async with running_http_bot(settings, fake_slack) as running:
        yield running


async def install(
    bot: RunningBot, team_id: str, redirect_to: RunningBot | None = None
) -> tuple[int, str]:
    """A workspace admin's "Add to Slack": the install page, then Slack's redirect back (to
    another replica, with redirect_to)."""
    async with aiohttp.ClientSession() as browser:
        async with browser.get(bot.base_url + "/slack/install", allow_redirects=False) as page:
            html = await page.text()
            cookie = page.headers.get("Set-Cookie", "").split(";")[0]
        [state] = re.findall(r"state=([\w-]+)", html)[:1]
        assert "client_id=" in html
        query = urlencode({"code": bot.fake.install_code(team_id), "state": state})
        back = (redirect_to or bot).base_url
        async with browser.get(
            f"{back}/slack/oauth_redirect?{query}", headers={"Cookie": cookie}
        ) as done:
            return done.status, state


async def mention_from(bot: RunningBot, team_id: str, ts: str) -> int:
    body = json.loads(bot.sender.event_body(mention_event(ts, QUESTION)))
    body["team_id"] = team_id
    body["authorizations"][0]["team_id"] = team_id
    text = json.dumps(body)
    status, _ = await bot.sender.post(text, "application/json", bot.sender.headers(text))
    return status


def tokens_used_in_thread(bot: RunningBot, ts: str) -> list[str | None]:
    return [c.token for c in bot.fake.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]


async def test_each_workspace_installs_and_is_answered_with_its_own_token(
    oauth_bot: RunningBot,
) -> None:
    bot, fake = oauth_bot, oauth_bot.fake
    assert (await install(bot, "T0ALPHA"))[0] == 200
    assert (await install(bot, "T0BETA"))[0] == 200
    issued = {team: token for token, team in fake.issued_tokens.items()}
    assert set(issued) == {"T0ALPHA", "T0BETA"}
    # Kept in the store, where every replica finds them.
    assert {team for _, team in bot.runtime.store.installed_teams()} == {"T0ALPHA", "T0BETA"}

    alpha, beta = bot.sender.message_ts(), bot.sender.message_ts()
    assert await mention_from(bot, "T0ALPHA", alpha) == 200
    assert await mention_from(bot, "T0BETA", beta) == 200
    await fake.wait_for(
        lambda: tokens_used_in_thread(bot, alpha) and tokens_used_in_thread(bot, beta)
    )
    assert tokens_used_in_thread(bot, alpha) == [issued["T0ALPHA"]]
    assert tokens_used_in_thread(bot, beta) == [issued["T0BETA"]]

    # Beta uninstalls the app: Slack says so with app_uninstalled, and revokes its token.
    uninstalled = {"type": "app_uninstalled"}
    body = json.loads(bot.sender.event_body(uninstalled))
    body["team_id"] = "T0BETA"
    body["authorizations"][0]["team_id"] = "T0BETA"
    text = json.dumps(body)
    assert (await bot.sender.post(text, "application/json", bot.sender.headers(text)))[0] == 200
    await fake.wait_for(
        lambda: {team for _, team in bot.runtime.store.installed_teams()} == {"T0ALPHA"}
    )
    fake.revoke("T0BETA")

    after_alpha, after_beta = bot.sender.message_ts(), bot.sender.message_ts()
    await mention_from(bot, "T0BETA", after_beta)
    await mention_from(bot, "T0ALPHA", after_alpha)
    await fake.wait_for(lambda: tokens_used_in_thread(bot, after_alpha))
    assert tokens_used_in_thread(bot, after_alpha) == [issued["T0ALPHA"]]
    assert tokens_used_in_thread(bot, after_beta) == []  # not answered, nor tried


async def test_an_install_link_works_once_and_a_forged_redirect_installs_nothing(
    oauth_bot: RunningBot,
) -> None:
    bot = oauth_bot
    status, state = await install(bot, "T0ALPHA")
    assert status == 200
    async with aiohttp.ClientSession() as browser:
        replayed = urlencode({"code": bot.fake.install_code("T0EVIL"), "state": state})
        async with browser.get(f"{bot.base_url}/slack/oauth_redirect?{replayed}") as again:
            assert again.status != 200
        forged = urlencode({"code": bot.fake.install_code("T0EVIL"), "state": "made-up"})
        async with browser.get(f"{bot.base_url}/slack/oauth_redirect?{forged}") as made_up:
            assert made_up.status != 200
    assert {team for _, team in bot.runtime.store.installed_teams()} == {"T0ALPHA"}


async def test_oauth_needs_http_mode_and_a_well_formed_secret(
    tmp_path: Path, knowledge_copy: Path, fake_slack: FakeSlack
) -> None:
    from adapters.slack.credentials import read_credentials
    from config import SettingsError

    settings = oauth_settings(
        tmp_path,
        knowledge_copy,
        fake_slack,
        client_secret="not-hex",
        mode="socket",
        app_token="xapp-1-A-1-secret",
    )
    with pytest.raises(SettingsError) as raised:
        read_credentials(settings.slack)
    assert "SLACK_CLIENT_SECRET is malformed" in str(raised.value)
    assert "SLACK_MODE=http" in str(raised.value) and "not-hex" not in str(raised.value)


async def test_knowledge_errors_reach_each_installed_workspaces_moderators_channel(
    oauth_bot: RunningBot,
) -> None:
    bot, fake = oauth_bot, oauth_bot.fake
    await install(bot, "T0ALPHA")
    await install(bot, "T0BETA")  # sets no moderators' channel: nobody there to tell
    bot.runtime.store.set_workspace_setting("slack", "T0ALPHA", "moderator_channel", "C0MODS")
    knowledge = Path(bot.runtime.settings.knowledge.dir)
    (knowledge / "broken.yaml").write_text("entries:\n  - id: Bad Id\n    question: x\n")

    result = await asyncio.to_thread(bot.runtime.service.reload)

    assert not result.ok
    posts = await fake.wait_for(lambda: fake.posts(channel="C0MODS"))
    assert "NOT reloaded" in json.dumps(posts[0])
    [token] = {c.token for c in fake.calls_to("chat.postMessage")}
    assert fake.issued_tokens[token or ""] == "T0ALPHA"


async def faq(bot: RunningBot, team_id: str, user: str, text: str) -> str:
    """The moderators' command, typed in a workspace; the reply's text."""
    body, key = bot.sender.command_body(text, command="/faq", user=user)
    fields = dict(parse_qsl(body))
    fields["team_id"] = team_id
    form = urlencode(fields)
    await bot.sender.post(form, "application/x-www-form-urlencoded", bot.sender.headers(form))
    [reply] = await bot.fake.wait_for(lambda: bot.fake.responses_to(key))
    return json.dumps(reply)


async def test_whoever_installs_names_the_workspaces_moderators(oauth_bot: RunningBot) -> None:
    bot = oauth_bot
    await install(bot, "T0ALPHA")
    await install(bot, "T0BETA")
    admin = installer_of("T0ALPHA")

    assert "added" in await faq(bot, "T0ALPHA", admin, "moderators add <@U0NEWMOD|newmod>")
    listed = await faq(bot, "T0ALPHA", "U0NEWMOD", "moderators list")
    assert "U0NEWMOD" in listed and admin in listed
    # A moderator of one workspace is nobody in another, and a member cannot name themselves.
    assert "only this bot's moderators" in await faq(bot, "T0BETA", "U0NEWMOD", "report")
    refused = await faq(bot, "T0ALPHA", "U0STRANGER", "moderators add <@U0STRANGER>")
    assert "only this bot's moderators" in refused
    assert "removed" in await faq(bot, "T0ALPHA", admin, "moderators remove <@U0NEWMOD>")
    assert "only this bot's moderators" in await faq(bot, "T0ALPHA", "U0NEWMOD", "report")


async def test_a_workspace_admin_moderates_there_without_being_named(
    oauth_bot: RunningBot,
) -> None:
    bot, fake = oauth_bot, oauth_bot.fake
    await install(bot, "T0ALPHA")
    await install(bot, "T0BETA")
    fake.admins.add("U0BETAADMIN")  # an admin of beta, who did not install the app

    assert "added" in await faq(bot, "T0BETA", "U0BETAADMIN", "moderators add <@U0HELPER>")
    assert "only this bot's moderators" in await faq(bot, "T0BETA", "U0MEMBER", "report")
    [asked, *_] = [c for c in fake.calls_to("users.info") if c.args["user"] == "U0BETAADMIN"]
    assert fake.issued_tokens[asked.token or ""] == "T0BETA"  # asked with beta's own token

    asked_before = len(fake.calls_to("users.info"))
    assert "Moderators in this workspace" in await faq(bot, "T0BETA", "U0BETAADMIN", "moderators")
    assert len(fake.calls_to("users.info")) == asked_before  # Slack's answer is remembered

    # An app installed before it asked for users:read cannot tell: the member is refused.
    fake.admins.add("U0LATEADMIN")
    fake.fail("users.info", "missing_scope")
    assert "only this bot's moderators" in await faq(bot, "T0BETA", "U0LATEADMIN", "report")
