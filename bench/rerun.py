"""Warm server-side rerun of one page after a filter change (budget: ≤ 200 ms, the map ≤ 300 ms).

Runs the real page through AppTest (the same script run a server does, without the browser): app.py
first (it reads the URL into the filter), then ``st.switch_page`` to the page under test. The caches
are warmed once per kabupaten, then reruns that each change the kabupaten are timed and the median
reported. A rerun with no change is timed in the same run, interleaved, as the baseline.

    python -m bench.rerun [--page pages/3_Adopsi.py] [--rounds 3] [--kabs 15] [--json out.json]

``--page`` defaults to the overview (pages/1_Ringkasan.py). ``--kabs N`` times N kabupaten spread
evenly over the list (default: all of them; use it at national scale). The data set is whatever
SV_DATA_DIR / SV_GEO_DIR / SV_DATABASE_URL point at.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the page scripts import utils.*
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from utils.data import paths  # noqa: E402

DEFAULT_PAGE = "pages/1_Ringkasan.py"


class PageFailed(RuntimeError):
    """The page raised while being measured."""


#: CPU milliseconds of the last timed run (the whole process: AppTest runs the script in a thread).
_cpu: list[float] = []


def _timed(at: AppTest) -> float:
    cpu = time.process_time()
    start = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - start) * 1000
    _cpu.append((time.process_time() - cpu) * 1000)
    if at.exception:
        raise PageFailed("; ".join(e.message for e in at.exception))
    return elapsed


def spread(items: list[str], n: int | None) -> list[str]:
    """``n`` items spread evenly over ``items`` (all of them when n is None or ≥ len)."""
    if not n or n >= len(items):
        return list(items)
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def _stats(values: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(values), 1), "min_ms": round(min(values), 1),
            "max_ms": round(max(values), 1), "n": len(values)}


def measure(page: str = DEFAULT_PAGE, rounds: int = 3, kabs: int | None = None,
            timeout: float = 300.0) -> dict:
    """Time reruns of ``page`` after a kabupaten change and with no change; returns the figures (ms)."""
    regions = pd.read_parquet(paths.REGIONS, columns=["code", "level"])
    codes = spread(regions.loc[regions["level"] == "kabupaten", "code"].tolist(), kabs)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    start = time.perf_counter()
    at.run()  # app.py: data load, filter from URL, switch to the overview
    if at.exception:
        raise PageFailed("; ".join(e.message for e in at.exception))
    if page != DEFAULT_PAGE:
        at.switch_page(page)
        _timed(at)
    cold = (time.perf_counter() - start) * 1000
    warm_start = time.perf_counter()
    for code in codes:  # warm: first visit of each kabupaten fills the per-region caches
        at.selectbox(key="_w_kab").set_value(code)
        _timed(at)
    first_visits = (time.perf_counter() - warm_start) * 1000 / len(codes)
    changes, idle, cpu_changes, cpu_idle = [], [], [], []
    for _ in range(rounds):
        for code in codes:
            at.selectbox(key="_w_kab").set_value(code)
            changes.append(_timed(at))
            cpu_changes.append(_cpu[-1])
            idle.append(_timed(at))
            cpu_idle.append(_cpu[-1])
    return {"page": page, "kabupaten_timed": len(codes), "rounds": rounds,
            "first_run_ms": round(cold, 1), "first_visit_mean_ms": round(first_visits, 1),
            "change": _stats(changes), "baseline": _stats(idle),
            # CPU time is steadier than wall time on a shared machine (other processes do not add to it).
            "change_cpu_median_ms": round(statistics.median(cpu_changes), 1),
            "baseline_cpu_median_ms": round(statistics.median(cpu_idle), 1)}


def report(result: dict) -> str:
    """Human-readable lines for one page's result."""
    c, b = result["change"], result["baseline"]
    return (f"{result['page']}: first run (cold caches) {result['first_run_ms']:,.0f} ms; "
            f"first visit of a kabupaten {result['first_visit_mean_ms']:,.0f} ms (mean)\n"
            f"  rerun after a kabupaten change: median {c['median_ms']:,.0f} ms "
            f"(min {c['min_ms']:,.0f}, max {c['max_ms']:,.0f}, n={c['n']})\n"
            f"  rerun with no change (baseline): median {b['median_ms']:,.0f} ms (n={b['n']})\n"
            f"  CPU time (steadier on a shared machine): change {result['change_cpu_median_ms']:,.0f} ms, "
            f"no change {result['baseline_cpu_median_ms']:,.0f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default=DEFAULT_PAGE, help="page script, e.g. pages/3_Adopsi.py")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kabs", type=int, default=None, help="time only N kabupaten (spread evenly)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not (ROOT / args.page).exists():
        parser.error(f"no page script {args.page}")
    try:
        result = measure(args.page, args.rounds, args.kabs)
    except PageFailed as exc:
        print(f"{args.page} raised: {exc}", file=sys.stderr)
        if args.json:
            args.json.write_text(json.dumps({"page": args.page, "error": str(exc)}))
        return 1
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
