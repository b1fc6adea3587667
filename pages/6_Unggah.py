"""Unggah (upload): templates, then a CSV/XLSX file checked before anything is stored, then confirmation."""

from functools import partial

import streamlit as st

from utils.domain import filters
from utils.domain.codes import PROVINCE_CODE
from utils.i18n import fmt_int, inert, t
from utils.intake import apply, templates, validation
from utils.intake.reader import MAX_UPLOAD_MB
from utils.intake.report import KIND as REPORT_KIND
from utils.intake.report import looks_like_report
from utils.intake.targets import KIND as TARGETS
from utils.ui import laporan, login, shared, targets
from utils.views.exports.excel import XLSX_MIME

ctx = shared.page_frame("page_upload", "ing_title")
lang, ds = ctx.lang, ctx.ds
op = login.require_operator(lang)
st.caption(t("ing_intro", lang))

kinds = ["adoption", REPORT_KIND, *list(validation.KINDS)[1:], *([TARGETS] if op.role == "admin" else [])]
kind = st.selectbox(t("ing_kind", lang), kinds, key="ing_kind",
                    format_func=lambda k: t(validation.KINDS[k].label_key if k in validation.KINDS
                                            else f"ing_kind_{k}", lang))
if kind == TARGETS:  # the Dinas's yearly targets: province and kabupaten in one form or workbook
    targets.flow(ds, op, login.engine(lang), lang)
    st.stop()
kabs = filters.region_options(ds.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()
# Operators: their own kabupaten only; a kabupaten's report is never for the whole province.
scopes = [op.kab_code] if op.role == "operator" else ([] if kind == REPORT_KIND else [""]) + kabs
scope = st.selectbox(t("ing_scope", lang), scopes, key="ing_scope", disabled=len(scopes) == 1,
                     format_func=lambda c: ds.names[c] if c else t("ing_scope_province", lang)) or None
if kind == REPORT_KIND:
    laporan.upload_flow(ds, op, login.engine(lang), scope, lang)
    st.stop()
# Built only when clicked (a callable): a province template holds 2,651 villages.
st.download_button(t("ing_template", lang), partial(templates.build_template, kind, ds.regions, scope, lang),
                   file_name=f"templat-{kind}-{scope or '18'}.xlsx", icon=":material/download:",
                   mime=XLSX_MIME)

if notice := st.session_state.pop("ing_notice", None):
    st.success(notice)
upload = st.file_uploader(t("ing_file", lang, mb=MAX_UPLOAD_MB), max_upload_size=MAX_UPLOAD_MB,
                          key=f"ing_file_{kind}_{scope}_{st.session_state.get('ing_nonce', 0)}")
if upload is None:
    st.stop()

engine = login.engine(lang)
data = upload.getvalue()
# Validated once per file, scope and data version: ticking the confirmation box must not re-read the file.
# One validation at a time per operator and a few per server (utils.intake.slots): the read pages stay fast.
cache_key = (kind, scope, upload.name, validation.sha256(data), shared.canonical_version())
if st.session_state.get("ing_report_key") != cache_key:
    with shared.checking(op.username, lang, "ing_checking"):
        st.session_state["ing_report"] = validation.validate(kind, upload.name, data, ds.regions, scope,
                                                             {"bimtek_events": ds["bimtek_events"]})
    st.session_state["ing_report_key"] = cache_key
report = st.session_state["ing_report"]
st.subheader(t("ing_report", lang))
if report.near_headers:
    st.info(t("ing_near_headers", lang, cols=inert.markdown(", ".join(f"{k} → {v}" for k, v in report.near_headers.items()))))
if report.extra_columns:  # the file's own headers: shown as typed
    st.info(t("ing_extra_cols", lang, cols=inert.markdown(", ".join(report.extra_columns))))
if report.n_skipped:
    st.caption(t("ing_skipped", lang, n=fmt_int(report.n_skipped, lang)))
if report.errors:
    if any(i.key == "ing_err_missing_cols" for i in report.errors) and looks_like_report(upload.name, data):
        st.info(t("rep_hint_kind", lang), icon=":material/lightbulb:")
    st.error(t("ing_errors", lang, n=fmt_int(len(report.errors), lang)), icon=":material/error:")
    st.dataframe(validation.issues_frame(report, lang), hide_index=True)
    st.stop()

with shared.store_guard(lang):
    change = apply.preview(engine, kind, report.frames)
st.success(t("ing_clean", lang), icon=":material/check_circle:")
st.write(t("ing_summary", lang, rows=fmt_int(report.n_rows, lang), header=report.header_row,
           added=fmt_int(change.rows_added, lang), changed=fmt_int(change.rows_changed, lang),
           same=fmt_int(change.rows_unchanged, lang)))
laporan.save_controls(engine, report, op, scope, "ing", lang)
