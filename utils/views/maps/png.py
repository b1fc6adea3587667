"""The current map as a PNG for slides, rendered on the server (geopandas + matplotlib, no browser).

Same classes, colours and legend as the browser map (``choropleth.Classed``).
"""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")  # no display on a server
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from utils.views.maps.choropleth import NO_DATA, Classed, colours_for  # noqa: E402

MARKER_RED = "#B01E1E"
#: Slide size in pixels (16:10 at 100 dpi).
WIDTH_PX, HEIGHT_PX, DPI = 1600, 1000, 100


def render_png(gdf, classed: Classed, title: str, subtitle: str = "", outline=None,
               selected: str | None = None, marker: str | None = None) -> bytes:
    """PNG bytes of ``gdf`` (code, geometry) filled by ``classed``; ``outline``: optional layer
    drawn as dark lines on top (the level above), ``selected``: a code drawn with a thick edge,
    ``marker``: "Data contoh" while the data holds demo rows, drawn in the image's top right corner (where a
    slide cannot crop it off without cropping the title) and kept in the PNG's Description."""
    fig = plt.figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    ax = fig.add_axes((0.01, 0.02, 0.68, 0.86))
    try:
        colours = colours_for(classed).reindex(gdf["code"]).fillna(NO_DATA).to_numpy()
        dashed = colours == NO_DATA
        many = len(gdf) > 500
        gdf.plot(ax=ax, color=colours, edgecolor="#555555", linewidth=0.15 if many else 0.5)
        if dashed.any():
            gdf[dashed].plot(ax=ax, facecolor="none", edgecolor="#777777", linewidth=0.6, linestyle="--")
        if outline is not None and len(outline):
            outline.boundary.plot(ax=ax, color="#222222", linewidth=1.1)
        if selected is not None:
            sel = gdf[gdf["code"] == selected]
            if len(sel):
                sel.boundary.plot(ax=ax, color="#111111", linewidth=2.5)
        ax.set_axis_off()
        ax.set_aspect("equal")
        fig.text(0.01, 0.965, title, fontsize=20, fontweight="bold", va="top")
        if subtitle:
            fig.text(0.01, 0.92, subtitle, fontsize=12, color="#444444", va="top")
        handles = [Patch(facecolor=c, edgecolor="#555555", linestyle="--" if c == NO_DATA else "-", label=label)
                   for c, label in classed.legend]
        fig.legend(handles=handles, title=classed.title, loc="center left", bbox_to_anchor=(0.70, 0.5),
                   frameon=False, fontsize=12, title_fontsize=13, alignment="left")
        if marker:
            fig.text(0.99, 0.965, marker, fontsize=18, fontweight="bold", color=MARKER_RED, ha="right", va="top")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, facecolor="white",
                    metadata={"Description": marker} if marker else None)
        return buf.getvalue()
    finally:
        plt.close(fig)
