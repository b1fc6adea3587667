"""Reading an uploaded CSV/XLSX table into cells, whatever the office's spreadsheet looks like (no streamlit).

Handles: the size limit, wrong type or extension, empty files, UTF-8 with BOM, Latin-1, ``;``/``,``/tab
separators, a title block above the header row, merged cells (the value fills the whole range), formulas
(their stored value), and header spellings (aliases and near misses). Problems raise ``IngestError`` with a
message key of ``utils/i18n/texts/data.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

import pandas as pd

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")
HEADER_SEARCH_ROWS = 30  # a title block above the header row is at most this tall


class IngestError(Exception):
    """A file that cannot be read at all. ``key``/``kw`` make the message (utils/i18n/texts/data.py)."""

    def __init__(self, key: str, **kw: object) -> None:
        super().__init__(f"{key} {kw}")
        self.key = key
        self.kw = kw


@dataclass
class Sheet:
    """Cells of one table: ``cells`` has the file's header texts as columns; ``rows`` the file row numbers."""

    cells: pd.DataFrame
    rows: list[int]
    header_row: int  # 1-based row number of the header in the file
    formula_cells: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, header) -> formula, no value


def header_key(text: object) -> str:
    """Header text as a comparison key: lowercase ASCII letters and digits only ("Kode Desa " -> "kodedesa")."""
    s = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", s)


def check_file(name: str, data: bytes) -> str:
    """The file's extension (".csv"/".xlsx") after the size, type and emptiness checks."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise IngestError("ing_err_too_big", mb=MAX_UPLOAD_MB)
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == ".xls":
        raise IngestError("ing_err_xls")
    if ext not in EXTENSIONS:
        raise IngestError("ing_err_ext", ext=ext or "—")
    if not data.strip():
        raise IngestError("ing_err_empty")
    is_zip = data[:4] == b"PK\x03\x04"
    if ext == ".xlsx" and not is_zip:
        raise IngestError("ing_err_not_xlsx")
    if ext == ".csv" and (is_zip or b"\x00" in data[:4096]):
        raise IngestError("ing_err_not_csv")
    return ext


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else Windows-1252/Latin-1 (never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _csv_rows(text: str) -> list[list[object]]:
    sample = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS + 5])
    counts = {sep: sample.count(sep) for sep in (";", ",", "\t")}
    sep = max(counts, key=counts.get)
    if counts[sep] == 0:
        sep = ","
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=sep)]


def _xlsx_rows(data: bytes) -> tuple[list[list[object]], dict[tuple[int, int], str]]:
    """Rows of the first sheet with merged ranges filled; formulas without a stored value are reported."""
    import openpyxl

    try:
        wb_values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=False)
        wb_formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise IngestError("ing_err_bad_xlsx", detail=type(exc).__name__) from exc
    ws = wb_values.worksheets[0]
    wf = wb_formulas.worksheets[0]
    grid: list[list[object]] = [list(r) for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:  # the top-left value holds for the whole merged range
        top = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = top
    missing: dict[tuple[int, int], str] = {}
    for r, row in enumerate(wf.iter_rows(), start=1):
        for c, cell in enumerate(row, start=1):
            if isinstance(cell.value, str) and cell.value.startswith("=") and grid[r - 1][c - 1] is None:
                missing[(r, c)] = cell.value
    return grid, missing


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and pd.isna(v))


def read_sheet(name: str, data: bytes, known_headers: set[str]) -> Sheet:
    """The table in ``data``: header row found among the first rows by its known column names."""
    ext = check_file(name, data)
    if ext == ".csv":
        grid, missing = _csv_rows(decode_text(data)), {}
    else:
        grid, missing = _xlsx_rows(data)
    grid = [r for r in grid]
    if not any(not _blank(v) for row in grid for v in row):
        raise IngestError("ing_err_empty")
    best, best_hits = None, 0
    for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for v in row if not _blank(v) and header_key(v) in known_headers)
        if hits > best_hits:
            best, best_hits = i, hits
    if best is None:  # no known header at all: take the first non-empty row, the column check explains
        best = next(i for i, row in enumerate(grid) if any(not _blank(v) for v in row))
    header = grid[best]
    width = max(len(r) for r in grid)
    cols: list[str] = []
    keep: list[int] = []
    for c in range(width):
        text = header[c] if c < len(header) else None
        if _blank(text):
            continue
        label = str(text).strip()
        if label in cols:  # two columns with one header: keep the first, the second is listed as extra
            label = f"{label} ({c + 1})"
        cols.append(label)
        keep.append(c)
    body, rows = [], []
    for i in range(best + 1, len(grid)):
        values = [grid[i][c] if c < len(grid[i]) else None for c in keep]
        if all(_blank(v) for v in values):
            continue
        body.append([v.strip() if isinstance(v, str) else v for v in values])
        rows.append(i + 1)
    if not body:
        raise IngestError("ing_err_no_rows")
    formula_cells = {(r, cols[keep.index(c - 1)]): f for (r, c), f in missing.items()
                     if r - 1 > best and (c - 1) in keep}
    return Sheet(pd.DataFrame(body, columns=cols, dtype=object), rows, best + 1, formula_cells)


# --------------------------------------------------------------------------------------------------
# Cell values

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6,
    "june": 6, "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11, "desember": 12, "des": 12, "dec": 12, "december": 12,
}
EXCEL_EPOCH = dt.date(1899, 12, 30)
_TEXT_DATE = re.compile(r"^(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def parse_date(value: object) -> dt.date | None:
    """A date from an Excel date, an Excel serial number, "17 Desember 2024", "17/12/2024" or "2024-12-17".

    Returns None for a blank cell; raises ValueError for anything else. dd/mm/yyyy is day first (the
    Indonesian order), never month first.
    """
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(float(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _serial(float(text))
    if m := _YMD.match(text):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(text):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    if m := _TEXT_DATE.match(text):
        month = MONTHS.get(m[2].lower())
        if month:
            return dt.date(int(m[3]), month, int(m[1]))
    raise ValueError(text)


def _serial(number: float) -> dt.date:
    if number != int(number) or not 20000 <= number <= 80000:  # 1954 .. 2119
        raise ValueError(str(number))
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def parse_number(value: object) -> float | None:
    """A number from a cell: 12, "12", "1.234" (thousands), "3,5" / "1.234,5" (comma decimal); None if blank."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError(text)
    return float(text)


def cell_text(value: object) -> str:
    """A cell as text ("" when blank); whole floats lose their ".0" (codes typed as numbers)."""
    if _blank(value):
        return ""
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()
