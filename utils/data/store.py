"""The programme store: adoption, status reports, services, officers, Bimtek, meetings, targets (SQLAlchemy 2 Core).

SQLite file by default (``paths.database_url()``); any SQLAlchemy URL through ``SV_DATABASE_URL``.
Only portable Core constructs are used so the same code runs on PostgreSQL. Region codes are
Kemendagri dotted strings (``18.06.20.2006``) and stay strings all the way through.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    SmallInteger,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    inspect,
    select,
    type_coerce,
)
from sqlalchemy.engine import make_url
from sqlalchemy.types import NullType

from utils.data import paths

# --------------------------------------------------------------------------------------------------
# Schema

metadata = MetaData()
CODE = String(32)  # Kemendagri dotted codes are at most 13 characters; room for other ids


def _source() -> Column:
    return Column("source", String(200), nullable=False, server_default="manual")


adoption = Table(
    "adoption",
    metadata,
    Column("village_code", CODE, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("reached_on", Date, nullable=False),
    _source(),
    PrimaryKeyConstraint("village_code", "stage"),
    Index("ix_adoption_village", "village_code"),
)

#: A kabupaten's progress report ("Laporan perkembangan Smart Village ... keadaan s.d. <date>"): an
#: observation as of ``report_date``. One per kabupaten and date; its rows say, per pekon, the exact join
#: date, the stage reached *by* the report date (its own date is not known), the trained operators and, in
#: ``status_report_services``, whether services of a pillar are active. Stored as reported.
status_reports = Table(
    "status_reports",
    metadata,
    Column("kab_code", CODE, nullable=False),
    Column("report_date", Date, nullable=False),
    Column("title", Text, nullable=True),  # the report's title block, as read
    _source(),
    PrimaryKeyConstraint("kab_code", "report_date"),
)

status_report_rows = Table(
    "status_report_rows",
    metadata,
    Column("kab_code", CODE, nullable=False),
    Column("report_date", Date, nullable=False),
    Column("village_code", CODE, nullable=False),
    Column("joined_on", Date, nullable=True),  # exact join date as reported; null: not given
    Column("stage", String(32), nullable=True),  # stage code reached by report_date ("belum" allowed); null: not given
    Column("operators_trained", Integer, nullable=True),  # null: not given
    Column("note", Text, nullable=True),  # the report's "Keterangan"
    Column("file_row", Integer, nullable=True),  # row in the uploaded file, for audit
    _source(),
    PrimaryKeyConstraint("kab_code", "report_date", "village_code"),
    ForeignKeyConstraint(["kab_code", "report_date"], ["status_reports.kab_code", "status_reports.report_date"]),
    Index("ix_status_report_rows_village", "village_code"),
)

status_report_services = Table(
    "status_report_services",
    metadata,
    Column("kab_code", CODE, nullable=False),
    Column("report_date", Date, nullable=False),
    Column("village_code", CODE, nullable=False),
    Column("pillar", String(32), nullable=False),
    Column("active", Boolean, nullable=False),
    _source(),
    PrimaryKeyConstraint("kab_code", "report_date", "village_code", "pillar"),
    ForeignKeyConstraint(["kab_code", "report_date", "village_code"],
                         ["status_report_rows.kab_code", "status_report_rows.report_date",
                          "status_report_rows.village_code"]),
)

services = Table(
    "services",
    metadata,
    Column("village_code", CODE, nullable=False),
    Column("pillar", String(32), nullable=False),
    Column("service", String(200), nullable=False),
    Column("started_on", Date, nullable=False),
    Column("ended_on", Date, nullable=True),
    _source(),
    PrimaryKeyConstraint("village_code", "service", "started_on"),
    Index("ix_services_village", "village_code"),
)

officers = Table(
    "officers",
    metadata,
    Column("officer_id", String(40), primary_key=True),
    Column("village_code", CODE, nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(100), nullable=False),
    Column("appointed_on", Date, nullable=True),
    _source(),
    Index("ix_officers_village", "village_code"),
)

bimtek_events = Table(
    "bimtek_events",
    metadata,
    Column("event_id", String(40), primary_key=True),
    Column("title", String(300), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
    Column("organiser", String(200), nullable=False),
    Column("kab_codes", Text, nullable=False),  # comma separated kabupaten codes covered
    Column("reported_participants", Integer, nullable=True),
    Column("reported_villages", Integer, nullable=True),
    # Region code the reported figures refer to (e.g. one kecamatan); null = the whole event.
    Column("reported_scope", CODE, nullable=True),
    Column("notes", Text, nullable=True),
    _source(),
)

bimtek_venues = Table(
    "bimtek_venues",
    metadata,
    Column("event_id", String(40), ForeignKey("bimtek_events.event_id"), nullable=False),
    Column("venue", String(300), nullable=False),
    PrimaryKeyConstraint("event_id", "venue"),
)

bimtek_participants = Table(
    "bimtek_participants",
    metadata,
    # Surrogate key: two unnamed operators from one village are two legitimate, identical-looking rows.
    Column("participant_id", Integer, primary_key=True, autoincrement=False),
    Column("event_id", String(40), ForeignKey("bimtek_events.event_id"), nullable=False),
    Column("village_code", CODE, nullable=False),
    Column("role", String(32), nullable=False),
    Column("name", String(200), nullable=True),
    _source(),
    Index("ix_bimtek_participants_village", "village_code"),
    Index("ix_bimtek_participants_event", "event_id"),
)

meetings = Table(
    "meetings",
    metadata,
    Column("meeting_id", String(40), primary_key=True),
    Column("date", Date, nullable=False),
    Column("title", String(300), nullable=False),
    Column("venue", String(300), nullable=True),
    Column("organiser", String(200), nullable=True),
    _source(),
)

meeting_attendance = Table(
    "meeting_attendance",
    metadata,
    Column("meeting_id", String(40), ForeignKey("meetings.meeting_id"), nullable=False),
    Column("officer_id", String(40), ForeignKey("officers.officer_id"), nullable=False),
    PrimaryKeyConstraint("meeting_id", "officer_id"),
)

targets = Table(
    "targets",
    metadata,
    Column("year", Integer, nullable=False),
    Column("region_code", CODE, nullable=False),  # "18" (province) or a kabupaten code
    Column("indicator", String(64), nullable=False),
    Column("value", Integer, nullable=False),  # percent 0..100
    _source(),
    PrimaryKeyConstraint("year", "region_code", "indicator"),
)

meta_table = Table(
    "meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=True),
)

#: Column and value mappings an operator saved for a kabupaten's own report layout (JSON ``spec``, see
#: ``utils.intake.report``). Configuration, not programme data: kept when the programme content is replaced.
mapping_profiles = Table(
    "mapping_profiles",
    metadata,
    Column("kab_code", CODE, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("name", String(100), nullable=False),
    Column("spec", Text, nullable=False),
    Column("saved_by", String(100), nullable=False),
    Column("saved_at", DateTime, nullable=False),
    PrimaryKeyConstraint("kab_code", "kind", "name"),
)

#: Upload history: one row per uploaded/imported file (programme tables, IDM workbooks, boundaries).
#: status: "pending" (waiting for a provincial administrator), "applied", "rejected", "rolled_back",
#: "failed". Times are UTC.
uploads = Table(
    "uploads",
    metadata,
    Column("upload_id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(40), nullable=False),
    Column("file_name", String(300), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("kab_code", CODE, nullable=True),  # null: the whole province
    Column("uploader", String(100), nullable=False),
    Column("uploaded_at", DateTime, nullable=False),
    Column("status", String(20), nullable=False),
    Column("rows_added", Integer, nullable=False, server_default="0"),
    Column("rows_changed", Integer, nullable=False, server_default="0"),
    Column("approved_by", String(100), nullable=True),
    Column("approved_at", DateTime, nullable=True),
    Column("rolled_back_by", String(100), nullable=True),
    Column("rolled_back_at", DateTime, nullable=True),
    Column("message", Text, nullable=True),
    Column("as_of", Date, nullable=True),  # the date the uploaded data describes (a report's "keadaan s.d.")
    Column("details", Text, nullable=True),  # JSON: what the check found (skipped rows, warnings, exclusions)
    Index("ix_uploads_sha", "sha256"),
)

#: Row images of an upload, as JSON text: image "new" = the validated rows (staged until approval),
#: "old" = the rows they replaced (kept so a rollback restores exactly the previous state).
upload_rows = Table(
    "upload_rows",
    metadata,
    Column("upload_id", Integer, ForeignKey("uploads.upload_id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("image", String(8), nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("row_json", Text, nullable=False),
    PrimaryKeyConstraint("upload_id", "seq"),
)

#: The uploaded or imported file itself, kept for audit (one row per ``uploads`` row that came from a file): the
#: bytes as received, bounded by the upload limits of its kind (5 MB for programme tables, the IDM/Indeks Desa and
#: boundary bounds for imports), with their size and SHA-256 (equal to ``uploads.sha256``). Every app server can
#: hand it back from Riwayat; no server keeps it only on its own disk.
upload_files = Table(
    "upload_files",
    metadata,
    Column("upload_id", Integer, ForeignKey("uploads.upload_id"), primary_key=True, autoincrement=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
)

#: Failed sign-ins per throttle key (``utils.data.auth.Throttle``: "account:<user>", "client:<session>",
#: "pair:<user>|<session>"), kept in the store so the backoff survives a restart and holds across app
#: servers. Times are seconds since the epoch (UTC); a key is forgotten once its last failure is old.
login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(300), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("first_at", Float, nullable=False),
    Column("last_at", Float, nullable=False),
)

#: A boundary import (one per ``uploads`` row of kind "boundary"): a layer over the build's boundaries. The
#: build's files are never overwritten; the boundaries served are the build's with every applied import over
#: them, in upload order (``utils.data.served``). Undoing an import sets its ``uploads.status`` to
#: "rolled_back" and the served files are regenerated without it.
boundary_imports = Table(
    "boundary_imports",
    metadata,
    Column("upload_id", Integer, ForeignKey("uploads.upload_id"), primary_key=True, autoincrement=False),
    Column("level", String(20), nullable=False),  # kabupaten / kecamatan / desa
    Column("source_label", String(300), nullable=False),  # who published the layer, as the admin named it
    Column("source_crs", String(200), nullable=False),
    Column("code_column", String(100), nullable=True),
    Column("code_system", String(20), nullable=False),  # kemendagri / bps / none
    Column("options", Text, nullable=False, server_default="{}"),  # JSON: the choices made when applying
    Column("content_sha256", String(64), nullable=False),  # of the stored features, for cache signatures
)

#: The geometry an import applies, one row per region (Kemendagri code): WKB in EPSG:4326, as read from the
#: file (repaired, reprojected), before it is fitted to the kept neighbours.
boundary_features = Table(
    "boundary_features",
    metadata,
    Column("upload_id", Integer, ForeignKey("boundary_imports.upload_id"), nullable=False),
    Column("code", CODE, nullable=False),
    Column("feature", Integer, nullable=False),  # feature number in the file, from 1
    Column("method", String(32), nullable=False),  # how it was matched (by_code, by_code_then_name, ...)
    Column("overlap", Float, nullable=True),  # intersection over union with the polygon it replaced
    Column("geometry", LargeBinary, nullable=False),
    PrimaryKeyConstraint("upload_id", "code"),
)

# ---- imported development indices (IDM workbooks of other years, Indeks Desa rounds) -------------------------
# Every row belongs to one import (``upload_id`` of ``uploads``, kind "idm" or "indeks_desa"): an import is a
# layer over the build's IDM 2024. A year's figures are its imports' rows, the later import winning per desa;
# undoing an import deletes its rows, so the earlier layer shows again. Schema: docs/schema.md.

#: One row per applied import: which index and year, and where its scores come from.
index_imports = Table(
    "index_imports",
    metadata,
    Column("upload_id", Integer, ForeignKey("uploads.upload_id"), primary_key=True, autoincrement=False),
    Column("index_name", String(20), nullable=False),  # "idm" | "indeks_desa"
    Column("year", Integer, nullable=False),
    Column("desa", Integer, nullable=False),
    Column("dims_source", String(12), nullable=True),  # Indeks Desa: "file" | "dashboard"
    Column("total_source", String(12), nullable=True),
    # Hash of the rows read (not of the file's bytes, which change with every save): the same content again
    # is "nothing changes".
    Column("content_sha256", String(64), nullable=False),
    Index("ix_index_imports_year", "index_name", "year"),
)

idm_import_desa = Table(
    "idm_import_desa",
    metadata,
    Column("upload_id", Integer, ForeignKey("index_imports.upload_id"), nullable=False),
    Column("village_code", CODE, nullable=False),
    Column("iks", Float, nullable=True),
    Column("ike", Float, nullable=True),
    Column("ikl", Float, nullable=True),
    Column("nilai", Float, nullable=True),
    Column("status", String(32), nullable=True),
    Column("target_status", String(32), nullable=True),
    Column("signal", String(16), nullable=True),
    Column("internet_kantor", Boolean, nullable=True),
    Column("n_recommendations", Integer, nullable=True),
    PrimaryKeyConstraint("upload_id", "village_code"),
)

idm_import_recommendations = Table(
    "idm_import_recommendations",
    metadata,
    Column("upload_id", Integer, ForeignKey("index_imports.upload_id"), nullable=False),
    Column("village_code", CODE, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("indicator", Text, nullable=True),
    Column("activity", Text, nullable=True),
    Column("score_gain", Float, nullable=True),
    *(Column(actor, String(200), nullable=True)
      for actor in ("pusat", "provinsi", "kabupaten", "desa", "swasta", "masyarakat")),
    PrimaryKeyConstraint("upload_id", "village_code", "seq"),
)

indeks_desa_desa = Table(
    "indeks_desa_desa",
    metadata,
    Column("upload_id", Integer, ForeignKey("index_imports.upload_id"), nullable=False),
    Column("village_code", CODE, nullable=False),
    Column("name", String(200), nullable=True),  # as the file writes it
    Column("status", String(32), nullable=True),
    Column("status_source", String(12), nullable=True),  # "file" | "bands" (third-party bands)
    Column("band_status", String(32), nullable=True),  # the total's band (third-party), for the findings
    Column("total", Float, nullable=True),
    *(Column(f"dim_{d}", Float, nullable=True)
      for d in ("layanan_dasar", "sosial", "ekonomi", "lingkungan", "aksesibilitas", "tata_kelola")),
    Column("items_scored", Integer, nullable=False),
    Column("file_row", Integer, nullable=False),
    PrimaryKeyConstraint("upload_id", "village_code"),
)

indeks_desa_items = Table(
    "indeks_desa_items",
    metadata,
    Column("upload_id", Integer, ForeignKey("index_imports.upload_id"), nullable=False),
    Column("village_code", CODE, nullable=False),
    Column("item_no", SmallInteger, nullable=False),  # data/indeks_desa_items.parquet item_no
    Column("score", SmallInteger, nullable=False),
    PrimaryKeyConstraint("upload_id", "village_code", "item_no"),
)

TABLES: dict[str, Table] = {t.name: t for t in metadata.sorted_tables}
#: Bookkeeping tables: not programme data, kept when the programme content is replaced.
HISTORY_TABLES: tuple[str, ...] = ("uploads", "upload_rows", "upload_files", "login_failures")
#: Imported boundary layers: not programme data either, kept when the programme content is replaced.
BOUNDARY_TABLES: tuple[str, ...] = ("boundary_imports", "boundary_features")
#: Imported index rows: kept when the programme content is replaced (the demo set never touches them).
IMPORT_TABLES: tuple[str, ...] = ("index_imports", "idm_import_desa", "idm_import_recommendations",
                                  "indeks_desa_desa", "indeks_desa_items")
#: Configuration the operators keep (mapping profiles): not programme data either.
CONFIG_TABLES: tuple[str, ...] = ("mapping_profiles",)
#: Data tables (everything but ``meta``, the history, the imports and the configuration), parents before children.
DATA_TABLES: tuple[str, ...] = tuple(n for n in TABLES if n != "meta"
                                     and n not in HISTORY_TABLES + BOUNDARY_TABLES + IMPORT_TABLES + CONFIG_TABLES)
#: ``meta`` key of the store generation: a counter bumped by every write, so caches see changes on
#: any backend (a PostgreSQL write changes no local file).
GENERATION_KEY = "generation"
#: Columns holding codes or ids: always text, never numbers.
_TEXT_ID_COLUMNS = {"village_code", "region_code", "kab_codes", "event_id", "officer_id", "meeting_id", "reported_scope"}


# --------------------------------------------------------------------------------------------------
# Engine and schema


def _sqlite_foreign_keys(dbapi_connection, _record) -> None:  # pragma: no cover - trivial
    # SQLite ignores foreign keys unless asked per connection; PostgreSQL always enforces them.
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def get_engine(url: str | None = None) -> Engine:
    """Engine for ``url`` (default: ``SV_DATABASE_URL`` or the SQLite file under data/)."""
    url = url or paths.database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def init_schema(engine: Engine) -> None:
    """Bring the store to the current schema version (``utils.data.migrate``): a new store gets every table,
    an older one is upgraded in place; one small read when it is already current."""
    from utils.data import migrate  # migrations import this module's metadata

    migrate.upgrade(engine)


def _table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise ValueError(f"unknown table {name!r}; expected one of {sorted(TABLES)}") from None


def empty_table(name: str) -> pd.DataFrame:
    """A table's frame with no rows (its columns and dtypes as ``read_table`` gives them)."""
    return _empty_frame(_table(name))


def _empty_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series(dtype=_dtype_for(c)) for c in table.columns})


def _dtype_for(col: Column) -> str:
    if isinstance(col.type, Date):
        return "datetime64[us]"
    if isinstance(col.type, Integer):
        return "Int64"
    if isinstance(col.type, Boolean):
        return "boolean"
    if isinstance(col.type, Float):
        return "float64"
    return "str"


def normalise_types(df: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Codes as str, dates as datetime64, nullable integers as Int64."""
    for col in table.columns:
        if col.name not in df:
            continue
        if isinstance(col.type, Date):
            df[col.name] = pd.to_datetime(df[col.name]).astype("datetime64[us]")
        elif isinstance(col.type, Integer):
            df[col.name] = pd.array(df[col.name], dtype="Int64")
        elif isinstance(col.type, String | Text):
            df[col.name] = df[col.name].astype("str")
    return df


def read_table(engine: Engine, name: str) -> pd.DataFrame:
    """All rows of one table, ordered by primary key; codes as str, dates as datetime64."""
    table = _table(name)
    if not inspect(engine).has_table(name):
        return _empty_frame(table)
    order = list(table.primary_key.columns) or list(table.columns)
    # Dates come as the driver gives them (SQLite: ISO text) and are parsed once per column by
    # normalise_types, not one row at a time by SQLAlchemy's DATE result processor (national set: the 12
    # programme tables 5.2 -> 4.2 s CPU, equal frames).
    columns = [type_coerce(c, NullType()).label(c.name) if isinstance(c.type, Date) else c for c in table.columns]
    with engine.connect() as conn:
        # pd.read_sql builds columns directly: 2.5x less CPU than a dict per row (300,000 adoption rows
        # of the national bench set: 1.3 s instead of 3.2 s).
        df = pd.read_sql(select(*columns).order_by(*order), conn)
    if df.empty:
        return _empty_frame(table)
    return normalise_types(df, table)


def read_meta(engine: Engine) -> dict[str, str]:
    """The ``meta`` key/value pairs ({} when the store is new); the generation counter is bookkeeping,
    read with ``read_generation``."""
    if not inspect(engine).has_table("meta"):
        return {}
    with engine.connect() as conn:
        return {k: v for k, v in conn.execute(select(meta_table.c.key, meta_table.c.value)) if k != GENERATION_KEY}


def store_is_empty(engine: Engine) -> bool:
    """True when no data table holds a row (or the schema does not exist yet)."""
    insp = inspect(engine)
    with engine.connect() as conn:
        for name in DATA_TABLES:
            if insp.has_table(name) and conn.execute(select(func.count()).select_from(TABLES[name])).scalar():
                return False
    return True


# --------------------------------------------------------------------------------------------------
# Writing


def db_value(value: object) -> object:
    """One cell as a DB-API value: NaN/NaT/NA → None, Timestamp → date, numpy scalars → Python."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalar
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def text_limit(table: str, column: str) -> int | None:
    """The most characters ``table.column`` holds (None: no limit); the one source of these limits."""
    col = _table(table).c[column]
    return col.type.length if isinstance(col.type, String) else None


def _check_text(table: Table, frame: pd.DataFrame) -> None:
    """Reject text PostgreSQL would refuse but SQLite silently stores, so every backend accepts the same rows.

    SQLite ignores ``VARCHAR(n)`` lengths and keeps NUL characters; PostgreSQL fails the whole transaction on
    either. Checked here, before the transaction, with a message naming the table, column and row.
    """
    for col in table.columns:
        if col.name not in frame or not isinstance(col.type, String):  # Text is a String too
            continue
        values = frame[col.name].dropna()
        if values.empty:
            continue
        values = values.astype("str")
        if col.type.length is not None:
            too_long = values[values.str.len() > col.type.length]
            if not too_long.empty:
                first = too_long.iloc[0]
                raise ValueError(
                    f"table {table.name!r}: column {col.name!r} holds at most {col.type.length} characters; "
                    f"{len(too_long)} value(s) are longer, e.g. row {too_long.index[0]!r} "
                    f"({len(first)} characters: {first[:60]!r}...)"
                )
        with_nul = values[values.str.contains("\x00", regex=False)]
        if not with_nul.empty:
            raise ValueError(
                f"table {table.name!r}: column {col.name!r} contains a NUL character (\\x00) in row "
                f"{with_nul.index[0]!r}; text columns cannot store it"
            )


def _records(table: Table, frame: pd.DataFrame) -> list[dict[str, object]]:
    """Validate ``frame`` against ``table`` and turn it into insert parameters."""
    names = [c.name for c in table.columns]
    unknown = sorted(set(frame.columns) - set(names))
    if unknown:
        raise ValueError(f"table {table.name!r}: unknown columns {unknown}; expected {names}")
    missing = [c.name for c in table.columns if c.name not in frame and not c.nullable and c.server_default is None]
    if missing:
        raise ValueError(f"table {table.name!r}: missing required columns {missing}")
    cols = [n for n in names if n in frame]
    out = frame[cols].copy()
    _check_text(table, out)
    for col in table.columns:
        if col.name in out and isinstance(col.type, Date):
            out[col.name] = pd.to_datetime(out[col.name])
    return [dict(zip(cols, map(db_value, row), strict=True)) for row in out.itertuples(index=False, name=None)]


def replace_tables(
    engine: Engine, frames: Mapping[str, pd.DataFrame], meta: Mapping[str, object] | None = None, *, clear_all: bool = False
) -> None:
    """Replace the given tables (or, with ``clear_all``, every table) and upsert ``meta``, in ONE transaction.

    Any error (bad column, duplicate key, foreign key) rolls everything back: the store keeps its previous
    content.
    """
    for name in frames:
        _table(name)
    # Validate and convert before opening the transaction so simple mistakes cost nothing.
    params = {name: _records(TABLES[name], frame) for name, frame in frames.items()}
    init_schema(engine)
    to_clear: Iterable[str] = DATA_TABLES if clear_all else [n for n in DATA_TABLES if n in frames]
    with engine.begin() as conn:
        generation = _generation(conn) + 1
        for name in reversed([n for n in DATA_TABLES if n in set(to_clear)]):  # children first
            conn.execute(delete(TABLES[name]))
        for name in DATA_TABLES:  # parents first
            if params.get(name):
                conn.execute(TABLES[name].insert(), params[name])
        if meta is not None:
            if clear_all:
                conn.execute(delete(meta_table))
            else:
                conn.execute(delete(meta_table).where(meta_table.c.key.in_(list(meta))))
            if meta:
                conn.execute(meta_table.insert(), [{"key": k, "value": None if v is None else str(v)} for k, v in meta.items()])
        _set_generation(conn, generation)


def replace_all(engine: Engine, frames: Mapping[str, pd.DataFrame], meta: Mapping[str, object]) -> None:
    """Replace the whole store content (tables absent from ``frames`` become empty) and ``meta``.

    All or nothing: one transaction; on any error the previous content stays intact.
    """
    replace_tables(engine, frames, meta, clear_all=True)



# --------------------------------------------------------------------------------------------------
# Store generation and upload history


def _generation(conn) -> int:
    value = conn.execute(select(meta_table.c.value).where(meta_table.c.key == GENERATION_KEY)).scalar()
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _set_generation(conn, value: int) -> None:
    conn.execute(delete(meta_table).where(meta_table.c.key == GENERATION_KEY))
    conn.execute(meta_table.insert(), [{"key": GENERATION_KEY, "value": str(value)}])


def bump_generation(conn) -> int:
    """Add one to the store generation inside the caller's transaction; returns the new value."""
    value = _generation(conn) + 1
    _set_generation(conn, value)
    return value


def read_generation(engine: Engine) -> int:
    """The store generation (0 for a new store)."""
    if not inspect(engine).has_table("meta"):
        return 0
    with engine.connect() as conn:
        return _generation(conn)


def set_meta(engine: Engine, values: Mapping[str, object]) -> None:
    """Upsert ``meta`` keys (None deletes a key) and bump the generation, in one transaction."""
    init_schema(engine)
    with engine.begin() as conn:
        upsert_meta(conn, values)
        bump_generation(conn)


def upsert_meta(conn, values: Mapping[str, object]) -> None:
    """Upsert ``meta`` keys inside the caller's transaction (None deletes a key)."""
    conn.execute(delete(meta_table).where(meta_table.c.key.in_(list(values))))
    rows = [{"key": k, "value": str(v)} for k, v in values.items() if v is not None]
    if rows:
        conn.execute(meta_table.insert(), rows)


def utcnow() -> dt.datetime:
    """Now in UTC without tzinfo (portable ``DateTime`` column)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def insert_upload(conn, *, kind: str, file_name: str, sha256: str, uploader: str, status: str,
                  kab_code: str | None = None, rows_added: int = 0, rows_changed: int = 0, message: str = "",
                  approved_by: str | None = None, as_of: dt.date | None = None, details: str | None = None,
                  content: bytes | None = None) -> int:
    """Insert one ``uploads`` row inside the caller's transaction; returns its upload_id. ``content``: the file's
    bytes, kept beside the row (``upload_files``) in the same transaction; its SHA-256 must be ``sha256``."""
    now = utcnow()
    values = {
        "kind": kind, "file_name": file_name[:300], "sha256": sha256, "kab_code": kab_code,
        "uploader": uploader, "uploaded_at": now, "status": status, "rows_added": int(rows_added),
        "rows_changed": int(rows_changed), "message": message, "as_of": as_of, "details": details,
    }
    if approved_by:
        values.update(approved_by=approved_by, approved_at=now)
    result = conn.execute(uploads.insert().values(**values))
    upload_id = int(result.inserted_primary_key[0])
    if content is not None:
        digest = hashlib.sha256(content).hexdigest()
        if digest != sha256:
            raise ValueError(f"file content does not match the recorded sha256 ({digest[:12]} != {sha256[:12]})")
        conn.execute(upload_files.insert().values(upload_id=upload_id, size=len(content), sha256=digest,
                                                  content=content))
    bump_generation(conn)
    return upload_id


def record_upload(engine: Engine, *, kind: str, file_name: str, sha256: str, uploader: str, status: str,
                  kab_code: str | None = None, rows_added: int = 0, rows_changed: int = 0,
                  message: str = "", content: bytes | None = None) -> int:
    """Record one upload or import (kinds: programme tables, "idm", "boundary"); returns its upload_id.

    ``uploader`` is the operator's username: every write is attributed. An "applied" record of an import
    is also its approval (the provincial administrator who imports approves at the same time).
    """
    init_schema(engine)
    with engine.begin() as conn:
        return insert_upload(conn, kind=kind, file_name=file_name, sha256=sha256, uploader=uploader,
                             status=status, kab_code=kab_code, rows_added=rows_added,
                             rows_changed=rows_changed, message=message, content=content,
                             approved_by=uploader if status == "applied" else None)


def read_upload_file(engine: Engine, upload_id: int) -> tuple[str, bytes] | None:
    """File name and bytes of the file an upload or import came from (None: no file kept, e.g. recorded
    before files were kept, or a switch that had no file)."""
    with engine.connect() as conn:
        row = conn.execute(select(uploads.c.file_name, upload_files.c.content)
                           .join(upload_files, upload_files.c.upload_id == uploads.c.upload_id)
                           .where(uploads.c.upload_id == int(upload_id))).first()
    return None if row is None else (str(row[0]), bytes(row[1]))


def uploads_with_file(engine: Engine) -> set[int]:
    """upload_id of every upload whose file is kept (a cheap query: no bytes read)."""
    if not inspect(engine).has_table("upload_files"):
        return set()
    with engine.connect() as conn:
        return {int(r[0]) for r in conn.execute(select(upload_files.c.upload_id))}


def read_uploads(engine: Engine) -> pd.DataFrame:
    """The upload history, newest first."""
    if not inspect(engine).has_table("uploads"):
        return _empty_frame(uploads)
    with engine.connect() as conn:
        rows = conn.execute(select(uploads).order_by(uploads.c.upload_id.desc())).mappings().all()
    df = pd.DataFrame.from_records(rows, columns=[c.name for c in uploads.columns])
    if df.empty:
        return _empty_frame(uploads)
    for col in ("uploaded_at", "approved_at", "rolled_back_at", "as_of"):
        df[col] = pd.to_datetime(df[col])
    return df


def read_profiles(engine: Engine, kab_code: str, kind: str) -> pd.DataFrame:
    """Mapping profiles saved for one kabupaten and kind (name, spec as JSON text, saved_by, saved_at), newest
    first; empty when none (or the store predates them)."""
    t = mapping_profiles
    if not inspect(engine).has_table(t.name):
        return _empty_frame(t)
    with engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.kab_code == kab_code, t.c.kind == kind)
                            .order_by(t.c.saved_at.desc(), t.c.name)).mappings().all()
    return pd.DataFrame.from_records(rows, columns=[c.name for c in t.columns]) if rows else _empty_frame(t)


# --------------------------------------------------------------------------------------------------
# Imported development indices


def read_index_imports(engine: Engine, index_name: str, low_score: int | None = None) -> dict[str, pd.DataFrame]:
    """Rows of the applied imports of one index ("idm" or "indeks_desa"), each with ``upload_id`` and ``year``.

    Keys: ``imports`` (index_imports rows, oldest first) and per table of the index its rows (``idm_import_desa``
    and ``idm_import_recommendations``, or ``indeks_desa_desa`` and ``indeks_desa_items``). ``low_score``: read
    only item scores at or below it (the rows recommendations need; a full province round has 310,000 items).
    Rolled-back imports have no rows left. Empty frames for a store without the tables.
    """
    tables = {"idm": ("idm_import_desa", "idm_import_recommendations"),
              "indeks_desa": ("indeks_desa_desa", "indeks_desa_items")}[index_name]
    insp = inspect(engine)
    if not insp.has_table("index_imports"):
        return {"imports": _empty_frame(index_imports),
                **{t: _empty_frame(TABLES[t]).assign(year=pd.Series(dtype="int64")) for t in tables}}
    imp = index_imports
    with engine.connect() as conn:
        imports = pd.read_sql(select(imp).where(imp.c.index_name == index_name).order_by(imp.c.upload_id), conn)
        out = {"imports": imports}
        for name in tables:
            t = TABLES[name]
            q = select(t, imp.c.year).join(imp, imp.c.upload_id == t.c.upload_id).where(imp.c.index_name == index_name)
            if name == "indeks_desa_items" and low_score is not None:
                q = q.where(t.c.score <= low_score)
            out[name] = pd.read_sql(q.order_by(t.c.upload_id), conn)
    for frame in out.values():
        for col in ("village_code", "status", "signal", "name"):
            if col in frame:
                frame[col] = frame[col].astype("str")
    return out
