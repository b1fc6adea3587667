"""Display boundaries as static GeoJSON files the browser fetches once (served at /app/static/geo/).

The map sends only region codes and values with each rerun; the geometry travels once, as these
files, gzip-compressed and ETag-cached by Streamlit's static serving. Written by the data build
(``utils.data.build``) and, after a boundary import, by whoever replaced the GeoParquet layer:

    write_static_geojson("desa", gdf)          # gdf: code, name, geometry (EPSG:4326)

Files: ``kabupaten.geojson``, ``kecamatan.geojson``, ``desa.geojson`` (all villages) and
``desa/<kab_code>.geojson`` (one kabupaten's villages, so a national data set never sends every
village at once), plus ``manifest.json`` with a content hash per file for cache busting.
Feature properties are short on purpose: ``c`` code, ``n`` name with the local word ("Pekon
Gisting Atas"), ``p`` parent label ("Kec. Gisting, Kab. Tanggamus").
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import shapely

from utils.data import paths
from utils.domain.codes import BOUNDARY_LEVELS

STATIC_GEO_DIR = paths.STATIC_DIR / "geo"
#: URL prefix of STATIC_GEO_DIR under Streamlit's static serving.
STATIC_GEO_URL = "/app/static/geo"
MANIFEST = "manifest.json"
#: Above this many villages the all-villages file is not written: the map never draws it (a national
#: data set shows villages one kabupaten at a time), and it would be tens of megabytes.
MAX_VILLAGES_IN_ONE_FILE = 10_000


def static_dir(geo_dir: Path | None = None) -> Path:
    """Folder of the static files for a boundary folder: static/geo/ for the app's own geo/, a
    sub-folder named by a hash of the path for any other (e.g. SV_GEO_DIR of a national data set),
    so two data sets never serve each other's boundaries."""
    geo_dir = Path(geo_dir or paths.GEO_DIR).resolve()
    if geo_dir == (paths.ROOT / "geo").resolve():
        return STATIC_GEO_DIR
    return STATIC_GEO_DIR / ("_" + hashlib.sha1(str(geo_dir).encode()).hexdigest()[:10])


def static_url(out_dir: Path) -> str:
    """URL prefix of ``out_dir`` under Streamlit's static serving (/app/static/...)."""
    try:
        return "/app/static/" + Path(out_dir).resolve().relative_to(paths.STATIC_DIR.resolve()).as_posix()
    except ValueError:  # a folder outside static/ (tests): not served, but keep URLs well-formed
        return STATIC_GEO_URL


def _labels(level: str, codes: pd.Series, names: pd.Series, regions: pd.DataFrame | None) -> tuple[list, list]:
    """(display name, parent label) per code; the regions table gives local words and parents."""
    if regions is None:
        return names.astype(str).tolist(), [""] * len(codes)
    display = pd.Series(regions["display_name"].to_numpy(), index=regions["code"].astype(str).to_numpy())
    shown = codes.map(display).fillna(names).astype(str).tolist()
    if level == "kabupaten":
        return shown, [""] * len(codes)
    kab = codes.str.slice(0, 5).map(display).fillna("")
    if level == "kecamatan":
        return shown, kab.tolist()
    kec = codes.str.slice(0, 8).map(display).fillna("")
    return shown, (kec + ", " + kab).tolist()


def _features(level: str, gdf, regions: pd.DataFrame | None) -> pd.Series:
    """One GeoJSON Feature text per region, indexed by code and sorted by it (labels looked up once for the
    whole layer: per kabupaten file it made the national set's first write take 49 s)."""
    gdf = gdf.sort_values("code")
    codes = gdf["code"].astype(str).reset_index(drop=True)
    names, parents = _labels(level, codes, gdf["name"].reset_index(drop=True), regions)
    geoms = shapely.to_geojson(gdf.geometry.to_numpy())
    parts = []
    for code, name, parent, geom in zip(codes, names, parents, geoms, strict=True):
        props = json.dumps({"c": code, "n": name, "p": parent}, ensure_ascii=False, separators=(",", ":"))
        parts.append(f'{{"type":"Feature","properties":{props},"geometry":{geom}}}')
    return pd.Series(parts, index=codes.to_numpy(), dtype=object)


def _collection(features) -> str:
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def feature_collection(level: str, gdf, regions: pd.DataFrame | None = None) -> str:
    """Compact GeoJSON text of ``gdf`` (code, name, geometry), sorted by code, coordinates as stored."""
    return _collection(_features(level, gdf, regions))


def _write(path: Path, text: str) -> dict:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # atomic: a browser never fetches a half-written file
    return {"bytes": len(data), "hash": hashlib.sha1(data).hexdigest()[:12]}


def write_static_geojson(level: str, gdf, out_dir: Path = STATIC_GEO_DIR,
                         regions: pd.DataFrame | None = None) -> dict:
    """Write the display GeoJSON of ``level`` (and, for ``desa``, one file per kabupaten) into
    ``out_dir`` and record it in the manifest; returns the manifest entries written.

    ``gdf``: display-simplified boundaries (code, name, geometry in EPSG:4326). ``regions``: the
    canonical region table, for names with the local word and parent labels (optional).
    """
    if level not in BOUNDARY_LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {BOUNDARY_LEVELS}")
    out_dir = Path(out_dir)
    entries = {}
    features = _features(level, gdf, regions)
    if level != "desa" or len(gdf) <= MAX_VILLAGES_IN_ONE_FILE:
        entries[level] = {**_write(out_dir / f"{level}.geojson", _collection(features)),
                          "file": f"{level}.geojson", "features": len(gdf)}
    if level == "desa":
        for code, part in features.groupby(features.index.str.slice(0, 5), sort=True):
            name = f"desa/{code}.geojson"
            entries[f"desa/{code}"] = {**_write(out_dir / name, _collection(part)), "file": name,
                                       "features": len(part)}
    manifest = read_manifest(out_dir)
    if level == "desa":  # a replaced village layer drops the files of the old one
        manifest = {k: v for k, v in manifest.items() if not k.startswith("desa")}
    manifest.update(entries)
    _write(out_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return entries


def read_manifest(out_dir: Path | None = None) -> dict:
    """The manifest of written files in ``out_dir`` (default STATIC_GEO_DIR); {} when none or unreadable."""
    try:
        return json.loads((Path(out_dir or STATIC_GEO_DIR) / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


def write_all(regions: pd.DataFrame, geo_dir: Path = paths.GEO_DIR, out_dir: Path = STATIC_GEO_DIR) -> dict:
    """Write every level from the display GeoParquet files in ``geo_dir``; returns the manifest."""
    import geopandas as gpd

    for level in BOUNDARY_LEVELS:
        write_static_geojson(level, gpd.read_parquet(Path(geo_dir) / f"{level}_display.parquet"), out_dir, regions)
    return read_manifest(out_dir)


def static_current(geo_dir: Path = paths.GEO_DIR, out_dir: Path = STATIC_GEO_DIR) -> bool:
    """True when every level's file exists and is newer than its display GeoParquet."""
    manifest = read_manifest(out_dir)
    for level in BOUNDARY_LEVELS:
        key = level if level in manifest or level != "desa" else next((k for k in manifest if k.startswith("desa/")), "desa")
        target, source = Path(out_dir) / manifest.get(key, {}).get("file", f"{level}.geojson"), \
            Path(geo_dir) / f"{level}_display.parquet"
        if key not in manifest or not target.is_file():
            return False
        if source.is_file() and source.stat().st_mtime > target.stat().st_mtime:
            return False
    return True
