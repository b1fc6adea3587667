"""The map's static boundary files (feature counts, validity, no gaps or overlaps added by the
display simplification, names with the local word) and the server-side PNG."""

from __future__ import annotations

import io
import json
import shutil

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from utils.data import build, geo_static, paths
from utils.domain.codes import BOUNDARY_LEVELS
from utils.views.maps import choropleth

UTM48S = "EPSG:32748"
#: Tolerance for what simplification may add: overlaps and interior gaps each at most 0.1% of the
#: province's area (about 34 km² of 33.550 km²; measured: +9 km² overlap, +11 km² gaps on villages).
TOLERANCE = 0.001


@pytest.fixture(scope="module")
def static_dir(tmp_path_factory, dataset):
    """The static files written from the real display layers into a temporary folder."""
    out = tmp_path_factory.mktemp("static_geo")
    geo_static.write_all(dataset.regions, paths.GEO_DIR, out)
    return out


def _coverage_faults(gdf) -> tuple[float, float, float]:
    """(overlap area, interior gap area, union area) in km²."""
    g = gdf.to_crs(UTM48S)
    union = shapely.union_all(g.geometry.to_numpy())
    holes = sum(shapely.Polygon(r).area for p in shapely.get_parts(union) for r in p.interiors)
    return (g.area.sum() - union.area) / 1e6, holes / 1e6, union.area / 1e6


@pytest.mark.parametrize(("level", "n"), [("kabupaten", 15), ("kecamatan", 229), ("desa", 2640)])
def test_static_files_have_every_feature_valid_and_no_new_gaps_or_overlaps(static_dir, level, n):
    shown = gpd.read_file(static_dir / f"{level}.geojson")
    assert len(shown) == n and shown["c"].is_unique
    assert shown.geometry.is_valid.all() and not shown.geometry.is_empty.any()
    full = gpd.read_parquet(paths.boundary_path(level))
    assert set(shown["c"]) == set(full["code"])
    overlap, gaps, area = _coverage_faults(shown)
    overlap0, gaps0, _ = _coverage_faults(full)
    assert overlap - overlap0 <= TOLERANCE * area
    assert gaps - gaps0 <= TOLERANCE * area


def test_village_files_per_kabupaten_add_up_and_carry_local_names(static_dir, dataset):
    manifest = json.loads((static_dir / "manifest.json").read_text())
    parts = {k: v for k, v in manifest.items() if k.startswith("desa/")}
    assert sum(v["features"] for v in parts.values()) == 2640
    assert len(parts) == 15
    pekon = json.loads((static_dir / "desa" / "18.06.geojson").read_text())["features"]
    props = {f["properties"]["c"]: f["properties"] for f in pekon}
    assert all(code.startswith("18.06.") for code in props)
    gisting = dataset.regions.query("level == 'desa' and kec_code == '18.06.20'")
    one = gisting[gisting["village_type"] == "desa"].iloc[0]
    assert props[one["code"]]["n"] == f"Pekon {one['name']}"  # Tanggamus says pekon
    assert props[one["code"]]["p"] == "Kec. Gisting, Kab. Tanggamus"
    assert "coordinates" in json.dumps(pekon[0]["geometry"])


def test_writer_replaces_a_level_and_drops_stale_village_files(tmp_path):
    squares = gpd.GeoDataFrame({"code": ["18.01.01.2001", "18.02.01.2001"], "name": ["A", "B"]},
                               geometry=[box(105, -5, 105.1, -4.9), box(105.2, -5, 105.3, -4.9)], crs="EPSG:4326")
    geo_static.write_static_geojson("desa", squares, tmp_path)
    assert {"desa", "desa/18.01", "desa/18.02"} <= set(geo_static.read_manifest(tmp_path))
    geo_static.write_static_geojson("desa", squares.iloc[:1], tmp_path)  # e.g. an imported layer
    manifest = geo_static.read_manifest(tmp_path)
    assert "desa/18.02" not in manifest and manifest["desa"]["features"] == 1
    with pytest.raises(ValueError, match="unknown level"):
        geo_static.write_static_geojson("provinsi", squares, tmp_path)


def test_up_to_date_build_rewrites_missing_static_files(tmp_path):
    geo_dir = tmp_path / "geo"
    geo_dir.mkdir()
    for level in BOUNDARY_LEVELS:
        shutil.copy(paths.boundary_path(level, display=True), geo_dir)
    assert build.ensure_static_geo(paths.DATA_DIR, geo_dir) is True
    written = geo_dir / "static_geo"
    assert (written / "desa.geojson").is_file() and (written / "desa" / "18.06.geojson").is_file()
    assert build.ensure_static_geo(paths.DATA_DIR, geo_dir) is False  # current: nothing to do
    (written / "kabupaten.geojson").unlink()
    assert build.ensure_static_geo(paths.DATA_DIR, geo_dir) is True


def test_png_has_slide_size_and_shows_the_classes(dataset):
    from PIL import Image

    from utils.views.maps import png

    kabs = gpd.read_parquet(paths.boundary_path("kabupaten", display=True))
    values = pd.DataFrame({"pct_joined": np.linspace(10, 90, len(kabs)), "desa": 1}, index=kabs["code"])
    values.loc[["18.71", "18.72"], ["pct_joined", "desa"]] = [np.nan, 0]
    classed = choropleth.classify(choropleth.metric("joined"), values, False, "id", values["desa"] > 0)
    image = png.render_png(kabs, classed, "Desa bergabung · Provinsi Lampung", "Dinas PMDT")
    img = Image.open(io.BytesIO(image)).convert("RGB")
    assert img.size == (png.WIDTH_PX, png.HEIGHT_PX)
    pixels = np.asarray(img).reshape(-1, 3)
    colours = {tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for h, _ in classed.legend[:-2]}
    seen = {tuple(p) for p in np.unique(pixels, axis=0)}
    assert colours <= seen  # every class colour of the legend is painted
    grey = tuple(int(choropleth.NOT_APPLICABLE[i:i + 2], 16) for i in (1, 3, 5))
    assert (pixels == grey).all(axis=1).sum() > 500  # the two kota, drawn "tidak berlaku"
    assert (pixels != 255).any(axis=1).mean() > 0.1  # not blank: the province fills ~19% of the slide


def test_national_scale_village_layer_is_written_per_kabupaten_only(tmp_path, monkeypatch):
    # A synthetic layer just above the limit: the all-villages file is skipped, every kabupaten has its own.
    monkeypatch.setattr(geo_static, "MAX_VILLAGES_IN_ONE_FILE", 300)
    codes = [f"32.{k:02d}.01.{2000 + v}" for k in (1, 2, 3) for v in range(101)]
    squares = gpd.GeoDataFrame({"code": codes, "name": codes},
                               geometry=[box(i * 0.01, 0, i * 0.01 + 0.009, 0.009) for i in range(len(codes))],
                               crs="EPSG:4326")
    geo_static.write_static_geojson("desa", squares, tmp_path)
    manifest = geo_static.read_manifest(tmp_path)
    assert "desa" not in manifest and not (tmp_path / "desa.geojson").exists()
    assert [manifest[f"desa/32.0{k}"]["features"] for k in (1, 2, 3)] == [101, 101, 101]
    plan = choropleth.layer_plan("32.02", None, True, 84_000)
    assert plan.file in manifest  # the map asks for a file that exists
