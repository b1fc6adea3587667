"""Dataset interfaces the import pages rely on: imported IDM years, imported boundaries, cache key."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

from utils.data import dataset, paths


def test_imported_idm_year_is_added_not_overwriting(tmp_path, monkeypatch, tmp_store):
    monkeypatch.setattr(paths, "IMPORTS_DIR", tmp_path / "imports")
    before = dataset.canonical_version()
    build = pd.read_parquet(paths.IDM)
    newer = build.head(10).assign(year=2025, nilai=0.9)
    (tmp_path / "imports").mkdir()
    newer.to_parquet(tmp_path / "imports" / "idm_2025.parquet")
    assert dataset.canonical_version() != before
    ds = dataset.load_dataset()
    assert sorted(ds.idm_years) == [2024, 2025]
    assert len(ds.idm_years[2024]) == len(build)  # the build's year is kept
    # Ten desa are not the province: the shown IDM stays the complete 2024 until a complete year arrives.
    assert len(ds.idm) == len(build) and (ds.idm["year"] == 2024).all()
    build.assign(year=2025, nilai=0.9).to_parquet(tmp_path / "imports" / "idm_2025.parquet")
    ds = dataset.load_dataset()
    assert len(ds.idm) == len(build) and (ds.idm["nilai"] == 0.9).all()  # now the latest year is shown


def test_imported_boundaries_replace_the_build_layer(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "IMPORTS_DIR", tmp_path / "imports")
    build = dataset.load_boundaries("kabupaten")
    target = tmp_path / "imports" / "boundaries" / "kabupaten_display.parquet"
    target.parent.mkdir(parents=True)
    gpd.GeoDataFrame({"code": ["18.01"], "name": ["Lampung Selatan"]}, geometry=[box(105, -6, 106, -5)],
                     crs="EPSG:4326").to_parquet(target)
    assert len(build) == 15
    assert dataset.load_boundaries("kabupaten")["code"].tolist() == ["18.01"]
    assert len(dataset.load_boundaries("kabupaten", display=False)) == 15  # only the display layer was imported


def test_cache_key_follows_the_store_the_app_uses(tmp_store, monkeypatch):
    from utils.data import store

    key = dataset.canonical_version()
    store.set_meta(tmp_store, {"note": "x"})
    assert dataset.canonical_version() != key
