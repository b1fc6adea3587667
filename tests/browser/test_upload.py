"""The upload flow in a real browser with the network blocked: sign in, download the template, fill it,
upload (a bad file first), confirm, approve as the provincial administrator, see the overview change."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, wait_for_app
from tests.helpers import PASSWORDS, write_operators_file
from tests.independent import desa_count
from utils.data import paths

pytestmark = pytest.mark.browser
FILLED = ["18.06.20.2006", "18.06.20.2002", "18.06.20.2001", "18.06.20.2005"]


@pytest.fixture
def upload_server(server_factory, tmp_path):
    db = tmp_path / "programme.db"
    shutil.copy(paths.DEFAULT_DB, db)
    env = {"SV_DATABASE_URL": f"sqlite:///{db}",
           "SV_OPERATORS_FILE": str(write_operators_file(tmp_path / "operators.toml"))}
    return server_factory(env=env)


def sign_in(page: Page, user: str) -> None:
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(PASSWORDS[user])
    page.get_by_role("button", name="Masuk", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text("Masuk sebagai").first).to_be_visible(timeout=30_000)


def upload_file(page: Page, path) -> None:
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    wait_for_app(page)


def test_upload_flow_offline(upload_server, page_factory, tmp_path, dataset):
    page, _ = page_factory(upload_server)
    page.goto(upload_server.url("/Unggah"))
    wait_for_app(page)
    expect(page.get_by_text("Halaman ini untuk operator")).to_be_visible()
    screenshot(page, "unggah-masuk")
    sign_in(page, "op_tgm")

    with page.expect_download() as info:
        page.get_by_role("button", name="Unduh templat (.xlsx)").click()
    template = tmp_path / info.value.suggested_filename
    info.value.save_as(template)
    assert template.name == "templat-adoption-18.06.xlsx"

    bad = tmp_path / "salah.csv"
    bad.write_text("kode_desa;tahap;tanggal\n18.06.20.2006;Selesai;17/12/2024\n18.01.04.2001;Bergabung;17/12/2024\n",
                   encoding="utf-8")
    upload_file(page, bad)
    expect(page.get_by_text("2 masalah ditemukan")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Simpan")).to_have_count(0)
    expect(page.locator("[data-testid='stDataFrame'] canvas").first).to_be_visible()
    page.wait_for_timeout(1500)  # the grid paints its cells after the canvas appears
    screenshot(page, "unggah-laporan-kesalahan")

    wb = openpyxl.load_workbook(template)
    for row in wb["Data"].iter_rows(min_row=2):
        if row[0].value in FILLED:
            row[3].value, row[4].value = "Bergabung", dt.datetime(2024, 12, 17)
    filled = tmp_path / "adopsi-tanggamus.xlsx"
    wb.save(filled)
    upload_file(page, filled)
    expect(page.get_by_text("Berkas lolos pemeriksaan.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Akan ditambah: 4, diubah: 0")).to_be_visible()
    screenshot(page, "unggah-lolos")
    page.get_by_role("button", name="Simpan (4 baris)").click()
    wait_for_app(page)
    expect(page.get_by_text("Unggahan #1 tersimpan dan menunggu persetujuan admin provinsi.")).to_be_visible(timeout=30_000)

    page.get_by_role("button", name="Keluar").click()
    wait_for_app(page)
    page.goto(upload_server.url("/Riwayat"))
    wait_for_app(page)
    sign_in(page, "admin")
    pick = page.get_by_role("combobox", name="Pilih unggahan")
    assert "adopsi-tanggamus.xlsx" in (pick.input_value() or pick.inner_text())
    expect(page.get_by_text("Status: menunggu persetujuan")).to_be_visible()
    screenshot(page, "riwayat-menunggu")
    page.get_by_role("button", name="Setujui").click()
    wait_for_app(page)
    expect(page.get_by_text("Unggahan #1 disetujui dan diterapkan.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Status: diterapkan")).to_be_visible()
    screenshot(page, "riwayat-disetujui")

    page.goto(upload_server.url("/Ringkasan?kab=18.06"))
    wait_for_app(page)
    value = page.locator("[data-testid='stMetric']").filter(has_text="Desa bergabung").first.locator(
        "[data-testid='stMetricValue']").inner_text().strip()
    assert value == f"4 / {desa_count(dataset.regions, '18.06')}"
    expect(page.get_by_text("masih dipakai untuk").first).to_be_visible()
    screenshot(page, "ringkasan-setelah-unggah")
