"""An imported Indeks Desa round in a real browser (network blocked) at laptop, projector and phone sizes:
Ringkasan's partial status block, Evaluasi's Dinas PMD follow-ups, dimensions and status transition. The server
works on a copy of data/ in tmp with Tanggamus' Indeks Desa 2025 imported into that copy's store."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests import indeks_desa_files as ixf
from tests.browser.harness import SCREENSHOT_DIR, screenshot, wait_for_app
from tests.helpers import ADMIN
from utils.data import paths

pytestmark = pytest.mark.browser
SIZES = {"1366": (1366, 768), "1920": (1920, 1080), "ponsel": (390, 844)}


@pytest.fixture
def srv(tmp_path, server_factory):
    from utils.data import store
    from utils.intake import village_index as vi

    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data, ignore=shutil.ignore_patterns(".cache", "imports"))
    regions = pd.read_parquet(paths.REGIONS)
    codes = regions[(regions["kab_code"] == "18.06") & (regions["village_type"] == "desa")][["code", "name"]]
    desa = ixf.make_desa(list(codes.itertuples(index=False, name=None)), seed=81)
    engine = store.get_engine(f"sqlite:///{data / 'programme.db'}")
    plan = vi.plan_upload(ixf.write_workbook(desa), "tanggamus.xlsx", regions, pd.read_parquet(paths.INDEKS_DESA_ITEMS),
                          2024, engine)
    vi.apply_import(engine, plan, ADMIN)
    engine.dispose()
    server = server_factory(env={"SV_DATA_DIR": str(data), "SV_DATABASE_URL": ""})
    server.n_desa = len(desa)
    return server


def test_indeks_desa_on_ringkasan_and_evaluasi_at_three_sizes(srv, page_factory):
    page, _ = page_factory(srv)
    n = srv.n_desa
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(srv.url("/Ringkasan"))
        wait_for_app(page)
        heading = page.get_by_role("heading", name="Status Indeks Desa 2025")
        expect(heading).to_be_visible(timeout=60_000)
        expect(page.get_by_text(f"Indeks Desa 2025: {n} dari 2.446 desa (sebagian").first).to_be_visible()
        heading.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        page.screenshot(path=str(SCREENSHOT_DIR / f"ringkasan-indeks-desa-{name}.png"))

        page.goto(srv.url("/Evaluasi?kab=18.06"))
        wait_for_app(page)
        title = page.get_by_text("Tindak lanjut Dinas PMD menurut Indeks Desa 2025")
        expect(title).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Perpindahan status IDM 2024 → Indeks Desa 2025: Kab. Tanggamus")).to_be_visible()
        title.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)  # the grids paint their cells after the canvas appears
        page.screenshot(path=str(SCREENSHOT_DIR / f"evaluasi-indeks-desa-{name}.png"))
        page.get_by_text("Perpindahan status IDM 2024").scroll_into_view_if_needed()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SCREENSHOT_DIR / f"evaluasi-indeks-desa-transisi-{name}.png"))
    screenshot(page, "evaluasi-indeks-desa-halaman-ponsel")
