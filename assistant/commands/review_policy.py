"""`reflect review-policy FILE [--format md|docx|json] [-o OUT]`: where a policy's wording fixes outcomes, and what it lacks."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the policy: PDF, .docx, .md or .txt")
    parser.add_argument("--format", choices=["md", "docx", "json"], help="md (default), docx or json")
    parser.add_argument("-o", "--output", metavar="OUT", help="write here (md and json go to the screen otherwise)")


def run(args: argparse.Namespace) -> int:
    import json

    from assistant.policy_review import review_policy
    from knowledge.errors import ReflectError

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
    review = review_policy(args.file)
    text = json.dumps(review.to_json(), indent=2, ensure_ascii=False) + "\n" if fmt == "json" else review.to_markdown()
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        if fmt == "docx":
            review.to_docx(out)
        else:
            out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReflectError(f"{out}: cannot be written ({exc.strerror or exc})") from None
    print(f"review written to {out}")
    return 0
