"""Ringkasan (overview): the filtered region's headline figures, IDM context, trend and locator map."""

import pandas as pd
import streamlit as st

from utils.i18n import fmt_date, fmt_int, fmt_num, fmt_pct, signal_label, t
from utils.metrics import development, evidence, indicators, reporting
from utils.ui import shared
from utils.views import charts
from utils.views import index_display as ixv
from utils.views import progress_display as prd
from utils.views import reporting_display as rpd

ctx = shared.page_frame("page_overview", "overview_title")
lang, ds = ctx.lang, ctx.ds
year = ctx.as_of.year
s = indicators.summarise(ds, ctx.snapshot, ctx.code, year)
one_village = ctx.state.level == "desa"

# Headline KPIs. Adoption counts desa only: a region without desa shows "tidak berlaku".
k1, k2, k3, k4 = st.columns(4)
cov = reporting.coverage(ds, ctx.snapshot, ctx.code)  # real data: only kabupaten that reported have figures
if s.pct_joined is None:
    k1.metric(t("kpi_joined", lang), t("not_applicable", lang), help=t("no_desa_note", lang))
else:
    target = (t("kpi_target", lang, year=year, value=fmt_pct(s.target_pct_joined, 0, lang))
              if s.target_pct_joined is not None else None)
    joined_value, joined_pct = rpd.joined_kpi(s.joined, cov, None, lang)
    k1.metric(t("kpi_joined", lang), joined_value,
              delta=" · ".join(p for p in (joined_pct, target) if p) or None,
              delta_color="off", delta_arrow="off", help=t("kpi_joined_help", lang))
of_villages = t("of_villages", lang, n=fmt_int(s.n_villages, lang))
k2.metric(t("kpi_bimtek", lang), fmt_int(s.bimtek_participants, lang), help=t("kpi_bimtek_help", lang),
          delta=of_villages, delta_color="off", delta_arrow="off")
k3.metric(t("kpi_bimtek2", lang), fmt_pct(s.pct_2plus, 1, lang), help=t("kpi_bimtek2_help", lang),
          delta=f"{fmt_int(s.villages_2plus, lang)} {of_villages}", delta_color="off", delta_arrow="off")
names = indicators.officer_names(ds, ctx.code, ctx.as_of) if one_village else []
# Officers serve desa: where there is none (a kota, a kelurahan) the figure does not apply, it is not 0.
k4.metric(t("kpi_officers", lang), fmt_int(s.officers, lang) if s.n_desa else t("not_applicable", lang),
          help=t("kpi_officers_help", lang), delta=", ".join(names) or None, delta_color="off", delta_arrow="off")
if s.n_desa == 0:
    st.info(t("no_desa_note", lang), icon=":material/info:")
elif cov.partial:
    st.info(rpd.coverage_text(cov, ds.names, lang), icon=":material/info:")

if one_village and s.n_desa:
    # One desa: its own stage history (full width: each stage with the evidence of other sources beside it).
    st.subheader(t("stage_title", lang))
    hist = indicators.stage_history(ds, ctx.code, ctx.as_of)
    proof = evidence.village_evidence(ds.tables, ctx.code, ctx.as_of)
    st.dataframe(prd.stage_history_display(hist, lang, proof), hide_index=True, width="stretch")

left, right = st.columns([1, 1] if one_village else [3, 2])
with left:
    if s.n_desa and not one_village and not cov.none:
        st.subheader(t("trend_title", lang))
        earlier = indicators.year_earlier(ctx.as_of)
        delta = s.joined - indicators.joined_at(ds, ctx.code, earlier)
        st.caption(t("trend_yoy", lang, delta=f"{'+' if delta >= 0 else ''}{fmt_int(delta, lang)}",
                     date=fmt_date(earlier, lang)))
        monthly = indicators.joined_monthly(ds, ctx.code, ctx.as_of)
        shared.chart(ctx, shared.mark_figures([charts.joined_trend(monthly, lang)], ds, lang)[0], monthly,
                     "ringkasan-tren", key="ov_trend")
    if s.n_desa and not one_village:
        st.subheader(t("idm_title", lang))
        st.caption(t("idm_caption", lang, scored=fmt_int(s.idm_scored, lang),
                     missing=fmt_int(s.n_desa - s.idm_scored, lang)) + " " + ixv.idm_source_line(ds.idm, ctx.code, lang))
        idm = pd.DataFrame({"status": list(s.idm_status), "desa": list(s.idm_status.values())})
        shared.chart(ctx, shared.mark_figures([charts.idm_status_bar(s.idm_status, lang)], ds, lang)[0], idm,
                     "ringkasan-idm", key="ov_idm")
        if (iy := development.indeks_year(ds.indeks_desa, year)) is not None:  # IDM's successor, once imported
            st.subheader(t("ix_title", lang, year=iy))
            st.caption(ixv.indeks_source_line(ds.indeks_desa[iy], ds.regions, ctx.code, iy, lang))
            counts = development.indeks_status_counts(ds.indeks_desa[iy], ctx.code)
            shared.chart(ctx, shared.mark_figures([charts.idm_status_bar(counts, lang)], ds, lang)[0],
                         pd.DataFrame({"status": list(counts), "desa": list(counts.values())}),
                         f"ringkasan-indeks-desa-{iy}", key="ov_ix")

infra = left if one_village else right
if s.n_desa:  # IDM signal and internet describe desa; a kota has none
    infra.subheader(t("infra_title", lang))
    i1, i2, i3 = infra.columns(3)
    if one_village:
        row = ctx.snapshot.loc[ctx.code]
        scored = pd.notna(row["status"])
        i1.metric(t("village_idm", lang), row["status"] if scored else t("no_score", lang),
                  delta=fmt_num(row["nilai"], 4, lang) if scored else None, delta_color="off", delta_arrow="off")
        known = pd.notna(row["signal"])  # signal/internet come from the recommendation rows only
        i2.metric(t("signal", lang), signal_label(row["signal"], lang) if known else "–")
        i3.metric(t("internet", lang), (t("yes", lang) if bool(row["internet_kantor"]) else t("no", lang))
                  if known else "–", help=t("internet_help", lang))
        if scored:
            right.caption(ixv.idm_label(row.get("edition"), row.get("carried_2023"), int(ds.idm["year"].iloc[0]), lang))
        if (iy := development.indeks_year(ds.indeks_desa, year)) is not None:
            right.metric(t("ix_village_status", lang, year=iy), row["id_status"] if pd.notna(row["id_status"]) else "–",
                         delta=t("ix_village_total", lang, total=fmt_num(row["id_total"], 1, lang))
                         if pd.notna(row["id_total"]) else t("ix_none_here", lang, year=iy),
                         delta_color="off", delta_arrow="off")
    else:
        i1.metric(t("no_signal", lang), fmt_int(s.no_signal, lang))
        i2.metric(t("weak_signal", lang), fmt_int(s.weak_signal, lang))
        i3.metric(t("no_internet", lang), fmt_int(s.no_internet, lang), help=t("no_internet_help", lang))
        right.caption(t("infra_sources", lang, known=fmt_int(s.signal_known, lang),
                        unknown=fmt_int(s.n_desa - s.signal_known, lang)))

with right if s.n_desa else left:
    st.subheader(t("locator_title", lang))
    html, has_polygon = shared.locator(ctx.state)
    if not has_polygon:
        st.caption(t("no_polygon", lang))
    st.iframe(html, height=360)

shared.excel_button(ctx)  # the filtered data as Excel (built when clicked)
