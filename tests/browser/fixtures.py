"""Fixtures for the browser tests (a plugin loaded by tests/conftest.py, for tests/browser and tests/security): Streamlit servers, Debian chromium, a network-guarded ``page``.

Every test here runs with the network blocked: any request that is not to 127.0.0.1/localhost is
aborted and fails the test at teardown, as do failed requests, HTTP >= 400, console errors and page
errors -- except the two 404s Streamlit itself causes on a deep link (see ``harness.deep_link_noise``).
The reusable parts live in ``harness.py`` (shared with ``bench/startup.py``).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright  # noqa: E402

from tests.browser.harness import (  # noqa: E402
    HarnessError,
    NetworkMonitor,
    Server,
    launch_chromium,
    new_monitored_page,
    screenshot,
    start_server,
)

ServerFactory = Callable[..., Server]
PageFactory = Callable[..., tuple[Page, NetworkMonitor]]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item so fixtures can screenshot a failed test."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


# --------------------------------------------------------------------------- servers


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    """One Streamlit server on the repo's app.py, shared by ordinary tests (log: artifacts/logs/shared.log;
    shared-gw0.log ... under pytest-xdist, where each worker starts its own)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    try:
        srv = start_server(name=f"shared-{worker}" if worker else "shared")
    except HarnessError as err:
        pytest.fail(str(err), pytrace=False)
    yield srv
    srv.stop()


@pytest.fixture
def server_factory(request: pytest.FixtureRequest) -> Iterator[ServerFactory]:
    """Start fresh servers (deep link as very first request, restarts); all stopped at teardown.

    ``server_factory(port=None, env=None, script="app.py", cwd=ROOT, extra_args=())``
    """
    started: list[Server] = []

    def factory(port: int | None = None, env: dict[str, str] | None = None, **kwargs: Any) -> Server:
        kwargs.setdefault("name", f"{_slug(request.node.name)}-{len(started)}")
        try:
            srv = start_server(port, env, **kwargs)
        except HarnessError as err:
            pytest.fail(str(err), pytrace=False)
        started.append(srv)
        return srv

    yield factory
    for srv in started:
        srv.stop()


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver (sync API)."""
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian chromium; FAILS (never skips) with install advice when it is missing."""
    try:
        chromium = launch_chromium(playwright)
    except HarnessError as err:
        pytest.fail(str(err), pytrace=False)
    yield chromium
    chromium.close()


@pytest.fixture
def page_factory(browser: Browser, request: pytest.FixtureRequest) -> Iterator[PageFactory]:
    """New guarded pages: ``page_factory(server_or_base_url, check=True) -> (page, monitor)``.

    Each call opens a new context (1440x900, id-ID). At teardown, pages made with ``check=True`` fail
    the test when their monitor recorded problems; ``check=False`` leaves the monitor to the test.
    """
    opened: list[tuple[BrowserContext, Page, NetworkMonitor, bool]] = []

    def factory(target: Server | str, check: bool = True) -> tuple[Page, NetworkMonitor]:
        base_url = target.base_url if isinstance(target, Server) else target.rstrip("/")
        context, new_page, monitor = new_monitored_page(browser, base_url)
        opened.append((context, new_page, monitor, check))
        return new_page, monitor

    yield factory

    failures: list[str] = []
    call_report = getattr(request.node, "rep_call", None)
    for n, (context, opened_page, monitor, check) in enumerate(opened):
        problems = monitor.problems() if check else []
        if problems or (call_report is not None and call_report.failed):
            try:
                shot = screenshot(opened_page, f"FAILED-{_slug(request.node.name)}-{n}")
                problems.append(f"(screenshot: {shot})")
            except Exception as err:  # noqa: BLE001 - the screenshot is only a courtesy
                problems.append(f"(no screenshot: {err})")
        context.close()
        if check and monitor.problems():
            failures.append(
                f"page {n} ({', '.join(sorted(monitor.opened_paths)) or 'nothing opened'}):\n  "
                + "\n  ".join(problems)
            )
    if failures and call_report is not None and call_report.failed:
        # The test already failed: show what the browser saw without reporting a second error.
        print("Browser problems seen during the failed test:\n" + "\n".join(failures))
    elif failures:
        pytest.fail(
            "The browser saw requests leave localhost or errors (network is blocked in tests):\n"
            + "\n".join(failures),
            pytrace=False,
        )


@pytest.fixture
def page_and_network(server: Server, page_factory: PageFactory) -> tuple[Page, NetworkMonitor]:
    """A guarded page on the shared server and its monitor (``network.reset()`` after a restart)."""
    return page_factory(server)


@pytest.fixture
def page(page_and_network: tuple[Page, NetworkMonitor]) -> Page:
    """A guarded page on the shared server; the test fails at teardown if anything escaped."""
    return page_and_network[0]


@pytest.fixture
def network(page_and_network: tuple[Page, NetworkMonitor]) -> NetworkMonitor:
    """The ``NetworkMonitor`` of the ``page`` fixture."""
    return page_and_network[1]
