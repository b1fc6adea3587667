"""The import page: admin only; IDM and boundary files checked, confirmed, written and recorded; bad files
refused with a message while the imports folder and the store stay exactly as they were."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import shown
from tests.files import doctored, names_only_geojson, zipped
from tests.helpers import ADMIN, OP_TGM, content, raw_count, served_files
from utils.data import paths, store

APP = str(paths.ROOT / "app.py")
PAGE = "pages/8_Impor.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def env(tmp_path, monkeypatch, served_env):
    """Imports, the served boundary layers, static map files and the store all under tmp; yields the engine."""
    monkeypatch.setattr(paths, "IMPORTS_DIR", tmp_path / "imports")
    return served_env


def open_page(operator=ADMIN) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if operator is not None:
        at.session_state["sv_operator"] = operator
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def upload(at: AppTest, name: str, data: bytes, mime: str = "application/octet-stream") -> AppTest:
    at.file_uploader[0].set_value((name, data, mime))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()} if folder.exists() else {}


def test_login_is_required():
    at = open_page(operator=None)
    assert any("masuk" in i.value.lower() for i in at.info)
    assert len(at.file_uploader) == 0


def test_a_kabupaten_operator_cannot_import():
    at = open_page(operator=OP_TGM)
    assert at.error and len(at.file_uploader) == 0


def test_idm_year_is_added_recorded_and_the_same_file_again_changes_nothing(env, real_rows):
    data, _ = doctored(real_rows, 2025, 3)
    at = upload(open_page(), "IDM_2025.xlsx", data, XLSX)
    assert at.success[0].value.startswith("IDM 2025: 3 desa,")
    at.button(key="imp_confirm_idm").click().run()
    ups = store.read_uploads(env)
    assert ups[["kind", "file_name", "uploader", "status", "rows_added"]].values.tolist() == [
        ["idm", "IDM_2025.xlsx", "admin", "applied", 3]]
    assert at.success[0].value == (f"Tersimpan (impor #{ups['upload_id'].iloc[0]}): 3 desa ditambahkan, 0 desa diganti. "
                                   "Dapat dibatalkan di Riwayat.")
    assert ups["sha256"].iloc[0] == hashlib.sha256(data).hexdigest()
    assert raw_count(env, "idm_import_desa") == 3 and files(paths.IMPORTS_DIR) == {}  # in the store, no file
    assert "2024, 2025" in " ".join(c.value for c in at.caption)

    at = upload(at, "IDM_2025.xlsx", data, XLSX)
    assert any("sudah diimpor; tidak ada yang berubah" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "imp_confirm_idm"]
    assert raw_count(env, "uploads") == 1 and raw_count(env, "idm_import_desa") == 3


def not_idm() -> bytes:
    wb = openpyxl.Workbook()
    for row in (["Rekap Bimtek"], ["No", "Kabupaten", "Peserta"], [1, "Tanggamus", 19]):
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("rekap.xlsx", not_idm(), "Bukan buku kerja indeks desa yang dikenal: tidak ada baris judul dengan kolom kode desa"),
    ("idm.csv", b"KODE PROV,KODE DESA\n18,1801042001\n", "Jenis berkas \u201cidm.csv\u201d tidak diterima"),
    ("idm.xlsx", b"", "Berkas \u201cidm.xlsx\u201d kosong."),
    ("besar.xlsx", b"PK" + b"\0" * (25 * 2**20), "melebihi batas 25 MB"),
])
def test_bad_idm_files_are_refused_and_nothing_changes(env, name, data, message):
    stored = content(env)
    at = upload(open_page(), name, data)
    errors = [shown(e.value) for e in at.error]
    assert errors and errors[0].startswith("Berkas ditolak; tidak ada yang disimpan.") and message in errors[0]
    assert not [b for b in at.button if b.key == "imp_confirm_idm"]
    assert files(paths.IMPORTS_DIR) == {}
    after = content(env)
    assert all(stored[k].equals(after[k]) for k in stored) and raw_count(env, "uploads") == 0
    assert raw_count(env, "index_imports") == 0


def test_boundaries_report_accepted_suggestion_apply_and_undo_from_history(env, regions):
    before = served_files()
    data = names_only_geojson(regions)
    at = open_page()
    at.radio(key="imp_kind").set_value("boundary").run()
    at = upload(at, "gedung_surian.geojson", data, "application/geo+json")
    sha = hashlib.sha256(data).hexdigest()[:16]
    assert at.selectbox(key=f"imp_level_{sha}").value == "desa"  # proposed from the file
    assert [m.value for m in at.main.markdown if m.value.startswith("**Cocok: 4** (nama 4) · ada saran: 1. 2.636 wilayah")]
    report = at.dataframe[0].value  # the match report (the suggestions table follows)
    assert report["Status"].tolist() == ["cocok"] * 4 + ["ada saran"]
    assert report["Saran (skor)"].iloc[4].startswith("Mekarjaya (18.04.15.2005)")
    key = f"imp_{sha}_desa_None_NAMOBJ"
    assert at.multiselect(key=f"{key}_accepted").value == []
    at.number_input(key=f"{key}_min").set_value(60).run()
    at.button(key=f"{key}_all").click().run()
    assert at.multiselect(key=f"{key}_accepted").value == [4]  # feature 5 -> Mekarjaya
    # Small squares around each village's point: far from the current polygons, so warned and left out ...
    warnings = [w.value for w in at.warning]
    assert "5 wilayah yang cocok tumpang tindih kurang dari 50% dengan batasnya sekarang (0 sama sekali tidak): tidak " \
        "diterapkan kecuali Anda menyertakannya di bawah." in warnings, warnings
    assert any(w.startswith("Dengan pilihan ini tidak ada wilayah yang diterapkan") for w in warnings)
    at.checkbox(key=f"{key}_low").check().run()  # ... until the admin includes them
    assert [m.value for m in at.main.markdown if m.value.startswith("Akan diterapkan: **5 desa/kelurahan**")]
    assert served_files() == before and raw_count(env, "uploads") == 0  # nothing before the confirmation
    at.text_input(key=f"{key}_label").set_value("Bappeda Lampung Barat 2024").run()
    at.button(key="imp_confirm_geo").click().run()
    assert at.success[0].value.startswith("Tersimpan sebagai impor batas: 5 wilayah diganti, 0 ditambahkan.")
    assert served_files() != before
    assert store.read_uploads(env)[["kind", "uploader", "status", "rows_changed"]].values.tolist() == [
        ["boundary", "admin", "applied", 5]]
    with env.connect() as conn:
        stored = conn.execute(sa.text("SELECT code, method FROM boundary_features ORDER BY code")).all()
    assert stored[-1] == ("18.04.15.2005", "accepted") and len(stored) == 5
    assert any("batas wilayah: desa/kelurahan dari Bappeda Lampung Barat 2024 (diimpor" in c.value for c in at.caption)

    at.switch_page("pages/7_Riwayat.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="hist_pick").value == 1
    at.button(key="hist_rollback").click().run()
    assert at.success[0].value == "Impor batas #1 dibatalkan; peta dan batas wilayah kembali seperti sebelumnya."
    assert served_files() == before  # byte for byte
    assert store.read_uploads(env)["status"].tolist() == ["rolled_back"]


@pytest.mark.parametrize(("name", "data", "message"), [
    ("batas.zip", zipped({"../../evil.shp": b"x", "../../evil.shx": b"x", "../../evil.dbf": b"x"}),
     "Zip ditolak: berisi jalur yang keluar dari folder"),
    ("batas.zip", zipped({"readme.txt": b"x"}), "Zip tidak berisi shapefile (.shp)"),
    ("batas.zip", zipped({"a.shp": b"x", "a.shx": b"x", "a.dbf": b"x"}), "Shapefile a.shp tidak memiliki berkas .prj"),
    ("batas.kml", b"<kml/>", "Jenis berkas \u201cbatas.kml\u201d tidak diterima"),
    ("batas.geojson", json.dumps({"type": "FeatureCollection", "features": []}).encode(), "tidak berisi fitur"),
])
def test_bad_boundary_files_are_refused_and_nothing_changes(env, name, data, message):
    stored = content(env)
    at = open_page()
    at.radio(key="imp_kind").set_value("boundary").run()
    at = upload(at, name, data)
    errors = [shown(e.value) for e in at.error]
    assert errors and errors[0].startswith("Berkas ditolak; tidak ada yang disimpan.") and message in errors[0]
    assert not at.dataframe and files(paths.IMPORTS_DIR) == {} and not paths.SERVED_GEO_DIR.exists()
    after = content(env)
    assert all(stored[k].equals(after[k]) for k in stored) and raw_count(env, "uploads") == 0


def test_indeks_desa_of_one_kabupaten_is_imported_partial_and_undone_from_riwayat(env, regions):
    from tests import indeks_desa_files as ixf

    codes = regions[(regions["kab_code"] == "18.10") & (regions["village_type"] == "desa")][["code", "name"]]
    desa = ixf.make_desa(list(codes.itertuples(index=False, name=None)), seed=31)
    at = upload(open_page(), "pringsewu_2025.xlsx", ixf.write_workbook(desa), XLSX)
    n = len(desa)
    assert at.success[0].value.startswith(f"Indeks Desa 2025: {n} desa dari 1 kabupaten/kota; 127 dari 127 kolom butir")
    assert any(c.value.startswith("Skor dimensi dan total: dihitung oleh dasbor") for c in at.caption)
    coverage = [i.value for i in at.info if i.value.startswith("Setelah impor")]
    assert coverage == [f"Setelah impor, Indeks Desa 2025 mencakup {n} dari 2.446 desa. Sebagian: halaman "
                        f"menampilkannya sebagai \u201c{n} dari 2.446 desa\u201d, tidak sebagai angka provinsi. Berkas "
                        "kabupaten lain untuk tahun yang sama akan digabungkan."]
    counts = at.dataframe[0].value
    expected = pd.Series([ixf.band(d.total()) for d in desa]).value_counts()
    assert {s: int(c.replace(".", "")) for s, c in counts.values.tolist() if c != "0"} == expected.to_dict()
    at.button(key="imp_confirm_idm").click().run()
    assert at.success[0].value.startswith("Tersimpan (impor #1):") and raw_count(env, "indeks_desa_desa") == n

    at.switch_page("pages/7_Riwayat.py").run()
    hist = at.dataframe[0].value
    assert hist[["Berkas", "Status"]].values.tolist() == [["pringsewu_2025.xlsx", "diterapkan"]]
    at.button(key="hist_rollback").click().run()
    assert at.success[0].value == "Unggahan #1 dibatalkan; data kembali seperti sebelumnya."
    assert raw_count(env, "indeks_desa_desa") == 0 and raw_count(env, "indeks_desa_items") == 0
    assert raw_count(env, "uploads", "WHERE status = 'rolled_back'") == 1


def test_indeks_desa_errors_are_listed_with_row_and_column_and_block_the_import(env, regions):
    from tests import indeks_desa_files as ixf

    codes = regions[(regions["kab_code"] == "18.06") & (regions["village_type"] == "desa")][["code", "name"]].head(4)
    desa = ixf.make_desa(list(codes.itertuples(index=False, name=None)), seed=32)
    item = ixf.scored_items()[6]
    data = ixf.write_workbook(desa, ixf.Layout(year_in="none", overrides={(desa[1].code, item["item_no"]): 8}))
    at = upload(open_page(), "tanggamus.xlsx", data, XLSX)
    assert at.error[0].value == "Galat (2): berkas tidak dapat diimpor sampai diperbaiki."
    errors = at.dataframe[1].value
    assert errors.values.tolist()[1] == ["6", desa[1].code, "Skor \u201c8\u201d di luar 1..5 (harus bilangan bulat 1 "
                                         "sampai 5).", item["standard"]]
    assert not [b for b in at.button if b.key == "imp_confirm_idm"]
    # The year the file does not state can be chosen; the score error remains.
    at.selectbox(key="imp_year_0").set_value(2025).run()
    assert at.error[0].value == "Galat (1): berkas tidak dapat diimpor sampai diperbaiki."
    assert raw_count(env, "uploads") == 0 and raw_count(env, "index_imports") == 0
