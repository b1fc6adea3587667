"""Browser-test harness: a Streamlit server on a free port, Debian chromium, a network guard.

A plain module (no pytest fixtures) shared by ``tests/browser/conftest.py`` and ``bench/startup.py``.
Modelled on streamlit/streamlit's ``e2e_playwright/conftest.py``: free port, health poll, wait on the
``data-test-script-state`` attribute, server output captured to a log file.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Frame,
    FrameLocator,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    WebSocketRoute,
    expect,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
LOG_DIR = ARTIFACTS / "logs"
SCREENSHOT_DIR = ARTIFACTS / "screenshots"

HOST = "127.0.0.1"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
)
VIEWPORT = {"width": 1440, "height": 900}
LOCALE = "id-ID"

APP_DONE = "[data-testid='stApp'][data-test-script-state='notRunning']"
APP_CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
BUSY = "[data-testid='stSpinner'], [data-testid='stStatusWidgetRunningIcon'], [data-testid='stSkeleton']"
#: Streamlit's v1 custom components (streamlit-folium among them) render in this iframe;
#: its ``title`` is the component name, e.g. ``streamlit_folium.st_folium``.
COMPONENT_IFRAME = "iframe[data-testid='stCustomComponentV1']"
FOLIUM_IFRAME = "iframe[data-testid='stCustomComponentV1'][title*='streamlit_folium']"

#: Counts every Leaflet map created in a frame, whatever its renderer (SVG or canvas), by hooking
#: ``L.Map`` the moment Leaflet assigns ``window.L``. Installed on every frame of a test context.
LEAFLET_HOOK = """
(() => {
  if (Object.getOwnPropertyDescriptor(window, 'L')) return;
  let value;
  window.__svLeafletMaps = [];
  Object.defineProperty(window, 'L', {
    configurable: true, enumerable: true,
    get() { return value; },
    set(v) {
      value = v;
      try {
        if (v && v.Map && v.Map.addInitHook && !v.__svHooked) {
          v.__svHooked = true;
          v.Map.addInitHook(function () { window.__svLeafletMaps.push(this); });
        }
      } catch (e) { /* never break the page */ }
    },
  });
})();
"""

#: Vector features drawn in one frame: SVG paths, else L.Path layers on hooked maps (canvas).
LEAFLET_COUNT_JS = """
() => {
  const svg = document.querySelectorAll('path.leaflet-interactive').length;
  let layers = 0;
  for (const m of (window.__svLeafletMaps || [])) {
    m.eachLayer((l) => { if (window.L && l instanceof window.L.Path) layers += 1; });
  }
  return Math.max(svg, layers);
}
"""


class HarnessError(RuntimeError):
    """The harness could not set something up (server, browser)."""


# --------------------------------------------------------------------------- server


def free_port(host: str = HOST) -> int:
    """A TCP port that is free on ``host`` right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def http_get(url: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of a GET; HTTP errors are returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:  # noqa: S310 (localhost only)
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


@dataclass
class Server:
    """One ``streamlit run`` subprocess on 127.0.0.1, its output in ``artifacts/logs/<name>.log``."""

    script: str = "app.py"
    port: int = 0
    env: Mapping[str, str] | None = None
    name: str = "server"
    cwd: Path = ROOT
    extra_args: Sequence[str] = ()
    startup_timeout: float = 60.0
    log_path: Path = field(init=False)
    process: subprocess.Popen[bytes] | None = field(init=False, default=None)
    started_in: float = field(init=False, default=0.0)
    starts: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.port = self.port or free_port()
        self.log_path = LOG_DIR / f"{self.name}.log"

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` (no trailing slash)."""
        return f"http://{HOST}:{self.port}"

    def url(self, path: str = "/") -> str:
        """Absolute URL of ``path`` (``/``, ``/peta?kab=18.06``) on this server."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def command(self) -> list[str]:
        """The ``python -m streamlit run`` command line (the venv's interpreter)."""
        return [
            sys.executable, "-m", "streamlit", "run", self.script,
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--server.address", HOST,
            "--browser.gatherUsageStats", "false",
            # Other engineers edit files while tests run: no "source changed" reruns mid-test.
            "--server.fileWatcherType", "none",
            *self.extra_args,
        ]  # fmt: skip

    def start(self) -> Server:
        """Start the process and poll ``/_stcore/health`` until 200; raise with the log tail if not."""
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(self.env or {})}
        t0 = time.perf_counter()
        self.starts += 1
        with self.log_path.open("wb" if self.starts == 1 else "ab") as log:  # a restart appends
            log.write(f"$ (cd {self.cwd} && {' '.join(self.command())})\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command(),
                cwd=self.cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # own process group: stop() can kill all of it
            )
        deadline = t0 + self.startup_timeout
        health = self.url("/_stcore/health")
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                self.stop()
                raise HarnessError(
                    f"streamlit exited with code {code} before it was healthy.\n{self.log_tail()}"
                )
            with contextlib.suppress(OSError):
                if http_get(health, timeout=2.0)[0] == 200:
                    self.started_in = time.perf_counter() - t0
                    return self
            time.sleep(0.1)
        self.stop()
        raise HarnessError(f"{health} not healthy after {self.startup_timeout:.0f} s.\n{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM the process group; SIGKILL it when it does not exit within ``timeout``."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout)

    def restart(self) -> Server:
        """Stop and start again on the same port (same log file, appended)."""
        self.stop()
        return self.start()

    def log_tail(self, lines: int = 40) -> str:
        """Last ``lines`` lines of the server log, framed for a failure message."""
        try:
            text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            text = ["(no log)"]
        return f"--- {self.log_path} (tail) ---\n" + "\n".join(text)

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_server(
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    *,
    script: str = "app.py",
    cwd: Path = ROOT,
    name: str = "server",
    extra_args: Sequence[str] = (),
    timeout: float = 60.0,
) -> Server:
    """Start ``streamlit run <script>`` from ``cwd`` and return it once healthy (usable in ``with``)."""
    server = Server(script, port or 0, env, name, cwd, tuple(extra_args), timeout)
    return server.start()


# --------------------------------------------------------------------------- browser


def chromium_path() -> str:
    """Path of Debian's chromium (env ``CHROMIUM`` overrides); raise with install advice if missing."""
    path = os.environ.get("CHROMIUM") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise HarnessError(
            f"Chromium not found at {path}; the browser tests need it. "
            "Install it with: sudo apt-get install -y chromium   (or set CHROMIUM=/path/to/chromium)"
        )
    return path


def launch_chromium(pw: Playwright) -> Browser:
    """Headless Debian chromium with the offline-friendly flags."""
    return pw.chromium.launch(executable_path=chromium_path(), headless=True, args=list(CHROMIUM_ARGS))


def is_local(url: str) -> bool:
    """True for URLs the page may load: localhost, data:, blob:, about:."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about", "chrome-error"}:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


def deep_link_noise(base_url: str, page_path: str) -> frozenset[str]:
    """The two URLs Streamlit itself requests (and gets 404 for) when a page path is opened.

    ``/peta?kab=18.06`` -> ``<base>/peta/_stcore/health`` and ``<base>/peta/_stcore/host-config``.
    """
    path = urlsplit(page_path).path.strip("/")
    if not path:
        return frozenset()
    return frozenset(f"{base_url}/{path}/_stcore/{name}" for name in ("health", "host-config"))


@dataclass
class NetworkMonitor:
    """Blocks every non-local request of a browser context and records what went wrong.

    ``blocked``: URLs aborted because their host is not local. ``failed``: other failed requests.
    ``bad_responses``: status >= 400. ``console_errors`` and ``page_errors``: JavaScript errors.
    ``problems()`` lists all of them except the deep-link noise of the page paths opened.
    """

    base_url: str
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    opened_paths: set[str] = field(default_factory=set)
    allowed_urls: set[str] = field(default_factory=set)
    _ignored_failures: list[Callable[[str, str], bool]] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> NetworkMonitor:
        """Install the route guard and listeners on ``context`` (and every page it opens)."""
        context.route("**/*", self._route)
        context.route_web_socket(lambda url: not is_local(url), self._route_ws)
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)
        context.on("page", self._watch_page)
        for page in context.pages:
            self._watch_page(page)
        return self

    # -- listeners
    def _route(self, route: Route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def _route_ws(self, ws: WebSocketRoute) -> None:
        self.blocked.append(ws.url)
        ws.close()

    def _watch_page(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda err: self.page_errors.append(f"{err.name or 'Error'}: {err.message}"))
        page.on("framenavigated", lambda frame: self._on_navigated(page, frame))

    def _on_navigated(self, page: Page, frame: Frame) -> None:
        if frame == page.main_frame and frame.url.startswith(self.base_url):
            self.note_opened(frame.url)

    def _on_request_failed(self, request: Request) -> None:
        url, error = request.url, request.failure or "?"
        if url in self.blocked or any(ignore(url, error) for ignore in self._ignored_failures):
            return
        self.failed.append(f"{request.method} {url}: {error}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.bad_responses.append(f"{response.status} {response.request.method} {response.url}")

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            self.console_errors.append(f"{msg.text} @ {where}")

    # -- API for tests
    def note_opened(self, url: str) -> None:
        """Record that a page path of this server was opened (its deep-link noise becomes allowed)."""
        path = urlsplit(url).path
        self.opened_paths.add(path)
        self.allowed_urls |= deep_link_noise(self.base_url, path)

    def ignore_failures(self, predicate: Callable[[str, str], bool]) -> None:
        """Ignore failed requests for which ``predicate(url, error_text)`` is true (e.g. a restart)."""
        self._ignored_failures.append(predicate)

    def reset(self) -> None:
        """Forget everything recorded so far (after a deliberate server restart, say)."""
        for bucket in (self.blocked, self.failed, self.bad_responses, self.console_errors, self.page_errors):
            bucket.clear()

    def _allowed_response(self, entry: str) -> bool:
        status, _method, url = entry.split(" ", 2)
        return status == "404" and url in self.allowed_urls

    def _allowed_console(self, entry: str) -> bool:
        text, _, where = entry.rpartition(" @ ")
        return where in self.allowed_urls and "404" in text

    def problems(self) -> list[str]:
        """Everything that escaped or went wrong, minus the exact deep-link 404s and their console lines."""
        out = [f"blocked (not localhost): {u}" for u in self.blocked]
        out += [f"request failed: {f}" for f in self.failed]
        out += [f"HTTP {r}" for r in self.bad_responses if not self._allowed_response(r)]
        out += [f"console error: {c}" for c in self.console_errors if not self._allowed_console(c)]
        out += [f"page error: {e}" for e in self.page_errors]
        return out


def new_monitored_page(browser: Browser, base_url: str) -> tuple[BrowserContext, Page, NetworkMonitor]:
    """A fresh context (1440x900, id-ID, service workers blocked) guarded by a ``NetworkMonitor``."""
    context = browser.new_context(
        viewport=VIEWPORT,  # type: ignore[arg-type]
        locale=LOCALE,
        service_workers="block",
    )
    context.add_init_script(LEAFLET_HOOK)
    monitor = NetworkMonitor(base_url).attach(context)
    page = context.new_page()
    return context, page, monitor


# --------------------------------------------------------------------------- waiting & artifacts


def wait_for_app(page: Page, timeout: float = 60_000) -> None:
    """Wait until the script run is over: connected, ``notRunning``, no spinner/skeleton/running icon."""
    page.locator(APP_CONNECTED).wait_for(state="attached", timeout=timeout)
    page.locator(APP_DONE).wait_for(state="attached", timeout=timeout)
    page.wait_for_function("sel => document.querySelectorAll(sel).length === 0", arg=BUSY, timeout=timeout)
    # The run may have ended just as a rerun starts (query params written back): settle once more.
    page.wait_for_timeout(150)
    page.locator(APP_DONE).wait_for(state="attached", timeout=timeout)


def press_and_wait(page: Page, key: str, changed: Locator, text: str | re.Pattern[str],
                   timeout: float = 60_000) -> None:
    """Press ``key`` and wait until ``changed`` shows ``text``, then for the run to end. ``wait_for_app`` alone
    can return before the rerun a key starts has reached the browser (on a loaded machine the script state is
    still the old run's ``notRunning``), so a test would read the previous slide; the changed text is the proof
    that the new run has drawn."""
    page.keyboard.press(key)
    expect(changed).to_contain_text(text, timeout=timeout)
    wait_for_app(page, timeout)


def component_frame(page: Page, selector: str = FOLIUM_IFRAME, timeout: float = 60_000) -> Frame:
    """The ``Frame`` of the first component iframe matching ``selector``, once its document has loaded."""
    handle = page.locator(selector).first.element_handle(timeout=timeout)
    frame = handle.content_frame()
    if frame is None:
        raise HarnessError(f"{selector} has no content frame")
    frame.wait_for_load_state("load", timeout=timeout)
    return frame


def component_frame_locator(page: Page, selector: str = FOLIUM_IFRAME) -> FrameLocator:
    """A ``FrameLocator`` into the component iframe (for ``get_by_*`` queries inside it)."""
    return page.frame_locator(selector).first


def leaflet_feature_count(frame: Frame) -> int:
    """How many vector features Leaflet has drawn in ``frame`` (SVG paths or canvas layers)."""
    return int(frame.evaluate(LEAFLET_COUNT_JS))


def wait_for_leaflet(
    page: Page, min_features: int = 1, selector: str = FOLIUM_IFRAME, timeout: float = 60_000
) -> int:
    """Wait until the map in the component iframe has drawn ``min_features``; returns the count."""
    frame = component_frame(page, selector, timeout)
    frame.wait_for_selector(".leaflet-container", state="attached", timeout=timeout)
    frame.wait_for_function(f"({LEAFLET_COUNT_JS})() >= {int(min_features)}", timeout=timeout)
    return leaflet_feature_count(frame)


#: Height of the app's content: Streamlit scrolls an inner container, so a "full page" shot of the
#: document would stop at the viewport.
CONTENT_HEIGHT_JS = """
() => Math.max(...["[data-testid='stMain']", "[data-testid='stAppViewContainer']", "body"]
  .map((sel) => document.querySelector(sel)).filter(Boolean).map((el) => el.scrollHeight))
"""


def screenshot(page: Page, name: str) -> Path:
    """Save a PNG of the whole app content to ``artifacts/screenshots/<name>.png``; returns its path.

    The viewport is stretched to the content height for the shot and restored afterwards.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    viewport = page.viewport_size or VIEWPORT
    height = max(viewport["height"], min(int(page.evaluate(CONTENT_HEIGHT_JS)), 6000))
    if height != viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height})
        page.wait_for_timeout(400)  # let charts and the map relayout
    try:
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        if height != viewport["height"]:
            page.set_viewport_size(viewport)
    return path


@contextlib.contextmanager
def monitored_page(browser: Browser, base_url: str) -> Iterator[tuple[Page, NetworkMonitor]]:
    """``new_monitored_page`` as a context manager that closes the context afterwards."""
    context, page, monitor = new_monitored_page(browser, base_url)
    try:
        yield page, monitor
    finally:
        context.close()
