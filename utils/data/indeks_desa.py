"""The Indeks Desa item catalogue, built from the ministry data unit's three configuration files.

- ``headers.json``: the per-desa workbook's columns (the column contract): 6 identification/status columns and
  131 item columns, each with a standard name and known aliases;
- ``table_structure.csv``: the 127 scored items with dimension, sub-dimension, indicator and who acts at each
  level of government;
- ``rekomendasi.json``: per item (keyed by the header's standard name) the recommended action per score.

``catalogue`` joins them into one row per workbook item column (``item_no`` = its position among the item
columns of headers.json, 1..131): the structure row it maps to (by standard name, then alias, then after
dropping an enumerator such as "ii." and finally by prefix; one structure row per item), dimension, implementers,
whether the Dinas PMD acts at province or kabupaten level, and the action per score. Header items that map to
no structure row (the thematic columns) keep ``structure_no`` empty: they are read but not scored.
The build writes it to ``data/indeks_desa_items.parquet`` and reports the mapping.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from utils.domain.indeks_desa import BY_SOURCE, SCORE_MAX, SCORE_MIN, names_dinas_pmd
from utils.domain.text import header_key

#: Leading identification and status columns of headers.json (the rest are item columns).
ID_COLUMNS = 6
#: Output columns of the catalogue.
CATALOGUE_COLUMNS = [
    "item_no", "standard", "aliases", "structure_no", "mapped_by", "item", "dimension", "sub_dimension",
    "indicator", "pusat", "provinsi", "kabupaten", "desa", "lainnya", "dinas_pmd_provinsi",
    "dinas_pmd_kabupaten", *(f"action_{s}" for s in range(SCORE_MIN, SCORE_MAX + 1)),
]
_ENUMERATOR = re.compile(r"^\s*(?:i{1,3}|iv|v|vi{0,3})[.)]?\s+", re.IGNORECASE)
_SKOR = re.compile(r"^\s*skor\s+", re.IGNORECASE)
#: A header that is a prefix of a structure item (or the other way round) maps only when this long (as keys).
_PREFIX_MIN = 20


def item_key(text: object, drop_enumerator: bool = False) -> str:
    """Comparison key of an item name: "SKOR " dropped, then ``header_key`` (case, spaces, "/ " and "?" ignored);
    with ``drop_enumerator`` a leading "i.", "ii", "iv." too."""
    s = _SKOR.sub("", str(text or ""))
    if drop_enumerator:
        s = _ENUMERATOR.sub("", s)
    return header_key(s)


def read_headers(path: Path) -> list[dict]:
    """headers.json: [{standard, aliases}] with empty aliases removed."""
    entries = json.loads(Path(path).read_text(encoding="utf-8"))
    return [{"standard": e["standard"], "aliases": [a for a in e.get("aliases", []) if str(a).strip()]}
            for e in entries]


def read_structure(path: Path) -> pd.DataFrame:
    """table_structure.csv (``;``-separated) with ``structure_no`` 1..n in file order."""
    t = pd.read_csv(path, sep=";", dtype="str", keep_default_na=False).replace("", None)
    t.insert(0, "structure_no", np.arange(1, len(t) + 1, dtype="int64"))
    return t


def read_actions(path: Path) -> dict[str, dict[str, str | None]]:
    """rekomendasi.json: standard item name -> {"1": action, ..., "5": None}."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def map_items(headers: list[dict], structure: pd.DataFrame) -> pd.DataFrame:
    """One row per header item column: item_no, standard, structure_no (or <NA>), mapped_by.

    Rounds, each claiming only structure rows no earlier round took: (1) the standard name; (2) an alias
    naming exactly one free structure row; (3) the same after dropping an enumerator ("ii. Keberfungsian
    jamban"); (4) one free structure row whose key is a prefix of the header's, or the reverse ("... Cair Rumah"
    / "... Cair Rumah Tangga"). An alias two items share ("SKOR Keberadaan Aktivitas Posyandu") thus goes to the
    item whose other names agree, never to both.
    """
    items = headers[ID_COLUMNS:]
    keys = {int(r.structure_no): item_key(r.ITEM) for r in structure.itertuples()}
    by_key: dict[str, list[int]] = {}
    for no, k in keys.items():
        by_key.setdefault(k, []).append(no)
    taken: dict[int, int] = {}  # structure_no -> item_no
    mapped: dict[int, tuple[int, str]] = {}  # item_no -> (structure_no, how)

    def free(candidates: list[int]) -> list[int]:
        return [c for c in candidates if c not in taken]

    def claim(item_no: int, structure_no: int, how: str) -> None:
        taken[structure_no] = item_no
        mapped[item_no] = (structure_no, how)

    rounds = (
        ("standard", lambda e: [item_key(e["standard"])]),
        ("alias", lambda e: [item_key(a) for a in e["aliases"]]),
        ("enumerator", lambda e: [item_key(n, True) for n in [e["standard"], *e["aliases"]]]),
    )
    for how, names in rounds:
        changed = True
        while changed:  # an item claimed in this round can free the choice of another
            changed = False
            for n, entry in enumerate(items, start=1):
                if n in mapped:
                    continue
                found = {c for k in names(entry) for c in free(by_key.get(k, []))}
                if len(found) == 1:
                    claim(n, found.pop(), how)
                    changed = True
    for n, entry in enumerate(items, start=1):
        if n in mapped:
            continue
        mine = [item_key(x, True) for x in [entry["standard"], *entry["aliases"]]]
        found = {no for no, k in keys.items() if no not in taken and len(k) >= _PREFIX_MIN
                 for m in mine if len(m) >= _PREFIX_MIN and (m.startswith(k) or k.startswith(m))}
        if len(found) == 1:
            claim(n, found.pop(), "prefix")
    rows = [{"item_no": n, "standard": e["standard"], "aliases": list(e["aliases"]),
             "structure_no": mapped.get(n, (None, None))[0], "mapped_by": mapped.get(n, (None, None))[1]}
            for n, e in enumerate(items, start=1)]
    out = pd.DataFrame(rows)
    out["structure_no"] = out["structure_no"].astype("Int64")
    out["mapped_by"] = out["mapped_by"].astype("str")
    return out


def catalogue(headers_path: Path, structure_path: Path, actions_path: Path) -> pd.DataFrame:
    """The item catalogue (``CATALOGUE_COLUMNS``); see the module docstring."""
    headers, structure, actions = read_headers(headers_path), read_structure(structure_path), read_actions(actions_path)
    unknown_dims = sorted(set(structure["DIMENSI"].str.strip()) - set(BY_SOURCE))
    if unknown_dims:
        raise ValueError(f"Indeks Desa structure: unknown dimensions {unknown_dims}; expected {sorted(BY_SOURCE)}")
    out = map_items(headers, structure)
    s = structure.set_index("structure_no")
    at = out["structure_no"]

    def col(name: str) -> pd.Series:
        return at.map(s[name].str.strip()).astype("str")

    out["item"] = col("ITEM")
    out["dimension"] = at.map(s["DIMENSI"].str.strip().map(lambda d: BY_SOURCE[d].code)).astype("str")
    out["sub_dimension"] = col("SUB DIMENSI")
    out["indicator"] = col("INDIKATOR")
    for level, src in (("pusat", "PUSAT"), ("provinsi", "PROVINSI"), ("kabupaten", "KABUPATEN"), ("desa", "DESA"),
                       ("lainnya", "Lainnya")):
        out[level] = col(f"PELAKSANA KEGIATAN {src}")
    out["dinas_pmd_provinsi"] = out["provinsi"].map(names_dinas_pmd).astype(bool)
    out["dinas_pmd_kabupaten"] = out["kabupaten"].map(names_dinas_pmd).astype(bool)
    for score in range(SCORE_MIN, SCORE_MAX + 1):
        out[f"action_{score}"] = out["standard"].map(lambda k, sc=score: (actions.get(k) or {}).get(str(sc))).astype("str")
    return out[CATALOGUE_COLUMNS]


def mapping_report(cat: pd.DataFrame, structure_rows: int) -> dict:
    """How the header items map to the structure: counts per method, the worded-differently pairs, the header
    items that map to no structure item, the structure items no header names."""
    scored = cat[cat["structure_no"].notna()]
    reworded = scored[scored["mapped_by"] != "standard"]
    return {
        "header_items": len(cat),
        "structure_items": structure_rows,
        "mapped": len(scored),
        "mapped_by": {k: int(v) for k, v in scored["mapped_by"].value_counts().sort_index().items()},
        "worded_differently": [{"header": h, "structure": i, "by": b}
                               for h, i, b in zip(reworded["standard"], reworded["item"], reworded["mapped_by"],
                                                  strict=True)],
        "header_items_unmapped": cat.loc[cat["structure_no"].isna(), "standard"].tolist(),
        "structure_items_unmapped": int(structure_rows - scored["structure_no"].nunique()),
        "dinas_pmd_items": int((scored["dinas_pmd_provinsi"] | scored["dinas_pmd_kabupaten"]).sum()),
    }
