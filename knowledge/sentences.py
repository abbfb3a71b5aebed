"""Sentence splitting for the school's own documents and policy reviews.

One home for it: the policy review (assistant/policy_review.py) and the
document search's answer picking (knowledge/documents.py) both split here.
"""
from __future__ import annotations

import re

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|s|ss|para|paras|no|mr|mrs|ms|dr|st|vs|cf|approx)\.|\b[A-Z]\.)$", re.IGNORECASE
)
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")


def sentences(text: str) -> list[str]:
    """Split at . ! ? followed by a capital or digit, except after common abbreviations."""
    out, start = [], 0
    for match in _BOUNDARY.finditer(text):
        if _ABBREVIATIONS.search(text[start:match.start() + 1]):
            continue
        out.append(text[start:match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out
