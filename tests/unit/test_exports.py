"""Excel export: sheets, row counts against the store, Indonesian headers, no formulas, no personal data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from utils.domain.filters import FilterState
from utils.views.exports import excel

GENERATED = dt.datetime(2026, 11, 22, 9, 30)


def _book(ds, state: FilterState, as_of: dt.date):
    return load_workbook(io.BytesIO(excel.workbook_bytes(ds, state, as_of, GENERATED)))


def _rows(ws) -> int:
    return ws.max_row - 1  # minus the header row


def test_one_file_name_pattern_with_region_period_and_the_demo_marker(dataset):
    name = excel.download_name
    end = dt.date(2026, 10, 31)
    assert dataset.is_demo
    assert name(dataset, "18", "presentasi", end, "pptx") == "smart-village_presentasi_provinsi-lampung_2026-10-31_data-contoh.pptx"
    assert name(dataset, "18.06", "adopsi-tahapan", end, "csv") == (
        "smart-village_adopsi-tahapan_kab-tanggamus_2026-10-31_data-contoh.csv")
    assert name(dataset, "18.71", "data", end, "xlsx") == "smart-village_data_kota-bandar-lampung_2026-10-31_data-contoh.xlsx"
    assert name(dataset, "18.06.20", "peta-joined", dt.date(2024, 12, 31), "png") == (
        "smart-village_peta-joined_kec-gisting_2024-12-31_data-contoh.png")
    real = dataclasses.replace(dataset, meta={**dataset.meta, "is_demo": "0"}, demo_tables=frozenset())
    assert name(real, "18.06", "evaluasi", end, "pdf") == "smart-village_evaluasi_kab-tanggamus_2026-10-31.pdf"


def test_csv_says_data_contoh_in_a_column_not_a_comment_line(dataset):
    frame = pd.DataFrame({"Wilayah": ["Kab. Tanggamus", "=cmd"], "Nilai": [98.0, 1.5]})
    text = excel.csv_bytes(frame, dataset, "id").decode("utf-8-sig")
    back = pd.read_csv(io.StringIO(text))
    assert list(back.columns) == ["Keterangan", "Wilayah", "Nilai"] and set(back["Keterangan"]) == {"Data contoh"}
    assert back["Wilayah"].tolist() == ["Kab. Tanggamus", "'=cmd"] and back["Nilai"].tolist() == [98.0, 1.5]
    real = dataclasses.replace(dataset, meta={**dataset.meta, "is_demo": "0"}, demo_tables=frozenset())
    assert list(pd.read_csv(io.StringIO(excel.csv_bytes(frame, real, "id").decode("utf-8-sig"))).columns) == [
        "Wilayah", "Nilai"]


def test_kabupaten_workbook_rows_match_the_store(dataset, store_frames):
    as_of = dt.date(2024, 12, 31)
    wb = _book(dataset, FilterState(kab="18.06", year=2024, quarter=4), as_of)
    # Every sheet holding demo rows (or computed from them) says so in its tab title; regions and IDM are
    # public data.
    assert wb.sheetnames == ["BACA_SAYA (contoh)", "Wilayah", "Indikator (contoh)", "IDM", "Adopsi (contoh)",
                             "Layanan (contoh)", "Petugas (contoh)", "Bimtek_Kegiatan (contoh)",
                             "Bimtek_Tempat (contoh)", "Bimtek_Peserta (contoh)", "Rakor (contoh)",
                             "Rakor_Hadir (contoh)", "Target (contoh)"]
    a = store_frames["adoption"]
    expected = ((a["village_code"].str.startswith("18.06.")) & (a["reached_on"] <= pd.Timestamp(as_of))).sum()
    assert _rows(wb["Adopsi (contoh)"]) == expected
    # Stage labels as the pages show them, not stored codes; rates rounded as shown.
    stages = {c.value for c in next(wb["Adopsi (contoh)"].iter_cols(min_col=2, max_col=2, min_row=2))}
    assert stages <= {"Sosialisasi", "Bergabung", "Operator terlatih", "Layanan aktif", "Data terintegrasi"}
    header = [c.value for c in wb["Indikator (contoh)"][1]]
    pct = [r[header.index("% desa bergabung")].value for r in wb["Indikator (contoh)"].iter_rows(min_row=2)]
    assert all(v is None or v == round(v, 1) for v in pct)
    p = store_frames["bimtek_participants"].merge(store_frames["bimtek_events"][["event_id", "start_date"]])
    assert _rows(wb["Bimtek_Peserta (contoh)"]) == ((p["village_code"].str.startswith("18.06."))
                                           & (p["start_date"] <= pd.Timestamp(as_of))).sum()
    # One indicator row per kecamatan of Tanggamus (20 kecamatan), with Indonesian headers.
    regions = dataset.regions
    assert _rows(wb["Indikator (contoh)"]) == (regions["code"].str.match(r"^18\.06\.\d{2}$")).sum() == 20
    headers = [c.value for c in wb["Adopsi (contoh)"][1]]
    assert headers == ["Kode desa/kelurahan", "Tahap", "Tanggal dicapai", "Sumber"]
    assert "% desa bergabung" in [c.value for c in wb["Indikator (contoh)"][1]]
    readme = {r[0].value: r[1].value for r in wb["BACA_SAYA (contoh)"].iter_rows() if r[0].value}
    assert wb["BACA_SAYA (contoh)"]["A1"].value.endswith("DATA CONTOH") and "Data contoh" in readme
    assert readme["Filter wilayah"] == "Kab. Tanggamus" and readme["Periode s.d."] == "31 Desember 2024"
    assert readme["Bahasa"] == "Bahasa Indonesia" and readme["Dibuat pada"] == "2026-11-22 09:30"


def test_participant_names_are_never_exported(dataset):
    assert dataset["bimtek_participants"]["name"].notna().any()  # the store holds some (the Gisting article)
    wb = _book(dataset, FilterState().with_region("18.06.20"), dataset.data_as_of)
    headers = [c.value for c in wb["Bimtek_Peserta (contoh)"][1]]
    assert "Nama" not in headers and _rows(wb["Bimtek_Peserta (contoh)"]) > 0
    values = {c.value for row in wb["Bimtek_Peserta (contoh)"].iter_rows() for c in row}
    assert "Yoga Setiawan" not in values


def test_english_switch_gives_english_sheets_and_headers(dataset):
    wb = _book(dataset, FilterState(kab="18.71", lang="en"), dataset.data_as_of)
    assert wb.sheetnames[:3] == ["README (sample)", "Regions", "Indicators (sample)"]
    assert [c.value for c in wb["Adoption (sample)"][1]] == ["Village code", "Stage", "Reached on", "Source"]
    assert _rows(wb["Adoption (sample)"]) == 0  # Kota Bandar Lampung has no desa: no adoption rows
    assert _rows(wb["Bimtek_Participants (sample)"]) > 0  # its kelurahan do take part in Bimtek


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"klik\")", "+62812", "-1+2", "@SUM(A1)", "\t=1"])
def test_cells_that_look_like_formulas_are_neutralised(dataset, text):
    services = dataset["services"].copy()
    services.loc[services.index[0], "service"] = text
    code = services.loc[services.index[0], "village_code"]
    doctored = dataclasses.replace(dataset, tables={**dataset.tables, "services": services})
    wb = _book(doctored, FilterState().with_region(code), dataset.data_as_of)
    cells = [c for row in wb["Layanan (contoh)"].iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + text in {c.value for c in cells}


def test_csv_mark_never_collides_with_a_column_of_the_same_name(dataset):
    """English Kualitas listing has its own "Note"-like column: the Data contoh mark is added beside it (the
    load test found "cannot insert Note, already exists")."""
    from utils.i18n import t

    frame = pd.DataFrame({t("artefact_demo_col", "en"): ["x"], "Region": ["Lampung"]})
    back = pd.read_csv(io.BytesIO(excel.csv_bytes(frame, dataset, "en")), encoding="utf-8-sig")
    assert list(back.columns)[1:] == [t("artefact_demo_col", "en"), "Region"] and back.iloc[0, 1] == "x"
    assert back.iloc[0, 0] == excel.demo_note(dataset, "en")
