"""The bench runs end to end in its tiny mode and writes figures a reader can use (it cannot rot unseen).

Not a timed test: budgets live in the bench output. This only checks that every step produced
plausible numbers and that the Markdown table shows them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from utils.data import paths


@pytest.mark.browser  # the cold-start and memory steps drive chromium
def test_tiny_bench_writes_json_and_markdown(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bench.run_all", "--tiny", "--out", str(tmp_path)],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr[-2000:]
    r = json.loads((tmp_path / "bench-tiny.json").read_text())
    md = (tmp_path / "bench-tiny.md").read_text()

    assert r["machine"]["cores"] >= 1 and r["machine"]["versions"]["streamlit"] != "-"
    assert r["data_set"]["desa"] == 2651 and r["data_set"]["kabupaten"] == 15
    assert 0 < r["imports"]["median_s"] < 120
    assert r["imports"]["top_level_ms"]["streamlit"] > 0

    app, baseline = r["startup"]["app"], r["startup"]["baseline"]
    assert 0 < baseline["median_s"] < app["median_s"] < 300  # the app does more than a one-metric page
    assert app["blocked_requests"] == 0  # nothing left the machine
    # A full page load on the warm server in a fresh browser, beside the one-metric app's, ratio in the table.
    assert app["page_loads"] == baseline["page_loads"] == 1
    assert baseline["page_load_median_s"] > 0 and 0 < app["page_load_median_s"] <= app["page_load_max_s"] < 300
    ratio = app["page_load_median_s"] / baseline["page_load_median_s"]
    assert (f"| {app['page_load_median_s']:.2f} s | 1 | one-metric app {baseline['page_load_median_s']:.2f} s "
            f"(×{ratio:.2f}) | ≤ 1.3× |") in md

    (page, rerun), = r["rerun"]["pages"].items()
    assert page == "pages/1_Ringkasan.py"
    assert rerun["change"]["n"] == 2 and rerun["baseline"]["n"] == 2
    assert 0 < rerun["change"]["min_ms"] <= rerun["change"]["median_ms"] <= rerun["change"]["max_ms"] < 60_000

    firsts = r["first"]["pages"]
    assert sorted(firsts) == ["pages/1_Ringkasan.py cold", "pages/1_Ringkasan.py warm"]
    for key, fv in firsts.items():
        assert fv["errors"] == [], fv["errors"]
        # province, one kabupaten, one of its kecamatan, two other periods; each beside a rerun with no change
        assert fv["n"] == 5 and [v["kind"] for v in fv["visits"]].count("baseline") == 5
        assert 0 < fv["first_visit_median_ms"] <= fv["first_visit_max_ms"] < 600_000
        assert (f"| first visit of a region or period: {key} (CPU {fv['first_visit_cpu_median_ms']:.0f}, "
                f"worst {fv['first_visit_max_ms']:,.0f} ms") in md
    assert firsts["pages/1_Ringkasan.py warm"]["warmup_s"] > 0 and firsts["pages/1_Ringkasan.py cold"]["warmup_s"] is None

    mem = r["memory"]
    assert mem["visits"] == 2  # the province and one kabupaten
    assert 30 < mem["after_start_mb"] <= mem["peak_rss_mb"] < 8192

    if (paths.ROOT / "bench" / "map.py").exists():
        assert "error" not in r["map"], r["map"]

    assert f"| {app['median_s']:.2f} s | 1 | one-metric app {baseline['median_s']:.2f} s" in md
    assert rerun["change_cpu_median_ms"] > 0 and rerun["baseline_cpu_median_ms"] > 0
    assert (f"pages/1_Ringkasan.py (CPU {rerun['change_cpu_median_ms']:.0f} / {rerun['baseline_cpu_median_ms']:.0f} ms)"
            f" | {rerun['change']['median_ms']:.0f} ms | 2 |") in md
    assert f"{mem['peak_rss_mb']:.0f} MB" in md
    assert f"{r['machine']['cores']} cores" in md
