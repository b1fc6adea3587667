"""Cached views of the Adopsi page: the region's adoption figures and the charts and tables built from them."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from utils.data.dataset import Dataset
from utils.i18n import fmt_int, t
from utils.metrics import progress
from utils.ui import shared
from utils.ui.cache import versioned
from utils.views import charts
from utils.views import forecast_display as fcd
from utils.views import progress_display as prd


@versioned(max_entries=64)
def view(code: str, as_of: dt.date, _ds: Dataset,
         _snapshot: pd.DataFrame) -> progress.AdoptionView:
    return progress.adoption_view(_ds, _snapshot, code, as_of)


@versioned(max_entries=64)
def parts(code: str, as_of: dt.date, lang: str, _ds: Dataset, _snapshot: pd.DataFrame) -> dict:
    """Figures and tables of one region, period and language, built once (a plotly figure costs
    ~20 ms to build: rebuilding five on every rerun would eat the 200 ms budget)."""
    v = view(code, as_of, _ds, _snapshot)
    names = _ds.names
    detail = [t("adp_rank_hover", lang, n=fmt_int(j, lang), d=fmt_int(d, lang)) if d and ok else
              t("not_reported" if d else "no_desa_note", lang)
              for j, d, ok in zip(v.ranking["joined"], v.ranking["desa"], v.ranking["adoption_reported"], strict=True)]
    return shared.mark_figures({
        "v": v, "funnel": charts.stage_funnel(v.funnel, lang),
        "monthly_data": (frame := progress.adoption_chart_frame(v)),
        "monthly": charts.joined_vs_target(frame, lang, v.forecast),
        "yearly": charts.yearly_vs_target(v.yearly, lang),
        "rank": charts.region_bar(v.ranking, "pct_joined", lang, axis_title=t("adp_pct_joined", lang),
                                  target=v.target_pct, detail=detail, highlight=code,
                                  reported="adoption_reported"),
        "pillar": charts.pillar_bar(v.pillars, lang),
        "forecasts": fcd.forecast_display(v.forecasts, names, lang),
        "laggards": prd.laggard_display(v.laggards, names, lang),
    }, _ds, lang)
