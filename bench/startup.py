"""Cold start to first render: fresh ``streamlit run`` -> chromium (network blocked) -> main content.

Usage: ``.venv/bin/python -m bench.startup [--runs 5] [--path /]``. Each run starts a fresh server,
opens ``path`` and stops the clock when a ``stMetric`` is visible or, failing that, when the script
run is over (``stApp`` notRunning). Prints every run and the median. Reuses tests/browser/harness.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser.harness import HarnessError, launch_chromium, monitored_page, start_server  # noqa: E402

#: True as soon as a metric is visible, or the run is over with nothing busy; returns which one.
FIRST_RENDER_JS = """
() => {
  const metric = [...document.querySelectorAll("[data-testid='stMetric']")]
    .some((el) => el.getBoundingClientRect().height > 0);
  if (metric) return "stMetric";
  const app = document.querySelector("[data-testid='stApp']");
  const done = app && app.getAttribute("data-test-script-state") === "notRunning";
  const busy = document.querySelector(
    "[data-testid='stSpinner'], [data-testid='stStatusWidgetRunningIcon'], [data-testid='stSkeleton']");
  return done && !busy ? "notRunning" : false;
}
"""


def wait_first_render(page: Page, timeout_ms: float) -> str:
    """Block until the main content is rendered; returns ``stMetric`` or ``notRunning``."""
    return str(page.wait_for_function(FIRST_RENDER_JS, timeout=timeout_ms, polling=50).json_value())


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the runs and the median; 1 if a run failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", default="/", help="page path to open, e.g. /?kab=18.06")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    args = parser.parse_args(argv)

    totals: list[float] = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        print(f"{'run':>3}  {'server':>7}  {'render':>7}  {'total':>7}  stop-on     escaped")
        for run in range(1, args.runs + 1):
            t0 = time.perf_counter()
            try:
                server = start_server(name=f"bench-startup-{run}", timeout=args.timeout)
            except HarnessError as err:
                print(f"run {run}: {err}", file=sys.stderr)
                return 1
            with server, monitored_page(browser, server.base_url) as (page, monitor):
                t_ready = time.perf_counter()
                page.goto(server.url(args.path), wait_until="commit")
                how = wait_first_render(page, args.timeout * 1000)
                t_done = time.perf_counter()
                escaped = len(monitor.blocked)
            totals.append(t_done - t0)
            print(
                f"{run:>3}  {t_ready - t0:6.2f}s  {t_done - t_ready:6.2f}s  {t_done - t0:6.2f}s  "
                f"{how:<10}  {escaped}"
            )
        browser.close()
    print(f"median cold start to first render over {len(totals)} runs: {statistics.median(totals):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
