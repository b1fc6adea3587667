"""User text is inert everywhere, in a real browser with the network blocked: HTML and Markdown typed into every
user-text field (event title, venue, organiser, officer name, service name, upload headers, the search box)
and into every URL parameter is shown as typed, never as a link, an image, a style or a script.

Payloads point at http://evil.test: a request there (an image fetched from a notice) is blocked by the test's
network guard and fails the test; a link or image element pointing there, or the 60 px span, fails it too.
"""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page

from tests.browser.harness import screenshot, wait_for_app
from tests.helpers import PASSWORDS, write_operators_file
from utils.data import paths
from utils.ui.shared import PAGES

pytestmark = pytest.mark.browser


def _aborted_by_navigation(url: str, error: str) -> bool:
    """Opening the next page aborts the previous page's pending requests to the app (page icon, map geometry):
    not an error (a missing file is an HTTP error, reported on its own)."""
    return error == "net::ERR_ABORTED"
HTML = '<span style="font-size:60px">BESAR</span><a href="http://evil.test/p">klik</a>'
IMAGE = "![x](http://evil.test/t.png)"
LINK = "[Login ulang di sini](http://evil.test/p)"
PAYLOADS = {"title": "Bimtek " + HTML, "venue": "Hotel " + IMAGE, "organiser": "Dinas " + LINK,
            "officer": "**Tebal** " + HTML, "service": "Layanan " + LINK + " <img src=http://evil.test/i.png>"}
#: Elements a payload must never become.
HOSTILE = ("a[href*='evil.test'], img[src*='evil.test'], [style*='font-size:60px'], [style*='font-size: 60px'], "
           "iframe[src*='evil.test'], script[src*='evil.test']")
JOIN = "\u2060"  # the invisible word joiner inert.markdown puts after ":" and "@" (stops autolinks)
URL_PARAMS = [{"tahun": IMAGE}, {"kab": LINK}, {"kec": "<img src=http://evil.test/k.png>"}, {"desa": "**tebal**"},
              {"tw": HTML}, {"tahun": "2024", "tw": LINK}, {"lang": IMAGE}]


@pytest.fixture
def payload_server(server_factory, tmp_path):
    """The demo store with payloads in the free-text columns a user types (Tanggamus rows, inside the default
    period, so every page shows them)."""
    db = tmp_path / "programme.db"
    shutil.copy(paths.DEFAULT_DB, db)
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        event = conn.execute(sa.text("SELECT e.event_id FROM bimtek_events e JOIN bimtek_participants p "
                                     "ON p.event_id = e.event_id WHERE p.village_code LIKE '18.06.%' "
                                     "ORDER BY e.start_date LIMIT 1")).scalar()
        conn.execute(sa.text("UPDATE bimtek_events SET title = :t, organiser = :o WHERE event_id = :e"),
                     {"t": PAYLOADS["title"], "o": PAYLOADS["organiser"], "e": event})
        conn.execute(sa.text("UPDATE bimtek_venues SET venue = :v WHERE rowid = (SELECT MIN(rowid) FROM bimtek_venues "
                             "WHERE event_id = :e)"), {"v": PAYLOADS["venue"], "e": event})
        conn.execute(sa.text("UPDATE officers SET name = :n WHERE officer_id = (SELECT MIN(officer_id) FROM officers "
                             "WHERE village_code LIKE '18.06.%')"), {"n": PAYLOADS["officer"]})
        conn.execute(sa.text("UPDATE services SET service = :s WHERE rowid = (SELECT MIN(rowid) FROM services "
                             "WHERE village_code LIKE '18.06.%')"), {"s": PAYLOADS["service"]})
    engine.dispose()
    env = {"SV_DATABASE_URL": f"sqlite:///{db}",
           "SV_OPERATORS_FILE": str(write_operators_file(tmp_path / "operators.toml"))}
    return server_factory(env=env)


def _assert_inert(page: Page, where: str) -> None:
    wait_for_app(page, timeout=120_000)
    assert page.locator("[data-testid='stException']").count() == 0, where
    found = page.evaluate("sel => Array.from(document.querySelectorAll(sel)).map(e => e.outerHTML.slice(0, 120))",
                          HOSTILE)
    assert not found, (where, found)


def test_url_parameters_render_as_text(payload_server, page_factory):
    page, monitor = page_factory(payload_server)
    monitor.ignore_failures(_aborted_by_navigation)
    for params in URL_PARAMS:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        page.goto(payload_server.url(f"/Ringkasan?{query}"))
        _assert_inert(page, query)
        shown = [v for k, v in params.items() if k in ("tw", "kab", "kec", "desa") or (k == "tahun" and v != "2024")]
        notices = [n.replace(JOIN, "") for n in page.locator("[data-testid='stAlert']").all_inner_texts()]
        for value in shown:  # the notice names the value exactly as typed
            assert any(value[:15] in n for n in notices), (params, notices)
    screenshot(page, "security-url-notice")


def test_search_box_renders_as_text(payload_server, page_factory):
    page, monitor = page_factory(payload_server)
    monitor.ignore_failures(_aborted_by_navigation)
    page.goto(payload_server.url("/Ringkasan"))
    wait_for_app(page)
    box = page.locator("[data-testid='stSidebar']").get_by_role("textbox", name="Cari desa/kelurahan")
    box.fill(LINK)
    box.press("Enter")
    _assert_inert(page, "search")
    sidebar = page.locator("[data-testid='stSidebar']").inner_text().replace(JOIN, "")
    assert f"Tidak ada desa yang cocok dengan \u201c{LINK}\u201d" in sidebar, sidebar[-400:]


def _hover_payload(page: Page):
    """Hover each bar of the Pelatihan timeline until the tooltip shows the payload event; returns the tooltip."""
    chart = page.locator("[data-testid='stPlotlyChart']").first
    bars = chart.locator(".barlayer .point path")
    for i in range(bars.count()):
        bars.nth(i).hover(force=True)
        page.wait_for_timeout(150)
        hover = chart.locator(".hoverlayer")
        if "BESAR" in (hover.text_content() or ""):  # an SVG group: text_content, not inner_text
            return hover
    raise AssertionError("no bar of the timeline showed the payload event")


def test_stored_text_renders_as_text_on_every_page(payload_server, page_factory):
    page, monitor = page_factory(payload_server)
    monitor.ignore_failures(_aborted_by_navigation)
    for path, _key, _icon in PAGES:
        if not (paths.ROOT / path).exists() or "Unggah" in path or "Riwayat" in path or "Impor" in path:
            continue
        slug = path.split("/")[-1].split("_", 1)[1].removesuffix(".py")
        page.goto(payload_server.url(f"/{slug}?kab=18.06"))
        _assert_inert(page, slug)
    page.goto(payload_server.url("/Pelatihan?kab=18.06"))
    wait_for_app(page)
    hover = _hover_payload(page)
    assert HTML in (hover.text_content() or "")  # the title as typed, tags and all
    styled = hover.locator("[style*='60px'], a").evaluate_all("els => els.map(e => e.outerHTML)")
    assert not styled, styled  # no 60 px text, no link built from it
    _assert_inert(page, "Pelatihan hover")
    screenshot(page, "security-pelatihan-hover")


def test_upload_headers_render_as_text(payload_server, page_factory, tmp_path):
    page, monitor = page_factory(payload_server)
    monitor.ignore_failures(_aborted_by_navigation)
    page.goto(payload_server.url("/Unggah"))
    wait_for_app(page)
    page.get_by_label("Nama pengguna").fill("admin")
    page.get_by_label("Kata sandi").fill(PASSWORDS["admin"])
    page.get_by_role("button", name="Masuk", exact=True).click()
    wait_for_app(page)
    csv = tmp_path / "adopsi.csv"
    csv.write_text(f"kode_desa;tahap;tanggal;{LINK};{IMAGE};{HTML}\n18.06.20.2006;Bergabung;17/12/2024;a;b;c\n",
                   encoding="utf-8")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(csv))
    _assert_inert(page, "upload headers")
    notice = page.locator("[data-testid='stAlert']").filter(has_text="Kolom tambahan diabaikan").inner_text()
    for header in (LINK, IMAGE, HTML):  # the file's own headers, shown exactly as typed
        assert header in notice.replace(JOIN, ""), notice
    screenshot(page, "security-upload-headers")
