"""Impor (provincial admin): an Indeks Desa round or another IDM year from a Kemendesa workbook (into the store,
undoable from Riwayat), or boundaries from a map file.

Each file is checked and summarised first (for the indices: errors with row and column, findings, coverage; for
boundaries: the match report); nothing is written until the admin confirms. Refused files show why, and nothing
changes.
"""

import streamlit as st

from utils.data import store
from utils.data.auth import Operator
from utils.i18n import fmt_int, inert, t
from utils.intake import village_index as ii
from utils.ui import impor, login, shared
from utils.views import index_display as ixv


def _done(op: Operator, kind: str, file_name: str, sha: str, result: ii.ApplyResult) -> None:
    """Record a write (attributed to the admin), show the outcome after a rerun, clear the uploader. Boundary and
    index imports record themselves in the store (their rows and history row in one transaction)."""
    if result.status != "unchanged" and kind != "boundary" and result.upload_id is None:
        with shared.store_guard(lang):
            store.record_upload(login.engine(lang), kind=kind, file_name=file_name, sha256=sha, uploader=op.username,
                                status="applied", rows_added=result.rows_added, rows_changed=result.rows_changed)
    key = ("imp_done_boundary" if kind == "boundary" and result.status == "replaced"
           else "imp_done_index" if result.upload_id is not None else f"imp_done_{result.status}")
    st.session_state["imp_notice"] = t(key, lang, rows=fmt_int(result.rows_added, lang), id=result.upload_id,
                                       added=fmt_int(result.rows_added, lang), changed=fmt_int(result.rows_changed, lang))
    st.session_state["imp_nonce"] = st.session_state.get("imp_nonce", 0) + 1
    st.rerun()


ctx = shared.page_frame("page_import", "imp_title")
lang, ds = ctx.lang, ctx.ds
op = login.require_operator(lang, roles=("admin",))
st.caption(t("imp_intro", lang))
if notice := st.session_state.pop("imp_notice", None):
    st.success(notice, icon=":material/check_circle:")
kind = st.radio("kind", ["idm", "boundary"], horizontal=True, key="imp_kind", label_visibility="collapsed",
                format_func=lambda k: t("imp_tab_idm" if k == "idm" else "imp_tab_boundary", lang))
nonce = st.session_state.get("imp_nonce", 0)

if kind == "idm":
    base = ds.idm_base_year
    st.caption(t("imp_idm_years", lang, years=", ".join(map(str, ds.idm_years or [base])), base=base) + " "
               + ixv.years_line(ds.indeks_desa, int((ds.regions["village_type"] == "desa").sum()), lang))
    up = st.file_uploader(t("imp_idm_upload", lang), key=f"imp_idm_{nonce}", max_upload_size=30)
    if up is None:
        st.stop()
    year = st.session_state.get(f"imp_year_{nonce}")
    try:
        with shared.checking(op.username, lang, "imp_reading"):
            plan = impor.workbook_plan(up.getvalue(), up.name, base, year)
    except ii.Refused as exc:
        st.error(f"{t('imp_refused', lang)} {exc.text(lang, inert.markdown)}", icon=":material/block:")
        st.stop()
    differs = (impor.index_plan(plan, lang, nonce, year, ctx.as_of.year) if isinstance(plan, ii.IndexPlan)
               else impor.idm_plan(plan, lang))  # stops the page when nothing can or need be imported
    replace = False
    if plan.existing == "differs":
        st.warning(differs["warn"])
        replace = st.checkbox(differs["replace"], key="imp_replace")
    if st.button(t("imp_confirm", lang), type="primary", key="imp_confirm_idm",
                 disabled=plan.existing == "differs" and not replace):
        try:
            with shared.store_guard(lang):  # one transaction: a failure changes nothing
                result = ii.apply_import(login.engine(lang), plan, op, replace=replace)
        except ii.Refused as exc:
            st.error(f"{t('imp_refused', lang)} {exc.text(lang, inert.markdown)}", icon=":material/block:")
            st.stop()
        _done(op, plan.kind, plan.file_name, plan.sha256, result)
    st.stop()

impor.boundary_section(op, lang, ds.names, nonce, _done)
