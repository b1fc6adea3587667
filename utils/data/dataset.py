"""Everything the pages read, loaded once: canonical region/IDM files plus the programme store.

Raises DataUnavailable with a message that says how to rebuild, never a bare traceback.
"""

from __future__ import annotations

import datetime as dt
import functools
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils.data import paths, served, store
from utils.domain.indeks_desa import ACTION_SCORE

PROGRAMME_TABLES = (
    "adoption", "status_reports", "status_report_rows", "status_report_services", "services", "officers",
    "bimtek_events", "bimtek_venues", "bimtek_participants", "meetings", "meeting_attendance", "targets",
)
#: Tables as the "Data contoh" marker names them: a group is demo while all its rows come from the demo set.
#: A kabupaten's status report tells the adoption stage, so it belongs to the adoption group.
DEMO_GROUPS: dict[str, tuple[str, ...]] = {
    "adoption": ("adoption", "status_report_rows"),
    "services": ("services",),
    "officers": ("officers",),
    "bimtek": ("bimtek_events", "bimtek_participants"),
    "meetings": ("meetings",),
    "targets": ("targets",),
}
#: ``meta`` key of the switch back to the demo set ("1": every page shows the demo set).
VIEW_DEMO_KEY = "view_demo"
#: Groups that switch from the demo set to real data per kabupaten: once a group holds real rows, its demo
#: rows are never shown (a kabupaten without a real report reads "belum melapor"). Per group the tables
#: whose rows name their kabupaten: table -> column holding a village or kabupaten code.
REPORTING_GROUPS: dict[str, dict[str, str]] = {
    "adoption": {"adoption": "village_code", "status_reports": "kab_code", "status_report_rows": "kab_code",
                 "status_report_services": "kab_code"},
    "services": {"services": "village_code"},
    "officers": {"officers": "village_code"},
    "bimtek": {"bimtek_events": "kab_codes", "bimtek_participants": "village_code"},
}
#: Programme table or upload kind -> its data group (a DEMO_GROUPS key): the one answer to "which marker and
#: which reporting state does this table follow" (a venue follows its Bimtek, an attendance list its meeting,
#: an uploaded status report the adoption stage).
TABLE_GROUP: dict[str, str] = {
    **{table: group for group, tables in DEMO_GROUPS.items() for table in tables},
    **{table: group for group, tables in REPORTING_GROUPS.items() for table in tables},
    "bimtek_venues": "bimtek", "meeting_attendance": "meetings", "status_report": "adoption",
}

REBUILD_HINT_ID = "Jalankan `make rebuild` (Windows: `.venv\\Scripts\\python -m utils build --force`) lalu muat ulang."
REBUILD_HINT_EN = "Run `make rebuild` (Windows: `.venv\\Scripts\\python -m utils build --force`) and reload."


#: ``DataUnavailable.what`` of a store that cannot be read (the frame then serves the last good read).
STORE_WHAT = "programme store (data program)"


class DataUnavailable(RuntimeError):
    """A canonical file or the programme store is missing or unreadable."""

    def __init__(self, what: str, detail: str = "") -> None:
        self.what = what
        self.detail = detail
        super().__init__(
            f"Berkas data tidak tersedia atau rusak: {what}. {REBUILD_HINT_ID}\n"
            f"Data file missing or corrupt: {what}. {REBUILD_HINT_EN}" + (f"\n({detail})" if detail else "")
        )


@dataclass(frozen=True)
class Dataset:
    """Read-only bundle shared by all sessions (never mutate its frames)."""

    regions: pd.DataFrame
    idm: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    meta: dict[str, str] = field(default_factory=dict)
    #: IDM per year (build's 2024 plus imported years); ``idm`` is the latest that covers the province.
    idm_years: dict[int, pd.DataFrame] = field(default_factory=dict)
    #: DEMO_GROUPS keys still showing demo rows; None = unknown (fall back to ``meta.is_demo``).
    demo_tables: frozenset[str] | None = None
    #: Why the store could not be read when this is the last good read served instead ("" = fresh read).
    read_only: str = ""
    #: Boundary imports in force, oldest first: the header names their source.
    boundary_imports: tuple[served.AppliedImport, ...] = ()
    #: Year of the build's IDM file (IDM 2024).
    idm_base_year: int = 2024
    #: Indeks Desa per year (imports merged, the latest per desa): code, status, status_source, band_status,
    #: total, dim_<dimension>, items_scored, dims_source, total_source, upload_id, name. A year may be partial.
    indeks_desa: dict[int, pd.DataFrame] = field(default_factory=dict)
    #: Per year the item scores at or below ``ACTION_SCORE`` (code, item_no, score): what recommendations need.
    indeks_low_items: dict[int, pd.DataFrame] = field(default_factory=dict)
    #: The Indeks Desa item catalogue (data/indeks_desa_items.parquet).
    index_catalogue: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Per REPORTING_GROUPS key that holds real data: the kabupaten codes with a real report of that kind
    #: (the others read "belum melapor"). A group absent here shows the demo set (or nothing).
    reporting: dict[str, frozenset[str]] = field(default_factory=dict)

    def reported(self, group: str, kab_code: str) -> bool:
        """True when ``kab_code``'s figures of ``group`` can be shown: its own real report, or the whole
        province still on the demo set for that kind."""
        return group not in self.reporting or kab_code in self.reporting[group]

    @property
    def idm_base(self) -> pd.DataFrame:
        """The build's IDM 2024 (both editions combined; imported years never replace it)."""
        return self.idm_years.get(self.idm_base_year, self.idm)

    @property
    def data_as_of(self) -> dt.date:
        return dt.date.fromisoformat(self.meta.get("data_as_of", dt.date.today().isoformat()))

    @property
    def is_demo(self) -> bool:
        """True while any table still shows demo rows (see ``demo_tables``)."""
        if self.demo_tables is None:
            return self.meta.get("is_demo", "1") == "1"
        return bool(self.demo_tables)

    @property
    def partly_demo(self) -> bool:
        """True when some tables hold uploaded data and others still demo rows (the per-table marker)."""
        return (self.demo_tables is not None and not self.viewing_demo and bool(self.demo_tables)
                and self.demo_tables != set(DEMO_GROUPS))

    @property
    def demo_group_list(self) -> list[str]:
        """DEMO_GROUPS keys still showing demo rows, in the marker's order."""
        return [g for g in DEMO_GROUPS if g in (self.demo_tables or ())]

    @property
    def viewing_demo(self) -> bool:
        """True when the switch back to the demo set is on."""
        return self.meta.get(VIEW_DEMO_KEY) == "1"

    @functools.cached_property
    def names(self) -> dict[str, str]:
        """code -> display name, for labels and breadcrumbs (built once: every rerun reads it)."""
        return dict(zip(self.regions["code"], self.regions["display_name"], strict=True))

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]


def _read_parquet(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise DataUnavailable(str(path.relative_to(paths.ROOT) if path.is_relative_to(paths.ROOT) else path))
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001 - any parquet/arrow error means the file must be rebuilt
        raise DataUnavailable(path.name, f"{type(exc).__name__}: {exc}") from exc


_ENGINES: dict[str, object] = {}


def _engine(url: str | None = None):
    """One engine per store URL for the cheap checks made on every rerun."""
    url = url or paths.database_url()
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = store.get_engine(url)
    return engine


def _store_generation() -> float:
    """The store's generation counter (a PostgreSQL write changes no local file); -1 when unreadable."""
    try:
        return float(store.read_generation(_engine()))
    except Exception:  # noqa: BLE001 - an unreachable server shows up when the data is loaded
        return -1.0


def _import_files() -> list[Path]:
    return sorted(p for p in paths.IMPORTS_DIR.rglob("*.parquet")) if paths.IMPORTS_DIR.is_dir() else []


def _sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite"):
        return None
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def canonical_version() -> tuple[float, ...]:
    """A cache key that changes when the build, the store or an import changes.

    Modification times of the build's files, the SQLite file and every imported file, plus the store
    generation for databases that are not a local file.
    """
    files = [paths.REGIONS, paths.IDM, *_import_files()]
    version = [f.stat().st_mtime if f.exists() else 0.0 for f in files]
    url = paths.database_url()
    db_file = _sqlite_file(url)
    if db_file is not None:
        version.append(db_file.stat().st_mtime_ns / 1e9 if db_file.exists() else 0.0)
    else:
        version.append(_store_generation())
    version.append(float(zlib.crc32(url.encode())))  # another store (tests, SV_DATABASE_URL) is another key
    version.append(float(len(files)))  # a removed import changes the key too
    return tuple(version)


def layered(rows: pd.DataFrame) -> pd.DataFrame:
    """Stacked import rows (``upload_id``, ``year``, ``village_code``) to one row per year and desa: the latest
    import wins, so several per-kabupaten files of a year add up and undoing one brings the earlier back."""
    return rows.sort_values("upload_id", kind="stable").drop_duplicates(["year", "village_code"], keep="last")


def load_idm_years(build_idm: pd.DataFrame, imported: pd.DataFrame | None = None) -> dict[int, pd.DataFrame]:
    """IDM per year: the build's file (IDM 2024) plus the years imported into the store (``idm_import_desa``
    rows with ``upload_id`` and ``year``, see ``store.read_index_imports``), in the build's columns."""
    from utils.data.idm import IDM_COLUMNS
    from utils.domain.idm import EDITION_WORKBOOK

    default_year = int(build_idm["year"].iloc[0]) if "year" in build_idm and len(build_idm) else 2024
    years = {default_year: build_idm}
    if imported is not None and len(imported):
        rows = layered(imported).rename(columns={"village_code": "code"})
        for year, frame in rows.groupby("year"):
            if int(year) == default_year:
                continue  # the import refuses the base year; never let a stray row replace it
            frame = frame.assign(edition=EDITION_WORKBOOK, carried_2023=pd.Series(False, index=frame.index, dtype="boolean"),
                                 satudata_nilai=float("nan"), satudata_status=pd.Series(None, index=frame.index, dtype="str"))
            frame = frame.astype({"year": "int64", "internet_kantor": "boolean", "n_recommendations": "Int64"})
            years[int(year)] = frame[[c for c in IDM_COLUMNS]].sort_values("code", ignore_index=True)
    return dict(sorted(years.items()))


def load_indeks_desa(read: dict[str, pd.DataFrame]) -> tuple[dict[int, pd.DataFrame], dict[int, pd.DataFrame]]:
    """Indeks Desa per year from ``store.read_index_imports(engine, "indeks_desa", low_score)``: (per-desa scores
    with ``dims_source`` / ``total_source`` of their import, the item scores of those same imports)."""
    desa = read["indeks_desa_desa"]
    if desa.empty:
        return {}, {}
    sources = read["imports"].set_index("upload_id")[["dims_source", "total_source"]]
    won = layered(desa).join(sources, on="upload_id").rename(columns={"village_code": "code"})
    items = read["indeks_desa_items"].merge(won[["upload_id", "code"]].rename(columns={"code": "village_code"}),
                                            on=["upload_id", "village_code"]).rename(columns={"village_code": "code"})
    by_year = {int(y): f.sort_values("code", ignore_index=True) for y, f in won.groupby("year")}
    item_years = {y: items[items["year"] == y][["code", "item_no", "score"]].reset_index(drop=True) for y in by_year}
    return by_year, item_years


#: An imported IDM year replaces the shown one only when it covers at least this share of the desa the
#: previous complete year scored: a workbook of one kabupaten must not make the province's IDM figures drop.
IDM_MIN_COVERAGE = 0.9


def current_idm_year(idm_years: dict[int, pd.DataFrame]) -> int:
    """The latest year that covers the province: at least IDM_MIN_COVERAGE of the base year's desa."""
    base = min(idm_years)
    full = [year for year, frame in idm_years.items() if len(frame) >= IDM_MIN_COVERAGE * len(idm_years[base])]
    return max(full)


def demo_groups(tables: dict[str, pd.DataFrame]) -> frozenset[str]:
    """DEMO_GROUPS keys whose rows all come from the demo set (an empty group is not demo)."""
    out = set()
    for group, names in DEMO_GROUPS.items():
        sources = [tables[n]["source"] for n in names if n in tables and "source" in tables[n]]
        rows = sum(len(s) for s in sources)
        if rows and all((s == "demo").all() for s in sources):
            out.add(group)
    return frozenset(out)


def _kabs(values: pd.Series, column: str) -> set[str]:
    if column == "kab_codes":  # a Bimtek event lists the kabupaten it covered
        return {c.strip() for v in values.dropna() for c in str(v).split(",") if c.strip()}
    return {str(v)[:5] for v in values.dropna()}


def real_only(tables: dict[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], dict[str, frozenset[str]]]:
    """(the tables with the demo rows of every group that holds real data removed, per such group the
    kabupaten with a real report). Real and demo rows of one kind are never mixed in what the pages read:
    a kabupaten that has not reported yet shows no figure, not the demo one."""
    out, reporting = dict(tables), {}
    for group, columns in REPORTING_GROUPS.items():
        real = {n: tables[n]["source"] != "demo" for n in columns if n in tables and "source" in tables[n]}
        if not any(mask.any() for mask in real.values()):
            continue
        reporting[group] = frozenset().union(*(_kabs(tables[n].loc[mask, columns[n]], columns[n])
                                               for n, mask in real.items()))
        for name, mask in real.items():
            out[name] = tables[name][mask].reset_index(drop=True)
    if "bimtek" in reporting:  # venues of demo events, attendance of demo officers go with them
        venues = out["bimtek_venues"]
        out["bimtek_venues"] = venues[venues["event_id"].isin(out["bimtek_events"]["event_id"])].reset_index(drop=True)
    if "officers" in reporting:
        att = out["meeting_attendance"]
        out["meeting_attendance"] = att[att["officer_id"].isin(out["officers"]["officer_id"])].reset_index(drop=True)
    return out, reporting


def load_dataset(db_url: str | None = None) -> Dataset:
    """Load regions, IDM (every year) and every programme table.

    With the demo switch on (``meta.view_demo = "1"``) the programme tables are the demo set regenerated
    from its seed, whatever real data the store holds.
    """
    regions = _read_parquet(paths.REGIONS)
    build_idm = _read_parquet(paths.IDM)
    catalogue = _read_parquet(paths.INDEKS_DESA_ITEMS)
    reporting: dict[str, frozenset[str]] = {}
    try:
        engine = store.get_engine(db_url)
        if store.store_is_empty(engine):
            raise DataUnavailable(STORE_WHAT, "store is empty: run `python -m utils demo`")
        served.ensure_current(engine)  # boundary imports: the served layers follow the store
        regions = served.regions_with_served_geometry(regions)
        boundary_imports = tuple(served.applied_imports(engine))
        idm_years = load_idm_years(build_idm, store.read_index_imports(engine, "idm")["idm_import_desa"])
        indeks, low_items = load_indeks_desa(store.read_index_imports(engine, "indeks_desa", ACTION_SCORE))
        meta = store.read_meta(engine)
        if meta.get(VIEW_DEMO_KEY) == "1":
            from utils.data import demo

            seed = int(meta.get("demo_seed") or demo.DEFAULT_SEED)
            frames = demo.generate(regions, idm_years[min(idm_years)], seed)
            tables = {name: store.normalise_types(frames[name].copy(), store.TABLES[name]) if name in frames
                      else store.empty_table(name) for name in PROGRAMME_TABLES}
            meta = {**meta, **demo.demo_meta(seed, frames.planted)}
        else:
            tables = {name: store.read_table(engine, name) for name in PROGRAMME_TABLES}
            tables, reporting = real_only(tables)
        engine.dispose()
    except DataUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - database errors of any driver
        raise DataUnavailable(STORE_WHAT, f"{type(exc).__name__}: {exc}") from exc
    return Dataset(regions=regions, idm=idm_years[current_idm_year(idm_years)], tables=tables, meta=meta,
                   idm_years=idm_years, demo_tables=demo_groups(tables), boundary_imports=boundary_imports,
                   idm_base_year=min(idm_years), indeks_desa=indeks, indeks_low_items=low_items,
                   index_catalogue=catalogue, reporting=reporting)


def load_boundaries(level: str, display: bool = True):  # -> gpd.GeoDataFrame
    """Boundary layer (code, name, geometry; EPSG:4326) of ``level``; display-simplified by default. Shared
    between callers (read once per file version): never mutate it.

    The layer in force: the build's, or, while boundary imports are applied, the served layer composed from
    the build and the imports in the store (``utils.data.served``; rebuilt here when stale).
    """
    import geopandas as gpd  # imported here: pages that draw no map never pay for it

    served.ensure_current(_engine())
    path = served.layer_path(level, display=display)
    if not path.exists():
        raise DataUnavailable(f"geo/{path.name}")
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _LAYERS:
        try:
            layer = gpd.read_parquet(path)
        except Exception as exc:  # noqa: BLE001
            raise DataUnavailable(f"geo/{path.name}", f"{type(exc).__name__}: {exc}") from exc
        while len(_LAYERS) >= 6:  # the six files of one state (three levels, full and display)
            _LAYERS.pop(next(iter(_LAYERS)))
        _LAYERS[key] = layer
    return _LAYERS[key]


#: Layers read by ``load_boundaries``, by (path, mtime, size): shared, never mutate.
_LAYERS: dict[tuple, object] = {}
