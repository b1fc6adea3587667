"""Ringkasan (overview): the filtered region's headline figures, IDM context, trend and locator map."""

import streamlit as st
from streamlit_folium import st_folium

from utils import charts, metrics, ui
from utils.i18n import fmt_date, fmt_int, fmt_pct, t

ctx = ui.page_frame("page_overview")
lang, ds = ctx.lang, ctx.ds
year = ctx.as_of.year
s = metrics.summarise(ds, ctx.snapshot, ctx.code, year)

# Headline KPIs. Adoption counts desa only: a region without desa shows "tidak berlaku".
k1, k2, k3, k4 = st.columns(4)
if s.pct_joined is None:
    k1.metric(t("kpi_joined", lang), t("not_applicable", lang), help=t("no_desa_note", lang))
else:
    target = (t("kpi_target", lang, year=year, value=fmt_pct(s.target_pct_joined, 0, lang))
              if s.target_pct_joined is not None else None)
    k1.metric(t("kpi_joined", lang), f"{fmt_int(s.joined, lang)} / {fmt_int(s.n_desa, lang)}",
              delta=f"{fmt_pct(s.pct_joined, 1, lang)}" + (f" · {target}" if target else ""),
              delta_color="off", delta_arrow="off", help=t("kpi_joined_help", lang))
k2.metric(t("kpi_bimtek", lang), fmt_int(s.bimtek_participants, lang), help=t("kpi_bimtek_help", lang),
          delta=t("of_villages", lang, n=fmt_int(s.n_villages, lang)), delta_color="off", delta_arrow="off")
k3.metric(t("kpi_bimtek2", lang), fmt_pct(s.pct_2plus, 1, lang), help=t("kpi_bimtek2_help", lang),
          delta=f"{fmt_int(s.villages_2plus, lang)} " + t("of_villages", lang, n=fmt_int(s.n_villages, lang)),
          delta_color="off", delta_arrow="off")
k4.metric(t("kpi_officers", lang), fmt_int(s.officers, lang), help=t("kpi_officers_help", lang))
if s.n_desa == 0:
    st.info(t("no_desa_note", lang), icon=":material/info:")

left, right = st.columns([3, 2])
with left:
    st.subheader(t("trend_title", lang))
    if s.n_desa:
        earlier = metrics.year_earlier(ctx.as_of)
        before = metrics.joined_at(ds, ctx.code, earlier)
        delta = s.joined - before
        st.caption(t("trend_yoy", lang, delta=f"{'+' if delta >= 0 else ''}{fmt_int(delta, lang)}",
                     date=fmt_date(earlier, lang)))
        monthly = metrics.joined_monthly(ds, ctx.code, ctx.as_of)
        st.plotly_chart(charts.joined_trend(monthly, lang), config={"displayModeBar": False})
    else:
        st.caption(t("not_applicable", lang))

    st.subheader(t("idm_title", lang))
    if s.n_desa:
        st.caption(t("idm_caption", lang, scored=fmt_int(s.idm_scored, lang),
                     missing=fmt_int(s.n_desa - s.idm_scored, lang)))
        st.plotly_chart(charts.idm_status_bar(s.idm_status, lang), config={"displayModeBar": False})
    else:
        st.caption(t("not_applicable", lang))

with right:
    st.subheader(t("infra_title", lang))
    i1, i2, i3 = st.columns(3)
    i1.metric(t("no_signal", lang), fmt_int(s.no_signal, lang))
    i2.metric(t("weak_signal", lang), fmt_int(s.weak_signal, lang))
    i3.metric(t("no_internet", lang), fmt_int(s.no_internet, lang), help=t("no_internet_help", lang))

    st.subheader(t("locator_title", lang))
    fmap, has_polygon = ui.locator(ctx.state)
    if not has_polygon:
        st.caption(t("no_polygon", lang))
    st_folium(fmap, height=360, use_container_width=True, returned_objects=[], key=f"locator-{ctx.code}")
