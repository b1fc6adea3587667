"""Boundary IO, validity and display simplification.

The upstream boundary dumps (cahyadsn/wilayah_boundaries) hold rows ``(kode, nama, lat, lng, path)``
where ``path`` is JSON in **[lat, lng]** order, nested as a Polygon or a MultiPolygon. Some shapes are
invalid (nested shells) and some source centroids fall outside their polygon, so the build fixes
geometry with ``make_valid`` and computes its own representative points.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from utils.data.wilayah import read_sql_table
from utils.domain.codes import PROVINCE_CODE

WGS84 = "EPSG:4326"
#: UTM 48S: metric CRS covering Lampung, for areas and simplification.
UTM48S = "EPSG:32748"
#: Display simplification tolerance in metres per level.
DISPLAY_TOLERANCE_M = {"kabupaten": 500.0, "kecamatan": 200.0, "desa": 100.0}
#: Grid of the display coordinates in degrees (about 11 m): halves the GeoJSON size.
DISPLAY_PRECISION = 1e-4


def _ring(coords: list) -> np.ndarray:
    # Source order is [lat, lng]; shapely wants (x=lng, y=lat).
    return np.asarray(coords, dtype="float64")[:, ::-1]


def _depth(value: list) -> int:
    depth = 0
    while isinstance(value, list) and value:
        value = value[0]
        depth += 1
    return depth


def path_to_geometry(path_json: str) -> BaseGeometry:
    """Shapely (Multi)Polygon from the source ``path`` JSON ([lat, lng] pairs)."""
    data = json.loads(path_json)
    depth = _depth(data)
    if depth == 3:  # [ring][point][lat,lng]
        polys = [data]
    elif depth == 4:  # [polygon][ring][point][lat,lng]
        polys = data
    else:
        raise ValueError(f"unexpected coordinate nesting depth {depth}")
    shapes = [shapely.Polygon(_ring(rings[0]), [_ring(r) for r in rings[1:]]) for rings in polys if rings]
    return shapes[0] if depth == 3 else shapely.MultiPolygon(shapes)


def read_boundaries(files: Iterable[Path], province: str = PROVINCE_CODE) -> gpd.GeoDataFrame:
    """Raw boundaries (unfixed) from one or more dump files.

    Columns: code, name, src_lat, src_lng (the source's own centroid, kept for reference), geometry.
    """
    frames = [read_sql_table(f, ["code", "name", "lat", "lng", "path"], province) for f in files]
    df = pd.concat(frames, ignore_index=True)
    if df["code"].duplicated().any():
        dup = df.loc[df["code"].duplicated(), "code"].tolist()
        raise ValueError(f"duplicate boundary codes: {dup[:10]}")
    geoms = [path_to_geometry(p) for p in df["path"]]
    out = gpd.GeoDataFrame(
        {
            "code": df["code"].astype("str"),
            "name": df["name"].astype("str"),
            "src_lat": pd.to_numeric(df["lat"]),
            "src_lng": pd.to_numeric(df["lng"]),
        },
        geometry=geoms,
        crs=WGS84,
    )
    return out.sort_values("code", ignore_index=True)


def polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygonal parts of a geometry (make_valid can add lines or points)."""
    if geom is None or geom.is_empty:
        return shapely.Polygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    polys = [q for p in parts for q in shapely.get_parts(p)]
    if not polys:
        return shapely.Polygon()
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


def fix_geometries(geoms: gpd.GeoSeries) -> tuple[gpd.GeoSeries, int]:
    """Make invalid geometries valid, keeping polygonal parts; returns (fixed, number fixed).

    The ``structure`` method unions nested shells instead of punching them out as holes, which is
    what the source means (the linework method turns an island-in-a-lake shell into a hole).
    """
    invalid = ~geoms.is_valid.to_numpy()
    values = geoms.to_numpy().copy()
    if invalid.any():
        repaired = shapely.make_valid(values[invalid], method="structure", keep_collapsed=False)
        values[invalid] = [polygonal(g) for g in repaired]
    return gpd.GeoSeries(values, index=geoms.index, crs=geoms.crs), int(invalid.sum())


def area_km2(geoms: gpd.GeoSeries) -> pd.Series:
    """Area in km², measured in UTM 48S."""
    return geoms.to_crs(UTM48S).area / 1e6


def representative_points(geoms: gpd.GeoSeries) -> pd.DataFrame:
    """A point guaranteed inside each polygon (``rep_lon``, ``rep_lat``), unlike the source centroid."""
    pts = geoms.representative_point()
    return pd.DataFrame({"rep_lon": pts.x, "rep_lat": pts.y}, index=geoms.index)


def display_geometries(geoms: gpd.GeoSeries, tolerance_m: float) -> tuple[gpd.GeoSeries, int]:
    """Display-simplified copy: coverage simplification in UTM 48S, back to WGS84, 1e-4° grid.

    ``simplify_coverage`` keeps shared edges shared (per-polygon ``simplify`` opens gaps). A
    geometry that the grid collapses or leaves invalid falls back to the unsimplified shape on the
    same grid, then to the fixed shape itself, so every display geometry is valid and non-empty.
    Returns (geometries, number of fallbacks).
    """
    simplified = geoms.to_crs(UTM48S).simplify_coverage(tolerance_m).to_crs(WGS84)
    out = shapely.set_precision(simplified.to_numpy(), DISPLAY_PRECISION)
    out = np.array([polygonal(g) for g in out], dtype=object)
    bad = shapely.is_empty(out) | ~shapely.is_valid(out)
    fallbacks = int(bad.sum())
    if bad.any():
        original = geoms.to_numpy()[bad]
        retry = np.array([polygonal(g) for g in shapely.set_precision(original, DISPLAY_PRECISION)], dtype=object)
        still = shapely.is_empty(retry) | ~shapely.is_valid(retry)
        retry[still] = original[still]
        out[bad] = retry
    return gpd.GeoSeries(out, index=geoms.index, crs=WGS84), fallbacks
