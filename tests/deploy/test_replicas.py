"""Two app servers behind nginx sharing one PostgreSQL store, on loopback, all started and stopped here.

A throwaway PostgreSQL cluster (tests/postgres.py) holds a copy of the demo store; replicas A and B each own a
copy of data/ and geo/ (as two machines would) and share only the store and the cookie secret; nginx runs
deploy/nginx/smart-village.conf with the two replicas substituted (tests/deploy/cluster.py). A browser is sent to
one replica by giving it an ``sv_route`` cookie that hashes there (found by probing through nginx), exactly as the
cookie nginx itself sets would. Expected figures are read from the store with plain SQL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.harness import (
    ARTIFACTS,
    HarnessError,
    Server,
    new_monitored_page,
    screenshot,
    wait_for_app,
)
from tests.deploy.cluster import Proxy, compare, figures_table, start_replicas, stream_upstreams
from tests.files import doctored
from tests.helpers import PASSWORDS, write_operators_file
from tests.independent import desa_count, joined_desa
from tests.load.sessions import run_async
from tests.load.st_client import StreamlitClient
from tests.postgres import clone
from utils.data import geo_static
from utils.intake import templates

pytestmark = pytest.mark.deploy
JOINED = ["18.06.20.2006", "18.06.20.2002", "18.06.20.2001"]  # Gisting Atas, Campang, Banjar Manis
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Deployment:
    def __init__(self, url: str, replicas: list[Server], proxy: Proxy) -> None:
        self.url, self.replicas, self.proxy = url, replicas, proxy
        self.engine = sa.create_engine(url)
        self.a, self.b = replicas

    def route(self, server: Server) -> str:
        return self.proxy.route_cookie_for(server.port)


@pytest.fixture(scope="module")
def deployment(pg_cluster, pg_demo_template, tmp_path_factory) -> Iterator[Deployment]:
    root = tmp_path_factory.mktemp("deploy")
    url = clone(pg_cluster, pg_demo_template)
    ops = write_operators_file(root / "operators.toml")
    try:
        replicas = start_replicas(root, url, 2, {"SV_OPERATORS_FILE": str(ops)})
    except HarnessError as err:
        pytest.fail(str(err), pytrace=False)
    proxy = Proxy([s.port for s in replicas], root)
    try:
        proxy.start()
    except HarnessError as err:
        for s in replicas:
            s.stop()
        pytest.fail(str(err), pytrace=False)
    dep = Deployment(url, replicas, proxy)
    yield dep
    proxy.stop()
    for server in replicas:
        server.stop()
        shutil.rmtree(geo_static.static_dir(Path(server.env["SV_GEO_DIR"])), ignore_errors=True)
    dep.engine.dispose()


@pytest.fixture
def pinned(browser: Browser, deployment: Deployment) -> Iterator:
    """``pinned(server) -> page``: a guarded browser context on the proxy whose sv_route cookie hashes to
    ``server``; at teardown, any request that left localhost or failed fails the test."""
    opened: list[tuple[BrowserContext, Page, object]] = []

    def open_for(server: Server, check: bool = True) -> Page:
        context, page, monitor = new_monitored_page(browser, deployment.proxy.base_url)
        context.add_cookies([{"name": "sv_route", "value": deployment.route(server), "url": deployment.proxy.base_url}])
        opened.append((context, page, monitor if check else None))
        return page

    yield open_for
    problems = []
    for context, _page, monitor in opened:
        if monitor is not None:
            problems += monitor.problems()
        context.close()
    assert not problems, problems


def sign_in(page: Page, user: str, password: str | None = None) -> None:
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(password or PASSWORDS[user])
    page.get_by_role("button", name="Masuk", exact=True).click()
    wait_for_app(page)


def joined_metric(page: Page) -> str:
    return page.locator("[data-testid='stMetric']").filter(has_text="Desa bergabung").first.locator(
        "[data-testid='stMetricValue']").inner_text().strip()


def store_joined(engine, kab: str) -> int:
    """Desa of ``kab`` joined by the store's data date, counted with plain SQL and pandas."""
    with engine.connect() as conn:
        adoption = pd.read_sql(sa.text("SELECT * FROM adoption"), conn, parse_dates=["reached_on"])
        as_of = conn.execute(sa.text("SELECT value FROM meta WHERE key = 'data_as_of'")).scalar()
    return joined_desa({"adoption": adoption}, dt.date.fromisoformat(str(as_of)[:10]), kab)


def upstreams_for(proxy: Proxy, route: str) -> set[str]:
    """Replicas that answered requests carrying ``route`` (requests answered from nginx's cache have none)."""
    return {x["upstream"] for x in proxy.log_lines() if x["route"] == route and x["upstream"] != "-"}


# --------------------------------------------------------------------------------------------- the tests


def test_both_replicas_serve_sessions_and_a_browser_stays_on_one(deployment, browser):
    proxy = deployment.proxy
    # A first visit gets the affinity cookie from nginx; with it, every request returns to the same replica.
    status, headers, _ = proxy.get("/")
    cookie = headers["set-cookie"].split(";")[0]
    assert status == 200 and cookie.startswith("sv_route=") and "HttpOnly" in headers["set-cookie"]
    route = cookie.split("=", 1)[1]
    for _ in range(5):
        assert proxy.get("/_stcore/health", cookie=cookie)[0] == 200
    assert len(upstreams_for(proxy, route)) == 1

    # Twelve sessions without cookies (a script, or twelve first visits) spread over both replicas.
    async def sessions() -> list[str | None]:
        clients = [StreamlitClient(proxy.base_url) for _ in range(12)]
        try:
            runs = await asyncio.gather(*(c.connect("kab=18.06") for c in clients))
            return [r.heading for r in runs]
        finally:
            await asyncio.gather(*(c.close() for c in clients))

    headings = run_async(sessions())
    assert headings == ["Ringkasan Program Smart Village"] * 12, headings
    spread = stream_upstreams(proxy)
    assert set(spread) == {f"127.0.0.1:{s.port}" for s in deployment.replicas} and sum(spread.values()) >= 12

    # A real browser through the proxy: its page, its static files and its websocket all on one replica.
    context, page, monitor = new_monitored_page(browser, proxy.base_url)
    try:
        page.goto(proxy.url("/Ringkasan?kab=18.06"))
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Ringkasan Program Smart Village")).to_be_visible()
        route = next(c["value"] for c in context.cookies() if c["name"] == "sv_route")
        mine = [x for x in proxy.log_lines() if x["route"] == route]
        assert len(mine) >= 5 and len(upstreams_for(proxy, route)) == 1, mine
        assert any(x["cache"] in ("HIT", "MISS") for x in mine if x["request"].startswith("GET /static/"))
        assert not monitor.problems(), monitor.problems()
    finally:
        context.close()


def test_an_upload_approved_through_a_changes_the_figure_served_by_b(deployment, pinned, tmp_path, regions):
    a, b = deployment.a, deployment.b
    n_desa = desa_count(regions, "18.06")
    before = store_joined(deployment.engine, "18.06")
    viewer = pinned(b)
    viewer.goto(deployment.proxy.url("/Ringkasan?kab=18.06"))
    wait_for_app(viewer)
    assert joined_metric(viewer) == f"{before} / {n_desa}"  # B has read (and cached) the store before the upload

    wb = openpyxl.load_workbook(io.BytesIO(templates.build_template("adoption", regions, "18.06")))
    for row in wb["Data"].iter_rows(min_row=2):
        if row[0].value in JOINED:
            row[3].value, row[4].value = "Bergabung", dt.datetime(2024, 12, 17)
    filled = tmp_path / "adopsi-tanggamus.xlsx"
    wb.save(filled)

    operator = pinned(a)
    operator.goto(deployment.proxy.url("/Unggah"))
    wait_for_app(operator)
    sign_in(operator, "op_tgm")
    operator.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(filled))
    wait_for_app(operator)
    expect(operator.get_by_text("Berkas lolos pemeriksaan.")).to_be_visible(timeout=60_000)
    operator.get_by_role("button", name="Simpan (3 baris)").click()
    wait_for_app(operator)
    expect(operator.get_by_text("tersimpan dan menunggu persetujuan admin provinsi.")).to_be_visible(timeout=30_000)

    admin = pinned(a)
    admin.goto(deployment.proxy.url("/Riwayat"))
    wait_for_app(admin)
    sign_in(admin, "admin")
    admin.get_by_role("button", name="Setujui").click()
    wait_for_app(admin)
    expect(admin.get_by_text("disetujui dan diterapkan.")).to_be_visible(timeout=30_000)
    after = store_joined(deployment.engine, "18.06")
    assert after != before

    # B, untouched and not restarted: a rerun of the same view shows the new figure within seconds.
    viewer.reload()
    wait_for_app(viewer)
    expect(viewer.locator("[data-testid='stMetric']").filter(has_text="Desa bergabung").first.locator(
        "[data-testid='stMetricValue']")).to_have_text(f"{after} / {n_desa}", timeout=15_000)
    screenshot(viewer, "deploy-b-after-approval-on-a")
    for page, server in ((viewer, b), (admin, a)):
        route = next(c["value"] for c in page.context.cookies() if c["name"] == "sv_route")
        assert upstreams_for(deployment.proxy, route) == {f"127.0.0.1:{server.port}"}


def test_an_index_import_and_its_undo_through_a_show_on_b(deployment, pinned, real_rows):
    def years(page: Page) -> str:
        return page.get_by_text("Tahun IDM tersedia:").first.inner_text()

    watcher = pinned(deployment.b)
    watcher.goto(deployment.proxy.url("/Impor"))
    wait_for_app(watcher)
    sign_in(watcher, "admin")
    assert years(watcher).startswith("Tahun IDM tersedia: 2024 (dasar 2024)")

    importer = pinned(deployment.a)
    importer.goto(deployment.proxy.url("/Impor"))
    wait_for_app(importer)
    sign_in(importer, "admin")
    data, _ = doctored(real_rows, 2025, 3)
    importer.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        files=[{"name": "IDM_2025.xlsx", "mimeType": XLSX, "buffer": data}])
    wait_for_app(importer)
    importer.get_by_role("button", name="Konfirmasi impor").click()
    wait_for_app(importer)
    expect(importer.get_by_text("3 desa ditambahkan, 0 desa diganti")).to_be_visible(timeout=60_000)
    with deployment.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT year, desa FROM index_imports")).all() == [(2025, 3)]

    watcher.reload()  # same browser, a new run on B: still signed in? no -- a reload is a new session
    wait_for_app(watcher)
    sign_in(watcher, "admin")
    expect(watcher.get_by_text("Tahun IDM tersedia: 2024, 2025")).to_be_visible(timeout=15_000)

    importer.get_by_role("link", name="Riwayat & Persetujuan").click()
    wait_for_app(importer)
    importer.get_by_role("button", name="Batalkan (kembalikan keadaan sebelumnya)").click()
    wait_for_app(importer)
    expect(importer.get_by_text("dibatalkan; data kembali seperti sebelumnya")).to_be_visible(timeout=30_000)

    watcher.get_by_role("link", name="Impor IDM & Batas").click()  # B, same session: the page reruns
    wait_for_app(watcher)
    expect(watcher.get_by_text("Tahun IDM tersedia: 2024 (dasar 2024)")).to_be_visible(timeout=15_000)
    with deployment.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM idm_import_desa")).scalar() == 0


def test_the_sign_in_throttle_holds_across_both_replicas(deployment):
    """Sessions are headless websocket clients pinned by the affinity cookie (a sign-in is a form submit), so the
    tries follow each other within the backoff's two seconds even on a busy machine."""
    failed, throttled = "Nama pengguna atau kata sandi salah.", "Terlalu banyak percobaan masuk yang gagal"
    login = {"_w_login_user": "admin", "_w_login_pw": "salah-sekali"}

    async def tries(server: Server, n: int) -> list[str]:
        client = StreamlitClient(deployment.proxy.base_url, cookie=f"sv_route={deployment.route(server)}")
        try:
            await client.connect(page_name="Riwayat")
            out = []
            for _ in range(n):
                result = await client.submit("Masuk", login)
                out.append(" ".join(result.errors))
            return out
        finally:
            await client.close()

    try:
        # Ten failures on the account through A, in four sessions (three each stays below a session's backoff).
        for n in (3, 3, 3, 1):
            assert all(m == f"st.error: {failed}" for m in run_async(tries(deployment.a, n)))
        with deployment.engine.connect() as conn:
            account = conn.execute(sa.text("SELECT failures FROM login_failures WHERE key = 'account:admin'")).scalar()
        assert account == 10
        # A new session on B: the account is under attack for every replica, so it gets one free try, then
        # waits (an unshared counter would give this new session three free tries).
        messages = run_async(tries(deployment.b, 3))
        assert failed in messages[0] and any(throttled in m for m in messages[1:]), messages
        routes = {deployment.route(deployment.a): deployment.a.port, deployment.route(deployment.b): deployment.b.port}
        for route, port in routes.items():
            assert upstreams_for(deployment.proxy, route) == {f"127.0.0.1:{port}"}
    finally:
        with deployment.engine.begin() as conn:  # the later tests sign in as admin
            conn.execute(sa.text("DELETE FROM login_failures"))


def test_thirty_concurrent_sessions_through_the_proxy_and_against_one_server(deployment):
    """30 websocket sessions at once changing filter and page, through nginx (both replicas) and then directly
    against replica A alone; no error either way. Figures: artifacts/bench/replicas.json (and printed)."""
    figures = compare(deployment.proxy, deployment.a, sessions=30, duration=30.0)
    out = ARTIFACTS / "bench" / "replicas.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=1))
    print("\n" + figures_table(figures) + "\n" + json.dumps(figures["proxy"]["sessions_per_replica"]))
    for name in ("proxy", "one_server"):
        assert figures[name]["errors"] == 0 and figures[name]["leaks"] == 0, figures[name]
        assert figures[name]["sessions_held"] == 30, figures[name]
    spread = figures["proxy"]["sessions_per_replica"]
    assert set(spread) == {f"127.0.0.1:{s.port}" for s in deployment.replicas} and sum(spread.values()) >= 30, spread


def test_stopping_a_mid_session_leaves_the_user_on_b_with_the_same_view(deployment, pinned):
    a, b = deployment.a, deployment.b
    page = pinned(a, check=False)  # the dropped websocket is expected noise here
    page.goto(deployment.proxy.url("/Ringkasan?kab=18.06"))
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Ringkasan Program Smart Village")).to_be_visible()
    shown = joined_metric(page)
    route = next(c["value"] for c in page.context.cookies() if c["name"] == "sv_route")
    a.stop()
    try:
        page.reload()
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Ringkasan Program Smart Village")).to_be_visible(timeout=30_000)
        assert "kab=18.06" in page.url and joined_metric(page) == shown
        expect(page.get_by_text("Tanggamus").first).to_be_visible()
        screenshot(page, "deploy-failover-on-b")
        served = [x for x in deployment.proxy.log_lines() if x["route"] == route and x["status"] in ("101", "200")]
        assert served[-1]["upstream"].endswith(f":{b.port}"), served[-3:]
    finally:
        a.start()
