"""The harness itself: it blocks and reports what leaves localhost, allows exactly the deep-link
noise, and the app serves Leaflet from its own static folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.harness import ROOT, NetworkMonitor, Server, deep_link_noise, http_get, wait_for_app

pytestmark = pytest.mark.browser

CDN_IMG = "https://cdn.example.org/x.png"


@pytest.fixture(scope="module")
def toy_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway multipage Streamlit app: a clean home, a clean page, and a page loading a CDN image."""
    root = tmp_path_factory.mktemp("toy_app")
    (root / "pages").mkdir()
    (root / "app.py").write_text('import streamlit as st\n\nst.title("Beranda")\n')
    (root / "pages" / "peta.py").write_text(
        'import streamlit as st\n\nst.write("Peta", st.query_params.to_dict())\n'
    )
    (root / "pages" / "cdn.py").write_text(
        textwrap.dedent(
            f"""
            import streamlit as st

            st.markdown('<img src="{CDN_IMG}" alt="cdn">', unsafe_allow_html=True)
            """
        )
    )
    return root


@pytest.fixture
def toy_server(toy_app: Path, server_factory: Callable[..., Server]) -> Server:
    """A fresh server on the throwaway app."""
    return server_factory(script="app.py", cwd=toy_app)


def _wait_until(page: Page, predicate: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    for _ in range(timeout_ms // 100):
        if predicate():
            return
        page.wait_for_timeout(100)


def test_request_leaving_localhost_is_blocked_and_reported(
    toy_server: Server, page_factory: Callable[..., tuple[Page, NetworkMonitor]]
) -> None:
    page, network = page_factory(toy_server, check=False)
    page.goto(toy_server.url("/cdn"))
    wait_for_app(page)
    _wait_until(page, lambda: bool(network.blocked))

    assert CDN_IMG in network.blocked
    assert any(CDN_IMG in problem for problem in network.problems())
    # The page never got the image: the request was aborted in the browser.
    assert page.locator("img[alt='cdn']").evaluate("img => img.naturalWidth") == 0

    # WebSockets to other hosts are blocked too.
    page.evaluate("() => { window.__ws = new WebSocket('wss://ws.example.org/feed'); }")
    _wait_until(page, lambda: len(network.blocked) > 1)
    assert "wss://ws.example.org/feed" in network.blocked


def test_clean_page_has_no_problems(
    toy_server: Server, page_factory: Callable[..., tuple[Page, NetworkMonitor]]
) -> None:
    page, network = page_factory(toy_server, check=False)
    page.goto(toy_server.url("/"))
    wait_for_app(page)
    page.get_by_text("Beranda").first.wait_for()
    page.wait_for_timeout(500)

    assert network.problems() == []
    assert network.blocked == []


def test_deep_link_noise_is_allowed_exactly(
    toy_server: Server, page_factory: Callable[..., tuple[Page, NetworkMonitor]]
) -> None:
    """The very first request to a fresh server is a deep link: only its two 404s are tolerated."""
    page, network = page_factory(toy_server, check=False)
    page.goto(toy_server.url("/peta?kab=18.06"))
    wait_for_app(page)
    page.get_by_text("18.06").first.wait_for()

    noise = deep_link_noise(toy_server.base_url, "/peta?kab=18.06")
    assert noise == {toy_server.url("/peta/_stcore/health"), toy_server.url("/peta/_stcore/host-config")}
    assert network.problems() == []

    # The same 404 for a page path that was not opened is still reported.
    other = toy_server.url("/lain/_stcore/health")
    assert page.evaluate("url => fetch(url).then(r => r.status)", other) == 404
    _wait_until(page, lambda: bool(network.problems()))
    assert any(other in problem for problem in network.problems())


def test_leaflet_is_served_by_the_app(server: Server) -> None:
    """Leaflet comes from the app's static folder (``python -m utils assets``), never a CDN."""
    leaflet = ROOT / "static" / "vendor" / "leaflet" / "leaflet.js"
    assert leaflet.is_file(), f"{leaflet} is missing: run `.venv/bin/python -m utils assets` (make setup)"

    status, headers, body = http_get(server.url("/app/static/vendor/leaflet/leaflet.js"))

    assert status == 200, f"GET leaflet.js -> {status}\n{server.log_tail()}"
    assert "javascript" in headers.get("content-type", ""), headers.get("content-type")
    assert body == leaflet.read_bytes()

    status, headers, _ = http_get(server.url("/app/static/vendor/leaflet/leaflet.css"))
    assert status == 200
    assert "text/css" in headers.get("content-type", "")
