"""`reflect`: the command line. With no arguments it opens the terminal app.

Each subcommand lives in `assistant/commands/<name>.py` with two functions,
`add_arguments(parser)` and `run(args) -> int`. Modules import heavy
libraries inside `run`, so `reflect --help` and the app start fast.
"""
from __future__ import annotations

import argparse
import errno
import importlib
import os
import sqlite3
import sys

from knowledge.errors import ReflectError
from knowledge.safe_text import safe_text

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "prepare": ("assistant.commands.prepare", "build and load what the first start needs (make install runs it)"),
    "index": ("assistant.commands.index", "build the search index (it also builds itself on first use)"),
    "search": ("assistant.commands.search", "search the knowledge cards"),
    "guard": ("assistant.commands.guard", "check a message against the boundaries"),
    "eval": ("assistant.commands.evaluate", "measure retrieval or the guardrails on a JSONL set"),
    "ask": ("assistant.commands.ask", "one turn of the reflection conversation"),
    "sessions": ("assistant.commands.sessions", "list saved sessions"),
    "case": ("assistant.commands.case", "show or correct what the assistant has heard about a session's case"),
    "export": ("assistant.commands.export", "export a session's decision record (md or docx) or governance summary"),
    "ingest": ("assistant.commands.ingest", "bring your school's own documents in"),
    "docs": ("assistant.commands.docs", "list or remove your ingested documents"),
    "review-policy": ("assistant.commands.review_policy", "review a behaviour policy for rigidity"),
    "config": ("assistant.commands.config", "show config paths and effective settings"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reflect",
        description="A reflection assistant for school leaders. With no command, opens the app.",
    )
    parser.add_argument("--chroma-url", help="use a chromadb server at URL instead of the local index")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # a command still being built is simply not offered
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command_parser)
        command_parser.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.chroma_url:
        os.environ["REFLECT_CHROMA_URL"] = args.chroma_url
    if not args.command:
        from assistant.app.main import run_app

        return run_app()
    try:
        code = int(args._run(args) or 0)
        sys.stdout.flush()  # a closed pipe is found here, not at exit with a traceback
        return code
    except ReflectError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `reflect sessions | head`: the reader has gone; stop quietly, as other command-line tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        return _fail(os_error_text(exc))
    except sqlite3.Error as exc:  # the sessions store reports its own; this is the search index's
        return _fail(f"the search index could not be read ({exc}); `reflect index --rebuild` rebuilds it "
                     "from the cards, and `reflect ingest` brings your documents back")


def os_error_text(exc: OSError) -> str:
    """A failure of the disk or the data folder, with the next step."""
    where = f" ({safe_text(str(exc.filename))})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"the disk is full{where}; free some space and try again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"a folder reflect writes to cannot be written{where}; make it writable, or set "
                "REFLECT_DATA_DIR to a folder you can write")
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return (f"a folder reflect needs cannot be made{where}: part of its path is a file, not a folder; move "
                "that file, or set REFLECT_DATA_DIR to a folder you can write")
    return f"a file could not be read or written{where}: {exc.strerror or exc}"


def _fail(message: str) -> int:
    print(f"reflect: {safe_text(message)}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
