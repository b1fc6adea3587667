"""Tables and sentences of the development indices as pages show them (no streamlit): import check reports,
Indeks Desa coverage, recommendations for a Dinas, the IDM → Indeks Desa status transition, dimensions."""

from __future__ import annotations

import pandas as pd

from utils.domain import indeks_desa as ixd
from utils.i18n import fmt_int, t


def issues_frame(issues: list, lang: str) -> pd.DataFrame:
    """Errors or findings of a read (``indeks_desa.Issue``) as a table: row, desa code, message, column (the
    message first: the column header can be a long item name)."""
    return pd.DataFrame({
        t("imp_ix_col_row", lang): [i.row or "–" for i in issues],
        t("imp_ix_col_code", lang): [i.code or "–" for i in issues],
        t("imp_ix_col_message", lang): [i.message(lang) for i in issues],
        t("imp_ix_col_column", lang): [i.column or "–" for i in issues],
    }).astype("str")


def status_frame(counts: dict[str, int], lang: str, label_key: str = "imp_col_status") -> pd.DataFrame:
    """Desa per status, best first."""
    return pd.DataFrame({t(label_key, lang): list(counts), t("imp_col_count", lang): [fmt_int(v, lang) for v in counts.values()]})


def index_status_counts(desa: pd.DataFrame) -> dict[str, int]:
    """Desa per Indeks Desa status, every status listed (best first)."""
    return {s: int((desa["status"] == s).sum()) for s in ixd.STATUSES}


def years_line(years: dict[int, pd.DataFrame], desa_total: int, lang: str) -> str:
    """"Indeks Desa tersimpan: 2025 (2.446 dari 2.446 desa), 2026 (301 dari 2.446 desa)"."""
    if not years:
        return t("imp_ix_years_none", lang)
    parts = [t("imp_ix_year_cover", lang, year=y, n=fmt_int(len(f), lang), total=fmt_int(desa_total, lang))
             for y, f in sorted(years.items())]
    return t("imp_ix_years", lang, years=", ".join(parts))
