"""Every measurement in one go (`make bench`): JSON and a short Markdown table with budgets.

    python -m bench.run_all                     # the real Lampung data (data/, geo/, the store)
    python -m bench.run_all --national DIR      # the synthetic national set of `python -m bench.national`
    python -m bench.run_all --tiny              # seconds, not minutes: keeps the harness from rotting

Steps: data build time (bench.build; national: the generator), the app's import time (bench.imports),
cold start to first render in chromium (bench.startup), warm server-side rerun after a kabupaten change
of every page in ui.PAGES that exists (bench.rerun, one process per page), map message bytes and server
time (bench.map, when present), peak server RSS while a browser visits every page (bench.memory).
Each step runs against the chosen data set through SV_DATA_DIR / SV_GEO_DIR / SV_DATABASE_URL; a step
that fails is recorded with its error and the run goes on. Figures are medians with n and, where it
applies, a baseline measured in the same run. Budgets are reported, never asserted.

Writes ``<out>/bench.json`` and ``bench.md`` (``bench-national.*``, ``bench-tiny.*`` for the other
modes; ``--out`` defaults to artifacts/bench).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import build, imports, memory, national, startup  # noqa: E402
from utils.data import geo_static  # noqa: E402

OUT_DIR = ROOT / "artifacts" / "bench"
MAP_PAGE = "pages/2_Peta.py"
#: Budgets (issue 8): warm rerun per page (ms), the map page's, cold start (s), peak RSS (MB).
BUDGETS = {
    "province": {"rerun_ms": 200, "map_rerun_ms": 300, "start_s": 5.0, "rss_mb": 600, "map_message_kb": 100},
    "national": {"rerun_ms": 1000, "map_rerun_ms": 1000, "start_s": 15.0, "rss_mb": 2048, "map_message_kb": 100},
}
GOAL_FIRST_MS = 300  # issue 20: first visit of any page, region and period, server time
PAGE_LOAD_RATIO = 1.3  # issue 20: full page load in chromium against the one-metric app's
PACKAGES = ("streamlit", "pandas", "numpy", "pyarrow", "geopandas", "shapely", "plotly", "folium",
            "streamlit-folium", "sqlalchemy", "playwright")


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def machine() -> dict:
    """Core count, load, platform and versions: figures only compare on the same machine and load."""
    return {"cores": os.cpu_count(), "load_avg_1_5_15": [round(x, 2) for x in os.getloadavg()],
            "platform": platform.platform(), "versions": _versions(),
            "when_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")}


def dataset_counts(env: dict[str, str]) -> dict:
    import pandas as pd

    data_dir = Path(env.get("SV_DATA_DIR", ROOT / "data"))
    levels = pd.read_parquet(data_dir / "regions.parquet", columns=["level"])["level"].value_counts()
    return {"data_dir": str(data_dir), **{k: int(v) for k, v in levels.items()}}


def rerun_pages(pages: list[str], rounds: int, kabs: int | None, env: dict[str, str], log) -> dict:
    """bench.rerun per page in its own process (a broken page does not stop the others)."""
    results = {}
    for page in pages:
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            cmd = [sys.executable, "-m", "bench.rerun", "--page", page, "--rounds", str(rounds), "--json", tmp.name]
            cmd += ["--kabs", str(kabs)] if kabs else []
            done = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
            try:
                results[page] = json.loads(Path(tmp.name).read_text())
            except (OSError, ValueError):
                results[page] = {"page": page, "error": (done.stderr or done.stdout).strip()[-600:]}
        log(f"  {page}: " + (f"change {results[page]['change']['median_ms']:.0f} ms, baseline "
                             f"{results[page]['baseline']['median_ms']:.0f} ms" if "change" in results[page]
                             else f"FAILED {results[page]['error'][-200:]}"))
    return {"pages": results, "rounds": rounds, "kabupaten": kabs or "all"}


def first_visits(pages: list[str], kabs: int, env: dict[str, str], log, warmup_steps: int | None = None) -> dict:
    """bench.first per page and mode (no warm-up / after the server's warm-up), each in its own process."""
    from bench import first

    results: dict[str, dict] = {}
    for page in [p for p in first.PAGES if p in pages]:
        for mode in ("cold", "warm"):
            with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
                cmd = [sys.executable, "-m", "bench.first", "--page", page, "--mode", mode, "--kabs", str(kabs),
                       "--json", tmp.name, *(["--warmup-steps", str(warmup_steps)] if warmup_steps else [])]
                done = subprocess.run(cmd, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
                try:
                    res = json.loads(Path(tmp.name).read_text())
                except (OSError, ValueError):
                    res = {"page": page, "mode": mode, "error": (done.stderr or done.stdout).strip()[-600:]}
            results[f"{page} {mode}"] = res
            log("  " + (first.report(res) if "visits" in res else f"{page} [{mode}] FAILED {res['error'][-200:]}"))
    return {"pages": results, "kabupaten": kabs, "goal_ms": first.GOAL_MS}


MAP_FUNCTIONS = ("measure", "figures", "collect", "run")
#: The tiny bench runs the warm-up's first steps only (map files, late imports, the default period's snapshot,
#: the province's locator and parts): enough to prove the warm mode works, not the minute of a full warm-up.
TINY_WARMUP_STEPS = 10


def map_figures(env: dict[str, str], tiny: bool) -> dict:
    """bench.map's figures (written by the map helper), in a process of its own with ``env``."""
    if importlib.util.find_spec("bench.map") is None:
        return {"error": "bench/map.py does not exist (yet)"}
    code = (
        "import inspect, json, sys\n"
        "import bench.map as m\n"
        f"names = {MAP_FUNCTIONS!r}\n"
        "fn = next((getattr(m, n) for n in names if callable(getattr(m, n, None))), None)\n"
        "if fn is None: sys.exit('bench.map has none of ' + ', '.join(names))\n"
        f"kw = {{'tiny': True}} if {tiny!r} and 'tiny' in inspect.signature(fn).parameters else {{}}\n"
        "print('BENCH_JSON ' + json.dumps({'function': fn.__name__, **fn(**kw)}, default=str))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    return {"error": (done.stderr or done.stdout).strip()[-600:]}


def national_build(tiny: bool) -> dict:
    """Wall time of the national generator (into a temporary folder, removed after)."""
    with tempfile.TemporaryDirectory(prefix="sv-bench-national-") as tmp:
        args = ["--kabupaten", "20", "--kecamatan", "290"] if tiny else []
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bench.national", "--out", tmp, *args], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(geo_static.static_dir(Path(tmp) / "geo"), ignore_errors=True)  # its map files go too
        return {"median_s": round(time.perf_counter() - start, 2), "n": 1, "what": "python -m bench.national"}


def _step(name: str, fn: Callable[[], dict], log) -> dict:
    log(f"== {name}")
    start = time.perf_counter()
    try:
        out = fn()
    except Exception as exc:  # noqa: BLE001 - one failed step must not lose the others' figures
        traceback.print_exc()
        out = {"error": f"{type(exc).__name__}: {exc}"[:600]}
    out["step_s"] = round(time.perf_counter() - start, 1)
    return out


def run(mode: str, env: dict[str, str], tiny: bool, only: set[str] | None, log=print,
        rounds: int | None = None, kabs: int | None = None, startup_runs: int | None = None) -> dict:
    """All steps; returns the result document."""
    scale = "national" if mode == "national" else "province"
    pages = memory.page_scripts()
    if tiny:
        pages = pages[:1]
    result: dict = {"mode": mode, "scale": scale, "tiny": tiny, "machine": machine(), "budgets": BUDGETS[scale],
                    "data_set": dataset_counts(env)}

    def want(step: str) -> bool:
        return only is None or step in only

    if want("build"):
        if scale == "national":
            result["build"] = _step("build (national generator)", lambda: national_build(tiny), log)
        elif tiny:
            result["build"] = {"skipped": "tiny mode: a forced build takes ~30 s (run without --tiny)"}
        else:
            result["build"] = _step("build", lambda: build.measure(runs=3), log)
    if want("imports"):
        result["imports"] = _step("imports", lambda: imports.measure(runs=1 if tiny else 3, env=env), log)
    if want("startup"):
        result["startup"] = _step("startup", lambda: startup.measure(
            runs=startup_runs or (1 if tiny else (3 if scale == "national" else 5)), env=env, log=log,
            page_loads=1 if tiny else 3,
            timeout=300.0 if scale == "national" else 120.0), log)
    if want("rerun"):
        default = (1, 2) if tiny else ((1, 6) if scale == "national" else (3, None))
        n_rounds, n_kabs = rounds or default[0], kabs or default[1]
        result["rerun"] = _step("rerun", lambda: rerun_pages(pages, n_rounds, n_kabs, env, log), log)
    if want("first"):
        result["first"] = _step("first", lambda: first_visits(pages, 1 if tiny else (2 if scale == "national" else 4),
                                                            env, log, warmup_steps=TINY_WARMUP_STEPS if tiny else None),
                                log)
    if want("map"):
        result["map"] = _step("map", lambda: map_figures(env, tiny), log)
    if want("memory"):
        result["memory"] = _step("memory", lambda: memory.measure(
            kabs=1 if tiny else (2 if scale == "national" else 3), pages=pages, env=env, timeout=600.0 if scale == "national" else 180.0), log)
    result["machine"]["load_avg_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def _ok(value: float | None, budget: float) -> str:
    if value is None:
        return "–"
    return "yes" if value <= budget else f"**no** (×{value / budget:.1f})"


def markdown(r: dict) -> str:
    """A short Markdown table of the headline figures with their budgets."""
    b = r["budgets"]
    m = r["machine"]
    lines = [f"# Bench: {r['scale']}{' (tiny)' if r['tiny'] else ''}, {m['when_utc']} UTC", "",
             f"{m['cores']} cores, load {m['load_avg_1_5_15']} → {m.get('load_avg_after')}; python "
             f"{m['versions']['python']}, streamlit {m['versions']['streamlit']}, pandas {m['versions']['pandas']}; "
             "data set: " + ", ".join(f"{k} {v:,}" for k, v in r["data_set"].items() if k != "data_dir"), "",
             "| measure | median | n | baseline (same run) | budget | within |", "|---|---|---|---|---|---|"]
    build_r = r.get("build", {})
    if "median_s" in build_r:
        lines.append(f"| data build | {build_r['median_s']:.1f} s | {build_r['n']} | – | – | – |")
    imp = r.get("imports", {})
    if "median_s" in imp:
        lines.append(f"| app imports, fresh process | {imp['median_s']:.2f} s | {imp['n']} | – | – | – |")
    st_r = r.get("startup", {})
    if "app" in st_r:
        a, base = st_r["app"], st_r["baseline"]
        lines.append(f"| cold start to first render | {a['median_s']:.2f} s | {a['n']} | one-metric app "
                     f"{base['median_s']:.2f} s | ≤ {b['start_s']:g} s | {_ok(a['median_s'], b['start_s'])} |")
        if "server_cpu_median_s" in a:
            lines.append(f"| server CPU to first render | {a['server_cpu_median_s']:.2f} s | {a['n']} | one-metric "
                         f"app {base['server_cpu_median_s']:.2f} s | – | – |")
        if "page_load_median_s" in a and "page_load_median_s" in base:
            ratio = a["page_load_median_s"] / base["page_load_median_s"]
            lines.append(f"| full page load in chromium, warm server, fresh browser (worst {a['page_load_max_s']:.2f} s) "
                         f"| {a['page_load_median_s']:.2f} s | {a['page_loads']} | one-metric app "
                         f"{base['page_load_median_s']:.2f} s (×{ratio:.2f}) | ≤ {PAGE_LOAD_RATIO:g}× | "
                         f"{_ok(ratio, PAGE_LOAD_RATIO)} |")
    for page, p in r.get("rerun", {}).get("pages", {}).items():
        budget = b["map_rerun_ms"] if page == MAP_PAGE else b["rerun_ms"]
        if "change" in p:
            c = p["change"]
            cpu = (f" (CPU {p['change_cpu_median_ms']:.0f} / {p['baseline_cpu_median_ms']:.0f} ms)"
                   if "change_cpu_median_ms" in p else "")
            lines.append(f"| warm rerun, kabupaten change: {page}{cpu} | {c['median_ms']:.0f} ms | {c['n']} | no change "
                         f"{p['baseline']['median_ms']:.0f} ms | ≤ {budget} ms | {_ok(c['median_ms'], budget)} |")
        else:
            lines.append(f"| warm rerun: {page} | failed | – | – | ≤ {budget} ms | – |")
    for key, p in r.get("first", {}).get("pages", {}).items():
        if "visits" not in p:
            lines.append(f"| first visit: {key} | failed | – | – | ≤ {GOAL_FIRST_MS} ms | – |")
            continue
        warm = f"; warm-up {p['warmup_s']:.0f} s before" if p.get("warmup_s") else ""
        lines.append(f"| first visit of a region or period: {key} (CPU {p['first_visit_cpu_median_ms']:.0f}, worst "
                     f"{p['first_visit_max_ms']:,.0f} ms{warm}) | {p['first_visit_median_ms']:.0f} ms | {p['n']} | warm "
                     f"rerun {p['baseline_median_ms']:.0f} ms | ≤ {GOAL_FIRST_MS} ms | "
                     f"{_ok(p['first_visit_median_ms'], GOAL_FIRST_MS)} |")
        if "slide_steps" in p:
            lines.append(f"| slide step, province deck: {key} (CPU {p['slide_step_cpu_median_ms']:.0f}, worst "
                         f"{p['slide_step_max_ms']:,.0f} ms) | {p['slide_step_median_ms']:.0f} ms | {p['slide_steps']} | – "
                         f"| ≤ {GOAL_FIRST_MS} ms | {_ok(p['slide_step_median_ms'], GOAL_FIRST_MS)} |")
    mem = r.get("memory", {})
    if "peak_rss_mb" in mem:
        lines.append(f"| server peak RSS ({mem['visits']} page visits) | {mem['peak_rss_mb']:.0f} MB | 1 | after start "
                     f"{mem['after_start_mb']:.0f} MB | ≤ {b['rss_mb']} MB | {_ok(mem['peak_rss_mb'], b['rss_mb'])} |")
    lines += _map_rows(r.get("map", {}), b)
    failed = [k for k, v in r.items() if isinstance(v, dict) and "error" in v]
    if failed:
        lines += ["", "Failed steps: " + "; ".join(f"{k}: {r[k]['error'][:160]}" for k in failed)]
    if "top_level_ms" in imp:
        lines += ["", "Slowest imports (ms, cumulative at first import; nested entries overlap): "
                  + ", ".join(f"{k} {v:.0f}" for k, v in list(imp["top_level_ms"].items())[:10])]
    lines += ["", "The machine is shared: figures are noisy; compare a figure with its same-run baseline."]
    return "\n".join(lines) + "\n"


def _map_rows(mp: dict, b: dict) -> list[str]:
    """bench.map's message size per view, with the usual folium + st_folium way beside it."""
    if not mp or "error" in mp:
        return []
    ours, usual = mp.get("ours", {}), mp.get("usual_folium_st_folium", {})
    if "message_kb" not in ours:  # another layout: list the figures as they are
        return [f"| map: {k} | {v} | – | – | – | – |" for k, v in _flat(mp) if k not in ("step_s", "function")]
    rows = []
    for view, kb in ours["message_kb"].items():
        level = "desa" if "villages" in view else ("kecamatan" if view.startswith("kabupaten") else "kabupaten")
        beside = usual.get(level, {}).get("message_kb")
        ratio = f"usual folium+st_folium ({level}) {beside:,.0f} KB, ×{beside / kb['max']:.0f}" if beside else "–"
        rows.append(f"| map message, {view} (max) | {kb['max']:.1f} KB | – | {ratio} | ≤ {b['map_message_kb']} KB | "
                    f"{_ok(kb['max'], b['map_message_kb'])} |")
    for view, ms in ours.get("map_build_ms", {}).items():
        beside = usual.get("desa" if "villages" in view else "kabupaten", {}).get("rerun_ms")
        rows.append(f"| map server time, {view} (warm / cold) | {ms['warm_median']:.1f} / {ms['cold']:.0f} ms | – | "
                    + (f"usual rerun {beside:,.0f} ms" if beside else "–") + " | – | – |")
    for name, g in mp.get("geometry_once", {}).items():
        rows.append(f"| map geometry fetched once, {name} | {g['gzip_kb']:.0f} KB gzip ({g['features']:,} features) "
                    f"| – | – | – | – |")
    return rows


def _flat(d: dict, prefix: str = "") -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for k, v in d.items():
        if isinstance(v, dict):
            out += _flat(v, f"{prefix}{k}.")
        elif not isinstance(v, list):
            out.append((f"{prefix}{k}", v))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", type=Path, default=None, help="folder written by `python -m bench.national`")
    parser.add_argument("--tiny", action="store_true", help="smallest run of every step (for the test)")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--only", default=None, help="comma-separated steps: build,imports,startup,rerun,first,map,memory")
    parser.add_argument("--rounds", type=int, default=None, help="rerun rounds per page (default 3; national 1)")
    parser.add_argument("--kabs", type=int, default=None, help="kabupaten timed per page (default all; national 6)")
    parser.add_argument("--startup-runs", type=int, default=None, help="cold starts (default 5; national 3)")
    args = parser.parse_args(argv)
    env: dict[str, str] = {}
    mode = "province"
    if args.national:
        out = national.Output(args.national.resolve())
        if not (out.data_dir / "regions.parquet").exists():
            parser.error(f"{args.national} holds no national data set; run `python -m bench.national --out DIR`")
        env, mode = out.env(), "national"
    only = set(args.only.split(",")) if args.only else None
    result = run(mode, env, args.tiny, only, rounds=args.rounds, kabs=args.kabs, startup_runs=args.startup_runs)
    stem = "bench" + ("-national" if mode == "national" else "") + ("-tiny" if args.tiny else "")
    stem += "-" + "-".join(sorted(only)) if only else ""
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=1, default=str) + "\n")
    text = markdown(result)
    (args.out / f"{stem}.md").write_text(text)
    print("\n" + text + f"\nwritten: {args.out / stem}.json, .md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
