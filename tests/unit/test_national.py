"""The national-scale generator at a small tiling factor: counts, codes, geometry, and the app reads it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from bench import national
from utils.data import geo_static, paths
from utils.domain.codes import BOUNDARY_LEVELS

N_KAB, N_KEC = 20, 290  # Lampung (15 kabupaten, 229 kecamatan) plus a partial second tile of 5 kabupaten


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> national.Output:
    target = national.Output(tmp_path_factory.mktemp("national"))
    national.generate(paths.DATA_DIR, paths.GEO_DIR, target, N_KAB, N_KEC, log=lambda _msg: None)
    yield target
    shutil.rmtree(geo_static.static_dir(target.geo_dir), ignore_errors=True)  # its map files under static/geo/


@pytest.fixture(scope="module")
def regions(out) -> pd.DataFrame:
    return pd.read_parquet(out.data_dir / "regions.parquet")


def test_counts_and_unique_codes(regions):
    counts = regions["level"].value_counts()
    assert counts["kabupaten"] == N_KAB
    assert counts["kecamatan"] == N_KEC
    assert counts["provinsi"] == 1
    assert regions["code"].is_unique
    # Every region's parent exists, and codes keep the fixed widths the app slices (18.KK.CC.VVVV).
    assert set(regions["parent"].dropna()) <= set(regions["code"])
    assert regions.loc[regions["level"] == "desa", "code"].str.len().eq(13).all()
    assert set(regions.loc[regions["level"] == "kabupaten", "parent"]) == {"18"}


def test_each_kecamatan_copies_its_lampung_source(regions):
    # Independent of the generator's plan: a tiled kabupaten is named "<Lampung name> 02"; its kecamatan
    # must hold exactly the villages (and desa/kelurahan split) of the same kecamatan in Lampung.
    lampung = pd.read_parquet(paths.REGIONS)
    by_name = dict(zip(lampung.loc[lampung["level"] == "kabupaten", "name"],
                       lampung.loc[lampung["level"] == "kabupaten", "code"], strict=True))
    kabs = regions[(regions["level"] == "kabupaten") & ~regions["code"].isin(lampung["code"])]
    assert len(kabs) == N_KAB - 15 and kabs["name"].str.endswith(" 02").all()
    src_of = {row.code: by_name[row.name[:-3]] for row in kabs.itertuples()}
    villages = regions[(regions["level"] == "desa") & regions["kab_code"].isin(src_of)]
    got = villages.groupby(["kec_code", "village_type"]).size()
    src_villages = lampung[lampung["level"] == "desa"]
    for (kec, vtype), n in got.items():
        src_kec = src_of[kec[:5]] + kec[5:]
        assert n == ((src_villages["kec_code"] == src_kec) & (src_villages["village_type"] == vtype)).sum(), kec


def test_geometry_valid_and_tiles_apart(out, regions):
    for level in BOUNDARY_LEVELS:
        for display in (False, True):
            layer = gpd.read_parquet(out.geo_dir / paths.boundary_path(level, display).name)
            assert shapely.is_valid(layer.geometry.values).all(), (level, display)
            assert set(layer["code"]) <= set(regions.loc[regions["level"] == level, "code"])
            assert layer["code"].is_unique
    kabs = gpd.read_parquet(out.geo_dir / "kabupaten.parquet")
    lampung = kabs[kabs["code"].str[3].str.isdigit()]
    tile = kabs[~kabs["code"].str[3].str.isdigit()]
    assert len(tile) == N_KAB - 15
    assert not shapely.box(*lampung.total_bounds).intersects(shapely.box(*tile.total_bounds))


def test_app_loaders_read_it_through_the_environment(out, regions):
    # A fresh interpreter, pointed at the set only through SV_* variables, as the app would be.
    code = (
        "import json; from utils.data.dataset import load_dataset, load_boundaries; from utils.metrics import indicators\n"
        "ds = load_dataset(); snap = indicators.village_snapshot(ds, ds.data_as_of)\n"
        "print(json.dumps({'villages': len(snap), 'kabs': int(ds.regions['level'].eq('kabupaten').sum()),\n"
        "  'desa_polygons': len(load_boundaries('desa')), 'joined': int(snap['joined'].sum()),\n"
        "  'participants_villages': int(ds['bimtek_participants']['village_code'].isin(snap.index).mean() * 100),\n"
        "  'demo': ds.is_demo}))\n"
    )
    static = geo_static.static_dir(out.geo_dir)
    written = {p.relative_to(static): p.stat().st_mtime_ns for p in static.rglob("*.geojson")}
    env = {**os.environ, **out.env()}
    done = subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, env=env, capture_output=True, text=True,
                          check=True)
    # The generator wrote the map's files, so loading the set (the app's first request) writes none.
    assert {p.relative_to(static): p.stat().st_mtime_ns for p in static.rglob("*.geojson")} == written
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["villages"] == int((regions["level"] == "desa").sum())
    assert got["kabs"] == N_KAB
    assert got["desa_polygons"] > 0.99 * got["villages"]
    assert got["joined"] > 0.9 * int((regions["village_type"] == "desa").sum())  # demo calibration: ~97 % joined
    assert got["participants_villages"] == 100  # every participant belongs to a village of the set
    assert got["demo"] is True


def test_the_map_files_hold_every_village_of_each_kabupaten(out, regions):
    """The per-kabupaten village files the map fetches: one per kabupaten, each with exactly that kabupaten's
    villages that have a polygon, named with their local word and their kecamatan and kabupaten."""
    static = geo_static.static_dir(out.geo_dir)
    assert static.parent == geo_static.STATIC_GEO_DIR and static != geo_static.STATIC_GEO_DIR  # not Lampung's
    polygons = gpd.read_parquet(out.geo_dir / "desa_display.parquet")
    display = dict(zip(regions["code"], regions["display_name"], strict=True))
    for kab, codes in polygons.groupby(polygons["code"].str[:5])["code"]:
        features = json.loads((static / "desa" / f"{kab}.geojson").read_text())["features"]
        assert [f["properties"]["c"] for f in features] == sorted(codes), kab
        first = features[0]["properties"]
        assert first["n"] == display[first["c"]]
        assert first["p"] == f"{display[first['c'][:8]]}, {display[kab]}"
    assert len(list((static / "desa").glob("*.geojson"))) == polygons["code"].str[:5].nunique() == N_KAB
    for level in ("kabupaten", "kecamatan"):
        features = json.loads((static / f"{level}.geojson").read_text())["features"]
        layer = gpd.read_parquet(out.geo_dir / f"{level}_display.parquet")
        assert sorted(f["properties"]["c"] for f in features) == sorted(layer["code"])


def test_refuses_an_output_inside_the_repo(tmp_path):
    assert national.main(["--out", str(paths.ROOT / "data" / "national-test"), "--kabupaten", "16"]) == 2
    assert not (paths.ROOT / "data" / "national-test").exists()
