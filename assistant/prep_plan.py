"""Prep mode's first reply: a session plan for a consultant, from a short brief."""
from __future__ import annotations

from typing import Callable

from assistant.models import LIVE_LENSES
from assistant.replies import Draft, ReplyContext, cite_tag, citation_for, named_terms
from prompts.cues import load_cues

DEFAULT_FOCUS = ["needs", "send", "proportionality"]


def compose_plan(ctx: ReplyContext, phrases, pick: Callable) -> Draft:
    """`pick(ctx, lens, count)` is the composer's question picker (passed in: no import cycle)."""
    plan = phrases.data.prep_plan
    brief = ctx.message
    touched = [lens for lens in LIVE_LENSES if ctx.state.lenses[lens].status != "not_yet"]
    focus = (touched or DEFAULT_FOCUS)[:4]
    named = named_terms(brief, "needs") + named_terms(brief, "responses", 2)
    section = plan.sections
    parts = [phrases.opening("prep", named, (ctx.session.id, "plan")), f"## {plan.title}", plan.lead]

    parts += [f"### {section['diagnostic_questions'].heading}", section["diagnostic_questions"].lead]
    questions = []
    for lens in ["context", *focus]:
        chosen = pick(ctx, lens, 2)
        if chosen:
            name = phrases.lens_name("prep", lens)
            parts.append(f"**{name[:1].upper()}{name[1:]}**\n" + "\n".join(f"- {q.text}" for q in chosen))
            questions += chosen

    guidance = [h for h in ctx.hits if h.kind != "case"][:4]
    cases = [h for h in ctx.hits if h.kind == "case"][:2]
    if not cases and ctx.search is not None:
        cases = [h for h in ctx.search(f"case study {brief[:500]}", k=12) if h.kind == "case"][:2]
    bring = section["guidance_and_cases"]
    parts += [f"### {bring.heading}", bring.lead,
              "\n".join(f"- *{h.title}* — {h.heading} {cite_tag(h)}" for h in [*guidance, *cases]),
              f"{bring.caution} [`peer-support-vs-school-improvement`]"]

    cues = load_cues()
    risks = [r for r in cues.risks if cues.matcher(r.cues).search(brief)][:4]
    parts += [f"### {section['likely_risks'].heading}", section["likely_risks"].lead,
              "\n".join(f"- {r.risk} " + " ".join(f"[`{c}`]" for c in r.cards) for r in risks)
              if risks else "- None stand out from the brief yet; the diagnostic questions should surface them."]

    scope = section["out_of_scope"]
    parts += [f"### {scope.heading}", scope.lead, "\n".join(f"- {item}" for item in scope.items)
              + " [`service-layers-and-boundaries`]",
              "Tell me more about the school and the session, and I'll sharpen the questions for that lens."]
    return Draft(text="\n\n".join(parts), lens="context", kind="plan",
                 citations=[citation_for(h) for h in [*guidance, *cases]], questions=questions)
