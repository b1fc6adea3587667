"""Peak memory (RSS) of the server process while a browser visits every page for several kabupaten.

Starts ``streamlit run app.py``, opens each page of ``ui.PAGES`` that exists with deep links to
``--kabs`` kabupaten (network blocked, as in the browser tests), waits for each render, then reads
the server's peak resident set size (``VmHWM`` in /proc/<pid>/status; Linux only).

    python -m bench.memory [--kabs 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bench.rerun import spread  # noqa: E402
from tests.browser.harness import launch_chromium, monitored_page, start_server  # noqa: E402
from utils.data import paths  # noqa: E402

#: A page is rendered once its heading is visible and the script run is over with nothing busy.
RENDERED_JS = """
() => {
  const heading = document.querySelector("[data-testid='stMain'] h1");
  const app = document.querySelector("[data-testid='stApp']");
  const done = app && app.getAttribute("data-test-script-state") === "notRunning";
  const busy = document.querySelector(
    "[data-testid='stSpinner'], [data-testid='stStatusWidgetRunningIcon'], [data-testid='stSkeleton']");
  return Boolean(heading && done && !busy);
}
"""


def page_scripts() -> list[str]:
    """Page scripts of the sidebar (utils.ui.shared.PAGES) that exist, in sidebar order (read without importing ui)."""
    text = (ROOT / "utils" / "ui" / "shared.py").read_text()
    listed = re.findall(r'\("(pages/[^"]+\.py)"', text)
    return [p for p in listed if (ROOT / p).exists()]


def url_path(script: str) -> str:
    """Streamlit's URL path of a folder page: ``pages/2_Peta.py`` -> ``/Peta``."""
    return "/" + re.sub(r"^\d+_", "", Path(script).stem)


def rss_mb(pid: int) -> dict[str, float]:
    """Current and peak resident set size of ``pid`` in MB (from /proc)."""
    status = Path(f"/proc/{pid}/status").read_text()
    kb = {k: int(v) for k, v in re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M)}
    return {"rss_mb": round(kb["VmRSS"] / 1024, 1), "peak_rss_mb": round(kb["VmHWM"] / 1024, 1)}


def measure(kabs: int = 3, pages: list[str] | None = None, env: dict[str, str] | None = None,
            timeout: float = 180.0) -> dict:
    """Peak RSS of one server after visiting ``pages`` × (province + ``kabs`` kabupaten)."""
    pages = pages or page_scripts()
    regions = pd.read_parquet(Path((env or {}).get("SV_DATA_DIR", paths.DATA_DIR)) / "regions.parquet",
                              columns=["code", "level"])
    codes = spread(regions.loc[regions["level"] == "kabupaten", "code"].tolist(), kabs)
    visits, slowest = 0, 0.0
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        with start_server(name="bench-memory", env=env, timeout=timeout) as server:
            assert server.process is not None  # started by the with block
            pid = server.process.pid
            after_start = rss_mb(pid)
            with monitored_page(browser, server.base_url) as (page, _monitor):
                for script in pages:
                    for code in [None, *codes]:
                        t0 = time.perf_counter()
                        page.goto(server.url(url_path(script) + (f"?kab={code}" if code else "")),
                                  wait_until="commit")
                        page.wait_for_function(RENDERED_JS, timeout=timeout * 1000, polling=100)
                        slowest = max(slowest, time.perf_counter() - t0)
                        visits += 1
            final = rss_mb(pid)
        browser.close()
    return {"after_start_mb": after_start["rss_mb"], "final_rss_mb": final["rss_mb"],
            "peak_rss_mb": final["peak_rss_mb"], "pages": len(pages), "visits": visits,
            "slowest_visit_s": round(slowest, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kabs", type=int, default=3)
    args = parser.parse_args(argv)
    r = measure(args.kabs)
    print(f"server RSS: {r['after_start_mb']:.0f} MB after start, peak {r['peak_rss_mb']:.0f} MB after "
          f"{r['visits']} page visits over {r['pages']} pages (slowest visit {r['slowest_visit_s']:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
