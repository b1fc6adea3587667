"""Kemendesa's "Rekomendasi IDM per desa" workbook (IDM 2024 layout).

Layout as published: a title block, then a header row starting with ``KODE PROV``; per desa one
row with the desa columns filled (it also carries the desa's first recommendation) followed by
recommendation rows where only ``KETERANGAN`` and the columns after it are filled. Codes are stored
as numbers and are read back as text. Any other layout is refused by naming what was expected.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from utils.domain.codes import to_dotted, to_dotted_series
from utils.domain.idm import (
    EDITION_SATUDATA,
    EDITION_WORKBOOK,
    IDM_STATUSES,
    SATUDATA_CARRIED_FLAG,
    SATUDATA_STATUS,
)

#: Desa columns of the header; ``{y}`` is the IDM year, ``{t}`` the target year.
DESA_COLUMNS = (
    "KODE PROV", "NAMA PROVINSI", "KODE KAB", "NAMA KABUPATEN", "KODE KEC", "NAMA KECAMATAN",
    "KODE DESA", "NAMA DESA", "IKS {y}", "IKE {y}", "IKL {y}", "NILAI IDM {y}", "STATUS IDM {y}",
    "TARGET IDM {t}",
)
REC_COLUMNS = (
    "KETERANGAN", "KEGIATAN YANG DAPAT DILAKUKAN", "NILAI",
    "PUSAT", "PROVINSI", "KABUPATEN", "DESA", "SWASTA", "MASYARAKAT",
)
#: Who can act: source header -> output column.
ACTORS = {"PUSAT": "pusat", "PROVINSI": "provinsi", "KABUPATEN": "kabupaten", "DESA": "desa",
          "SWASTA": "swasta", "MASYARAKAT": "masyarakat"}
_HEADER_SCAN_ROWS = 50


def _norm(value: object) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().upper() if value is not None else ""


def expected_columns(year: int = 2024) -> list[str]:
    """Header the parser expects for IDM ``year`` (targets are for the following year)."""
    return [c.format(y=year, t=year + 1) for c in DESA_COLUMNS] + list(REC_COLUMNS)


def _find_header(rows: list[tuple]) -> tuple[int, int]:
    """Index of the header row (the first row whose first filled cell is KODE PROV) and the year."""
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        cells = [_norm(c) for c in row if c is not None and _norm(c)]
        if cells and cells[0] == "KODE PROV":
            years = [int(m.group(1)) for c in cells if (m := re.fullmatch(r"IKS (\d{4})", c))]
            return i, years[0] if years else 2024
    raise ValueError(
        "Format buku kerja IDM tidak dikenal / unknown IDM workbook layout: no header row starting "
        f"with 'KODE PROV' in the first {_HEADER_SCAN_ROWS} rows. Expected columns: "
        + ", ".join(expected_columns())
    )


class TooLarge(ValueError):
    """A workbook past ``max_rows``/``max_cols`` (an upload that would take unbounded work)."""


def read_workbook_rows(path, max_rows: int | None = None, max_cols: int | None = None) -> list[tuple]:
    """All cell values of the first worksheet, row by row (read-only mode: fast, low memory).

    With ``max_rows``/``max_cols`` the sheet is read at most that wide (its stated size is ignored) and
    ``TooLarge`` is raised as soon as a row past ``max_rows`` or a value past ``max_cols`` is met."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        if max_rows is None and max_cols is None:
            return list(ws.iter_rows(values_only=True))
        ws.reset_dimensions()
        rows = []
        for row in ws.iter_rows(values_only=True, max_col=max_cols + 1 if max_cols else None):
            if max_cols and len(row) > max_cols and row[max_cols] is not None:
                raise TooLarge(f"more than {max_cols} columns")
            rows.append(row[:max_cols] if max_cols else row)
            if max_rows and len(rows) > max_rows:
                raise TooLarge(f"more than {max_rows} rows")
        return rows
    finally:
        wb.close()


def _classify(indicator: pd.Series) -> pd.DataFrame:
    """Signal / internet flags from recommendation texts (whitespace and case insensitive)."""
    text = indicator.fillna("").str.lower().str.replace(r"\s+", " ", regex=True).str.strip()
    sinyal = text.str.contains(r"sinyal telepon seluler", regex=True)
    return pd.DataFrame(
        {
            "no_signal": sinyal & text.str.contains(r"\btidak ada\b", regex=True),
            "weak_signal": sinyal & text.str.contains(r"\blemah\b", regex=True),
            "no_internet_kantor": text.str.contains(
                r"^(?:tidak terdapat|belum ada|tidak ada).*fasilitas internet di kantor desa", regex=True
            ),
            "no_internet_warga": text.str.contains(
                r"^(?:tidak terdapat|belum ada|tidak ada).*akses internet warga", regex=True
            ),
        },
        index=indicator.index,
    )


def parse_idm_rows(rows: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse worksheet rows into (per-desa frame, recommendations frame); see module docstring."""
    h, year = _find_header(rows)
    header = [_norm(c) for c in rows[h]]
    expected = expected_columns(year)
    missing = [c for c in expected if c not in header]
    if missing:
        raise ValueError(
            "Format buku kerja IDM tidak dikenal / unknown IDM workbook layout: header lacks "
            f"{missing}. Expected columns: {', '.join(expected)}"
        )
    width = len(header)
    body = [tuple(r[:width]) + (None,) * (width - len(r)) for r in rows[h + 1 :]]
    raw = pd.DataFrame(body, columns=[f"c{i}" for i in range(width)], dtype=object)
    raw.columns = header  # set after construction: duplicate-safe, no dtype inference surprises
    col = {name: raw.iloc[:, header.index(name)] for name in expected}

    code_raw = col["KODE DESA"]
    is_desa = code_raw.notna() & (code_raw.astype("str").str.strip() != "")
    rec_cols = ["KETERANGAN", "KEGIATAN YANG DAPAT DILAKUKAN", "NILAI"]
    has_rec = pd.concat([col[c].notna() for c in rec_cols], axis=1).any(axis=1)
    # Rows before the first desa row that carry something would belong to no desa: refuse.
    desa_no = is_desa.cumsum()
    orphan = has_rec & (desa_no == 0)
    if orphan.any():
        raise ValueError(f"recommendation rows before the first desa row (sheet rows {list(orphan[orphan].index[:5] + h + 2)})")
    code = to_dotted_series(code_raw.where(is_desa))
    code_ff = code.ffill()

    def text(name: str) -> pd.Series:
        s = col[name]
        s = s.where(s.isna(), s.astype("str").str.strip())
        return s.replace("", None).astype("str")

    # Recommendations: every row with any of KETERANGAN / KEGIATAN / NILAI filled is kept.
    rec = pd.DataFrame(
        {
            "code": code_ff[has_rec].astype("str"),
            "year": np.int64(year),
            "indicator": text("KETERANGAN")[has_rec],
            "activity": text("KEGIATAN YANG DAPAT DILAKUKAN")[has_rec],
            "score_gain": pd.to_numeric(col["NILAI"][has_rec]).astype("float64"),
            **{out: text(src)[has_rec] for src, out in ACTORS.items()},
        }
    )
    rec.insert(2, "seq", (rec.groupby("code", sort=False).cumcount() + 1).astype("int64"))
    rec = rec.reset_index(drop=True)

    flags = _classify(rec["indicator"]).groupby(rec["code"]).any()
    desa = pd.DataFrame(
        {
            "code": code[is_desa].astype("str"),
            "year": np.int64(year),
            "iks": pd.to_numeric(col[f"IKS {year}"][is_desa]).astype("float64"),
            "ike": pd.to_numeric(col[f"IKE {year}"][is_desa]).astype("float64"),
            "ikl": pd.to_numeric(col[f"IKL {year}"][is_desa]).astype("float64"),
            "nilai": pd.to_numeric(col[f"NILAI IDM {year}"][is_desa]).astype("float64"),
            "status": text(f"STATUS IDM {year}")[is_desa].str.title(),
            "target_status": text(f"TARGET IDM {year + 1}")[is_desa].str.title(),
        }
    ).reset_index(drop=True)
    if desa["code"].duplicated().any():
        raise ValueError(f"duplicate KODE DESA: {desa.loc[desa['code'].duplicated(), 'code'].tolist()[:10]}")
    bad = sorted(set(desa["status"].dropna()) - set(IDM_STATUSES))
    if bad:
        raise ValueError(f"unknown STATUS IDM values {bad}; expected {IDM_STATUSES}")
    f = flags.reindex(desa["code"], fill_value=False).reset_index(drop=True)
    desa["signal"] = pd.Series(
        np.select([f["no_signal"], f["weak_signal"]], ["tidak ada", "lemah"], "kuat"), dtype="str"
    )
    desa["internet_kantor"] = ~f["no_internet_kantor"].astype(bool)
    desa["internet_warga"] = ~f["no_internet_warga"].astype(bool)
    counts = rec.groupby("code").size()
    desa["n_recommendations"] = desa["code"].map(counts).fillna(0).astype("int64")
    return desa.sort_values("code", ignore_index=True), rec


def parse_idm_workbook(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(idm, recommendations) frames from a published IDM workbook file."""
    return parse_idm_rows(read_workbook_rows(path))


# --------------------------------------------------------------------------------------------------
# The Satu Data edition (all 2,446 desa) and the combined IDM 2024

#: Columns of the canonical IDM table (``data/idm.parquet``, imported IDM years alike).
IDM_COLUMNS = ["code", "year", "iks", "ike", "ikl", "nilai", "status", "target_status", "signal",
               "internet_kantor", "n_recommendations", "edition", "carried_2023", "satudata_nilai",
               "satudata_status"]


def parse_satudata(path: Path) -> pd.DataFrame:
    """The Satu Data Indonesia edition of IDM 2024 for one province (compact JSON, sources/README.md).

    One row per desa: code (dotted), name, nilai, iks, ike, ikl, status (word), flag (0 regular, 2 value
    carried from the 2023 update).
    """
    import json

    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = []
    for kec in doc.get("kec", []):
        kec_code = to_dotted(str(kec["k"]))
        for r in kec.get("ds", []):
            suffix, name, nilai, iks, ike, ikl, status, flag = r
            rows.append((f"{kec_code}.{suffix}", name, nilai, iks, ike, ikl, int(status), int(flag)))
    out = pd.DataFrame(rows, columns=["code", "name", "nilai", "iks", "ike", "ikl", "status_no", "flag"])
    unknown = sorted(set(out["status_no"]) - set(SATUDATA_STATUS))
    if unknown:
        raise ValueError(f"Satu Data IDM: unknown status numbers {unknown}; expected {sorted(SATUDATA_STATUS)}")
    if out["code"].duplicated().any():
        raise ValueError(f"Satu Data IDM: duplicate desa codes {out.loc[out['code'].duplicated(), 'code'].tolist()[:10]}")
    out["status"] = out.pop("status_no").map(SATUDATA_STATUS)
    out = out.astype({"code": "str", "name": "str", "nilai": "float64", "iks": "float64", "ike": "float64",
                      "ikl": "float64", "status": "str", "flag": "int64"})
    return out.sort_values("code", ignore_index=True)


def canonical(desa: pd.DataFrame, edition: str = EDITION_WORKBOOK) -> pd.DataFrame:
    """A parsed workbook's per-desa frame in the canonical columns (``IDM_COLUMNS``).

    ``internet_warga`` is dropped: Kemendesa's indicator for residents' internet (IKS31) repeats the one for
    the village office (IKS30) for every desa, so it is not a second fact (sources/README.md).
    """
    out = desa.drop(columns=["internet_warga"], errors="ignore").copy()
    out["signal"] = out["signal"].astype("str")
    out["internet_kantor"] = out["internet_kantor"].astype("boolean")
    out["n_recommendations"] = out["n_recommendations"].astype("Int64")
    out["edition"] = edition
    out["carried_2023"] = pd.Series(False, index=out.index, dtype="boolean")
    out["satudata_nilai"] = pd.Series(np.nan, index=out.index, dtype="float64")
    out["satudata_status"] = pd.Series(None, index=out.index, dtype="str")
    return out[IDM_COLUMNS]


def combine_editions(workbook: pd.DataFrame, satudata: pd.DataFrame) -> pd.DataFrame:
    """IDM 2024 for every desa: the workbook's row where it has the desa (its recommendations come with it),
    else the Satu Data row. ``carried_2023`` marks every desa Satu Data flags as carried from the 2023 update
    (whichever edition is shown); ``satudata_nilai`` / ``satudata_status`` keep Satu Data's own figures so
    the two editions can be compared (Kualitas Data lists the desa whose statuses differ).

    A desa Satu Data fills has no recommendation rows, hence no signal or internet fact: those stay empty
    (never "strong signal" by default).
    """
    base = canonical(workbook)
    year = int(base["year"].iloc[0]) if len(base) else 2024
    sd = satudata.set_index("code")
    base["carried_2023"] = base["code"].map(sd["flag"].eq(SATUDATA_CARRIED_FLAG)).fillna(False).astype("boolean")
    base["satudata_nilai"] = base["code"].map(sd["nilai"]).astype("float64")
    base["satudata_status"] = base["code"].map(sd["status"]).astype("str")
    fill = satudata[~satudata["code"].isin(base["code"])]
    filled = pd.DataFrame({
        "code": fill["code"].astype("str"),
        "year": np.int64(year),
        "iks": fill["iks"], "ike": fill["ike"], "ikl": fill["ikl"], "nilai": fill["nilai"],
        "status": fill["status"].astype("str"),
        "target_status": pd.Series(None, index=fill.index, dtype="str"),
        "signal": pd.Series(None, index=fill.index, dtype="str"),
        "internet_kantor": pd.Series(pd.NA, index=fill.index, dtype="boolean"),
        "n_recommendations": pd.Series(pd.NA, index=fill.index, dtype="Int64"),
        "edition": EDITION_SATUDATA,
        "carried_2023": fill["flag"].eq(SATUDATA_CARRIED_FLAG).astype("boolean"),
        "satudata_nilai": fill["nilai"], "satudata_status": fill["status"].astype("str"),
    })
    out = pd.concat([base, filled[IDM_COLUMNS]], ignore_index=True)
    out = out.astype({"code": "str", "year": "int64", "edition": "str", "status": "str"})
    return out.sort_values("code", ignore_index=True)[IDM_COLUMNS]
