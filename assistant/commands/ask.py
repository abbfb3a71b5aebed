"""`reflect ask "TEXT"`: one turn of the conversation, in a new or saved session.

`reflect ask --jsonl FILE` replays a prepared script: each line is
`{"id": ..., "text": ..., "mode": ...}`; lines with the same id continue one
session in order; one JSON object is printed per line (the `--json` fields
plus `id`).
"""
from __future__ import annotations

import argparse
import json
import sys

from knowledge.errors import ReflectError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", nargs="?", help="your message (use - to read it from standard input)")
    parser.add_argument("--mode", choices=["live", "practice", "prep"], help="mode for a new session")
    parser.add_argument("--session", help="continue this session (id or its first characters)")
    parser.add_argument("--name", action="append", default=[], metavar="ROLE:NAME",
                        help="a person to redact before a remote model, e.g. 'pupil: Jake' (repeatable)")
    parser.add_argument("--show-sent", action="store_true",
                        help="also print exactly what the language model was sent (redacted if remote)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--jsonl", metavar="FILE",
                        help="replay a script: one {\"id\", \"text\", \"mode\"} object per line; "
                             "the same id continues one session; prints one JSON object per line")


def read_script(path: str) -> list[dict]:
    """The script's lines, checked before anything runs, so a bad line loses nothing."""
    from assistant.engine import clean_message

    try:
        raw = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ReflectError(f"cannot read {path}: {exc}") from None
    lines = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ReflectError(f"{path}, line {number}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or "id" not in item or "text" not in item:
            raise ReflectError(f"{path}, line {number}: each line needs an \"id\" and a \"text\"")
        if item.get("mode") not in (None, "live", "practice", "prep"):
            raise ReflectError(f"{path}, line {number}: unknown mode {item['mode']!r}: choose live, practice or prep")
        try:
            clean_message(item["text"])
        except ReflectError as exc:
            raise ReflectError(f"{path}, line {number}: {exc}") from None
        lines.append(item)
    if not lines:
        raise ReflectError(f"{path} holds no lines to replay")
    return lines


def replay(engine, lines: list[dict], names: list[str]) -> None:
    sessions: dict[str, object] = {}
    for item in lines:
        key = str(item["id"])
        session = sessions.get(key)
        if session is None:
            session = sessions[key] = engine.new_session(item.get("mode"), names=names)
        elif item.get("mode") and item["mode"] != session.mode:
            engine.set_mode(session, item["mode"])
        result = engine.turn(session, item["text"])
        print(json.dumps({"id": item["id"], **result.as_json()}), flush=True)


def run(args: argparse.Namespace) -> int:
    from assistant.commands.progress import build_index_with_progress
    from assistant.engine import PAGE_TURNS, Engine, clean_message
    from knowledge.safe_text import safe_text

    if args.jsonl:
        if args.text or args.session:
            raise ReflectError("--jsonl replays a whole script: give no message or --session with it")
        lines = read_script(args.jsonl)
        build_index_with_progress()
        replay(Engine(), lines, args.name)
        return 0
    if args.text is None:
        raise ReflectError("type a message (or - to read it from standard input), or give --jsonl FILE")
    text = sys.stdin.read() if args.text == "-" else args.text
    clean_message(text)  # a bad message fails before anything loads
    build_index_with_progress()
    engine = Engine()
    if args.session:
        session = engine.session(args.session, latest=PAGE_TURNS)  # a turn needs only the latest messages
        if args.mode and args.mode != session.mode:
            engine.set_mode(session, args.mode)
    else:
        session = engine.new_session(args.mode, names=args.name)
    result = engine.turn(session, text)
    if args.json:
        print(json.dumps(result.as_json(), indent=2))
        return 0
    if result.kept_in_view:  # once the leader has passed the concern on, one line rather than the steps again
        print("── kept in view ──\n" + result.kept_in_view + "\n──────────────────\n")
    print(result.reply)
    if result.notice:
        print(f"\n({result.notice})")
    if result.redaction_note():
        print(f"\n({result.redaction_note()})")
    if args.show_sent and result.sent_to_model:
        print("\n── sent to the language model ──\n" + safe_text(result.sent_to_model) + "\n────────────────────────────────")
    print(f"\n[session {result.session} · {session.mode} · lenses covered: {', '.join(result.lenses) or 'none yet'}]")
    return 0
