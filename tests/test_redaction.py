"""Names and identifiers never reach a remote model, and come back in the reply."""
from assistant.redaction import Redactor


def test_identifiers_and_listed_names_become_stable_placeholders():
    r = Redactor(names=["pupil: Kacper Nowak", "staff: Mrs Adeyemi"])
    text = ("Kacper Nowak (UPN H80123456789A, born 14/02/2013) was seen by Mrs Adeyemi. Kacper's dad rang "
            "from 0114 496 0321; email k.dad@example.org; home at 7 Orchard Close, S63 7QQ.")
    out = r.redact(text)
    for secret in ["Kacper", "Nowak", "Adeyemi", "H80123456789A", "14/02/2013", "0114 496 0321",
                   "k.dad@example.org", "Orchard Close", "S63 7QQ"]:
        assert secret not in out
    assert out.count("Pupil A") == 2 and "Staff B" in out
    assert r.redact("Kacper again") == "Pupil A again"  # stable within the session
    assert r.restore(out).startswith("Kacper Nowak (UPN H80123456789A, born 14/02/2013) was seen by Mrs Adeyemi")


def test_text_without_identifiers_is_unchanged():
    r = Redactor(names=[])
    text = "How do we record reasonable adjustments for a pupil with ADHD?"
    assert r.redact(text) == text and not r.mapping
