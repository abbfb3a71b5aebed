"""`reflect guard`: check a message against the boundaries, one message or a JSONL file."""
from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", help="the message to check")
    parser.add_argument("--json", action="store_true", help="print the whole verdict as JSON")
    parser.add_argument("--jsonl", metavar="FILE",
                        help='read lines {"id", "text"} (or {"id", "turns": [...]} for a conversation); '
                             'write {"id", "action", "category", "reason"} (or {"id", "turns": [...]}) in order')
    parser.add_argument("--dsl", action="store_true", help="the writer is the designated safeguarding lead")
    parser.add_argument("--output", action="store_true",
                        help="check TEXT as a generated reply (the output rail) instead of a user's message")


def run(args: argparse.Namespace) -> int:
    from knowledge.errors import ReflectError
    from knowledge.jsonl import read_jsonl

    if args.jsonl is None and args.text is None:
        raise ReflectError('give a message to check, or --jsonl FILE')
    if args.jsonl is not None and args.text is not None:
        raise ReflectError("give either a message or --jsonl FILE, not both")
    rows = read_jsonl(args.jsonl, required=("id",)) if args.jsonl else None
    if rows is None and not args.text.strip():
        raise ReflectError("the message is empty")
    for n, row in enumerate(rows or [], 1):
        _validate(row, f"{args.jsonl}, line {n}", args.output)

    from guardrails import get_guard
    from guardrails.memory import judge_conversation

    from assistant.roles import writer_role

    guard = get_guard()
    writer_is_dsl = True if args.dsl else None

    def writer_of(said: str) -> str:  # the engine's reading of who writes, as a live session reads it
        return writer_role(said, "live")

    if rows is not None:
        for row in rows:
            if "turns" in row:  # a conversation: each turn judged with the memory the engine uses
                verdicts = judge_conversation(guard, _turn_texts(row), writer_is_dsl=writer_is_dsl,
                                              writer_of=writer_of)
                print(json.dumps({"id": row["id"], "turns": [{"action": v.action, "category": v.category}
                                                             for v in verdicts]}, ensure_ascii=False))
                continue
            verdict = guard.check_output(row["text"]) if args.output else guard.check(
                row["text"], writer_is_dsl=writer_is_dsl, writer=writer_of(row["text"]))
            print(json.dumps({"id": row["id"], "action": verdict.action, "category": verdict.category,
                              "reason": verdict.reason}, ensure_ascii=False))
        return 0
    verdict = guard.check_output(args.text) if args.output else guard.check(
        args.text, writer_is_dsl=writer_is_dsl, writer=writer_of(args.text))
    if args.json:
        json.dump(verdict.model_dump(), sys.stdout, indent=2, ensure_ascii=False)
        print()
        return 0
    print(f"{verdict.action}: {verdict.category}")
    print(verdict.reason)
    if verdict.reply:
        print()
        print(verdict.reply)
    return 0


def _turn_texts(row: dict) -> list[str]:
    return [t["text"] if isinstance(t, dict) else t for t in row["turns"]]


def _validate(row: dict, path: str, output: bool) -> None:
    from knowledge.errors import ReflectError

    where = f"{path} (item {row.get('id')!r})"
    if "turns" in row and not output:
        turns = row["turns"]
        if not isinstance(turns, list) or not turns:
            raise ReflectError(f"{where}: 'turns' must be a non-empty list of messages")
        for turn in turns:
            text = turn.get("text") if isinstance(turn, dict) else turn
            if not isinstance(text, str):
                raise ReflectError(f"{where}: each turn must be a string or {{\"text\": ...}}")
        return
    if not isinstance(row.get("text"), str):
        raise ReflectError(f"{where}: needs 'text' (a string)" + ("" if output else " or 'turns' (a list)"))
