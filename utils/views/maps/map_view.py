"""The map page's view, composed from plain inputs: the message the choropleth component receives, the
slide PNG and the values table behind the colours.

No streamlit and no file writes here: ``utils/ui/peta.py`` caches these per data version and mounts the
component; the static GeoJSON the message points to is written by the build and ``served.ensure_current``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from utils.data import geo_static
from utils.i18n import fmt_date, t
from utils.views.exports import excel
from utils.views.maps import choropleth
from utils.views.maps.choropleth import Classed, LayerPlan


@dataclass
class MapView:
    """What the page shows around the map: the plan, the classes, the values frame."""

    plan: LayerPlan
    classed: Classed
    frame: pd.DataFrame
    message: dict | None  # None when the boundary file is missing
    missing_file: str | None

    @cached_property
    def payload(self) -> str | None:
        """The message as compact JSON text (Streamlit's own encoding adds a space per separator)."""
        return json.dumps(self.message, ensure_ascii=False, separators=(",", ":")) if self.message else None


def scope(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """The rows of ``frame`` (indexed by region code) under ``prefix`` (all for an empty prefix)."""
    return frame[frame.index.str.startswith(prefix)] if prefix else frame


def compose(plan: LayerPlan, classed: Classed, frame: pd.DataFrame, extras: pd.Series, manifest: dict,
            folder: Path, kec: str | None, selected: str | None, lang: str, tiles: str | None,
            missing_source: str | None = None) -> MapView:
    """The view of one plan: the component's message pointing at the static files listed in ``manifest``
    (under ``folder``), or the file to name when the layer's file is missing. ``kec``: the kecamatan in the
    filter (its villages get the thicker border)."""
    entry = manifest.get(plan.file)
    if entry is None or not (folder / entry["file"]).is_file():
        return MapView(plan, classed, frame, None, missing_source or f"static/geo/{plan.file}.geojson")

    def url(file_key: str) -> str:
        e = manifest[file_key]
        return f"{geo_static.static_url(folder)}/{e['file']}?v={e['hash']}"

    villages = plan.by == "code"
    layer = {"url": url(plan.file), "filter": plan.prefix, "key": plan.key,
             "weight": 0.35 if villages and not kec else 0.8}
    outline = None
    if plan.outline_file and plan.outline_file in manifest:
        outline = {"url": url(plan.outline_file), "filter": plan.outline_prefix,
                   "key": f"{plan.outline_file}|{plan.outline_prefix}"}
    msg = choropleth.message(classed, layer, extras, outline, selected=selected, lang=lang)
    msg["tiles"] = tiles or None  # optional basemap URL template; none by default
    msg["texts"] = {"fetch_error": t("map_fetch_error", lang), "leaflet_error": t("map_leaflet_error", lang)}
    return MapView(plan, classed, frame, msg, None)


def png(view: MapView, boundaries, outline_layer, as_of: dt.date, selected: str | None, region_label: str,
        lang: str, ds) -> bytes:
    """The map as a slide PNG: ``boundaries`` is the plan level's layer, ``outline_layer`` the layer drawn as
    outlines (``outline_level``; None: none); both are cut to the plan's region here."""
    from utils.views.maps import png as png_writer  # matplotlib: only when a PNG is asked for

    plan = view.plan
    gdf = boundaries[boundaries["code"].str.startswith(plan.prefix)] if plan.prefix else boundaries
    outline = None
    if outline_layer is not None:
        outline = outline_layer[outline_layer["code"].str.startswith(plan.outline_prefix)] \
            if plan.outline_prefix else outline_layer
    title = t("map_png_title", lang, metric=view.classed.title, region=region_label, date=fmt_date(as_of, lang))
    return png_writer.render_png(gdf, view.classed, title, t("office", lang), outline, selected=selected,
                                 marker=excel.demo_note(ds, lang))


def outline_level(plan: LayerPlan, kec: str | None) -> str | None:
    """The boundary level drawn as outlines on the PNG (the villages of a whole kabupaten or province), if any."""
    return plan.outline_file.split("/")[0] if plan.outline_file and plan.level == "desa" and not kec else None


def values_csv(view: MapView, names: dict[str, str], ds, lang: str) -> bytes:
    """The drawn regions with their value and class as CSV (``excel.csv_bytes``: demo column, BOM)."""
    labels = [label for _, label in view.classed.legend]
    table = pd.DataFrame({
        "kode": view.classed.cls.index,
        t("map_col_region", lang): [names.get(c, c) for c in view.classed.cls.index],
        t("map_col_value", lang): view.classed.value.to_numpy(),
        t("map_col_class", lang): [labels[c] for c in view.classed.cls],
    })
    return excel.csv_bytes(table, ds, lang)
