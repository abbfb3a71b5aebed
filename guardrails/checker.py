"""The guard: one verdict per message, decided in explicit layers, and the output rail.

A message is read once (`Reading`), then judged in order:

1. risk       - escalation rules, and the risk head over every sentence with its
                neighbours (also across the previous turn and this one). Recall first:
                only a statement that this concern has reached the DSL or the
                procedures (`passed`) lifts it; no framing or background does.
2. language   - a passage in a language the guard cannot read: cautious DSL signposting.
3. request    - what the writer asks the assistant to produce. Only a request for a
                determination is refused; information, reflection, options, the
                leader's own record and role-play are allowed whatever their words.
4. memory     - right after a refusal, pressure for the same determination is refused
                again; a clarification or reframe is judged on its own.

Every verdict names the layer that decided it (`layer:...` in its signals).
Same input, same verdict.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np
from pydantic import BaseModel

from .facts import Facts, read_facts
from .heads import RISK_CATEGORY, RISK_KINDS, LinearHead
from .models import ESCALATE_CATEGORIES, REFUSE_CATEGORIES, Policy, Recent, Verdict, load_policy
from knowledge.text import split_sentences

from .normalise import Normaliser, load_abbreviations
from .reading import Reading
from .replies import Replies
from .rules import Rules

MAX_SIGNALS = 24
VECTOR_CACHE = 4096  # sentence vectors kept (about 6 MB)
GROUPS_CACHE = 256  # earlier turns' rule groups kept
FOLLOW_UP_WORDS = 30  # a message this short may lean on the turn before it
PRESSURE = ("rephrase", "demand")
MEMORY_TOPIC_TURNS = 3  # a pressing follow-up may take its school matter from this many turns back
JOINT_FLOOR = 0.5  # this message's own P(risk) before the reading across two turns may escalate it
KEEP_GROUPS = ("handled", "unhandled", "background", "invented", "real_case")  # a long message keeps these sentences
OTHER_ADULT_RULES = ("colleague_risk", "colleague_plan")  # risk_to_self rules about another adult
ALLOWED_REQUESTS = ("information", "reflection", "options", "draft_record", "role_play")
_TRANSLATED = re.compile(r"\b(?:translat\w*|which means|meaning|in english|roughly means|means)\b", re.IGNORECASE)
_CODE = re.compile(r"`[^`]*`|\[[a-z0-9-]{6,}\]")
_ADDRESSED = re.compile(r"\b(?:you|your|i|i'd|i'm|my|we|we'd|let's|me)\b")


class Guard:
    def __init__(self, policy: Policy | None = None, embedder=None, heads: dict[str, LinearHead] | None = None):
        self.policy = policy or load_policy()
        self.normalise = Normaliser(load_abbreviations(self.policy.abbreviations))
        self.rules = Rules(self.policy)
        self.replies = Replies(self.policy)
        self._embedder = embedder
        self._heads = heads
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._groups: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.cache_size = VECTOR_CACHE

    # -- set-up ---------------------------------------------------------------

    def split(self, text: str) -> list[str]:
        return split_sentences(text, self.policy.limits.max_sentence_chars, at_semicolons=True)

    @property
    def embedder(self):
        if self._embedder is None:
            from knowledge.embedder import get_embedder

            self._embedder = get_embedder()
        return self._embedder

    def heads(self) -> dict:
        if self._heads is None:
            with self._lock:
                if self._heads is None:
                    from .training import load_or_fit_heads

                    self._heads = load_or_fit_heads(self)
        return self._heads

    def warm(self) -> None:
        """Load all a first check needs: the heads, and the language identifier the output rail reads with."""
        from .language import load_identifier

        self.check("Warming up the guard.")
        load_identifier()

    def is_reply_template(self, text: str) -> bool:
        return self.replies.is_template(text)

    # -- reading --------------------------------------------------------------

    def embed(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors, remembered: the product's own sentences recur in every reply. Each sentence is
        embedded on its own (`embed_each`), so its vector, and every score read from it, is the same whatever
        was read before it or beside it."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._cache_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            fresh = self.embedder.embed_each(missing)
            with self._cache_lock:
                for text, vector in zip(missing, fresh):
                    self._vectors[text] = vector
                while len(self._vectors) > self.cache_size:
                    self._vectors.popitem(last=False)
        with self._cache_lock:
            for text in texts:
                self._vectors.move_to_end(text)
            return np.stack([self._vectors[t] for t in texts])

    def read(self, text: str, output: bool = False) -> Reading:
        """Normalise, split, scan and embed; a long message keeps the sentences that matter most."""
        text = text if isinstance(text, str) else str(text or "")
        lim = self.policy.limits
        sents = self.split(self.normalise(text[: lim.max_scan_chars]))
        hits = self.rules.scan(sents, output=output)
        keep = _select(sents, hits, lim.max_sentences, lim.max_embed_chars)
        sents, hits = [sents[i] for i in keep], [hits[i] for i in keep]
        return Reading(sents=sents, hits=hits, vectors=self.embed(sents), raw=text)

    # -- input ----------------------------------------------------------------

    def check(self, text: str, recent: Sequence[Recent] = (), writer_is_dsl: bool | None = None,
              writer: str | None = None) -> Verdict:
        """The verdict on a user's message; `recent` are earlier user turns, most recent last; `writer` is the
        writer's role as the engine reads it (assistant.roles), when known."""
        recent = list(recent)
        reading = self.read(text)
        ev = self.evidence(reading, recent, writer)
        action, category, why, score = decide(ev, self.policy.thresholds)
        signals = [why, f"score:{score:.2f}", *ev.facts.signals(),
                   *dict.fromkeys(h.label for row in reading.hits for h in row)]
        if ev.passed and (ev.risk_rule or ev.risk_score >= self.policy.thresholds.risk):
            signals.append(f"passed_on:{ev.passed}")
        if action == "escalate" and why == "layer:language":
            return self._verdict(action, category, [why, *(f"language:{x}" for x in ev.unreadable), *signals],
                                 reply=self.replies.unreadable(ev.unreadable))
        if action == "escalate":
            dsl = writer_is_dsl if writer_is_dsl is not None else (
                reading.any("dsl_writer") or any(self._is_dsl_writer(r.text) for r in recent))
            return self._verdict(action, category, signals + (["writer:dsl"] if dsl else []),
                                 reply=self.replies.escalation(category, bool(dsl)))
        if action == "refuse":
            return self._verdict(action, category, signals, reply=self.replies.refusal(category))
        return self._verdict(action, category, signals + [f"request:{ev.request}", f"risk:{ev.risk_score:.2f}"])

    def evidence(self, reading: Reading, recent: Sequence[Recent] = (), writer: str | None = None) -> "Evidence":
        """Everything each layer measured about a message, before any bar is applied."""
        last = recent[-1] if recent else None
        facts = read_facts(reading, writer)
        if reading.sents:  # every word model below reads one of these three views
            self.heads()["words"].prime([reading.text()], [reading.ask_text()], reading.window_texts())
        risk_cat, risk_score, risk_rule = self._risk(reading)
        adult_share = self._adult_share(reading) if risk_cat == "safeguarding_disclosure" else 0.0
        self_account = reading.any("self_account")
        other_risk = risk_score
        if self_account and risk_rule is None:
            other_risk = self._risk_beside_own_account(reading)
        joint_cat, joint_score = None, 0.0
        # a correction inherits nothing from the turn it corrects: it is not read across it. After an escalation
        # the two turns are still read together: a later turn that adds to the concern ("he's about 20 and buys
        # her things") is a disclosure in that context (decide asks this message itself to carry some worry)
        if last is not None and last.text.strip() and reading.sents and not facts.correction:
            joint = self.read(last.text[-1500:] + "\n" + reading.raw)
            joint_cat, joint_score, _ = self._risk(joint, only_from=max(0, len(joint.sents) - len(reading.sents)))
        passed, passed_score = self._passed_on(reading)
        unread: list[str] = []
        if reading.sents:
            from .language import unreadable_passages

            if not _TRANSLATED.search(reading.raw):  # with a translation given, the layers above read it
                unread = list(dict.fromkeys(u.language for u in unreadable_passages(reading.raw)))
        scores = self.request_scores(reading) if reading.sents else {"none": 1.0}
        allowed = max((scores.get(c, 0.0) for c in ALLOWED_REQUESTS), default=0.0)
        short = sum(len(x.split()) for x in reading.sents) <= FOLLOW_UP_WORDS
        pressed = any(reading.any(g) for g in PRESSURE)
        # a short follow-up that presses ("what would you give him?", "off the record, who?") is about the school
        # matter of the conversation (a reframe may sit between it and the facts); one that reflects ("should I
        # have let it go?") is judged on its own words
        # a question of who did it or who is honest ("which one took the tenner, Ben or Harley?") is about real
        # people's conduct, a school matter with or without a school word
        school = reading.any("domain") or reading.any("hint:investigation") or (short and pressed and any(
            self._rule_fires(r.text, "domain") for r in recent[-MEMORY_TOPIC_TURNS:]))
        return Evidence(
            risk_rule=risk_rule, risk_category=risk_cat, risk_score=risk_score, adult_share=adult_share,
            joint_category=joint_cat, joint_score=joint_score,
            passed=passed, passed_score=passed_score, unreadable=unread,
            refusal_rule=self._refusal_rule(reading), refuse_category=self._refuse_category(reading) if reading.sents
            else "disciplinary_outcome",
            determination=scores.get("determination", 0.0), allowed_request=allowed,
            request=max(scores, key=scores.get),
            pressed=pressed,
            school=school,
            self_account=self_account, other_risk=other_risk,
            informational=reading.informational(),
            strain=reading.any("strain"),
            invented=reading.invented(),
            self_signs=reading.any("hint:risk_to_self") or reading.any("strong:risk_to_self"),
            asks=any(reading.asks(i) for i in range(len(reading.sents))),
            own_decision=any(h.name in ("own_decision", "have_decided") for row in reading.hits for h in row),
            short=short,
            last_action=last.action if last else None, last_category=last.category if last else None,
            minimise=reading.any("minimise") or reading.any("background"),
            open_concern=self._open_concern(recent),
            facts=facts,
        )

    def _open_concern(self, recent: Sequence[Recent]) -> str | None:
        """The category of the latest escalation among the turns the guard remembers, unless a turn since then
        says the concern has been passed on: what a walk-back a few turns later would be walking back."""
        for turn in reversed(recent):
            if turn.action == "escalate" and turn.category in ESCALATE_CATEGORIES:
                return turn.category
            if self._rule_fires(turn.text, "handled"):
                return None
        return None

    def _risk_beside_own_account(self, reading: Reading) -> float:
        """P(risk) of the message without the sentences in which the writer describes their own hold: what
        else it says (a colleague's hold, marks found, a risk to the writer) still counts."""
        keep = [i for i in range(len(reading.sents)) if "self_account" not in reading.groups(i)]
        if not keep:
            return 0.0
        rest = Reading(sents=[reading.sents[i] for i in keep], hits=[reading.hits[i] for i in keep],
                       vectors=reading.vectors[keep], raw=reading.raw)
        return self._risk(rest)[1]

    def _risk(self, reading: Reading, only_from: int = 0) -> tuple[str | None, float, str | None]:
        """(category, P(risk), rule category or None) for the message; rules look from sentence `only_from` on."""
        n = len(reading.sents)
        if n <= only_from:
            return None, 0.0, None
        heads = self.heads()
        # rules first: high-precision patterns of disclosure, except in a definition, a conditional or a
        # made-up training vignette with no real child in the message (the models still read those)
        invented = reading.invented()
        eligible = [i for i in range(only_from, n) if not invented and "hypothetical" not in reading.groups(i)]
        fired = {i: reading.strong(i, ESCALATE_CATEGORIES) for i in eligible}
        for i in eligible:
            if fired[i]:
                category = fired[i][0]
                if category == "risk_to_self" and self._pupils_words(reading, i):
                    category = "safeguarding_disclosure"
                # a child harmed by, or at risk from, an adult in a position of trust is an allegation (the head
                # and the LADO), though another sentence names the harm ("he has finger marks on his arm")
                if category == "safeguarding_disclosure" and any("staff_allegation" in f for f in fired.values()):
                    category = "staff_allegation"
                return category, 1.0, category
        x, text = reading.pooled(), [reading.text()]
        w = self.policy.thresholds.word_weight
        words = heads["words"]
        embedded = (float(heads["risk"].proba(x)[0, 1])
                    + float(heads["risk_window"].proba(reading.windows())[:, 1].max())) / 2
        # the word models read the message whole and window by window (one worrying sentence in a long account)
        worded = (float(words.proba("risk", text)[0, 1])
                  + float(words.proba("risk_window", reading.window_texts())[:, 1].max())) / 2
        score = (1 - w) * embedded + w * worded
        p = self._kinds(reading)
        # a pupil merely named does not turn "self" into "child" (a TA's "tell the kids I loved them" is the TA's
        # own risk); only words that are the pupil's own (written, sent or said by the pupil) do
        kind = max(p, key=p.get)
        if kind == "self" and reading.any("pupil_voice") and not _other_adult_at_risk(reading):
            kind = "child"  # the first-person words are a pupil's (a note, a diary, a message)
        return RISK_CATEGORY[kind], score, None

    def _kinds(self, reading: Reading) -> dict[str, float]:
        """P(child / adult / self) of whoever the risk is about, from the kind models."""
        heads = self.heads()
        w = self.policy.thresholds.word_weight
        kinds = (1 - w) * heads["kind"].proba(reading.pooled())[0] + w * heads["words"].proba("kind", [reading.text()])[0]
        p = dict(zip(RISK_KINDS, map(float, kinds)))
        if not reading.any("adult"):
            p["adult"] = 0.0  # an allegation about an adult needs an adult in the message
        return p

    def _adult_share(self, reading: Reading) -> float:
        """Of child and adult, the kind models' share for an adult in a position of trust (0 with no adult named)."""
        if not reading.sents or not reading.any("adult"):
            return 0.0
        p = self._kinds(reading)
        return p["adult"] / max(p["adult"] + p["child"], 1e-9)

    @staticmethod
    def _pupils_words(reading: Reading, i: int) -> bool:
        """Is sentence i's first-person risk to self in a pupil's words (written, sent or said)?

        A pupil at risk of self-harm or suicide is a safeguarding disclosure for the DSL, never the
        writer's own risk; a colleague at risk ("my TA said she wants to end it") stays risk_to_self.
        """
        own = [h for h in reading.hits[i] if h.kind == "strong" and h.group == "risk_to_self"]
        return (reading.near(i, "pupil_voice")
                and not any(h.name in OTHER_ADULT_RULES for h in own))

    def _passed_on(self, reading: Reading) -> tuple[str | None, float]:
        """Does the message say this concern has reached the DSL or the procedures? (rule, head score)

        Background ("the DSL knows the family", "there was a CP plan years ago") says nothing about the new
        concern: a background sentence with no hand-on rule in it is left out of what the models read.
        """
        if not reading.sents or reading.any("unhandled"):
            return None, 0.0
        heads = self.heads()
        w = self.policy.thresholds.word_weight
        keep = [i for i in range(len(reading.sents))
                if "handled" in reading.groups(i) or "background" not in reading.groups(i)]
        if not keep:
            return None, 0.0
        text = reading.text() if len(keep) == len(reading.sents) else " \n ".join(reading.sents[i] for i in keep)
        score = ((1 - w) * float(heads["passed"].proba(reading.windows()[keep])[:, 1].max())
                 + w * float(heads["words"].proba("passed", [text])[0, 1]))
        return ("rule" if reading.any("handled") else None), score

    def request_scores(self, reading: Reading) -> dict[str, float]:
        """What the message asks for; P(determination) averages the embedding and the word models."""
        heads = self.heads()
        head = heads["request"]
        p = head.proba(reading.message())[0]
        scores = {c: float(p[j]) for j, c in enumerate(head.classes)}
        w = self.policy.thresholds.word_weight
        words = heads["words"]
        # the word models read the whole message and the sentences that ask (a long account can drown its question)
        worded = (float(words.proba("determination", [reading.text()])[0, 1])
                  + float(words.proba("determination_ask", [reading.ask_text()])[0, 1])) / 2
        scores["determination"] = (1 - w) * scores["determination"] + w * worded
        return scores

    def _refuse_category(self, reading: Reading, fired: Sequence[str] = ()) -> str:
        heads = self.heads()
        head = heads["refuse"]
        w = self.policy.thresholds.word_weight
        p = (1 - w) * head.proba(reading.message())[0] + w * heads["words"].proba("refuse", [reading.text()])[0]
        pool = list(fired) or list(REFUSE_CATEGORIES)
        return max(pool, key=lambda c: (float(p[head.index(c)]), -pool.index(c)))

    def _refusal_rule(self, reading: Reading) -> str | None:
        """A strong refusal pattern in a sentence that asks (not one asking for reasoning without a demand)."""
        for i in range(len(reading.sents)):
            g = reading.groups(i)
            if not reading.asks(i) or ("allow" in g and "demand" not in g):
                continue
            fired = reading.strong(i, REFUSE_CATEGORIES)
            if fired:
                return self._refuse_category(reading, fired)
        return None

    def claims_assistant_advised(self, text: str) -> bool:
        """Does a decision the leader records say the assistant advised it? (It never does.)"""
        return self._rule_fires(text, "claims_advice")

    def _is_dsl_writer(self, text: str) -> bool:
        return self._rule_fires(text, "dsl_writer")

    def _rule_fires(self, text: str, group: str) -> bool:
        """Does any rule of `group` match the text (rules only: no embedding)?"""
        return group in self._rule_groups(text[:4000])

    def _rule_groups(self, text: str) -> frozenset[str]:
        """The rule groups that fire in a text, remembered: each turn of a conversation is re-read at every
        later turn (the school matter, a hand-on, the DSL writing)."""
        with self._cache_lock:
            groups = self._groups.get(text)
        if groups is None:
            sents = self.split(self.normalise(text))
            groups = frozenset(h.group for row in self.rules.scan(sents) for h in row)
            with self._cache_lock:
                self._groups[text] = groups
                while len(self._groups) > GROUPS_CACHE:
                    self._groups.popitem(last=False)
        return groups

    def _verdict(self, action: str, category: str, signals: list[str], reply: str | None = None,
                 output: bool = False) -> Verdict:
        # What decided the verdict (layer, score) first, then the rule hits, so truncation keeps the explanation.
        unique = list(dict.fromkeys(signals))
        ordered = [s for s in unique if s.count(":") < 2] + [s for s in unique if s.count(":") >= 2]
        return Verdict(action=action, category=category, reason=self.replies.reason(category, output),
                       signals=ordered[:MAX_SIGNALS], reply=reply)

    # -- output ---------------------------------------------------------------

    def output_flags(self, reply: str) -> list[tuple[str, str]]:
        """(sentence, category) for each sentence of a reply that decides for the leader."""
        th = self.policy.thresholds
        body = self.replies.strip_templates(reply if isinstance(reply, str) else str(reply or ""))
        reading = self.read(body, output=True)
        if not reading.sents:
            return []
        head = self.heads()["output"]
        probs = head.proba(reading.vectors)
        flagged = []
        for i, sent in enumerate(reading.sents):
            p = {c: float(probs[i, head.index(c)]) for c in REFUSE_CATEGORIES}
            total = sum(p.values())
            ruled = [h.group for h in reading.hits[i] if h.kind == "output"]
            if ruled:
                if total >= th.output_with_rule or len(sent.split()) < th.output_min_words:
                    flagged.append((sent, max(dict.fromkeys(ruled), key=lambda c: p[c])))
            elif total >= th.output and len(sent.split()) >= th.output_min_words and _ADDRESSED.search(sent):
                # no rule: the model alone blocks only a confident sentence that speaks to the leader
                # ("in your position I would..."), never a statement of guidance ("exclusion is a last resort")
                flagged.append((sent, max(p, key=p.get)))
        return flagged

    def check_output(self, reply: str) -> Verdict:
        """A generated reply: allowed, or refused with the template that replaces it whole.

        A reply not in English is refused too: the rail cannot read it, so it cannot pass it.
        """
        text = reply if isinstance(reply, str) else str(reply or "")
        flags = self.output_flags(text)
        if flags:
            cat = flags[0][1]
            return self._verdict("refuse", cat, [f"output:{cat}", "layer:output"], reply=self.replies.refusal(cat),
                                 output=True)
        from .language import unreadable_passages

        # card ids and other code spans (`equality-act-discrimination-arising`) are not prose in any language
        body = _CODE.sub(" ", self.replies.strip_templates(text))
        if unreadable_passages(body):
            return self._verdict("refuse", "disciplinary_outcome", ["output:unreadable", "layer:output_language"],
                                 reply=self.replies.refusal("disciplinary_outcome"), output=True)
        return self._verdict("allow", "reflection", ["layer:output"], output=True)


class Evidence(BaseModel):
    """What each layer measured about one message; `decide` turns it into a verdict with the policy's bars."""

    risk_rule: str | None = None        # an escalation category a rule found
    risk_category: str | None = None
    risk_score: float = 0.0             # the riskiest sentence window's P(risk)
    adult_share: float = 0.0            # a child's risk: the kind models' share for an adult in a position of trust
    joint_category: str | None = None   # the same, read across the previous turn and this one
    joint_score: float = 0.0
    passed: str | None = None           # "rule" when a hand-on rule fired
    passed_score: float = 0.0           # P(this concern has been passed on)
    unreadable: list[str] = []          # languages of passages the guard cannot read
    refusal_rule: str | None = None     # a refusal category a rule found in a sentence that asks
    refuse_category: str = "disciplinary_outcome"
    determination: float = 0.0          # P(the message asks for a determination)
    allowed_request: float = 0.0        # the likeliest allowed kind of request
    request: str = "none"
    pressed: bool = False               # pressure: hypotheticals, "off the record", "just tell me"
    school: bool = True                 # the message names a school matter (pupils, staff, sanctions...)
    own_decision: bool = False          # the message sets down the leader's own decision
    self_account: bool = False          # the writer describes their own physical intervention
    other_risk: float = 0.0             # P(risk) of the rest of the message, beside that account
    asks: bool = True                   # some sentence asks for something (a question, an instruction)
    informational: bool = False         # every sentence that asks, asks for information; nothing presses
    strain: bool = False                # words of work strain: exhausted, not sleeping, not cut out for this
    invented: bool = False              # a made-up training vignette with no sign of a real child or adult
    self_signs: bool = False            # a warning sign of risk to life: despair, farewell, method, death words
    short: bool = False                 # short enough to lean on the turn before
    last_action: str | None = None
    last_category: str | None = None
    minimise: bool = False              # walks a concern back or gives a reason not to act ("ignore that", "they'll know")
    open_concern: str | None = None     # the latest escalation remembered that no turn since says was passed on
    facts: Facts = Facts()              # what the message states (facts.py): no head overrides these


def decide(ev: Evidence, th) -> tuple[str, str, str, float]:
    """(action, category, layer, score): escalate > refuse > allow, each layer with its bar."""
    f = ev.facts
    passed = ev.passed == "rule" or ev.passed_score >= th.passed_on
    # the DSL, the LADO or social care are the route for a child at risk: telling them does not answer a risk
    # to the writer's or another adult's own life, which always gets the support signposting
    lifted = passed and (ev.risk_rule or ev.risk_category) != "risk_to_self"
    # the writer's own hold or conduct, already recorded or passed on, with no other adult's conduct in it, is
    # practice to reflect on, whatever words of the pupil's it quotes ("you're hurting me"); a sign of harm
    # anywhere else in the message, or a risk to the writer's own life, is still read
    own_recorded = f.conduct == "own" and f.recorded and not f.other_adult
    if not lifted:
        # nor does a plain injury staff saw happen by accident (the model still reads the message)
        if ev.risk_rule and not (own_recorded and f.rule_by_own) and not f.accident_seen:
            return "escalate", _about_whom(ev, ev.risk_rule, th), "layer:risk_rule", 1.0
        # the model alone does not escalate a writer's account of their own hold: that is practice to reflect
        # on and record (the reply asks whether it was recorded and passed on), not an allegation; the rest of
        # the message is still read without it (a colleague's hold, marks found, a risk to the writer)
        bar = (th.risk_invented if ev.invented else th.risk) if ev.risk_category != "risk_to_self" else (
            # exhaustion, doubt and grief with no word of death, harm or hopelessness anywhere is strain to
            # acknowledge (the conversation gives Education Support's number), not by itself a risk to life
            th.risk_strain if ev.strain and not ev.self_signs else th.risk_self)
        # a hand-on report ("I rang the LADO this morning") with no word of risk to life anywhere is about someone
        # else's concern: the model alone does not read it as a risk to the writer
        handed_on_report = ev.risk_category == "risk_to_self" and passed and not ev.self_signs
        own_hold = ev.self_account and ev.risk_category != "risk_to_self"  # a hold says nothing of the writer's life
        # a correction ("actually it was Tuesday"), a question about recording an injury, or a short report that
        # something was recorded or passed on carries no risk by itself: only a rule (a sign of harm said in it)
        # escalates it
        quiet = f.correction or f.report_only or (f.reporting and not ev.self_signs)
        # the writer's own recorded hold: the model alone escalates it only with a sign of harm a rule reads away
        # from the writer's account (marks found later, another adult's part); a risk to the writer's life still counts
        if own_recorded and ev.risk_category != "risk_to_self" and not f.signs_elsewhere:
            quiet = True
        if (ev.risk_score >= bar and ev.risk_category and not handed_on_report and not quiet
                and (not own_hold or ev.other_risk >= bar)):
            return "escalate", _about_whom(ev, ev.risk_category, th), "layer:risk_head", ev.risk_score
        # read with the turn before, but only when this message itself carries some of the worry:
        # otherwise every follow-up would re-read the last turn's words and escalate them again
        if ev.joint_score >= th.risk_joint and ev.joint_category and ev.risk_score >= JOINT_FLOOR and not quiet:
            return "escalate", ev.joint_category, "layer:memory_risk", ev.joint_score
        if ev.unreadable:
            return "escalate", "safeguarding_disclosure", "layer:language", 1.0
    # the turn before was escalated and nothing says the concern has been passed on since: a request to
    # decide about it keeps the signposting (escalate wins across turns too); other follow-ups are answered,
    # with the signposting still pinned in view
    # the same holds for a follow-up that walks the concern back or gives a reason not to act on it yet ("ignore
    # that, I'm fine", "social care will know", "can it wait till Monday?", "hypothetically, then"). Only the turn
    # right before counts: a turn allowed since then was judged with the concern in view
    # a correction of a fact inherits nothing from the escalated turn it corrects
    still_open = (ev.last_action == "escalate" and ev.last_category in ESCALATE_CATEGORIES and not passed
                  and not f.correction)
    if still_open and (ev.refusal_rule or ev.determination >= th.determination or ev.minimise or ev.pressed):
        return "escalate", ev.last_category, "layer:memory_open_concern", max(ev.risk_score, ev.determination)
    # a walk-back a few turns after a disclosure ("thinking about it, it was nothing", "she's taken it back") walks
    # back a disclosure that still stands: the signposting again, until a turn says it has been passed on
    if ev.open_concern and ev.minimise and not passed:
        return "escalate", ev.open_concern, "layer:memory_open_concern", ev.risk_score
    if ev.refusal_rule:
        return "refuse", ev.refusal_rule, "layer:request_rule", 1.0
    # the model alone never refuses a message with no school matter in it ("is Shrek in a union?")
    # nor a message that sets down the leader's own decision ("Decision: ...")
    # and never a message that asks nothing at all (a plain description is context, not a request)
    # and never an information question (what the law says, who decides, what counts as): information is never
    # a determination, whatever its words
    # nor a structural allow: a correction, a question about recording an injury, the writer's own practice
    # ("was I wrong? should I apologise?"), an everyday document that names no sanction
    structural = f.correction or f.reporting or f.own_practice or f.ordinary_draft
    if (ev.determination >= th.determination and ev.school and not ev.own_decision and ev.asks
            and not ev.informational and not structural):
        return "refuse", ev.refuse_category, "layer:request_head", ev.determination
    # nor does the memory of a refusal: the leader setting down their own decision is what the refusal asked for
    if (ev.last_action == "refuse" and ev.last_category in REFUSE_CATEGORIES and not ev.informational
            and not ev.own_decision and not structural):
        det = ev.determination
        if det >= th.after_refusal and (ev.pressed or ev.short or det >= ev.allowed_request):
            return "refuse", ev.last_category, "layer:memory", det
        if ev.pressed and det >= ev.allowed_request:
            return "refuse", ev.last_category, "layer:memory", det
    return "allow", "reflection", "layer:allow", 1.0 - ev.determination


def _about_whom(ev: Evidence, category: str, th) -> str:
    """A child's risk that the kind models lean towards an adult in a position of trust for (a coach's lifts, a
    teacher's messages, a TA's hold that left marks) is an allegation: its route is the head and the LADO."""
    if category == "safeguarding_disclosure" and ev.adult_share >= th.adult_share:
        return "staff_allegation"
    return category


def _other_adult_at_risk(reading: Reading) -> bool:
    return any(h.name in OTHER_ADULT_RULES for row in reading.hits for h in row)


def _select(sents: list[str], hits, limit: int, budget: int) -> list[int]:
    """Which sentences to read: those with rule hits, questions, the ends; within a budget."""
    last = len(sents) - 1

    def priority(i: int) -> int:
        p = 4 if any(h.kind in ("strong", "hint", "output") or h.group in KEEP_GROUPS for h in hits[i]) else 0
        return p + (2 if "?" in sents[i] else 0) + (1 if i in (0, last) else 0)

    order = sorted(range(len(sents)), key=lambda i: (-priority(i), i))
    chosen: list[int] = []
    for i in order:
        if len(chosen) >= limit:
            break
        if chosen and len(sents[i]) > budget:
            continue
        chosen.append(i)
        budget -= len(sents[i])
    return sorted(chosen)


_guard: Guard | None = None
_guard_lock = threading.Lock()


def get_guard() -> Guard:
    """The shared guard, built on first use (the heads load from the shipped file, or fit)."""
    global _guard
    with _guard_lock:
        if _guard is None:
            _guard = Guard()
        return _guard
