"""Adopsi: how many desa are in the programme and using it. Funnel, cumulative against target, forecast,
ranking, services by pillar and laggards; figures from utils.metrics.progress, charts from utils.views.charts."""

from typing import Any

import pandas as pd
import streamlit as st

from utils.i18n import fmt_int, fmt_pct, signal_label, t
from utils.metrics import evidence, forecast, indicators, progress, reporting
from utils.ui import adopsi, shared
from utils.views import forecast_display as fcd
from utils.views import progress_display as prd
from utils.views import reporting_display as rpd
from utils.views.exports import excel

ctx = shared.page_frame("page_adoption", "adp_title")
lang, ds, code = ctx.lang, ctx.ds, ctx.code
rows = indicators.select(ctx.snapshot, code)
table: dict[str, Any] = {"hide_index": True, "width": "stretch"}  # st.dataframe options

if not rows["adoption_applies"].any():  # kota, kelurahan: adoption is reported over desa only
    st.info(t("adp_kelurahan_note" if ctx.state.level == "desa" else "no_desa_note", lang), icon=":material/info:")
    st.stop()

cov = reporting.coverage(ds, ctx.snapshot, code)  # real data: only kabupaten that reported have figures
if cov.none:
    st.warning(rpd.coverage_text(cov, ds.names, lang), icon=":material/schedule:")
    st.stop()

if ctx.state.level == "desa":  # one desa: its own history, not aggregates
    village = rows.iloc[0]
    hist = indicators.stage_history(ds, code, ctx.as_of)
    st.subheader(t("stage_title", lang))
    proof = evidence.village_evidence(ds.tables, code, ctx.as_of)
    st.dataframe(prd.stage_history_display(hist, lang, proof), **table)
    if reported := prd.village_report_text(ds, code, ctx.as_of, lang):
        st.caption(reported)
    st.subheader(t("adp_village_services", lang))
    services = progress.village_services(ds["services"], code, ctx.as_of)
    if services.empty:
        st.caption(t("adp_no_services", lang))
    else:
        st.dataframe(prd.services_display(services, lang), **table)
    i1, i2, i3 = st.columns(3)
    i1.metric(t("village_idm", lang), village["status"] if pd.notna(village["status"]) else t("no_score", lang))
    i2.metric(t("signal", lang), signal_label(village["signal"], lang))
    i3.metric(t("adp_bimtek_here", lang), fmt_int(village["bimtek_participants"], lang),
              help=t("adp_bimtek_here_help", lang))
    st.stop()

parts = adopsi.parts(code, ctx.as_of, lang, ds, ctx.snapshot)
v = parts["v"]
row, fc, tag = v.row, v.forecast, code
eta, spread = fcd.forecast_kpi(fc, lang)
k1, k2, k3, k4 = st.columns(4)
joined_value, joined_pct = rpd.joined_kpi(int(row["joined"]), cov, row["pct_joined"], lang)
k1.metric(t("kpi_joined", lang), joined_value, delta=joined_pct, delta_color="off", delta_arrow="off")
k2.metric(t("adp_kpi_target", lang, year=ctx.as_of.year),
          fmt_pct(v.target_pct, 0, lang) if v.target_pct is not None else "–",
          delta=(t("adp_kpi_target_desa", lang, n=fmt_int(fc.target, lang))
                 + (f" · {t('tgt_demo_label', lang)}" if reporting.target_is_demo(ds, code, ctx.as_of.year) else ""))
          if v.target_pct is not None else None,
          delta_color="off", delta_arrow="off")
k3.metric(t("adp_kpi_forecast", lang), eta, delta=spread or None, delta_color="off", delta_arrow="off",
          help=t("adp_method", lang, window=forecast.WINDOW_MONTHS))
k4.metric(t("adp_kpi_outstanding", lang), fmt_int(cov.desa - row["joined"], lang),
          help=t("adp_kpi_outstanding_help", lang))
if cov.partial:
    st.info(rpd.coverage_text(cov, ds.names, lang), icon=":material/info:")

st.subheader(t("adp_funnel_title", lang))
st.caption(t("adp_funnel_caption", lang))
shared.chart(ctx, parts["funnel"], v.funnel, "adopsi-tahapan", key="adp_funnel")

left, right = st.columns(2)
with left:
    st.subheader(t("adp_monthly_title", lang))
    shared.chart(ctx, parts["monthly"], parts["monthly_data"], "adopsi-kumulatif-bulanan", key="adp_monthly")
with right:
    st.subheader(t("adp_yearly_title", lang))
    shared.chart(ctx, parts["yearly"], v.yearly, "adopsi-per-tahun", key="adp_yearly")

st.subheader(t("adp_forecast_title", lang))
st.caption(t("adp_method", lang, window=forecast.WINDOW_MONTHS))
st.dataframe(parts["forecasts"], **table)

by, parent = progress.child_scope(code)
st.subheader(t("adp_rank_title_kab" if by == "kab_code" else "adp_rank_title_kec", lang))
shared.chart(ctx, parts["rank"], v.ranking[["code", "name", "desa", "joined", "pct_joined"]], "adopsi-peringkat",
             key="adp_rank", region=parent)

st.subheader(t("adp_pillar_title", lang))
st.caption(t("adp_pillar_caption", lang, n=fmt_int(row["services"], lang),
             users=fmt_int(row["desa_using_services"], lang)))
shared.chart(ctx, parts["pillar"], v.pillars, "adopsi-pilar", key="adp_pillar")

st.subheader(t("adp_laggard_title", lang))
gaps = v.laggards["gap"].value_counts()
g1, g2, g3 = st.columns(3)
g1.metric(t("adp_gap_infra", lang), fmt_int(gaps.get("infra", 0), lang), help=t("adp_gap_infra_help", lang))
g2.metric(t("adp_gap_programme", lang), fmt_int(gaps.get("programme", 0), lang),
          help=t("adp_gap_programme_help", lang))
g3.metric(t("adp_gap_unknown", lang), fmt_int(gaps.get("unknown", 0), lang))
if v.laggards.empty:
    st.success(t("adp_no_laggards", lang), icon=":material/check_circle:")
else:
    shown = parts["laggards"]
    st.dataframe(shown, **table)
    st.download_button(t("csv_download", lang), excel.csv_bytes(shown, ds, lang),
                       file_name=excel.download_name(ds, code, "adopsi-belum-bergabung", ctx.as_of, "csv"), mime="text/csv",
                       icon=":material/download:", type="tertiary", key="adp_laggard_csv")
