"""The kabupaten progress report in a real browser with the network blocked (issue 16): the operator maps a
column the app cannot place, sees the first rows as they will be read, excludes a pekon that does not exist,
saves the mapping as the kabupaten's profile and sends the report; next month's report of the same shape is
read with the profile straight away; the administrator reviews what changes and approves."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, wait_for_app
from tests.browser.test_upload import sign_in
from tests.helpers import write_operators_file
from tests.report_family import Layout, tanggamus_april, tanggamus_march, workbook
from utils.data import paths

pytestmark = pytest.mark.browser
LAYOUT = Layout(pillar_headers={"pemerintahan": "Adminduk & SID"})  # a header the app cannot place by itself


@pytest.fixture
def report_server(server_factory, tmp_path):
    db = tmp_path / "programme.db"
    shutil.copy(paths.DEFAULT_DB, db)
    env = {"SV_DATABASE_URL": f"sqlite:///{db}",
           "SV_OPERATORS_FILE": str(write_operators_file(tmp_path / "operators.toml"))}
    srv = server_factory(env=env)
    srv.db = db
    return srv


def combobox(page: Page, label: str):
    """The select box whose label SHOWS ``label``: labels holding a file's own header are Markdown-escaped
    (utils/i18n/inert.py), so the box's accessible name keeps the backslashes the page does not show."""
    return page.locator("[data-testid='stSelectbox']").filter(
        has=page.locator("[data-testid='stWidgetLabel']", has_text=label)).get_by_role("combobox").first


def choose(page: Page, label: str, option: str) -> None:
    box = combobox(page, label)
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):  # a rerun may redraw the box between the click and the menu
        box.click()
        box.fill(option)
        try:
            wanted.wait_for(timeout=5_000)
            break
        except Exception:  # noqa: BLE001 - try again
            page.keyboard.press("Escape")
            wait_for_app(page)
    wanted.click()
    wait_for_app(page)
    expect(combobox(page, label)).to_have_value(option, timeout=30_000)


def upload(page: Page, path) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(path))
    wait_for_app(page)


def open_report_upload(page: Page, srv) -> None:
    page.goto(srv.url("/Unggah"))
    wait_for_app(page)
    sign_in(page, "op_tgm")
    choose(page, "Jenis data", "Laporan perkembangan kabupaten (format Dinas)")
    expect(page.get_by_text("Petakan kolomnya sekali")).to_be_visible()


def test_map_preview_save_profile_then_next_month_with_the_profile(report_server, page_factory, tmp_path):
    page, _ = page_factory(report_server)
    march = tanggamus_march()
    first = tmp_path / "Laporan SV Tanggamus Maret 2025.xlsx"
    first.write_bytes(workbook(march, LAYOUT))
    open_report_upload(page, report_server)
    upload(page, first)
    expect(page.get_by_text("Pratinjau: 10 baris pertama seperti akan dibaca")).to_be_visible(timeout=30_000)
    choose(page, "G: Layanan Digital Aktif / Adminduk & SID", "Layanan aktif: Pemerintahan")
    expect(page.get_by_text("“Ya” (")).to_be_visible()  # the words of the service columns, to be checked
    choose(page, "Baris 23: “Sukamakmur Jaya”", "Kecualikan baris ini")
    expect(page.get_by_text("Berkas lolos pemeriksaan.")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)  # the grids paint their cells after the canvas appears
    for size, name in (((1366, 768), "laporan-pemetaan-1366"), ((1920, 1080), "laporan-pemetaan-1920"),
                       ((390, 844), "laporan-pemetaan-ponsel")):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.wait_for_timeout(800)
        screenshot(page, name)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.get_by_role("button", name="Simpan profil untuk Kab. Tanggamus").click()
    wait_for_app(page)
    expect(page.get_by_text("Profil “Laporan bulanan” disimpan")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Profil “Laporan bulanan” cocok dengan berkas ini dan dipakai.")).to_be_visible()
    choose(page, "Baris 23: “Sukamakmur Jaya”", "Kecualikan baris ini")
    page.get_by_role("button", name="Simpan (18 baris)").click()
    wait_for_app(page)
    expect(page.get_by_text("tersimpan dan menunggu persetujuan admin provinsi")).to_be_visible(timeout=30_000)
    screenshot(page, "laporan-terkirim")

    # Next month: the same shape goes straight to the check with the saved profile.
    second = tmp_path / "Laporan SV Tanggamus April 2025.xlsx"
    second.write_bytes(workbook(tanggamus_april(march), Layout(**{**LAYOUT.__dict__, "as_of": dt.date(2025, 4, 30)})))
    upload(page, second)
    expect(page.get_by_text("Profil “Laporan bulanan” cocok dengan berkas ini dan dipakai.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Pemetaan kolom dan nilai")).to_be_visible()  # folded away: nothing to do
    expect(page.get_by_text("G: Layanan Digital Aktif / Adminduk & SID")).to_be_hidden()
    choose(page, "Baris 23: “Sukamakmur Jaya”", "Kecualikan baris ini")
    # March is still pending, so only April's own disagreements: Gisting Permai at "Operator terlatih" with 0
    # operators, Negeri Ratu back at "Bergabung" with 2.
    expect(page.get_by_text("Temuan dari laporan ini (2)")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)
    screenshot(page, "laporan-bulan-berikutnya")
    page.get_by_role("button", name="Simpan (17 baris)").click()
    wait_for_app(page)
    expect(page.get_by_text("tersimpan dan menunggu persetujuan admin provinsi")).to_be_visible(timeout=30_000)

    # The administrator reviews the April report before approving it.
    page.get_by_role("button", name="Keluar").click()
    wait_for_app(page)
    page.goto(report_server.url("/Riwayat"))
    wait_for_app(page)
    sign_in(page, "admin")
    expect(page.get_by_text("Yang berubah bila laporan ini disetujui")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Cakupan: 17 dari 299 desa Kab. Tanggamus dilaporkan")).to_be_visible()
    page.wait_for_timeout(1500)
    screenshot(page, "laporan-persetujuan")
    engine = sa.create_engine(f"sqlite:///{report_server.db}")
    with engine.connect() as conn:
        profiles = conn.execute(sa.text("SELECT kab_code, name, saved_by FROM mapping_profiles")).all()
        pending = conn.execute(sa.text("SELECT COUNT(*) FROM uploads WHERE kind='status_report' AND status='pending'")
                               ).scalar()
        stored = conn.execute(sa.text("SELECT COUNT(*) FROM status_report_rows")).scalar()
    engine.dispose()
    assert profiles == [("18.06", "Laporan bulanan", "op_tgm")]  # kept in the store, not in the browser
    assert (pending, stored) == (2, 0)  # nothing reaches the data before approval
