"""Choropleth metrics, classes, palettes and legends (pure: frames in, classes and message out).

Values come from the shared indicator table ``indicators.region_indicators`` (one row per region,
or per village with ``by="code"``) and, for single villages, the snapshot's own columns (stage,
IDM status, score, signal). Each region gets one class index into the legend; two extra classes
keep "tidak berlaku" (adoption metrics over kelurahan and the two kota) apart from "tidak ada data".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from utils import i18n
from utils.domain.idm import IDM_BREAKS, IDM_STATUSES, status_column
from utils.domain.indeks_desa import DIMENSION_CODES, THIRD_PARTY_BANDS
from utils.domain.indeks_desa import STATUSES as ID_STATUSES
from utils.domain.programme import STAGES
from utils.i18n import label, t

# ColorBrewer schemes (colour-blind safe). Sequential "more is better": YlGnBu; "more is worse": OrRd;
# ordinal status: RdYlBu (red = Sangat Tertinggal … blue = Mandiri); yes/no: orange vs blue.
YLGNBU = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")
ORRD = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
RDYLBU = ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6")
YES_NO = ("#2c7bb6", "#fdae61")  # yes, no
#: Distance to target (RdYlBu, colour-blind safe): reached (blue), near, behind, far behind (red).
TARGET_COLOURS = ("#2c7bb6", "#abd9e9", "#fdae61", "#d7191c")
NOT_APPLICABLE = "#b0b0b0"
NO_DATA = "#ffffff"
#: Class index of the two special classes (the legend lists them after the metric's own classes).
NA, NODATA = -2, -1
#: Freshness classes in days since the last record: 0–30, 31–90, 91–180, 181–365, more than 365.
FRESH_DAYS = (0, 30, 90, 180, 365)

# The i18n formatters, memoised: babel takes ~0.2 ms a number and a village layer repeats the same
# few thousand values across metrics, levels and sessions.
fmt_int = lru_cache(maxsize=65_536)(i18n.fmt_int)
fmt_num = lru_cache(maxsize=65_536)(i18n.fmt_num)
fmt_pct = lru_cache(maxsize=65_536)(i18n.fmt_pct)


@dataclass(frozen=True)
class Metric:
    """One map metric: where its value comes from and how it is classed at region and village level.

    Region classes are the same at every level (kabupaten and kecamatan): ``target`` metrics are classed by
    their distance to the year's target (``target_indicator``), other rates by fixed breaks (``breaks``,
    lower edges in percent; see docs/map.md), never by the drawn regions' own spread."""

    key: str
    region_col: str  # column of region_indicators (kab/kec); a callable name below when derived
    village_col: str  # column of the village frame (indicators by="code" joined with snapshot columns)
    kind: str  # region classing: "target" | "rate" | "score" | "status" | "days" | "stage"
    village_kind: str  # "yesno" | "yesno_bad" | "score" | "status" | "days" | "stage" | "signal"
    desa_only: bool  # counted over desa only (adoption, IDM): kelurahan and the kota are "tidak berlaku"
    worse_high: bool = False  # rates where more is worse (gaps)
    target_indicator: str | None = None  # ``targets`` key of a "target" metric
    breaks: tuple[float, ...] = ()  # "rate": lower edges of the classes, in percent, ascending


#: Fixed breaks (lower edges, %) of the rates without a target: coverage-like rates where more is better,
#: and gaps (signal, internet) where more is worse.
COVERAGE_BREAKS = (0.0, 50.0, 75.0, 90.0, 100.0)
GAP_BREAKS = (0.0, 10.0, 25.0, 50.0)
#: Distance below target (percentage points) that separates "near" from "behind" and "far behind".
TARGET_NEAR, TARGET_FAR = 5.0, 15.0

METRICS: tuple[Metric, ...] = (
    Metric("joined", "pct_joined", "joined", "target", "yesno", True, target_indicator="pct_bergabung",
           breaks=COVERAGE_BREAKS),
    Metric("stage", "mean_stage", "stage_order", "stage", "stage", True),
    Metric("bimtek", "pct_2plus", "bimtek_2plus", "target", "yesno", False, target_indicator="pct_bimtek_2plus",
           breaks=COVERAGE_BREAKS),
    Metric("officers", "pct_officer", "has_officer", "rate", "yesno", True, breaks=COVERAGE_BREAKS),
    Metric("idm_status", "idm_modal", "status", "status", "status", True),
    Metric("idm_score", "idm_mean", "nilai", "score", "score", True),
    Metric("signal_gap", "pct_signal_gap", "signal", "rate", "signal", True, worse_high=True, breaks=GAP_BREAKS),
    Metric("no_internet", "pct_no_internet", "offline", "rate", "yesno_bad", True, worse_high=True,
           breaks=GAP_BREAKS),
    Metric("freshness", "days_since", "days_since", "days", "days", False),
    # Indeks Desa (the period's round, from the store's imports): status and the 0..100 scores.
    Metric("id_status", "id_modal", "id_status", "status", "status", True),
    Metric("id_total", "id_total", "id_total", "index", "index", True),
    *(Metric(f"id_dim_{d}", f"id_dim_{d}", f"id_dim_{d}", "index", "index", True) for d in DIMENSION_CODES),
)
METRIC_KEYS = tuple(m.key for m in METRICS)
#: Where a metric's values come from, named under the map (``index_display.source_line``): IDM 2024 by edition,
#: or the IDM recommendation rows (signal and internet).
METRIC_SOURCES = {"idm_status": "idm", "idm_score": "idm", "signal_gap": "idm_rec", "no_internet": "idm_rec",
                  **{m: "indeks" for m in ("id_status", "id_total", *(f"id_dim_{d}" for d in DIMENSION_CODES))}}
#: Class edges of the Indeks Desa 0..100 scores: the third-party status bands (the same edges for the six
#: dimensions, so one legend reads for all; labels are numbers, not statuses).
INDEKS_BREAKS = (0.0, *reversed(THIRD_PARTY_BANDS.lower), 100.0)
#: Metrics whose village layer shows the village's own state under a title of its own.
VILLAGE_TITLES = frozenset(f"map_mv_{k}" for k in ("joined", "bimtek", "officers", "signal_gap", "no_internet",
                                                   "idm_status", "idm_score", "id_status", "id_total"))


def metric(key: str) -> Metric:
    """The metric named ``key`` (KeyError names the known ones)."""
    for m in METRICS:
        if m.key == key:
            return m
    raise KeyError(f"unknown map metric {key!r}; expected one of {METRIC_KEYS}")


@dataclass(frozen=True)
class Classed:
    """Classes of one drawn layer: ``cls`` (class index per code; NA/NODATA special), ``value``
    (the formatted value per code), ``legend`` [(colour, label)] with the two special classes last."""

    title: str
    cls: pd.Series
    value: pd.Series
    legend: list[tuple[str, str]]

    def colour(self, index: int) -> str:
        """Colour of class ``index`` (special classes included)."""
        return self.legend[index][0] if index >= 0 else self.legend[len(self.legend) + index][0]


def region_values(ind: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """``ind`` (region_indicators) with the few derived columns the map classes on: modal IDM
    status, % desa without internet, days since the last programme record."""
    out = ind.copy()
    counts = out[[status_column(s) for s in IDM_STATUSES]].to_numpy()
    modal = np.array(IDM_STATUSES, dtype=object)[counts.argmax(axis=1)] if len(out) else []
    out["idm_modal"] = pd.Series(modal, index=out.index, dtype=object).where(out["idm_scored"] > 0)
    known = out["signal_known"] if "signal_known" in out else out["desa"]  # desa with IDM recommendation rows
    out["pct_no_internet"] = (100 * out["no_internet"] / known).where(known > 0)
    if "id_scored" in out:  # the most common Indeks Desa status (ties: the better one)
        id_cols = [f"id_{s.lower().replace(' ', '_')}" for s in ID_STATUSES]
        id_modal = np.array(ID_STATUSES, dtype=object)[out[id_cols].to_numpy().argmax(axis=1)] if len(out) else []
        out["id_modal"] = pd.Series(id_modal, index=out.index, dtype=object).where(out["id_scored"] > 0)
    out["days_since"] = (pd.Timestamp(as_of) - pd.to_datetime(out["last_update"])).dt.days
    return out


def village_values(ind: pd.DataFrame, snapshot: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per-village frame: ``region_indicators(snapshot, "code")`` plus the village's own stage,
    IDM status, score and signal from the snapshot."""
    out = region_values(ind, as_of)
    own = snapshot[["stage_order", "status", "nilai", "signal", "adoption_applies",
                     "internet_kantor", "evidence_issues"]].reindex(out.index)
    for col in ("stage_order", "status", "nilai", "signal", "evidence_issues"):
        out[col] = own[col]
    if "id_status" in snapshot:
        out["id_status"] = snapshot["id_status"].reindex(out.index)
    out["joined"] = (out["pct_joined"] >= 100).where(out["pct_joined"].notna())
    out["bimtek_2plus"] = out["villages_2plus"] > 0
    out["has_officer"] = (out["officers"] > 0).where(own["adoption_applies"].astype(bool))
    # No internet at the village office; unknown where the desa has no recommendation rows (Satu Data).
    out["offline"] = own["internet_kantor"].map(lambda v: None if pd.isna(v) else not bool(v))
    out["applies"] = own["adoption_applies"].astype(bool)
    return out


def _rate_classes(values: pd.Series, edges: tuple[float, ...], lang: str) -> tuple[pd.Series, list[str]]:
    """Fixed rate classes from lower ``edges`` (percent). A value is classed as it is shown (one decimal), so
    "9,9%" is in "0–9,9%" and "10,0%" in "10–24,9%": no edge appears in two labels. An edge of 100 makes a
    class of its own ("100%")."""
    shown = values.round(1)
    idx = np.searchsorted(np.asarray(edges[1:], dtype=float), shown.fillna(0).to_numpy(dtype=float), side="right")
    cls = pd.Series(np.where(values.notna(), idx, NODATA), index=values.index)
    labels = []
    for i, lo in enumerate(edges):
        hi = edges[i + 1] - 0.1 if i + 1 < len(edges) else 100.0
        labels.append("100%" if lo == 100 else f"{fmt_num(lo, 0, lang)}–{fmt_num(hi, 0 if hi == 100 else 1, lang)}%")
    return cls, labels


def _target_classes(values: pd.Series, targets: pd.Series) -> pd.Series:
    """0 target reached, 1 less than TARGET_NEAR points below, 2 TARGET_NEAR–TARGET_FAR below, 3 more than
    TARGET_FAR below; compared on the value as shown (one decimal), as the scorecard's RAG does."""
    gap = targets - values.round(1)
    cls = np.select([gap <= 0, gap < TARGET_NEAR, gap <= TARGET_FAR, gap > TARGET_FAR], [0, 1, 2, 3], NODATA)
    return pd.Series(np.where(values.notna() & targets.notna(), cls, NODATA), index=values.index)


def _palette(n: int, worse_high: bool = False) -> list[str]:
    base = ORRD if worse_high else YLGNBU
    if n <= 0:  # no value at all: the legend keeps only "tidak berlaku" and "tidak ada data"
        return []
    if n == 1:
        return [base[len(base) // 2]]
    pick = np.linspace(0, len(base) - 1, n).round().astype(int)
    return [base[i] for i in pick]


def classify(m: Metric, frame: pd.DataFrame, villages: bool, lang: str = "id",
             applies: pd.Series | None = None, targets: pd.Series | None = None) -> Classed:
    """Class every row of ``frame`` (region_values or village_values) for metric ``m``.

    ``applies``: per row whether adoption metrics count there (a region with desa, a desa); rows
    where it is False are "tidak berlaku" for adoption metrics, never 0. ``targets``: per row the year's
    target of a "target" metric (percent; NaN or None: no target that year, fixed breaks are used).
    """
    kind = m.village_kind if villages else m.kind
    col = m.village_col if villages else m.region_col
    raw = frame[col]
    num = pd.to_numeric(raw, errors="coerce") if kind not in ("status", "signal", "yesno", "yesno_bad") else raw
    title = t(f"map_mv_{m.key}" if villages and f"map_mv_{m.key}" in VILLAGE_TITLES else f"map_m_{m.key}", lang)

    target = None if targets is None else pd.to_numeric(targets.reindex(frame.index), errors="coerce")
    if kind == "target" and target is not None and target.notna().any():
        # Distance to the year's target, the same classes at every level (docs/map.md).
        cls = _target_classes(num, target)
        # Gaps are in tenths of a point (values as shown, whole-number targets): no edge in two labels.
        labels = [t("map_t_reached", lang), t("map_t_near", lang, hi=fmt_num(TARGET_NEAR - 0.1, 1, lang)),
                  t("map_t_behind", lang, lo=fmt_num(TARGET_NEAR, 0, lang), hi=fmt_num(TARGET_FAR, 0, lang)),
                  t("map_t_far", lang, lo=fmt_num(TARGET_FAR + 0.1, 1, lang))]
        colours = list(TARGET_COLOURS)
        value = pd.Series([t("map_value_target", lang, value=fmt_pct(v, 1, lang), target=fmt_pct(g, 0, lang))
                           if pd.notna(v) and pd.notna(g) else (fmt_pct(v, 1, lang) if pd.notna(v) else "–")
                           for v, g in zip(num, target, strict=True)], index=num.index, dtype=object)
        title = t("map_title_target", lang, metric=title)
    elif kind in ("rate", "target"):
        # No target that year (or a rate without one): fixed breaks that mean something for the rate.
        cls, labels = _rate_classes(num, m.breaks, lang)
        colours = _palette(len(labels), m.worse_high)
        value = _formatted(num, lambda x: fmt_pct(x, 1, lang))
    elif kind == "score":
        # The official IDM bands: a score above an edge and at most the next one (labels never share an edge).
        edges = np.asarray(IDM_BREAKS[1:-1])
        idx = np.searchsorted(edges, num.fillna(0).to_numpy(dtype=float), side="left")
        cls = pd.Series(np.where(num.notna(), idx, NODATA), index=num.index)
        bounds = list(IDM_BREAKS)
        bands = [f"{fmt_num(lo + (0.0001 if i else 0), 4, lang)}–{fmt_num(hi, 4, lang)}"
                 for i, (lo, hi) in enumerate(zip(bounds[:-1], bounds[1:], strict=True))]
        labels = [f"{s} ({b})" for s, b in zip(reversed(IDM_STATUSES), bands, strict=True)]
        colours = list(RDYLBU)
        value = _formatted(num, lambda x: fmt_num(x, 4, lang))
    elif kind == "index":
        # Indeks Desa scores (0..100): fixed classes at the third-party band edges, worst (red) to best (blue).
        edges = np.asarray(INDEKS_BREAKS[1:-1])
        cls = pd.Series(np.where(num.notna(), np.searchsorted(edges, num.fillna(0).to_numpy(dtype=float), side="left"),
                                 NODATA), index=num.index)
        labels = [f"{fmt_num(lo, 2 if lo % 1 else 0, lang)}–{fmt_num(hi, 2 if hi % 1 else 0, lang)}"
                  for lo, hi in zip(INDEKS_BREAKS[:-1], INDEKS_BREAKS[1:], strict=True)]
        colours = list(RDYLBU)
        value = _formatted(num, lambda x: fmt_num(x, 1, lang))
    elif kind == "stage":
        stages = [s for s in STAGES]
        names = [label(s, lang) for s in stages]
        if villages:
            cls = num.fillna(NODATA).astype(int)
            labels = names
            value = num.map(lambda x: names[int(x)] if pd.notna(x) else "–")
        else:
            # Mean stage order, classed by the stage it has reached on average ([0,1), [1,2), …).
            cls = pd.Series(np.where(num.notna(), np.clip(np.floor(num.fillna(0)), 0, len(stages) - 1),
                                     NODATA).astype(int), index=num.index)
            labels = [f"{s.order}: {names[i]}" for i, s in enumerate(stages)]
            value = _formatted(num, lambda x: f"{fmt_num(x, 2, lang)} ({names[min(math.floor(x), len(names) - 1)]})")
        colours = _palette(len(stages))
    elif kind == "status":
        order = list(reversed(IDM_STATUSES))  # Sangat Tertinggal first (red) … Mandiri (blue)
        pos = {s: i for i, s in enumerate(order)}
        cls = raw.map(lambda s: pos.get(s, NODATA) if isinstance(s, str) else NODATA).astype(int)
        labels, colours = order, list(RDYLBU)
        value = raw.map(lambda s: s if isinstance(s, str) else "–")
    elif kind == "signal":
        order = ["tidak ada", "lemah", "kuat"]
        pos = {s: i for i, s in enumerate(order)}
        cls = raw.map(lambda s: pos.get(s, NODATA) if isinstance(s, str) else NODATA).astype(int)
        labels = [t(f"map_signal_{s.replace(' ', '_')}", lang) for s in order]
        colours = [ORRD[4], ORRD[2], YLGNBU[3]]
        value = cls.map(lambda i: labels[i] if i >= 0 else "–")
    elif kind in ("yesno", "yesno_bad"):
        # yesno: True is good (blue); yesno_bad (e.g. no internet): True is the gap (orange).
        labels = [t(f"map_yes_{m.key}", lang), t(f"map_no_{m.key}", lang)]
        colours = list(YES_NO) if kind == "yesno" else list(reversed(YES_NO))
        cls = raw.map(lambda v: NODATA if v is None or (isinstance(v, float) and math.isnan(v))
                      else (0 if bool(v) else 1)).astype(int)
        value = cls.map(lambda i: labels[i] if i >= 0 else "–")
    elif kind == "days":
        breaks = list(FRESH_DAYS)
        edges = np.asarray(breaks[1:])
        idx = np.searchsorted(edges, num.fillna(0).to_numpy(), side="left")
        cls = pd.Series(np.where(num.notna(), idx, NODATA), index=num.index)
        # Whole days: 0–30, 31–90, … (no edge in two labels).
        labels = [t("map_days_range", lang, lo=fmt_int(lo + (1 if i else 0), lang), hi=fmt_int(hi, lang))
                  for i, (lo, hi) in enumerate(zip(breaks[:-1], breaks[1:], strict=True))]
        labels.append(t("map_days_over", lang, n=fmt_int(breaks[-1] + 1, lang)))
        colours = list(reversed(YLGNBU[1:]))
        value = _formatted(num, lambda d: t("map_days_ago", lang, n=fmt_int(d, lang)))
    else:  # pragma: no cover - METRICS only uses the kinds above
        raise ValueError(kind)

    cls = cls.astype(int)
    if m.desa_only and applies is not None:
        na = ~applies.reindex(cls.index).fillna(False).astype(bool)
        cls = cls.mask(na, NA)
        value = value.mask(na, t("not_applicable", lang))
    legend = list(zip(colours, labels, strict=True))
    legend += [(NOT_APPLICABLE, t("not_applicable", lang)), (NO_DATA, t("map_no_data", lang))]
    return Classed(title=title, cls=cls, value=value.astype(str), legend=legend)


def layer_classes(ds, frame: pd.DataFrame, villages: bool, metric_key: str, as_of: dt.date,
                  lang: str = "id") -> Classed:
    """The classes of one drawn layer: the one call the map page, its PNG and the deck's map slide share.

    ``frame``: ``region_values`` (kabupaten/kecamatan rows) or ``village_values``; ``ds``: the Dataset
    whose targets a "target" metric is classed against (the year of ``as_of``)."""
    from utils.metrics import indicators  # views -> metrics: the targets table

    m = metric(metric_key)
    applies = frame["applies"] if villages else frame["desa"] > 0
    targets = (indicators.targets_for(ds, frame.index, as_of.year, m.target_indicator)
               if m.target_indicator and not villages else None)
    classed = classify(m, frame, villages, lang, applies, targets)
    if "adoption_reported" in frame:  # real data: kabupaten that have not reported are their own entry
        classed = mark_not_reported(classed, m, ~frame["adoption_reported"].astype(bool), lang)
    return classed


def colours_for(classed: Classed) -> pd.Series:
    """Fill colour per code (the same colours the browser and the PNG use)."""
    return classed.cls.map(classed.colour)


def message(classed: Classed, layer: dict, extras: pd.Series | None = None,
            outline: dict | None = None, selected: str | None = None, lang: str = "id") -> dict:
    """The map's per-rerun message: codes with their class and interned strings, never coordinates.

    ``layer``/``outline``: {"url", "filter" (code prefix shown), "key" (stays equal while the drawn
    level stays, so the browser keeps its zoom)}. Rows are grouped by parent code
    (``{"18.04.01": {"2001": [class, value, extra]}}``) so a village costs a few bytes; strings
    repeat a lot (class labels, small counts, tooltip lines), so each is sent once in ``strings``.
    """
    strings: dict[str, int] = {}

    def sid(s: str) -> int:
        return strings.setdefault(s, len(strings))

    rows: dict[str, dict[str, list[int]]] = {}
    extra = extras.reindex(classed.cls.index).fillna("").to_numpy() if extras is not None else None
    for i, (code, c, v) in enumerate(zip(classed.cls.index, classed.cls.to_numpy(), classed.value.to_numpy(),
                                         strict=True)):
        parent, _, own = code.rpartition(".")
        row = [int(c), sid(v)] if extra is None else [int(c), sid(v), sid(extra[i])]
        rows.setdefault(parent, {})[own] = row
    n = len(classed.legend)
    return {
        "layer": layer,
        "outline": outline,
        "rows": rows,
        "strings": list(strings),
        "colors": [c for c, _ in classed.legend],
        "special": {"na": n + NA, "nodata": n + NODATA},
        "legend": {"title": classed.title, "items": [[c, label] for c, label in classed.legend]},
        "selected": selected,
        "labels": {"value": classed.title},
        "lang": lang,
    }


def _formatted(values: pd.Series, fmt: Callable[[float], str]) -> pd.Series:
    """``fmt`` applied once per distinct value (babel formatting is the slow part of classing)."""
    uniq = values.dropna().unique()
    table = {v: fmt(v) for v in uniq}
    return values.map(table).astype(object).fillna("–")


#: Above this many villages (a national data set) the map draws villages only inside one
#: kabupaten; the province/nation view never sends every village polygon at once.
MAX_VILLAGES_AT_ONCE = 10_000


@dataclass(frozen=True)
class LayerPlan:
    """What the map draws for a filter state: the level, which rows of the indicator table, the
    static file and the code prefix shown, and outlines of the level above for context."""

    level: str  # "kabupaten" | "kecamatan" | "desa"
    by: str  # region_indicators grouping: "kab_code" | "kec_code" | "code"
    file: str  # manifest key of the static file ("kabupaten", "desa/18.04", …)
    prefix: str  # only codes starting with this are drawn ("" = all)
    outline_file: str | None = None
    outline_prefix: str = ""
    villages_capped: bool = False  # asked for every village but the data set is too large

    @property
    def key(self) -> str:
        """Equal while the drawn layer is the same: the browser keeps its zoom."""
        return f"{self.file}|{self.prefix}"


def layer_plan(kab: str | None, kec: str | None, show_villages: bool, n_villages: int) -> LayerPlan:
    """The layer for a region selection: province → kabupaten, kabupaten → its kecamatan,
    kecamatan (or one village) → its villages; ``show_villages`` draws the villages of the whole
    selection (the province only while it has at most MAX_VILLAGES_AT_ONCE villages)."""
    if kec:  # no outline: the coarser kecamatan line would cut across its own villages up close
        return LayerPlan("desa", "code", f"desa/{kab}", kec + ".")
    if kab:
        if show_villages:
            return LayerPlan("desa", "code", f"desa/{kab}", kab + ".", "kecamatan", kab + ".")
        return LayerPlan("kecamatan", "kec_code", "kecamatan", kab + ".", "kabupaten", kab)
    if show_villages and n_villages <= MAX_VILLAGES_AT_ONCE:
        return LayerPlan("desa", "code", "desa", "", "kabupaten", "")
    return LayerPlan("kabupaten", "kab_code", "kabupaten", "", villages_capped=show_villages)


def tooltip_extras(frame: pd.DataFrame, villages: bool, lang: str = "id") -> pd.Series:
    """The few figures a reader wants next, one short line per row.

    Regions: desa joined of desa, Bimtek ≥ 2 rate, mean IDM score. Villages: stage, IDM status,
    officers.
    """
    if villages:
        names = [label(s, lang) for s in STAGES]
        stage = frame["stage_order"].map(lambda x: names[int(x)] if pd.notna(x) else "–")
        stage = stage.where(frame["applies"], t("not_applicable", lang))
        # A stage whose evidence disagrees (metrics.evidence) says so beside it, as everywhere.
        flagged = frame["evidence_issues"].fillna("").ne("") if "evidence_issues" in frame else False
        stage = stage.where(~flagged, stage + " (\u26a0 " + t("evid_flag", lang) + ")")
        status = frame["status"].map(lambda s: s if isinstance(s, str) else "–")
        officers = _formatted(frame["officers"], lambda n: fmt_int(n, lang))
        return (t("map_x_stage", lang) + ": " + stage + " · IDM: " + status + " · "
                + t("map_x_officers", lang) + ": " + officers)
    joined = [t("map_x_joined", lang, joined=fmt_int(j, lang), desa=fmt_int(n, lang)) if n else
              t("map_x_no_desa", lang) for j, n in zip(frame["joined"], frame["desa"], strict=True)]
    bimtek = _formatted(frame["pct_2plus"], lambda p: fmt_pct(p, 1, lang))
    idm = _formatted(frame["idm_mean"], lambda x: fmt_num(x, 4, lang))
    return pd.Series(joined, index=frame.index) + " · Bimtek ≥ 2: " + bimtek + " · IDM: " + idm


def mark_not_reported(classed: Classed, m: Metric, not_reported: pd.Series, lang: str = "id") -> Classed:
    """Areas whose kabupaten has not sent real data of an adoption metric: their own entry "belum melapor"
    (the white no-data class, never the demo figure or 0); ``not_reported``: per code, True where so."""
    hit = not_reported.reindex(classed.cls.index).fillna(False).astype(bool)
    if not m.desa_only or not hit.any():
        return classed
    cls = classed.cls.mask(hit & classed.cls.ne(NA), NODATA)
    value = classed.value.mask(hit & classed.cls.ne(NA), t("not_reported", lang))
    legend = [*classed.legend[:-1], (NO_DATA, t("not_reported", lang))]
    return replace(classed, cls=cls, value=value, legend=legend)
