"""The chromadb index of card sections: local (persistent) or on a server.

Incremental: each chunk carries its card's content hash, so only changed
cards are re-embedded; a different embedding model or chunker rebuilds all.
A no-op check reads metadata only and never loads the embedding model.
"""
from __future__ import annotations

import os
import time
from functools import lru_cache
from pathlib import Path
from typing import Callable

from pydantic import BaseModel

from knowledge.chunker import CHUNKER_VERSION, embedding_text, index_chunks
from knowledge.embedder import model_id
from knowledge.errors import ReflectError
from knowledge.index_care import is_damaged
from knowledge.loader import load_cards
from knowledge.storage import data_dir, private_dir

CARDS_COLLECTION = "cards"
EMBED_GROUP = 16  # cards embedded per model call
Progress = Callable[[int, int], None]


class IndexStatus(BaseModel):
    cards: int
    chunks: int
    embedded_cards: int
    removed_cards: int
    rebuilt: bool
    seconds: float
    location: str
    notice: str | None = None  # e.g. the index was damaged and has been rebuilt


DAMAGED_NOTICE = ("The search index was damaged (a file in it is truncated or corrupt). It is derived data, so it "
                  "has been rebuilt from the cards; documents you had ingested need `reflect ingest` again.")


def chroma_url() -> str | None:
    return os.environ.get("REFLECT_CHROMA_URL") or None


@lru_cache(maxsize=8)
def _client(location: str):
    """One client (and one Settings object) per location, as chromadb expects."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if location.startswith(("http://", "https://")):
        from urllib.parse import urlparse

        url = urlparse(location)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=settings,
            )
        except Exception as exc:  # chromadb raises several types for "not reachable"
            raise ReflectError(f"cannot reach the chromadb server at {location}: {exc}") from None
    try:
        private_dir(Path(location))  # the index holds passages of the school's own documents
        return chromadb.PersistentClient(path=location, settings=settings)
    except Exception as exc:  # chromadb fails obscurely in a folder it cannot write
        if isinstance(exc, PermissionError) or not os.access(location, os.W_OK):
            raise ReflectError(f"the search index folder {location} cannot be written (it is read-only or not "
                               "yours); make it writable, or set REFLECT_DATA_DIR to a folder you can write") from None
        raise


def index_location() -> str:
    return chroma_url() or str(data_dir() / "index")


def get_client():
    return _client(index_location())


def _collection(client, model_id: str):
    meta = {"model_id": model_id, "chunker": CHUNKER_VERSION}
    collection = client.get_or_create_collection(CARDS_COLLECTION, metadata=meta)
    current = collection.metadata or {}
    if current.get("model_id") != model_id or current.get("chunker") != CHUNKER_VERSION:
        client.delete_collection(CARDS_COLLECTION)
        return client.create_collection(CARDS_COLLECTION, metadata=meta), True
    return collection, False


def reset_local_index() -> None:
    """Delete the local index folder (derived data) so it can be built afresh."""
    import shutil

    from chromadb.api.shared_system_client import SharedSystemClient

    _client.cache_clear()
    SharedSystemClient.clear_system_cache()
    shutil.rmtree(data_dir() / "index", ignore_errors=True)


def ensure_index(rebuild: bool = False, progress: Progress | None = None) -> IndexStatus:
    """Bring the index up to date with the cards; cheap when nothing changed.

    A damaged local index is deleted and rebuilt, and the status says so.
    """
    try:
        return _ensure_index(rebuild, progress)
    except ReflectError:
        raise
    except Exception as exc:
        if chroma_url() or not is_damaged(exc):
            raise
    reset_local_index()
    status = _ensure_index(True, progress)
    status.notice = DAMAGED_NOTICE
    return status


def _ensure_index(rebuild: bool, progress: Progress | None) -> IndexStatus:
    started = time.perf_counter()
    cards = load_cards()  # validate every card before touching the index
    client = get_client()
    if rebuild:
        try:
            client.delete_collection(CARDS_COLLECTION)
        except Exception:  # not there yet
            pass
    collection, rebuilt = _collection(client, model_id())
    stored = collection.get(include=["metadatas"])
    stored_hash: dict[str, str] = {}
    stored_ids: dict[str, list[str]] = {}
    for chunk_id, meta in zip(stored["ids"], stored["metadatas"] or []):
        stored_hash[meta["card_id"]] = meta["card_hash"]
        stored_ids.setdefault(meta["card_id"], []).append(chunk_id)

    wanted = {card.id: card for card in cards}
    changed = [card for card in cards if stored_hash.get(card.id) != card.content_hash]
    removed = [cid for cid in stored_ids if cid not in wanted]
    stale_ids = [i for cid in [*removed, *(c.id for c in changed)] for i in stored_ids.get(cid, [])]
    if stale_ids:
        collection.delete(ids=stale_ids)

    if changed:
        from knowledge.embedder import get_embedder

        embedder = get_embedder()
        # Several cards per call: the model sorts a batch by length, so padding is
        # wasted less (measured: about 40% faster than one card at a time).
        for start in range(0, len(changed), EMBED_GROUP):
            group = changed[start:start + EMBED_GROUP]
            chunks = [(card, chunk) for card in group for chunk in index_chunks(card)]
            vectors = embedder.embed([embedding_text(chunk) for _, chunk in chunks])
            collection.add(
                ids=[chunk.chunk_id for _, chunk in chunks],
                embeddings=vectors.tolist(),
                documents=[chunk.text for _, chunk in chunks],
                metadatas=[{
                    "card_id": c.card_id, "card_hash": card.content_hash, "title": c.title,
                    "heading": c.heading, "lenses": ",".join(c.lenses), "kind": c.kind, "role": c.role,
                } for card, c in chunks],
            )
            if progress:
                progress(start + len(group), len(changed))

    return IndexStatus(
        cards=len(cards), chunks=collection.count(), embedded_cards=len(changed),
        removed_cards=len(removed), rebuilt=rebuilt or rebuild,
        seconds=round(time.perf_counter() - started, 3), location=index_location(),
    )


def needs_build() -> bool:
    """True when the index is missing or stale (so a caller can show progress)."""
    try:
        collection = get_client().get_collection(CARDS_COLLECTION)
        meta = collection.metadata or {}
        if meta.get("model_id") != model_id() or meta.get("chunker") != CHUNKER_VERSION:
            return True
        stored = collection.get(include=["metadatas"])
    except Exception:  # missing, or damaged: ensure_index builds (or rebuilds) it
        return True
    hashes = {m["card_id"]: m["card_hash"] for m in stored["metadatas"] or []}
    return hashes != {card.id: card.content_hash for card in load_cards()}
