"""How many threads the numeric libraries may use: the one home for torch, OpenMP and BLAS.

One thread, chosen by measurement on a 2-core machine. Under another process's load a
second thread does not add a core, it waits for one: each of torch's, OpenMP's and
OpenBLAS's pools spins at its barriers while its other thread is descheduled. Measured side
by side at load 4-6: one query embedding 25-35 ms with one thread against 470-590 ms with
two, and 240 card sections 5.8-12.6 s against 13.0-22.6 s. Quiet, one thread costs nothing
per query and at most about 2x on bulk embedding, which `reflect prepare` does at install.
`REFLECT_THREADS` overrides it for a machine with cores to spare.
"""
from __future__ import annotations

import os

DEFAULT_THREADS = 1
_POOLS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def inference_threads() -> int:
    raw = os.environ.get("REFLECT_THREADS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_THREADS


# A library reads these once, when it loads: set here, before torch and scikit-learn are imported
# (knowledge.embedder imports this module first), they size every thread's pool, not only this one's.
for _pool in _POOLS:
    os.environ.setdefault(_pool, str(inference_threads()))


def limit_threads() -> None:
    """Apply the limit to the libraries already loaded (numpy's BLAS may have loaded before the
    variables above were set) and to torch, which keeps its own counts."""
    import torch
    from threadpoolctl import threadpool_limits

    threads = inference_threads()
    torch.set_num_threads(threads)
    try:
        torch.set_num_interop_threads(threads)
    except RuntimeError:  # only allowed before torch's first parallel work; set already, or too late
        pass
    threadpool_limits(limits=threads)
