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
#: Gaps between neighbouring polygons narrower than this (diameter of the largest circle that fits) are
#: slivers of the source: they are given to the neighbour with the longest shared border. The village
#: source has 12,672 of them (5.3 km² together, the widest 19 m); a wider gap is a real hole and stays.
GAP_WIDTH_M = 25.0
#: Levels derived from the village layer: code prefix length of the kecamatan and kabupaten.
PARENT_PREFIX = {"kecamatan": 8, "kabupaten": 5}


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


def region_geometry(layers: Iterable[gpd.GeoDataFrame]) -> pd.DataFrame:
    """Per region code of the given layers (code, geometry): a representative point (``rep_lon``,
    ``rep_lat``) and the polygon area in km² (``poly_area``), indexed by code."""
    parts = []
    for gdf in layers:
        pts = representative_points(gdf.geometry)
        parts.append(pd.DataFrame({"code": gdf["code"].astype(str).to_numpy(), "rep_lon": pts["rep_lon"].to_numpy(),
                                   "rep_lat": pts["rep_lat"].to_numpy(),
                                   "poly_area": area_km2(gdf.geometry).to_numpy()}))
    return pd.concat(parts, ignore_index=True).set_index("code")


def with_region_geometry(regions: pd.DataFrame, geometry: pd.DataFrame) -> pd.DataFrame:
    """``regions`` with ``rep_lon``, ``rep_lat``, ``has_polygon`` from ``geometry`` (``region_geometry``) and,
    below the kabupaten, ``area_km2`` the polygon area (province and kabupaten keep BIG's official area)."""
    out = regions.copy()
    code = out["code"]
    out["rep_lon"] = code.map(geometry["rep_lon"]).astype("float64")
    out["rep_lat"] = code.map(geometry["rep_lat"]).astype("float64")
    out["has_polygon"] = code.isin(geometry.index)
    official = out["area_km2"] if "area_km2" in out else pd.Series(np.nan, index=out.index)
    upper = out["level"].isin(["provinsi", "kabupaten"])
    out["area_km2"] = np.where(upper, official, code.map(geometry["poly_area"])).astype("float64")
    return out


def display_geometries(geoms: gpd.GeoSeries, tolerance_m: float) -> tuple[gpd.GeoSeries, int]:
    """Display-simplified copy of a coverage: simplification in UTM 48S, back to WGS84, 1e-4° grid.

    ``simplify_coverage`` keeps shared edges shared (per-polygon ``simplify`` opens gaps). Snapping to the
    grid point by point keeps them shared too (a vertex two neighbours share lands on the same grid point);
    the few polygons the snapping leaves invalid are repaired, and the overlaps and slivers that repair leaves
    are cleaned as a coverage again, so the display layer tiles like the full one. A geometry that still
    comes out empty or invalid falls back to the unsimplified shape on the same grid, then to the fixed shape
    itself, so every display geometry is valid and non-empty. Returns (geometries, number of fallbacks).
    """
    simplified = geoms.to_crs(UTM48S).simplify_coverage(tolerance_m).to_crs(WGS84)
    out = shapely.set_precision(simplified.to_numpy(), DISPLAY_PRECISION, mode="pointwise")
    # Drop the precision model set_precision attaches: the saved file has none, so every check below must see
    # the plain floating-point geometry a reader of the file gets.
    out = shapely.from_wkb(shapely.to_wkb(out))
    broken = ~shapely.is_valid(out)
    if broken.any():
        out[broken] = [polygonal(g) for g in shapely.make_valid(out[broken], method="structure", keep_collapsed=False)]
    # Where the grid made neighbours disagree (a repaired polygon, two vertices on one grid point), clean those
    # polygons and their neighbours as a coverage again; everything else is already edge-matched.
    faulty = broken | ~shapely.is_empty(shapely.coverage_invalid_edges(out))
    if faulty.any():
        _, near = shapely.STRtree(out).query(out[faulty], predicate="intersects")
        local = faulty.copy()
        local[near] = True
        idx = np.flatnonzero(local)
        out[idx], _ = _clean(out[idx], 10 * DISPLAY_PRECISION, None)
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


#: Width in pixels of the small locator map: one pixel of its extent is the simplification it can show.
LOCATOR_PIXELS = 400


def locator_geometries(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A coarser copy of display boundaries (neighbours, one level) for the small locator map.

    The display layers are drawn for a full-width map; on a ~400 px locator the province's kabupaten need one
    vertex per ~800 m, not per 100 m (the locator HTML drops from 0.36 MB to a fifth). Coverage
    simplification at one pixel of the extent, so neighbours still share their edges; below the level's own
    display tolerance the layer is returned as it is.
    """
    if gdf.empty:
        return gdf
    x0, y0, x1, y1 = gdf.to_crs(UTM48S).total_bounds
    tolerance = max(x1 - x0, y1 - y0) / LOCATOR_PIXELS
    if tolerance <= min(DISPLAY_TOLERANCE_M.values()) * 1.5:
        return gdf
    coarse, _ = display_geometries(gdf.geometry, tolerance)
    return gdf.set_geometry(coarse.to_numpy(), crs=WGS84)


# --------------------------------------------------------------------------------------------
# Coverage: one layer of polygons that tile (no overlaps, shared edges identical, no slivers)
# --------------------------------------------------------------------------------------------


def _holes(union: BaseGeometry) -> np.ndarray:
    """The interior rings of a (multi)polygon as polygons: areas enclosed by the layer but covered by none."""
    return np.array([shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors],
                    dtype=object)


def _clean(values: np.ndarray, gap_width: float, first: np.ndarray | None) -> tuple[np.ndarray, dict]:
    """``clean_coverage`` in the units of ``values`` (areas in the stats are in those units squared)."""
    n = len(values)
    before = float(shapely.area(values).sum())
    if first is None:
        order, strategy = np.arange(n), "longest_border"
    else:
        first = np.asarray(first, dtype=bool)
        order, strategy = np.concatenate([np.flatnonzero(first), np.flatnonzero(~first)]), "min_index"
    cleaned = values
    stats = {"overlap": 0.0, "gaps_filled": 0, "gaps_filled_area": 0.0, "gaps_left": 0, "gaps_left_area": 0.0}
    for rounds in range(3):  # filling a sliver can leave a smaller one where three polygons meet
        cleaned = cleaned.copy()
        cleaned[order] = [polygonal(g) for g in shapely.coverage_clean(cleaned[order], gap_width=0.0,
                                                                       merge_strategy=strategy)]
        bad = ~shapely.is_valid(cleaned)
        if bad.any():
            cleaned[bad] = [polygonal(g) for g in shapely.make_valid(cleaned[bad], method="structure",
                                                                     keep_collapsed=False)]
        union = shapely.coverage_union_all(cleaned[~shapely.is_empty(cleaned)])
        if rounds == 0:
            stats["overlap"] = max(before - float(union.area), 0.0)
        holes = _holes(union)
        width = 2 * shapely.length(shapely.maximum_inscribed_circle(holes, tolerance=gap_width / 50)) if len(holes) \
            else np.zeros(0)
        small, wide = holes[width < gap_width], holes[width >= gap_width]
        stats.update(gaps_left=len(wide), gaps_left_area=float(shapely.area(wide).sum()))
        if not len(small):
            break
        tree = shapely.STRtree(cleaned)
        hole_i, poly_i = tree.query(small, predicate="intersects")
        shared = shapely.length(shapely.intersection(shapely.boundary(small[hole_i]), shapely.boundary(cleaned[poly_i])))
        pick = (pd.DataFrame({"hole": hole_i, "poly": poly_i, "shared": shared})
                .sort_values(["hole", "shared", "poly"], ascending=[True, False, True])
                .drop_duplicates("hole"))
        for poly, group in pick.groupby("poly"):
            cleaned[poly] = polygonal(shapely.union_all(np.concatenate([[cleaned[poly]], small[group["hole"].to_numpy()]])))
        stats["gaps_filled"] += len(pick)
        stats["gaps_filled_area"] += float(shapely.area(small).sum())
    emptied = np.flatnonzero(shapely.is_empty(cleaned) & ~shapely.is_empty(values)).tolist()
    return cleaned, {**stats, "emptied": emptied}


def clean_coverage(geoms: gpd.GeoSeries, gap_width_m: float = GAP_WIDTH_M,
                   first: np.ndarray | None = None) -> tuple[gpd.GeoSeries, dict]:
    """``geoms`` (WGS84) made a clean coverage; returns (geometries, stats).

    ``shapely.coverage_clean`` (GEOS CoverageCleaner, in UTM 48S) removes overlaps and makes shared edges
    identical; enclosed gaps narrower than ``gap_width_m`` (largest inscribed circle) are then merged into the
    neighbour with the longest shared border (the cleaner's own gap merging is 10x slower on the village
    layer). An overlap goes to the neighbour with the longest shared border, or, with ``first`` (a boolean
    mask), to a ``first`` polygon: an imported village keeps its own shape and the kept neighbours give way.
    A polygon the cleaning would empty keeps nothing (``stats["emptied"]`` lists the positions). Stats:
    overlap_km2 (resolved), gaps_filled, gaps_filled_km2, gaps_left, gaps_left_km2, emptied.
    """
    cleaned, st = _clean(geoms.to_crs(UTM48S).to_numpy(), gap_width_m, first)
    stats = {"overlap_km2": round(st["overlap"] / 1e6, 3), "gaps_filled": st["gaps_filled"],
             "gaps_filled_km2": round(st["gaps_filled_area"] / 1e6, 3), "gaps_left": st["gaps_left"],
             "gaps_left_km2": round(st["gaps_left_area"] / 1e6, 3), "emptied": st["emptied"]}
    return gpd.GeoSeries(cleaned, index=geoms.index, crs=UTM48S).to_crs(WGS84), stats


def clean_locally(geoms: gpd.GeoSeries, changed: np.ndarray, previous: np.ndarray | None = None,
                  gap_width_m: float = GAP_WIDTH_M) -> tuple[gpd.GeoSeries, dict]:
    """``clean_coverage`` of a clean coverage in which the ``changed`` polygons (a boolean mask) were replaced
    or added: only the neighbourhood is cleaned, in WGS84 itself, so every other polygon, and every edge it
    shares, stays bit for bit as it was.

    The neighbourhood: the changed polygons and every polygon touching one of them or one of their
    ``previous`` shapes (a gap opens where a replaced village was; its old neighbours border it). The changed
    polygons win overlaps; gaps narrower than ``gap_width_m`` (in degrees at Lampung's latitude) are filled as
    ``clean_coverage`` does. Stats: cleaned (polygons in the neighbourhood), gaps_filled, gaps_left, emptied.
    """
    values = geoms.to_numpy()
    changed = np.asarray(changed, dtype=bool)
    probes = values[changed]
    if previous is not None and len(previous):
        probes = np.concatenate([probes, np.asarray(previous, dtype=object)])
    probes = probes[~(shapely.is_missing(probes) | shapely.is_empty(probes))]
    _, near = shapely.STRtree(values).query(probes, predicate="intersects")
    local = changed.copy()
    local[near] = True
    idx = np.flatnonzero(local)
    cleaned, st = _clean(values[idx], gap_width_m / 111_000.0, changed[idx])
    out = values.copy()
    out[idx] = cleaned
    stats = {"cleaned": int(local.sum()), "gaps_filled": st["gaps_filled"], "gaps_left": st["gaps_left"],
             "emptied": idx[st["emptied"]].tolist()}
    return gpd.GeoSeries(out, index=geoms.index, crs=geoms.crs), stats


def dissolve(geoms: gpd.GeoSeries, keys: pd.Series | np.ndarray) -> gpd.GeoSeries:
    """One geometry per key (index: the sorted keys), the union of its members.

    For a clean coverage the members' shared edges vanish exactly (``coverage_union_all``); anything that
    does not come out valid with the same area is unioned the general way.
    """
    keys = np.asarray(keys, dtype=object)
    values = geoms.to_numpy()
    out = {}
    for key in sorted(set(keys)):
        members = values[keys == key]
        members = members[~shapely.is_empty(members)]
        try:
            merged = polygonal(shapely.coverage_union_all(members)) if len(members) else shapely.Polygon()
        except shapely.errors.GEOSException:  # members overlap (e.g. after snapping to the display grid)
            merged = None
        if merged is None or not merged.is_valid or \
                abs(merged.area - float(shapely.area(members).sum())) > 1e-9 * max(merged.area, 1e-12):
            merged = polygonal(shapely.union_all(members))
        out[key] = merged
    return gpd.GeoSeries(list(out.values()), index=list(out), crs=geoms.crs)


def upper_levels(desa: gpd.GeoSeries, desa_display: gpd.GeoSeries) -> dict[tuple[str, bool], gpd.GeoSeries]:
    """Kecamatan and kabupaten dissolved from the villages, full and display: {(level, display): geometries
    indexed by code}.

    ``desa``/``desa_display``: village geometries indexed by village code. The display levels are the union of
    the display villages, so a kecamatan outline drawn over its villages follows their edges exactly (a
    separate simplification of the kecamatan would cut across them).
    """
    codes = pd.Index(desa.index.astype(str))
    out = {}
    for level, width in PARENT_PREFIX.items():
        keys = codes.str.slice(0, width)
        out[(level, False)] = dissolve(desa, keys)
        shown = dissolve(desa_display, keys)
        bad = shapely.is_empty(shown.to_numpy()) | ~shapely.is_valid(shown.to_numpy())
        if bad.any():  # never expected: fall back to the full outline rather than draw nothing
            shown[bad] = out[(level, False)][bad]
        out[(level, True)] = shown
    return out
