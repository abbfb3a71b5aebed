"""Redaction before text goes to a model that is not on this machine.

Names the leader lists for the session, and emails, phone numbers, dates of
birth, unique pupil numbers, postcodes and street addresses, become stable
placeholders ("Pupil A", "Staff B", "[email 1]") and are restored in the
reply shown. The same value always gets the same placeholder in a session.
"""
from __future__ import annotations

import re
import string

from pydantic import BaseModel, Field

ROLE_LABELS = {"pupil": "Pupil", "staff": "Staff", "parent": "Parent", "person": "Person"}

# Order matters: specific identifiers first, so a UPN is not read as a phone number.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("UPN", re.compile(r"\b[A-Z]\d{11}[0-9A-Z]\b")),
    ("date", re.compile(
        r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{1,2}(?:st|nd|rd|th)? "
        r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]* \d{4})\b", re.IGNORECASE)),
    ("phone", re.compile(r"(?<!\w)(?:\+44\s?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)")),
    ("postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")),
    ("address", re.compile(
        r"\b\d{1,4}[a-z]?\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Close|Drive|Dr|"
        r"Way|Crescent|Court|Place|Gardens|Grove|Terrace|Hill|Row|Walk|Square|Mews)\b")),
]


def parse_name_entry(entry: str) -> tuple[str, str]:
    """'pupil: Jake Smith' -> ('pupil', 'Jake Smith'); a bare name is a 'person'."""
    role, sep, name = entry.partition(":")
    if sep and role.strip().lower() in ROLE_LABELS:
        return role.strip().lower(), name.strip()
    return "person", entry.strip()


class Redactor(BaseModel):
    names: list[str] = Field(default_factory=list)  # "pupil: Jake Smith", "staff: Ms Khan", "Ayesha"
    mapping: dict[str, str] = Field(default_factory=dict)  # placeholder -> original

    def _placeholder(self, label: str, original: str) -> str:
        for placeholder, value in self.mapping.items():
            if value == original:
                return placeholder
        if label in ROLE_LABELS.values():
            used = sum(1 for p in self.mapping if p.split(" ")[0] in ROLE_LABELS.values())
            letter = string.ascii_uppercase[used % 26] + ("" if used < 26 else str(used // 26))
            placeholder = f"{label} {letter}"
        else:
            used = sum(1 for p in self.mapping if p.startswith(f"[{label} "))
            placeholder = f"[{label} {used + 1}]"
        self.mapping[placeholder] = original
        return placeholder

    def redact(self, text: str) -> str:
        out = text
        # Identifiers first, so a name inside an email address goes with the address.
        for label, pattern in PATTERNS:
            out = pattern.sub(lambda m, lab=label: self._placeholder(lab, m.group(0)), out)
        people = [parse_name_entry(e) for e in self.names if e.strip()]
        # Full names before their parts, so "Jake Smith" is one person, then "Jake" alone maps to the same.
        for role, name in sorted(people, key=lambda p: -len(p[1])):
            label = ROLE_LABELS[role]
            placeholder = self._placeholder(label, name)
            variants = [name] + [part for part in name.split() if len(part) > 2 and part[0].isupper()]
            for variant in variants:
                out = re.sub(rf"(?<!\w){re.escape(variant)}(?!\w)", placeholder, out, flags=re.IGNORECASE)
        return out

    def restore(self, text: str) -> str:
        for placeholder in sorted(self.mapping, key=len, reverse=True):
            text = text.replace(placeholder, self.mapping[placeholder])
        return text
