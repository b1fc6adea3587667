"""The current map as a PNG for slides, rendered on the server (geopandas + matplotlib, no browser).

Same classes, colours and legend as the browser map (``choropleth.Classed``).
"""

from __future__ import annotations

import io
import textwrap

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
    ax = fig.add_axes((0.01, 0.02, 0.62, 0.84))
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
        # Long titles (metric, region, date) wrap instead of running off the image.
        lines = textwrap.wrap(title, 78)
        fig.text(0.01, 0.955, "\n".join(lines), fontsize=20, fontweight="bold", va="top", linespacing=1.2)
        if subtitle:
            fig.text(0.01, 0.955 - 0.035 * len(lines) - 0.005, subtitle, fontsize=14, color="#444444", va="top")
        handles = [Patch(facecolor=c, edgecolor="#555555", linestyle="--" if c == NO_DATA else "-", label=label)
                   for c, label in classed.legend]
        # Large enough to read on a projector when the 1600 px image is shown about 900 px wide.
        fig.legend(handles=handles, title=textwrap.fill(classed.title, 32), loc="center left",
                   bbox_to_anchor=(0.64, 0.45), frameon=False, fontsize=16, title_fontsize=16, alignment="left")
        if marker:
            fig.text(0.99, 0.995, marker, fontsize=18, fontweight="bold", color=MARKER_RED, ha="right", va="top")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, facecolor="white",
                    metadata={"Description": marker} if marker else None)
        return buf.getvalue()
    finally:
        plt.close(fig)
