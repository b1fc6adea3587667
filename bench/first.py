"""First visits: server time of the first visit of a page for a region and a period nobody opened yet (goal ≤ 300 ms).

A leader feels the first time: at the Rakor the presenter opens a kabupaten nobody opened yet, or switches the
period. Each page is run through AppTest (the script run a server does) in a fresh process:

* ``--mode cold``: no warm-up (``SV_WARMUP=0``): what a server without one gives;
* ``--mode warm``: the server's warm-up (utils.ui.warmup) has run before the first visitor, as it does on a
  server that has been up for a minute.

Visits, in order: the page for the province (the first page a session opens is the app's first run, timed
apart), then ``--kabs`` kabupaten spread over the list, one kecamatan of the last, the previous quarter and the
same quarter two years back; on Presentasi also every step through the province deck (the next button).
Baseline in the same process: a rerun with no change (warm). Wall and process CPU
milliseconds, medians; the CPU figure is the steadier one on a shared machine.

    python -m bench.first --page pages/5_Evaluasi.py --mode warm [--kabs 4] [--json out.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PAGES = ("pages/1_Ringkasan.py", "pages/2_Peta.py", "pages/3_Adopsi.py", "pages/4_Pelatihan.py",
         "pages/5_Evaluasi.py", "pages/10_Presentasi.py", "pages/9_Kualitas.py")
DECK_PAGE = "pages/10_Presentasi.py"
#: The goal of issue 20 for a first visit and a slide step, server time.
GOAL_MS = 300


def measure(page: str, mode: str, kabs: int = 4, timeout: float = 600.0, warmup_steps: int | None = None) -> dict:
    os.environ["SV_WARMUP"] = "0"  # never a background thread beside the timed runs; "warm" runs it first
    from streamlit.testing.v1 import AppTest

    from bench.rerun import spread
    from utils.domain import filters
    from utils.domain.codes import PROVINCE_CODE
    from utils.ui import shared, warmup

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    visits: list[dict] = []

    def timed(kind: str, label: str, change=None) -> dict:
        if change is not None:
            change()
        cpu, start = time.process_time(), time.perf_counter()
        at.run()
        row = {"kind": kind, "label": label, "wall_ms": round((time.perf_counter() - start) * 1000, 1),
               "cpu_ms": round((time.process_time() - cpu) * 1000, 1)}
        if at.exception:
            row["error"] = "; ".join(e.message for e in at.exception)[:300]
        visits.append(row)
        return row

    first = timed("app first run", "app.py (imports, data load)")
    warmup_s = None
    if mode == "warm":
        t0 = time.perf_counter()
        done = warmup.run(limit=warmup_steps)
        warmup_s = round(time.perf_counter() - t0, 1)
        if done.error:
            raise RuntimeError(f"warm-up failed: {done.error}")
    ds = shared.dataset()
    codes = filters.region_options(ds.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
    timed("first visit", "province", lambda: at.switch_page(page))
    timed("baseline", "no change")
    if page == DECK_PAGE:  # the presenter steps through the province deck (the arrow key = the next button)
        while not at.button(key="sv_pres_next").disabled:
            timed("slide step", f"slide {len([v for v in visits if v['kind'] == 'slide step']) + 2}",
                  lambda: at.button(key="sv_pres_next").click())
    for code in spread(codes, kabs):
        timed("first visit", f"kabupaten {code}", lambda c=code: at.selectbox(key="_w_kab").set_value(c))
        timed("baseline", "no change")
    kecs = [k for k in at.selectbox(key="_w_kec").options if k]
    if kecs:
        timed("first visit", f"kecamatan {kecs[len(kecs) // 2]}",
              lambda: at.selectbox(key="_w_kec").set_value(kecs[len(kecs) // 2]))
        timed("baseline", "no change")
    year, quarter = filters.default_period(ds.data_as_of)
    back = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    for y, q in (back, (year - 2, quarter)):
        def period(y=y, q=q) -> None:
            at.selectbox(key="_w_year").set_value(y)
            at.selectbox(key="_w_quarter").set_value(q)
        timed("first visit", f"period {y} Q{q}", period)
        timed("baseline", "no change")

    def med(kind: str, what: str) -> float:
        return round(statistics.median(v[what] for v in visits if v["kind"] == kind), 1)

    firsts = [v for v in visits if v["kind"] == "first visit"]
    return {"page": page, "mode": mode, "kabs": kabs, "app_first_run_ms": first["wall_ms"], "warmup_s": warmup_s,
            "first_visit_median_ms": med("first visit", "wall_ms"), "first_visit_cpu_median_ms": med("first visit", "cpu_ms"),
            "first_visit_max_ms": max(v["wall_ms"] for v in firsts),
            "first_visit_cpu_max_ms": max(v["cpu_ms"] for v in firsts),
            "baseline_median_ms": med("baseline", "wall_ms"), "baseline_cpu_median_ms": med("baseline", "cpu_ms"),
            "n": len(firsts),
            **({"slide_step_median_ms": med("slide step", "wall_ms"), "slide_step_cpu_median_ms": med("slide step", "cpu_ms"),
                "slide_step_max_ms": max(v["wall_ms"] for v in visits if v["kind"] == "slide step"),
                "slide_steps": sum(v["kind"] == "slide step" for v in visits)}
               if any(v["kind"] == "slide step" for v in visits) else {}),
            "errors": [v for v in visits if "error" in v],
            "visits": visits, "when_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")}


def report(r: dict) -> str:
    worst = max((v for v in r["visits"] if v["kind"] == "first visit"), key=lambda v: v["cpu_ms"])
    return (f"{r['page']} [{r['mode']}]: first visit median {r['first_visit_median_ms']:.0f} ms "
            f"(CPU {r['first_visit_cpu_median_ms']:.0f}), worst {worst['label']} {worst['wall_ms']:.0f} ms "
            f"(CPU {worst['cpu_ms']:.0f}); warm rerun {r['baseline_median_ms']:.0f} ms "
            f"(CPU {r['baseline_cpu_median_ms']:.0f}); n={r['n']}"
            + (f"; warm-up {r['warmup_s']} s" if r["warmup_s"] is not None else "")
            + (f"; slide step median {r['slide_step_median_ms']:.0f} ms, max {r['slide_step_max_ms']:.0f} ms "
               f"(n={r['slide_steps']})" if "slide_steps" in r else "")
            + (f"; ERRORS {r['errors']}" if r["errors"] else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", default=PAGES[0])
    parser.add_argument("--mode", choices=("cold", "warm"), default="warm")
    parser.add_argument("--kabs", type=int, default=4)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--warmup-steps", type=int, default=None,
                        help="run only the warm-up's first N steps (the tiny bench: it checks the harness, not the figure)")
    args = parser.parse_args(argv)
    result = measure(args.page, args.mode, args.kabs, warmup_steps=args.warmup_steps)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
