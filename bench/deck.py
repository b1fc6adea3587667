"""Full-province meeting deck as PPTX and PDF (budgets: PPTX ≤ 15 s, PDF ≤ 20 s on 2 cores).

Each timed figure is the whole export a user waits for after pressing the button on a cold deck cache:
``build_deck`` (progress and evaluation figures, map PNG) plus the file rendering. The province deck with
every kabupaten/kota chosen for a scorecard slide (the largest deck: 22 slides) is timed; the median of
``--rounds`` runs is reported, with the build and render parts separately.

    python -m bench.deck [--rounds 3] [--json artifacts/bench/deck.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from utils.data.dataset import load_boundaries, load_dataset  # noqa: E402
from utils.domain.codes import PROVINCE_CODE  # noqa: E402
from utils.domain.filters import FilterState, period_end, region_options  # noqa: E402
from utils.metrics import indicators  # noqa: E402
from utils.views import deck as deck_mod  # noqa: E402
from utils.views.exports.deck_pdf import deck_pdf  # noqa: E402
from utils.views.exports.deck_pptx import deck_pptx  # noqa: E402

BUDGET_S = {"pptx": 15.0, "pdf": 20.0}
OUT = ROOT / "artifacts" / "bench" / "deck"


def measure(rounds: int = 3) -> dict:
    """Median seconds of build + render for PPTX and PDF of the full-province deck, with the parts."""
    ds = load_dataset()
    state = FilterState()
    as_of = period_end(state, ds.data_as_of)
    kabs = region_options(ds.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
    snapshot = indicators.village_snapshot(ds, as_of)  # the page has it cached already
    times: dict[str, list[float]] = {"build": [], "pptx_render": [], "pdf_render": []}
    slides, size = 0, {}
    for _ in range(rounds):
        start = time.perf_counter()
        # Boundaries load inside: a cold cache, as the first export after a server start.
        deck = deck_mod.build_deck(ds, state, as_of, "id", kabs, snapshot=snapshot, boundaries=load_boundaries)
        times["build"].append(time.perf_counter() - start)
        start = time.perf_counter()
        pptx = deck_pptx(deck)
        times["pptx_render"].append(time.perf_counter() - start)
        start = time.perf_counter()
        pdf = deck_pdf(deck)
        times["pdf_render"].append(time.perf_counter() - start)
        slides, size = len(deck.slides), {"pptx": len(pptx), "pdf": len(pdf)}
    med = {k: statistics.median(v) for k, v in times.items()}
    total = {"pptx": med["build"] + med["pptx_render"], "pdf": med["build"] + med["pdf_render"]}
    return {
        "rounds": rounds, "slides": slides, "bytes": size,
        "median_s": {k: round(v, 3) for k, v in med.items()},
        "total_s": {k: round(v, 3) for k, v in total.items()},
        "budget_s": BUDGET_S,
        "within_budget": {k: total[k] <= BUDGET_S[k] for k in BUDGET_S},
    }


def markdown(result: dict) -> str:
    rows = [f"| {k.upper()} | {result['total_s'][k]:.2f} s | {result['budget_s'][k]:.0f} s | "
            f"{'ya' if result['within_budget'][k] else 'TIDAK'} |" for k in ("pptx", "pdf")]
    med = result["median_s"]
    return "\n".join([
        f"# Deck export (full province, {result['slides']} slides, median of {result['rounds']})", "",
        "| File | Build + render | Budget | Within |", "|---|---|---|---|", *rows, "",
        f"Parts: build {med['build']:.2f} s, PPTX render {med['pptx_render']:.2f} s, PDF render {med['pdf_render']:.2f} s.",
        "",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=OUT.with_suffix(".json"))
    args = parser.parse_args(argv)
    result = measure(args.rounds)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    args.json.with_suffix(".md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))
    return 0 if all(result["within_budget"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
