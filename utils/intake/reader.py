"""Reading an uploaded CSV/XLSX table into cells, whatever the office's spreadsheet looks like (no streamlit).

Handles: the size limit, wrong type or extension, macro workbooks, empty files, UTF-8 with BOM, UTF-16,
Latin-1, ``;``/``,``/tab separators, a title block above the header row, merged cells (the value fills the whole range), formulas
(their stored value), and header spellings (aliases and near misses). Problems raise ``IngestError`` with a
message key of ``utils/i18n/texts/data.py``.

The work per file is bounded: at most ``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns and ``MAX_CELLS`` cells,
counted while the file is streamed, and for an XLSX at most ``MAX_UNPACKED_MB`` unpacked, checked from the
zip directory before any XML is parsed; a file past a limit is refused at once with its own message.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

import pandas as pd

from utils.domain.text import header_key

MAX_UPLOAD_MB = 5
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")
HEADER_SEARCH_ROWS = 30  # a title block above the header row is at most this tall
#: Bounds on the work one file may cause, checked while reading (before anything is parsed further). A whole
#: province of every template fits (2,651 villages x 6 stages = 16k adoption rows of 5 columns); the largest
#: file allowed takes a few seconds of CPU to read and check.
MAX_ROWS = 30_000
MAX_COLUMNS = 60
MAX_CELLS = 300_000
#: Sum of the uncompressed sizes of an XLSX's parts, checked from the zip directory before any XML is read
#: (a 0.4 MB workbook can unpack to over 100 MB of sheet XML).
MAX_UNPACKED_MB = 50
MAX_UNPACKED_BYTES = MAX_UNPACKED_MB * 1024 * 1024
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE_TAG = re.compile(rb"<(?:\w+:)?(?:v|is)[\s>]")  # a cell's value: <v>, or an inline string <is>
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_MERGE_TAG = re.compile(rb"<(?:\w+:)?mergeCell\b[^<>]*?\bref=\"([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})\"")


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


def _utf16(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the bytes look like UTF-16 text (a BOM, or NULs in every other byte)."""
    if data[:2] == b"\xff\xfe":
        return "utf-16-le"
    if data[:2] == b"\xfe\xff":
        return "utf-16-be"
    head = data[:4096]
    if len(head) >= 8:
        odd, even = head[1::2], head[0::2]
        if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "utf-16-be"
    return None


def check_file(name: str, data: bytes) -> str:
    """The file's extension (".csv"/".xlsx") after the size, type and emptiness checks."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise IngestError("ing_err_too_big", mb=MAX_UPLOAD_MB)
    ext = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext == ".xls":
        raise IngestError("ing_err_xls")
    if ext == ".xlsm":
        raise IngestError("ing_err_macro")
    if ext not in EXTENSIONS:
        raise IngestError("ing_err_ext", ext=ext or "—")
    if not data.strip():
        raise IngestError("ing_err_empty")
    is_zip = data[:4] == b"PK\x03\x04"
    if ext == ".xlsx" and not is_zip:
        raise IngestError("ing_err_not_xlsx")
    if ext == ".csv" and is_zip:
        raise IngestError("ing_err_not_csv")
    if ext == ".csv" and b"\x00" in data[:4096] and _utf16(data) is None:
        raise IngestError("ing_err_not_csv_binary")
    return ext


def decode_text(data: bytes) -> str:
    """CSV bytes as text: UTF-16 (Excel's "Unicode text"), UTF-8 (with or without BOM), else Windows-1252 or
    Latin-1."""
    if enc := _utf16(data):
        try:
            return data.decode(enc).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise IngestError("ing_err_encoding") from exc
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def _too_many_rows() -> IngestError:
    return IngestError("ing_err_too_many_rows", n=MAX_ROWS)


class _Budget:
    """Counts rows and cells as they are read; raises as soon as a limit is passed."""

    def __init__(self) -> None:
        self.rows = 0
        self.cells = 0

    def take(self, row: list[object]) -> list[object]:
        while row and _blank(row[-1]):  # trailing empty (e.g. formatted) cells are not data
            row.pop()
        self.rows += 1
        if self.rows > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise _too_many_rows()
        if len(row) > MAX_COLUMNS:
            raise IngestError("ing_err_too_many_cols", n=MAX_COLUMNS)
        self.cells += len(row)
        if self.cells > MAX_CELLS:
            raise IngestError("ing_err_too_many_cells", n=MAX_CELLS)
        return row


def _csv_rows(text: str) -> list[list[object]]:
    head = text[:200_000].splitlines()[:HEADER_SEARCH_ROWS + 5]
    sample = "\n".join(head)
    counts = {sep: sample.count(sep) for sep in (";", ",", "\t")}
    sep = max(counts, key=counts.__getitem__)
    if counts[sep] == 0:
        sep = ","
    budget = _Budget()
    try:
        return [budget.take(list(r)) for r in csv.reader(io.StringIO(text), delimiter=sep)]
    except csv.Error as exc:  # e.g. a NUL character inside the text
        raise IngestError("ing_err_not_csv_binary") from exc


def _xlsx_rows(data: bytes, sheet: int = 0, max_rows: int | None = None
               ) -> tuple[list[list[object]], dict[tuple[int, int], str]]:
    """Rows of the first sheet (or sheet number ``sheet``, 0-based; only its first ``max_rows`` rows if given)
    with merged ranges filled; formulas without a stored value are reported."""
    got = _xlsx_sheets(data, [sheet], max_rows)
    if not got:
        raise IngestError("ing_err_bad_xlsx", detail="IndexError")
    return got[0][1], got[0][2]


def _xlsx_sheets(data: bytes, sheets: list[int], max_rows: int | None = None
                 ) -> list[tuple[str, list[list[object]], dict[tuple[int, int], str]]]:
    """(title, rows, formulas without a stored value) of the worksheets numbered ``sheets`` (0-based; those
    that exist), each with merged ranges filled, only its first ``max_rows`` rows if given.

    Bounded: the zip directory is checked first (macros, unpacked size), then every sheet's XML is counted
    (rows, cells), then the sheets are streamed (openpyxl read-only), refused as soon as one passes the
    row, column or cell limit. The workbook is opened once for all of them (opening it reads every sheet's
    size: the cost of a sheet count).
    """
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError("ing_err_bad_xlsx", detail=type(exc).__name__) from exc
    if any(i.filename.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for i in infos):
        raise IngestError("ing_err_macro")
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise IngestError("ing_err_unpacked", mb=MAX_UNPACKED_MB)
    # Every sheet's raw XML is counted first (C-speed regex over at most MAX_UNPACKED_MB): a workbook past a
    # limit is refused before openpyxl parses anything (opening a workbook already reads each sheet's size).
    scans: dict[str, _SheetScan] = {}
    budget_cells = 0
    for info in infos:
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            scans[info.filename] = _scan_sheet_xml(archive, info.filename)
            budget_cells += scans[info.filename].cells
            if budget_cells > 2 * MAX_CELLS:
                raise IngestError("ing_err_too_many_cells", n=MAX_CELLS)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
        worksheets = wb.worksheets
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError, EOFError) as exc:
        raise IngestError("ing_err_bad_xlsx", detail=type(exc).__name__) from exc
    out = []
    with_formulas = None  # the workbook with formulas, opened once when a sheet has any
    for sheet in sheets:
        if sheet >= len(worksheets):
            break
        ws = worksheets[sheet]
        scan = scans.get(str(getattr(ws, "_worksheet_path", "")).lstrip("/"), _SheetScan())
        try:
            ws.reset_dimensions()  # a stated size ("A1:XFD1048576") must not pad every row
            budget = _Budget()
            # Rows are read MAX_COLUMNS + 1 wide: a value in the last slot is one column too many, and a stray
            # cell at column XFD does not make every row 16,384 wide.
            width = MAX_COLUMNS + 1
            grid: list[list[object]] = [budget.take(list(r))
                                        for r in ws.iter_rows(values_only=True, max_col=width, max_row=max_rows)]
            missing: dict[tuple[int, int], str] = {}
            if scan.formulas and grid:  # a second streamed pass reads the formulas of cells holding no value
                if with_formulas is None:
                    with_formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False, read_only=True)
                wf = with_formulas.worksheets[sheet]
                wf.reset_dimensions()
                for r, row in enumerate(wf.iter_rows(values_only=True, max_row=len(grid), max_col=width), start=1):
                    values = grid[r - 1]
                    for c, value in enumerate(row, start=1):
                        if isinstance(value, str) and value.startswith("=") and (c > len(values)
                                                                                 or values[c - 1] is None):
                            missing[(r, c)] = value
        except IngestError:
            raise
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError, EOFError) as exc:
            raise IngestError("ing_err_bad_xlsx", detail=type(exc).__name__) from exc
        filled = 0
        for r1, c1, r2, c2 in scan.merges:  # the top-left value holds for the whole merged range (in the grid)
            if r1 - 1 >= len(grid) or c1 - 1 >= len(grid[r1 - 1]):
                continue
            top = grid[r1 - 1][c1 - 1]
            for r in range(r1, min(r2, len(grid)) + 1):
                row = grid[r - 1]
                if len(row) < min(c2, width):  # a row read short (its last cells empty) still gets the range
                    row.extend([None] * (min(c2, width) - len(row)))
                for c in range(c1, min(c2, len(row)) + 1):
                    row[c - 1] = top
                    filled += 1
                if filled > MAX_CELLS:
                    raise IngestError("ing_err_too_many_cells", n=MAX_CELLS)
        out.append((ws.title, grid, missing))
    return out


@dataclass
class _SheetScan:
    formulas: bool = True  # unknown layout: look for formulas the slow way
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based (row1, col1, row2, col2)
    cells: int = 0  # cell elements, with or without a value


_PREFIXED = re.compile(rb"<\w+:(?:row|c|v|is)[\s>/]")


def _count(part: bytes, tag: re.Pattern, plain: tuple[bytes, ...], prefixed: bool) -> int:
    """Occurrences of a tag: bytes.count of its spellings, or the regex when namespace prefixes ("<x:c>")
    are used."""
    if prefixed:
        return sum(1 for _ in tag.finditer(part))
    return sum(part.count(p) for p in plain)


def _scan_sheet_xml(archive: zipfile.ZipFile, path: str) -> _SheetScan:
    """Counts and marks of one sheet's raw XML, read in 1 MB chunks: refuses a sheet with more rows, value
    cells or cell elements than allowed; notes whether it holds a formula and its merged ranges (read-only
    openpyxl exposes neither)."""
    from openpyxl.utils import column_index_from_string

    scan = _SheetScan(formulas=False)
    rows = values = cells = 0
    tail = b""
    with archive.open(path) as fh:
        while True:
            chunk = fh.read(1 << 20)
            buf = tail + chunk
            # Tags are matched only before the last "<" (a tag cut by the chunk edge is matched next round).
            end = len(buf) if not chunk else max(buf.rfind(b"<"), len(buf) - 4096, 0)
            part = buf[:end]
            prefixed = _PREFIXED.search(part) is not None
            rows += _count(part, _ROW_TAG, (b"<row>", b"<row ", b"<row/"), prefixed)
            values += _count(part, _VALUE_TAG, (b"<v>", b"<v ", b"<is>", b"<is "), prefixed)
            cells += _count(part, _CELL_TAG, (b"<c>", b"<c ", b"<c/"), prefixed)
            scan.formulas = scan.formulas or bool(_FORMULA_TAG.search(buf, 0, end))
            for m in _MERGE_TAG.finditer(buf, 0, end):
                scan.merges.append((int(m[2]), column_index_from_string(m[1].decode()), int(m[4]),
                                    column_index_from_string(m[3].decode())))
            if rows > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise _too_many_rows()
            if values > MAX_CELLS or cells > 2 * MAX_CELLS or len(scan.merges) > MAX_CELLS:
                raise IngestError("ing_err_too_many_cells", n=MAX_CELLS)
            if not chunk:
                break
            tail = buf[end:]
    scan.merges = sorted(set(scan.merges))
    scan.cells = cells
    return scan


def is_blank(v: object) -> bool:
    """True for an empty cell: None, whitespace only, or NaN."""
    return _blank(v)


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and pd.isna(v))


def read_grid(name: str, data: bytes, sheet: int = 0, max_rows: int | None = None
              ) -> tuple[list[list[object]], dict[tuple[int, int], str]]:
    """Every cell of the file's first sheet (or worksheet number ``sheet``, 0-based, of a workbook; only its
    first ``max_rows`` rows if given) as rows (merged ranges filled with their top-left value) and the
    formulas without a stored value by (row, column), both 1-based; after the size, type and emptiness
    checks."""
    ext = check_file(name, data)
    missing: dict[tuple[int, int], str]
    if ext == ".csv":
        grid, missing = _csv_rows(decode_text(data)), {}
    else:
        grid, missing = _xlsx_rows(data, sheet, max_rows)
    if not any(not _blank(v) for row in grid for v in row):
        raise IngestError("ing_err_empty")
    return grid, missing


def xlsx_sheet_tops(name: str, data: bytes, first: int, last: int, max_rows: int
                    ) -> list[tuple[int, str, list[list[object]], dict[tuple[int, int], str]]]:
    """(number, title, rows, formulas without a value) of worksheets ``first`` .. ``last - 1`` (0-based) of a
    workbook, only their first ``max_rows`` rows (merged ranges filled), the workbook opened once: to find
    which sheet holds a table. After the same size and type checks as ``read_grid``."""
    check_file(name, data)
    numbers = list(range(first, last))
    return [(n, title, grid, missing)
            for n, (title, grid, missing) in zip(numbers, _xlsx_sheets(data, numbers, max_rows), strict=False)]


def read_sheet(name: str, data: bytes, known_headers: set[str]) -> Sheet:
    """The table in ``data``: header row found among the first rows by its known column names."""
    grid, missing = read_grid(name, data)
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
    seen: set[str] = set()
    for c in range(width):
        text = header[c] if c < len(header) else None
        if _blank(text):
            continue
        label = str(text).strip()
        if label in seen:  # two columns with one header: keep the first, the second is listed as extra
            label = f"{label} ({c + 1})"
        cols.append(label)
        seen.add(label)
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
    if len(body) > MAX_ROWS:
        raise _too_many_rows()
    position = {c: n for n, c in enumerate(keep)}
    formula_cells = {(r, cols[position[c - 1]]): f for (r, c), f in missing.items()
                     if r - 1 > best and (c - 1) in position}
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
