"""Tables and sentences of the development indices as pages show them (no streamlit): import check reports,
Indeks Desa coverage, recommendations for a Dinas, the IDM → Indeks Desa status transition, dimensions, and the
source of every IDM 2024 / Indeks Desa figure (edition per desa, source lines under totals and maps).

The figures come from ``utils.metrics.development``; this module only translates and formats them."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from utils.domain import indeks_desa as ixd
from utils.domain.codes import in_region
from utils.domain.idm import EDITION_SATUDATA, EDITION_WORKBOOK
from utils.i18n import fmt_int, fmt_num, label, t
from utils.metrics.development import Coverage, coverage, idm_source_counts, indeks_year


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
        t("ix_rec_col_dimension", lang): [label(ixd.BY_CODE[d], lang) for d in recs["dimension"]],
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
        t("ix_rec_col_dimension", lang): [label(ixd.BY_CODE[d], lang) for d in long["dimension"]],
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
        out[label(d, lang)] = [_num(v, lang) for v in dims[f"dim_{d.code}"]]
    return out


def transition_frame(matrix: pd.DataFrame, year: int, lang: str) -> pd.DataFrame:
    """The IDM 2024 → Indeks Desa status matrix with row and column totals."""
    body = matrix.copy()
    body["Σ"] = body.sum(axis=1)
    body.loc["Σ"] = body.sum(axis=0)
    out = body.map(lambda v: fmt_int(int(v), lang)).reset_index(drop=True)
    out.insert(0, t("ix_transition_row", lang, year=year), list(matrix.index) + ["Σ"])
    return out


# --------------------------------------------------------------------------------------------------
# Where the figures come from: IDM 2024 editions, the Indeks Desa round's coverage and scores


def idm_label(edition: object, carried: object, year: int, lang: str) -> str:
    """The source of one desa's IDM value: ``IDM 2024 (Kemendesa, rekomendasi)``, ``IDM 2024 (Satu Data, nilai
    2023)`` …; an imported year without an edition column is Kemendesa's workbook."""
    carried = bool(carried) if pd.notna(carried) else False
    if edition == EDITION_SATUDATA:
        return t("idm_edition_satudata_2023" if carried else "idm_edition_satudata", lang, year=year)
    return t("idm_edition_rekomendasi_2023" if carried else "idm_edition_rekomendasi", lang, year=year)


def idm_labels(idm: pd.DataFrame, lang: str) -> pd.Series:
    """``idm_label`` per row of an IDM frame (index as the frame's)."""
    edition = idm["edition"] if "edition" in idm else pd.Series(EDITION_WORKBOOK, index=idm.index)
    carried = idm["carried_2023"] if "carried_2023" in idm else pd.Series(False, index=idm.index)
    return pd.Series([idm_label(e, c, int(y), lang) for e, c, y in zip(edition, carried, idm["year"], strict=True)],
                     index=idm.index, dtype="str")


def idm_source_line(idm: pd.DataFrame, code: str, lang: str) -> str:
    """One sentence naming where region ``code``'s IDM values come from (edition counts)."""
    n = idm_source_counts(idm, code)
    return t("idm_sources", lang, workbook=fmt_int(n["workbook"], lang), satudata=fmt_int(n["satudata"], lang),
             carried=fmt_int(n["carried"], lang))


def source_line(source: str, ds, code: str, as_of_year: int, lang: str) -> str:
    """The source sentence of a figure family in region ``code`` (``ds``: the Dataset): ``idm`` (values by
    edition), ``idm_rec`` (signal and internet: only desa with Kemendesa's recommendation rows) or ``indeks``
    (the period's Indeks Desa round: coverage and where its scores come from)."""
    if source == "indeks":
        year = indeks_year(ds.indeks_desa, as_of_year)
        return "" if year is None else indeks_source_line(ds.indeks_desa[year], ds.regions, code, year, lang)
    idm = ds.idm
    if source == "idm":
        return idm_source_line(idm, code, lang)
    rows = idm[in_region(idm["code"], code)]
    known = int(rows["signal"].notna().sum())
    return t("infra_sources", lang, known=fmt_int(known, lang), unknown=fmt_int(len(rows) - known, lang))


def coverage_label(cov: Coverage, lang: str) -> str:
    """"Indeks Desa 2025: 299 dari 2.446 desa" (partial) or "Indeks Desa 2025: 2.446 desa"."""
    key = "ix_cov_partial" if cov.partial else "ix_cov_full"
    return t(key, lang, year=cov.year, n=fmt_int(cov.scored, lang), total=fmt_int(cov.desa, lang))


def indeks_source_line(frame: pd.DataFrame, regions: pd.DataFrame, code: str, year: int, lang: str) -> str:
    """Index, year, coverage, where the scores and statuses come from (file or dashboard, third-party bands)."""
    cov = coverage(frame, regions, code, year)
    rows = frame[in_region(frame["code"], code)]
    computed = int(rows["total_source"].eq("dashboard").sum()) if "total_source" in rows else 0
    banded = int(rows["status_source"].eq("bands").sum())
    parts = [coverage_label(cov, lang) + (" " + t("ix_partial_note", lang) if cov.partial else "")]
    parts.append(t("ix_src_scores_dashboard", lang, n=fmt_int(computed, lang)) if computed else t("ix_src_scores_file", lang))
    if banded:
        parts.append(t("ix_src_status_bands", lang, n=fmt_int(banded, lang)))
    return " ".join(parts)
