"""Data build time: `python -m utils build --force` in a fresh process, N times (median).

The build writes into a temporary folder (SV_DATA_DIR / SV_GEO_DIR), never over the checkout's data/,
and reads the upstream files from the local mirror (SV_SOURCES_MIRROR, else ../shared/sources when it
exists), so measuring it needs no network and disturbs no running app.

    python -m bench.build [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from utils.data import paths

MIRROR = paths.ROOT.parent / "shared" / "sources"


def _env(tmp: Path) -> dict[str, str]:
    env = {**os.environ, "SV_DATA_DIR": str(tmp / "data"), "SV_GEO_DIR": str(tmp / "geo")}
    if not env.get("SV_SOURCES_MIRROR") and (MIRROR / "SHA256SUMS").exists():
        env["SV_SOURCES_MIRROR"] = str(MIRROR)
    return env


def measure(runs: int = 3) -> dict:
    """Median wall time of a forced build, the up-to-date check, and the build's own step timings."""
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="sv-bench-build-") as tmp:
        env = _env(Path(tmp))
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "utils", "build", "--force"], cwd=paths.ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "utils", "build"], cwd=paths.ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        check = time.perf_counter() - start
        report = json.loads((Path(tmp) / "data" / paths.BUILD_REPORT.name).read_text())
    return {"median_s": round(statistics.median(times), 2), "min_s": round(min(times), 2),
            "max_s": round(max(times), 2), "n": runs, "up_to_date_check_s": round(check, 2),
            "steps_s": report.get("timings_s", {})}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    r = measure(args.runs)
    print(f"data build --force: median {r['median_s']:.1f} s (min {r['min_s']:.1f}, max {r['max_s']:.1f}, "
          f"n={r['n']}); up-to-date check: {r['up_to_date_check_s']:.1f} s")
    print("  steps of the last build (s): " + ", ".join(f"{k} {v}" for k, v in r["steps_s"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
