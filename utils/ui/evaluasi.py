"""Cached computations of the evaluation page (streamlit caches around the pure utils.metrics.evaluation).

Everything is keyed on ``canonical_version()`` (new build or store → recomputed) and the period end; the
weights only enter the cheap ``compose`` step. Cached objects are shared between sessions: never mutate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import streamlit as st

from utils.data import paths
from utils.data.dataset import canonical_version
from utils.domain.codes import PROVINCE_CODE
from utils.metrics import evaluation as ev
from utils.metrics import indicators
from utils.ui import shared
from utils.views import evaluation_display as evc

#: Villages pulling a kabupaten down listed on the page (all of them in the CSV).
SHOWN_VILLAGES = 50


@dataclass(frozen=True)
class Tables:
    """The shared indicator tables of one period end."""

    snapshot: pd.DataFrame
    kab: pd.DataFrame
    kec: pd.DataFrame
    province: pd.Series


@st.cache_resource(show_spinner=False, max_entries=24)
def _tables(version: tuple[float, ...], as_of: dt.date) -> Tables:
    snap = indicators.village_snapshot(shared.dataset(), as_of)
    province = indicators.region_indicators(snap.assign(province=PROVINCE_CODE), "province").loc[PROVINCE_CODE]
    return Tables(snap, indicators.region_indicators(snap, "kab_code"), indicators.region_indicators(snap, "kec_code"),
                  province)


def tables(as_of: dt.date) -> Tables:
    return _tables(canonical_version(), as_of)


@st.cache_resource(show_spinner=False, max_entries=24)
def _scored(version: tuple[float, ...], as_of: dt.date) -> pd.DataFrame:
    ds, tab = shared.dataset(), tables(as_of)
    return ev.score_indicators(tab.kab, tab.province, lambda c, k: indicators.target_for(ds, c, as_of.year, k), as_of)


@st.cache_resource(show_spinner=False, max_entries=64)
def _scorecard(version: tuple[float, ...], as_of: dt.date, weights: tuple[tuple[str, float], ...]) -> ev.Scorecard:
    return ev.period_scorecard(lambda day: _scored(version, day), as_of, ev.normalise_weights(dict(weights)))


def scorecard(as_of: dt.date, weights: dict[str, float]) -> ev.Scorecard:
    """All 15 kabupaten/kota scored at ``as_of`` with ``weights``, rank change against the previous quarter end."""
    return _scorecard(canonical_version(), as_of, tuple(sorted(weights.items())))


@st.cache_resource(show_spinner=False, max_entries=8)
def _trend(version: tuple[float, ...], as_of: dt.date) -> pd.DataFrame:
    return ev.trend({day: tables(day).kab for day in ev.trend_dates(as_of)})


def trend(as_of: dt.date, code: str) -> pd.DataFrame:
    """One kabupaten's indicator values at the trend dates (all 15 computed once per period)."""
    all_ = _trend(canonical_version(), as_of)
    return all_[all_["code"] == code].reset_index(drop=True)


@st.cache_resource(show_spinner=False, max_entries=2)
def _recommendations(version: tuple[float, ...]) -> pd.DataFrame:
    return ev.load_recommendations(paths.IDM_RECOMMENDATIONS)


@st.cache_resource(show_spinner=False, max_entries=128)
def _report(version: tuple[float, ...], as_of: dt.date, weights: tuple[tuple[str, float], ...], code: str) -> ev.KabReport:
    tab, nm = tables(as_of), _names(version)
    card = _scorecard(version, as_of, weights)
    return ev.kab_report(card, code, nm[code], trend(as_of, code), tab.kec, tab.snapshot,
                         _recommendations(version), tab.kab, tab.province, nm)


def report(as_of: dt.date, weights: dict[str, float], code: str) -> ev.KabReport:
    """One kabupaten's evaluation (detail view and PDF)."""
    return _report(canonical_version(), as_of, tuple(sorted(weights.items())), code)


@st.cache_data(show_spinner=False, max_entries=64)
def _pdf(version: tuple[float, ...], as_of: dt.date, weights: tuple[tuple[str, float], ...], code: str,
         lang: str) -> bytes:
    from utils.views.exports.report_pdf import (
        kab_report_pdf,  # reportlab is only loaded when a PDF is asked for
    )

    ds = shared.dataset()
    return kab_report_pdf(_report(version, as_of, weights, code), lang, _names(version), is_demo=ds.is_demo,
                          data_as_of=ds.data_as_of)


def pdf(as_of: dt.date, weights: dict[str, float], code: str, lang: str):  # -> Callable[[], bytes]
    """A no-argument callable for ``st.download_button``: the PDF is built only when clicked."""
    key = (canonical_version(), as_of, tuple(sorted(weights.items())), code, lang)
    return lambda: _pdf(*key)


@st.cache_resource(show_spinner=False, max_entries=2)
def _names(version: tuple[float, ...]) -> dict[str, str]:
    return shared.dataset().names


def names() -> dict[str, str]:
    """code -> display name (built once; ``Dataset.names`` builds a new dict on every call)."""
    return _names(canonical_version())


@dataclass(frozen=True)
class Overview:
    """The scorecard section, pre-rendered: HTML table, composite chart, its CSV data."""

    html: str
    composite: object  # plotly Figure
    data: pd.DataFrame


@st.cache_resource(show_spinner=False, max_entries=64)
def _overview(version: tuple[float, ...], as_of: dt.date, weights: tuple[tuple[str, float], ...], lang: str,
              show: str) -> Overview:
    card, nm = _scorecard(version, as_of, weights), _names(version)
    display, status = evc.scorecard_frame(card, nm, lang, show)
    # CSV: one row per kabupaten × indicator with the composite and its rank alongside.
    data = card.long.drop(columns=["score"]).merge(
        card.summary[["composite", "rank", "rank_change"]], left_on="code", right_index=True,
        suffixes=("", "_composite"))
    data.insert(1, "name", data["code"].map(nm))
    composite = shared.mark_figures([evc.composite_bar(card.summary, nm, lang)], shared.dataset(), lang)[0]
    return Overview(evc.scorecard_html(display, status, lang), composite, data)


def overview(as_of: dt.date, weights: dict[str, float], lang: str, show: str) -> Overview:
    return _overview(canonical_version(), as_of, tuple(sorted(weights.items())), lang, show)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    # st.dataframe sends an Arrow table as is: converting the cached frames once saves ~5 ms per table a rerun.
    return pa.Table.from_pandas(frame, preserve_index=False)


@dataclass(frozen=True)
class Detail:
    """One kabupaten's detail section, pre-built for a language (tables as Arrow, ready to send)."""

    report: ev.KabReport
    indicators: pa.Table
    trend: object  # plotly Figure
    kecamatan: pa.Table
    villages: pd.DataFrame  # all of them (CSV); ``villages_shown`` the first rows
    villages_shown: pa.Table
    weak_signal: int
    idm: object | None  # plotly Figure, None without desa
    follow_ups: dict[str, pa.Table]


@st.cache_resource(show_spinner=False, max_entries=64)
def _detail(version: tuple[float, ...], as_of: dt.date, weights: tuple[tuple[str, float], ...], code: str,
            lang: str) -> Detail:
    from utils.views import charts

    rep, nm = _report(version, as_of, weights, code), _names(version)
    targets = dict(zip(rep.indicators.index, rep.indicators["target"], strict=True))
    fu = rep.follow_ups
    villages = evc.pulling_down_frame(rep.pulling_down, nm, lang)
    return Detail(
        report=rep, indicators=_arrow(evc.indicator_frame(rep.indicators, lang)),
        trend=shared.mark_figures([evc.trend_grid(rep.trend, targets, lang)], shared.dataset(), lang)[0],
        kecamatan=_arrow(evc.kecamatan_frame(rep.weak_kecamatan, rep.weakest, lang) if rep.weakest else pd.DataFrame()),
        villages=villages, villages_shown=_arrow(villages.head(SHOWN_VILLAGES)),
        weak_signal=int(rep.pulling_down["signal"].isin(["lemah", "tidak ada"]).sum()),
        idm=(shared.mark_figures([charts.idm_status_bar(rep.context.idm_status, lang)], shared.dataset(), lang)[0]
             if rep.context.desa else None),
        follow_ups={a: _arrow(evc.follow_up_frame(fu[fu["actor"] == a], lang)) for a in ev.ACTORS
                    if (fu["actor"] == a).any()},
    )


def detail(as_of: dt.date, weights: dict[str, float], code: str, lang: str) -> Detail:
    return _detail(canonical_version(), as_of, tuple(sorted(weights.items())), code, lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def _comparison(version: tuple[float, ...], as_of: dt.date, weights: tuple[tuple[str, float], ...], a: str, b: str,
                lang: str) -> tuple[pd.DataFrame, object, pd.DataFrame]:
    nm = _names(version)
    table = ev.compare(_scorecard(version, as_of, weights), a, b)
    fig = shared.mark_figures([evc.compare_bar(table, nm[a], nm[b], lang)], shared.dataset(), lang)[0]
    return evc.compare_frame(table, nm[a], nm[b], lang), fig, table


def comparison(as_of: dt.date, weights: dict[str, float], a: str, b: str, lang: str):
    """(text table, bar chart, data) of two kabupaten side by side."""
    return _comparison(canonical_version(), as_of, tuple(sorted(weights.items())), a, b, lang)


def _restore_defaults() -> None:
    for key, value in ev.DEFAULT_WEIGHTS.items():
        st.session_state[f"ev_w_{key}"] = value


def weights_editor(lang: str) -> dict[str, float]:
    """Number inputs for the composite weights (percent) with a one-click restore; notices when normalised.

    Returns the weights as entered (``scorecard`` normalises them the same way).
    """
    from utils.i18n import fmt_pct, t

    with st.expander(t("ev_weights", lang), icon=":material/tune:"):
        st.caption(t("ev_weights_help", lang))
        cols = st.columns(4)
        entered = {}
        for n, ind in enumerate(ev.INDICATORS):
            key = f"ev_w_{ind.id}"
            st.session_state.setdefault(key, ev.DEFAULT_WEIGHTS[ind.id])
            entered[ind.id] = cols[n % 4].number_input(f"{ind.label(lang)} (%)", min_value=0.0, max_value=100.0,
                                                       step=5.0, key=key, format="%.0f")
        st.button(t("ev_weights_reset", lang), on_click=_restore_defaults, icon=":material/restart_alt:",
                  key="ev_w_reset")
    w = ev.normalise_weights(entered)
    if w.defaults_used:
        st.warning(t("ev_weights_zero", lang), icon=":material/warning:")
    elif w.normalised:
        shown = ", ".join(f"{ind.label(lang)} {fmt_pct(w.values[ind.id], 1, lang)}" for ind in ev.INDICATORS)
        st.info(t("ev_weights_normalised", lang, total=fmt_num_plain(w.entered_total, lang), values=shown),
                icon=":material/info:")
    if any(abs(entered[k] - v) > 1e-9 for k, v in ev.DEFAULT_WEIGHTS.items()):
        st.caption(t("ev_weights_custom", lang))
    return entered


def fmt_num_plain(value: float, lang: str) -> str:
    """A weight total as typed: no decimals when whole ('120'), else one ('97,5')."""
    from utils.i18n import fmt_num

    return fmt_num(value, 0 if float(value).is_integer() else 1, lang)
