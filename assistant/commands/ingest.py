"""`reflect ingest PATH...`: bring the school's own documents in (PDF, .docx, .md, .txt)."""
from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, or folders of files, to ingest")


def run(args: argparse.Namespace) -> int:
    from knowledge.documents import ingest

    def progress(name: str, done: int, total: int) -> None:
        if done == 0:
            print(f"reading {name} ({total} passages)…", file=sys.stderr, flush=True)

    for result in ingest(args.paths, progress=progress):
        size = f"{result.pages} page{'s' if result.pages != 1 else ''}, " if result.pages else ""
        print(f"{result.status:>9}  {result.name}  ({size}{result.chunks} passages)")
    from knowledge.index import chroma_url

    url = chroma_url()
    where = f"in the chromadb server at {url}" if url else "on this machine"
    print(f"Documents are held {where}; `reflect docs` lists them.", file=sys.stderr)
    return 0
