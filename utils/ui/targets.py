"""The yearly targets on "Unggah Data" (provincial administrators): the targets in force with their source, a
small form and a workbook, the check's messages, the confirmation for a year already set, and saving.

Streamlit glue only: checking and writing are ``utils.intake.targets``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from utils.data.dataset import Dataset
from utils.domain.codes import PROVINCE_CODE
from utils.domain.programme import TARGET_INDICATORS
from utils.i18n import fmt_int, inert, label, t
from utils.intake import apply, templates
from utils.intake import targets as tg
from utils.intake.reader import MAX_UPLOAD_MB, IngestError
from utils.ui.errors import store_guard
from utils.views.exports.excel import XLSX_MIME


def _label(code: str, lang: str) -> str:
    return label(TARGET_INDICATORS[code], lang)


def current_table(ds: Dataset, lang: str) -> pd.DataFrame:
    """The targets in force, newest year first, with where each comes from."""
    rows = ds["targets"].sort_values(["year", "region_code", "indicator"], ascending=[False, True, True])
    return pd.DataFrame({
        t("tgt_col_year", lang): rows["year"].astype(int),
        t("tgt_col_region", lang): rows["region_code"].map(lambda c: t("province", lang) if c == PROVINCE_CODE
                                                           else ds.names.get(c, c)),
        t("tgt_col_indicator", lang): rows["indicator"].map(lambda c: _label(c, lang) if c in TARGET_INDICATORS else c),
        t("tgt_col_value", lang): rows["value"].astype(int),
        t("tgt_col_source", lang): rows["source"].map(lambda s: t("tgt_demo_source", lang) if s == "demo" else s),
    })


def flow(ds: Dataset, op, engine, lang: str) -> None:
    """The whole targets section (call only for an administrator)."""
    st.caption(t("tgt_intro", lang))
    if notice := st.session_state.pop("tgt_notice", None):
        st.success(notice)
    with st.expander(t("tgt_current", lang)):
        st.dataframe(current_table(ds, lang), hide_index=True)
    kabs = ds.regions.loc[ds.regions["level"] == "kabupaten", "code"].tolist()
    form, upload = st.tabs([t("tgt_tab_form", lang), t("tgt_tab_file", lang)])
    with form:
        c1, c2 = st.columns(2)
        year = int(c1.number_input(t("tgt_year", lang), min_value=2020, max_value=tg.LAST_YEAR,
                                   value=ds.data_as_of.year, step=1, key="tgt_year"))
        region = c2.selectbox(t("tgt_region", lang), [PROVINCE_CODE, *kabs], key="tgt_region",
                              format_func=lambda c: t("province", lang) if c == PROVINCE_CODE else ds.names[c])
        stored = ds["targets"]
        here = stored[(stored["year"] == year) & (stored["region_code"] == region)].set_index("indicator")["value"]
        values = {}
        for ind in TARGET_INDICATORS:
            values[ind] = st.number_input(_label(ind, lang), value=float(here.get(ind, 0)), step=1.0,
                                          key=f"tgt_v_{ind}_{year}_{region}")
        document = st.text_input(t("tgt_document", lang), key="tgt_doc_form", max_chars=200)
        if st.button(t("tgt_check", lang), key="tgt_check_form"):
            entries = pd.DataFrame({"tahun": year, "wilayah": region, "indikator": list(values),
                                    "target": list(values.values())})
            st.session_state["tgt_checked"] = tg.check(entries, ds.regions, stored, document)
    with upload:
        st.download_button(t("tgt_template", lang), templates.targets_template(ds.regions, ds.data_as_of.year, ds["targets"]),
                           file_name=f"target-{ds.data_as_of.year}.xlsx", icon=":material/download:", key="tgt_tpl",
                           mime=XLSX_MIME)
        file = st.file_uploader(t("tgt_file", lang), max_upload_size=MAX_UPLOAD_MB, key="tgt_file")
        file_doc = st.text_input(t("tgt_document", lang), key="tgt_doc_file", max_chars=200)
        if file is not None and st.button(t("tgt_check", lang), key="tgt_check_file"):
            try:
                entries = tg.read_workbook(file.name, file.getvalue())
            except IngestError as exc:
                st.error(t(exc.key, lang, **exc.kw))
                st.stop()
            st.session_state["tgt_checked"] = tg.check(entries, ds.regions, ds["targets"], file_doc, file.name)
    checked = st.session_state.get("tgt_checked")
    if checked is None:
        return
    _result(checked, op, engine, lang)


def _result(checked: tg.TargetCheck, op, engine, lang: str) -> None:
    if checked.errors:
        st.error(t("tgt_errors", lang) + "\n\n" + "\n".join(
            f"- {inert.markdown(t(k, lang, **kw))}" for k, kw in checked.errors), icon=":material/error:")
        return
    for key, kw in checked.warnings:
        st.warning(t(key, lang, **{**kw, "indicator": _label(kw["indicator"], lang)}), icon=":material/trending_down:")
    st.success(t("tgt_clean", lang, n=fmt_int(len(checked.rows), lang), doc=inert.markdown(checked.document)))
    confirmed = True
    if checked.years_set:
        confirmed = st.checkbox(t("tgt_confirm", lang, years=", ".join(map(str, checked.years_set))),
                                key="tgt_confirm")
    if st.button(t("tgt_save", lang), type="primary", key="tgt_save", disabled=not confirmed):
        try:
            with store_guard(lang):
                change = apply.preview(engine, tg.KIND, checked.frames)
                if change.rows_added + change.rows_changed == 0:
                    st.info(t("tgt_unchanged", lang))
                    st.stop()
                upload_id = tg.save(engine, checked, op, confirmed)
        except apply.ApplyError as exc:
            st.error(t(exc.key, lang, **exc.kw))
            st.stop()
        st.session_state.pop("tgt_checked", None)
        st.session_state["tgt_notice"] = t("tgt_saved", lang, id=upload_id)
        st.rerun()
