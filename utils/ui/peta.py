"""Streamlit glue of the map page: the choropleth component (components v2, no iframe), cached
messages, the click → region filter loop and the server-side PNG.

The component's script lives in ``utils/views/maps/component/`` (plain JS/CSS, no build step). A rerun
sends only the message built by ``choropleth.message`` (codes, classes, strings); the geometry is
the static GeoJSON the browser fetched once.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from utils.data import geo_static, served
from utils.metrics import indicators
from utils.ui import shared
from utils.ui.cache import versioned
from utils.views.maps import choropleth, map_view
from utils.views.maps.map_view import MapView

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


@st.cache_resource(show_spinner=False, max_entries=4)
def _manifest(folder: str, mtime: float) -> dict:
    return geo_static.read_manifest(Path(folder))


def manifest() -> dict:
    """The static GeoJSON manifest of the current boundary folder (re-read when the file changes)."""
    path = geo_static.static_dir() / geo_static.MANIFEST
    return _manifest(str(path.parent), path.stat().st_mtime if path.exists() else 0.0)


@versioned(max_entries=24)
def _frame(as_of: dt.date, by: str, _snapshot: pd.DataFrame) -> pd.DataFrame:
    ind = indicators.region_indicators(_snapshot, by)
    if by == "code":
        return choropleth.village_values(ind, _snapshot, as_of)
    return choropleth.region_values(ind, as_of)


def values_frame(snapshot: pd.DataFrame, as_of: dt.date, by: str) -> pd.DataFrame:
    """Indicator rows for ``by`` at ``as_of`` (cached; shared, never mutate)."""
    return _frame(as_of, by, snapshot)


@versioned(max_entries=24)
def _extras(as_of: dt.date, by: str, prefix: str, lang: str, _snapshot: pd.DataFrame) -> pd.Series:
    # Tooltip lines do not depend on the metric: a metric change reuses them.
    return choropleth.tooltip_extras(map_view.scope(_frame(as_of, by, _snapshot), prefix), by == "code", lang)


@versioned(max_entries=64)
def _view(as_of: dt.date, metric_key: str, kab: str | None, kec: str | None, desa: str | None,
          show_villages: bool, lang: str, manifest_sig: str, missing_source: str | None,
          _snapshot: pd.DataFrame) -> MapView:
    plan = choropleth.layer_plan(kab, kec, show_villages, len(_snapshot))
    frame = map_view.scope(_frame(as_of, plan.by, _snapshot), plan.prefix)
    classed = choropleth.layer_classes(shared.dataset(), frame, plan.by == "code", metric_key, as_of, lang)
    return map_view.compose(plan, classed, frame, _extras(as_of, plan.by, plan.prefix, lang, _snapshot), manifest(),
                            geo_static.static_dir(), kec, desa, lang, os.environ.get("SV_MAP_TILES"), missing_source)


def build_view(ctx: shared.PageContext, metric_key: str, show_villages: bool) -> MapView:
    """The cached map view of the page's filter state (server work of a warm rerun: a cache hit). Reads the
    static files the build and the data load keep current; a page run never writes them."""
    s = ctx.state
    found = manifest()
    missing = served.missing_map_file(found)
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
    level = map_view.outline_level(_view.plan, kec)
    return map_view.png(_view, shared.boundaries(_view.plan.level), shared.boundaries(level) if level else None,
                        as_of, desa, region_label, lang, shared.dataset())


def png_bytes(ctx: shared.PageContext, metric_key: str, show_villages: bool, view: MapView, region_label: str) -> bytes:
    """The map as a slide PNG (rendered once per view, on the first download click)."""
    s = ctx.state
    return _png(ctx.as_of, metric_key, s.kab, s.kec, s.desa, show_villages, ctx.lang,
                region_label, view)


def values_csv(view: MapView, names: dict[str, str], lang: str) -> bytes:
    """The drawn regions with their value and class as CSV (demo column, BOM)."""
    return map_view.values_csv(view, names, shared.dataset(), lang)
