"""Cached computations of the evaluation page (streamlit caches around the pure utils.metrics.evaluation).

Everything is keyed on the data version (``utils.ui.cache.versioned``: new build or store → recomputed) and
the period end; the weights (a sorted tuple in the key) only enter the cheap ``compose`` step. Cached objects are shared between sessions: never mutate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa
import streamlit as st

from utils.data import paths
from utils.domain.codes import PROVINCE_CODE
from utils.metrics import development, indicators
from utils.metrics import evaluation as ev
from utils.ui import shared
from utils.ui.cache import versioned
from utils.views import evaluation_display as evc
from utils.views import index_display as ixv

if TYPE_CHECKING:  # plotly loads with the first chart
    import plotly.graph_objects as go

#: Villages pulling a kabupaten down listed on the page (all of them in the CSV).
SHOWN_VILLAGES = 50


@dataclass(frozen=True)
class Tables:
    """The shared indicator tables of one period end."""

    snapshot: pd.DataFrame
    kab: pd.DataFrame
    kec: pd.DataFrame
    province: pd.Series


@versioned(max_entries=32)  # every quarter end since 2020 (27) and the data date: warmed
def tables(as_of: dt.date) -> Tables:
    snap = shared.period_snapshot(as_of)  # the page frame's snapshot of this period: computed and held once
    province = indicators.region_indicators(snap.assign(province=PROVINCE_CODE), "province").loc[PROVINCE_CODE]
    return Tables(snap, indicators.region_indicators(snap, "kab_code"), indicators.region_indicators(snap, "kec_code"),
                  province)


@versioned(max_entries=32)
def _scored(as_of: dt.date) -> pd.DataFrame:
    ds, tab = shared.dataset(), tables(as_of)
    return ev.score_indicators(tab.kab, tab.province, lambda c, k: indicators.target_for(ds, c, as_of.year, k), as_of)


@versioned(max_entries=64)
def _scorecard(as_of: dt.date, weights: tuple[tuple[str, float], ...]) -> ev.Scorecard:
    return ev.period_scorecard(_scored, as_of, ev.normalise_weights(dict(weights)))


def scorecard(as_of: dt.date, weights: dict[str, float]) -> ev.Scorecard:
    """All 15 kabupaten/kota scored at ``as_of`` with ``weights``, rank change against the previous quarter end."""
    return _scorecard(as_of, tuple(sorted(weights.items())))


@versioned(max_entries=8)
def _trend(as_of: dt.date) -> pd.DataFrame:
    return ev.trend({day: tables(day).kab for day in ev.trend_dates(as_of)})


def trend(as_of: dt.date, code: str) -> pd.DataFrame:
    """One kabupaten's indicator values at the trend dates (all 15 computed once per period)."""
    all_ = _trend(as_of)
    return all_[all_["code"] == code].reset_index(drop=True)


@versioned(max_entries=2)
def recommendations() -> pd.DataFrame:
    """The IDM 2024 recommendation rows (evaluation follow-ups, the Rakor deck)."""
    return ev.load_recommendations(paths.IDM_RECOMMENDATIONS)


@versioned(max_entries=128)
def _report(as_of: dt.date, weights: tuple[tuple[str, float], ...], code: str) -> ev.KabReport:
    tab, nm = tables(as_of), names()
    card = _scorecard(as_of, weights)
    return ev.kab_report(card, code, nm[code], trend(as_of, code), tab.kec, tab.snapshot,
                         recommendations(), tab.kab, tab.province, nm,
                         indeks=development.indeks_round(shared.dataset(), as_of.year))


def report(as_of: dt.date, weights: dict[str, float], code: str) -> ev.KabReport:
    """One kabupaten's evaluation (detail view and PDF)."""
    return _report(as_of, tuple(sorted(weights.items())), code)


@versioned(data=True, max_entries=64)
def _pdf(as_of: dt.date, weights: tuple[tuple[str, float], ...], code: str,
         lang: str) -> bytes:
    from utils.views.exports.report_pdf import (
        kab_report_pdf,  # reportlab is only loaded when a PDF is asked for
    )

    ds = shared.dataset()
    return kab_report_pdf(_report(as_of, weights, code), lang, names(), is_demo=ds.is_demo,
                          data_as_of=ds.data_as_of)


def pdf(as_of: dt.date, weights: dict[str, float], code: str, lang: str):  # -> Callable[[], bytes]
    """A no-argument callable for ``st.download_button``: the PDF is built only when clicked."""
    key = (as_of, tuple(sorted(weights.items())), code, lang)
    return lambda: _pdf(*key)


@versioned(max_entries=2)
def names() -> dict[str, str]:
    """code -> display name (built once; ``Dataset.names`` builds a new dict on every call)."""
    return shared.dataset().names


@dataclass(frozen=True)
class Overview:
    """The scorecard section, pre-rendered: HTML table, composite chart, its CSV data."""

    html: str
    composite: object  # plotly Figure
    data: pd.DataFrame


@versioned(max_entries=64)
def _overview(as_of: dt.date, weights: tuple[tuple[str, float], ...], lang: str,
              show: str) -> Overview:
    card, nm = _scorecard(as_of, weights), names()
    display, status = evc.scorecard_frame(card, nm, lang, show)
    # CSV: one row per kabupaten × indicator with the composite and its rank alongside.
    data = card.long.drop(columns=["score"]).merge(
        card.summary[["composite", "rank", "rank_change"]], left_on="code", right_index=True,
        suffixes=("", "_composite"))
    data.insert(1, "name", data["code"].map(nm))
    composite = shared.mark_figures([evc.composite_bar(card.summary, nm, lang)], shared.dataset(), lang)[0]
    return Overview(evc.scorecard_html(display, status, lang), composite, data)


def overview(as_of: dt.date, weights: dict[str, float], lang: str, show: str) -> Overview:
    return _overview(as_of, tuple(sorted(weights.items())), lang, show)


def _arrow(frame: pd.DataFrame) -> pa.Table:
    # st.dataframe sends an Arrow table as is: converting the cached frames once saves ~5 ms per table a rerun.
    return pa.Table.from_pandas(frame, preserve_index=False)


@dataclass(frozen=True)
class Detail:
    """One kabupaten's detail section, pre-built for a language (tables as Arrow, ready to send)."""

    report: ev.KabReport
    indicators: pa.Table
    trend: go.Figure
    kecamatan: pa.Table
    villages: pd.DataFrame  # all of them (CSV); ``villages_shown`` the first rows
    villages_shown: pa.Table
    weak_signal: int
    idm: go.Figure | None  # None without desa
    follow_ups: dict[str, pa.Table]
    #: Indeks Desa follow-ups for the Dinas PMD (shown, and one row per desa for the CSV); None before any import.
    indeks_follow_ups: pa.Table | None = None
    indeks_follow_ups_csv: pd.DataFrame | None = None


@versioned(max_entries=64)
def _detail(as_of: dt.date, weights: tuple[tuple[str, float], ...], code: str,
            lang: str) -> Detail:
    from utils.views import charts

    rep, nm = _report(as_of, weights, code), names()
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
        **_indeks_follow_ups(rep, nm, lang),
    )


def _indeks_follow_ups(rep: ev.KabReport, nm: dict[str, str], lang: str) -> dict:
    if rep.indeks_follow_ups is None or rep.indeks_coverage is None:  # both None before any import
        return {}
    year = rep.indeks_coverage.year
    return {"indeks_follow_ups": _arrow(ixv.recommendations_frame(rep.indeks_follow_ups, year, nm, lang)),
            "indeks_follow_ups_csv": ixv.recommendations_csv(rep.indeks_follow_ups, year, nm, lang)}


@dataclass(frozen=True)
class IndeksView:
    """The Indeks Desa section of one kabupaten: its round, the six dimensions of all 15, the transition."""

    year: int
    dimensions: pa.Table
    transition: pa.Table
    both: int  # desa scored by both indices in the kabupaten


@versioned(max_entries=32)
def indeks(as_of: dt.date, code: str, lang: str) -> IndeksView | None:
    """The period's Indeks Desa round for the Evaluasi page (None before any import)."""
    ds, nm = shared.dataset(), names()
    rnd = development.indeks_round(ds, as_of.year)
    if rnd is None:
        return None
    dims = development.dimensions_by_region(rnd.desa, ds.regions, "kab_code")
    matrix = development.transition_matrix(ds.idm_base, rnd.desa, development.region_desa(ds.regions, code))
    return IndeksView(rnd.year, _arrow(ixv.dimensions_frame(dims, nm, lang)),
                      _arrow(ixv.transition_frame(matrix, rnd.year, lang)), int(matrix.to_numpy().sum()))


def indeks_section(d: Detail, as_of: dt.date, code: str, lang: str, names: dict[str, str]) -> None:
    """Beside the IDM 2024 follow-ups: the Indeks Desa round's Dinas PMD items for the kabupaten, then the six
    dimensions of the 15 and the IDM 2024 → Indeks Desa status transition (nothing before any import)."""
    from utils.i18n import fmt_num, inert, t

    rep = d.report
    cov = rep.indeks_coverage  # set with the follow-ups (both None before any import)
    if d.indeks_follow_ups is not None and cov is not None:  # beside the IDM 2024 rows: the round's Dinas PMD items
        st.markdown(f"**{t('ix_rec_title', lang, year=cov.year)}**")
        st.caption(t("ix_rec_caption", lang, cov=ixv.coverage_label(cov, lang)))
        if d.indeks_follow_ups.num_rows == 0:
            st.caption(t("ix_rec_none", lang, year=cov.year))
        else:
            widths = {c: st.column_config.Column(width=w) for c, w in ixv.recommendations_columns(lang).items()}
            st.dataframe(d.indeks_follow_ups, hide_index=True, key="ev_ix_recs", column_config=widths)
            csv = d.indeks_follow_ups_csv
            assert csv is not None  # built with indeks_follow_ups (_indeks_follow_ups)
            st.download_button(t("csv_download", lang), lambda: inert.csv_bytes(csv),
                               file_name=f"tindak-lanjut-indeks-desa-{cov.year}-{code}.csv", mime="text/csv",
                               key="ev_ix_csv", type="tertiary", on_click="ignore", icon=":material/download:")
    if (ix := indeks(as_of, code, lang)) is not None:  # six dimensions of the 15, IDM → Indeks Desa by status
        st.markdown(f"**{t('ix_ev_section', lang, year=ix.year)}**")
        st.caption(t("ix_ev_dims_caption", lang))
        st.dataframe(ix.dimensions, hide_index=True, key="ev_ix_dims", height=35 * (ix.dimensions.num_rows + 1) + 3)
        st.markdown(f"**{t('ix_transition_title', lang, year=ix.year, name=names[code])}**")
        st.caption(t("ix_transition_caption", lang, n=fmt_num(ix.both, 0, lang), year=ix.year) if ix.both
                   else t("ix_transition_none", lang))
        if ix.both:
            st.dataframe(ix.transition, hide_index=True, key="ev_ix_transition")


def detail(as_of: dt.date, weights: dict[str, float], code: str, lang: str) -> Detail:
    return _detail(as_of, tuple(sorted(weights.items())), code, lang)


@versioned(max_entries=64)
def _comparison(as_of: dt.date, weights: tuple[tuple[str, float], ...], a: str, b: str,
                lang: str) -> tuple[pd.DataFrame, object, pd.DataFrame]:
    nm = names()
    table = ev.compare(_scorecard(as_of, weights), a, b)
    fig = shared.mark_figures([evc.compare_bar(table, nm[a], nm[b], lang)], shared.dataset(), lang)[0]
    return evc.compare_frame(table, nm[a], nm[b], lang), fig, table


def comparison(as_of: dt.date, weights: dict[str, float], a: str, b: str, lang: str):
    """(text table, bar chart, data) of two kabupaten side by side."""
    return _comparison(as_of, tuple(sorted(weights.items())), a, b, lang)


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
            entered[ind.id] = cols[n % 4].number_input(f"{evc.indicator_label(ind.id, lang)} (%)", min_value=0.0, max_value=100.0,
                                                       step=5.0, key=key, format="%.0f")
        st.button(t("ev_weights_reset", lang), on_click=_restore_defaults, icon=":material/restart_alt:",
                  key="ev_w_reset")
    w = ev.normalise_weights(entered)
    if w.defaults_used:
        st.warning(t("ev_weights_zero", lang), icon=":material/warning:")
    elif w.normalised:
        shown = ", ".join(f"{evc.indicator_label(ind.id, lang)} {fmt_pct(w.values[ind.id], 1, lang)}" for ind in ev.INDICATORS)
        st.info(t("ev_weights_normalised", lang, total=fmt_num_plain(w.entered_total, lang), values=shown),
                icon=":material/info:")
    if any(abs(entered[k] - v) > 1e-9 for k, v in ev.DEFAULT_WEIGHTS.items()):
        st.caption(t("ev_weights_custom", lang))
    return entered


def fmt_num_plain(value: float, lang: str) -> str:
    """A weight total as typed: no decimals when whole ('120'), else one ('97,5')."""
    from utils.i18n import fmt_num

    return fmt_num(value, 0 if float(value).is_integer() else 1, lang)
