"""Boundary import: a hand-made GeoJSON with names only, a zipped shapefile in UTM with codes, the match
report, and every bad file refused with nothing changed. Applying and undoing: test_boundary_store.py; whole
layers from a GIS unit: test_boundary_matching.py."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from tests.files import names_only_geojson, shapefile_parts, square, zipped
from utils.data import paths
from utils.intake import boundaries as ib
from utils.intake.village_index import Refused

GEDUNG_SURIAN = "18.04.15"


def state(imports_dir: Path) -> dict[str, str]:
    files = [*sorted(imports_dir.rglob("*")), *sorted(paths.GEO_DIR.glob("*.parquet"))]
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file()}


def test_names_only_geojson_is_matched_within_the_parent(regions):
    src = ib.read_boundary_upload(names_only_geojson(regions), "gedung_surian.geojson")
    assert src.source_crs == "EPSG:4326" and len(src.features) == 5
    plan = ib.plan_boundary_import(src, "desa", regions)
    assert (plan.code_col, plan.name_col) == (None, "NAMOBJ")
    rep = plan.report
    assert rep["parent"].tolist() == [GEDUNG_SURIAN] * 5
    assert rep["code"].tolist()[:4] == ["18.04.15.2004", "18.04.15.2002", "18.04.15.2003", "18.04.15.2001"]
    assert rep["status"].tolist() == ["matched"] * 4 + ["suggested"]
    assert set(rep["method"].iloc[:4]) == {"by_name"}
    assert rep["suggestions"].iloc[4][0]["code"] == "18.04.15.2005"  # Mekarjaya, offered first
    assert ib.suggestion_text(rep["suggestions"].iloc[4], "id").startswith("Mekarjaya (18.04.15.2005)")
    assert plan.counts()["matched"] == 4 and plan.counts()["suggested"] == 1
    assert plan.suggestions() == {4: "18.04.15.2005"}
    with_polygon = regions[(regions["level"] == "desa") & regions["has_polygon"]]
    assert len(plan.not_covered) == len(with_polygon) - 4


def test_a_file_dropped_into_the_old_imports_folder_is_not_served(tmp_path, monkeypatch):
    """Boundaries in force come from the build and the store, never from a file someone put on one server."""
    from utils.data import dataset, served

    monkeypatch.setattr(paths, "IMPORTS_DIR", tmp_path / "imports")
    monkeypatch.setattr(paths, "SERVED_GEO_DIR", tmp_path / "served_geo")
    target = tmp_path / "imports" / "boundaries" / "kabupaten_display.parquet"
    target.parent.mkdir(parents=True)
    gpd.GeoDataFrame({"code": ["18.01"], "name": ["Lampung Selatan"]}, geometry=[shapely.box(105, -6, 106, -5)],
                     crs="EPSG:4326").to_parquet(target)
    assert len(dataset.load_boundaries("kabupaten")) == 15
    assert served.layer_path("kabupaten", True) == paths.boundary_path("kabupaten", display=True)


def test_zipped_shapefile_in_utm_is_reprojected_and_matched_by_code(regions, tmp_path):
    codes = ["18.04.15.2004", "18.04.15.2005"]
    gdf = gpd.GeoDataFrame({"KODE": [c.replace(".", "") for c in codes], "NAMA": ["Trimulyo", "Mekar Jaya"]},
                           geometry=[square(regions, c) for c in codes], crs="EPSG:4326").to_crs("EPSG:32748")
    (tmp_path / "shp").mkdir()
    data = zipped({f"batas/{k}": v for k, v in shapefile_parts(gdf, tmp_path / "shp").items()})
    src = ib.read_boundary_upload(data, "batas.zip")
    assert "32748" in src.source_crs
    assert src.features.crs.to_epsg() == 4326
    assert shapely.normalize(src.features.geometry.iloc[0]).equals_exact(shapely.normalize(square(regions, codes[0])), 1e-6)
    plan = ib.plan_boundary_import(src, "desa", regions)
    assert (plan.code_col, plan.name_col) == ("KODE", "NAMA")
    assert plan.report["code"].tolist() == codes and set(plan.report["method"]) == {"by_code"}
    assert set(plan.report["status"]) == {"matched"} and plan.columns.code_system == "kemendagri"


def test_a_code_that_contradicts_the_name_and_the_location_is_not_applied(regions):
    # A code of another village than the name says, on a polygon that lies elsewhere: a conflict.
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature",
          "properties": {"kode": "1804152001", "nama": "Ciptawaras"},
          "geometry": shapely.geometry.mapping(square(regions, "18.04.15.2003"))}]}
    plan = ib.plan_boundary_import(ib.read_boundary_upload(json.dumps(fc).encode(), "a.geojson"), "desa", regions)
    assert plan.report["status"].tolist() == ["conflict"] and plan.report["code"].tolist() == ["18.04.15.2001"]
    assert plan.counts()["matched"] == 0
    assert ib.reason_text(plan.report["reason"].iloc[0], "id").startswith("kode menunjuk wilayah lain")


def test_kabupaten_level_by_name(regions):
    built = gpd.read_parquet(paths.boundary_path("kabupaten"))
    gdf = built.assign(WADMKK=built["name"].str.replace("Kabupaten ", "Kab. "))[["WADMKK", "geometry"]]
    src = ib.read_boundary_upload(gdf.to_json().encode(), "kab.geojson")
    plan = ib.plan_boundary_import(src, "kabupaten", regions)
    assert plan.report["code"].tolist() == built["code"].tolist()
    assert plan.counts()["matched"] == 15


def refused(data: bytes, name: str, tmp_path: Path) -> str:
    imports = tmp_path / "imports"
    before = state(imports)
    with pytest.raises(Refused) as info:
        ib.read_boundary_upload(data, name)
    assert state(imports) == before and not imports.exists()
    return info.value.text("id")


def test_zip_with_path_traversal_is_refused_and_nothing_is_extracted(regions, tmp_path):
    gdf = gpd.GeoDataFrame({"NAMA": ["Trimulyo"]}, geometry=[square(regions, "18.04.15.2004")], crs="EPSG:4326")
    (tmp_path / "shp").mkdir()
    parts = shapefile_parts(gdf, tmp_path / "shp")
    data = zipped({f"../../evil{Path(k).suffix}": v for k, v in parts.items()})
    text = refused(data, "batas.zip", tmp_path)
    assert text.startswith("Zip ditolak: berisi jalur yang keluar dari folder") and "../../evil.shp" in text
    assert not list(tmp_path.parent.parent.glob("evil*"))


def test_zip_without_shapefile_is_refused(tmp_path):
    text = refused(zipped({"catatan.txt": b"batas desa"}), "batas.zip", tmp_path)
    assert text == "Zip tidak berisi shapefile (.shp). Isi: catatan.txt."


def test_shapefile_without_prj_is_refused(regions, tmp_path):
    gdf = gpd.GeoDataFrame({"NAMA": ["Trimulyo"]}, geometry=[square(regions, "18.04.15.2004")], crs="EPSG:4326")
    (tmp_path / "shp").mkdir()
    parts = {k: v for k, v in shapefile_parts(gdf, tmp_path / "shp").items() if not k.endswith(".prj")}
    text = refused(zipped(parts), "batas.zip", tmp_path)
    assert text.startswith("Shapefile batas.shp tidak memiliki berkas .prj")


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"<kml/>", "batas.kml", "Jenis berkas \u201cbatas.kml\u201d tidak diterima; yang diterima: .zip, .geojson, .json, .gpkg."),
    (b"", "batas.geojson", "Berkas \u201cbatas.geojson\u201d kosong."),
    (b"not a zip", "batas.zip", "Berkas .zip ini rusak atau bukan zip."),
    (json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"nama": "A"},
     "geometry": {"type": "Point", "coordinates": [105.2, -5.4]}}]}).encode(), "titik.geojson",
     "Batas wilayah harus berupa poligon; berkas berisi: Point."),
])
def test_wrong_type_empty_and_unusable_files_are_refused(data, name, expected, tmp_path):
    assert refused(data, name, tmp_path) == expected


def test_coordinates_outside_lampung_are_refused(tmp_path):
    # Metre coordinates (UTM) in a GeoJSON without a crs member: read as degrees they lie nowhere near Lampung.
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"nama": "Trimulyo"},
          "geometry": shapely.geometry.mapping(shapely.box(440000, 9430000, 441000, 9431000))}]}
    text = refused(json.dumps(fc).encode(), "utm.geojson", tmp_path)
    assert text.startswith("Koordinat berkas tidak berada di Lampung")


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ib, "BOUNDARY_MAX_BYTES", 2 * 2**20)
    text = refused(b"{" + b" " * (3 * 2**20 - 2) + b"}", "besar.geojson", tmp_path)
    assert text == "Berkas \u201cbesar.geojson\u201d berukuran 3,0 MB, melebihi batas 2 MB."


def test_geopackage_crs_is_read_and_a_second_layer_refused(regions, tmp_path):
    gdf = gpd.GeoDataFrame({"nama_desa": ["Trimulyo"]}, geometry=[square(regions, "18.04.15.2004")],
                           crs="EPSG:4326").to_crs("EPSG:32748")
    path = tmp_path / "batas.gpkg"
    gdf.to_file(path, layer="desa", engine="pyogrio")
    src = ib.read_boundary_upload(path.read_bytes(), "batas.gpkg")
    assert "32748" in src.source_crs and src.features.crs.to_epsg() == 4326
    assert ib.plan_boundary_import(src, "desa", regions).report["code"].tolist() == ["18.04.15.2004"]
    gdf.to_file(path, layer="lain", engine="pyogrio")
    text = refused(path.read_bytes(), "batas.gpkg", tmp_path)
    assert text == "GeoPackage berisi beberapa layer (desa, lain); simpan satu layer per berkas."


def test_geojson_crs_member_is_honoured(regions):
    utm = gpd.GeoSeries([square(regions, "18.04.15.2004")], crs="EPSG:4326").to_crs("EPSG:32748")
    fc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32748"}},
          "features": [{"type": "Feature", "properties": {"nama": "Trimulyo"},
                        "geometry": shapely.geometry.mapping(utm.iloc[0])}]}
    src = ib.read_boundary_upload(json.dumps(fc).encode(), "utm.geojson")
    assert "32748" in src.source_crs
    assert shapely.normalize(src.features.geometry.iloc[0]).equals_exact(
        shapely.normalize(square(regions, "18.04.15.2004")), 1e-6)
