"""An offline turn end to end: guard, retrieval, compose, output check, store."""
from __future__ import annotations

import tempfile
from pathlib import Path

from timing import cpu_ms, percentiles, row

MESSAGES = [
    "Year 8 girl with anxiety has refused to go into maths for a week and was given a detention for it.",
    "Her mum says she is not sleeping and the maths teacher raised his voice at her last month.",
    "We have not assessed her needs formally; she is on the SEN register for literacy only.",
    "The detention was under our lateness policy which gives the same sanction to everyone.",
    "Alternatives: a phased return to maths with a trusted adult, or work in the library for a week.",
    "She said she feels stupid in maths and everyone stares when she arrives late.",
    "The maths teacher feels the rules have to be the same for everyone or the class falls apart.",
    "I will write up the reasons on Bromcom and tell governors in my termly report.",
]


def run() -> list[dict]:
    from assistant.config import Settings
    from assistant.engine import Engine
    from assistant.store import SessionStore

    engine = Engine(store=SessionStore(Path(tempfile.mkdtemp()) / "bench.sqlite3"), settings=Settings())
    engine.warm_up()
    engine.turn(engine.new_session("live"), MESSAGES[0])  # warm every path once
    samples, cpu = [], []
    for run in range(4):
        session = engine.new_session("live")
        for number, message in enumerate(MESSAGES):
            # Each run's messages are new text (only the product's own sentences recur, as in real use).
            text = f"{message} This was {['Monday', 'Tuesday', 'Wednesday', 'Thursday'][run]}, note {number + 1}."
            wall, used = cpu_ms(lambda: engine.turn(session, text))
            samples.append(wall)
            cpu.append(used)
    p50, p95 = percentiles(samples)
    c50, c95 = percentiles(cpu)
    return [row("turn", "offline turn p50 warm", p50), row("turn", "offline turn p95 warm", p95),
            row("turn", "offline turn p50 CPU", c50), row("turn", "offline turn p95 CPU", c95)]
