"""The import page in a real browser with the network blocked: admin login, a refused workbook, then an
IDM year imported after confirmation. The server works on a copy of data/ in tmp (never the real one)."""

from __future__ import annotations

import io
import shutil

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, wait_for_app
from tests.files import doctored, names_only_geojson
from tests.helpers import PASSWORDS, write_operators_file
from utils.data import paths

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def srv(tmp_path, server_factory):
    """A server whose data folder (canonical files and programme store) is a throwaway copy."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data, ignore=shutil.ignore_patterns(".cache", "imports"))
    ops = write_operators_file(tmp_path / "operators.toml")
    server = server_factory(env={"SV_DATA_DIR": str(data), "SV_OPERATORS_FILE": str(ops), "SV_DATABASE_URL": ""})
    server.data_dir = data
    return server


def login(page: Page, srv) -> None:
    page.goto(srv.url("/Impor"))
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(PASSWORDS["admin"])
    page.get_by_role("button", name="Masuk").click()
    wait_for_app(page)


def upload(page: Page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    wait_for_app(page)


def test_admin_imports_an_idm_year_after_a_refused_file(srv, page_factory, real_rows):
    page, _ = page_factory(srv)
    login(page, srv)
    expect(page.get_by_role("heading", name="Impor IDM dan Batas Wilayah")).to_be_visible()

    wb = openpyxl.Workbook()
    wb.active.append(["No", "Kabupaten", "Peserta"])
    buf = io.BytesIO()
    wb.save(buf)
    upload(page, "rekap.xlsx", buf.getvalue())
    expect(page.get_by_text("Berkas ditolak; tidak ada yang disimpan.")).to_be_visible()
    expect(page.get_by_text("Kolom yang diharapkan: KODE PROV, NAMA PROVINSI")).to_be_visible()
    screenshot(page, "impor-idm-ditolak")
    assert not (srv.data_dir / "imports").exists()

    data, kept = doctored(real_rows, 2025, 3)
    upload(page, "IDM_2025.xlsx", data)
    expect(page.get_by_text("IDM 2025: 3 desa,")).to_be_visible()
    screenshot(page, "impor-idm-2025-laporan")
    page.get_by_role("button", name="Konfirmasi impor").click()
    wait_for_app(page)
    expect(page.get_by_text("Tersimpan: 3 baris ditambahkan.")).to_be_visible()
    expect(page.get_by_text("Tahun IDM tersedia: 2024, 2025")).to_be_visible()
    written = pd.read_parquet(srv.data_dir / "imports" / "idm_2025.parquet")
    assert len(written) == len(kept) == 3
    screenshot(page, "impor-idm-2025-tersimpan")


def test_boundary_match_report_is_shown_before_anything_is_replaced(srv, page_factory):

    page, _ = page_factory(srv)
    login(page, srv)
    page.get_by_text("Batas wilayah", exact=True).click()
    wait_for_app(page)
    page.locator("[data-testid='stSelectbox']").filter(has_text="Tingkat wilayah").click()
    page.get_by_role("option", name="Desa/kelurahan").click()
    wait_for_app(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(files=[{
        "name": "gedung_surian.geojson", "mimeType": "application/geo+json",
        "buffer": names_only_geojson(pd.read_parquet(paths.REGIONS))}])
    wait_for_app(page)
    expect(page.get_by_text("Cocok: 4 · tidak cocok: 1")).to_be_visible()
    expect(page.get_by_role("button", name="Konfirmasi impor")).to_be_visible()
    screenshot(page, "impor-batas-laporan")
    assert not (srv.data_dir / "imports").exists()  # nothing replaced before the confirmation
