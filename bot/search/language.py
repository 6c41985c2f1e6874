"""The English language data the matcher reads chat with, and one knowledge base's additions.

The data lives in `data/english.yaml` and `data/english-frequency.txt`; this module only loads
it. A knowledge folder's `matcher.yaml` may add stop words, give back words as topics, and
read phrases as one term (see `MatcherSettings`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import resources
from types import MappingProxyType

import yaml

__all__ = [
    "HOW_MUCH",
    "LETTER_RUN",
    "WORD_RUN",
    "Language",
    "PhraseRule",
    "QuestionOpeners",
    "english",
    "one_of",
]

# "how many" and "how much" are read as this one word (data: english.yaml, phrases).
HOW_MUCH = "howmuch"
# Words rarer than the frequency list's floor count as this rare (Zipf scale).
RARE_ZIPF = 3.0
# "-ly" makes an adverb of a word at least this long and this common (Zipf): "physical" and
# "final" are; "rep" (reply) is too short.
ADVERB_BASE_LENGTH = 4
ADVERB_BASE_ZIPF = 4.0
# A run of letters or of digits: the pieces a phrase rule's anchor words are made of.
WORD_RUN = re.compile(r"[^\W\d_]+|\d+")
# A run of letters alone: a word, without the digits, underscores and marks around it.
LETTER_RUN = re.compile(r"[^\W\d_]+")

# (words one of which every match holds, pattern, replacement): a text whose runs of letters
# and digits hold none of the words cannot match, and is not searched.
PhraseRule = tuple[frozenset[str], re.Pattern[str], str]
# Sets of anchor words remembered with the rules they meet: texts hold few distinct ones.
MAX_REMEMBERED_ANCHOR_SETS = 4096


@dataclass(frozen=True)
class QuestionOpeners:
    """The words a sentence that asks opens with, when it has no question mark."""

    asking: tuple[str, ...]  # the question words
    asking_chat: tuple[str, ...]  # chat's spellings of them ("whats", "wat")
    asking_first: tuple[str, ...]  # a question word first in a sentence only ("y")
    auxiliaries: tuple[str, ...]  # a yes-or-no question's first word; also opens a second one
    other_auxiliaries: tuple[str, ...]  # opens a question, but after "and" goes on with it
    requests: tuple[str, ...]  # "anyone know…", "tell me…", "list the…"
    people: tuple[str, ...]  # whom a question is put to ("is it…", "did you…")
    # after a comma, a clause of no question mark opening on one of these tells more of the
    # noun before it ("…ten of them, which seems a lot"): it does not ask, unless a question's
    # verb follows one not in `relative_before_a_verb` ("…, where can I park")
    relative: tuple[str, ...]
    relative_before_a_verb: tuple[str, ...]  # "…, which is great"
    claim_pointers: tuple[str, ...]  # "is that true?": what was said before is asked about
    # "…and until when can I sign up?": before a question word, it opens a second question
    before_question_word: tuple[str, ...]

    @property
    def first_words(self) -> str:
        """A pattern for any question word a sentence may open with, chat's spellings too."""
        return one_of(self.asking, self.asking_chat, self.asking_first)

    @property
    def verb_words(self) -> tuple[str, ...]:
        """Every verb a question may open with ("is", "has")."""
        return (*self.auxiliaries, *self.other_auxiliaries)

    @property
    def verbs(self) -> str:
        """A pattern for any verb a question may open with."""
        return one_of(self.verb_words)


@dataclass(frozen=True)
class Language:
    """Everything the matcher knows about a language: word lists, rewrites, word frequency."""

    stop_words: frozenset[str]
    question_words: frozenset[str]
    noise_words: frozenset[str]
    shorthand: Mapping[str, str]
    # A form the stemmer does not reduce -> its base: "went" -> "go", "bigger" -> "big".
    base_forms: Mapping[str, str]
    source_words: frozenset[str]
    # "what happens", "what caused": a verb after the question word names nothing asked.
    verbs_after_question_word: frozenset[str]
    # "who is the current chair": a word saying when, not what, is asked.
    modifiers_after_question_word: frozenset[str]
    # "which local groups in…": a verb's helper or a preposition, closing the noun phrase.
    after_noun_phrase: frozenset[str]
    # "what kind of measures": a noun naming a kind, where the noun after its "of" is asked.
    kind_nouns: frozenset[str]
    # "who founded it": a verb whose doer is asked for by name.
    verbs_asking_who: frozenset[str]
    # "If I cancel, do I get a refund?": a clause opening on one of these is a condition of
    # the question it leads to, not context around it.
    condition_words: frozenset[str]
    # "my friend says…, is that true?": words passing on what was heard
    hearsay: re.Pattern[str]
    # "when does it show up?", "is that true?": a question pointing back at its message
    pointing_pronouns: frozenset[str]
    demonstratives: frozenset[str]
    # "besides the mill": the words that follow name what is not asked about.
    exclusions: re.Pattern[str]
    # "which party is she in?", "what colour is it?": an attribute whose value is asked; its
    # noun is the pattern's first group.
    asks_an_attribute: re.Pattern[str]
    question_openers: QuestionOpeners
    names: frozenset[str]
    # Given names and titles that are common English words ("Peter", "Minister"): a
    # capitalised word after one is a person's name.
    given_names: frozenset[str]
    titles: frozenset[str]
    # Little words of other languages in Latin letters ("pourquoi", "nicht"): a message in one
    # of them is told the bot reads English, not that its knowledge lacks the subject.
    other_language_words: frozenset[str]
    phrases: tuple[PhraseRule, ...]
    cased_phrases: tuple[PhraseRule, ...]  # matched before the text is lower-cased
    question_phrases: tuple[tuple[re.Pattern[str], str], ...]
    not_question: re.Pattern[str]
    help_requests: re.Pattern[str]
    person_requests: re.Pattern[str]
    courtesies: re.Pattern[str]  # taken out of a message before it is read
    points_back: re.Pattern[str]
    opinion_requests: tuple[re.Pattern[str], ...]
    prediction_requests: tuple[re.Pattern[str], ...]
    synonyms: tuple[tuple[str, ...], ...]
    zipf: Mapping[str, float] = field(repr=False)

    @property
    def skipped(self) -> frozenset[str]:
        """Words that never become topic terms."""
        return self.stop_words | self.noise_words

    @cached_property
    def shorthand_with_digits(self) -> re.Pattern[str] | None:
        """Shorthand written with a digit ("b4", "2day"), as whole words: text is split into
        runs of letters and of digits, which would part them before they could be read."""
        written = sorted((w for w in self.shorthand if any(c.isdigit() for c in w)), key=len)
        if not written:
            return None
        return re.compile(rf"\b(?:{one_of(reversed(written))})\b")

    def with_shorthand_digits_read(self, lowered: str) -> str:
        """Lower-case text with its shorthand written with a digit as the words it stands for."""
        pattern = self.shorthand_with_digits
        if pattern is None:
            return lowered
        return pattern.sub(lambda found: self.shorthand[found.group()], lowered)

    def points_back_in_message(self, sentence: str) -> bool:
        """Whether a question sentence points back at what was said before it: a pronoun
        ("when does it start?"), or a demonstrative standing for something, after a question's
        verb ("is that true?") or among little words ("what about that?"); not one naming its
        noun ("this outbreak") or opening a clause ("the factory that closed")."""
        words = LETTER_RUN.findall(sentence.casefold())
        little, verbs = self._little_words, self._question_verbs
        for number, word in enumerate(words):
            if word in self.pointing_pronouns:
                return True
            if word in self.demonstratives:
                before = words[number - 1] if number else ""
                after = words[number + 1] if number + 1 < len(words) else ""
                if before in verbs or (before in little and after in little):
                    return True
        return False

    @cached_property
    def _little_words(self) -> frozenset[str]:
        """Words that name nothing, and "" for the start or the end of a sentence."""
        return self.stop_words | self.question_words | {""}

    @cached_property
    def _question_verbs(self) -> frozenset[str]:
        return frozenset(self.question_openers.verb_words)

    @cached_property
    def phrase_anchors(self) -> frozenset[str]:
        """Every phrase rule's anchor words: a text holding none of them is read as written."""
        return frozenset().union(*(anchors for anchors, _, _ in self.cased_phrases + self.phrases))

    @cached_property
    def _rules_met(self) -> dict[tuple[bool, frozenset[str]], tuple[int, ...]]:
        return {}

    def phrase_rules_met(self, anchors: frozenset[str], *, cased: bool) -> tuple[int, ...]:
        """The positions, in `cased_phrases` or in `phrases`, of the rules anchored on any of
        these words: a text holds one or two anchors, and the other rules cannot match it."""
        key = (cased, anchors)
        met = self._rules_met.get(key)
        if met is None:
            rules = self.cased_phrases if cased else self.phrases
            met = tuple(n for n, (words, _, _) in enumerate(rules) if not words.isdisjoint(anchors))
            if len(self._rules_met) < MAX_REMEMBERED_ANCHOR_SETS:
                self._rules_met[key] = met
        return met

    @cached_property
    def passed_over_after_question_word(self) -> frozenset[str]:
        """Words after "what" or "which" that name no kind of thing asked: a verb ("what
        happens"), the source ("what does the guide say") or when it holds ("the current
        chair")."""
        return (
            self.verbs_after_question_word | self.source_words | self.modifiers_after_question_word
        )

    def is_adverb(self, word: str) -> bool:
        """Whether a word is "-ly" added to a common English word ("physically", "officially"):
        it says how, never what kind of thing is asked. ("Family" and "supply" are no such
        word: "fami" and "supp" are not English.)"""
        base = word[:-2]
        return (
            word.endswith("ly")
            and len(base) >= ADVERB_BASE_LENGTH
            and self.frequency(base) >= ADVERB_BASE_ZIPF
        )

    def frequency(self, word: str) -> float:
        """How common a word is in general English (Zipf scale: 7 'the', 3 'acronym'); a name
        of a country or a people counts as rare, whatever its frequency."""
        if word in self.names:
            return RARE_ZIPF
        return self.zipf.get(word, RARE_ZIPF)

    def adapted(
        self,
        *,
        extra_stop_words: Iterable[str] = (),
        topic_words: Iterable[str] = (),
        phrases: Iterable[str] = (),
    ) -> Language:
        """This language with one knowledge base's additions (see MatcherSettings)."""
        extra = frozenset(w.casefold() for w in extra_stop_words)
        kept = frozenset(w.casefold() for w in topic_words)
        joined = tuple(_phrase_rule(p.casefold().split()) for p in phrases if len(p.split()) > 1)
        return replace(
            self,
            stop_words=(self.stop_words | extra) - kept,
            noise_words=self.noise_words - kept,
            source_words=self.source_words - kept,
            modifiers_after_question_word=self.modifiers_after_question_word - kept,
            phrases=self.phrases + joined,
        )


@cache
def english() -> Language:
    """The packaged English data, read once per process."""
    data_dir = resources.files("bot.search") / "data"
    # libyaml reads the file ten times faster than PyYAML's Python parser: a cold `ask` feels it.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load((data_dir / "english.yaml").read_text(encoding="utf-8"), Loader=loader)
    for name in (
        "stop_words",
        "question_words",
        "noise_words",
        "source_words",
        "verbs_after_question_word",
        "modifiers_after_question_word",
        "after_noun_phrase",
        "kind_nouns",
        "verbs_asking_who",
        "condition_words",
        "hearsay",
        "pointing_pronouns",
        "demonstratives",
        "pointing_also",
        "adding_to_it",
        "exclusions",
        "attribute_nouns",
        "names",
        "given_names",
        "titles",
        "other_language_words",
    ):
        _all_words(name, raw[name])
    for name in ("shorthand", "irregular_verbs", "comparatives"):
        _all_words(name, [*raw[name], *raw[name].values()])
    openers = raw["question_openers"]
    for name, words in openers.items():
        _all_words(f"question_openers: {name}", words)
    sources = one_of(raw["source_words"])
    pointing = [*raw["pointing_pronouns"], *raw["demonstratives"]]
    return Language(
        stop_words=frozenset(raw["stop_words"]),
        question_words=frozenset(raw["question_words"]) | {HOW_MUCH},
        noise_words=frozenset(raw["noise_words"]),
        shorthand=MappingProxyType(dict(raw["shorthand"])),
        # One lookup for every form the stemmer does not reduce: past forms, comparatives.
        base_forms=MappingProxyType({**raw["comparatives"], **raw["irregular_verbs"]}),
        source_words=frozenset(raw["source_words"]),
        verbs_after_question_word=frozenset(raw["verbs_after_question_word"]),
        modifiers_after_question_word=frozenset(raw["modifiers_after_question_word"]),
        after_noun_phrase=frozenset(raw["after_noun_phrase"]),
        kind_nouns=frozenset(raw["kind_nouns"]),
        verbs_asking_who=frozenset(raw["verbs_asking_who"]),
        condition_words=frozenset(raw["condition_words"]),
        hearsay=re.compile(rf"\b(?:{one_of(raw['hearsay'])})\b", re.IGNORECASE),
        pointing_pronouns=frozenset(raw["pointing_pronouns"]),
        demonstratives=frozenset(raw["demonstratives"]),
        exclusions=re.compile(
            rf"\b(?:{one_of(sorted(raw['exclusions'], key=len, reverse=True))})\b",
            re.IGNORECASE,
        ),
        # the attribute's noun up to two words after the question word ("which political party")
        asks_an_attribute=re.compile(
            rf"\b(?:what|which)\s+(?:\w+\s+){{0,2}}?({one_of(raw['attribute_nouns'])})\b",
            re.IGNORECASE,
        ),
        question_openers=QuestionOpeners(**{k: tuple(v) for k, v in openers.items()}),
        names=frozenset(raw["names"]),
        given_names=frozenset(raw["given_names"]),
        titles=frozenset(raw["titles"]),
        other_language_words=frozenset(raw["other_language_words"]),
        phrases=tuple(_data_rule(*rule) for rule in raw["phrases"]),
        cased_phrases=tuple(_data_rule(*rule) for rule in raw["cased_phrases"]),
        question_phrases=tuple(
            (re.compile(p.replace("SOURCE", sources), re.IGNORECASE), repl)
            for p, repl in raw["question_phrases"]
        ),
        not_question=re.compile(raw["not_questions"]),
        help_requests=re.compile(raw["help_requests"]),
        person_requests=re.compile(raw["person_requests"]),
        courtesies=re.compile(
            "|".join(f"(?:{_joined(c)})" for c in raw["courtesies"]), re.IGNORECASE
        ),
        points_back=re.compile(
            rf"\b(?:{one_of(pointing, raw['pointing_also'])})\b"
            rf"|^\W*(?:{one_of(raw['adding_to_it'])})\b"
        ),
        opinion_requests=tuple(re.compile(p) for p in raw["opinion_requests"]),
        prediction_requests=tuple(re.compile(p) for p in raw["prediction_requests"]),
        synonyms=tuple(tuple(group) for group in raw["synonyms"]),
        zipf=MappingProxyType(
            _read_frequencies((data_dir / "english-frequency.txt").read_text(encoding="utf-8"))
        ),
    )


def one_of(*groups: Iterable[str]) -> str:
    """A regular expression matching any one of these words, written as they are."""
    return "|".join(re.escape(word) for group in groups for word in group)


def _all_words(name: str, values: Iterable[object]) -> None:
    # YAML reads a bare on/off/yes/no/y/n as a boolean: such words must be quoted.
    odd = [v for v in values if not isinstance(v, str)]
    if odd:
        raise ValueError(f"english.yaml: {name}: {odd} are not words (quote them)")


def _joined(pattern: str | list[str]) -> str:
    """A pattern written in the data file as one string, or as a list of pieces to join (a
    long one, kept readable)."""
    return pattern if isinstance(pattern, str) else "".join(pattern)


def _data_rule(anchors: list[str], pattern: str, replacement: str) -> PhraseRule:
    odd = [word for word in anchors if WORD_RUN.fullmatch(word) is None or word != word.lower()]
    if odd:
        raise ValueError(f"english.yaml: phrase anchors {odd} are not lower-case runs")
    return frozenset(anchors), re.compile(pattern), replacement


def _phrase_rule(words: list[str]) -> PhraseRule:
    """Several words read as one term: "pull request" -> "pullrequest"."""
    pattern = re.compile(r"\b" + r"\s+".join(map(re.escape, words)) + r"\b")
    # Every match holds every word, so the phrase's first run of letters or digits ("covid"
    # of "covid-19 vaccine"). A phrase of no letters and no digits changes no word: no anchor.
    anchors = frozenset(WORD_RUN.findall(" ".join(words).lower())[:1])
    return anchors, pattern, " " + "".join(words) + " "


def _read_frequencies(text: str) -> dict[str, float]:
    frequencies: dict[str, float] = {}
    band = RARE_ZIPF
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        if line.startswith("@"):
            band = float(line[1:])
            continue
        frequencies.update(dict.fromkeys(line.split(), band))
    return frequencies
