"""The data-quality page in a real browser with the network blocked: the per-kabupaten table, a row click
listing the villages concerned, and the English switch."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, wait_for_app

pytestmark = pytest.mark.browser

GRID = "[data-testid='stDataFrame']"
ROW_HEIGHT = 35  # Streamlit's data grid: header and rows are 35 px high


def click_row(page: Page, index: int) -> None:
    """Select row ``index`` of the first data grid by clicking its row marker (the grid is a canvas)."""
    grid = page.locator(GRID).first
    grid.scroll_into_view_if_needed()
    grid.click(position={"x": 14, "y": ROW_HEIGHT * (index + 1) + ROW_HEIGHT // 2})


def test_quality_table_and_a_row_click_lists_the_villages(page: Page, server):
    page.goto(server.url("/Kualitas"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Kualitas Data per Kabupaten/Kota")).to_be_visible()
    expect(page.get_by_text("Pilih satu kabupaten/kota di tabel")).to_be_visible()
    expect(page.locator(GRID)).to_have_count(1)
    click_row(page, 0)  # Kab. Lampung Selatan, the first kabupaten by code
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Desa dengan temuan: Kab. Lampung Selatan")).to_be_visible()
    expect(page.locator(GRID)).to_have_count(2)
    screenshot(page, "kualitas-lampung-selatan")


def test_kabupaten_deep_link_in_english(page: Page, server):
    page.goto(server.url("/Kualitas?kab=18.06&lang=en"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Data quality per regency/city")).to_be_visible()
    expect(page.get_by_role("heading", name="Villages with findings: Kab. Tanggamus")).to_be_visible()
    screenshot(page, "kualitas-tanggamus-en")
