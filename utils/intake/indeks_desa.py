"""Reading the ministry's per-desa Indeks Desa workbook (2025 and later rounds); no streamlit, nothing stored.

The column contract is ``headers.json`` (through the item catalogue ``data/indeks_desa_items.parquet``):
identification columns, the status ("Status ID", alias "STATUS ID 25") and one score column per item, named by
its standard name or an alias (compared by ``indeks_desa.item_key``: case, spaces, "/ ", "?" and a leading
"SKOR " do not matter). Title rows above the header are skipped; codes written as numbers are read as text.

``read_index`` returns an ``IndexRead``: what the file holds, the item columns found and missing, the errors
that refuse it (row, column, message) and the findings that do not (unknown codes, a status that disagrees
with the scores, ...). A file in another layout raises ``Refused`` naming what was expected and what was found.

Scores: the file's own dimension and total columns when present; otherwise ``SCORE_METHOD`` (labelled
"dihitung oleh dasbor"). Status: the file's; where a desa has none, the total's band in ``THIRD_PARTY_BANDS``
(labelled third-party).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from utils.data.indeks_desa import item_key
from utils.domain import indeks_desa as ixd
from utils.domain.codes import PROVINCE_CODE, to_dotted
from utils.domain.text import header_key
from utils.i18n import fmt_num, t

INDEX = "indeks_desa"
_SCAN_ROWS = 50
#: Identification columns: headers.json's standard names plus spellings an office may use (header_key).
ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "provinsi": ("provinsi", "namaprovinsi"),
    "kabupaten": ("kabupatenkota", "kabupaten", "kabkota", "namakabupaten", "namakabupatenkota"),
    "kecamatan": ("kecamatan", "namakecamatan"),
    "code": ("kodewilayahadministrasidesa", "kodedesa", "kodewilayah", "kodewilayahdesa", "kodedesakelurahan"),
    "desa": ("desa", "namadesa", "desakelurahan"),
}
#: A file whose best header row names fewer of the scored items than this share is another layout.
MIN_ITEM_SHARE = 0.5


@dataclass(frozen=True)
class Issue:
    """One error or finding: file row (1-based; 0 = the file as a whole), column header, message key and values."""

    row: int
    column: str
    key: str
    kw: dict = field(default_factory=dict)
    code: str | None = None

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **{k: fmt_num(v, 2, lang) if isinstance(v, float) else v for k, v in self.kw.items()})

    def as_dict(self, lang: str = "id") -> dict:
        out = {"row": self.row, "column": self.column, "message": self.message(lang)}
        if self.code:
            out["code"] = self.code
        return out


class LayoutRefused(ValueError):
    """The file is not an Indeks Desa workbook this reader knows: ``expected`` and ``found`` name why."""

    def __init__(self, key: str, **kw: object) -> None:
        self.key, self.kw = key, kw
        super().__init__(t(key, "en", **kw))

    def text(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.kw)


@dataclass
class IndexRead:
    """What one Indeks Desa workbook holds (nothing stored)."""

    year: int
    header_row: int
    desa: pd.DataFrame  # one row per desa: see ``DESA_COLUMNS``
    items: pd.DataFrame  # long: code, item_no, score
    items_found: list[int]  # catalogue item_no of the item columns found (scored and thematic)
    items_missing: list[str]  # standard names of the scored items without a column
    errors: list[Issue]
    findings: list[Issue]
    dims_source: str  # "file" | "dashboard"
    total_source: str  # "file" | "dashboard"
    status_column: bool  # the file has a status column
    index: str = INDEX

    @property
    def accepted(self) -> bool:
        return not self.errors

    @property
    def kab_codes(self) -> list[str]:
        return sorted(self.desa["code"].str[:5].unique()) if len(self.desa) else []


DESA_COLUMNS = ["code", "year", "row", "name", "status", "status_source", "total", *(f"dim_{d}" for d in
                ixd.DIMENSION_CODES), "items_scored", "band_status"]


# --------------------------------------------------------------------------------------------------
# Columns


def _item_lookup(catalogue: pd.DataFrame) -> tuple[dict[str, int], set[str]]:
    """header key -> item_no, and the keys two items claim at the same strength (ambiguous, never used).

    Strength: the standard name, then the structure's item name, then an alias or the standard without its
    enumerator. An alias of one item that is another item's own name goes to that other item.
    """
    best: dict[str, tuple[int, set[int]]] = {}

    def offer(key: str, strength: int, item_no: int) -> None:
        if not key:
            return
        have = best.get(key)
        if have is None or strength < have[0]:
            best[key] = (strength, {item_no})
        elif strength == have[0]:
            have[1].add(item_no)

    for r in catalogue.itertuples():
        offer(item_key(r.standard), 0, int(r.item_no))
        if isinstance(r.item, str):
            offer(item_key(r.item), 1, int(r.item_no))
        for alias in r.aliases:
            offer(item_key(alias), 2, int(r.item_no))
        offer(item_key(r.standard, True), 2, int(r.item_no))
    lookup = {k: next(iter(v)) for k, (_, v) in best.items() if len(v) == 1}
    return lookup, {k for k, (_, v) in best.items() if len(v) > 1}


def _dimension_keys() -> dict[str, str]:
    keys = {}
    for d in ixd.DIMENSIONS:
        for name in {d.source, d.label_id, d.label_en}:
            for prefix in ixd.DIMENSION_PREFIXES:
                keys[prefix + header_key(name)] = d.code
    keys.update({p + "tatakelola": "tata_kelola" for p in ixd.DIMENSION_PREFIXES})
    return keys


def _classify_header(cells: list[object], lookup: dict[str, int], ambiguous: set[str]) -> dict:
    """Which column is what in one candidate header row."""
    id_of = {key: name for name, keys in ID_COLUMNS.items() for key in keys}
    dims = _dimension_keys()
    out: dict = {"ids": {}, "items": {}, "dims": {}, "total": None, "status": None, "status_year": None,
                 "total_year": None, "ambiguous": [], "duplicate": [], "texts": {}}
    for i, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        text = re.sub(r"\s+", " ", str(cell)).strip()
        out["texts"][i] = text
        k = header_key(text)
        if (m := ixd.STATUS_RE.match(k)) and out["status"] is None:
            out["status"], out["status_year"] = i, ixd.year_from_suffix(m.group(1))
        elif k in id_of and id_of[k] not in out["ids"]:
            out["ids"][id_of[k]] = i
        elif (m := ixd.TOTAL_RE.match(k)) and out["total"] is None:
            out["total"], out["total_year"] = i, ixd.year_from_suffix(m.group(1))
        elif k in dims and dims[k] not in out["dims"]:
            out["dims"][dims[k]] = i
        elif (no := lookup.get(item_key(text))) is not None:
            if no in out["items"]:
                out["duplicate"].append(i)
            else:
                out["items"][no] = i
        elif item_key(text) in ambiguous:
            out["ambiguous"].append(i)
    return out


# --------------------------------------------------------------------------------------------------
# Cells


def _number(value: object) -> float | None:
    """A cell as a number (comma decimals accepted); None when empty; NaN when not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(" ", "")
    if re.fullmatch(r"-?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return math.nan


def _status_word(value: object) -> str | None:
    if value is None or not str(value).strip():
        return None
    key = header_key(value)
    return next((s for s in ixd.STATUSES if header_key(s) == key), "")


def _fmt(value: object) -> str:
    return str(value).strip()[:60]


# --------------------------------------------------------------------------------------------------
# The reader


def find_header(rows: list[tuple], catalogue: pd.DataFrame) -> tuple[int, dict]:
    """(index of the header row, its classified columns); ``LayoutRefused`` for another layout."""
    lookup, ambiguous = _item_lookup(catalogue)
    scored = int(catalogue["structure_no"].notna().sum())
    best_i, best, best_score = -1, None, -1
    for i, row in enumerate(rows[:_SCAN_ROWS]):
        cols = _classify_header(list(row), lookup, ambiguous)
        score = len(cols["ids"]) * 5 + len(cols["items"]) + (5 if cols["status"] is not None else 0)
        if score > best_score:
            best_i, best, best_score = i, cols, score
    expected = ("Provinsi, Kabupaten/ Kota, Kecamatan, Kode Wilayah Administrasi Desa, Desa, Status ID, "
                + ", ".join(catalogue["standard"].head(3)) + f", … ({scored} butir/items)")
    found = ", ".join(list((best or {}).get("texts", {}).values())[:8]) if best else ""
    if best is None or "code" not in best["ids"]:
        raise LayoutRefused("ix_layout", expected=expected, found=found or "–")
    n_items = sum(1 for no in best["items"] if _is_scored(catalogue, no))
    if n_items < MIN_ITEM_SHARE * scored:
        raise LayoutRefused("ix_layout_items", n=n_items, total=scored, expected=expected, found=found or "–")
    return best_i, best


def _is_scored(catalogue: pd.DataFrame, item_no: int) -> bool:
    return bool(pd.notna(catalogue.loc[catalogue["item_no"] == item_no, "structure_no"]).any())


def _year(rows: list[tuple], h: int, cols: dict, year: int | None) -> tuple[int | None, list[Issue]]:
    """The round's year: from the status or total header ("STATUS ID 25"), else a title row, else ``year``."""
    found = cols["status_year"] or cols["total_year"]
    if found is None:
        for row in rows[:h]:
            for cell in row:
                if cell is not None and (m := ixd.TITLE_YEAR_RE.search(str(cell))):
                    found = int(m.group(1))
                    break
            if found:
                break
    issues: list[Issue] = []
    if found is not None and year is not None and found != year:
        issues.append(Issue(h + 1, "", "ix_err_year_differs", {"found": found, "chosen": year}))
    chosen = found if found is not None else year
    if chosen is None:
        issues.append(Issue(h + 1, "", "ix_err_no_year", {}))
    elif chosen < ixd.FIRST_YEAR:
        issues.append(Issue(h + 1, "", "ix_err_year_early", {"year": chosen, "first": ixd.FIRST_YEAR}))
    return chosen, issues


def read_rows(rows: list[tuple], catalogue: pd.DataFrame, regions: pd.DataFrame, year: int | None = None,
              method: ixd.ScoreMethod = ixd.SCORE_METHOD, bands: ixd.Bands = ixd.THIRD_PARTY_BANDS) -> IndexRead:
    """Read worksheet rows (see module docstring); ``year`` is used when the file does not say it."""
    h, cols = find_header(rows, catalogue)
    texts = cols["texts"]
    errors: list[Issue] = []
    findings: list[Issue] = []
    found_year, year_issues = _year(rows, h, cols, year)
    errors += year_issues

    cat = catalogue.set_index("item_no")
    scored_items = [int(n) for n in cat.index if pd.notna(cat.at[n, "structure_no"])]
    missing = [cat.at[n, "standard"] for n in scored_items if n not in cols["items"]]
    for i in cols["ambiguous"]:
        findings.append(Issue(h + 1, texts[i], "ix_find_ambiguous_column", {}))
    for i in cols["duplicate"]:
        findings.append(Issue(h + 1, texts[i], "ix_find_duplicate_column", {}))
    if cols["status"] is None:
        findings.append(Issue(0, "Status ID", "ix_find_no_status", {"bands": bands.source}))

    known = regions.loc[regions["level"] == "desa"].set_index("code")["village_type"]
    code_col = cols["ids"]["code"]
    # Scored items only: the thematic columns (no structure item) are listed as found, not read as scores.
    item_cols = [(no, ci) for no, ci in sorted(cols["items"].items()) if no in set(scored_items)]
    dim_cols = cols["dims"]
    records, item_rows = [], []
    seen: dict[str, int] = {}  # code -> file row of its first record
    for offset, row in enumerate(rows[h + 1:], start=h + 2):
        row = tuple(row) + (None,) * (max(texts) + 1 - len(row)) if texts else tuple(row)
        raw_code = row[code_col]
        if raw_code is None or not str(raw_code).strip():
            if any(v is not None and str(v).strip() for v in row):
                errors.append(Issue(offset, texts[code_col], "ix_err_no_code", {}))
            continue
        try:
            code = to_dotted(raw_code)
        except ValueError:
            errors.append(Issue(offset, texts[code_col], "ix_err_bad_code", {"value": _fmt(raw_code)}))
            continue
        if code.count(".") != 3:
            errors.append(Issue(offset, texts[code_col], "ix_err_bad_code", {"value": _fmt(raw_code)}))
            continue
        if not code.startswith(PROVINCE_CODE + "."):
            errors.append(Issue(offset, texts[code_col], "ix_err_other_province", {"code": code}))
            continue
        if code in seen:
            errors.append(Issue(offset, texts[code_col], "ix_err_duplicate", {"code": code, "first": seen[code]}))
            continue
        seen[code] = offset
        kind = known.get(code)
        if kind is None:
            findings.append(Issue(offset, texts[code_col], "ix_find_unknown_code", {"code": code}, code))
        elif kind == "kelurahan":
            findings.append(Issue(offset, texts[code_col], "ix_find_kelurahan", {"code": code}, code))

        scores: dict[int, int] = {}
        for item_no, ci in item_cols:
            value = _number(row[ci])
            if value is None:
                continue
            if math.isnan(value) or value != int(value) or not ixd.SCORE_MIN <= value <= ixd.SCORE_MAX:
                key = "ix_err_score_text" if math.isnan(value) else "ix_err_score"
                errors.append(Issue(offset, texts[ci], key, {"value": _fmt(row[ci]), "lo": ixd.SCORE_MIN,
                                                             "hi": ixd.SCORE_MAX}, code))
                continue
            scores[item_no] = int(value)
            item_rows.append((code, item_no, int(value)))

        rec = {"code": code, "row": offset,
               "name": _fmt(row[cols["ids"]["desa"]]) if "desa" in cols["ids"] and row[cols["ids"]["desa"]] else None}
        for d, ci in dim_cols.items():
            rec[f"dim_{d}"] = _range_value(row[ci], offset, texts[ci], code, errors)
        rec["total"] = _range_value(row[cols["total"]], offset, texts[cols["total"]], code, errors) \
            if cols["total"] is not None else None
        if cols["status"] is not None:
            word = _status_word(row[cols["status"]])
            if word == "":
                errors.append(Issue(offset, texts[cols["status"]], "ix_err_status",
                                    {"value": _fmt(row[cols["status"]]), "allowed": ", ".join(ixd.STATUSES)}, code))
            rec["status"] = word or None
        rec["_scores"] = scores
        records.append(rec)

    findings += _off_scale(item_rows, cat, {no: texts[ci] for no, ci in item_cols})
    desa = _score(records, cat, found_year, method, bands)
    findings += _status_findings(desa, texts[cols["status"]] if cols["status"] is not None else "Status ID",
                                 bool(cols["total"] is not None), bands)
    if len(item_rows):
        items = pd.DataFrame(item_rows, columns=["code", "item_no", "score"]).astype(
            {"code": "str", "item_no": "int64", "score": "int64"})
    else:
        items = pd.DataFrame({"code": pd.Series(dtype="str"), "item_no": pd.Series(dtype="int64"),
                              "score": pd.Series(dtype="int64")})
    if not records:
        errors.append(Issue(0, "", "ix_err_no_rows", {}))
    return IndexRead(
        year=found_year or 0, header_row=h + 1, desa=desa, items=items,
        items_found=sorted(cols["items"]), items_missing=missing, errors=errors, findings=findings,
        dims_source="file" if len(dim_cols) == len(ixd.DIMENSIONS) else "dashboard",
        total_source="file" if cols["total"] is not None else "dashboard",
        status_column=cols["status"] is not None,
    )


def item_scale(cat_row: pd.Series) -> tuple[int, ...]:
    """The scores an item uses: those rekomendasi.json gives an action for, and the maximum."""
    return tuple(sorted({s for s in range(ixd.SCORE_MIN, ixd.SCORE_MAX) if isinstance(cat_row.get(f"action_{s}"), str)}
                        | {ixd.SCORE_MAX}))


def _off_scale(item_rows: list[tuple], cat: pd.DataFrame, headers: dict[int, str]) -> list[Issue]:
    """One finding per item column holding scores its scale does not use (e.g. 2 where only 1 and 5 exist)."""
    if not item_rows:
        return []
    scores = pd.DataFrame(item_rows, columns=["code", "item_no", "score"])
    out = []
    for item_no, group in scores.groupby("item_no"):
        allowed = item_scale(cat.loc[item_no])
        off = group[~group["score"].isin(allowed)]
        if len(off):
            out.append(Issue(0, headers[int(item_no)], "ix_find_off_scale",
                             {"n": len(off), "values": ", ".join(map(str, sorted(off["score"].unique()))),
                              "scale": ", ".join(map(str, allowed))}))
    return out


def _range_value(value: object, row: int, column: str, code: str, errors: list[Issue]) -> float | None:
    """A dimension or total score cell: a number in 0..100 (None when empty; an error otherwise)."""
    v = _number(value)
    if v is None:
        return None
    if math.isnan(v) or not 0 <= v <= 100:
        errors.append(Issue(row, column, "ix_err_range", {"value": _fmt(value)}, code))
        return None
    return v


def _score(records: list[dict], cat: pd.DataFrame, year: int | None, method: ixd.ScoreMethod,
           bands: ixd.Bands) -> pd.DataFrame:
    """Per desa: the file's dimension/total scores where given, else ``method``'s; status from the file, else
    the total's band (``status_source`` says which)."""
    dim_of = cat["dimension"]
    rows = []
    for rec in records:
        scores = rec.pop("_scores")
        by_dim: dict[str, list[int]] = {}
        for item_no, score in scores.items():
            d = dim_of.get(item_no)
            if isinstance(d, str):
                by_dim.setdefault(d, []).append(score)
        out = {"code": rec["code"], "year": year or 0, "row": rec["row"], "name": rec.get("name")}
        for d in ixd.DIMENSION_CODES:
            given = rec.get(f"dim_{d}")
            computed = method.dimension_score(float(np.mean(by_dim[d]))) if by_dim.get(d) else None
            out[f"dim_{d}"] = given if given is not None else computed
        dims = [out[f"dim_{d}"] for d in ixd.DIMENSION_CODES if out[f"dim_{d}"] is not None]
        out["total"] = rec["total"] if rec.get("total") is not None else (float(np.mean(dims)) if dims else None)
        out["items_scored"] = sum(1 for n in scores if isinstance(dim_of.get(n), str))
        band = bands.status(out["total"]) if out["total"] is not None else None
        out["band_status"] = band
        if rec.get("status"):
            out["status"], out["status_source"] = rec["status"], "file"
        else:
            out["status"], out["status_source"] = band, ("bands" if band else None)
        rows.append(out)
    frame = pd.DataFrame(rows, columns=DESA_COLUMNS)
    return frame.astype({"code": "str", "year": "int64", "row": "int64", "name": "str", "status": "str",
                         "status_source": "str", "band_status": "str", "items_scored": "int64",
                         "total": "float64", **{f"dim_{d}": "float64" for d in ixd.DIMENSION_CODES}})


def _status_findings(desa: pd.DataFrame, column: str, total_in_file: bool, bands: ixd.Bands) -> list[Issue]:
    """A status read from the file that another band of the total (file's or computed) would give."""
    out = []
    differ = desa[desa["status_source"].eq("file") & desa["band_status"].notna() & (desa["status"] != desa["band_status"])]
    key = "ix_find_status_total_file" if total_in_file else "ix_find_status_total_dashboard"
    for r in differ.itertuples():
        out.append(Issue(int(r.row), column, key, {"status": r.status, "total": float(r.total),
                                                    "band": r.band_status, "bands": bands.source}, r.code))
    return out


def read_index(data: bytes, catalogue: pd.DataFrame, regions: pd.DataFrame, year: int | None = None) -> IndexRead:
    """``read_rows`` over an uploaded workbook's first sheet."""
    import io

    from utils.data.idm import read_workbook_rows

    return read_rows(read_workbook_rows(io.BytesIO(data)), catalogue, regions, year)
