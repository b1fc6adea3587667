"""Who has reported, as the pages say it (no streamlit): what a total covers ("1.234 desa dari 6 kabupaten yang
sudah melapor"), the "desa bergabung" headline, the lines of the "Data contoh" banner, what approving an upload
changes, and the reporting tracker's table with localised headers and Indonesian states.

The figures come from ``utils.metrics.reporting`` (``Coverage``, ``Dataset.reporting``, ``tracker``); this
module only translates and formats them.
"""

from __future__ import annotations

import pandas as pd

from utils.data.dataset import Dataset
from utils.i18n import fmt_date, fmt_int, fmt_pct, has_text, t
from utils.metrics import reporting
from utils.metrics.reporting import Coverage, kabupaten_with_desa


def coverage_text(cov: Coverage, names: dict[str, str], lang: str) -> str:
    """"1.234 desa dari 6 kabupaten yang sudah melapor; belum melapor: ..." ("" when nothing is missing)."""
    if not cov.partial:
        return ""
    missing = ", ".join(names.get(k, k) for k in cov.kab_missing)
    if cov.none:
        return t("rep_cov_none", lang, missing=missing)
    return t("rep_cov_partial", lang, desa=fmt_int(cov.desa, lang), kab=fmt_int(len(cov.kab_reported), lang),
             total=fmt_int(cov.desa_total, lang), missing=missing)


def joined_kpi(joined: int, cov: Coverage, pct: float | None, lang: str) -> tuple[str, str | None]:
    """(value, delta) of a "desa bergabung" headline: "belum melapor" for a region none of whose kabupaten
    reported, else joined over the desa covered."""
    if cov.none:
        return t("not_reported", lang), None
    if pct is None and cov.desa:
        pct = 100 * joined / cov.desa
    return f"{fmt_int(joined, lang)} / {fmt_int(cov.desa, lang)}", (fmt_pct(pct, 1, lang) if pct is not None else None)


def demo_marker(ds: Dataset, names: dict[str, str], lang: str) -> list[str]:
    """Lines of the "Data contoh" banner once some data is real: the kinds still entirely demo, and per kind
    that switched to real data the kabupaten that have not reported (their figures are not shown)."""
    lines = []
    if ds.demo_group_list:
        lines.append(t("demo_marker_tables", lang, tables=", ".join(t(f"demo_group_{g}", lang)
                                                                   for g in ds.demo_group_list)))
    kabs = kabupaten_with_desa(ds)
    for group, done in ds.reporting.items():
        missing = [names.get(k, k) for k in sorted(kabs) if k not in done]
        if missing:
            lines.append(t("rep_marker_missing", lang, kind=t(f"demo_group_{group}", lang),
                           n=fmt_int(len(done), lang), missing=", ".join(missing)))
    return lines


def approval_effect(ds: Dataset, kind: str, kab_code: str | None, names: dict[str, str], lang: str) -> str:
    """What approving an upload of ``kind`` for ``kab_code`` changes on every page ("" for nothing to say;
    the decision is ``reporting.approval_effect``)."""
    effect = reporting.approval_effect(ds, kind, kab_code)
    if effect is None:
        return ""
    label = t(f"demo_group_{effect.group}", lang)
    where = names.get(effect.kab_code, effect.kab_code) if effect.kab_code else t("province", lang)
    if effect.first:
        return t("rep_approve_first", lang, kind=label, kab=where)
    return t("rep_approve_next", lang, kind=label, kab=where, n=fmt_int(effect.reporting, lang))


def tracker_display(frame: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The tracker (``reporting.tracker``) as shown and exported: labelled columns, Indonesian states."""

    def kind(k) -> str:
        if k is None or (isinstance(k, float) and pd.isna(k)):
            return "–"
        key = f"ing_kind_{k}" if has_text(f"ing_kind_{k}") else {"bimtek_events": "ing_kind_events",
                                                                 "bimtek_participants": "ing_kind_participants"}.get(k, k)
        return t(key, lang) if has_text(key) else str(k)

    return pd.DataFrame({
        t("trk_col_region", lang): frame["kab_code"].map(names),
        t("trk_col_kind", lang): frame["kind"].map(kind),
        t("trk_col_file", lang): frame["file_name"].fillna("–"),
        t("trk_col_arrived", lang): [f"{fmt_date(d.date(), lang)} {d:%H:%M}" if pd.notna(d) else "–"
                                     for d in frame["uploaded_at"]],
        t("trk_col_from", lang): frame["uploader"].fillna("–"),
        t("trk_col_coverage", lang): [f"{fmt_int(p, lang)} / {fmt_int(n, lang)}" if k is not None and pd.notna(k)
                                      else "–" for p, n, k in zip(frame["pekon"], frame["pekon_total"], frame["kind"],
                                                                  strict=True)],
        t("trk_col_status", lang): frame["status"].map(lambda s: t(f"trk_status_{s}", lang)),
        t("trk_col_due", lang): [fmt_date(d, lang) for d in frame["due"]],
        t("trk_col_late", lang): [t("trk_late" if x else "trk_not_due" if s == "missing" else "trk_on_time", lang)
                                  for x, s in zip(frame["late"], frame["status"], strict=True)],
    })
