"""Reading a chat message before matching: which part asks, and whether it asks at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import Answer, Outcome, Suggestion
from bot.library import load_library
from bot.search.language import english
from bot.search.reading import (
    MessageKind,
    asked_parts,
    question_words_mended,
    read_message,
    sentences_of,
    unstretched,
    without_chat_markup,
    written_in_another_language,
)
from bot.service import QAService, readable_question
from tests.conftest import PROJECT_ROOT


def test_a_long_message_is_matched_on_its_question_sentence() -> None:
    reading = read_message(
        "I grew up in Toronto and my parents' friends lost relatives on that flight. "
        "The families keep saying nobody has been held responsible. "
        "What has Canada actually been demanding from Iran over the shootdown?"
    )
    assert reading.kind is MessageKind.QUESTION
    assert reading.focus == "What has Canada actually been demanding from Iran over the shootdown?"
    assert "Toronto" in reading.context


def test_a_question_after_a_colon_or_a_comma_is_the_question() -> None:
    reading = read_message(
        "I work in logistics so I'm curious about the nuts and bolts: "
        "what would they physically have to set up again?"
    )
    assert reading.focus == "what would they physically have to set up again?"
    assert "logistics" in reading.context


def test_a_question_before_a_comma_stays_with_the_question_after_it() -> None:
    reading = read_message(
        "I've had a calf strain for three weeks and won't be ready in time. "
        "What are my options, can I get money back or defer my entry?"
    )
    assert reading.focus == "What are my options, can I get money back or defer my entry?"


def test_a_condition_before_the_question_is_part_of_it() -> None:
    reading = read_message(
        "We have had the yearly plan since March. If I cancel it now, do I get a refund?"
    )
    assert reading.focus == "If I cancel it now, do I get a refund?"
    assert reading.context == "We have had the yearly plan since March."


def test_a_question_that_points_back_keeps_what_it_points_at() -> None:
    reading = read_message("I park outside most days. Is that allowed?")
    assert reading.focus == "Is that allowed?"
    assert "park" in reading.context


@pytest.mark.parametrize(
    ("message", "focus", "context"),
    [
        (
            "I park outside most days. My friend says I could get banned for it. Is that true?",
            "My friend says I could get banned for it. Is that true?",
            "I park outside most days.",
        ),
        (
            "I run a cafe. I keep hearing the charge is going to be £10 a day, is that right?",
            "I keep hearing the charge is going to be £10 a day is that right?",
            "I run a cafe.",
        ),
        # a question of its own keeps what was heard as context
        (
            "My heating says it's off. Could this be the recall I heard about, and how do I check?",
            "Could this be the recall I heard about, and how do I check?",
            "My heating says it's off.",
        ),
    ],
)
def test_what_was_heard_is_what_is_that_true_asks_about(
    message: str, focus: str, context: str
) -> None:
    reading = read_message(message)
    assert (reading.focus, reading.context) == (focus, context)


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        (
            "I'm on the monthly plan, which is great. Can I pause it in winter?",
            "Can I pause it in winter?",
        ),
        (
            "I need extra days for homework 3, which is due in two days. Is there an extension?",
            "Is there an extension?",
        ),
        # a question word and its verb still ask, question mark or not
        (
            "I only moved to the area last month from out of town, where can I get a parking "
            "permit",
            "where can I get a parking permit",
        ),
        # after a comma, a question mark still makes "which" ask
        (
            "We keep going back and forth between the monthly and the yearly plans for the "
            "family, which one works out cheaper?",
            "which one works out cheaper?",
        ),
    ],
)
def test_a_clause_telling_more_of_a_noun_does_not_ask(message: str, focus: str) -> None:
    assert read_message(message).focus == focus


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        (
            "did they ever work together on anything besides the earthquake aid",
            "did they ever work together on anything",
        ),
        (
            "Besides the lumber mill, which other businesses were destroyed?",
            "which other businesses were destroyed?",
        ),
        (
            "what's the population of the city, not counting the county?",
            "what's the population of the city?",
        ),
        ("Apart from that, when does it open?", "when does it open?"),
        # what is set apart ends with its noun: what follows is still asked
        (
            "is there anything other than cash I can pay with",
            "is there anything I can pay with",
        ),
        ("can I bring anything except a bag to the gig", "can I bring anything to the gig"),
    ],
)
def test_what_a_question_sets_apart_is_not_what_it_asks(message: str, focus: str) -> None:
    assert read_message(message).focus == focus


def test_an_entry_about_what_the_question_sets_apart_is_not_the_answer(
    service: QAService,
) -> None:
    answer = service.ask("have canada and iran cooperated on anything besides the earthquake aid?")
    assert answer.outcome is Outcome.ANSWERED
    assert answer.entry_id == "cooperation-drugs-climate"


def test_abbreviations_do_not_end_a_sentence() -> None:
    assert sentences_of("Iran hit U.S. bases in Iraq. Then what?") == [
        "Iran hit U.S. bases in Iraq.",
        "Then what?",
    ]


@pytest.mark.parametrize("message", ["1", "4", "+1", "-1", "thanks!", "lol", "ok", "ty 🙏"])
def test_acknowledgements_and_bare_numbers_are_not_questions(message: str) -> None:
    assert read_message(message).kind is MessageKind.NOT_A_QUESTION


@pytest.mark.parametrize(
    "message",
    [
        "was Harper right to cut ties?",
        "do you think Iran is serious?",
        "what's your take on the talks",
        "was Harper right?",
        "can you predict what happens next",
        "is it worth going this year?",
        "is the day pass worth the price?",
    ],
)
def test_requests_for_an_opinion_or_a_prediction(message: str) -> None:
    assert read_message(message).kind is MessageKind.OPINION


@pytest.mark.parametrize(
    "message", ["how much is the voucher worth?", "is the warranty worth anything?"]
)
def test_what_something_is_worth_is_a_fact_to_look_up(message: str) -> None:
    assert read_message(message).kind is MessageKind.QUESTION


def test_a_prediction_of_a_year_ahead_is_judged_only_when_no_entry_states_it(
    service: QAService, tmp_path: Path
) -> None:
    message = "will they reopen the embassies by 2027?"
    assert read_message(message).kind is MessageKind.PREDICTION
    answer = service.ask(message)
    assert answer.outcome is Outcome.OPINION and answer.suggestions
    # An entry that states the outlook for the year asked answers it, as any fact.
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "plan.md").write_text(
        "# District plan\n\n## Outlook\n\nThe district projects 4,100 pupils in 2028."
        " Buses leave at 7:15 a.m.\n",
        encoding="utf-8",
    )
    (tmp_path / "plan.yaml").write_text(
        """entries:
  - id: pupils-2028
    question: How many pupils are expected in 2028?
    answer: The district projects 4,100 pupils in 2028.
    citations: [{source: plan, section: Outlook, quote: "projects 4,100 pupils in 2028"}]
  - id: buses
    question: When do the buses leave?
    answer: Buses leave at 7:15 a.m.
    citations: [{source: plan, section: Outlook, quote: "Buses leave at 7:15"}]
""",
        encoding="utf-8",
    )
    library, errors = load_library(tmp_path)
    assert library is not None, errors
    projected = QAService(library)
    answered = projected.ask("how many pupils will there be in 2028?")
    assert answered.answered and answered.entry_id == "pupils-2028"
    assert projected.ask("will the buses leave later by 2030?").outcome is Outcome.OPINION


@pytest.mark.parametrize(
    "message",
    [
        "someone explain the ps752 numbers pls",
        "How should I report a security vulnerability?",
        "Does the article treat Kanaani's statement as a change of heart?",
        "How do I dispute a charge I think is wrong?",
        # Checking what someone said, or what the source forecasts, is asking for a fact.
        "My neighbour says it happened before, with plastic in the tins. Is she right?",
        "is that right?",
        "What is the forecast income for the first year?",
    ],
)
def test_questions_and_requests_are_questions(message: str) -> None:
    assert read_message(message).kind is MessageKind.QUESTION


def test_the_service_matches_nothing_for_a_bare_number_or_thanks(service: QAService) -> None:
    for message in ["4", "+1", "thanks"]:
        answer = service.ask(message)
        assert answer.outcome is Outcome.EMPTY, message
        assert answer.text is None and not answer.suggestions
    # A blank message, or only emoji, is offered some topics to start from.
    assert service.ask("🙂").suggestions


def test_an_opinion_request_is_not_answered_as_a_fact(service: QAService) -> None:
    answer = service.ask("was Harper right to cut ties with Iran?")
    assert answer.outcome is Outcome.OPINION
    assert not answer.answered and "can't judge" in answer.message
    assert answer.suggestions  # what the knowledge does say on the topic


def test_an_opinion_request_a_moderator_wrote_as_a_phrasing_is_answered(
    service: QAService,
) -> None:
    """ "Is restoring relations worth it" reads as a request for an opinion, but the knowledge
    has an entry with it as a phrasing: the entry answers, word for word or nearly."""
    assert read_message("is restoring relations worth it").kind is MessageKind.OPINION
    answer = service.ask("Is restoring relations worth it?")
    assert answer.answered and answer.entry_id == "faq-benefits-of-engagement"
    # Not written as a phrasing: still not judged.
    assert service.ask("is the whole thing really worth it").outcome is Outcome.OPINION


def test_a_request_phrased_as_a_statement_is_answered(service: QAService) -> None:
    answer = service.ask("someone explain how many canadians died on ps752 pls")
    assert answer.answered and answer.text and "55" in answer.text


@pytest.mark.parametrize(
    "message",
    [
        "hi bot",
        "Hey there!",
        "good morning everyone",
        "help",
        "help me",
        "what can you do?",
        "who are you?",
        "what is this bot for",
        "sources?",
        "where do you get your info from?",
    ],
)
def test_a_greeting_or_a_call_for_help_asks_what_the_bot_knows(
    message: str, service: QAService
) -> None:
    assert read_message(message).kind is MessageKind.HELP
    answer = service.ask(message)
    assert answer.outcome is Outcome.EMPTY and answer.suggestions  # some questions to start
    # ...and what it answers from
    assert answer.sources == ("Iran Signals Thaw? Ready for Canada Talks, But Ottawa Must Lead",)
    assert f"I answer from “{answer.sources[0]}”." in answer.message


def test_a_help_reply_names_a_few_sources_and_counts_the_rest() -> None:
    titles = tuple(f"Report {n}" for n in range(1, 6))
    answer = Answer("help", Outcome.EMPTY, suggestions=(Suggestion("a", "A?"),), sources=titles)
    assert "I answer from “Report 1”, “Report 2”, “Report 3” and 2 more." in answer.message


@pytest.mark.parametrize("message", ["hi, when did canada cut ties?", "can you help me with ps752"])
def test_a_question_after_a_greeting_is_a_question(message: str) -> None:
    assert read_message(message).kind is MessageKind.QUESTION


def test_whom_a_message_addresses_is_no_part_of_the_question(service: QAService) -> None:
    plain = service.ask("when did canada cut ties with iran")
    for addressed in (
        "@alice when did canada cut ties with iran",
        "when did canada cut ties with iran @Moderators @everyone",
    ):
        answer = service.ask(addressed)
        assert answer.entry_id == plain.entry_id
        assert answer.confidence == pytest.approx(plain.confidence)
    # An e-mail address is not a mention: its words stay.
    assert "everyone" in read_message("mail team@everyone.com").focus


def test_emoji_codes_and_links_are_no_part_of_the_question(service: QAService) -> None:
    plain = service.ask("when did canada cut ties with iran")
    for marked in (
        "when did canada cut ties with iran :thinking_face:",
        "when did canada cut ties with iran?? :pray::pray: :flag-ca: :+1:",
        "when did canada cut ties with iran <3",
        "when did canada cut ties with iran https://www.cbc.ca/news/world/iran-canada-1.6789",
        "when did canada cut ties with iran (www.example.org/story?id=4)",
    ):
        answer = service.ask(marked)
        assert answer.entry_id == plain.entry_id, marked
        assert answer.confidence == pytest.approx(plain.confidence), marked
    # Only emoji codes, or only a link: nothing asked, as with a message of only emoji.
    for bare in (":wave:", "https://www.cbc.ca/news/x"):
        assert service.ask(bare).suggestions == service.ask("🤔").suggestions != ()


@pytest.mark.parametrize(
    ("message", "read"),
    [
        ("at 10:30:00 or 10:30?", "at 10:30:00 or 10:30?"),  # times are no emoji codes
        ("is the ratio 3:2:1", "is the ratio 3:2:1"),
        ("what is 2<3", "what is 2<3"),
        ("mail support@corvane.example", "mail support@corvane.example"),
        ("hey :wave: is it open", "hey\nis it open"),  # an emoji code ends a sentence
    ],
)
def test_what_looks_like_chat_markup_but_is_not_stays(message: str, read: str) -> None:
    assert without_chat_markup(message) == read


COURTESIES = (
    "{} tia",
    "{} thanks in advance",
    "{} sorry if this was asked before",
    "{} I couldn't find it",
    "{} much appreciated",
    "{} thx!",
    "{} :)",
    "quick question: {}",
    "{} (asking for a friend)",
    "{} any idea?",
    "good morning all, {}",
    "not sure if this is the right channel but {}",
    "apologies if this is obvious, {}",
    "{} (sorry if wrong channel)",
    "newbie here, {}",
    "{} cheers, Tom",
    "{}\n- Sam",
    "{} EDIT: typo",
    "help! {}",
    "{} can anyone help?",
    "{} kthx",
    "ok random question, {}",
    "hello?? anyone around? {}",
    "bump ^^ {}",
    "not sure if anyone can help but {}",
    "can someone help me out, {} would really appreciate it",
    "Hello lovely people 💕 {} xx Bev",
    "sorry to be that person again lol {}?",
    "pls help 😭 {} thank u in advance!!",
)


@pytest.mark.parametrize(
    ("knowledge", "question"),
    [
        ("release", "Which port does the development server listen on by default in 3.0?"),
        ("airline", "What's the absolute heaviest a checked bag is allowed to be?"),
        ("release", "Under which licence is Thistledown 3.0 distributed?"),
    ],
)
def test_courtesies_around_a_question_change_nothing(knowledge: str, question: str) -> None:
    service = QAService.from_directory(PROJECT_ROOT / "tests" / "data" / "kb" / knowledge)
    plain = service.ask(question)
    for courtesy in COURTESIES:
        polite = service.ask(courtesy.format(question))
        assert (polite.outcome, polite.entry_id) == (plain.outcome, plain.entry_id), courtesy


def test_context_no_entry_in_the_running_shares_a_word_with_is_left_out() -> None:
    service = QAService.from_directory(PROJECT_ROOT / "tests" / "data" / "kb" / "congestion-charge")
    question = "How is the council planning to spend the money raised by the charge"
    alone = service.ask(question)
    for message in (
        f"Hey! Hope this is the right place to ask. {question}?",
        f"{question}?? been stuck on this for hours lol",
    ):
        answer = service.ask(message)
        assert (answer.outcome, answer.entry_id) == (alone.outcome, alone.entry_id), message


@pytest.mark.parametrize(
    "message",
    [
        "My coworker and I were debating this, so settling it here: who started the project",
        "Not urgent, just curious: who started the project?",
        "who started the project — sorry if that's obvious, I'm new to all this",
        "bump :pray: who started the project",
        "who started the project :confused: any pointers appreciated",
        "quick q (prob asked a million times, sorry) who started the project?",
        # where the asker already looked
        "i searched the pins and the faq and couldnt find it... who started the project?",
        "who started the project? (already scrolled back through the pinned msgs, no luck)",
        "who started the project? googled it for like 20 min and got nowhere lol",
        "I've been googling for like an hour with no luck 🙃 who started the project?",
        "who started the project\nhad a look on the website + fb page already",
        "Hi all - who started the project? I looked around but couldn't find a clear answer",
        "@Sam sorry to tag you directly but who started the project?",
        "hope it is ok to ask here. who started the project? have a nice day",
        "Question for the group: who started the project?",
        "not sure this is the right channel, feel free to move it\nwho started the project?",
        "who started the project? Any input appreciated.",
        "hey either of u around? who started the project?",
        "srry for the ping, who started the project",
    ],
)
def test_the_question_is_read_apart_from_what_leads_or_trails_it(message: str) -> None:
    assert read_message(without_chat_markup(message)).focus == "who started the project" + (
        "?" if "?" in message else ""
    )


def test_an_emoji_ends_a_sentence_and_a_lead_before_but_is_no_part_of_the_question() -> None:
    assert sentences_of("go easy on me 😂 Who started it?") == [
        "go easy on me 😂",
        "Who started it?",
    ]
    reading = read_message(
        "Hey all, apologies if this is a basic one, but who started the project?"
    )
    assert reading.focus == "who started the project?"


@pytest.mark.parametrize(
    "message", ["thanks in advance!", "cheers, Tom", "sorry if this was asked before"]
)
def test_a_message_of_courtesies_alone_asks_nothing(message: str) -> None:
    assert read_message(message).kind is MessageKind.NOT_A_QUESTION


def test_a_courtesy_takes_nothing_a_question_names() -> None:
    # A capitalised last word without a thanks or a dash before it is no signature.
    assert read_message("what do I get with the fare in London").focus.endswith("London")
    assert read_message("which tours are there? I love Paris").context == "I love Paris"
    assert "help" in read_message("I'm not sure what help is available for renters").focus
    assert read_message("any tips for race day?").focus == "any tips for race day?"
    assert read_message("Is the help desk open? Thanks, Sam.").focus == "Is the help desk open?"
    # where one looked is left out, not what one looked for or what went wrong there
    looked = read_message("I looked on the website for the price of a day pass but no luck")
    assert "price of a day pass" in looked.focus
    assert "search page" in read_message("I tried the new search page, how do I fix it?").focus
    for asks in (
        "how do I search the archives?",
        "where can I read the docs?",
        "is there a way of searching the archives?",
    ):
        assert read_message(asks).focus == asks
    # a greeting is a word of the day only before its comma or line's end
    assert read_message("morning, who started it?").focus == "who started it?"
    assert read_message("morning sessions, when do they start?").focus.startswith("morning")
    # what a courtesy taken out leaves behind is tidied: the question reads as asked
    for message in (
        "who started it, any ideas?",
        "who started it (sorry if this was asked before)?",
        "who started it , any pointers appreciated?",
    ):
        assert read_message(message).focus == "who started it?"
    # after other words, a dash still sets a lead apart from the question
    reading = read_message("@Coach Rivera quick q - who started the project")
    assert (reading.focus, reading.context) == ("who started the project", "Rivera")


@pytest.mark.parametrize(
    ("message", "focus"),
    [
        # what the asker already did, told beside the question, is no second question
        ("who started the project\nhad a look on the website already", "who started the project"),
        ("who started the project? did some digging, nothing", "who started the project?"),
        # a second question put to someone still asks, with or without its question mark
        (
            "who started the project? is it still going",
            "who started the project? is it still going",
        ),
        ("who started it? has the project ended?", "who started it? has the project ended?"),
    ],
)
def test_a_sentence_opening_as_a_question_asks_beside_a_plain_question_only_of_someone(
    message: str, focus: str
) -> None:
    assert read_message(message).focus == focus


@pytest.mark.parametrize(
    ("message", "read"),
    [
        ("whn did it start", "when did it start"),
        ("Whre is the office", "where is the office"),
        ("whih bus goes there", "which bus goes there"),
        ("waht is it", "what is it"),
        # English words, shorthand and words no one slip from a single question word stay
        ("whit sunday fair", "whit sunday fair"),
        ("whos the leader", "whos the leader"),
        ("wha is it", "wha is it"),
        # a capitalised word inside a sentence is a name
        ("when did Hoa join", "when did Hoa join"),
        ("hi\nWhih one", "hi\nwhich one"),
    ],
)
def test_a_question_word_typed_with_a_slip_is_read_as_the_word(message: str, read: str) -> None:
    assert question_words_mended(message, english()) == read


def test_a_line_break_ends_a_sentence(service: QAService) -> None:
    message = "I grew up in Toronto\nwhat does canada want from iran\nty"
    reading = read_message(readable_question(message))
    assert reading.focus == "what does canada want from iran"
    assert service.ask(message).entry_id == service.ask("what does canada want from iran").entry_id


@pytest.mark.parametrize(
    ("message", "read"),
    [
        ("whyyy did canada cut ties sooo long ago", "why did canada cut ties so long ago"),
        ("pleeeease, Heeeelp", "please, Help"),
        ("goood one lolll", "good one lol"),
        ("blarrrgh", "blarrgh"),  # no English word: each stretch cut to two letters
        ("AAA batteries, zzz, Part III, 1000 people", "AAA batteries, zzz, Part III, 1000 people"),
    ],
)
def test_a_word_stretched_for_effect_is_read_as_the_word(message: str, read: str) -> None:
    assert unstretched(message, english()) == read


def test_a_stretched_question_word_still_asks(service: QAService) -> None:
    plain = service.ask("why did canada cut ties with iran")
    stretched = service.ask("whyyyy did canada cut ties with iran sooo long ago")
    assert plain.answered and stretched.entry_id == plain.entry_id


def test_a_long_paste_is_read_around_its_last_question(service: QAService) -> None:
    from bot.service import MAX_QUESTION_CHARS

    story = "We argued about this in our reading group and nobody agreed on anything. " * 20
    question = "How many Canadians died on that plane?"
    assert len(story) > MAX_QUESTION_CHARS
    for message in (story + question, question + " " + story):
        answer = service.ask(message)
        assert answer.answered and answer.text and "55" in answer.text
        assert len(answer.question) <= MAX_QUESTION_CHARS and question in answer.question


def test_the_window_keeps_the_sentences_before_the_question() -> None:
    from bot.search.reading import message_window

    text = "First. Second one here. Third? Fourth."
    assert message_window(text, 100) == text
    assert message_window(text, 25) == "Second one here. Third?"
    assert message_window("x" * 50 + "?", 10) == "x" * 9 + "?"


@pytest.mark.parametrize(
    "message", ["talk to a human", "Can I speak to a moderator?", "ask a mod", "human please"]
)
def test_a_request_for_a_person_is_not_a_question(message: str) -> None:
    assert read_message(message).kind is MessageKind.PERSON


@pytest.mark.parametrize(
    "message", ["how do I talk to a human about my refund?", "who are the mods", "what is a mod"]
)
def test_a_question_about_people_is_a_question(message: str) -> None:
    assert read_message(message).kind is MessageKind.QUESTION


@pytest.mark.parametrize(
    "message", ["ایران و کانادا چه زمانی روابط را قطع کردند؟", "伊朗和加拿大什么时候断交", "когда"]
)
def test_a_question_in_another_script_is_told_the_bot_reads_english(
    message: str, service: QAService
) -> None:
    answer = service.ask(message)
    assert not answer.answered and "only read questions in English" in answer.message
    # A question in English the knowledge lacks is told so plainly, accents or not.
    assert "only read" not in service.ask("is the café at the embassy open?").message


@pytest.mark.parametrize(
    "message",
    [
        "¿Cuándo cortó Canadá relaciones diplomáticas con Irán?",
        "Pourquoi le Canada a-t-il rompu ses relations avec l'Iran ?",
        "Warum hat Kanada die Beziehungen zum Iran abgebrochen?",
        "Waarom heeft Canada de banden met Iran verbroken?",
    ],
)
def test_a_question_in_another_latin_language_is_told_the_bot_reads_english(
    message: str, service: QAService
) -> None:
    answer = service.ask(message)
    assert not answer.answered
    # The closest topics still come with it: a reader of English may find theirs there.
    assert answer.message.startswith("I can only read questions in English. The closest")
    assert answer.suggestions


@pytest.mark.parametrize(
    "message",
    [
        "is the café at the embassy open?",
        "café au lait price",
        "when does the ferry to Montréal leave",
        "was the embassy closed in 2012",
        "Was ist der Grund?",  # German, but "was" reads as English: told plainly, no harm
    ],
)
def test_english_with_a_borrowed_word_is_read_as_english(message: str) -> None:
    assert not written_in_another_language(message)


def test_a_message_asking_two_things_has_two_parts() -> None:
    assert asked_parts("How far is it, and is there a bus I can get?") == (
        "How far is it",
        "is there a bus I can get?",
    )
    assert asked_parts("What do volunteers get? And when do applications close?") == (
        "What do volunteers get?",
        "And when do applications close?",
    )
    # one question, however many "and"s inside it
    assert asked_parts("Can I bring food and drinks into the park?") == ()
    assert asked_parts("Is it free for children and students?") == ()
    # "and can't run": a clause of the same question, not a second one
    assert asked_parts("Can I get a refund if I'm injured and can't run?") == ()
    assert asked_parts("Can I bring a dog and can it ride the shuttle?") == (
        "Can I bring a dog",
        "can it ride the shuttle?",
    )
    # a question word after a preposition opens one too; the preposition alone goes on
    assert asked_parts("Is the pool open on Sundays, and for how long?") == (
        "Is the pool open on Sundays",
        "for how long?",
    )
    assert asked_parts("Is it open for members and for guests?") == ()


def test_has_or_have_after_and_opens_a_second_question_only_with_whom_it_asks_of() -> None:
    assert asked_parts(
        "Did Iran promise to work with investigators, and has Canada asked for anything?"
    ) == ("Did Iran promise to work with investigators", "has Canada asked for anything?")
    assert asked_parts("Is it open and have they fixed the lift?") == (
        "Is it open",
        "have they fixed the lift?",
    )
    # the same question going on
    assert asked_parts("Do I pay at the door and have to bring ID?") == ()
