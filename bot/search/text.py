"""Turn free chat text into the terms the matcher compares: normalised, stop-worded, stemmed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from bot.search.language import WORD_RUN, Language, PhraseRule, english

__all__ = [
    "Analyzer",
    "Terms",
    "build_synonym_map",
    "clean_text",
    "holds_in_order",
    "plain_words",
    "stem",
    "terms_of",
    "words_of",
]

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_TOKEN = re.compile(r"[^\W_]+")
_LETTERS_DIGITS = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_DIGIT = re.compile(r"\d")
_NOT_WORD = re.compile(r"[\W_]+")
# Runs of letters or of digits, so that "AB123" gives "ab" and "123".
_ASCII_TOKEN = re.compile(r"[a-z]+|[0-9]+")
# For bytes.translate: every ASCII byte but a lower-case letter or a digit becomes a space.
_ASCII_LETTERS_KEPT = bytes(
    code if chr(code).isascii() and (chr(code).islower() or chr(code).isdigit()) else 32
    for code in range(256)
)
_APOSTROPHE_S = re.compile(r"(\w)['’]s\b")
# A dotted number is also read whole ("2.14.3", "1.x", "9.40"), besides its parts: its parts
# alone would find any text holding a 2 and a 3.
DOTTED_NUMBER = re.compile(r"\b\d+(?:\.(?:\d+|x))+\b")
# A thousands separator: "12,000" is one number, not a 12 (which "macOS 12" would find).
THOUSANDS_SEPARATOR = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# The ending of an ordinal: "3rd" is the 3 ("rd" is no road, "st" no street).
_ORDINAL_ENDING = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)
# One letter hyphened to a word is one word: "e-bike" is "ebike", "x-ray" is "xray".
_LETTER_PREFIX = re.compile(r"\b([^\W\d_])-(?=[^\W\d_]{2})")
_stemmer = snowballstemmer.stemmer("english")


# For plain ASCII (most questions and knowledge) NFKC changes nothing and the only invisible
# characters are the C0 controls: one translate() does the whole job.
_ASCII_CONTROLS = {code: None for code in (*range(32), 127)} | {ord(c): " " for c in "\t\n\r"}
# Invisible characters that part words: a zero-width space between two words (pasted from a
# web page, or typed to stop a link preview) is a space. Others, such as the soft hyphen or
# the joiners inside an emoji, are dropped.
_INVISIBLE_SPACES = "\t\n\r\u200b\u180e"


def plain_words(text: str) -> str:
    """Case, punctuation and spacing removed: the form in which two wordings are the same."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def clean_text(text: str) -> str:
    """NFKC-normalise and drop control and zero-width characters; keep everything readable."""
    if text.isascii():
        return text.translate(_ASCII_CONTROLS)
    text = unicodedata.normalize("NFKC", text)
    return "".join(
        " " if ch in _INVISIBLE_SPACES else ch
        for ch in text
        if ch in _INVISIBLE_SPACES or unicodedata.category(ch) not in _INVISIBLE_CATEGORIES
    )


def holds_in_order(word: str, letters: str) -> bool:
    """Whether `letters` can be had from `word` by leaving letters out ("whn" from "when")."""
    rest = iter(word)
    return all(letter in rest for letter in letters)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word))


@dataclass(frozen=True)
class Terms:
    """The comparable words of a text: topic terms and intent terms, in order, stemmed.

    `words` holds, for each topic term, the word it was read from (before stemming), which the
    matcher needs to judge an unknown word by how common it is in English.
    """

    topic: tuple[str, ...]
    intent: tuple[str, ...]
    words: tuple[str, ...] = ()

    @property
    def all(self) -> tuple[str, ...]:
        return self.intent + self.topic


def build_synonym_map(
    groups: Iterable[Iterable[str]], language: Language | None = None
) -> dict[str, str]:
    """Map each word's stem to the stem of the first word of its group, each word read as
    the analyzer reads it ("broken" is "break", so [broken, damaged] maps "damag" to "break",
    the term "broken" itself has in the knowledge)."""
    language = language or english()
    mapping: dict[str, str] = {}
    for group in groups:
        stems = []
        for word in group:
            read = language.shorthand.get(word.casefold(), word.casefold())
            stems.append(stem(language.base_forms.get(read, read)))
        for other in stems[1:]:
            if other != stems[0]:
                mapping.setdefault(other, stems[0])
    return mapping


def _read_phrases(
    text: str,
    rules: tuple[PhraseRule, ...],
    runs: AbstractSet[str] | None,
    met: tuple[int, ...] | None = None,
) -> str:
    """The text with each rule applied in turn. `runs`: the text's runs of letters and digits
    (or those of them that are anchors), when known; `met`: the positions of the rules whose
    anchors they hold, when known: until one of them rewrites the text, no other can match."""
    start = 0
    if met is not None:
        for position in met:
            _, pattern, replacement = rules[position]
            read = pattern.sub(replacement, text)
            if read != text:
                text, runs, start = read, None, position + 1
                break
        else:
            return text
    for anchors, pattern, replacement in rules[start:]:
        if runs is None:
            runs = set(WORD_RUN.findall(text.lower()))
        if anchors.isdisjoint(runs):
            continue  # no match is possible: skip the search
        read = pattern.sub(replacement, text)
        if read != text:
            # A rewrite may bring a later rule's anchor ("money back" is read "refund").
            text, runs = read, None
    return text


def words_of(text: str, language: Language | None = None) -> list[str]:
    """Lower-case words with possessives and letter/digit joins split apart ("AB123" -> ab 123)."""
    language = language or english()
    if not (text.isascii() and text.isprintable()):
        return _words_read_closely(text, language)
    # The common case, several times faster: ASCII letters and digits are the whole story,
    # and most texts hold no digit, no phrase to rewrite, no "'s" and no hyphen.
    lowered = text.lower()
    digits = _DIGIT.search(lowered) is not None
    if digits:
        lowered = _digits_read(lowered, language)
        words = _ASCII_TOKEN.findall(lowered)
    else:
        # Without digits every run is letters: one byte-wise translate and a split find
        # them faster than the pattern does (indexing reads every phrasing this way).
        words = lowered.encode().translate(_ASCII_LETTERS_KEPT).decode().split()
    rewritten = False
    if not language.phrase_anchors.isdisjoint(words):
        anchors = language.phrase_anchors.intersection(words)
        met = language.phrase_rules_met(anchors, cased=True)
        cased = _read_phrases(text, language.cased_phrases, anchors, met)
        if cased == text:
            read = _read_phrases(
                lowered, language.phrases, anchors, language.phrase_rules_met(anchors, cased=False)
            )
        else:
            lowered, rewritten = _digits_read(cased.lower(), language), True
            read = _read_phrases(lowered, language.phrases, None)
        if read != lowered:
            lowered, rewritten = read, True
    if "'" in lowered:
        lowered, rewritten = _APOSTROPHE_S.sub(r"\1", lowered), True
    if "-" in lowered:
        lowered, rewritten = _LETTER_PREFIX.sub(r"\1", lowered), True
    if rewritten:
        words = _ASCII_TOKEN.findall(lowered)
        digits = _DIGIT.search(lowered) is not None
    return words + DOTTED_NUMBER.findall(lowered) if digits and "." in lowered else words


def _digits_read(lowered: str, language: Language) -> str:
    """Lower-case text with ordinal endings dropped ("2nd" is 2) and shorthand written with a
    digit read as its word ("b4" is "before"), before the text is split into runs of letters
    and of digits, which would part them."""
    if not _DIGIT.search(lowered):
        return lowered
    lowered = THOUSANDS_SEPARATOR.sub("", _ORDINAL_ENDING.sub("", lowered))
    return language.with_shorthand_digits_read(lowered)


def _words_read_closely(text: str, language: Language) -> list[str]:
    """words_of for text with control characters or beyond ASCII."""
    if _DIGIT.search(text):
        text = _ORDINAL_ENDING.sub("", text)
    text = _read_phrases(text, language.cased_phrases, None)
    if text.isascii():
        text = _digits_read(text.translate(_ASCII_CONTROLS).lower(), language)
        text = _read_phrases(text, language.phrases, None)
        if "'" in text:
            text = _APOSTROPHE_S.sub(r"\1", text)
        if "-" in text:
            text = _LETTER_PREFIX.sub(r"\1", text)
        return _ASCII_TOKEN.findall(text) + DOTTED_NUMBER.findall(text)
    text = _digits_read(clean_text(text).casefold(), language)
    text = _read_phrases(text, language.phrases, None)
    if "'" in text or "’" in text:
        text = _APOSTROPHE_S.sub(r"\1", text)
    if "-" in text:
        text = _LETTER_PREFIX.sub(r"\1", text)
    dotted = DOTTED_NUMBER.findall(text)
    if _DIGIT.search(text):
        text = _LETTERS_DIGITS.sub(" ", text)
    return _TOKEN.findall(text) + dotted


def terms_of(
    text: str, synonyms: Mapping[str, str] | None = None, language: Language | None = None
) -> Terms:
    """Split text into stemmed topic terms and intent terms, stop words removed."""
    return Analyzer(synonyms, language).terms(text)


# Words remembered per snapshot: the knowledge's own vocabulary and then some, but a flood of
# made-up words in questions cannot grow the memo without end.
MAX_REMEMBERED_WORDS = 200_000


class _TermMemo(dict[str, str]):
    """word -> its term ("" for a skipped word), worked out on first sight."""

    def __init__(self, synonyms: Mapping[str, str], language: Language) -> None:
        super().__init__()
        self._synonyms = synonyms
        self._language = language
        self._skipped = language.skipped

    def __missing__(self, word: str) -> str:
        read = self._language.shorthand.get(word, word)
        term = self._term_for(self._language.base_forms.get(read, read))
        if len(self) < MAX_REMEMBERED_WORDS:
            self[word] = term
        return term

    def _term_for(self, word: str) -> str:
        if word in self._language.question_words:
            return word
        if word in self._skipped or (len(word) == 1 and not word.isdigit()):
            return ""
        term = stem(word)
        return self._synonyms.get(term, term)


class Analyzer:
    """terms_of with one snapshot's language and synonyms, remembering each word's term."""

    def __init__(
        self, synonyms: Mapping[str, str] | None = None, language: Language | None = None
    ) -> None:
        self.language = language or english()
        self._memo = _TermMemo(dict(synonyms or {}), self.language)

    def vocabulary(self) -> dict[str, str]:
        """Every word read so far that became a term: word -> term."""
        return {word: term for word, term in self._memo.items() if term}

    def term(self, word: str) -> str:
        """The term one word is read as ("" when skipped)."""
        return self._memo[word]

    def words(self, text: str) -> list[str]:
        return words_of(text, self.language)

    def comparable(self, text: str) -> list[str]:
        """Intent and topic terms together, in the text's order (what indexing needs)."""
        return list(filter(None, map(self._memo.__getitem__, words_of(text, self.language))))

    def terms(self, text: str) -> Terms:
        """A question's terms (question-only rewrites applied: "does the article say")."""
        for pattern, replacement in self.language.question_phrases:
            text = pattern.sub(replacement, text)
        topic: list[str] = []
        intent: list[str] = []
        words: list[str] = []
        memo = self._memo
        question_words = self.language.question_words
        for word in self.words(text):
            term = memo[word]
            if word in question_words:
                intent.append(term)
            elif term:
                topic.append(term)
                words.append(self.language.shorthand.get(word, word))
        return Terms(tuple(topic), tuple(intent), tuple(words))
