"""Cached view of the Kualitas Data page: the per-kabupaten table as shown, the findings, the village labels."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from utils.data.dataset import Dataset
from utils.data.wilayah import village_labels
from utils.i18n import fmt_date, fmt_int, fmt_pct, t
from utils.metrics import indicators, quality
from utils.ui.cache import versioned
from utils.views import quality_display


@versioned(max_entries=8)
def findings(as_of: dt.date, _ds: Dataset, _snapshot: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(findings as codes and numbers; the per-kabupaten roll-up): about a second of work, done once per period
    and shared by both languages."""
    issues = quality.find_issues(_ds.tables, _ds.regions, _ds.data_as_of, as_of=as_of, idm=_ds.idm_base,
                                 indeks=_ds.indeks_desa)
    return issues, quality.quality_table(_snapshot, indicators.region_indicators(_snapshot, "kab_code"), _ds.tables, issues)


@versioned(max_entries=16)
def view(as_of: dt.date, lang: str, _ds: Dataset, _snapshot: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """(per-kabupaten table as shown, indexed by kab_code; findings worded; village labels): a few hundred
    formatted cells and sentences, done once per period and language over ``findings``."""
    issues, table = findings(as_of, _ds, _snapshot)
    shown = pd.DataFrame({
        t("qual_col_region", lang): table.index.map(_ds.names),
        t("qual_col_villages", lang): [fmt_int(v, lang) for v in table["villages"]],
        t("qual_col_reporting", lang): [fmt_int(v, lang) for v in table["reporting"]],
        t("qual_col_pct_reporting", lang): [fmt_pct(v, 1, lang) for v in table["pct_reporting"]],
        t("qual_col_filled", lang): [fmt_pct(v, 1, lang) for v in table["pct_filled"]],
        t("qual_col_last", lang): [fmt_date(d.date(), lang) if pd.notna(d) else "–" for d in table["last_update"]],
        t("qual_col_issues", lang): [fmt_int(v, lang) for v in table["villages_with_issues"]],
        **{t(f"qual_rule_{r}", lang): [fmt_int(v, lang) for v in table[r]] for r in quality.RULES if table[r].any()},
    }, index=table.index)
    return shown, quality_display.describe(issues, lang), village_labels(_ds.regions).set_index("code")["label"]
