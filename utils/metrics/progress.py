"""Adoption and Bimtek progress: funnel, cumulative against target, forecast, coverage, budget, flags.

Pure functions over the village snapshot (``indicators.village_snapshot``) and the programme tables; no
streamlit. Per-region counts and rates come from the shared ``indicators.region_indicators`` table; this
module only adds what that table does not hold (socialised desa, villages with any Bimtek participant,
monthly series, forecasts, event checks). Counting rules as in metrics: adoption over desa only,
Bimtek over desa and kelurahan. Codes and numbers only: the tables and sentences the pages show are built
from them in ``utils.views.progress_display``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from utils.data.dataset import Dataset
from utils.domain.codes import PROVINCE_CODE, in_region, kab_of, region_level
from utils.domain.programme import (
    BIMTEK_BUDGET_PER_VILLAGE_RP,
    PARTICIPANT_ROLES,
    PILLARS,
    STAGES,
)
from utils.metrics import forecast, indicators


def region_row(rows: pd.DataFrame, code: str) -> pd.Series:
    """The shared indicator row (``indicators.region_indicators``) of the villages ``rows`` as one region,
    plus ``socialised`` (desa at outreach or deeper) and ``villages_trained`` (any Bimtek participant)."""
    row = indicators.region_indicators(rows.assign(_region=code), "_region").iloc[0].copy()
    row["socialised"] = int((rows["adoption_applies"] & (rows["stage_order"] >= 1)).sum())
    row["villages_trained"] = int((rows["bimtek_participants"] > 0).sum())
    return row


def child_scope(code: str) -> tuple[str, str]:
    """Which regions a ranking compares: (``by`` column, parent code whose children are shown).

    Province: its kabupaten; kabupaten: its kecamatan; kecamatan or desa: the kecamatan of its kabupaten.
    """
    level = region_level(code)
    if level == "provinsi":
        return "kab_code", PROVINCE_CODE
    kab = kab_of(code)
    assert kab is not None  # a code below the province has a kabupaten
    return "kec_code", kab


def child_indicators(snapshot: pd.DataFrame, code: str) -> pd.DataFrame:
    """``region_indicators`` of the regions a ranking compares for ``code`` (see ``child_scope``)."""
    by, parent = child_scope(code)
    rows = indicators.select(snapshot, parent)
    out = indicators.region_indicators(rows, by)
    out["villages_trained"] = (rows["bimtek_participants"] > 0).groupby(rows[by]).sum().reindex(out.index)
    return out


# ------------------------------------------------------------------------------------------------
# Adoption


def stage_funnel(row: pd.Series) -> pd.DataFrame:
    """The adoption funnel of one region from its ``region_row``.

    One row per stage of ``programme.STAGES``: ``reached`` desa at that stage or deeper (``belum``: all
    desa), ``at_stage`` desa exactly there, ``pct_of_desa`` and ``conversion`` (% of the previous
    stage's ``reached`` that got this far; NaN where the previous count is 0).
    """
    reached = [int(row["desa"]), int(row["socialised"]), int(row["joined"]),
               *(int(row[col]) for col in indicators.DEPTH_STAGES)]
    nxt = [*reached[1:], 0]
    prev = [np.nan, *reached[:-1]]
    desa = reached[0]
    return pd.DataFrame({
        "stage": [s.code for s in STAGES],
        "label_id": [s.label_id for s in STAGES],
        "label_en": [s.label_en for s in STAGES],
        "reached": reached,
        "at_stage": [r - n for r, n in zip(reached, nxt, strict=True)],
        "pct_of_desa": [100 * r / desa if desa else np.nan for r in reached],
        "conversion": [100 * r / p if p else np.nan for r, p in zip(reached, prev, strict=True)],
    })


def yearly_joined(monthly: pd.DataFrame, targets: pd.DataFrame, n_desa: int) -> pd.DataFrame:
    """Desa joined at each year end (the last year: at the series' last date) against the target.

    ``monthly``: cumulative joined (month, joined); ``targets``: year, pct. Columns: year, date,
    joined, pct_joined, target_pct, target_desa (rounded up: 95 % of 41 desa is 39), gap.
    """
    last = monthly.groupby(monthly["month"].dt.year).tail(1)
    out = pd.DataFrame({"year": last["month"].dt.year.to_numpy(), "date": last["month"].to_numpy(),
                        "joined": last["joined"].to_numpy()})
    out = out.merge(targets.rename(columns={"pct": "target_pct"}), on="year", how="left")
    out["pct_joined"] = 100 * out["joined"] / n_desa if n_desa else np.nan
    out["target_desa"] = np.ceil(out["target_pct"] * n_desa / 100 - 1e-9)
    out["gap"] = out["target_desa"] - out["joined"]
    return out[["year", "date", "joined", "pct_joined", "target_pct", "target_desa", "gap"]]


def target_points(targets: pd.DataFrame, n_desa: int) -> pd.DataFrame:
    """The target trajectory as points at 31 December (columns date, year, pct, desa)."""
    rows = targets.dropna(subset=["pct"])
    return pd.DataFrame({
        "date": pd.to_datetime([dt.date(int(y), 12, 31) for y in rows["year"]]),
        "year": rows["year"].to_numpy(),
        "pct": rows["pct"].to_numpy(),
        "desa": np.ceil(rows["pct"].to_numpy() * n_desa / 100 - 1e-9),
    })


def ranking(indicators: pd.DataFrame, names: dict[str, str], value: str) -> pd.DataFrame:
    """Regions sorted by ``value`` (highest first; NaN = not applicable, last) with their names."""
    out = indicators.reset_index()
    out.insert(1, "name", out["code"].map(names))
    return out.sort_values([value, "name"], ascending=[False, True], na_position="last").reset_index(drop=True)


def pillar_table(row: pd.Series) -> pd.DataFrame:
    """Services in use per pillar among the desa that use services: pillar, label_id, label_en, services,
    desa_with (desa using a service of the pillar), users (desa using any service), pct_users (desa_with of
    users). Measured among the users, so it says how broad use is, not again how many desa use services."""
    users = int(row["desa_using_services"])
    with_ = [int(row[f"desa_svc_{p.code}"]) for p in PILLARS]
    return pd.DataFrame({
        "pillar": [p.code for p in PILLARS], "label_id": [p.label_id for p in PILLARS],
        "label_en": [p.label_en for p in PILLARS],
        "services": [int(row[f"svc_{p.code}"]) for p in PILLARS],
        "desa_with": with_, "users": users,
        "pct_users": [100 * n / users if users else np.nan for n in with_],
    })


def laggards(rows: pd.DataFrame) -> pd.DataFrame:
    """Desa not yet joined with their stage and IDM signal/internet, and the kind of gap.

    ``gap`` is ``infra`` when the desa has weak or no mobile signal or no internet at the village office
    (IDM 2024 recommendation rows), else ``programme``; ``unknown`` when the desa has no such rows (not in
    Kemendesa's recommendation workbook: its IDM value comes from Satu Data, which has no signal facts).
    """
    lag = rows[rows["adoption_applies"] & ~rows["joined"]]
    scored = lag["signal"].notna()
    infra = lag["signal"].isin(["lemah", "tidak ada"]) | lag["internet_kantor"].eq(False).fillna(False).astype(bool)
    gap = np.where(~scored, "unknown", np.where(infra, "infra", "programme"))
    out = lag[["kab_code", "kec_code", "stage_order", "status", "signal", "internet_kantor"]].assign(gap=gap)
    return out.reset_index().sort_values(["gap", "kab_code", "kec_code", "code"]).reset_index(drop=True)


@dataclass(frozen=True)
class AdoptionView:
    """Everything the Adopsi page draws for one region and period end."""

    code: str
    row: pd.Series
    funnel: pd.DataFrame
    monthly: pd.DataFrame
    yearly: pd.DataFrame
    targets: pd.DataFrame
    forecast: forecast.Forecast
    forecasts: pd.DataFrame
    ranking: pd.DataFrame
    target_pct: float | None
    pillars: pd.DataFrame
    laggards: pd.DataFrame


def adoption_view(ds: Dataset, snapshot: pd.DataFrame, code: str, as_of: dt.date) -> AdoptionView:
    """Compute the Adopsi page's figures for region ``code`` at ``as_of`` (cache the result)."""
    rows = indicators.select(snapshot, code)
    row = region_row(rows, code)
    if 0 < row.get("desa_reported", row["desa"]) < row["desa"]:  # real data: the desa of kabupaten that reported
        row["desa"] = int(row["desa_reported"])  # funnel, target desa and forecast over those (issue 19)
    n_desa = int(row["desa"])
    monthly = indicators.joined_monthly(ds, code, as_of)
    years = range(int(monthly["month"].dt.year.min()), as_of.year + 1)
    targets = indicators.joined_targets(ds, code, years)
    fcs = forecast.forecasts(ds, snapshot, code, as_of)
    # The region's own forecast by the same method (a kecamatan or desa is a row of the table only when it is
    # one of the compared regions; a desa never is).
    own = fcs[fcs["code"] == code]
    fc = (forecast.Forecast(**own.drop(columns="code").iloc[0].to_dict()) if len(own)
          else forecast.region_forecast(ds, snapshot, code, as_of))
    names = ds.names
    return AdoptionView(
        code=code, row=row, funnel=stage_funnel(row), monthly=monthly,
        yearly=yearly_joined(monthly, targets, n_desa), targets=target_points(targets, n_desa),
        forecast=fc, forecasts=fcs,
        ranking=ranking(child_indicators(snapshot, code), names, "pct_joined"),
        target_pct=None if pd.isna(targets["pct"].iloc[-1]) else float(targets["pct"].iloc[-1]),
        pillars=pillar_table(row), laggards=laggards(rows),
    )


def adoption_chart_frame(view: AdoptionView) -> pd.DataFrame:
    """The one series table behind "Desa bergabung per bulan" on the page, the slide, the PPTX and the PDF.

    One row per month end from the first month to the later of the year's end and the forecast month:
    ``actual`` (desa joined; NaN after the period end), ``target`` (target desa at 31 December of each year
    with a target, NaN between: drawn as a line through the year ends), ``target_pct``, ``projection``
    (the forecast's projected count, ``forecast.Forecast.path``, NaN outside it) and ``range`` (the
    projected level over the months of the forecast range, NaN outside)."""
    monthly, fc = view.monthly, view.forecast
    last = max(monthly["month"].iloc[-1], pd.Timestamp(dt.date(monthly["month"].iloc[-1].year, 12, 31)))
    path = [(pd.Timestamp(d) + pd.offsets.MonthEnd(0), v) for d, v in fc.path]
    early = fc.eta_early if fc.eta else fc.rest_early
    late = (fc.eta_late if fc.eta else fc.rest_late) or (fc.eta or fc.rest_eta)
    ends = [last, *(d for d, _ in path)]
    if early and late:
        ends.append(pd.Timestamp(late) + pd.offsets.MonthEnd(0))
    months = pd.date_range(monthly["month"].iloc[0] + pd.offsets.MonthEnd(0), max(ends), freq="ME")
    out = pd.DataFrame({"month": months})
    actual = monthly.assign(month=monthly["month"] + pd.offsets.MonthEnd(0)).set_index("month")["joined"]
    out["actual"] = out["month"].map(actual).astype("float64")
    targets = view.targets.assign(date=view.targets["date"] + pd.offsets.MonthEnd(0)).set_index("date")
    out["target"] = out["month"].map(targets["desa"]).astype("float64")
    out["target_pct"] = out["month"].map(targets["pct"]).astype("float64")
    projected = pd.Series(dict(path), dtype="float64")
    out["projection"] = out["month"].map(projected[~projected.index.duplicated(keep="last")]).astype("float64")
    out["range"] = np.nan
    if early and late and early != late and path:
        lo, hi = pd.Timestamp(early) + pd.offsets.MonthEnd(0), pd.Timestamp(late) + pd.offsets.MonthEnd(0)
        out.loc[out["month"].between(lo, hi), "range"] = path[-1][1]
    return out


# ------------------------------------------------------------------------------------------------
# Bimtek


def held_participants(ds: Dataset, as_of: dt.date) -> pd.DataFrame:
    """Participation rows of events started by ``as_of``, with the event's dates and kabupaten."""
    events = ds["bimtek_events"]
    events = events[events["start_date"] <= pd.Timestamp(as_of)]
    parts = ds["bimtek_participants"]
    return parts.merge(events[["event_id", "start_date", "end_date", "kab_codes"]], on="event_id")


def event_table(events: pd.DataFrame, venues: pd.DataFrame, parts: pd.DataFrame, code: str,
                as_of: dt.date) -> pd.DataFrame:
    """Events started by ``as_of`` that concern region ``code``: those covering its kabupaten or with a
    participant from it (every event for the province).

    Columns: the event's own, ``venues`` (joined), ``participants``/``villages`` (all rows of the
    event) and ``participants_here``/``villages_here`` (rows from the region). Sorted by start date.
    """
    held = events[events["start_date"] <= pd.Timestamp(as_of)].copy()
    all_rows = parts.groupby("event_id")
    here_parts = parts[in_region(parts["village_code"], code)]
    here = here_parts.groupby("event_id")
    held["venues"] = held["event_id"].map(venues.groupby("event_id")["venue"].agg(", ".join)).fillna("")
    for col, grp in (("participants", all_rows), ("participants_here", here)):
        held[col] = held["event_id"].map(grp.size()).fillna(0).astype(int)
    for col, grp in (("villages", all_rows), ("villages_here", here)):
        held[col] = held["event_id"].map(grp["village_code"].nunique()).fillna(0).astype(int)
    if code != PROVINCE_CODE:
        kab = kab_of(code)
        covers = held["kab_codes"].str.split(",").apply(lambda ks: kab in [k.strip() for k in ks])
        held = held[covers | (held["participants_here"] > 0)]
    return held.sort_values(["start_date", "event_id"]).reset_index(drop=True)


def cumulative_participants(parts: pd.DataFrame, as_of: dt.date, start: dt.date | None = None) -> pd.DataFrame:
    """Cumulative participants at each month end up to ``as_of`` (columns month, participants)."""
    days = parts["start_date"].sort_values()
    first = start or (days.iloc[0].date() if len(days) else as_of)
    months = pd.date_range(pd.Timestamp(first), pd.Timestamp(as_of), freq="ME")
    if len(months) == 0 or months[-1] < pd.Timestamp(as_of):
        months = months.append(pd.DatetimeIndex([pd.Timestamp(as_of)]))
    return pd.DataFrame({"month": months, "participants": days.searchsorted(months, side="right")})


def roles(parts: pd.DataFrame) -> pd.DataFrame:
    """Participants per role (store order): role, label_id, label_en, participants, pct."""
    counts = parts["role"].value_counts()
    total = int(counts.sum())
    n = [int(counts.get(r.code, 0)) for r in PARTICIPANT_ROLES]
    return pd.DataFrame({
        "role": [r.code for r in PARTICIPANT_ROLES], "label_id": [r.label_id for r in PARTICIPANT_ROLES],
        "label_en": [r.label_en for r in PARTICIPANT_ROLES], "participants": n,
        "pct": [100 * v / total if total else np.nan for v in n],
    })


def never_trained(rows: pd.DataFrame) -> pd.DataFrame:
    """Villages (desa and kelurahan) of ``rows`` with no Bimtek participant: code, kab_code, kec_code,
    village_type."""
    out = rows.loc[rows["bimtek_participants"] == 0, ["kab_code", "kec_code", "village_type"]]
    return out.reset_index().sort_values("code").reset_index(drop=True)


@dataclass(frozen=True)
class Budget:
    """Bimtek budget of a region: planned = villages × rate; realised = villages that sent anyone ×
    rate (the store holds no spending records, so the per-village allocation stands in for cost)."""

    per_village: int
    villages: int
    trained: int
    covered: int
    planned: int
    realised: int

    @property
    def pct_realised(self) -> float | None:
        return 100 * self.realised / self.planned if self.planned else None

    @property
    def cost_per_covered(self) -> float | None:
        """Realised spending per village that reached coverage (≥ 2 participants)."""
        return self.realised / self.covered if self.covered else None


def budget_per_village(meta: dict[str, str]) -> int:
    """The Rp allocation per village: the store's ``bimtek_budget_per_village``, else Pergub 38/2023's."""
    try:
        return int(float(meta.get("bimtek_budget_per_village", BIMTEK_BUDGET_PER_VILLAGE_RP)))
    except ValueError:
        return BIMTEK_BUDGET_PER_VILLAGE_RP


def budget(villages: int, trained: int, covered: int, per_village: int) -> Budget:
    """The budget figures of a region from its village counts."""
    return Budget(per_village, villages, trained, covered, villages * per_village, trained * per_village)


def budget_table(indicators: pd.DataFrame, names: dict[str, str], per_village: int) -> pd.DataFrame:
    """Planned and realised budget per region of a ``child_indicators`` table."""
    out = pd.DataFrame({"code": indicators.index, "name": indicators.index.map(names),
                        "villages": indicators["villages"].to_numpy(),
                        "trained": indicators["villages_trained"].to_numpy(),
                        "covered": indicators["villages_2plus"].to_numpy()})
    out["planned"] = out["villages"] * per_village
    out["realised"] = out["trained"] * per_village
    out["cost_per_covered"] = (out["realised"] / out["covered"]).where(out["covered"] > 0)
    return out


def consistency_flags(events: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Checks of each event against its participation rows.

    ``kind``: ``reported_mismatch`` (reported participants or villages differ from the rows, counted
    within ``reported_scope`` when set), ``outside_kab`` (participants from villages outside the
    event's kabupaten), ``no_participants``. Columns: event_id, kind, scope, reported_participants,
    counted_participants, reported_villages, counted_villages, outside.
    """
    flags = []
    by_event = {k: g for k, g in parts.groupby("event_id")}
    for ev in events.itertuples(index=False):
        rows = by_event.get(ev.event_id, parts.iloc[0:0])
        base = {"event_id": ev.event_id, "scope": None, "reported_participants": np.nan,
                "counted_participants": np.nan, "reported_villages": np.nan, "counted_villages": np.nan,
                "outside": 0}
        if rows.empty:
            flags.append({**base, "kind": "no_participants", "counted_participants": 0, "counted_villages": 0})
            continue
        scope = ev.reported_scope if isinstance(ev.reported_scope, str) and ev.reported_scope else None
        scoped = rows[in_region(rows["village_code"], scope)] if scope else rows
        rep_p, rep_v = ev.reported_participants, ev.reported_villages
        cnt_p, cnt_v = len(scoped), scoped["village_code"].nunique()
        if (pd.notna(rep_p) and int(rep_p) != cnt_p) or (pd.notna(rep_v) and int(rep_v) != cnt_v):
            flags.append({**base, "kind": "reported_mismatch", "scope": scope,
                          "reported_participants": rep_p, "counted_participants": cnt_p,
                          "reported_villages": rep_v, "counted_villages": cnt_v})
        kabs = {k.strip() for k in str(ev.kab_codes).split(",")}
        outside = int((~rows["village_code"].str[:5].isin(kabs)).sum())
        if outside:
            flags.append({**base, "kind": "outside_kab", "outside": outside,
                          "counted_participants": len(rows)})
    cols = ["event_id", "kind", "scope", "reported_participants", "counted_participants",
            "reported_villages", "counted_villages", "outside"]
    return pd.DataFrame(flags, columns=cols)


@dataclass(frozen=True)
class BimtekView:
    """Everything the Pelatihan page draws for one region and period end."""

    code: str
    row: pd.Series
    events: pd.DataFrame
    cumulative: pd.DataFrame
    coverage: pd.DataFrame
    target_pct: float | None
    never: pd.DataFrame
    roles: pd.DataFrame
    budget: Budget
    budget_by_region: pd.DataFrame
    flags: pd.DataFrame


def bimtek_view(ds: Dataset, snapshot: pd.DataFrame, code: str, as_of: dt.date) -> BimtekView:
    """Compute the Pelatihan page's figures for region ``code`` at ``as_of`` (cache the result)."""
    rows = indicators.select(snapshot, code)
    row = region_row(rows, code)
    parts = held_participants(ds, as_of)
    here = parts[in_region(parts["village_code"], code)]
    events = event_table(ds["bimtek_events"], ds["bimtek_venues"], ds["bimtek_participants"], code, as_of)
    first = ds["bimtek_events"]["start_date"].min()
    children = child_indicators(snapshot, code)
    per_village = budget_per_village(ds.meta)
    year_target = indicators.target_for(ds, code, as_of.year, "pct_bimtek_2plus")
    return BimtekView(
        code=code, row=row, events=events,
        cumulative=cumulative_participants(here, as_of, first.date() if pd.notna(first) else None),
        coverage=ranking(children, ds.names, "pct_2plus"), target_pct=year_target,
        never=never_trained(rows), roles=roles(here),
        budget=budget(int(row["villages"]), int(row["villages_trained"]), int(row["villages_2plus"]), per_village),
        budget_by_region=budget_table(children, ds.names, per_village),
        flags=consistency_flags(events, ds["bimtek_participants"]),
    )


def village_participation(ds: Dataset, village: str, as_of: dt.date) -> pd.DataFrame:
    """One village's Bimtek participation rows up to ``as_of`` with the event's title, dates and venues.

    The participant's name is dropped here (UU PDP 27/2022 minimisation): nothing downstream can show it."""
    parts = held_participants(ds, as_of)
    rows = parts[parts["village_code"] == village].drop(columns="name", errors="ignore")
    venues = ds["bimtek_venues"].groupby("event_id")["venue"].agg(", ".join).rename("venues")
    titles = ds["bimtek_events"].set_index("event_id")["title"]
    return rows.assign(title=rows["event_id"].map(titles), venues=rows["event_id"].map(venues).fillna("")) \
        .sort_values(["start_date", "participant_id"])


def village_services(services: pd.DataFrame, village: str, as_of: dt.date) -> pd.DataFrame:
    """One desa's services started by ``as_of`` (pillar, service, started_on, ended_on; ended after
    ``as_of`` counts as still in use)."""
    rows = services[(services["village_code"] == village) & (services["started_on"] <= pd.Timestamp(as_of))]
    rows = rows.assign(ended_on=rows["ended_on"].where(rows["ended_on"] <= pd.Timestamp(as_of)))
    return rows[["pillar", "service", "started_on", "ended_on"]].sort_values(["started_on", "service"])
