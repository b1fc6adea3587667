"""Issue 22 on a phone (390×844, touch, network blocked): Ringkasan, Peta, Adopsi and Evaluasi are never wider
than the screen, KPIs are stacked, charts fit with their labels inside and no toolbar over them, the map drills
down by a tap and back by the breadcrumb, the sidebar filter opens from its button. Screenshots under
artifacts/screenshots/phone-*.png."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.harness import (
    LEAFLET_HOOK,
    LOCALE,
    SCREENSHOT_DIR,
    NetworkMonitor,
    screenshot,
    wait_for_app,
)
from tests.browser.test_peta import count, wait_drawn

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = ["/Ringkasan", "/Peta", "/Adopsi", "/Evaluasi", "/Adopsi?kab=18.06", "/Evaluasi?kab=18.71"]

#: What sticks out sideways: the document's and the main area's scroll widths against the screen, and every
#: visible element of the main area whose box leaves the screen without being inside a box that clips or
#: scrolls it on screen (a wide table scrolling inside its frame is fine; the page scrolling is not).
WIDTH_JS = """() => {
  const w = window.innerWidth, main = document.querySelector("[data-testid='stMain']");
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || (r.right <= w + 1 && r.left >= -1)) continue;
    let p = el.parentElement, held = false;
    while (p && p !== main) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible') { const b = p.getBoundingClientRect(); if (b.right <= w + 1 && b.left >= -1) {
        held = true; break; } }
      p = p.parentElement;
    }
    if (!held) out.push((el.getAttribute('data-testid') || el.tagName) + ' ' + (el.innerText || '').slice(0, 40) +
                        ' [' + Math.round(r.left) + ', ' + Math.round(r.right) + ']');
  }
  return {inner: w, doc: document.documentElement.scrollWidth, main: main.scrollWidth, out: out.slice(0, 10)};
}"""
#: Per plotly chart (but the trend grid, which scrolls in its own box on a phone; checked separately): its width, the smallest tick/label font, text drawn beyond the chart, a visible toolbar.
CHARTS_JS = """() => [...document.querySelectorAll("[data-testid='stMain'] .js-plotly-plot")].filter(
    c => !c.closest('.st-key-ev_trend_box')).map(c => {
  const box = c.getBoundingClientRect();
  const texts = [...c.querySelectorAll('.xtick text, .ytick text, .textpoint text, .bartext')];
  const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize)).filter(s => s > 0);
  // Text under a clip path (a trace that clips to its axes) is cut at the plot area, other text at the chart.
  const drag = c.querySelector('.draglayer .nsewdrag'), area = drag ? drag.getBoundingClientRect() : box;
  const cut = texts.filter(t => { const r = t.getBoundingClientRect(), lim = t.closest('[clip-path]') ? area : box;
    return r.width && (r.right > lim.right + 1 || r.left < lim.left - 1); }).map(t => t.textContent);
  const bar = c.querySelector('.modebar-container');
  return {width: Math.round(box.width), smallest: sizes.length ? Math.min(...sizes) : null, cut,
          toolbar: !!bar && getComputedStyle(bar).display !== 'none'};
})"""


@pytest.fixture
def phone(browser: Browser, server) -> Iterator[Page]:
    """A touch phone at 390×844 (id-ID) guarded like every browser test: nothing leaves localhost."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale=LOCALE,  # type: ignore[arg-type]
                                  service_workers="block")
    context.add_init_script(LEAFLET_HOOK)
    monitor = NetworkMonitor(server.base_url).attach(context)
    page = context.new_page()
    yield page
    problems = monitor.problems()
    context.close()
    assert not problems, problems


def open_phone(page: Page, server, path: str) -> None:
    page.goto(server.url(path))
    wait_for_app(page, 120_000)
    page.wait_for_timeout(800)  # charts and the map lay out


def shot_name(path: str) -> str:
    return "phone-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


@pytest.mark.parametrize("path", PAGES)
def test_no_page_is_wider_than_the_phone_and_charts_fit_with_their_labels(phone: Page, server, path):
    open_phone(phone, server, path)
    width = phone.evaluate(WIDTH_JS)
    screenshot(phone, shot_name(path))
    assert width["doc"] <= width["inner"] and width["main"] <= width["inner"], width
    assert width["out"] == [], width["out"]
    charts = phone.evaluate(CHARTS_JS)
    assert charts or path.startswith("/Peta"), "no chart drawn"  # Peta: the map, checked below
    for chart in charts:
        assert 300 <= chart["width"] <= PHONE["width"], chart
        assert chart["smallest"] is None or chart["smallest"] >= 9.5, chart  # labels a phone can read
        assert chart["cut"] == [], chart  # no value or tick label outside its chart
        assert not chart["toolbar"], chart  # plotly's toolbar does not cover the bars


def test_trend_grid_keeps_a_readable_width_inside_its_own_box(phone: Page, server):
    open_phone(phone, server, "/Evaluasi?kab=18.06")
    box = phone.locator(".st-key-ev_trend_box")
    box.scroll_into_view_if_needed()
    sizes = box.evaluate("""b => ({box: b.getBoundingClientRect().width, scroll: b.scrollWidth,
        svg: b.querySelector('.main-svg').getBoundingClientRect().width})""")
    assert sizes["box"] <= PHONE["width"] and sizes["svg"] >= 700 and sizes["scroll"] >= 700, sizes
    screenshot(phone, "phone-evaluasi-tren")


def test_kpis_are_stacked_one_per_row(phone: Page, server):
    open_phone(phone, server, "/Ringkasan")
    boxes = phone.locator("[data-testid='stMain'] [data-testid='stMetric']").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right]; })")
    assert len(boxes) >= 4
    lefts = {round(b[0]) for b in boxes}
    assert len(lefts) == 1, boxes  # one column
    tops = [b[1] for b in boxes]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)
    assert all(b[2] <= PHONE["width"] for b in boxes)


def test_map_drills_down_by_tap_and_back_by_breadcrumb(phone: Page, server, dataset):
    regions = dataset.regions.set_index("code")
    open_phone(phone, server, "/Peta")
    wait_drawn(phone, 15)
    box = phone.locator(".sv-map").bounding_box()
    assert box and box["width"] <= PHONE["width"] and 340 <= box["height"] <= PHONE["height"] * 0.7
    kab = regions.loc["18.06"]  # Kab. Tanggamus
    phone.locator(".sv-map").scroll_into_view_if_needed()
    phone.wait_for_timeout(300)
    x, y = phone.evaluate("""([lat, lon]) => { const p = window.__svMap.latLngToContainerPoint([lat, lon]);
        const b = document.querySelector('.sv-map').getBoundingClientRect(); return [b.x + p.x, b.y + p.y]; }""",
                          [kab["rep_lat"], kab["rep_lon"]])
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOT_DIR / "phone-peta-as-seen.png"))  # the phone's own 390x844 view
    phone.touchscreen.tap(x, y)
    wait_for_app(phone, 120_000)
    expect(phone).to_have_url(re.compile(r"kab=18\.06"))
    wait_drawn(phone, count(dataset.regions, "kecamatan", "18.06."))
    crumbs = phone.locator(".st-key-map_crumbs")
    expect(crumbs).to_contain_text("Kab. Tanggamus")
    screenshot(phone, "phone-peta-tanggamus")
    crumbs.get_by_role("button", name="Provinsi Lampung").tap()
    wait_for_app(phone, 120_000)
    wait_drawn(phone, 15)
    expect(phone).not_to_have_url(re.compile(r"kab="))


def test_sidebar_filter_opens_from_its_button_and_filters(phone: Page, server):
    open_phone(phone, server, "/Ringkasan")
    sidebar = phone.locator("[data-testid='stSidebar']")
    assert sidebar.evaluate("e => e.getBoundingClientRect().right") <= 0  # closed: the page has the screen
    phone.locator("[data-testid='stExpandSidebarButton'], [data-testid='stSidebarCollapsedControl'] button").first.tap()
    expect(sidebar.get_by_role("combobox", name="Kabupaten/Kota")).to_be_in_viewport()
    screenshot(phone, "phone-sidebar")
    sidebar.locator("[data-testid='stSelectbox']").filter(has_text="Kabupaten/Kota").first.tap()
    phone.get_by_role("option", name="Kab. Tanggamus").tap()
    wait_for_app(phone, 120_000)
    expect(phone).to_have_url(re.compile(r"kab=18\.06"))
    expect(phone.locator("[data-testid='stMain']")).to_contain_text("Kab. Tanggamus")
