"""Indicators and roll-ups over the village list: one snapshot per period end, then sums per region.

Counting rules (sources/README.md, DESIGN.md): adoption counts over desa only (kelurahan and the two kota
are "tidak berlaku", never 0); Bimtek counts over every village, kelurahan included.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from utils.data.dataset import Dataset
from utils.domain.codes import PROVINCE_CODE, among, region_level
from utils.domain.idm import IDM_STATUSES, status_column
from utils.domain.indeks_desa import DIMENSION_CODES
from utils.domain.indeks_desa import STATUSES as ID_STATUSES
from utils.domain.programme import PILLARS, PROGRAMME_START_YEAR, STAGE_ORDER, STAGES
from utils.metrics import development, evidence, reporting, reports

JOINED = STAGE_ORDER["bergabung"]
#: Indeks Desa columns joined to the snapshot: source column -> snapshot column.
INDEKS_SOURCE = {"status": "id_status", "total": "id_total", **{f"dim_{d}": f"id_dim_{d}" for d in DIMENSION_CODES}}
#: Deeper adoption stages as indicator columns of the snapshot/region table: column -> stage code.
DEPTH_STAGES = {"operator_trained": "operator_terlatih", "services_active": "layanan_aktif",
                "integrated": "data_terintegrasi"}
PILLAR_CODES = tuple(p.code for p in PILLARS)
#: The programme's joining target when the targets table sets none: every desa by the end of 2024.
DEFAULT_JOINED_TARGET = (2024, 100.0)
#: A village counts as trained once it has at least this many Bimtek participants.
BIMTEK_MIN_PARTICIPANTS = 2


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def village_snapshot(ds: Dataset, as_of: dt.date) -> pd.DataFrame:
    """One row per village (index: code) with its programme state at the end of ``as_of``."""
    regions = ds.regions
    villages = regions.loc[regions["level"] == "desa", ["code", "kab_code", "kec_code", "village_type"]]
    snap = villages.set_index("code")
    end = _ts(as_of)

    adoption = ds["adoption"]
    reached = adoption[adoption["reached_on"] <= end]
    stage = reached["stage"].map(STAGE_ORDER).groupby(reached["village_code"]).max()
    # Status reports: joined from the exact join date, the reported stage from the report date on.
    reported = reports.report_state(ds.tables, as_of)
    stage = reports.stage_order_at(stage, ds.tables, as_of, reported)
    snap["adoption_applies"] = snap["village_type"].eq("desa")
    snap["adoption_reported"] = reporting.reported(ds, "adoption", snap["kab_code"])  # else "belum melapor"
    snap["stage_order"] = stage.reindex(snap.index).fillna(0).astype(int).where(snap["adoption_applies"], 0)
    snap["joined"] = snap["adoption_applies"] & (snap["stage_order"] >= JOINED)
    for col, stage in DEPTH_STAGES.items():
        snap[col] = snap["adoption_applies"] & (snap["stage_order"] >= STAGE_ORDER[stage])

    services = ds["services"]
    in_use = services[(services["started_on"] <= end) & (services["ended_on"].isna() | (services["ended_on"] > end))]
    counts = reports.services_in_use(in_use, reported, snap.index)  # service rows and reported pillar flags
    for pillar in PILLAR_CODES:
        snap[f"svc_{pillar}"] = counts[pillar]
    snap["in_report"] = among(snap.index, reported.index)
    snap["operators_reported"] = pd.array(reported["operators_trained"].reindex(snap.index), dtype="Int64")
    snap["services"] = snap[[f"svc_{p}" for p in PILLAR_CODES]].sum(axis=1)
    snap["all_pillars"] = (snap[[f"svc_{p}" for p in PILLAR_CODES]] > 0).all(axis=1)

    events = ds["bimtek_events"]
    held = events.loc[events["start_date"] <= end, "event_id"]
    parts = ds["bimtek_participants"]
    parts = parts[parts["event_id"].isin(held)]
    snap["bimtek_participants"] = parts.groupby("village_code").size().reindex(snap.index).fillna(0).astype(int)
    snap["bimtek_2plus"] = snap["bimtek_participants"] >= BIMTEK_MIN_PARTICIPANTS

    officers = _serving(ds["officers"], end)
    snap["officers"] = officers.groupby("village_code").size().reindex(snap.index).fillna(0).astype(int)

    # Freshness: the latest dated record of any programme table for the village, up to ``end``.
    dated = [reached[["village_code", "reached_on"]].set_axis(["village_code", "day"], axis=1),
             in_use[["village_code", "started_on"]].set_axis(["village_code", "day"], axis=1),
             officers.dropna(subset=["appointed_on"])[["village_code", "appointed_on"]]
             .set_axis(["village_code", "day"], axis=1),
             parts.merge(events[["event_id", "start_date"]], on="event_id")[["village_code", "start_date"]]
             .set_axis(["village_code", "day"], axis=1),
             reported["report_date"].rename("day").rename_axis("village_code").reset_index()]
    last = pd.concat([d for d in dated if not d.empty]) if any(not d.empty for d in dated) else None
    snap["last_update"] = (last.groupby("village_code")["day"].max().reindex(snap.index)
                           if last is not None else pd.Series(pd.NaT, index=snap.index))

    # Stage-evidence disagreements (metrics.evidence), shown beside the stage wherever it is shown.
    found = evidence.disagreements(ds.tables, snap.index[snap["adoption_applies"]], as_of)
    snap["evidence_issues"] = found.groupby("village_code")["stage"].agg(lambda s: ",".join(sorted(set(s)))) \
        .reindex(snap.index).fillna("")

    cols = [c for c in ("status", "nilai", "signal", "internet_kantor", "edition", "carried_2023") if c in ds.idm]
    idm = ds.idm.set_index("code")[cols]
    snap = snap.join(idm, how="left")
    # The Indeks Desa round of the period (the latest up to its year): status, total and the six dimensions.
    year = development.indeks_year(ds.indeks_desa, as_of.year)
    frame = ds.indeks_desa[year] if year is not None else pd.DataFrame(columns=["code", *INDEKS_SOURCE])
    indeks = frame.set_index("code")[list(INDEKS_SOURCE)].rename(columns=INDEKS_SOURCE)
    snap = snap.join(indeks.astype({c: "float64" for c in INDEKS_SOURCE.values() if c != "id_status"}), how="left")
    snap["id_status"] = snap["id_status"].astype("str")
    return snap


def select(snapshot: pd.DataFrame, code: str) -> pd.DataFrame:
    """Rows of the snapshot inside region ``code`` (any level)."""
    level = region_level(code)
    if level == "provinsi":
        return snapshot
    if level == "kabupaten":
        return snapshot[snapshot["kab_code"] == code]
    if level == "kecamatan":
        return snapshot[snapshot["kec_code"] == code]
    return snapshot.loc[snapshot.index == code]


_FRAME_CACHE: dict[tuple[int, str], tuple[weakref.ref, object]] = {}


def _per_frame(frame, name: str, build):  # -> whatever ``build(frame)`` returns
    """``build(frame)`` computed once per (object, name): a dataset and its frames are never mutated, so a
    derived look-up can be kept as long as the table (or the ``Dataset``) lives (weakly referenced: the entry
    goes with it, so a new store read drops it)."""
    key = (id(frame), name)
    hit = _FRAME_CACHE.get(key)
    if hit is not None and hit[0]() is frame:
        return hit[1]
    value = build(frame)

    def forget(dead: weakref.ref, key: tuple[int, str] = key) -> None:
        if _FRAME_CACHE.get(key, (None,))[0] is dead:  # not a newer object that took the same id
            _FRAME_CACHE.pop(key, None)

    _FRAME_CACHE[key] = (weakref.ref(frame, forget), value)
    return value


def _target_lookup(targets: pd.DataFrame) -> dict[tuple[str, str, int], float]:
    """{(indicator, region, year): value} of a targets table (pages look targets up per region, year and
    indicator; filtering the frame each time cost ~20 ms a look-up)."""
    return _per_frame(targets, "targets", lambda f: {
        (str(i), str(r), int(y)): float(v)
        for i, r, y, v in zip(f["indicator"], f["region_code"], f["year"], f["value"], strict=True)})


def target_for(ds: Dataset, code: str, year: int, indicator: str) -> float | None:
    """The year's target for ``code``: its kabupaten's own, else the province's; None when not set."""
    lookup = _target_lookup(ds["targets"])
    kab = ".".join(code.split(".")[:2]) if code != PROVINCE_CODE else PROVINCE_CODE
    for region in (kab, PROVINCE_CODE):
        value = lookup.get((indicator, region, int(year)))
        if value is not None:
            return value
    return None


def targets_for(ds: Dataset, codes, year: int, indicator: str) -> pd.Series:
    """``target_for`` of each region code (index: codes; NaN where no target is set for ``year``)."""
    codes = list(codes)
    return pd.Series([target_for(ds, c, year, indicator) for c in codes], index=codes, dtype="float64")


def joined_targets(ds: Dataset, code: str, years: range) -> pd.DataFrame:
    """The ``pct_bergabung`` target at 31 December of each year (columns year, pct; NaN: none yet).

    Uses ``target_for`` (the kabupaten's own target, else the province's). A target once set
    holds for later years without one; with no target at all the programme's 100 % by 2024 applies.
    """
    values = [target_for(ds, code, year, "pct_bergabung") for year in years]
    if all(v is None for v in values):
        due, pct = DEFAULT_JOINED_TARGET
        values = [pct if year >= due else None for year in years]
    series = pd.Series([np.nan if v is None else v for v in values], index=list(years), dtype=float).ffill()
    return pd.DataFrame({"year": list(years), "pct": series.to_numpy()})


def target_pct(ds: Dataset, code: str, year: int) -> float:
    """The region's joining target (percent) in force at the end of ``year``; NaN when none applies."""
    return float(joined_targets(ds, code, range(PROGRAMME_START_YEAR, year + 1))["pct"].iloc[-1])


def target_desa(pct: float, n_desa: int) -> int:
    """Desa that make a ``pct`` target (rounded up: 95 % of 41 desa is 39); all desa when no target."""
    if pd.isna(pct):
        return n_desa
    return int(math.ceil(pct * n_desa / 100 - 1e-9))


@dataclass
class Summary:
    """Headline figures of one region at one period end."""

    code: str
    n_villages: int
    n_desa: int
    n_kelurahan: int
    joined: int
    pct_joined: float | None  # None: "tidak berlaku" (no desa in the region)
    target_pct_joined: float | None
    bimtek_participants: int
    villages_2plus: int
    pct_2plus: float | None
    officers: int
    idm_status: dict[str, int] = field(default_factory=dict)
    idm_scored: int = 0
    no_signal: int = 0
    weak_signal: int = 0
    no_internet: int = 0  # no internet at the village office (the only internet fact the source separates)
    signal_known: int = 0  # desa with signal/internet facts (those in the IDM recommendation workbook)
    stage_counts: dict[str, int] = field(default_factory=dict)


def summarise(ds: Dataset, snapshot: pd.DataFrame, code: str, year: int) -> Summary:
    """Headline figures for region ``code`` from a village snapshot."""
    rows = select(snapshot, code)
    desa = rows[rows["adoption_applies"]]
    n_desa = len(desa)
    joined = int(desa["joined"].sum())
    status = desa["status"].value_counts()
    return Summary(
        code=code,
        n_villages=len(rows),
        n_desa=n_desa,
        n_kelurahan=int((rows["village_type"] == "kelurahan").sum()),
        joined=joined,
        pct_joined=100 * joined / n_desa if n_desa else None,
        target_pct_joined=target_for(ds, code, year, "pct_bergabung") if n_desa else None,
        bimtek_participants=int(rows["bimtek_participants"].sum()),
        villages_2plus=int(rows["bimtek_2plus"].sum()),
        pct_2plus=100 * rows["bimtek_2plus"].mean() if len(rows) else None,
        officers=int(rows["officers"].sum()),
        idm_status={s: int(status.get(s, 0)) for s in IDM_STATUSES},
        idm_scored=int(desa["status"].notna().sum()),
        no_signal=int((desa["signal"] == "tidak ada").sum()),
        weak_signal=int((desa["signal"] == "lemah").sum()),
        no_internet=int(desa["internet_kantor"].eq(False).sum()),
        signal_known=int(desa["signal"].notna().sum()),
        stage_counts={c: int((desa["stage_order"] == i).sum()) for c, i in STAGE_ORDER.items()},
    )


def rollup(snapshot: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per kabupaten (``by='kab_code'``) or kecamatan (``'kec_code'``), for tables and checks."""
    grouped = snapshot.groupby(by)
    return pd.DataFrame({
        "villages": grouped.size(),
        "desa": grouped["adoption_applies"].sum(),
        "joined": grouped["joined"].sum(),
        "bimtek_participants": grouped["bimtek_participants"].sum(),
        "villages_2plus": grouped["bimtek_2plus"].sum(),
        "officers": grouped["officers"].sum(),
    })


def region_indicators(snapshot: pd.DataFrame, by: str) -> pd.DataFrame:
    """The shared indicator table, one row per region (``by``: ``kab_code``, ``kec_code`` or ``code``
    for single villages). Used by the map, the progress rankings and the evaluation scorecard.

    Adoption rates are over desa and NaN where a region has no desa ("tidak berlaku", never 0);
    Bimtek rates are over all villages; IDM figures over desa with a score. ``last_update`` is the
    latest programme record of any village in the region.
    """
    snap = snapshot.reset_index() if by == "code" else snapshot
    desa = snap[snap["adoption_applies"]]
    # One grouping per kind of figure (sums over all villages, counts and means over desa), not one per column:
    # the table has ~60 columns and the pages, the warm-up and the exports ask for it per region and period.
    all_keys, desa_keys = snap[by], desa[by]
    using = desa["services"] > 0
    sums = pd.DataFrame({
        "kelurahan": snap["village_type"] == "kelurahan",
        **{f"svc_{p}": snap[f"svc_{p}"] for p in PILLAR_CODES},
        "services": snap["services"], "bimtek_participants": snap["bimtek_participants"],
        "villages_2plus": snap["bimtek_2plus"], "officers": snap["officers"],
    }).groupby(all_keys).sum()
    villages = all_keys.groupby(all_keys).size()
    counts = pd.DataFrame({
        "desa": pd.Series(True, index=desa.index),
        "joined": desa["joined"],
        **{col: desa[col] for col in DEPTH_STAGES},
        **{f"desa_svc_{p}": desa[f"svc_{p}"] > 0 for p in PILLAR_CODES},
        "desa_using_services": using,
        "desa_all_pillars": using & desa["all_pillars"],
        "desa_with_officer": desa["officers"] > 0,
        "idm_scored": desa["status"].notna(),
        **{status_column(s): desa["status"] == s for s in IDM_STATUSES},
        "no_signal": desa["signal"] == "tidak ada",
        "weak_signal": desa["signal"] == "lemah",
        "no_internet": desa["internet_kantor"].eq(False),
        "signal_known": desa["signal"].notna(),
        "id_scored": desa["id_status"].notna(),
        **{f"id_{s.lower().replace(' ', '_')}": desa["id_status"] == s for s in ID_STATUSES},
    }, index=desa.index).groupby(desa_keys).sum().reindex(villages.index).fillna(0).astype(int)
    id_means = ("id_total", *(f"id_dim_{d}" for d in DIMENSION_CODES))
    means = desa[["stage_order", "nilai", *id_means]].groupby(desa_keys).mean().reindex(villages.index)

    def desa_rate(count: pd.Series, over: pd.Series) -> pd.Series:
        return (100 * count / over).where(over > 0)

    n_desa = counts["desa"]
    cols: dict[str, pd.Series] = {"villages": villages, "kelurahan": sums["kelurahan"], "desa": n_desa,
                                  "joined": counts["joined"], "pct_joined": desa_rate(counts["joined"], n_desa)}
    for col in DEPTH_STAGES:
        cols[col] = counts[col]
        cols[f"pct_{col}"] = desa_rate(counts[col], n_desa)
    cols["mean_stage"] = means["stage_order"]
    for pillar in PILLAR_CODES:
        cols[f"svc_{pillar}"] = sums[f"svc_{pillar}"]
        cols[f"desa_svc_{pillar}"] = counts[f"desa_svc_{pillar}"]
        cols[f"pct_svc_{pillar}"] = desa_rate(counts[f"desa_svc_{pillar}"], n_desa)
    cols["services"] = sums["services"]
    # Breadth of use, measured among the desa that use services (not over all desa: it would then be a
    # subset of "services in use" and count those desa again). A desa is broad when it uses a service of
    # every pillar.
    for col in ("desa_using_services", "desa_all_pillars"):
        cols[col] = counts[col]
    cols["pct_all_pillars"] = desa_rate(counts["desa_all_pillars"], counts["desa_using_services"])
    cols["bimtek_participants"] = sums["bimtek_participants"]
    cols["villages_2plus"] = sums["villages_2plus"]
    cols["pct_2plus"] = 100 * sums["villages_2plus"] / villages
    cols["officers"] = sums["officers"]
    cols["desa_with_officer"] = counts["desa_with_officer"]
    cols["pct_officer"] = desa_rate(counts["desa_with_officer"], n_desa)
    cols["idm_scored"] = counts["idm_scored"]
    cols["idm_mean"] = means["nilai"]
    for status in IDM_STATUSES:
        cols[status_column(status)] = counts[status_column(status)]
    for col in ("no_signal", "weak_signal", "no_internet", "signal_known"):
        cols[col] = counts[col]
    # Signal and internet are known only for desa with IDM recommendation rows: rates over those desa.
    cols["pct_signal_gap"] = desa_rate(counts["no_signal"] + counts["weak_signal"], counts["signal_known"])
    # Indeks Desa of the snapshot's round: desa scored, mean total and dimensions, desa per status.
    cols["id_scored"] = counts["id_scored"]
    for col in id_means:
        cols[col] = means[col]
    for status in ID_STATUSES:
        col = f"id_{status.lower().replace(' ', '_')}"
        cols[col] = counts[col]
    cols["last_update"] = snap.groupby(all_keys)["last_update"].max()
    out = pd.DataFrame(cols)
    out.index.name = "code"
    return reporting.mask_unreported(out, snap, by)


def joined_monthly(ds: Dataset, code: str, as_of: dt.date, start: dt.date = dt.date(2020, 1, 1)) -> pd.DataFrame:
    """Cumulative desa joined at each month end from ``start`` to ``as_of`` (columns: month, joined); a desa
    counts from its join day (``join_dates``: exact dates where known, report dates otherwise)."""
    days = _joined_days(ds, code, as_of)
    months = pd.date_range(_ts(start), _ts(as_of), freq="ME")
    if len(months) == 0 or months[-1] < _ts(as_of):
        months = months.append(pd.DatetimeIndex([_ts(as_of)]))
    counts = days.sort_values().searchsorted(months, side="right")
    return pd.DataFrame({"month": months, "joined": counts})


def joined_at(ds: Dataset, code: str, day: dt.date) -> int:
    """Desa joined in region ``code`` by the end of ``day``."""
    return len(_joined_days(ds, code, day))


def join_dates(ds: Dataset) -> pd.Series:
    """The day each desa joined (index: village code): the earliest of its dated stage rows at Bergabung or
    deeper, the join dates kabupaten status reports give and the date of its first report at Bergabung or
    deeper (``reports.join_days``, the rule the snapshot's ``joined`` uses). Desa only."""
    def build(ds: Dataset) -> pd.Series:
        regions, days = ds.regions, reports.join_days(ds.tables)
        return days[among(days.index, regions.loc[(regions["level"] == "desa") & regions["village_type"].eq("desa"),
                                                  "code"])]

    # Once per Dataset object (a load, or a copy with other tables, is a new one): the overview's trend and
    # KPIs ask for it on every rerun (0.27 s of CPU a rerun at national scale). Never mutate the result.
    return _per_frame(ds, "join_dates", build)


def _joined_days(ds: Dataset, code: str, day: dt.date) -> pd.Series:
    """Join days of the desa of region ``code`` that joined by the end of ``day``."""
    days = join_dates(ds)
    days = days[days <= _ts(day)]
    if code != PROVINCE_CODE:
        idx = days.index.to_series()
        days = days[(idx == code) | idx.str.startswith(code + ".")]
    return days


def year_earlier(day: dt.date) -> dt.date:
    """The same date a year earlier (29 February → 28 February)."""
    return (pd.Timestamp(day) - pd.DateOffset(years=1)).date()


def stage_history(ds: Dataset, village: str, as_of: dt.date) -> pd.DataFrame:
    """One village's adoption stages in programme order: ``reached_on`` the exact day (a dated row or a
    reported join date; NaT: not known), ``reached_by`` the report date by which a status report says the stage
    was reached when its exact day is not known (``reports.stage_dates``; NaT otherwise)."""
    known = reports.stage_dates(ds.tables, village, as_of)
    stages = [s for s in STAGES if s.order > 0]
    return pd.DataFrame({
        "stage": [s.code for s in stages],
        "label_id": [s.label_id for s in stages],
        "label_en": [s.label_en for s in stages],
        "reached_on": pd.to_datetime([known[s.code][1] if known.get(s.code, ("",))[0] == "exact" else pd.NaT
                                      for s in stages]),
        "reached_by": pd.to_datetime([known[s.code][1] if known.get(s.code, ("",))[0] == "by" else pd.NaT
                                      for s in stages]),
    })


def officer_names(ds: Dataset, village: str, as_of: dt.date) -> list[str]:
    """Names of the Smart Village officers appointed in one village by ``as_of``."""
    rows = _serving(ds["officers"], _ts(as_of))
    return rows.loc[rows["village_code"] == village, "name"].dropna().tolist()


def _serving(officers: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Officers appointed by ``end``; an unknown appointment date counts as serving (it is optional)."""
    return officers[officers["appointed_on"].isna() | (officers["appointed_on"] <= end)]
