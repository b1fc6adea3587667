"""A kabupaten's own progress report, read as the Dinas office keeps it (no streamlit).

The family of files this reads (docs/data-integration.md, "Laporan perkembangan kabupaten"): a title block
("Laporan Perkembangan Smart Village", the kabupaten, "Keadaan s.d. 31 Maret 2025"); a one- or two-row
header, merged cells included ("Status Smart Village" over "Tgl Bergabung" and "Tahap"; "Layanan Digital
Aktif" over one column per pillar); perhaps a row numbering the columns; one row per pekon named without
code; the kecamatan per row, as a group heading, or only on its subtotal row; subtotal rows, a grand total,
a signature footer.

Three steps, each usable on its own (the upload page, ``python -m utils check-upload`` and the tests):

1. ``read_report(file_name, data)``: the cells, the header block, the column labels (two-row headers joined
   as "Status Smart Village / Tahap"), the title lines, the report date and kabupaten named in the title.
2. ``propose(layout)`` or a saved ``Profile``: which file column is which field, and which file words mean
   which stage or yes/no. ``Profile.fit(layout)`` says whether a saved mapping still fits the file.
3. ``check(report_file, mapping, regions, scope, ...)``: every row classified (pekon, subtotal, total,
   group heading, signature, ...), values parsed, subtotals re-counted, names matched within the kabupaten
   and kecamatan, and the store rows a clean report would write (``StatusCheck.frames``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace

import pandas as pd

from utils.data.wilayah import normalise_name
from utils.domain.codes import to_dotted
from utils.domain.programme import PILLARS, STAGE_ORDER
from utils.intake.matching import Matcher
from utils.intake.reader import (
    IngestError,
    cell_text,
    header_key,
    is_blank,
    parse_date,
    read_grid,
    xlsx_sheet_tops,
)
from utils.intake.validation import _VALUES, FIRST_DATE, Issue, Report, sha256

KIND = "status_report"
#: Store tables a status report writes, parent first.
TABLES = ("status_reports", "status_report_rows", "status_report_services")
HEADER_SEARCH_ROWS = 30
#: Worksheets of a workbook looked at for the report (a cover or a per-kecamatan recap often comes first).
MAX_REPORT_SHEETS = 10
MAX_HEADER_ROWS = 3
#: Suggestions offered for a name that matched no village (rapidfuzz ratio at least this).
SUGGEST_MIN_SCORE = 60
N_SUGGESTIONS = 3


@dataclass(frozen=True)
class Field:
    """One thing a report column can be: ``type`` is no | code | text | date | stage | count | flag."""

    code: str
    type: str
    aliases: tuple[str, ...]
    pillar: str | None = None


_PILLAR_ALIASES = {
    "pemerintahan": ("pemerintahan", "layanan pemerintahan", "pemerintahan desa", "tata kelola pemerintahan",
                     "sistem informasi desa", "pelayanan administrasi", "administrasi desa"),
    "ekonomi_kreatif": ("ekonomi kreatif", "ekonomi", "ekraf", "layanan ekonomi", "bumdes", "bumdes umkm",
                        "umkm", "ekonomi kreatif bumdes umkm"),
    "pemberdayaan": ("pemberdayaan", "pemberdayaan masyarakat", "layanan pemberdayaan", "inkubasi desa",
                     "inkubasi"),
}
FIELDS: tuple[Field, ...] = (
    Field("no", "no", ("no", "nomor", "no urut", "nomor urut")),
    Field("kode_desa", "code", ("kode desa", "kode pekon", "kode kampung", "kode tiyuh", "kode wilayah",
                                "kode kemendagri")),
    Field("kecamatan", "text", ("kecamatan", "kec", "nama kecamatan")),
    Field("nama_desa", "text", ("nama pekon", "pekon", "nama desa", "desa", "nama kampung", "kampung", "tiyuh",
                                "nama tiyuh", "desa pekon", "pekon desa", "nama desa pekon", "nama pekon desa",
                                "desa kelurahan", "nama desa kelurahan")),
    Field("tanggal_bergabung", "date", ("tgl bergabung", "tanggal bergabung", "tgl gabung", "tanggal gabung",
                                        "bergabung sejak", "bergabung tanggal", "mulai bergabung", "tgl join",
                                        "tanggal mulai bergabung", "tmt bergabung")),
    Field("tahap", "stage", ("tahap", "tahapan", "tahap saat ini", "status saat ini", "status", "status adopsi",
                             "tahap adopsi", "posisi tahap", "capaian tahap", "tahap smart village")),
    Field("operator_terlatih", "count", ("operator terlatih", "jumlah operator terlatih", "jml operator terlatih",
                                         "operator sudah dilatih", "operator yang dilatih", "operator dilatih",
                                         "jumlah operator", "operator")),
    *(Field(f"layanan_{p.code}", "flag", _PILLAR_ALIASES[p.code], pillar=p.code) for p in PILLARS),
    Field("keterangan", "text", ("keterangan", "ket", "catatan")),
)
FIELD_BY_CODE: dict[str, Field] = {f.code: f for f in FIELDS}
#: Fields whose cells hold the report's content (a row with none of them filled carries no data).
DATA_FIELDS = tuple(f.code for f in FIELDS if f.type in ("date", "stage", "count", "flag"))

#: Words for stages, compared by ``value_key`` or ``header_key``: the template's words plus what reports say.
STAGE_WORDS: dict[str, str] = {
    **_VALUES["stage"],
    "belum": "belum", "-": "belum", "belumbergabung": "belum", "belumikut": "belum",
    "sudahsosialisasi": "sosialisasi", "sudahbergabung": "bergabung", "join": "bergabung",
    "operator": "operator_terlatih", "sudahdilatih": "operator_terlatih", "pelatihanoperator": "operator_terlatih",
    "layanan": "layanan_aktif", "sudahaktif": "layanan_aktif", "layanandigitalaktif": "layanan_aktif",
    "dataterintegrasi": "data_terintegrasi", "integrasidata": "data_terintegrasi",
    "sudahterintegrasi": "data_terintegrasi",
}
#: Words for "yes"/"no" in the pillar columns; an empty cell means "no" unless the operator maps it otherwise.
FLAG_WORDS: dict[str, bool] = {
    **dict.fromkeys(("ya", "y", "iya", "v", "√", "✓", "✔", "sudah", "aktif", "ada", "terintegrasi", "1", "yes",
                     "berjalan", "ok"), True),
    **dict.fromkeys(("tidak", "t", "tdk", "-", "–", "—", "belum", "0", "no", "tidak ada", "tidak aktif", ""), False),
}

_SUMMARY_RE = re.compile(r"^\s*(sub\s*-?\s*total|subtotal|sub\s+jumlah|jumlah|jml\.?|total|grand\s*total|"
                         r"rekap(?:itulasi)?)\b", re.IGNORECASE)
_GRAND_RE = re.compile(r"\b(total|kabupaten|kab\.?|keseluruhan|seluruh(nya)?|semua)\b", re.IGNORECASE)
_SUB_RE = re.compile(r"\b(sub|kec\.?|kecamatan)\b", re.IGNORECASE)
_KEC_RE = re.compile(r"^\s*(?:kecamatan|kec\.?)\s*:?\s*(.+)$", re.IGNORECASE)
_FOOTER_RE = re.compile(r"\b(mengetahui|menyetujui|kepala\s+dinas|kepala\s+bidang|kabid|sekretaris\s+dinas|"
                        r"dibuat\s+oleh|disusun\s+oleh|pembina|penata|nip\.?|ttd|tanda\s+tangan|a\.n\.)(?=\W|$)",
                        re.IGNORECASE)
_PLACE_DATE_RE = re.compile(r"^[A-Za-z][A-Za-z .'-]+,\s*\d{1,2}\s+[A-Za-z]+\s+\d{4}$")
_NOTE_RE = re.compile(r"^\s*(catatan|keterangan|sumber)\s*:", re.IGNORECASE)
_DATE_IN_TEXT = re.compile(r"(\d{1,2}\s*[\s\-]\s*[A-Za-z]+\.?\s*[\s\-]\s*\d{4}|\d{1,2}[/\-.]\d{1,2}[/\-.]\d{4})")
_MONTH_YEAR = re.compile(r"\b([A-Za-z]+)\s+(\d{4})\b")
_AS_OF_WORDS = re.compile(r"(keadaan|posisi|per\b|s\.?\s?d\.?|sampai\s+dengan|hingga|bulan|periode|tanggal)",
                          re.IGNORECASE)
_COUNT_RE = re.compile(r"^(\d+)\s*(?:\([a-z ]+\))?\s*(?:org|orang|pekon|desa|kampung|tiyuh|ds|pkn)?\.?$",
                       re.IGNORECASE)  # "2", "2 org", "2 orang", "2 (dua) org"


def value_key(value: object) -> str:
    """A cell's text as a value-mapping key: lowercase, single spaces, symbols kept ("-", "✓")."""
    text = unicodedata.normalize("NFKC", cell_text(value)).lower()
    return " ".join(text.split())


def parse_count(value: object) -> int | None:
    """A head count: 2, "2", "2 org", "2 orang", "2 (dua) org"; "-" is none (0); None when blank; ValueError otherwise."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        if value != int(value) or value < 0:
            raise ValueError(str(value))
        return int(value)
    text = str(value).strip()
    if text in ("-", "–", "—"):
        return 0
    m = _COUNT_RE.match(text.replace(",00", ""))
    if not m:
        raise ValueError(text)
    return int(m[1])


# --------------------------------------------------------------------------------------------------
# 1. The file: header block, columns, title


@dataclass(frozen=True)
class FileColumn:
    index: int  # 0-based column in the file
    label: str  # header text, two-row headers joined with " / "
    parts: tuple[str, ...]
    letter: str

    @property
    def key(self) -> str:
        return header_key(self.label)


@dataclass
class ReportFile:
    """A report file's cells and layout (nothing interpreted yet beyond the header)."""

    file_name: str
    sha256: str
    grid: list[list[object]]
    header_rows: tuple[int, ...]  # 1-based file rows of the header block
    columns: list[FileColumn]
    body_start: int  # 0-based index of the first row below the header (and numbering row)
    numbering_row: int | None  # 1-based row numbering the columns ("1 2 3 ..."), if any
    title: list[str]
    report_date: dt.date | None  # as the title states it
    formula_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    sheet: str = ""  # the worksheet read, when it is not the workbook's first
    #: The file's bytes, kept with the upload in the store (``upload_files``) for audit.
    content: bytes = field(default=b"", repr=False, compare=False)

    @property
    def header_signature(self) -> list[str]:
        return [c.key for c in self.columns]

    def cell(self, row0: int, col: int) -> object:
        row = self.grid[row0]
        return row[col] if col < len(row) else None


def _letter(index: int) -> str:
    out, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _alias_keys() -> dict[str, str]:
    out: dict[str, str] = {}
    for f in FIELDS:
        for alias in (f.code, *f.aliases):
            out.setdefault(header_key(alias), f.code)
    return out


_ALIASES = _alias_keys()


def _header_hits(row: list[object]) -> int:
    hits = 0
    for v in row:
        if isinstance(v, str) and not is_blank(v):
            key = header_key(v)
            if key in _ALIASES or any(len(a) >= 6 and a in key for a in _ALIASES):
                hits += 1
    return hits


def _distinct(row: list[object]) -> list[str]:
    seen: list[str] = []
    for v in row:
        text = cell_text(v)
        if text and text not in seen:
            seen.append(text)
    return seen


def _numbering(row: list[object]) -> bool:
    """A row numbering the columns: 1, 2, 3 ... (or "(1)", "(2)"), at least three, increasing."""
    nums = []
    for v in row:
        if is_blank(v):
            continue
        text = cell_text(v).strip("()[] ")
        if not text.isdigit():
            return False
        nums.append(int(text))
    return len(nums) >= 3 and nums == sorted(nums) and len(set(nums)) == len(nums) and nums[0] in (0, 1)


def _data_like(row: list[object]) -> bool:
    """A row holding a date or a number: a body row, not a header row."""
    for v in row:
        if isinstance(v, int | float | dt.date) and not isinstance(v, bool):
            return True
        if isinstance(v, str) and (_DATE_IN_TEXT.search(v) or v.strip().isdigit()):
            return True
    return False


def _joins(upper: list[object], lower: list[object], candidate: list[object]) -> bool:
    """Whether ``upper`` and ``lower`` are two rows of one header (merged cells over sub-headers);
    ``candidate`` (one of them) is the row being added to the header block."""
    if is_blank_row(candidate) or _numbering(candidate) or _data_like(candidate) or len(_distinct(candidate)) < 2:
        return False
    width = max(len(upper), len(lower))
    up = [upper[i] if i < len(upper) else None for i in range(width)]
    lo = [lower[i] if i < len(lower) else None for i in range(width)]
    vertical = any(not is_blank(a) and cell_text(a) == cell_text(b) for a, b in zip(up, lo, strict=True))
    if not vertical and _header_hits(candidate) == 0:
        return False  # a title line above the header ("Kabupaten: Tanggamus") names no field
    for i in range(1, width):
        same_run = not is_blank(up[i]) and cell_text(up[i]) == cell_text(up[i - 1])
        blank_run = is_blank(up[i]) and not is_blank(up[i - 1])
        if (same_run or blank_run) and not is_blank(lo[i]) and not is_blank(lo[i - 1]) \
                and cell_text(lo[i]) != cell_text(lo[i - 1]):
            return True
    return vertical and _header_hits(lower) > 0


def is_blank_row(row: list[object]) -> bool:
    return all(is_blank(v) for v in row)


def _report_date_in(lines: list[str], cells: list[object]) -> dt.date | None:
    """"Keadaan s.d. 31 Maret 2025", "Posisi per 31/03/2025" or "30-06-2025", "Bulan Maret 2025" (month end),
    or a date cell."""
    for v in cells:
        if isinstance(v, dt.date):
            return v.date() if isinstance(v, dt.datetime) else v
    found: list[dt.date] = []
    for line in lines:
        for m in _DATE_IN_TEXT.finditer(line):
            try:
                date = parse_date(m[1])  # "31 Maret 2025", "31-Mar-2025", "31/03/2025", "30-06-2025"
            except ValueError:
                continue
            if date is not None:  # always: None is only for a blank cell, and the match is not blank
                found.append(date)
    if found:
        return found[-1]
    from utils.intake.reader import MONTHS

    for line in lines:
        if not _AS_OF_WORDS.search(line):
            continue
        for m in _MONTH_YEAR.finditer(line):
            month = MONTHS.get(m[1].lower())
            if month:
                end = pd.Timestamp(int(m[2]), month, 1) + pd.offsets.MonthEnd(0)
                return end.date()
    return None


def read_report(file_name: str, data: bytes) -> ReportFile:
    """The report's cells and layout; raises ``IngestError`` for a file that cannot be read or has no header.
    A workbook whose first sheet holds no table naming villages (a cover page, a recap per kecamatan) is read
    from the first of its next sheets that has one (else from the first sheet with a header at all)."""
    xlsx = file_name.lower().endswith(".xlsx")
    grid, missing = read_grid(file_name, data)
    found: ReportFile | None = None
    refused: IngestError | None = None
    try:
        found = _layout(file_name, data, grid, missing)
    except IngestError as exc:
        if exc.key != "rep_err_no_header" or not xlsx:
            raise
        refused = exc
    if found is not None and (not xlsx or _names_villages(found)):
        return found
    fallback: tuple[int, str] | None = None
    # The top of each later sheet tells whether it holds the report: only that much is read to choose.
    for i, name, grid, missing in xlsx_sheet_tops(file_name, data, 1, MAX_REPORT_SHEETS, _PROBE_ROWS):
        if not any(not is_blank(v) for row in grid for v in row):
            continue
        try:
            top = _layout(file_name, data, grid, missing)
        except IngestError as exc:
            if exc.key != "rep_err_no_header":
                raise
            continue
        if _names_villages(top):
            return _whole_sheet(file_name, data, i, name)
        fallback = fallback or (i, name)
    if found is not None:
        return found
    if fallback is not None:
        return _whole_sheet(file_name, data, *fallback)
    raise refused or IngestError("rep_err_no_header")


#: Rows read of a later sheet to find its header (the header search rows, a header block, a few body rows).
_PROBE_ROWS = HEADER_SEARCH_ROWS + MAX_HEADER_ROWS + 5


def _whole_sheet(file_name: str, data: bytes, index: int, name: str) -> ReportFile:
    grid, missing = read_grid(file_name, data, sheet=index)
    return replace(_layout(file_name, data, grid, missing), sheet=name)


def _names_villages(rf: ReportFile) -> bool:
    """Whether a column is proposed as the village name or code (a recap per kecamatan has none)."""
    return bool({"nama_desa", "kode_desa"} & set(propose_columns(rf).values()))


def _layout(file_name: str, data: bytes, grid: list[list[object]], missing: dict) -> ReportFile:
    width = max(len(r) for r in grid)
    grid = [list(r) + [None] * (width - len(r)) for r in grid]
    grid = [[v.strip() if isinstance(v, str) else v for v in r] for r in grid]
    scored = [(_header_hits(r) if len(_distinct(r)) >= 2 else 0, i) for i, r in enumerate(grid[:HEADER_SEARCH_ROWS])]
    best_hits, best = max(scored, key=lambda x: (x[0], -x[1]))
    if best_hits < 2:
        raise IngestError("rep_err_no_header")
    top, bottom = best, best
    while top > 0 and bottom - top + 1 < MAX_HEADER_ROWS and _joins(grid[top - 1], grid[top], grid[top - 1]):
        top -= 1
    while bottom + 1 < len(grid) and bottom - top + 1 < MAX_HEADER_ROWS \
            and _joins(grid[bottom], grid[bottom + 1], grid[bottom + 1]):
        bottom += 1
    header = [list(r) for r in grid[top:bottom + 1]]
    for r in range(len(header) - 1):  # a blank upper cell over a labelled lower one continues the label on its left
        for c in range(1, width):
            if is_blank(header[r][c]) and not is_blank(header[r][c - 1]) and not is_blank(header[r + 1][c]):
                header[r][c] = header[r][c - 1]
    body_start = bottom + 1
    numbering = None
    if body_start < len(grid) and _numbering(grid[body_start]):
        numbering, body_start = body_start + 1, body_start + 1
    columns = []
    for c in range(width):
        parts: list[str] = []
        for header_row in header:
            text = " ".join(cell_text(header_row[c]).split())
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        has_data = any(not is_blank(grid[i][c]) for i in range(body_start, len(grid)))
        if not parts and not has_data:
            continue
        label = " / ".join(parts) if parts else f"Kolom {_letter(c)}"
        columns.append(FileColumn(c, label, tuple(parts), _letter(c)))
    title = [" ".join(_distinct(r)) for r in grid[:top] if not is_blank_row(r)]
    title_cells = [v for r in grid[:top] for v in r]
    return ReportFile(file_name, sha256(data), grid, tuple(range(top + 1, bottom + 2)), columns, body_start,
                      numbering, title, _report_date_in(title, title_cells), missing, content=bytes(data))


def looks_like_report(file_name: str, data: bytes) -> bool:
    """Whether a file refused as a template has a progress report's header (a join date and a stage column):
    the upload page then points to the status report type."""
    try:
        rf = read_report(file_name, data)
    except IngestError:
        return False
    fields = set(propose_columns(rf).values())
    return {"tanggal_bergabung", "tahap"} <= fields or ("tahap" in fields and any(f.startswith("layanan_") for f in fields))


def kabupaten_in_title(rf: ReportFile, regions: pd.DataFrame) -> str | None:
    """The kabupaten/kota the title names, when exactly one is named."""
    kabs = regions[regions["level"] == "kabupaten"]
    text = normalise_name(" ".join(rf.title)) if rf.title else ""
    keys = {code: normalise_name(name) for code, name in zip(kabs["code"], kabs["name"], strict=True)}
    hits = [code for code, key in keys.items() if key and key in text
            and not any(other != key and key in other and other in text for other in keys.values())]
    return hits[0] if len(hits) == 1 else None


# --------------------------------------------------------------------------------------------------
# 2. Mapping: file columns -> fields, file words -> stages and yes/no


@dataclass
class Mapping:
    """Which file column is which field and what the file's words mean; saved as a profile's ``spec``."""

    columns: dict[int, str]  # column index -> field code
    stage_values: dict[str, str] = field(default_factory=dict)  # value_key -> stage code
    flag_values: dict[str, bool] = field(default_factory=dict)  # value_key -> yes/no

    def field_column(self, code: str) -> int | None:
        return next((c for c, f in self.columns.items() if f == code), None)

    def to_spec(self, rf: ReportFile) -> str:
        return json.dumps({
            "version": 1,
            "headers": [{"index": c.index, "label": c.label} for c in rf.columns],
            "columns": {str(c): f for c, f in sorted(self.columns.items())},
            "stage_values": dict(sorted(self.stage_values.items())),
            "flag_values": dict(sorted(self.flag_values.items())),
        }, ensure_ascii=False, sort_keys=True)


#: Header beginnings of a count ("Jumlah Pekon", "Jml Desa", "Banyaknya Desa"), as ``header_key`` writes them.
_COUNT_HEADS = ("jumlah", "jml", "banyaknya", "total")


def _score(column: FileColumn, f: Field) -> float:
    """How well a column's header names a field: 100 exact (any header row), 90 contained, else fuzzy."""
    from rapidfuzz import fuzz

    parts = [header_key(p) for p in column.parts] or [column.key]
    best = 0.0
    for alias in (f.code, *f.aliases):
        a = header_key(alias)
        if not a:
            continue
        for i, p in enumerate(parts):
            if f.type in ("text", "code") and p != a and p.startswith(_COUNT_HEADS):
                continue  # "Jumlah Pekon" counts pekon (a recap): it names none
            # The lowest header row is the most specific: "Status SV / Tahap" is the stage, not the status.
            bonus = i / 10
            if p == a:
                best = max(best, 100 + bonus)
            elif len(a) >= 5 and a in p:
                best = max(best, 90 + bonus + len(a) / 100)
            elif len(a) >= 5 and len(p) >= 5:
                ratio = fuzz.ratio(a, p)
                if ratio >= 85:
                    best = max(best, ratio - 10 + bonus)
    return best


def propose_columns(rf: ReportFile) -> dict[int, str]:
    """The mapping the app proposes from the header text: best (column, field) pairs first, each used once."""
    pairs = sorted(((_score(c, f), c.index, f.code) for c in rf.columns for f in FIELDS), reverse=True)
    used_cols: set[int] = set()
    used_fields: set[str] = set()
    out: dict[int, str] = {}
    for score, col, code in pairs:
        if score < 75 or col in used_cols or code in used_fields:
            continue
        out[col] = code
        used_cols.add(col)
        used_fields.add(code)
    return dict(sorted(out.items()))


def propose_stage(key: str) -> str | None:
    """The stage a report word names ("Sudah bergabung", "Terintegrasi", "-"), None when unknown."""
    return (STAGE_WORDS.get(key) or STAGE_WORDS.get(header_key(key))) if key else None


def propose_flag(key: str) -> bool | None:
    """Yes/no of a pillar cell ("Ya", "v", "Sudah", "-", empty), None when unknown."""
    return FLAG_WORDS[key] if key in FLAG_WORDS else FLAG_WORDS.get(header_key(key)) if header_key(key) else None


def propose(rf: ReportFile, base: Mapping | None = None) -> Mapping:
    """The proposed mapping (columns from the header text) with value words filled in where known; words of
    ``base`` (a saved profile) are kept."""
    columns = dict(base.columns) if base else propose_columns(rf)
    mapping = Mapping(columns, dict(base.stage_values) if base else {}, dict(base.flag_values) if base else {})
    complete_values(rf, mapping)
    return mapping


def complete_values(rf: ReportFile, mapping: Mapping) -> None:
    """Add the proposed meaning of every word in the mapped stage and flag columns not mapped yet."""
    for code in mapping.columns.values():
        typ = FIELD_BY_CODE[code].type
        if typ not in ("stage", "flag"):
            continue
        for key, _ in mapped_values(rf, mapping, code):
            if typ == "stage" and key and key not in mapping.stage_values and (stage := propose_stage(key)):
                mapping.stage_values[key] = stage
            if typ == "flag" and key not in mapping.flag_values and (flag := propose_flag(key)) is not None:
                mapping.flag_values[key] = flag


@dataclass(frozen=True)
class Profile:
    """A saved mapping of one kabupaten's report layout: the file's header keys by column when saved, and
    the mapping."""

    name: str
    headers: dict[int, str]  # column index -> header key, when saved
    mapping: Mapping
    saved_by: str = ""

    @classmethod
    def from_spec(cls, name: str, spec: str, saved_by: str = "") -> Profile:
        data = json.loads(spec)
        headers = {int(h["index"]): header_key(h["label"]) for h in data["headers"]}
        columns = {int(c): f for c, f in data["columns"].items() if f in FIELD_BY_CODE}
        mapping = Mapping(columns, dict(data.get("stage_values", {})),
                          {k: bool(v) for k, v in data.get("flag_values", {}).items()})
        return cls(name, headers, mapping, saved_by)

    def fit(self, rf: ReportFile) -> tuple[str, Mapping]:
        """("fits", mapping) when the file has exactly the saved headers in the same places; ("moved", the saved
        mapping re-placed by header text) when the same headers sit elsewhere; ("changed", the app's proposal
        with the saved words) otherwise. Anything but "fits" needs the operator's confirmation."""
        now = {c.index: c.key for c in rf.columns}
        words = (dict(self.mapping.stage_values), dict(self.mapping.flag_values))
        if now == self.headers:
            mapping, status = Mapping(dict(self.mapping.columns), *words), "fits"
        elif sorted(now.values()) == sorted(self.headers.values()) and len(set(now.values())) == len(now):
            where = {key: idx for idx, key in now.items()}
            mapping = Mapping({where[self.headers[c]]: f for c, f in self.mapping.columns.items()
                               if c in self.headers}, *words)
            status = "moved"
        else:
            mapping, status = Mapping(propose_columns(rf), *words), "changed"
        complete_values(rf, mapping)
        return status, mapping

    def moved_columns(self, rf: ReportFile) -> list[tuple[str, str, str]]:
        """(header, saved column letter, column letter now or "") of the saved headers not in their place."""
        now = {c.key: c for c in rf.columns}
        out = []
        for idx, key in sorted(self.headers.items()):
            col = now.get(key)
            if col is None or col.index != idx:
                out.append((col.label if col else key, _letter(idx), col.letter if col else ""))
        return out


# --------------------------------------------------------------------------------------------------
# 3. The check: rows classified, values parsed, subtotals re-counted, names matched


@dataclass(frozen=True)
class Skipped:
    row: int  # 1-based file row
    reason: str  # message key (utils/i18n/texts/reports.py)
    text: str = ""  # the row's label, e.g. "Jumlah Kec. Gisting"


@dataclass(frozen=True)
class Unmatched:
    row: int
    name: str
    kecamatan: str
    error: str  # ing_err_unknown_name / ing_err_ambiguous_name
    suggestions: tuple[tuple[str, str, int], ...]  # (village code, label, score)


@dataclass
class StatusCheck(Report):
    """The check of one status report: what ``validation.Report`` holds (issues, matches, frames) plus the rows
    skipped with their reason, the names still unmatched with suggestions, the rows excluded by the operator,
    the records as they will be stored and the subtotal checks."""

    report_date: dt.date | None = None
    title: str = ""
    rows_read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    excluded: list[int] = field(default_factory=list)
    records: pd.DataFrame = field(default_factory=pd.DataFrame)
    pillars: tuple[str, ...] = ()

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if not i.error]

    @property
    def matched(self) -> int:
        return int(self.records["village_code"].notna().sum()) if not self.records.empty else 0

    def details_json(self) -> str:
        """What the approval screen shows later: skipped rows, exclusions and warnings, as JSON."""
        return json.dumps({
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "rows_read": self.rows_read,
            "skipped": [{"row": s.row, "reason": s.reason, "text": s.text} for s in self.skipped],
            "excluded": self.excluded,
            "warnings": [{"key": w.key, "row": w.row, "column": w.column, "value": w.value, "kw": dict(w.kw)}
                         for w in self.warnings],
        }, ensure_ascii=False)


_ROMAN = re.compile(r"^(?=[ivxlc]+\.?$)", re.IGNORECASE)


def _row_label(row: list[object], order: list[int]) -> str:
    """The text a summary or heading row is named by: the first real text in the identity columns (name,
    kecamatan, no, code), else anywhere in the row; numbers and roman numerals are not names."""
    for c in [*order, *range(len(row))]:
        v = row[c] if c < len(row) else None
        if isinstance(v, str):
            text = " ".join(v.split())
            if text and not text.rstrip(".").isdigit() and not _ROMAN.match(text):
                return text
    return ""


def _kec_from_text(text: str, kecs: dict[str, str]) -> str | None:
    """Kecamatan code named in a heading or summary label ("Kecamatan Gisting", "Jumlah Kec. Gisting")."""
    t = _SUMMARY_RE.sub("", text).strip(" :.-")
    m = _KEC_RE.match(t)
    return kecs.get(normalise_name(m[1] if m else t))


@dataclass(frozen=True)
class BodyRow:
    """A row below the header: ``kind`` is pekon | summary | heading | footer | no_name | data_no_name |
    header_repeat | numbering."""

    row0: int
    kind: str
    label: str = ""
    kec: str | None = None  # a heading's or summary's kecamatan code


def classify(rf: ReportFile, mapping: Mapping, kecs: dict[str, str] | None = None) -> list[BodyRow]:
    """Every non-blank row below the header, recognised: a pekon row, a subtotal or total ("Jumlah ...",
    "Sub Total", "Total"), a kecamatan heading ("Kecamatan Gisting" with no data), the signature footer
    (anything from "Mengetahui", "Kepala Dinas", "NIP", "<place>, <date>" or a note line, and everything after a
    grand total), a row without a name. ``kecs``: normalised kecamatan name -> code of the kabupaten."""
    kecs = kecs or {}
    col = mapping.field_column
    header_texts = {c.index: {header_key(p) for p in c.parts} for c in rf.columns}
    ids = [c for c in (col("nama_desa"), col("kecamatan"), col("no"), col("kode_desa")) if c is not None]
    data_cols = [c for f in DATA_FIELDS if (c := col(f)) is not None]
    name_cols = [c for c in (col("nama_desa"), col("kode_desa")) if c is not None]
    out: list[BodyRow] = []
    footer = False
    for row0 in range(rf.body_start, len(rf.grid)):
        row = rf.grid[row0]
        if is_blank_row(row):
            continue
        label = _row_label(row, ids)
        if footer:
            out.append(BodyRow(row0, "footer", label))
            continue
        if _numbering(row) and _consecutive(row):
            out.append(BodyRow(row0, "numbering", ""))  # repeated under a repeated header (a printed page break)
            continue
        if _repeats_header(row, header_texts):
            out.append(BodyRow(row0, "header_repeat", " · ".join(_distinct(row))[:200]))
            continue
        has_data = any(not is_blank(rf.cell(row0, c)) for c in data_cols)
        texts = [" ".join(v.split()) for v in row if isinstance(v, str) and v.strip()]
        id_texts = [cell_text(rf.cell(row0, c)) for c in ids if isinstance(rf.cell(row0, c), str)]
        if any(_SUMMARY_RE.match(t) for t in id_texts) or (texts and _SUMMARY_RE.match(texts[0])):
            out.append(BodyRow(row0, "summary", label, _kec_from_text(label, kecs)))
            rest = _SUMMARY_RE.sub("", label)
            footer = bool(_GRAND_RE.search(rest)) and not _SUB_RE.search(label)  # after the grand total
            continue
        names = [cell_text(rf.cell(row0, c)) for c in name_cols if not is_blank(rf.cell(row0, c))]
        if not names and any(r.kind == "pekon" for r in out) and texts and (
                any(_FOOTER_RE.search(t) or _PLACE_DATE_RE.match(t) for t in texts) or _NOTE_RE.match(texts[0])):
            footer = True  # the signature block may sit under any column, data columns included
            out.append(BodyRow(row0, "footer", label))
            continue
        if not has_data and (_KEC_RE.match(label) or (not names and label)):
            kec = _kec_from_text(label, kecs) if _KEC_RE.match(label) else kecs.get(normalise_name(label))
            if kec or _KEC_RE.match(label):
                out.append(BodyRow(row0, "heading", label, kec))
                continue
        if not names:
            out.append(BodyRow(row0, "data_no_name" if has_data else "no_name", label))
            continue
        out.append(BodyRow(row0, "pekon", label))
    return out


def _consecutive(row: list[object]) -> bool:
    nums = [int(cell_text(v).strip("()[] ")) for v in row if not is_blank(v)]
    return nums == list(range(nums[0], nums[0] + len(nums)))


def _repeats_header(row: list[object], header_texts: dict[int, set[str]]) -> bool:
    """A row repeating the header (a report printed over several pages and pasted back): at least two cells,
    and most of the row, say what their column's header says."""
    filled = [c for c, v in enumerate(row) if not is_blank(v)]
    same = [c for c in filled if isinstance(row[c], str) and header_key(row[c]) in header_texts.get(c, ())]
    return len(same) >= 2 and 2 * len(same) >= len(filled)


def mapped_values(rf: ReportFile, mapping: Mapping, code: str) -> list[tuple[str, int]]:
    """The words in a field's column on pekon rows, with how often each occurs (file order): what the
    operator maps to stages or yes/no."""
    col = mapping.field_column(code)
    if col is None:
        return []
    counts: dict[str, int] = {}
    for r in classify(rf, mapping):
        if r.kind == "pekon":
            key = value_key(rf.cell(r.row0, col))
            counts[key] = counts.get(key, 0) + 1
    return list(counts.items())


def check(rf: ReportFile, mapping: Mapping, regions: pd.DataFrame, scope: str | None, *,
          report_date: dt.date | None = None, resolutions: dict[int, str | None] | None = None,
          skip_unmatched: bool = False, today: dt.date | None = None) -> StatusCheck:
    """Check one report for kabupaten ``scope`` with ``mapping``. Never raises.

    ``report_date``: the operator's date (default: the title's). ``resolutions``: file row -> village code the
    operator accepted for an unmatched name, or None to exclude the row. ``skip_unmatched``: exclude every
    unmatched row (``check-upload --skip-unmatched``).
    """
    out = StatusCheck(KIND, rf.file_name, rf.sha256, scope, header_row=rf.header_rows[-1], content=rf.content)
    try:
        _check(out, rf, mapping, regions, scope, report_date or rf.report_date, resolutions or {}, skip_unmatched,
               today or dt.date.today())
    except Exception as exc:  # noqa: BLE001 - an unforeseen file still gets a message, not a traceback
        out.frames = {}
        out.add("ing_err_unreadable", detail=type(exc).__name__)
    return out


_SKIP_REASON = {"heading": "rep_skip_heading", "footer": "rep_skip_footer", "no_name": "rep_skip_no_name",
                "header_repeat": "rep_skip_header_repeat", "numbering": "rep_skip_numbering"}


def _check(out: StatusCheck, rf: ReportFile, mapping: Mapping, regions: pd.DataFrame, scope: str | None,
           report_date: dt.date | None, resolutions: dict[int, str | None], skip_unmatched: bool,
           today: dt.date) -> None:
    out.report_date = report_date
    out.title = " · ".join(rf.title)[:1000]
    if not scope:
        out.add("rep_err_need_kab")
        return
    title_kab = kabupaten_in_title(rf, regions)
    if title_kab and title_kab != scope:
        out.add("rep_err_title_kab", kab=title_kab, scope=scope)
    if report_date is None:
        out.add("rep_err_no_date")
    elif report_date > today:
        out.add("rep_err_date_future", date=report_date.isoformat())
    elif report_date < FIRST_DATE:
        out.add("ing_err_too_old", value=report_date.isoformat())
    cols = {f: mapping.field_column(f) for f in FIELD_BY_CODE}
    if cols["nama_desa"] is None and cols["kode_desa"] is None:
        out.add("rep_err_no_name_col")
        return
    if not any(cols[f] is not None for f in DATA_FIELDS):
        out.add("rep_err_no_data_col")
        return
    labels = {c.index: c.label for c in rf.columns}
    out.pillars = tuple(p.code for p in PILLARS if cols[f"layanan_{p.code}"] is not None)
    kec_rows = regions[(regions["level"] == "kecamatan") & (regions["kab_code"] == scope)]
    kecs = dict(zip(kec_rows["name"].map(normalise_name), kec_rows["code"], strict=True))
    kec_names = dict(zip(kec_rows["code"], kec_rows["name"], strict=True))

    records: list[dict] = []
    summaries: list[tuple[BodyRow, list[int]]] = []  # each summary row with the pekon rows since the last one
    block: list[int] = []
    section_kec: str | None = None
    carried = ""
    for body in classify(rf, mapping, kecs):
        out.rows_read += 1
        file_row = body.row0 + 1
        if body.kind in _SKIP_REASON:
            out.skipped.append(Skipped(file_row, _SKIP_REASON[body.kind], body.label))
            section_kec = body.kec if body.kind == "heading" else section_kec
            carried = "" if body.kind == "heading" else carried
            continue
        if body.kind == "data_no_name":
            out.add("rep_err_no_name", file_row)
            continue
        if body.kind == "summary":
            carried = ""
            summaries.append((body, list(block)))
            if body.kec:  # "Jumlah Kec. Gisting": the kecamatan of the rows above that did not say it
                for i in block:
                    if records[i]["kec_code"] is None and not records[i]["kecamatan"]:
                        records[i]["kec_code"], records[i]["kecamatan"] = body.kec, kec_names[body.kec]
            block = []
            continue
        rec = _parse_row(out, rf, body.row0, cols, mapping, labels, report_date)
        stated = cell_text(rf.cell(body.row0, cols["kecamatan"])) if cols["kecamatan"] is not None else ""
        # A kecamatan written only on its group's first row (merged cells unmerged) holds down to the next
        # subtotal or heading.
        stated = carried = stated or carried
        if stated:
            rec["kecamatan"], rec["kec_code"] = stated, kecs.get(normalise_name(stated))
        elif section_kec:
            rec["kecamatan"], rec["kec_code"] = kec_names[section_kec], section_kec
        else:
            rec["kecamatan"], rec["kec_code"] = "", None
        block.append(len(records))
        records.append(rec)
    _check_summaries(out, rf, summaries, records, cols, labels)
    _match(out, records, regions, scope, resolutions, skip_unmatched)
    if rf.numbering_row:
        out.rows_read += 1
        out.skipped.append(Skipped(rf.numbering_row, "rep_skip_numbering", ""))
    out.skipped.sort(key=lambda s: s.row)
    out.n_rows = len(records)
    out.records = pd.DataFrame(records, columns=RECORD_COLUMNS + [f"svc_{p}" for p in out.pillars])
    if not records and not out.errors:
        out.add("ing_err_no_rows")
    if not out.errors and report_date is not None:
        out.frames = _frames(out, scope, report_date)


RECORD_COLUMNS = ["file_row", "kecamatan", "kec_code", "name", "village_code", "village_name", "match",
                  "joined_on", "stage", "operators_trained", "note"]


def _parse_row(out: StatusCheck, rf: ReportFile, row0: int, cols: dict[str, int | None], mapping: Mapping,
               labels: dict[int, str], report_date: dt.date | None) -> dict:
    file_row = row0 + 1
    rec: dict[str, object] = {"file_row": file_row, "name": "", "village_code": None, "village_name": "",
                              "match": "", "joined_on": None, "stage": None, "operators_trained": None, "note": None,
                              "code": ""}
    if cols["nama_desa"] is not None:
        rec["name"] = " ".join(cell_text(rf.cell(row0, cols["nama_desa"])).split())
    if cols["kode_desa"] is not None:
        rec["code"] = cell_text(rf.cell(row0, cols["kode_desa"]))
    for code, col in cols.items():
        if col is None or (row0 + 1, col + 1) not in rf.formula_cells:
            continue
        if FIELD_BY_CODE[code].type in ("date", "stage", "count", "flag"):
            out.add("ing_err_formula", file_row, labels[col], rf.formula_cells[(row0 + 1, col + 1)])
    if (col := cols["tanggal_bergabung"]) is not None:
        v = rf.cell(row0, col)
        if value_key(v) not in ("-", "–", "—"):
            try:
                day = parse_date(v)
            except ValueError:
                out.add("ing_err_date", file_row, labels[col], v)
                day = None
            if day is not None:
                if report_date is not None and day > report_date:
                    out.add("rep_err_join_after", file_row, labels[col], v, date=report_date.isoformat())
                elif day < FIRST_DATE:
                    out.add("ing_err_too_old", file_row, labels[col], v)
                rec["joined_on"] = day
    if (col := cols["tahap"]) is not None:
        key = value_key(rf.cell(row0, col))
        if key:
            stage = mapping.stage_values.get(key)
            if stage is None or stage not in STAGE_ORDER:
                out.add("rep_err_stage_unmapped", file_row, labels[col], rf.cell(row0, col))
            rec["stage"] = stage
    if (col := cols["operator_terlatih"]) is not None:
        try:
            rec["operators_trained"] = parse_count(rf.cell(row0, col))
        except ValueError:
            out.add("rep_err_count", file_row, labels[col], rf.cell(row0, col))
    for p in PILLARS:
        if (col := cols[f"layanan_{p.code}"]) is None:
            continue
        key = value_key(rf.cell(row0, col))
        flag = mapping.flag_values.get(key)
        if flag is None:
            out.add("rep_err_flag_unmapped", file_row, labels[col], rf.cell(row0, col))
        rec[f"svc_{p.code}"] = flag
    if (col := cols["keterangan"]) is not None:
        rec["note"] = cell_text(rf.cell(row0, col))[:1000] or None
    return rec


def _stated_number(value: object) -> int | None:
    if is_blank(value) or isinstance(value, dt.date):
        return None
    try:
        return parse_count(value)
    except ValueError:
        return None


def _check_summaries(out: StatusCheck, rf: ReportFile, summaries: list[tuple[BodyRow, list[int]]],
                     records: list[dict], cols: dict[str, int | None], labels: dict[int, str]) -> None:
    """Each subtotal against the pekon rows above it (since the previous summary row), the grand total against
    every pekon row: pekon named (name column), join dates given, operators (sum) and "yes" per pillar. A
    difference is a warning: the report is still accepted."""
    last = len(summaries) - 1
    for i, (body, block) in enumerate(summaries):
        sub = bool(_SUB_RE.search(body.label)) or body.kec is not None
        grand = not sub and (bool(_GRAND_RE.search(_SUMMARY_RE.sub("", body.label))) or i == last)
        rows = range(len(records)) if grand else block
        out.skipped.append(Skipped(body.row0 + 1, "rep_skip_total" if grand else "rep_skip_subtotal", body.label))
        checks: list[tuple[int | None, int]] = [
            (cols["nama_desa"], len(rows)),
            (cols["tanggal_bergabung"], sum(records[j]["joined_on"] is not None for j in rows)),
            (cols["operator_terlatih"], sum(int(records[j]["operators_trained"] or 0) for j in rows)),
            *((cols[f"layanan_{p}"], sum(bool(records[j].get(f"svc_{p}")) for j in rows)) for p in out.pillars),
        ]
        for col, counted in checks:
            if col is None:
                continue
            stated = _stated_number(rf.cell(body.row0, col))
            if stated is not None and stated != counted:
                out.add("rep_warn_total" if grand else "rep_warn_subtotal", body.row0 + 1, labels[col],
                        rf.cell(body.row0, col), error=False, label=body.label, stated=stated, counted=counted)


def _suggestions(matcher: Matcher, name: str, scope: str, kec_code: str | None) -> tuple[tuple[str, str, int], ...]:
    from rapidfuzz import fuzz, process

    from utils.data.wilayah import normalise_name as norm

    pool = matcher.villages[matcher.villages["kab_code"] == scope]
    key = norm(name)
    out: list[tuple[str, str, int]] = []
    kec_names = matcher.kecamatan.set_index("code")["name"]
    for sub in ([pool[pool["kec_code"] == kec_code]] if kec_code else []) + [pool]:
        if sub.empty:
            continue
        for _, score, idx in process.extract(key, sub["key"].tolist(), scorer=fuzz.ratio, limit=N_SUGGESTIONS):
            code = str(sub["code"].iloc[idx])
            if score >= SUGGEST_MIN_SCORE and code not in {c for c, _, _ in out}:
                out.append((code, f"{sub['name'].iloc[idx]} (Kec. {kec_names.get(sub['kec_code'].iloc[idx], '')})",
                            round(score)))
    return tuple(sorted(out, key=lambda s: -s[2])[:N_SUGGESTIONS])


def _match(out: StatusCheck, records: list[dict], regions: pd.DataFrame, scope: str,
           resolutions: dict[int, str | None], skip_unmatched: bool) -> None:
    matcher = Matcher(regions)
    v = matcher.villages
    kab_of, vtype, vname = (dict(zip(v["code"], v[c], strict=True)) for c in ("kab_code", "village_type", "name"))
    proposals = []
    seen: dict[str, int] = {}
    for rec in records:
        row = int(rec["file_row"])
        if row in resolutions:
            code = resolutions[row]
            if code is None:
                out.excluded.append(row)
                rec["match"] = "excluded"
                continue
            if kab_of.get(code) != scope:
                out.add("ing_err_other_kab", row, None, code, kab=str(code)[:5], scope=scope)
                continue
            m_code, method, score = code, "operator", 100.0
        else:
            if rec["code"]:
                try:
                    dotted = to_dotted(rec["code"])
                except ValueError:
                    dotted = ""
                m = matcher.resolve(code=dotted or rec["code"], bps="", name=str(rec["name"]), kec_name="",
                                    kab_text="", scope=scope)
            else:
                m = matcher.by_name(str(rec["name"]), scope, kec_code=rec["kec_code"])
                if m.code is None and rec["kec_code"] and m.error == "ing_err_unknown_name":
                    m = matcher.by_name(str(rec["name"]), scope)  # the kecamatan may be stated wrongly
                    if m.method == "usulan":  # a guess outside the stated kecamatan is not a match
                        m = type(m)(None, "", 0.0, "ing_err_unknown_name")
            if m.code is None:
                if skip_unmatched:
                    out.excluded.append(row)
                    rec["match"] = "excluded"
                    continue
                out.unmatched.append(Unmatched(row, str(rec["name"]), str(rec["kecamatan"]), m.error or
                                               "ing_err_unknown_name",
                                               _suggestions(matcher, str(rec["name"]), scope, rec["kec_code"])))
                out.add(m.error or "ing_err_unknown_name", row, None, rec["name"], detail=m.detail)
                rec["match"] = "unmatched"
                continue
            m_code, method, score = m.code, m.method, m.score
        if kab_of[m_code] != scope:
            out.add("ing_err_other_kab", row, None, m_code, kab=str(kab_of[m_code]), scope=scope)
            continue
        if vtype[m_code] != "desa":
            out.skipped.append(Skipped(row, "rep_skip_kelurahan", str(rec["name"])))
            rec["match"] = "kelurahan"
            continue
        if m_code in seen:
            out.add("ing_err_duplicate", row, None, rec["name"], first=seen[m_code])
            continue
        seen[m_code] = row
        rec["village_code"], rec["village_name"], rec["match"] = m_code, vname[m_code], method
        if method == "usulan":  # a similar name: the operator confirms it before anything is stored
            proposals.append({"row": row, "file_value": str(rec["name"]), "kode_bps": "", "code": m_code,
                              "name": vname[m_code], "method": method, "score": round(score)})
    out.matches = pd.DataFrame(proposals, columns=["row", "file_value", "kode_bps", "code", "name", "method", "score"])


def _frames(out: StatusCheck, scope: str, report_date: dt.date) -> dict[str, pd.DataFrame]:
    rec = out.records[out.records["village_code"].notna()]
    source = out.file_name[:200]  # the column's length (a longer file name would be refused by PostgreSQL)
    day = pd.Timestamp(report_date)
    reports = pd.DataFrame({"kab_code": [scope], "report_date": [day], "title": [out.title or None],
                            "source": [source]})
    rows = pd.DataFrame({
        "kab_code": scope, "report_date": day, "village_code": rec["village_code"].to_numpy(),
        "joined_on": pd.to_datetime(rec["joined_on"]).to_numpy(), "stage": rec["stage"].to_numpy(),
        "operators_trained": pd.array(rec["operators_trained"].tolist(), dtype="Int64"),
        "note": rec["note"].to_numpy(), "file_row": rec["file_row"].astype(int).to_numpy(), "source": source})
    services = pd.DataFrame([
        {"kab_code": scope, "report_date": day, "village_code": code, "pillar": p, "active": bool(flag),
         "source": source}
        for code, *flags in rec[["village_code", *(f"svc_{p}" for p in out.pillars)]].itertuples(index=False)
        for p, flag in zip(out.pillars, flags, strict=True) if flag is not None],
        columns=["kab_code", "report_date", "village_code", "pillar", "active", "source"])
    return {"status_reports": reports, "status_report_rows": rows.sort_values("village_code", ignore_index=True),
            "status_report_services": services.sort_values(["village_code", "pillar"], ignore_index=True)}
