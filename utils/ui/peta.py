"""Streamlit glue of the map page: the choropleth component (components v2, no iframe), cached
messages, the click → region filter loop and the server-side PNG.

The component's script lives in ``utils/views/maps/component/`` (plain JS/CSS, no build step). A rerun
sends only the message built by ``choropleth.message`` (codes, classes, strings); the geometry is
the static GeoJSON the browser fetched once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import streamlit as st

from utils.data import geo_static, served
from utils.domain.codes import BOUNDARY_LEVELS
from utils.i18n import fmt_date, t
from utils.metrics import indicators
from utils.ui import shared
from utils.ui.cache import versioned
from utils.views.exports import excel
from utils.views.maps import choropleth
from utils.views.maps.choropleth import Classed, LayerPlan

_SRC = Path(__file__).resolve().parents[1] / "views" / "maps" / "component"
#: Streamlit element key of the map; the click trigger is read from st.session_state[MAP_KEY].
MAP_KEY = "sv_peta_map"
_COMPONENT = st.components.v2.component(
    "sv_choropleth",
    html='<div class="sv-map"></div>\n<div class="sv-map-status"></div>',
    css=(_SRC / "choropleth.css").read_text(encoding="utf-8"),
    js=(_SRC / "choropleth.js").read_text(encoding="utf-8"),
    isolate_styles=False,  # Leaflet's own stylesheet is global
)


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


@st.cache_resource(show_spinner=False, max_entries=4)
def _manifest(folder: str, mtime: float) -> dict:
    return geo_static.read_manifest(Path(folder))


def manifest() -> dict:
    """The static GeoJSON manifest of the current boundary folder (re-read when the file changes)."""
    path = geo_static.static_dir() / geo_static.MANIFEST
    return _manifest(str(path.parent), path.stat().st_mtime if path.exists() else 0.0)


@st.cache_resource(show_spinner=False, max_entries=4)
def _ensure_static(geo_dir: str, folder: str, stamps: tuple) -> str | None:
    # Rewrites the static files when missing or older than the display layers (a data set at
    # another SV_GEO_DIR, a boundary import); returns the missing display layer, if any.
    missing = [p for p in BOUNDARY_LEVELS if not (Path(geo_dir) / f"{p}_display.parquet").is_file()]
    if missing:
        return f"geo/{missing[0]}_display.parquet"
    if not geo_static.static_current(Path(geo_dir), Path(folder)):
        try:
            geo_static.write_all(shared.dataset().regions, Path(geo_dir), Path(folder))
        except OSError:  # e.g. a read-only install: name what is missing instead of a traceback
            return f"static/geo/{geo_static.MANIFEST}"
    return None


def ensure_static() -> str | None:
    """Make sure the browser has boundary files to fetch; returns a missing source file or None."""
    geo_dir = served.display_dir()  # the build's display layers, or the served ones while imports apply
    stamps = tuple((geo_dir / f"{p}_display.parquet").stat().st_mtime if (geo_dir / f"{p}_display.parquet").exists()
                   else 0.0 for p in BOUNDARY_LEVELS)
    folder = geo_static.static_dir()
    marker = folder / geo_static.MANIFEST
    return _ensure_static(str(geo_dir), str(folder), stamps + (marker.stat().st_mtime if marker.exists() else 0.0,))


@versioned(max_entries=24)
def _frame(as_of: dt.date, by: str, _snapshot: pd.DataFrame) -> pd.DataFrame:
    ind = indicators.region_indicators(_snapshot, by)
    if by == "code":
        return choropleth.village_values(ind, _snapshot, as_of)
    return choropleth.region_values(ind, as_of)


def values_frame(snapshot: pd.DataFrame, as_of: dt.date, by: str) -> pd.DataFrame:
    """Indicator rows for ``by`` at ``as_of`` (cached; shared, never mutate)."""
    return _frame(as_of, by, snapshot)


def _scope(frame: pd.DataFrame, prefix: str) -> pd.DataFrame:
    return frame[frame.index.str.startswith(prefix)] if prefix else frame


@versioned(max_entries=24)
def _extras(as_of: dt.date, by: str, prefix: str, lang: str, _snapshot: pd.DataFrame) -> pd.Series:
    # Tooltip lines do not depend on the metric: a metric change reuses them.
    return choropleth.tooltip_extras(_scope(_frame(as_of, by, _snapshot), prefix), by == "code", lang)


@versioned(max_entries=64)
def _view(as_of: dt.date, metric_key: str, kab: str | None, kec: str | None, desa: str | None,
          show_villages: bool, lang: str, manifest_sig: str, missing_source: str | None,
          _snapshot: pd.DataFrame) -> MapView:
    plan = choropleth.layer_plan(kab, kec, show_villages, len(_snapshot))
    frame = _scope(_frame(as_of, plan.by, _snapshot), plan.prefix)
    villages = plan.by == "code"
    classed = choropleth.layer_classes(shared.dataset(), frame, villages, metric_key, as_of, lang)
    entries, folder = manifest(), geo_static.static_dir()
    entry = entries.get(plan.file)
    if entry is None or not (folder / entry["file"]).is_file():
        return MapView(plan, classed, frame, None, missing_source or f"static/geo/{plan.file}.geojson")

    def url(file_key: str) -> str:
        e = entries[file_key]
        return f"{geo_static.static_url(folder)}/{e['file']}?v={e['hash']}"

    layer = {"url": url(plan.file), "filter": plan.prefix, "key": plan.key,
             "weight": 0.35 if villages and not kec else 0.8}
    outline = None
    if plan.outline_file and plan.outline_file in entries:
        outline = {"url": url(plan.outline_file), "filter": plan.outline_prefix,
                   "key": f"{plan.outline_file}|{plan.outline_prefix}"}
    extras = _extras(as_of, plan.by, plan.prefix, lang, _snapshot)
    msg = choropleth.message(classed, layer, extras, outline, selected=desa, lang=lang)
    msg["tiles"] = os.environ.get("SV_MAP_TILES") or None  # optional basemap URL template; none by default
    msg["texts"] = {"fetch_error": t("map_fetch_error", lang), "leaflet_error": t("map_leaflet_error", lang)}
    return MapView(plan, classed, frame, msg, None)


def build_view(ctx: shared.PageContext, metric_key: str, show_villages: bool) -> MapView:
    """The cached map view of the page's filter state (server work of a warm rerun: a cache hit)."""
    s = ctx.state
    missing = ensure_static()
    found = manifest()
    sig = str(geo_static.static_dir()) + ",".join(f"{k}:{found[k].get('hash')}" for k in sorted(found)[:3])
    return _view(ctx.as_of, metric_key, s.kab, s.kec, s.desa, show_villages, ctx.lang,
                 f"{sig}|{len(found)}", missing, ctx.snapshot)


def _on_click() -> None:
    # Runs before the script body: the frame then draws the sidebar, breadcrumb and URL for the
    # clicked region in the same rerun (no second st.rerun needed).
    state = st.session_state.get(MAP_KEY)
    code = getattr(state, "clicked", None) if state is not None else None
    if code:
        shared.set_region(str(code))


def draw(view: MapView) -> None:
    """Mount the map component with this rerun's message (keyed: it never remounts on a rerun)."""
    _COMPONENT(key=MAP_KEY, data=view.payload, on_clicked_change=_on_click, height="content")


@versioned(max_entries=16)
def _png(as_of: dt.date, metric_key: str, kab: str | None, kec: str | None, desa: str | None,
         show_villages: bool, lang: str, region_label: str, _view: MapView) -> bytes:
    from utils.views.maps import png

    plan = _view.plan
    gdf = shared.boundaries(plan.level)
    gdf = gdf[gdf["code"].str.startswith(plan.prefix)] if plan.prefix else gdf
    outline = None
    if plan.outline_file and plan.level == "desa" and not kec:
        level = plan.outline_file.split("/")[0]
        outline = shared.boundaries(level)
        outline = outline[outline["code"].str.startswith(plan.outline_prefix)] if plan.outline_prefix else outline
    title = t("map_png_title", lang, metric=_view.classed.title, region=region_label, date=fmt_date(as_of, lang))
    return png.render_png(gdf, _view.classed, title, t("office", lang), outline, selected=desa,
                          marker=excel.demo_note(shared.dataset(), lang))


def png_bytes(ctx: shared.PageContext, metric_key: str, show_villages: bool, view: MapView, region_label: str) -> bytes:
    """The map as a slide PNG (rendered once per view, on the first download click)."""
    s = ctx.state
    return _png(ctx.as_of, metric_key, s.kab, s.kec, s.desa, show_villages, ctx.lang,
                region_label, view)


def values_csv(view: MapView, names: dict[str, str], lang: str) -> bytes:
    """The drawn regions with their value and class as CSV (``excel.csv_bytes``: demo column, BOM)."""
    labels = [label for _, label in view.classed.legend]
    table = pd.DataFrame({
        "kode": view.classed.cls.index,
        t("map_col_region", lang): [names.get(c, c) for c in view.classed.cls.index],
        t("map_col_value", lang): view.classed.value.to_numpy(),
        t("map_col_class", lang): [labels[c] for c in view.classed.cls],
    })
    return excel.csv_bytes(table, shared.dataset(), lang)
