"""Turn free chat text into the terms the matcher compares: normalised, stop-worded, stemmed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

__all__ = [
    "HOW_MUCH",
    "INTENT_WORDS",
    "Analyzer",
    "Terms",
    "build_synonym_map",
    "clean_text",
    "plain_words",
    "stem",
    "terms_of",
]

# Question words carry what kind of fact is wanted ("when" -> a date, "who" -> a name), so
# they help rank entries but say nothing about the topic: they never count for coverage.
# "how many" and "how much" ask for an amount, "how" alone for a manner or reason: they are
# read as one word, HOW_MUCH, so that "how did iran explain it" is not near "how many died".
HOW_MUCH = "howmuch"
INTENT_WORDS = frozenset({"who", "whom", "whose", "when", "where", "why", "how", "which", HOW_MUCH})

STOP_WORDS = (
    frozenset(
        [
            "a",
            "about",
            "above",
            "after",
            "again",
            "against",
            "all",
            "am",
            "an",
            "and",
            "any",
            "are",
            "aren",
            "as",
            "at",
            "be",
            "because",
            "been",
            "before",
            "being",
            "below",
            "between",
            "both",
            "but",
            "by",
            "can",
            "cannot",
            "could",
            "many",
            "much",
            "might",
            "anything",
            "anywhere",
            "somewhere",
            "everything",
            "stuff",
            "go",
            "goes",
            "going",
            "went",
            "gone",
            "may",
            "couldn",
            "did",
            "didn",
            "do",
            "does",
            "doesn",
            "doing",
            "don",
            "down",
            "during",
            "each",
            "few",
            "for",
            "from",
            "further",
            "had",
            "hadn",
            "has",
            "hasn",
            "have",
            "haven",
            "having",
            "he",
            "her",
            "here",
            "hers",
            "herself",
            "him",
            "himself",
            "his",
            "i",
            "if",
            "in",
            "into",
            "is",
            "isn",
            "it",
            "its",
            "itself",
            "just",
            "let",
            "me",
            "more",
            "most",
            "must",
            "my",
            "myself",
            "no",
            "nor",
            "not",
            "now",
            "of",
            "off",
            "on",
            "once",
            "only",
            "or",
            "other",
            "ought",
            "our",
            "ours",
            "ourselves",
            "out",
            "over",
            "own",
            "same",
            "shall",
            "she",
            "should",
            "shouldn",
            "so",
            "some",
            "such",
            "than",
            "that",
            "the",
            "their",
            "theirs",
            "them",
            "themselves",
            "then",
            "there",
            "these",
            "they",
            "this",
            "those",
            "through",
            "to",
            "too",
            "under",
            "until",
            "up",
            "very",
            "was",
            "wasn",
            "we",
            "were",
            "weren",
            "what",
            "whats",
            "while",
            "with",
            "won",
            "would",
            "wouldn",
            "you",
            "your",
            "yours",
            "yourself",
            "yourselves",
            "s",
            "t",
            "d",
            "ll",
            "m",
            "re",
            "ve",
            "y",
            "hey",
            "hi",
            "hello",
            "please",
            "thanks",
            "thank",
            "tell",
            "know",
            "anyone",
            "anybody",
            "someone",
            "something",
            "thing",
            "things",
            "get",
            "got",
            "say",
            "said",
            "also",
            "like",
            "really",
            "actually",
            "ok",
            "okay",
            "pls",
            "plz",
            "u",
            "ur",
            "im",
            "i'm",
            "bot",
            # Requests wrapped around a question ("list the benefits", "explain the deal").
            "list",
            "explain",
            "describe",
            "summarize",
            "summarise",
            "summary",
            "show",
            "details",
            "info",
            "information",
        ]
    )
    - INTENT_WORDS
)

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_TOKEN = re.compile(r"[^\W_]+")
_LETTERS_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_DIGIT = re.compile(r"\d")
_NOT_WORD = re.compile(r"[\W_]+")
# Phrases read as one word before splitting, each with a cheap test for whether it can occur.
_PHRASES = (
    ("how", re.compile(r"\bhow\s+(?:many|much)\b"), HOW_MUCH),
    # "right now", "right before": an intensifier, not human rights.
    ("right", re.compile(r"\bright\s+(now|before|after|away|then)\b"), r"\1"),
)
# Runs of letters or of digits, so that "PS752" gives "ps" and "752".
_ASCII_TOKEN = re.compile(r"[a-z]+|[0-9]+")
_APOSTROPHE_S = re.compile(r"(\w)['’]s\b")
_stemmer = snowballstemmer.stemmer("english")


# For plain ASCII (most questions and knowledge) NFKC changes nothing and the only invisible
# characters are the C0 controls: one translate() does the whole job.
_ASCII_CONTROLS = {code: None for code in (*range(32), 127)} | {ord(c): " " for c in "\t\n\r"}


def plain_words(text: str) -> str:
    """Case, punctuation and spacing removed: the form in which two wordings are the same."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def clean_text(text: str) -> str:
    """NFKC-normalise and drop control and zero-width characters; keep everything readable."""
    if text.isascii():
        return text.translate(_ASCII_CONTROLS)
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        " " if ch in "\t\n\r" else ch
        for ch in text
        if ch in "\t\n\r" or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


@dataclass(frozen=True)
class Terms:
    """The comparable words of a text: topic terms and intent terms, in order, stemmed."""

    topic: tuple[str, ...]
    intent: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return self.intent + self.topic


def build_synonym_map(groups: Iterable[Iterable[str]]) -> dict[str, str]:
    """Map each word's stem to the stem of the first word of its group."""
    mapping: dict[str, str] = {}
    for group in groups:
        stems = [stem(word.casefold()) for word in group]
        for other in stems[1:]:
            if other != stems[0]:
                mapping.setdefault(other, stems[0])
    return mapping


def _read_phrases(text: str) -> str:
    for trigger, pattern, replacement in _PHRASES:
        if trigger in text:
            text = pattern.sub(replacement, text)
    return text


def words_of(text: str) -> list[str]:
    """Lower-case words with possessives and letter/digit joins split apart ("PS752" -> ps 752)."""
    if text.isascii():
        # The common case, several times faster: ASCII letters and digits are the whole story.
        if not text.isprintable():
            text = text.translate(_ASCII_CONTROLS)
        text = text.lower()
        text = _read_phrases(text)
        if "'" in text:
            text = _APOSTROPHE_S.sub(r"\1", text)
        return _ASCII_TOKEN.findall(text)
    text = clean_text(text).casefold()
    text = _read_phrases(text)
    if "'" in text or "’" in text:
        text = _APOSTROPHE_S.sub(r"\1", text)
    if _DIGIT.search(text):
        text = _LETTERS_DIGITS.sub(" ", text)
    return _TOKEN.findall(text)


def terms_of(text: str, synonyms: Mapping[str, str] | None = None) -> Terms:
    """Split text into stemmed topic terms and intent terms, stop words removed."""
    return Analyzer(synonyms).terms(text)


# Words remembered per snapshot: the knowledge's own vocabulary and then some, but a flood of
# made-up words in questions cannot grow the memo without end.
MAX_REMEMBERED_WORDS = 200_000


# Chat shorthand read as the word it stands for (only words that are not question words).
CHAT_SHORTHAND = {
    "wat": "what",
    "wut": "what",
    "abt": "about",
    "govt": "government",
    "gov": "government",
    "ppl": "people",
    "bc": "because",
    "cuz": "because",
    "thx": "thanks",
    "pls": "please",
    "plz": "please",
    "tho": "though",
    "thru": "through",
    "intl": "international",
    "convo": "conversation",
}


class _TermMemo(dict[str, str]):
    """word -> its term ("" for a skipped word), worked out on first sight."""

    def __init__(self, synonyms: Mapping[str, str]) -> None:
        super().__init__()
        self._synonyms = synonyms

    def __missing__(self, word: str) -> str:
        term = self._term_for(CHAT_SHORTHAND.get(word, word))
        if len(self) < MAX_REMEMBERED_WORDS:
            self[word] = term
        return term

    def _term_for(self, word: str) -> str:
        if word in INTENT_WORDS:
            term = word
        elif word in STOP_WORDS or (len(word) == 1 and not word.isdigit()):
            term = ""
        else:
            term = stem(word)
            term = self._synonyms.get(term, term)
        return term


class Analyzer:
    """terms_of with one snapshot's synonyms, remembering each word's term (indexing speed)."""

    def __init__(self, synonyms: Mapping[str, str] | None = None) -> None:
        self._memo = _TermMemo(dict(synonyms or {}))

    def comparable(self, text: str) -> list[str]:
        """Intent and topic terms together, in the text's order (what indexing needs)."""
        return list(filter(None, map(self._memo.__getitem__, words_of(text))))

    def terms(self, text: str) -> Terms:
        topic: list[str] = []
        intent: list[str] = []
        memo = self._memo
        for word in words_of(text):
            term = memo[word]
            if word in INTENT_WORDS:
                intent.append(term)
            elif term:
                topic.append(term)
        return Terms(tuple(topic), tuple(intent))
