"""Writing uploads: approval by a provincial administrator, all-or-nothing, idempotent re-uploads, exact
rollback, the demo rows giving way per table, and the switch back to the demo set."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.helpers import ADMIN, OP_TGM, assert_same, content, raw_count
from utils.data import demo, paths, store
from utils.data.dataset import load_dataset
from utils.intake import apply, validation

#: Every test that uses a store runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

GISTING_ATAS, CAMPANG = "18.06.20.2006", "18.06.20.2002"
ADOPTION = b"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n18.06.20.2002;Sosialisasi;01/11/2024\n"


def report_for(engine, regions, data: bytes, kind: str = "adoption", name: str = "adopsi.csv", scope="18.06"):
    rep = validation.validate(kind, name, data, regions, scope, {"bimtek_events": store.read_table(engine, "bimtek_events")})
    assert rep.ok, rep.issues
    return rep


def data_only(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {k: v for k, v in frames.items() if k != "meta"}


def upload_row(engine, upload_id: int) -> dict:
    return store.read_uploads(engine).set_index("upload_id").loc[upload_id].to_dict()


def test_operator_upload_waits_for_approval_and_both_steps_are_recorded(tmp_store, regions):
    before = content(tmp_store)
    demo_before = store.read_table(tmp_store, "adoption")
    uid = apply.submit(tmp_store, report_for(tmp_store, regions, ADOPTION), OP_TGM)
    assert_same(before, content(tmp_store))  # pending: nothing reaches the data yet
    up = upload_row(tmp_store, uid)
    assert (up["status"], up["uploader"], up["kab_code"], up["approved_by"]) == ("pending", "op_tgm", "18.06", None)
    assert len(up["sha256"]) == 64 and up["file_name"] == "adopsi.csv"

    with pytest.raises(apply.ApplyError) as exc:
        apply.approve(tmp_store, uid, OP_TGM)
    assert exc.value.key == "ing_apply_admin_only"

    change = apply.approve(tmp_store, uid, ADMIN)
    assert (change.rows_added, change.rows_changed) == (2, 0)
    up = upload_row(tmp_store, uid)
    assert (up["status"], up["approved_by"], up["rows_added"]) == ("applied", "admin", 2)
    ad = store.read_table(tmp_store, "adoption")
    tgm = ad["village_code"].str.startswith("18.06.")
    assert sorted(zip(ad.loc[tgm, "village_code"], ad.loc[tgm, "stage"], ad.loc[tgm, "reached_on"].dt.date,
                      ad.loc[tgm, "source"], strict=True)) == [
        (CAMPANG, "sosialisasi", dt.date(2024, 11, 1), "adopsi.csv"),
        (GISTING_ATAS, "bergabung", dt.date(2024, 12, 17), "adopsi.csv"),
    ]
    # Only Tanggamus's demo rows gave way in the store; the other kabupaten keep theirs (not shown: below).
    others = demo_before[~demo_before["village_code"].str.startswith("18.06.")].reset_index(drop=True)
    pd.testing.assert_frame_equal(ad[~tgm].reset_index(drop=True), others)


def test_rejected_upload_stores_nothing(tmp_store, regions):
    before = data_only(content(tmp_store))
    uid = apply.submit(tmp_store, report_for(tmp_store, regions, ADOPTION), OP_TGM)
    apply.reject(tmp_store, uid, ADMIN, "tanggal salah")
    assert_same(before, data_only(content(tmp_store)))
    up = upload_row(tmp_store, uid)
    assert (up["status"], up["approved_by"], up["message"]) == ("rejected", "admin", "tanggal salah")
    with pytest.raises(apply.ApplyError):
        apply.approve(tmp_store, uid, ADMIN)


def test_first_real_upload_ends_the_demo_marker_for_that_table_only(tmp_store, regions):
    assert load_dataset().demo_tables == {"adoption", "services", "officers", "bimtek", "meetings", "targets"}
    services_before = store.read_table(tmp_store, "services")
    apply.submit(tmp_store, report_for(tmp_store, regions, ADOPTION), ADMIN)
    ds = load_dataset()
    assert "adoption" not in ds.demo_tables and "services" in ds.demo_tables
    assert ds.is_demo  # other tables still show demo rows
    assert len(ds["adoption"]) == 2  # the demo adoption rows gave way to the real ones
    pd.testing.assert_frame_equal(ds["services"], services_before)
    assert store.read_meta(tmp_store)["is_demo"] == "0"  # `python -m utils demo` will not overwrite it


def test_reuploading_the_same_file_changes_nothing(tmp_store, regions):
    rep = report_for(tmp_store, regions, ADOPTION)
    apply.submit(tmp_store, rep, ADMIN)
    after_first = data_only(content(tmp_store))
    again = report_for(tmp_store, regions, ADOPTION)
    change = apply.preview(tmp_store, "adoption", again.frames)
    assert (change.rows_added, change.rows_changed, change.rows_unchanged) == (0, 0, 2)
    uid = apply.submit(tmp_store, again, ADMIN)
    assert_same(after_first, data_only(content(tmp_store)))
    assert (upload_row(tmp_store, uid)["rows_added"], upload_row(tmp_store, uid)["rows_changed"]) == (0, 0)


def test_pending_duplicate_is_found(tmp_store, regions):
    rep = report_for(tmp_store, regions, ADOPTION)
    uid = apply.submit(tmp_store, rep, OP_TGM)
    assert apply.pending_duplicate(tmp_store, "adoption", rep.sha256, "18.06") == uid
    assert apply.pending_duplicate(tmp_store, "adoption", rep.sha256, "18.01") is None


def test_rollback_restores_exactly_the_previous_state_newest_first(tmp_store, regions):
    s0 = content(tmp_store)
    a = apply.submit(tmp_store, report_for(tmp_store, regions, ADOPTION), ADMIN)
    s1 = content(tmp_store)
    changed = b"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;20/12/2024\n18.06.20.2005;Bergabung;02/01/2025\n"
    b = apply.submit(tmp_store, report_for(tmp_store, regions, changed, name="koreksi.csv"), ADMIN)
    assert (upload_row(tmp_store, b)["rows_added"], upload_row(tmp_store, b)["rows_changed"]) == (1, 1)
    assert raw_count(tmp_store, "adoption", "WHERE source <> 'demo'") == 3
    assert raw_count(tmp_store, "adoption", "WHERE source = 'demo' AND village_code LIKE '18.06.%'") == 0

    with pytest.raises(apply.ApplyError) as exc:
        apply.rollback(tmp_store, a, ADMIN)
    assert exc.value.key == "ing_rb_later" and exc.value.kw["later"] == b
    with pytest.raises(apply.ApplyError):
        apply.rollback(tmp_store, b, OP_TGM)

    apply.rollback(tmp_store, b, ADMIN)
    assert_same(s1, content(tmp_store))
    apply.rollback(tmp_store, a, ADMIN)
    assert_same(s0, content(tmp_store))  # demo rows and meta back, to the byte
    up = upload_row(tmp_store, a)
    assert (up["status"], up["rolled_back_by"]) == ("rolled_back", "admin")
    with pytest.raises(apply.ApplyError) as exc:
        apply.rollback(tmp_store, a, ADMIN)
    assert exc.value.key == "ing_rb_not_applied"


def test_a_failure_during_the_write_leaves_everything_as_it_was(tmp_store, regions, monkeypatch):
    uid = apply.submit(tmp_store, report_for(tmp_store, regions, ADOPTION), OP_TGM)
    before = content(tmp_store)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply, "_save_images", boom)  # fails after the rows were written
    with pytest.raises(RuntimeError):
        apply.approve(tmp_store, uid, ADMIN)
    assert_same(before, content(tmp_store))
    assert upload_row(tmp_store, uid)["status"] == "pending"


def test_officers_rollback_brings_back_demo_officers_and_meeting_attendance(tmp_store, regions):
    s0 = content(tmp_store)
    data = b"kode_desa;nama_petugas;tanggal_pengangkatan\n18.06.20.2006;Rina Marlina;02/01/2024\n"
    uid = apply.submit(tmp_store, report_for(tmp_store, regions, data, kind="officers"), ADMIN)
    off = store.read_table(tmp_store, "officers")
    assert off[["officer_id", "village_code", "name", "role"]].values.tolist() == [
        ["OSV-1806202006", GISTING_ATAS, "Rina Marlina", "Official Smart Village"]]
    assert raw_count(tmp_store, "meeting_attendance") == 0
    apply.rollback(tmp_store, uid, ADMIN)
    assert_same(s0, content(tmp_store))


def test_bimtek_events_then_participation_counts_without_names(tmp_store, regions):
    s0 = content(tmp_store)
    with pytest.raises(AssertionError):  # participation before the real event exists is refused
        report_for(tmp_store, regions, b"id_kegiatan;kode_desa;peran;jumlah\nBT-20241010-1806;18.06.20.2006;Operator;2\n",
                   kind="bimtek_participants")
    events = (b"id_kegiatan;judul;tanggal_mulai;tanggal_selesai;penyelenggara;tempat;peserta_dilaporkan\n"
              b"BT-20241010-1806;Bimtek Smart Village;10/10/2024;12/10/2024;Dinas PMDT Provinsi Lampung;"
              b"\"Hotel BATIQA; Hotel AMALIA\";19\n")
    e = apply.submit(tmp_store, report_for(tmp_store, regions, events, kind="bimtek_events", name="k.csv"), ADMIN)
    assert sorted(store.read_table(tmp_store, "bimtek_venues")["venue"]) == ["Hotel AMALIA", "Hotel BATIQA"]
    assert raw_count(tmp_store, "bimtek_participants") == 0  # demo participants went with the demo events
    part = (b"id_kegiatan;kode_desa;peran;jumlah;nama\nBT-20241010-1806;18.06.20.2006;Operator;2;Yoga\n"
            b"BT-20241010-1806;18.06.20.2006;Juru Tulis;1;Yoga Setiawan\n"
            b"BT-20241010-1806;18.06.20.2002;Kepala Desa/Peratin;;\n")
    rep = report_for(tmp_store, regions, part, kind="bimtek_participants", name="p.csv")
    assert "nama" in rep.extra_columns  # names are never stored
    p = apply.submit(tmp_store, rep, ADMIN)
    stored = store.read_table(tmp_store, "bimtek_participants")
    assert sorted(zip(stored["village_code"], stored["role"], strict=True)) == [
        (CAMPANG, "kepala_desa"), (GISTING_ATAS, "operator"), (GISTING_ATAS, "operator"), (GISTING_ATAS, "sekretaris")]
    assert raw_count(tmp_store, "bimtek_participants", "WHERE name IS NOT NULL") == 0
    # Same file again: nothing changes; one village's count corrected: only that village's rows change.
    assert apply.preview(tmp_store, "bimtek_participants", rep.frames).rows_unchanged == 4
    fix = part.replace(b"Operator;2", b"Operator;1")
    change = apply.preview(tmp_store, "bimtek_participants",
                                  report_for(tmp_store, regions, fix, kind="bimtek_participants").frames)
    assert (change.rows_added, change.rows_changed, change.rows_unchanged) == (0, 2, 1)
    apply.rollback(tmp_store, p, ADMIN)
    apply.rollback(tmp_store, e, ADMIN)
    assert_same(s0, content(tmp_store))


def test_demo_switch_shows_the_demo_set_and_is_recorded(tmp_store, regions):
    apply.submit(tmp_store, report_for(tmp_store, regions, ADOPTION), ADMIN)
    assert len(load_dataset()["adoption"]) == 2
    with pytest.raises(apply.ApplyError):
        apply.set_demo_view(tmp_store, True, OP_TGM)
    apply.set_demo_view(tmp_store, True, ADMIN)
    ds = load_dataset()
    assert ds.viewing_demo and ds.is_demo
    seeded = demo.generate(pd.read_parquet(paths.REGIONS), pd.read_parquet(paths.IDM), int(ds.meta["demo_seed"]))
    assert len(ds["adoption"]) == len(seeded["adoption"])  # the seeded demo set, not the two uploaded rows
    assert raw_count(tmp_store, "adoption", "WHERE source <> 'demo'") == 2  # the uploaded data stays stored
    apply.set_demo_view(tmp_store, False, ADMIN)
    assert len(load_dataset()["adoption"]) == 2
    hist = store.read_uploads(tmp_store)
    assert hist.loc[hist["kind"] == "demo_view", ["uploader", "message"]].values.tolist() == [["admin", "off"], ["admin", "on"]]


def test_every_write_bumps_the_generation(tmp_store, regions):
    g0 = store.read_generation(tmp_store)
    uid = apply.submit(tmp_store, report_for(tmp_store, regions, ADOPTION), OP_TGM)
    g1 = store.read_generation(tmp_store)
    apply.approve(tmp_store, uid, ADMIN)
    g2 = store.read_generation(tmp_store)
    store.record_upload(tmp_store, kind="idm", file_name="idm2025.xlsx", sha256="0" * 64, uploader="admin",
                        status="applied", rows_added=2446)
    g3 = store.read_generation(tmp_store)
    assert g0 < g1 < g2 < g3
    idm = store.read_uploads(tmp_store).iloc[0]
    assert (idm["kind"], idm["approved_by"], idm["rows_added"]) == ("idm", "admin", 2446)
