"""The terminal app on a fresh home: first paint, time to ready and the first reply.

Each start is a fresh Python process that opens the real app headless (as `reflect`
would, with its own engine), so imports are counted; times are from spawning it.
The child types the first message as soon as the app has painted (it waits, visibly,
until the warm-up is done), so "first reply" is what a user who starts typing at once
would wait for.

- "after install": a fresh data folder prepared by `reflect prepare` (what `make install`
  runs), then the first start. "install: reflect prepare" is that step's own time.
- "unprepared": a fresh data folder and no prepare: the first start builds what it needs.
- "everyday": the second start on the prepared folder.
"CPU time" is the app process's own (all its threads), which other processes' load barely changes:
on a shared machine it says what the wall-clock figures would be with the cores to itself.
"Longest UI stall" is the worst delay of the app's event loop while the warm-up runs.
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
MESSAGE = ("Year 9, autistic, EHCP. Walked out of science when the fire alarm test went off and swore at the "
           "teacher who followed him. Help me think.")

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
        prompt = app.chat.prompt_input
        prompt.load_text(sys.argv[1])
        prompt.action_submit()  # queued until the warm-up is done, as when a user types at once
        worst, last = 0.0, time.monotonic()
        while not app.ready:
            await asyncio.sleep(0.01)
            now = time.monotonic()
            worst, last = max(worst, now - last - 0.01), now
        ready, ready_cpu = time.time(), time.process_time()
        rss = rss_mb()
        while app.session is None or len(app.session.turns) < 2 or app.turn_running:
            await asyncio.sleep(0.01)
        reply, reply_cpu = time.time(), time.process_time()
        out = {"paint": paint, "ready": ready, "reply": reply, "rss": rss, "stall": worst, "error": app.last_error,
               "ready_cpu": ready_cpu, "reply_cpu": reply_cpu}
    print("BENCH " + json.dumps(out))

asyncio.run(main())
"""


def _env(data: str) -> dict[str, str]:
    env = dict(os.environ)
    env["REFLECT_DATA_DIR"] = data
    env["REFLECT_CONFIG_FILE"] = str(Path(data) / "no-config.toml")
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    return env


def _start(env: dict[str, str]) -> dict:
    started = time.time()
    done = subprocess.run([sys.executable, "-c", CHILD, MESSAGE], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=1800)
    line = next((l for l in done.stdout.splitlines() if l.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"the app did not start: {done.stderr[-2000:]}")
    data = json.loads(line[6:])
    if data["error"]:
        print(f"bench_app: the app reported: {data['error']}", file=sys.stderr)
    return {"paint": (data["paint"] - started) * 1000, "ready": (data["ready"] - started) * 1000,
            "reply": (data["reply"] - started) * 1000, "rss": data["rss"], "stall": data["stall"] * 1000,
            "ready_cpu": data["ready_cpu"] * 1000, "reply_cpu": data["reply_cpu"] * 1000}


def _prepare(env: dict[str, str]) -> float:
    started = time.time()
    subprocess.run([sys.executable, "-m", "assistant.cli", "prepare"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=1800)
    return (time.time() - started) * 1000


def run() -> list[dict]:
    prepared = _env(tempfile.mkdtemp(prefix="reflect-bench-app-"))
    install = _prepare(prepared)
    first = _start(prepared)
    everyday = _start(prepared)
    cold = _start(_env(tempfile.mkdtemp(prefix="reflect-bench-app-cold-")))
    return [
        row("app", "install: reflect prepare", install),
        row("app", "after install: first paint", first["paint"]),
        row("app", "after install: time to ready", first["ready"]),
        row("app", "after install: first reply", first["reply"]),
        row("app", "after install: CPU time to ready", first["ready_cpu"]),
        row("app", "after install: CPU time to first reply", first["reply_cpu"]),
        row("app", "unprepared: time to ready", cold["ready"]),
        row("app", "unprepared: first reply", cold["reply"]),
        row("app", "everyday: first paint", everyday["paint"]),
        row("app", "everyday: time to ready", everyday["ready"]),
        row("app", "everyday: first reply", everyday["reply"]),
        row("app", "RSS when ready", everyday["rss"], "MB"),
        row("app", "longest UI stall during warm-up", everyday["stall"]),
    ]


if __name__ == "__main__":
    for r in run():
        print(r)
