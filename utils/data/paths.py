"""Where the canonical files live, and how they are written. One place, so the build, the store and the app
agree."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from utils.domain.codes import BOUNDARY_LEVELS

ROOT = Path(__file__).resolve().parents[2]

#: Canonical tables written by the data build (gitignored). Overridable for tests.
DATA_DIR = Path(os.environ.get("SV_DATA_DIR", ROOT / "data"))
#: Canonical boundary files (GeoParquet) written by the data build (gitignored).
GEO_DIR = Path(os.environ.get("SV_GEO_DIR", ROOT / "geo"))
#: Files the app serves itself at /app/static/ (Leaflet, display boundaries).
STATIC_DIR = ROOT / "static"

REGIONS = DATA_DIR / "regions.parquet"
IDM = DATA_DIR / "idm.parquet"
IDM_RECOMMENDATIONS = DATA_DIR / "idm_recommendations.parquet"
#: Indeks Desa item catalogue (items, dimensions, implementers, recommended actions): utils.data.indeks_desa.
INDEKS_DESA_ITEMS = DATA_DIR / "indeks_desa_items.parquet"
CROSSWALK_KAB = DATA_DIR / "crosswalk_kabupaten.parquet"
CROSSWALK_KEC = DATA_DIR / "crosswalk_kecamatan.parquet"
BUILD_REPORT = DATA_DIR / "build_report.json"
BUILD_OK = DATA_DIR / ".build-ok"

#: Committed configuration: the local word for "desa" per kabupaten (pekon, kampung, tiyuh, desa).
LOCAL_WORDS = ROOT / "data" / "istilah_desa.csv"

#: Imported files that extend the build's outputs (later IDM years); written only by the import page after
#: an operator confirms, never by the data build.
IMPORTS_DIR = DATA_DIR / "imports"
#: The boundary layers served while boundary imports are applied: the build's layers with the imports (kept in
#: the programme store) over them. A cache, rebuilt from the store whenever it is stale
#: (``utils.data.served``); absent while no import is applied (the build's own files are served then).
SERVED_GEO_DIR = DATA_DIR / "served_geo"

#: Default programme store (SQLite). Any SQLAlchemy URL in SV_DATABASE_URL replaces it.
DEFAULT_DB = DATA_DIR / "programme.db"



def boundary_path(level: str, display: bool = False) -> Path:
    """GeoParquet path of one boundary level; ``display`` is the simplified variant."""
    if level not in BOUNDARY_LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {BOUNDARY_LEVELS}")
    return GEO_DIR / f"{level}{'_display' if display else ''}.parquet"


def database_url() -> str:
    """SQLAlchemy URL of the programme store: SV_DATABASE_URL, else the SQLite file under data/."""
    return os.environ.get("SV_DATABASE_URL") or f"sqlite:///{DEFAULT_DB}"

#: Download cache of the upstream source files (used when no mirror is configured).
SOURCE_CACHE = DATA_DIR / ".cache"


def write_parquet_atomic(frames: dict) -> None:
    """Write each frame (``{target path: DataFrame}``) to a temp file beside its target, then move all into
    place (os.replace).

    A failure while writing leaves every target as it was; the moves are atomic per file.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, frame in frames.items():
            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=".tmp")
            os.close(fd)
            staged.append((Path(tmp_name), target))
            frame.to_parquet(tmp_name, index=False)
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
