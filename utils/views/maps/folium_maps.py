"""Folium map builders drawn with the app's own Leaflet (no CDN): data in, map out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium

from utils.views.assets import LEAFLET_CSS_URL, LEAFLET_JS_URL

HIGHLIGHT = "#0B6E4F"


def offline_map(**kwargs: Any) -> folium.Map:
    """A folium Map that loads only Leaflet, from the app's static folder, with no basemap tiles.

    folium's defaults pull jQuery, Bootstrap and Font Awesome from public CDNs; none is needed for
    vector layers, and the map must draw on a laptop with no internet.
    """
    fmap = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, zoom_snap=0.25, **kwargs)
    fmap.default_js = [("leaflet", LEAFLET_JS_URL)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS_URL)]
    return fmap


def locator_map(context: dict, focus: dict | None, bounds: Sequence[float]) -> folium.Map:
    """Outlines of ``context`` (grey) with ``focus`` filled, zoomed to ``bounds`` (minx, miny, maxx, maxy).

    ``context``/``focus``: GeoJSON FeatureCollections whose features carry a ``name`` property.
    """
    fmap = offline_map(zoom_control=True, scrollWheelZoom=False)
    layers = [(context, {"color": "#6b6b6b", "weight": 1, "fillColor": "#f2f2f2", "fillOpacity": 0.6})]
    if focus and focus["features"]:
        layers.append((focus, {"color": HIGHLIGHT, "weight": 2.5, "fillColor": HIGHLIGHT, "fillOpacity": 0.45}))
    for data, style in layers:
        folium.GeoJson(data, style_function=lambda _, s=style: s,
                       tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False)).add_to(fmap)
    minx, miny, maxx, maxy = bounds
    fmap.fit_bounds([[miny, minx], [maxy, maxx]], padding=(10, 10))
    return fmap
