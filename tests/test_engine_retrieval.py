"""What the engine searches for in a long, messy message, and how it tells the reply the cards fall short."""
from __future__ import annotations

from engine_helpers import offline_engine
from knowledge.coverage import COVERED_AT


class _Seen:
    """Wraps the composer to keep the context each reply was built from."""

    def __init__(self, composer) -> None:
        self.composer = composer
        self.contexts = []

    def compose(self, ctx):
        self.contexts.append(ctx)
        return self.composer.compose(ctx)


def _context(tmp_path, message):
    engine = offline_engine(tmp_path)
    engine.composer = seen = _Seen(engine.composer)
    result = engine.turn(engine.new_session("live"), message)
    assert result.verdict.action == "allow", result.verdict
    return seen.contexts[-1]


def test_a_long_message_is_searched_by_its_question_at_the_end(tmp_path):
    background = " ".join(["It has been a long term for the whole team and the new building is still not finished."] * 25)
    message = (f"Long-time reader, first post. {background} Anyway. Our Year 6 girl with a heart condition keeps "
               "missing PE and trips, and her mum says the school has no plan for her medicines or emergencies. "
               "What should a school have in place for a child with a medical condition like this?")
    assert len(message) > 2_000
    ctx = _context(tmp_path, message)
    assert ctx.query.endswith("with a medical condition like this?")
    assert ctx.query.count("long term for the whole team") <= 1 and len(ctx.query.split()) <= 120
    assert "medical-conditions-and-health-needs" in [h.card_id for h in ctx.hits[:5]]
    assert ctx.covered and ctx.coverage >= COVERED_AT


def test_a_question_the_cards_do_not_cover_is_marked_not_covered(tmp_path):
    ctx = _context(tmp_path, "Which supplier gives the best price for replacing the school's roof and guttering?")
    assert not ctx.covered and ctx.coverage < COVERED_AT
