"""Read a chat message before matching it: is it a question at all, and which part asks it.

A long message ("I moved here last year ... How do I renew my membership?") is matched on
its question sentences; the other sentences are context, read with them at a lower weight. "+1",
"thanks" or a bare number is not a question, "hi bot" or "help" asks what the bot can answer,
and a request for an opinion is not one the knowledge can answer, nor one for a prediction
of a year ahead unless the knowledge states that year's outlook. Whom a
message addresses ("@alice", "@Moderators") is no part of what it asks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import cache

from rapidfuzz.distance import OSA

from bot.search.language import LETTER_RUN, Language, QuestionOpeners, english, one_of
from bot.search.text import holds_in_order

__all__ = [
    "MessageKind",
    "Reading",
    "asked_parts",
    "message_window",
    "question_words_mended",
    "read_message",
    "sentences_of",
    "unstretched",
    "without_chat_markup",
    "written_in_another_language",
]


class MessageKind(Enum):
    QUESTION = "question"
    NOT_A_QUESTION = "not_a_question"  # "+1", "thanks", "4": nothing to look up
    OPINION = "opinion"  # "was the board right?": the knowledge reports, it does not judge
    # "will the library open by 2027?": a prediction, unless an entry states that year's outlook
    PREDICTION = "prediction"
    PERSON = "person"  # "talk to a human", "ask a mod": a request for a person, not a question
    HELP = "help"  # "hi bot", "help", "what can you do?": what can be asked


@dataclass(frozen=True)
class Reading:
    kind: MessageKind
    focus: str  # the sentences that ask: what is matched
    context: str = ""  # the rest of a long message: read with it, at a share of its weight


# A one-sentence message longer than this may hold its question in a clause of its own.
LONG_SENTENCE_WORDS = 12
# A shorter message is read whole, unless a colon, a semicolon, a dash or "but" sets a lead
# apart from its question ("Not urgent, just curious: who runs it?").
_STRONG_BREAK = re.compile(r",?\s+but\s+|(?:[:;]|\s[-–—])\s+", re.IGNORECASE)

# A sentence ends at ".", "!" or "?", at a line break, and at an emoji ("go easy on me 😂
# who started it?"): chat puts one where a full stop would be.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"'”’)]*\s+|\s*\n\s*|(?<=[\U0001F000-\U0001FAFF\u2600-\u27BF])\ufe0f?\s+"
)
# A period after one of these does not end a sentence ("U.S. law", "Mr. Okafor").
_ABBREVIATION = re.compile(
    r"(?:\b[a-z]\.)+$|\b(?:mr|mrs|ms|dr|st|vs|etc|eg|ie|approx|no|jan|feb|mar|apr|jun|jul|aug|"
    r"sep|sept|oct|nov|dec)\.$",
    re.IGNORECASE,
)
_NOT_WORDS = re.compile(r"[^\w\s+-]+")
# "@alice", "@Moderators", "@everyone": whom the message is for (not an e-mail address).
_ADDRESSED = re.compile(r"(?<![\w@])@[\w.-]*\w")
# Chat markup that names nothing asked: an emoji written as its code (":thinking_face:",
# ":+1:", ":flag-ca:"; not a time "10:30:00"), a heart ("<3"), and a link pasted with the
# question, whose host and path words ("www", "cbc", "news") would read as topics the
# knowledge lacks.
_MARKUP = re.compile(
    r"(?<!\w):(?:[a-z0-9_+-]*[a-z][a-z0-9_+-]*|[+-]1|100):(?!\w)|(?<!\S)</?3+(?!\S)|"
    r"\b(?:https?://|www\.)[^\s<>]+",
    re.IGNORECASE,
)
# Words that point at the knowledge itself: "does the article think..." asks what the source
# says, which the knowledge can answer, not the bot's own opinion.
_ASKS_WHAT_SOURCE_SAYS = r"\b(?:the|this|your|ur)\s+(?:{})\b|\baccording\s+to\b"


def sentences_of(text: str) -> list[str]:
    """The message's sentences, with abbreviations ("U.S.") kept inside their sentence."""
    pieces: list[str] = []
    start = 0
    for end in _SENTENCE_END.finditer(text):
        before = text[start : end.start()]
        if before.endswith(".") and _ABBREVIATION.search(before.rsplit(None, 1)[-1]):
            continue
        if before.strip():
            pieces.append(before.strip())
        start = end.end()
    if text[start:].strip():
        pieces.append(text[start:].strip())
    return pieces


# Where a question inside a longer sentence starts: after a colon, a semicolon, a dash, a
# comma or "but" ("Zooming out, how does ..."; "... the nuts and bolts: what would they ...";
# "sorry to bother you but who runs it?").
_CLAUSE_BREAK = re.compile(rf"{_STRONG_BREAK.pattern}|,\s+", re.IGNORECASE)


# A remark in brackets is said beside the question ("quick q (prob asked before, sorry)
# who runs it?"): read as a sentence of its own.
_ASIDE = re.compile(r"\(([^()]*[^\W\d_][^()]*)\)")
_ASIDE_BREAK = re.compile(r"(?:;|\s[-–—])\s+")


def _question_clause(sentence: str, language: Language) -> tuple[str, str]:
    """(the asking clause, what came before it) of a sentence that asks. A condition that
    leads to the question ("If I cancel, do I get a refund?") is part of it."""
    opening = LETTER_RUN.match(sentence.lstrip(" \"'“‘(").casefold())
    if opening and opening.group() in language.condition_words:
        return sentence, ""
    openings = _openings(language.question_openers)
    lead = ""
    marked = sentence.rstrip().endswith("?")
    for brk in reversed(list(_CLAUSE_BREAK.finditer(sentence))):
        if _asks_after(sentence, brk, openings, marked):
            # A lead that asks too ("What are my options, can I get money back?") stays.
            if not openings.plain_start.match(sentence):
                sentence, lead = sentence[brk.end() :], sentence[: brk.start()]
            break
    # An aside after the question, set off by a dash or a semicolon ("who runs it — sorry
    # if that's obvious") is no part of it either.
    for brk in _ASIDE_BREAK.finditer(sentence):
        aside = sentence[brk.end() :]
        if not _asks(aside, openings):
            return sentence[: brk.start()], f"{lead} {aside}".strip()
    return sentence, lead


# A check of what was said is short: "is that true?", "is that really right?".
CLAIM_CHECK_WORDS = 5


@dataclass(frozen=True)
class _Openings:
    """How sentences that ask open, as patterns (data: english.yaml, question_openers)."""

    # How a sentence that asks starts, when it has no question mark.
    asking_start: re.Pattern[str]
    # A question word first: a question, whoever it is put to.
    plain_start: re.Pattern[str]
    # Where a sentence asks a second question: "How far is it, and is there a bus?", "what do
    # volunteers get, and when do applications close?"; not "... if I'm hurt and can't run?".
    second_question: re.Pattern[str]
    # Beside a plain question, a sentence that opens with a verb but puts it to no one,
    # without a question mark, tells what the asker did ("had a look on the website already",
    # "did some digging"); "is it still going" still asks.
    tells_what_one_did: re.Pattern[str]
    # A relative clause after a comma: "…, which is great", "…, where I live"; not "…, which
    # one is better?" nor "…, where can I park" (a question word and its verb ask).
    relative_start: re.Pattern[str]
    # A short check of what was said before it: "is that true?", "is that right, or…"; not
    # "could this be the recall I heard about?", which asks of its own.
    checks_a_claim: re.Pattern[str]


@cache
def _openings(openers: QuestionOpeners) -> _Openings:
    # After "and", "y" is a letter ("x and y"), and "have" goes on with the question asked.
    second = one_of(openers.asking, openers.asking_chat, openers.auxiliaries)
    # "…and until when can I…": a preposition, then a question word
    led = rf"(?:{one_of(openers.before_question_word)})\s+(?:{one_of(openers.asking)})"
    return _Openings(
        asking_start=re.compile(
            rf"^\W*(?:{openers.first_words}|{openers.verbs}|{one_of(openers.requests)})\b",
            re.IGNORECASE,
        ),
        plain_start=re.compile(rf"^\W*(?:{openers.first_words})\b", re.IGNORECASE),
        # "has"/"have" open a second question when whom it asks of follows ("…, and has
        # Norway asked for anything?"), not when the first goes on ("…and have to bring ID?")
        second_question=re.compile(
            rf",?\s+(?:and|also|plus)\s+(?={led}\b|(?:{second})\b(?!['’]t\b|n['’]t\b)"
            rf"|(?:{one_of(openers.other_auxiliaries)})\s+(?:(?:{one_of(openers.people)})\b"
            rf"|(?-i:[A-Z])))",
            re.IGNORECASE,
        ),
        tells_what_one_did=re.compile(
            rf"^\W*(?:{openers.verbs})\b(?!\s+(?:{one_of(openers.people)})\b)", re.IGNORECASE
        ),
        relative_start=re.compile(
            rf"^\W*(?:(?:{one_of(openers.relative_before_a_verb)})\b|"
            rf"(?:{one_of(openers.relative)})\b(?!\s+(?:{openers.verbs})\b))",
            re.IGNORECASE,
        ),
        checks_a_claim=re.compile(
            rf"^\W*(?:{openers.verbs})\s+(?:{one_of(openers.claim_pointers)})\b"
            rf"(?:\s+[^\s,;?]+){{0,{CLAIM_CHECK_WORDS - 2}}}\s*(?:[,;?]|$)",
            re.IGNORECASE,
        ),
    )


def asked_parts(focus: str, language: Language | None = None) -> tuple[str, ...]:
    """The questions a message's asking part holds, when it holds more than one ("Do I pay
    for my own ticket? And what proof does she need?"); empty when it asks one thing."""
    second_question = _openings((language or english()).question_openers).second_question
    parts = tuple(
        part.strip()
        for sentence in sentences_of(focus)
        for part in second_question.split(sentence)
        if len(part.split()) >= 2
    )
    return parts if len(parts) > 1 else ()


def _asks(sentence: str, openings: _Openings) -> bool:
    """Whether a sentence asks: it ends with "?", or it or a clause of it opens as a question
    does ("So settling it here: what licence is it under")."""
    if sentence.rstrip().endswith("?"):
        return True
    return bool(openings.asking_start.match(sentence)) or any(
        _asks_after(sentence, brk, openings, marked=False)
        for brk in _CLAUSE_BREAK.finditer(sentence)
    )


def _asks_plainly(sentence: str, openings: _Openings) -> bool:
    """Whether a sentence asks beyond doubt: a question mark, or a question word first."""
    return sentence.rstrip().endswith("?") or bool(openings.plain_start.match(sentence))


# How much of a clause its opening question word is looked for in, and its first words
# counted in: the opening is all that counts, and a bound keeps a message of many commas from
# costing a scan of its rest at every one of them.
_OPENING_CHARS = 40
_OPENING_WORDS_CHARS = 200


def _asks_after(sentence: str, brk: re.Match[str], openings: _Openings, marked: bool) -> bool:
    """Whether the clause after a break asks. After a bare comma, one that opens as a relative
    clause does ("…, which is great") only in a sentence that ends with a question mark
    (`marked`: "…, which one is best?")."""
    rest = sentence[brk.end() : brk.end() + _OPENING_WORDS_CHARS]
    return _asking_clause(rest, openings) and (
        marked or brk.group().strip() != "," or not openings.relative_start.match(rest)
    )


def _asking_clause(rest: str, openings: _Openings) -> bool:
    return (
        bool(openings.asking_start.match(rest[:_OPENING_CHARS]))
        and len(rest[:_OPENING_WORDS_CHARS].split()) >= 3
    )


def read_message(text: str, language: Language | None = None) -> Reading:
    """What kind of message this is, and the part of it to match."""
    language = language or english()
    text = question_words_mended(unstretched(without_chat_markup(text), language), language)
    text = _ADDRESSED.sub("", text).strip() if "@" in text else text
    lowered = text.casefold()
    bare = " ".join(_NOT_WORDS.sub(" ", lowered).split())
    # A blank message or one of only emoji is no acknowledgement: it gets the starter topics.
    if bare and language.not_question.fullmatch(bare):
        return Reading(MessageKind.NOT_A_QUESTION, text)
    if bare and language.help_requests.fullmatch(bare):
        return Reading(MessageKind.HELP, text)
    if bare and language.person_requests.search(bare):
        return Reading(MessageKind.PERSON, text)
    polite = language.courtesies.sub("\x00", text)
    if "\x00" in polite:
        polite = _tidied(_LEFT_OPEN.sub("", polite).replace("\x00", " "))
    if bare and not _NOT_WORDS.sub("", polite).strip():
        return Reading(MessageKind.NOT_A_QUESTION, text)  # "thanks in advance!", "cheers, Tom"
    text = _ASIDE.sub(r"\n\1\n", polite) if "(" in polite else polite
    sentences = sentences_of(text)
    openings = _openings(language.question_openers)
    asking = [s for s in sentences if _asks(s, openings)]
    if len(asking) > 1 and any(_asks_plainly(s, openings) for s in asking):
        asking = [
            s
            for s in asking
            if _asks_plainly(s, openings) or not openings.tells_what_one_did.match(s)
        ]
    if asking and (
        len(sentences) > 1
        or len(text.split()) > LONG_SENTENCE_WORDS
        or _STRONG_BREAK.search(text) is not None
    ):
        clauses = [_question_clause(s, language) for s in asking]
        told = [s for s in sentences if s not in asking] + [lead for _, lead in clauses if lead]
        heard: list[str] = []
        if any(openings.checks_a_claim.match(clause) for clause, _ in clauses):
            # What the message heard is what "is that true?" asks about.
            heard = [s for s in told if language.hearsay.search(s)]
        focus = " ".join(heard + [clause for clause, _ in clauses])
        context = " ".join(s for s in told if s not in heard)
    else:
        focus, context = text, ""
    kept = _without_what_is_set_apart(focus, language)
    focus = _tidied(kept).lstrip(",;: ") if kept != focus else focus
    if _asks_by_pattern(focus.casefold(), language, language.opinion_requests):
        return Reading(MessageKind.OPINION, focus, context)
    if _asks_by_pattern(focus.casefold(), language, language.prediction_requests):
        return Reading(MessageKind.PREDICTION, focus, context)
    return Reading(MessageKind.QUESTION, focus, context)


# A word, or a mark that ends a clause.
_WORD_OR_BREAK = re.compile(r"(?P<word>[\w'’-]+)|[,;:.?!()\n]")


def _without_what_is_set_apart(focus: str, language: Language) -> str:
    """The focus without what it sets apart as not asked: the words after "besides", "apart
    from" or "other than" up to the end of their noun ("anything besides the earthquake aid",
    "anything other than cash I can pay with": cash is set apart, paying is asked)."""
    pieces: list[str] = []
    start = 0
    for found in language.exclusions.finditer(focus):
        if found.start() < start:
            continue  # inside what an earlier one set apart
        end = found.end()
        named = False
        for token in _WORD_OR_BREAK.finditer(focus, found.end()):
            skipped = token.group().casefold() in language.skipped
            if token["word"] is None or (skipped and named):
                break  # a mark ends the clause; a little word after the noun ends the noun
            named = named or not skipped
            end = token.end()
        pieces.append(focus[start : found.start()])
        start = end
    pieces.append(focus[start:])
    return "".join(pieces)


_SPACES = re.compile(r"[^\S\n]+")
# Where a courtesy that opened a line was taken out (marked by a NUL), a greeting before it
# and the mark or "but" that joined it to the question go with it ("Hi all - who runs it?",
# "hey, anyone around? who runs it", "sorry to tag you but who runs it?"); after other words,
# a dash still sets a lead apart.
_LEFT_OPEN = re.compile(
    r"(?im)^[^\S\n]*(?:(?:hey|hi|hello|heya|hiya|yo|ok|okay|so)\b[^\w\n]*)?\x00"
    r"(?:[^\S\n]*(?:[,;:?!.–—-]+|\bbut\b|\x00))*"
)
# A word stretched for effect ("whyyy", "sooo", "pleeease"): a letter three times or more,
# which English words never write, in a word of other letters too ("AAA" is a name).
_STRETCHED = re.compile(r"\b(?=\w*?([a-z])\1\1)(?!([a-z])\2*\b)[a-z]+\b", re.IGNORECASE)
_STRETCH = re.compile(r"([a-z])\1{2,}", re.IGNORECASE)


# A question word typed with one slip ("whn", "whre", "whih", "waht"): read as that word when
# it is no English word and the only question word one slip away that starts as it does (or
# the only one it is with a letter left out).
_SLIPPED_QUESTION_WORD = re.compile(r"\b[WwHh][A-Za-z]{2,4}\b")


def question_words_mended(text: str, language: Language) -> str:
    """The text with each question word typed with one slip written as that word."""
    question_words = language.question_openers.asking

    def mended(found: re.Match[str]) -> str:
        word = found.group().casefold()
        if word in language.zipf or word in language.shorthand:
            return found.group()
        before = text[: found.start()].rstrip(" \t")
        if found.group()[0].isupper() and before and before[-1] not in ".?!\n":
            return found.group()  # a name inside a sentence ("when did Hoa join")
        near = [
            asked
            for asked in question_words
            if asked[0] == word[0] and OSA.distance(word, asked, score_cutoff=1) <= 1
        ]
        if len(near) > 1:
            # Chat drops letters more than it changes them: "whn" is "when", not "who".
            near = [asked for asked in near if holds_in_order(asked, word)]
        return near[0] if len(near) == 1 else found.group()

    return _SLIPPED_QUESTION_WORD.sub(mended, text)


def unstretched(text: str, language: Language) -> str:
    """The text with each stretched word written as the English word it stretches ("whyyy"
    is "why", "goood" is "good"), else with each stretch cut to two letters."""
    if not _STRETCHED.search(text):
        return text

    def word(found: re.Match[str]) -> str:
        stretched = found.group()
        doubled = _STRETCH.sub(r"\1\1", stretched)
        single = _STRETCH.sub(r"\1", stretched)
        known = [w for w in (single, doubled) if w.casefold() in language.zipf]
        return max(known, key=lambda w: language.zipf[w.casefold()]) if known else doubled

    return _STRETCHED.sub(word, text)


def without_chat_markup(text: str) -> str:
    """The message without the emoji codes and links that chat adds to what it asks."""
    if ":" not in text and "www." not in text and "<" not in text:
        return text
    return _squeezed(_MARKUP.sub(_markup_gone, text))


def _markup_gone(found: re.Match[str]) -> str:
    # An emoji code ends a sentence as an emoji does ("bump :pray: who runs it?").
    return "\n" if found.group().startswith(":") else " "


# What a courtesy taken out of the middle or the end leaves: empty brackets, a space before a
# mark, a comma before the question mark ("when does it start, any ideas?").
_EMPTY_BRACKETS = re.compile(r"\(\s*\)")
_SPACE_BEFORE_MARK = re.compile(r"(?<=\w)[^\S\n]+(?=[,;:.?!])")
_MARK_LEFT_OPEN = re.compile(r"[^\S\n]*[,;:]+[^\S\n]*(?=[.?!]|$)", re.MULTILINE)


def _tidied(text: str) -> str:
    """A message with courtesies taken out, its leftover marks tidied."""
    text = _MARK_LEFT_OPEN.sub("", _EMPTY_BRACKETS.sub("", text))
    return _squeezed(_SPACE_BEFORE_MARK.sub("", text))


def _squeezed(text: str) -> str:
    """Runs of spaces as one, line breaks kept: they end sentences."""
    return _SPACES.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n").strip()


def message_window(text: str, limit: int) -> str:
    """At most `limit` characters of a message, kept around its last question: a long paste
    usually asks at its end, so cutting its tail would lose what it asks. The sentences just
    before the question come with it, as its context."""
    if len(text) <= limit:
        return text
    sentences = sentences_of(text)
    openings = _openings(english().question_openers)
    asking = [number for number, sentence in enumerate(sentences) if _asks(sentence, openings)]
    last = asking[-1] if asking else len(sentences) - 1
    kept = [sentences[last][-limit:]]
    size = len(kept[0])
    for sentence in reversed(sentences[:last]):
        if size + 1 + len(sentence) > limit:
            break
        kept.insert(0, sentence)
        size += 1 + len(sentence)
    return " ".join(kept)


def written_in_another_language(text: str, language: Language | None = None) -> bool:
    """Whether a message is written in a language the bot cannot read: mostly in another
    script (Persian, Chinese, Russian), or in Latin letters with another language's little
    words ("pourquoi", "nicht"): two of them, or one and no English stop word."""
    letters = [character for character in text if character.isalpha()]
    if not letters:
        return False
    if not text.isascii():
        latin = sum(1 for ch in letters if "LATIN" in unicodedata.name(ch, ""))
        if latin * 2 < len(letters):
            return True
    language = language or english()
    words = LETTER_RUN.findall(text.casefold())
    foreign = sum(1 for word in words if word in language.other_language_words)
    english_words = sum(
        1
        for word in words
        if len(word) > 1 and (word in language.stop_words or word in language.question_words)
    )
    return foreign >= 2 or (foreign == 1 and english_words == 0)


def _asks_by_pattern(text: str, language: Language, patterns: tuple[re.Pattern[str], ...]) -> bool:
    """Whether the text matches one of the patterns (an opinion or a prediction requested)
    without asking what the source itself says ("what does the article predict")."""
    if not any(pattern.search(text) for pattern in patterns):
        return False
    source = _ASKS_WHAT_SOURCE_SAYS.format("|".join(sorted(language.source_words)))
    return re.search(source, text) is None
