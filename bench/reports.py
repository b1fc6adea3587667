"""The report pack of one period (``python -m utils reports``): all 15 one-pagers + the province deck
(budget ≤ 60 s on 2 cores), and the 15 Excel files beside them.

Times every step of ``pack.build_pack`` from its progress calls (the same steps the terminal and the
Presentasi page's progress bar show), on a cold start: the figures of the period (scorecard with rank
change, the 9-quarter trend, kecamatan tables), the deck's build, PPTX and PDF, each one-pager, each Excel.
Reports wall-clock and process CPU seconds (the machine is shared: wall time includes waiting for a core).

    python -m bench.reports [--period 2026Q3] [--json artifacts/bench/reports.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from utils.data.dataset import load_dataset  # noqa: E402
from utils.domain.filters import parse_period  # noqa: E402
from utils.views.exports import pack  # noqa: E402

BUDGET_S = 60.0  # one-pagers + deck (figures, build, PPTX, PDF)


def measure(period: str = "2026Q3") -> dict:
    ds = load_dataset()
    year, quarter = parse_period(period, ds.data_as_of)
    marks: list[tuple[str, float, float]] = []  # (label of the step starting, wall, cpu)

    def progress(done: int, total: int, label: str) -> None:
        marks.append((label, time.perf_counter(), time.process_time()))

    start_wall, start_cpu = time.perf_counter(), time.process_time()
    built = pack.build_pack(ds, year, quarter, "id", progress=progress)
    steps = [(label, round(nw - w, 3), round(nc - c, 3))
             for (label, w, c), (_, nw, nc) in zip(marks, marks[1:], strict=False)]
    kinds = {"figures": steps[0:1], "deck_build": steps[1:2], "deck_pptx": steps[2:3], "deck_pdf": steps[3:4],
             "one_pagers": [s for s in steps if s[0].startswith("Evaluasi")],
             "excel": [s for s in steps if s[0].startswith("Data ")]}
    parts = {k: {"wall_s": round(sum(s[1] for s in v), 2), "cpu_s": round(sum(s[2] for s in v), 2)}
             for k, v in kinds.items()}
    budgeted = [k for k in kinds if k != "excel"]
    within = sum(parts[k]["wall_s"] for k in budgeted)
    return {
        "period": period, "as_of": built.as_of.isoformat(), "files": len(built.names()),
        "cores": os.cpu_count(), "load": os.getloadavg()[0],
        "total_wall_s": round(time.perf_counter() - start_wall, 2),
        "total_cpu_s": round(time.process_time() - start_cpu, 2),
        "one_pagers_plus_deck_wall_s": round(within, 2),
        "one_pagers_plus_deck_cpu_s": round(sum(parts[k]["cpu_s"] for k in budgeted), 2),
        "budget_s": BUDGET_S, "within_budget": within <= BUDGET_S, "parts": parts, "steps": steps,
    }


def markdown(r: dict) -> str:
    rows = [f"| {k} | {v['wall_s']:.1f} s | {v['cpu_s']:.1f} s |" for k, v in r["parts"].items()]
    return "\n".join([
        f"# Report pack {r['period']} (period end {r['as_of']}, {r['files']} files; {r['cores']} cores, "
        f"load {r['load']:.1f})", "",
        "| part | wall | CPU |", "|---|---|---|", *rows, "",
        f"One-pagers + deck: {r['one_pagers_plus_deck_wall_s']:.1f} s wall ({r['one_pagers_plus_deck_cpu_s']:.1f} s "
        f"CPU), budget {r['budget_s']:.0f} s: {'ya' if r['within_budget'] else 'TIDAK'}. "
        f"Whole pack: {r['total_wall_s']:.1f} s wall, {r['total_cpu_s']:.1f} s CPU.", ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--period", default="2026Q3")
    parser.add_argument("--json", type=Path, default=ROOT / "artifacts" / "bench" / "reports.json")
    args = parser.parse_args(argv)
    result = measure(args.period)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
