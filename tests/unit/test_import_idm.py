"""IDM import: a later year from a doctored copy of the real Kemendesa workbook is added to the store beside the
build's IDM 2024 and can be undone; every bad file is refused with a message naming what was expected, and
nothing changes."""

from __future__ import annotations

import hashlib
import io

import openpyxl
import pandas as pd
import pytest

from tests.files import COL, doctored, workbook
from tests.helpers import ADMIN, OP_TGM, assert_same, content, raw_count
from utils.data import paths
from utils.data.dataset import load_dataset
from utils.intake import village_index


def build_files() -> dict[str, str]:
    """The build's IDM files, by content hash."""
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() for f in (paths.IDM, paths.IDM_RECOMMENDATIONS)}


@pytest.fixture
def engine(tmp_store):
    return tmp_store


def refused(data: bytes, name: str, regions: pd.DataFrame, engine) -> village_index.Refused:
    before, files, uploads = content(engine), build_files(), raw_count(engine, "uploads")
    with pytest.raises(village_index.Refused) as info:
        village_index.plan_idm_import(data, name, regions, 2024, engine)
    assert_same(before, content(engine))
    assert build_files() == files and raw_count(engine, "uploads") == uploads
    assert raw_count(engine, "index_imports") == 0
    return info.value


def test_a_later_year_is_added_to_the_store_beside_the_base_year(real_rows, regions, engine):
    data, kept = doctored(real_rows, 2025, 5)
    files = build_files()
    plan = village_index.plan_idm_import(data, "IDM_2025.xlsx", regions, 2024, engine)
    assert plan.year == 2025 and plan.existing == "new"
    codes = sorted(f"{c[:2]}.{c[2:4]}.{c[4:6]}.{c[6:]}" for c in (str(r[COL["KODE DESA"]]) for r in kept))
    assert plan.desa["code"].tolist() == codes
    expected_status = pd.Series([str(r[COL["STATUS"]]).title() for r in kept]).value_counts()
    assert {k: v for k, v in plan.status_counts.items() if v} == expected_status.to_dict()
    h = next(i for i, r in enumerate(real_rows) if r[0] == "KODE PROV")
    first_desa = [i for i, r in enumerate(real_rows) if i > h and r[COL["KODE DESA"]] is not None]
    rec_rows = [r for r in real_rows[first_desa[0]:first_desa[5]] if any(r[c] is not None for c in (14, 15, 16))]
    assert len(plan.recommendations) == len(rec_rows)

    with pytest.raises(village_index.Refused):  # a kabupaten operator cannot import
        village_index.apply_import(engine, plan, OP_TGM)
    result = village_index.apply_import(engine, plan, ADMIN)
    assert (result.status, result.rows_added) == ("added", 5)
    # In the store (plain SQL), one upload with its rows; the build's IDM 2024 files untouched.
    assert raw_count(engine, "idm_import_desa", f"WHERE upload_id = {result.upload_id}") == 5
    assert raw_count(engine, "idm_import_recommendations", f"WHERE upload_id = {result.upload_id}") == len(rec_rows)
    assert raw_count(engine, "index_imports", "WHERE year = 2025 AND index_name = 'idm'") == 1
    assert raw_count(engine, "uploads", "WHERE kind = 'idm' AND status = 'applied' AND uploader = 'admin'") == 1
    assert build_files() == files
    ds = load_dataset()
    assert sorted(ds.idm_years) == [2024, 2025]
    year = ds.idm_years[2025]
    assert year["code"].tolist() == codes and list(year.columns) == list(ds.idm_years[2024].columns)
    assert year["status"].value_counts().to_dict() == expected_status.to_dict()
    assert ds.idm is ds.idm_years[2024]  # five desa do not cover the province: the shown year stays 2024


def test_importing_the_same_file_twice_changes_nothing(real_rows, regions, engine):
    data, _ = doctored(real_rows, 2025, 3)
    village_index.apply_import(engine, village_index.plan_idm_import(data, "a.xlsx", regions, 2024, engine), ADMIN)
    before = content(engine)
    uploads = raw_count(engine, "uploads")
    again = village_index.plan_idm_import(data, "a.xlsx", regions, 2024, engine)
    assert again.existing == "same"
    assert village_index.apply_import(engine, again, ADMIN).status == "unchanged"
    assert_same(before, content(engine))
    assert raw_count(engine, "uploads") == uploads and raw_count(engine, "idm_import_desa") == 3


def test_a_corrected_file_replaces_only_when_asked_and_undo_brings_the_first_back(real_rows, regions, engine):
    first, kept = doctored(real_rows, 2026, 3)
    one = village_index.apply_import(engine, village_index.plan_idm_import(first, "a.xlsx", regions, 2024, engine), ADMIN)
    corrected, _ = doctored(real_rows, 2026, 3, status="BERKEMBANG")
    plan = village_index.plan_idm_import(corrected, "b.xlsx", regions, 2024, engine)
    assert (plan.existing, plan.replaces) == ("differs", 3)
    with pytest.raises(village_index.Refused) as info:
        village_index.apply_import(engine, plan, ADMIN)
    assert "Ganti" in info.value.text("id") and raw_count(engine, "index_imports") == 1
    two = village_index.apply_import(engine, plan, ADMIN, replace=True)
    assert (two.status, two.rows_changed) == ("replaced", 3)
    assert set(load_dataset().idm_years[2026]["status"]) == {"Berkembang"}
    # Undo the correction: the first file's statuses show again; undo that too: the year is gone.
    village_index.rollback_import(engine, two.upload_id, ADMIN)
    original = sorted(str(r[COL["STATUS"]]).title() for r in kept)
    assert sorted(load_dataset().idm_years[2026]["status"]) == original
    assert raw_count(engine, "idm_import_desa", f"WHERE upload_id = {two.upload_id}") == 0
    assert raw_count(engine, "uploads", f"WHERE upload_id = {two.upload_id} AND status = 'rolled_back'") == 1
    with pytest.raises(village_index.Refused):  # twice: not in force any more
        village_index.rollback_import(engine, two.upload_id, ADMIN)
    village_index.rollback_import(engine, one.upload_id, ADMIN)
    assert 2026 not in load_dataset().idm_years and raw_count(engine, "index_imports") == 0


def test_the_base_year_is_refused_not_overwritten(real_rows, regions, engine):
    data, _ = doctored(real_rows, 2024, 2)
    err = refused(data, "IDM_2024.xlsx", regions, engine)
    assert err.text("id") == "IDM 2024 sudah menjadi data dasar aplikasi; impor menambah tahun lain, tidak menimpa."


def test_a_workbook_that_is_not_an_idm_workbook_names_the_expected_columns(regions, engine):
    data = workbook([["Rekap Bimtek"], [], ["No", "Kabupaten", "Jumlah peserta"], [1, "Tanggamus", 19]])
    err = refused(data, "rekap.xlsx", regions, engine)
    text = err.text("id")
    assert text.startswith("Bukan buku kerja IDM yang dikenal: tidak ada baris judul yang diawali KODE PROV dalam "
                           "50 baris pertama. Kolom yang diharapkan: KODE PROV, NAMA PROVINSI,")
    for column in ("KODE PROV", "KODE DESA", "IKS 2025", "NILAI IDM 2025", "STATUS IDM 2025", "KETERANGAN"):
        assert column in text
    assert err.text("en").startswith("Not a known IDM workbook: no header row starting with KODE PROV")


def test_an_idm_header_with_a_missing_column_is_refused(real_rows, regions, engine):
    data, _ = doctored(real_rows, 2025, 2)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    header_row = next(r for r in ws.iter_rows() if r[0].value == "KODE PROV")
    header_row[9].value = "IKE"  # misspelt: the year is missing
    buf = io.BytesIO()
    wb.save(buf)
    err = refused(buf.getvalue(), "idm.xlsx", regions, engine)
    assert err.text("id").startswith("Bukan buku kerja IDM yang dikenal: baris judul tidak memuat IKE 2025. Kolom")


def test_a_workbook_in_neither_layout_names_the_indeks_desa_columns(regions, engine):
    """A six-dimension sheet without the item columns of headers.json: refused by the Indeks Desa reader, which
    names its expected columns and the IDM alternative."""
    header = ["KODE DESA", "NAMA DESA", "DIMENSI LAYANAN DASAR", "DIMENSI SOSIAL", "DIMENSI EKONOMI",
              "DIMENSI LINGKUNGAN", "DIMENSI AKSESIBILITAS", "DIMENSI TATA KELOLA PEMERINTAHAN DESA",
              "NILAI INDEKS DESA 2025", "STATUS 2025"]
    data = workbook([["INDEKS DESA TAHUN 2025"], header, [1801042001, "HAJIMENA", 80, 70, 60, 70, 80, 90, 75, "MAJU"]])
    catalogue = pd.read_parquet(paths.INDEKS_DESA_ITEMS)
    before = content(engine)
    with pytest.raises(village_index.Refused) as info:
        village_index.plan_upload(data, "indeks_desa_2025.xlsx", regions, catalogue, 2024, engine)
    text = info.value.text("id")
    assert "0 dari 127 kolom skor butir" in text and "Kode Wilayah Administrasi Desa" in text
    assert "KODE DESA, NAMA DESA" in text and "KODE PROV" in text
    assert_same(before, content(engine))


def test_codes_of_another_province_are_refused(real_rows, regions, engine):
    data, _ = doctored(real_rows, 2025, 2)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for row in wb.active.iter_rows():
        if isinstance(row[COL["KODE DESA"]].value, int):
            row[COL["KODE DESA"]].value = int("19" + str(row[COL["KODE DESA"]].value)[2:])
    buf = io.BytesIO()
    wb.save(buf)
    err = refused(buf.getvalue(), "idm.xlsx", regions, engine)
    assert "bukan dari Provinsi Lampung" in err.text("id") and "19.01.04.2001" in err.text("id")


@pytest.mark.parametrize(("data", "name", "start"), [
    (b"KODE PROV;KODE DESA\n18;1801042001\n", "idm.csv", "Jenis berkas \u201cidm.csv\u201d tidak diterima"),
    (b"\xd0\xcf\x11\xe0 old excel", "idm.xls", "Jenis berkas \u201cidm.xls\u201d tidak diterima"),
    (b"", "idm.xlsx", "Berkas \u201cidm.xlsx\u201d kosong."),
    (b"this is not a zip archive", "idm.xlsx", "Berkas ini bukan buku kerja Excel"),
])
def test_wrong_type_empty_and_corrupt_files_are_refused(data, name, start, regions, engine):
    assert refused(data, name, regions, engine).text("id").startswith(start)


def test_a_file_over_the_size_limit_is_refused(regions, engine):
    data = b"PK" + b"\0" * village_index.IDM_MAX_BYTES
    text = refused(data, "besar.xlsx", regions, engine).text("id")
    assert text == "Berkas \u201cbesar.xlsx\u201d berukuran 25,0 MB, melebihi batas 25 MB."
