"""Warm-up: fill the shared caches of this server before users ask, so a first visit is a cache read.

What a leader feels is the first time a region or period is opened (the Evaluasi page computes nine quarter-end
snapshots for its trend; Adopsi and Pelatihan build their figures per region). Those results are cached per data
version in this process (``utils.ui.cache.versioned``), shared by every session. The warm-up computes, in one
background thread per server and data version, exactly what the pages would ask for first, through the same
cached functions and with the same arguments (after importing what the pages import late):

* the map's static files, when missing (``served.ensure_current``; the only write, and not in a page run);
* the village snapshot of the default period and of the eight quarter ends before it (the trend dates);
* Evaluasi: the indicator tables of those dates, the scorecard with the default weights, its overview and
  every kabupaten's detail;
* Adopsi and Pelatihan: the province's and every kabupaten's figures;
* the locator map of the province and of every kabupaten;
* the meeting deck (Presentasi) of the province and of every kabupaten (with its scorecard slide);
* the quarter before, for every kabupaten: Evaluasi's detail, Adopsi and Pelatihan (a province-size set only);
  ("every kabupaten": the first ``KABS_MAX`` the sidebar lists, all of Lampung's 15)
* for each of the four quarters before: the province's Evaluasi overview and the detail it shows first, Adopsi
  and Pelatihan (a period change at the province is then a cache read too);
* every older quarter back to the programme's first (2020 Q1), at the province: Evaluasi's overview and first detail,
  Adopsi and Pelatihan (a province-size set only; see ``ALL_PERIODS_MAX_REGIONS``).

It starts after the first page of the first session has been served (``start`` is called at the end of a
page's frame and waits ``DELAY_S``; before each step it waits while any session's script runs, at most
``YIELD_MAX_S``, so neither the first render nor a visitor's page is slowed by it) and again after every data change (a new
version starts a new warm-up; the caches of the old version age out by their ``max_entries``). Any server can
rebuild everything from the store. ``SV_WARMUP=0`` turns it off (the test suite,
which changes the data version with nearly every test, does so).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import streamlit as st

from utils.data import served
from utils.data.dataset import canonical_version
from utils.domain import filters
from utils.domain.codes import PROVINCE_CODE
from utils.metrics import evaluation as ev

log = logging.getLogger(__name__)

#: Modules the pages import only when first needed (the PDF/PPTX writers on Presentasi: 0.6 s; folium for the
#: locator: 0.4 s): the warm-up imports them so a first visit does not.
LAZY_MODULES = ("utils.views.exports.deck_pdf", "utils.views.exports.deck_pptx", "utils.views.exports.report_pdf",
                "utils.views.maps.folium_maps")
#: Seconds between the first page served and the start of the warm-up.
DELAY_S = 2.0
LANG = "id"  # the default language: what a first visitor sees
#: Every older period is warmed at the province only for a set of at most this many regions (Lampung: 2,896;
#: the national set's 93,000 would hold ~30 times the memory per cached quarter).
ALL_PERIODS_MAX_REGIONS = 20_000
#: The per-kabupaten steps (Adopsi, Pelatihan, Evaluasi's detail, the locator, the deck) cover at most this many
#: kabupaten, the first the sidebar lists: the caches they fill hold 32–64 entries (the decks 32), so a national
#: set's 514 would only evict each other while keeping a core busy for most of an hour. Lampung's 15 all fit.
KABS_MAX = 30
#: Streamlit runs each session's script in a thread of this name, alive only while the session's runs last.
SCRIPT_THREAD = "ScriptRunner.scriptThread"
#: The background warm-up waits before each step while a session's script runs (the user first: a step holds the
#: GIL), but at most this long, so that steady traffic cannot starve it.
YIELD_MAX_S = 5.0


def enabled() -> bool:
    return os.environ.get("SV_WARMUP", "1").strip().lower() not in ("0", "false", "no", "off")


@dataclass
class Progress:
    """What one warm-up did: steps done and their seconds, an error if one stopped it."""

    version: tuple[float, ...]
    started: float = field(default_factory=time.perf_counter)
    steps: list[tuple[str, float]] = field(default_factory=list)
    finished: float | None = None
    error: str | None = None
    waited: float = 0.0  # seconds the background warm-up gave way to users' page runs

    @property
    def seconds(self) -> float | None:
        return None if self.finished is None else self.finished - self.started


def plan(as_of: dt.date | None = None) -> list[tuple[str, Callable[[], object]]]:
    """The warm-up steps for the current data (name, no-argument call), in the order a user meets them."""
    from utils.ui import adopsi, evaluasi, pelatihan, presentasi, shared

    ds = shared.dataset()
    # The state a session opening the app without a link gets (the same function reads every URL).
    opening, _ = filters.parse_query({}, set(ds.regions["code"]), ds.data_as_of)
    day = as_of or filters.period_end(opening, ds.data_as_of)
    kabs = filters.region_options(ds.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
    warm_kabs = kabs[:KABS_MAX]  # as the sidebar lists them
    weights = dict(ev.DEFAULT_WEIGHTS)
    snap = shared.period_snapshot

    def region_parts(parts: Callable[..., object], code: str, when: dt.date) -> object:
        return parts(code, when, LANG, ds, snap(when))  # a page's ``parts`` as the page calls it

    def first_detail(when: dt.date) -> object:  # the kabupaten Evaluasi shows first: the scorecard's first row
        return evaluasi.detail(when, weights, str(evaluasi.scorecard(when, weights).summary.index[0]), LANG)

    def region_deck(code: str | None) -> object:  # as ``presentasi.deck`` asks for it: a kabupaten's own scorecard
        state = opening.with_region(code)            # slide by default (``kab_choice``), none for the province
        return presentasi._deck(state, day, LANG, (code,) if code else (), dt.date.today(), snap(day))

    # First the files the map serves (static/geo/ deleted while the server was down; written here, in the
    # background, never by a page run), then what the pages import late.
    steps: list[tuple[str, Callable[[], object]]] = [("map files", served.ensure_current)]
    steps += [(f"import {m}", partial(importlib.import_module, m)) for m in LAZY_MODULES]
    steps.append(("snapshot", partial(snap, day)))
    steps.append(("locator province", partial(shared._locator_html, PROVINCE_CODE)))
    for code in [PROVINCE_CODE, *warm_kabs]:
        steps.append((f"adopsi {code}", partial(region_parts, adopsi.parts, code, day)))
        steps.append((f"pelatihan {code}", partial(region_parts, pelatihan.parts, code, day)))
    for trend_day in ev.trend_dates(day):
        steps.append((f"snapshot {trend_day}", partial(snap, trend_day)))
        steps.append((f"evaluasi tables {trend_day}", partial(evaluasi.tables, trend_day)))
    steps.append(("evaluasi overview", partial(evaluasi.overview, day, weights, LANG, "value")))
    for code in warm_kabs:
        steps.append((f"evaluasi {code}", partial(evaluasi.detail, day, weights, code, LANG)))
        steps.append((f"locator {code}", partial(shared._locator_html, code)))
    steps.append(("presentasi province", partial(region_deck, None)))
    # Every kabupaten's deck (a Rakor opens one in meeting mode): ~1 s each once its pages' figures are warm.
    steps += [(f"presentasi {code}", partial(region_deck, code)) for code in warm_kabs]
    # The quarter before for every kabupaten (a Rakor sets this quarter beside the last): Evaluasi's detail,
    # Adopsi and Pelatihan (~1 s each; their snapshot and indicator tables are warm as trend dates). A
    # province-size set only: at national scale these 90 steps took 165 s of the warm-up's 543.
    previous = ev.previous_quarter_end(day)
    for code in warm_kabs if len(ds.regions) <= ALL_PERIODS_MAX_REGIONS else ():
        steps.append((f"previous quarter evaluasi {code}", partial(evaluasi.detail, previous, weights, code, LANG)))
        steps.append((f"previous quarter adopsi {code}", partial(region_parts, adopsi.parts, code, previous)))
        steps.append((f"previous quarter pelatihan {code}", partial(region_parts, pelatihan.parts, code, previous)))
    # Other periods at the province, newest first: Evaluasi's overview and the detail it shows first (their trends
    # reuse the snapshots made for the periods after them), Adopsi and Pelatihan. Every quarter back to the
    # programme's first; a national-size set only the four before (its snapshots would not fit the caches' memory:
    # a quarter's snapshot there is ~30 times larger).
    quarters: list[dt.date] = []
    back = ev.previous_quarter_end(day)
    while back >= ev.FIRST_QUARTER_END and (len(quarters) < 4 or len(ds.regions) <= ALL_PERIODS_MAX_REGIONS):
        quarters.append(back)
        back = ev.previous_quarter_end(back)
    for back in quarters:
        steps.append((f"evaluasi overview {back}", partial(evaluasi.overview, back, weights, LANG, "value")))
        steps.append((f"evaluasi first detail {back}", partial(first_detail, back)))
        steps.append((f"adopsi {back}", partial(region_parts, adopsi.parts, PROVINCE_CODE, back)))
        steps.append((f"pelatihan {back}", partial(region_parts, pelatihan.parts, PROVINCE_CODE, back)))
    return steps


def users_running() -> bool:
    """True while a session's script runs in this server (other than the calling thread)."""
    me = threading.current_thread()
    return any(th.name == SCRIPT_THREAD and th is not me and th.is_alive() for th in threading.enumerate())


def _yield_to_users(max_wait: float) -> float:
    """Wait while a session's script runs, at most ``max_wait`` seconds; returns the seconds waited."""
    t0 = time.monotonic()
    while users_running() and time.monotonic() - t0 < max_wait:
        time.sleep(0.05)
    return time.monotonic() - t0


def run(as_of: dt.date | None = None, progress: Progress | None = None, limit: int | None = None,
        polite: bool = False) -> Progress:
    """Run every warm-up step now, in this thread (the bench and ``start``'s thread call it); ``limit``: only the
    first steps (the tiny bench, which checks the harness). ``polite`` (the background thread): before each step,
    wait while a user's page runs (at most ``YIELD_MAX_S``), so the warm-up does not slow what it prepares for;
    the seconds waited are in ``Progress.waited``."""
    done = progress or Progress(canonical_version())
    try:
        for name, step in plan(as_of)[:limit]:
            if polite:
                done.waited += _yield_to_users(YIELD_MAX_S)
            if canonical_version() != done.version:  # the data changed meanwhile: a new warm-up follows
                done.error = "data changed"
                break
            t0 = time.perf_counter()
            step()
            done.steps.append((name, time.perf_counter() - t0))
    except Exception as exc:  # noqa: BLE001 - a failed warm-up only means slower first visits; the page reports
        done.error = f"{type(exc).__name__}: {exc}"
        log.warning("warm-up stopped: %s", done.error)
    done.finished = time.perf_counter()
    return done


@st.cache_resource(show_spinner=False, max_entries=1)
def _started(version: tuple[float, ...]) -> Progress:
    progress = Progress(version)

    def later() -> None:
        # The lowest CPU priority for this thread alone (Linux nice values are per thread): the server's page runs,
        # the proxy and a browser on the same machine come first when the cores are busy.
        with contextlib.suppress(AttributeError, OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        time.sleep(DELAY_S)
        run(progress=progress, polite=True)
        log.info("warm-up for data version %s: %d steps in %.1f s (%.1f s given way to page runs)%s", version,
                 len(progress.steps), progress.seconds or 0.0, progress.waited,
                 f" ({progress.error})" if progress.error else "")

    threading.Thread(target=later, name="sv-warmup", daemon=True).start()
    return progress


def start() -> Progress | None:
    """Start this server's warm-up for the current data version once (later calls: the running one)."""
    if not enabled():
        return None
    return _started(canonical_version())
