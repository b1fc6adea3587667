"""When a region reaches its joining target: one method for every level, used by the Adopsi page, the deck,
the PPTX and the PDF (docs/progress.md, "Forecast").

The *parts* are the kecamatan (the smallest region whose pace is worth fitting: a desa is joined or not).
Each part has its desa, the desa joined at the period end and a *pace*: the slope of a least-squares line
through the desa joined at the period end and at the same day of each of the 12 months before (13 points).
A part is *done* when it has reached its own target (its kabupaten's percent of its desa, rounded up),
*stalled* when it is short of it and gained no desa in those 12 months, else *progressing*.

A region is the sum of its parts. Its projected count at a later month is the sum of every part's count
projected at that part's pace (never above the part's desa); it reaches its target (its own percent of its
desa) the first month that sum gets there. When stalled parts hold back desa the sum cannot reach, the
forecast says so rather than give one date or one refusal: "N desa di K kecamatan tanpa kemajuan 12 bulan
terakhir; sisanya <bulan>", where <bulan> is when the progressing parts reach theirs. The range: every part
at its pace ± 2 standard errors of its slope. A parent's forecast therefore follows from its children's:
the province from its kabupaten, a kabupaten from its kecamatan, and the sums agree at every level.

Statuses, dates and counts only: the words (estimate, range, KPI tile, table) are in
``utils.views.forecast_display``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from utils.data.dataset import Dataset
from utils.domain.codes import PROVINCE_CODE, kab_of, region_level
from utils.metrics import indicators

#: Months of history the pace uses (13 points: the period end and the same day of the 12 months before).
WINDOW_MONTHS = 12
#: Half-width of the forecast range in standard errors of each part's fitted pace (about a 95 % interval).
RANGE_SE = 2.0
#: Forecasts beyond this many months are reported as "more than ten years", not as a date.
HORIZON_MONTHS = 120
DAYS_PER_MONTH = 365.25 / 12
#: Statuses of a forecast, in the order a table would sort them.
REACHED, ON_PACE, STALLED, NO_DESA = "reached", "on_pace", "stalled", "no_desa"


@dataclass(frozen=True)
class Forecast:
    """When a region reaches ``target`` desa joined.

    ``status``: ``reached`` (``reached_on``: the month end it first got there), ``on_pace`` (``eta``, with
    the range ``eta_early``..``eta_late``; ``eta`` None: beyond ten years; ``eta_late`` None: the slow end
    of the range never gets there), ``stalled`` (``stalled_desa`` desa in ``stalled_parts`` parts short of
    their target with no progress keep the sum below the target; ``rest_desa`` desa still needed in the
    progressing parts, reached at ``rest_eta``, range ``rest_early``..``rest_late``), or ``no_desa``.
    ``pace``: desa per month of the parts still short of their target. ``single``: the region is itself
    one part (a kecamatan or a desa), so "in K kecamatan" is not said. ``path``: the projected count at each
    month end up to the forecast month, for the chart.
    """

    status: str
    current: int
    target: int
    desa: int = 0
    pace: float = 0.0
    pace_se: float = 0.0
    eta: dt.date | None = None
    eta_early: dt.date | None = None
    eta_late: dt.date | None = None
    reached_on: dt.date | None = None
    stalled_desa: int = 0
    stalled_parts: int = 0
    rest_desa: int = 0
    rest_eta: dt.date | None = None
    rest_early: dt.date | None = None
    rest_late: dt.date | None = None
    single: bool = False
    path: tuple[tuple[dt.date, float], ...] = field(default=(), repr=False)

    @property
    def remaining(self) -> int:
        return max(self.target - self.current, 0)


# ------------------------------------------------------------------------------------------------ parts


def _kab(code: str) -> str:
    """The kabupaten of a code below the province (a desa, kecamatan or kabupaten: never None there)."""
    kab = kab_of(code)
    assert kab is not None  # only the province has no kabupaten
    return kab


def window_points(as_of: dt.date, months: int = WINDOW_MONTHS) -> pd.DatetimeIndex:
    """The 13 days the pace is fitted on: ``as_of`` and the same day of each of the ``months`` before
    (a month end: the month ends before it, 30 June → 31 May → 30 April …)."""
    end = pd.Timestamp(as_of)
    step = pd.offsets.MonthEnd if end.is_month_end else lambda k: pd.DateOffset(months=k)
    return pd.DatetimeIndex([end - step(k) if k else end for k in range(months, -1, -1)])


def _month_number(days: pd.DatetimeIndex | pd.Series) -> np.ndarray:
    """Calendar months as numbers (month ends are whole numbers, a mid-month date a fraction), so a
    series rising by the same count every month is exactly linear despite months of unequal length."""
    d = pd.Series(days)
    return (d.dt.year * 12 + d.dt.month - 1 + d.dt.day / d.dt.days_in_month).to_numpy(dtype=float)


def fit_parts(counts: pd.DataFrame, desa: pd.Series, target: pd.Series) -> pd.DataFrame:
    """Pace and state of each part from its cumulative counts at the window points.

    ``counts``: one row per part (index), one column per window point (timestamps, oldest first);
    ``desa`` and ``target``: per part. Returns desa, current, target, pace (fitted desa per month; 0 when
    the part gained nothing in the window or the slope is not positive), pace_se, done, stalled.
    """
    y = counts.to_numpy(dtype=float)
    x = _month_number(pd.DatetimeIndex(counts.columns))
    x = x - x[-1]
    xc = x - x.mean()
    sxx = float((xc ** 2).sum())
    n_points = len(x)
    if len(y) and sxx > 0 and n_points >= 3:
        slope = (y - y.mean(axis=1, keepdims=True)) @ xc / sxx
        resid = y - (y.mean(axis=1, keepdims=True) + np.outer(slope, xc))
        se = np.sqrt((resid ** 2).sum(axis=1) / (n_points - 2) / sxx)
        gained = y[:, -1] > y[:, 0]
    else:
        slope = se = np.zeros(len(y))
        gained = np.zeros(len(y), dtype=bool)
    current = y[:, -1].astype(int) if len(y) else np.zeros(0, dtype=int)
    progressing = gained & (slope > 1e-9)
    out = pd.DataFrame({"desa": desa.reindex(counts.index).to_numpy(dtype=int), "current": current,
                        "target": target.reindex(counts.index).to_numpy(dtype=int),
                        "pace": np.where(progressing, slope, 0.0), "pace_se": np.where(progressing, se, 0.0)},
                       index=counts.index)
    out["done"] = out["current"] >= out["target"]
    out["stalled"] = ~out["done"] & ~progressing
    return out


def target_pcts(ds: Dataset, codes: list[str] | set[str], year: int) -> dict[str, float]:
    """The joining target (percent) in force at the end of ``year`` for the kabupaten of ``codes`` and the
    province (targets are set per kabupaten; its kecamatan and desa share them)."""
    kabs = sorted({kab_of(c) or PROVINCE_CODE for c in codes} | {PROVINCE_CODE})
    return {kab: indicators.target_pct(ds, kab, year) for kab in kabs}


def part_table(ds: Dataset, snapshot: pd.DataFrame, scope: str, as_of: dt.date,
               pcts: dict[str, float] | None = None) -> pd.DataFrame:
    """``fit_parts`` for the parts of region ``scope``: its kecamatan (a desa: itself alone).

    Only parts with desa are listed (kelurahan and the two kota are outside adoption). ``pcts``: a
    ``target_pcts`` lookup covering the scope (computed when not given).
    """
    rows = indicators.select(snapshot, scope)
    desa = rows[rows["adoption_applies"]]
    key = desa.index.to_series() if region_level(scope) == "desa" else desa["kec_code"]
    codes, uniques = pd.factorize(key, sort=True)
    days = indicators.join_dates(ds).reindex(desa.index).to_numpy(dtype="datetime64[ns]")
    points = window_points(as_of)
    joined = [np.bincount(codes, weights=days <= p.to_datetime64(), minlength=len(uniques)) for p in points]
    index = pd.Index(uniques, name="code")
    counts = pd.DataFrame(np.column_stack(joined) if len(uniques) else np.zeros((0, len(points))),
                          index=index, columns=points)
    n = pd.Series(np.bincount(codes, minlength=len(uniques)), index=index)
    pcts = target_pcts(ds, list(index), as_of.year) if pcts is None else pcts
    target = pd.Series([indicators.target_desa(pcts[_kab(c)], int(d)) for c, d in n.items()], index=index)
    return fit_parts(counts, n, target)


# ------------------------------------------------------------------------------------------------ sums


def _projected(parts: pd.DataFrame, pace: np.ndarray, months: float) -> float:
    """The parts' summed count ``months`` after the period end at ``pace`` (each capped at its desa)."""
    cur, n = parts["current"].to_numpy(float), parts["desa"].to_numpy(float)
    return float(np.where(pace > 0, np.minimum(cur + pace * months, np.maximum(n, cur)), cur).sum())


def months_to(parts: pd.DataFrame, goal: float, pace: np.ndarray | None = None) -> float:
    """Months after the period end until the parts' projected sum reaches ``goal`` (0: already; inf: never).

    The sum is piecewise linear (a part stops growing once all its desa joined): walk its break points."""
    pace = parts["pace"].to_numpy(float) if pace is None else pace
    cur, n = parts["current"].to_numpy(float), parts["desa"].to_numpy(float)
    if cur.sum() >= goal - 1e-9:
        return 0.0
    grows = pace > 1e-12
    if np.where(grows, np.maximum(n, cur), cur).sum() < goal - 1e-9:
        return math.inf
    full = np.where(grows, (np.maximum(n, cur) - cur) / np.where(grows, pace, 1.0), np.inf)
    start = 0.0
    for stop in sorted({0.0, *full[np.isfinite(full)].tolist()})[1:] + [math.inf]:
        rate = float(pace[grows & (full > start + 1e-12)].sum())
        level = _projected(parts, pace, start)
        if rate > 0 and level + rate * (stop - start) >= goal - 1e-9:
            return start + (goal - level) / rate
        start = stop
    return math.inf  # pragma: no cover - the cap check above makes this unreachable


def _after(day: pd.Timestamp, months: float) -> dt.date | None:
    if not math.isfinite(months) or months > HORIZON_MONTHS:
        return None
    months = round(months, 6)  # 9.9999999 months is 10: keep float noise off the calendar
    whole = int(months)
    return (day + pd.DateOffset(months=whole) + pd.Timedelta(days=(months - whole) * DAYS_PER_MONTH)).date()


def _range(parts: pd.DataFrame, goal: float, end: pd.Timestamp) -> tuple[dt.date | None, dt.date | None]:
    pace, se = parts["pace"].to_numpy(float), parts["pace_se"].to_numpy(float)
    fast = np.where(pace > 0, pace + RANGE_SE * se, 0.0)
    slow = np.where(pace > 0, np.maximum(pace - RANGE_SE * se, 0.0), 0.0)
    return _after(end, months_to(parts, goal, fast)), _after(end, months_to(parts, goal, slow))


def _path(parts: pd.DataFrame, end: pd.Timestamp, months: float) -> tuple[tuple[dt.date, float], ...]:
    """The projected sum at the period end, at each month after it up to ``months``, and at ``months``."""
    if not math.isfinite(months) or months > HORIZON_MONTHS:
        return ()
    pace = parts["pace"].to_numpy(float)
    steps = [*range(0, int(math.floor(months)) + 1), months]
    out: list[tuple[dt.date, float]] = []
    for m in steps:
        day = _after(end, m)
        if day is not None and (not out or day > out[-1][0]):
            out.append((day, _projected(parts, pace, m)))
    return tuple(out)


def combine(parts: pd.DataFrame, target: int, end: dt.date, reached_on: dt.date | None = None,
            single: bool = False) -> Forecast:
    """The forecast of a region made of ``parts`` (``fit_parts`` rows) with its own ``target`` desa.

    ``reached_on``: the month end the region first had ``target`` desa (when it has them now)."""
    day = pd.Timestamp(end)
    n, current = int(parts["desa"].sum()), int(parts["current"].sum())
    if n == 0:
        return Forecast(NO_DESA, 0, 0, single=single)
    base: dict[str, Any] = dict(current=current, target=target, desa=n, single=single)
    if current >= target:
        return Forecast(REACHED, reached_on=reached_on, **base)
    short = parts[~parts["done"]]
    moving = short[short["pace"] > 0]
    pace = float(moving["pace"].sum())
    pace_se = float(math.sqrt((moving["pace_se"] ** 2).sum()))
    base.update(pace=pace, pace_se=pace_se)
    months = months_to(parts, target)
    if math.isfinite(months):
        early, late = _range(parts, target, day)
        return Forecast(ON_PACE, eta=_after(day, months), eta_early=early, eta_late=late,
                        path=_path(parts, day, months), **base)
    stalled = short[short["stalled"]]
    held = int((stalled["target"] - stalled["current"]).sum())
    rest_goal = target - held
    rest = max(rest_goal - current, 0)
    rest_months = months_to(parts, rest_goal) if rest else 0.0
    early, late = _range(parts, rest_goal, day) if rest else (None, None)
    return Forecast(STALLED, stalled_desa=held, stalled_parts=len(stalled), rest_desa=rest,
                    rest_eta=_after(day, rest_months) if rest else None, rest_early=early, rest_late=late,
                    path=_path(parts, day, rest_months) if rest else (), **base)


def _reached_on(days: pd.Series, target: int, as_of: dt.date) -> dt.date | None:
    """The month end by which ``target`` of the join ``days`` had happened (the period end at the latest)."""
    if target <= 0:
        return None
    ordered = days.sort_values()
    if len(ordered) < target:
        return None
    month_end = ordered.iloc[target - 1] + pd.offsets.MonthEnd(0)
    return min(month_end.date(), as_of)


def _region_parts(parts: pd.DataFrame, code: str) -> pd.DataFrame:
    if code == PROVINCE_CODE:
        return parts
    idx = parts.index.to_series()
    return parts[(idx == code) | idx.str.startswith(code + ".")]


def _join_days(ds: Dataset) -> pd.DataFrame:
    """Join day of every joined desa with its kabupaten and kecamatan code (for per-region filters)."""
    days = indicators.join_dates(ds)
    codes = days.index.to_series()
    return pd.DataFrame({"day": days.to_numpy(), "kab": codes.str[:5].to_numpy(), "kec": codes.str[:8].to_numpy()},
                        index=days.index)


def region_forecast(ds: Dataset, snapshot: pd.DataFrame, code: str, as_of: dt.date,
                    parts: pd.DataFrame | None = None, days: pd.DataFrame | None = None,
                    pcts: dict[str, float] | None = None) -> Forecast:
    """The forecast of region ``code`` (any level) at ``as_of``. ``parts`` (a ``part_table`` covering the
    region), ``days`` (``_join_days``) and ``pcts`` (``target_pcts``) are computed when not given."""
    level = region_level(code)
    pcts = target_pcts(ds, [code], as_of.year) if pcts is None else pcts
    if parts is None or level == "desa":
        parts = part_table(ds, snapshot, code, as_of, pcts)
    mine = _region_parts(parts, code)
    target = indicators.target_desa(pcts[kab_of(code) or PROVINCE_CODE], int(mine["desa"].sum()))
    days = _join_days(ds) if days is None else days
    column = {"kabupaten": "kab", "kecamatan": "kec"}.get(level)
    here = days if level == "provinsi" else days[days[column] == code] if column else days.loc[days.index == code]
    here = here.loc[here["day"] <= pd.Timestamp(as_of), "day"]
    return combine(mine, target, as_of, _reached_on(here, target, as_of), single=level in ("kecamatan", "desa"))


def forecasts(ds: Dataset, snapshot: pd.DataFrame, code: str, as_of: dt.date) -> pd.DataFrame:
    """Forecast rows for the region of the filter's scope and each region its ranking compares (province +
    kabupaten, or a kabupaten + its kecamatan). Columns: code and the ``Forecast`` fields."""
    level = region_level(code)
    scope = PROVINCE_CODE if level == "provinsi" else _kab(code)
    by = "kab_code" if level == "provinsi" else "kec_code"
    children = indicators.select(snapshot, scope)[by].drop_duplicates().tolist()
    pcts = target_pcts(ds, [scope, *children], as_of.year)
    parts = part_table(ds, snapshot, scope, as_of, pcts)
    days = _join_days(ds)
    return pd.DataFrame([{"code": region, **region_forecast(ds, snapshot, region, as_of, parts, days, pcts).__dict__}
                         for region in [scope, *children]])
