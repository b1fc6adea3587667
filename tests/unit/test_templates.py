"""XLSX templates: README, the kabupaten's villages prefilled as text codes, and a filled template validates."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from utils.intake import templates, validation


def open_wb(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def tanggamus_adoption(regions):
    return templates.build_template("adoption", regions, "18.06")


def test_adoption_template_lists_the_kabupatens_desa(tanggamus_adoption, regions):
    wb = open_wb(tanggamus_adoption)
    assert wb.sheetnames == ["Data", "README", "Kode wilayah"]
    ws = wb["Data"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == ["kode_desa", "nama_desa", "kecamatan", "tahap", "tanggal"]
    want = regions[(regions["level"] == "desa") & (regions["kab_code"] == "18.06") & (regions["village_type"] == "desa")]
    assert sorted(r[0] for r in rows[1:]) == sorted(want["code"])  # desa only: kelurahan are outside adoption
    assert all(isinstance(r[0], str) for r in rows[1:])
    gisting_atas = next(r for r in rows[1:] if r[0] == "18.06.20.2006")
    assert gisting_atas[1:3] == ("Gisting Atas", "Gisting")
    assert ws["A2"].number_format == "@"  # Excel keeps codes as text


def test_readme_explains_every_column(tanggamus_adoption):
    text = " ".join(str(c) for row in open_wb(tanggamus_adoption)["README"].iter_rows(values_only=True) for c in row if c)
    for col in ("kode_desa", "tahap", "tanggal", "Operator terlatih", "17 Desember 2024"):
        assert col in text


def test_participation_template_covers_kelurahan_and_never_asks_for_names(regions):
    wb = open_wb(templates.build_template("bimtek_participants", regions, "18.06"))
    rows = list(wb["Data"].iter_rows(values_only=True))
    assert "nama" not in rows[0] and "jumlah" in rows[0]
    n_villages = int(((regions["level"] == "desa") & (regions["kab_code"] == "18.06")).sum())
    assert len(rows) - 1 == n_villages


def test_province_template_and_english_readme(regions):
    wb = open_wb(templates.build_template("services", regions, None, "en"))
    assert wb["Data"].max_row - 1 == int(((regions["level"] == "desa") & (regions["village_type"] == "desa")).sum())
    assert wb["README"]["B4"].value == "Required"


def test_filled_template_validates_and_unfilled_rows_are_skipped(tanggamus_adoption, regions):
    wb = open_wb(tanggamus_adoption)
    ws = wb["Data"]
    filled = {}
    for row in ws.iter_rows(min_row=2):
        if row[0].value in ("18.06.20.2006", "18.06.20.2002"):
            row[3].value, row[4].value = "Bergabung", dt.datetime(2024, 12, 17)
            filled[row[0].value] = row[0].row
    buf = io.BytesIO()
    wb.save(buf)
    report = validation.validate("adoption", "templat.xlsx", buf.getvalue(), regions, "18.06")
    assert report.ok, report.issues
    total = ws.max_row - 1
    assert (report.n_rows, report.n_skipped) == (2, total - 2)
    assert sorted(report.frames["adoption"]["village_code"]) == ["18.06.20.2002", "18.06.20.2006"]
    assert report.matches.empty  # codes were prefilled: nothing to confirm
