"""`reflect export SESSION --format md|docx -o FILE`: the decision record."""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", help="session id (or its first characters)")
    parser.add_argument("--format", choices=["md", "docx"], help="default: from the file name, else md")
    parser.add_argument("-o", "--output", help="file to write (default: <session>.<format> here)")
    parser.add_argument("--governance", action="store_true",
                        help="write the governance summary for governors instead (needs --confirm)")
    parser.add_argument("--confirm", action="store_true", help="confirm the governance summary")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant.export import export
    from assistant.record import build_record
    from assistant.store import SessionStore
    from knowledge.errors import ReflectError

    store = SessionStore()
    session = store.get(args.session)
    if args.governance:
        from assistant.governance import confirmation_text, governance_summary

        if not args.confirm:
            raise ReflectError(confirmation_text() + " (add --confirm)")
        text = governance_summary(build_record(session))
        path = Path(args.output or f"{session.id}-governance.md")
        path.write_text(text, encoding="utf-8")
        print(f"governance summary written to {path.resolve()}")
        return 0
    fmt = args.format or (Path(args.output).suffix.lstrip(".") if args.output else "md") or "md"
    path = export(build_record(session), Path(args.output or f"{session.id}.{fmt}"), fmt)
    print(f"decision record written to {path.resolve()}")
    return 0
