"""Posting lists packed end to end: each term finds its own entries and nobody else's."""

from array import array

from bot.search.postings import Postings


def test_each_term_finds_its_entries_and_frequencies() -> None:
    postings = Postings(
        {
            "tea": (array("i", [0, 4, 9]), array("f", [1.0, 0.5, 0.25])),
            "bread": (array("i", [4]), array("f", [2.0])),
        }
    )

    assert "tea" in postings and "rye" not in postings and len(postings) == 2
    assert postings.count("tea") == 3 and postings.count("rye") == 0
    ids, frequencies = postings.of("bread")
    assert list(ids) == [4] and list(frequencies) == [2.0]
    assert postings.held("tea", 4) == 0.5
    assert postings.held("tea", 5) is None  # between two holders
    assert postings.held("bread", 9) is None  # a neighbour row's entry is not this term's
    assert postings.held("rye", 0) is None
