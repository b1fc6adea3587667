"""Real data from two kabupaten in a real browser (network blocked): Adopsi shows their figures, "belum
melapor" for the rest and the coverage of the total, at laptop, projector and phone sizes; the reporting
tracker lists the two reports. Screenshots under artifacts/screenshots/real-data-*."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.apptest.test_real_and_demo import OP_PSW, PSW, TGM, csv, expected_joined, real_rows
from tests.browser.harness import screenshot, wait_for_app
from tests.browser.test_progress_pages import metric_value, wait_for_plots
from tests.helpers import ADMIN, OP_TGM
from tests.independent import desa_count
from utils.intake import apply, validation

pytestmark = pytest.mark.browser


@pytest.fixture
def real_server(tmp_store, regions, server_factory):
    for kab, rows, op, name in ((TGM, real_rows(regions, TGM, 40, 3), OP_TGM, "adopsi-tanggamus.csv"),
                                (PSW, real_rows(regions, PSW, 25, 2), OP_PSW, "adopsi-pringsewu.csv")):
        rep = validation.validate("adoption", name, csv(rows), regions, kab, {})
        apply.approve(tmp_store, apply.submit(tmp_store, rep, op), ADMIN)
    return server_factory(env={"SV_DATABASE_URL": str(tmp_store.url)})


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080), (390, 844)])
def test_adopsi_real_data_at_three_sizes(real_server, page_factory, regions, dataset, size):
    page, _ = page_factory(real_server)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(real_server.url("/Adopsi"))
    wait_for_app(page)
    joined = expected_joined(real_rows(regions, TGM, 40, 3), dataset.data_as_of) + expected_joined(
        real_rows(regions, PSW, 25, 2), dataset.data_as_of)
    covered = desa_count(regions, TGM) + desa_count(regions, PSW)
    assert metric_value(page, "Desa bergabung") == f"{joined} / {covered}"
    expect(page.get_by_text(f"{covered} desa dari 2 kabupaten yang sudah melapor")).to_be_visible()
    expect(page.get_by_text("belum melapor").first).to_be_visible()
    wait_for_plots(page, 5)
    screenshot(page, f"real-data-adopsi-{size[0]}x{size[1]}")


def test_tracker_page(real_server, page_factory):
    page: Page
    page, _ = page_factory(real_server)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(real_server.url("/Pelaporan"))
    wait_for_app(page)
    expect(page.get_by_text("2 dari 15 kabupaten/kota sudah mengirim laporan")).to_be_visible()
    screenshot(page, "real-data-pelacak-1366x768")
