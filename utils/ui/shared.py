"""Streamlit glue shared by every page: page set-up, cached data, the one filter state, sidebar, header.

The filter lives under one non-widget key of ``st.session_state`` (widget keys do not survive a page
switch) and is written back to ``st.query_params`` on every run (a sidebar page link drops the query
string), so the URL always reproduces the view. See README "Navigation and deep links".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import NoReturn

import pandas as pd
import streamlit as st

from utils.data import paths
from utils.data.dataset import (
    STORE_WHAT,
    Dataset,
    DataUnavailable,
    canonical_version,  # noqa: F401 - for pages (the upload page's check key)
    load_boundaries,
    load_dataset,
)
from utils.data.wilayah import search_index, search_villages
from utils.domain import filters
from utils.domain.codes import PROVINCE_CODE
from utils.domain.filters import FilterState
from utils.i18n import fmt_date, inert, t
from utils.intake import slots
from utils.metrics import indicators
from utils.ui import allocator, login, warmup
from utils.ui.cache import versioned
from utils.ui.errors import is_store_error, store_guard, store_unavailable  # noqa: F401 - store_guard for pages
from utils.views import reporting_display as rpd

allocator.cap_arenas()  # every page imports this module first: memory stays flat as sessions come and go

#: Page icon as a local file: a ":material/...:" or emoji icon makes the browser fetch it from a CDN.
ICON = str(paths.STATIC_DIR / "icon.png")
STATE_KEY = "sv_filter"
NOTICES_KEY = "sv_notices"
#: Pages in the sidebar, in order: (script path, label key, icon). Leadership pages first, then the
#: operator pages (data in). A script not (yet) present is left out of the sidebar.
PAGES = [
    ("pages/1_Ringkasan.py", "page_overview", ":material/dashboard:"),
    ("pages/2_Peta.py", "page_map", ":material/map:"),
    ("pages/3_Adopsi.py", "page_adoption", ":material/trending_up:"),
    ("pages/4_Pelatihan.py", "page_bimtek", ":material/school:"),
    ("pages/5_Evaluasi.py", "page_evaluation", ":material/fact_check:"),
    ("pages/10_Presentasi.py", "page_present", ":material/slideshow:"),
    ("pages/6_Unggah.py", "page_upload", ":material/upload_file:"),
    ("pages/7_Riwayat.py", "page_history", ":material/history:"),
    ("pages/8_Impor.py", "page_import", ":material/move_to_inbox:"),
    ("pages/9_Kualitas.py", "page_quality", ":material/rule:"),
    ("pages/11_Pelaporan.py", "page_tracker", ":material/assignment_turned_in:"),
]


@st.cache_resource(show_spinner=False)
def _last_good() -> dict[str, Dataset]:
    """The last Dataset read completely, shared by all sessions (served while the store cannot be read)."""
    return {}


@versioned(show_spinner="Memuat data…", max_entries=2)
def dataset() -> Dataset:
    """The shared, read-only dataset (reloaded when the build or store changes)."""
    # A store that is locked, unreachable or corrupt after a version change must not take every page down:
    # serve the last good read, marked read-only (the frame shows a notice). It is cached under this
    # version, so the next change of the store (unlock + write, server back, file restored) reloads.
    # Missing or corrupt canonical files still raise: only a rebuild helps there.
    try:
        ds = load_dataset()
    except DataUnavailable as exc:
        last = _last_good().get("ds")
        if last is None or exc.what != STORE_WHAT:
            raise
        return replace(last, read_only=exc.detail or exc.what)
    _last_good()["ds"] = ds
    return ds


@versioned(max_entries=32)
def period_snapshot(as_of: dt.date) -> pd.DataFrame:
    """Every village's indicators at the period end ``as_of`` (shared by the pages and the warm-up; never mutate)."""
    return indicators.village_snapshot(dataset(), as_of)


@versioned(max_entries=8)
def boundaries(level: str):  # -> gpd.GeoDataFrame
    """Display-simplified boundaries of one level (shared; never mutate)."""
    return load_boundaries(level)


@versioned(max_entries=2)
def _search_index() -> pd.DataFrame:
    return search_index(dataset().regions)


@dataclass(frozen=True)
class PageContext:
    """What a page needs: data, the filter state and the period end it implies."""

    ds: Dataset
    state: FilterState
    as_of: dt.date
    snapshot: pd.DataFrame

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def code(self) -> str:
        return self.state.region_code


def init_state(ds: Dataset) -> FilterState:
    """The session's filter state; the first run of a session reads it from the URL."""
    if STATE_KEY not in st.session_state:
        state, notices = filters.parse_query(st.query_params.to_dict(), set(ds.regions["code"]), ds.data_as_of)
        st.session_state[STATE_KEY] = state
        st.session_state[NOTICES_KEY] = notices
    return st.session_state[STATE_KEY]


def _set_state(state: FilterState) -> None:
    st.session_state[STATE_KEY] = state


def set_region(code: str | None) -> None:
    """Move the one filter state to region ``code`` (None: province), e.g. after a map click.

    Unknown codes fall back to the province with a notice. Call before the sidebar is drawn, or
    follow with ``st.rerun()`` so the sidebar and the URL show the new region.
    """
    ds = dataset()
    if code and code not in ds.names:
        st.session_state[NOTICES_KEY] = [*st.session_state.get(NOTICES_KEY, []), ("bad_code", {"code": code})]
        code = None
    _set_state(st.session_state[STATE_KEY].with_region(code))


def page_frame(title_key: str, heading_key: str) -> PageContext:
    """Set up a page: config, data, sidebar filter, URL, header with office, data date and source.

    ``title_key``: short name (browser tab, sidebar); ``heading_key``: the page heading.
    """
    st.set_page_config(page_title=f"{t(title_key)} · Smart Village Lampung", page_icon=ICON,
                       layout="wide")
    try:
        ds = dataset()
    except DataUnavailable as exc:
        data_unavailable(exc)
    if ds.read_only:
        lang = st.session_state[STATE_KEY].lang if STATE_KEY in st.session_state else "id"
        st.warning(t("rel_store_readonly", lang))
    init_state(ds)
    _sidebar(ds)
    state: FilterState = st.session_state[STATE_KEY]
    st.set_page_config(page_title=f"{t(title_key, state.lang)} · Smart Village Lampung")  # now in the chosen language
    st.query_params.from_dict(filters.to_query(state, ds.data_as_of))
    as_of = filters.period_end(state, ds.data_as_of)
    ctx = PageContext(ds=ds, state=state, as_of=as_of, snapshot=period_snapshot(as_of))
    _header(ctx, heading_key)
    st.html(_METRIC_CSS)
    warmup.start()  # once per server and data version: fills the caches first visits would wait for
    return ctx


def data_unavailable(exc: DataUnavailable) -> NoReturn:
    """Nothing to show: a store that cannot be reached gets the store message (details to the server log);
    a missing or corrupt canonical file says which and how to rebuild."""
    lang = st.session_state[STATE_KEY].lang if STATE_KEY in st.session_state else (
        filters.parse_lang(st.query_params.get("lang")))
    if is_store_error(exc):
        store_unavailable(lang, exc)
    st.error(f"**{t('data_missing', lang)}**\n\n{exc}")  # our own message: the file and how to rebuild
    st.stop()


#: A KPI's note wraps instead of being cut ("24 desa di 20 kec. tanpa kemaju…" at 1366 px).
_METRIC_CSS = """<style>
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] div, [data-testid="stMetricDelta"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto; }
[data-testid="stMetricValue"] div { white-space: normal !important; overflow-wrap: anywhere; }
/* A KPI's label wraps rather than ending in "…" ("Tanpa interne…" on the overview at 1440 px). */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; height: auto; }
/* A phone (issue 22, checked at 390x844): headings that leave room for the content, no plotly toolbar over
   the chart (it covered bar labels; a tap on a chart still shows its values), the trend grid of small
   multiples at a readable width inside its own scroll box, never wider than the screen. Streamlit itself
   stacks columns (KPIs) below 640 px. */
@media (max-width: 640px) {
  .stMainBlockContainer { padding-left: 0.8rem !important; padding-right: 0.8rem !important; }
  .stMainBlockContainer h1 { font-size: 1.85rem !important; }
  .stMainBlockContainer h2 { font-size: 1.35rem !important; }
  .stMainBlockContainer h3 { font-size: 1.15rem !important; }
  [data-testid="stPlotlyChart"] .modebar-container { display: none !important; }
  .st-key-ev_trend_box { overflow-x: auto; overflow-y: hidden; }
  .st-key-ev_trend_box .st-key-ev_trend { min-width: 720px; }
}
</style>"""


def _sync_widgets(state: FilterState) -> None:
    # Widgets mirror the canonical state; set before they are drawn so programmatic changes
    # (search, deep links, drill-down) show in the select boxes.
    # "" stands for "all": a None value would show Streamlit's English placeholder instead.
    st.session_state["_w_kab"] = state.kab or ""
    st.session_state["_w_kec"] = state.kec or ""
    st.session_state["_w_desa"] = state.desa or ""
    st.session_state["_w_year"] = state.year
    st.session_state["_w_quarter"] = state.quarter
    st.session_state["_w_lang"] = state.lang


def _on_region(key: str, parent_key: str | None) -> None:
    state: FilterState = st.session_state[STATE_KEY]
    value = st.session_state.get(key) or (st.session_state.get(parent_key) if parent_key else None)
    _set_state(state.with_region(value))


def _on_period() -> None:
    state: FilterState = st.session_state[STATE_KEY]
    _set_state(replace(state, year=st.session_state["_w_year"], quarter=st.session_state["_w_quarter"]))


def _on_lang() -> None:
    _set_state(replace(st.session_state[STATE_KEY], lang=st.session_state["_w_lang"]))


def _on_search_pick() -> None:
    code = st.session_state.get("_w_search_pick")
    if code:
        _set_state(st.session_state[STATE_KEY].with_region(code))
        st.session_state["_w_search"] = ""


def _on_reset() -> None:
    _set_state(st.session_state[STATE_KEY].with_region(None))


def _sidebar(ds: Dataset) -> None:
    state: FilterState = st.session_state[STATE_KEY]
    lang = state.lang
    _sync_widgets(state)
    names = ds.names
    with st.sidebar:
        st.markdown(f"**{t('office', lang)}**")
        for path, key, icon in PAGES:
            if not (paths.ROOT / path).exists():
                continue
            st.page_link(path, label=t(key, lang), icon=icon,
                         query_params=filters.to_query(state, ds.data_as_of))
        st.divider()
        st.subheader(t("filter_header", lang))
        kabs = filters.region_options(ds.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
        st.selectbox(t("kabupaten", lang), ["", *kabs], key="_w_kab",
                     format_func=lambda c: names[c] if c else t("all_kab", lang),
                     on_change=_on_region, args=("_w_kab", None))
        if state.kab:
            kecs = filters.region_options(ds.regions, state.kab, "kecamatan")["code"].tolist()
            st.selectbox(t("kecamatan", lang), ["", *kecs], key="_w_kec",
                         format_func=lambda c: names[c] if c else t("all_kec", lang),
                         on_change=_on_region, args=("_w_kec", "_w_kab"))
        if state.kec:
            desas = filters.region_options(ds.regions, state.kec, "desa")["code"].tolist()
            st.selectbox(t("desa", lang), ["", *desas], key="_w_desa",
                         format_func=lambda c: names[c] if c else t("all_desa", lang),
                         on_change=_on_region, args=("_w_desa", "_w_kec"))
        first_year = 2020
        col_y, col_q = st.columns(2)
        col_y.selectbox(t("year", lang), list(range(ds.data_as_of.year, first_year - 1, -1)), key="_w_year",
                        on_change=_on_period)
        col_q.selectbox(t("quarter", lang), [1, 2, 3, 4], key="_w_quarter", on_change=_on_period,
                        format_func=lambda q: t("quarter_short", lang, q=q))
        if state.region_code != PROVINCE_CODE:
            st.button(t("reset", lang), on_click=_on_reset, icon=":material/arrow_upward:")
        st.divider()
        query = st.text_input(t("search", lang), key="_w_search", help=t("search_help", lang),
                              placeholder="Trimulyo, Ringin Jaya, …")
        if query and query.strip():
            hits = search_villages(_search_index(), query.strip(), limit=8)
            if hits.empty:
                st.caption(t("search_none", lang, q=inert.markdown(query.strip())))
            else:
                labels = dict(zip(hits["code"], hits["label"], strict=True))
                st.radio(t("search_pick", lang), [None, *labels], key="_w_search_pick", index=0,
                         format_func=lambda c: labels[c] if c else "—", on_change=_on_search_pick)
        st.divider()
        st.radio(t("language", lang), ["id", "en"], key="_w_lang", horizontal=True, on_change=_on_lang,
                 format_func=lambda v: {"id": "Bahasa Indonesia", "en": "English"}[v])
        login.sidebar_widget(lang)


def _header(ctx: PageContext, heading_key: str) -> None:
    lang, ds = ctx.lang, ctx.ds
    crumbs = filters.breadcrumb(ctx.state, ds.names, t("province", lang))
    st.title(t(heading_key, lang))
    st.markdown(" › ".join(f"**{label}**" if i == len(crumbs) - 1 else label
                            for i, (_, label) in enumerate(crumbs)))
    programme = t("programme_demo" if ds.is_demo and not ds.partly_demo else "programme_real", lang)
    st.caption(" · ".join([
        t("office", lang),
        t("data_as_of", lang, date=fmt_date(ds.data_as_of, lang)),
        t("period_as_of", lang, date=fmt_date(ctx.as_of, lang)),
        sources_line(ds, programme, lang),
    ]))
    marker = rpd.demo_marker(ds, ds.names, lang) if ds.partly_demo or ds.reporting else []
    if marker:  # the kinds still demo, and per kind with real data the kabupaten that have not reported
        st.warning("  \n".join(marker), icon=":material/science:")
    elif ds.is_demo:
        st.warning(t("demo_banner", lang), icon=":material/science:")
    for key, kwargs in st.session_state.pop(NOTICES_KEY, []):  # the values come from the URL: shown as typed
        st.info(t(key, lang, **{k: inert.markdown(v) for k, v in kwargs.items()}), icon=":material/info:")


def sources_line(ds: Dataset, programme: str, lang: str) -> str:
    """The header's source line; boundary imports in force are named with their source and date."""
    if not ds.boundary_imports:
        return t("sources", lang, programme=programme)
    latest = {imp.level: imp for imp in ds.boundary_imports}  # oldest first: the latest import per level is named
    parts = [t("src_boundary_import", lang, level=t(f"imp_level_{level}", lang).lower(), source=imp.source_label,
               date=fmt_date(imp.imported_at.date(), lang)) for level, imp in latest.items()]
    return t("sources_imported", lang, boundaries="; ".join(parts), programme=programme)


def mark_figures(figures, ds: Dataset, lang: str):
    """Mark every plotly figure among ``figures`` (a dict's values or a list) with "Data contoh" while demo rows
    are in the data: call it inside the cached builder that made them (cheap there; ``chart`` would have to
    copy a shared figure). Returns ``figures``."""
    import plotly.graph_objects as go

    from utils.views import charts
    from utils.views.exports import excel

    note = excel.demo_note(ds, lang)
    for fig in (figures.values() if isinstance(figures, dict) else figures):
        if isinstance(fig, go.Figure):
            charts.mark_demo(fig, note)
    return figures


def excel_button(ctx: PageContext) -> None:
    """The Excel export of the current filter (built when clicked), for pages other than Presentasi."""
    from utils.views.exports import excel

    st.download_button(t("xlsx_download", ctx.lang),
                       lambda: excel.workbook_bytes(ctx.ds, ctx.state, ctx.as_of, dt.datetime.now()),
                       file_name=excel.download_name(ctx.ds, ctx.code, "data", ctx.as_of, "xlsx"), mime=excel.XLSX_MIME,
                       icon=":material/table_view:", key="sv_xlsx_download", on_click="ignore")


def chart(ctx: PageContext, fig, data: pd.DataFrame, what: str, *, key: str | None = None,
          region: str | None = None) -> None:
    """A plotly chart with its data as CSV and itself as PNG (the modebar camera, drawn in the browser:
    no server round trip, works offline). Both files are named by ``excel.download_name`` (``what``, the
    region, default the filter's, the period end, "data-contoh" while demo rows are in the data); the PNG
    carries "Data contoh" in the image and the CSV in a column."""
    from utils.views import charts
    from utils.views.exports import excel

    lang, ds = ctx.lang, ctx.ds
    code = region or ctx.code
    note = excel.demo_note(ds, lang)
    st.plotly_chart(charts.with_demo_mark(fig, note), key=key, config={
        "displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"],
        "toImageButtonOptions": {"format": "png", "scale": 2,
                                 "filename": excel.download_name(ds, code, what, ctx.as_of, "png")[:-4]},
    })
    st.download_button(t("csv_download", lang), excel.csv_bytes(data, ds, lang),
                       file_name=excel.download_name(ds, code, what, ctx.as_of, "csv"), mime="text/csv",
                       icon=":material/download:", key=f"csv_{key or what}", type="tertiary")


@versioned(max_entries=64)
def _locator_html(code: str) -> tuple[str, bool]:
    # The locator returns nothing to Python, so it is rendered to a standalone HTML page once per
    # region and shown in a plain iframe: no folium/streamlit-folium work on a rerun (that cost
    # ~120 ms a run), only the cached page is sent. folium is imported here, on the first locator
    # (0.66 s of import time), not with every page's first import of utils.ui.shared.
    from utils.data import geo
    from utils.views.maps import folium_maps

    context, focus, has_polygon = locator_layers(FilterState().with_region(code))
    national = code == PROVINCE_CODE and len(context) > LOCATOR_MAX_KABUPATEN  # already coarse (locator_layers)
    if not national and focus["code"].isin(context["code"]).all():  # coarser outlines for a small map
        context = geo.locator_geometries(context)
        focus = context[context["code"].isin(focus["code"])]
    shown = focus if not focus.empty else context
    fmap = folium_maps.locator_map(context[["code", "name", "geometry"]].__geo_interface__,
                            focus[["code", "name", "geometry"]].__geo_interface__, tuple(shown.total_bounds))
    return fmap.get_root().render(), has_polygon


def locator(state: FilterState) -> tuple[str, bool]:
    """HTML of the selection's locator map, and whether the selection has a polygon of its own."""
    return _locator_html(state.region_code)


#: Above this many kabupaten (a national data set) the locator shows only the neighbourhood.
LOCATOR_MAX_KABUPATEN = 60


def locator_layers(state: FilterState):  # -> (context gdf, focus gdf, focus has polygon)
    """Boundaries for the locator map: the selection filled among its siblings.

    Province: all kabupaten; kabupaten: all kabupaten with it filled; kecamatan: the kabupaten's
    kecamatan; desa: the kecamatan's villages (a village without polygon falls back to its kecamatan).
    """
    empty = boundaries("kabupaten").iloc[0:0]
    # A state is made by FilterState.with_region, which sets a desa's kecamatan and kabupaten with it (and a
    # kecamatan's kabupaten): the parents used below are never None.
    if state.desa:
        assert state.kec is not None and state.kab is not None
        villages = boundaries("desa")
        context = villages[villages["code"].str.startswith(state.kec + ".")]
        focus = context[context["code"] == state.desa]
        if focus.empty:
            kecs = boundaries("kecamatan")
            return kecs[kecs["code"].str.startswith(state.kab + ".")], kecs[kecs["code"] == state.kec], False
        return context, focus, True
    if state.kec:
        assert state.kab is not None
        kecs = boundaries("kecamatan")
        context = kecs[kecs["code"].str.startswith(state.kab + ".")]
        return context, context[context["code"] == state.kec], True
    kabs = boundaries("kabupaten")
    focus = kabs[kabs["code"] == state.kab] if state.kab else empty
    if len(kabs) > LOCATOR_MAX_KABUPATEN:
        # A national data set: 514 outlines are 3.9 MB of HTML per region. A kabupaten shows its
        # neighbours within 1° (0.14 MB); the country a coarse outline (0.25 MB).
        import shapely

        if state.kab:
            return kabs[kabs.intersects(shapely.box(*focus.total_bounds).buffer(1.0))], focus, True
        coarse = kabs.assign(geometry=shapely.set_precision(kabs.simplify(0.05).values, 0.01))
        return coarse[~coarse.geometry.is_empty], empty, True
    return kabs, focus, True


@contextmanager
def checking(user: str, lang: str, message_key: str) -> Iterator[None]:
    """Reading or checking a user's file: a spinner and one of the server's validation slots
    (``utils.intake.slots``: one per user, a few per server); when none is free the page says so and stops."""
    try:
        with st.spinner(t(message_key, lang)), slots.SLOTS.hold(user):
            yield
    except slots.Busy as exc:
        st.warning(t(exc.key, lang), icon=":material/hourglass_top:")
        st.stop()
