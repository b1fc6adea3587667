"""National-scale synthetic data set for the benchmark: Lampung tiled to about 514 kabupaten.

Indonesia has about 84,000 villages in 7,200 kecamatan and 514 kabupaten/kota. This copies Lampung's
real regions, IDM rows and boundaries tile by tile (each tile shifted east/north so no two overlap and
its kabupaten renamed), drops kecamatan at random outside the first tile until the counts match,
and fills a demo programme store per tile with ``utils.data.demo.generate``. Tile 0 is Lampung itself with
its real codes, so the demo's seeded villages and events stay where they are.

The whole country is presented to the app as ONE province ("18") with 514 kabupaten, so the app reads
it unchanged: point SV_DATA_DIR, SV_GEO_DIR and SV_DATABASE_URL at the output. A kabupaten code keeps
the two-character segment the code slicing expects (``18.KK``); tiles after the first use a letter
first (``18.A0`` … ``18.Z9``), since two digits hold only 99 kabupaten.

    python -m bench.national --out /tmp/sv-national [--kabupaten 514] [--kecamatan 7200]

Synthetic: never stored in the repo (the command refuses an output folder inside it).
"""

from __future__ import annotations

import argparse
import math
import string
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from utils.data import demo, geo_static, paths, store
from utils.domain.codes import BOUNDARY_LEVELS, PROVINCE_CODE

KABUPATEN = 514
KECAMATAN = 7200
SEED = 2024
#: Tiles per row of the grid (7 x 5 tiles span roughly Indonesia's 46° by 17°).
TILES_PER_ROW = 7
#: Gap between tiles, as a share of Lampung's extent.
TILE_GAP = 0.08
_SECOND = string.digits + string.ascii_uppercase


@dataclass(frozen=True)
class Output:
    """Where a generated data set lives, and the environment that points the app at it."""

    root: Path

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def geo_dir(self) -> Path:
        return self.root / "geo"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.data_dir / paths.DEFAULT_DB.name}"

    def env(self) -> dict[str, str]:
        """SV_* variables for the app, the bench or AppTest."""
        return {"SV_DATA_DIR": str(self.data_dir), "SV_GEO_DIR": str(self.geo_dir),
                "SV_DATABASE_URL": self.database_url}


def kab_suffix(index: int) -> str:
    """Two-character kabupaten segment for the ``index``-th kabupaten outside tile 0 (A0, A1, …, Z9, …)."""
    if not 0 <= index < 26 * len(_SECOND):
        raise ValueError(f"kabupaten index {index} out of range")
    return string.ascii_uppercase[index // len(_SECOND)] + _SECOND[index % len(_SECOND)]


def plan(regions: pd.DataFrame, n_kab: int = KABUPATEN, n_kec: int = KECAMATAN, seed: int = SEED) -> pd.DataFrame:
    """Which Lampung kecamatan go into which tile, under which kabupaten code.

    Returns one row per kept (tile, kecamatan): tile, src_kab, src_kec, kab (new code). Tile 0 keeps
    every kecamatan; later tiles lose kecamatan at random (never a kabupaten's last) until the
    kecamatan count is ``n_kec`` (or as close as that rule allows).
    """
    kabs = regions.loc[regions["level"] == "kabupaten", "code"].sort_values().tolist()
    kecs = regions.loc[regions["level"] == "kecamatan", ["code", "kab_code"]].sort_values("code")
    n_tiles = math.ceil(n_kab / len(kabs))
    rows, new_index = [], 0
    for tile in range(n_tiles):
        for src in kabs[: n_kab - tile * len(kabs)]:
            code = src if tile == 0 else f"{PROVINCE_CODE}.{kab_suffix(new_index)}"
            new_index += tile > 0
            for kec in kecs.loc[kecs["kab_code"] == src, "code"]:
                rows.append((tile, src, kec, code))
    out = pd.DataFrame(rows, columns=["tile", "src_kab", "src_kec", "kab"])
    surplus = len(out) - n_kec
    if surplus > 0:
        rng = np.random.default_rng(seed)
        # Droppable: any kecamatan outside tile 0 that is not the first of its kabupaten.
        droppable = np.flatnonzero((out["tile"] > 0).to_numpy() & out.duplicated("kab").to_numpy())
        drop = rng.choice(droppable, size=min(surplus, len(droppable)), replace=False)
        out = out.drop(index=drop).reset_index(drop=True)
    return out


def _offsets(geo: pd.Series, n_tiles: int) -> list[tuple[float, float]]:
    """(dx, dy) in degrees per tile: a grid of Lampung-sized cells with a gap, tile 0 in place."""
    minx, miny, maxx, maxy = geo.total_bounds
    step_x, step_y = (maxx - minx) * (1 + TILE_GAP), (maxy - miny) * (1 + TILE_GAP)
    return [((t % TILES_PER_ROW) * step_x, (t // TILES_PER_ROW) * step_y) for t in range(n_tiles)]


def _rename(codes: pd.Series, kab_map: dict[str, str]) -> pd.Series:
    """Replace the ``18.KK`` prefix of every code by its tile's kabupaten code."""
    codes = codes.astype("str")
    return codes.str[:5].map(kab_map) + codes.str[5:]


def _regions(lampung: pd.DataFrame, tile: int, kept: pd.DataFrame, dx: float, dy: float) -> pd.DataFrame:
    kab_map = dict(zip(kept["src_kab"], kept["kab"], strict=False))
    r = lampung[lampung["level"] != "provinsi"]
    r = r[r["kab_code"].isin(kab_map) & (r["kec_code"].isna() | r["kec_code"].isin(set(kept["src_kec"])))].copy()
    if tile:
        for col in ("code", "kab_code", "kec_code"):
            r[col] = _rename(r[col], kab_map).where(r[col].notna(), None)
        r["parent"] = _rename(r["parent"], kab_map).where(r["level"] != "kabupaten", PROVINCE_CODE)
        kab_rows = r["level"] == "kabupaten"
        label = f" {tile + 1:02d}"  # "Kabupaten Tanggamus 07": a kabupaten name says which tile it is
        r.loc[kab_rows, "name"] = r.loc[kab_rows, "name"] + label
        r.loc[kab_rows, "display_name"] = r.loc[kab_rows, "display_name"] + label
        r["rep_lon"] = r["rep_lon"] + dx
        r["rep_lat"] = r["rep_lat"] + dy
    return r


def _programme(lampung: pd.DataFrame, idm: pd.DataFrame, tile: int, kab_map: dict[str, str],
               src_villages: set[str], names: dict[str, str], seed: int,
               participant_offset: int) -> dict[str, pd.DataFrame]:
    """The demo tables of one tile: generated over Lampung, cut to the kept villages, moved to the tile's codes."""
    f = demo.generate(lampung, idm, seed + tile)
    for name in ("adoption", "services", "officers", "bimtek_participants"):
        f[name] = f[name][f[name]["village_code"].isin(src_villages)].reset_index(drop=True)
    ev = f["bimtek_events"]
    ev = ev[ev["kab_codes"].str.split(",").map(lambda ks: any(k in kab_map for k in ks))].copy()
    venues = f["bimtek_venues"][f["bimtek_venues"]["event_id"].isin(ev["event_id"])].copy()
    parts = f["bimtek_participants"][f["bimtek_participants"]["event_id"].isin(ev["event_id"])].reset_index(drop=True)
    att = f["meeting_attendance"]
    att = att[att["officer_id"].isin(set(f["officers"]["officer_id"]))].copy()
    targets = f["targets"][f["targets"]["region_code"].isin([PROVINCE_CODE, *kab_map])].copy()
    if tile:
        for name in ("adoption", "services", "officers"):
            f[name] = f[name].assign(village_code=_rename(f[name]["village_code"], kab_map))
        parts["village_code"] = _rename(parts["village_code"], kab_map)
        officers = f["officers"]
        new_ids = "OSV-" + officers["village_code"].str.replace(".", "", regex=False)
        att["officer_id"] = att["officer_id"].map(dict(zip(officers["officer_id"], new_ids, strict=True)))
        officers["officer_id"] = new_ids
        event_id = {e: f"{e}-{tile:02d}" for e in ev["event_id"]}
        ev["event_id"] = ev["event_id"].map(event_id)
        venues["event_id"] = venues["event_id"].map(event_id)
        parts["event_id"] = parts["event_id"].map(event_id)
        ev["kab_codes"] = ev["kab_codes"].str.split(",").map(lambda ks: ",".join(kab_map[k] for k in ks if k in kab_map))
        ev["reported_scope"] = ev["reported_scope"].map(
            lambda c: kab_map[c[:5]] + c[5:] if isinstance(c, str) and c[:5] in kab_map else None).astype("str")
        for src, new in kab_map.items():  # titles and organisers name the kabupaten
            for col in ("title", "organiser"):
                ev[col] = ev[col].str.replace(names[src], names[new], regex=False)
        # The province's targets and meetings come from tile 0 only; attendance joins them from every tile.
        targets = targets[targets["region_code"] != PROVINCE_CODE].assign(region_code=lambda t: t["region_code"].map(kab_map))
        f["meetings"] = f["meetings"].iloc[0:0]
    parts["participant_id"] = np.arange(1, len(parts) + 1) + participant_offset
    f.update(bimtek_events=ev, bimtek_venues=venues, bimtek_participants=parts, meeting_attendance=att, targets=targets)
    return f


def _inverse(villages: set[str], kab_map: dict[str, str]) -> list[str]:
    back = {new: src for src, new in kab_map.items()}
    return [back[v[:5]] + v[5:] for v in villages if v[:5] in back]


def generate(source_data: Path, source_geo: Path, out: Output, n_kab: int = KABUPATEN, n_kec: int = KECAMATAN,
             seed: int = SEED, log=print) -> dict[str, int]:
    """Write the national data set to ``out``; returns its counts. Reads Lampung from the given folders."""
    import geopandas as gpd  # the generator alone needs it; keeps `import bench.national` light

    t0 = time.perf_counter()
    lampung = pd.read_parquet(source_data / paths.REGIONS.name)
    idm = pd.read_parquet(source_data / paths.IDM.name)
    recs = pd.read_parquet(source_data / paths.IDM_RECOMMENDATIONS.name)
    layout = plan(lampung, n_kab, n_kec, seed)
    n_tiles = int(layout["tile"].max()) + 1
    geo = {(level, display): gpd.read_parquet(source_geo / paths.boundary_path(level, display).name)
           for level in BOUNDARY_LEVELS for display in (False, True)}
    offsets = _offsets(geo[("kabupaten", False)].geometry, n_tiles)
    all_names = dict(zip(lampung["code"], lampung["name"], strict=True))

    regions: list[pd.DataFrame] = []
    idms: list[pd.DataFrame] = []
    recs_out: list[pd.DataFrame] = []
    shapes: dict[tuple[str, bool], list[gpd.GeoDataFrame]] = {key: [] for key in geo}
    tables: dict[str, list[pd.DataFrame]] = {name: [] for name in store.DATA_TABLES}
    n_parts = 0
    for tile in range(n_tiles):
        kept = layout[layout["tile"] == tile]
        kab_map = dict(zip(kept["src_kab"], kept["kab"], strict=False))
        dx, dy = offsets[tile]
        r = _regions(lampung, tile, kept, dx, dy)
        regions.append(r)
        villages = set(r.loc[r["level"] == "desa", "code"])
        src_villages = villages if tile == 0 else set(_inverse(villages, kab_map))
        for frame, bucket in ((idm, idms), (recs, recs_out)):
            part = frame[frame["code"].isin(src_villages)]
            bucket.append(part.assign(code=_rename(part["code"], kab_map)) if tile else part)
        for key, layer in geo.items():
            level_codes = set(r.loc[r["level"] == key[0], "code"])
            part = layer[layer["code"].isin(level_codes if tile == 0 else set(_inverse(level_codes, kab_map)))]
            if tile:
                part = part.assign(code=_rename(part["code"], kab_map),
                                   geometry=part.geometry.translate(xoff=dx, yoff=dy))
                if key[0] == "kabupaten":
                    part["name"] = part["code"].map(dict(zip(r["code"], r["name"], strict=True)))
            shapes[key].append(part)
        names = {**all_names, **dict(zip(r["code"], r["name"], strict=True))}
        frames = _programme(lampung, idm, tile, kab_map, src_villages, names, seed, n_parts)
        n_parts += len(frames["bimtek_participants"])
        for name, frame in frames.items():
            tables[name].append(frame)
        log(f"  tile {tile + 1}/{n_tiles}: {len(kab_map)} kabupaten, {len(kept)} kecamatan, {len(villages):,} villages")

    province = lampung[lampung["level"] == "provinsi"].copy()
    province[["name", "display_name"]] = ["Indonesia (sintetis)", "Nasional (data sintetis)"]
    all_regions = pd.concat([province, *regions], ignore_index=True).sort_values("code", ignore_index=True)
    out.data_dir.mkdir(parents=True, exist_ok=True)
    out.geo_dir.mkdir(parents=True, exist_ok=True)
    all_regions.to_parquet(out.data_dir / paths.REGIONS.name, index=False)
    pd.concat(idms, ignore_index=True).to_parquet(out.data_dir / paths.IDM.name, index=False)
    pd.concat(recs_out, ignore_index=True).to_parquet(out.data_dir / paths.IDM_RECOMMENDATIONS.name, index=False)
    # The Indeks Desa item catalogue holds no region: the same for any set.
    pd.read_parquet(source_data / paths.INDEKS_DESA_ITEMS.name).to_parquet(out.data_dir / paths.INDEKS_DESA_ITEMS.name,
                                                                          index=False)
    for (level, display), parts in shapes.items():
        layer = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=geo[(level, display)].crs)
        layer.to_parquet(out.geo_dir / paths.boundary_path(level, display).name, index=False)
    # The map's static GeoJSON, as the province's build writes it: otherwise the app's first request writes
    # it (83,483 villages, one file per kabupaten) before the first page is drawn.
    geo_static.write_all(all_regions, out.geo_dir, geo_static.static_dir(out.geo_dir))
    t1 = time.perf_counter()
    frames = {name: pd.concat(parts, ignore_index=True) for name, parts in tables.items()}
    frames["meeting_attendance"] = frames["meeting_attendance"].drop_duplicates(ignore_index=True)
    db = out.data_dir / paths.DEFAULT_DB.name
    db.unlink(missing_ok=True)
    engine = store.get_engine(out.database_url)
    store.replace_all(engine, frames, {**demo.demo_meta(seed), "national_synthetic": "1",
                                       "national_tiles": str(n_tiles)})
    engine.dispose()
    t2 = time.perf_counter()
    counts = all_regions["level"].value_counts().to_dict()
    counts.update({f"rows_{name}": len(frame) for name, frame in frames.items()})
    log(f"  files written in {t1 - t0:.1f} s (map files: {geo_static.static_dir(out.geo_dir)}), "
        f"programme store in {t2 - t1:.1f} s")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="output folder (outside the repo)")
    parser.add_argument("--kabupaten", type=int, default=KABUPATEN)
    parser.add_argument("--kecamatan", type=int, default=KECAMATAN)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    out = Output(args.out.resolve())
    if out.root.is_relative_to(paths.ROOT.resolve()):
        print(f"ERROR: {out.root} is inside the repository; the synthetic set must live elsewhere", file=sys.stderr)
        return 2
    if not paths.REGIONS.exists():
        print(f"ERROR: {paths.REGIONS} is missing; run `python -m utils build` first", file=sys.stderr)
        return 1
    print(f"national synthetic data set -> {out.root}")
    counts = generate(paths.DATA_DIR, paths.GEO_DIR, out, args.kabupaten, args.kecamatan, args.seed)
    print("  " + ", ".join(f"{k}: {v:,}" for k, v in counts.items()))
    print("point the app at it with:")
    print("  " + " ".join(f"{k}={v}" for k, v in out.env().items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
