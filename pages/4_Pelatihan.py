"""Pelatihan (Bimtek): events, participants, coverage (≥ 2 trained per village, desa and kelurahan),
roles, budget and consistency flags; figures from utils.metrics.progress, charts from utils.views.charts."""

from typing import Any

import streamlit as st

from utils.i18n import fmt_int, fmt_pct, t
from utils.metrics import indicators, progress
from utils.ui import pelatihan, shared
from utils.views import progress_display as prd

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
        st.dataframe(prd.participation_display(rows, lang), **table)
    st.stop()

parts = pelatihan.parts(code, ctx.as_of, lang, ds, ctx.snapshot)
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
k4.metric(t("btk_kpi_realised", lang), prd.rupiah(b.realised, lang),
          delta=t("btk_kpi_of_planned", lang, pct=fmt_pct(b.pct_realised, 1, lang), planned=prd.rupiah(
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
st.caption(t("btk_budget_caption", lang, rate=prd.rupiah(b.per_village, lang),
             n=fmt_int(b.villages, lang), planned=prd.rupiah(b.planned, lang)))
c1, c2, c3 = st.columns(3)
c1.metric(t("btk_planned", lang), prd.rupiah(b.planned, lang))
c2.metric(t("btk_realised", lang), prd.rupiah(b.realised, lang), help=t("btk_budget_help", lang))
c3.metric(t("btk_cost_covered", lang), prd.rupiah(b.cost_per_covered, lang), help=t("btk_cost_help", lang))
shared.chart(ctx, parts["budget"], v.budget_by_region, "pelatihan-anggaran", key="btk_budget", region=parent)

st.subheader(t("btk_flags_title", lang))
if v.flags.empty:
    st.success(t("btk_flags_none", lang), icon=":material/check_circle:")
else:
    st.caption(t("btk_flags_caption", lang, n=fmt_int(len(v.flags), lang)))
    st.dataframe(parts["flags"], **table)
