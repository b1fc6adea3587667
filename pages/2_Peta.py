"""Peta (map): the selection's next level down coloured by one indicator; click to drill down.

Geometry comes once from static files; each rerun sends only codes and classes (docs/map.md).
"""

import pandas as pd
import streamlit as st

from utils.domain import filters
from utils.domain.codes import PROVINCE_CODE
from utils.i18n import fmt_int, t
from utils.metrics import development
from utils.ui import peta, shared
from utils.views import index_display as ixv
from utils.views.exports import excel
from utils.views.maps import choropleth

ctx = shared.page_frame("page_map", "map_title")
lang, ds, state = ctx.lang, ctx.ds, ctx.state
names = ds.names

# Controls: indicator, every village at once, and the way back up the breadcrumb.
col_metric, col_villages = st.columns([3, 2])
has_indeks = development.indeks_year(ds.indeks_desa, ctx.as_of.year) is not None  # Indeks Desa maps once imported
metric_key = col_metric.selectbox(t("map_metric", lang), [k for k in choropleth.METRIC_KEYS
                                                           if has_indeks or not k.startswith("id_")],
                                  key="map_metric", format_func=lambda k: t(f"map_m_{k}", lang))
show_villages = col_villages.toggle(t("map_show_villages", lang), key="map_villages",
                                    help=t("map_show_villages_help", lang), disabled=bool(state.kec))
crumbs = filters.breadcrumb(state, names, t("province", lang))
if len(crumbs) > 1:
    with st.container(horizontal=True, vertical_alignment="center", key="map_crumbs"):
        for code, label in crumbs[:-1]:
            st.button(label, key=f"map_crumb_{code}", type="tertiary", icon=":material/arrow_upward:",
                      on_click=shared.set_region, args=(None if code == PROVINCE_CODE else code,),
                      help=t("map_up", lang, name=label))
        st.markdown(f"**{crumbs[-1][1]}**")

view = peta.build_view(ctx, metric_key, show_villages)
plan = view.plan
if plan.villages_capped:
    st.info(t("map_villages_capped", lang, n=fmt_int(len(ctx.snapshot), lang)), icon=":material/info:")
region_label = crumbs[-1][1] if not state.desa else crumbs[-2][1]
st.caption(t("map_caption", lang, level=t(f"map_level_{plan.level}", lang), region=region_label))
if view.missing_file:
    st.error(t("map_missing_file", lang, file=view.missing_file), icon=":material/error:")
else:
    peta.draw(view)
if choropleth.metric(metric_key).desa_only:
    st.caption(t("map_na_note", lang))
if source := choropleth.METRIC_SOURCES.get(metric_key):
    st.caption(ixv.source_line(source, ds, ctx.code, ctx.as_of.year, lang))

# Values behind the colours, and the map as an image for slides: both made only when clicked.
file_name = {ext: excel.download_name(ds, ctx.code, f"peta-{metric_key}", ctx.as_of, ext) for ext in ("png", "csv")}
with st.container(horizontal=True):
    st.download_button(t("map_png", lang), lambda: peta.png_bytes(ctx, metric_key, show_villages, view, region_label),
                       file_name=file_name["png"], mime="image/png", icon=":material/image:", on_click="ignore")
    st.download_button(t("map_csv", lang), lambda: peta.values_csv(view, names, lang), file_name=file_name["csv"],
                       mime="text/csv", icon=":material/download:", on_click="ignore")

# Villages the boundary source has no polygon for: listed with their values, so none is lost.
regions = ds.regions
scope = ctx.code if ctx.code != PROVINCE_CODE and not state.desa else (state.kec or "")
no_poly = regions[(regions["level"] == "desa") & ~regions["has_polygon"].astype(bool)
                  & regions["code"].str.startswith(scope)]
if len(no_poly):
    villages = peta.values_frame(ctx.snapshot, ctx.as_of, "code").loc[no_poly["code"]]
    own = choropleth.classify(choropleth.metric(metric_key), villages, True, lang, villages["applies"])
    st.subheader(t("map_no_polygon_title", lang, n=fmt_int(len(no_poly), lang)))
    st.caption(t("map_no_polygon_note", lang))
    st.dataframe(pd.DataFrame({
        t("map_col_village", lang): [names[c] for c in no_poly["code"]],
        t("map_col_region", lang): [f"{names[kec]}, {names[kab]}" for kec, kab in zip(no_poly["kec_code"],
                                                                                      no_poly["kab_code"], strict=True)],
        own.title: own.value.to_numpy(),
    }), hide_index=True, key="map_no_polygon", height=36 * (len(no_poly) + 1) + 2)
