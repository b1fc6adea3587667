"""Upstream-like files the import tests write: IDM workbooks cut from the real one, boundary files.

Shared by tests/unit, tests/apptest, tests/browser and tests/reliability (plain functions; the ``real_rows``
fixture they start from is in tests/conftest.py).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import shapely

from utils.data import paths

#: The local mirror of the upstream files (Makefile: ../shared/sources beside the clone).
MIRROR = Path(os.environ.get("SV_SOURCES_MIRROR") or paths.ROOT.parent / "shared" / "sources")
COL = {"KODE DESA": 6, "STATUS": 12, "KETERANGAN": 14}  # column positions in the published header


def workbook(rows: list) -> bytes:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def doctored(real_rows: list[tuple], year: int, n_desa: int, status: str | None = None) -> tuple[bytes, list]:
    """The title block, header and first ``n_desa`` desa (with their recommendation rows), relabelled as
    IDM ``year``; optionally every desa's status changed. Returns (xlsx bytes, desa rows kept)."""
    h = next(i for i, r in enumerate(real_rows) if r[0] == "KODE PROV")
    header = [c.replace("2025", str(year + 1)).replace("2024", str(year)) if isinstance(c, str) else c
              for c in real_rows[h]]
    body, kept = [], []
    for row in real_rows[h + 1:]:
        if row[COL["KODE DESA"]] is not None:
            if len(kept) == n_desa:
                break
            row = list(row)
            if status:
                row[COL["STATUS"]] = status
            kept.append(row)
        body.append(row)
    return workbook([*real_rows[:h], header, *body]), kept


def square(regions: pd.DataFrame, code: str, half: float = 0.004) -> shapely.Polygon:
    """A small square around a village's representative point (inside its kecamatan)."""
    row = regions.set_index("code").loc[code]
    return shapely.box(row["rep_lon"] - half, row["rep_lat"] - half, row["rep_lon"] + half, row["rep_lat"] + half)


def names_only_geojson(regions: pd.DataFrame) -> bytes:
    """Five villages of Kec. Gedung Surian by name only, spelt as a kabupaten office might."""
    features = [
        ("Pekon Trimulyo", "18.04.15.2004"),  # six villages are called Trimulyo: the parent decides
        ("PURA MEKAR", "18.04.15.2002"),
        ("Cipta Waras", "18.04.15.2003"),
        ("Gedung Surian", "18.04.15.2001"),
        ("Mekarsari Jaya", "18.04.15.2005"),  # another name: not matched alone, offered as a suggestion
    ]
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"NAMOBJ": name},
         "geometry": shapely.geometry.mapping(square(regions, code))} for name, code in features]}
    return json.dumps(fc).encode()


def zipped(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def shapefile_parts(gdf: gpd.GeoDataFrame, folder: Path) -> dict[str, bytes]:
    gdf.to_file(folder / "batas.shp", engine="pyogrio")
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.stem == "batas"}
