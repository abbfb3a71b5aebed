"""The shared text pieces (sentences, rank fusion) and how a long message becomes a search."""
from __future__ import annotations

from knowledge.fusion import fused_order, reciprocal_rank_fusion
from knowledge.query import build_query, is_question
from knowledge.text import split_sentences


def test_sentences_end_where_a_reader_would_end_them():
    text = ("Mr. Jones saw it, e.g. in the corridor. Under s. 15 of the Act it matters! Did anyone record it?\n"
            "- a bullet point\n- another one")
    assert split_sentences(text) == [
        "Mr. Jones saw it, e.g. in the corridor.", "Under s. 15 of the Act it matters!", "Did anyone record it?",
        "a bullet point", "another one",
    ]


def test_a_closing_quote_stays_with_its_sentence_and_semicolons_split_only_when_asked():
    text = 'He said "get off me." Then he ran; she stayed.'
    assert split_sentences(text) == ['He said "get off me."', "Then he ran; she stayed."]
    assert split_sentences(text, at_semicolons=True)[1:] == ["Then he ran;", "she stayed."]


def test_a_short_no_still_ends_its_sentence():
    assert split_sentences("He said no. Then he left.") == ["He said no.", "Then he left."]


def test_an_overlong_sentence_is_cut_at_word_boundaries_and_nothing_is_lost():
    words = ["word"] * 300
    pieces = split_sentences(" ".join(words), max_chars=100)
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces).split() == words


def test_empty_and_punctuation_only_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" ... \n -- \n") == []


def test_rank_fusion_rewards_agreement_between_rankings():
    scores = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a", "d"], ["b", "c"]])
    assert fused_order(scores)[:2] == ["b", "a"]
    assert set(scores) == {"a", "b", "c", "d"}


def test_rank_fusion_weights_let_one_ranking_count_for_less():
    scores = reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0, 0.5])
    assert fused_order(scores) == ["a", "b"]


def test_questions_are_recognised_direct_and_reported():
    assert is_question("Can they do that?")
    assert is_question("Mum is asking whether this counts as an exclusion.")
    assert is_question("Any advice would be appreciated")
    assert not is_question("He threw a chair in the corridor.")


def test_a_short_message_is_searched_whole():
    assert build_query("  he was sent home\nto calm down  ") == "he was sent home to calm down"


def test_a_long_message_is_searched_by_its_question_even_when_it_comes_last():
    padding = " ".join(["We had a lovely half term and the weather was fine."] * 60)
    message = (f"{padding} Yesterday a member of staff held my son down in the corridor. "
               "Should the school have told me the same day?")
    query = build_query(message)
    assert len(query.split()) <= 120
    assert "Should the school have told me the same day?" in query
    assert "held my son down" in query
    assert query.count("lovely half term") < 3


def test_lay_wording_brings_the_fields_term_into_a_search():
    from knowledge.search import expand_query
    from knowledge.text import abbreviations, lay_terms_in

    assert lay_terms_in("She's a school refuser and staff Held  him down") == [
        "emotionally based school avoidance", "restraint or reasonable force (restrictive intervention)"]
    assert "emotionally based school avoidance" in expand_query("my son is a school refuser")
    # Whole phrases only, and never for the guard, which reads what was written.
    assert lay_terms_in("the school refusers' club and a held-him-down-ish story") == []
    assert lay_terms_in("keep pace with the odd pupil") == []
    assert "school refuser" not in abbreviations()


def test_parents_everyday_words_for_a_situation_reach_the_fields_term():
    from knowledge.text import lay_terms_in

    assert "unlawful informal exclusion (sending a pupil home)" in lay_terms_in(
        "the school keeps ringing me to collect him before lunch")
    assert "part-time timetable" in lay_terms_in("they've put him on a reduced day")
    assert "restraint or reasonable force (restrictive intervention)" in lay_terms_in("my son was restrained again")
    assert "special educational needs" in lay_terms_in("there's no diagnosis yet, we're on the waiting list")
    # A quiet room a pupil asks for is an adjustment, not seclusion; a class sent out to play is not a sanction.
    assert lay_terms_in("he'd like a quiet room and a laptop") == []
    assert lay_terms_in("I sent the class out to play while he calmed down") == []


def test_a_misspelt_word_is_read_as_the_card_word_meant_and_nothing_else_changes():
    from knowledge.search import expand_query
    from knowledge.text import correct_spelling

    assert correct_spelling("a Health & Safty risk, the desicion was final") == (
        "a Health & Safety risk, the decision was final")
    assert "restrained" in expand_query("he was restrianed by two staff")
    # Kept as written: abbreviations, short words, names, English words, joined-up words, a typed negative.
    kept = "The SENCO said SATs week, Kacper and the nursery; headlice again"
    assert correct_spelling(kept) == kept
    assert correct_spelling("he wouldnt go in") == "he wouldn't go in"
