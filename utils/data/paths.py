"""Where the canonical files live. One place, so the build, the store and the app agree."""

from __future__ import annotations

import os
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
CROSSWALK_KAB = DATA_DIR / "crosswalk_kabupaten.parquet"
CROSSWALK_KEC = DATA_DIR / "crosswalk_kecamatan.parquet"
BUILD_REPORT = DATA_DIR / "build_report.json"
BUILD_OK = DATA_DIR / ".build-ok"

#: Committed configuration: the local word for "desa" per kabupaten (pekon, kampung, tiyuh, desa).
LOCAL_WORDS = ROOT / "data" / "istilah_desa.csv"

#: Imported files that override or extend the build's outputs (later IDM years, replaced boundaries);
#: written only by the import page after an operator confirms, never by the data build.
IMPORTS_DIR = DATA_DIR / "imports"

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
