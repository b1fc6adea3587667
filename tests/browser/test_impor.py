"""The import page in a real browser with the network blocked: admin login, a refused workbook, then an
IDM year and an Indeks Desa file of one kabupaten imported after confirmation (into the store), the Indeks Desa
import undone on Riwayat; a boundary file checked, a suggestion accepted, applied, seen on the map and undone
from the history. The server works on copies of data/ and geo/ in tmp (never the real ones; its map files go to
their own static folder)."""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import SCREENSHOT_DIR, screenshot, wait_for_app
from tests.files import doctored, names_only_geojson
from tests.helpers import PASSWORDS, write_operators_file
from utils.data import geo_static, paths

pytestmark = pytest.mark.browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def srv(tmp_path, server_factory):
    """A server whose data and boundary folders (canonical files, programme store, layers) are throwaway
    copies; its map files are written to their own static folder (static/geo/_<hash>/), removed afterwards."""
    data, geo_dir = tmp_path / "data", tmp_path / "geo"
    shutil.copytree(paths.DATA_DIR, data, ignore=shutil.ignore_patterns(".cache", "imports", "served_geo"))
    shutil.copytree(paths.GEO_DIR, geo_dir)
    ops = write_operators_file(tmp_path / "operators.toml")
    server = server_factory(env={"SV_DATA_DIR": str(data), "SV_GEO_DIR": str(geo_dir), "SV_OPERATORS_FILE": str(ops),
                                 "SV_DATABASE_URL": ""})
    server.data_dir = data
    server.static_dir = geo_static.static_dir(geo_dir)
    yield server
    shutil.rmtree(server.static_dir, ignore_errors=True)


def login(page: Page, srv, path: str = "/Impor") -> None:
    page.goto(srv.url(path))
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(PASSWORDS["admin"])
    page.get_by_role("button", name="Masuk").click()
    wait_for_app(page)


def upload(page: Page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    wait_for_app(page)


def store_count(srv, table: str) -> int:
    con = sqlite3.connect(srv.data_dir / "programme.db")
    try:
        return int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        con.close()


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
    expect(page.get_by_text("Diharapkan (Indeks Desa): Provinsi, Kabupaten/ Kota")).to_be_visible()
    screenshot(page, "impor-idm-ditolak")
    assert store_count(srv, "index_imports") == 0

    data, kept = doctored(real_rows, 2025, 3)
    upload(page, "IDM_2025.xlsx", data)
    expect(page.get_by_text("IDM 2025: 3 desa,")).to_be_visible()
    screenshot(page, "impor-idm-2025-laporan")
    page.get_by_role("button", name="Konfirmasi impor").click()
    wait_for_app(page)
    expect(page.get_by_text("3 desa ditambahkan, 0 desa diganti")).to_be_visible()
    expect(page.get_by_text("Tahun IDM tersedia: 2024, 2025")).to_be_visible()
    assert store_count(srv, "idm_import_desa") == len(kept) == 3
    assert not (srv.data_dir / "imports").exists()  # in the store, not in a file
    screenshot(page, "impor-idm-2025-tersimpan")


def test_indeks_desa_of_one_kabupaten_imported_then_undone(srv, page_factory):
    from tests import indeks_desa_files as ixf

    regions = pd.read_parquet(paths.REGIONS)
    codes = regions[(regions["kab_code"] == "18.06") & (regions["village_type"] == "desa")][["code", "name"]]
    desa = ixf.make_desa(list(codes.itertuples(index=False, name=None)), seed=51)
    wrong = desa[3]
    wrong.status = next(x for x in ixf.STATUSES if x != ixf.band(wrong.total()))
    page, _ = page_factory(srv)
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, srv)
    upload(page, "tanggamus_indeks_desa_2025.xlsx", ixf.write_workbook(desa, ixf.Layout(alias=True)))
    # Reading ~300 desa x 127 items takes a few seconds on a busy machine.
    expect(page.get_by_text(f"Indeks Desa 2025: {len(desa)} desa dari 1 kabupaten/kota")).to_be_visible(timeout=90_000)
    expect(page.get_by_text(f"mencakup {len(desa)} dari 2.446 desa")).to_be_visible()
    expect(page.get_by_text("Temuan (1): dicatat, tidak menghalangi impor.")).to_be_visible()
    expect(page.locator("[data-testid='stDataFrame'] canvas").nth(1)).to_be_visible()
    page.wait_for_timeout(1500)  # the grid paints its cells after the canvas appears
    screenshot(page, "impor-indeks-desa-laporan")
    page.get_by_role("button", name="Konfirmasi impor").click()
    wait_for_app(page)
    expect(page.get_by_text(f"{len(desa)} desa ditambahkan")).to_be_visible(timeout=60_000)
    assert store_count(srv, "indeks_desa_desa") == len(desa)
    screenshot(page, "impor-indeks-desa-tersimpan")

    page.get_by_role("link", name="Riwayat & Persetujuan").click()  # same session: still logged in
    wait_for_app(page)
    expect(page.get_by_role("combobox", name="Pilih unggahan")).to_have_value(
        "#1 · Indeks Desa (impor) · tanggamus_indeks_desa_2025.xlsx", timeout=60_000)
    page.get_by_role("button", name="Batalkan (kembalikan keadaan sebelumnya)").click()
    wait_for_app(page)
    expect(page.get_by_text("dibatalkan; data kembali seperti sebelumnya")).to_be_visible()
    screenshot(page, "riwayat-indeks-desa-dibatalkan")
    assert store_count(srv, "indeks_desa_desa") == 0 and store_count(srv, "indeks_desa_items") == 0


#: Matching, measuring and regenerating the served files take tens of seconds on a loaded 2-core machine.
SLOW = 240_000


def static_files(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def map_shot(page: Page, srv, path: str, name: str) -> None:
    page.goto(srv.url(path))
    wait_for_app(page)
    page.locator(".sv-map").scroll_into_view_if_needed()
    page.wait_for_function("() => window.__svMap && Object.keys(window.__svMap._layers).length > 3", timeout=60_000)
    page.wait_for_timeout(1500)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.locator(".sv-map").screenshot(path=str(SCREENSHOT_DIR / f"{name}-peta.png"))


def test_boundary_suggestion_accepted_applied_seen_on_the_map_and_undone(srv, page_factory):

    page, _ = page_factory(srv)
    map_shot(page, srv, "/Peta?kab=18.04&kec=18.04.15", "impor-batas-0-sebelum")
    before = static_files(srv.static_dir)
    login(page, srv)
    page.get_by_text("Batas wilayah", exact=True).click()
    wait_for_app(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(files=[{
        "name": "gedung_surian.geojson", "mimeType": "application/geo+json",
        "buffer": names_only_geojson(pd.read_parquet(paths.REGIONS))}])
    wait_for_app(page)
    expect(page.get_by_text("Cocok: 4", exact=False)).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("combobox", name="Tingkat wilayah")).to_have_value("Desa/kelurahan (diusulkan dari berkas)")
    screenshot(page, "impor-batas-1-laporan")
    assert static_files(srv.static_dir) == before  # nothing replaced before the confirmation

    page.get_by_label("Skor minimum").fill("60")
    page.get_by_label("Skor minimum").press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Terima semua saran dengan skor ini ke atas").click()
    wait_for_app(page)
    expect(page.get_by_text("Fitur 5 \u201cMekarsari Jaya\u201d \u2192 Mekarjaya (18.04.15.2005), skor")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("5 wilayah yang cocok tumpang tindih kurang dari 50%", exact=False)).to_be_visible(timeout=SLOW)
    page.get_by_text("Sertakan juga 5 wilayah yang tumpang tindih kurang dari 50%", exact=False).click()
    wait_for_app(page)
    expect(page.get_by_text("Akan diterapkan: 5 desa/kelurahan", exact=False)).to_be_visible(timeout=SLOW)
    page.get_by_role("textbox", name="Sumber batas (ditampilkan di baris sumber setiap halaman)").fill("Uji Bappeda 2024")
    page.get_by_role("textbox", name="Sumber batas (ditampilkan di baris sumber setiap halaman)").press("Enter")
    wait_for_app(page)
    screenshot(page, "impor-batas-2-saran-diterima")
    page.get_by_role("button", name="Konfirmasi impor").click()
    wait_for_app(page, timeout=240_000)
    expect(page.get_by_text("Tersimpan sebagai impor batas: 5 wilayah diganti, 0 ditambahkan.")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("batas wilayah: desa/kelurahan dari Uji Bappeda 2024 (diimpor", exact=False)).to_be_visible(timeout=SLOW)
    screenshot(page, "impor-batas-3-tersimpan")
    assert static_files(srv.static_dir) != before
    map_shot(page, srv, "/Peta?kab=18.04&kec=18.04.15", "impor-batas-4-diimpor")

    login(page, srv, "/Riwayat")  # a new browser session: log in again
    expect(page.get_by_text("Membatalkan impor batas mengembalikan peta", exact=False)).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="Batalkan (kembalikan keadaan sebelumnya)").click()
    wait_for_app(page, timeout=240_000)
    expect(page.get_by_text("Impor batas #1 dibatalkan; peta dan batas wilayah kembali seperti sebelumnya.")).to_be_visible(timeout=SLOW)
    with sqlite3.connect(srv.data_dir / "programme.db") as con:
        assert con.execute("SELECT kind, status FROM uploads").fetchall() == [("boundary", "rolled_back")]
    screenshot(page, "impor-batas-5-dibatalkan")
    assert static_files(srv.static_dir) == before  # byte for byte
    map_shot(page, srv, "/Peta?kab=18.04&kec=18.04.15", "impor-batas-6-sesudah")
