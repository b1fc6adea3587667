"""Tables and sentences of the development indices as pages show them (no streamlit): import check reports,
Indeks Desa coverage, recommendations for a Dinas, the IDM → Indeks Desa status transition, dimensions."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from utils.domain import indeks_desa as ixd
from utils.i18n import fmt_int, fmt_num, t


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


def _num(value: float, lang: str) -> str:
    return "–" if pd.isna(value) else fmt_num(value, 1, lang)


def _names_line(codes: list[str], names: dict[str, str], lang: str, shown: int = 5) -> str:
    head = ", ".join(names.get(c, c) for c in codes[:shown])
    return head + (f" {t('ix_more', lang, n=fmt_int(len(codes) - shown, lang))}" if len(codes) > shown else "")


def recommendations_frame(recs: pd.DataFrame, year: int, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The Dinas PMD follow-ups of one Indeks Desa round as shown: index and year, dimension, item, score,
    action, level, desa (count and the first names)."""
    return pd.DataFrame({  # what to do first (item, score, desa, action), then who and where; index last
        t("ix_rec_col_dimension", lang): [ixd.BY_CODE[d].label(lang) for d in recs["dimension"]],
        t("ix_rec_col_item", lang): recs["item"].astype("str"),
        t("ix_rec_col_score", lang): recs["score"].astype(int).astype("str"),
        t("ix_rec_col_desa", lang): [fmt_int(n, lang) for n in recs["desa"]],
        t("ix_rec_col_action", lang): recs["action"].fillna("–").astype("str"),
        t("ix_rec_col_names", lang): [_names_line(list(c), names, lang) for c in recs["codes"]],
        t("ix_rec_col_level", lang): [t(f"ix_level_{lv}", lang) for lv in recs["level"]],
        t("ix_rec_col_index", lang): f"Indeks Desa {year}",
    })


def recommendations_columns(lang: str) -> dict[str, Literal["small", "medium", "large"]]:
    """Column widths for the follow-ups table (``st.dataframe`` column_config): the action gets the room."""
    return {t("ix_rec_col_dimension", lang): "small", t("ix_rec_col_item", lang): "medium",
            t("ix_rec_col_score", lang): "small", t("ix_rec_col_desa", lang): "small",
            t("ix_rec_col_action", lang): "large", t("ix_rec_col_names", lang): "medium"}


def recommendations_csv(recs: pd.DataFrame, year: int, names: dict[str, str], lang: str) -> pd.DataFrame:
    """One row per follow-up and desa (the CSV a Dinas works from)."""
    long = recs.explode("codes").rename(columns={"codes": "code"})
    return pd.DataFrame({
        t("ix_rec_col_index", lang): f"Indeks Desa {year}",
        t("ix_rec_col_dimension", lang): [ixd.BY_CODE[d].label(lang) for d in long["dimension"]],
        t("ix_rec_col_item", lang): long["item"].astype("str"),
        t("ix_rec_col_score", lang): long["score"].astype(int),
        t("ix_rec_col_action", lang): long["action"].fillna("–").astype("str"),
        t("ix_rec_col_level", lang): [t(f"ix_level_{lv}", lang) for lv in long["level"]],
        t("imp_ix_col_code", lang): long["code"].astype("str"),
        t("ix_rec_col_names", lang): [names.get(c, c) for c in long["code"]],
    })


def dimensions_frame(dims: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Six dimensions per region (``development.dimensions_by_region``): region, desa scored of all, total and
    each dimension (one decimal; "–" where no desa is scored)."""
    out = pd.DataFrame({
        t("ix_col_region", lang): [names.get(c, c) for c in dims.index],
        t("ix_col_scored", lang): [t("ix_of", lang, n=fmt_int(s, lang), total=fmt_int(d, lang)) if d else
                                   t("not_applicable", lang) for s, d in zip(dims["scored"], dims["desa"], strict=True)],
        t("ix_col_total", lang): [_num(v, lang) for v in dims["total"]],
    })
    for d in ixd.DIMENSIONS:
        out[d.label(lang)] = [_num(v, lang) for v in dims[f"dim_{d.code}"]]
    return out


def transition_frame(matrix: pd.DataFrame, year: int, lang: str) -> pd.DataFrame:
    """The IDM 2024 → Indeks Desa status matrix with row and column totals."""
    body = matrix.copy()
    body["Σ"] = body.sum(axis=1)
    body.loc["Σ"] = body.sum(axis=0)
    out = body.map(lambda v: fmt_int(int(v), lang)).reset_index(drop=True)
    out.insert(0, t("ix_transition_row", lang, year=year), list(matrix.index) + ["Σ"])
    return out
