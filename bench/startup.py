"""Cold start to first render: fresh ``streamlit run`` -> chromium (network blocked) -> main content.

Usage: ``.venv/bin/python -m bench.startup [--runs 5] [--path /]``. Each run starts a fresh server,
opens ``path`` and stops the clock when the overview's KPIs (``stMetric``) are visible and the script
run is over. (``notRunning`` alone is not enough: app.py's own run ends before it routes to the
overview.) Prints every run and the median. Reuses tests/browser/harness.py.
"""

from __future__ import annotations

import argparse
import os
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc): steadier than wall time under load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_first_render(page: Page, timeout_ms: float) -> str:
    """Block until the main content is rendered; returns ``stMetric`` or ``notRunning``."""
    return str(page.wait_for_function(FIRST_RENDER_JS, timeout=timeout_ms, polling=50).json_value())


def measure(runs: int = 5, path: str = "/", timeout: float = 120.0, env: dict[str, str] | None = None,
            log=print, page_loads: int = 3) -> dict:
    """Cold start to first render (s) of the app and of a one-metric baseline app, ``runs`` each.

    After each cold start, with the server still up, ``page_loads`` full page loads in a fresh browser context
    (no cache: a new person opening the link): navigation to the run over with the content drawn. Median per
    app in ``page_load_median_s`` (issue 20: ≤ 1.3× the one-metric app's).

    ``env`` is added to the server's environment (e.g. SV_DATA_DIR for another data set). Raises
    HarnessError when a server does not start.
    """
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        # Baseline in the same run: a one-metric Streamlit app, so the figure can be read apart from
        # the machine's speed (Streamlit's own start and frontend load).
        Path(tmp, "hello.py").write_text(BASELINE_APP)
        browser = launch_chromium(pw)
        log(f"{'what':>8} {'run':>3}  {'server':>7}  {'render':>7}  {'total':>7}  stop-on     escaped")
        result: dict[str, dict] = {}
        for what, script, cwd, target in (("baseline", "hello.py", Path(tmp), "/"), ("app", "app.py", ROOT, path)):
            totals, servers, cpus, loads, escaped_all = [], [], [], [], 0
            for run in range(1, runs + 1):
                t0 = time.perf_counter()
                server = start_server(name=f"bench-startup-{what}-{run}", timeout=timeout, script=script, cwd=cwd,
                                      env=env)
                with server, monitored_page(browser, server.base_url) as (page, monitor):
                    t_ready = time.perf_counter()
                    page.goto(server.url(target), wait_until="commit")
                    how = wait_first_render(page, timeout * 1000)
                    t_done = time.perf_counter()
                    assert server.process is not None  # started by the with block
                    cpus.append(cpu_seconds(server.process.pid))
                    escaped = len(monitor.blocked)
                    for _ in range(page_loads):  # the server warm, the browser cold
                        with monitored_page(browser, server.base_url) as (again, again_monitor):
                            t_load = time.perf_counter()
                            again.goto(server.url(target), wait_until="commit")
                            wait_first_render(again, timeout * 1000)
                            loads.append(time.perf_counter() - t_load)
                            escaped += len(again_monitor.blocked)
                totals.append(t_done - t0)
                servers.append(t_ready - t0)
                escaped_all += escaped
                log(f"{what:>8} {run:>3}  {t_ready - t0:6.2f}s  {t_done - t_ready:6.2f}s  "
                    f"{t_done - t0:6.2f}s  {how:<10}  {escaped}")
            result[what] = {"median_s": round(statistics.median(totals), 2), "min_s": round(min(totals), 2),
                            "max_s": round(max(totals), 2), "n": runs,
                            "server_healthy_median_s": round(statistics.median(servers), 2),
                            "server_cpu_median_s": round(statistics.median(cpus), 2),
                            "blocked_requests": escaped_all}
            if loads:
                result[what].update(page_load_median_s=round(statistics.median(loads), 2), page_loads=len(loads),
                                    page_load_max_s=round(max(loads), 2))
                log(f"{what:>8} page loads, warm server: median {statistics.median(loads):.2f} s (n={len(loads)})")
        browser.close()
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the runs and the median; 1 if a run failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--path", default="/", help="page path to open, e.g. /?kab=18.06")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run")
    args = parser.parse_args(argv)
    try:
        r = measure(args.runs, args.path, args.timeout)
    except HarnessError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"median cold start to first render over {args.runs} runs: app {r['app']['median_s']:.2f} s, "
          f"baseline one-metric app {r['baseline']['median_s']:.2f} s; full page load, warm server: app "
          f"{r['app']['page_load_median_s']:.2f} s, baseline {r['baseline']['page_load_median_s']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
