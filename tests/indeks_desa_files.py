"""Indeks Desa per-desa workbooks written from the mirrored structure (no Lampung 2025 file is public).

Everything here reads the ministry data unit's files from the source mirror with json/csv alone, never through
``utils``: the tests compare what the dashboard reads with what these helpers wrote.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
MIRROR = Path(os.environ.get("SV_SOURCES_MIRROR") or ROOT.parent / "shared" / "sources")
CONFIG = MIRROR / "github/DatinPDP/integrasi_data_skor_rekomendasi_desa/75deba2b0a1936fd7e5740bea6f166b6410a4ba7/.config"
STATUSES = ("Mandiri", "Maju", "Berkembang", "Tertinggal", "Sangat Tertinggal")
#: The third-party bands quoted in sources/README.md (lower bounds, best status first).
BANDS = (79.62, 69.34, 57.38, 49.48)
DIMENSIONS = {"LAYANAN DASAR": "layanan_dasar", "SOSIAL": "sosial", "EKONOMI": "ekonomi",
              "LINGKUNGAN": "lingkungan", "AKSESIBILITAS": "aksesibilitas",
              "TATA KELOLA PEMERINTAHAN DESA": "tata_kelola"}


@functools.cache
def headers() -> list[dict]:
    return json.loads((CONFIG / "headers.json").read_text(encoding="utf-8"))


@functools.cache
def structure() -> list[dict]:
    with open(CONFIG / "table_structure.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


@functools.cache
def actions() -> dict:
    return json.loads((CONFIG / "rekomendasi.json").read_text(encoding="utf-8"))


@functools.cache
def scored_items() -> list[dict]:
    """The 127 scored item columns of headers.json, paired with the structure row at the same position (the two
    files list the items in the same order: the reader's name mapping is checked against this pairing)."""
    items = headers()[6:]
    rows = structure()
    return [{"item_no": n, "standard": h["standard"], "aliases": [a for a in h["aliases"] if a.strip()],
             "dimension": DIMENSIONS[r["DIMENSI"].strip()], "provinsi": r["PELAKSANA KEGIATAN PROVINSI"],
             "kabupaten": r["PELAKSANA KEGIATAN KABUPATEN"], "item": r["ITEM"]}
            for n, (h, r) in enumerate(zip(items, rows, strict=False), start=1)]


@functools.cache
def _owners() -> dict[str, set[int]]:
    owners: dict[str, set[int]] = {}
    for i in scored_items():
        for name in (i["standard"], *i["aliases"]):
            owners.setdefault(name.strip().lower(), set()).add(i["item_no"])
    return owners


def unique_alias(item: dict) -> str | None:
    """The first alias of ``item`` that no other item lists (headers.json gives a few aliases to two items)."""
    owners = _owners()
    return next((a for a in item["aliases"] if owners[a.strip().lower()] == {item["item_no"]}), None)


def band(total: float) -> str:
    for status, bound in zip(STATUSES, BANDS, strict=False):
        if total > bound:
            return status
    return STATUSES[-1]


@functools.cache
def _dimension_of() -> dict[int, str]:
    return {i["item_no"]: i["dimension"] for i in scored_items()}


@dataclass
class Desa:
    code: str  # dotted
    name: str
    scores: dict[int, int]  # item_no -> score
    status: str | None = None  # None: the band of the expected total

    def dims(self) -> dict[str, float]:
        """Mean item score per dimension ÷ 5 × 100 (the documented default method)."""
        by: dict[str, list[int]] = {}
        dim = _dimension_of()
        for n, s in self.scores.items():
            by.setdefault(dim[n], []).append(s)
        return {d: sum(v) / len(v) / 5 * 100 for d, v in by.items()}

    def total(self) -> float:
        d = self.dims()
        return sum(d.values()) / len(d)


@functools.cache
def scale(item_no: int) -> tuple[int, ...]:
    """The scores an item uses: the keys of its rekomendasi.json entry (1..5, some items only 1 and 5)."""
    item = scored_items()[item_no - 1]
    return tuple(sorted(int(k) for k in actions()[item["standard"]]))


def make_desa(codes: list[tuple[str, str]], seed: int = 1, low_share: float = 0.25) -> list[Desa]:
    """Desa with seeded scores on every scored item, each on its item's scale (``low_share`` of them at 2 or
    below)."""
    rng = random.Random(seed)
    out = []
    for code, name in codes:
        scores = {}
        for i in scored_items():
            values = scale(i["item_no"])
            low = [v for v in values if v <= 2]
            high = [v for v in values if v > 2]
            scores[i["item_no"]] = rng.choice(low) if rng.random() < low_share else rng.choice(high)
        out.append(Desa(code, name, scores))
    return out


@dataclass
class Layout:
    """How one workbook is written."""

    year_in: str = "status"  # "status" ("STATUS ID 25" header) | "title" (a title row) | "none"
    year: int = 2025
    title_rows: int = 3
    alias: bool = False  # item columns under an alias ("SKOR ..." or another wording) where one exists
    drop_items: tuple[int, ...] = ()  # item_no without a column
    codes_as_numbers: bool = True
    with_scores: bool = False  # the file's own dimension and total columns
    overrides: dict[tuple[str, int], object] = field(default_factory=dict)  # (code, item_no) -> raw cell


def write_workbook(desa: list[Desa], layout: Layout | None = None) -> bytes:
    """An .xlsx like the ministry's per-desa workbook, as bytes."""
    layout = layout or Layout()
    items = [i for i in scored_items() if i["item_no"] not in layout.drop_items]
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in range(layout.title_rows):
        if r == 0:
            ws.append([f"INDEKS DESA TAHUN {layout.year}" if layout.year_in == "title" else "INDEKS DESA"])
        else:
            ws.append(["Kementerian Desa dan Pembangunan Daerah Tertinggal"] if r == 1 else [])
    status_header = f"STATUS ID {layout.year % 100}" if layout.year_in == "status" else "Status ID"
    head = ["Provinsi", "Kabupaten/ Kota", "Kecamatan", "Kode Wilayah Administrasi Desa", "Desa", status_header]
    for i in items:
        head.append((unique_alias(i) or i["standard"]) if layout.alias else i["standard"])
    if layout.with_scores:
        head += [f"Skor {d}" for d in ("Layanan Dasar", "Sosial", "Ekonomi", "Lingkungan", "Aksesibilitas",
                                        "Tata Kelola Pemerintahan Desa")] + ["Nilai ID"]
    ws.append(head)
    for d in desa:
        code = int(d.code.replace(".", "")) if layout.codes_as_numbers else d.code
        status = d.status if d.status is not None else band(d.total())
        row = ["LAMPUNG", f"KAB {d.code[:5]}", f"KEC {d.code[:8]}", code, d.name, status]
        for i in items:
            row.append(layout.overrides.get((d.code, i["item_no"]), d.scores.get(i["item_no"])))
        if layout.with_scores:
            dims = d.dims()
            row += [round(dims[k], 2) for k in DIMENSIONS.values()] + [round(d.total(), 2)]
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
