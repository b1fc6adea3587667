"""Warm server-side rerun of the overview after a filter change (budget: aim ≤ 200 ms).

Runs the real page through AppTest (the same script run a server does, without the browser), warms
the caches once per kabupaten, then times reruns that each change the kabupaten (all 15 in turn) and
reports the median. A rerun with no change is timed in the same run as the baseline.

    python -m bench.rerun [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd
from streamlit.testing.v1 import AppTest

from utils import paths


def _timed(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - start) * 1000
    if at.exception:
        raise SystemExit(f"page raised: {[e.message for e in at.exception]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    regions = pd.read_parquet(paths.REGIONS)
    kabs = regions.loc[regions["level"] == "kabupaten", "code"].tolist()

    at = AppTest.from_file(str(paths.ROOT / "app.py"), default_timeout=120)
    cold = _timed(at)
    for code in kabs:  # warm: first visit of each kabupaten
        at.selectbox(key="_w_kab").set_value(code)
        at.run()
    changes, idle = [], []
    for _ in range(args.rounds):
        for code in kabs:
            at.selectbox(key="_w_kab").set_value(code)
            changes.append(_timed(at))
            idle.append(_timed(at))
    print(f"first run (cold caches): {cold:,.0f} ms")
    print(f"rerun after a kabupaten change: median {statistics.median(changes):,.0f} ms "
          f"(min {min(changes):,.0f}, max {max(changes):,.0f}, n={len(changes)})")
    print(f"rerun with no change (baseline): median {statistics.median(idle):,.0f} ms (n={len(idle)})")


if __name__ == "__main__":
    main()
