"""Streamlit glue of the import page: the check reports of development-index workbooks (Indeks Desa, IDM: what
the file holds, its errors and findings, the year's coverage), and the boundary part (the file, the proposed
level and columns, the match report, accepting suggestions, the warnings before anything changes, and the
confirmation).

The work is in ``utils.intake.boundaries`` (no streamlit): reading, matching, ``assess`` and the apply. Plans
and assessments are cached per file, level, columns, accepted suggestions and options, so ticking a box costs
a cache hit once computed.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from utils.data.auth import Operator
from utils.domain.codes import BOUNDARY_LEVELS
from utils.i18n import fmt_int, fmt_num, inert, t
from utils.intake import boundaries as ib
from utils.intake import village_index as ii
from utils.ui import login, shared
from utils.ui.cache import versioned
from utils.views import index_display as ixv


@versioned(max_entries=2)
def workbook_plan(data: bytes, name: str, base_year: int, year: int | None) -> ii.IdmPlan | ii.IndexPlan:
    """The check of an IDM or Indeks Desa workbook (reading one takes seconds: once per file, data version and
    chosen year)."""
    ds = shared.dataset()
    return ii.plan_upload(data, name, ds.regions, ds.index_catalogue, base_year, login.engine(), year)


@st.cache_resource(show_spinner=False, max_entries=2)
def _boundary_file(data: bytes, name: str) -> ib.BoundaryFile:
    return ib.read_boundary_upload(data, name)


@versioned(max_entries=4)
def _guess(sha: str, _src: ib.BoundaryFile) -> tuple[ib.LevelGuess, ib.Columns]:
    regions = shared.dataset().regions
    columns = ib.detect_columns(_src.features, None, regions)
    return ib.detect_level(_src.features, regions, columns), columns


@versioned(max_entries=4)
def _columns(sha: str, level: str, _src: ib.BoundaryFile) -> ib.Columns:
    return ib.detect_columns(_src.features, level, shared.dataset().regions)


@versioned(max_entries=4)
def _plan(sha: str, level: str, code_col: str | None, name_col: str | None, _src: ib.BoundaryFile) -> ib.BoundaryPlan:
    return ib.plan_boundary_import(_src, level, shared.dataset().regions, code_col, name_col, auto=False,
                                   engine=login.engine())


@versioned(max_entries=8)
def _assessment(sha: str, level: str, code_col: str | None, name_col: str | None, accepted: tuple[tuple[int, str], ...], whole: bool, include_low: bool,
                _plan: ib.BoundaryPlan) -> ib.Assessment:
    return ib.assess(_plan, dict(accepted), ib.Options(whole, include_low), login.engine())


def _counts_line(plan: ib.BoundaryPlan, lang: str) -> str:
    """Matched (per method) and every other status that occurs, then how many regions keep their boundary."""
    counts, by = plan.counts(), plan.matched_by()
    methods = ", ".join(f"{t(f'imp_method_{m}', lang)} {fmt_int(v, lang)}" for m, v in by.items() if v)
    parts = [t("imp_report_matched", lang, n=fmt_int(counts["matched"], lang), methods=methods or "–")]
    parts += [f"{t(f'imp_status_{s}', lang)}: {fmt_int(v, lang)}" for s, v in counts.items() if v and s != "matched"]
    return " · ".join(parts) + ". " + t("imp_report_kept", lang, kept=fmt_int(len(plan.not_covered), lang))


def _columns_caption(columns: ib.Columns, lang: str) -> str:
    system = t(f"imp_code_system_{columns.code_system}", lang, share=fmt_num(100 * columns.code_share, 1, lang))
    parts = [t("imp_cols_code", lang, column=columns.code or "–", system=system),
             t("imp_cols_name", lang, column=columns.name or "–")]
    if columns.kecamatan or columns.kabupaten:
        parts.append(t("imp_cols_parents", lang, kec=columns.kecamatan or "–", kab=columns.kabupaten or "–"))
    return " · ".join(parts)


def _suggestion_label(plan: ib.BoundaryPlan, feature: int, lang: str) -> str:
    rep = plan.report
    best = rep.at[feature, "suggestions"][0]
    name = rep.at[feature, "source_name"]
    return t("imp_sugg_option", lang, n=feature + 1, name=name if isinstance(name, str) else "–", official=best["name"],
             code=best["code"], score=fmt_num(best["score"], 0, lang))


def _suggestions(plan: ib.BoundaryPlan, key: str, lang: str) -> dict[int, str]:
    """The suggestions table, accepting them one by one or all above a score; returns {feature: code} accepted."""
    offered = plan.suggestions()
    if not offered:
        return {}
    rep = plan.report.loc[list(offered)]
    st.subheader(t("imp_sugg_title", lang, n=fmt_int(len(offered), lang)))
    st.caption(t("imp_sugg_intro", lang))
    table = pd.DataFrame({
        t("imp_col_feature", lang): rep.index + 1,
        t("imp_col_source_name", lang): rep["source_name"].astype("object").fillna(""),
        t("imp_col_source_kec", lang): rep["source_kec"].astype("object").fillna(""),
        t("imp_col_source_kab", lang): rep["source_kab"].astype("object").fillna(""),
        t("imp_col_suggestions", lang): rep["suggestions"].map(lambda s: ib.suggestion_text(s, lang)),
    })
    absent = [t(f"imp_col_{c}", lang) for c in ("source_kec", "source_kab") if plan.report[c].isna().all()]
    st.dataframe(table.drop(columns=absent), hide_index=True, width="stretch", key=f"{key}_table")
    options = list(offered)
    state_key = f"{key}_accepted"
    if state_key in st.session_state:  # keep only features still offered (after another column choice)
        st.session_state[state_key] = [f for f in st.session_state[state_key] if f in offered]

    def accept_above(threshold_key: str) -> None:
        threshold = float(st.session_state.get(threshold_key, 90))
        st.session_state[state_key] = [f for f in options
                                       if plan.report.at[f, "suggestions"][0]["score"] >= threshold]

    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.number_input(t("imp_sugg_min", lang), min_value=int(ib.SUGGEST_CUTOFF), max_value=99, value=90, step=1,
                        key=f"{key}_min", width=220)
        st.button(t("imp_sugg_accept_all", lang), key=f"{key}_all", on_click=accept_above, args=(f"{key}_min",))
        st.button(t("imp_sugg_clear", lang), key=f"{key}_none", type="tertiary",
                  on_click=lambda: st.session_state.__setitem__(state_key, []))
    chosen = st.multiselect(t("imp_sugg_pick", lang), options, key=state_key,
                            format_func=lambda f: _suggestion_label(plan, f, lang), placeholder=t("imp_sugg_none", lang))
    return {f: offered[f] for f in chosen}


def boundary_section(op: Operator, lang: str, names: dict[str, str], nonce: int,
                     done: Callable[[Operator, str, str, str, ii.ApplyResult], None]) -> None:
    """The boundary import: upload, level, columns, report, suggestions, warnings, options, confirmation."""
    up = st.file_uploader(t("imp_geo_upload", lang), key=f"imp_geo_{nonce}", max_upload_size=110)
    if up is None:
        st.stop()
    try:
        with shared.checking(op.username, lang, "imp_reading"):
            src = _boundary_file(up.getvalue(), up.name)
    except ii.Refused as exc:
        st.error(f"{t('imp_refused', lang)} {exc.text(lang, inert.markdown)}", icon=":material/block:")
        st.stop()
    sha = src.sha256
    st.caption(t("imp_geo_read", lang, n=fmt_int(len(src.features), lang), crs=inert.markdown(src.source_crs)))
    guess, _ = _guess(sha, src)
    levels = list(BOUNDARY_LEVELS)
    level = st.selectbox(t("imp_level", lang), levels, index=levels.index(guess.level), key=f"imp_level_{sha[:16]}",
                         format_func=lambda lv: t(f"imp_level_{lv}", lang)
                         + (f" ({t('imp_level_proposed', lang)})" if lv == guess.level else ""))
    if level != guess.level:
        st.warning(guess.explain(level, lang), icon=":material/warning:")
    detected = _columns(sha, level, src)
    columns = [None, *(c for c in src.features.columns if c != src.features.geometry.name)]
    c1, c2 = st.columns(2)
    code_col = c1.selectbox(t("imp_code_col", lang), columns, index=columns.index(detected.code),
                            key=f"imp_code_{sha[:16]}_{level}", format_func=lambda c: c or t("imp_none", lang))
    name_col = c2.selectbox(t("imp_name_col", lang), columns, index=columns.index(detected.name),
                            key=f"imp_name_{sha[:16]}_{level}", format_func=lambda c: c or t("imp_none", lang))
    try:
        with shared.checking(op.username, lang, "imp_matching"):
            plan = _plan(sha, level, code_col, name_col, src)
    except ii.Refused as exc:
        st.error(f"{t('imp_refused', lang)} {exc.text(lang, inert.markdown)}", icon=":material/block:")
        st.stop()
    st.caption(_columns_caption(plan.columns, lang))
    if plan.code_unrecognised:
        st.warning(t("imp_warn_code_unrecognised", lang, column=inert.markdown(str(plan.columns.code))), icon=":material/warning:")

    st.subheader(t("imp_report_title", lang))
    st.markdown(_counts_line(plan, lang))
    only_problems = st.toggle(t("imp_report_problems", lang), key=f"imp_problems_{sha[:16]}")
    st.dataframe(ib.report_display(plan.report, lang, names, problems_only=only_problems), hide_index=True,
                 width="stretch", key="imp_report")
    key = f"imp_{sha[:16]}_{level}_{code_col}_{name_col}"
    accepted = _suggestions(plan, key, lang)
    if not (plan.report["status"] == "matched").any() and not accepted:
        st.warning(t("imp_none_matched", lang))
        st.stop()

    st.subheader(t("imp_check_title", lang))
    whole = st.checkbox(t("imp_opt_whole", lang), key=f"{key}_whole", help=t("imp_opt_whole_help", lang))
    include_low = st.session_state.get(f"{key}_low", False)
    with st.spinner(t("imp_assessing", lang)):
        assessment = _assessment(sha, level, code_col, name_col, tuple(sorted(accepted.items())), whole,
                                 include_low, plan)
    if assessment.low_overlap:
        st.checkbox(t("imp_opt_low", lang, n=fmt_int(len(assessment.low_overlap), lang),
                      pct=int(ib.LOW_OVERLAP * 100)), key=f"{key}_low")
    st.markdown(t("imp_check_counts", lang, n=fmt_int(len(assessment.apply), lang),
                  level=t(f"imp_level_{level}", lang).lower(), changed=fmt_int(assessment.changed, lang),
                  added=fmt_int(assessment.added, lang), unchanged=fmt_int(assessment.unchanged, lang),
                  median="–" if pd.isna(assessment.median_overlap)
                  else fmt_num(100 * assessment.median_overlap, 1, lang)))
    for warning in assessment.warnings(plan, lang):
        if warning["kind"] not in ("level", "code_unrecognised"):  # shown above already
            st.warning(warning["message"], icon=":material/warning:")
    if assessment.apply.empty:
        st.warning(t("imp_nothing_to_apply", lang), icon=":material/warning:")
        st.stop()
    if assessment.nothing_changes:
        st.info(t("imp_nothing_changes", lang, metres=fmt_int(int(ib.SAME_WITHIN_M), lang)), icon=":material/info:")
        st.stop()
    label = st.text_input(t("imp_source_label", lang), value=src.file_name.rsplit(".", 1)[0], max_chars=300,
                          key=f"{key}_label", help=t("imp_source_label_help", lang))
    if st.button(t("imp_confirm", lang), type="primary", key="imp_confirm_geo"):
        with st.spinner(t("imp_writing", lang)), shared.store_guard(lang):  # one transaction: a failure changes nothing
            result = ib.apply_boundary_import(plan, assessment, op, login.engine(lang), label, accepted)
        done(op, "boundary", up.name, src.sha256, result)


def index_plan(plan: ii.IndexPlan, lang: str, nonce: int, year: int | None, this_year: int) -> dict:
    """An Indeks Desa workbook's report (stops the page when nothing can or need be imported, else returns the
    "already imported" notice and the replace checkbox's label); a year picker when the file does not state its year."""
    r = plan.read
    st.success(t("imp_ix_summary", lang, year=r.year or "–", desa=fmt_int(len(r.desa), lang),
                 kabs=fmt_int(len(r.kab_codes), lang), found=fmt_int(len(r.items_found), lang),
                 total=fmt_int(len(r.items_found) + len(r.items_missing), lang), row=r.header_row))
    if any(e.key in ("ix_err_no_year", "ix_err_year_differs") for e in r.errors) or year:
        st.selectbox(t("imp_ix_year_pick", lang), list(range(2025, this_year + 2)), index=None, key=f"imp_year_{nonce}")
    st.caption(t("imp_ix_scores_file" if r.total_source == "file" else "imp_ix_scores_dashboard", lang) + " "
               + t("imp_ix_status_file" if r.status_column else "imp_ix_status_bands", lang))
    st.dataframe(ixv.status_frame(ixv.index_status_counts(r.desa), lang, "imp_col_ix_status"), hide_index=True)
    if r.items_missing:
        with st.expander(t("imp_ix_missing", lang, n=fmt_int(len(r.items_missing), lang)), icon=":material/warning:"):
            st.markdown("\n".join(f"- {name}" for name in r.items_missing))
    if r.errors:
        st.error(t("imp_ix_errors", lang, n=fmt_int(len(r.errors), lang)), icon=":material/block:")
        st.dataframe(ixv.issues_frame(r.errors, lang), hide_index=True, width="stretch", key="imp_errors")
    if r.findings:
        st.warning(t("imp_ix_findings", lang, n=fmt_int(len(r.findings), lang)), icon=":material/info:")
        st.dataframe(ixv.issues_frame(r.findings, lang), hide_index=True, width="stretch", key="imp_findings")
    if not plan.accepted:
        st.stop()
    cover = dict(n=fmt_int(plan.year_desa_after, lang), total=fmt_int(plan.desa_total, lang))
    st.info(t("imp_ix_coverage", lang, year=plan.year, **cover)
            + (" " + t("imp_ix_partial", lang, **cover) if plan.year_desa_after < plan.desa_total else ""))
    if plan.existing == "same":
        st.info(t("imp_ix_same", lang, year=plan.year), icon=":material/info:")
        st.stop()
    kw = dict(n=fmt_int(plan.replaces, lang), year=plan.year)
    return {"warn": t("imp_ix_differs", lang, **kw), "replace": t("imp_ix_replace", lang, **kw)}


def idm_plan(plan: ii.IdmPlan, lang: str) -> dict:
    """An IDM workbook's report."""
    st.success(t("imp_idm_summary", lang, year=plan.year, desa=fmt_int(len(plan.desa), lang),
                 rec=fmt_int(len(plan.recommendations), lang)))
    st.dataframe(ixv.status_frame(plan.status_counts, lang), hide_index=True)
    if plan.unknown_codes:
        st.warning(t("imp_idm_unknown", lang, n=fmt_int(len(plan.unknown_codes), lang),
                     codes=inert.markdown(", ".join(plan.unknown_codes[:10]))))
    if plan.kelurahan_codes:
        st.info(t("imp_idm_kelurahan", lang, n=fmt_int(len(plan.kelurahan_codes), lang)))
    if plan.existing == "same":
        st.info(t("imp_idm_same", lang, year=plan.year), icon=":material/info:")
        st.stop()
    kw = dict(n=fmt_int(plan.replaces, lang), year=plan.year)
    return {"warn": t("imp_idm_differs", lang, **kw), "replace": t("imp_idm_replace", lang, **kw)}
