"""Data quality of the programme store: completeness per kabupaten and the inconsistencies found.

Pure functions over the store's tables and the village snapshot (``indicators.village_snapshot``); no
streamlit. ``find_issues`` lists one row per finding (village, rule, detail); ``quality_table``
rolls everything up per kabupaten. Definitions are in docs/imports-quality.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from utils.domain.codes import in_region
from utils.domain.idm import EDITION_WORKBOOK
from utils.domain.programme import PILLARS, STAGE_ORDER, STAGES
from utils.i18n import fmt_date, fmt_int, fmt_num, t
from utils.metrics import evidence, reports
from utils.metrics.progress import consistency_flags

ISSUE_COLUMNS = ["village_code", "kab_code", "rule", "detail"]
#: Columns counted for "fields filled": every column of the village records except ``source`` and
#: ``services.ended_on`` (empty there means "still in use", not "missing").
FILLED_COLUMNS = {
    "adoption": ("stage", "reached_on"),
    "services": ("pillar", "service", "started_on"),
    "officers": ("name", "role", "appointed_on"),
    "bimtek_participants": ("event_id", "role", "name"),
    "status_report_rows": ("joined_on", "stage", "operators_trained"),
}


def _label(stage: str, lang: str) -> str:
    s = next(x for x in STAGES if x.code == stage)
    return s.label_en if lang == "en" else s.label_id


def _day(value: object, lang: str) -> str:
    return fmt_date(pd.Timestamp(value).date(), lang) if pd.notna(value) else t("qual_not_joined", lang)


def _rows(rule: str, codes: pd.Series, details: pd.Series | list[str]) -> pd.DataFrame:
    return pd.DataFrame({"village_code": codes.to_numpy(), "rule": rule, "detail": list(details)})


def _adoption_issues(adoption: pd.DataFrame, types: pd.Series, lang: str) -> list[pd.DataFrame]:
    """Stage dates out of programme order, stages skipped, adoption rows in kelurahan."""
    out = []
    dates = adoption.pivot_table(index="village_code", columns="stage", values="reached_on", aggfunc="min")
    order = [s.code for s in STAGES if s.order > 0 and s.code in dates.columns]
    dates = dates[order]
    # Out of order: a stage reached before the latest earlier stage (first offending stage per village).
    latest = pd.Series(pd.NaT, index=dates.index, dtype=dates.dtypes.iloc[0] if order else "datetime64[us]")
    latest_stage = pd.Series(None, index=dates.index, dtype="object")
    first = pd.Series(None, index=dates.index, dtype="object")
    prev = pd.Series(None, index=dates.index, dtype="object")
    for stage in order:
        day = dates[stage]
        bad = day.notna() & latest.notna() & (day < latest) & first.isna()
        first[bad], prev[bad] = stage, latest_stage[bad]
        newer = day.notna() & (latest.isna() | (day > latest))
        latest[newer], latest_stage[newer] = day[newer], stage
    hit = first.notna()
    if hit.any():
        details = [t("qual_detail_stage_order", lang, stage=_label(s, lang), date=_day(dates.at[v, s], lang),
                     prev=_label(p, lang), prev_date=_day(dates.at[v, p], lang))
                   for v, s, p in zip(first.index[hit], first[hit], prev[hit], strict=True)]
        out.append(_rows("stage_order", first.index[hit].to_series(), details))
    # Skipped: a stage reached while an earlier one has no row.
    reached = dates.notna()
    gap = reached & ~reached.cummin(axis=1)
    hit = gap.any(axis=1)
    if hit.any():
        first = gap[hit].idxmax(axis=1)
        details = [t("qual_detail_stage_gap", lang, stage=_label(s, lang),
                     missing=", ".join(_label(m, lang) for m in order[:order.index(s)] if not reached.at[v, m]))
                   for v, s in first.items()]
        out.append(_rows("stage_gap", first.index.to_series(), details))
    kel = adoption[adoption["village_code"].map(types).eq("kelurahan")]
    if not kel.empty:
        top = kel.assign(o=kel["stage"].map(STAGE_ORDER)).sort_values("o").groupby("village_code")["stage"].last()
        out.append(_rows("adoption_kelurahan", top.index.to_series(),
                         [t("qual_detail_adoption_kelurahan", lang, stage=_label(s, lang)) for s in top]))
    return out


def _demo(frame: pd.DataFrame) -> pd.Series:
    return frame["source"].eq("demo") if "source" in frame else pd.Series(False, index=frame.index)


def _same_source(tables: Mapping[str, pd.DataFrame], demo: bool) -> dict[str, pd.DataFrame]:
    """The tables' rows of one provenance (demo or real): a demo row is no evidence about real data, nor the
    other way round, so rules that compare two tables compare rows of the same provenance only."""
    return {name: frame[_demo(frame) == demo] for name, frame in tables.items() if isinstance(frame, pd.DataFrame)}


def _service_issues(tables: Mapping[str, pd.DataFrame], lang: str) -> list[pd.DataFrame]:
    """Services started before the village joined, or in a village that never joined (join days as
    ``reports.join_days``: exact adoption rows, reported join dates, report dates)."""
    out = []
    for demo in (True, False):
        side = _same_source(tables, demo)
        services = side["services"]
        if services.empty or (side["adoption"].empty and side.get("status_report_rows", pd.DataFrame()).empty):
            continue  # nothing of the same provenance to compare with
        joined = reports.join_days(side)
        s = services.assign(joined=services["village_code"].map(joined))
        bad = s[s["joined"].isna() | (s["started_on"] < s["joined"])].sort_values("started_on")
        bad = bad.groupby("village_code").first()
        if bad.empty:
            continue
        details = [t("qual_detail_service_not_joined", lang, service=r.service, date=_day(r.started_on, lang),
                     joined=_day(r.joined, lang)) for r in bad.itertuples()]
        out.append(_rows("service_not_joined", bad.index.to_series(), details))
    return out


def _bimtek_issues(events: pd.DataFrame, parts: pd.DataFrame, lang: str) -> list[pd.DataFrame]:
    """The Bimtek page's event flags (``progress.consistency_flags``) turned into the villages concerned."""
    out = []
    covers = events.set_index("event_id")["kab_codes"].astype("str")
    for flag in consistency_flags(events, parts).itertuples(index=False):
        rows = parts[parts["event_id"] == flag.event_id]
        if flag.kind == "outside_kab":
            kabs = {k.strip() for k in covers[flag.event_id].split(",")}
            codes = rows.loc[~rows["village_code"].str[:5].isin(kabs), "village_code"].drop_duplicates()
            detail = t("qual_detail_bimtek_outside", lang, event=flag.event_id, kabs=", ".join(sorted(kabs)))
            out.append(_rows("bimtek_outside", codes, [detail] * len(codes)))
        elif flag.kind == "reported_mismatch":
            scoped = rows[in_region(rows["village_code"], flag.scope)] if isinstance(flag.scope, str) else rows
            codes = scoped["village_code"].drop_duplicates()
            detail = t("qual_detail_bimtek_reported", lang, event=flag.event_id,
                       reported=_n(flag.reported_participants), reported_v=_n(flag.reported_villages),
                       rows=_n(flag.counted_participants), villages=_n(flag.counted_villages))
            out.append(_rows("bimtek_reported", codes, [detail] * len(codes)))
    return out


def report_issues(tables: Mapping[str, pd.DataFrame], lang: str = "id") -> pd.DataFrame:
    """What the status reports say, checked (columns village_code, rule, detail; one row per village and rule):

    - ``report_stage_backwards``: a report gives a lower stage than the village's previous report;
    - ``report_join_changed``: two reports (or a report and a dated adoption row) give different join dates;
    and, on each village's latest report:
    - ``report_join_stage``: a join date with a stage below Bergabung;
    - ``report_operator_stage``: "Operator terlatih" or deeper with 0 trained operators, or trained operators
      with a stage below it;
    - ``report_services_stage``: "Layanan aktif" or deeper with no pillar active, or a pillar active with a
      stage below it;
    - ``report_operator_bimtek``: more trained operators than the village's operator participants in real
      Bimtek records up to the report date (only where the kabupaten has real Bimtek records).

    Reports are stored as reported: these are findings for the Dinas to follow up, not corrections.
    """
    rows = tables.get("status_report_rows")
    if rows is None or rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ("village_code", "rule", "detail")})
    rows = rows.assign(order=rows["stage"].map(STAGE_ORDER)).sort_values(["village_code", "report_date"])
    out: list[pd.DataFrame] = []

    def stage(code: object) -> str:
        return _label(str(code), lang) if isinstance(code, str) and code in STAGE_ORDER else "–"

    def add(rule: str, frame: pd.DataFrame, details: list[str]) -> None:
        if not frame.empty:
            out.append(_rows(rule, frame["village_code"], details))

    staged = rows.dropna(subset=["order"])
    prev = staged.groupby("village_code")[["order", "stage", "report_date"]].shift()
    down = prev["order"].notna() & (staged["order"] < prev["order"])
    back = staged[down].assign(prev_stage=prev.loc[down, "stage"].to_numpy(),
                               prev_date=prev.loc[down, "report_date"].to_numpy())
    add("report_stage_backwards", back, [
        t("qual_detail_report_backwards", lang, stage=stage(r.stage), date=_day(r.report_date, lang),
          prev=stage(r.prev_stage), prev_date=_day(r.prev_date, lang)) for r in back.itertuples()])

    dated = rows.dropna(subset=["joined_on"])[["village_code", "report_date", "joined_on"]]
    adoption = tables["adoption"]
    exact = adoption[(adoption["stage"] == "bergabung") & ~_demo(adoption)]
    dated = pd.concat([exact[["village_code", "reached_on"]].rename(columns={"reached_on": "joined_on"})
                       .assign(report_date=pd.NaT), dated], ignore_index=True)
    dated = dated[dated["village_code"].isin(rows["village_code"])]
    dated = dated.sort_values(["village_code", "report_date"], na_position="first", ignore_index=True)
    first_day = dated.groupby("village_code")["joined_on"].transform("first")
    differs = dated["joined_on"] != first_day
    changed = dated[differs].assign(first=first_day[differs].to_numpy()).groupby("village_code").first()
    changed = changed.reset_index()
    add("report_join_changed", changed, [
        t("qual_detail_report_join_changed", lang, first=_day(r.first, lang), date=_day(r.joined_on, lang),
          report=_day(r.report_date, lang)) for r in changed.itertuples()])

    latest = rows.groupby("village_code").tail(1)
    bad = latest[latest["joined_on"].notna() & latest["order"].notna() & (latest["order"] < STAGE_ORDER["bergabung"])]
    add("report_join_stage", bad, [t("qual_detail_report_join_stage", lang, date=_day(r.joined_on, lang),
                                     stage=stage(r.stage), report=_day(r.report_date, lang)) for r in bad.itertuples()])

    trained = STAGE_ORDER["operator_terlatih"]
    ops = latest.dropna(subset=["operators_trained", "order"])
    zero = ops[(ops["order"] >= trained) & (ops["operators_trained"] == 0)]
    some = ops[(ops["order"] < trained) & (ops["operators_trained"] > 0)]
    add("report_operator_stage", pd.concat([zero, some]), [
        t("qual_detail_report_operator_zero", lang, stage=stage(r.stage), report=_day(r.report_date, lang))
        for r in zero.itertuples()] + [
        t("qual_detail_report_operator_some", lang, n=fmt_int(r.operators_trained, lang), stage=stage(r.stage),
          report=_day(r.report_date, lang)) for r in some.itertuples()])

    services = tables.get("status_report_services")
    if services is not None and not services.empty:
        flags = services.merge(latest[["village_code", "report_date"]], on=["village_code", "report_date"])
        active = flags[flags["active"].astype(bool)].groupby("village_code")["pillar"].agg(list)
        stated = set(flags["village_code"])
        with_flags = latest[latest["village_code"].isin(stated) & latest["order"].notna()]
        in_use = STAGE_ORDER["layanan_aktif"]
        none_active = with_flags[(with_flags["order"] >= in_use) & ~with_flags["village_code"].isin(active.index)]
        early = with_flags[(with_flags["order"] < in_use) & with_flags["village_code"].isin(active.index)]
        names = {p.code: (p.label_en if lang == "en" else p.label_id) for p in PILLARS}
        add("report_services_stage", pd.concat([none_active, early]), [
            t("qual_detail_report_services_none", lang, stage=stage(r.stage), report=_day(r.report_date, lang))
            for r in none_active.itertuples()] + [
            t("qual_detail_report_services_early", lang, pillars=", ".join(names[p] for p in active[r.village_code]),
              stage=stage(r.stage), report=_day(r.report_date, lang)) for r in early.itertuples()])

    parts, events = tables["bimtek_participants"], tables["bimtek_events"]
    real = parts[~_demo(parts)].merge(events[["event_id", "start_date"]], on="event_id")
    if not real.empty:
        covered = latest[latest["village_code"].str[:5].isin(set(real["village_code"].str[:5]))]
        covered = covered[covered["operators_trained"].fillna(0) > 0]
        ops_rows = real[real["role"] == "operator"]
        counted = [int(((ops_rows["village_code"] == r.village_code) & (ops_rows["start_date"] <= r.report_date)).sum())
                   for r in covered.itertuples()]
        covered = covered.assign(counted=counted)
        more = covered[covered["operators_trained"] > covered["counted"]]
        add("report_operator_bimtek", more, [
            t("qual_detail_report_operator_bimtek", lang, n=fmt_int(r.operators_trained, lang),
              report=_day(r.report_date, lang), counted=fmt_int(r.counted, lang)) for r in more.itertuples()])
    if not out:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ("village_code", "rule", "detail")})
    return pd.concat(out, ignore_index=True).drop_duplicates(["village_code", "rule"])


def _n(value: float) -> str:
    """A count from a table column; NaN (not known) shows as a dash."""
    return "–" if pd.isna(value) else str(int(value))


def _future_issues(tables: Mapping[str, pd.DataFrame], data_as_of: dt.date, lang: str) -> list[pd.DataFrame]:
    """Records dated after the data date (a typo in a year is the usual cause)."""
    end = pd.Timestamp(data_as_of)
    events = tables["bimtek_events"].set_index("event_id")["start_date"]
    dated = [("adoption", tables["adoption"], "reached_on"), ("services", tables["services"], "started_on"),
             ("officers", tables["officers"], "appointed_on"),
             ("bimtek", tables["bimtek_participants"].assign(day=tables["bimtek_participants"]["event_id"]
                                                             .map(events)), "day")]
    frames = [f[f[col] > end].assign(table=name, day=f[col])[["village_code", "table", "day"]]
              for name, f, col in dated]
    late = pd.concat(frames).sort_values("day").groupby("village_code").first()
    if late.empty:
        return []
    return [_rows("future_date", late.index.to_series(),
                  [t("qual_detail_future_date", lang, table=r.table, date=_day(r.day, lang)) for r in late.itertuples()])]


@dataclass(frozen=True)
class Inputs:
    """What a finder reads: the store tables, village types and kabupaten, the data date, the period end
    (evidence is compared at the period end) and the language of the detail texts."""

    tables: Mapping[str, pd.DataFrame]
    types: pd.Series  # village_type per village code
    data_as_of: dt.date
    as_of: dt.date
    lang: str
    idm: pd.DataFrame | None = None  # the build's IDM 2024 (both editions compared)
    indeks: Mapping[int, pd.DataFrame] | None = None  # the Indeks Desa per year


@dataclass(frozen=True)
class Finder:
    """One family of findings: the rule ids it can emit (in the page's order) and the function that finds
    them (a list of ``_rows`` frames). Add a check by appending one ``Finder`` to ``FINDERS``."""

    rules: tuple[str, ...]
    find: Callable[[Inputs], list[pd.DataFrame]]


def _officer_issues(inputs: Inputs) -> list[pd.DataFrame]:
    """Officers recorded in a kelurahan (officers serve desa in the programme)."""
    officers = inputs.tables["officers"]
    kel = officers[officers["village_code"].map(inputs.types).eq("kelurahan")].groupby("village_code")["name"].first()
    if kel.empty:
        return []
    return [_rows("officer_kelurahan", kel.index.to_series(),
                  [t("qual_detail_officer_kelurahan", inputs.lang, name=n) for n in kel])]


def _evidence_issues(inputs: Inputs) -> list[pd.DataFrame]:
    """Stage-evidence disagreements (``metrics.evidence``): one finding per desa and kind, naming the stage,
    the date it was reported and what the other source holds."""
    desa = inputs.types.index[inputs.types.eq("desa")]
    found = evidence.disagreements(inputs.tables, desa, inputs.as_of)
    if found.empty:
        return []
    details = [evidence_detail(r, inputs.lang) for r in found.itertuples(index=False)]
    return [_rows(kind, part["village_code"], [details[i] for i in part.index])
            for kind, part in found.groupby("kind", sort=False)]


def evidence_detail(row, lang: str) -> str:
    """One disagreement as a sentence: "Operator terlatih dilaporkan 5 Maret 2023, tetapi tidak ada operator
    dalam data Bimtek" (``row``: an ``evidence.disagreements`` row)."""
    stage = _label(row.stage, lang)
    present = t(f"evid_{row.source}_present", lang, n=int(row.evidence_n), date=_day(row.evidence_on, lang))
    absent = t(f"evid_{row.source}_absent", lang)
    return t(f"evid_kind_{row.kind}", lang, stage=stage, date=_day(row.stage_on, lang), present=present,
             absent=absent)


def _idm_edition_issues(idm: pd.DataFrame | None, lang: str) -> list[pd.DataFrame]:
    """Desa whose IDM 2024 status differs between Kemendesa's recommendation workbook (the value shown) and
    the Satu Data edition (``idm.parquet`` columns ``satudata_status`` / ``satudata_nilai``)."""
    if idm is None or "satudata_status" not in idm:
        return []
    both = idm[idm["edition"].eq(EDITION_WORKBOOK) & idm["satudata_status"].notna()]
    differ = both[both["status"] != both["satudata_status"]]
    if differ.empty:
        return []
    details = [t("qual_detail_idm_edition_status", lang, year=int(r.year), status=r.status,
                 nilai=fmt_num(r.nilai, 4, lang), sd_status=r.satudata_status, sd_nilai=fmt_num(r.satudata_nilai, 4, lang))
               for r in differ.itertuples()]
    return [_rows("idm_edition_status", differ["code"], details)]


def _indeks_status_issues(indeks: Mapping[int, pd.DataFrame] | None, lang: str) -> list[pd.DataFrame]:
    """Desa whose Indeks Desa status (read from the file) is not the band of its total score (the file's or the
    dashboard's; bands: third party). The latest round first: one finding per desa."""
    frames = []
    for year, desa in sorted((indeks or {}).items(), reverse=True):
        differ = desa[desa["status_source"].eq("file") & desa["band_status"].notna() & (desa["status"] != desa["band_status"])]
        if differ.empty:
            continue
        details = [t("qual_detail_indeks_status_score", lang, year=year, status=r.status, total=fmt_num(r.total, 2, lang),
                     band=r.band_status, source=t(f"qual_score_source_{r.total_source}", lang))
                   for r in differ.itertuples()]
        frames.append(_rows("indeks_status_score", differ["code"], details))
    return frames


FINDERS: list[Finder] = [
    Finder(("stage_order", "stage_gap", "adoption_kelurahan"),
           lambda i: _adoption_issues(i.tables["adoption"], i.types, i.lang)),
    Finder(evidence.KINDS, _evidence_issues),
    Finder(("service_not_joined",), lambda i: _service_issues(i.tables, i.lang)),
    Finder(("officer_kelurahan",), _officer_issues),
    Finder(("bimtek_outside", "bimtek_reported"),
           lambda i: _bimtek_issues(i.tables["bimtek_events"], i.tables["bimtek_participants"], i.lang)),
    Finder(("future_date",), lambda i: _future_issues(i.tables, i.data_as_of, i.lang)),
    Finder(("idm_edition_status",), lambda i: _idm_edition_issues(i.idm, i.lang)),
    Finder(("indeks_status_score",), lambda i: _indeks_status_issues(i.indeks, i.lang)),
    # What kabupaten status reports say, checked against themselves, earlier reports and the Bimtek records.
    Finder(("report_stage_backwards", "report_join_changed", "report_join_stage", "report_operator_stage",
            "report_services_stage", "report_operator_bimtek"), lambda i: [report_issues(i.tables, i.lang)]),
]
#: Finding kinds, in the order the page lists them.
RULES: tuple[str, ...] = tuple(rule for finder in FINDERS for rule in finder.rules)
#: ``report_*``: what a kabupaten status report says (``report_issues``).
REPORT_RULES = tuple(r for r in RULES if r.startswith("report_"))


def find_issues(tables: Mapping[str, pd.DataFrame], regions: pd.DataFrame, data_as_of: dt.date,
                lang: str = "id", as_of: dt.date | None = None, *, idm: pd.DataFrame | None = None,
                indeks: Mapping[int, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every finding, one row per village and rule: village_code, kab_code, rule, detail (in ``lang``).

    ``tables``: the store tables (adoption, services, officers, bimtek_events, bimtek_participants);
    ``as_of``: the period end the stage evidence is compared at (default: the data date); ``idm``: the build's
    IDM 2024 (both editions compared) when given; ``indeks``: the Indeks Desa per year.
    """
    villages = regions[regions["level"] == "desa"].set_index("code")
    inputs = Inputs(tables, villages["village_type"], data_as_of, as_of or data_as_of, lang, idm, indeks)
    frames = [frame for finder in FINDERS for frame in finder.find(inputs) if len(frame)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="str") for c in ISSUE_COLUMNS})
    issues = pd.concat(frames, ignore_index=True).drop_duplicates(["village_code", "rule"])
    issues["kab_code"] = issues["village_code"].map(villages["kab_code"])
    issues["rule"] = pd.Categorical(issues["rule"], categories=RULES, ordered=True)
    issues = issues.sort_values(["kab_code", "village_code", "rule"], ignore_index=True)
    issues["rule"] = issues["rule"].astype("str")
    return issues[ISSUE_COLUMNS]


def planted(meta: Mapping[str, str]) -> set[tuple[str, str]]:
    """(village_code, rule) of the disagreements planted on purpose in the demo set (``meta.demo_planted``,
    JSON), so the findings page can say so; empty for real data."""
    try:
        return {(str(v), str(r)) for v, r in json.loads(meta.get("demo_planted", "[]"))}
    except (ValueError, TypeError):
        return set()


def filled_share(tables: Mapping[str, pd.DataFrame], kab_of: pd.Series) -> pd.Series:
    """Percent of filled cells per kabupaten over ``FILLED_COLUMNS`` of its villages' records."""
    filled, total = [], []
    for name, cols in FILLED_COLUMNS.items():
        if name not in tables:
            continue
        frame = tables[name]
        kab = frame["village_code"].map(kab_of)
        cells = frame[list(cols)].notna() & frame[list(cols)].astype("str").ne("")
        filled.append(cells.sum(axis=1).groupby(kab).sum())
        total.append(pd.Series(len(cols), index=frame.index).groupby(kab).sum())
    f = pd.concat(filled, axis=1).sum(axis=1)
    n = pd.concat(total, axis=1).sum(axis=1)
    return (100 * f / n).where(n > 0)


def quality_table(snapshot: pd.DataFrame, indicators: pd.DataFrame, tables: Mapping[str, pd.DataFrame],
                  issues: pd.DataFrame) -> pd.DataFrame:
    """One row per kabupaten (index kab_code): villages, reporting, pct_reporting, pct_filled,
    last_update, villages_with_issues and one count column per rule (villages concerned).

    ``indicators``: ``indicators.region_indicators(snapshot, "kab_code")`` (villages, last_update).
    """
    reporting = (snapshot["stage_order"].gt(0) | snapshot["services"].gt(0) | snapshot["officers"].gt(0)
                 | snapshot["bimtek_participants"].gt(0) | snapshot["in_report"])
    out = pd.DataFrame({"villages": indicators["villages"]})
    out["reporting"] = reporting.groupby(snapshot["kab_code"]).sum().reindex(out.index).fillna(0).astype(int)
    out["pct_reporting"] = 100 * out["reporting"] / out["villages"]
    out["pct_filled"] = filled_share(tables, snapshot["kab_code"]).reindex(out.index)
    out["last_update"] = indicators["last_update"]
    out["villages_with_issues"] = (issues.groupby("kab_code")["village_code"].nunique()
                                   .reindex(out.index).fillna(0).astype(int))
    per_rule = issues.groupby(["kab_code", "rule"]).size().unstack(fill_value=0)
    for rule in RULES:
        out[rule] = (per_rule[rule] if rule in per_rule else pd.Series(dtype=int)).reindex(out.index).fillna(0).astype(int)
    out.index.name = "kab_code"
    return out
