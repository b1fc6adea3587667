"""Seeded, reproducible demo programme data over the real village list ("Data contoh").

The Dinas' own programme records are not public, so until real files are uploaded the app shows this set,
calibrated to the public figures in sources/README.md (see docs/schema.md, "Demo calibration"):
30 pilot desa in 2020, 563 / 1,792 / 2,385 desa joined by the end of 2021 / 2022 / 2023, the 61 latecomers
in Pesisir Barat, Tanggamus and Lampung Utara (weak signal over-represented), about two Bimtek participants
per village, plus the two real events of the seed articles (Bimtek 10-12 Oct 2024, Rakor 17 Dec 2024).

``generate`` is pure: same inputs and seed, identical frames. ``python -m utils demo`` fills the store.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from utils.data import paths, store
from utils.domain import programme
from utils.domain.codes import PROVINCE_CODE

DEMO_VERSION = "2"
DEFAULT_SEED = 2024
DATA_AS_OF = dt.date(2026, 10, 31)
SOURCE = "demo"
PMDT = "Dinas PMDT Provinsi Lampung"

# --- adoption calibration (counts over the 2,446 desa; kelurahan never get adoption rows) -----------
PILOT_SIZE = 30
#: Prototype desa of the 2020 pilot: (name, kabupaten code where it must be found).
PROTOTYPES: tuple[tuple[str, str], ...] = (
    ("Hanura", "18.09"),  # Pesawaran
    ("Podomoro", "18.10"),  # Pringsewu
    ("Sribhawono", "18.07"),  # Lampung Timur
    ("Cintamulya", "18.01"),  # Lampung Selatan ("Cinta Mulya" in the Kepmendagri list)
)
#: Cumulative desa joined by 31 December (press figures).
JOINED_BY_YEAR_END: dict[int, int] = {2020: PILOT_SIZE, 2021: 563, 2022: 1792, 2023: 2385}
#: Kabupaten holding the desa not joined at the end of 2023: Lampung Utara, Tanggamus, Pesisir Barat.
LATE_KABS: tuple[str, ...] = ("18.03", "18.06", "18.13")
#: Sampling weight of a desa with weak or no mobile signal ('lemah'/'tidak ada') when drawing the late desa,
#: relative to 1 for 'kuat' or unknown: the press blamed the 61 on poor signal.
LATE_SIGNAL_WEIGHT = 4.0
WEAK_SIGNALS = ("lemah", "tidak ada")
#: Of the late desa, how many join between 2024 and DATA_AS_OF (the rest are still outstanding).
LATE_JOINED_BY_AS_OF = 35
#: Villages formed after 2020 (no polygon in the boundary source): never any adoption row before this day.
NEW_VILLAGES: tuple[str, ...] = (
    "18.09.02.2020", "18.09.02.2021", "18.09.05.2032", "18.09.11.2011", "18.12.01.2020", "18.12.01.2021",
    "18.12.03.2010", "18.12.03.2011", "18.12.03.2012", "18.12.03.2013", "18.12.06.2010",
)  # fmt: skip
NEW_VILLAGES_FROM = dt.date(2023, 1, 1)
#: Desa at the two deepest stages on DATA_AS_OF (of 2,446: about 65 % and 40 %). "Operator terlatih" is not
#: drawn: a joined desa reaches it when its first operator's Bimtek ends (the evidence the app checks).
DEEPER_AT_AS_OF: dict[str, int] = {"layanan_aktif": 1590, "data_terintegrasi": 978}
#: Spread of the kabupaten pace (sd of a log-normal factor): makes some kabupaten miss their targets.
KAB_PACE_SD = 0.35

# --- Bimtek ------------------------------------------------------------------------------------------
#: Share of villages (desa and kelurahan) that attended a Bimtek by DATA_AS_OF, before the per-kab spread.
BIMTEK_COVERAGE = 0.88
#: Participants sent per attending village and their probabilities (mean about two).
BIMTEK_SIZES = (1, 2, 3)
BIMTEK_SIZE_P = (0.07, 0.80, 0.13)
ROLE_P = {"operator": 0.5, "sekretaris": 0.3, "kepala_desa": 0.2}
#: Share of attending villages whose first participant is their operator (the programme trains operators
#: first); the other participants' roles follow ROLE_P.
OPERATOR_FIRST = 0.92
SEED_GISTING_OPERATORS = 2  # Gisting Atas: two operators beside Yoga Setiawan (issue 15's example)
HOTELS = (
    "Hotel BATIQA Bandar Lampung", "Hotel AMALIA Bandar Lampung", "Hotel Yunna Bandar Lampung",
    "Hotel Emersia Bandar Lampung", "Swiss-Belhotel Lampung", "Hotel Horison Bandar Lampung",
)  # fmt: skip

# --- the two real events of ../shared/seeds ----------------------------------------------------------
SEED_BIMTEK_ID = "BT-20241010-1806"
SEED_BIMTEK_KAB = "18.06"  # Tanggamus
SEED_BIMTEK_KEC = ("Gisting", "18.06")
SEED_GISTING_PARTICIPANTS = 19
SEED_GISTING_REPORTED_VILLAGES = 8  # the article's "delapan pekon"; its later "9 Pekon" is in the rows
SEED_YOGA = ("Yoga Setiawan", "Gisting Atas", "sekretaris")  # Juru Tulis Pekon Gisting Atas
SEED_RAKOR_ID = "RK-20241217"
SEED_RAKOR_DATE = dt.date(2024, 12, 17)
#: Officers named by the Rakor article: (name, village, kecamatan, kabupaten code).
SEED_RAKOR_OFFICERS: tuple[tuple[str, str, str, str], ...] = (
    ("Hadi Waluyo", "Trimulyo", "Gedung Surian", "18.04"),
    ("Puji Warsino", "Ringin Jaya", "Bandar Negeri Suoh", "18.04"),
)
OFFICER_ROLE = "Official Smart Village"
OFFICER_SHARE = 0.93  # joined desa with an appointed officer

#: Service catalogue: (pillar, service, probability for a village with services in use).
SERVICE_CATALOGUE: tuple[tuple[str, str, float], ...] = (
    ("pemerintahan", "Sistem Informasi Desa", 1.0),
    ("pemerintahan", "Layanan Surat Online", 0.7),
    ("pemerintahan", "Transparansi APBDes", 0.45),
    ("ekonomi_kreatif", "Pasar Digital BUMDes", 0.45),
    ("ekonomi_kreatif", "Katalog UMKM Desa", 0.35),
    ("ekonomi_kreatif", "Promosi Wisata Desa", 0.3),
    ("pemberdayaan", "Inkubasi Desa", 0.3),
    ("pemberdayaan", "Kelas Digital Warga", 0.35),
    ("pemberdayaan", "Posyandu Digital", 0.2),
)
SERVICE_END_SHARE = 0.04  # optional services later discontinued

#: Targets (percent at 31 December), the same for the province and every kabupaten. Adoption indicators
#: apply only where there are desa (not the two kota); the deeper stages and Bimtek from 2022, when the
#: training began (an operator is trained at a Bimtek, and services follow the trained operator).
TARGETS: dict[str, dict[int, int]] = {
    "pct_bergabung": {2021: 25, 2022: 75, 2023: 95, 2024: 100, 2025: 100, 2026: 100},
    "pct_operator_terlatih": {2022: 10, 2023: 25, 2024: 45, 2025: 65, 2026: 85},
    "pct_layanan_aktif": {2022: 3, 2023: 12, 2024: 25, 2025: 45, 2026: 70},
    "pct_data_terintegrasi": {2022: 0, 2023: 5, 2024: 12, 2025: 25, 2026: 45},
    "pct_bimtek_2plus": {2022: 15, 2023: 30, 2024: 50, 2025: 65, 2026: 85},
}

FIRST_NAMES = (
    "Ahmad", "Agus", "Andi", "Ani", "Bambang", "Budi", "Dedi", "Dewi", "Eko", "Fajar", "Fitri", "Hendra",
    "Heri", "Indra", "Irwan", "Iwan", "Joko", "Kurniawan", "Lestari", "Lukman", "Maya", "Made", "Novi",
    "Nur", "Nurhayati", "Rahmat", "Ratna", "Rina", "Rizky", "Rudi", "Sigit", "Siti", "Slamet", "Sri",
    "Suparman", "Taufik", "Wahyu", "Wulan", "Yuli", "Yusuf", "Ketut", "Komang", "Ria", "Dian",
)  # fmt: skip
LAST_NAMES = (
    "Saputra", "Setiawan", "Pratama", "Hidayat", "Wijaya", "Susanto", "Nugroho", "Santoso", "Gunawan",
    "Firmansyah", "Rahmawati", "Handayani", "Sari", "Putri", "Utami", "Wahyuni", "Hasanah", "Purnama",
    "Ramadhan", "Syahputra", "Maulana", "Effendi", "Irawan", "Permana", "Aryanto", "Kusuma", "Anggraini",
    "Hakim", "Fauzi", "Rosadi",
)  # fmt: skip

_EPOCH = np.datetime64("1970-01-01", "D")


def _day(d: dt.date) -> int:
    """Days since 1970-01-01 (integer day arithmetic keeps the generator vectorised)."""
    return int((np.datetime64(d, "D") - _EPOCH).astype(int))


def _dates(days: np.ndarray | pd.Series) -> pd.Series:
    return pd.Series(pd.to_datetime(np.asarray(days, dtype="int64"), unit="D")).astype("datetime64[us]")


AS_OF = _day(DATA_AS_OF)


def _normalise_name(s: object) -> str:
    try:
        from utils.data.wilayah import normalise_name
    except ImportError:  # pragma: no cover - the shared helper exists; fallback keeps demo standalone
        import re

        text = re.sub(r"^(desa|pekon|kampung|tiyuh|kelurahan|kecamatan|kec\.|kabupaten|kota)\s+", "", str(s).lower())
        return re.sub(r"[^a-z0-9]", "", text)
    return normalise_name(s)


def find_village(regions: pd.DataFrame, name: str, within: str, kecamatan: str | None = None) -> str:
    """Code of the village called ``name`` (spelling variants allowed) under code prefix ``within``.

    ``kecamatan`` narrows the search to the kecamatan of that name (six villages are called Trimulyo).
    Raises LookupError when none or several match.
    """
    key = _normalise_name(name)
    scope = regions[regions["code"].str.startswith(within + ".")]
    scope = scope.assign(_key=scope["_key"] if "_key" in scope else scope["name"].map(_normalise_name))
    if kecamatan is not None:
        kec = scope[(scope["level"] == "kecamatan") & (scope["_key"] == _normalise_name(kecamatan))]
        if len(kec) != 1:
            raise LookupError(f"kecamatan {kecamatan!r} under {within}: {len(kec)} matches")
        scope = scope[scope["code"].str.startswith(kec["code"].iloc[0] + ".")]
    hits = scope[(scope["level"] == "desa") & (scope["_key"] == key)]
    if len(hits) != 1:
        raise LookupError(f"village {name!r} under {within} ({kecamatan or 'any kecamatan'}): {len(hits)} matches")
    return str(hits["code"].iloc[0])


def _villages(regions: pd.DataFrame) -> pd.DataFrame:
    """All villages (desa and kelurahan), sorted by code, with an ``is_desa`` flag."""
    v = regions.loc[regions["level"] == "desa", ["code", "name", "kab_code", "kec_code", "village_type"]].copy()
    v["code"] = v["code"].astype("str")
    v = v.sort_values("code", ignore_index=True)
    # The 4th code segment starting with 2 marks a desa; village_type says the same when present.
    v["is_desa"] = v["village_type"].eq("desa").where(v["village_type"].notna(), v["code"].str[9].eq("2"))
    v["kab_code"] = v["code"].str[:5]
    v["kec_code"] = v["code"].str[:8]
    return v


def _kab_pace(rng: np.random.Generator, kabs: Sequence[str]) -> dict[str, float]:
    """Per-kabupaten slowness factor (1 = average); > 1 means later joining and longer lags."""
    return dict(zip(kabs, rng.lognormal(0.0, KAB_PACE_SD, len(kabs)), strict=True))


# --------------------------------------------------------------------------------------------------
# Adoption


def _join_days(rng: np.random.Generator, desa: pd.DataFrame, pace: dict[str, float], regions: pd.DataFrame) -> pd.Series:
    """Join day (days since epoch) per desa code; NaN = not joined by DATA_AS_OF."""
    codes = desa["code"].to_numpy()
    n = len(codes)
    weak = desa["signal"].isin(WEAK_SIGNALS).to_numpy()
    is_new = desa["code"].isin(NEW_VILLAGES).to_numpy()
    prototypes = {find_village(regions, name, kab) for name, kab in PROTOTYPES}
    is_proto = desa["code"].isin(prototypes).to_numpy()
    join = np.full(n, np.nan)

    # The 61 late desa: only in the three kabupaten, weak/no signal weighted LATE_SIGNAL_WEIGHT times.
    n_late = len(desa) - JOINED_BY_YEAR_END[2023]
    cand = np.flatnonzero(desa["kab_code"].isin(LATE_KABS).to_numpy() & ~is_new & ~is_proto)
    w = np.where(weak[cand], LATE_SIGNAL_WEIGHT, 1.0)
    late = rng.choice(cand, size=n_late, replace=False, p=w / w.sum())
    is_late = np.zeros(n, bool)
    is_late[late] = True

    # Pilot 2020: the prototypes plus random desa (not late, not new).
    pool = np.flatnonzero(~is_late & ~is_new & ~is_proto)
    pilot = np.concatenate([np.flatnonzero(is_proto), rng.choice(pool, PILOT_SIZE - is_proto.sum(), replace=False)])
    join[pilot] = rng.integers(_day(dt.date(2020, 3, 1)), _day(dt.date(2020, 12, 16)), len(pilot))

    # 2021-2023: rank the rest by a latent lateness (kabupaten pace, signal, noise) and cut at the press
    # figures; the new villages all fall in 2023.
    rest = np.flatnonzero(np.isnan(join) & ~is_late & ~is_new)
    kab_pace = desa["kab_code"].map(pace).to_numpy()
    score = np.log(kab_pace[rest]) + 0.3 * weak[rest] + rng.normal(0.0, 0.6, len(rest))
    rest = rest[np.argsort(score, kind="stable")]
    start = 0
    for year in (2021, 2022, 2023):
        size = JOINED_BY_YEAR_END[year] - JOINED_BY_YEAR_END[year - 1] - (is_new.sum() if year == 2023 else 0)
        chunk = rest[start : start + size]
        start += size
        lo, hi = _day(dt.date(year, 1, 1)), _day(dt.date(year, 12, 31))
        join[chunk] = np.sort(rng.integers(lo, hi + 1, size))  # earlier rank, earlier date
    assert start == len(rest), "calibration counts do not add up to the desa list"
    new = np.flatnonzero(is_new)
    join[new] = rng.integers(_day(dt.date(2023, 3, 1)), _day(dt.date(2023, 12, 31)) + 1, len(new))

    # Late desa: some join from 2024 on (strong signal first), the rest are still outstanding.
    w = np.where(weak[late], 1.0, 2.5)
    joins = rng.choice(late, size=LATE_JOINED_BY_AS_OF, replace=False, p=w / w.sum())
    join[joins] = rng.integers(_day(dt.date(2024, 1, 15)), AS_OF - 30, len(joins))
    return pd.Series(join, index=codes)


def _early_stages(rng: np.random.Generator, desa: pd.DataFrame, join: pd.Series) -> list[tuple[str, np.ndarray]]:
    """Sosialisasi and Bergabung days per desa (aligned with ``join``'s index)."""
    codes = join.index.to_numpy()
    j = join.to_numpy()
    n = len(codes)
    is_new = np.isin(codes, NEW_VILLAGES)
    # Sosialisasi some weeks or months before joining; for outstanding desa most have had one.
    sos = j - (14 + rng.gamma(2.0, 30.0, n)).round()
    floor = np.where(is_new, _day(NEW_VILLAGES_FROM), _day(dt.date(2020, 1, 2)))
    sos = np.maximum(sos, floor)
    sos = np.where(np.isnan(j), np.nan, np.minimum(sos, j - 7))
    outstanding = np.flatnonzero(np.isnan(j))
    had = outstanding[rng.random(len(outstanding)) < 0.7]
    sos[had] = rng.integers(_day(dt.date(2022, 6, 1)), AS_OF - 14, len(had))
    return [("sosialisasi", sos), ("bergabung", j)]


def _operator_days(join: pd.Series, participants: pd.DataFrame, events: pd.DataFrame) -> pd.Series:
    """Day each joined desa reaches "Operator terlatih": when it has joined and its first operator's Bimtek
    has ended (the later of the two); NaN without a trained operator. The app checks exactly this evidence."""
    ends = pd.Series(events["end_date"].to_numpy().astype("datetime64[D]").astype("int64"), index=events["event_id"])
    ops = participants[participants["role"] == "operator"]
    first = ops.assign(end=ops["event_id"].map(ends)).groupby("village_code")["end"].min()
    trained = first.reindex(join.index).to_numpy(dtype=float)
    day = np.fmax(join.to_numpy(), trained)
    return pd.Series(np.where(np.isnan(join.to_numpy()) | np.isnan(trained) | (day > AS_OF), np.nan, day),
                     index=join.index)


def _deeper_stages(rng: np.random.Generator, desa: pd.DataFrame, operator: pd.Series,
                   pace: dict[str, float]) -> list[tuple[str, np.ndarray]]:
    """Layanan aktif and Data terintegrasi after the operator is trained.

    lag = 7 days + scale * kabupaten pace * signal * gamma noise. Each desa is reached iff scale <= its
    critical scale, so picking the n-th largest critical scale hits the count exactly."""
    codes = operator.index.to_numpy()
    n = len(codes)
    weak = desa.set_index("code").loc[codes, "signal"].isin(WEAK_SIGNALS).to_numpy()
    kab = pd.Series(codes).str[:5]
    frames = [("operator_terlatih", operator.to_numpy())]
    prev = operator.to_numpy()
    for stage, target in DEEPER_AT_AS_OF.items():
        # Damped kabupaten pace (square root) plus a stage-specific wobble: kabupaten differ, not wildly.
        kab_stage = kab.map({k: np.sqrt(v) * rng.lognormal(0.0, 0.12) for k, v in sorted(pace.items())}).to_numpy()
        shape = kab_stage * np.where(weak, 1.4, 1.0) * rng.gamma(2.0, 0.5, n)
        crit = np.where(np.isnan(prev), -np.inf, (AS_OF - prev - 7) / shape)
        scale = np.sort(crit)[::-1][target - 1]
        lag = 7 + np.floor(scale * shape)
        cur = np.where(crit >= scale, prev + lag, np.nan)
        frames.append((stage, cur))
        prev = cur
    return frames


def _adoption_rows(codes: np.ndarray, frames: list[tuple[str, np.ndarray]]) -> pd.DataFrame:
    """Adoption rows (one per desa per stage reached), in programme order per desa."""
    out = pd.concat(
        [pd.DataFrame({"village_code": codes, "stage": s, "day": d}) for s, d in frames], ignore_index=True
    ).dropna(subset=["day"])
    out["reached_on"] = _dates(out["day"]).to_numpy()
    out["source"] = SOURCE
    order = out["stage"].map(programme.STAGE_ORDER)
    return out.assign(_o=order).sort_values(["village_code", "_o"], ignore_index=True)[
        ["village_code", "stage", "reached_on", "source"]
    ]


def _services(rng: np.random.Generator, adoption: pd.DataFrame) -> pd.DataFrame:
    """Services per pillar for desa with services in use (SID from the day services went live)."""
    live = adoption[adoption["stage"] == "layanan_aktif"].set_index("village_code")["reached_on"]
    cat = pd.DataFrame(SERVICE_CATALOGUE, columns=["pillar", "service", "p"])
    grid = pd.DataFrame({"village_code": np.repeat(live.index.to_numpy(), len(cat))})
    grid = pd.concat([grid, pd.concat([cat] * len(live), ignore_index=True)], axis=1)
    start = np.repeat(live.to_numpy().astype("datetime64[D]").astype("int64"), len(cat))
    keep = rng.random(len(grid)) < grid["p"].to_numpy()
    span = AS_OF - start
    # Optional services start later, anywhere in the village's remaining time.
    offset = np.where(grid["p"].to_numpy() >= 1.0, 0, np.floor(rng.random(len(grid)) * span * 0.8))
    started = start + offset
    ended = np.where(
        (grid["p"].to_numpy() < 1.0) & (rng.random(len(grid)) < SERVICE_END_SHARE) & (AS_OF - started > 60),
        started + 30 + np.floor(rng.random(len(grid)) * (AS_OF - started - 30)),
        np.nan,
    )
    out = grid.assign(started_on=_dates(started).to_numpy(), ended_on=pd.to_datetime(ended, unit="D"))[keep]
    out["ended_on"] = out["ended_on"].astype("datetime64[us]")
    out["source"] = SOURCE
    return out[["village_code", "pillar", "service", "started_on", "ended_on", "source"]].reset_index(drop=True)


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    first = np.asarray(FIRST_NAMES, dtype=object)[rng.integers(0, len(FIRST_NAMES), n)]
    last = np.asarray(LAST_NAMES, dtype=object)[rng.integers(0, len(LAST_NAMES), n)]
    return first + " " + last


def _officers(rng: np.random.Generator, adoption: pd.DataFrame, seeded: dict[str, str]) -> pd.DataFrame:
    """About one Official Smart Village per joined desa, appointed after joining; seeded names kept."""
    joined = adoption[adoption["stage"] == "bergabung"].set_index("village_code")["reached_on"]
    has = (rng.random(len(joined)) < OFFICER_SHARE) | joined.index.isin(list(seeded))
    codes = joined.index.to_numpy()[has]
    jd = joined.to_numpy()[has].astype("datetime64[D]").astype("int64")
    appointed = np.minimum(jd + 14 + np.floor(rng.gamma(2.0, 45.0, len(codes))), AS_OF)
    names = _names(rng, len(codes))
    out = pd.DataFrame({"officer_id": "OSV-" + pd.Series(codes).str.replace(".", "", regex=False), "village_code": codes,
                        "name": names, "role": OFFICER_ROLE, "appointed_on": appointed})  # fmt: skip
    for code, name in seeded.items():
        row = out["village_code"] == code
        out.loc[row, "name"] = name
        # They attended the Rakor as officers, so they were appointed before it.
        out.loc[row, "appointed_on"] = np.minimum(out.loc[row, "appointed_on"], _day(dt.date(2024, 11, 30)))
    out["appointed_on"] = _dates(out["appointed_on"]).to_numpy()
    out["source"] = SOURCE
    return out


# --------------------------------------------------------------------------------------------------
# Bimtek and meetings


def _event_id(start: int, kab_codes: str) -> str:
    day = pd.Timestamp(np.datetime64(int(start), "D"))
    return f"BT-{day:%Y%m%d}-{kab_codes.split(',')[0].replace('.', '')}"


def _bimtek(
    rng: np.random.Generator, villages: pd.DataFrame, kab_names: dict[str, str], regions: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Events, venues and participants; the seeded Tanggamus Bimtek of 10-12 October 2024 included."""
    # Events per kabupaten (the two kota share events): about one per 80 villages, spread 2022-2026.
    groups: dict[str, list[str]] = {}
    for kab in sorted(villages["kab_code"].unique()):
        key = "18.71,18.72" if kab in ("18.71", "18.72") else kab
        groups.setdefault(key, []).append(kab)
    ev_rows = []
    for key in sorted(groups):
        n_vil = int(villages["kab_code"].isin(groups[key]).sum())
        n_ev = int(np.clip(round(n_vil / 80), 2, 4))
        lo, hi = _day(dt.date(2022, 3, 1)), _day(dt.date(2026, 10, 15))
        starts = np.sort(rng.choice(np.arange(lo, hi, 7), n_ev, replace=False))  # distinct weeks
        for s in starts:
            ev_rows.append({"kab_codes": key, "start": int(s), "days": int(rng.integers(1, 4)), "seed": False})
    ev = pd.DataFrame(ev_rows)
    # Replace Tanggamus' 2024 event (or add one) with the seeded one.
    tgm = ev.index[(ev["kab_codes"] == SEED_BIMTEK_KAB) & (ev["start"].between(_day(dt.date(2024, 1, 1)), _day(dt.date(2024, 12, 31))))]
    if len(tgm):
        ev = ev.drop(index=tgm[0])
    seed_row = {"kab_codes": SEED_BIMTEK_KAB, "start": _day(dt.date(2024, 10, 10)), "days": 3, "seed": True}
    ev = pd.concat([ev, pd.DataFrame([seed_row])], ignore_index=True).sort_values(["start", "kab_codes"], ignore_index=True)
    ev["event_id"] = [_event_id(s, k) for s, k in zip(ev["start"], ev["kab_codes"], strict=True)]
    assert ev["event_id"].is_unique

    # Villages: attend one event of their kabupaten with a kabupaten-specific coverage; Tanggamus' kelurahan
    # and every Gisting pekon go to the seeded event, as the article reports.
    kec_gisting = _kecamatan_code(regions, *SEED_BIMTEK_KEC)
    v = villages[["code", "kab_code", "is_desa"]].copy()
    v["group"] = v["kab_code"].map({k: g for g, ks in groups.items() for k in ks})
    cover = {g: float(np.clip(BIMTEK_COVERAGE + rng.normal(0.0, 0.06), 0.6, 0.99)) for g in sorted(groups)}
    v["attends"] = rng.random(len(v)) < v["group"].map(cover).to_numpy()
    forced = (v["code"].str.startswith(kec_gisting + ".")) | ((v["kab_code"] == SEED_BIMTEK_KAB) & ~v["is_desa"])
    v.loc[forced, "attends"] = True
    ev_by_group = ev.groupby("kab_codes")["event_id"].apply(list).to_dict()
    pick = rng.random(len(v))
    v["event_id"] = [ev_by_group[g][int(p * len(ev_by_group[g]))] for g, p in zip(v["group"], pick, strict=True)]
    v.loc[forced, "event_id"] = SEED_BIMTEK_ID
    # No other Gisting pekon at the seeded event than those forced (all nine of them).
    v = v[v["attends"]]

    size = rng.choice(BIMTEK_SIZES, len(v), p=BIMTEK_SIZE_P)
    in_gisting = v["code"].str.startswith(kec_gisting + ".").to_numpy()
    yoga_code = find_village(regions, SEED_YOGA[1], SEED_BIMTEK_KAB)
    # Gisting: 19 participants from its 9 pekon -> two each, three from Gisting Atas.
    size[in_gisting] = 2
    size[(v["code"] == yoga_code).to_numpy()] = SEED_GISTING_PARTICIPANTS - 2 * (int(in_gisting.sum()) - 1)
    parts = v.loc[v.index.repeat(size), ["event_id", "code"]].rename(columns={"code": "village_code"})
    parts = parts.reset_index(drop=True)
    parts["role"] = rng.choice(list(ROLE_P), len(parts), p=list(ROLE_P.values()))
    first = ~parts["village_code"].duplicated()
    parts.loc[first & (rng.random(len(parts)) < OPERATOR_FIRST), "role"] = "operator"
    parts["name"] = pd.Series([None] * len(parts), dtype="str")
    yoga_rows = parts.index[parts["village_code"] == yoga_code]
    parts.loc[yoga_rows[:SEED_GISTING_OPERATORS], "role"] = "operator"
    parts.loc[yoga_rows[SEED_GISTING_OPERATORS:], "role"] = "kepala_desa"
    parts.loc[yoga_rows[SEED_GISTING_OPERATORS], ["name", "role"]] = [SEED_YOGA[0], SEED_YOGA[2]]
    parts.insert(0, "participant_id", np.arange(1, len(parts) + 1))
    parts["source"] = SOURCE

    # Event attributes: organiser, title, venues, reported figures (mostly exact, some off or missing).
    counts = parts.groupby("event_id").agg(p=("village_code", "size"), v=("village_code", "nunique"))
    ev = ev.join(counts, on="event_id")
    ev = ev[ev["p"].notna() | ev["seed"]].reset_index(drop=True)
    by_pmdt = (rng.random(len(ev)) < 0.6) | ev["kab_codes"].str.contains(",") | ev["seed"]
    first_kab = ev["kab_codes"].str.split(",").str[0]
    ev["organiser"] = np.where(by_pmdt, PMDT, "Dinas PMD " + first_kab.map(kab_names))
    ev["title"] = "Bimbingan Teknis Smart Village " + np.where(
        ev["kab_codes"].str.contains(","), "Kota Bandar Lampung dan Kota Metro", first_kab.map(kab_names)
    )
    ev["end"] = ev["start"] + ev["days"] - 1
    # Reported figures equal the rows, or are missing for about one event in eight; the one discrepancy is
    # the seeded Gisting report below (the article's own "delapan pekon" against its 9 pekon).
    mode = rng.random(len(ev))
    ev["reported_participants"] = pd.array(ev["p"], dtype="Int64")
    ev["reported_villages"] = pd.array(ev["v"], dtype="Int64")
    missing = mode >= 0.88
    ev.loc[missing, ["reported_participants", "reported_villages"]] = pd.NA
    ev["reported_scope"] = pd.Series([None] * len(ev), dtype="str")
    ev["notes"] = pd.Series([None] * len(ev), dtype="str")
    s = ev.index[ev["seed"]][0]
    ev.loc[s, "title"] = "Pelatihan dan Bimbingan Teknis (Bimtek) SMART VILLAGE Provinsi Lampung (Kabupaten Tanggamus)"
    ev.loc[s, ["reported_participants", "reported_villages"]] = [SEED_GISTING_PARTICIPANTS, SEED_GISTING_REPORTED_VILLAGES]
    ev.loc[s, "reported_scope"] = kec_gisting
    ev.loc[s, "notes"] = (
        "Dari artikel berita: dibuka 10 Oktober 2024 di Hotel AMALIA oleh Sekretaris Dinas PMD Kabupaten Tanggamus; "
        "peserta perwakilan kelurahan dan pekon se-Kabupaten Tanggamus. Angka yang dilaporkan hanya untuk "
        "Kecamatan Gisting: '19 peserta ... yang terdiri dari delapan pekon', tetapi artikel yang sama kemudian "
        "menulis '19 peserta dari 9 Pekon' (Kecamatan Gisting memang memiliki 9 pekon). Baris peserta memuat "
        "9 pekon; angka laporan (8) dibiarkan apa adanya. Peserta selain Yoga Setiawan adalah data contoh."
    )

    venues = []
    for eid, pm, k, sd in zip(ev["event_id"], by_pmdt, first_kab, ev["seed"], strict=True):
        if sd:
            venues += [(eid, "Hotel BATIQA Bandar Lampung"), (eid, "Hotel AMALIA Bandar Lampung")]
        elif pm:
            for h in rng.choice(HOTELS, int(rng.integers(1, 3)), replace=False):
                venues.append((eid, str(h)))
        else:
            venues.append((eid, f"Aula Dinas PMD {kab_names[k]}"))
    venues_df = pd.DataFrame(venues, columns=["event_id", "venue"])
    venues_df["event_id"] = venues_df["event_id"].astype("str")

    events = pd.DataFrame({
        "event_id": ev["event_id"], "title": ev["title"], "start_date": _dates(ev["start"]).to_numpy(),
        "end_date": _dates(ev["end"]).to_numpy(), "organiser": ev["organiser"], "kab_codes": ev["kab_codes"],
        "reported_participants": ev["reported_participants"], "reported_villages": ev["reported_villages"],
        "reported_scope": ev["reported_scope"], "notes": ev["notes"], "source": SOURCE,
    })  # fmt: skip
    return events, venues_df, parts[["participant_id", "event_id", "village_code", "role", "name", "source"]]


def _kecamatan_code(regions: pd.DataFrame, name: str, within: str) -> str:
    kec = regions[(regions["level"] == "kecamatan") & regions["code"].str.startswith(within + ".")]
    hit = kec[kec["name"].map(_normalise_name) == _normalise_name(name)]  # 229 rows: cheap
    if len(hit) != 1:
        raise LookupError(f"kecamatan {name!r} under {within}: {len(hit)} matches")
    return str(hit["code"].iloc[0])


def _meetings(rng: np.random.Generator, officers: pd.DataFrame, seeded: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Yearly provincial Rakor (the 17 December 2024 one from the seed article) and who attended."""
    title = "Rapat Koordinasi dan Konsolidasi Implementasi Program Smart Village Provinsi Lampung"
    rows = [
        ("RK-20221124", dt.date(2022, 11, 24), "Hotel Emersia Bandar Lampung"),
        ("RK-20231122", dt.date(2023, 11, 22), "Swiss-Belhotel Lampung"),
        (SEED_RAKOR_ID, SEED_RAKOR_DATE, "Hotel Yunna, Teluk Betung, Bandar Lampung"),
        ("RK-20250918", dt.date(2025, 9, 18), "Hotel Horison Bandar Lampung"),
        ("RK-20260827", dt.date(2026, 8, 27), "Hotel BATIQA Bandar Lampung"),
    ]
    meetings = pd.DataFrame(rows, columns=["meeting_id", "date", "venue"])
    meetings["date"] = pd.to_datetime(meetings["date"]).astype("datetime64[us]")
    meetings.insert(2, "title", title)
    meetings["organiser"] = PMDT
    meetings["source"] = SOURCE
    att = []
    seeded_ids = officers.loc[officers["village_code"].isin(list(seeded)), "officer_id"].tolist()
    for mid, day in zip(meetings["meeting_id"], meetings["date"], strict=True):
        pool = officers[(officers["appointed_on"] < day) & ~officers["officer_id"].isin(seeded_ids)]
        if mid == SEED_RAKOR_ID:  # the article: exactly these two came from Lampung Barat
            pool = pool[pool["village_code"].str[:5] != "18.04"]
            att += [(mid, o) for o in seeded_ids]
        # One or two officers per kabupaten (a sample, not everyone): shuffle, keep the first k per kabupaten.
        pool = pool.iloc[rng.permutation(len(pool))]
        kab = pool["village_code"].str[:5]
        quota = kab.map({k: int(rng.integers(1, 3)) for k in sorted(kab.unique())})
        take = pool[pool.groupby(kab).cumcount() < quota]
        att += [(mid, o) for o in take["officer_id"]]
    attendance = pd.DataFrame(att, columns=["meeting_id", "officer_id"]).drop_duplicates(ignore_index=True)
    return meetings, attendance


def _targets(regions: pd.DataFrame, villages: pd.DataFrame) -> pd.DataFrame:
    kabs = sorted(regions.loc[regions["level"] == "kabupaten", "code"].astype("str"))
    with_desa = set(villages.loc[villages["is_desa"], "kab_code"])
    rows = []
    for region in [PROVINCE_CODE, *kabs]:
        for ind, by_year in TARGETS.items():
            if ind != "pct_bimtek_2plus" and region != PROVINCE_CODE and region not in with_desa:
                continue  # adoption is "tidak berlaku" in the two kota
            rows += [(year, region, ind, val) for year, val in by_year.items()]
    out = pd.DataFrame(rows, columns=["year", "region_code", "indicator", "value"])
    out["source"] = SOURCE
    return out


# --------------------------------------------------------------------------------------------------
# Entry points


class DemoSet(dict):
    """The demo tables (name -> frame) plus ``planted``: the (village_code, finding rule) pairs planted on
    purpose so the Kualitas Data page has something to show; every other app rule holds on the set."""

    planted: list[tuple[str, str]]


def _plant(rng: np.random.Generator, desa: pd.DataFrame, join: pd.Series, operator: pd.Series,
           participants: pd.DataFrame, gisting_atas: str) -> tuple[pd.Series, list[tuple[str, str]]]:
    """A handful of stage-evidence disagreements (metrics.evidence) on purpose; returns the operator days
    with them applied and the (village, rule) pairs planted.

    - Gisting Atas: its two operators trained 10-12 October 2024, the stage never reported;
    - two joined desa report "Operator terlatih" with no operator in the Bimtek records;
    - one desa reports it three months before its operator's Bimtek ended.
    """
    op = operator.copy()
    planted = [(gisting_atas, "evidence_without_stage")]
    op[gisting_atas] = np.nan
    with_operator = set(participants.loc[participants["role"] == "operator", "village_code"])
    early = join[(join <= _day(dt.date(2023, 12, 31))) & ~join.index.isin(list(with_operator))]
    for code in rng.choice(np.sort(early.index.to_numpy()), 2, replace=False):
        op[code] = join[code] + 45
        planted.append((str(code), "stage_without_evidence"))
    room = op[(op - join.reindex(op.index) > 150) & (op < AS_OF - 400)].dropna()
    code = str(rng.choice(np.sort(room.index.to_numpy())))
    op[code] = op[code] - 90
    planted.append((code, "stage_before_evidence"))
    return op, planted


def _plant_services(rng: np.random.Generator, adoption: pd.DataFrame, services: pd.DataFrame,
                    avoid: set[str]) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Two service disagreements on purpose: a desa at "Layanan aktif" whose only service ended, and a desa
    at "Operator terlatih" using a service without the stage reported."""
    stages = adoption.pivot(index="village_code", columns="stage", values="reached_on")
    live = stages[stages["layanan_aktif"].notna() & stages["data_terintegrasi"].isna()
                  & (stages["layanan_aktif"] < pd.Timestamp(DATA_AS_OF) - pd.Timedelta(days=400))]
    lapsed = str(rng.choice(np.sort(live.index.difference(list(avoid)).to_numpy())))
    sid = services[(services["village_code"] == lapsed) & (services["service"] == SERVICE_CATALOGUE[0][1])]
    services = services[services["village_code"] != lapsed]
    sid = sid.assign(ended_on=(pd.Timestamp(DATA_AS_OF) - pd.Timedelta(days=60)).as_unit("us"))
    trained = stages[stages["operator_terlatih"].notna() & stages["layanan_aktif"].isna()
                     & (stages["operator_terlatih"] < pd.Timestamp(DATA_AS_OF) - pd.Timedelta(days=120))]
    using = str(rng.choice(np.sort(trained.index.difference(list(avoid)).to_numpy())))
    extra = pd.DataFrame({"village_code": [using], "pillar": [SERVICE_CATALOGUE[0][0]],
                          "service": [SERVICE_CATALOGUE[0][1]],
                          "started_on": [(stages.at[using, "operator_terlatih"] + pd.Timedelta(days=30)).as_unit("us")],
                          "ended_on": pd.Series([pd.NaT], dtype="datetime64[us]"), "source": [SOURCE]})
    out = pd.concat([services, sid, extra], ignore_index=True)
    out = out.sort_values(["village_code", "started_on", "service"], ignore_index=True)
    return out, [(lapsed, "stage_without_evidence"), (using, "evidence_without_stage")]


def generate(regions: pd.DataFrame, idm: pd.DataFrame, seed: int = DEFAULT_SEED) -> DemoSet:
    """All programme tables of the demo set, deterministic in ``seed`` (pure: no IO)."""
    rng = np.random.default_rng(seed)
    # Normalised names once (find_village uses them for every seeded lookup).
    regions = regions.assign(code=regions["code"].astype("str"), _key=regions["name"].map(_normalise_name))
    villages = _villages(regions)
    signal = idm.assign(code=idm["code"].astype("str")).set_index("code")["signal"]
    desa = villages[villages["is_desa"]].reset_index(drop=True)
    desa["signal"] = desa["code"].map(signal)
    kab_names = regions.loc[regions["level"] == "kabupaten"].set_index("code")["name"].astype("str").to_dict()
    pace = _kab_pace(rng, sorted(desa["kab_code"].unique()))

    join = _join_days(rng, desa, pace, regions)
    early = _early_stages(rng, desa, join)
    events, venues, participants = _bimtek(rng, villages, kab_names, regions)
    gisting_atas = find_village(regions, SEED_YOGA[1], SEED_BIMTEK_KAB)
    operator, planted = _plant(rng, desa, join, _operator_days(join, participants, events), participants,
                               gisting_atas)
    adoption = _adoption_rows(join.index.to_numpy(), early + _deeper_stages(rng, desa, operator, pace))
    services, planted_services = _plant_services(rng, adoption, _services(rng, adoption),
                                                 {code for code, _ in planted})
    seeded = {find_village(regions, v, kab, kecamatan=kec): name for name, v, kec, kab in SEED_RAKOR_OFFICERS}
    officers = _officers(rng, adoption, seeded)
    meetings, attendance = _meetings(rng, officers, seeded)
    gisting = participants.loc[(participants["event_id"] == SEED_BIMTEK_ID)
                               & participants["village_code"].str.startswith(_kecamatan_code(regions, *SEED_BIMTEK_KEC)),
                               "village_code"]
    # Every data table has a frame; kabupaten status reports are real uploads only (empty in the demo set).
    empty = {name: store.empty_table(name) for name in ("status_reports", "status_report_rows",
                                                        "status_report_services")}
    out = DemoSet({
        **empty,
        "adoption": adoption,
        "services": services,
        "officers": officers,
        "bimtek_events": events,
        "bimtek_venues": venues,
        "bimtek_participants": participants,
        "meetings": meetings,
        "meeting_attendance": attendance,
        "targets": _targets(regions, villages),
    })
    out.planted = sorted({*planted, *planted_services, *((c, "bimtek_reported") for c in gisting)})
    return out


def demo_meta(seed: int, planted: Sequence[tuple[str, str]] = ()) -> dict[str, str]:
    """``meta`` rows stored with the demo set (``demo_planted``: the disagreements planted on purpose)."""
    return {
        "data_as_of": DATA_AS_OF.isoformat(),
        "is_demo": "1",
        "demo_seed": str(seed),
        "demo_version": DEMO_VERSION,
        "late_signal_weight": str(LATE_SIGNAL_WEIGHT),
        "bimtek_budget_per_village": str(programme.BIMTEK_BUDGET_PER_VILLAGE_RP),
        "demo_planted": json.dumps([list(p) for p in planted]),
    }


def summary(frames: dict[str, pd.DataFrame], regions: pd.DataFrame) -> dict[str, object]:
    """Headline calibration figures of a generated set (counted directly on the frames)."""
    ad = frames["adoption"]
    joined = ad[ad["stage"] == "bergabung"]
    n_villages = int((regions["level"] == "desa").sum())
    per_village = frames["bimtek_participants"].groupby("village_code").size()
    out: dict[str, object] = {
        f"joined_by_{y}": int((joined["reached_on"] <= pd.Timestamp(y, 12, 31)).sum()) for y in range(2020, 2027)
    }
    for stage in programme.REACHED_STAGES:
        out[f"{stage}_at_as_of"] = int((ad["stage"] == stage).sum())
    out["bimtek_events"] = len(frames["bimtek_events"])
    out["bimtek_participants"] = len(frames["bimtek_participants"])
    out["villages_bimtek_2plus"] = f"{int((per_village >= 2).sum())} of {n_villages}"
    out["services"] = len(frames["services"])
    out["officers"] = len(frames["officers"])
    return out


def needs_refresh(meta: dict[str, str], empty: bool, seed: int) -> bool:
    """Fill an empty store, or refresh a demo store made with another seed or generator version."""
    if empty:
        return True
    if meta.get("is_demo") != "1":
        return False  # real data: never overwritten without --force
    return meta.get("demo_seed") != str(seed) or meta.get("demo_version") != DEMO_VERSION


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils demo", description="Fill the programme store with demo data.")
    parser.add_argument("--force", action="store_true", help="replace the store content even if it is current or real")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--url", default=None, help="SQLAlchemy URL (default: SV_DATABASE_URL or data/programme.db)")
    args = parser.parse_args(argv)
    engine = store.get_engine(args.url)
    store.init_schema(engine)
    meta = store.read_meta(engine)
    if not args.force and not needs_refresh(meta, store.store_is_empty(engine), args.seed):
        kind = "demo" if meta.get("is_demo") == "1" else "real"
        print(f"store already holds {kind} data (seed {meta.get('demo_seed')}); use --force to replace it")
        return 0
    for p in (paths.REGIONS, paths.IDM):
        if not p.exists():
            print(f"ERROR: {p} is missing; run `python -m utils build` first", file=sys.stderr)
            return 1
    t0 = time.perf_counter()
    regions, idm = pd.read_parquet(paths.REGIONS), pd.read_parquet(paths.IDM)
    frames = generate(regions, idm, args.seed)
    t1 = time.perf_counter()
    store.replace_all(engine, frames, demo_meta(args.seed, frames.planted))
    t2 = time.perf_counter()
    print(f"demo data (seed {args.seed}, as of {DATA_AS_OF}) written to {engine.url.render_as_string()}")
    for k, val in summary(frames, regions).items():
        print(f"  {k}: {val}")
    print(f"  generated in {t1 - t0:.2f} s, stored in {t2 - t1:.2f} s")
    return 0

