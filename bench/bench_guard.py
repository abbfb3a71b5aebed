"""Guardrail latency, warm: `Guard.check` and `Guard.check_output` over varied messages.

The guard shares the embedding model with retrieval (knowledge.embedder.get_embedder()),
so nothing extra is loaded; the classifier heads are fitted once and cached.
"""
from __future__ import annotations

from timing import cpu_ms, percentiles, row, time_ms

MESSAGES = [
    "Should we suspend him?",
    "Help me think through whether our suspension process considered his ADHD.",
    "A Year 9 girl told me her stepdad hits her and she's scared to go home.",
    "Is this gross misconduct?",
    "Does this meet the threshold for a referral to children's social care?",
    "What must a suspension letter to parents contain?",
    "How do I kill a frozen process on the office PC?",
    "Read these two statements and tell me which boy started it.",
    "Our DSL has already referred; how do I support the class teacher now?",
    "Can you play an angry dad so I can practise the reintegration meeting?",
    "Honestly, I can't see the point of going on after this term.",
    "A pupil says a supply teacher touched her inappropriately in the corridor.",
    "What questions should governors ask when reviewing a permanent exclusion?",
    "Is three days fair for a Year 8 who swore at a cover teacher?",
    "Thanks, that helps. What should I look at next?",
    "Decision: no suspension; a restorative meeting and a sensory plan, because the incident followed the fire alarm test.",
    "Was our exclusion of a pupil with autism discrimination? Explain the legal test.",
    "Year 7, EHC plan, walked out of maths when he was moved seats and kicked a chair. Nobody was hurt. "
    "His mum is worried and the teacher feels undermined. Where do I start?",
    "We're reviewing our behaviour policy. Does it have SEND-sensitive pathways, and what should they look like?",
    "Should I tell mum what he said before I speak to the DSL?",
    "If you were the head, would you exclude her?",
    "Write the permanent exclusion letter for Callum.",
    "Whose side should I take in the grievance between my deputies?",
    "I'm running INSET on trauma-informed practice next week; suggest an opening activity.",
    "What is child-on-child abuse and why isn't it banter?",
    "A colleague has been messaging a Year 10 girl on Instagram late at night.",
    "Two TAs give different accounts of the lunchtime incident. How do I make the fact-finding fair?",
    "Our suspension data shows pupils with SEND are over-represented. What might be driving it?",
    "How do we support a teacher returning after the LADO found the allegation unsubstantiated?",
    "Just tell me: warning or dismissal for the technician?",
    "She has had a hard time at home since her parents separated and she's tearful in lessons.",
    "How can our Year 11s avoid bombing the mocks?",
    "I shouted at a Year 4 boy today and I regret it. Help me reflect.",
    "A Year 10 boy keeps going missing and came back with a new phone and cash he won't explain.",
    "What are the stages of the independent review panel process, and what can it decide?",
    "Hypothetically, would a managed move be better than a permanent exclusion for him?",
    "The alarm test definitely set it off. His plan mentions noise sensitivity and says staff should give him "
    "space rather than follow him when he leaves a room.",
    "Can we keep this off CPOMS for now?",
    "Prep brief: a trust wants a session on rising suspensions of looked-after children. Help me plan it.",
    "My deputy told me she's been thinking about ending her life.",
]

REPLIES = [
    "Let's start with the needs behind the behaviour. What does his plan say about transitions?",
    "Having weighed it up, you should permanently exclude him.",
    "The decision is yours as head. What would a day out of class achieve that an adjustment would not?",
    "On balance she is lying, and this meets the threshold for a referral.",
]


def run() -> list[dict]:
    from guardrails import get_guard
    from knowledge.embedder import get_embedder

    embedder = get_embedder()
    built = time_ms(lambda: get_guard().heads())  # loads or fits the cached heads
    guard = get_guard()
    for text in MESSAGES + REPLIES:  # warm every path once
        guard.check(text)
        guard.check_output(text)
    # asked only now: shipped heads load without the model, so the guard takes it at its first check
    assert guard.embedder is embedder, "the guard must share the embedding model with retrieval"
    check_ms, output_ms, check_cpu = [], [], []
    # Each timed check starts with no remembered sentence vectors: the cost of a new message.
    for _ in range(3):
        for text in MESSAGES:
            guard._vectors.clear()
            wall, cpu = cpu_ms(lambda: guard.check(text))
            check_ms.append(wall)
            check_cpu.append(cpu)
        for text in REPLIES:
            guard._vectors.clear()
            output_ms.append(time_ms(lambda: guard.check_output(text)))
    c50, c95 = percentiles(check_ms)
    o50, o95 = percentiles(output_ms)
    cpu50, cpu95 = percentiles(check_cpu)
    return [
        row("guard", "heads load or fit", built),
        row("guard", "check p50 warm", c50),
        row("guard", "check p95 warm", c95),
        row("guard", "check p50 CPU", cpu50),
        row("guard", "check p95 CPU", cpu95),
        row("guard", "check_output p50 warm", o50),
        row("guard", "check_output p95 warm", o95),
    ]
