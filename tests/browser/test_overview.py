"""The overview in a real browser with the network blocked: KPIs, sidebar filter, locator map, deep links."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, wait_for_app, wait_for_leaflet
from tests.independent import desa_count, joined_desa

pytestmark = pytest.mark.browser

LOCATOR = "iframe[data-testid='stIFrame']"  # the locator map is a cached standalone Leaflet page


def expected_joined(dataset, store_frames, kab: str | None) -> str:
    """'joined / desa' of a region as the page prints it (Indonesian thousands), counted independently."""
    prefix = kab or "18"
    joined, desa = joined_desa(store_frames, dataset.data_as_of, prefix), desa_count(dataset.regions, prefix)
    return f"{joined:,} / {desa:,}".replace(",", ".")


def metric_value(page: Page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def sidebar_select_text(page: Page, label: str) -> str:
    """The shown value of a sidebar select box (an ARIA combobox)."""
    box = page.locator("[data-testid='stSidebar']").get_by_role("combobox", name=label)
    return box.input_value() if box.evaluate("e => e.tagName") == "INPUT" else box.inner_text()


def test_home_page_shows_province_kpis_and_map_offline(page: Page, server, dataset, store_frames):
    page.goto(server.url("/"))
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/Ringkasan"))
    assert metric_value(page, "Desa bergabung") == expected_joined(dataset, store_frames, None)
    expect(page.get_by_text("Data contoh").first).to_be_visible()
    expect(page.get_by_text("Dinas PMDT Provinsi Lampung").first).to_be_visible()
    expect(page.get_by_role("button", name="Deploy")).to_have_count(0)  # toolbarMode = viewer
    assert wait_for_leaflet(page, min_features=15, selector=LOCATOR) >= 15  # the 15 kabupaten/kota outlines
    screenshot(page, "ringkasan-provinsi")
    # A second session on the same server reuses the cached map data and must still draw it.
    page.reload()
    wait_for_app(page)
    assert wait_for_leaflet(page, min_features=15, selector=LOCATOR) >= 15


@pytest.mark.parametrize("path", ["/Ringkasan?kab=18.06", "/?kab=18.06"])
def test_deep_link_as_first_request_on_a_fresh_server_and_after_restart(
        path, server_factory, page_factory, dataset, store_frames):
    srv = server_factory()
    expected = expected_joined(dataset, store_frames, "18.06")
    for attempt in ("fresh", "restarted"):
        page, _ = page_factory(srv)
        page.goto(srv.url(path))  # the very first request this server sees
        wait_for_app(page)
        assert "Kab. Tanggamus" in sidebar_select_text(page, "Kabupaten/Kota")
        assert metric_value(page, "Desa bergabung") == expected
        assert wait_for_leaflet(page, min_features=2, selector=LOCATOR) >= 2
        expect(page).to_have_url(re.compile(r"/Ringkasan\?kab=18\.06$"))
        screenshot(page, f"deep-link-{'page' if 'Ringkasan' in path else 'root'}-{attempt}")
        page.context.close()
        if attempt == "fresh":
            srv.restart()


def test_choosing_a_kabupaten_in_the_sidebar_updates_kpis_and_url(page: Page, server, dataset, store_frames):
    page.goto(server.url("/Ringkasan"))
    wait_for_app(page)
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has_text="Kabupaten/Kota").first.click()
    page.get_by_role("option", name="Kab. Lampung Barat").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"kab=18\.04"))
    assert metric_value(page, "Desa bergabung") == expected_joined(dataset, store_frames, "18.04")
    assert sidebar_select_text(page, "Kecamatan") == "Semua kecamatan"  # the cascade offers kecamatan next
    screenshot(page, "ringkasan-lampung-barat")


def test_kota_shows_not_applicable(page: Page, server):
    page.goto(server.url("/Ringkasan?kab=18.71"))
    wait_for_app(page)
    assert metric_value(page, "Desa bergabung") == "tidak berlaku"
    screenshot(page, "ringkasan-kota-bandar-lampung")
