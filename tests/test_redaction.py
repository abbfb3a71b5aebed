"""Names and identifiers never reach a remote model, and come back in the reply."""
import pytest

from assistant.redaction import Redactor


def test_identifiers_and_listed_names_become_stable_placeholders():
    r = Redactor(names=["pupil: Kacper Nowak", "staff: Mrs Adeyemi"])
    text = ("Kacper Nowak (UPN H80123456789A, born 14/02/2013) was seen by Mrs Adeyemi. Kacper's dad rang "
            "from 0114 496 0321; email k.dad@example.org; home at 7 Orchard Close, S63 7QQ.")
    out = r.redact(text)
    for secret in ["Kacper", "Nowak", "Adeyemi", "H80123456789A", "14/02/2013", "0114 496 0321",
                   "k.dad@example.org", "Orchard Close", "S63 7QQ"]:
        assert secret not in out
    assert out.count("[Pupil A]") == 2 and "Mrs [Staff B]" in out
    assert r.redact("Kacper again") == "[Pupil A] again"  # stable within the session
    # A first name alone comes back as the whole name: the placeholder stands for the person.
    assert r.restore(out) == text.replace("Kacper's", "Kacper Nowak's")


def test_text_without_identifiers_is_unchanged():
    r = Redactor(names=[])
    text = "How do we record reasonable adjustments for a pupil with ADHD? I may need to ask the SENCO in March."
    assert r.redact(text) == text and not r.mapping


@pytest.mark.parametrize("identifier", [
    "943 476 5919", "9434765919", "943-476-5919",  # NHS number, three ways
    "AB 12 34 56 C", "ab123456c",  # National Insurance number
    "ULN 1234567890",  # unique learner number
    "h80123456789a", "H80123456789A",  # UPN, any case
    "s63 7qq", "SW1A 1AA", "M1 1AE",  # postcodes
    "12 orchard close", "Flat 3, 14 Station Road", "lives on Beech Grove",  # street addresses
    "Rose Cottage", "The Old Vicarage", "Willow Farm",  # house names
    "2012-03-15", "15/03/2012", "15.3.12", "14th of March 2012", "14 March 2012", "March 14, 2012",
    "14th March", "Mar 14th 2012",  # dates
    "07700 900456", "+44 7700 900456", "(0114) 496 0321",  # phone numbers
])
def test_every_identifier_form_is_replaced(identifier):
    secret = identifier.removeprefix("ULN ").removeprefix("lives on ")
    out = Redactor().redact(f"Note for the file: {identifier} was on the form.")
    assert secret not in out and "[" in out


def test_names_nobody_listed_are_found_by_their_shape_and_the_user_is_told():
    r = Redactor()
    text = ("Mrs Okafor rang about Ayesha Khan. We asked Harry what happened; Kacper watched. "
            "Later Ayesha apologised to Mr O'Brien.")
    out = r.redact(text)
    for name in ["Okafor", "Ayesha", "Khan", "Harry", "Kacper", "O'Brien"]:
        assert name not in out
    assert out.startswith("Mrs [Person") and "Mr [Person" in out  # titles kept as titles
    assert any(line.startswith("Ayesha Khan → [Person") for line in r.replaced)
    assert r.restore(out).replace("Ayesha Khan apologised", "Ayesha apologised") == text


def test_ordinary_words_and_the_fields_terms_are_not_names():
    text = ("Will he be OK? The Behaviour Policy and the Equality Act apply. Pupil Attendance is low in "
            "English and Maths. Grace period ends on Monday. I may need the DSL.")
    assert Redactor().redact(text) == text


def test_a_listed_name_that_is_an_english_word_matches_only_as_a_name():
    r = Redactor(names=["Will May", "parent: Mrs Smith", "pupil: Jake Smith"])
    out = r.redact("I may need to talk to Will May. Will he come? Mrs Smith and Jake Smith came. I will.")
    assert "I may need to talk to [Person" in out and "Will he come?" in out and "I will." in out
    assert "Mrs [Parent" in out and "Jake" not in out and "Smith" not in out
    assert "Parent" not in out.split("Mrs [Parent")[0]  # never "Parent B Pupil A": the title is kept


def test_placeholders_are_restored_on_whole_words_only():
    r = Redactor(names=["pupil: Jake Smith"])
    r.redact("Jake Smith is in Year 9.")
    assert r.restore("[Pupil A] and Pupil A; Pupil Attendance; [Pupil AB]") == \
        "Jake Smith and Jake Smith; Pupil Attendance; [Pupil AB]"


def test_document_passages_and_the_draft_are_redacted_with_the_message():
    r = Redactor(names=[])
    fields = r.redact_fields({
        "sections": "[doc:ehcp-review.docx] ehcp-review.docx — page 2\nZebediah Quillfeather (DOB 02/05/2014) has an "
                    "EHC plan naming speech and language support; contact Mrs Quillfeather on 07700 900123.",
        "question_hints": "Your document says Zebediah needs a quiet space. What did the review agree?",
        "message": "Zebediah kicked the door today.",
    })
    joined = "\n".join(fields.values())
    for secret in ["Zebediah", "Quillfeather", "02/05/2014", "07700 900123"]:
        assert secret not in joined
    assert fields["message"].startswith("[Person A]")  # one person across the prompt's parts
    assert "Mrs [Person" in fields["sections"] and "EHC plan" in fields["sections"]
