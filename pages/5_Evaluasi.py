"""Evaluasi Kabupaten: scorecard of the 15 kabupaten/kota against targets, composite score and rank,
detail of one kabupaten (trend, weak kecamatan and desa, context, follow-ups, PDF), comparison, methodology.

All figures come from utils.metrics.evaluation (pure) through the caches of utils.ui.evaluasi."""

from typing import Any

import streamlit as st

from utils.domain.codes import PROVINCE_CODE
from utils.i18n import fmt_date, fmt_num, fmt_pct, t
from utils.metrics import evaluation as ev
from utils.ui import evaluasi as uie
from utils.ui import shared
from utils.views import evaluation_display as evc
from utils.views.exports import excel

ctx = shared.page_frame("page_evaluation", "ev_title")
lang, as_of = ctx.lang, ctx.as_of
names = uie.names()
prev = ev.previous_quarter_end(as_of)
plain: dict[str, Any] = {"config": {"displayModeBar": False}}  # st.plotly_chart options

weights = uie.weights_editor(lang)
card = uie.scorecard(as_of, weights)
st.caption(t("ev_intro", lang, date=fmt_date(as_of, lang), year=as_of.year, prev=fmt_date(prev, lang)))

# Scorecard of all 15 side by side; cells coloured by RAG status (word in the tooltip and the CSV).
st.subheader(t("ev_scorecard", lang))
show = st.segmented_control(t("ev_show", lang), ["value", "target", "gap"], default="value", key="ev_show",
                            format_func=lambda v: t(f"ev_show_{v}", lang)) or "value"
view = uie.overview(as_of, weights, lang, show)
st.markdown(view.html, unsafe_allow_html=True)
na = card.excluded.loc[card.excluded["status"] == ev.NOT_APPLICABLE, "code"].unique()
if len(na):
    st.caption(t("ev_kota_note", lang, names=", ".join(names[c] for c in na)))
nodata = card.excluded[card.excluded["status"] == ev.NO_DATA]
if len(nodata):
    st.warning(t("ev_nodata_note", lang, items="; ".join(
        f"{names[r.code]} ({evc.indicator_label(r.indicator, lang)})" for r in nodata.itertuples())))
st.caption(t("ev_ties_note", lang) + (" * " + t("ev_method_target_province", lang) if show == "target" else ""))
st.markdown(f"**{t('ev_composite_chart', lang)}**")
shared.chart(ctx, view.composite, view.data, "evaluasi-rapor", key="ev_composite", region=PROVINCE_CODE)

# Detail of one kabupaten: defaults to the sidebar filter's kabupaten (a new key when the filter moves).
st.subheader(t("ev_detail", lang))
kabs = list(card.summary.index)
code = st.selectbox(t("ev_pick", lang), kabs, index=kabs.index(ctx.state.kab) if ctx.state.kab in kabs else 0,
                    format_func=names.__getitem__, key=f"ev_pick_{ctx.state.kab or 'prov'}")
d = uie.detail(as_of, weights, code, lang)
rep = d.report
m1, m2, m3 = st.columns(3)
m1.metric(t("ev_metric_composite", lang), fmt_num(rep.composite, 1, lang))
moved = rep.rank_change
m2.metric(t("ev_metric_rank", lang), t("ev_rank_of", lang, rank=rep.rank or "–", n=rep.n_regions),
          delta=None if moved is None else t("ev_rank_up" if moved > 0 else "ev_rank_down" if moved < 0 else
                                             "ev_rank_same", lang, n=abs(moved), prev=fmt_date(prev, lang)),
          delta_color="normal" if moved else "off", delta_arrow="auto" if moved else "off")
m3.metric(t("ev_metric_weakest", lang), evc.indicator_short(rep.weakest, lang) if rep.weakest else t("ev_none", lang),
          help=evc.indicator_definition(rep.weakest, lang) if rep.weakest else None)
st.dataframe(d.indicators, hide_index=True)
if rep.context.desa == 0:
    st.caption(t("no_desa_note", lang))
st.markdown(f"**{t('ev_trend', lang)}**")
with st.container(key="ev_trend_box"):  # on a phone: the grid at a readable width, scrolling in this box
    shared.chart(ctx, d.trend, rep.trend, "evaluasi-tren", key="ev_trend", region=code)

if rep.weakest:
    weak = evc.indicator_label(rep.weakest, lang)
    left, right = st.columns([2, 3])
    left.markdown(f"**{t('ev_kec_title', lang, indicator=weak)}**")
    left.dataframe(d.kecamatan, hide_index=True, height=320)
    if rep.weak_kecamatan["value"].isna().any():  # kecamatan of kelurahan only
        left.caption(t("ev_kec_na", lang))
    right.markdown(f"**{t('ev_down_title', lang, n=fmt_num(len(d.villages), 0, lang))}**")
    right.caption(t("ev_down_caption", lang, indicator=weak, weak=fmt_num(d.weak_signal, 0, lang)))
    right.dataframe(d.villages_shown, hide_index=True, height=320)
    if len(d.villages) > uie.SHOWN_VILLAGES:
        right.caption(t("ev_down_more", lang, shown=uie.SHOWN_VILLAGES, n=fmt_num(len(d.villages), 0, lang)))
    right.download_button(t("csv_download", lang), lambda: excel.csv_bytes(d.villages, ctx.ds, lang),
                          file_name=excel.download_name(ctx.ds, code, "evaluasi-desa", as_of, "csv"),
                          mime="text/csv", key="ev_down_csv",
                          type="tertiary", on_click="ignore", icon=":material/download:")

# Context apart from performance: IDM status and signal/internet (desa only).
st.markdown(f"**{t('ev_context', lang)}**")
st.caption(t("ev_context_caption", lang))
cx = rep.context
if d.idm is None:
    st.info(t("ev_no_desa_context", lang), icon=":material/info:")
else:
    c1, c2 = st.columns([3, 2])
    c1.plotly_chart(d.idm, key="ev_idm", **plain)
    c2.metric(t("ev_signal_gap", lang), fmt_pct(cx.pct_signal_gap, 1, lang), delta_color="off", delta_arrow="off",
              delta=t("ev_signal_gap_delta", lang, value=fmt_pct(cx.province_pct_signal_gap, 1, lang)))
    c2.metric(t("no_internet", lang), fmt_num(cx.no_internet, 0, lang), help=t("no_internet_help", lang))
    if cx.infrastructure_gap:
        c2.warning(t("ev_infra_warning", lang, value=fmt_pct(cx.pct_signal_gap, 1, lang),
                     prov=fmt_pct(cx.province_pct_signal_gap, 1, lang)))

# Follow-ups for the desa pulling the kabupaten down, grouped by who can act; then the one-page PDF.
st.markdown(f"**{t('ev_followups', lang)}**")
if not d.follow_ups:
    st.caption(t("ev_followups_none", lang))
else:
    st.caption(t("ev_followups_caption", lang, n=fmt_num(rep.followup_desa, 0, lang)))
    tabs = st.tabs([t(f"ev_actor_{a}", lang) for a in d.follow_ups])
    for tab, frame in zip(tabs, d.follow_ups.values(), strict=True):
        tab.dataframe(frame, hide_index=True)
uie.indeks_section(d, as_of, code, lang, names)  # Indeks Desa: Dinas PMD follow-ups, dimensions, transition
st.download_button(t("ev_pdf", lang, name=names[code]), uie.pdf(as_of, weights, code, lang), mime="application/pdf",
                   file_name=excel.download_name(ctx.ds, code, "evaluasi", as_of, "pdf"),
                   icon=":material/picture_as_pdf:", on_click="ignore",
                   key="ev_pdf", type="primary")

# Compare two kabupaten side by side.
st.subheader(t("ev_compare", lang))
ca, cb = st.columns(2)
a = ca.selectbox(t("ev_compare_a", lang), kabs, index=kabs.index(code), format_func=names.__getitem__, key=f"ev_cmp_a_{code}")
best_other = card.summary.drop(a).sort_values("rank").index[0]
b = cb.selectbox(t("ev_compare_b", lang), kabs, index=kabs.index(best_other), format_func=names.__getitem__,
                 key=f"ev_cmp_b_{a}")
if a == b:
    st.info(t("ev_compare_same", lang), icon=":material/info:")
else:
    text, fig, data = uie.comparison(as_of, weights, a, b, lang)
    st.dataframe(text, hide_index=True)
    shared.chart(ctx, fig, data, f"evaluasi-banding-{excel.region_slug(ctx.ds, b)}", key="ev_cmp", region=a)

with st.expander(t("ev_method", lang), icon=":material/menu_book:"):
    st.markdown(t("ev_method_text", lang, fresh=fmt_num(ev.BY_ID["fresh"].default_target, 0, lang),
                  green=fmt_num(ev.RAG_GREEN, 0, lang), amber=fmt_num(ev.RAG_AMBER, 0, lang)))
    st.dataframe(evc.method_frame(card.weights.values, lang), hide_index=True)
