"""Simulated users for the load test: websocket sessions and a few real browser contexts on one server.

Each user changes the sidebar filter (kabupaten, kecamatan, desa, year, quarter, language) and the page
for a bounded time, and after EVERY run checks what the server sent it against what IT chose:

* errors: no exception element, no ``st.error``, no compile error, no dropped stream or timeout;
* isolation: the header's breadcrumb is exactly "<province label> › ... › **<its region>**" and the
  sidebar widgets show its own year, quarter and language. Sessions pick different regions at the
  same time, so filter state leaking from one session into another shows as a mismatch.

``run_load`` drives them together and samples the server's resident memory (``VmRSS`` of
``/proc/<pid>/status``) after every finished rerun. Used by tests/load/test_concurrency.py and
bench/load.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import random
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from tests.load.st_client import ClientError, RunResult, StreamlitClient
from utils.data import paths
from utils.i18n import t

LANGS = ("id", "en")  # order of the language radio's options
#: What a websocket user does, drawn uniformly per step (so regions and pages come up most often).
ACTIONS = ("kab", "kab", "kec", "desa", "period", "lang", "page", "page")
MAIN_PAGE = "app"  # app.py: only routes to the overview


def rss_kib(pid: int) -> int:
    """Resident set size of process ``pid`` in KiB (``VmRSS`` in ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


def region_names() -> dict[str, str]:
    """Code -> name as the sidebar shows it, read straight from the canonical regions file."""
    regions = pd.read_parquet(paths.REGIONS, columns=["code", "display_name"])
    return dict(zip(regions["code"], regions["display_name"], strict=True))


def expected_breadcrumb(lang: str, labels: list[str]) -> str:
    """The header line for a selection: province, then the chosen names; the last one bold."""
    crumbs = [t("province", lang), *labels]
    return " › ".join(f"**{c}**" if i == len(crumbs) - 1 else c for i, c in enumerate(crumbs))


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass
class Choice:
    """What a user has chosen: region path (names as shown), period and language."""

    labels: list[str] = field(default_factory=list)  # [kab, kec, desa] names, as deep as chosen
    year: str | None = None  # None: not changed yet (the widget shows the data's year)
    quarter: int | None = None
    lang: str = "id"


@dataclass
class Stats:
    """Everything the users recorded; shared by all users of one ``run_load``."""

    pid: int | None = None
    latencies: list[tuple[float, str, str]] = field(default_factory=list)  # websocket (seconds, action, page)
    browser_latencies: list[tuple[float, str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    rss: list[tuple[int, int]] = field(default_factory=list)  # (reruns so far, KiB) after each rerun
    sessions_opened: int = 0
    sessions_held: int = 0  # stayed connected and checked until they chose to stop
    browser_sessions_held: int = 0
    per_session: dict[str, int] = field(default_factory=dict)  # reruns checked, by user name
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def reruns(self) -> int:
        return len(self.latencies) + len(self.browser_latencies)

    def opened(self) -> None:
        with self.lock:
            self.sessions_opened += 1

    def record(self, who: str, latency: float, action: str, page: str = "?", *, browser: bool = False) -> None:
        """One finished rerun of user ``who``; samples the server's RSS right after it."""
        with self.lock:
            self.per_session[who] = self.per_session.get(who, 0) + 1
            (self.browser_latencies if browser else self.latencies).append((latency, action, page))
            if self.pid is not None:
                self.rss.append((self.reruns, rss_kib(self.pid)))


def check_run(result: RunResult, choice: Choice, who: str) -> tuple[list[str], list[str]]:
    """(errors, leaks) of one websocket run against the user's own choice."""
    who = f"{who} on {result.heading!r}"
    errors = [f"{who}: {e}" for e in result.errors]
    leaks: list[str] = []
    want = expected_breadcrumb(choice.lang, choice.labels)
    if result.breadcrumb != want:
        leaks.append(f"{who}: breadcrumb {result.breadcrumb!r}, chose {want!r}")
    return errors, leaks


def check_widgets(client: StreamlitClient, choice: Choice, who: str) -> list[str]:
    """The sidebar must echo this session's year, quarter and language (and its kabupaten)."""
    out = []
    lang_w, year_w, q_w, kab_w = (client.widget(k) for k in ("_w_lang", "_w_year", "_w_quarter", "_w_kab"))
    if lang_w is None or year_w is None or q_w is None or kab_w is None:
        return [f"{who}: sidebar filter widgets missing"]
    if lang_w.options.index(lang_w.value) != LANGS.index(choice.lang):
        out.append(f"{who}: language shows {lang_w.value!r}, chose {choice.lang}")
    if choice.year is not None and year_w.value != choice.year:
        out.append(f"{who}: year shows {year_w.value!r}, chose {choice.year}")
    if choice.quarter is not None and q_w.options.index(q_w.value) + 1 != choice.quarter:
        out.append(f"{who}: quarter shows {q_w.value!r}, chose {choice.quarter}")
    want_kab = choice.labels[0] if choice.labels else kab_w.options[0]
    if kab_w.value != want_kab:
        out.append(f"{who}: kabupaten shows {kab_w.value!r}, chose {want_kab!r}")
    return out


class WebsocketUser:
    """One simulated user over the websocket protocol."""

    def __init__(self, name: str, base_url: str, stats: Stats, rng: random.Random,
                 names: dict[str, str], actions: tuple[str, ...] = ACTIONS) -> None:
        self.name, self.base_url, self.stats, self.rng, self.names = name, base_url, stats, rng, names
        self.actions = actions
        self.choice = Choice()
        self.client = StreamlitClient(base_url)

    async def open(self) -> None:
        """Start the session: half the users arrive by a deep link (``?kab=..``, sometimes ``lang=en``)."""
        query = ""
        if self.rng.random() < 0.5:
            kab = self.rng.choice(sorted(c for c in self.names if c.count(".") == 1))
            lang = self.rng.choice(LANGS)
            query = f"kab={kab}" + ("&lang=en" if lang == "en" else "")
            self.choice = Choice(labels=[self.names[kab]], lang=lang)
        self.stats.opened()
        result = await self.client.connect(query_string=query)
        self._after("open", result)

    def _after(self, action: str, result: RunResult) -> None:
        page = next((n for n, h in self.client.pages.items() if h == result.page_hash), "?")
        self.stats.record(self.name, result.latency, action, page)
        errors, leaks = check_run(result, self.choice, self.name)
        leaks += check_widgets(self.client, self.choice, self.name)
        self.stats.errors += errors
        self.stats.leaks += leaks

    def _pick(self, key: str) -> tuple[int, str] | None:
        widget = self.client.widget(key)
        if widget is None or len(widget.options) < 2:
            return None
        others = [i for i, o in enumerate(widget.options) if o != widget.value]
        index = self.rng.choice(others)
        return index, widget.options[index]

    async def step(self) -> None:
        """One user action, then the checks on what came back."""
        action = self.rng.choice(self.actions)
        depth = {"kab": 0, "kec": 1, "desa": 2}
        if action in depth:
            picked = self._pick(f"_w_{action}")
            if picked is None:
                action, picked = "kab", self._pick("_w_kab")
                assert picked is not None
            index, label = picked
            level = depth[action]
            # Index 0 is "all": the selection goes back up to the parent.
            self.choice.labels = self.choice.labels[:level] + ([label] if index else [])
            result = await self.client.set_widget(f"_w_{action}", label)
        elif action == "period":
            key = self.rng.choice(["_w_year", "_w_quarter"])
            picked = self._pick(key)
            assert picked is not None
            index, label = picked
            if key == "_w_year":
                self.choice.year = label
            else:
                self.choice.quarter = index + 1
                if self.choice.year is None:
                    self.choice.year = self.client.widgets["_w_year"].value
            result = await self.client.set_widget(key, label)
        elif action == "lang":
            self.choice.lang = "en" if self.choice.lang == "id" else "id"
            lang_w = self.client.widgets["_w_lang"]
            result = await self.client.set_widget("_w_lang", lang_w.options[LANGS.index(self.choice.lang)])
        else:
            pages = sorted(p for p in self.client.pages if p != MAIN_PAGE)
            result = await self.client.goto(self.rng.choice(pages))
        self._after(action, result)

    async def run(self, until: Callable[[int], bool], think: tuple[float, float], reconnect_every: int = 0) -> None:
        """Act until ``until(actions done)`` says stop; a new session every ``reconnect_every`` actions."""
        try:
            await self.open()
            done = 0
            while not until(done):
                await asyncio.sleep(self.rng.uniform(*think))
                if until(done):
                    break
                if reconnect_every and done and done % reconnect_every == 0:
                    await self.client.close()
                    self.stats.sessions_held += 1
                    self.client, self.choice = StreamlitClient(self.base_url), Choice()
                    await self.open()
                await self.step()
                done += 1
            self.stats.sessions_held += 1
        except (TimeoutError, ClientError, OSError) as exc:
            self.stats.errors.append(f"{self.name}: session lost: {type(exc).__name__}: {exc}")
        except Exception as exc:  # noqa: BLE001 - e.g. an expected widget missing: an error, not a crash
            self.stats.errors.append(f"{self.name}: {type(exc).__name__}: {exc}")
        finally:
            await self.client.close()


# --------------------------------------------------------------------------- browsers

BROWSER_TIMEOUT_MS = 120_000
MAIN = "[data-testid='stMain']"
SIDEBAR = "[data-testid='stSidebar']"


def browser_users(base_url: str, n: int, stats: Stats, rng: random.Random, names: dict[str, str],
                  until: Callable[[int], bool], think: tuple[float, float]) -> None:
    """``n`` chromium contexts (network blocked) on one browser, taking turns to act until ``until(done)``.

    Each opens a deep link, then picks kabupaten in the sidebar select box or switches page by the
    sidebar link, and checks the breadcrumb it sees. Runs in its own thread (Playwright's sync API).
    """
    from playwright.sync_api import sync_playwright

    from tests.browser.harness import launch_chromium, new_monitored_page, wait_for_app

    kabs = sorted(c for c in names if c.count(".") == 1)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        users = []
        try:
            for i in range(n):
                context, page, monitor = new_monitored_page(browser, base_url)
                # Generous: on the shared 2-core machine under 30 sessions a load can take > 30 s.
                page.set_default_timeout(BROWSER_TIMEOUT_MS)
                page.set_default_navigation_timeout(BROWSER_TIMEOUT_MS)
                kab = rng.choice(kabs)
                t0 = time.perf_counter()
                page.goto(f"{base_url}/?kab={kab}")
                wait_for_app(page, timeout=BROWSER_TIMEOUT_MS)
                stats.record(f"browser-{i}", time.perf_counter() - t0, "open", browser=True)
                stats.opened()
                users.append({"name": f"browser-{i}", "context": context, "page": page, "monitor": monitor,
                              "labels": [names[kab]]})
                _browser_check(users[-1], stats)
            done = 0  # rounds: every context acts once per round
            while not until(done):
                for user in users:
                    time.sleep(rng.uniform(*think))
                    _browser_step(user, rng, stats, wait_for_app)
                done += 1
            for user in users:
                stats.errors += [f"{user['name']}: {p}" for p in user["monitor"].problems()]
                stats.browser_sessions_held += 1
        except Exception as exc:  # noqa: BLE001 - reported as a load error, not a crash of the run
            stats.errors.append(f"browser: {type(exc).__name__}: {exc}")
        finally:
            for user in users:
                user["context"].close()
            browser.close()


def _path(url: str) -> str:
    """The page part of a URL or link: ``http://h/Peta?kab=18.06`` and ``Peta`` -> ``Peta``."""
    return urlsplit(url).path.strip("/")


#: True when the first markdown of the main area (the breadcrumb) reads ``want`` and the run is over.
SETTLED_JS = """
([sel, want]) => {
  const crumb = document.querySelector(sel);
  const app = document.querySelector("[data-testid='stApp']");
  return !!crumb && crumb.innerText.trim() === want
    && app.getAttribute('data-test-script-state') === 'notRunning';
}
"""
CRUMB = f"{MAIN} [data-testid='stMarkdown']"


def _browser_step(user: dict, rng: random.Random, stats: Stats, wait_for_app: Callable) -> None:
    """Pick another kabupaten (60 %) or follow a sidebar link to another page; time until settled.

    The clock stops when the page shows THIS choice (breadcrumb, or the new page's URL) and the run
    is over: the "notRunning" state alone is also true just before the rerun starts.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = user["page"]
    want_path = _path(page.url)
    if rng.random() < 0.6:
        box = page.locator(f"{SIDEBAR} [data-testid='stSelectbox']").filter(has_text="Kabupaten/Kota").first
        box.click()
        current = user["labels"][0] if user["labels"] else None
        texts = page.get_by_role("option").all_inner_texts()
        label = rng.choice([o for o in texts if o.startswith(("Kab.", "Kota")) and o != current])
        t0 = time.perf_counter()
        page.get_by_role("option", name=label, exact=True).click()
        action, user["labels"] = "kab", [label]
    else:
        links = page.locator(f"{SIDEBAR} [data-testid='stPageLink'] a")
        hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
        others = [i for i, h in enumerate(hrefs) if _path(h) != want_path]
        index = rng.choice(others)
        want_path = _path(hrefs[index])
        t0 = time.perf_counter()
        links.nth(index).click()
        action = "page"
    want = " › ".join([t("province", "id"), *user["labels"]])
    try:
        page.wait_for_url(lambda url: _path(url) == want_path, timeout=BROWSER_TIMEOUT_MS)
        page.wait_for_function(SETTLED_JS, arg=[CRUMB, want], timeout=BROWSER_TIMEOUT_MS)
    except PlaywrightTimeout:
        pass  # _browser_check below reports what the page shows instead
    wait_for_app(page, timeout=BROWSER_TIMEOUT_MS)
    stats.record(user["name"], time.perf_counter() - t0, action, _path(page.url), browser=True)
    _browser_check(user, stats)


def _browser_check(user: dict, stats: Stats) -> None:
    page = user["page"]
    crumb = page.locator(CRUMB).first.inner_text().strip()
    want = " › ".join([t("province", "id"), *user["labels"]])
    if crumb != want:
        stats.leaks.append(f"{user['name']}: breadcrumb {crumb!r}, chose {want!r}")
    errors = page.locator(f"{MAIN} [data-testid='stException'], {MAIN} [data-testid='stAlertContentError']")
    if errors.count():
        stats.errors.append(f"{user['name']}: {errors.first.inner_text()[:300]}")


# --------------------------------------------------------------------------- orchestration


@dataclass
class LoadResult:
    """Figures of one run (seconds, KiB)."""

    ws_sessions: int
    browser_sessions: int
    duration: float
    stats: Stats

    def summary(self) -> dict:
        """Plain figures for JSON/Markdown reports and assertions."""
        s = self.stats
        ws = [x for x, _, _ in s.latencies]
        br = [x for x, _, _ in s.browser_latencies]
        filt = [x for x, a, _ in s.latencies if a not in ("open", "page")]
        pages: dict[str, list[float]] = {}
        for x, _, page in s.latencies:
            pages.setdefault(page, []).append(x)
        return {
            "ws_sessions": self.ws_sessions,
            "browser_sessions": self.browser_sessions,
            "sessions_opened": s.sessions_opened,
            "sessions_held": s.sessions_held + s.browser_sessions_held,
            "duration_s": round(self.duration, 1),
            "reruns": s.reruns,
            "ws_reruns": len(ws),
            "browser_reruns": len(br),
            "p50_ms": round(percentile(ws, 50) * 1000, 1),
            "p95_ms": round(percentile(ws, 95) * 1000, 1),
            "max_ms": round(max(ws, default=float("nan")) * 1000, 1),
            "filter_p50_ms": round(percentile(filt, 50) * 1000, 1),
            "filter_p95_ms": round(percentile(filt, 95) * 1000, 1),
            "browser_p50_ms": round(percentile(br, 50) * 1000, 1),
            "browser_p95_ms": round(percentile(br, 95) * 1000, 1),
            "mean_ms": round(statistics.fmean(ws) * 1000, 1) if ws else float("nan"),
            "errors": len(s.errors),
            "leaks": len(s.leaks),
            "by_page": {p: {"reruns": len(v), "p50_ms": round(percentile(v, 50) * 1000, 1),
                            "p95_ms": round(percentile(v, 95) * 1000, 1)} for p, v in sorted(pages.items())},
        }


async def _run_ws(base_url: str, n: int, stats: Stats, seed: int, names: dict[str, str],
                  until: Callable[[int], bool], think: tuple[float, float], reconnect_every: int,
                  stagger: float, actions: tuple[str, ...]) -> None:
    users = [WebsocketUser(f"ws-{i}", base_url, stats, random.Random(seed * 1000 + i), names, actions)
             for i in range(n)]

    async def start(i: int, user: WebsocketUser) -> None:
        await asyncio.sleep(i * stagger)  # people arrive over a few seconds, not in one instant
        await user.run(until, think, reconnect_every)

    await asyncio.gather(*(start(i, u) for i, u in enumerate(users)))


def run_load(base_url: str, *, ws_sessions: int, browser_sessions: int = 0, duration: float = 60.0,
             max_reruns: int | None = None, think: tuple[float, float] = (0.5, 2.0), pid: int | None = None,
             reconnect_every: int = 0, stagger: float = 0.2, seed: int = 1,
             actions: tuple[str, ...] = ACTIONS, min_actions: int = 0) -> LoadResult:
    """Run the users against ``base_url`` for ``duration`` seconds (or until ``max_reruns`` reruns).

    ``think``: seconds between a user's actions (uniform); ``pid``: the server process whose RSS is
    sampled after every rerun; ``reconnect_every``: websocket users start a new session after that
    many actions (0: never); ``actions``: what websocket users do (see ``ACTIONS``); ``min_actions``:
    each user goes on past ``duration`` until it has done that many (at most to ``3 * duration + 60``
    s, so a slow machine cannot make the run endless).
    """
    names = region_names()
    stats = Stats(pid=pid)
    hard_limit = duration * 3 + 60
    t0 = time.perf_counter()

    def until(done: int) -> bool:
        elapsed = time.perf_counter() - t0
        if elapsed >= hard_limit or (max_reruns is not None and stats.reruns >= max_reruns):
            return True
        return elapsed >= duration and done >= min_actions

    thread = None
    if browser_sessions:
        thread = threading.Thread(target=browser_users, name="load-browsers", daemon=True, args=(
            base_url, browser_sessions, stats, random.Random(seed), names, until, think))
        thread.start()
    run_async(_run_ws(base_url, ws_sessions, stats, seed, names, until, think, reconnect_every, stagger,
                      actions))
    if thread is not None:
        thread.join(timeout=180)
        if thread.is_alive():
            stats.errors.append("browser users did not finish within 180 s of the end")
    return LoadResult(ws_sessions, browser_sessions, time.perf_counter() - t0, stats)


def run_async(coro):  # -> the coroutine's result
    """``asyncio.run`` in a thread of its own: after the browser tests, Playwright's sync API leaves an
    event loop running in pytest's main thread, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def memory_figures(rss: list[tuple[int, int]], warmup: int, total: int) -> dict[str, float]:
    """RSS (MiB) right after rerun ``warmup`` and after rerun ``total``, the growth between, the peak.

    ``rss`` holds ``(reruns so far, KiB)`` samples as ``Stats.record`` takes them.
    """
    def at(n: int) -> int:
        for count, kib in rss:
            if count >= n:
                return kib
        raise ValueError(f"only {rss[-1][0] if rss else 0} reruns were recorded, {n} needed")

    warm, end = at(warmup), at(total)
    peak = max(kib for count, kib in rss if count <= total)
    return {"rss_after_warmup_mib": round(warm / 1024, 1), "rss_end_mib": round(end / 1024, 1),
            "growth_mib": round((end - warm) / 1024, 1), "peak_mib": round(peak / 1024, 1)}
