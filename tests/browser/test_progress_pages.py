"""Adopsi and Pelatihan in a real browser with the network blocked: KPIs, plotly charts drawn, screenshots."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import screenshot, wait_for_app
from tests.independent import desa_count, joined_desa

pytestmark = pytest.mark.browser

PLOT = "[data-testid='stPlotlyChart'] .js-plotly-plot"


def metric_value(page: Page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def visit(page: Page, server, path: str, plots: int = 0) -> None:
    """Open ``path`` on the test server, wait for the script run and for ``plots`` drawn charts."""
    page.goto(server.url(path))
    wait_for_app(page)
    if plots:
        wait_for_plots(page, plots)


def wait_for_plots(page: Page, n: int) -> None:
    """Plotly draws in the browser: wait until ``n`` charts have their SVG main layer."""
    page.wait_for_function(
        "([sel, n]) => [...document.querySelectorAll(sel)].filter(p => p.querySelector('.main-svg')).length >= n",
        arg=[PLOT, n], timeout=60_000)


def test_adopsi_province_offline(page: Page, server, dataset, store_frames):
    visit(page, server, "/Adopsi")
    joined, desa = joined_desa(store_frames, dataset.data_as_of), desa_count(dataset.regions)
    assert metric_value(page, "Desa bergabung") == f"{joined:,} / {desa:,}".replace(",", ".")
    expect(page.get_by_text("Data contoh").first).to_be_visible()
    wait_for_plots(page, 5)
    funnel = page.locator(PLOT).first
    expect(funnel.locator(".trace.bars .point")).to_have_count(6)  # all desa + five stages
    expect(funnel.get_by_text(re.compile(r"^2\.446 · 100,0%$"))).to_have_count(1)  # Indonesian separators
    expect(page.get_by_text(re.compile("kuadrat terkecil")).first).to_be_visible()  # method stated
    expect(page.get_by_role("button", name="Unduh data (CSV)")).to_have_count(6)  # 5 charts + laggard list
    screenshot(page, "adopsi-provinsi")


def test_adopsi_kabupaten_deep_link(page: Page, server, dataset, store_frames):
    visit(page, server, "/Adopsi?kab=18.06")
    joined, desa = joined_desa(store_frames, dataset.data_as_of, "18.06"), desa_count(dataset.regions, "18.06")
    assert metric_value(page, "Desa bergabung") == f"{joined} / {desa}"
    wait_for_plots(page, 5)
    expect(page.get_by_text("Peringkat kecamatan: % desa bergabung")).to_be_visible()
    screenshot(page, "adopsi-tanggamus")


def test_adopsi_village(page: Page, server):
    visit(page, server, "/Adopsi?desa=18.06.20.2006")
    expect(page.get_by_text("Riwayat tahap adopsi desa ini")).to_be_visible()
    expect(page.locator(PLOT)).to_have_count(0)
    screenshot(page, "adopsi-gisting-atas")


def test_pelatihan_province_offline(page: Page, server, dataset, store_frames):
    visit(page, server, "/Pelatihan")
    ev = store_frames["bimtek_events"]
    held = ev.loc[ev["start_date"] <= pd.Timestamp(dataset.data_as_of), "event_id"]
    n = int(store_frames["bimtek_participants"]["event_id"].isin(held).sum())
    assert metric_value(page, "Peserta Bimtek") == f"{n:,}".replace(",", ".")
    assert metric_value(page, "Rencana") == "Rp15,9 miliar"
    wait_for_plots(page, 4)
    expect(page.get_by_text("Pemeriksaan konsistensi laporan kegiatan")).to_be_visible()
    screenshot(page, "pelatihan-provinsi")


def test_pelatihan_tanggamus_and_english(page: Page, server):
    visit(page, server, "/Pelatihan?kab=18.06", plots=4)
    screenshot(page, "pelatihan-tanggamus")
    visit(page, server, "/Pelatihan?kab=18.06&lang=en", plots=4)
    expect(page.get_by_text("Consistency checks of event reports")).to_be_visible()
    screenshot(page, "pelatihan-tanggamus-en")


def test_pelatihan_village(page: Page, server):
    visit(page, server, "/Pelatihan?desa=18.06.20.2006")
    expect(page.get_by_text("Keikutsertaan Bimtek desa/kelurahan ini")).to_be_visible()
    screenshot(page, "pelatihan-gisting-atas")
