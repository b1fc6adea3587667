"""Dataset interfaces the import pages rely on: imported IDM years, cache key. (Imported boundaries:
tests/unit/test_boundary_store.py.)"""

from __future__ import annotations

import pandas as pd

from utils.data import dataset, paths


def _store_idm_year(engine, upload_id: int, frame: pd.DataFrame, year: int) -> None:
    """An imported IDM year written with plain SQL (as ``village_index.apply_import`` leaves it)."""
    import sqlalchemy as sa

    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO uploads (upload_id, kind, file_name, sha256, uploader, uploaded_at, status, "
                             "rows_added, rows_changed) VALUES (:u, 'idm', 'x.xlsx', 'x', 'admin', '2026-11-01', "
                             "'applied', 0, 0)"), {"u": upload_id})
        conn.execute(sa.text("INSERT INTO index_imports (upload_id, index_name, year, desa, content_sha256) "
                             "VALUES (:u, 'idm', :y, :n, 'x')"), {"u": upload_id, "y": year, "n": len(frame)})
        conn.execute(sa.text("INSERT INTO idm_import_desa (upload_id, village_code, nilai, status) "
                             "VALUES (:u, :c, :v, :s)"),
                     [{"u": upload_id, "c": c, "v": v, "s": st} for c, v, st in
                      zip(frame["code"], frame["nilai"], frame["status"], strict=True)])
        conn.execute(sa.text("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'"))


def test_imported_idm_year_is_added_not_overwriting(tmp_store):
    before = dataset.canonical_version()
    build = pd.read_parquet(paths.IDM)
    _store_idm_year(tmp_store, 9001, build.head(10).assign(nilai=0.9), 2025)
    assert dataset.canonical_version() != before
    ds = dataset.load_dataset()
    assert sorted(ds.idm_years) == [2024, 2025]
    assert len(ds.idm_years[2024]) == len(build)  # the build's year is kept
    assert ds.idm_years[2025]["code"].tolist() == build["code"].head(10).tolist()
    # Ten desa are not the province: the shown IDM stays the complete 2024 until a complete year arrives.
    assert len(ds.idm) == len(build) and (ds.idm["year"] == 2024).all()
    _store_idm_year(tmp_store, 9002, build.assign(nilai=0.9), 2025)
    ds = dataset.load_dataset()
    assert len(ds.idm) == len(build) and (ds.idm["nilai"] == 0.9).all()  # now the latest year is shown
    assert (ds.idm["year"] == 2025).all() and ds.idm_base is ds.idm_years[2024]


def test_cache_key_follows_the_store_the_app_uses(tmp_store, monkeypatch):
    from utils.data import store

    key = dataset.canonical_version()
    store.set_meta(tmp_store, {"note": "x"})
    assert dataset.canonical_version() != key
