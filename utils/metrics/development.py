"""Development indices of the desa: IDM 2024 (its two editions) and the Indeks Desa (2025 onwards).

Pure functions, no streamlit. IDM (0..1, five statuses, to 2024) and the Indeks Desa (0..100, six
dimensions, from 2025) are different measures: they are compared only by status (a transition matrix),
never by subtracting scores. Every figure carries the name of its index, year and source: those labels and
source sentences are worded in ``utils.views.index_display``; this module returns codes and numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from utils.domain import indeks_desa as ixd
from utils.domain.codes import in_region
from utils.domain.idm import EDITION_SATUDATA, EDITION_WORKBOOK, IDM_STATUSES

# --------------------------------------------------------------------------------------------------
# IDM 2024: editions


def idm_source_counts(idm: pd.DataFrame, code: str) -> dict[str, int]:
    """Desa of region ``code`` per IDM edition and those Satu Data marks as carried from 2023."""
    rows = idm[in_region(idm["code"], code)]
    edition = rows["edition"] if "edition" in rows else pd.Series(EDITION_WORKBOOK, index=rows.index)
    carried = rows["carried_2023"].fillna(False).astype(bool) if "carried_2023" in rows else pd.Series(False, index=rows.index)
    return {"workbook": int((edition == EDITION_WORKBOOK).sum()), "satudata": int((edition == EDITION_SATUDATA).sum()),
            "carried": int(carried.sum())}


# --------------------------------------------------------------------------------------------------
# Indeks Desa (2025 onwards)


def indeks_year(years: Mapping[int, pd.DataFrame], as_of_year: int | None = None) -> int | None:
    """The Indeks Desa round shown for a period: the latest year up to ``as_of_year`` (any when None)."""
    usable = [y for y in years if as_of_year is None or y <= as_of_year]
    return max(usable) if usable else None


def region_desa(regions: pd.DataFrame, code: str) -> pd.Series:
    """Codes of the desa (not kelurahan) of region ``code``."""
    desa = regions.loc[regions["village_type"].eq("desa"), "code"]
    return desa[in_region(desa, code)]


@dataclass(frozen=True)
class Coverage:
    """Desa of a region with an Indeks Desa score in one round, of all its desa."""

    year: int
    scored: int
    desa: int

    @property
    def partial(self) -> bool:
        return self.scored < self.desa


def coverage(frame: pd.DataFrame, regions: pd.DataFrame, code: str, year: int) -> Coverage:
    desa = region_desa(regions, code)
    return Coverage(year, int(frame["code"].isin(set(desa)).sum()), len(desa))


def indeks_status_counts(frame: pd.DataFrame, code: str) -> dict[str, int]:
    rows = frame[in_region(frame["code"], code)]
    return {s: int((rows["status"] == s).sum()) for s in ixd.STATUSES}


def item_action(cat_row: Mapping, score: int) -> str | None:
    """The recommended action for ``score`` (rekomendasi.json); a score the item's scale does not use takes the
    action of the nearest score below it (e.g. 2 on a 1/5 item: the action for 1)."""
    for s in range(int(score), ixd.SCORE_MIN - 1, -1):
        action = cat_row.get(f"action_{s}")
        if isinstance(action, str) and action.strip():
            return action.strip()
    return None


def dinas_pmd_recommendations(items_low: pd.DataFrame, catalogue: pd.DataFrame, codes: Iterable[str]) -> pd.DataFrame:
    """What the Dinas PMD can act on among ``codes``: items whose province-level implementer names the Dinas PMD
    (or whose kabupaten-level implementer names the kabupaten's Dinas PMD) where a desa scores at or below
    ``ACTION_SCORE``. One row per item and action: item_no, dimension, item, level ("provinsi", "kabupaten" or
    "provinsi+kabupaten"), score, action, desa (count), codes (sorted list). Most desa first."""
    cat = catalogue[catalogue["structure_no"].notna() & (catalogue["dinas_pmd_provinsi"] | catalogue["dinas_pmd_kabupaten"])]
    rows = items_low[items_low["code"].isin(set(codes)) & (items_low["score"] <= ixd.ACTION_SCORE)
                     & items_low["item_no"].isin(set(cat["item_no"]))]
    columns = ["item_no", "dimension", "item", "level", "score", "action", "desa", "codes"]
    if rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    c = cat.set_index("item_no")
    rows = rows.assign(action=[item_action(c.loc[n], s) for n, s in zip(rows["item_no"], rows["score"], strict=True)])
    out = rows.groupby(["item_no", "score", "action"], as_index=False).agg(
        desa=("code", "nunique"), codes=("code", lambda s: sorted(s.unique())))
    out["dimension"] = out["item_no"].map(c["dimension"])
    out["item"] = out["item_no"].map(c["item"]).str.replace(r"\s+", " ", regex=True).str.strip()
    prov, kab = out["item_no"].map(c["dinas_pmd_provinsi"]), out["item_no"].map(c["dinas_pmd_kabupaten"])
    out["level"] = np.select([prov & kab, prov], ["provinsi+kabupaten", "provinsi"], "kabupaten")
    order = {d: n for n, d in enumerate(ixd.DIMENSION_CODES)}
    out = out.assign(_d=out["dimension"].map(order)).sort_values(["desa", "_d", "item_no", "score"],
                                                                  ascending=[False, True, True, True])
    return out[columns].reset_index(drop=True)


def transition_matrix(idm: pd.DataFrame, indeks: pd.DataFrame, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Desa per (IDM status, Indeks Desa status) among the desa scored in both (``codes``: a region's desa).
    Rows: IDM statuses, columns: Indeks Desa statuses, both best first; every status listed. Statuses only:
    the two indices measure different things on different scales, so scores are never subtracted."""
    a = idm.dropna(subset=["status"]).set_index("code")["status"]
    b = indeks.dropna(subset=["status"]).set_index("code")["status"]
    both = a.index.intersection(b.index)
    if codes is not None:
        both = both.intersection(pd.Index(list(codes)))
    matrix = pd.crosstab(pd.Categorical(a.loc[both], categories=IDM_STATUSES),
                         pd.Categorical(b.loc[both], categories=ixd.STATUSES), dropna=False)
    matrix.index.name, matrix.columns.name = "idm", "indeks_desa"
    return matrix.reindex(index=list(IDM_STATUSES), columns=list(ixd.STATUSES), fill_value=0).astype(int)


def dimensions_by_region(indeks: pd.DataFrame, regions: pd.DataFrame, by: str = "kab_code") -> pd.DataFrame:
    """Per region (``by``: kab_code or kec_code of the region list; every region, a kota with 0 desa too): desa,
    desa scored, mean total and mean of each dimension over the scored desa (NaN where none is scored)."""
    level = {"kab_code": "kabupaten", "kec_code": "kecamatan"}[by]
    every = pd.Index(regions.loc[regions["level"] == level, "code"], name="code")  # kota too: 0 desa
    desa = regions[regions["village_type"].eq("desa")][["code", by]]
    merged = desa.merge(indeks[["code", "total", *(f"dim_{d}" for d in ixd.DIMENSION_CODES)]], on="code", how="left")
    g = merged.groupby(by)
    out = pd.DataFrame({"desa": g.size(), "scored": g["total"].count()}).reindex(every, fill_value=0)
    out["total"] = g["total"].mean().reindex(every)
    for d in ixd.DIMENSION_CODES:
        out[f"dim_{d}"] = g[f"dim_{d}"].mean().reindex(every)
    return out


@dataclass(frozen=True)
class IndeksRound:
    """One Indeks Desa round as the follow-ups need it: per-desa scores, the item scores at or below
    ``ACTION_SCORE`` and the item catalogue."""

    year: int
    desa: pd.DataFrame
    low_items: pd.DataFrame
    catalogue: pd.DataFrame

    def recommendations(self, codes: Iterable[str]) -> pd.DataFrame:
        return dinas_pmd_recommendations(self.low_items, self.catalogue, codes)

    def coverage(self, desa_codes: Iterable[str]) -> Coverage:
        codes = set(desa_codes)
        return Coverage(self.year, int(self.desa["code"].isin(codes).sum()), len(codes))


def indeks_round(ds, as_of_year: int | None) -> IndeksRound | None:
    """The round of the period from a Dataset (None before any import)."""
    year = indeks_year(ds.indeks_desa, as_of_year)
    if year is None:
        return None
    low = ds.indeks_low_items.get(year, pd.DataFrame(columns=["code", "item_no", "score"]))
    return IndeksRound(year, ds.indeks_desa[year], low, ds.index_catalogue)
