"""Vectors of card text kept on disk beside the index, so a start loads them instead of embedding them.

One home for the card sentences' vectors (the answer index) and the section questions' vectors (the
answer index and search's coverage estimate). A cache file is keyed by the embedding model, the
format the texts were embedded in and every line embedded: change any of them and the vectors are
embedded again.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_path(kind: str, lines: list[str], embed_format: str) -> Path:
    from knowledge.embedder import model_id
    from knowledge.storage import data_dir

    key = hashlib.sha256("\n".join([model_id(), embed_format, *lines]).encode()).hexdigest()
    return data_dir() / f"answer-{kind}-{key[:16]}.npy"


def load_or_embed(path: Path, texts: list[str]):
    """Vectors from the cache, or embedded now and cached for the next start."""
    import numpy as np

    from knowledge.embedder import get_embedder

    try:
        matrix = np.load(path)
        if matrix.shape[0] == len(texts):
            return matrix
    except (OSError, ValueError):
        pass
    matrix = get_embedder().embed(texts) if texts else np.zeros((0, 0), dtype=np.float32)
    try:
        _save_private(path, matrix)
    except OSError:
        pass  # a read-only data dir only costs the next start a few seconds
    return matrix


def _save_private(path: Path, matrix) -> None:
    """Written whole or not at all, readable by the owner only, like everything in the data folder."""
    import numpy as np

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npy")
    try:
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:
            np.save(fh, matrix)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
