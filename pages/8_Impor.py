"""Impor (provincial admin): a later IDM year from a Kemendesa workbook, or boundaries from a map file.

Each file is checked and summarised first (for boundaries: the match report); nothing is written until
the admin confirms. Refused files show why, and nothing changes.
"""

import streamlit as st

from utils.data import store
from utils.data.auth import Operator
from utils.data.dataset import canonical_version
from utils.i18n import fmt_int, inert, t
from utils.intake import slots
from utils.intake import village_index as ii
from utils.ui import impor, login, shared


@st.cache_resource(show_spinner=False, max_entries=2)
def _idm_plan(data: bytes, name: str, version: tuple[float, ...], base_year: int) -> ii.IdmPlan:
    return ii.plan_idm_import(data, name, shared.dataset().regions, base_year)  # the workbook read takes seconds


def _done(op: Operator, kind: str, file_name: str, sha: str, result: ii.ApplyResult) -> None:
    """Record a write (attributed to the admin), show the outcome after a rerun, clear the uploader. A boundary
    import records itself in the store (its layer and history row in one transaction)."""
    if result.status != "unchanged" and kind != "boundary":
        with shared.store_guard(lang):
            store.record_upload(login.engine(lang), kind=kind, file_name=file_name, sha256=sha, uploader=op.username,
                                status="applied", rows_added=result.rows_added, rows_changed=result.rows_changed)
    done_key = "imp_done_boundary" if kind == "boundary" and result.status == "replaced" else f"imp_done_{result.status}"
    st.session_state["imp_notice"] = t(done_key, lang, rows=fmt_int(result.rows_added, lang),
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
    base = min(ds.idm_years) if ds.idm_years else int(ds.idm["year"].iloc[0])
    st.caption(t("imp_idm_years", lang, years=", ".join(map(str, ds.idm_years or [base])), base=base))
    up = st.file_uploader(t("imp_idm_upload", lang), key=f"imp_idm_{nonce}", max_upload_size=30)
    if up is None:
        st.stop()
    try:
        with st.spinner(t("imp_reading", lang)), slots.SLOTS.hold(op.username):
            plan = _idm_plan(up.getvalue(), up.name, canonical_version(), base)
    except ii.Refused as exc:
        st.error(f"{t('imp_refused', lang)} {exc.text(lang, inert.markdown)}", icon=":material/block:")
        st.stop()
    except slots.Busy as exc:
        st.warning(t(exc.key, lang), icon=":material/hourglass_top:")
        st.stop()
    st.success(t("imp_idm_summary", lang, year=plan.year, desa=fmt_int(len(plan.desa), lang),
                 rec=fmt_int(len(plan.recommendations), lang)))
    st.dataframe({t("imp_col_status", lang): list(plan.status_counts),
                  t("imp_col_count", lang): [fmt_int(v, lang) for v in plan.status_counts.values()]}, hide_index=True)
    if plan.unknown_codes:
        st.warning(t("imp_idm_unknown", lang, n=fmt_int(len(plan.unknown_codes), lang), codes=inert.markdown(", ".join(plan.unknown_codes[:10]))))
    if plan.kelurahan_codes:
        st.info(t("imp_idm_kelurahan", lang, n=fmt_int(len(plan.kelurahan_codes), lang)))
    if plan.existing == "same":
        st.info(t("imp_idm_same", lang, year=plan.year), icon=":material/info:")
        st.stop()
    replace = plan.existing == "differs" and st.checkbox(t("imp_idm_replace", lang, year=plan.year), key="imp_replace")
    if plan.existing == "differs":
        st.warning(t("imp_idm_differs", lang, year=plan.year))
    if st.button(t("imp_confirm", lang), type="primary", key="imp_confirm_idm",
                 disabled=plan.existing == "differs" and not replace):
        _done(op, "idm", plan.file_name, plan.sha256, ii.apply_idm_import(plan, replace=replace))
    st.stop()

impor.boundary_section(op, lang, ds.names, nonce, _done)
