"""Prep mode's first reply: a session plan for a consultant, from a short brief."""
from __future__ import annotations

from assistant.composer import Draft, ReplyContext, choose_questions, cite_tag, citation_for, named_terms
from assistant.models import LIVE_LENSES
from prompts.cues import load_cues

TRANSPLANT_CAUTION = (
    "Bring these as questions, not templates: practice that works in one school does not transplant "
    "without its context — its culture, staff and community — so ask what conditions made it work "
    "[`peer-support-vs-school-improvement`]."
)
OUT_OF_SCOPE = [
    "Investigating any individual or incident, or weighing accounts of what happened.",
    "Deciding or recommending a sanction, suspension, exclusion or any HR outcome.",
    "Making safeguarding decisions: those stay with the DSL and the school's procedures (and the LADO for concerns about adults).",
    "Anything beyond what the school has explicitly commissioned.",
]


def compose_plan(ctx: ReplyContext, phrases) -> Draft:
    brief = ctx.message
    touched = [lens for lens in LIVE_LENSES if ctx.state.lenses.get(lens) and ctx.state.lenses[lens].status != "not_yet"]
    focus = (touched or ["needs", "send", "proportionality"])[:4]
    named = named_terms(brief, "needs") + named_terms(brief, "responses", 2)
    parts = [
        phrases.opening("prep", named, (ctx.session.id, "plan")),
        "## Diagnostic questions",
    ]
    question_ids: list[str] = []
    for lens in ["context", *focus]:
        questions = choose_questions(ctx, lens, count=2)
        if questions:
            parts.append(f"**{phrases.lens_name('prep', lens).capitalize()}**\n"
                         + "\n".join(f"- {q.text}" for q in questions))
            question_ids += [q.id for q in questions]

    guidance = [h for h in ctx.hits if h.kind != "case"][:4]
    cases = [h for h in ctx.hits if h.kind == "case"][:2]
    if not cases:
        from knowledge.search import get_searcher

        cases = [h for h in get_searcher().search(f"case study {brief[:500]}", k=10) if h.kind == "case"][:2]
    parts.append("## Guidance and case studies to bring")
    parts.append("\n".join(f"- *{h.title}* — {h.heading} {cite_tag(h)}" for h in [*guidance, *cases]))
    parts.append(TRANSPLANT_CAUTION)

    risks = [r for r in load_cues().risks if load_cues().matcher(r.cues).search(brief)][:4]
    parts.append("## Likely risks to have in view")
    parts.append("\n".join(f"- {r.risk} " + " ".join(f"[`{c}`]" for c in r.cards) for r in risks)
                 if risks else "- None stand out from the brief yet; the diagnostic questions should surface them.")

    parts.append("## Out of scope for the session")
    parts.append("\n".join(f"- {line}" for line in OUT_OF_SCOPE) + " [`service-layers-and-boundaries`]")
    parts.append("Tell me more about any part of the brief and I'll sharpen the questions for that lens.")
    return Draft(text="\n\n".join(parts), lens="context", kind="plan",
                 citations=[citation_for(h) for h in [*guidance, *cases]], question_ids=question_ids)
