"""Pelatihan (Bimtek): events, participants, coverage (≥ 2 trained per village, desa and kelurahan),
roles, budget and consistency flags; figures from utils.metrics.progress, charts from utils.views.charts."""

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from utils.data.dataset import Dataset, canonical_version
from utils.i18n import fmt_int, fmt_pct, t
from utils.metrics import indicators, progress
from utils.ui import shared
from utils.views import charts


@st.cache_resource(show_spinner=False, max_entries=64)
def _view(version: tuple[float, ...], code: str, as_of: dt.date, _ds: Dataset,
          _snapshot: pd.DataFrame) -> progress.BimtekView:
    return progress.bimtek_view(_ds, _snapshot, code, as_of)


@st.cache_resource(show_spinner=False, max_entries=64)
def _parts(version: tuple[float, ...], code: str, as_of: dt.date, lang: str, _ds: Dataset,
           _snapshot: pd.DataFrame) -> dict:
    """Figures and tables of one region, period and language, built once (plotly figures and
    formatted tables cost tens of ms each: too much to rebuild on every rerun)."""
    v = _view(version, code, as_of, _ds, _snapshot)
    names, cov = _ds.names, v.coverage
    detail = [t("btk_cov_hover", lang, c=fmt_int(c, lang), n=fmt_int(n, lang), k=fmt_int(k, lang))
              for c, n, k in zip(cov["villages_2plus"], cov["villages"], cov["kelurahan"], strict=True)]
    return shared.mark_figures({
        "v": v, "events_fig": charts.events_timeline(v.events, v.cumulative, lang),
        "events": progress.event_display(v.events, names, lang, here=code != progress.PROVINCE_CODE),
        "coverage": charts.region_bar(cov, "pct_2plus", lang, axis_title=t("btk_pct_2plus", lang),
                                      target=v.target_pct, detail=detail, highlight=code),
        "roles": charts.roles_bar(v.roles, lang), "never": progress.never_display(v.never, names, lang),
        "budget": charts.budget_bar(v.budget_by_region, lang),
        "flags": progress.flag_display(v.flags, names, lang),
    }, _ds, lang)


ctx = shared.page_frame("page_bimtek", "btk_title")
lang, ds, code = ctx.lang, ctx.ds, ctx.code
table: dict[str, Any] = {"hide_index": True, "width": "stretch"}  # st.dataframe options

if ctx.state.level == "desa":  # one village: its own participation
    n = int(ctx.snapshot.loc[code, "bimtek_participants"])
    k1, k2 = st.columns(2)
    k1.metric(t("kpi_bimtek", lang), fmt_int(n, lang))
    k2.metric(t("btk_kpi_covered_village", lang), t("yes" if n >= indicators.BIMTEK_MIN_PARTICIPANTS else "no", lang),
              help=t("kpi_bimtek2_help", lang))
    st.subheader(t("btk_village_title", lang))
    rows = progress.village_participation(ds, code, ctx.as_of)
    if rows.empty:
        st.info(t("btk_village_never", lang), icon=":material/info:")
    else:
        st.dataframe(progress.participation_display(rows, lang), **table)
    st.stop()

parts = _parts(canonical_version(), code, ctx.as_of, lang, ds, ctx.snapshot)
v = parts["v"]
row, b, tag = v.row, v.budget, code
k1, k2, k3, k4 = st.columns(4)
k1.metric(t("kpi_bimtek", lang), fmt_int(row["bimtek_participants"], lang),
          delta=t("btk_kpi_events", lang, n=fmt_int(len(v.events), lang)), delta_color="off", delta_arrow="off")
k2.metric(t("kpi_bimtek2", lang), fmt_pct(row["pct_2plus"], 1, lang), help=t("kpi_bimtek2_help", lang),
          delta=t("btk_kpi_covered", lang, n=fmt_int(row["villages_2plus"], lang), of=fmt_int(row["villages"], lang))
          + (f" · {t('btk_kpi_target', lang, value=fmt_pct(v.target_pct, 0, lang))}"
             if v.target_pct is not None else ""), delta_color="off", delta_arrow="off")
k3.metric(t("btk_kpi_never", lang), fmt_int(len(v.never), lang), help=t("btk_kpi_never_help", lang))
k4.metric(t("btk_kpi_realised", lang), progress.rupiah(b.realised, lang),
          delta=t("btk_kpi_of_planned", lang, pct=fmt_pct(b.pct_realised, 1, lang), planned=progress.rupiah(
              b.planned, lang)), delta_color="off", delta_arrow="off", help=t("btk_budget_help", lang))

st.subheader(t("btk_events_title", lang))
shared.chart(ctx, parts["events_fig"], v.cumulative, "pelatihan-peserta", key="btk_events")
st.dataframe(parts["events"], **table)

by, parent = progress.child_scope(code)
st.subheader(t("btk_cov_title_kab" if by == "kab_code" else "btk_cov_title_kec", lang))
st.caption(t("btk_cov_caption", lang))
shared.chart(ctx, parts["coverage"], v.coverage[["code", "name", "villages", "kelurahan", "villages_2plus", "pct_2plus",
                                                 "bimtek_participants"]], "pelatihan-cakupan", key="btk_cov",
             region=parent)

left, right = st.columns(2)
with left:
    st.subheader(t("btk_roles_title", lang))
    shared.chart(ctx, parts["roles"], v.roles, "pelatihan-peran", key="btk_roles")
with right:
    st.subheader(t("btk_never_title", lang, n=fmt_int(len(v.never), lang)))
    st.dataframe(parts["never"], height=260, **table)

st.subheader(t("btk_budget_title", lang))
st.caption(t("btk_budget_caption", lang, rate=progress.rupiah(b.per_village, lang),
             n=fmt_int(b.villages, lang), planned=progress.rupiah(b.planned, lang)))
c1, c2, c3 = st.columns(3)
c1.metric(t("btk_planned", lang), progress.rupiah(b.planned, lang))
c2.metric(t("btk_realised", lang), progress.rupiah(b.realised, lang), help=t("btk_budget_help", lang))
c3.metric(t("btk_cost_covered", lang), progress.rupiah(b.cost_per_covered, lang), help=t("btk_cost_help", lang))
shared.chart(ctx, parts["budget"], v.budget_by_region, "pelatihan-anggaran", key="btk_budget", region=parent)

st.subheader(t("btk_flags_title", lang))
if v.flags.empty:
    st.success(t("btk_flags_none", lang), icon=":material/check_circle:")
else:
    st.caption(t("btk_flags_caption", lang, n=fmt_int(len(v.flags), lang)))
    st.dataframe(parts["flags"], **table)
