"""Benchmarks: `make bench`. Prints a table and writes bench/results.json.

Each section is a module in bench/ with `run() -> list[Row]`; later work adds
sections to SECTIONS. Runs against a throwaway data directory so a user's
index and sessions are never touched.

    python bench/run.py [SECTION...]          quiet only
    python bench/run.py --busy [SECTION...]   quiet, then beside a CPU-heavy process (bench/busy.py)

With --busy each pass runs in its own fresh process and data directory, so the
busy pass starts as cold as the quiet one; the table shows both and their ratio.
"""
from __future__ import annotations

import importlib
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

SECTIONS = ["bench_retrieval", "bench_guard", "bench_turn", "bench_ingest", "bench_app"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_sections(only: set[str]) -> list[dict]:
    os.environ["REFLECT_DATA_DIR"] = tempfile.mkdtemp(prefix="reflect-bench-")
    rows: list[dict] = []
    for name in SECTIONS:
        if only and name.removeprefix("bench_") not in only:
            continue
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        section_rows = module.run()
        rows.extend(section_rows)
        # a shared machine is never quiet: each section says how loaded it was when it finished
        rows.append({"section": section_rows[0]["section"] if section_rows else name, "metric": "load average (1 min)",
                     "value": round(os.getloadavg()[0], 2), "unit": "load"})
    rows.append({"section": "process", "metric": "peak RSS", "value": round(peak_rss_mb(), 1), "unit": "MB"})
    return rows


def _pass(only: list[str]) -> list[dict]:
    """One pass in a fresh process (fresh caches, fresh data directory)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = Path(out.name)
    subprocess.run([sys.executable, __file__, "--json", str(path), *only], check=True)
    rows = json.loads(path.read_text())
    path.unlink()
    return rows


def print_rows(rows: list[dict]) -> None:
    width = max(len(r["metric"]) for r in rows)
    print(f"{'section':<12} {'metric':<{width}} {'value':>10}  unit")
    for r in rows:
        print(f"{r['section']:<12} {r['metric']:<{width}} {r['value']:>10}  {r['unit']}")


def side_by_side(quiet: list[dict], busy: list[dict]) -> list[dict]:
    loaded = {(r["section"], r["metric"]): r["value"] for r in busy}
    rows = []
    for r in quiet:
        other = loaded.get((r["section"], r["metric"]))
        ratio = round(other / r["value"], 2) if other is not None and r["value"] and r["unit"] not in ("x", "load") else None
        rows.append({**r, "quiet": r["value"], "busy": other, "busy/quiet": ratio})
    return rows


def print_side_by_side(rows: list[dict]) -> None:
    width = max(len(r["metric"]) for r in rows)
    print(f"{'section':<12} {'metric':<{width}} {'quiet':>10} {'busy':>10} {'busy/quiet':>10}  unit")
    for r in rows:
        busy = "" if r["busy"] is None else r["busy"]
        ratio = "" if r["busy/quiet"] is None else f"{r['busy/quiet']}x"
        print(f"{r['section']:<12} {r['metric']:<{width}} {r['quiet']:>10} {busy:>10} {ratio:>10}  {r['unit']}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--json"]:  # a child pass
        rows = run_sections(set(argv[2:]))
        Path(argv[1]).write_text(json.dumps(rows))
        return 0
    if argv[:1] == ["--busy"]:
        from busy import busy

        only = argv[1:]
        print("quiet pass…", file=sys.stderr, flush=True)
        quiet = _pass(only)
        print("busy pass, beside a CPU-heavy process…", file=sys.stderr, flush=True)
        with busy():
            loaded = _pass(only)
        rows = side_by_side(quiet, loaded)
        print_side_by_side(rows)
        (HERE / "results.json").write_text(json.dumps(rows, indent=2))
        return 0
    rows = run_sections(set(argv))
    print_rows(rows)
    (HERE / "results.json").write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
