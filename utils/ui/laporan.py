"""The kabupaten status report on the operator pages: the upload flow (mapping, values, preview, profile,
check, matching, saving) on "Unggah Data" and the review before approval on "Riwayat & Persetujuan".

Streamlit glue only: reading and checking are ``utils.intake.report``, what a report changes is
``utils.views.report_check``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st

from utils.data import store
from utils.data.auth import may_upload_for
from utils.data.dataset import Dataset
from utils.domain.programme import PILLARS, STAGES
from utils.i18n import fmt_date, fmt_int, fmt_pct, inert, label, label_column, t
from utils.intake import apply, report, validation
from utils.intake.reader import MAX_UPLOAD_MB, IngestError, cell_text
from utils.ui import shared
from utils.ui.errors import store_guard
from utils.views import report_check

PREVIEW_ROWS = 10
_EXCLUDE = "__exclude__"
_FIELD_CODES = [f.code for f in report.FIELDS]
_STAGES = {s.code: s for s in STAGES}
_PILLARS = {p.code: p for p in PILLARS}


def field_label(code: str, lang: str) -> str:
    if not code:
        return t("rep_field_ignore", lang)
    f = report.FIELD_BY_CODE[code]
    if f.pillar:
        return t("rep_field_layanan", lang, pillar=label(_PILLARS[f.pillar], lang))
    return t(f"rep_field_{code}", lang)


def stage_label(code: object, lang: str) -> str:
    return label(_STAGES[code], lang) if isinstance(code, str) and code in _STAGES else t("rep_not_given", lang)


def _read(name: str, data: bytes) -> report.ReportFile:
    key = ("rep_file", validation.sha256(data))
    if st.session_state.get("rep_file_key") != key:
        st.session_state["rep_file_obj"] = report.read_report(name, data)
        st.session_state["rep_file_key"] = key
    return st.session_state["rep_file_obj"]


def _mapping_editor(rf: report.ReportFile, prepared: report_check.Prepared, tag: str, lang: str) -> report.Mapping:
    """One select box per file column (what it means) and per word of the stage and service columns."""
    st.caption(t("rep_mapping_help", lang, rows=", ".join(str(r) for r in rf.header_rows)))
    columns: dict[int, str] = {}
    grid = st.columns(3)
    samples = _samples(rf)
    for i, col in enumerate(rf.columns):
        current = prepared.mapping.columns.get(col.index, "")
        with grid[i % 3]:
            code = st.selectbox(f"{col.letter}: {inert.markdown(col.label)}", ["", *_FIELD_CODES],
                                key=f"rep_col_{tag}_{col.index}", index=["", *_FIELD_CODES].index(current),
                                format_func=lambda c: field_label(c, lang),
                                help=t("rep_col_sample", lang, values=inert.markdown(samples.get(col.index, "–"))))
        if code:
            columns[col.index] = code
    mapping = report.Mapping(columns, dict(prepared.mapping.stage_values), dict(prepared.mapping.flag_values))
    report.complete_values(rf, mapping)
    stage_words = report.mapped_values(rf, mapping, "tahap")
    flag_words: dict[str, int] = {}
    for f in report.FIELDS:
        if f.pillar:
            for key, n in report.mapped_values(rf, mapping, f.code):
                flag_words[key] = flag_words.get(key, 0) + n
    stage_words = [(k, n) for k, n in stage_words if k]
    if stage_words:
        st.markdown(f"**{t('rep_values_stage', lang)}**")
        grid = st.columns(3)
        options = ["", *(s.code for s in STAGES)]
        for i, (key, n) in enumerate(stage_words):
            with grid[i % 3]:
                mapping.stage_values[key] = st.selectbox(
                    t("rep_value_label", lang, value=inert.markdown(key), n=fmt_int(n, lang)), options,
                    key=f"rep_stage_{tag}_{key}",
                    index=options.index(mapping.stage_values.get(key, "")),
                    format_func=lambda c: stage_label(c, lang) if c else t("rep_value_unmapped", lang))
    if flag_words:
        st.markdown(f"**{t('rep_values_flag', lang)}**")
        grid = st.columns(3)
        options = ["", "ya", "tidak"]
        for i, (key, n) in enumerate(flag_words.items()):
            now = mapping.flag_values.get(key)
            with grid[i % 3]:
                choice = st.selectbox(
                    t("rep_value_label", lang, value=inert.markdown(key) or t("rep_value_blank", lang),
                      n=fmt_int(n, lang)), options,
                    key=f"rep_flag_{tag}_{key or '_blank'}", index=0 if now is None else (1 if now else 2),
                    format_func=lambda c: {"": t("rep_value_unmapped", lang), "ya": t("rep_yes", lang),
                                           "tidak": t("rep_no", lang)}[c])
            if choice:
                mapping.flag_values[key] = choice == "ya"
            else:
                mapping.flag_values.pop(key, None)
    mapping.stage_values = {k: v for k, v in mapping.stage_values.items() if v}
    return mapping


def _samples(rf: report.ReportFile) -> dict[int, str]:
    out = {}
    for col in rf.columns:
        seen: list[str] = []
        for row in rf.grid[rf.body_start:]:
            text = cell_text(row[col.index]) if col.index < len(row) else ""
            if text and text not in seen:
                seen.append(text)
            if len(seen) == 3:
                break
        out[col.index] = ", ".join(seen)
    return out


def records_display(chk: report.StatusCheck, lang: str, n: int | None = None) -> pd.DataFrame:
    """The report's pekon rows as they will be read: row, kecamatan, name, village found, join date, stage,
    operators, one column per pillar, notes."""
    rec = chk.records if n is None else chk.records.head(n)
    yes, no = t("rep_yes", lang), t("rep_no", lang)
    out = pd.DataFrame({
        t("ing_col_row", lang): rec["file_row"].astype("Int64"),
        t("rep_col_kecamatan", lang): rec["kecamatan"],
        t("rep_col_name", lang): rec["name"],
        t("rep_col_match", lang): [f"{v} ({c})" if isinstance(c, str) else "–"
                                   for v, c in zip(rec["village_name"], rec["village_code"], strict=True)],
        t("rep_col_joined", lang): [fmt_date(d, lang) if isinstance(d, dt.date) else "–" for d in rec["joined_on"]],
        t("rep_col_stage", lang): [stage_label(s, lang) for s in rec["stage"]],
        t("rep_col_operators", lang): [fmt_int(v, lang) if pd.notna(v) else "–" for v in rec["operators_trained"]],
    })
    for p in chk.pillars:
        out[label(_PILLARS[p], lang)] = [yes if v is True else no if v is False else "–" for v in rec[f"svc_{p}"]]
    out[t("rep_col_note", lang)] = rec["note"].fillna("")
    return out


def warning_text(row: int | None, column: str | None, key: str, kw: dict, lang: str) -> str:
    """A check warning as Markdown: the file's own header and labels shown as typed."""
    safe = {k: inert.markdown(v) if k == "label" else v for k, v in kw.items()}
    return f"{t('ing_col_row', lang)} {row}, {inert.markdown(column)}: {t(key, lang, **safe)}"


def _skipped_frame(skipped: list, lang: str) -> pd.DataFrame:
    return pd.DataFrame({t("ing_col_row", lang): [s["row"] if isinstance(s, dict) else s.row for s in skipped],
                         t("rep_col_reason", lang): [t(s["reason"] if isinstance(s, dict) else s.reason, lang)
                                                     for s in skipped],
                         t("rep_col_text", lang): [s["text"] if isinstance(s, dict) else s.text for s in skipped]})


def findings_display(found: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("qual_col_village", lang): found["village_code"].map(lambda c: f"{names.get(c, c)} ({c})"),
        t("qual_col_rule", lang): found["rule"].map(lambda r: t(f"qual_rule_{r}", lang)),
        t("qual_col_detail", lang): found["detail"],
    })


def _resolutions(unmatched: list[report.Unmatched], ds: Dataset, scope: str, tag: str,
                 lang: str) -> dict[int, str | None]:
    """One select box per unmatched name: a suggestion, any desa of the kabupaten, or "exclude the row"."""
    out: dict[int, str | None] = {}
    if not unmatched:
        return out
    regions = ds.regions
    desa = regions[(regions["kab_code"] == scope) & (regions["level"] == "desa") & regions["village_type"].eq("desa")]
    labels = dict(zip(desa["code"], desa["name"] + " (" + desa["kec_code"].map(ds.names) + ")", strict=True))
    notice = st.empty()
    for u in unmatched:
        suggested = [c for c, _, _ in u.suggestions]
        scores = {c: sc for c, _, sc in u.suggestions}
        options = ["", _EXCLUDE, *suggested, *sorted((c for c in labels if c not in suggested), key=labels.__getitem__)]
        kec = f" — Kec. {inert.markdown(u.kecamatan)}" if u.kecamatan else ""

        def option_label(c: str, scores: dict[str, int] = scores) -> str:
            return (t("rep_pick", lang) if not c else t("rep_exclude", lang) if c == _EXCLUDE
                    else labels.get(c, c) + (f" · {scores[c]} %" if c in scores else ""))

        pick = st.selectbox(t("rep_unmatched_row", lang, row=u.row, name=inert.markdown(u.name), kec=kec), options,
                            key=f"rep_pick_{tag}_{u.row}", format_func=option_label)
        if pick:
            out[u.row] = None if pick == _EXCLUDE else pick
    if len(out) < len(unmatched):
        notice.warning(t("rep_unmatched", lang), icon=":material/help:")
    else:
        notice.caption(t("rep_unmatched_done", lang))
    return out


def _profile_saver(rf: report.ReportFile, mapping: report.Mapping, choice: str, needs_confirm: bool, ds: Dataset,
                   op, engine, scope: str, tag: str, lang: str) -> bool:
    """Confirmation of a profile that no longer fits, and saving the mapping as the kabupaten's profile;
    True when the mapping may be used (fits, proposed, or confirmed)."""
    confirmed = True
    if needs_confirm:
        confirmed = st.checkbox(t("rep_profile_confirm", lang), key=f"rep_confirm_{tag}")
    name_col, save_col = st.columns([2, 1], vertical_alignment="bottom")
    name = name_col.text_input(t("rep_profile_name", lang), value=choice or t("rep_profile_default", lang),
                               key=f"rep_profile_name_{tag}")
    if save_col.button(t("rep_profile_save", lang, kab=ds.names[scope]), key=f"rep_profile_save_{tag}",
                       icon=":material/bookmark:", disabled=not confirmed or not may_upload_for(op, scope)):
        try:
            with store_guard(lang):
                uid = apply.save_profile(engine, scope, report.KIND, name, mapping.to_spec(rf), op)
        except apply.ApplyError as exc:
            st.error(t(exc.key, lang, **exc.kw))
        else:
            st.session_state["rep_notice"] = (t("rep_profile_same", lang, name=inert.markdown(name)) if uid is None
                                              else t("rep_profile_saved", lang, name=inert.markdown(name), id=uid))
            st.session_state["rep_use_profile"] = name  # the saved profile is chosen next run
            st.rerun()
    return confirmed


def upload_flow(ds: Dataset, op, engine, scope: str | None, lang: str) -> None:
    """The status-report upload: file, mapping (or a saved profile), preview, profile, check, matching, save."""
    st.caption(t("rep_intro", lang))
    if not scope:
        st.error(t("rep_err_need_kab", lang))
        st.stop()
    if notice := st.session_state.pop("rep_notice", None):
        st.success(notice)
    upload = st.file_uploader(t("ing_file", lang, mb=MAX_UPLOAD_MB), type=["xlsx", "csv"],
                              max_upload_size=MAX_UPLOAD_MB,
                              key=f"rep_file_{scope}_{st.session_state.get('rep_nonce', 0)}")
    if upload is None:
        st.stop()
    data = upload.getvalue()
    try:
        with shared.checking(op.username, lang, "ing_checking"):
            rf = _read(upload.name, data)
    except IngestError as exc:
        st.error(t(exc.key, lang, **exc.kw), icon=":material/error:")
        st.stop()
    if rf.sheet:  # the first sheet had no report header (a cover, a recap per kecamatan)
        st.info(t("rep_sheet", lang, sheet=inert.markdown(rf.sheet)), icon=":material/tab:")
    with store_guard(lang):
        profiles = report_check.profiles_of(engine, scope)
    auto = report_check.prepare(rf, profiles)
    names = [p.name for p in profiles]
    key = f"rep_profile_{rf.sha256[:12]}"
    if (saved := st.session_state.pop("rep_use_profile", None)) in names:
        st.session_state[key] = saved  # the profile just saved (set before the box is drawn, so the browser follows)
    # No index once the box has a value in the session (Streamlit warns when both are given).
    default: dict[str, Any] = {} if key in st.session_state else {"index": (names.index(auto.profile.name) + 1) if auto.profile else 0}
    choice = st.selectbox(t("rep_profile", lang), ["", *names], key=key,
                          format_func=lambda n: n or t("rep_profile_auto", lang), **default)
    prepared = report_check.prepare(rf, profiles, choice) if choice else report_check.prepare(rf, [])
    needs_confirm = prepared.fit in ("moved", "changed")
    if prepared.fit == "fits":
        st.success(t("rep_profile_fits", lang, name=inert.markdown(choice)), icon=":material/bookmark_added:")
    elif needs_confirm:
        cols = inert.markdown(", ".join(f"{h}: {a} → {b or '–'}" for h, a, b in prepared.moved))
        st.warning(t(f"rep_profile_{prepared.fit}", lang, name=inert.markdown(choice), cols=cols),
                   icon=":material/warning:")
    tag = f"{rf.sha256[:12]}_{choice or 'auto'}"
    with st.expander(t("rep_mapping", lang), expanded=prepared.fit != "fits"):
        mapping = _mapping_editor(rf, prepared, tag, lang)
    report_date = st.date_input(t("rep_date", lang), value=rf.report_date, key=f"rep_date_{tag}", format="DD/MM/YYYY",
                                min_value=dt.date(2019, 1, 1), max_value=dt.date.today(),
                                help=t("rep_date_from_title", lang, title=inert.markdown(" · ".join(rf.title)) or "–"))
    # Page order: preview, profile, check, unmatched names; the names are chosen before the rows are checked.
    preview_box, profile_box, check_box, names_box = st.container(), st.container(), st.container(), st.container()
    with shared.checking(op.username, lang, "ing_checking"):
        base = report.check(rf, mapping, ds.regions, scope, report_date=report_date)
        with names_box:
            resolutions = _resolutions(base.unmatched, ds, scope, tag, lang)
        chk = report.check(rf, mapping, ds.regions, scope, report_date=report_date, resolutions=resolutions) \
            if resolutions else base

    with preview_box:
        st.markdown(f"**{t('rep_preview', lang, n=PREVIEW_ROWS)}**")
        st.dataframe(records_display(chk, lang, PREVIEW_ROWS), hide_index=True, key=f"rep_preview_{tag}")
    with profile_box:
        confirmed_mapping = _profile_saver(rf, mapping, choice, needs_confirm, ds, op, engine, scope, tag, lang)
    with check_box:
        st.subheader(t("rep_check", lang))
        st.write(t("rep_summary", lang, read=fmt_int(chk.rows_read, lang), pekon=fmt_int(chk.n_rows, lang),
                   skipped=fmt_int(len(chk.skipped), lang), matched=fmt_int(chk.matched, lang),
                   unmatched=fmt_int(len(chk.unmatched), lang), excluded=fmt_int(len(chk.excluded), lang),
                   date=fmt_date(chk.report_date, lang) if chk.report_date else "–"))
        if chk.skipped:
            with st.expander(f"{t('rep_skipped', lang)} ({fmt_int(len(chk.skipped), lang)})"):
                st.dataframe(_skipped_frame(chk.skipped, lang), hide_index=True)
        if chk.warnings:
            st.warning(t("rep_warnings", lang, n=fmt_int(len(chk.warnings), lang)) + "\n\n" +
                       "\n".join(f"- {warning_text(w.row, w.column, w.key, dict(w.kw), lang)}" for w in chk.warnings),
                       icon=":material/warning:")
    unmatched_rows = {u.row for u in chk.unmatched}
    other = [i for i in chk.errors if not (i.row in unmatched_rows and i.key.startswith("ing_err_"))]
    if other:
        shown = report.StatusCheck(chk.kind, chk.file_name, chk.sha256, chk.scope, issues=other)
        st.error(t("ing_errors", lang, n=fmt_int(len(other), lang)), icon=":material/error:")
        st.dataframe(validation.issues_frame(shown, lang), hide_index=True)
    if not chk.ok:
        st.stop()
    found = report_check.findings(ds.tables, chk.frames, lang)
    if not found.empty:
        st.info(t("rep_findings", lang, n=fmt_int(len(found), lang)), icon=":material/rule:")
        st.dataframe(findings_display(found, ds.names, lang), hide_index=True)
    with store_guard(lang):
        change = apply.preview(engine, report.KIND, chk.frames)
    st.success(t("ing_clean", lang), icon=":material/check_circle:")
    st.write(t("rep_change", lang, added=fmt_int(change.rows_added, lang), changed=fmt_int(change.rows_changed, lang),
               same=fmt_int(change.rows_unchanged, lang)))
    save_controls(engine, chk, op, scope, "rep", lang, ready=confirmed_mapping)


def save_controls(engine, checked: validation.Report, op, scope: str | None, prefix: str, lang: str,
                  ready: bool = True) -> None:
    """The end of an upload, for templates and status reports alike: refuse a file already waiting or one that
    changes nothing, ask to confirm name matches, then the save button; the notice is shown on the next run
    (``{prefix}_notice``) above a fresh, empty uploader (``{prefix}_nonce``)."""
    with store_guard(lang):
        change = apply.preview(engine, checked.kind, checked.frames)
        dup = apply.pending_duplicate(engine, checked.kind, checked.sha256, scope)
    if dup:
        st.warning(t("ing_pending_dup", lang, id=dup))
        st.stop()
    if change.rows_added + change.rows_changed == 0:
        st.info(t("ing_no_change", lang), icon=":material/info:")
        st.stop()
    confirmed = True
    if checked.needs_confirmation:
        st.markdown(f"**{t('ing_matches', lang)}**")
        st.dataframe(validation.matches_frame(checked, lang), hide_index=True)
        confirmed = st.checkbox(t("ing_matches_ok", lang, n=fmt_int(len(checked.matches), lang)),
                                key=f"{prefix}_matches_ok")
    n = change.rows_added + change.rows_changed
    if st.button(t("ing_confirm", lang, n=fmt_int(n, lang)), type="primary", key=f"{prefix}_confirm",
                 disabled=not confirmed or not ready or not may_upload_for(op, scope)):
        try:
            with store_guard(lang):  # one transaction: a failed save leaves no record behind
                upload_id = apply.submit(engine, checked, op)
                up = store.read_uploads(engine).set_index("upload_id").loc[upload_id]
        except apply.ApplyError as exc:
            st.error(t(exc.key, lang, **exc.kw))
            st.stop()
        st.session_state[f"{prefix}_notice"] = (
            t("ing_saved_applied", lang, id=upload_id, added=fmt_int(up["rows_added"], lang),
              changed=fmt_int(up["rows_changed"], lang)) if up["status"] == "applied"
            else t("ing_saved_pending", lang, id=upload_id))
        st.session_state[f"{prefix}_nonce"] = st.session_state.get(f"{prefix}_nonce", 0) + 1  # an empty uploader
        st.rerun()


def review_panel(ds: Dataset, engine, upload_id: int, lang: str) -> None:
    """Before approving a status report: coverage, villages added/changed, the stage distribution before and
    after, every finding, and what the check skipped or warned about."""
    import json

    with store_guard(lang):
        frames = apply.staged_frames(engine, upload_id)
        details = json.loads(store.read_uploads(engine).set_index("upload_id").at[upload_id, "details"] or "{}")
    if frames["status_reports"].empty:
        return
    rv = report_check.review(ds, frames, lang)
    st.subheader(t("rep_review", lang))
    st.write(t("rep_review_coverage", lang, n=fmt_int(rv.reported, lang), total=fmt_int(rv.desa, lang),
               kab=ds.names[rv.kab], pct=fmt_pct(100 * rv.reported / rv.desa if rv.desa else None, 1, lang),
               date=fmt_date(rv.report_date, lang)))
    st.write(t("rep_review_changes", lang, added=fmt_int(rv.added, lang), changed=fmt_int(rv.changed, lang),
               same=fmt_int(rv.same, lang)))
    if rv.purges_demo:
        st.warning(t("rep_review_purge", lang), icon=":material/science:")
    st.markdown(f"**{t('rep_review_stages', lang, kab=ds.names[rv.kab], date=fmt_date(rv.report_date, lang))}**")
    st.dataframe(pd.DataFrame({
        t("stage_col", lang): rv.stages[label_column(lang)],
        t("rep_col_before", lang): rv.stages["before"], t("rep_col_after", lang): rv.stages["after"],
    }), hide_index=True, key=f"rep_review_stages_{upload_id}")
    for w in details.get("warnings", []):
        st.warning(warning_text(w["row"], w["column"], w["key"], w["kw"], lang), icon=":material/warning:")
    if rv.findings.empty:
        st.caption(t("rep_review_none", lang))
    else:
        st.info(t("rep_findings", lang, n=fmt_int(len(rv.findings), lang)), icon=":material/rule:")
        st.dataframe(findings_display(rv.findings, ds.names, lang), hide_index=True)
    if details.get("skipped") or details.get("excluded"):
        with st.expander(f"{t('rep_skipped', lang)} ({fmt_int(len(details.get('skipped', [])), lang)})"):
            st.dataframe(_skipped_frame(details.get("skipped", []), lang), hide_index=True)
            if details.get("excluded"):
                st.caption(f"{t('rep_exclude', lang)}: {', '.join(str(r) for r in details['excluded'])}")
