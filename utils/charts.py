"""Plotly figure builders: data in, figure out. No streamlit, no I/O."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from utils.i18n import fmt_int, fmt_month, t

#: IDM status colours, ordered from best to worst (colour-blind safe, sequential green → red-brown).
IDM_COLOURS = {
    "Mandiri": "#1a9850", "Maju": "#91cf60", "Berkembang": "#fee08b",
    "Tertinggal": "#fc8d59", "Sangat Tertinggal": "#d73027",
}
PRIMARY = "#0B6E4F"
_LAYOUT = dict(margin=dict(l=10, r=10, t=10, b=10), height=240,
               font=dict(family="DejaVu Sans, Source Sans Pro, sans-serif", size=13))


def _layout(lang: str) -> dict:
    """Shared layout; ``separators`` is plotly's "decimal, thousands" pair (1.234,5 in Indonesian)."""
    return {**_LAYOUT, "separators": ".," if lang == "en" else ",."}


def joined_trend(monthly: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Small line of cumulative desa joined per month (columns month, joined)."""
    labels = [fmt_month(m.date(), lang) for m in monthly["month"]]
    fig = go.Figure(go.Scatter(
        x=monthly["month"], y=monthly["joined"], mode="lines", line=dict(color=PRIMARY, width=3),
        fill="tozeroy", fillcolor="rgba(11,110,79,0.12)",
        customdata=labels,
        # Numbers use the layout's separators (Indonesian "1.234" by default).
        hovertemplate="%{customdata}: <b>%{y:,d}</b> desa<extra></extra>",
    ))
    fig.update_layout(**_layout(lang), showlegend=False)
    fig.update_yaxes(title=t("joined_cum", lang), rangemode="tozero", tickformat=",d")
    if monthly["joined"].max() <= 5:  # a kecamatan or village: whole-number ticks only
        fig.update_yaxes(dtick=1)
    fig.update_xaxes(title=None)
    return fig


def idm_status_bar(counts: dict[str, int], lang: str = "id") -> go.Figure:
    """Horizontal bar of desa per IDM status, best status on top."""
    statuses = list(counts)[::-1]
    values = [counts[s] for s in statuses]
    fig = go.Figure(go.Bar(
        x=values, y=statuses, orientation="h", marker_color=[IDM_COLOURS.get(s, "#999") for s in statuses],
        text=[fmt_int(v, lang) for v in values], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: <b>%{text}</b> desa<extra></extra>",
    ))
    fig.update_layout(**_layout(lang), showlegend=False)
    # Room on the right so the outside labels (e.g. "1.087") are never clipped.
    fig.update_xaxes(title=t("villages_count", lang), tickformat=",d", range=[0, max(values + [1]) * 1.18])
    return fig
