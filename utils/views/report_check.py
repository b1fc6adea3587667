"""A kabupaten status report checked as a whole: reading and matching (``utils.intake.report``) composed with
what it would change and the findings it brings (``utils.metrics``). Used by the upload page, the approval
screen and ``python -m utils check-upload``; no streamlit, and nothing here writes to the store.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from utils.data import paths, store
from utils.data.dataset import Dataset
from utils.domain.programme import PILLARS, STAGES
from utils.i18n import t
from utils.intake import report
from utils.intake.reader import IngestError
from utils.metrics import indicators, quality
from utils.views import quality_display

#: Store tables the findings of a report are checked against.
_EVIDENCE_TABLES = ("adoption", "status_reports", "status_report_rows", "status_report_services",
                    "bimtek_events", "bimtek_participants")


@dataclass
class Prepared:
    """A report file with the mapping chosen for it: ``fit`` is "auto" (proposed from the headers), or a
    saved profile's "fits" / "moved" / "changed" (``report.Profile.fit``)."""

    rf: report.ReportFile
    mapping: report.Mapping
    profile: report.Profile | None
    fit: str
    moved: list[tuple[str, str, str]]


def profiles_of(engine, kab: str) -> list[report.Profile]:
    """The kabupaten's saved profiles for status reports, newest first."""
    frame = store.read_profiles(engine, kab, report.KIND)
    return [report.Profile.from_spec(r.name, r.spec, r.saved_by) for r in frame.itertuples()]


def prepare(rf: report.ReportFile, profiles: list[report.Profile], name: str | None = None) -> Prepared:
    """Choose the mapping for ``rf``: the profile called ``name``; without a name the first saved profile that
    fits, else the proposal from the headers. A named profile that no longer fits gives its adjusted mapping
    with ``fit`` "moved" or "changed" (to be confirmed)."""
    if name is not None:
        chosen = next((p for p in profiles if p.name == name), None)
        if chosen is None:
            raise KeyError(name)
        fit, mapping = chosen.fit(rf)
        return Prepared(rf, mapping, chosen, fit, chosen.moved_columns(rf) if fit != "fits" else [])
    for p in profiles:
        fit, mapping = p.fit(rf)
        if fit == "fits":
            return Prepared(rf, mapping, p, fit, [])
    return Prepared(rf, report.propose(rf), None, "auto", [])


# --------------------------------------------------------------------------------------------------
# What approving a report changes


def with_report(tables: Mapping[str, pd.DataFrame], frames: Mapping[str, pd.DataFrame],
                purge_demo: bool = False) -> dict[str, pd.DataFrame]:
    """The tables as they would be once the report in ``frames`` is applied (the same kabupaten and date
    replaced; with ``purge_demo`` the demo adoption rows gone, as the first real adoption data does)."""
    out = dict(tables)
    for name in report.TABLES:
        new = store.normalise_types(frames[name].copy(), store.TABLES[name])
        stored = out.get(name, store.empty_table(name))
        if new.empty:
            continue
        kab, day = new["kab_code"].iloc[0], new["report_date"].iloc[0]
        keep = stored[~((stored["kab_code"] == kab) & (stored["report_date"] == day))]
        out[name] = pd.concat([keep, new], ignore_index=True) if not keep.empty else new
    if purge_demo:
        adoption = out["adoption"]
        out["adoption"] = adoption[adoption["source"] != "demo"]
    return out


def findings(tables: Mapping[str, pd.DataFrame], frames: Mapping[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """The status-report findings (``quality.report_issues``) of the villages in ``frames`` once applied, worded
    in ``lang`` (columns village_code, rule, detail)."""
    after = with_report(tables, frames)
    issues = quality.report_issues(after)
    villages = set(frames["status_report_rows"]["village_code"])
    out = issues[issues["village_code"].isin(villages)].copy()
    out["rule"] = pd.Categorical(out["rule"], categories=quality.RULES, ordered=True)
    out = out.sort_values(["village_code", "rule"], ignore_index=True).assign(rule=lambda f: f["rule"].astype("str"))
    return quality_display.describe(out, lang)


@dataclass(frozen=True)
class Review:
    """What approving one report changes, for the approval screen."""

    kab: str
    report_date: dt.date
    reported: int  # pekon (desa) in the report
    desa: int  # desa of the kabupaten
    added: int  # villages with no earlier report
    changed: int  # villages whose reported state differs from their earlier report
    same: int
    stages: pd.DataFrame  # stage, label_id, label_en, before, after (desa of the kabupaten at the report date)
    findings: pd.DataFrame  # village_code, rule, detail
    purges_demo: bool  # the first real adoption data: the demo adoption rows give way


def _state(rows: pd.DataFrame, services: pd.DataFrame) -> dict[str, tuple]:
    flags = services.groupby("village_code").apply(
        lambda g: tuple(sorted(zip(g["pillar"], g["active"].astype(bool), strict=True))), include_groups=False) \
        if not services.empty else pd.Series(dtype=object)
    return {r.village_code: (pd.Timestamp(r.joined_on) if pd.notna(r.joined_on) else None,
                             r.stage if isinstance(r.stage, str) else None,
                             None if pd.isna(r.operators_trained) else int(r.operators_trained),
                             flags.get(r.village_code, ()))
            for r in rows.itertuples()}


def review(ds: Dataset, frames: Mapping[str, pd.DataFrame], lang: str = "id") -> Review:
    """Coverage, villages added and changed, the kabupaten's stage distribution before and after (at the
    report date), and the findings, of applying the report in ``frames`` to the data ``ds`` holds now."""
    head = frames["status_reports"].iloc[0]
    kab, day = str(head["kab_code"]), pd.Timestamp(head["report_date"])
    new_rows = store.normalise_types(frames["status_report_rows"].copy(), store.TABLES["status_report_rows"])
    new_svc = store.normalise_types(frames["status_report_services"].copy(), store.TABLES["status_report_services"])
    old_rows, old_svc = ds["status_report_rows"], ds["status_report_services"]
    earlier = old_rows[(old_rows["report_date"] <= day) & old_rows["village_code"].isin(new_rows["village_code"])]
    earlier = earlier.sort_values("report_date").groupby("village_code").tail(1)
    earlier_svc = old_svc.merge(earlier[["village_code", "report_date"]], on=["village_code", "report_date"])
    before, after = _state(earlier, earlier_svc), _state(new_rows, new_svc)
    added = sum(1 for v in after if v not in before)
    same = sum(1 for v, s in after.items() if before.get(v) == s)
    purge = "adoption" in (ds.demo_tables or ()) and not ds.viewing_demo
    tables_after = with_report(ds.tables, frames, purge)
    snap_before = indicators.village_snapshot(ds, day.date())
    snap_after = indicators.village_snapshot(dataclasses.replace(ds, tables=tables_after), day.date())
    desa = snap_before[(snap_before["kab_code"] == kab) & snap_before["adoption_applies"]].index

    def dist(snap: pd.DataFrame) -> list[int]:
        counts = snap.loc[desa, "stage_order"].value_counts()
        return [int(counts.get(s.order, 0)) for s in STAGES]

    stages = pd.DataFrame({"stage": [s.code for s in STAGES], "label_id": [s.label_id for s in STAGES],
                           "label_en": [s.label_en for s in STAGES], "before": dist(snap_before),
                           "after": dist(snap_after)})
    return Review(kab, day.date(), len(after), len(desa), added, len(after) - added - same, same, stages,
                  findings(ds.tables, frames, lang), purge)


# --------------------------------------------------------------------------------------------------
# python -m utils check-upload


def _tables_read_only() -> dict[str, pd.DataFrame]:
    """The store tables the findings need, read without writing anything (a missing SQLite file stays
    missing; a store without the status tables reads as empty)."""
    url = paths.database_url()
    if url.startswith("sqlite"):
        from sqlalchemy.engine import make_url

        db = make_url(url).database
        if db and db != ":memory:" and not Path(db).exists():
            return {name: store.empty_table(name) for name in _EVIDENCE_TABLES}
    engine = store.get_engine(url)
    try:
        return {name: store.read_table(engine, name) for name in _EVIDENCE_TABLES}
    finally:
        engine.dispose()


def _issue(i, lang: str) -> dict[str, object]:
    return {"row": i.row, "column": i.column, "value": i.value, "key": i.key,
            "message": t(i.key, lang, **dict(i.kw))}


def check_upload(path: Path, kab: str, *, profile: str | None = None, skip_unmatched: bool = False,
                 rows: bool = False, lang: str = "id", today: dt.date | None = None) -> tuple[bool, dict]:
    """The check the upload page runs, as JSON-ready data; (accepted, result). Stores nothing."""
    regions = pd.read_parquet(paths.REGIONS)
    data = path.read_bytes()
    result: dict[str, object] = {"file": path.name, "kab": kab, "accepted": False}
    try:
        rf = report.read_report(path.name, data)
    except IngestError as exc:
        result["errors"] = [{"row": None, "column": None, "value": "", "key": exc.key,
                             "message": t(exc.key, lang, **exc.kw)}]
        return False, result
    engine = None
    profiles: list[report.Profile] = []
    if profile is not None:
        engine = store.get_engine(paths.database_url())
        profiles = profiles_of(engine, kab)
        engine.dispose()
    try:
        prepared = prepare(rf, profiles, profile)
    except KeyError:
        result["errors"] = [{"row": None, "column": None, "value": profile, "key": "rep_err_no_profile",
                             "message": t("rep_err_no_profile", lang, name=profile, kab=kab)}]
        return False, result
    chk = report.check(rf, prepared.mapping, regions, kab, skip_unmatched=skip_unmatched, today=today)
    errors = [_issue(i, lang) for i in chk.errors]
    if prepared.fit in ("moved", "changed"):  # the app asks the operator to confirm; a command cannot
        errors.insert(0, {"row": None, "column": None, "value": profile, "key": f"rep_profile_{prepared.fit}",
                          "message": t(f"rep_profile_{prepared.fit}", lang, name=profile,
                                       cols=", ".join(f"{h} {a}→{b or '–'}" for h, a, b in prepared.moved))})
    accepted = chk.ok and prepared.fit in ("auto", "fits")
    found = findings(_tables_read_only(), chk.frames, lang) if chk.frames else pd.DataFrame(
        columns=["village_code", "rule", "detail"])
    labels = {c.index: c.label for c in rf.columns}
    result.update({
        "accepted": accepted,
        "report_date": chk.report_date.isoformat() if chk.report_date else None,
        "sheet": rf.sheet or None,
        "profile": prepared.profile.name if prepared.profile else None,
        "mapping": {labels[c]: f for c, f in sorted(prepared.mapping.columns.items())},
        "rows_read": chk.rows_read,
        "skipped": [{"row": s.row, "reason": t(s.reason, lang), "text": s.text} for s in chk.skipped],
        "matched": chk.matched,
        "unmatched": [{"row": u.row, "name": u.name, "kecamatan": u.kecamatan,
                       "suggestions": [{"code": c, "name": n, "score": sc} for c, n, sc in u.suggestions]}
                      for u in chk.unmatched],
        "excluded": chk.excluded,
        "would_store": {name: int(len(chk.frames[name])) for name in report.TABLES} if accepted else
                       {name: 0 for name in report.TABLES},
        "warnings": [_issue(i, lang) for i in chk.warnings],
        "errors": errors,
        "findings": [{"village_code": r.village_code, "rule": r.rule, "detail": r.detail} for r in found.itertuples()],
    })
    if rows and chk.frames:
        result["rows"] = _records(chk.frames)
    return accepted, result


def _records(frames: Mapping[str, pd.DataFrame]) -> list[dict[str, object]]:
    """The normalised records as they would be stored: one per pekon, its pillar flags inside."""
    svc = frames["status_report_services"]
    flags = {(v, p): bool(a) for v, p, a in zip(svc["village_code"], svc["pillar"], svc["active"], strict=True)}
    out = []
    for r in frames["status_report_rows"].itertuples():
        out.append({
            "village_code": r.village_code, "report_date": pd.Timestamp(r.report_date).date().isoformat(),
            "joined_on": pd.Timestamp(r.joined_on).date().isoformat() if pd.notna(r.joined_on) else None,
            "stage": r.stage if isinstance(r.stage, str) else None,
            "operators_trained": None if pd.isna(r.operators_trained) else int(r.operators_trained),
            "services": {p.code: flags[(r.village_code, p.code)] for p in PILLARS if (r.village_code, p.code) in flags},
            "note": r.note if isinstance(r.note, str) else None, "file_row": int(r.file_row),
        })
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m utils check-upload``: check a kabupaten progress report as the upload page would; stores
    nothing. Exit 0 when the file would be accepted, 1 when refused."""
    ap = argparse.ArgumentParser(prog="python -m utils check-upload", description=(main.__doc__ or "").split(":", 1)[-1].strip())
    ap.add_argument("file", type=Path, help="the report (.xlsx or .csv)")
    ap.add_argument("--kab", required=True, help="kabupaten/kota code, e.g. 18.06")
    ap.add_argument("--profile", default=None, help="a mapping profile saved for the kabupaten (default: the "
                                                    "mapping the app proposes from the headers)")
    ap.add_argument("--skip-unmatched", action="store_true", help="exclude rows whose village is not found, as "
                                                                  "the operator can in the app")
    ap.add_argument("--json", action="store_true", help="print the result as JSON")
    ap.add_argument("--rows", action="store_true", help="with --json: the normalised records as they would be stored")
    ap.add_argument("--lang", choices=("id", "en"), default="id", help="language of the messages")
    args = ap.parse_args(argv)
    if not args.file.is_file():
        print(f"Berkas tidak ditemukan / file not found: {args.file}", file=sys.stderr)
        return 1
    accepted, result = check_upload(args.file, args.kab, profile=args.profile, skip_unmatched=args.skip_unmatched,
                                    rows=args.rows and args.json, lang=args.lang)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(_text(result, args.lang))
    return 0 if accepted else 1


def _text(result: dict, lang: str) -> str:
    lines = [f"{result['file']} ({result['kab']}): " + ("DITERIMA / accepted" if result["accepted"] else
                                                         "DITOLAK / refused")]
    for key in ("report_date", "rows_read", "matched"):
        if key in result:
            lines.append(f"  {key}: {result[key]}")
    for e in result.get("errors", []):
        lines.append(f"  ! {('baris ' + str(e['row']) + ': ') if e['row'] else ''}{e['message']}")
    for u in result.get("unmatched", []):
        sugg = ", ".join(f"{s['name']} {s['code']}" for s in u["suggestions"]) or "–"
        lines.append(f"  ? baris {u['row']}: {u['name']} -> {sugg}")
    for w in result.get("warnings", []):
        lines.append(f"  ~ baris {w['row']}: {w['message']}")
    for f in result.get("findings", []):
        lines.append(f"  * {f['village_code']}: {f['detail']}")
    return "\n".join(lines)
