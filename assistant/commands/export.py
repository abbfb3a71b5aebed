"""`reflect export SESSION --format md|docx -o FILE`: the decision record."""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session", help="session id (or its first characters)")
    parser.add_argument("--format", choices=["md", "docx"], help="default: from the file name, else md")
    parser.add_argument("-o", "--output",
                        help="file to write (default: decision-record-<session id>-<date>.<format> here)")
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists")
    parser.add_argument("--governance", action="store_true",
                        help="write the governance summary for governors instead (needs --confirm)")
    parser.add_argument("--confirm", action="store_true", help="confirm the governance summary")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from assistant import services
    from assistant.engine import Engine
    from knowledge.errors import ReflectError

    session = Engine().session(args.session)
    output = Path(args.output).expanduser() if args.output else None
    if args.governance:
        if not args.confirm:
            raise ReflectError(services.governance_confirmation() + " (add --confirm)")
        path = services.export_governance(session, output, force=args.force)
        print(f"governance summary written to {path.resolve()} (readable by you only)")
        return 0
    fmt = args.format or (output.suffix.lstrip(".").lower() if output else "md") or "md"
    path = services.export_record(session, output, fmt, force=args.force)
    print(f"decision record written to {path.resolve()} (readable by you only)")
    return 0
