"""Riwayat (history): every upload and import, approval of kabupaten uploads, rollback, demo-data switch."""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from utils.data import store
from utils.i18n import fmt_date, fmt_num, has_text, inert, t
from utils.intake import apply, report, validation, village_index
from utils.intake import boundaries as ib
from utils.ui import laporan, login, shared
from utils.views import reporting_display as rpd

ctx = shared.page_frame("page_history", "hist_title")
lang, ds = ctx.lang, ctx.ds
op = login.require_operator(lang)
engine = login.engine(lang)

if notice := st.session_state.pop("hist_notice", None):
    st.success(notice)
with shared.store_guard(lang):
    uploads = store.read_uploads(engine)
if op.role == "operator":  # a kabupaten operator sees the uploads for their kabupaten
    uploads = uploads[uploads["kab_code"] == op.kab_code]


def kind_label(kind: str) -> str:
    key = validation.KINDS[kind].label_key if kind in validation.KINDS else \
        f"ing_kind_{kind}" if has_text(f"ing_kind_{kind}") else f"hist_kind_{kind}"
    return t(key, lang) if has_text(key) else kind  # a kind recorded by a later import type shows as is


def status_label(status: str) -> str:
    return t(f"hist_status_{status}", lang) if has_text(f"hist_status_{status}") else status


def when(ts) -> str:
    return "" if pd.isna(ts) else f"{fmt_date(ts.date(), lang)} {ts:%H:%M}"


if uploads.empty:
    st.info(t("hist_empty", lang))
else:
    table = pd.DataFrame({
        t("hist_col_id", lang): uploads["upload_id"],
        t("hist_col_time", lang): uploads["uploaded_at"].map(when),
        t("hist_col_kind", lang): uploads["kind"].map(kind_label),
        t("hist_col_file", lang): uploads["file_name"],
        t("hist_col_kab", lang): uploads["kab_code"].map(lambda c: ds.names.get(c, "") if c else t("province", lang)),
        t("hist_col_uploader", lang): uploads["uploader"],
        t("hist_col_status", lang): uploads["status"].map(status_label),
        t("hist_col_added", lang): uploads["rows_added"],
        t("hist_col_changed", lang): uploads["rows_changed"],
        t("hist_col_approver", lang): uploads["approved_by"].fillna("") + " " + uploads["approved_at"].map(when),
        t("hist_col_rollback", lang): uploads["rolled_back_by"].fillna("") + " " + uploads["rolled_back_at"].map(when),
        "sha256": uploads["sha256"].str[:12],
    })
    st.dataframe(table, hide_index=True, key="hist_table")

if op.role != "admin":
    st.caption(t("hist_admin_only", lang))
    st.stop()

# The uploaded files themselves, kept in the store for audit: any app server hands them back.
with shared.store_guard(lang):
    kept = store.uploads_with_file(engine)
with_file = uploads[uploads["upload_id"].isin(kept)]
if not with_file.empty:
    names = {r.upload_id: f"#{r.upload_id} · {kind_label(r.kind)} · {r.file_name}" for r in with_file.itertuples()}
    chosen = st.selectbox(t("hist_file_pick", lang), list(names), format_func=names.__getitem__, key="hist_file")
    with shared.store_guard(lang):
        kept_file = store.read_upload_file(engine, int(chosen))
    assert kept_file is not None  # chosen among the uploads whose file is kept (uploads_with_file above)
    name, data = kept_file
    sha = with_file.set_index("upload_id").at[chosen, "sha256"]
    # The operator's own file, byte for byte (audit, admins only): not a writer of ours, so nothing is rewritten.
    st.download_button(t("hist_file_download", lang, id=chosen), kept_file[1], file_name=name, key="hist_file_dl",
                       mime="application/octet-stream", icon=":material/download:")
    st.caption(t("hist_file_caption", lang, size=f"{fmt_num(len(data) / 1024, 1, lang)} KB", sha=sha[:12]))

# Programme uploads and kabupaten reports (approve, reject, roll back), mapping profiles (undo); index and
# boundary imports (undo; an admin's import is applied at once).
actionable = uploads[(uploads["status"].isin(["pending", "applied"])
                      & uploads["kind"].isin([*validation.KINDS, report.KIND, "mapping_profile", "targets"]))
                     | (uploads["status"].eq("applied")
                        & uploads["kind"].isin([*village_index.IMPORT_KINDS, "boundary"]))]
if not actionable.empty:
    labels = {r.upload_id: f"#{r.upload_id} · {kind_label(r.kind)} · {r.file_name}" for r in actionable.itertuples()}
    pick = st.selectbox(t("hist_pick", lang), list(labels), format_func=labels.__getitem__, key="hist_pick")
    status = actionable.set_index("upload_id").at[pick, "status"]
    st.caption(f"{t('hist_col_status', lang)}: {status_label(status)}")
    if actionable.set_index("upload_id").at[pick, "kind"] == report.KIND and status == "pending":
        laporan.review_panel(ds, engine, int(pick), lang)
    if status == "pending" and (effect := rpd.approval_effect(
            ds, actionable.set_index("upload_id").at[pick, "kind"], actionable.set_index("upload_id").at[pick, "kab_code"],
            ds.names, lang)):
        st.warning(effect, icon=":material/swap_horiz:")  # what approving changes on every page
    cols = st.columns(3)
    action = None
    if status == "pending":
        action = "approve" if cols[0].button(t("hist_approve", lang), type="primary", key="hist_approve") else action
        action = "reject" if cols[1].button(t("hist_reject", lang), key="hist_reject") else action
    else:
        action = "rollback" if cols[0].button(t("hist_rollback", lang), key="hist_rollback") else action
    boundary = actionable.set_index("upload_id").at[pick, "kind"] == "boundary"
    if boundary:
        st.caption(t("hist_boundary_undo_note", lang))
    if action:
        is_import = actionable.set_index("upload_id").at[pick, "kind"] in village_index.IMPORT_KINDS
        try:
            with shared.store_guard(lang):  # each action is one transaction: a failure changes nothing
                if boundary:
                    with st.spinner(t("hist_undoing_boundary", lang)):
                        ib.undo_boundary_import(engine, int(pick), op)
                else:
                    act: dict[str, Callable[..., object]] = {
                        "approve": apply.approve, "reject": apply.reject,
                        "rollback": village_index.rollback_import if is_import else apply.rollback}
                    act[action](engine, int(pick), op)
        except apply.ApplyError as exc:
            st.error(t(exc.key, lang, **exc.kw))
            st.stop()
        except village_index.Refused as exc:
            st.error(exc.text(lang, inert.markdown))
            st.stop()
        st.session_state["hist_notice"] = t("hist_done_undo_boundary" if boundary else f"hist_done_{action}", lang,
                                            id=pick)
        st.rerun()

st.divider()
on = st.toggle(t("hist_demo_switch", lang), value=ds.viewing_demo, help=t("hist_demo_help", lang), key="hist_demo")
if on != ds.viewing_demo:
    with shared.store_guard(lang):
        apply.set_demo_view(engine, on, op)
    st.rerun()
