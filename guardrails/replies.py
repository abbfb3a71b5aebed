"""The fixed texts a verdict carries, assembled from policy.yaml, never generated.

A refusal: one plain sentence naming the boundary and who owns the decision,
then two to four reflective questions (and, for `safeguarding_process`, the
DSL signposting). An escalation: the category's fixed signposting, with a
variant for a writer who is the DSL.
"""
from __future__ import annotations

import re

from .models import ESCALATE_CATEGORIES, REFUSE_CATEGORIES, Policy


class Replies:
    def __init__(self, policy: Policy):
        self._policy = policy
        self.refusals: dict[str, str] = {c: self._refusal(c) for c in REFUSE_CATEGORIES}
        self.escalations: dict[tuple[str, bool], str] = {}
        for cat in ESCALATE_CATEGORIES:
            texts = policy.replies.escalation[cat]
            self.escalations[(cat, False)] = texts["default"].strip()
            self.escalations[(cat, True)] = texts.get("dsl", texts["default"]).strip()
        self._keys = {_key(t) for t in self.all_texts()}

    def _refusal(self, category: str) -> str:
        spec = self._policy.categories[category]
        lines = [spec.boundary.strip(), self._policy.replies.refusal_lead.strip()]
        lines += [f"- {q.strip()}" for q in spec.questions]
        text = lines[0] + " " + lines[1] + "\n\n" + "\n".join(lines[2:])
        if category == "safeguarding_process":
            text += "\n\n" + self._policy.replies.dsl_signpost.strip()
        return text

    def refusal(self, category: str) -> str:
        return self.refusals[category]

    def escalation(self, category: str, writer_is_dsl: bool) -> str:
        return self.escalations[(category, writer_is_dsl)]

    def unreadable(self, languages: list[str]) -> str:
        """Cautious signposting for words the guard could not read (a quoted disclosure may be among them)."""
        named = [x for x in languages if x != "another language"]
        which = " and ".join(named) if named else "another language"
        lead = self._policy.replies.unreadable.strip().format(languages=which)
        return lead + "\n\n" + self.escalations[("safeguarding_disclosure", False)]

    def reason(self, category: str, output: bool = False) -> str:
        spec = self._policy.categories[category]
        return (spec.output_reason if output and spec.output_reason else spec.reason).strip()

    def all_texts(self) -> list[str]:
        return (list(self.refusals.values()) + list(dict.fromkeys(self.escalations.values()))
                + [self._policy.replies.unreadable.strip()])

    def is_template(self, text: str) -> bool:
        return _key(text) in self._keys

    def strip_templates(self, text: str) -> str:
        """The text with any of our own fixed replies inside it taken out."""
        flat = _key(text)
        for key in self._keys:
            if key in flat:
                flat = flat.replace(key, " ")
        return flat.strip()


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()
