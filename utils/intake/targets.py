"""Yearly targets the Dinas sets: checked like any upload, written through ``apply`` (history and undo).

An administrator enters targets per indicator (``TARGET_INDICATORS``) for the province ("18") and per
kabupaten, from a small form or a workbook (columns tahun, wilayah, indikator, target), naming the decree or
document they come from (stored as the rows' ``source``). The check refuses values outside 0..100, unknown
regions and indicators, duplicates and a missing document; it warns when a target falls below the previous
year's (every target indicator rises: a share of desa reached); a year the Dinas has already set needs a
confirmation, and the values it replaces stay in the upload's old image (Riwayat can undo it). Demo targets
(``source = 'demo'``) are replaced without asking.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

import pandas as pd

from utils.domain.codes import PROVINCE_CODE, to_dotted
from utils.domain.programme import PROGRAMME_START_YEAR, TARGET_INDICATORS
from utils.domain.text import header_key
from utils.intake.reader import IngestError, cell_text, parse_number, read_sheet

KIND = "targets"
LAST_YEAR = 2045
#: Workbook columns -> accepted header spellings (compared by ``header_key``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "tahun": ("tahun", "year", "tahun target"),
    "wilayah": ("wilayah", "kode wilayah", "kode", "kabupaten", "kabupaten/kota", "kab/kota", "region"),
    "indikator": ("indikator", "indicator", "kode indikator"),
    "target": ("target", "target (%)", "target persen", "nilai", "persen", "value"),
}
_HEADERS = {header_key(a): col for col, aliases in COLUMNS.items() for a in aliases}
_INDICATORS = {**{header_key(k): k for k in TARGET_INDICATORS},
               **{header_key(v.label_id): k for k, v in TARGET_INDICATORS.items()},
               **{header_key(v.label_en): k for k, v in TARGET_INDICATORS.items()}}


@dataclass
class TargetCheck:
    """The checked targets, shaped like a validation report so ``apply.submit`` can write them."""

    file_name: str
    sha256: str
    document: str
    rows: pd.DataFrame  # year, region_code, indicator, value (the rows that passed)
    errors: list[tuple[str, dict]] = field(default_factory=list)  # (message key, its values)
    warnings: list[tuple[str, dict]] = field(default_factory=list)
    years_set: list[int] = field(default_factory=list)  # years already set by the Dinas: confirm first
    kind: str = KIND
    scope: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def frames(self) -> dict[str, pd.DataFrame]:
        return {"targets": self.rows.assign(source=self.document)}

    def details_json(self) -> str:
        return json.dumps({"document": self.document, "warnings": [[k, kw] for k, kw in self.warnings]},
                          ensure_ascii=False, default=str)


def _region(value: object, kabs: dict[str, str]) -> str | None:
    """"18" / "Provinsi" / a kabupaten code or name -> its code; None when unknown."""
    text = cell_text(value)
    if header_key(text) in ("provinsi", "provinsilampung", "lampung", "province"):
        return PROVINCE_CODE
    try:
        code = to_dotted(text)
    except ValueError:
        code = kabs.get(header_key(text.replace("Kab.", "").replace("Kabupaten", "")), "")
    return code if code == PROVINCE_CODE or code in kabs.values() else None


def check(entries: pd.DataFrame, regions: pd.DataFrame, stored: pd.DataFrame, document: str,
          file_name: str = "formulir") -> TargetCheck:
    """Check raw entries (columns tahun, wilayah, indikator, target; optional ``file_row``) against the
    region list and the stored ``targets`` table."""
    kab_rows = regions[regions["level"] == "kabupaten"]
    kabs = {**{header_key(n): c for n, c in zip(kab_rows["name"], kab_rows["code"], strict=True)},
            **{header_key(n.replace("Kab. ", "")): c for n, c in zip(kab_rows["display_name"], kab_rows["code"],
                                                                      strict=True)},
            **{c: c for c in kab_rows["code"]}}
    document = " ".join(str(document or "").split())[:200]
    errors: list[tuple[str, dict]] = []
    if not document:
        errors.append(("tgt_err_document", {}))
    out = []
    for i, r in enumerate(entries.to_dict("records")):
        row = int(r.get("file_row", i + 1))
        try:
            year = parse_number(r.get("tahun"))
        except ValueError:
            year = None
        if year is None or year != int(year) or not PROGRAMME_START_YEAR <= year <= LAST_YEAR:
            errors.append(("tgt_err_year", {"row": row, "value": cell_text(r.get("tahun")),
                                            "first": PROGRAMME_START_YEAR, "last": LAST_YEAR}))
            continue
        region = _region(r.get("wilayah"), kabs)
        if region is None:
            errors.append(("tgt_err_region", {"row": row, "value": cell_text(r.get("wilayah"))}))
            continue
        indicator = _INDICATORS.get(header_key(r.get("indikator")))
        if indicator is None:
            errors.append(("tgt_err_indicator", {"row": row, "value": cell_text(r.get("indikator"))}))
            continue
        try:
            value = parse_number(r.get("target"))
        except ValueError:
            value = None
        if value is None:
            errors.append(("tgt_err_number", {"row": row, "value": cell_text(r.get("target"))}))
            continue
        if not 0 <= value <= 100:
            errors.append(("tgt_err_range", {"row": row, "value": cell_text(r.get("target"))}))
            continue
        if value != int(value):
            errors.append(("tgt_err_whole", {"row": row, "value": cell_text(r.get("target"))}))
            continue
        out.append({"year": int(year), "region_code": region, "indicator": indicator, "value": int(value),
                    "file_row": row})
    rows = pd.DataFrame(out, columns=["year", "region_code", "indicator", "value", "file_row"])
    dup = rows[rows.duplicated(["year", "region_code", "indicator"], keep="first")]
    for r in dup.itertuples():
        errors.append(("tgt_err_duplicate", {"row": r.file_row, "year": r.year, "region": r.region_code,
                                             "indicator": r.indicator}))
    rows = rows.drop(dup.index)
    if rows.empty and not errors:
        errors.append(("tgt_err_empty", {}))
    warnings = _falling(rows, stored)
    real = stored[stored["source"] != "demo"]
    years_set = sorted(set(rows["year"]) & set(real["year"].astype(int)))
    # The content's hash (the same targets again are "nothing changes"): the rows as JSON, not a CSV writer.
    sha = hashlib.sha256(rows.drop(columns="file_row").to_json(orient="values", date_format="iso").encode()
                         + document.encode()).hexdigest()
    return TargetCheck(file_name, sha, document, rows.drop(columns="file_row").reset_index(drop=True),
                       errors, warnings, years_set)


def _falling(rows: pd.DataFrame, stored: pd.DataFrame) -> list[tuple[str, dict]]:
    """A target below the previous year's for the same region and indicator (the new rows win over stored)."""
    both = pd.concat([stored[["year", "region_code", "indicator", "value"]].assign(new=False),
                      rows[["year", "region_code", "indicator", "value"]].assign(new=True)])
    both = both.sort_values("new").drop_duplicates(["year", "region_code", "indicator"], keep="last")
    both["year"] = both["year"].astype(int)
    prev = both.assign(year=both["year"] + 1).rename(columns={"value": "prev"})[
        ["year", "region_code", "indicator", "prev"]]
    hit = rows.merge(prev, on=["year", "region_code", "indicator"])
    hit = hit[hit["value"] < hit["prev"]]
    return [("tgt_warn_falling", {"year": r.year, "region": r.region_code, "indicator": r.indicator,
                                  "value": r.value, "prev": int(r.prev)}) for r in hit.itertuples()]


def read_workbook(file_name: str, data: bytes) -> pd.DataFrame:
    """A target workbook's rows (tahun, wilayah, indikator, target, file_row); raises ``IngestError``."""
    sheet = read_sheet(file_name, data, set(_HEADERS))
    cols = {h: _HEADERS[header_key(h)] for h in sheet.cells.columns if header_key(h) in _HEADERS}
    missing = [c for c in COLUMNS if c not in cols.values()]
    if missing:
        raise IngestError("tgt_err_columns", cols=", ".join(missing))
    frame = sheet.cells[list(cols)].rename(columns=cols)
    frame = frame[frame.map(lambda v: cell_text(v) != "").any(axis=1)]
    return frame.assign(file_row=[sheet.rows[i] for i in frame.index]).reset_index(drop=True)


def save(engine, checked: TargetCheck, operator, confirmed: bool = False) -> int:
    """Write checked targets (administrators only): one recorded upload of kind ``targets``; a year already
    set by the Dinas needs ``confirmed``. Returns the upload id."""
    from utils.intake import apply

    if operator.role != "admin":
        raise apply.ApplyError("ing_apply_admin_only")
    if checked.years_set and not confirmed:
        raise apply.ApplyError("tgt_err_confirm", years=", ".join(map(str, checked.years_set)))
    return apply.submit(engine, checked, operator)
