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


def row(section: str, metric: str, value: float, unit: str = "ms") -> dict:
    return {"section": section, "metric": metric, "value": round(value, 2), "unit": unit}
