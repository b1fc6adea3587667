"""Boundary files written by the data build, and the geometry helpers on small made-up shapes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from utils.data import geo, paths
from utils.domain.codes import BOUNDARY_LEVELS

ROOT = Path(__file__).resolve().parents[2]
MIRROR = Path(os.environ.get("SV_SOURCES_MIRROR") or ROOT.parent / "shared" / "sources")
BOUNDS_DB = MIRROR / "github/cahyadsn/wilayah_boundaries/3c5a7960f4d227a38489094d84252bdbb3f978a5/db"
CODE_RE = r"^18(\.\d\d(\.\d\d(\.\d{4})?)?)?$"
RAW_FILES = {"kabupaten": "kab/*.sql", "kecamatan": "kec/*.sql", "desa": "kel/18/*.sql"}


def _raw(level: str) -> dict[str, shapely.Geometry]:
    """code -> raw shapely geometry, parsed here with json and a regex (not utils.data.geo)."""
    files = sorted(BOUNDS_DB.glob(RAW_FILES[level]))
    if not files:
        pytest.fail("source mirror not available: set SV_SOURCES_MIRROR to the mirror folder (make does when ../shared/sources exists)")
    out = {}
    for f in files:
        for code, path in re.findall(r"\('(18[0-9.]*)','(?:[^']|'')*',[-0-9.]+,[-0-9.]+,'(\[[^']*\])'\)", f.read_text()):
            data = json.loads(path)
            is_multi = isinstance(data[0][0][0], list)
            shapes = [shapely.Polygon([(p[1], p[0]) for p in rings[0]], [[(p[1], p[0]) for p in r] for r in rings[1:]])
                      for rings in (data if is_multi else [data])]
            out[code] = shapely.MultiPolygon(shapes) if is_multi else shapes[0]
    return out


@pytest.fixture(scope="module")
def layers() -> dict[tuple[str, bool], gpd.GeoDataFrame]:
    from utils.data.build import ensure_built

    ensure_built()
    return {(lvl, d): gpd.read_parquet(paths.boundary_path(lvl, display=d)) for lvl in BOUNDARY_LEVELS for d in (False, True)}


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return pd.read_parquet(paths.REGIONS)


@pytest.mark.parametrize("level,expected", [("kabupaten", 15), ("kecamatan", 229), ("desa", 2640)])
def test_polygon_counts_match_raw_sql(layers: dict, level: str, expected: int) -> None:
    raw = _raw(level)
    assert len(raw) == expected
    for display in (False, True):
        gdf = layers[(level, display)]
        assert len(gdf) == expected
        assert set(gdf["code"]) == set(raw)


@pytest.mark.parametrize("level", BOUNDARY_LEVELS)
@pytest.mark.parametrize("display", [False, True])
def test_layers_valid_typed_wgs84(layers: dict, level: str, display: bool) -> None:
    gdf = layers[(level, display)]
    assert list(gdf.columns) == ["code", "name", "geometry"]
    assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
    assert pd.api.types.is_string_dtype(gdf["code"]) and pd.api.types.is_string_dtype(gdf["name"])
    assert gdf["code"].str.fullmatch(CODE_RE).all()
    assert gdf.is_valid.all()
    assert not gdf.is_empty.any()
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}


def test_invalid_sources_were_fixed_without_losing_area(layers: dict) -> None:
    for level, n_invalid in [("kabupaten", 4), ("kecamatan", 11), ("desa", 0)]:
        raw = _raw(level)
        assert len([c for c, g in raw.items() if not g.is_valid]) == n_invalid, level
    report = json.loads(paths.BUILD_REPORT.read_text())["geometry"]
    assert report["desa"]["fixed_by_make_valid"] == 0
    assert {k: report[k]["source_fixed_by_make_valid"] for k in ("kabupaten", "kecamatan")} == {"kabupaten": 4, "kecamatan": 11}
    # The village layer (the only geometry taken from the source) keeps the source's footprint: cleaning
    # removes overlaps and fills slivers, so the union is the raw union within a few km².
    raw_union = shapely.union_all(gpd.GeoSeries(list(_raw("desa").values()), crs=geo.WGS84).to_crs(geo.UTM48S).to_numpy())
    built = shapely.union_all(layers[("desa", False)].to_crs(geo.UTM48S).geometry.to_numpy())
    assert built.symmetric_difference(raw_union).area / raw_union.area < 0.001


def test_representative_points_inside_polygons(layers: dict, regions: pd.DataFrame) -> None:
    for level in BOUNDARY_LEVELS:
        gdf = layers[(level, False)].set_index("code")
        r = regions.set_index("code").loc[gdf.index]
        inside = shapely.contains_xy(gdf.geometry.to_numpy(), r["rep_lon"].to_numpy(), r["rep_lat"].to_numpy())
        assert inside.all(), f"{level}: {list(gdf.index[~inside][:5])}"


def test_source_centroids_are_not_trusted(layers: dict) -> None:
    """The README says 88 village centroids in the source fall outside their polygon."""
    rows = [
        m for f in sorted(BOUNDS_DB.glob(RAW_FILES["desa"]))
        for m in re.findall(r"\('(18[0-9.]*)','(?:[^']|'')*',([-0-9.]+),([-0-9.]+),", f.read_text())
    ]
    geoms = layers[("desa", False)].set_index("code").geometry
    polys = geoms.loc[[code for code, _, _ in rows]].to_numpy()
    lng = np.array([float(r[2]) for r in rows])
    lat = np.array([float(r[1]) for r in rows])
    assert int((~shapely.contains_xy(polys, lng, lat)).sum()) == 88


def test_areas_and_display_simplification(layers: dict) -> None:
    for level in BOUNDARY_LEVELS:
        full = layers[(level, False)]
        disp = layers[(level, True)]
        assert shapely.get_num_coordinates(disp.geometry.to_numpy()).sum() < shapely.get_num_coordinates(
            full.geometry.to_numpy()).sum()
        a_full = full.to_crs(geo.UTM48S).area.sum() / 1e6
        a_disp = disp.to_crs(geo.UTM48S).area.sum() / 1e6
        assert a_disp == pytest.approx(a_full, rel=0.01), level
        assert a_full == pytest.approx(33570.758, rel=0.02), level
    # Simplification happens on the 1e-4 degree grid.
    xy = shapely.get_coordinates(layers[("kabupaten", True)].geometry.to_numpy())
    assert np.allclose(xy, np.round(xy / 1e-4) * 1e-4, atol=1e-9)


def test_display_keeps_shared_edges_shared(layers: dict) -> None:
    """Coverage simplification: neighbours do not pull apart (no new gaps between kabupaten)."""
    disp = layers[("kabupaten", True)]
    full = layers[("kabupaten", False)]
    union_disp = shapely.union_all(disp.to_crs(geo.UTM48S).geometry.to_numpy())
    union_full = shapely.union_all(full.to_crs(geo.UTM48S).geometry.to_numpy())
    # Holes inside the province union would be gaps between neighbours.
    holes = lambda g: sum(len(p.interiors) for p in shapely.get_parts(g))  # noqa: E731
    assert holes(union_disp) <= holes(union_full)
    for level in BOUNDARY_LEVELS:  # and shared edges are identical (no overlap, no sliver between neighbours)
        assert shapely.coverage_is_valid(layers[(level, True)].geometry.to_numpy()), level


# ---- helpers on small shapes ---------------------------------------------------------------


def test_path_is_lat_lng_and_nesting_is_detected() -> None:
    poly = geo.path_to_geometry("[[[-5.0,105.0],[-5.0,105.1],[-5.1,105.1],[-5.0,105.0]]]")
    assert poly.geom_type == "Polygon"
    assert poly.bounds == pytest.approx((105.0, -5.1, 105.1, -5.0))
    multi = geo.path_to_geometry(
        "[[[[-5.0,105.0],[-5.0,105.1],[-5.1,105.1],[-5.0,105.0]]],[[[-6.0,106.0],[-6.0,106.1],[-6.1,106.1],[-6.0,106.0]]]]"
    )
    assert multi.geom_type == "MultiPolygon" and len(multi.geoms) == 2


def test_fix_keeps_polygonal_parts_only() -> None:
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    outer = shapely.box(0, 0, 10, 10)
    nested = shapely.MultiPolygon([outer, shapely.box(2, 2, 3, 3)])  # nested shells, as in the source
    fixed, n = geo.fix_geometries(gpd.GeoSeries([bowtie, nested, shapely.box(0, 0, 1, 1)], crs=geo.WGS84))
    assert n == 2
    assert fixed.is_valid.all() and set(fixed.geom_type) <= {"Polygon", "MultiPolygon"}
    assert fixed.iloc[1].area == pytest.approx(100)  # the inner shell is not punched out as a hole


def test_display_never_empty_or_invalid() -> None:
    tiny = shapely.box(105.0, -5.0, 105.00002, -4.99998)  # ~2 m square: vanishes on a 1e-4 grid
    big = shapely.box(105.1, -5.2, 105.3, -5.0)
    out, fallbacks = geo.display_geometries(gpd.GeoSeries([tiny, big], crs=geo.WGS84), 100)
    assert fallbacks == 1
    assert out.is_valid.all() and not out.is_empty.any()


# ---- the three levels tile (issue 17) --------------------------------------------------------


def _utm(gdf: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return gdf.set_index("code").geometry.to_crs(geo.UTM48S)


def _faults(geoms: gpd.GeoSeries) -> tuple[float, float]:
    """(overlap area, enclosed gap area) of one layer in km², computed with plain shapely."""
    union = shapely.union_all(geoms.to_numpy())
    holes = sum(shapely.Polygon(r).area for p in shapely.get_parts(union) for r in p.interiors)
    return (float(geoms.area.sum()) - union.area) / 1e6, holes / 1e6


@pytest.mark.parametrize("display", [False, True])
def test_the_three_levels_tile(layers: dict, display: bool) -> None:
    """No overlaps or gaps within a level, and every kecamatan/kabupaten is exactly the union of its
    villages/kecamatan: each fault below 0.1% of the province (34 km² of 33,546 km²)."""
    desa, kec, kab = (_utm(layers[(lvl, display)]) for lvl in ("desa", "kecamatan", "kabupaten"))
    province = shapely.union_all(desa.to_numpy()).area / 1e6
    limit = 0.001 * province
    for level, geoms in (("desa", desa), ("kecamatan", kec), ("kabupaten", kab)):
        overlap, gaps = _faults(geoms)
        assert overlap < limit and gaps < limit, (level, display, overlap, gaps)
    for upper, lower, width in ((kec, desa, 8), (kab, kec, 5)):
        children = lower.groupby(lower.index.str.slice(0, width)).agg(lambda s: shapely.union_all(s.to_numpy()))
        assert set(children.index) == set(upper.index)
        diff = shapely.area(shapely.symmetric_difference(upper.loc[children.index].to_numpy(),
                                                         gpd.GeoSeries(children, crs=geo.UTM48S).to_numpy()))
        assert diff.sum() / 1e6 < limit, (display, diff.sum() / 1e6)
    # Gisting: the source kecamatan differed from its own villages by 8.6% of its area.
    gisting = shapely.union_all(desa[desa.index.str.startswith("18.06.20.")].to_numpy())
    assert kec["18.06.20"].symmetric_difference(gisting).area / gisting.area < 0.001


def test_kecamatan_with_a_village_without_polygon_keep_their_outline(layers: dict, regions: pd.DataFrame) -> None:
    missing = regions[(regions["level"] == "desa") & ~regions["has_polygon"]]
    assert len(missing) == 11
    kec = layers[("kecamatan", False)].set_index("code")
    assert set(missing["kec_code"]) <= set(kec.index)  # drawn from the villages that have polygons
    assert set(regions.loc[regions["level"] == "kecamatan", "code"]) == set(kec.index)
    assert not set(missing["code"]) & set(layers[("desa", False)]["code"])  # still listed, not drawn


def test_regions_points_and_areas_follow_the_dissolved_layers(layers: dict, regions: pd.DataFrame) -> None:
    reg = regions.set_index("code")
    for level in ("kecamatan", "desa"):
        geoms = _utm(layers[(level, False)])
        assert np.allclose(reg.loc[geoms.index, "area_km2"], geoms.area / 1e6, rtol=1e-6), level
    kec = layers[("kecamatan", False)].set_index("code").geometry
    pts = reg.loc[kec.index]
    assert shapely.contains_xy(kec.to_numpy(), pts["rep_lon"].to_numpy(), pts["rep_lat"].to_numpy()).all()
