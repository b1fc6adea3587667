"""The home page renders with the network blocked (app-agnostic smoke test)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.harness import NetworkMonitor, Server, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_home_renders_offline(server: Server, page: Page, network: NetworkMonitor) -> None:
    page.goto(server.url("/"))
    wait_for_app(page)
    page.wait_for_timeout(1_000)  # late assets (iframes, images) get their chance to escape
    screenshot(page, "home")

    assert page.get_by_test_id("stApp").is_visible()
    assert page.get_by_test_id("stMain").is_visible()
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert network.problems() == [], "\n".join(network.problems())
