"""The evaluation page in a real browser with the network blocked: scorecard, charts, PDF download."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, wait_for_app
from tests.independent import desa_count, joined_desa

pytestmark = pytest.mark.browser

CARD = "table[data-testid='ev-scorecard']"


def test_scorecard_detail_and_pdf_offline(page: Page, server, dataset, store_frames):
    page.goto(server.url("/Evaluasi?kab=18.06"))
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/Evaluasi\?kab=18\.06"))
    expect(page.get_by_role("heading", name="Evaluasi Program per Kabupaten/Kota")).to_be_visible()
    rows = page.locator(f"{CARD} tbody tr")
    expect(rows).to_have_count(15)
    tanggamus = rows.filter(has=page.locator("th", has_text="Kab. Tanggamus"))
    joined = 100 * joined_desa(store_frames, dataset.data_as_of, "18.06") / desa_count(dataset.regions, "18.06")
    expect(tanggamus.locator("td").nth(3)).to_have_text(f"{joined:.1f}%".replace(".", ","))
    # The two kota read "tidak berlaku" on adoption, greyed, never 0 %.
    metro = rows.filter(has=page.locator("th", has_text="Kota Metro"))
    expect(metro.locator("td", has_text="tidak berlaku").first).to_be_visible()
    # Plotly charts drew (composite ranking, trend, IDM, comparison) with no CDN.
    page.locator(".js-plotly-plot").first.wait_for(state="visible")
    assert page.locator(".js-plotly-plot").count() >= 4
    expect(page.get_by_text("Kab. Tanggamus").first).to_be_visible()
    screenshot(page, "evaluasi-tanggamus")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=re.compile("Unduh laporan 1 halaman")).click()
    path = info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert info.value.suggested_filename.endswith(".pdf")


def test_english_kota_view(page: Page, server):
    page.goto(server.url("/Evaluasi?kab=18.71&lang=en"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Regency/city scorecard")).to_be_visible()
    expect(page.locator(f"{CARD} tbody tr")).to_have_count(15)
    expect(page.get_by_text("No desa: IDM and signal data do not exist here").first).to_be_visible()
    screenshot(page, "evaluasi-kota-bandar-lampung-en")
