"""`reflect review-policy FILE [--format md|docx|json] [-o OUT]`: where a policy's wording fixes outcomes, and what it lacks."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the policy: PDF, .docx, .md or .txt")
    parser.add_argument("--format", choices=["md", "docx", "json"], help="md (default), docx or json")
    parser.add_argument("-o", "--output", metavar="OUT", help="write here (md and json go to the screen otherwise)")
    parser.add_argument("--force", action="store_true", help="replace the output file if it exists")


def run(args: argparse.Namespace) -> int:
    from assistant import services
    from knowledge.errors import ReflectError
    from knowledge.safe_text import safe_text

    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    fmt = args.format or (suffix if suffix in ("docx", "json") else "md")
    out = Path(args.output).expanduser() if args.output else None
    if fmt == "docx" and out is None:
        out = Path.cwd() / f"{Path(args.file).stem}-review.docx"
    if out is not None:
        if out.is_dir():
            raise ReflectError(f"{out}: is a folder; give a file name")
        if not out.parent.exists():
            raise ReflectError(f"{out.parent}: no such folder")
        if Path(args.file).exists() and out.resolve() == Path(args.file).resolve():
            raise ReflectError(f"{out}: that is the policy itself; choose another output file")
        if out.exists() and not args.force:
            raise ReflectError(f"{out} already exists; choose another name, or add --force to replace it")
    review = services.review_policy(args.file)
    if out is None:
        sys.stdout.write(services.review_json(review) if fmt == "json" else safe_text(review.to_markdown()))
        return 0
    services.write_review(review, out, fmt, force=args.force)
    print(f"review written to {safe_text(str(out))} (readable by you only)")
    return 0
