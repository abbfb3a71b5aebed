"""The particulars a reply can take up from what the leader said, without a parser."""
from assistant.salience import details


def test_concrete_particulars_are_found_and_generic_words_are_not():
    found = details("He was upset because the hydro pool was cancelled, so the class team moved his walker away.")
    assert "the hydro pool" in found and "his walker" in found
    assert not any(d.endswith(("pupil", "class", "school")) for d in details("The pupil left the class at school."))


def test_the_leaders_own_possessives_become_the_replys():
    assert any(d.startswith("your ") for d in details("I'd moved our reading corner next to the window."))


def test_a_phrase_stops_before_a_verb_and_never_ends_on_a_describing_word():
    found = details("Her mum says the awful lunch queue upset her.")
    assert "her mum says" not in " ".join(found)
    assert all(not d.endswith("awful") for d in found)


def test_nothing_is_taken_up_from_an_empty_or_plain_message():
    assert details("") == []
    assert details("Thank you, that is helpful.") == []
