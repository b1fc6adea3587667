"""The data build: ``python -m utils build [--force]``.

Order matters for safety: every source is fetched and verified first, then everything is parsed and
checked in memory, then all outputs are written into temporary directories and moved into place only
at the end. A failed build therefore leaves the previous outputs untouched. The report and finally the
marker ``data/.build-ok`` are written last; the marker holds a fingerprint of the inputs, so a changed
source pin or local-word table triggers a rebuild.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from utils.data import geo, geo_static, idm, indeks_desa, paths, served, sources, wilayah
from utils.domain.codes import BOUNDARY_LEVELS, CODE_RE, LEVELS
from utils.domain.idm import EDITION_SATUDATA, EDITION_WORKBOOK, EDITIONS

#: Part of the fingerprint: a new version makes `make` rebuild outputs of an older build.
#: 2: kecamatan and kabupaten dissolved from the cleaned village coverage (issue 17).
#: 3: IDM 2024 for all desa from two editions (issue 18).
BUILD_VERSION = "3"
#: Output file names inside data_dir / geo_dir (the same names as in utils.data.paths).
DATA_OUTPUTS = (
    paths.REGIONS.name,
    paths.IDM.name,
    paths.IDM_RECOMMENDATIONS.name,
    paths.INDEKS_DESA_ITEMS.name,
    paths.CROSSWALK_KAB.name,
    paths.CROSSWALK_KEC.name,
)
GEO_OUTPUTS = tuple(paths.boundary_path(lvl, display=d).name for lvl in BOUNDARY_LEVELS for d in (False, True))
REGION_COLUMNS = [
    "code", "name", "level", "parent", "kab_code", "kec_code", "village_type", "local_word",
    "display_name", "rep_lon", "rep_lat", "has_polygon", "area_km2", "population",
]
_BOUNDARY_KEYS = {
    "kabupaten": ["boundaries_kab"],
    "kecamatan": ["boundaries_kec"],
    "desa": sorted(k for k in sources.BY_KEY if k.startswith("boundaries_desa_")),
}


def fingerprint(local_words: Path = paths.LOCAL_WORDS) -> str:
    """Hash of everything the outputs depend on besides code: pinned sources and local words."""
    h = hashlib.sha256(f"build {BUILD_VERSION}\n".encode())
    for s in sources.MANIFEST:
        h.update(f"{s.key} {s.sha256}\n".encode())
    h.update(Path(local_words).read_bytes())
    return h.hexdigest()


def outputs_current(data_dir: Path, geo_dir: Path, local_words: Path = paths.LOCAL_WORDS) -> bool:
    """True when the marker matches the current inputs and every output exists."""
    marker = data_dir / paths.BUILD_OK.name
    if not marker.is_file() or marker.read_text().strip() != fingerprint(local_words):
        return False
    return all((data_dir / n).is_file() for n in DATA_OUTPUTS) and all((geo_dir / n).is_file() for n in GEO_OUTPUTS)


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------


def _outline_difference(source: gpd.GeoSeries, derived: gpd.GeoSeries) -> dict:
    """How far the source's own outlines of a level are from the ones dissolved from the villages: per region
    the area of the symmetric difference as a share of the dissolved area (UTM 48S), summarised."""
    common = source.index.intersection(derived.index)
    a = gpd.GeoSeries(source.loc[common].to_numpy(), index=common, crs=geo.WGS84).to_crs(geo.UTM48S)
    b = gpd.GeoSeries(derived.loc[common].to_numpy(), index=common, crs=geo.WGS84).to_crs(geo.UTM48S)
    share = pd.Series(shapely.area(shapely.symmetric_difference(a.to_numpy(), b.to_numpy())) / b.area.to_numpy(),
                      index=common) * 100
    return {"median_pct": round(float(share.median()), 2), "max_pct": round(float(share.max()), 2),
            "max_code": str(share.idxmax()), "over_5pct": int((share > 5).sum())}


def build_boundaries(files: dict[str, list[Path]], names: pd.Series) -> tuple[dict, dict, dict]:
    """Per level: (fixed GeoDataFrame, display GeoDataFrame, stats).

    Only the village layer is taken from the source as geometry: it is repaired, made a clean coverage
    (``geo.clean_coverage``: no overlaps, identical shared edges, slivers filled) and the kecamatan and
    kabupaten layers are dissolved from it, full and display (``geo.upper_levels``), so the three levels tile
    exactly. The source's own kecamatan and kabupaten polygons (simplified independently upstream, they
    overlap and leave gaps) are read for the report only. ``names`` maps code -> Kemendagri name; output
    names come from it so every file agrees.
    """
    raw = geo.read_boundaries(files["desa"])
    unknown = sorted(set(raw["code"]) - set(names.index))
    if unknown:
        raise ValueError(f"desa boundaries with codes not in wilayah.sql: {unknown[:10]}")
    fixed, n_fixed = geo.fix_geometries(raw.geometry)
    cleaned, coverage = geo.clean_coverage(fixed)
    if coverage["emptied"]:
        raise ValueError(f"coverage cleaning emptied villages: {raw['code'].iloc[coverage['emptied']].tolist()[:10]}")
    codes = pd.Index(raw["code"])
    desa = gpd.GeoSeries(cleaned.to_numpy(), index=codes, crs=geo.WGS84)
    desa_display, fallbacks = geo.display_geometries(desa, geo.DISPLAY_TOLERANCE_M["desa"])
    layers = {("desa", False): desa, ("desa", True): desa_display, **geo.upper_levels(desa, desa_display)}

    def frame(level: str, display: bool) -> gpd.GeoDataFrame:
        g = layers[(level, display)]
        code = pd.Series(g.index.astype(str), dtype="str")
        return gpd.GeoDataFrame({"code": code, "name": code.map(names).astype("str")},
                                geometry=list(g.to_numpy()), crs=geo.WGS84)

    full = {lvl: frame(lvl, False) for lvl in BOUNDARY_LEVELS}
    display = {lvl: frame(lvl, True) for lvl in BOUNDARY_LEVELS}
    stats = {"desa": {
        "polygons": len(desa),
        "fixed_by_make_valid": n_fixed,
        "display_fallbacks": fallbacks,
        "source_centroid_outside": int((~shapely.contains_xy(
            fixed.to_numpy(), raw["src_lng"].to_numpy(), raw["src_lat"].to_numpy())).sum()),
        "name_differs_from_wilayah": int((raw["name"] != raw["code"].map(names)).sum()),
        "coverage": {k: v for k, v in coverage.items() if k != "emptied"},
    }}
    for level in ("kecamatan", "kabupaten"):
        src = geo.read_boundaries(files[level])
        src_fixed, src_n_fixed = geo.fix_geometries(src.geometry)
        source = gpd.GeoSeries(src_fixed.to_numpy(), index=pd.Index(src["code"]), crs=geo.WGS84)
        level_codes = set(names.index[names.index.str.count(r"\.") == BOUNDARY_LEVELS.index(level) + 1])
        stats[level] = {
            "polygons": len(full[level]),
            "display_fallbacks": 0,
            "without_village_polygons": sorted(level_codes - set(full[level]["code"])),
            "source_polygons": len(src),
            "source_fixed_by_make_valid": src_n_fixed,
            "source_centroid_outside": int((~shapely.contains_xy(
                src_fixed.to_numpy(), src["src_lng"].to_numpy(), src["src_lat"].to_numpy())).sum()),
            "source_outline_difference": _outline_difference(source, layers[(level, False)]),
        }
    return full, display, stats


def assemble_regions(
    base: pd.DataFrame, full: dict[str, gpd.GeoDataFrame], luas: pd.DataFrame, penduduk: pd.DataFrame
) -> pd.DataFrame:
    """Regions table: hierarchy + representative point, area and population (schema in README)."""
    df = base.copy()
    # Province and kabupaten: BIG's official figure; below that only the polygon area exists.
    df["area_km2"] = df["code"].map(luas.set_index("code")["area_km2"])
    df = geo.with_region_geometry(df, geo.region_geometry(full.values()))
    upper = df["level"].isin(["provinsi", "kabupaten"])
    df["population"] = df["code"].map(penduduk.set_index("code")["population"]).astype("Int64")
    df.loc[~upper, "population"] = pd.NA
    return df[REGION_COLUMNS].sort_values("code", ignore_index=True)


def _check_regions(regions: pd.DataFrame) -> None:
    """Invariants the app relies on; a violation stops the build before anything is written."""
    codes = set(regions["code"])
    bad_parent = regions["parent"].notna() & ~regions["parent"].isin(codes)
    if bad_parent.any():
        raise ValueError(f"regions with unknown parent: {regions.loc[bad_parent, 'code'].tolist()[:10]}")
    if not regions["code"].str.fullmatch(CODE_RE.pattern).all():
        raise ValueError("malformed region codes")
    if regions["code"].duplicated().any():
        raise ValueError("duplicate region codes")


def edition_report(idm_desa: pd.DataFrame, satudata: pd.DataFrame) -> dict:
    """Desa per IDM 2024 edition, values carried from 2023 (per kabupaten), status disagreements between the
    editions: the figures docs/imports-quality.md quotes."""
    carried = idm_desa[idm_desa["carried_2023"].fillna(False).astype(bool)]
    both = idm_desa[idm_desa["edition"].eq(EDITION_WORKBOOK) & idm_desa["satudata_status"].notna()]
    differ = both[both["status"] != both["satudata_status"]]
    return {
        "desa": {e: int((idm_desa["edition"] == e).sum()) for e in EDITIONS},
        "satudata_desa": len(satudata),
        "filled_per_kabupaten": {k: int(v) for k, v in idm_desa.loc[idm_desa["edition"].eq(EDITION_SATUDATA), "code"]
                                 .str[:5].value_counts().sort_index().items()},
        "carried_2023": len(carried),
        "carried_2023_shown_from": {e: int((carried["edition"] == e).sum()) for e in EDITIONS},
        "carried_2023_per_kabupaten": {k: int(v) for k, v in carried["code"].str[:5].value_counts().sort_index().items()},
        "in_both": len(both),
        "status_differs": len(differ),
        "max_nilai_difference": round(float((both["nilai"] - both["satudata_nilai"]).abs().max()), 4) if len(both) else 0.0,
    }


def _check_idm(idm_desa: pd.DataFrame, regions: pd.DataFrame) -> None:
    """Every desa of the region list must have an IDM 2024 value once both editions are combined."""
    desa = set(regions.loc[regions["village_type"].eq("desa"), "code"])
    missing = sorted(desa - set(idm_desa["code"]))
    if missing:
        raise ValueError(f"IDM 2024: {len(missing)} desa without a value in either edition, e.g. {missing[:10]}")


def _parse_idm(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    # Top-level so a worker process can run it while the main process does the geometry.
    return idm.parse_idm_workbook(path)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _write_all(writers: dict[Path, Callable[[Path], None]], marker: Path) -> None:
    """Write every output to a temp file beside its target, then move them all into place.

    Nothing in place changes until every file has been written successfully. The ``marker`` is
    removed just before the moves, so an interrupted move leaves no "build ok" claim behind.
    """
    tmp_dirs: dict[Path, Path] = {}
    try:
        staged: list[tuple[Path, Path]] = []
        for target, write in writers.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.parent not in tmp_dirs:
                tmp_dirs[target.parent] = Path(tempfile.mkdtemp(prefix=".build-tmp-", dir=target.parent))
            tmp = tmp_dirs[target.parent] / target.name
            write(tmp)
            staged.append((tmp, target))
        marker.unlink(missing_ok=True)
        for tmp, target in staged:
            os.replace(tmp, target)  # same directory tree, same filesystem: atomic per file
    finally:
        for d in tmp_dirs.values():
            shutil.rmtree(d, ignore_errors=True)


def _parquet(df: pd.DataFrame) -> Callable[[Path], None]:
    return lambda p: df.to_parquet(p, index=False)


# --------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------


def build(
    data_dir: Path = paths.DATA_DIR,
    geo_dir: Path = paths.GEO_DIR,
    mirror: Path | None = None,
    cache_dir: Path | None = None,
    local_words: Path = paths.LOCAL_WORDS,
    parallel: bool = True,
) -> dict:
    """Run the whole build into ``data_dir`` / ``geo_dir`` and return the report.

    Raises ``SourceError`` (before anything is parsed) when a source is missing or altered, and
    ``ValueError`` for data that breaks an invariant; in both cases existing outputs stay as they are.
    """
    t0 = time.perf_counter()
    timings: dict[str, float] = {}

    def lap(name: str, since: float) -> float:
        now = time.perf_counter()
        timings[name] = round(now - since, 2)
        return now

    data_dir, geo_dir = Path(data_dir), Path(geo_dir)
    t = t0
    files = sources.fetch_all(mirror=mirror, cache_dir=cache_dir)
    t = lap("fetch_verify", t)

    # The workbook is the slowest single read (openpyxl): parse it in a second process meanwhile.
    pool = ProcessPoolExecutor(max_workers=1) if parallel else None
    idm_future = pool.submit(_parse_idm, files["idm_2024"]) if pool else None
    try:
        wil = wilayah.load_wilayah(files["wilayah"])
        base = wilayah.build_regions(wil, wilayah.load_local_words(local_words))
        luas = wilayah.load_luas(files["wilayah_luas"])
        penduduk = wilayah.load_penduduk(files["wilayah_penduduk"])
        xw_kab = wilayah.load_crosswalk(files["crosswalk_kab"])
        xw_kec = wilayah.load_crosswalk(files["crosswalk_kec"])
        t = lap("parse_wilayah", t)

        boundary_files = {lvl: [files[k] for k in keys] for lvl, keys in _BOUNDARY_KEYS.items()}
        full, display, geo_stats = build_boundaries(boundary_files, base.set_index("code")["name"])
        regions = assemble_regions(base, full, luas, penduduk)
        _check_regions(regions)
        t = lap("geometry", t)

        workbook_desa, idm_rec = idm_future.result() if idm_future else _parse_idm(files["idm_2024"])
        satudata = idm.parse_satudata(files["idm_2024_satudata"])
        idm_desa = idm.combine_editions(workbook_desa, satudata)
        t = lap("idm_wait" if pool else "idm", t)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    _check_idm(idm_desa, regions)
    items = indeks_desa.catalogue(files["indeks_desa_headers"], files["indeks_desa_structure"],
                                  files["indeks_desa_rekomendasi"])
    structure_rows = len(indeks_desa.read_structure(files["indeks_desa_structure"]))

    # ---- report (computed before writing so it describes exactly what is written) ----
    villages = regions[regions["level"] == "desa"]
    no_poly = villages.loc[~villages["has_polygon"], ["code", "name"]]
    level_codes = dict(zip(regions["code"], regions["village_type"], strict=True))
    idm_types = idm_desa["code"].map(level_codes)
    report = {
        "build_version": BUILD_VERSION,
        "fingerprint": fingerprint(local_words),
        "regions": {
            "per_level": {lvl: int((regions["level"] == lvl).sum()) for lvl in LEVELS},
            "desa": int((villages["village_type"] == "desa").sum()),
            "kelurahan": int((villages["village_type"] == "kelurahan").sum()),
        },
        "geometry": geo_stats,
        "villages_without_polygon": no_poly.to_dict("records"),
        "village_area_km2_sum": round(float(villages["area_km2"].sum()), 1),
        "idm": {
            "year": int(idm_desa["year"].iloc[0]) if len(idm_desa) else None,
            "desa": len(idm_desa),
            "codes_not_in_wilayah": idm_desa.loc[idm_types.isna(), "code"].tolist(),
            "kelurahan_scored": int((idm_types == "kelurahan").sum()),
            "status": {k: int(v) for k, v in idm_desa["status"].value_counts().items()},
            "signal": {k: int(v) for k, v in idm_desa["signal"].value_counts().items()},
            "signal_unknown": int(idm_desa["signal"].isna().sum()),
            "no_internet_kantor": int(idm_desa["internet_kantor"].eq(False).sum()),
            # Residents' internet (IKS31) repeats the office's (IKS30): desa where the workbook's two facts
            # differ (0 means one fact counted twice, so only the office's is shown).
            "internet_warga_differs_from_kantor": int(
                (workbook_desa["internet_warga"] != workbook_desa["internet_kantor"]).sum()),
            "recommendation_rows": len(idm_rec),
            "recommendation_rows_without_indicator": int(idm_rec["indicator"].isna().sum()),
            "editions": edition_report(idm_desa, satudata),
        },
        "indeks_desa": indeks_desa.mapping_report(items, structure_rows),
        "crosswalk": {"kabupaten": len(xw_kab), "kecamatan": len(xw_kec)},
        "sources": [{"key": s.key, "url": s.url, "sha256": s.sha256, "licence": s.licence} for s in sources.MANIFEST],
    }

    # ---- write: everything into temp dirs, then into place ----
    writers: dict[Path, Callable[[Path], None]] = {
        data_dir / paths.REGIONS.name: _parquet(regions),
        data_dir / paths.IDM.name: _parquet(idm_desa),
        data_dir / paths.IDM_RECOMMENDATIONS.name: _parquet(idm_rec),
        data_dir / paths.INDEKS_DESA_ITEMS.name: _parquet(items),
        data_dir / paths.CROSSWALK_KAB.name: _parquet(xw_kab),
        data_dir / paths.CROSSWALK_KEC.name: _parquet(xw_kec),
    }
    for lvl in BOUNDARY_LEVELS:
        writers[geo_dir / paths.boundary_path(lvl).name] = _parquet(full[lvl])
        writers[geo_dir / paths.boundary_path(lvl, display=True).name] = _parquet(display[lvl])
    marker = data_dir / paths.BUILD_OK.name
    data_dir.mkdir(parents=True, exist_ok=True)
    _write_all(writers, marker)
    t = lap("write", t)
    report["timings_s"] = timings
    report["elapsed_s"] = round(time.perf_counter() - t0, 2)
    (data_dir / paths.BUILD_REPORT.name).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    marker.write_text(report["fingerprint"] + "\n")
    # The map's static GeoJSON (served to the browser once) from the display layers: static/geo/ for
    # the app's own geo dir, beside the layers for any other (a test build never touches the app's).
    geo_static.write_all(regions, geo_dir, _static_dir(geo_dir))
    return report


def ensure_static_geo(data_dir: Path = paths.DATA_DIR, geo_dir: Path = paths.GEO_DIR) -> bool:
    """Rewrite the map's static GeoJSON when missing or older than the display layers (an
    up-to-date build whose static/geo/ was deleted); returns True when it wrote them."""
    out = _static_dir(geo_dir)
    if Path(geo_dir).resolve() == paths.GEO_DIR.resolve():
        geo_dir = served.display_dir()  # boundary imports in force: their layers are what is served
    if geo_static.static_current(Path(geo_dir), out):
        return False
    geo_static.write_all(pd.read_parquet(Path(data_dir) / paths.REGIONS.name), geo_dir, out)
    return True


def _static_dir(geo_dir: Path) -> Path:
    same = Path(geo_dir).resolve() == paths.GEO_DIR.resolve()
    return geo_static.STATIC_GEO_DIR if same else Path(geo_dir) / "static_geo"


def ensure_built(data_dir: Path = paths.DATA_DIR, geo_dir: Path = paths.GEO_DIR) -> None:
    """Build unless current outputs exist (for test fixtures and first runs)."""
    if not outputs_current(Path(data_dir), Path(geo_dir)):
        build(data_dir, geo_dir)
    else:
        ensure_static_geo(data_dir, geo_dir)


def format_report(r: dict) -> str:
    """Short human summary of a build report."""
    lv = r["regions"]["per_level"]
    g = r["geometry"]
    i = r["idm"]
    sig = i["signal"]
    ed = i["editions"]
    ix = r["indeks_desa"]
    lines = [
        "Data build selesai / done",
        f"  wilayah: {lv['provinsi']} provinsi, {lv['kabupaten']} kabupaten/kota, {lv['kecamatan']} kecamatan, "
        f"{lv['desa']} desa/kelurahan ({r['regions']['desa']} desa + {r['regions']['kelurahan']} kelurahan)",
        "  poligon / polygons: " + ", ".join(f"{k} {v['polygons']}" for k, v in g.items()),
        f"  desa: diperbaiki make_valid / fixed {g['desa']['fixed_by_make_valid']}, tumpang tindih dihapus / "
        f"overlaps removed {g['desa']['coverage']['overlap_km2']} km², celah diisi / slivers filled "
        f"{g['desa']['coverage']['gaps_filled']}; display fallbacks {g['desa']['display_fallbacks']}",
        "  kecamatan & kabupaten dari desa / dissolved from villages; batas sumber berbeda / source outlines differ: "
        + ", ".join(f"{k} median {v['source_outline_difference']['median_pct']}% (max "
                    f"{v['source_outline_difference']['max_pct']}% {v['source_outline_difference']['max_code']})"
                    for k, v in g.items() if k != "desa"),
        f"  luas desa total / village area sum: {r['village_area_km2_sum']:,.1f} km²",
        f"  desa tanpa poligon / villages without polygon ({len(r['villages_without_polygon'])}):",
        *(f"    {v['code']} {v['name']}" for v in r["villages_without_polygon"]),
        f"  IDM {i['year']}: {i['desa']} desa ({ed['desa'][EDITION_WORKBOOK]} buku kerja rekomendasi Kemendesa + "
        f"{ed['desa'][EDITION_SATUDATA]} Satu Data); {ed['carried_2023']} bernilai 2023 menurut Satu Data; "
        f"status berbeda antar edisi / status differs between editions: {ed['status_differs']}",
        f"  sinyal kuat {sig.get('kuat', 0)}, lemah {sig.get('lemah', 0)}, tidak ada {sig.get('tidak ada', 0)}, "
        f"tanpa data {i['signal_unknown']}; tanpa internet di kantor desa {i['no_internet_kantor']}",
        "  IDM status: " + ", ".join(f"{k} {v}" for k, v in i["status"].items()),
        f"  baris rekomendasi / recommendation rows: {i['recommendation_rows']} "
        f"({i['recommendation_rows_without_indicator']} tanpa KETERANGAN)",
        f"  kode IDM tak dikenal / unknown IDM codes: {len(i['codes_not_in_wilayah'])}",
        f"  Indeks Desa: {ix['mapped']} dari {ix['header_items']} kolom butir dipetakan ke {ix['structure_items']} butir "
        f"struktur ({', '.join(f'{k} {v}' for k, v in ix['mapped_by'].items())}); tanpa pasangan / unmapped: "
        f"{len(ix['header_items_unmapped'])}; butir Dinas PMD: {ix['dinas_pmd_items']}",
        f"  waktu / elapsed: {r['elapsed_s']:.1f} s " + str(r.get("timings_s", {})),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(prog="python -m utils build", description=__doc__.splitlines()[0])
    ap.add_argument("--force", action="store_true", help="rebuild even when outputs are current")
    args = ap.parse_args(argv)
    if not args.force and outputs_current(paths.DATA_DIR, paths.GEO_DIR):
        print(f"Data sudah terbangun / already built ({paths.BUILD_OK}); pakai --force untuk membangun ulang.")
        if ensure_static_geo():
            print(f"Batas wilayah peta ditulis ulang / map boundaries rewritten: {geo_static.STATIC_GEO_DIR}")
        return 0
    try:
        report = build()
    except sources.SourceError as exc:
        print(f"Build gagal / failed (sumber / source):\n{exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"Build gagal / failed (data): {exc}", file=sys.stderr)
        return 1
    print(format_report(report))
    return 0

