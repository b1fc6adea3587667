"""Concurrent sessions and memory on a real ``streamlit run app.py`` server over loopback.

Three phases on one fresh server (tests/browser/harness.py's ``start_server``):

1. warm-up: a few sessions visit pages and regions until ``--warmup`` reruns (not counted);
2. load: ``--sessions`` users at once for ``--duration`` seconds, ``--browsers`` of them real chromium
   contexts (network blocked), the rest websocket clients (tests/load/st_client.py). Each changes the
   sidebar filter and the page with ``--think`` seconds between actions (each at least twice, however
   slow the machine) and checks every run: no error
   element, no cross-session leak (breadcrumb and sidebar echo ITS choice). Latency = send -> the
   page's ``script_finished``;
3. memory: ``--reruns`` reruns back to back by ``--mem-sessions`` users, each starting a new session
   every ``--reconnect`` actions; the server's RSS (``/proc/<pid>/status``) after every rerun. Bound:
   growth over the second half (after rerun ``reruns/2``, the warm-up) <= ``--bound`` MiB.

    python -m bench.load [--sessions 30] [--browsers 3] [--duration 120] [--reruns 500]

Writes artifacts/bench/load.json and load.md; exits 1 when errors, leaks, lost sessions or memory
growth beyond the bound were seen.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser.harness import start_server  # noqa: E402
from tests.load.sessions import memory_figures, rss_kib, run_load  # noqa: E402

OUT_DIR = ROOT / "artifacts" / "bench"
BOUND_MIB = 50.0


def measure(sessions: int = 30, browsers: int = 3, duration: float = 120.0, think: tuple[float, float] = (1.0, 3.0),
            warmup: int = 60, reruns: int = 500, mem_sessions: int = 5, reconnect: int = 25,
            bound_mib: float = BOUND_MIB, seed: int = 1) -> dict:
    """Run the three phases and return the figures (and which checks held)."""
    load_before = os.getloadavg()
    server = start_server(name="bench-load")
    pid = server.process.pid if server.process else 0
    try:
        rss_start = rss_kib(pid)
        run_load(server.base_url, ws_sessions=3, max_reruns=warmup, duration=600, think=(0.0, 0.0), seed=seed + 100)
        rss_warm = rss_kib(pid)
        load = run_load(server.base_url, ws_sessions=sessions - browsers, browser_sessions=browsers,
                        duration=duration, think=think, pid=pid, seed=seed, min_actions=2)
        rss_after_load = rss_kib(pid)
        t0 = time.perf_counter()
        mem = run_load(server.base_url, ws_sessions=mem_sessions, max_reruns=reruns, duration=1800,
                       think=(0.0, 0.1), pid=pid, reconnect_every=reconnect, seed=seed + 200)
        mem_time = time.perf_counter() - t0
    finally:
        server.stop()
    figures = load.summary()
    memory = {
        "reruns": mem.stats.reruns, "sessions": mem_sessions, "new_session_every": reconnect,
        "sessions_opened": mem.stats.sessions_opened, "duration_s": round(mem_time, 1),
        "rss_start_mib": round(rss_start / 1024, 1), "rss_after_server_warmup_mib": round(rss_warm / 1024, 1),
        "rss_after_load_mib": round(rss_after_load / 1024, 1),
        "warmup_until_rerun": reruns // 2,
        "measured_until_rerun": reruns,
        **memory_figures(mem.stats.rss, reruns // 2, reruns),
        "bound_mib": bound_mib, "errors": len(mem.stats.errors), "leaks": len(mem.stats.leaks),
        "p50_ms": mem.summary()["p50_ms"], "p95_ms": mem.summary()["p95_ms"],
    }
    checks = {
        "no_errors": figures["errors"] == 0 and memory["errors"] == 0,
        "no_leaks": figures["leaks"] == 0 and memory["leaks"] == 0,
        "all_sessions_held": figures["sessions_held"] == sessions,
        "memory_within_bound": memory["growth_mib"] <= bound_mib,
    }
    return {
        "load": figures, "memory": memory, "checks": checks, "held": all(checks.values()),
        "machine": {"cores": os.cpu_count(), "loadavg_1_5_15_before": [round(x, 2) for x in load_before],
                    "loadavg_1_5_15_after": [round(x, 2) for x in os.getloadavg()]},
        "settings": {"sessions": sessions, "browsers": browsers, "duration_s": duration, "think_s": list(think),
                     "warmup_reruns": warmup, "seed": seed},
        "problems": (load.stats.errors + load.stats.leaks + mem.stats.errors + mem.stats.leaks)[:50],
    }


def report(result: dict) -> str:
    """The figures as Markdown."""
    ld, mem, st = result["load"], result["memory"], result["settings"]
    lines = [
        "# Load: concurrent sessions and memory",
        "",
        f"{st['sessions']} sessions ({ld['ws_sessions']} websocket clients, {ld['browser_sessions']} chromium "
        f"contexts) for {ld['duration_s']} s, {st['think_s'][0]}–{st['think_s'][1]} s between actions.",
        f"Machine: {result['machine']['cores']} cores shared with other work; load average (1/5/15 min) "
        f"{result['machine']['loadavg_1_5_15_before']} before, {result['machine']['loadavg_1_5_15_after']} after.",
        "",
        "| figure | value |", "|---|---|",
        f"| sessions held / opened | {ld['sessions_held']} / {ld['sessions_opened']} |",
        f"| reruns (websocket + browser) | {ld['ws_reruns']} + {ld['browser_reruns']} |",
        f"| rerun latency p50 / p95 / max (websocket, send → script_finished) | "
        f"{ld['p50_ms']} / {ld['p95_ms']} / {ld['max_ms']} ms |",
        f"| filter changes only: p50 / p95 | {ld['filter_p50_ms']} / {ld['filter_p95_ms']} ms |",
        f"| browser action → page settled: p50 / p95 | {ld['browser_p50_ms']} / {ld['browser_p95_ms']} ms |",
        f"| errors / cross-session leaks | {ld['errors']} / {ld['leaks']} |",
        "",
        "| page (websocket reruns) | reruns | p50 ms | p95 ms |", "|---|---|---|---|",
        *(f"| {p} | {v['reruns']} | {v['p50_ms']} | {v['p95_ms']} |" for p, v in ld["by_page"].items()),
        "",
        f"## Memory over {mem['reruns']} reruns",
        "",
        f"{mem['sessions']} users back to back, a new session every {mem['new_session_every']} actions "
        f"({mem['sessions_opened']} sessions, {mem['duration_s']} s; p50 {mem['p50_ms']} ms, p95 {mem['p95_ms']} ms).",
        "",
        "| RSS of the server process | MiB |", "|---|---|",
        f"| at start (healthy, no session) | {mem['rss_start_mib']} |",
        f"| after server warm-up | {mem['rss_after_server_warmup_mib']} |",
        f"| after the load phase | {mem['rss_after_load_mib']} |",
        f"| after rerun {mem['warmup_until_rerun']} of the memory run (warm-up) | {mem['rss_after_warmup_mib']} |",
        f"| after rerun {mem['measured_until_rerun']} (end) | {mem['rss_end_mib']} |",
        f"| peak | {mem['peak_mib']} |",
        f"| growth over the last half (bound ≤ {mem['bound_mib']}) | {mem['growth_mib']} |",
        "",
        "Checks: " + ", ".join(f"{k} {'✔' if v else '✘'}" for k, v in result["checks"].items()),
    ]
    if result["problems"]:
        lines += ["", "## Problems (first 50)", "", *(f"- {p}" for p in result["problems"])]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--reruns", type=int, default=500)
    parser.add_argument("--mem-sessions", type=int, default=5)
    parser.add_argument("--reconnect", type=int, default=25)
    parser.add_argument("--bound", type=float, default=BOUND_MIB)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    result = measure(args.sessions, args.browsers, args.duration, tuple(args.think), args.warmup, args.reruns,
                     args.mem_sessions, args.reconnect, args.bound)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load.json").write_text(json.dumps(result, indent=1, ensure_ascii=False))
    text = report(result)
    (args.out / "load.md").write_text(text)
    print(text)
    return 0 if result["held"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
