"""Data quality of the programme store: completeness per kabupaten and the inconsistencies found.

Pure functions over the store's tables and the village snapshot (``indicators.village_snapshot``); no
streamlit. ``find_issues`` lists one row per finding (village, rule and the finding's sentence as a string-table
``key`` with its raw ``args``: codes, ISO dates, numbers; ``Arg``); ``quality_table`` rolls everything up per
kabupaten. Nothing here depends on the language: ``utils.views.quality_display`` words the findings.
Definitions are in docs/imports-quality.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

from utils.domain.codes import in_region
from utils.domain.idm import EDITION_WORKBOOK
from utils.domain.programme import STAGE_ORDER, STAGES
from utils.metrics import evidence, reports
from utils.metrics.progress import consistency_flags

ISSUE_COLUMNS = ["village_code", "kab_code", "rule", "key", "args"]
#: Columns of ``report_issues``.
REPORT_COLUMNS = ["village_code", "rule", "key", "args"]
#: Columns counted for "fields filled": every column of the village records except ``source`` and
#: ``services.ended_on`` (empty there means "still in use", not "missing").
FILLED_COLUMNS = {
    "adoption": ("stage", "reached_on"),
    "services": ("pillar", "service", "started_on"),
    "officers": ("name", "role", "appointed_on"),
    "bimtek_participants": ("event_id", "role", "name"),
    "status_report_rows": ("joined_on", "stage", "operators_trained"),
}


class Arg(NamedTuple):
    """One raw value of a finding's sentence, tagged with its kind (how ``utils.views.quality_display`` reads it):

    - ``stage``: a stage code (None: no valid stage, shown as a dash); ``stages`` / ``pillars``: codes, listed;
    - ``date``: an ISO date (None: no date, i.e. not joined yet);
    - ``int``: a whole number shown with thousands grouped; ``count``: a whole number (a count from a table, a
      year) shown as plain digits (None: not known, a dash);
    - ``num``: a number shown with ``digits`` decimals (None: not known);
    - ``text``: a value shown as stored (a service or officer name, an event id, kabupaten codes, an IDM status);
    - ``phrase``: a nested ``Message`` (a part of the sentence with its own words).

    Values are plain JSON types (or a ``Message``), never words of a language."""

    kind: str
    value: object
    digits: int = 0


class Message(NamedTuple):
    """A sentence as data: its string-table ``key`` and the ``Arg`` of each placeholder."""

    key: str
    args: dict[str, Arg]


def _stage(code: object) -> Arg:
    return Arg("stage", code if isinstance(code, str) and code in STAGE_ORDER else None)


def _date(value: Any) -> Arg:
    return Arg("date", pd.Timestamp(value).date().isoformat() if pd.notna(value) else None)


def _int(value: Any) -> Arg:
    return Arg("int", round(float(value)))


def _count(value: Any) -> Arg:
    """A count from a table column; NaN (not known) shows as a dash."""
    return Arg("count", None if pd.isna(value) else int(value))


def _num(value: Any, digits: int) -> Arg:
    return Arg("num", None if pd.isna(value) else float(value), digits)


def _text(value: object) -> Arg:
    return Arg("text", str(value))


def _phrase(key: str, **args: Arg) -> Arg:
    return Arg("phrase", Message(key, args))


def _rows(rule: str, codes: pd.Series, messages: list[Message]) -> pd.DataFrame:
    return pd.DataFrame({"village_code": codes.to_numpy(), "rule": rule,
                         "key": pd.Series([m.key for m in messages], dtype="str"),
                         "args": pd.Series([m.args for m in messages], dtype="object")})


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object" if c == "args" else "str") for c in columns})


def _adoption_issues(adoption: pd.DataFrame, types: pd.Series) -> list[pd.DataFrame]:
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
        details = [Message("qual_detail_stage_order", {"stage": _stage(s), "date": _date(dates.at[v, s]),
                                                       "prev": _stage(p), "prev_date": _date(dates.at[v, p])})
                   for v, s, p in zip(first.index[hit], first[hit], prev[hit], strict=True)]
        out.append(_rows("stage_order", first.index[hit].to_series(), details))
    # Skipped: a stage reached while an earlier one has no row.
    reached = dates.notna()
    gap = reached & ~reached.cummin(axis=1)
    hit = gap.any(axis=1)
    if hit.any():
        first = gap[hit].idxmax(axis=1)
        details = [Message("qual_detail_stage_gap", {
            "stage": _stage(s), "missing": Arg("stages", tuple(m for m in order[:order.index(s)] if not reached.at[v, m]))})
                   for v, s in first.items()]
        out.append(_rows("stage_gap", first.index.to_series(), details))
    kel = adoption[adoption["village_code"].map(types).eq("kelurahan")]
    if not kel.empty:
        top = kel.assign(o=kel["stage"].map(STAGE_ORDER)).sort_values("o").groupby("village_code")["stage"].last()
        out.append(_rows("adoption_kelurahan", top.index.to_series(),
                         [Message("qual_detail_adoption_kelurahan", {"stage": _stage(s)}) for s in top]))
    return out


def _demo(frame: pd.DataFrame) -> pd.Series:
    return frame["source"].eq("demo") if "source" in frame else pd.Series(False, index=frame.index)


def _same_source(tables: Mapping[str, pd.DataFrame], demo: bool) -> dict[str, pd.DataFrame]:
    """The tables' rows of one provenance (demo or real): a demo row is no evidence about real data, nor the
    other way round, so rules that compare two tables compare rows of the same provenance only."""
    return {name: frame[_demo(frame) == demo] for name, frame in tables.items() if isinstance(frame, pd.DataFrame)}


def _service_issues(tables: Mapping[str, pd.DataFrame]) -> list[pd.DataFrame]:
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
        details = [Message("qual_detail_service_not_joined", {"service": _text(r.service), "date": _date(r.started_on),
                                                              "joined": _date(r.joined)}) for r in bad.itertuples()]
        out.append(_rows("service_not_joined", bad.index.to_series(), details))
    return out


def _bimtek_issues(events: pd.DataFrame, parts: pd.DataFrame) -> list[pd.DataFrame]:
    """The Bimtek page's event flags (``progress.consistency_flags``) turned into the villages concerned."""
    out = []
    covers = events.set_index("event_id")["kab_codes"].astype("str")
    for flag in consistency_flags(events, parts).itertuples(index=False):
        rows = parts[parts["event_id"] == flag.event_id]
        if flag.kind == "outside_kab":
            kabs = {k.strip() for k in covers[flag.event_id].split(",")}
            codes = rows.loc[~rows["village_code"].str[:5].isin(kabs), "village_code"].drop_duplicates()
            detail = Message("qual_detail_bimtek_outside", {"event": _text(flag.event_id),
                                                            "kabs": _text(", ".join(sorted(kabs)))})
            out.append(_rows("bimtek_outside", codes, [detail] * len(codes)))
        elif flag.kind == "reported_mismatch":
            scoped = rows[in_region(rows["village_code"], flag.scope)] if isinstance(flag.scope, str) else rows
            codes = scoped["village_code"].drop_duplicates()
            detail = Message("qual_detail_bimtek_reported", {
                "event": _text(flag.event_id), "reported": _count(flag.reported_participants),
                "reported_v": _count(flag.reported_villages), "rows": _count(flag.counted_participants),
                "villages": _count(flag.counted_villages)})
            out.append(_rows("bimtek_reported", codes, [detail] * len(codes)))
    return out


def report_issues(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """What the status reports say, checked (columns ``REPORT_COLUMNS``: village_code, rule, key, args; one row
    per village and rule):

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
        return _empty(REPORT_COLUMNS)
    rows = rows.assign(order=rows["stage"].map(STAGE_ORDER)).sort_values(["village_code", "report_date"])
    out: list[pd.DataFrame] = []

    def add(rule: str, frame: pd.DataFrame, details: list[Message]) -> None:
        if not frame.empty:
            out.append(_rows(rule, frame["village_code"], details))

    staged = rows.dropna(subset=["order"])
    prev = staged.groupby("village_code")[["order", "stage", "report_date"]].shift()
    down = prev["order"].notna() & (staged["order"] < prev["order"])
    back = staged[down].assign(prev_stage=prev.loc[down, "stage"].to_numpy(),
                               prev_date=prev.loc[down, "report_date"].to_numpy())
    add("report_stage_backwards", back, [
        Message("qual_detail_report_backwards", {"stage": _stage(r.stage), "date": _date(r.report_date),
                                                 "prev": _stage(r.prev_stage), "prev_date": _date(r.prev_date)})
        for r in back.itertuples()])

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
        Message("qual_detail_report_join_changed", {"first": _date(r.first), "date": _date(r.joined_on),
                                                    "report": _date(r.report_date)}) for r in changed.itertuples()])

    latest = rows.groupby("village_code").tail(1)
    bad = latest[latest["joined_on"].notna() & latest["order"].notna() & (latest["order"] < STAGE_ORDER["bergabung"])]
    add("report_join_stage", bad, [Message("qual_detail_report_join_stage", {
        "date": _date(r.joined_on), "stage": _stage(r.stage), "report": _date(r.report_date)}) for r in bad.itertuples()])

    trained = STAGE_ORDER["operator_terlatih"]
    ops = latest.dropna(subset=["operators_trained", "order"])
    zero = ops[(ops["order"] >= trained) & (ops["operators_trained"] == 0)]
    some = ops[(ops["order"] < trained) & (ops["operators_trained"] > 0)]
    add("report_operator_stage", pd.concat([zero, some]), [
        Message("qual_detail_report_operator_zero", {"stage": _stage(r.stage), "report": _date(r.report_date)})
        for r in zero.itertuples()] + [
        Message("qual_detail_report_operator_some", {"n": _int(r.operators_trained), "stage": _stage(r.stage),
                                                     "report": _date(r.report_date)}) for r in some.itertuples()])

    services = tables.get("status_report_services")
    if services is not None and not services.empty:
        flags = services.merge(latest[["village_code", "report_date"]], on=["village_code", "report_date"])
        active = flags[flags["active"].astype(bool)].groupby("village_code")["pillar"].agg(list)
        stated = set(flags["village_code"])
        with_flags = latest[latest["village_code"].isin(stated) & latest["order"].notna()]
        in_use = STAGE_ORDER["layanan_aktif"]
        none_active = with_flags[(with_flags["order"] >= in_use) & ~with_flags["village_code"].isin(active.index)]
        early = with_flags[(with_flags["order"] < in_use) & with_flags["village_code"].isin(active.index)]
        add("report_services_stage", pd.concat([none_active, early]), [
            Message("qual_detail_report_services_none", {"stage": _stage(r.stage), "report": _date(r.report_date)})
            for r in none_active.itertuples()] + [
            Message("qual_detail_report_services_early", {"pillars": Arg("pillars", tuple(active[r.village_code])),
                                                          "stage": _stage(r.stage), "report": _date(r.report_date)})
            for r in early.itertuples()])

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
            Message("qual_detail_report_operator_bimtek", {"n": _int(r.operators_trained), "report": _date(r.report_date),
                                                           "counted": _int(r.counted)}) for r in more.itertuples()])
    if not out:
        return _empty(REPORT_COLUMNS)
    return pd.concat(out, ignore_index=True).drop_duplicates(["village_code", "rule"])


def _future_issues(tables: Mapping[str, pd.DataFrame], data_as_of: dt.date) -> list[pd.DataFrame]:
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
                  [Message("qual_detail_future_date", {"table": _text(r.table), "date": _date(r.day)})
                   for r in late.itertuples()])]


@dataclass(frozen=True)
class Inputs:
    """What a finder reads: the store tables, village types and kabupaten, the data date, the period end
    (evidence is compared at the period end)."""

    tables: Mapping[str, pd.DataFrame]
    types: pd.Series  # village_type per village code
    data_as_of: dt.date
    as_of: dt.date
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
                  [Message("qual_detail_officer_kelurahan", {"name": _text(n)}) for n in kel])]


def _evidence_issues(inputs: Inputs) -> list[pd.DataFrame]:
    """Stage-evidence disagreements (``metrics.evidence``): one finding per desa and kind, naming the stage,
    the date it was reported and what the other source holds."""
    desa = inputs.types.index[inputs.types.eq("desa")]
    found = evidence.disagreements(inputs.tables, desa, inputs.as_of)
    if found.empty:
        return []
    details = [evidence_message(r) for r in found.itertuples(index=False)]
    return [_rows(kind, part["village_code"], [details[i] for i in part.index])
            for kind, part in found.groupby("kind", sort=False)]


def evidence_message(row: Any) -> Message:
    """One disagreement as a sentence to word ("Operator terlatih dilaporkan 5 Maret 2023, tetapi tidak ada
    operator dalam data Bimtek"; ``row``: an ``evidence.disagreements`` row): the kind's sentence with the stage,
    its date and what the other source holds (``present``) or lacks (``absent``)."""
    present = _phrase(f"evid_{row.source}_present", n=_count(row.evidence_n), date=_date(row.evidence_on))
    return Message(f"evid_kind_{row.kind}", {"stage": _stage(row.stage), "date": _date(row.stage_on),
                                             "present": present, "absent": _phrase(f"evid_{row.source}_absent")})


def _idm_edition_issues(idm: pd.DataFrame | None) -> list[pd.DataFrame]:
    """Desa whose IDM 2024 status differs between Kemendesa's recommendation workbook (the value shown) and
    the Satu Data edition (``idm.parquet`` columns ``satudata_status`` / ``satudata_nilai``)."""
    if idm is None or "satudata_status" not in idm:
        return []
    both = idm[idm["edition"].eq(EDITION_WORKBOOK) & idm["satudata_status"].notna()]
    differ = both[both["status"] != both["satudata_status"]]
    if differ.empty:
        return []
    details = [Message("qual_detail_idm_edition_status", {
        "year": _count(r.year), "status": _text(r.status), "nilai": _num(r.nilai, 4),
        "sd_status": _text(r.satudata_status), "sd_nilai": _num(r.satudata_nilai, 4)}) for r in differ.itertuples()]
    return [_rows("idm_edition_status", differ["code"], details)]


def _indeks_status_issues(indeks: Mapping[int, pd.DataFrame] | None) -> list[pd.DataFrame]:
    """Desa whose Indeks Desa status (read from the file) is not the band of its total score (the file's or the
    dashboard's; bands: third party). The latest round first: one finding per desa."""
    frames = []
    for year, desa in sorted((indeks or {}).items(), reverse=True):
        differ = desa[desa["status_source"].eq("file") & desa["band_status"].notna() & (desa["status"] != desa["band_status"])]
        if differ.empty:
            continue
        details = [Message("qual_detail_indeks_status_score", {
            "year": _count(year), "status": _text(r.status), "total": _num(r.total, 2), "band": _text(r.band_status),
            "source": _phrase(f"qual_score_source_{r.total_source}")}) for r in differ.itertuples()]
        frames.append(_rows("indeks_status_score", differ["code"], details))
    return frames


FINDERS: list[Finder] = [
    Finder(("stage_order", "stage_gap", "adoption_kelurahan"),
           lambda i: _adoption_issues(i.tables["adoption"], i.types)),
    Finder(evidence.KINDS, _evidence_issues),
    Finder(("service_not_joined",), lambda i: _service_issues(i.tables)),
    Finder(("officer_kelurahan",), _officer_issues),
    Finder(("bimtek_outside", "bimtek_reported"),
           lambda i: _bimtek_issues(i.tables["bimtek_events"], i.tables["bimtek_participants"])),
    Finder(("future_date",), lambda i: _future_issues(i.tables, i.data_as_of)),
    Finder(("idm_edition_status",), lambda i: _idm_edition_issues(i.idm)),
    Finder(("indeks_status_score",), lambda i: _indeks_status_issues(i.indeks)),
    # What kabupaten status reports say, checked against themselves, earlier reports and the Bimtek records.
    Finder(("report_stage_backwards", "report_join_changed", "report_join_stage", "report_operator_stage",
            "report_services_stage", "report_operator_bimtek"), lambda i: [report_issues(i.tables)]),
]
#: Finding kinds, in the order the page lists them.
RULES: tuple[str, ...] = tuple(rule for finder in FINDERS for rule in finder.rules)
#: ``report_*``: what a kabupaten status report says (``report_issues``).
REPORT_RULES = tuple(r for r in RULES if r.startswith("report_"))


def find_issues(tables: Mapping[str, pd.DataFrame], regions: pd.DataFrame, data_as_of: dt.date,
                as_of: dt.date | None = None, *, idm: pd.DataFrame | None = None,
                indeks: Mapping[int, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Every finding, one row per village and rule (``ISSUE_COLUMNS``): village_code, kab_code, rule, and the
    finding's sentence as data: ``key`` (string table) and ``args`` (an ``Arg`` per placeholder; worded by
    ``quality_display.describe``).

    ``tables``: the store tables (adoption, services, officers, bimtek_events, bimtek_participants);
    ``as_of``: the period end the stage evidence is compared at (default: the data date); ``idm``: the build's
    IDM 2024 (both editions compared) when given; ``indeks``: the Indeks Desa per year.
    """
    villages = regions[regions["level"] == "desa"].set_index("code")
    inputs = Inputs(tables, villages["village_type"], data_as_of, as_of or data_as_of, idm, indeks)
    frames = [frame for finder in FINDERS for frame in finder.find(inputs) if len(frame)]
    if not frames:
        return _empty(ISSUE_COLUMNS)
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
