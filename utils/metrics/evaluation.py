"""Per-kabupaten programme evaluation: indicators against targets, RAG status, composite score and rank.

Pure functions over the shared indicator table (``indicators.region_indicators``); no streamlit. The
methodology (definitions, thresholds, weights) is written out in docs/evaluation.md and on the page.

Scoring in one paragraph: each indicator's *attainment* is value ÷ target (for "lower is better",
target ÷ value), in percent. RAG: green ≥ 100 %, amber ≥ 85 %, red below. The indicator's *score* is its
attainment capped at 100. The composite is the weighted mean of the scores of the indicators that apply
and have data; weights of "tidak berlaku" / "tidak ada data" indicators are left out and the rest
re-normalised, so a missing figure is never scored zero. Ranks are on the values as shown (one decimal);
ties share the best rank ("1, 2, 2, 4").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from utils.domain.filters import quarter_end
from utils.domain.idm import IDM_STATUSES, status_column
from utils.metrics.development import Coverage, IndeksRound

#: RAG thresholds on attainment (percent of target reached).
RAG_GREEN = 100.0
RAG_AMBER = 85.0
#: Status codes of one indicator for one region.
GREEN, AMBER, RED, NOT_APPLICABLE, NO_DATA = "green", "amber", "red", "not_applicable", "no_data"
RAG_STATUSES = (GREEN, AMBER, RED)
#: Trend length: quarter ends shown before the period end.
TREND_QUARTERS = 8
FIRST_QUARTER_END = dt.date(2020, 3, 31)
#: Who can act, as the IDM recommendation workbook names its columns (parquet column -> header).
ACTORS = {"pusat": "PUSAT", "provinsi": "PROVINSI", "kabupaten": "KABUPATEN", "desa": "DESA",
          "swasta": "SWASTA", "masyarakat": "MASYARAKAT"}
_DIGITAL = r"sinyal|internet|telepon seluler|informasi|website|siskeudes|komputer"


@dataclass(frozen=True)
class Indicator:
    """One scorecard indicator: what it reads and how it scores. Its name, short name and definition are UI
    strings (``ind_<id>_label``, ``ind_<id>_short``, ``ind_<id>_def``), shown by ``views.evaluation_display``.

    ``column``: the column of ``indicators.region_indicators`` it reads (``last_update`` for freshness, turned
    into days). ``target_indicator``: the ``targets`` table key (None: no official target). Without a target
    for the year, ``default_target`` is used, else the province value as a benchmark.
    """

    id: str
    source: str
    column: str
    target_indicator: str | None
    weight: float
    direction: str = "higher"  # "higher" or "lower" is better
    adoption: bool = True  # counted over desa only: "tidak berlaku" where a region has no desa
    unit: str = "pct"  # "pct" (0-100) or "days"
    default_target: float | None = None
    village_column: str = ""  # snapshot column that says whether one village meets the indicator
    among: str | None = None  # id of the indicator whose desa this one is measured among (its denominator)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("joined", "adoption", "pct_joined", "pct_bergabung", 20, village_column="joined"),
    Indicator("services", "adoption", "pct_services_active", "pct_layanan_aktif", 20, village_column="services_active"),
    Indicator("bimtek", "bimtek_participants, bimtek_events", "pct_2plus", "pct_bimtek_2plus", 20, adoption=False,
              village_column="bimtek_2plus"),
    Indicator("breadth", "services", "pct_all_pillars", None, 15, village_column="all_pillars", among="services"),
    Indicator("integrated", "adoption", "pct_integrated", "pct_data_terintegrasi", 15, village_column="integrated"),
    Indicator("fresh", "adoption, services, officers, bimtek_participants", "last_update", None, 10, direction="lower",
              adoption=False, unit="days", default_target=30, village_column="last_update"),
)
BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}
DEFAULT_WEIGHTS: dict[str, float] = {i.id: float(i.weight) for i in INDICATORS}


# --------------------------------------------------------------------------- weights


@dataclass(frozen=True)
class Weights:
    """Weights in percent that sum to 100, and what had to be done to get there."""

    values: dict[str, float]
    entered_total: float
    normalised: bool = False  # the entered weights did not sum to 100
    defaults_used: bool = False  # every entered weight was zero (or missing): defaults used
    negatives: tuple[str, ...] = ()  # indicator ids whose negative weight was treated as 0


def normalise_weights(entered: Mapping[str, float | None], defaults: Mapping[str, float] = DEFAULT_WEIGHTS) -> Weights:
    """Scale user weights to sum to 100 %. Negative or missing weights count as 0; all zero → defaults."""
    clean: dict[str, float] = {}
    negatives = []
    for key in defaults:
        value = entered.get(key)
        v = 0.0 if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
        if v < 0:
            negatives.append(key)
            v = 0.0
        clean[key] = v
    total = sum(clean.values())
    if total <= 0:
        return Weights(dict(defaults), total, normalised=False, defaults_used=True, negatives=tuple(negatives))
    scaled = {k: 100 * v / total for k, v in clean.items()}
    return Weights(scaled, total, normalised=not math.isclose(total, 100, abs_tol=1e-6), negatives=tuple(negatives))


# --------------------------------------------------------------------------- values and scoring


def indicator_values(table: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One column per indicator id from a ``region_indicators`` table (freshness in days to ``as_of``)."""
    out = pd.DataFrame(index=table.index)
    for ind in INDICATORS:
        if ind.unit == "days":
            last = pd.to_datetime(table[ind.column])
            out[ind.id] = (pd.Timestamp(as_of) - last).dt.days.astype("float64")
        else:
            out[ind.id] = table[ind.column].astype("float64")
    return out


def attainment(value: pd.Series | float, target: pd.Series | float, direction: str = "higher") -> pd.Series:
    """Percent of target reached (NaN where value or target is missing). A target of 0 is always met."""
    v = pd.Series(value, dtype="float64") if not isinstance(value, pd.Series) else value.astype("float64")
    tgt = pd.Series(target, index=v.index, dtype="float64") if not isinstance(target, pd.Series) else target.astype("float64")
    if direction == "lower":
        # Days: at or under the target is 100 %; over it, target / value.
        ratio = np.where(v <= tgt, 1.0, tgt / v.where(v > 0))
    else:
        ratio = np.where(tgt <= 0, 1.0, v / tgt.where(tgt > 0))
    out = pd.Series(100 * ratio, index=v.index, dtype="float64")
    return out.where(v.notna() & tgt.notna())


def rag(att: pd.Series) -> pd.Series:
    """green ≥ RAG_GREEN, amber ≥ RAG_AMBER, red below; NaN → ``no_data``."""
    # Compare on one decimal, as shown: 99.96 % shows as "100,0%" and must read as met.
    a = att.round(1)
    out = pd.Series(np.select([a >= RAG_GREEN, a >= RAG_AMBER, a.notna()], [GREEN, AMBER, RED], NO_DATA),
                    index=att.index, dtype="object")
    return out


def shared_rank(values: pd.Series, higher_is_better: bool = True, digits: int = 1) -> pd.Series:
    """Rank 1 = best; equal values (at ``digits`` decimals, as shown) share the best rank; NaN gets no rank."""
    shown = values.astype("float64").round(digits)
    return shown.rank(method="min", ascending=not higher_is_better).astype("Int64")


TargetLookup = Callable[[str, str], "float | None"]  # (region code, target indicator) -> percent or None


@dataclass
class Scorecard:
    """The evaluation of a set of regions at one period end.

    ``long``: one row per (code, indicator): value, target, target_basis, gap, attainment, score, status,
    rank (on that indicator; none when not applicable / no data). ``summary``: one row per code: composite,
    rank, scored (indicators in the composite), plus prev_rank / rank_change after ``with_previous``.
    """

    long: pd.DataFrame
    summary: pd.DataFrame
    as_of: dt.date
    weights: Weights
    excluded: pd.DataFrame = field(default_factory=pd.DataFrame)  # code, indicator, status (na / no data)

    def wide(self, column: str) -> pd.DataFrame:
        """``column`` of ``long`` as a code × indicator table (indicators in definition order)."""
        return self.long.pivot(index="code", columns="indicator", values=column)[[i.id for i in INDICATORS]]

    def row(self, code: str) -> pd.DataFrame:
        """One region's indicators in definition order."""
        return self.long[self.long["code"] == code].set_index("indicator").loc[[i.id for i in INDICATORS]]


def score_indicators(table: pd.DataFrame, province: pd.Series, targets: TargetLookup, as_of: dt.date) -> pd.DataFrame:
    """Every region × indicator of ``table`` (a ``region_indicators`` frame) scored against its target.

    ``province``: the province's row of the same table (benchmark for indicators without a target).
    ``targets(code, target_indicator)``: e.g. ``lambda c, k: metrics.target_for(ds, c, year, k)``.
    Returns the weight-free part of ``Scorecard.long`` (weights only enter the composite).
    """
    values = indicator_values(table, as_of)
    prov_values = indicator_values(province.to_frame().T, as_of).iloc[0]
    no_desa = table["desa"] == 0
    frames = []
    for ind in INDICATORS:
        value = values[ind.id]
        target, basis = [], []
        for code in table.index:
            tgt = targets(code, ind.target_indicator) if ind.target_indicator else None
            if tgt is not None:
                target.append(tgt)
                basis.append("target")
            elif ind.default_target is not None:
                target.append(ind.default_target)
                basis.append("default")
            else:
                target.append(prov_values[ind.id])
                basis.append("province")
        tgt_s = pd.Series(target, index=table.index, dtype="float64")
        att = attainment(value, tgt_s, ind.direction)
        status = rag(att)
        if ind.adoption:  # no desa: the indicator does not apply, whatever the numbers say
            status = status.where(~no_desa, NOT_APPLICABLE)
        status = status.where(~(value.isna() & status.ne(NOT_APPLICABLE)), NO_DATA)
        gap = (value - tgt_s) if ind.direction == "higher" else (tgt_s - value)
        frames.append(pd.DataFrame({
            "code": table.index, "indicator": ind.id, "value": value.to_numpy(), "target": tgt_s.to_numpy(),
            "target_basis": basis, "gap": gap.to_numpy(), "attainment": att.to_numpy(),
            "score": att.clip(upper=100).to_numpy(), "status": status.to_numpy(),
            "rank": shared_rank(value.where(status.isin(RAG_STATUSES)), ind.direction == "higher",
                                0 if ind.unit == "days" else 1).to_numpy(),
        }))
    return pd.concat(frames, ignore_index=True)


def compose(scored: pd.DataFrame, as_of: dt.date, weights: Weights | Mapping[str, float] | None = None) -> Scorecard:
    """Composite score and rank from ``score_indicators`` output and (user) weights."""
    w = weights if isinstance(weights, Weights) else normalise_weights(weights or DEFAULT_WEIGHTS)
    long = scored.assign(weight=scored["indicator"].map(w.values).fillna(0.0))
    used = long[long["status"].isin(RAG_STATUSES) & (long["weight"] > 0)]
    wsum = used.groupby("code")["weight"].sum()
    composite = (used["score"] * used["weight"]).groupby(used["code"]).sum() / wsum
    summary = pd.DataFrame(index=pd.Index(long["code"].drop_duplicates(), name="code"))
    summary["composite"] = composite.reindex(summary.index)
    summary["scored"] = used.groupby("code").size().reindex(summary.index).fillna(0).astype(int)
    summary["rank"] = shared_rank(summary["composite"])
    excluded = long.loc[long["status"].isin([NOT_APPLICABLE, NO_DATA]), ["code", "indicator", "status"]]
    return Scorecard(long=long, summary=summary, as_of=as_of, weights=w, excluded=excluded.reset_index(drop=True))


def build_scorecard(table: pd.DataFrame, province: pd.Series, targets: TargetLookup, as_of: dt.date,
                    weights: Weights | Mapping[str, float] | None = None) -> Scorecard:
    """``score_indicators`` then ``compose``: the whole scorecard of the regions of ``table``."""
    return compose(score_indicators(table, province, targets, as_of), as_of, weights)


def with_previous(current: Scorecard, previous: Scorecard | None) -> Scorecard:
    """Add ``prev_rank`` and ``rank_change`` (positive: moved up) from the previous period's scorecard
    (None: there is no earlier period; both stay empty)."""
    summary = current.summary.copy()
    summary["prev_rank"] = (previous.summary["rank"].reindex(summary.index) if previous is not None
                            else pd.Series(pd.NA, index=summary.index, dtype="Int64"))
    summary["rank_change"] = (summary["prev_rank"] - summary["rank"]).astype("Int64")
    return Scorecard(current.long, summary, current.as_of, current.weights, current.excluded)


def period_scorecard(scored: Callable[[dt.date], pd.DataFrame], as_of: dt.date,
                     weights: Weights | Mapping[str, float] | None = None) -> Scorecard:
    """The scorecard the Evaluasi page shows at ``as_of``: ``compose`` of ``scored(as_of)`` (``score_indicators``
    at a date) with its rank change against the previous quarter end (none before the programme's first)."""
    w = weights if isinstance(weights, Weights) else normalise_weights(weights or DEFAULT_WEIGHTS)
    card = compose(scored(as_of), as_of, w)
    prev = previous_quarter_end(as_of)
    return with_previous(card, compose(scored(prev), prev, w) if prev >= FIRST_QUARTER_END else None)


def previous_quarter_end(day: dt.date) -> dt.date:
    """The last quarter end strictly before ``day`` (31 Oct 2026 → 30 Sep 2026; 30 Sep → 30 Jun)."""
    q = (day.month - 1) // 3 + 1
    end = quarter_end(day.year, q)
    if end < day:
        return end
    return quarter_end(day.year - 1, 4) if q == 1 else quarter_end(day.year, q - 1)


def trend_dates(as_of: dt.date, quarters: int = TREND_QUARTERS) -> list[dt.date]:
    """The ``quarters`` quarter ends before ``as_of`` (not before the programme's first quarter), then ``as_of``."""
    dates = [as_of]
    while len(dates) <= quarters and (prev := previous_quarter_end(dates[0])) >= FIRST_QUARTER_END:
        dates.insert(0, prev)
    return dates


def trend(tables: Mapping[dt.date, pd.DataFrame], code: str | None = None) -> pd.DataFrame:
    """Indicator values at each date (columns: date, code, indicator, value); one region's rows with ``code``."""
    frames = []
    for day, table in sorted(tables.items()):
        rows = table.loc[[code]] if code is not None and code in table.index else table if code is None else None
        if rows is None:
            continue
        values = indicator_values(rows, day).rename_axis("code").reset_index()
        long = values.melt(id_vars="code", var_name="indicator", value_name="value")
        frames.append(long.assign(date=pd.Timestamp(day)))
    if not frames:
        return pd.DataFrame(columns=["date", "code", "indicator", "value"])
    return pd.concat(frames, ignore_index=True)[["date", "code", "indicator", "value"]]


# --------------------------------------------------------------------------- detail per kabupaten


def weakest(card: Scorecard, code: str) -> str | None:
    """The scored indicator of ``code`` with the lowest attainment (ties: the heavier weight, then order)."""
    row = card.row(code)
    row = row[row["status"].isin(RAG_STATUSES)]
    if row.empty:
        return None
    order = {i.id: n for n, i in enumerate(INDICATORS)}
    ranked = row.assign(_o=[order[i] for i in row.index]).sort_values(["attainment", "weight", "_o"],
                                                                     ascending=[True, False, True])
    return str(ranked.index[0])


def sub_ranking(sub_table: pd.DataFrame, parent: str, indicator: str, as_of: dt.date) -> pd.DataFrame:
    """Kecamatan of kabupaten ``parent`` ranked on one indicator, weakest first.

    ``sub_table``: ``region_indicators(snapshot, "kec_code")``. Kecamatan where the indicator does not
    apply (no desa) keep ``value`` NaN and no rank.
    """
    ind = BY_ID[indicator]
    rows = sub_table[sub_table.index.str.startswith(parent + ".")]
    value = indicator_values(rows, as_of)[indicator]
    if ind.adoption:
        value = value.where(rows["desa"] > 0)
    out = pd.DataFrame({"code": rows.index, "value": value.to_numpy(), "villages": rows["villages"].to_numpy(),
                        "desa": rows["desa"].to_numpy()})
    out["rank_weakest"] = shared_rank(out["value"], higher_is_better=ind.direction == "lower",
                                      digits=0 if ind.unit == "days" else 1).to_numpy()
    return out.sort_values(["rank_weakest", "code"], na_position="last", ignore_index=True)


DOWN_COLUMNS = ["code", "kec_code", "village_type", "stage_order", "evidence_issues", "bimtek_participants",
                "days_since_update", "status", "nilai", "signal"]


def pulling_down(snapshot: pd.DataFrame, parent: str, indicator: str, as_of: dt.date,
                 target_days: float | None = None) -> pd.DataFrame:
    """Villages of region ``parent`` that do not meet ``indicator``, furthest behind first.

    Adoption indicators look at desa only; Bimtek at desa and kelurahan; freshness at villages whose
    latest record is older than the target (``target_days``, default the indicator's) or absent.
    Columns: code, kec_code, village_type, stage_order, evidence_issues (stages whose evidence disagrees),
    bimtek_participants, days_since_update, status (IDM), nilai, signal.
    """
    ind = BY_ID[indicator]
    rows = snapshot[snapshot["kab_code"] == parent] if parent.count(".") == 1 else snapshot[snapshot["kec_code"] == parent]
    if ind.adoption:
        rows = rows[rows["adoption_applies"]]
    days = (pd.Timestamp(as_of) - pd.to_datetime(rows["last_update"])).dt.days
    col = rows[ind.village_column]
    if ind.unit == "days":
        limit = target_days if target_days is not None else ind.default_target
        failing = days.isna() | (days > limit)
    elif indicator == "breadth":  # among the desa that use services: those missing a pillar
        failing = (rows["services"] > 0) & ~col.astype(bool)
    elif col.dtype == bool:
        failing = ~col
    else:
        failing = col <= 0
    out = rows[failing].assign(days_since_update=days[failing])
    out = out.reset_index().rename(columns={"index": "code"})
    keys = {"days": (["days_since_update"], [False]), "bimtek": (["bimtek_participants"], [True])}
    by, asc = keys.get("days" if ind.unit == "days" else indicator, (["stage_order"], [True]))
    out = out.sort_values([*by, "nilai", "code"], ascending=[*asc, True, True], na_position="first", ignore_index=True)
    if "evidence_issues" not in out:  # a snapshot built without the evidence check: nothing flagged
        out["evidence_issues"] = ""
    return out[DOWN_COLUMNS]


@dataclass(frozen=True)
class Context:
    """What holds a region back apart from the programme: IDM status and signal/internet (desa only)."""

    idm_status: dict[str, int]
    idm_scored: int
    desa: int
    no_signal: int
    weak_signal: int
    no_internet: int
    pct_signal_gap: float | None
    province_pct_signal_gap: float | None

    @property
    def infrastructure_gap(self) -> bool:
        """Signal gap above the province's: read lagging adoption with that in mind."""
        return (self.pct_signal_gap is not None and self.province_pct_signal_gap is not None
                and self.pct_signal_gap > self.province_pct_signal_gap)


def context(table: pd.DataFrame, province: pd.Series, code: str) -> Context:
    """IDM status distribution and signal/internet gaps of ``code`` from the shared indicator table."""

    row = table.loc[code]

    def pct(value: float) -> float | None:
        return None if pd.isna(value) else float(value)

    return Context(
        idm_status={s: int(row[status_column(s)]) for s in IDM_STATUSES},
        idm_scored=int(row["idm_scored"]), desa=int(row["desa"]), no_signal=int(row["no_signal"]),
        weak_signal=int(row["weak_signal"]), no_internet=int(row["no_internet"]),
        pct_signal_gap=pct(row["pct_signal_gap"]), province_pct_signal_gap=pct(province["pct_signal_gap"]),
    )


def compare(card: Scorecard, a: str, b: str) -> pd.DataFrame:
    """Two regions side by side: per indicator value, target, status of each and the difference a − b."""
    ra, rb = card.row(a), card.row(b)
    out = pd.DataFrame({"indicator": [i.id for i in INDICATORS],
                        "value_a": ra["value"].to_numpy(), "status_a": ra["status"].to_numpy(),
                        "target_a": ra["target"].to_numpy(),
                        "value_b": rb["value"].to_numpy(), "status_b": rb["status"].to_numpy(),
                        "target_b": rb["target"].to_numpy()})
    both = out["status_a"].isin(RAG_STATUSES) & out["status_b"].isin(RAG_STATUSES)
    out["difference"] = (out["value_a"] - out["value_b"]).where(both)
    return out


# --------------------------------------------------------------------------- follow-ups (IDM recommendations)


def load_recommendations(path: Path) -> pd.DataFrame:
    """The IDM recommendation rows (data/idm_recommendations.parquet); an empty frame when the file is absent."""
    cols = ["code", "indicator", "activity", "score_gain", *ACTORS]
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "score_gain" else "str") for c in cols})
    return pd.read_parquet(path, columns=cols)


def follow_ups(recs: pd.DataFrame, desa_codes: Iterable[str]) -> pd.DataFrame:
    """What the IDM recommendations of ``desa_codes`` ask, grouped by who can act.

    One row per (actor column, named body, activity): ``desa`` (how many of the desa have it), ``gain``
    (IDM score gain summed over those desa; ``gain_per_desa``: the mean gain per desa, on the index's own
    0..1 scale), ``digital`` (signal/internet/information: the programme's own
    concern, listed first). A row without an activity keeps its indicator text (the workbook leaves
    KEGIATAN empty on some rows). Sorted per actor: digital first, then most desa, then gain.
    """
    rows = recs[recs["code"].isin(list(desa_codes))]
    what = rows["activity"].fillna(rows["indicator"]).fillna("–").str.strip()
    digital = (rows["indicator"].fillna("") + " " + rows["activity"].fillna("")).str.contains(_DIGITAL, case=False)
    parts = []
    for col in ACTORS:
        has = rows[col].notna()
        if not has.any():
            continue
        parts.append(pd.DataFrame({"actor": col, "who": rows.loc[has, col].str.strip(), "activity": what[has],
                                   "code": rows.loc[has, "code"], "gain": rows.loc[has, "score_gain"],
                                   "digital": digital[has]}))
    if not parts:
        return pd.DataFrame(columns=["actor", "who", "activity", "desa", "gain", "gain_per_desa", "digital"])
    long = pd.concat(parts, ignore_index=True)
    out = long.groupby(["actor", "who", "activity"], as_index=False).agg(
        desa=("code", "nunique"), gain=("gain", "sum"), digital=("digital", "any"))
    # IDM is an index from 0 to 1: a sum over 110 desa (12,2222) is no IDM value; per desa it is one.
    out["gain_per_desa"] = out["gain"] / out["desa"]
    out["_a"] = out["actor"].map({a: n for n, a in enumerate(ACTORS)})
    out = out.sort_values(["_a", "digital", "desa", "gain", "activity"], ascending=[True, False, False, False, True])
    return out.drop(columns="_a").reset_index(drop=True)


def top_follow_ups(table: pd.DataFrame, per_actor: int = 3) -> pd.DataFrame:
    """The first ``per_actor`` follow-ups of every actor (for the one-page report)."""
    return table.groupby("actor", sort=False, group_keys=False).head(per_actor).reset_index(drop=True)


# --------------------------------------------------------------------------- one kabupaten's report


@dataclass
class KabReport:
    """Everything the one-page report (and the meeting mode) shows for one kabupaten: plain data."""

    code: str
    name: str
    as_of: dt.date
    indicators: pd.DataFrame  # card.row(code) with the label columns
    composite: float | None
    rank: int | None
    rank_change: int | None
    n_regions: int
    trend: pd.DataFrame
    weakest: str | None
    weak_kecamatan: pd.DataFrame
    pulling_down: pd.DataFrame  # villages not meeting the weakest indicator, furthest behind first
    context: Context
    follow_ups: pd.DataFrame
    followup_desa: int = 0  # desa among ``pulling_down`` that have IDM recommendation rows
    #: Indeks Desa follow-ups for the Dinas PMD over all the kabupaten's desa (``development.dinas_pmd_recommendations``)
    #: with the round's year and coverage; None before any Indeks Desa import.
    indeks_follow_ups: pd.DataFrame | None = None
    indeks_coverage: Coverage | None = None


def kab_report(card: Scorecard, code: str, name: str, trend_frame: pd.DataFrame, sub_table: pd.DataFrame,
               snapshot: pd.DataFrame, recs: pd.DataFrame, table: pd.DataFrame, province: pd.Series,
               names: Mapping[str, str] | None = None, indeks: IndeksRound | None = None) -> KabReport:
    """Assemble one kabupaten's evaluation from the scorecard and the shared tables (``indeks``: the period's
    Indeks Desa round, for the Dinas PMD follow-ups beside the IDM 2024 ones)."""
    summary = card.summary.loc[code]
    weak = weakest(card, code)
    kec = sub_ranking(sub_table, code, weak, card.as_of) if weak else pd.DataFrame()
    if names is not None and not kec.empty:
        kec = kec.assign(name=kec["code"].map(names))
    down = pulling_down(snapshot, code, weak, card.as_of) if weak else pd.DataFrame(columns=DOWN_COLUMNS)
    fu = follow_ups(recs, down["code"]) if weak else follow_ups(recs, [])
    change = summary.get("rank_change")
    kab_desa = snapshot.index[(snapshot["kab_code"] == code) & snapshot["adoption_applies"]]
    return KabReport(
        code=code, name=name, as_of=card.as_of, indicators=card.row(code),
        composite=None if pd.isna(summary["composite"]) else float(summary["composite"]),
        rank=None if pd.isna(summary["rank"]) else int(summary["rank"]),
        rank_change=None if change is None or pd.isna(change) else int(change),
        n_regions=len(card.summary), trend=trend_frame, weakest=weak, weak_kecamatan=kec,
        pulling_down=down, context=context(table, province, code), follow_ups=fu,
        # The unique codes, not the 45,000-row column: isin over an Arrow string column converts it in Python.
        followup_desa=int(down["code"].isin(recs["code"].unique()).sum()),
        indeks_follow_ups=indeks.recommendations(kab_desa) if indeks is not None else None,
        indeks_coverage=indeks.coverage(kab_desa) if indeks is not None else None,
    )
