"""``python -m utils check-index FILE [--json]``: check a development-index workbook without storing anything.

Reads an Indeks Desa per-desa workbook (2025 and later rounds) or an IDM recommendation workbook, exactly as
the import page would, and reports what it holds. Exit status 0 when the import page would accept the file,
1 when it would refuse it (2 when the file or the build's data cannot be read).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from utils.data import idm, paths
from utils.intake import indeks_desa as ix
from utils.intake import village_index as vi


def check(path: Path, regions: pd.DataFrame, catalogue: pd.DataFrame, year: int | None = None,
          lang: str = "id", base_year: int = 2024) -> dict:
    """The report of one file (the JSON ``check-index --json`` prints)."""
    data = Path(path).read_bytes()
    out: dict = {"file": Path(path).name, "sha256": vi.sha256_bytes(data), "index": None, "year": None,
                 "accepted": False, "desa_read": 0, "kabupaten": [], "coverage": None, "items_found": 0,
                 "items_missing": [], "errors": [], "findings": []}
    desa_total = int((regions["village_type"] == "desa").sum())
    try:
        vi.check_upload(data, out["file"], vi.IDM_EXTENSIONS, vi.IDM_MAX_BYTES)
        rows = idm.read_workbook_rows(path)
    except vi.Refused as exc:
        return {**out, "errors": [{"row": 0, "column": "", "message": exc.text(lang)}]}
    except Exception as exc:  # noqa: BLE001 - any reader error means an unreadable workbook
        msg = vi.Refused("imp_idm_not_workbook", detail=f"{type(exc).__name__}: {exc}").text(lang)
        return {**out, "errors": [{"row": 0, "column": "", "message": msg}]}

    if vi.is_idm_workbook(rows):
        out["index"] = "idm"
        try:
            plan = vi.plan_idm_import(data, out["file"], regions, base_year, rows=rows)
        except vi.Refused as exc:
            return {**out, "errors": [{"row": 0, "column": "", "message": exc.text(lang)}]}
        findings = [{"row": 0, "column": "KODE DESA", "message": vi.Refused("imp_idm_unknown", n=1, codes=c).text(lang),
                     "code": c} for c in plan.unknown_codes]
        return {**out, "year": plan.year, "accepted": True, "desa_read": len(plan.desa),
                "kabupaten": sorted(plan.desa["code"].str[:5].unique()),
                "coverage": {"desa": len(plan.desa), "of": desa_total}, "status_counts": plan.status_counts,
                "recommendation_rows": len(plan.recommendations), "findings": findings}

    out["index"] = ix.INDEX
    try:
        read = ix.read_rows(rows, catalogue, regions, year)
    except ix.LayoutRefused as exc:
        return {**out, "errors": [{"row": 0, "column": "", "message": exc.text(lang)}]}
    scored = set(catalogue.loc[catalogue["structure_no"].notna(), "item_no"])
    return {
        **out, "year": read.year or None, "accepted": read.accepted, "desa_read": len(read.desa),
        "kabupaten": read.kab_codes, "coverage": {"desa": len(read.desa), "of": desa_total},
        "header_row": read.header_row,
        "items_found": len([n for n in read.items_found if n in scored]),
        "items_thematic_found": len([n for n in read.items_found if n not in scored]),
        "items_missing": read.items_missing,
        "scores": {"dimensions": read.dims_source, "total": read.total_source,
                   "status": "file" if read.status_column else "bands"},
        "status_counts": {k: int(v) for k, v in read.desa["status"].value_counts().items()},
        "errors": [e.as_dict(lang) for e in read.errors],
        "findings": [f.as_dict(lang) for f in read.findings],
    }


def _summary(r: dict) -> str:
    cov = r["coverage"] or {}
    lines = [f"{r['file']}: {r['index'] or '?'} {r['year'] or ''}".rstrip(),
             f"  {'DITERIMA / accepted' if r['accepted'] else 'DITOLAK / refused'}; desa: {r['desa_read']}"
             + (f" dari / of {cov['of']}" if cov else ""),
             f"  butir ditemukan / items found: {r['items_found']}; hilang / missing: {len(r['items_missing'])}"]
    lines += [f"    - {name}" for name in r["items_missing"]]
    lines += [f"  galat / errors: {len(r['errors'])}"]
    lines += [f"    baris {e['row']} [{e['column']}]: {e['message']}" for e in r["errors"][:50]]
    lines += [f"  temuan / findings: {len(r['findings'])}"]
    lines += [f"    baris {f['row']} [{f['column']}]: {f['message']}" for f in r["findings"][:50]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m utils check-index", description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path, help="the workbook (.xlsx)")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--year", type=int, default=None, help="the round's year when the file does not state it")
    ap.add_argument("--lang", choices=("id", "en"), default="id", help="language of the messages (default id)")
    args = ap.parse_args(argv)
    if not args.file.is_file():
        print(f"Berkas tidak ada / file not found: {args.file}", file=sys.stderr)
        return 2
    try:
        regions = pd.read_parquet(paths.REGIONS)
        catalogue = pd.read_parquet(paths.INDEKS_DESA_ITEMS)
        base = pd.read_parquet(paths.IDM, columns=["year"])
    except (OSError, ValueError) as exc:
        print(f"Data build belum ada / build outputs missing ({exc}); jalankan `python -m utils build`.", file=sys.stderr)
        return 2
    base_year = int(base["year"].iloc[0]) if len(base) else 2024
    report = check(args.file, regions.loc[regions["level"] == "desa"], catalogue, args.year, args.lang, base_year)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else _summary(report))
    return 0 if report["accepted"] else 1
