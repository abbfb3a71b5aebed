"""Keeping the local chromadb index honest: removal that removes, and damage that is noticed.

chromadb keeps every write in its own log table (embeddings_queue), full
text and all, and a deleted record's text stays in the file's free pages.
So removing a document rebuilds its collection from what remains (the log
then holds only the remaining passages), vacuums the file, and deletes the
vector folders no collection uses. A crash mid-way leaves either the old
collection or the complete new one, and `recover_compaction` finishes the
job on the next open.

On a chromadb server (`--chroma-url`) records are deleted through the API;
the server's own log and files are its administrator's to purge.
"""
from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

DAMAGED_DOCUMENTS = ("the search index is damaged (a file in it is truncated or corrupt); run `reflect index "
                     "--rebuild` to rebuild it, then `reflect ingest` your documents again")
_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
BATCH = 1000


def is_damaged(exc: BaseException) -> bool:
    """True for chromadb's (and sqlite's) ways of saying a local index file is corrupt."""
    text = str(exc).lower()
    return any(sign in text for sign in ("malformed", "not a database", "(code: 11)", "(code: 26)",
                                         "file is encrypted", "corrupt"))


def _local_path() -> Path | None:
    from knowledge.index import chroma_url, index_location

    return None if chroma_url() else Path(index_location())


def _names(client) -> set[str]:
    return {c if isinstance(c, str) else c.name for c in client.list_collections()}


def recover_compaction(client, name: str) -> None:
    """Finish a compaction a crash interrupted (see the module docstring)."""
    spare = f"{name}-next"
    names = _names(client)
    if spare not in names:
        return
    if name in names:
        client.delete_collection(spare)  # the original was never deleted: the copy may be partial
    else:
        client.get_collection(spare).modify(name=name)  # the copy was complete before the original went


def compact_documents(client, name: str) -> None:
    """Rebuild the collection from its remaining records, then scrub the local files."""
    old = client.get_collection(name)
    got = old.get(include=["embeddings", "documents", "metadatas"])
    spare = f"{name}-next"
    if spare in _names(client):
        client.delete_collection(spare)
    fresh = client.create_collection(spare, metadata=old.metadata)
    for start in range(0, len(got["ids"]), BATCH):
        end = start + BATCH
        fresh.add(ids=got["ids"][start:end], embeddings=list(got["embeddings"][start:end]),
                  documents=got["documents"][start:end], metadatas=got["metadatas"][start:end])
    client.delete_collection(name)
    fresh.modify(name=name)
    scrub_local_files()


def scrub_local_files() -> None:
    """VACUUM chromadb's file (free pages and log gone) and delete vector folders nothing uses."""
    path = _local_path()
    if path is None or not (path / "chroma.sqlite3").exists():
        return
    db = sqlite3.connect(path / "chroma.sqlite3", timeout=30)
    try:
        db.execute("PRAGMA secure_delete = ON")
        db.execute("VACUUM")
        in_use = {row[0] for row in db.execute("SELECT id FROM segments")}
    finally:
        db.close()
    for folder in path.iterdir():
        if folder.is_dir() and _SEGMENT_DIR.match(folder.name) and folder.name not in in_use:
            shutil.rmtree(folder, ignore_errors=True)
