"""`reflect docs`: list the documents held; `reflect docs remove NAME` removes one."""
from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=["list", "remove"], default="list",
                        help="list (the default) or remove")
    parser.add_argument("name", nargs="?", help="the file name of the document to remove")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from assistant.services import list_documents, remove_document
    from knowledge.errors import ReflectError
    from knowledge.safe_text import one_line

    if args.action == "remove":
        if not args.name:
            raise ReflectError("give the name of the document to remove, e.g. `reflect docs remove policy.pdf`")
        info = remove_document(args.name)
        print(f"removed {one_line(info.name)} ({info.chunks} passages) from the index and its logs")
        return 0
    if args.name:
        raise ReflectError(f"unexpected argument {one_line(args.name)!r}; to remove a document: `reflect docs remove NAME`")
    docs = list_documents()
    if args.json:
        print(json.dumps([d.model_dump() for d in docs], indent=2))
        return 0
    if not docs:
        print("no documents yet; bring one in with `reflect ingest FILE`")
        return 0
    width = max(len(one_line(d.name)) for d in docs)
    for d in docs:
        pages = f"{d.pages} pages" if d.pages else d.kind
        print(f"{one_line(d.name):<{width}}  {pages:>10}  {d.chunks:>4} passages  ingested {d.ingested[:16].replace('T', ' ')}"
              + ("" if d.complete else "  (incomplete: a write was cut off; ingest the file again, or remove it)"))
    return 0
