"""Where a cold server's import time goes: ``python -X importtime`` of the app's modules, fresh process.

Imports ``utils.ui.shared`` and every page's own imports the way a first request does, in a fresh
interpreter, N times; reports the wall time (median) and the slowest packages and app modules by their cumulative
import time at first import (from the last run; nested entries overlap).

    python -m bench.imports [--runs 3] [--top 12]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

from utils.data import paths

#: What a server imports before the overview's first render (app.py, then the page).
APP_IMPORTS = "import streamlit, utils.ui.shared, utils.views.charts, utils.metrics.indicators"
_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def importtime(code: str, env: dict[str, str] | None = None) -> tuple[float, dict[str, float]]:
    """Wall seconds of ``python -X importtime -c code`` and cumulative ms per top-level module."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=paths.ROOT, check=True,
                          capture_output=True, text=True, env={**os.environ, **(env or {})})
    wall = time.perf_counter() - start
    top: dict[str, float] = {}
    for m in _LINE.finditer(done.stderr):
        _self_us, cumulative_us, indent, name = m.groups()
        # Packages (undotted names) and the app's own modules, each at its first import: cumulative
        # times include what they pull in that was not loaded yet, so nested entries overlap.
        if ("." not in name or name.startswith("utils.")) and name not in top and not name.startswith("_"):
            top[name] = int(cumulative_us) / 1000
    return wall, top


def measure(runs: int = 3, top: int = 12, code: str = APP_IMPORTS, env: dict[str, str] | None = None) -> dict:
    """Median wall time of the app's imports and the ``top`` slowest top-level modules (ms)."""
    walls: list[float] = []
    modules: dict[str, float] = {}
    for _ in range(runs):
        wall, modules = importtime(code, env)
        walls.append(wall)
    slowest = dict(sorted(modules.items(), key=lambda kv: -kv[1])[:top])
    return {"code": code, "median_s": round(statistics.median(walls), 2), "n": runs,
            "top_level_ms": {k: round(v, 1) for k, v in slowest.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--code", default=APP_IMPORTS)
    args = parser.parse_args(argv)
    r = measure(args.runs, args.top, args.code)
    print(f"{r['code']}: median {r['median_s']:.2f} s wall (n={r['n']}); slowest top-level imports (ms):")
    for name, ms in r["top_level_ms"].items():
        print(f"  {ms:8.1f}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
