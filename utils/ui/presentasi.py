"""Streamlit glue of the meeting mode: the cached deck, slide navigation (buttons + arrow keys), the
full-screen CSS, one slide's drawing and the export buttons (built on click, with progress).

The deck itself is ``utils.views.deck.build_deck`` (pure); the files are ``views.exports.deck_pptx`` /
``deck_pdf`` / ``excel.workbook_bytes``. Cached objects are shared between sessions: never mutate.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Callable

import pandas as pd
import streamlit as st

from utils.data.dataset import canonical_version
from utils.domain import filters
from utils.domain.codes import PROVINCE_CODE
from utils.domain.filters import FilterState
from utils.i18n import inert, t
from utils.intake.slots import Busy, Slots
from utils.metrics import evaluation as ev
from utils.ui import adopsi, evaluasi, pelatihan, shared
from utils.ui.cache import versioned
from utils.views.deck import build_deck
from utils.views.deck_model import Deck, Slide
from utils.views.exports import excel

SLIDE_KEY = "sv_pres_slide"
PRESENTING_KEY = "sv_pres_on"
_KIND = {"pptx": "PowerPoint (PPTX)", "pdf": "PDF", "xlsx": "Excel (XLSX)"}
_MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "pdf": "application/pdf", "xlsx": excel.XLSX_MIME}

# Presentation mode: no sidebar, no Streamlit header/toolbar, none of the page's other blocks; only the
# slide and the navigation bar, in large type. Exit (button or Esc) brings everything back.
_FULL_SCREEN_CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"] { display: none !important; }
.stMainBlockContainer { max-width: 100% !important; padding: 0.8rem 2.2rem 0.5rem 2.2rem !important; }
.stMainBlockContainer > .stVerticalBlock > :not(:has(> .st-key-sv_pres_slide)):not(:has(> .st-key-sv_pres_nav)) {
  display: none !important; }
.st-key-sv_pres_slide h1 { font-size: 2.6rem !important; color: #0B6E4F; padding-top: 0; }
.st-key-sv_pres_slide p, .st-key-sv_pres_slide li { font-size: 1.35rem !important; line-height: 1.4; }
.st-key-sv_pres_slide [data-testid="stMetricValue"], .st-key-sv_pres_slide [data-testid="stMetricValue"] * {
  font-size: 2.5rem !important; font-weight: 700; color: #0B6E4F; }
.st-key-sv_pres_slide [data-testid="stMetricDelta"] * { font-size: 1.2rem !important; }
.st-key-sv_pres_slide [data-testid="stMetricLabel"] p { font-size: 1.3rem !important; }
.st-key-sv_pres_slide [data-testid="stTable"] td, .st-key-sv_pres_slide [data-testid="stTable"] th {
  font-size: 1.05rem !important; padding: 0.2rem 0.45rem !important; }
.st-key-sv_pres_slide [data-testid="stTable"] td p { white-space: nowrap; }
.st-key-sv_pres_slide [data-testid="stImage"] img, .st-key-sv_pres_slide img.sv-slide-img { max-height: calc(100vh - 250px); width: auto !important;
  max-width: 100%; }
.st-key-sv_pres_slide [class*="st-key-sv_pres_fig_"], .st-key-sv_pres_slide [class*="st-key-sv_pres_fig_"] > div,
.st-key-sv_pres_slide [data-testid="stPlotlyChart"], .st-key-sv_pres_slide .js-plotly-plot,
.st-key-sv_pres_slide .js-plotly-plot .plot-container, .st-key-sv_pres_slide .js-plotly-plot .svg-container {
  height: calc(100vh - 290px) !important; min-height: 360px; overflow: hidden; }
.st-key-sv_pres_slide [class*="st-key-sv_pres_fig_"] { flex: 0 0 auto !important; }
.st-key-sv_pres_slide [data-testid="stElementToolbar"] { display: none !important; }
</style>
"""
_SLIDE_CSS = """
<style>
.st-key-sv_pres_slide .sv-demo { color: #B01E1E; font-weight: 700; font-size: 1.2rem; text-align: right; }
.st-key-sv_pres_slide .sv-cover { padding: 8vh 0 10vh 0; }
.st-key-sv_pres_slide .sv-cover-sub { font-size: 2.4rem; font-weight: 600; color: #222; margin-bottom: 1.5rem; }
.st-key-sv_pres_slide .sv-cover li { font-size: 1.7rem; line-height: 1.6; color: #333; }
.st-key-sv_pres_slide .sv-cover li:last-child { font-size: 1.1rem; line-height: 1.4; color: #555; }
.st-key-sv_pres_slide .sv-foot { color: #555; font-size: 1.0rem; border-top: 1px solid #ddd; padding-top: .3rem; }
</style>
"""


@versioned(max_entries=32)
def _deck(state: FilterState, as_of: dt.date, lang: str, kabs: tuple[str, ...],
          today: dt.date, _snapshot: pd.DataFrame) -> Deck:
    # The figures the Adopsi, Pelatihan and Evaluasi pages hold (and the warm-up filled) for this region and
    # period: the deck shows those very objects, and a first deck costs little more than its charts.
    ds, code, tab = shared.dataset(), state.region_code, evaluasi.tables(as_of)
    return build_deck(ds, state, as_of, lang, kabs, snapshot=_snapshot, boundaries=shared.boundaries,
                      recs=evaluasi.recommendations(), today=today,
                      adoption=adopsi.view(code, as_of, ds, _snapshot), bimtek=pelatihan.view(code, as_of, ds, _snapshot),
                      scored=(evaluasi.scorecard(as_of, ev.DEFAULT_WEIGHTS), tab.kab, tab.province), kec_table=tab.kec)


def deck(ctx: shared.PageContext, kabs: list[str]) -> Deck:
    """The deck of the current filter, language and kabupaten choice (built once, then cached)."""
    with st.spinner(t("pres_building", ctx.lang, kind=t("page_present", ctx.lang))):
        return _deck(ctx.state, ctx.as_of, ctx.lang, tuple(kabs), dt.date.today(), ctx.snapshot)


def presenting() -> bool:
    return bool(st.session_state.get(PRESENTING_KEY))


def _move(step: int, total: int) -> None:
    st.session_state[SLIDE_KEY] = min(max(st.session_state.get(SLIDE_KEY, 0) + step, 0), total - 1)


def _set_presenting(on: bool) -> None:
    st.session_state[PRESENTING_KEY] = on


def current(total: int) -> int:
    """The shown slide's index, kept inside the deck (a smaller deck after a filter change)."""
    index = min(max(st.session_state.get(SLIDE_KEY, 0), 0), total - 1)
    st.session_state[SLIDE_KEY] = index
    return index


def kab_choice(ctx: shared.PageContext, draw: bool) -> list[str]:
    """The kabupaten that get a scorecard slide: the filter's kabupaten unless the user picked others.

    Kept under a plain key (a widget key is dropped on a page switch) together with the filter's
    kabupaten it was made for: a new filter kabupaten starts a new default.
    """
    lang, ds, kab = ctx.lang, ctx.ds, ctx.state.kab
    saved = st.session_state.get("sv_pres_kabs")
    if saved is None or saved[0] != kab:
        saved = (kab, [kab] if kab else [])
        st.session_state.pop("_w_pres_kabs", None)
    if draw:
        options = filters.region_options(ds.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
        if "_w_pres_kabs" not in st.session_state:
            st.session_state["_w_pres_kabs"] = [c for c in saved[1] if c in options]
        picked = st.multiselect(t("pres_kabs", lang), options, format_func=ds.names.__getitem__,
                                help=t("pres_kabs_help", lang), key="_w_pres_kabs",
                                placeholder=t("pres_kabs_placeholder", lang))  # never Streamlit's English
        saved = (kab, list(picked))
    st.session_state["sv_pres_kabs"] = saved
    return saved[1]


def start_button(lang: str) -> None:
    st.button(t("pres_start", lang), on_click=_set_presenting, args=(True,), type="primary",
              icon=":material/slideshow:", key="sv_pres_start")


def navigation(index: int, total: int, lang: str) -> None:
    """Previous / "3 / 9" / next (and exit while presenting). The arrow keys press the buttons (Streamlit's
    own button shortcuts: no script of ours, nothing fetched), so one key press moves exactly one slide."""
    if presenting():
        st.html(_FULL_SCREEN_CSS)
    with st.container(key="sv_pres_nav", horizontal=True, vertical_alignment="center"):
        st.button(t("pres_prev", lang), on_click=_move, args=(-1, total), disabled=index == 0,
                  icon=":material/chevron_left:", key="sv_pres_prev", shortcut="Left")
        st.markdown(f"**{index + 1} / {total}**")
        st.button(t("pres_next", lang), on_click=_move, args=(1, total), disabled=index >= total - 1,
                  icon=":material/chevron_right:", key="sv_pres_next", shortcut="Right")
        if presenting():
            st.button(t("pres_exit", lang), on_click=_set_presenting, args=(False,), icon=":material/close:",
                      key="sv_pres_exit", type="tertiary", shortcut="Esc")


def slide(d: Deck, index: int) -> None:
    """One slide in large type: title, KPIs, chart (plotly) or map image or table, bullets, footer."""
    spec: Slide = d.slides[index]
    st.html(_SLIDE_CSS)
    with st.container(key="sv_pres_slide"):
        head, demo = st.columns([5, 1])
        head.title(spec.title, anchor=False)
        if d.demo_label:
            demo.html(f'<div class="sv-demo">{inert.html(d.demo_label)}</div>')
        if spec.key == "title":  # the cover: region and dates in large type, nothing else
            items = "".join(f"<li>{inert.html(line)}</li>" for line in spec.bullets)
            st.html(f'<div class="sv-cover"><div class="sv-cover-sub">{inert.html(spec.subtitle)}</div>'
                    f"<ul>{items}</ul></div>")
            _footer(d, index)
            return
        if spec.subtitle:
            st.markdown(inert.markdown(spec.subtitle))  # a "* note" is text, not a list
        if spec.kpis:
            for col, kpi in zip(st.columns(len(spec.kpis)), spec.kpis, strict=True):
                col.metric(kpi.label, kpi.value, delta=kpi.note or None, delta_color="off", delta_arrow="off")
        body = spec.chart is not None or spec.image is not None or spec.table is not None
        # A narrow table leaves half the width to the bullets (follow-ups are long lines).
        ratio = [1, 1] if spec.table is not None and len(spec.table.columns) <= 4 else [2, 1]
        main, side = st.columns(ratio) if body and spec.bullets else (st.container(), st.container())
        with main:
            if spec.chart is not None and spec.chart.figure is not None:
                from utils.views import charts

                st.plotly_chart(charts.with_demo_mark(spec.chart.figure, d.demo_label), key=f"sv_pres_fig_{spec.key}",
                                theme=None, config={"displaylogo": False, "responsive": True, "toImageButtonOptions": {
                                    "format": "png", "filename": d.extra.get("png_names", {}).get(spec.key, spec.key),
                                    "scale": 2}})
            elif spec.image is not None:
                # Inline, not st.image: an image in Streamlit's media store is dropped by the next rerun, so a
                # presenter stepping quickly made the browser fetch a file already gone (HTTP 404 in CI).
                st.html(f'<img class="sv-slide-img" alt="" style="max-width:100%;height:auto" '
                        f'src="data:image/png;base64,{base64.b64encode(spec.image).decode()}">')
            elif spec.table is not None:
                st.table(_inert_table(spec.table).set_index(inert.markdown(spec.table.columns[0])))
        with side:
            if spec.bullets:
                st.markdown("\n".join(f"- {inert.markdown(line)}" for line in spec.bullets))
        _footer(d, index)


def _inert_table(table: pd.DataFrame) -> pd.DataFrame:
    """``st.table`` renders its cells as Markdown: every text cell and header as typed."""
    out = table.copy()
    out.columns = [inert.markdown(c) for c in out.columns]
    for i in range(out.shape[1]):
        out.isetitem(i, out.iloc[:, i].map(lambda v: inert.markdown(v) if isinstance(v, str) else v))
    return out


def _footer(d: Deck, index: int) -> None:
    st.html(f'<div class="sv-foot">{inert.html(d.footer)} · {index + 1} / {len(d.slides)}</div>')


def _progress_build(kind: str, lang: str, build: Callable[[Callable[[int, int], None] | None], bytes]) -> bytes | None:
    label = _KIND[kind]
    with st.status(t("pres_building", lang, kind=label), expanded=True) as status:
        bar = st.progress(0.0)

        def step(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=t("pres_slide_progress", lang, done=done, total=total))

        try:
            data = build(step)
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message, never a traceback
            status.update(state="error", label=t("pres_build_failed", lang, kind=label, error=exc))
            return None
        bar.progress(1.0)
        status.update(state="complete", label=t("pres_built", lang, kind=label, name=""), expanded=False)
    return data


def downloads(ctx: shared.PageContext, d: Deck) -> None:
    """PPTX, PDF and Excel: each built when its button is pressed (with progress), then saved."""
    from utils.views.exports.deck_pdf import deck_pdf
    from utils.views.exports.deck_pptx import deck_pptx

    lang = ctx.lang
    builders = {
        "pptx": lambda step: deck_pptx(d, step),
        "pdf": lambda step: deck_pdf(d, step),
        "xlsx": lambda step: excel.workbook_bytes(ctx.ds, ctx.state, ctx.as_of, dt.datetime.now()),
    }
    st.subheader(t("pres_downloads", lang))
    for col, (kind, build) in zip(st.columns(3), builders.items(), strict=True):
        with col:
            name = excel.download_name(ctx.ds, ctx.code, "data" if kind == "xlsx" else "presentasi", ctx.as_of, kind)
            store = f"sv_pres_file_{kind}"
            marker = (id(d), name)
            if st.button(t("pres_build", lang, kind=_KIND[kind]), key=f"sv_pres_build_{kind}",
                         icon=":material/build:"):
                data = _progress_build(kind, lang, build)
                st.session_state[store] = (marker, data) if data else None
            saved = st.session_state.get(store)
            if saved and saved[0] == marker:
                st.download_button(t("pres_save", lang, kind=_KIND[kind]), saved[1], file_name=name,
                                   mime=_MIME[kind], icon=":material/download:", key=f"sv_pres_save_{kind}",
                                   type="primary")
                st.caption(name)


#: Report packs kept in this server's memory (period x data version x language); each is a few MB.
PACKS_KEPT = 4
#: How long a pack request waits for another session's build to finish before "try again".
PACK_WAIT_SECONDS = 180.0
#: One pack build at a time in this server process (the idea of the upload slots: a bounded number of heavy
#: jobs so the read pages keep a core; a pack takes most of a minute of CPU).
_PACK_SLOT = Slots(size=1)


@st.cache_resource(show_spinner=False)
def _packs() -> dict[tuple, tuple[str, bytes, int]]:
    """Built packs shared by every session: key -> (file name, ZIP bytes, files), oldest first. A cache only:
    rebuilt from the data when missing (a restart, another server)."""
    return {}


def _pack_key(ctx: shared.PageContext) -> tuple:
    return (canonical_version(), ctx.state.year, ctx.state.quarter, ctx.as_of, ctx.lang)


def _build_pack(ctx: shared.PageContext, key: tuple) -> None:
    """Build the pack of ``key`` with a progress bar (inside the server's one pack slot), then keep it."""
    from utils.views.exports import pack

    lang, cache = ctx.lang, _packs()
    year, quarter = ctx.state.year, ctx.state.quarter
    assert year is not None and quarter is not None  # page_frame's state always names a period (parse_query)
    session = st.session_state.setdefault("sv_session_id", uuid.uuid4().hex)
    with st.status(t("pres_pack_building", lang), expanded=True) as status:
        bar = st.progress(0.0)
        if _PACK_SLOT.running:
            bar.progress(0.0, text=t("pres_pack_waiting", lang))

        def step(done: int, total: int, label: str) -> None:
            bar.progress(done / max(total, 1), text=t("pres_pack_step", lang, done=done, total=total, label=label))

        try:
            with _PACK_SLOT.hold(session, wait=PACK_WAIT_SECONDS):
                if key not in cache:  # another session may have built it while this one waited
                    built = pack.build_pack(ctx.ds, year, quarter, lang, boundaries=shared.boundaries,
                                            recs=evaluasi.recommendations(), progress=step)
                    cache[key] = (pack.zip_name(ctx.ds, built.as_of), pack.zip_bytes(built), len(built.names()))
                    while len(cache) > PACKS_KEPT:
                        cache.pop(next(iter(cache)))
        except Busy:
            status.update(state="error", label=t("pres_pack_busy", lang))
            return
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message, never a traceback
            status.update(state="error", label=t("pres_pack_failed", lang, error=exc))
            return
        bar.progress(1.0)
        status.update(state="complete", label=t("pres_pack_built", lang, n=cache[key][2]), expanded=False)


def pack_download(ctx: shared.PageContext) -> None:
    """The report pack of the chosen period as one ZIP: built on click (progress bar, one build per server at
    a time), then served to every session from the cache until the data or the period changes."""
    from utils.views.exports.pack import period_label

    lang, year, quarter = ctx.lang, ctx.state.year, ctx.state.quarter
    assert year is not None and quarter is not None  # page_frame's state always names a period (parse_query)
    st.subheader(t("pres_pack_heading", lang))
    st.caption(t("pres_pack_intro", lang, period=period_label(ctx.as_of, year, quarter, lang)))
    key = _pack_key(ctx)
    if key not in _packs() and st.button(t("pres_pack_build", lang), key="sv_pres_pack_build",
                                         icon=":material/folder_zip:"):
        _build_pack(ctx, key)
    saved = _packs().get(key)
    if saved:
        name = saved[0]  # the ZIP (saved[1]) is written by utils.views.exports.pack from the known writers
        st.download_button(t("pres_pack_save", lang), saved[1], file_name=name, mime="application/zip",
                           icon=":material/download:", key="sv_pres_pack_save", type="primary", on_click="ignore")
        st.caption(name)
