"""Import of a later Kemendesa IDM workbook as an extra year (never overwriting the build's IDM 2024).

Two steps, so nothing is written before the operator has seen what the file holds:
``plan_idm_import`` checks and parses the upload (reusing the build's reader ``utils.data.idm``) and returns
an ``IdmPlan``; ``apply_idm_import`` writes ``imports/idm_<year>.parquet`` and
``imports/idm_recommendations_<year>.parquet`` atomically. Bad files raise ``Refused``, whose message
names what was expected, in Bahasa Indonesia or English.

The upload checks (size, empty file, extension) and the atomic Parquet writer are shared with
``utils.intake.boundaries``.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils.data import idm, paths
from utils.data.paths import write_parquet_atomic
from utils.domain.idm import IDM_STATUSES
from utils.i18n import fmt_int, fmt_num, t

#: Largest IDM workbook accepted (the province's 2024 workbook is 2.9 MB).
IDM_MAX_BYTES = 25 * 1024 * 1024
IDM_EXTENSIONS = (".xlsx",)
#: Header words of the successor Indeks Desa (2025, six dimensions): recognised, not yet readable.
_INDEKS_DESA_MARKERS = ("LAYANAN DASAR", "TATA KELOLA", "AKSESIBILITAS", "DIMENSI")
_SCAN_ROWS = 50


class Refused(ValueError):
    """An upload that cannot be imported; ``text(lang)`` is the message for the operator."""

    def __init__(self, key: str, **kwargs: object) -> None:
        self.key = key
        self.kwargs = kwargs
        super().__init__(self.text("en"))

    def text(self, lang: str = "id", escape: Callable[[str], str] | None = None) -> str:
        """The message in ``lang`` (Bahasa Indonesia by default); numbers in that language's format; the
        values taken from the file (names, codes, details) through ``escape`` when given (e.g. for Markdown)."""
        shown = {k: fmt_num(v, 1, lang) if isinstance(v, float) else fmt_int(v, lang) if isinstance(v, int) else
                 escape(str(v)) if escape else v for k, v in self.kwargs.items()}
        return t(self.key, lang, **shown)


# --------------------------------------------------------------------------------------------------
# Shared by both imports


def sha256_bytes(data: bytes) -> str:
    """Hex SHA-256 of an upload (recorded with the import)."""
    return hashlib.sha256(data).hexdigest()


def check_upload(data: bytes, file_name: str, extensions: tuple[str, ...], max_bytes: int) -> str:
    """Refuse an empty, oversized or wrongly typed upload; returns the lower-case extension."""
    ext = next((e for e in extensions if file_name.lower().endswith(e)), None)
    if ext is None:
        raise Refused("imp_wrong_type", name=file_name, allowed=", ".join(extensions))
    if not data:
        raise Refused("imp_empty", name=file_name)
    if len(data) > max_bytes:
        raise Refused("imp_too_big", name=file_name, size=len(data) / 2**20, limit=max_bytes // 2**20)
    return ext


# --------------------------------------------------------------------------------------------------
# IDM


@dataclass(frozen=True)
class IdmPlan:
    """What an IDM workbook would add, shown to the operator before anything is written."""

    file_name: str
    sha256: str
    year: int
    desa: pd.DataFrame
    recommendations: pd.DataFrame
    status_counts: dict[str, int]
    #: Lampung codes the region list does not know (kept, as the build keeps them) and kelurahan scored.
    unknown_codes: list[str] = field(default_factory=list)
    kelurahan_codes: list[str] = field(default_factory=list)
    #: "new": the year is not imported yet; "same": imported with identical content; "differs".
    existing: str = "new"


def idm_files(year: int, imports_dir: Path | None = None) -> tuple[Path, Path]:
    """(per-desa file, recommendations file) of an imported IDM year."""
    d = Path(imports_dir) if imports_dir is not None else paths.IMPORTS_DIR
    return d / f"idm_{year}.parquet", d / f"idm_recommendations_{year}.parquet"


def imported_years(imports_dir: Path | None = None) -> list[int]:
    """IDM years imported so far, ascending."""
    d = Path(imports_dir) if imports_dir is not None else paths.IMPORTS_DIR
    years = [int(m.group(1)) for p in d.glob("idm_*.parquet") if (m := re.fullmatch(r"idm_(\d{4})\.parquet", p.name))]
    return sorted(years)


#: Bounds on an IDM workbook's work (the province's 2024 workbook: 45,041 rows x 23 columns, 27 MB unpacked).
IDM_MAX_UNPACKED_MB = 200
IDM_MAX_ROWS = 150_000
IDM_MAX_COLUMNS = 60


def _rows(data: bytes) -> list[tuple]:
    import zipfile

    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except Exception as exc:  # noqa: BLE001 - not a zip at all
        raise Refused("imp_idm_not_workbook", detail=type(exc).__name__) from exc
    if unpacked > IDM_MAX_UNPACKED_MB * 2**20:  # checked from the zip directory, before any XML is parsed
        raise Refused("imp_too_large", limit=IDM_MAX_UNPACKED_MB, rows=IDM_MAX_ROWS)
    try:
        return idm.read_workbook_rows(io.BytesIO(data), IDM_MAX_ROWS, IDM_MAX_COLUMNS)  # file objects work too
    except idm.TooLarge as exc:
        raise Refused("imp_too_large", limit=IDM_MAX_UNPACKED_MB, rows=IDM_MAX_ROWS) from exc
    except Exception as exc:  # noqa: BLE001 - any reader error (zip, XML, openpyxl) means an unreadable workbook
        raise Refused("imp_idm_not_workbook", detail=type(exc).__name__) from exc


def _looks_like_indeks_desa(rows: list[tuple]) -> bool:
    """True when the first rows carry the successor Indeks Desa's dimension headers."""
    text = " | ".join(str(c).upper() for row in rows[:_SCAN_ROWS] for c in row if c is not None)
    return sum(marker in text for marker in _INDEKS_DESA_MARKERS) >= 2 and not re.search(r"\bIKS \d{4}", text)


def _cells(row: tuple) -> list[str]:
    return [re.sub(r"\s+", " ", str(c)).strip().upper() for c in row if c is not None and str(c).strip()]


def _layout_refusal(rows: list[tuple], base_year: int) -> Refused | None:
    """Why the rows are not the known layout (no header row, or the columns it lacks); None when the
    layout is fine and the problem is the content."""
    header = next((_cells(r) for r in rows[:_SCAN_ROWS] if _cells(r)[:1] == ["KODE PROV"]), None)
    if header is None:
        return Refused("imp_idm_no_header", rows=str(_SCAN_ROWS),
                       expected=", ".join(idm.expected_columns(base_year + 1)))
    years = [int(m.group(1)) for c in header if (m := re.fullmatch(r"IKS (\d{4})", c))]
    expected = idm.expected_columns(years[0] if years else base_year + 1)
    missing = [c for c in expected if c not in header]
    return Refused("imp_idm_missing_columns", missing=", ".join(missing), expected=", ".join(expected)) if missing else None


def is_idm_workbook(rows: list[tuple]) -> bool:
    """True when a header row starts with ``KODE PROV`` (the IDM recommendation workbook's layout)."""
    return any(_cells(r)[:1] == ["KODE PROV"] for r in rows[:_SCAN_ROWS])


def plan_idm_import(data: bytes, file_name: str, regions: pd.DataFrame, base_year: int,
                    imports_dir: Path | None = None, rows: list[tuple] | None = None) -> IdmPlan:
    """Check and parse an uploaded IDM workbook; raises ``Refused`` with the reason.

    ``base_year``: the build's IDM year (a workbook of that year would overwrite it, so it is refused);
    ``rows``: the workbook's cells when the caller has read them already.
    """
    check_upload(data, file_name, IDM_EXTENSIONS, IDM_MAX_BYTES)
    rows = _rows(data) if rows is None else rows
    if _looks_like_indeks_desa(rows):
        raise Refused("imp_idm_indeks_desa", expected=", ".join(idm.expected_columns(base_year + 1)))
    try:
        desa, rec = idm.parse_idm_rows(rows)
    except ValueError as exc:
        raise _layout_refusal(rows, base_year) or Refused("imp_idm_bad_content", detail=str(exc)[:400]) from exc
    if desa.empty:
        raise Refused("imp_idm_no_rows")
    year = int(desa["year"].iloc[0])
    if year == base_year:
        raise Refused("imp_idm_base_year", year=str(year))
    foreign = sorted(c for c in desa["code"] if not c.startswith("18."))
    if foreign:
        raise Refused("imp_idm_other_province", codes=", ".join(foreign[:5]), n=len(foreign))

    types = regions.loc[regions["level"] == "desa"].set_index("code")["village_type"]
    kind = desa["code"].map(types)
    plan = dict(
        file_name=file_name, sha256=sha256_bytes(data), year=year, desa=desa, recommendations=rec,
        status_counts={s: int((desa["status"] == s).sum()) for s in IDM_STATUSES},
        unknown_codes=desa.loc[kind.isna(), "code"].tolist(),
        kelurahan_codes=desa.loc[kind.eq("kelurahan"), "code"].tolist(),
    )
    return IdmPlan(**plan, existing=_existing(year, desa, rec, imports_dir))


def _existing(year: int, desa: pd.DataFrame, rec: pd.DataFrame, imports_dir: Path | None) -> str:
    desa_path, rec_path = idm_files(year, imports_dir)
    if not desa_path.exists():
        return "new"
    try:
        same = pd.read_parquet(desa_path).equals(desa) and rec_path.exists() and pd.read_parquet(rec_path).equals(rec)
    except Exception:  # noqa: BLE001 - an unreadable earlier import is simply "different"
        same = False
    return "same" if same else "differs"


@dataclass(frozen=True)
class ApplyResult:
    """Outcome of a confirmed import: status "added", "replaced" or "unchanged", and row counts."""

    status: str
    rows_added: int = 0
    rows_changed: int = 0
    #: The history row of the write, when it made one.
    upload_id: int | None = None


def apply_idm_import(plan: IdmPlan, imports_dir: Path | None = None, *, replace: bool = False) -> ApplyResult:
    """Write the plan's year (both files, atomically). A year imported before with other content is
    replaced only with ``replace=True``; the same content twice writes nothing."""
    existing = _existing(plan.year, plan.desa, plan.recommendations, imports_dir)
    if existing == "same":
        return ApplyResult("unchanged")
    if existing == "differs" and not replace:
        raise Refused("imp_idm_year_exists", year=str(plan.year))
    desa_path, rec_path = idm_files(plan.year, imports_dir)
    write_parquet_atomic({rec_path: plan.recommendations, desa_path: plan.desa})
    if existing == "differs":
        return ApplyResult("replaced", rows_changed=len(plan.desa))
    return ApplyResult("added", rows_added=len(plan.desa))
