"""Benchmarks: `make bench`. Prints a table and writes bench/results.json.

Each section is a module in bench/ with `run() -> list[Row]`; later work adds
sections to SECTIONS. Runs against a throwaway data directory so a user's
index and sessions are never touched.
"""
from __future__ import annotations

import importlib
import json
import os
import resource
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

SECTIONS = ["bench_retrieval", "bench_guard", "bench_turn", "bench_ingest", "bench_app"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    os.environ["REFLECT_DATA_DIR"] = tempfile.mkdtemp(prefix="reflect-bench-")
    rows: list[dict] = []
    only = set(sys.argv[1:])
    for name in SECTIONS:
        if only and name.removeprefix("bench_") not in only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        rows.extend(module.run())
    rows.append({"section": "process", "metric": "peak RSS", "value": round(peak_rss_mb(), 1), "unit": "MB"})
    width = max(len(r["metric"]) for r in rows)
    print(f"{'section':<12} {'metric':<{width}} {'value':>10}  unit")
    for r in rows:
        print(f"{r['section']:<12} {r['metric']:<{width}} {r['value']:>10}  {r['unit']}")
    (HERE / "results.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
