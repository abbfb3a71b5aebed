"""`reflect ask "TEXT"`: one turn of the conversation, in a new or saved session."""
from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", help="your message (use - to read it from standard input)")
    parser.add_argument("--mode", choices=["live", "practice", "prep"], help="mode for a new session")
    parser.add_argument("--session", help="continue this session (id or its first characters)")
    parser.add_argument("--name", action="append", default=[], metavar="ROLE:NAME",
                        help="a person to redact before a remote model, e.g. 'pupil: Jake' (repeatable)")
    parser.add_argument("--show-sent", action="store_true",
                        help="also print exactly what the language model was sent (redacted if remote)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from assistant.commands.progress import build_index_with_progress
    from assistant.engine import Engine, clean_message
    from knowledge.safe_text import safe_text

    text = sys.stdin.read() if args.text == "-" else args.text
    clean_message(text)  # a bad message fails before anything loads
    build_index_with_progress()
    engine = Engine()
    if args.session:
        session = engine.session(args.session)
        if args.mode and args.mode != session.mode:
            engine.set_mode(session, args.mode)
    else:
        session = engine.new_session(args.mode, names=args.name)
    result = engine.turn(session, text)
    if args.json:
        print(json.dumps(result.as_json(), indent=2))
        return 0
    if result.pinned and result.kind != "escalation":
        print("── kept in view ──\n" + result.pinned + "\n──────────────────\n")
    print(result.reply)
    if result.notice:
        print(f"\n({result.notice})")
    if result.redaction_note():
        print(f"\n({result.redaction_note()})")
    if args.show_sent and result.sent_to_model:
        print("\n── sent to the language model ──\n" + safe_text(result.sent_to_model) + "\n────────────────────────────────")
    print(f"\n[session {result.session} · {session.mode} · lenses covered: {', '.join(result.lenses) or 'none yet'}]")
    return 0
