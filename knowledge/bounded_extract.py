"""Extraction with bounded work: regular files only, in a child process with time and memory limits.

A file can be built to make a parser run for hours or take gigabytes (a
docx of 131,000 paragraphs, PDF pages sharing one heavy stream), or not be a
file at all (a FIFO that never ends, a link to /dev/zero). So only regular
files are opened, and knowledge.extract reads each one in a child process
(started from a clean fork server) that the kernel stops past
EXTRACT_MEMORY_BYTES, and that is killed past EXTRACT_SECONDS. Any of these
is a message naming the file, and nothing else is touched.
"""
from __future__ import annotations

import multiprocessing
import os
import stat
import sys
import threading
from pathlib import Path

from knowledge.errors import ReflectError
from knowledge.extract import MAX_FILE_BYTES, Extracted
from knowledge.safe_text import one_line

EXTRACT_SECONDS = 120.0
EXTRACT_MEMORY_BYTES = 2 * 1024**3


def check_regular_file(path: Path) -> None:
    """Refuse what is not a plain file before anything opens it (opening a FIFO would wait forever)."""
    name = one_line(path.name or str(path))
    try:
        info = path.stat()  # follows a link: a link to /dev/zero is judged as /dev/zero
    except FileNotFoundError:
        raise ReflectError(f"{one_line(str(path))}: no such file") from None
    except OSError as exc:
        raise ReflectError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReflectError(f"{one_line(str(path))}: is a folder, not a document")
    if not stat.S_ISREG(info.st_mode):
        raise ReflectError(f"{name}: is not a regular file (a device, pipe or socket); save the document as a "
                           "file and ingest that")
    if info.st_size > MAX_FILE_BYTES:
        raise ReflectError(f"{name}: too large ({info.st_size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES // 2**20} MB)")


def extract_bounded(path: str | Path) -> Extracted:
    """knowledge.extract.extract, in a limited child process; the result's name is made safe to show."""
    path = Path(path).expanduser()
    check_regular_file(path)
    name = one_line(path.name)
    context = _context()
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(str(path), send, EXTRACT_MEMORY_BYTES, EXTRACT_SECONDS),
                            daemon=True, name="reflect-extract")
    child.start()
    send.close()
    try:
        if not receive.poll(EXTRACT_SECONDS):
            raise ReflectError(
                f"{name}: reading it took too long (over {EXTRACT_SECONDS:.0f} seconds), so it was stopped; "
                "it may be damaged or unusually built: save a simpler copy (e.g. print it to PDF) and try again")
        try:
            kind, payload = receive.recv()
        except EOFError:  # the child died: killed by its memory or CPU limit
            raise ReflectError(
                f"{name}: reading it needed more memory or time than a document should, so it was stopped; it "
                "may be damaged or built to overwhelm a reader: save a simpler copy and try again") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "error":
        raise ReflectError(payload)
    doc = Extracted.model_validate(payload)
    doc.name = one_line(doc.name) or "document"
    return doc


_start_lock = threading.Lock()


def _context():
    """The fork-server context, its server started with a real stderr.

    The multiprocessing helpers pass sys.stderr's file descriptor to the
    processes they start; inside the Textual app sys.stderr is a capture
    whose descriptor is -1, which fails ("bad value(s) in fds_to_keep"). Once
    running, the servers need it no more.
    """
    from multiprocessing import forkserver, resource_tracker

    with _start_lock:
        saved = sys.stderr
        try:
            if _fileno(saved) < 0:
                sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - kept by the servers for their lifetime
            resource_tracker.ensure_running()
            forkserver.ensure_running()
        finally:
            sys.stderr = saved
    return multiprocessing.get_context("forkserver")


def _fileno(stream) -> int:
    try:
        return stream.fileno()
    except (AttributeError, OSError, ValueError):
        return -1


def _child(path: str, send, memory: int, seconds: float) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    from knowledge.extract import extract

    try:
        result = ("ok", extract(path).model_dump())
    except ReflectError as exc:
        result = ("error", str(exc))
    except MemoryError:
        result = ("error", f"{one_line(Path(path).name)}: reading it needed more memory than a document should; "
                           "save a simpler copy and try again")
    except Exception as exc:  # noqa: BLE001 - a parser's failure on a hostile file is a message
        result = ("error", f"{one_line(Path(path).name)}: could not be read ({type(exc).__name__})")
    try:
        send.send(result)
    finally:
        send.close()
        os._exit(0)
