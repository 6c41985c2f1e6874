"""What kind of fact a question wants, and whether an answer holds one, in any domain."""

import pytest

from bot.search.answer_types import (
    AnswerType,
    asks_who,
    asks_yes_or_no,
    counted_near_number,
    counted_words,
    declared_answer_types,
    gives,
    gives_a_new_figure,
    gives_a_new_name,
    gives_a_new_person,
    wanted_answer_type,
)
from bot.search.language import english


def _kinds(answer: str) -> set[AnswerType]:
    """Every kind of fact the answer gives."""
    return {kind for kind in AnswerType if gives(answer, kind)}


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("How many people died?", AnswerType.COUNT),
        ("how much does a day pass cost", AnswerType.PRICE),
        ("how much does the 2nd edition of the Bergen road atlas cost", AnswerType.PRICE),
        ("how much is a day pass", AnswerType.PRICE),
        ("how much storage do I get", AnswerType.COUNT),
        ("when were ties cut", AnswerType.TIME),
        ("what year was the deal abandoned", AnswerType.YEAR),
        ("which month did ps752 go down", AnswerType.MONTH),
        ("how long do I have to report it", AnswerType.DURATION),
        ("how long ago did it happen", AnswerType.TIME),
        # How far ahead or back is a stretch of time; how far alone is a distance.
        ("how far ahead can I book", AnswerType.DURATION),
        ("how far in advance do I register", AnswerType.DURATION),
        ("how far back does the history go", AnswerType.DURATION),
        ("how far can an e-bike go on one charge", AnswerType.DISTANCE),
        # A way to reach someone asked by name wants that way.
        ("what's the phone number for support", AnswerType.PHONE),
        ("what is the e-mail address of the office", AnswerType.EMAIL),
        ("what's the web address of the recall", AnswerType.LINK),
        ("what's the street address of the depot", AnswerType.ADDRESS),
        ("what's Ada Lind's direct email?", AnswerType.EMAIL),  # a possessor of two words
        ("how often is the community call", AnswerType.TIME),
        ("ps752 date", AnswerType.TIME),
        ("why did canada cut ties", None),
        # The first question word decides: this asks for a place, not a time.
        ("where was the plane flying to when it went down", AnswerType.PLACE),
        ("where do the nuclear talks stand", None),  # how things are, not where
        ("How many people died when Flight PS752 was shot down?", AnswerType.COUNT),
        # Whoever came before someone or something named; "before" a time or an event is not.
        ("Who was chief executive before Fiona Delaney-Walsh?", AnswerType.PREDECESSOR),
        ("which company owned the plant before Glenmore took it over", AnswerType.PREDECESSOR),
        ("who ran the agency before Dr Brennan-Keane", AnswerType.PREDECESSOR),
        # Chat writes names in lower case: a word that is no English word is still a name.
        ("who was the spokesperson before kanaani", AnswerType.PREDECESSOR),
        ("who was the spokesperson before launch", AnswerType.NAME),
        # Whoever did something is named; who may or must do it is described.
        ("who founded the company", AnswerType.NAME),
        ("Who chairs the appeals board?", AnswerType.NAME),
        ("who reported the bug", AnswerType.NAME),
        ("who can apply for the grant", None),
        ("who needs a permit", None),
        ("what happens before launch", None),
        ("What had been building up for years before Canada pulled the plug?", None),
        # A yes-or-no question asks no fact, unless a question after it does.
        ("do I have to wear a helmet when riding?", None),
        ("is there a spin class on Mondays? what time", AnswerType.CLOCK),
        ("Is there an Aqua Fit class on Thursdays, and what time?", AnswerType.CLOCK),
        ("is it open on Sundays, and when does it close?", AnswerType.TIME),
    ],
)
def test_what_a_question_wants(question: str, wanted: AnswerType | None) -> None:
    assert wanted_answer_type(question) is wanted


@pytest.mark.parametrize(
    "answer",
    [
        "Canada cut ties in 2012.",
        "The call is every Thursday at 16:00 UTC.",
        "Feature freeze starts two weeks before each release.",
        "A minor release ships every 6 weeks.",
        "The team replies within 72 hours.",
        "Stations in parks close at midnight.",
        "Memberships can be paused over the winter.",
        "Relations have been strained for decades.",
        "It happened on 8 January.",
    ],
)
def test_any_expression_of_time_answers_when(answer: str) -> None:
    assert gives(answer, AnswerType.TIME)


def test_names_and_codes_are_not_amounts() -> None:
    assert not gives("Flight PS752 was downed by Iranian forces.", AnswerType.COUNT)
    assert not gives("Version 2 added a plugin system.", AnswerType.COUNT)
    assert not gives("Trade between the two countries could grow.", AnswerType.COUNT)
    assert gives("It killed 55 Canadian citizens.", AnswerType.COUNT)
    assert gives("A day pass costs $8.", AnswerType.COUNT)
    assert gives("Hundreds were hurt.", AnswerType.COUNT)


def test_a_year_is_a_time_not_a_count() -> None:
    assert _kinds("Canada cut ties in 2012.") == {AnswerType.TIME, AnswerType.YEAR}


def test_a_question_for_one_part_of_a_time_wants_that_part() -> None:
    assert wanted_answer_type("What month in 2012 did it happen?") is AnswerType.MONTH
    assert wanted_answer_type("what time does the call start") is AnswerType.CLOCK
    assert not gives("It happened in 2012.", AnswerType.MONTH)
    assert gives("The call is every Thursday at 16:00 UTC.", AnswerType.CLOCK)
    assert gives("He spoke on 8 January.", AnswerType.DAY)
    assert not gives("It happened in January 2020.", AnswerType.DAY)


def test_names_answer_who_holds_a_role() -> None:
    assert wanted_answer_type("who is the treasurer?") is AnswerType.NAME
    assert wanted_answer_type("who is Okafor?") is None
    assert gives("The treasurer is Ada Okafor.", AnswerType.NAME)
    assert not gives("The committee elects a treasurer.", AnswerType.NAME)


def test_an_entry_may_declare_what_it_answers() -> None:
    assert AnswerType.MONTH in declared_answer_types(["when"])  # "when" covers every part
    assert declared_answer_types(["how-many"]) == {AnswerType.COUNT}
    assert declared_answer_types(["who"]) == {AnswerType.NAME}


@pytest.mark.parametrize(
    ("answer", "kind", "holds"),
    [
        ("They reply within 2 business days.", AnswerType.DURATION, True),
        ("Relations have been strained for decades.", AnswerType.DURATION, True),
        ("Logs are kept until you delete the workspace.", AnswerType.DURATION, True),
        ("The export is ready in 3 to 5 days.", AnswerType.DURATION, True),
        ("Canada cut ties in 2012.", AnswerType.DURATION, False),
        ("Hosting costs about 210 US dollars per month.", AnswerType.PRICE, True),
        ("The fine is 50 New Zealand dollars.", AnswerType.PRICE, True),
        ("A day pass costs $8.", AnswerType.PRICE, True),
        ("The Free plan is free.", AnswerType.PRICE, True),
        ("Iran has been asked to pay compensation to the families.", AnswerType.PRICE, False),
        ("It killed 176 people.", AnswerType.PRICE, False),
        ("Traffic fell by around 20 per cent.", AnswerType.PRICE, False),  # a share
        ("She succeeded Tom Byrne as chief executive.", AnswerType.PREDECESSOR, True),
        ("It was owned by Avonmore until 2016.", AnswerType.PREDECESSOR, True),
        ("Fiona Delaney-Walsh is the chief executive.", AnswerType.PREDECESSOR, False),
        ("A stamp costs 68 cents.", AnswerType.PRICE, True),
        ("Call +44 20 7946 0958 or write to help@example.org.", AnswerType.CONTACT, True),
        ("Contact the support team through the app.", AnswerType.CONTACT, False),
        ("Call +44 20 7946 0958 or write to help@example.org.", AnswerType.PHONE, True),
        ("Write to help@example.org.", AnswerType.PHONE, False),
        ("Write to help@example.org.", AnswerType.EMAIL, True),
        ("Write to help@example.org.", AnswerType.LINK, False),  # a mailbox, not a website
        ("Details are at littleacornrecall.ie/batches.", AnswerType.LINK, True),
        ("Version 3.0 follows 2.14, e.g. in May.", AnswerType.LINK, False),
        ("The desk is at the Civic Centre, Market Street.", AnswerType.ADDRESS, True),
        ("Send it to the Civic Centre, KB1 4XY.", AnswerType.ADDRESS, True),
        ("The desk is at the Civic Centre.", AnswerType.ADDRESS, False),
    ],
)
def test_durations_prices_and_contacts(answer: str, kind: AnswerType, holds: bool) -> None:
    assert gives(answer, kind) is holds


def test_a_price_is_an_amount_and_when_covers_a_duration() -> None:
    assert gives("A day pass costs $8.", AnswerType.COUNT)
    assert AnswerType.COUNT in declared_answer_types(["price"])
    assert AnswerType.DURATION in declared_answer_types(["when"])


def test_a_count_names_what_it_counts() -> None:
    stop = english().stop_words
    words = "a pull request needs two approvals".split()
    assert counted_near_number(words, counted_words("how many approvals does it need"), stop)
    assert not counted_near_number(
        "one of the approvals is enough".split(), counted_words("how many approvals"), stop
    )
    # "How many player slots": the thing counted may be either word.
    assert counted_words("How many player slots does it have?") == ("player", "slots")
    assert counted_near_number("hearth has 60 slots".split(), ("player", "slots"), stop)
    # Describing words may stand between; a little word ends what the number counts.
    cameras = "enforced by 41 automatic number plate recognition cameras".split()
    assert counted_near_number(cameras, ("cameras",), stop)
    assert not counted_near_number("5 teams and their players".split(), ("players",), stop)


def test_who_is_answered_only_by_a_name_the_question_does_not_already_say() -> None:
    question = "Who is the CEO of Quayline Mobility Ltd?"
    assert not gives_a_new_name("Quayline Mobility Ltd runs the bikes in the harbour.", question)
    assert gives_a_new_name("Quayline Mobility's chief executive is Mara Lindqvist.", question)
    assert not gives_a_new_name("The United Nations was asked.", "who leads it?")  # common words


def test_the_word_opening_a_sentence_makes_no_name_of_the_capitalised_word_after_it() -> None:
    question = "who is the foreign minister?"
    assert not gives_a_new_name("The Norwegian embassy closed in 2012.", question)
    assert not gives("The Norwegian embassy closed in 2012.", AnswerType.NAME)
    assert gives_a_new_name("The Norwegian Refugee Council wrote to Ada Okafor.", question)


def test_a_person_is_two_name_words_side_by_side() -> None:
    question = "who founded the society?"
    assert gives_a_new_person("It was founded by Ada Okafor.", question)
    assert gives_a_new_person("Councillor Gareth Pryce chairs it.", question)
    assert gives_a_new_person("Its chair is Tom Brannigan.", question)
    assert gives_a_new_person("Its chair is Siobhan O'Brien.", question)
    assert not gives_a_new_person("It meets at Cork Airport.", question)
    assert not gives_a_new_person("Port Averly Transport Authority runs it.", question)
    assert not gives_a_new_person("It flies the Embraer E195-E2.", question)
    assert not gives_a_new_person("Ada Okafor founded it.", "who is Ada Okafor?")  # asked
    assert asks_who("so who founded it?") and not asks_who("what did Ada Okafor found?")


def test_how_much_is_answered_only_by_a_sum_the_question_does_not_already_say() -> None:
    question = "How much will each family get out of the €2 million hardship fund?"
    assert not gives_a_new_figure("Glenmore set up a €2 million hardship fund.", question)
    assert gives_a_new_figure("Each family gets up to €5,000 from the €2 million fund.", question)
    assert gives_a_new_figure("A day pass costs $8.", "how much is a day pass?")  # none asked


def test_a_phrasing_asked_word_for_word_is_not_overruled_by_the_answer_type() -> None:
    from bot.search.index import Document, SearchIndex

    index = SearchIndex(
        [
            # "how many people" answered by a count of members: another name for the same
            Document("members", ["how many ppl are on here"], answer="About 1,200 members."),
            Document("raids", ["how many people can join a raid"], answer="Up to 8 people."),
        ]
    )
    [best, *_] = index.rank("how many ppl are on here")
    assert best.key == "members" and best.lacks_wanted_type == 0.0


def test_a_named_measure_wants_a_number_with_its_unit() -> None:
    assert wanted_answer_type("how much does the folding helmet weigh") is AnswerType.WEIGHT
    assert wanted_answer_type("what's the top speed of an e-bike?") is AnswerType.SPEED
    assert wanted_answer_type("how far can I ride on one charge?") is AnswerType.DISTANCE
    assert wanted_answer_type("is there a weight limit?") is None  # yes or no
    kinds = _kinds("It weighs 18 kg, and the motor assists up to 25 km/h.")
    assert {AnswerType.WEIGHT, AnswerType.SPEED} <= kinds
    assert not gives("Helmets cost $25 at any hub.", AnswerType.WEIGHT)


def test_a_question_asked_about_is_the_question() -> None:
    assert wanted_answer_type("does anyone know when the depot opens?") is AnswerType.TIME
    assert wanted_answer_type("any idea where the lost property office is") is AnswerType.PLACE
    assert not asks_yes_or_no("can you tell me who runs the servers?")
    assert asks_yes_or_no("do you know if the depot opens on Sundays?")
    assert wanted_answer_type("do you know if the depot opens on Sundays?") is None
    # what the source says about a question is that question
    asked = "what does the guide say about when the depot opens?"
    assert wanted_answer_type(asked) is AnswerType.TIME
    assert wanted_answer_type("does it mention how many bins I get") is AnswerType.COUNT
    assert asks_yes_or_no("does the guide say if the depot opens on Sundays?")
    assert wanted_answer_type("what does the guide say about bins") is None


def test_opening_hours_want_times_of_day() -> None:
    assert wanted_answer_type("What are the opening hours of the depot?") is AnswerType.CLOCK
    assert wanted_answer_type("recycling centre opening times") is AnswerType.CLOCK
    assert gives("The centre is open 8am to 6pm daily.", AnswerType.CLOCK)
    assert not gives("The centre is open every day except Christmas.", AnswerType.CLOCK)


def test_how_old_wants_an_age() -> None:
    assert wanted_answer_type("How old is the club's treasurer?") is AnswerType.AGE
    assert wanted_answer_type("what age do you have to be to join?") is AnswerType.AGE
    assert wanted_answer_type("is there an age limit?") is None  # yes or no
    assert gives("Riders must be 16 or older.", AnswerType.AGE)
    assert gives("Members aged 12 to 15 need a parent's consent.", AnswerType.AGE)
    assert gives("You must be at least 18 to borrow tools.", AnswerType.AGE)
    # a news report's age set off after a name
    assert gives("Councillor Ada Byrne, 44, leads the group.", AnswerType.AGE)
    assert gives("Ada Byrne (Labour), 52, who chairs it", AnswerType.AGE)
    assert not gives("Seats went 12, 9 and 4.", AnswerType.AGE)
    # and it is an age, no amount: "how many votes did Byrne get?" is not answered by it
    assert not gives("Councillor Ada Byrne, 44, leads the group.", AnswerType.COUNT)
    assert gives("Seats went 12, 9 and 4.", AnswerType.COUNT)
    assert gives("The club was founded in 1998.", AnswerType.AGE)  # the age of a thing
    # Years of service are no age, nor is a year alone.
    assert not gives("She has been a nurse for 22 years.", AnswerType.AGE)
    assert not gives("The last strike was in 2009.", AnswerType.AGE)


def test_where_is_answered_by_a_named_place_an_address_or_a_link() -> None:
    assert gives("Adaptive bikes are lent at the Harbourside and Eastgate hubs.", AnswerType.PLACE)
    assert gives("Check status.paperlark.com for outages.", AnswerType.PLACE)
    assert not gives("Adaptive bikes can be borrowed for up to four hours.", AnswerType.PLACE)
    assert not gives("Harbour rides are free.", AnswerType.PLACE)  # a capital opening a sentence
    # where a tool keeps something: a file or a folder
    assert gives("It writes a report to `migration-report.md` when done.", AnswerType.PLACE)
    assert gives("Sites now build into dist/ by default.", AnswerType.PLACE)
    assert not gives("Support runs 24/7 and/or by e-mail at 10 km/h.", AnswerType.PLACE)


def test_each_kind_is_checked_on_its_own() -> None:
    assert gives("Canada cut ties in 2012.", AnswerType.YEAR)
    assert not gives("Canada cut ties in 2012.", AnswerType.COUNT)  # a year counts nothing
    assert gives("A day pass costs $8.", AnswerType.COUNT)  # a price is an amount
    assert gives("Raid night starts every Friday at 8 PM.", AnswerType.CLOCK)
    assert not gives("Raid night starts every Friday.", AnswerType.CLOCK)
    assert gives("The e-bike weighs 23 kg.", AnswerType.WEIGHT)
    assert not gives("The e-bike weighs 23 kg.", AnswerType.SPEED)
    assert gives("Ada Okafor chairs the board.", AnswerType.NAME)
    assert not gives("The board meets monthly.", AnswerType.NAME)


def test_lower_cased_ascii_finds_what_case_folding_finds() -> None:
    """The answer patterns search lower-cased ASCII text case-sensitively for speed, and
    rule out text without any piece a match needs: every answer of every knowledge base
    here, and a time written in each way the time patterns know, in any case, gives the
    same kinds either way."""
    from pathlib import Path

    import bot.search.answer_types as answer_types
    from bot.library import load_library

    root = Path(__file__).resolve().parent.parent
    answers = ["The 9 AM Standup, 3 WEEKS before Release; $40 or 25 KM/H at 5 P.M. EST."]
    for directory in [root / "knowledge", *sorted((root / "tests/data/kb").iterdir())]:
        library, _ = load_library(directory)
        assert library is not None
        answers += [entry.answer for entry in library.snapshot.entries]
    units = "second minute min hour hr day night week fortnight month quarter year yr decade"
    units += " century semester season weekend"
    for unit in units.split():
        answers += [f"It runs {unit}s, a few {unit}s.", f"Once a {unit}.", f"within the {unit}"]
    times = "daily nightly weekly fortnightly monthly quarterly yearly annually biweekly"
    times += " biannually today tonight tomorrow yesterday overnight year-round seasonal ago"
    times += " spring summer autumn fall winter morning afternoon evening decades centuries"
    months = "january february march april june july august september october november"
    months += " december jan feb mar apr jun jul aug sep sept oct nov dec"
    answers += [f"Open {word}." for word in (*times.split(), *months.split())]
    answers += ["On May 5.", "5 May", "late may", "the 3rd", "Mondays", "at weekends"]
    caseless = answer_types._Caseless
    found = [*vars(answer_types).values(), *answer_types._TIME_PATTERNS]
    found += [*answer_types._HAS_MEASURE.values(), *answer_types._HAS_TIME_PART.values()]
    patterns = [pattern for pattern in found if isinstance(pattern, caseless)]
    assert len(patterns) >= 12
    for answer in answers:
        for text in (answer, answer.upper(), answer.title(), answer.swapcase()):
            if not text.isascii():
                continue
            for pattern in patterns:
                folded = pattern._folding.search(text)
                lowered = pattern.search(text)
                assert (folded is None) == (lowered is None), (pattern._folding.pattern, text)
                if folded and lowered:
                    assert folded.span() == lowered.span()


def test_a_persons_name_of_common_words_is_a_name_after_a_given_name_or_a_title() -> None:
    # "Stephen" and "Harper" are both common English words; "Stephen" is a given name
    assert gives("Ties were cut under Stephen Harper in 2012.", AnswerType.NAME)
    assert gives("It was chaired by Minister Grace Hall.", AnswerType.NAME)  # a title
    assert not gives("The United Nations could help.", AnswerType.NAME)


def test_a_sum_asked_by_its_name_wants_a_price() -> None:
    for question in [
        "What's the rent for one of the community plots?",
        "what is the fine for riding on the sidewalk",
        "What's the fare from the airport?",
        "what's the deposit for a key",
    ]:
        assert wanted_answer_type(question) is AnswerType.PRICE, question
