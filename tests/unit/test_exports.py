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


def test_file_names_carry_region_and_day(dataset):
    day = dt.date(2026, 11, 22)
    name = excel.export_filename
    assert name(dataset, FilterState(), "pptx", day) == "smart-village_provinsi-lampung_2026-11-22.pptx"
    assert name(dataset, FilterState(kab="18.06"), "pptx", day) == "smart-village_kab-tanggamus_2026-11-22.pptx"
    assert name(dataset, FilterState(kab="18.71"), "xlsx", day) == "smart-village_kota-bandar-lampung_2026-11-22.xlsx"
    assert name(dataset, FilterState().with_region("18.06.20"), "pdf", day) == "smart-village_kec-gisting_2026-11-22.pdf"


def test_kabupaten_workbook_rows_match_the_store(dataset, store_frames):
    as_of = dt.date(2024, 12, 31)
    wb = _book(dataset, FilterState(kab="18.06", year=2024, quarter=4), as_of)
    assert wb.sheetnames == ["BACA_SAYA", "Wilayah", "Indikator", "IDM", "Adopsi", "Layanan", "Petugas",
                             "Bimtek_Kegiatan", "Bimtek_Tempat", "Bimtek_Peserta", "Rakor", "Rakor_Hadir", "Target"]
    a = store_frames["adoption"]
    expected = ((a["village_code"].str.startswith("18.06.")) & (a["reached_on"] <= pd.Timestamp(as_of))).sum()
    assert _rows(wb["Adopsi"]) == expected
    p = store_frames["bimtek_participants"].merge(store_frames["bimtek_events"][["event_id", "start_date"]])
    assert _rows(wb["Bimtek_Peserta"]) == ((p["village_code"].str.startswith("18.06."))
                                           & (p["start_date"] <= pd.Timestamp(as_of))).sum()
    # One indicator row per kecamatan of Tanggamus (20 kecamatan), with Indonesian headers.
    regions = dataset.regions
    assert _rows(wb["Indikator"]) == (regions["code"].str.match(r"^18\.06\.\d{2}$")).sum() == 20
    headers = [c.value for c in wb["Adopsi"][1]]
    assert headers == ["Kode desa/kelurahan", "Tahap", "Tanggal dicapai", "Sumber"]
    assert "% desa bergabung" in [c.value for c in wb["Indikator"][1]]
    readme = {r[0].value: r[1].value for r in wb["BACA_SAYA"].iter_rows() if r[0].value}
    assert readme["Filter wilayah"] == "Kab. Tanggamus" and readme["Periode s.d."] == "31 Desember 2024"
    assert readme["Bahasa"] == "Bahasa Indonesia" and readme["Dibuat pada"] == "2026-11-22 09:30"


def test_participant_names_are_never_exported(dataset):
    assert dataset["bimtek_participants"]["name"].notna().any()  # the store holds some (the Gisting article)
    wb = _book(dataset, FilterState().with_region("18.06.20"), dataset.data_as_of)
    headers = [c.value for c in wb["Bimtek_Peserta"][1]]
    assert "Nama" not in headers and _rows(wb["Bimtek_Peserta"]) > 0
    values = {c.value for row in wb["Bimtek_Peserta"].iter_rows() for c in row}
    assert "Yoga Setiawan" not in values


def test_english_switch_gives_english_sheets_and_headers(dataset):
    wb = _book(dataset, FilterState(kab="18.71", lang="en"), dataset.data_as_of)
    assert wb.sheetnames[:3] == ["README", "Regions", "Indicators"]
    assert [c.value for c in wb["Adoption"][1]] == ["Village code", "Stage", "Reached on", "Source"]
    assert _rows(wb["Adoption"]) == 0  # Kota Bandar Lampung has no desa: no adoption rows
    assert _rows(wb["Bimtek_Participants"]) > 0  # its kelurahan do take part in Bimtek


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"klik\")", "+62812", "-1+2", "@SUM(A1)", "\t=1"])
def test_cells_that_look_like_formulas_are_neutralised(dataset, text):
    services = dataset["services"].copy()
    services.loc[services.index[0], "service"] = text
    code = services.loc[services.index[0], "village_code"]
    doctored = dataclasses.replace(dataset, tables={**dataset.tables, "services": services})
    wb = _book(doctored, FilterState().with_region(code), dataset.data_as_of)
    cells = [c for row in wb["Layanan"].iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert "'" + text in {c.value for c in cells}
