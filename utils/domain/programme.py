"""The programme's vocabulary: adoption stages, pillars, Bimtek roles, target indicators, the Bimtek budget.

The one list every layer uses: the store keeps these codes, the pages show their labels, the demo set and
the upload templates write them. Stored values keep their spelling (``operator_terlatih``); labels are in
Bahasa Indonesia with an English switch.
"""

from __future__ import annotations

from dataclasses import dataclass

#: First year of the programme (the 2020 pilot): series and target look-ups start here.
PROGRAMME_START_YEAR = 2020


@dataclass(frozen=True)
class Stage:
    """One adoption stage, in programme order (0 = not yet)."""

    code: str
    label_id: str
    label_en: str
    order: int


STAGES: tuple[Stage, ...] = (
    Stage("belum", "Belum", "Not yet", 0),
    Stage("sosialisasi", "Sosialisasi", "Outreach", 1),
    Stage("bergabung", "Bergabung", "Joined", 2),
    Stage("operator_terlatih", "Operator terlatih", "Operator trained", 3),
    Stage("layanan_aktif", "Layanan aktif", "Services in use", 4),
    Stage("data_terintegrasi", "Data terintegrasi", "Data integrated", 5),
)
STAGE_CODES: tuple[str, ...] = tuple(s.code for s in STAGES)
#: Stages that are stored as rows in ``adoption`` (``belum`` is the absence of rows).
REACHED_STAGES: tuple[str, ...] = STAGE_CODES[1:]
STAGE_ORDER: dict[str, int] = {s.code: s.order for s in STAGES}


@dataclass(frozen=True)
class Label:
    """A coded term with its Indonesian and English labels."""

    code: str
    label_id: str
    label_en: str


PILLARS: tuple[Label, ...] = (
    Label("pemerintahan", "Pemerintahan", "Governance"),
    Label("ekonomi_kreatif", "Ekonomi Kreatif", "Creative economy"),
    Label("pemberdayaan", "Pemberdayaan", "Empowerment"),
)
PARTICIPANT_ROLES: tuple[Label, ...] = (
    Label("kepala_desa", "Kepala Desa/Peratin", "Village head"),
    Label("sekretaris", "Sekretaris Desa/Juru Tulis", "Village secretary"),
    Label("operator", "Operator", "Operator"),
)
PILLAR_CODES = tuple(p.code for p in PILLARS)
ROLE_CODES = tuple(r.code for r in PARTICIPANT_ROLES)

#: Indicators of ``targets`` (percent, measured on 31 December of the year). Adoption indicators count
#: over desa only (kelurahan are outside the programme's adoption figures); Bimtek over all villages.
TARGET_INDICATORS: dict[str, Label] = {
    "pct_bergabung": Label("pct_bergabung", "% desa bergabung", "% of desa joined"),
    "pct_operator_terlatih": Label(
        "pct_operator_terlatih", "% desa dengan operator terlatih", "% of desa with a trained operator"
    ),
    "pct_layanan_aktif": Label("pct_layanan_aktif", "% desa dengan layanan aktif", "% of desa with services in use"),
    "pct_data_terintegrasi": Label(
        "pct_data_terintegrasi", "% desa dengan data terintegrasi", "% of desa with integrated data"
    ),
    "pct_bimtek_2plus": Label(
        "pct_bimtek_2plus", "% desa/kelurahan dengan ≥ 2 peserta Bimtek", "% of villages with ≥ 2 Bimtek participants"
    ),
}

#: Bimtek budget per village (Pergub 38/2023: Rp15,9 miliar = 2.651 × Rp6 juta).
BIMTEK_BUDGET_PER_VILLAGE_RP = 6_000_000
