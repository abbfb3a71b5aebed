"""The Textual terminal app: a thin client of `assistant.engine`.

Only this package imports Textual. Widgets display what the engine returns;
they decide nothing about the conversation.
"""
