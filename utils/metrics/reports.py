"""What the kabupaten status reports say, read with their meaning (no streamlit).

A report is an observation as of its ``report_date`` (docs/schema.md "Status reports"): the join date it gives
is exact; the stage it gives was reached *by* the report date, on a day it does not say. So:

- a desa has joined from its exact join date (any report's), else from the first report that shows it at
  Bergabung or deeper (``join_days``), whichever is earliest, together with the exact ``adoption`` rows;
- at a date ``as_of`` its stage is at least the stage of its latest report dated on or before ``as_of``
  (``report_state``); between the join date and that report only Bergabung is known, and no stage date is
  invented;
- the latest report's pillar flags say whether services of a pillar are in use; its operator count is
  evidence, checked in ``utils.metrics.quality``.

Every function takes the dataset's tables (a mapping of frames), so the quality checks use them too.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping
from typing import TypedDict

import pandas as pd

from utils.domain.programme import PILLARS, STAGE_ORDER

JOINED = STAGE_ORDER["bergabung"]
PILLAR_CODES = tuple(p.code for p in PILLARS)


def _rows(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    rows = tables.get("status_report_rows")
    if rows is None or rows.empty:
        return pd.DataFrame(columns=["kab_code", "report_date", "village_code", "joined_on", "stage",
                                     "operators_trained", "stage_order"])
    return rows.assign(stage_order=rows["stage"].map(STAGE_ORDER))


def report_state(tables: Mapping[str, pd.DataFrame], as_of: dt.date) -> pd.DataFrame:
    """Per village (index: village_code) its latest report dated on or before ``as_of``: report_date,
    stage_order (NaN: the report gave none), operators_trained, and ``svc_<pillar>`` (True/False; NA when
    the report had no column for the pillar). Empty when no report is that old."""
    rows = _rows(tables)
    rows = rows[rows["report_date"] <= pd.Timestamp(as_of)]
    cols = ["report_date", "stage_order", "operators_trained", *(f"svc_{p}" for p in PILLAR_CODES)]
    if rows.empty:
        return pd.DataFrame(columns=cols, index=pd.Index([], name="village_code"))
    latest = rows.sort_values("report_date").groupby("village_code").tail(1).set_index("village_code")
    out = latest[["report_date", "stage_order", "operators_trained"]].copy()
    services = tables.get("status_report_services")
    for p in PILLAR_CODES:
        out[f"svc_{p}"] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    if services is not None and not services.empty:
        keyed = services.set_index(["village_code", "report_date", "pillar"])["active"]
        for p in PILLAR_CODES:
            idx = pd.MultiIndex.from_arrays([out.index, out["report_date"], [p] * len(out)])
            out[f"svc_{p}"] = pd.array(keyed.reindex(idx).to_numpy(), dtype="boolean")
    return out


_JOIN_CACHE: dict[tuple[int, int], tuple[weakref.ref, weakref.ref | None, pd.Series]] = {}


def join_days(tables: Mapping[str, pd.DataFrame]) -> pd.Series:
    """The day each village joined (index: village_code): the earliest of its exact ``adoption`` rows at
    Bergabung or deeper, the join dates its reports give, and the date of its first report showing it at
    Bergabung or deeper (known to have joined by then).

    Kept per pair of table objects (the dataset's frames are never mutated; every monthly series of a page
    asks again), weakly referenced so a new store read drops it."""
    adoption, report_rows = tables["adoption"], tables.get("status_report_rows")
    key = (id(adoption), id(report_rows))
    hit = _JOIN_CACHE.get(key)
    if hit is not None and hit[0]() is adoption and (hit[1]() if hit[1] else None) is report_rows:
        return hit[2]
    days = _join_days(tables)

    def forget(_ref: object, key: tuple[int, int] = key) -> None:
        _JOIN_CACHE.pop(key, None)

    _JOIN_CACHE[key] = (weakref.ref(adoption, forget),
                        weakref.ref(report_rows, forget) if report_rows is not None else None, days)
    return days


def _join_days(tables: Mapping[str, pd.DataFrame]) -> pd.Series:
    adoption = tables["adoption"]
    parts = [adoption.loc[adoption["stage"].map(STAGE_ORDER).ge(JOINED), ["village_code", "reached_on"]]
             .set_axis(["village_code", "day"], axis=1)]
    rows = _rows(tables)
    if not rows.empty:
        parts.append(rows.dropna(subset=["joined_on"])[["village_code", "joined_on"]]
                     .set_axis(["village_code", "day"], axis=1))
        parts.append(rows.loc[rows["stage_order"].ge(JOINED), ["village_code", "report_date"]]
                     .set_axis(["village_code", "day"], axis=1))
    days = pd.concat([p for p in parts if not p.empty]) if any(not p.empty for p in parts) else None
    if days is None:
        return pd.Series(dtype="datetime64[us]", name="day")
    return days.groupby("village_code")["day"].min()


def stage_order_at(exact: pd.Series, tables: Mapping[str, pd.DataFrame], as_of: dt.date,
                   state: pd.DataFrame | None = None) -> pd.Series:
    """Stage order per village at the end of ``as_of``: ``exact`` (from dated ``adoption`` rows) raised to
    Bergabung from the join day and to the stage of the latest report on or before ``as_of`` (``state``:
    ``report_state`` at ``as_of`` when already computed)."""
    state = report_state(tables, as_of) if state is None else state
    joined = join_days(tables)
    joined = joined[joined <= pd.Timestamp(as_of)]
    parts = [exact.astype(float), pd.Series(float(JOINED), index=joined.index),
             state["stage_order"].astype(float).dropna()]
    known = [p for p in parts if not p.empty]
    if not known:  # a date before anything is known (the store holding only reports): nothing reached yet
        return pd.Series(dtype=int, index=exact.index)
    return pd.concat(known).groupby(level=0).max().astype(int)


def services_in_use(in_use: pd.DataFrame, state: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """Services in use per village (``index``) and pillar (columns): the ``services`` rows in use, where the
    village's latest report (``state``) says nothing about the pillar; where it does, its real service rows,
    with a "yes" counting as at least one. Demo rows never stand beside a report's real observation."""
    demo = in_use["source"].eq("demo") if "source" in in_use else pd.Series(False, index=in_use.index)

    def per_pillar(rows: pd.DataFrame) -> pd.DataFrame:
        counts = rows.groupby(["village_code", "pillar"]).size().unstack(fill_value=0)
        return counts.reindex(index=index, columns=list(PILLAR_CODES)).fillna(0).astype(int)

    every, real = per_pillar(in_use), per_pillar(in_use[~demo])
    out = every.copy()
    for p in PILLAR_CODES:
        flag = state[f"svc_{p}"].reindex(index) if f"svc_{p}" in state else pd.Series(pd.NA, index=index)
        stated = flag.notna()
        out.loc[stated, p] = real.loc[stated, p].clip(lower=flag[stated].astype(int)).to_numpy()
    return out


def stage_dates(tables: Mapping[str, pd.DataFrame], village: str, as_of: dt.date) -> dict[str, tuple[str, pd.Timestamp]]:
    """For one village, per stage code: ("exact", day) from a dated row or a reported join date, or ("by", day)
    when only a report (or the join date, for Sosialisasi) says it was reached by that day."""
    from utils.domain.programme import STAGES

    end = pd.Timestamp(as_of)
    out: dict[str, tuple[str, pd.Timestamp]] = {}
    adoption = tables["adoption"]
    for stage, day in adoption.loc[(adoption["village_code"] == village) & (adoption["reached_on"] <= end),
                                   ["stage", "reached_on"]].itertuples(index=False):
        out[stage] = ("exact", day)
    rows = _rows(tables)
    rows = rows[(rows["village_code"] == village) & (rows["report_date"] <= end)].sort_values("report_date")
    joined = rows["joined_on"].dropna()
    if not joined.empty and joined.min() <= end and "bergabung" not in out:
        out["bergabung"] = ("exact", joined.min())
    for s in STAGES[1:]:
        if s.code in out:
            continue
        shown = rows.loc[rows["stage_order"].ge(s.order), "report_date"]
        bounds = list(shown.iloc[:1])
        if s.order < JOINED and "bergabung" in out:
            bounds.append(out["bergabung"][1])
        if bounds:
            out[s.code] = ("by", min(bounds))
    return out


class VillageReport(TypedDict):
    report_date: pd.Timestamp
    stage: str | None
    operators_trained: float  # NaN when the report does not say
    active: list[str]  # pillar codes


def village_report(tables: Mapping[str, pd.DataFrame], village: str, as_of: dt.date) -> VillageReport | None:
    """One village's latest report on or before ``as_of``: report_date, stage, operators_trained and the
    pillars reported active (None when no report mentions it by then)."""
    state = report_state(tables, as_of)
    if village not in state.index:
        return None
    row = state.loc[village]
    rows = _rows(tables)
    stage = rows.loc[(rows["village_code"] == village) & (rows["report_date"] == row["report_date"]), "stage"]
    return {"report_date": row["report_date"], "stage": stage.iloc[0] if len(stage) else None,
            "operators_trained": row["operators_trained"],
            "active": [p for p in PILLAR_CODES if pd.notna(row[f"svc_{p}"]) and bool(row[f"svc_{p}"])]}
