"""`reflect review-policy FILE`: where a policy's wording fixes outcomes, and what it lacks."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the policy: PDF, .docx, .md or .txt")
    parser.add_argument("--format", choices=["md", "docx"], help="md (default) or docx")
    parser.add_argument("-o", "--output", metavar="OUT", help="write here (md goes to the screen otherwise)")


def run(args: argparse.Namespace) -> int:
    from assistant.policy_review import review_policy
    from knowledge.errors import ReflectError

    fmt = args.format or ("docx" if args.output and args.output.lower().endswith(".docx") else "md")
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
    review = review_policy(args.file)
    if out is None:
        sys.stdout.write(review.to_markdown())
        return 0
    try:
        if fmt == "docx":
            review.to_docx(out)
        else:
            out.write_text(review.to_markdown(), encoding="utf-8")
    except OSError as exc:
        raise ReflectError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    print(f"review written to {out}")
    return 0
