"""Folium map builders drawn with the app's own Leaflet (no CDN): data in, map out."""

from __future__ import annotations

import folium
import geopandas as gpd

from utils.assets import LEAFLET_CSS_URL, LEAFLET_JS_URL

HIGHLIGHT = "#0B6E4F"


def offline_map(**kwargs: object) -> folium.Map:
    """A folium Map that loads only Leaflet, from the app's static folder, with no basemap tiles.

    folium's defaults pull jQuery, Bootstrap and Font Awesome from public CDNs; none is needed for
    vector layers, and the map must draw on a laptop with no internet.
    """
    fmap = folium.Map(tiles=None, prefer_canvas=True, control_scale=True, zoom_snap=0.25, **kwargs)
    fmap.default_js = [("leaflet", LEAFLET_JS_URL)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS_URL)]
    return fmap


def locator_map(context: gpd.GeoDataFrame, focus: gpd.GeoDataFrame) -> folium.Map:
    """Outlines of ``context`` (grey) with ``focus`` filled, zoomed to the focus.

    Both frames: code, name, geometry in EPSG:4326 (display-simplified boundaries).
    """
    fmap = offline_map(zoom_control=True, scrollWheelZoom=False)
    folium.GeoJson(
        context[["code", "name", "geometry"]],
        name="context",
        style_function=lambda _: {"color": "#6b6b6b", "weight": 1, "fillColor": "#f2f2f2", "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
    ).add_to(fmap)
    if not focus.empty:
        folium.GeoJson(
            focus[["code", "name", "geometry"]],
            name="focus",
            style_function=lambda _: {"color": HIGHLIGHT, "weight": 2.5, "fillColor": HIGHLIGHT, "fillOpacity": 0.45},
            tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        ).add_to(fmap)
        bounds = focus.total_bounds
    else:
        bounds = context.total_bounds
    fmap.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]], padding=(10, 10))
    return fmap
