"""Cached views of the Pelatihan (Bimtek) page: the region's training figures and the charts and tables built
from them."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from utils.data.dataset import Dataset
from utils.i18n import fmt_int, t
from utils.metrics import progress
from utils.ui import shared
from utils.ui.cache import versioned
from utils.views import charts
from utils.views import progress_display as prd


@versioned(max_entries=64)
def view(code: str, as_of: dt.date, _ds: Dataset,
         _snapshot: pd.DataFrame) -> progress.BimtekView:
    return progress.bimtek_view(_ds, _snapshot, code, as_of)


@versioned(max_entries=64)
def parts(code: str, as_of: dt.date, lang: str, _ds: Dataset, _snapshot: pd.DataFrame) -> dict:
    """Figures and tables of one region, period and language, built once (plotly figures and
    formatted tables cost tens of ms each: too much to rebuild on every rerun)."""
    v = view(code, as_of, _ds, _snapshot)
    names, cov = _ds.names, v.coverage
    detail = [t("btk_cov_hover", lang, c=fmt_int(c, lang), n=fmt_int(n, lang), k=fmt_int(k, lang))
              for c, n, k in zip(cov["villages_2plus"], cov["villages"], cov["kelurahan"], strict=True)]
    return shared.mark_figures({
        "v": v, "events_fig": charts.events_timeline(v.events, v.cumulative, lang),
        "events": prd.event_display(v.events, names, lang, here=code != progress.PROVINCE_CODE),
        "coverage": charts.region_bar(cov, "pct_2plus", lang, axis_title=t("btk_pct_2plus", lang),
                                      target=v.target_pct, detail=detail, highlight=code),
        "roles": charts.roles_bar(v.roles, lang), "never": prd.never_display(v.never, names, lang),
        "budget": charts.budget_bar(v.budget_by_region, lang),
        "flags": prd.flag_display(v.flags, names, lang),
    }, _ds, lang)
