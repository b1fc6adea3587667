"""Targets the Dinas owns: checked (Indonesian messages), written with history and undo, a year already set
asks for confirmation and keeps the old values; the workbook in several spellings. Expected values are
read back with plain SQL."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from tests.helpers import ADMIN, OP_TGM, assert_same, content
from utils.data import store
from utils.i18n import t
from utils.intake import apply, templates
from utils.intake import targets as tg


def entries(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["tahun", "wilayah", "indikator", "target"])


def sql_targets(engine, where: str = "") -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.read_sql(sa.text(f"SELECT year, region_code, indicator, value, source FROM targets {where} "
                                   "ORDER BY year, region_code, indicator"), conn)


def messages(pairs, lang="id") -> list[str]:
    return [t(k, lang, **kw) for k, kw in pairs]


def test_bad_inputs_are_refused_with_indonesian_messages(tmp_store, regions):
    stored = store.read_table(tmp_store, "targets")
    got = tg.check(entries((2026, "18.06", "pct_bergabung", 120), (2026, "Kab. Atlantis", "pct_bergabung", 50),
                           (2026, "18", "pct_entah", 50), (1999, "18", "pct_bergabung", 50),
                           (2026, "18", "pct_bergabung", "banyak"), (2026, "18.10", "pct_bergabung", -5)),
                   regions, stored, "")
    assert not got.ok
    assert messages(got.errors) == [
        "Sebutkan dokumen sumber target (mis. nomor SK).",
        "Baris 1: target 120 di luar 0\u2013100 (persen).",
        "Baris 2: wilayah \u201cKab. Atlantis\u201d tidak dikenal (pakai kode/nama kabupaten di Lampung, atau 18 "
        "untuk provinsi).",
        "Baris 3: indikator \u201cpct_entah\u201d tidak dikenal.",
        "Baris 4: tahun \u201c1999\u201d tidak valid (harus 2020\u20132045).",
        "Baris 5: target \u201cbanyak\u201d bukan angka.",
        "Baris 6: target -5 di luar 0\u2013100 (persen).",
    ]
    with pytest.raises(apply.ApplyError):  # never written
        tg.save(tmp_store, got, ADMIN)


def test_falling_target_for_a_rising_indicator_is_warned_not_refused(tmp_store, regions):
    stored = sql_targets(tmp_store, "WHERE year = 2026 AND region_code = '18' AND indicator = 'pct_bergabung'")
    prev = int(stored["value"].iloc[0])  # the demo's 2026 province target, read with SQL
    got = tg.check(entries((2027, "18", "% desa bergabung", prev - 10)), regions,
                   store.read_table(tmp_store, "targets"), "SK Gubernur 12/2027")
    assert got.ok and got.years_set == []  # 2027 holds nothing yet
    assert messages(got.warnings) == [f"Target pct_bergabung 18 tahun 2027 ({prev - 10}%) lebih rendah dari tahun "
                                      f"sebelumnya ({prev}%), padahal indikator ini seharusnya naik. Periksa kembali."]


def test_only_an_admin_saves_and_a_year_already_set_needs_confirmation_keeping_old_values(tmp_store, regions):
    before = content(tmp_store)
    first = tg.check(entries((2026, "18.06", "pct_bergabung", 60), (2026, "18", "pct_bergabung", 70)), regions,
                     store.read_table(tmp_store, "targets"), "SK Gubernur No. 5/2026")
    assert first.ok and first.years_set == []  # demo targets give way without asking
    with pytest.raises(apply.ApplyError) as exc:
        tg.save(tmp_store, first, OP_TGM)
    assert exc.value.key == "ing_apply_admin_only"
    a = tg.save(tmp_store, first, ADMIN)
    rows = sql_targets(tmp_store, "WHERE year = 2026 AND indicator = 'pct_bergabung' AND region_code IN ('18', '18.06')")
    assert rows[["region_code", "value", "source"]].values.tolist() == [
        ["18", 70, "SK Gubernur No. 5/2026"], ["18.06", 60, "SK Gubernur No. 5/2026"]]

    second = tg.check(entries((2026, "Tanggamus", "pct_bergabung", 65)), regions,
                      store.read_table(tmp_store, "targets"), "SK Perubahan 9/2026")
    assert second.ok and second.years_set == [2026]
    with pytest.raises(apply.ApplyError) as exc:
        tg.save(tmp_store, second, ADMIN)
    assert t(exc.value.key, "id", **exc.value.kw) == ("Tahun 2026 sudah memiliki target dari Dinas: centang "
                                                        "konfirmasi untuk menggantinya.")
    b = tg.save(tmp_store, second, ADMIN, confirmed=True)
    assert sql_targets(tmp_store, "WHERE year = 2026 AND region_code = '18.06' AND indicator = 'pct_bergabung'")[
        ["value", "source"]].values.tolist() == [[65, "SK Perubahan 9/2026"]]
    with tmp_store.connect() as conn:  # the replaced value is in the history
        old = [json.loads(r) for (r,) in conn.execute(sa.text(
            "SELECT row_json FROM upload_rows WHERE upload_id = :u AND image = 'old'"), {"u": b})]
    assert [(o["region_code"], o["value"], o["source"]) for o in old if "indicator" in o] == [
        ("18.06", 60, "SK Gubernur No. 5/2026")]
    apply.rollback(tmp_store, b, ADMIN)
    assert sql_targets(tmp_store, "WHERE year = 2026 AND region_code = '18.06' AND indicator = 'pct_bergabung'")[
        "value"].tolist() == [60]
    apply.rollback(tmp_store, a, ADMIN)
    assert_same(before, content(tmp_store))  # the demo targets back, to the byte


@pytest.mark.parametrize("header,region,indicator,value", [
    (("tahun", "wilayah", "indikator", "target"), "18.06", "pct_layanan_aktif", 40),
    (("Tahun", "Kode Wilayah", "Indikator", "Target (%)"), "Kab. Tanggamus", "% desa dengan layanan aktif", "40"),
    (("TAHUN TARGET", "Kabupaten/Kota", "Kode Indikator", "Persen"), "1806", "PCT_LAYANAN_AKTIF", 40.0),
])
def test_workbook_variants_store_the_same_meaning(tmp_store, regions, header, region, indicator, value):
    data = templates.targets_template(regions, 2026, store.read_table(tmp_store, "targets"))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    ws.delete_rows(2, ws.max_row)
    for i, h in enumerate(header, start=1):
        ws.cell(1, i).value = h
    ws.append([2026, region, indicator, value])
    ws.append([None, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    got = tg.check(tg.read_workbook("target.xlsx", buf.getvalue()), regions, store.read_table(tmp_store, "targets"),
                   "Renstra 2025-2029")
    assert got.ok, messages(got.errors)
    tg.save(tmp_store, got, ADMIN)
    assert sql_targets(tmp_store, "WHERE source = 'Renstra 2025-2029'")[
        ["year", "region_code", "indicator", "value"]].values.tolist() == [[2026, "18.06", "pct_layanan_aktif", 40]]


def test_template_lists_every_region_and_indicator_with_the_values_in_force(tmp_store, regions):
    ws = openpyxl.load_workbook(io.BytesIO(templates.targets_template(regions, 2026, store.read_table(tmp_store, "targets")))).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    stored = sql_targets(tmp_store, "WHERE year = 2026")
    assert len(rows) == (1 + (regions["level"] == "kabupaten").sum()) * 5
    assert {(r[1], r[2]): r[3] for r in rows if r[3] is not None} == {
        (r.region_code, r.indicator): r.value for r in stored.itertuples()}


def test_workbook_without_the_columns_says_which(regions):
    buf = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["tahun", "wilayah", "nilai"])
    wb.active.append([2026, "18", 50])
    wb.save(buf)
    with pytest.raises(Exception) as exc:
        tg.read_workbook("x.xlsx", buf.getvalue())
    assert t(exc.value.key, "id", **exc.value.kw).startswith("Kolom tidak ditemukan: indikator.")
