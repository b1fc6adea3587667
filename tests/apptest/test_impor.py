"""The import page: admin only; IDM and boundary files checked, confirmed, written and recorded; bad files
refused with a message while the imports folder and the store stay exactly as they were."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import shown
from tests.files import doctored, names_only_geojson, zipped
from tests.helpers import ADMIN, OP_TGM, content, raw_count
from utils.data import geo_static, paths, store

APP = str(paths.ROOT / "app.py")
PAGE = "pages/8_Impor.py"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def env(tmp_path, monkeypatch, tmp_store):
    """Imports, static map files and the store all under tmp; yields the store engine."""
    monkeypatch.setattr(paths, "IMPORTS_DIR", tmp_path / "imports")
    monkeypatch.setattr(geo_static, "STATIC_GEO_DIR", tmp_path / "static_geo")
    return tmp_store


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
    assert at.success[0].value == "Tersimpan: 3 baris ditambahkan."
    assert (paths.IMPORTS_DIR / "idm_2025.parquet").is_file()
    ups = store.read_uploads(env)
    assert ups[["kind", "file_name", "uploader", "status", "rows_added"]].values.tolist() == [
        ["idm", "IDM_2025.xlsx", "admin", "applied", 3]]
    assert ups["sha256"].iloc[0] == hashlib.sha256(data).hexdigest()
    assert "2024, 2025" in " ".join(c.value for c in at.caption)

    before = files(paths.IMPORTS_DIR)
    at = upload(at, "IDM_2025.xlsx", data, XLSX)
    assert any("sudah diimpor; tidak ada yang berubah" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "imp_confirm_idm"]
    assert files(paths.IMPORTS_DIR) == before and raw_count(env, "uploads") == 1


def not_idm() -> bytes:
    wb = openpyxl.Workbook()
    for row in (["Rekap Bimtek"], ["No", "Kabupaten", "Peserta"], [1, "Tanggamus", 19]):
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(("name", "data", "message"), [
    ("rekap.xlsx", not_idm(), "Bukan buku kerja IDM yang dikenal: tidak ada baris judul yang diawali KODE PROV"),
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


def test_boundaries_by_name_show_the_report_then_replace_after_confirmation(env, regions):
    at = open_page()
    at.radio(key="imp_kind").set_value("boundary").run()
    at.selectbox(key="imp_level").set_value("desa").run()
    at = upload(at, "gedung_surian.geojson", names_only_geojson(regions), "application/geo+json")
    assert [m.value for m in at.main.markdown if m.value.startswith("Cocok: 4 · tidak cocok: 1 ·")]
    report = at.dataframe[0].value
    assert report["Status"].tolist() == ["cocok"] * 4 + ["tidak cocok"]
    assert report["Saran (skor)"].iloc[4].startswith("Mekarjaya (18.04.15.2005)")
    assert files(paths.IMPORTS_DIR) == {}  # nothing before the confirmation
    at.button(key="imp_confirm_geo").click().run()
    assert at.success[0].value == "Tersimpan: 4 wilayah diganti, 0 ditambahkan."
    assert set(files(paths.IMPORTS_DIR)) == {"boundaries/desa.parquet", "boundaries/desa_display.parquet"}
    assert (geo_static.STATIC_GEO_DIR / "desa.geojson").is_file()
    assert store.read_uploads(env)[["kind", "uploader", "rows_changed"]].values.tolist() == [["boundary", "admin", 4]]


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
    assert not at.dataframe and files(paths.IMPORTS_DIR) == {}
    after = content(env)
    assert all(stored[k].equals(after[k]) for k in stored) and raw_count(env, "uploads") == 0
