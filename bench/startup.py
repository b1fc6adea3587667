"""Cold start to first render: fresh ``streamlit run`` -> chromium (network blocked) -> main content.

Usage: ``.venv/bin/python -m bench.startup [--runs 5] [--path /]``. Each run starts a fresh server,
opens ``path`` and stops the clock when the overview's KPIs (``stMetric``) are visible and the script
run is over. (``notRunning`` alone is not enough: app.py's own run ends before it routes to the
overview.) Prints every run and the median. Reuses tests/browser/harness.py.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser.harness import HarnessError, launch_chromium, monitored_page, start_server  # noqa: E402

#: True once a metric is visible and the run is over with nothing busy.
FIRST_RENDER_JS = """
() => {
  const metric = [...document.querySelectorAll("[data-testid='stMetric']")]
    .some((el) => el.getBoundingClientRect().height > 0);
  const app = document.querySelector("[data-testid='stApp']");
  const done = app && app.getAttribute("data-test-script-state") === "notRunning";
  const busy = document.querySelector(
    "[data-testid='stSpinner'], [data-testid='stStatusWidgetRunningIcon'], [data-testid='stSkeleton']");
  return metric && done && !busy ? "stMetric" : false;
}
"""


BASELINE_APP = 'import streamlit as st\nst.metric("baseline", 1)\n'


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

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        # Baseline in the same run: a one-metric Streamlit app, so the figure can be read apart from
        # the machine's speed (Streamlit's own start and frontend load).
        Path(tmp, "hello.py").write_text(BASELINE_APP)
        browser = launch_chromium(pw)
        print(f"{'what':>8} {'run':>3}  {'server':>7}  {'render':>7}  {'total':>7}  stop-on     escaped")
        medians = {}
        for what, script, cwd, path in (("baseline", "hello.py", Path(tmp), "/"),
                                        ("app", "app.py", ROOT, args.path)):
            totals: list[float] = []
            for run in range(1, args.runs + 1):
                t0 = time.perf_counter()
                try:
                    server = start_server(name=f"bench-startup-{what}-{run}", timeout=args.timeout,
                                          script=script, cwd=cwd)
                except HarnessError as err:
                    print(f"run {run}: {err}", file=sys.stderr)
                    return 1
                with server, monitored_page(browser, server.base_url) as (page, monitor):
                    t_ready = time.perf_counter()
                    page.goto(server.url(path), wait_until="commit")
                    how = wait_first_render(page, args.timeout * 1000)
                    t_done = time.perf_counter()
                    escaped = len(monitor.blocked)
                totals.append(t_done - t0)
                print(f"{what:>8} {run:>3}  {t_ready - t0:6.2f}s  {t_done - t_ready:6.2f}s  "
                      f"{t_done - t0:6.2f}s  {how:<10}  {escaped}")
            medians[what] = statistics.median(totals)
        browser.close()
    print(f"median cold start to first render over {args.runs} runs: app {medians['app']:.2f} s, "
          f"baseline one-metric app {medians['baseline']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
