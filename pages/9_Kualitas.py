"""Kualitas Data: per kabupaten the share of villages reporting, fields filled, last update and the
inconsistencies found (utils.metrics.quality); selecting a row lists the villages concerned."""


import pandas as pd
import streamlit as st

from utils.domain.codes import PROVINCE_CODE
from utils.i18n import fmt_date, t
from utils.metrics import indicators, quality
from utils.ui import kualitas, shared
from utils.views.exports import excel

ctx = shared.page_frame("page_quality", "qual_title")
lang, ds = ctx.lang, ctx.ds
shown, issues, labels = kualitas.view(ctx.as_of, lang, ds, ctx.snapshot)
if ctx.state.kab:
    shown = shown.loc[[ctx.state.kab]]
st.caption(t("qual_intro", lang, date=fmt_date(ctx.as_of, lang)), help=t("qual_help", lang))

event = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                     height=35 * (len(shown) + 1) + 3, key=f"qual_table_{ctx.state.kab or 'all'}")  # every row
st.download_button(t("csv_download", lang), excel.csv_bytes(shown, ds, lang),
                   file_name=excel.download_name(ds, ctx.state.kab or PROVINCE_CODE, "kualitas-data", ctx.as_of, "csv"),
                   mime="text/csv", icon=":material/download:")

rows = event.selection.rows
kab = shown.index[rows[0]] if rows else ctx.state.kab
if kab is None:
    st.info(t("qual_pick", lang), icon=":material/touch_app:")
    st.stop()
st.subheader(t("qual_list_title", lang, region=ds.names[kab]))
mine = issues[issues["kab_code"] == kab]
if ctx.state.kec:
    mine = mine[indicators.select(ctx.snapshot, ctx.code).index.get_indexer(mine["village_code"]) >= 0]
if mine.empty:
    st.success(t("qual_none", lang, region=ds.names[kab]), icon=":material/check_circle:")
    st.stop()
planted = quality.planted(ds.meta) if ds.is_demo else set()
listing = pd.DataFrame({
    t("qual_col_village", lang): mine["village_code"].map(labels).fillna(mine["village_code"]),
    t("qual_col_rule", lang): mine["rule"].map(lambda r: t(f"qual_rule_{r}", lang)),
    t("qual_col_detail", lang): mine["detail"],
    t("qual_col_note", lang): [t("evid_planted", lang) if (v, r) in planted else ""
                               for v, r in zip(mine["village_code"], mine["rule"], strict=True)],
})
st.dataframe(listing, hide_index=True, width="stretch")
st.download_button(t("csv_download", lang), excel.csv_bytes(listing, ds, lang),
                   file_name=excel.download_name(ds, ctx.state.kec or kab, "temuan", ctx.as_of, "csv"),
                   mime="text/csv", icon=":material/download:", key="qual_list_csv")
