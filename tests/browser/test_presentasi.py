"""Meeting mode in a real browser with the network blocked: full-screen slides at projector sizes,
arrow keys move exactly one slide, the way back, "Data contoh" on every slide."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import press_and_wait, screenshot, wait_for_app

pytestmark = pytest.mark.browser

SLIDE = ".st-key-sv_pres_slide"
NAV = ".st-key-sv_pres_nav"
#: Tanggamus deck: title, KPIs, map, adoption, Bimtek, ranking, Tanggamus scorecard, laggards.
TANGGAMUS_SLIDES = 8


def counter(page: Page) -> str:
    return page.locator(NAV).get_by_text(re.compile(r"^\d+ / \d+$")).inner_text().strip()


def slide_title(page: Page) -> str:
    return page.locator(f"{SLIDE} h1").first.inner_text().strip()


def start(page: Page, server, query: str) -> None:
    page.goto(server.url(f"/Presentasi?{query}"))
    wait_for_app(page)
    page.get_by_role("button", name="Mulai presentasi").click()
    wait_for_app(page)


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_presentation_mode_fills_the_screen_and_hides_the_chrome(page: Page, server, size):
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    start(page, server, "kab=18.06")
    expect(page.locator("[data-testid='stSidebar']")).to_be_hidden()
    expect(page.locator("header[data-testid='stHeader']")).to_be_hidden()
    expect(page.get_by_text("Mode rapat (Presentasi)")).to_be_hidden()  # the page heading gives way too
    assert counter(page) == f"1 / {TANGGAMUS_SLIDES}"
    assert slide_title(page) == "Smart Village Provinsi Lampung"
    expect(page.locator(SLIDE).get_by_text("Rapat koordinasi · Kab. Tanggamus")).to_be_visible()
    # The slide uses the width: at least 90 % of the window, and its title in large type.
    box = page.locator(SLIDE).bounding_box()
    assert box is not None and box["width"] >= 0.9 * width
    size_px = float(page.locator(f"{SLIDE} h1").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
    assert size_px >= 36
    screenshot(page, f"presentasi-judul-{width}x{height}")
    # Adoption slide: chart fits on the screen with the navigation still reachable.
    for n in range(2, 5):
        press_and_wait(page, "ArrowRight", page.locator(NAV), f"{n} / {TANGGAMUS_SLIDES}")
    assert slide_title(page) == "Adopsi terhadap target"
    expect(page.locator(f"{SLIDE} [data-testid='stPlotlyChart']")).to_be_visible(timeout=20_000)
    expect(page.locator(f"{SLIDE} .sv-demo")).to_have_text("Data contoh")
    screenshot(page, f"presentasi-adopsi-{width}x{height}")
    press_and_wait(page, "ArrowLeft", page.locator(NAV), f"3 / {TANGGAMUS_SLIDES}")
    assert slide_title(page) == "Peta: desa bergabung"
    expect(page.locator(f"{SLIDE} img")).to_be_visible()
    img = page.locator(f"{SLIDE} img").first.bounding_box()
    assert img is not None and img["y"] + img["height"] <= height, img  # the map fits the projector screen
    screenshot(page, f"presentasi-peta-{width}x{height}")


def test_arrow_keys_move_exactly_one_slide_and_escape_returns(page: Page, server):
    page.set_viewport_size({"width": 1366, "height": 768})
    start(page, server, "kab=18.06")
    titles = []
    for expected in range(2, TANGGAMUS_SLIDES + 1):
        press_and_wait(page, "ArrowRight", page.locator(NAV), f"{expected} / {TANGGAMUS_SLIDES}")
        assert counter(page) == f"{expected} / {TANGGAMUS_SLIDES}"
        expect(page.locator(f"{SLIDE} .sv-demo")).to_have_text("Data contoh")  # on every slide
        titles.append(slide_title(page))
        if expected == 7:  # the Tanggamus scorecard: its indicator table, all six rows
            expect(page.locator(f"{SLIDE} [data-testid='stTable'] tbody tr")).to_have_count(6, timeout=20_000)
        if expected in (5, 7):  # Bimtek coverage (a 20-row chart) and the scorecard
            screenshot(page, f"presentasi-slide{expected}-1366x768")
    assert titles[5] == "Kartu skor · Kab. Tanggamus"
    screenshot(page, "presentasi-tindak-lanjut-1366x768")
    page.keyboard.press("ArrowRight")  # the last slide: stays
    wait_for_app(page)
    assert counter(page) == f"{TANGGAMUS_SLIDES} / {TANGGAMUS_SLIDES}"
    press_and_wait(page, "ArrowLeft", page.locator(NAV), f"{TANGGAMUS_SLIDES - 1} / {TANGGAMUS_SLIDES}")
    assert counter(page) == f"{TANGGAMUS_SLIDES - 1} / {TANGGAMUS_SLIDES}"
    assert slide_title(page) == titles[-2]
    page.keyboard.press("Escape")  # the way back: sidebar and page controls again
    wait_for_app(page)
    expect(page.locator("[data-testid='stSidebar']")).to_be_visible()
    expect(page.get_by_role("button", name="Mulai presentasi")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Siapkan PowerPoint"))).to_be_visible()
    screenshot(page, "presentasi-kontrol-1366x768")
