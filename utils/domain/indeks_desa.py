"""Indeks Desa (Kemendesa, from 2025; successor of IDM): dimensions, item scores, statuses, score bands.

Every desa is scored per item on 1..5 (``table_structure.csv`` of the ministry's data unit lists 127 items in
six dimensions). The per-desa workbook carries the item scores and the status ("Status ID"); it may carry
dimension and total scores too. Where it does not, the dashboard computes them with ``SCORE_METHOD`` and says
so ("dihitung oleh dasbor"). Where the file has no status, the status is derived from the total with
``THIRD_PARTY_BANDS`` (published elsewhere, not by the ministry's files in the mirror: labelled third-party).

IDM (0..1) and the Indeks Desa (0..100) are different measures: compare them by status only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from utils.domain.idm import IDM_STATUSES

INDEX_NAME = "Indeks Desa"
#: First year of the Indeks Desa (IDM ended with 2024).
FIRST_YEAR = 2025
#: Item scores are integers in this range.
SCORE_MIN, SCORE_MAX = 1, 5
#: Statuses, best first: the same five words as IDM.
STATUSES: tuple[str, ...] = IDM_STATUSES
#: Item scores at or below this mark the items a Dinas should act on (recommendations).
ACTION_SCORE = 2


@dataclass(frozen=True)
class Dimension:
    """One of the six dimensions; ``source`` is how ``table_structure.csv`` spells it."""

    code: str
    source: str
    label_id: str
    label_en: str


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("layanan_dasar", "LAYANAN DASAR", "Layanan Dasar", "Basic services"),
    Dimension("sosial", "SOSIAL", "Sosial", "Social"),
    Dimension("ekonomi", "EKONOMI", "Ekonomi", "Economy"),
    Dimension("lingkungan", "LINGKUNGAN", "Lingkungan", "Environment"),
    Dimension("aksesibilitas", "AKSESIBILITAS", "Aksesibilitas", "Accessibility"),
    Dimension("tata_kelola", "TATA KELOLA PEMERINTAHAN DESA", "Tata Kelola Pemerintahan Desa",
              "Village governance"),
)
DIMENSION_CODES: tuple[str, ...] = tuple(d.code for d in DIMENSIONS)
BY_SOURCE: dict[str, Dimension] = {d.source: d for d in DIMENSIONS}
BY_CODE: dict[str, Dimension] = {d.code: d for d in DIMENSIONS}


@dataclass(frozen=True)
class ScoreMethod:
    """How the dashboard scores a desa when the workbook has no dimension or total columns.

    Dimension score = mean of the desa's item scores in the dimension ÷ ``SCORE_MAX`` × ``scale`` (the share of
    the maximum, so 0..100 like the published index; an all-5 desa scores 100, an all-1 desa 20); items
    without a score are left out of the mean. Total = mean of the dimension scores (each dimension weighs the
    same, whatever its number of items). Change these numbers here; pages label such scores
    "dihitung oleh dasbor".
    """

    scale: float = 100.0
    total: str = "mean_of_dimensions"

    def dimension_score(self, mean_item_score: float) -> float:
        return mean_item_score / SCORE_MAX * self.scale


SCORE_METHOD = ScoreMethod()


@dataclass(frozen=True)
class Bands:
    """Status bands on the 0..100 total: a total above ``lower[i]`` has status ``STATUSES[i]``; at or below the
    last bound: the last status. ``source`` says where the numbers come from."""

    lower: tuple[float, ...]
    source: str

    def status(self, total: float) -> str | None:
        if total is None or total != total:  # NaN
            return None
        for status, bound in zip(STATUSES, self.lower, strict=False):
            if total > bound:
                return status
        return STATUSES[-1]


#: Published elsewhere (third party, not in the ministry's files mirrored here; verify before relying):
#: Mandiri > 79.62, Maju > 69.34, Berkembang > 57.38, Tertinggal > 49.48, else Sangat Tertinggal.
THIRD_PARTY_BANDS = Bands((79.62, 69.34, 57.38, 49.48), "pihak ketiga / third party (sources/README.md)")

# ---- workbook columns beyond headers.json ---------------------------------------------------------------
# headers.json names the identification, status and item columns. A workbook may also carry its own dimension
# and total scores; these are the spellings recognised (compared by ``text.header_key``), an assumption until
# a ministry file shows its own: "<dimension>", "Skor <dimension>", "Dimensi <dimension>", "Nilai <dimension>",
# "Skor Dimensi <dimension>" and for the total "Nilai ID", "Skor ID", "Indeks Desa", "Nilai Indeks Desa",
# "Skor Indeks Desa", each optionally followed by the year ("Nilai ID 2025", "Skor ID 25").
DIMENSION_PREFIXES: tuple[str, ...] = ("", "skor", "dimensi", "nilai", "skordimensi", "nilaidimensi")
TOTAL_RE = re.compile(r"^(?:(?:nilai|skor)id|(?:nilai|skor)?indeksdesa)(20\d\d|\d\d)?$")
#: Status column header (headers.json "Status ID", alias "STATUS ID 25"): the year suffix tells the round.
STATUS_RE = re.compile(r"^statusid(20\d\d|\d\d)?$")
#: A year in a title row above the header ("INDEKS DESA TAHUN 2025").
TITLE_YEAR_RE = re.compile(r"\b(20[2-9]\d)\b")

# ---- who acts ---------------------------------------------------------------------------------------------
#: "Dinas PMD" as ``table_structure.csv`` spells it at province and kabupaten level: "Dinas PMD", "Dinas pMD",
#: "DPMD", "Dinas PMD Provinsi", "Dinas Pemberdayaan Masyarakat dan Desa (DPMD) Provinsi", "Dinas Pemerdayaan
#: Masyarakat Desa Provinsi", "Dinas Pemberdayaan Masyarakat Kab/Kota" (case-insensitive).
DINAS_PMD_RE = re.compile(r"\bd?pmd\b|\bpem\w*dayaan\s+masyarakat\b", re.IGNORECASE)


def names_dinas_pmd(implementers: object) -> bool:
    """True when an implementer cell names the Dinas PMD."""
    return isinstance(implementers, str) and bool(DINAS_PMD_RE.search(implementers))


def year_from_suffix(suffix: str | None) -> int | None:
    """``"25"`` / ``"2025"`` from a header such as "STATUS ID 25" -> 2025; None without a suffix."""
    if not suffix:
        return None
    return int(suffix) if len(suffix) == 4 else 2000 + int(suffix)
