"""`reflect case SESSION`: show what the assistant has heard about the case, or correct a line of it."""
from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from assistant.case_record import FIELDS

    parser.add_argument("session", help="the session (id or its first characters)")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help=f"correct one line (repeatable); FIELD is one of {', '.join(FIELDS)}; "
                             "list fields take items separated by ';', people as 'role: view; role: view'")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from assistant.engine import Engine
    from knowledge.errors import ReflectError

    engine = Engine()
    session = engine.session(args.session)
    for item in args.set:
        field, sep, value = item.partition("=")
        if not sep:
            raise ReflectError(f"--set takes FIELD=VALUE, not '{item}'")
        session = engine.correct_case(session, field.strip(), value)
    if args.json:
        print(json.dumps(session.case.model_dump(), indent=2))
        return 0
    lines = session.case.lines()
    print("What I've heard" + (":" if lines else ": nothing yet"))
    for label, text in lines:
        print(f"- {label}: {text}")
    return 0
