"""Import of development-index workbooks into the store: an IDM workbook of another year (never overwriting the
build's IDM 2024) or an Indeks Desa round (2025 and later), undoable from Riwayat.

Two steps, so nothing is written before the operator has seen what the file holds: ``plan_upload`` checks and
reads the upload (IDM through the build's reader ``utils.data.idm``, the Indeks Desa through
``utils.intake.indeks_desa``) and returns an ``IdmPlan`` or ``IndexPlan``; ``apply_import`` writes it in ONE
transaction: an ``uploads`` row (kind "idm" / "indeks_desa", attributed to the administrator), an
``index_imports`` row and the rows. Imports are layers: a year's figures are the rows of its imports, the later
import winning per desa, so several per-kabupaten files of one year merge into that year, and
``rollback_import`` (deleting one import's rows) brings back exactly what showed before. Bad files raise
``Refused``, whose message names what was expected, in Bahasa Indonesia or English.

The upload checks (size, empty file, extension) and the atomic Parquet writer are shared with
``utils.intake.boundaries``.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import Engine, and_, delete, select, update

from utils.data import idm, store
from utils.domain.idm import IDM_STATUSES
from utils.i18n import fmt_int, fmt_num, t
from utils.intake import indeks_desa

#: Largest IDM workbook accepted (the province's 2024 workbook is 2.9 MB).
IDM_MAX_BYTES = 25 * 1024 * 1024
IDM_EXTENSIONS = (".xlsx",)
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
# Plans: what a file would add, before anything is written

#: ``uploads.kind`` of the imports this module writes (undone by ``rollback_import``).
IMPORT_KINDS: tuple[str, ...] = ("idm", "indeks_desa")


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
    #: "new": no desa of this file is imported for the year yet; "same": this very file is in force;
    #: "differs": ``replaces`` desa of the year were imported before with other values.
    existing: str = "new"
    replaces: int = 0
    kind: str = "idm"
    #: The workbook's bytes, kept with the import in the store (``upload_files``) for audit.
    content: bytes = field(default=b"", repr=False, compare=False)


@dataclass(frozen=True)
class IndexPlan:
    """What an Indeks Desa workbook would add (``read``: everything the reader found, errors included)."""

    file_name: str
    sha256: str
    read: indeks_desa.IndexRead
    existing: str = "new"
    replaces: int = 0
    #: Desa of the year in the store after this import (the merge of every file of the year) and all desa.
    year_desa_after: int = 0
    desa_total: int = 0
    kind: str = "indeks_desa"
    #: The workbook's bytes, kept with the import in the store (``upload_files``) for audit.
    content: bytes = field(default=b"", repr=False, compare=False)

    @property
    def year(self) -> int:
        return self.read.year

    @property
    def accepted(self) -> bool:
        return self.read.accepted


#: Bounds on an index workbook's work (the province's IDM 2024 workbook: 45,041 rows x 23 columns, 27 MB
#: unpacked; an Indeks Desa workbook: one row per desa, 127 item scores beside the identification and the six
#: dimensions, about 150 columns). The unpacked size bounds the cells whatever the shape.
IDM_MAX_UNPACKED_MB = 200
IDM_MAX_ROWS = 150_000
IDM_MAX_COLUMNS = 300


def _rows(data: bytes) -> list[tuple]:
    import zipfile

    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except Exception as exc:  # noqa: BLE001 - not a zip at all
        raise Refused("imp_idm_not_workbook", detail=type(exc).__name__) from exc
    if unpacked > IDM_MAX_UNPACKED_MB * 2**20:  # checked from the zip directory, before any XML is parsed
        raise Refused("imp_too_large", limit=IDM_MAX_UNPACKED_MB, rows=IDM_MAX_ROWS, cols=IDM_MAX_COLUMNS)
    try:
        return idm.read_workbook_rows(io.BytesIO(data), IDM_MAX_ROWS, IDM_MAX_COLUMNS)  # file objects work too
    except idm.TooLarge as exc:
        raise Refused("imp_too_large", limit=IDM_MAX_UNPACKED_MB, rows=IDM_MAX_ROWS, cols=IDM_MAX_COLUMNS) from exc
    except Exception as exc:  # noqa: BLE001 - any reader error (zip, XML, openpyxl) means an unreadable workbook
        raise Refused("imp_idm_not_workbook", detail=type(exc).__name__) from exc


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
                    engine: Engine | None = None, rows: list[tuple] | None = None) -> IdmPlan:
    """Check and parse an uploaded IDM workbook; raises ``Refused`` with the reason.

    ``base_year``: the build's IDM year (a workbook of that year would overwrite it, so it is refused);
    ``engine``: the store, to say whether the file or its year is imported already; ``rows``: the workbook's
    cells when the caller has read them already.
    """
    check_upload(data, file_name, IDM_EXTENSIONS, IDM_MAX_BYTES)
    rows = _rows(data) if rows is None else rows
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
    canon = idm.canonical(desa)
    existing, replaces = _existing(engine, "idm", content_sha(canon, rec), year, desa["code"])
    return IdmPlan(
        file_name=file_name, sha256=sha256_bytes(data), year=year, desa=canon, recommendations=rec,
        status_counts={s: int((desa["status"] == s).sum()) for s in IDM_STATUSES},
        unknown_codes=desa.loc[kind.isna(), "code"].tolist(),
        kelurahan_codes=desa.loc[kind.eq("kelurahan"), "code"].tolist(),
        existing=existing, replaces=replaces, content=bytes(data),
    )


def plan_index_import(data: bytes, file_name: str, regions: pd.DataFrame, catalogue: pd.DataFrame,
                      engine: Engine | None = None, year: int | None = None,
                      rows: list[tuple] | None = None) -> IndexPlan:
    """Check and read an uploaded Indeks Desa workbook. A file in another layout raises ``Refused``; errors in
    the content come back in ``plan.read.errors`` (the page lists them and offers no confirmation)."""
    check_upload(data, file_name, IDM_EXTENSIONS, IDM_MAX_BYTES)
    rows = _rows(data) if rows is None else rows
    try:
        read = indeks_desa.read_rows(rows, catalogue, regions, year)
    except indeks_desa.LayoutRefused as exc:
        raise Refused(exc.key, **exc.kw) from exc
    existing, replaces = _existing(engine, "indeks_desa", content_sha(read.desa, read.items), read.year,
                                   read.desa["code"])
    stored = _year_codes(engine, "indeks_desa", read.year) if engine is not None else set()
    return IndexPlan(file_name=file_name, sha256=sha256_bytes(data), read=read, existing=existing, replaces=replaces,
                     year_desa_after=len(stored | set(read.desa["code"])),
                     desa_total=int((regions["village_type"] == "desa").sum()), content=bytes(data))


def plan_upload(data: bytes, file_name: str, regions: pd.DataFrame, catalogue: pd.DataFrame, base_year: int,
                engine: Engine | None = None, year: int | None = None) -> IdmPlan | IndexPlan:
    """An IDM workbook (header row starting ``KODE PROV``) or an Indeks Desa workbook, told apart by layout."""
    check_upload(data, file_name, IDM_EXTENSIONS, IDM_MAX_BYTES)
    rows = _rows(data)
    if is_idm_workbook(rows):
        return plan_idm_import(data, file_name, regions, base_year, engine, rows)
    return plan_index_import(data, file_name, regions, catalogue, engine, year, rows)


# --------------------------------------------------------------------------------------------------
# Store: what is imported, writing an import, undoing it

_DESA_TABLE = {"idm": "idm_import_desa", "indeks_desa": "indeks_desa_desa"}


def _year_codes(engine: Engine, kind: str, year: int) -> set[str]:
    """Desa codes of ``year`` already imported (any applied import of that index)."""
    store.init_schema(engine)
    t, imp = store.TABLES[_DESA_TABLE[kind]], store.index_imports
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.village_code).join(imp, imp.c.upload_id == t.c.upload_id)
                            .where(and_(imp.c.index_name == kind, imp.c.year == year))).scalars()
        return set(rows)


def content_sha(*frames: pd.DataFrame) -> str:
    """Hash of the rows an import would write (a re-saved file with the same content hashes the same)."""
    h = hashlib.sha256()
    for frame in frames:
        cols = sorted(c for c in frame.columns if c not in ("row", "file_row"))
        part = frame[cols].sort_values(cols[:2] if len(cols) > 1 else cols, ignore_index=True) if len(frame) else frame[cols]
        h.update(",".join(cols).encode())
        h.update(pd.util.hash_pandas_object(part.astype("str"), index=False).to_numpy().tobytes())
    return h.hexdigest()


def _plan_sha(plan: IdmPlan | IndexPlan) -> str:
    if isinstance(plan, IdmPlan):
        return content_sha(plan.desa, plan.recommendations)
    return content_sha(plan.read.desa, plan.read.items)


def _existing(engine: Engine | None, kind: str, sha: str, year: int, codes: pd.Series) -> tuple[str, int]:
    """("same" | "differs" | "new", desa of the file already imported for ``year``).

    "same": every desa of the file shows, now, the value of an import with this very content (``sha`` is
    ``content_sha``); "differs": some of them show another import's values.
    """
    if engine is None:
        return "new", 0
    store.init_schema(engine)
    t, imp = store.TABLES[_DESA_TABLE[kind]], store.index_imports
    with engine.connect() as conn:
        rows = conn.execute(select(t.c.village_code, t.c.upload_id, imp.c.content_sha256)
                            .join(imp, imp.c.upload_id == t.c.upload_id)
                            .where(and_(imp.c.index_name == kind, imp.c.year == year))).all()
    shown = pd.DataFrame(rows, columns=["code", "upload_id", "sha"]).sort_values("upload_id").drop_duplicates(
        "code", keep="last")
    mine = shown[shown["code"].isin(set(codes))]
    if len(mine) and len(mine) == len(set(codes)) and (mine["sha"] == sha).all():
        return "same", 0
    return ("differs" if len(mine) else "new"), len(mine)


@dataclass(frozen=True)
class ApplyResult:
    """Outcome of a confirmed import: status "added", "replaced" or "unchanged", and row counts."""

    status: str
    rows_added: int = 0
    rows_changed: int = 0
    #: The history row of the write, when it made one.
    upload_id: int | None = None


def _frame_rows(frame: pd.DataFrame, table: str, upload_id: int, rename: dict[str, str]) -> list[dict]:
    t = store.TABLES[table]
    out = frame.rename(columns=rename).assign(upload_id=upload_id)
    cols = [c.name for c in t.columns if c.name in out]
    return [dict(zip(cols, map(store.db_value, row), strict=True)) for row in out[cols].itertuples(index=False, name=None)]


def apply_import(engine: Engine, plan: IdmPlan | IndexPlan, operator, *, replace: bool = False) -> ApplyResult:
    """Write a plan in one transaction (provincial administrators only). This very file in force already:
    nothing is written ("unchanged"). Desa of the year imported before with other values are replaced only with
    ``replace=True`` (the earlier import stays underneath: undoing this one brings it back)."""
    if getattr(operator, "role", None) != "admin":
        raise Refused("imp_admin_only")
    if isinstance(plan, IndexPlan) and not plan.accepted:
        raise Refused("imp_ix_has_errors", n=len(plan.read.errors))
    codes = plan.desa["code"] if isinstance(plan, IdmPlan) else plan.read.desa["code"]
    sha = _plan_sha(plan)
    existing, replaces = _existing(engine, plan.kind, sha, plan.year, codes)
    if existing == "same":
        return ApplyResult("unchanged")
    if existing == "differs" and not replace:
        raise Refused("imp_idm_year_exists", year=str(plan.year), n=replaces)
    with engine.begin() as conn:
        upload_id = store.insert_upload(conn, kind=plan.kind, file_name=plan.file_name, sha256=plan.sha256,
                                        uploader=operator.username, status="applied", approved_by=operator.username,
                                        rows_added=len(codes) - replaces, rows_changed=replaces,
                                        kab_code=_single_kab(codes), content=plan.content or None)
        if isinstance(plan, IdmPlan):
            conn.execute(store.index_imports.insert().values(upload_id=upload_id, index_name="idm", year=plan.year,
                                                             desa=len(plan.desa), content_sha256=sha))
            conn.execute(store.idm_import_desa.insert(),
                         _frame_rows(plan.desa, "idm_import_desa", upload_id, {"code": "village_code"}))
            if len(plan.recommendations):
                conn.execute(store.idm_import_recommendations.insert(),
                             _frame_rows(plan.recommendations, "idm_import_recommendations", upload_id,
                                         {"code": "village_code"}))
        else:
            r = plan.read
            conn.execute(store.index_imports.insert().values(
                upload_id=upload_id, index_name="indeks_desa", year=plan.year, desa=len(r.desa),
                dims_source=r.dims_source, total_source=r.total_source, content_sha256=sha))
            conn.execute(store.indeks_desa_desa.insert(),
                         _frame_rows(r.desa, "indeks_desa_desa", upload_id, {"code": "village_code", "row": "file_row"}))
            if len(r.items):
                conn.execute(store.indeks_desa_items.insert(),
                             _frame_rows(r.items, "indeks_desa_items", upload_id, {"code": "village_code"}))
    status = "replaced" if replaces else "added"
    return ApplyResult(status, rows_added=len(codes) - replaces, rows_changed=replaces, upload_id=upload_id)


def _single_kab(codes: pd.Series) -> str | None:
    kabs = codes.str[:5].unique()
    return str(kabs[0]) if len(kabs) == 1 else None


def rollback_import(engine: Engine, upload_id: int, operator) -> None:
    """Undo one applied import (administrators only), in one transaction: its rows go, the history keeps the
    record (status "rolled_back"). What an earlier import of the same year holds shows again."""
    if getattr(operator, "role", None) != "admin":
        raise Refused("imp_admin_only")
    u = store.uploads
    with engine.begin() as conn:
        up = conn.execute(select(u).where(u.c.upload_id == upload_id)).mappings().first()
        if up is None or up["kind"] not in IMPORT_KINDS or up["status"] != "applied":
            raise Refused("imp_rb_not_applied", id=upload_id)
        for name in ("indeks_desa_items", "indeks_desa_desa", "idm_import_recommendations", "idm_import_desa",
                     "index_imports"):
            t = store.TABLES[name]
            conn.execute(delete(t).where(t.c.upload_id == upload_id))
        conn.execute(update(u).where(u.c.upload_id == upload_id).values(
            status="rolled_back", rolled_back_by=operator.username, rolled_back_at=store.utcnow()))
        store.bump_generation(conn)
