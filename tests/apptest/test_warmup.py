"""The server's warm-up fills the very cache entries the pages read: after it, the first visit of the province
or any kabupaten on Adopsi, Pelatihan and Evaluasi (and the period's snapshot of every page) computes nothing, nor
does the province's first visit of any older period on those pages.

Proved by making the computations raise after the warm-up: a page that missed the warmed entry (other
arguments, another key) would call them and show the error."""

from __future__ import annotations

import pytest
import streamlit as st

from tests.apptest import helpers
from utils.domain import filters
from utils.domain.codes import PROVINCE_CODE
from utils.metrics import evaluation as ev
from utils.metrics import indicators, progress
from utils.ui import warmup
from utils.views import charts
from utils.views import evaluation_display as evc


def _computes(*_args, **_kwargs):
    raise AssertionError("computed on a first visit after the warm-up")


@pytest.fixture(scope="module")
def warmed(dataset):
    st.cache_resource.clear()
    st.cache_data.clear()
    done = warmup.run()
    yield done
    st.cache_resource.clear()


def test_the_warm_up_runs_every_step_of_its_plan(warmed, dataset):
    kabs = filters.region_options(dataset.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
    assert warmed.error is None
    names = [name for name, _ in warmed.steps]
    assert len(names) == len(warmup.plan())
    for code in [PROVINCE_CODE, *kabs]:
        assert f"adopsi {code}" in names and f"pelatihan {code}" in names
    assert all(f"evaluasi {code}" in names for code in kabs)
    assert sum(n.startswith("evaluasi tables ") for n in names) == len(ev.trend_dates(dataset.data_as_of))


@pytest.mark.parametrize("page", ["pages/3_Adopsi.py", "pages/4_Pelatihan.py", "pages/5_Evaluasi.py"])
def test_first_visits_after_the_warm_up_read_the_caches(warmed, dataset, page, monkeypatch):
    for module, name in [(indicators, "village_snapshot"), (progress, "adoption_view"), (progress, "bimtek_view"),
                         (ev, "period_scorecard"), (ev, "kab_report"),
                         # the figures built per region, period and language (Adopsi, Pelatihan, Evaluasi)
                         (charts, "stage_funnel"), (charts, "region_bar"), (evc, "trend_grid")]:
        monkeypatch.setattr(module, name, _computes)
    kabs = filters.region_options(dataset.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
    opened = 0
    for code in [None, *kabs]:
        at = helpers.open_page(page, **({"kab": code} if code else {}))  # asserts the run raised nothing
        assert at.title or at.header or at.subheader
        opened += 1
    assert opened == len(kabs) + 1


def test_every_older_period_at_the_province_reads_the_caches(warmed, dataset, monkeypatch):
    # Every quarter from the programme's first to the one before the data date, as the period picker offers it.
    quarters, year, quarter = [], ev.FIRST_QUARTER_END.year, 1
    default = filters.default_period(dataset.data_as_of)
    while (year, quarter) < default:
        quarters.append((year, quarter))
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    assert len(quarters) == (default[0] - 2020) * 4 + default[1] - 1
    for module, name in [(indicators, "village_snapshot"), (progress, "adoption_view"), (progress, "bimtek_view"),
                         (ev, "period_scorecard"), (ev, "kab_report"), (charts, "stage_funnel"),
                         (evc, "trend_grid")]:
        monkeypatch.setattr(module, name, _computes)
    for year, quarter in quarters:
        at = helpers.open_page("pages/5_Evaluasi.py", tahun=str(year), tw=str(quarter))
        assert at.subheader
    for year, quarter in quarters[::6]:  # Adopsi and Pelatihan: every sixth quarter (each page run ~1 s)
        for page in ("pages/3_Adopsi.py", "pages/4_Pelatihan.py"):
            assert helpers.open_page(page, tahun=str(year), tw=str(quarter)).title


def test_the_quarter_before_of_every_kabupaten_reads_the_caches(warmed, dataset, monkeypatch):
    # The period picker's quarter before the default one, for each kabupaten the sidebar lists.
    year, quarter = filters.default_period(dataset.data_as_of)
    year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    for module, name in [(indicators, "village_snapshot"), (progress, "adoption_view"), (progress, "bimtek_view"),
                         (ev, "period_scorecard"), (ev, "kab_report"), (charts, "stage_funnel"),
                         (charts, "region_bar"), (evc, "trend_grid")]:
        monkeypatch.setattr(module, name, _computes)
    kabs = filters.region_options(dataset.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
    for code in kabs:
        at = helpers.open_page("pages/5_Evaluasi.py", kab=code, tahun=str(year), tw=str(quarter))
        assert at.subheader
    for code in kabs[::4]:  # Adopsi and Pelatihan: every fourth kabupaten (each page run ~1 s)
        for page in ("pages/3_Adopsi.py", "pages/4_Pelatihan.py"):
            assert helpers.open_page(page, kab=code, tahun=str(year), tw=str(quarter)).title


def test_the_deck_of_the_province_and_of_every_kabupaten_is_read_not_built(warmed, dataset, monkeypatch):
    from utils.ui import presentasi

    monkeypatch.setattr(presentasi, "build_deck", _computes)
    kabs = filters.region_options(dataset.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
    for code in [None, *kabs]:
        at = helpers.open_page("pages/10_Presentasi.py", **({"kab": code} if code else {}))
        assert at.button  # the slide navigation of the warmed deck
        # the deck read carries the kabupaten's own scorecard slide (the default choice), the province's none
        assert at.multiselect(key="_w_pres_kabs").value == ([code] if code else [])


def test_the_warm_up_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("SV_WARMUP", "0")
    assert warmup.start() is None
    monkeypatch.setenv("SV_WARMUP", "1")
    assert warmup.enabled()


def test_the_per_kabupaten_steps_stop_at_kabs_max(dataset, monkeypatch):
    # A national set's 514 kabupaten would only evict each other from caches of 32-64 entries: at most KABS_MAX.
    kabs = filters.region_options(dataset.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
    assert len(kabs) <= warmup.KABS_MAX  # Lampung's 15 are all warmed (the tests above)
    monkeypatch.setattr(warmup, "KABS_MAX", 4)
    names = [name for name, _ in warmup.plan()]
    for kind in ("adopsi", "pelatihan", "evaluasi", "locator", "presentasi", "previous quarter evaluasi",
                 "previous quarter adopsi", "previous quarter pelatihan"):
        assert [n.split()[-1] for n in names if n.startswith(f"{kind} 18.")] == kabs[:4], kind
    assert "presentasi province" in names and sum(n.startswith("evaluasi overview 20") for n in names) >= 4


def test_a_national_size_set_warms_four_older_quarters_and_no_quarter_before_per_kabupaten(dataset, monkeypatch):
    # Above ALL_PERIODS_MAX_REGIONS (the national set's 93,000 regions) the per-period steps would take minutes of a
    # core and more memory than the caches hold: only the province's four quarters before remain.
    names = [name for name, _ in warmup.plan()]
    assert sum(n.startswith("previous quarter ") for n in names) == 3 * len(
        filters.region_options(dataset.regions, PROVINCE_CODE, "kabupaten"))
    monkeypatch.setattr(warmup, "ALL_PERIODS_MAX_REGIONS", len(dataset.regions) - 1)
    names = [name for name, _ in warmup.plan()]
    assert not [n for n in names if n.startswith("previous quarter ")]
    assert sum(n.startswith("evaluasi overview 20") for n in names) == 4


def test_the_background_warm_up_gives_way_while_a_page_runs(monkeypatch):
    """A step holds the GIL for up to a second or two: while a session's script runs (Streamlit's script thread is
    alive) the background warm-up waits before its next step, at most YIELD_MAX_S, then goes on."""
    import threading
    import time

    ran: list[float] = []
    monkeypatch.setattr(warmup, "plan", lambda as_of=None: [("one", lambda: ran.append(time.monotonic())),
                                                             ("two", lambda: ran.append(time.monotonic()))])
    monkeypatch.setattr(warmup, "YIELD_MAX_S", 30.0)
    page_over = threading.Event()
    page = threading.Thread(target=page_over.wait, name=warmup.SCRIPT_THREAD, daemon=True)
    page.start()
    assert warmup.users_running()
    released_at: list[float] = []

    def finish_page() -> None:
        time.sleep(0.6)
        released_at.append(time.monotonic())
        page_over.set()

    threading.Thread(target=finish_page, daemon=True).start()
    done = warmup.run(polite=True)
    page.join()
    assert done.error is None and [name for name, _ in done.steps] == ["one", "two"]
    assert ran[0] >= released_at[0]  # nothing ran while the page's script did
    assert 0.5 <= done.waited < 5
    # Steady traffic cannot starve it: with a script running throughout, each step waits at most YIELD_MAX_S.
    monkeypatch.setattr(warmup, "YIELD_MAX_S", 0.3)
    busy_over = threading.Event()
    busy = threading.Thread(target=busy_over.wait, name=warmup.SCRIPT_THREAD, daemon=True)
    busy.start()
    ran.clear()
    done = warmup.run(polite=True)
    busy_over.set()
    assert len(ran) == 2 and 0.6 <= done.waited < 2
    assert warmup.run().waited == 0  # run() called directly (bench, tests) does not wait
