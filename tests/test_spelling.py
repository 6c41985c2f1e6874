"""Slips of the keyboard in everyday English words are read as those words."""

from bot.search.index import Document, SearchIndex
from bot.search.language import english
from bot.search.spelling import Spelling, spelling


def test_a_slip_of_a_common_word_is_read_as_that_word() -> None:
    words = spelling(english())
    assert words.respelled("recieve") == "receive"
    assert words.respelled("keybord") == "keyboard"
    assert words.respelled("contribtors") == "contributors"


def test_english_words_rare_words_and_short_words_are_left_alone() -> None:
    words = spelling(english())
    assert words.respelled("receive") is None  # already English
    assert words.respelled("ljubljana") is None  # nothing common is one slip away
    assert words.respelled("pas") is None  # too short to tell "pay" from "was"


def test_three_letter_words_are_respelled_only_by_a_swap() -> None:
    words = Spelling({"the": 7.5, "pay": 5.0, "was": 6.5})
    assert words.respelled("hte") == "the"
    assert words.respelled("pas") is None


def test_ties_go_to_the_more_common_word() -> None:
    words = Spelling({"cart": 4.0, "card": 5.0})
    assert words.respelled("carx") == "card"


def test_a_misspelt_word_weighs_what_the_word_it_stands_for_weighs() -> None:
    index = SearchIndex([Document("a", ["how do I get a refund"], answer="Ask support.")])
    # coverage: the share of the question's weight in words the entry holds
    misspelt = index.rank("how do I recieve a refund")[0].coverage
    unknown = index.rank("how do I zyxwv a refund")[0].coverage
    assert unknown < misspelt < 1  # read as "receive", a common word; not as a rare one


def test_a_rare_real_word_that_swaps_into_a_common_stop_word_is_that_slip() -> None:
    words = spelling(english())
    stop_words = english().stop_words
    assert words.swapped_from("dose", stop_words) == "does"
    assert words.swapped_from("form", stop_words) is None  # a word people mean as written
    assert words.swapped_from("fi", stop_words) is None  # "sci-fi", not "if"


def test_a_slip_of_a_word_the_knowledge_holds_in_another_form_finds_it() -> None:
    index = SearchIndex(
        [
            Document("labels", ["which labels are there for a beginner"], answer="good-first."),
            Document("other", ["which labels do releases get"], answer="release."),
        ]
    )
    # "begginers" is two slips from "beginner": read as "beginners", whose term is known.
    [best, *_] = index.rank("wich labels are for begginers")
    assert best.key == "labels" and best.coverage == 1.0


def test_a_question_that_swaps_a_stop_word_into_a_rare_word_loses_nothing() -> None:
    index = SearchIndex([Document("pass", ["what does a day pass cost"], answer="$8.")])
    [best] = index.rank("how much dose a day pass cost")
    assert best.coverage == 1.0  # "dose" read as "does", not as a word the knowledge lacks


def test_a_short_word_with_a_letter_dropped_is_the_one_known_word_it_fits() -> None:
    index = SearchIndex(
        [
            Document("start", ["what time does the race start"], answer="At 9."),
            Document("fire", ["where did the fire start"], answer="In the hills."),
            Document("free", ["is parking free"], answer="Yes."),
        ]
    )
    assert index.correct("tme") == "time"
    assert index.rank("what tme does the race start")[0].coverage == 1.0
    assert index.correct("fre") is None  # "fire" or "free": no telling which


def test_a_short_word_a_letter_short_of_a_known_one_is_a_slip_unless_it_is_common_english() -> None:
    index = SearchIndex(
        [
            Document("pass", ["how much does a day pass cost"], answer="$8."),
            Document("port", ["which port does the ferry leave from"], answer="Dover."),
        ]
    )
    # "cot" is English, but rare: a question about a day pass means "cost" by it...
    assert index.correct("cot") == "cost"
    assert index.rank("how much does a day pass cot")[0].coverage == 1.0
    # ...while "pot" is a word people use, and means itself, not "port".
    assert index.correct("pot") is None


def test_a_rare_english_word_is_no_two_slip_typo_of_another() -> None:
    index = SearchIndex(
        [Document("move", ["can I get my bins collected when moving house"], answer="Yes.")]
    )
    assert index.correct("movng") == "move"  # a slip
    # "moaning" is an English word two slips from "moving", not a slip of it
    assert index.correct("moaning") is None


def test_a_slip_of_a_common_word_never_weighs_more_than_the_word_typed_right() -> None:
    index = SearchIndex(
        [
            Document("budget", ["how is the government budget set"], answer="By the council."),
            Document("park", ["when is the park open"], answer="At 9."),
        ]
    )
    typed_right = index.rank("government budget for zyxwv")[0].coverage
    slipped = index.rank("goverment budget for zyxwv")[0].coverage
    # "government" is a common word, which weighs less than a rare one: so does its slip
    assert slipped < typed_right


def test_a_slipped_name_is_the_known_name_it_is_near_not_a_little_word() -> None:
    index = SearchIndex(
        [
            Document("office", ["when did the Tehran office open"], answer="In 2019."),
            Document("bergen", ["when did the Bergen office open"], answer="In 2021."),
        ]
    )
    # "Tehan" is one letter from "than" as from "Tehran": written as a name, it is the name.
    [best, *_] = index.rank("when did the Tehan office open")
    assert best.key == "office" and not best.lacks_name
