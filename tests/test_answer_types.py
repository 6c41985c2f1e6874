from bot.search.answer_types import AnswerType, answer_types_of, wanted_answer_type


def test_questions_that_want_a_count_or_a_date() -> None:
    assert wanted_answer_type("How many people died?") is AnswerType.COUNT
    assert wanted_answer_type("ps752 death toll") is AnswerType.COUNT
    assert wanted_answer_type("when were ties cut") is AnswerType.DATE
    assert wanted_answer_type("what year was the deal abandoned") is AnswerType.DATE
    assert wanted_answer_type("why did canada cut ties") is None


def test_a_year_is_a_date_not_a_count() -> None:
    assert answer_types_of("Canada cut ties in 2012.") == {AnswerType.DATE}
    assert answer_types_of("It killed 176 people in January 2020.") == {
        AnswerType.COUNT,
        AnswerType.DATE,
    }


def test_the_two_countries_is_not_a_count() -> None:
    assert answer_types_of("Trade between the two countries could grow.") == frozenset()
    assert AnswerType.COUNT in answer_types_of("Hundreds were hurt.")


def test_which_month_wants_a_date() -> None:
    assert wanted_answer_type("which month did ps752 go down") is AnswerType.DATE
