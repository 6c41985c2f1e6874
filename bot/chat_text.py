"""What a chat message carries around its question that the adapters take off before asking:
the spacing the platform's markup leaves, and the bot's own name when someone writes it as
plain text ("hey faqbot, when…", "thanks faqbot") instead of a mention."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.search.language import english, one_of

__all__ = ["MAX_NAME_CHARS", "squeezed_lines", "without_own_name"]

# A name longer than this is no name anyone types to address the bot.
MAX_NAME_CHARS = 40

# Words that may come before the bot's name when someone addresses it: "hey faqbot", "ok so
# faqbot".
_CALLS = r"hey|hi|hello|heya|hiya|howdy|yo|oi|ok|okay|so|and|but|um|well|dear|thanks|thx|ty"
# The bot asked as "you" ("faqbot can you…", "faqbot did u…").
_YOU = r"you|u|ya"
# Words that may come before the bot's name at the end of a message: "thanks faqbot".
_THANKS = r"thanks|thank\s+you|thx|ty|cheers|please|pls|plz"


def squeezed_lines(text: str) -> str:
    """Runs of spaces made one, blank lines dropped, and the line breaks kept: a line break
    ends a sentence in chat ("hey all" / "when does it start" / "thanks")."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def without_own_name(text: str, names: Iterable[str]) -> str:
    """The message without the bot's own name where it addresses the bot: first in the message
    (after a greeting, or before a comma or a question), or last (after a comma or a thanks).
    Elsewhere the name is left alone: a bot named after its project is asked about it."""
    pattern = _address_pattern(
        tuple(sorted({n.strip() for n in names if n.strip() and len(n) <= MAX_NAME_CHARS}))
    )
    if pattern is None:
        return text
    leading, trailing = pattern
    text = leading.sub(lambda m: m["calls"], text, count=1)
    return trailing.sub(_keep_thanks, text, count=1).strip()


def _keep_thanks(found: re.Match[str]) -> str:
    thanks = found["thanks"]
    return (thanks if thanks != "," else "") + found["end"]


@lru_cache(maxsize=32)
def _address_pattern(names: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    if not names:
        return None
    # Longest first, so that "FAQ Bot" is taken whole before "FAQ"; spaces as any spacing.
    alternatives = (
        r"\s+".join(map(re.escape, name.split())) for name in sorted(names, key=len, reverse=True)
    )
    name = r"@?(?:" + "|".join(alternatives) + r")(?!\w)"
    # Words a question to the bot opens with: before one of them, a name first in the message
    # is the bot addressed ("faqbot when does it open", "faqbot can you…"), not a topic
    # ("faqbot release date", "faqbot is down?").
    opener = english().question_openers
    openings = (
        rf"{opener.first_words}|{one_of(opener.requests)}|pls|please|plz|i|"
        rf"(?:{opener.verbs})\s+(?:{_YOU})"
    )
    leading = re.compile(
        rf"^(?P<calls>(?:\W*\b(?:{_CALLS})\b)*[^\w@]*)"
        rf"{name}(?:\s*[,:;!.–—-]+(?=\s|$)\s*|\s+(?=(?:{openings})\b)|[ \t]*(?=\n|$))",
        re.IGNORECASE,
    )
    trailing = re.compile(
        rf"(?P<thanks>,|(?:^|\s)(?:{_THANKS}))\s*{name}(?P<end>\W*)$", re.IGNORECASE
    )
    return leading, trailing
