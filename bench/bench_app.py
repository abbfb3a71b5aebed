"""The terminal app: time to first paint, time to ready (warm-up done), RSS when ready.

Each measurement starts a fresh Python process that opens the real app
headless (as `reflect` would, with its own engine), so imports are counted.
Times are from spawning the process. The first start may build the search
index and the guardrail classifier in the data directory; the second start
is the everyday case. "Longest UI stall" is the worst delay of the app's
event loop while the warm-up runs in its worker thread.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import row

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, json, sys, time
from assistant.app.app import ReflectApp

def rss_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

async def main():
    app = ReflectApp()
    async with app.run_test(size=(120, 40)) as pilot:
        while app.first_paint is None:
            await asyncio.sleep(0.005)
        paint = time.time()
        worst, last = 0.0, time.monotonic()
        while not app.ready:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            worst, last = max(worst, now - last - 0.01), now
        ready = time.time()
        out = {"paint": paint, "ready": ready, "rss": rss_mb(), "stall": worst, "error": app.last_error}
    print("BENCH " + json.dumps(out))

asyncio.run(main())
"""


def _start(env: dict[str, str]) -> dict:
    started = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"the app did not start: {done.stderr[-2000:]}")
    data = json.loads(line[6:])
    return {"paint": (data["paint"] - started) * 1000, "ready": (data["ready"] - started) * 1000,
            "rss": data["rss"], "stall": data["stall"] * 1000, "error": data["error"]}


def run() -> list[dict]:
    env = dict(os.environ)
    env.setdefault("REFLECT_DATA_DIR", tempfile.mkdtemp(prefix="reflect-bench-app-"))
    env["REFLECT_CONFIG_FILE"] = str(Path(env["REFLECT_DATA_DIR"]) / "no-config.toml")
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    first = _start(env)
    second = _start(env)
    rows = [
        row("app", "first start: time to first paint", first["paint"]),
        row("app", "first start: time to ready", first["ready"]),
        row("app", "time to first paint", second["paint"]),
        row("app", "time to ready (warm-up done)", second["ready"]),
        row("app", "RSS when ready", second["rss"], "MB"),
        row("app", "longest UI stall during warm-up", second["stall"]),
    ]
    if second["error"]:
        print(f"bench_app: the app reported: {second['error']}", file=sys.stderr)
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
