"""Run every measurement in one go (`make bench`); figures go in the closing note, not in tests."""

from __future__ import annotations

import subprocess
import sys

for module in ("bench.build", "bench.rerun", "bench.startup"):
    print(f"\n== {module}", flush=True)
    subprocess.run([sys.executable, "-m", module], check=True)
