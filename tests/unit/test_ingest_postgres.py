"""Uploads on PostgreSQL: approval, idempotence, exact rollback, all-or-nothing and the cache key.

Uses the session's throwaway cluster (tests/postgres.py: initdb + pg_ctl in a temp dir, unix socket only).
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.helpers import ADMIN, OP_TGM, assert_same, content, raw_count
from utils.data import dataset, demo, store
from utils.intake import apply, validation

ADOPTION = b"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n18.06.20.2002;Sosialisasi;01/11/2024\n"


@pytest.fixture
def pg_demo(pg, demo_frames):
    store.replace_all(pg, demo_frames, demo.demo_meta(demo.DEFAULT_SEED))
    return pg


def report_for(engine, regions, data: bytes, kind: str = "adoption", name: str = "adopsi.csv"):
    rep = validation.validate(kind, name, data, regions, "18.06", {"bimtek_events": store.read_table(engine, "bimtek_events")})
    assert rep.ok, rep.issues
    return rep


def test_upload_approve_reupload_and_rollback_on_postgres(pg_demo, regions):
    s0 = content(pg_demo)
    uid = apply.submit(pg_demo, report_for(pg_demo, regions, ADOPTION), OP_TGM)
    assert_same(s0, content(pg_demo))  # pending
    apply.approve(pg_demo, uid, ADMIN)
    assert raw_count(pg_demo, "adoption", "WHERE source <> 'demo'") == 2
    assert raw_count(pg_demo, "adoption", "WHERE source = 'demo' AND village_code LIKE '18.06.%'") == 0
    s1 = content(pg_demo)
    again = apply.submit(pg_demo, report_for(pg_demo, regions, ADOPTION), ADMIN)
    assert_same(s1, content(pg_demo))
    up = store.read_uploads(pg_demo).set_index("upload_id")
    assert (up.at[again, "rows_added"], up.at[again, "rows_changed"]) == (0, 0)
    assert (up.at[uid, "uploader"], up.at[uid, "approved_by"]) == ("op_tgm", "admin")
    with pytest.raises(apply.ApplyError):
        apply.rollback(pg_demo, uid, ADMIN)  # the later (empty) upload of the same table first
    apply.rollback(pg_demo, again, ADMIN)
    apply.rollback(pg_demo, uid, ADMIN)
    assert_same(s0, content(pg_demo))


def test_participation_rollback_on_postgres(pg_demo, regions):
    s0 = content(pg_demo)
    events = (b"id_kegiatan;judul;tanggal_mulai;tanggal_selesai;penyelenggara\n"
              b"BT-1;Bimtek;10/10/2024;12/10/2024;Dinas PMD Tanggamus\n")
    e = apply.submit(pg_demo, report_for(pg_demo, regions, events, "bimtek_events"), ADMIN)
    p = apply.submit(pg_demo, report_for(pg_demo, regions, b"id_kegiatan;kode_desa;peran;jumlah\n"
                                                 b"BT-1;18.06.20.2006;Operator;2\n", "bimtek_participants"), ADMIN)
    assert raw_count(pg_demo, "bimtek_participants") == 2
    apply.rollback(pg_demo, p, ADMIN)
    apply.rollback(pg_demo, e, ADMIN)
    assert_same(s0, content(pg_demo))


def test_failed_approval_leaves_postgres_unchanged(pg_demo, regions, monkeypatch):
    uid = apply.submit(pg_demo, report_for(pg_demo, regions, ADOPTION), OP_TGM)
    before = content(pg_demo)
    monkeypatch.setattr(apply, "_save_images", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x")))
    with pytest.raises(RuntimeError):
        apply.approve(pg_demo, uid, ADMIN)
    assert_same(before, content(pg_demo))


def test_cache_key_sees_postgres_writes(pg_demo, pg_url, monkeypatch):
    monkeypatch.setenv("SV_DATABASE_URL", pg_url)
    key = dataset.canonical_version()
    assert dataset.canonical_version() == key  # stable while nothing is written
    store.record_upload(pg_demo, kind="boundary", file_name="desa.geojson", sha256="1" * 64, uploader="admin",
                        status="applied")
    assert dataset.canonical_version() != key
    ds = dataset.load_dataset(pg_url)
    assert isinstance(ds.tables["adoption"], pd.DataFrame) and ds.demo_tables >= {"adoption"}
