"""The concrete details in what the leader just said ("the trip news", "her carpet spot", "the walker").

A consultant builds on the particulars of a case in their own sentence ("with the walker and the doorway in
mind, ...") rather than quoting the message back or asking generic questions. Without a parser, a detail is
found as a determiner or possessive followed by one to three content words, and ranked by how rare its
words are in the cards: "the hydro pool" is particular to this case, "the pupil" or "the school" is not.
"""
from __future__ import annotations

import re

from knowledge.lexical import tokenize
from knowledge.vocabulary import sentence_rarity

_CLAUSE = re.compile(r"[.,;:!?()\[\]\"“”\n/–—]+|\s-+\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
DETERMINERS = {"the", "a", "an", "his", "her", "their", "my", "our", "this", "that", "those", "these"}
_YOURS = {"my": "your", "our": "your", "a": "the", "an": "the", "this": "the", "that": "the",
          "these": "the", "those": "the"}
# Words that follow a determiner but carry nothing particular, or end the phrase.
_PLAIN = frozenset(
    "a about after again all also am an and any are as at back be because been before being best both but by "
    "can could day did do does doing done down each even ever every few first for from get gets getting go "
    "going got had has have having he her here him his how i if in into is it its just last least less like "
    "little lot lots many may me might more most much must my next no not now of off on once one only or other "
    "our out over own really same see she should since so some still such than that the their them then there "
    "these they thing things this those though through time times to too two under until up us very was way "
    "ways we week weeks well were what when where which while who whole why will with would year years yet you "
    "your morning afternoon today yesterday tomorrow end start bit kind sort part point fact case matter weekend "
    "term minute minutes mins sec second side page look change note record option options call anyway half quite "
    "either nobody somebody someone everyone anyone mr mrs ms miss monday tuesday wednesday thursday friday "
    "saturday sunday away instead already ago later tonight together apart around couple few several".split())
# Common verbs that follow a noun ("her mum says", "the mates keep coming"): the phrase ends before them.
_VERBS = frozenset(
    "says said say told tells asked asks took takes take keep keeps kept went goes go come comes came called "
    "looks looked know knows knew think thinks thought want wants wanted gets got make makes made did does "
    "is are was were has had have seems seemed feel feels felt started starts stopped needs needed rang rung phoned "
    "emailed complained arrived turned".split())
# Describing words that may lead a phrase ("the small playground") but never end one ("the awful").
_DESCRIBING = frozenset(
    "awful proper short long big small whole new old good bad real actual original main usual same right wrong "
    "little quick full strict shaky huge tiny".split())
# Particulars of every case: naming them back says nothing the leader doesn't know.
_GENERIC = frozenset(
    "pupil pupils student students child children kid kids boy girl boys girls school schools staff class "
    "lesson lessons teacher teachers behaviour incident situation issue issues problem problems parent parents "
    "family people person adult adults room classroom policy meeting head deputy mum dad mother father carer "
    "carers mums dads lad lads lass bloke fella guy man woman gran nan grandma grandad street road".split())
MIN_RARITY = 3.0  # a word in more than about 1 card sentence in 20 is not particular enough
MAX_DETAILS = 2


def _rarity(word: str, rarity: dict[str, float], ceiling: float) -> float:
    terms = tokenize(word)
    return max((rarity.get(t, ceiling) for t in terms), default=0.0)


def details(message: str, avoid: str = "", limit: int = MAX_DETAILS) -> list[str]:
    """Up to `limit` particular details of the message, as phrases a reply can use ("the trip news"),
    in the order the leader gave them; none that `avoid` (the rest of the reply) already names."""
    rarity = sentence_rarity(headings=False)
    ceiling = max(rarity.values(), default=8.0)
    avoided = set(tokenize(avoid))
    found: dict[str, tuple[float, int, str]] = {}
    position = 0
    for clause in _CLAUSE.split(message):
        words = _WORD.findall(clause)
        for i, word in enumerate(words):
            position += 1
            if word.lower() not in DETERMINERS:
                continue
            head: list[str] = []
            for nxt in words[i + 1:i + 3]:
                low = nxt.lower()
                if head and nxt.isupper() and len(nxt) > 1:  # "the neighbouring LA": an acronym ends the phrase
                    head.append(nxt)
                    break
                if (low in _PLAIN or low in DETERMINERS or low in _VERBS or len(nxt) < 3 or "'" in nxt or "’" in nxt
                        or nxt.isupper() or head and low.endswith(("ing", "ed", "ly"))):
                    break
                head.append(nxt)
            while head and (head[-1].lower() in _DESCRIBING or head[-1].lower().endswith(("ly", "ive", "ful", "ous"))):
                head.pop()
            if not head or head[-1].lower() in _GENERIC:
                continue
            score = max(_rarity(w, rarity, ceiling) for w in head)
            if score < MIN_RARITY or any(t in avoided for w in head for t in tokenize(w)):
                continue
            det = _YOURS.get(word.lower(), word.lower())
            phrase = f"{det} {' '.join(head)}"
            key = " ".join(tokenize(" ".join(head)))
            if key not in found or found[key][0] < score:
                found[key] = (score, position, phrase)
    best = sorted(found.values(), key=lambda f: -f[0])[:limit]
    return [phrase for _, _, phrase in sorted(best, key=lambda f: f[1])]
