"""Map page costs beside the usual way, measured in the same run (issue 3 budgets).

Ours: the per-rerun message of the map component (bytes, at every level, every village included),
the server time to build it (cold: a metric first seen; warm: a cache hit), the page's warm rerun
after a metric change (AppTest, median; no-change rerun as baseline) and the geometry the browser
fetches once (static GeoJSON, gzip level 5 as Streamlit serves it).
Usual way: ``folium.GeoJson`` of the unsimplified layer inside ``st_folium`` (message bytes and
server time of one rerun, AppTest).

    python -m bench.map [--tiny] [--json out.json]

Budgets: message ≤ 100 KB, all-village geometry ≤ 600 KB compressed, map build ≤ 50 ms warm,
page warm rerun after a metric change ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from utils.data import geo_static  # noqa: E402
from utils.views.maps import choropleth  # noqa: E402

PAGE = "pages/2_Peta.py"
#: (label, URL params, all villages switch)
VIEWS = [("province: kabupaten", {}, False), ("province: all villages", {}, True),
         ("kabupaten 18.06: kecamatan", {"kab": "18.06"}, False),
         ("kabupaten 18.06: villages", {"kab": "18.06"}, True),
         ("kecamatan 18.06.20: villages", {"kec": "18.06.20"}, False)]
USUAL_SCRIPT = """
import geopandas as gpd
import folium
import streamlit as st
from streamlit_folium import st_folium
from utils.views.maps.folium_maps import offline_map
level = st.session_state.get("level", "kabupaten")
gdf = gpd.read_parquet(f"geo/{level}.parquet")
fmap = offline_map(location=[-4.9, 105.0], zoom_start=8)
folium.GeoJson(gdf[["code", "name", "geometry"]], tooltip=folium.GeoJsonTooltip(fields=["name"])).add_to(fmap)
st_folium(fmap, height=560, returned_objects=[], key="usual")
"""


def _ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)


def _open(params: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(PAGE)
    at.run()
    if at.exception:
        raise RuntimeError("; ".join(e.message for e in at.exception))
    return at


def _timed(at: AppTest) -> float:
    start = time.perf_counter()
    at.run()
    if at.exception:
        raise RuntimeError("; ".join(e.message for e in at.exception))
    return _ms(start)


def ours(tiny: bool = False) -> dict:
    """Message bytes per level and metric, map build and page rerun times."""
    from utils.metrics.indicators import village_snapshot
    from utils.ui import peta, shared

    out: dict = {"message_kb": {}, "map_build_ms": {}}
    metric_keys = ["joined", "freshness"] if tiny else list(choropleth.METRIC_KEYS)
    views = VIEWS[:2] if tiny else VIEWS
    # Map build alone, first (fresh caches): cold = first time a view is asked for, warm = again.
    ds = shared.dataset()
    snapshot = village_snapshot(ds, ds.data_as_of)
    for label, params, villages in views:
        code = next(iter(params.values()), None)
        state = shared.FilterState().with_region(code)
        ctx = shared.PageContext(ds=ds, state=state, as_of=ds.data_as_of, snapshot=snapshot)
        start = time.perf_counter()
        view = peta.build_view(ctx, "idm_score", villages)
        _ = view.payload
        cold = _ms(start)
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            view = peta.build_view(ctx, "idm_score", villages)
            _ = view.payload
            warm.append(_ms(start))
        out["map_build_ms"][label] = {"cold": cold, "warm_median": round(statistics.median(warm), 1)}
    for label, params, villages in views:
        at = _open(params)
        if villages:
            at.toggle(key="map_villages").set_value(True)
            _timed(at)
        sizes = {}
        for key in metric_keys:
            at.selectbox(key="map_metric").set_value(key)
            _timed(at)
            sizes[key] = at.get("bidi_component")[0].proto.ByteSize()
        out["message_kb"][label] = {"max": round(max(sizes.values()) / 1000, 1),
                                    "median": round(statistics.median(sizes.values()) / 1000, 1)}
        # Page warm rerun after a metric change: every metric seen once above, now cycle them again.
        changes, idle = [], []
        for _ in range(1 if tiny else 2):
            for key in metric_keys:
                at.selectbox(key="map_metric").set_value(key)
                changes.append(_timed(at))
                idle.append(_timed(at))
        out.setdefault("page_rerun_metric_change_ms", {})[label] = {
            "median": round(statistics.median(changes), 1), "n": len(changes),
            "baseline_no_change": round(statistics.median(idle), 1)}

    return out


def geometry() -> dict:
    """Bytes of the static files, raw and gzip level 5 (what Streamlit sends)."""
    folder = geo_static.static_dir()
    manifest = geo_static.read_manifest(folder)
    out = {}
    for key in ("kabupaten", "kecamatan", "desa"):
        if key in manifest:
            raw = (folder / manifest[key]["file"]).read_bytes()
            out[key] = {"features": manifest[key]["features"], "raw_kb": round(len(raw) / 1000, 1),
                        "gzip_kb": round(len(gzip.compress(raw, 5)) / 1000, 1)}
    per_kab = [v for k, v in manifest.items() if k.startswith("desa/")]
    if per_kab:
        biggest = max(per_kab, key=lambda v: v["bytes"])
        raw = (folder / biggest["file"]).read_bytes()
        out["desa per kabupaten (largest)"] = {"features": biggest["features"], "raw_kb": round(len(raw) / 1000, 1),
                                               "gzip_kb": round(len(gzip.compress(raw, 5)) / 1000, 1)}
    return out


def usual(tiny: bool = False) -> dict:
    """folium.GeoJson of the unsimplified layer inside st_folium: message bytes and rerun time."""
    out = {}
    for level in (["kabupaten"] if tiny else ["kabupaten", "kecamatan", "desa"]):
        at = AppTest.from_string(USUAL_SCRIPT, default_timeout=600)
        at.session_state["level"] = level
        start = time.perf_counter()
        cwd = os.getcwd()
        os.chdir(ROOT)  # the script reads geo/ relative to the repo
        try:
            at.run()
            first = _ms(start)
            runs = [_timed(at) for _ in range(1 if tiny or level == "desa" else 3)]
        finally:
            os.chdir(cwd)
        if at.exception:
            raise RuntimeError("; ".join(e.message for e in at.exception))
        size = at.get("component_instance")[0].proto.ByteSize()
        out[level] = {"message_kb": round(size / 1000, 1), "first_run_ms": first,
                      "rerun_ms": round(statistics.median(runs), 1)}
    return out


def measure(tiny: bool = False) -> dict:
    """All figures as one dict (bench/run_all.py calls this)."""
    return {"ours": ours(tiny), "geometry_once": geometry(), "usual_folium_st_folium": usual(tiny),
            "budgets": {"message_kb": 100, "all_village_geometry_gzip_kb": 600, "map_build_warm_ms": 50,
                        "page_rerun_metric_change_ms": 300}}


def report(r: dict) -> str:
    o, g, u = r["ours"], r["geometry_once"], r["usual_folium_st_folium"]
    lines = ["Map message per rerun (KB, max over metrics / median):"]
    lines += [f"  {k}: {v['max']} / {v['median']}" for k, v in o["message_kb"].items()]
    lines += ["Map build (ms, cold / warm median):"]
    lines += [f"  {k}: {v['cold']} / {v['warm_median']}" for k, v in o["map_build_ms"].items()]
    lines += ["Page rerun after a metric change (ms, median; no-change baseline):"]
    lines += [f"  {k}: {v['median']} (n={v['n']}); {v['baseline_no_change']}"
              for k, v in o["page_rerun_metric_change_ms"].items()]
    lines += ["Geometry fetched once (KB raw / gzip):"]
    lines += [f"  {k} ({v['features']}): {v['raw_kb']} / {v['gzip_kb']}" for k, v in g.items()]
    lines += ["Usual way, folium.GeoJson (unsimplified) in st_folium (message KB; first run / rerun ms):"]
    lines += [f"  {k}: {v['message_kb']}; {v['first_run_ms']} / {v['rerun_ms']}" for k, v in u.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    result = measure(args.tiny)
    print(report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
