"""Data build time: `python -m utils.build --force` run N times in a fresh process (median).

    python -m bench.build [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from utils import paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    times = []
    for i in range(args.runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "utils.build", "--force"], cwd=paths.ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        print(f"run {i + 1}: {times[-1]:.1f} s")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "utils.build"], cwd=paths.ROOT, check=True, stdout=subprocess.DEVNULL)
    print(f"data build --force: median {statistics.median(times):.1f} s (n={args.runs}); "
          f"up-to-date check: {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
