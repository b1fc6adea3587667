"""The map page in a real browser with every non-localhost request blocked: every feature of the
level is drawn, a click drills down (URL and breadcrumb follow), the way back up works, and a
metric change restyles the map in place (same zoom, no remount)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, wait_for_app

pytestmark = pytest.mark.browser

MAP = ".sv-map"
#: Interactive polygons Leaflet has drawn (context outlines are not interactive and not counted).
COUNT_JS = """() => { if (!window.__svMap) return -1; let n = 0;
  window.__svMap.eachLayer((l) => { if (l.feature && l.options.interactive !== false) n++; }); return n; }"""
VIEW_JS = "() => { const c = window.__svMap.getCenter(); return [window.__svMap.getZoom(), c.lat, c.lng]; }"
FILL_JS = """(code) => { let fill = null; window.__svMap.eachLayer((l) => {
  if (l.feature && l.feature.properties.c === code && l.options.interactive !== false) fill = l.options.fillColor; });
  return fill; }"""


def wait_drawn(page: Page, n: int) -> int:
    """Wait until the map has drawn exactly ``n`` regions of the level; returns Leaflet's count."""
    page.wait_for_function(f"() => ({COUNT_JS})() === {n}", timeout=60_000)
    return page.evaluate(COUNT_JS)


def click_region(page: Page, lon: float, lat: float) -> None:
    """A real mouse click on the map at a point inside the region (its representative point)."""
    page.mouse.click(*hover_region(page, lon, lat))


def hover_region(page: Page, lon: float, lat: float) -> tuple[float, float]:
    """Move the mouse over the map at (lon, lat); returns the page coordinates."""
    page.locator(MAP).scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    x, y = page.evaluate("""([lat, lon]) => { const p = window.__svMap.latLngToContainerPoint([lat, lon]);
        const b = document.querySelector('.sv-map').getBoundingClientRect(); return [b.x + p.x, b.y + p.y]; }""",
                         [lat, lon])
    page.mouse.move(x, y)
    return x, y


def count(regions, level: str, prefix: str = "", with_polygon: bool = True) -> int:
    rows = regions[(regions["level"] == level) & regions["code"].str.startswith(prefix)]
    return int(rows["has_polygon"].sum()) if with_polygon else len(rows)


def test_every_level_draws_every_feature_offline(page: Page, server, dataset):
    regions = dataset.regions
    page.goto(server.url("/Peta"))
    wait_for_app(page)
    assert wait_drawn(page, count(regions, "kabupaten")) == 15
    expect(page.locator(".sv-legend")).to_contain_text("tidak berlaku")  # the two kota, never 0
    screenshot(page, "peta-provinsi")

    page.get_by_text("Tampilkan semua desa/kelurahan").click()
    wait_for_app(page)
    assert wait_drawn(page, count(regions, "desa")) == 2640  # every village polygon at once
    expect(page.get_by_text("Desa/kelurahan tanpa poligon batas (11)")).to_be_visible()
    screenshot(page, "peta-semua-desa")

    # A kecamatan whose source lacks 4 of its 13 village polygons: 9 drawn, 4 listed under the map.
    page.goto(server.url("/Peta?kec=18.12.03"))
    wait_for_app(page)
    drawn, listed = count(regions, "desa", "18.12.03."), count(regions, "desa", "18.12.03.", False)
    assert (drawn, listed - drawn) == (9, 4)
    assert wait_drawn(page, drawn) == 9
    expect(page.get_by_text("Desa/kelurahan tanpa poligon batas (4)")).to_be_visible()
    screenshot(page, "peta-kecamatan")

    # The tooltip names a village with its local word and its parents.
    page.goto(server.url("/Peta?kec=18.06.20"))
    wait_for_app(page)
    wait_drawn(page, count(regions, "desa", "18.06.20."))
    village = regions[(regions["kec_code"] == "18.06.20") & (regions["village_type"] == "desa")].iloc[0]
    hover_region(page, village["rep_lon"], village["rep_lat"])
    tip = page.locator(".leaflet-tooltip")
    expect(tip).to_contain_text(f"Pekon {village['name']}")
    expect(tip).to_contain_text("Kec. Gisting, Kab. Tanggamus")
    expect(tip).to_contain_text("Status bergabung:")


def test_click_drills_down_and_breadcrumb_goes_back_up(page: Page, server, dataset):
    regions = dataset.regions.set_index("code", drop=False)
    page.goto(server.url("/Peta"))
    wait_for_app(page)
    wait_drawn(page, 15)

    tanggamus = regions.loc["18.06"]
    click_region(page, tanggamus["rep_lon"], tanggamus["rep_lat"])
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/Peta\?kab=18\.06$"))
    wait_drawn(page, count(dataset.regions, "kecamatan", "18.06."))
    crumbs = page.locator(".st-key-map_crumbs")
    expect(crumbs).to_contain_text("Provinsi Lampung")
    expect(crumbs).to_contain_text("Kab. Tanggamus")
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_role("combobox", name="Kabupaten/Kota")).to_have_value("Kab. Tanggamus")
    screenshot(page, "peta-klik-tanggamus")

    # One more level: a kecamatan of Tanggamus, then back up by the breadcrumb.
    kec = regions.loc["18.06.20"]  # Kec. Gisting
    click_region(page, kec["rep_lon"], kec["rep_lat"])
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"kec=18\.06\.20"))
    expect(crumbs).to_contain_text("Kec. Gisting")
    wait_drawn(page, count(dataset.regions, "desa", "18.06.20."))
    screenshot(page, "peta-klik-gisting")

    crumbs.get_by_role("button", name="Kab. Tanggamus").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/Peta\?kab=18\.06$"))
    wait_drawn(page, count(dataset.regions, "kecamatan", "18.06."))
    crumbs.get_by_role("button", name="Provinsi Lampung").click()
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"/Peta$"))
    wait_drawn(page, 15)
    screenshot(page, "peta-kembali-provinsi")


def test_metric_change_keeps_zoom_and_restyles_in_place(page: Page, server):
    page.goto(server.url("/Peta?kab=18.06"))
    wait_for_app(page)
    wait_drawn(page, 20)
    page.locator(MAP).scroll_into_view_if_needed()
    page.evaluate("() => window.__svMap.setView(window.__svMap.getCenter(), window.__svMap.getZoom() + 1.5, {animate: false})")
    before = page.evaluate(VIEW_JS)
    fill_before = page.evaluate(FILL_JS, "18.06.20")

    page.locator("[data-testid='stSelectbox']").filter(has_text="Indikator").click()
    page.get_by_role("option", name="Status IDM 2024 (terbanyak)").click()
    wait_for_app(page)
    expect(page.locator(".sv-legend")).to_contain_text("Status IDM 2024")
    page.wait_for_function(f"() => ({FILL_JS})('18.06.20') !== {fill_before!r}", timeout=30_000)
    after = page.evaluate(VIEW_JS)
    assert after == pytest.approx(before, abs=1e-9)  # same zoom and centre: the map was not rebuilt
    assert page.locator(MAP).get_attribute("data-mounts") == "1"
    assert page.evaluate(COUNT_JS) == 20
    screenshot(page, "peta-status-idm-zoom")
