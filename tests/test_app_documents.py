"""The school's own documents and the glossary, from the app."""
from __future__ import annotations

from docx import Document

from assistant.app.screens.dialogs import TextPrompt, TextScreen
from test_app_support import SIZE, app_env, make_app, notes, ready, until

__all__ = ["app_env"]


def rigid_policy(path):
    document = Document()
    document.add_heading("Behaviour policy", level=1)
    document.add_heading("Sanctions", level=2)
    document.add_paragraph("Any pupil who swears at a member of staff will be excluded for one day, with no exceptions.")
    document.add_paragraph("Three behaviour points in a week will result in an automatic after-school detention.")
    document.save(str(path))
    return path


async def type_into_prompt(pilot, text: str) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, TextPrompt))
    await pilot.pause()
    pilot.app.screen.query_one("#text").value = text
    await pilot.press("enter")


async def test_the_glossary_opens_from_a_key(app_env):
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await until(pilot, lambda: isinstance(app.screen, TextScreen))
        assert "LADO" in app.screen.text and "designated officer" in app.screen.text.lower()


async def test_documents_are_ingested_and_a_policy_is_reviewed_from_the_palette(app_env, private_data_dir):
    note = app_env / "anti-bullying.md"
    note.write_text("# Anti-bullying\n\nStaff record every incident of prejudice-based bullying on the same day.\n")
    policy = rigid_policy(app_env / "behaviour policy.docx")
    app = make_app(app_env)
    async with app.run_test(size=SIZE) as pilot:
        seen = notes(app)
        await ready(pilot)
        app.action_ingest()
        await type_into_prompt(pilot, str(note))
        await until(pilot, lambda: any("anti-bullying.md: added" in n for n in seen))

        app.action_ingest()
        await type_into_prompt(pilot, str(app_env / "missing.pdf"))
        await until(pilot, lambda: app.last_error is not None)
        assert "missing.pdf" in app.last_error and "Nothing was ingested" in app.last_error

        app.action_review_policy()
        await type_into_prompt(pilot, f'"{policy}"')
        await until(pilot, lambda: isinstance(app.screen, TextScreen))
        review = app.screen.text
        assert "will be excluded for one day" in review
        assert "unlawful" not in review.lower()
