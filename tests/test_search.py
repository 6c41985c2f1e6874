"""Ranking and abstention on the real knowledge, and the index on small made-up entries."""

from __future__ import annotations

import pytest

from bot.answers import Outcome
from bot.search import Document, SearchIndex, decide
from bot.search.answer_types import declared_answer_types
from bot.search.index import named_clauses
from bot.search.language import english
from bot.search.weights import WORD_RARITY_SHARE
from bot.service import QAService

TOY = [
    Document(
        "reset-password",
        ["How do I reset my password?", "forgot password"],
        "Use the reset link on the sign-in page.",
    ),
    Document(
        "billing-date",
        ["When am I billed?", "billing date"],
        "You are billed on the first of each month.",
    ),
    Document(
        "refunds", ["Can I get a refund?", "money back"], "Refunds are possible within 30 days."
    ),
]


def test_exact_phrasing_ranks_its_entry_first() -> None:
    index = SearchIndex(TOY)
    assert index.rank("forgot password")[0].key == "reset-password"


def test_rare_words_outweigh_common_ones() -> None:
    index = SearchIndex(TOY)
    assert index.rank("when is the billing")[0].key == "billing-date"


def test_typos_are_tolerated() -> None:
    index = SearchIndex(TOY)
    best = index.rank("how do i resett my pasword")[0]
    assert best.key == "reset-password"
    assert best.coverage > 0.5


def test_a_form_of_a_real_word_is_that_word_not_a_slip() -> None:
    index = SearchIndex(
        [
            Document("talks", ["who talked to the council"], "The mayor talked to them."),
            Document("running", ["who is running the shop"], "Ada runs the shop."),
        ]
    )
    # "tanked" is one letter from "talked", but it is a form of "tank": nothing to mend.
    assert index.correct("tanked") is None
    # A slip in a form of a word the knowledge holds still finds it.
    assert index.correct("runing") == "run"


def test_unknown_rare_word_lowers_coverage() -> None:
    index = SearchIndex(TOY)
    plain = index.rank("refund")[0]
    foreign = index.rank("refund for the zeppelin")[0]
    assert foreign.coverage < plain.coverage


def test_no_shared_word_gives_no_match() -> None:
    assert SearchIndex(TOY).rank("zeppelin aviation") == []


def test_as_many_matches_as_asked_for() -> None:
    index = SearchIndex(TOY)
    assert index.rank("password refund billing", limit=0) == []
    assert len(index.rank("password refund billing", limit=1)) == 1
    assert len(index.rank("password refund billing", limit=2)) == 2


def test_a_long_message_is_read_with_its_context() -> None:
    """ "Is that true?" names nothing: the sentence before it says what it is about."""
    index = SearchIndex(TOY)
    assert index.rank("is that true?") == []
    matches = index.rank("is that true?", context="My friend says refunds take 30 days.")
    assert matches[0].key == "refunds" and matches[0].with_context


@pytest.mark.parametrize(
    ("question", "entry_fact"),
    [
        ("why did canada break off relations with iran", "nuclear"),
        ("how many canadians died on flight ps752", "55"),
        ("who is the iranian foreign ministry spokesperson", "Kanaani"),
        ("what happened to the canadian embassy in tehran", "clos"),
        ("kanaani ball in canadas court", "court"),
        ("who pulled out of the nuclear deal in 2018", "Trump"),
    ],
)
def test_answers_real_questions_with_the_right_fact(
    service: QAService, question: str, entry_fact: str
) -> None:
    answer = service.ask(question)
    assert answer.outcome is Outcome.ANSWERED, answer
    assert answer.text is not None and entry_fact.casefold() in answer.text.casefold()
    assert answer.citations


@pytest.mark.parametrize(
    "question",
    [
        "how do I reset my discord password",
        "what's the weather in toronto tomorrow",
        "When did Canada cut ties with China?",
        "when did canada cut ties with china",
        "who is iran's supreme leader",
    ],
)
def test_abstains_when_the_knowledge_does_not_cover_it(service: QAService, question: str) -> None:
    answer = service.ask(question)
    assert not answer.answered
    assert answer.text is None
    assert answer.outcome in {Outcome.UNKNOWN, Outcome.DID_YOU_MEAN}


def test_a_typo_in_a_name_still_finds_it(service: QAService) -> None:
    answer = service.ask("what did kanani say")
    assert answer.answered and answer.text and "Kanaani" in answer.text


def test_a_vague_question_gets_did_you_mean_with_at_most_three_distinct_choices(
    service: QAService,
) -> None:
    answer = service.ask("canada")
    assert answer.outcome is Outcome.DID_YOU_MEAN
    ids = [s.entry_id for s in answer.suggestions]
    assert 1 <= len(ids) <= 3 and len(set(ids)) == len(ids)


def test_decide_answers_only_clear_winners() -> None:
    from bot.search.index import Match

    sure = Match("a", 0.98, 1.0, 0.95, "", 1.5)
    runner_up = Match("b", 0.60, 0.6, 0.6, "", 1.5)
    weak = Match("c", 0.2, 0.1, 0.3, "", 1.5, uncovered=1.0)
    assert decide([sure, runner_up]).outcome is Outcome.ANSWERED
    assert decide([weak]).outcome is Outcome.UNKNOWN
    assert decide([]).outcome is Outcome.UNKNOWN
    twin = Match("d", 0.98, 1.0, 0.95, "", 1.5)
    assert decide([sure, twin]).confidence < decide([sure, runner_up]).confidence
    vague = Match("f", 0.95, 1.0, 0.9, "", 0.1)
    assert decide([vague]).outcome is Outcome.DID_YOU_MEAN
    # ...unless it is word for word one of the entry's phrasings ("What is <project>?").
    own_phrasing = Match("f", 0.98, 1.0, 1.0, "", 0.1)
    assert decide([own_phrasing]).outcome is Outcome.ANSWERED


def test_a_long_message_is_not_doubted_for_the_words_its_context_adds() -> None:
    from bot.search.index import Match
    from bot.search.policy import features_of

    # The same match, once for a question naming that much, once for a question read with
    # the sentences around it, which add to what the message names.
    alone = Match("a", 0.7, 0.6, 0.6, "", 2.4)
    in_long_message = Match("a", 0.7, 0.6, 0.6, "", 2.4, with_context=True)
    assert features_of([alone])[-1] == 0.0
    assert features_of([in_long_message])[-1] == pytest.approx(0.8)
    # How much the context adds counts less against the answer than a question naming as much.
    stripped = Match("a", 0.7, 0.6, 0.6, "", 0.6, with_context=True)
    alone_stripped = Match("a", 0.7, 0.6, 0.6, "", 0.6)
    long_lift = decide([in_long_message]).confidence - decide([stripped]).confidence
    alone_lift = decide([alone]).confidence - decide([alone_stripped]).confidence
    assert long_lift > alone_lift


def test_the_role_a_who_question_asks_for_must_be_in_the_entry() -> None:
    index = SearchIndex(
        [
            Document(
                "about",
                ["who is behind the company"],
                "The company is run by Harbour Mobility Ltd, founded in 2019.",
            ),
            Document("ceo", ["who leads the board"], "Ada Brown is the CEO of the board."),
        ]
    )
    # "who is the founder" asks for the one in a role: an entry without the role lacks it...
    about = index.rank("who is the founder of the company")[0]
    assert about.key == "about" and about.lacks_focus
    # ...while "who runs the company" names a deed, not what is asked.
    assert not index.rank("who runs the company")[0].lacks_focus
    # Whose role it is is not the role: "the company's founder" asks for a founder.
    assert index.rank("who is the company's founder")[0].lacks_focus
    # Nor is when it is held: "the current CEO" asks for the CEO.
    ceo = index.rank("who is the current CEO of the board")[0]
    assert ceo.key == "ceo" and not ceo.lacks_focus
    # Nor is which one of it: "the main CEO" asks for the CEO too.
    main = index.rank("who is the main CEO of the board")[0]
    assert main.key == "ceo" and not main.lacks_focus


def test_a_verb_or_the_source_after_what_names_nothing_asked() -> None:
    index = SearchIndex(
        [
            Document(
                "late-return",
                ["what if I return a bike late"],
                "A late return costs 2 euros for each extra half hour.",
            ),
            Document("helmets", ["do I need a helmet"], "Helmets are not required."),
        ]
    )
    # "what colour" asks for a colour, which the entry lacks...
    assert index.rank("what colour is a late bike")[0].lacks_focus
    # ...but "what happens" and "what does the guide say" ask about the late return itself.
    assert not index.rank("what happens if I return a bike late")[0].lacks_focus
    assert not index.rank("what does the guide say about a late return")[0].lacks_focus
    # A slip is read as the word it stands for: the source misspelled, or an asked kind the
    # entry holds.
    assert not index.rank("what does the giude say about a late return")[0].lacks_focus
    assert not index.rank("what are the costts of a late return")[0].lacks_focus
    # A word picking out one of the kind is not the kind: "what specific cost" asks for a cost.
    assert not index.rank("what specific cost is there for a late return")[0].lacks_focus
    # "is there" asks whether the thing after it exists: the entry must speak of it.
    assert index.rank("is there a discount for a late return")[0].lacks_focus
    assert not index.rank("is there a cost for a late return")[0].lacks_focus
    # "what kind of cost" asks for a cost, which an answer names without saying "kind".
    assert not index.rank("what kind of cost is there for a late return")[0].lacks_focus
    assert index.rank("what kind of discount is there for a late return")[0].lacks_focus
    # An adverb says how, never what kind of thing is asked.
    assert not index.rank("what would I physically need for a late return")[0].lacks_focus


def test_what_something_would_look_like_asks_for_the_thing_described() -> None:
    index = SearchIndex(
        [Document("plan", ["what is the first step"], "The first step is a survey of the site.")]
    )
    # "look like" after "what" asks what the thing is: no word of it is a topic the entry lacks.
    assert index.rank("what would the first step look like")[0].uncovered == 0.0
    assert index.rank("what's the first step looking like?")[0].uncovered == 0.0
    # Elsewhere "look" is a word like any other.
    assert index.rank("does the first step look at the site")[0].uncovered > 0.0


def test_chat_idioms_ask_about_their_subject() -> None:
    index = SearchIndex(
        [Document("fee", ["how much is the resident fee"], "Residents pay 60p a day.")]
    )
    # "what's the deal with" asks about what follows; no deal is meant...
    assert index.rank("what's the deal with the resident fee")[0].uncovered == 0.0
    assert index.rank("whats the deal w/ the resident fee")[0].uncovered == 0.0
    # ...and "fee wise" asks about the fee.
    assert index.rank("what do residents pay fee wise")[0].uncovered == 0.0
    assert index.rank("what do residents pay fee-wise")[0].uncovered == 0.0
    # Elsewhere a deal is a deal.
    assert index.rank("is there a deal on the resident fee")[0].uncovered > 0.0
    # "if it goes well": if it succeeds.
    plan = SearchIndex([Document("after", ["what happens after a successful trial"], "A rollout.")])
    assert plan.rank("what happens after the trial if it goes well")[0].uncovered == 0.0
    # "Under what circumstances would they..." asks when they would.
    hardliners = SearchIndex(
        [Document("resist", ["when would hardliners resist talks"], "If they see concessions.")]
    )
    for question in [
        "under what circumstances would hardliners resist talks",
        "in what cases would hardliners resist talks",
    ]:
        assert hardliners.rank(question)[0].uncovered == 0.0, question
    # Chat slang: what messes up a booking affects it; a beef with a plan is a problem with it.
    # Turning a setting on or off is enabling or disabling it.
    phrased = SearchIndex(
        [
            Document("affected", ["is my booking affected by the strike"], "No."),
            Document("problems", ["what problems do residents have with the plan"], "Noise."),
            Document("2fa", ["how do i enable two-factor login"], "Open Settings > Security."),
            Document("alerts", ["can i disable alerts"], "Yes, under Settings > Alerts."),
        ]
    )
    for question, key in [
        ("will the strike mess up my booking", "affected"),
        ("does the strike mess w my booking", "affected"),
        ("whats the residents beef with the plan", "problems"),
        ("how do i turn on two-factor login", "2fa"),
        ("how do you switch on two-factor login", "2fa"),
        ("can alerts be switched off", "alerts"),
        ("can i turn off alerts", "alerts"),
    ]:
        best = phrased.rank(question)[0]
        assert best.key == key and best.uncovered == 0.0, question


def test_the_kind_asked_is_not_lacking_where_given_apart_from_the_name() -> None:
    index = SearchIndex(
        [
            Document(
                "hearing",
                ["is there a hearing"],
                "Ms Berg asked the Oslo committee to hear the case. It meets on 4 March 2025.",
            ),
            Document("other", ["who is Ms Berg"], "Ms Berg is a councillor."),
        ]
    )
    # The date is given, though not beside "Oslo": "date" names the kind asked, not a topic.
    best = index.rank("what date is the Oslo committee hearing?")[0]
    assert best.key == "hearing" and 0 < best.lacks_wanted_type < 1 and not best.lacks_focus


def test_the_asked_kind_of_fact_missing_lowers_confidence() -> None:
    from bot.search.index import Match

    fits = Match("a", 0.9, 1.0, 0.9, "", 1.5)
    lacks = Match("a", 0.9, 1.0, 0.9, "", 1.5, lacks_wanted_type=1.0)
    assert decide([lacks]).confidence < decide([fits]).confidence


def test_ranking_is_deterministic(service: QAService) -> None:
    first = service.library.index.rank("relations between iran and canada", 5)
    again = service.library.index.rank("relations between iran and canada", 5)
    assert first == again


def test_a_number_the_knowledge_does_not_give_is_not_answered(service: QAService) -> None:
    # The knowledge says PS752 families are owed compensation, but not how much was paid.
    answer = service.ask("how much compensation did iran pay the ps752 families")
    # Not answered; the entry is offered ("did you mean", or first of the closest topics).
    assert answer.outcome in (Outcome.DID_YOU_MEAN, Outcome.UNKNOWN)
    assert answer.suggestions[0].entry_id == "ps752-compensation"
    assert service.ask("how many canadian citizens died on ps752").answered


def test_a_near_tie_goes_to_the_entry_asked_most_like_the_question() -> None:
    from bot.search.index import Match
    from bot.search.phrasing import TIE_MARGIN, settle_near_ties

    higher = Match("higher-score", 0.90, 1.0, 0.70, "")
    closer = Match("closer-phrasing", 0.90 - TIE_MARGIN / 2, 1.0, 0.80, "")
    distant = Match("clear-loser", 0.90 - 3 * TIE_MARGIN, 1.0, 0.99, "")
    assert [m.key for m in settle_near_ties([higher, distant, closer])] == [
        "closer-phrasing",
        "higher-score",
        "clear-loser",
    ]
    clear = Match("clear-winner", 0.95, 1.0, 0.50, "")
    assert settle_near_ties([higher, clear])[0].key == "clear-winner"
    assert settle_near_ties([]) == []
    # Of entries as near, one giving the kind of fact asked leads one that lacks it.
    gives = Match("gives-the-fact", 0.90 - TIE_MARGIN / 2, 1.0, 0.60, "")
    lacks = Match("lacks-the-fact", 0.90, 1.0, 0.95, "", lacks_wanted_type=1.0)
    assert settle_near_ties([lacks, gives])[0].key == "gives-the-fact"


def test_a_question_of_common_words_only_looks_at_their_strongest_holders() -> None:
    from bot.search.index import COMMON_SCAN_DEPTH

    # "widget" and "gadget" are in every entry: common words of a large knowledge base.
    documents = [
        Document(f"e{n}", [f"widget gadget part{n} piece{n} extra{n} words{n}"], answer="-")
        for n in range(1500)
    ]
    documents.append(Document("short", ["widget gadget"], answer="-"))
    index = SearchIndex(documents)

    matches = index.rank("widget gadget")
    _, scored, _ = index._candidates(index._query("widget gadget"), 5)

    assert matches[0].key == "short"  # the entry that holds them most, in fewest words
    assert len(scored) <= 2 * COMMON_SCAN_DEPTH < len(documents)


def test_a_number_that_labels_something_must_be_in_the_entry_but_an_amount_need_not() -> None:
    releases = [
        Document(
            "release-cadence",
            ["When is the next release?", "release schedule"],
            "A minor release ships every 6 weeks; version 1.4 is the current one.",
        ),
        Document(
            "approvals",
            ["How many approvals does a change need?"],
            "Every change needs two approvals from maintainers.",
        ),
    ]
    index = SearchIndex(releases)
    assert index.rank("when is version 2.0 coming out?")[0].lacks_name  # 2.0 is not 1.4
    assert not index.rank("when is version 1.4 coming out?")[0].lacks_name
    assert not index.rank("do 2 approvals from one company count?")[0].lacks_name  # amount
    # A number joined to letters labels too: "v2" and "2nd" name release 2, not 1.4.
    assert index.rank("when is v2 coming out?")[0].lacks_name
    assert index.rank("when is the 2nd release?")[0].lacks_name
    # A year names a time: the schedule as it is says nothing of the releases of 2019.
    assert index.rank("what was the release schedule in 2019?")[0].lacks_name
    # A number joined to a unit is a time or an amount: "6pm" is not a release's name.
    assert not index.rank("is the release out by 6pm?")[0].lacks_name
    assert not index.rank("do 2 approvals count if the change is 500kb?")[0].lacks_name


def test_a_number_names_only_itself() -> None:
    levels = [
        Document("level-15", ["What does level 15 unlock?"], "Level 15 unlocks the forge."),
        Document("roles", ["What roles are there?"], "Members get the Wanderer role."),
    ]
    index = SearchIndex(levels)
    assert index.rank("what is unlocked at level 1?")[0].lacks_name  # 1 is not 15
    assert not index.rank("what is unlocked at level 15?")[0].lacks_name


def test_a_capital_letter_labelling_something_must_be_in_the_entry() -> None:
    parking = [
        Document(
            "blue-badge-parking",
            ["Where do Blue Badge holders park?"],
            "Blue Badge holders park free in Car Park B, which has 150 spaces.",
        ),
        Document("grades", ["What mark gets a distinction?"], "A distinction needs 70%."),
    ]
    index = SearchIndex(parking)
    assert index.rank("How many spaces are there in Car Park A?")[0].lacks_name
    assert not index.rank("How many spaces are there in Car Park B?")[0].lacks_name
    # an article or a sentence's first word is no label
    assert not index.rank("What mark do you need for an A?")[0].lacks_name
    assert not index.rank("A distinction needs what mark?")[0].lacks_name


def test_a_range_of_letter_labels_holds_the_letters_between() -> None:
    corrals = [
        Document("corrals", ["When do the corrals open?"], "Corrals A–C open at 7:00."),
        Document("grades", ["What mark gets a distinction?"], "A distinction needs 70%."),
    ]
    index = SearchIndex(corrals)
    for letter in "ABC":
        best = index.rank(f"when does corral {letter} open?")[0]
        assert best.key == "corrals" and not best.lacks_name, letter
    assert index.rank("when does corral D open?")[0].lacks_name  # past the range
    later = SearchIndex([Document("late", ["When do the late corrals open?"], "F to H: 7:30.")])
    assert not later.rank("when does corral G open?")[0].lacks_name
    assert later.rank("when does corral E open?")[0].lacks_name


def test_a_dotted_number_is_read_whole() -> None:
    versions = [
        Document("v14-2", ["What is new?"], "Version 14.2 adds a light theme."),
        Document("v2-14", ["What is new?"], "Version 2.14 adds a dark theme."),
    ]
    index = SearchIndex(versions)
    assert index.rank("what does version 2.14 add?")[0].key == "v2-14"
    assert index.rank("what does version 14.2 add?")[0].key == "v14-2"
    # and names what it labels: the themes of 2.14 say nothing of version 3.0
    assert index.rank("what does version 3.0 add?")[0].lacks_name


def test_typo_memo_stops_growing_but_still_corrects(monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.search.mending as mending_module

    monkeypatch.setattr(mending_module, "MAX_REMEMBERED_WORDS", 3)
    index = SearchIndex(TOY)
    for made_up in ("zorblax", "quimfen", "plossar", "vedrinka", "brumtek"):
        index.correct(made_up)
    assert len(index._mender._corrections) == 3
    assert index.correct("pasword") == index.correct("passwrd") == "password"


def test_word_weights_fall_with_the_entries_holding_a_word_but_never_vanish() -> None:
    from bot.search.weights import WIDE_WORD_ENTRIES, word_weight

    held = [1, 2, 5, 30, 99, WIDE_WORD_ENTRIES, WIDE_WORD_ENTRIES + 1, 1_000, 10_000, 100_000]
    weights = [word_weight(n) for n in held]
    assert weights == sorted(weights, reverse=True) and len(set(weights)) == len(weights)
    # The two curves meet where they are joined...
    assert word_weight(WIDE_WORD_ENTRIES + 1) == pytest.approx(
        word_weight(WIDE_WORD_ENTRIES), rel=0.01
    )
    # ...and a word in a thousand entries still sets them apart in a very large knowledge.
    assert word_weight(1_000) > 0.5 * word_weight(WIDE_WORD_ENTRIES)


def test_an_entry_without_phrasings_is_still_found_by_its_answer() -> None:
    index = SearchIndex(
        [
            Document("answer-only", [], "Bikes are serviced every spring."),
            Document("pedals", ["how do pedals work"], "Pedals turn the chain."),
        ]
    )
    best = index.rank("when are bikes serviced")[0]
    assert best.key == "answer-only" and best.best_phrasing == ""


def test_phrasing_closeness_over_sorted_phrasings_is_the_two_token_ratios() -> None:
    """Phrasings are kept with their words sorted; the closeness is still the mean of
    token_set_ratio and token_sort_ratio over the phrasings as written."""
    import random

    from rapidfuzz import fuzz

    from bot.search.phrasing import phrasing_similarities, sorted_words

    rng = random.Random(4)
    words = ["iran", "canada", "talk", "zzz", "ab", "a", "روابط", "où", "été", "b2", "talks"]
    for _ in range(300):
        query = " ".join(rng.choices(words, k=rng.randint(1, 6)))
        written = [" ".join(rng.choices(words, k=rng.randint(1, 7))) for _ in range(4)]
        expected = [
            (fuzz.token_set_ratio(query, p) + fuzz.token_sort_ratio(query, p)) / 2 for p in written
        ]
        assert phrasing_similarities(query, [sorted_words(p) for p in written]) == expected


def test_names_in_order_and_reversed() -> None:
    from bot.search.phrasing import names_in_order, reverses_names

    names = frozenset({"norway", "sweden", "norwegian"})
    assert names_in_order(["what", "does", "norway", "want", "from", "sweden"], names) == (
        "norway",
        "sweden",
    )
    # "Norwegian" names Norway again: one name is not two.
    assert names_in_order(["norway", "and", "norwegian", "fish"], names) is None
    assert reverses_names(("norway", "sweden"), ["sweden", "wants", "norwegian", "fish"])
    assert not reverses_names(("norway", "sweden"), ["norway", "wants", "swedish", "fish"])
    assert not reverses_names(("norway", "sweden"), ["sweden", "wants", "fish"])


def test_a_question_naming_two_names_prefers_the_phrasing_in_its_order() -> None:
    # Closeness to a phrasing compares sorted words, which cannot tell who wants what from
    # whom; the entry listed first would win the tie without the names' order.
    entries = [
        Document(
            "sweden-wants",
            ["What does Sweden want from Norway?", "sweden's wishes towards norway"],
            "Sweden wants Norway to open its ports to Swedish ships.",
        ),
        Document(
            "norway-wants",
            ["What does Norway want from Sweden?", "norway's wishes towards sweden"],
            "Norway wants Sweden to open its ports to Norwegian ships.",
        ),
    ]
    index = SearchIndex(entries)
    assert index.rank("so what is it Norway wants from Sweden")[0].key == "norway-wants"
    assert index.rank("so what is it Sweden wants from Norway")[0].key == "sweden-wants"


def test_which_kind_wants_one_of_that_kind_named() -> None:
    def lacks(answer: str, question: str = "which groups does Norway fund") -> float:
        index = SearchIndex([Document("funding", ["What does Norway fund?"], answer)])
        return index.rank(question)[0].lacks_wanted_type

    # The entry speaks of the groups but names none: the question asks what it does not say.
    assert lacks("Norway funds several groups. It reviews them in Oslo every year.") == 1.0
    # A name, a number or a list after the kind says which.
    assert lacks("Norway funds two groups: the Bergen Circle and Fjordwatch.") == 0.0
    assert lacks("Norway funds groups such as the Bergen Circle.") == 0.0
    assert lacks("Norway funds the Bergen Circle and other groups.") == 0.0
    assert lacks("Norway funds 14 groups.") == 0.0
    assert lacks("Norway funds one group (Fjordwatch).") == 0.0
    # A name or number in a clause that goes on about something else names none of them.
    assert lacks("Norway funds several groups and reviews them within 28 days.") == 1.0
    assert lacks("Norway funds several groups, which Bergen audits.") == 1.0
    allowed = "The allowed groups are choirs, clubs and leagues."
    assert lacks(allowed, "which groups are allowed") == 0.0
    # An entry that does not speak of the kind may name it otherwise; "what" asks no kind.
    assert lacks("Norway funds the Bergen Circle.") == 0.0
    assert lacks("Norway funds several groups.", "what groups does Norway fund") == 0.0
    # Named beside another name only: the groups Sweden funds are not said.
    both = "Norway funds two groups: Bergen Circle and Fjordwatch. Sweden funds several groups."
    assert lacks(both, "which groups does Sweden fund") == 1.0
    assert lacks(both, "which groups does Norway fund") == 0.0


def test_which_kind_is_the_head_of_a_two_word_noun_phrase() -> None:
    def lacks(answer: str, question: str) -> float:
        index = SearchIndex([Document("funding", ["What does Norway fund?"], answer)])
        return index.rank(question)[0].lacks_wanted_type

    speaks = "Norway funds several groups. It reviews them in Oslo every year."
    # "which local groups does": the kind asked is groups, which the entry speaks of without
    # naming one, though it never says "local".
    assert lacks(speaks, "which local groups does Norway fund") == 1.0
    assert lacks(speaks, "which local groups in Oslo get funding") == 1.0
    named = "Norway funds two groups: the Bergen Circle and Fjordwatch."
    assert lacks(named, "which local groups does Norway fund") == 0.0
    # Before any other word the second may be the verb ("which clubs fund groups"): the kind
    # is the first word alone, which this entry does not speak of.
    assert lacks(speaks, "which clubs fund groups like these") == 0.0


def test_who_wants_a_person_named_not_a_place_or_a_body() -> None:
    def lacks(answer: str, question: str = "who founded the Fjord Choir") -> float:
        index = SearchIndex([Document("choir", ["What is the Fjord Choir?"], answer)])
        return index.rank(question)[0].lacks_wanted_type

    # Its names are a place and a council, named with everyday words: no one founded it here.
    assert (
        lacks("The Fjord Choir sings at Bergen Cathedral, funded by Vestland County Council.") > 0
    )
    # A person: a given name or a title before a name, or two words uncommon in English.
    assert lacks("The Fjord Choir was founded by Peter Evans, who still conducts it.") == 0
    assert lacks("The Fjord Choir was founded by Mayor Ingrid Solberg in 1990.") == 0
    assert lacks("The Fjord Choir was founded by Ingrid Solberg in 1990.") == 0
    # "what is the name of" may ask for a body's name: any new name gives it.
    named = "The Fjord Choir sings at Bergen Cathedral, funded by Vestland County Council."
    assert lacks(named, "what is the name of the council that funds the Fjord Choir") == 0


def test_the_asked_fact_must_be_given_beside_the_name_asked_about() -> None:
    offices = Document(
        "offices",
        ["When did the offices open?"],
        "The Bergen office opened in 2019. Oslo's office is still being planned.",
    )
    index = SearchIndex([offices])
    # A time is there, but about Bergen: for Oslo the entry gives none.
    assert index.rank("when did the Oslo office open")[0].lacks_wanted_type > 0
    assert index.rank("when did the Bergen office open")[0].lacks_wanted_type == 0
    # A name only the entry's phrasings hold is what all of its answer is about.
    tiers = Document("tiers", ["What do the Patreon tiers cost?"], "Gold costs 7 dollars a month.")
    assert SearchIndex([tiers]).rank("what does Patreon cost")[0].lacks_wanted_type == 0
    # One sentence can join two statements: each gives its facts about its own subject.
    joined = Document(
        "offices",
        ["When did the offices open?"],
        "The Bergen office opened in 2019 with 40 staff, and the Oslo office moved to Nydalen.",
    )
    joined_index = SearchIndex([joined])
    assert joined_index.rank("how many staff does the Oslo office have")[0].lacks_wanted_type > 0
    assert joined_index.rank("how many staff does the Bergen office have")[0].lacks_wanted_type == 0


def test_the_asked_fact_must_be_given_beside_the_letter_label_asked_about() -> None:
    zones = Document(
        "zones",
        ["What about Zones D and E?"],
        "Zone D was on alert but never ordered out, and Zone E was on alert until the alert "
        "was lifted on August 10.",
    )
    index = SearchIndex([zones])
    # A date is there, but Zone E's: for Zone D the entry gives none.
    assert index.rank("when was the alert for Zone D lifted")[0].lacks_wanted_type > 0
    assert index.rank("when was the alert for Zone E lifted")[0].lacks_wanted_type == 0
    # An answer that writes no label at all speaks of whatever its phrasings name.
    unlabelled = Document("zone-d", ["When was the Zone D alert lifted?"], "On August 10.")
    assert SearchIndex([unlabelled]).rank("when was Zone D lifted")[0].lacks_wanted_type == 0


def test_a_declared_kind_of_fact_is_given_where_the_answer_shows_it() -> None:
    def lacks(answer: str, declared: str, question: str) -> float:
        answers = declared_answer_types([declared])
        entry = Document("entry", ["What is it?"], answer, answers=answers)
        return SearchIndex([entry]).rank(question)[0].lacks_wanted_type

    # An entry declaring that it gives prices gives them where it shows them.
    fares = "Route B1 costs 3 euros a ride. Route B2 runs hourly from the Bergen ferry."
    assert lacks(fares, "price", "how much is a ride on route B2") > 0
    assert lacks(fares, "price", "how much is a ride on route B1") == 0
    # A declared contact gives the way asked for, unless the answer shows others only.
    desk = "Lost property is kept at the Info Point (lost@example.org)."
    assert lacks(desk, "contact", "what's the phone number for lost property") > 0
    assert lacks(desk, "contact", "what's the email address for lost property") == 0
    # A declared "when" gives the time of day unless the answer shows a date and no time.
    polling = "Polling day was Thursday 7 May."
    assert lacks(polling, "when", "what time did the polls close") > 0
    assert lacks(polling, "when", "what day was polling day") == 0


def test_a_time_price_measure_or_name_must_be_stated_with_what_it_belongs_to() -> None:
    passes = Document(
        "passes",
        ["What if I can't use my pass?"],
        "You get half the pass fee back until May. After that you can move to next year for €25.",
    )
    index = SearchIndex([passes])
    # The answer speaks of the pass fee, but its one price belongs to moving to next year.
    assert index.rank("how much is the pass fee")[0].lacks_wanted_type > 0
    assert index.rank("how much does it cost to move to next year")[0].lacks_wanted_type == 0
    # A time likewise: "until May" is when the refund ends, stated with it.
    assert index.rank("when does the pass refund end")[0].lacks_wanted_type == 0
    staff = Document(
        "staff", ["Who runs the office?"], "Ada has run the office since 2019. She hires the staff."
    )
    # The office's year is not when the staff were hired.
    assert SearchIndex([staff]).rank("when were the staff hired")[0].lacks_wanted_type > 0
    # A duration and a measure too: the classic bike's weight is not the e-bike's.
    bikes = Document(
        "bikes",
        ["What bikes are there?"],
        "Classic bikes have three gears, weigh 23 kg and are rented for up to 45 minutes. "
        "E-bikes are white and have seven gears.",
    )
    others = [
        Document(f"other-{n}", [f"Where is dock {n}?"], f"Dock {n} is by the river.")
        for n in range(4)
    ]
    index = SearchIndex([bikes, *others])
    assert index.rank("how much does an e-bike weigh")[0].lacks_wanted_type > 0
    assert index.rank("how much does a classic bike weigh")[0].lacks_wanted_type == 0
    assert index.rank("how long can i keep an e-bike")[0].lacks_wanted_type > 0
    assert index.rank("how long can i rent a classic bike")[0].lacks_wanted_type == 0
    # And the name of whoever holds a role: the founder is not the treasurer.
    club = Document(
        "club",
        ["Who runs the club?"],
        "The club was set up by Ada Okafor in 1990. Its treasurer changes every spring.",
    )
    index = SearchIndex([club, *others])
    assert index.rank("who is the treasurer")[0].lacks_wanted_type > 0
    assert index.rank("who was the club's founder")[0].lacks_wanted_type == 0


def test_a_sentence_splits_into_the_statements_that_name_their_own_subject() -> None:
    assert named_clauses("Bergen opened in 2019, and Oslo followed in 2021.") == [
        "Bergen opened in 2019",
        "Oslo followed in 2021.",
    ]
    # "it" goes on speaking of the statement before; so does a clause that names nothing.
    assert named_clauses("The Bergen office opened in 2019, and it moved later; staff grew.") == [
        "The Bergen office opened in 2019, it moved later, staff grew."
    ]
    assert named_clauses("Rents rose; in 2021 they fell.") == ["Rents rose", "in 2021 they fell."]


def test_a_question_that_points_back_is_placed_by_its_message() -> None:
    """ "When does it show up on the website?": "it" is what the message before it is about."""
    index = SearchIndex(
        [
            Document(
                "translation-threshold",
                ["When is a translation published?", "translation coverage needed"],
                "A translation goes live on the website once 80% of its strings are translated.",
            ),
            Document(
                "website-updates",
                ["How often is the website rebuilt?", "website updates"],
                "The website is rebuilt every night.",
            ),
            Document(
                "volunteering",
                ["How can I help?", "ways to contribute"],
                "Write code, report bugs, or help with translations.",
            ),
        ]
    )
    message = "I'm translating the app into Catalan."
    question = "at what point does it actually show up on the website?"
    assert index.rank(question)[0].key == "website-updates"
    assert index.rank(question, context=message)[0].key == "translation-threshold"


def test_only_a_pronoun_or_a_lone_demonstrative_points_back() -> None:
    language = english()
    assert language.points_back_in_message("when does it show up on the website?")
    assert language.points_back_in_message("is that true?")
    # a demonstrative naming its noun, or "that" opening a clause, points at nothing before
    assert not language.points_back_in_message("how many babies are linked to this outbreak?")
    assert not language.points_back_in_message("where is the factory that was contaminated?")


def test_a_question_sentence_that_names_little_is_phrased_with_its_message() -> None:
    index = SearchIndex(
        [
            Document(
                "extensions",
                ["Can I get an extension on my homework?", "more days for homework"],
                "Ask your tutor for an extension at least 48 hours before the deadline.",
            ),
            Document(
                "group-work",
                ["Is working in a group allowed?", "is that allowed"],
                "Yes: you may discuss the exercises with others, but write your own answers.",
            ),
        ]
    )
    message = "My grandmother is in hospital and I need a few more days for my homework."
    # "Is that allowed?" alone is one entry's phrasing word for word; with its message it is
    # about the homework's extra days.
    assert index.rank("Is that allowed?")[0].key == "group-work"
    assert index.rank("Is that allowed?", context=message)[0].key == "extensions"


def test_a_name_the_question_writes_says_more_than_a_word_of_no_english() -> None:
    index = SearchIndex([Document("pass", ["what does a day pass cost"], answer="$8.")])
    # a word no English frequency list holds, and no slip of a known word
    nonsense = index.rank("what does the qwzrt pass cost")[0].uncovered
    name = index.rank("what does the Qwzrt pass cost")[0].uncovered
    assert nonsense == WORD_RARITY_SHARE < name == 1.0


def test_a_word_written_in_capitals_is_no_slip_of_a_little_word() -> None:
    textbook = Document("textbook", ["which textbook do we need"], "It isn't on sale yet.")
    index = SearchIndex([textbook])
    # "isbn" is one slip from "isn" (of "isn't"): written "ISBN", it is asked, and lacking.
    assert index.rank("What's the ISBN of the textbook?")[0].uncovered > 0
    # In a message written all in capitals, capitals say nothing.
    assert index.rank("WHAT'S THE ISBN OF THE TEXTBOOK?")[0].uncovered == 0


def test_an_attribute_asked_by_name_is_not_answered_by_an_entry_that_never_names_it() -> None:
    councillor = Document(
        "councillor",
        ["who is councillor ada lind"],
        answer="Councillor Ada Lind chairs the housing committee and represents Northgate.",
    )
    index = SearchIndex([councillor])
    [unsaid] = index.rank("which political party is councillor Ada Lind in?")
    assert unsaid.lacks_wanted_type == 1.0
    said = Document(
        "councillor",
        ["who is councillor ada lind"],
        answer="Councillor Ada Lind, of the Green Party, chairs the housing committee.",
    )
    [named] = SearchIndex([said]).rank("which political party is councillor Ada Lind in?")
    assert named.lacks_wanted_type == 0.0
