"""`reflect ingest PATH...`: bring the school's own documents in (PDF, .docx, .md, .txt)."""
from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files, to ingest")


def run(args: argparse.Namespace) -> int:
    from assistant import services
    from knowledge.safe_text import one_line

    def progress(name: str, done: int, total: int) -> None:
        if done == 0:
            print(f"reading {one_line(name)} ({total} passages)…", file=sys.stderr, flush=True)

    for result in services.ingest_documents(args.paths, progress=progress):
        size = f"{result.pages} page{'s' if result.pages != 1 else ''}, " if result.pages else ""
        print(f"{result.status:>9}  {one_line(result.name)}  ({size}{result.chunks} passages)")
    print(f"Documents are held {services.documents_location()}; `reflect docs` lists them.", file=sys.stderr)
    return 0
