# ruff: noqa: F811 - pytest fixtures from conftest
"""Column limits are checked in validation, naming the cell, on SQLite and PostgreSQL alike; a write that fails
anywhere (a value the database refuses, a locked store, an error half-way through the apply) leaves nothing
recorded: no "pending" upload, no rows, the store as it was."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa

from tests.helpers import ADMIN, OP_TGM, assert_same, content, raw_count
from utils.data import store
from utils.intake import apply, validation

EVENT_HEAD = "id_kegiatan;judul;tanggal_mulai;tanggal_selesai;penyelenggara;tempat\n"
LONG_TITLE = "Bimtek " + "x" * 393  # 400 characters; the column holds 300
LONG_NAME = "Nama " + "y" * 245  # 250 characters; the column holds 200


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request):
    """A copy of the demo store on each backend (the app's store through SV_DATABASE_URL)."""
    engine = request.getfixturevalue("tmp_store" if request.param == "sqlite" else "pg_tmp_store")
    assert engine.dialect.name == request.param
    return engine


def _validate(engine, regions, kind: str, name: str, text: str):
    tables = {"bimtek_events": store.read_table(engine, "bimtek_events")}
    return validation.validate(kind, name, text.encode(), regions, "18.06", tables)


def _assert_nothing_recorded(engine, before) -> None:
    assert_same(before, content(engine))
    assert raw_count(engine, "uploads") == 0
    assert raw_count(engine, "upload_rows") == 0


def test_over_long_event_title_is_refused_naming_the_cell(engine, regions):
    before = content(engine)
    text = EVENT_HEAD + f"BT-20241010-1806;{LONG_TITLE};10/10/2024;12/10/2024;Dinas PMD Tanggamus;Hotel A\n"
    report = _validate(engine, regions, "bimtek_events", "kegiatan.csv", text)
    issues = [(i.key, i.row, i.column, dict(i.kw)) for i in report.errors]
    assert issues == [("ing_err_too_long", 2, "judul", {"n": "400", "limit": "300"})]
    assert validation.message(report.errors[0], "id") == "Teks terlalu panjang: 400 karakter, paling banyak 300."
    with pytest.raises(apply.ApplyError):
        apply.submit(engine, report, ADMIN)
    _assert_nothing_recorded(engine, before)


def test_over_long_venue_in_a_list_is_refused(engine, regions):
    text = EVENT_HEAD.replace(";", ",") + f'BT-20241010-1806,Bimtek,10/10/2024,12/10/2024,Dinas,"Hotel A; {"v" * 301}"\n'
    report = _validate(engine, regions, "bimtek_events", "kegiatan.csv", text)
    assert [(i.key, i.column) for i in report.errors] == [("ing_err_too_long", "tempat")]


def test_over_long_officer_name_is_refused(engine, regions):
    before = content(engine)
    text = f"kode_desa;nama_petugas\n18.06.20.2006;{LONG_NAME}\n18.06.20.2002;Siti Aminah\n"
    report = _validate(engine, regions, "officers", "petugas.csv", text)
    assert [(i.key, i.row, i.column) for i in report.errors] == [("ing_err_too_long", 2, "nama_petugas")]
    _assert_nothing_recorded(engine, before)


def test_over_long_file_name_is_refused(engine, regions):
    before = content(engine)
    name = "a" * 250 + ".csv"  # 254 characters: stored as each row's source, which holds 200
    report = _validate(engine, regions, "adoption", name, "kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n")
    assert [i.key for i in report.errors] == ["ing_err_file_name"]
    assert validation.message(report.errors[0], "en").startswith("The file name is too long (254 characters")
    _assert_nothing_recorded(engine, before)


def test_nul_character_is_refused(engine, regions):
    """A NUL in UTF-8 text makes the file binary; in UTF-16 text it is a character of a cell: refused there."""
    text = "kode_desa;nama_petugas\n18.06.20.2006;Budi\x00Santoso\n"
    assert [i.key for i in _validate(engine, regions, "officers", "petugas.csv", text).errors] == ["ing_err_not_csv_binary"]
    tables = {"bimtek_events": store.read_table(engine, "bimtek_events")}
    report = validation.validate("officers", "petugas.csv", text.encode("utf-16"), regions, "18.06", tables)
    assert [(i.key, i.row, i.column) for i in report.errors] == [("ing_err_nul", 2, "nama_petugas")]


def _clean_officers(engine, regions):
    report = _validate(engine, regions, "officers", "petugas.csv", "kode_desa;nama_petugas\n18.06.20.2006;Budi\n")
    assert report.ok, report.issues
    return report


def test_a_value_the_database_refuses_leaves_no_pending_upload(engine, regions):
    """Validation bypassed (the report doctored afterwards): PostgreSQL refuses the value in the middle of the
    admin's save, SQLite is stopped by an error half-way through the apply. Either way the one transaction is
    rolled back: no record of an upload whose save failed."""
    report = _clean_officers(engine, regions)
    report.frames["officers"].loc[0, "name"] = LONG_NAME
    before = content(engine)
    if engine.dialect.name == "postgresql":
        with pytest.raises(sa.exc.DataError, match="StringDataRightTruncation|too long"):
            apply.submit(engine, report, ADMIN)
    else:
        with pytest.raises(RuntimeError, match="half-way"):
            original = store.bump_generation
            calls = []

            def fail_on_apply(conn):
                calls.append(1)
                if len(calls) == 2:  # the first bump records the upload, the second is the apply's
                    raise RuntimeError("half-way")
                return original(conn)

            store.bump_generation = fail_on_apply
            try:
                apply.submit(engine, report, ADMIN)
            finally:
                store.bump_generation = original
    _assert_nothing_recorded(engine, before)


def test_an_operator_upload_that_fails_to_save_leaves_nothing(engine, regions, monkeypatch):
    report = _clean_officers(engine, regions)
    before = content(engine)

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(apply, "_save_images", broken)
    with pytest.raises(sa.exc.OperationalError):
        apply.submit(engine, report, OP_TGM)
    _assert_nothing_recorded(engine, before)


def test_a_locked_sqlite_store_refuses_the_save_and_records_nothing(tmp_store, regions):
    report = _clean_officers(tmp_store, regions)
    before = content(tmp_store)
    path = tmp_store.url.database
    lock = sqlite3.connect(path, timeout=0)
    lock.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        locked = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.5})
        with pytest.raises(sa.exc.OperationalError, match="locked"):
            apply.submit(locked, report, ADMIN)
        locked.dispose()
    finally:
        lock.rollback()
        lock.close()
    _assert_nothing_recorded(tmp_store, before)
