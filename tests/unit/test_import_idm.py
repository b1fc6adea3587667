"""IDM import: a later year from a doctored copy of the real Kemendesa workbook is added beside the
build's IDM 2024; every bad file is refused with a message naming what was expected, and nothing changes."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.files import COL, doctored, workbook
from utils.data import paths
from utils.intake import village_index


def snapshot(imports_dir: Path) -> dict[str, str]:
    """Every file under the imports folder and the build's IDM file, by content hash."""
    files = [*sorted(imports_dir.rglob("*")), paths.IDM, paths.IDM_RECOMMENDATIONS]
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.is_file()}


def refused(data: bytes, name: str, regions: pd.DataFrame, imports_dir: Path) -> village_index.Refused:
    before = snapshot(imports_dir)
    with pytest.raises(village_index.Refused) as info:
        village_index.plan_idm_import(data, name, regions, 2024, imports_dir)
    assert snapshot(imports_dir) == before
    assert not list(imports_dir.glob("*.parquet"))
    return info.value


def test_a_later_year_is_added_beside_the_base_year(real_rows, regions, tmp_path):
    data, kept = doctored(real_rows, 2025, 5)
    base_before = snapshot(tmp_path)
    plan = village_index.plan_idm_import(data, "IDM_2025.xlsx", regions, 2024, tmp_path)
    assert plan.year == 2025 and plan.existing == "new"
    assert plan.desa["code"].tolist() == sorted(
        f"{c[:2]}.{c[2:4]}.{c[4:6]}.{c[6:]}" for c in (str(r[COL["KODE DESA"]]) for r in kept))
    expected_status = pd.Series([str(r[COL["STATUS"]]).title() for r in kept]).value_counts()
    assert {k: v for k, v in plan.status_counts.items() if v} == expected_status.to_dict()
    h = next(i for i, r in enumerate(real_rows) if r[0] == "KODE PROV")
    first_desa = [i for i, r in enumerate(real_rows) if i > h and r[COL["KODE DESA"]] is not None]
    rec_rows = [r for r in real_rows[first_desa[0]:first_desa[5]] if any(r[c] is not None for c in (14, 15, 16))]
    assert len(plan.recommendations) == len(rec_rows)

    result = village_index.apply_idm_import(plan, tmp_path)
    assert (result.status, result.rows_added) == ("added", 5)
    written = pd.read_parquet(tmp_path / "idm_2025.parquet")
    base = pd.read_parquet(paths.IDM)
    assert list(written.columns) == list(base.columns)  # same columns as the build's file, "year" included
    assert written["year"].dtype == "int64" and set(written["year"]) == {2025}
    assert len(pd.read_parquet(tmp_path / "idm_recommendations_2025.parquet")) == len(rec_rows)
    assert village_index.imported_years(tmp_path) == [2025]
    # The build's IDM 2024 is untouched.
    assert {k: v for k, v in snapshot(tmp_path).items() if not k.startswith(str(tmp_path))} == base_before


def test_importing_the_same_file_twice_changes_nothing(real_rows, regions, tmp_path):
    data, _ = doctored(real_rows, 2025, 3)
    village_index.apply_idm_import(village_index.plan_idm_import(data, "a.xlsx", regions, 2024, tmp_path), tmp_path)
    before = snapshot(tmp_path)
    mtimes = {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = village_index.plan_idm_import(data, "a.xlsx", regions, 2024, tmp_path)
    assert again.existing == "same"
    assert village_index.apply_idm_import(again, tmp_path).status == "unchanged"
    assert snapshot(tmp_path) == before
    assert {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == mtimes


def test_a_corrected_file_of_an_imported_year_replaces_it_only_when_asked(real_rows, regions, tmp_path):
    first, _ = doctored(real_rows, 2026, 3)
    village_index.apply_idm_import(village_index.plan_idm_import(first, "a.xlsx", regions, 2024, tmp_path), tmp_path)
    corrected, _ = doctored(real_rows, 2026, 3, status="BERKEMBANG")
    plan = village_index.plan_idm_import(corrected, "b.xlsx", regions, 2024, tmp_path)
    assert plan.existing == "differs"
    before = snapshot(tmp_path)
    with pytest.raises(village_index.Refused) as info:
        village_index.apply_idm_import(plan, tmp_path)
    assert "Ganti" in info.value.text("id") and snapshot(tmp_path) == before
    assert village_index.apply_idm_import(plan, tmp_path, replace=True).status == "replaced"
    assert set(pd.read_parquet(tmp_path / "idm_2026.parquet")["status"]) == {"Berkembang"}


def test_the_base_year_is_refused_not_overwritten(real_rows, regions, tmp_path):
    data, _ = doctored(real_rows, 2024, 2)
    err = refused(data, "IDM_2024.xlsx", regions, tmp_path)
    assert err.text("id") == "IDM 2024 sudah menjadi data dasar aplikasi; impor menambah tahun lain, tidak menimpa."


def test_a_workbook_that_is_not_an_idm_workbook_names_the_expected_columns(regions, tmp_path):
    data = workbook([["Rekap Bimtek"], [], ["No", "Kabupaten", "Jumlah peserta"], [1, "Tanggamus", 19]])
    err = refused(data, "rekap.xlsx", regions, tmp_path)
    text = err.text("id")
    assert text.startswith("Bukan buku kerja IDM yang dikenal: tidak ada baris judul yang diawali KODE PROV dalam "
                           "50 baris pertama. Kolom yang diharapkan: KODE PROV, NAMA PROVINSI,")
    for column in ("KODE PROV", "KODE DESA", "IKS 2025", "NILAI IDM 2025", "STATUS IDM 2025", "KETERANGAN"):
        assert column in text
    assert err.text("en").startswith("Not a known IDM workbook: no header row starting with KODE PROV")


def test_an_idm_header_with_a_missing_column_is_refused(real_rows, regions, tmp_path):
    data, _ = doctored(real_rows, 2025, 2)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    header_row = next(r for r in ws.iter_rows() if r[0].value == "KODE PROV")
    header_row[9].value = "IKE"  # misspelt: the year is missing
    buf = io.BytesIO()
    wb.save(buf)
    err = refused(buf.getvalue(), "idm.xlsx", regions, tmp_path)
    assert err.text("id").startswith("Bukan buku kerja IDM yang dikenal: baris judul tidak memuat IKE 2025. Kolom")


def test_the_successor_indeks_desa_is_recognised_and_refused(regions, tmp_path):
    header = ["KODE DESA", "NAMA DESA", "DIMENSI LAYANAN DASAR", "DIMENSI SOSIAL", "DIMENSI EKONOMI",
              "DIMENSI LINGKUNGAN", "DIMENSI AKSESIBILITAS", "DIMENSI TATA KELOLA PEMERINTAHAN DESA",
              "NILAI INDEKS DESA 2025", "STATUS 2025"]
    data = workbook([["INDEKS DESA TAHUN 2025"], header, [1801042001, "HAJIMENA", 80, 70, 60, 70, 80, 90, 75, "MAJU"]])
    err = refused(data, "indeks_desa_2025.xlsx", regions, tmp_path)
    assert "Indeks Desa (enam dimensi" in err.text("id")
    assert "KODE DESA" in err.text("id") and "IKS 2025" in err.text("id")


def test_codes_of_another_province_are_refused(real_rows, regions, tmp_path):
    data, _ = doctored(real_rows, 2025, 2)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for row in wb.active.iter_rows():
        if isinstance(row[COL["KODE DESA"]].value, int):
            row[COL["KODE DESA"]].value = int("19" + str(row[COL["KODE DESA"]].value)[2:])
    buf = io.BytesIO()
    wb.save(buf)
    err = refused(buf.getvalue(), "idm.xlsx", regions, tmp_path)
    assert "bukan dari Provinsi Lampung" in err.text("id") and "19.01.04.2001" in err.text("id")


@pytest.mark.parametrize(("data", "name", "start"), [
    (b"KODE PROV;KODE DESA\n18;1801042001\n", "idm.csv", "Jenis berkas \u201cidm.csv\u201d tidak diterima"),
    (b"\xd0\xcf\x11\xe0 old excel", "idm.xls", "Jenis berkas \u201cidm.xls\u201d tidak diterima"),
    (b"", "idm.xlsx", "Berkas \u201cidm.xlsx\u201d kosong."),
    (b"this is not a zip archive", "idm.xlsx", "Berkas ini bukan buku kerja Excel"),
])
def test_wrong_type_empty_and_corrupt_files_are_refused(data, name, start, regions, tmp_path):
    assert refused(data, name, regions, tmp_path).text("id").startswith(start)


def test_a_file_over_the_size_limit_is_refused(regions, tmp_path):
    data = b"PK" + b"\0" * village_index.IDM_MAX_BYTES
    text = refused(data, "besar.xlsx", regions, tmp_path).text("id")
    assert text == "Berkas \u201cbesar.xlsx\u201d berukuran 25,0 MB, melebihi batas 25 MB."
