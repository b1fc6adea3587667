"""Which village a row means: Kemendagri code, BPS code (through the crosswalk) or name (no streamlit).

A Kemendagri code is taken as is when it exists. A BPS code gives the kecamatan through the BPS/Kemendagri
crosswalk and the name picks the village in it. A name alone is matched, after normalisation
(``wilayah.normalise_name``), within the upload's kabupaten (and kecamatan when given); an inexact or
ambiguous name is a *proposal* the operator confirms before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from utils.data import paths
from utils.data.wilayah import normalise_name
from utils.domain.codes import to_dotted

FUZZY_CUTOFF = 85.0


@dataclass(frozen=True)
class Match:
    """Outcome for one row. method: "kode", "kode_bps", "nama", "usulan" (fuzzy proposal) or "" (none)."""

    code: str | None
    method: str
    score: float = 100.0
    error: str = ""  # message key when no village was found
    detail: str = ""


class Matcher:
    """Village lookup over the regions table (built once per validation)."""

    def __init__(self, regions: pd.DataFrame, crosswalk_kec: pd.DataFrame | None = None) -> None:
        v = regions.loc[regions["level"] == "desa", ["code", "name", "kab_code", "kec_code", "village_type"]].copy()
        v["key"] = v["name"].map(normalise_name)
        self.villages = v.set_index("code", drop=False)
        kec = regions.loc[regions["level"] == "kecamatan", ["code", "name", "kab_code"]].copy()
        kec["key"] = kec["name"].map(normalise_name)
        self.kecamatan = kec
        kab = regions.loc[regions["level"] == "kabupaten", ["code", "name"]].copy()
        kab["key"] = kab["name"].map(normalise_name)
        self.kabupaten = kab
        if crosswalk_kec is None and paths.CROSSWALK_KEC.exists():
            crosswalk_kec = pd.read_parquet(paths.CROSSWALK_KEC)
        self.bps_kec = (dict(zip(crosswalk_kec["bps_code"].astype(str), crosswalk_kec["kemendagri_code"].astype(str),
                                 strict=True)) if crosswalk_kec is not None else {})
        self._kab_codes = set(self.kabupaten["code"])
        # One answer per distinct question: a file names the same few villages on many rows, and each
        # lookup filters 2,651 villages (bounded work: the cost follows the distinct names, not the rows).
        self._by_name: dict[tuple[str, str | None, str, str | None], Match] = {}
        self._pools: dict[tuple[str | None, str | None, str], tuple[list[str], list[str]]] = {}

    def _kab_of_name(self, text: str) -> str | None:
        key = normalise_name(text)
        hit = self.kabupaten[self.kabupaten["key"] == key]
        if len(hit) == 1:
            return str(hit["code"].iloc[0])
        try:
            code = to_dotted(text)
            return code if code in self._kab_codes else None
        except ValueError:
            return None

    def _pool(self, kab: str | None, kec_name: str, kec_code: str | None) -> tuple[list[str], list[str]]:
        """(codes, name keys) of the villages a name is looked up in; built once per kabupaten and kecamatan
        (filtering 2,651 villages per row made a 300-row report take seconds)."""
        question = (kab, kec_code, "" if kec_code else normalise_name(kec_name))
        if question not in self._pools:
            pool = self.villages
            if kab:
                pool = pool[pool["kab_code"] == kab]
            if kec_code:
                pool = pool[pool["kec_code"] == kec_code]
            elif kec_name:
                kecs = self.kecamatan[self.kecamatan["key"] == question[2]]
                if kab:
                    kecs = kecs[kecs["kab_code"] == kab]
                if len(kecs):
                    pool = pool[pool["kec_code"].isin(kecs["code"])]
            self._pools[question] = (pool["code"].astype(str).tolist(), pool["key"].tolist())
        return self._pools[question]

    def by_name(self, name: str, kab: str | None, kec_name: str = "", kec_code: str | None = None) -> Match:
        """Village named ``name`` within the kabupaten (and kecamatan) given."""
        question = (normalise_name(name), kab, normalise_name(kec_name), kec_code)
        if question not in self._by_name:
            if len(self._by_name) > 100_000:
                self._by_name.clear()
            self._by_name[question] = self._by_name_uncached(name, kab, kec_name, kec_code)
        return self._by_name[question]

    def _by_name_uncached(self, name: str, kab: str | None, kec_name: str, kec_code: str | None) -> Match:
        from rapidfuzz import fuzz, process

        codes, keys = self._pool(kab, kec_name, kec_code)
        key = normalise_name(name)
        if not key:
            return Match(None, "", 0.0, "ing_err_no_village")
        exact = [c for c, k in zip(codes, keys, strict=True) if k == key]
        if len(exact) == 1:
            return Match(exact[0], "nama")
        if len(exact) > 1:
            return Match(None, "", 0.0, "ing_err_ambiguous_name", detail=", ".join(exact[:6]))
        if not codes:
            return Match(None, "", 0.0, "ing_err_unknown_name")
        best = process.extractOne(key, keys, scorer=fuzz.ratio)
        if best and best[1] >= FUZZY_CUTOFF:
            return Match(codes[best[2]], "usulan", float(best[1]))
        return Match(None, "", 0.0, "ing_err_unknown_name")

    def resolve(self, *, code: str, bps: str, name: str, kec_name: str, kab_text: str, scope: str | None) -> Match:
        """The village of one row (``scope``: the upload's kabupaten, None = whole province)."""
        if code:
            try:
                dotted = to_dotted(code)
            except ValueError:
                dotted = ""
            if dotted in self.villages.index:
                return Match(dotted, "kode")
            if not name:
                return Match(None, "", 0.0, "ing_err_unknown_code", detail=code)
        kab = scope or (self._kab_of_name(kab_text) if kab_text else None)
        if bps:
            digits = "".join(ch for ch in bps if ch.isdigit())
            kec = self.bps_kec.get(digits[:7]) if len(digits) == 10 else None
            if kec is None:
                return Match(None, "", 0.0, "ing_err_unknown_bps", detail=bps)
            if not name:
                return Match(None, "", 0.0, "ing_err_bps_needs_name", detail=bps)
            m = self.by_name(name, None, kec_code=kec)
            return Match(m.code, "kode_bps" if m.method == "nama" else m.method, m.score, m.error, m.detail)
        if name:
            return self.by_name(name, kab, kec_name)
        return Match(None, "", 0.0, "ing_err_no_village")
