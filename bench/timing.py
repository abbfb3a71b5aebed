"""Small helpers shared by the benchmark sections."""
from __future__ import annotations

import statistics
import time
from typing import Callable


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def time_ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def cpu_ms(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall, CPU) milliseconds of one call. CPU is this thread's own: the work runs on it alone
    (knowledge/threads.py), so on a shared machine it is what the wall time would be with a core free."""
    started, cpu = time.perf_counter(), time.thread_time()
    fn()
    return (time.perf_counter() - started) * 1000, (time.thread_time() - cpu) * 1000


def row(section: str, metric: str, value: float, unit: str = "ms") -> dict:
    return {"section": section, "metric": metric, "value": round(value, 2), "unit": unit}
