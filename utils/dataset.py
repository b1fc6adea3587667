"""Everything the pages read, loaded once: canonical region/IDM files plus the programme store.

Raises DataUnavailable with a message that says how to rebuild, never a bare traceback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from utils import paths, store

PROGRAMME_TABLES = (
    "adoption", "services", "officers", "bimtek_events", "bimtek_venues", "bimtek_participants",
    "meetings", "meeting_attendance", "targets",
)

REBUILD_HINT_ID = "Jalankan `make rebuild` (Windows: `.venv\\Scripts\\python -m utils.build --force`) lalu muat ulang."
REBUILD_HINT_EN = "Run `make rebuild` (Windows: `.venv\\Scripts\\python -m utils.build --force`) and reload."


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

    @property
    def data_as_of(self) -> dt.date:
        return dt.date.fromisoformat(self.meta.get("data_as_of", dt.date.today().isoformat()))

    @property
    def is_demo(self) -> bool:
        return self.meta.get("is_demo", "1") == "1"

    @property
    def names(self) -> dict[str, str]:
        """code -> display name, for labels and breadcrumbs."""
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


def canonical_version() -> tuple[float, ...]:
    """Modification times of the inputs: a cache key that changes when the build or store changes."""
    files = [paths.REGIONS, paths.IDM, paths.DEFAULT_DB]
    return tuple(f.stat().st_mtime if f.exists() else 0.0 for f in files)


def load_dataset(db_url: str | None = None) -> Dataset:
    """Load regions, IDM and every programme table."""
    regions = _read_parquet(paths.REGIONS)
    idm = _read_parquet(paths.IDM)
    try:
        engine = store.get_engine(db_url)
        if store.store_is_empty(engine):
            raise DataUnavailable("programme store (data program)", "store is empty: run `python -m utils.demo`")
        tables = {name: store.read_table(engine, name) for name in PROGRAMME_TABLES}
        meta = store.read_meta(engine)
        engine.dispose()
    except DataUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - database errors of any driver
        raise DataUnavailable("programme store (data program)", f"{type(exc).__name__}: {exc}") from exc
    return Dataset(regions=regions, idm=idm, tables=tables, meta=meta)


def load_boundaries(level: str, display: bool = True):  # -> gpd.GeoDataFrame
    """Boundary layer (code, name, geometry; EPSG:4326) of ``level``; display-simplified by default."""
    import geopandas as gpd  # imported here: pages that draw no map never pay for it

    path = paths.boundary_path(level, display=display)
    if not path.exists():
        raise DataUnavailable(f"geo/{path.name}")
    try:
        return gpd.read_parquet(path)
    except Exception as exc:  # noqa: BLE001
        raise DataUnavailable(f"geo/{path.name}", f"{type(exc).__name__}: {exc}") from exc
