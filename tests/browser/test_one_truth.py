"""Issue 15 in a real browser (network blocked) at 1366×768 and 1920×1080, screenshots under artifacts/:
nothing cut or overflowing (forecast KPI, scorecard, slides), charts filling the projector, readable labels,
the words of the chosen language, stage evidence beside the stage, "Data contoh" where artefacts come from."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import press_and_wait, screenshot, wait_for_app
from tests.independent import expected_forecast, kecamatan_paces

pytestmark = pytest.mark.browser

SIZES = [(1366, 768), (1920, 1080)]
SLIDE = ".st-key-sv_pres_slide"
#: True when an element's text is cut (ellipsis or hidden overflow): its content is wider than its box.
CUT_JS = "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)"


def open_at(page: Page, server, path: str, size: tuple[int, int]) -> None:
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(server.url(path))
    wait_for_app(page)


#: Indonesian month abbreviations as the KPI writes them.
BULAN = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


@pytest.mark.parametrize("size", SIZES + [(1440, 900)])
def test_forecast_kpi_is_never_cut(page: Page, server, size, dataset, store_frames):
    """The province's forecast KPI, counted from the store's rows (np.polyfit per kecamatan), whole at every
    width: "24 desa di 20 kec. tanpa kemaju…" was cut at 1366 and 1440 px."""
    as_of = dataset.data_as_of
    want = expected_forecast(kecamatan_paces(store_frames, dataset.regions, as_of), as_of)
    assert want["status"] == "stalled" and want["rest_month"] is not None  # the demo plants stalled kecamatan
    year, month = want["rest_month"]
    note = (f"{want['stalled_desa']} desa di {want['stalled_parts']} kec. tanpa kemajuan; "
            f"sisanya {BULAN[month - 1]} {year}")
    open_at(page, server, "/Adopsi", size)
    kpi = page.locator("[data-testid='stMetric']", has_text="Perkiraan target tercapai")
    expect(kpi).to_contain_text("Terhambat")
    expect(kpi).to_contain_text(note)
    cut = page.locator("[data-testid='stMetric'] *").evaluate_all(CUT_JS)
    assert not [c for c in cut if c.strip()], cut
    screenshot(page, f"issue15-adopsi-kpi-{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES)
def test_overview_kpi_labels_are_whole(page: Page, server, size):
    """The overview's KPIs, the signal and internet ones included ("Tanpa internet kantor" was cut to
    "Tanpa interne…" at 1440 px): no label or value ends in an ellipsis or hidden overflow."""
    open_at(page, server, "/Ringkasan?kab=18.04", size)
    expect(page.locator("[data-testid='stMetric']", has_text="Tanpa internet")).to_be_visible()
    cut = page.locator("[data-testid='stMetric'] *").evaluate_all(CUT_JS)
    assert not [c for c in cut if c.strip()], cut
    screenshot(page, f"ringkasan-kpi-{size[0]}x{size[1]}")


@pytest.mark.parametrize("size", SIZES)
def test_scorecard_fits_its_frame(page: Page, server, size):
    open_at(page, server, "/Evaluasi", size)
    card = page.locator("table[data-testid='ev-scorecard']")
    expect(card.locator("thead th", has_text="Kesegaran (hari)")).to_be_visible()
    frame_w = card.evaluate("t => t.parentElement.clientWidth")
    table_w = card.evaluate("t => t.scrollWidth")
    assert table_w <= frame_w + 1, (table_w, frame_w)
    screenshot(page, f"issue15-evaluasi-rapor-{size[0]}x{size[1]}")


def test_gisting_atas_shows_its_operators_beside_the_stage(page: Page, server):
    open_at(page, server, "/Ringkasan?desa=18.06.20.2006", (1366, 768))
    grid = page.locator("[data-testid='stDataFrame']").first
    expect(grid).to_contain_text("Bukti dari sumber lain")
    expect(grid).to_contain_text("2 operator dilatih (Bimtek selesai 12 Oktober 2024) · \u26a0 Bukti tanpa tahap")
    screenshot(page, "issue15-ringkasan-gisting-atas-1366x768")


def test_english_view_shows_english_signal_words(page: Page, server):
    open_at(page, server, "/Ringkasan?desa=18.06.20.2006&lang=en", (1366, 768))
    signal = page.locator("[data-testid='stMetric']", has_text="Mobile signal")
    expect(signal).to_be_visible()
    assert signal.locator("[data-testid='stMetricValue']").inner_text().strip() in ("strong", "weak", "none")
    open_at(page, server, "/Adopsi?kab=18.03&lang=en", (1366, 768))
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "lemah" not in body and "tidak ada" not in body
    screenshot(page, "issue15-adopsi-english-1366x768")


def test_presentasi_controls_speak_indonesian(page: Page, server):
    open_at(page, server, "/Presentasi", (1366, 768))
    box = page.locator("[data-testid='stMultiSelect']").first
    expect(box).to_be_visible()
    shown = box.inner_text() + " " + " ".join(
        box.locator("input").evaluate_all("els => els.map(e => e.getAttribute('placeholder') || '')"))
    assert "Pilih kabupaten/kota" in shown and "Choose" not in shown, shown


@pytest.mark.parametrize("size", SIZES)
def test_slides_fill_the_screen_without_overflow(page: Page, server, size):
    width, height = size
    open_at(page, server, "/Presentasi?kab=18.06", size)
    page.get_by_role("button", name="Mulai presentasi").click()
    wait_for_app(page)
    for n in range(1, 9):
        if n > 1:
            press_and_wait(page, "ArrowRight", page.locator(f"{SLIDE} .sv-foot"), f" {n} / ")
        page.wait_for_timeout(400)
        main = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
        assert main <= height + 1, (n, main, height)  # the whole slide on one screen, map slide included
        expect(page.locator(f"{SLIDE} .sv-demo")).to_have_text("Data contoh")
        chart = page.locator(f"{SLIDE} .js-plotly-plot")
        if chart.count():
            box = chart.first.bounding_box()
            assert box is not None and box["height"] >= 0.55 * height, (n, box)
            sizes = chart.first.locator("text.bartext, .ytick text").evaluate_all(
                "els => els.map(e => parseFloat(getComputedStyle(e).fontSize || e.getAttribute('font-size')))")
            if sizes:
                assert min(sizes) >= (14 if height >= 1000 else 10), (n, min(sizes))
        screenshot(page, f"issue15-presentasi-{n}-{width}x{height}")


def test_kota_deck_keeps_bimtek_and_leaves_out_adoption(page: Page, server):
    open_at(page, server, "/Presentasi?kab=18.71", (1920, 1080))
    page.get_by_role("button", name="Mulai presentasi").click()
    wait_for_app(page)
    titles = []
    for n in range(6):
        if n:
            press_and_wait(page, "ArrowRight", page.locator(f"{SLIDE} .sv-foot"), f" {n + 1} / ")
        titles.append(page.locator(f"{SLIDE} h1").first.inner_text().strip())
    assert "Adopsi terhadap target" not in titles and "Desa tertinggal dan tindak lanjut" not in titles
    assert "Peta: cakupan Bimtek" in titles and "Cakupan Bimtek (\u2265 2 peserta)" in titles
    press_and_wait(page, "ArrowLeft", page.locator(f"{SLIDE} .sv-foot"), " 5 / ")
    screenshot(page, "issue15-presentasi-kota-1920x1080")
