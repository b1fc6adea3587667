"""Plotly figure builders: data in, figure out. No streamlit, no I/O."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from utils.i18n import fmt_date, fmt_int, fmt_month, fmt_pct, inert, label_column, number_separators, t
from utils.views.progress_display import rupiah

#: IDM status colours, ordered from best to worst (colour-blind safe, sequential green → red-brown).
IDM_COLOURS = {
    "Mandiri": "#1a9850", "Maju": "#91cf60", "Berkembang": "#fee08b",
    "Tertinggal": "#fc8d59", "Sangat Tertinggal": "#d73027",
}
PRIMARY = "#0B6E4F"
DEMO_RED = "#B01E1E"
DEMO_MARK = "sv-demo"
_LAYOUT = dict(margin=dict(l=10, r=10, t=10, b=10), height=240,
               font=dict(family="DejaVu Sans, Source Sans Pro, sans-serif", size=13))


def mark_demo(fig: go.Figure, note: str | None) -> go.Figure:
    """Put "Data contoh" in ``fig``'s top right corner while demo rows are in the data, so a PNG saved from
    the chart (plotly's camera) says what it is. Marks ``fig`` itself: call it on a figure just built (a
    cached builder's output); ``with_demo_mark`` copies a shared one."""
    if note and not has_demo_mark(fig):
        # Inside the plot's bottom right corner (empty in rankings and cumulative lines; over a bar it keeps a
        # white box): above the plot it would collide with legends and target labels.
        fig.add_annotation(text=f"<b>{note}</b>", xref="paper", yref="paper", x=1, y=0, xanchor="right",
                           yanchor="bottom", showarrow=False, font=dict(color=DEMO_RED, size=12),
                           bgcolor="rgba(255,255,255,0.85)", borderpad=2, name=DEMO_MARK)
    return fig


def has_demo_mark(fig: go.Figure) -> bool:
    return any(getattr(a, "name", None) == DEMO_MARK for a in fig.layout.annotations)


def with_demo_mark(fig: go.Figure, note: str | None) -> go.Figure:
    """``fig`` marked (``mark_demo``); a copy when it still needs the mark (cached figures are shared)."""
    return fig if not note or has_demo_mark(fig) else mark_demo(go.Figure(fig), note)


def _layout(lang: str) -> dict:
    """Shared layout; ``separators`` is plotly's "decimal, thousands" pair (1.234,5 in Indonesian)."""
    return {**_LAYOUT, "separators": number_separators(lang)}


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


# --------------------------------------------------------------------------------------------------
# Progress pages (Adopsi, Pelatihan). Text on bars and in hovers is formatted with utils.i18n so the
# numbers read the same as everywhere else on the page.

TARGET = "#C0392B"
MUTED = "#9AA5B1"
SECONDARY = "#2E86AB"


def _stage_labels(frame: pd.DataFrame, lang: str) -> list[str]:
    return frame[label_column(lang)].tolist()


def stage_funnel(funnel: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Adoption funnel: desa that reached each stage or deeper, with % of desa and step conversion.

    ``funnel``: ``progress.stage_funnel``; the first row (``belum``) is drawn as "all desa"."""
    labels = [t("adp_funnel_all", lang), *_stage_labels(funnel, lang)[1:]]
    text = [f"{fmt_int(r, lang)} · {fmt_pct(p, 1, lang)}" for r, p in zip(funnel["reached"], funnel["pct_of_desa"],
                                                                        strict=True)]
    hover = [t("adp_funnel_hover", lang, stage=lbl, n=fmt_int(r, lang), at=fmt_int(a, lang),
               conv=fmt_pct(c, 1, lang)) for lbl, r, a, c in
             zip(labels, funnel["reached"], funnel["at_stage"], funnel["conversion"], strict=True)]
    fig = go.Figure(go.Funnel(
        y=labels, x=funnel["reached"], text=text, textinfo="text", customdata=hover,
        hovertemplate="%{customdata}<extra></extra>", marker_color=[MUTED, *[PRIMARY] * (len(funnel) - 1)],
        connector=dict(fillcolor="rgba(11,110,79,0.10)"), cliponaxis=False,
    ))
    # A narrow last stage puts its label beside the bar: room for it right of the plot (cut on a 390 px phone).
    fig.update_layout(**{**_layout(lang), "height": 300, "margin": dict(l=10, r=48, t=10, b=10)})
    return fig


def joined_vs_target(frame: pd.DataFrame, lang: str = "id", forecast=None) -> go.Figure:
    """Cumulative desa joined per month against the year-end targets, with the forecast's projection and range.

    ``frame``: ``progress.adoption_chart_frame`` (the same table the deck's PPTX and PDF draw);
    ``forecast``: the ``forecast.Forecast`` (for the hover month)."""
    months = frame["month"]
    real = frame["actual"].notna()
    fig = go.Figure(go.Scatter(
        x=months[real], y=frame.loc[real, "actual"], mode="lines", name=t("adp_actual", lang),
        line=dict(color=PRIMARY, width=3), customdata=[fmt_month(m.date(), lang) for m in months[real]],
        hovertemplate="%{customdata}: <b>%{y:,d}</b> desa<extra></extra>",
    ))
    has = frame["target"].notna()
    if has.any():
        fig.add_trace(go.Scatter(
            x=months[has], y=frame.loc[has, "target"], mode="lines+markers", name=t("adp_target", lang),
            line=dict(color=TARGET, dash="dash", width=2), marker=dict(symbol="diamond", size=9),
            customdata=[t("adp_target_hover", lang, year=m.year, pct=fmt_pct(p, 0, lang), n=fmt_int(d, lang))
                        for m, p, d in zip(months[has], frame.loc[has, "target_pct"], frame.loc[has, "target"],
                                           strict=True)],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    proj = frame["projection"].notna()
    if proj.any():
        when = (forecast.eta or forecast.rest_eta) if forecast is not None else None
        fig.add_trace(go.Scatter(
            x=months[proj], y=frame.loc[proj, "projection"], mode="lines", name=t("adp_projection", lang),
            line=dict(color=SECONDARY, dash="dot", width=2),
            hovertemplate=(t("adp_projection_hover", lang, month=fmt_month(when, lang)) if when else "%{y:,.0f}")
            + "<extra></extra>",
        ))
    band = frame["range"].notna()
    if band.any():
        fig.add_trace(go.Scatter(
            x=months[band], y=frame.loc[band, "range"], mode="lines", name=t("adp_range", lang),
            line=dict(color=SECONDARY, width=10), opacity=0.3, hoverinfo="skip",
        ))
    fig.update_layout(**{**_layout(lang), "height": 320},
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    fig.update_yaxes(title=t("joined_cum", lang), rangemode="tozero", tickformat=",d")
    fig.update_xaxes(title=None)
    return fig


def yearly_vs_target(yearly: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Desa joined at each year end (bars) against that year's target (diamonds)."""
    years = yearly["year"].astype(str)
    fig = go.Figure(go.Bar(
        x=years, y=yearly["joined"], name=t("adp_actual", lang), marker_color=PRIMARY,
        text=[fmt_pct(p, 1, lang) for p in yearly["pct_joined"]], textposition="inside", insidetextanchor="end",
        textangle=0, insidetextfont=dict(color="white"),
        customdata=[fmt_int(v, lang) for v in yearly["joined"]],
        hovertemplate="%{x}: <b>%{customdata}</b> desa (%{text})<extra></extra>",
    ))
    has = yearly["target_desa"].notna()
    fig.add_trace(go.Scatter(
        x=years[has], y=yearly.loc[has, "target_desa"], mode="markers", name=t("adp_target", lang),
        marker=dict(symbol="diamond", size=12, color=TARGET),
        customdata=[t("adp_target_hover", lang, year=int(y), pct=fmt_pct(p, 0, lang), n=fmt_int(d, lang))
                    for y, p, d in yearly.loc[has, ["year", "target_pct", "target_desa"]].itertuples(index=False)],
        hovertemplate="%{customdata}<extra></extra>",
    ))
    top = max(yearly["joined"].max(), yearly["target_desa"].max(skipna=True) if has.any() else 0, 1)
    fig.update_layout(**{**_layout(lang), "height": 320},
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    fig.update_yaxes(title=t("joined_cum", lang), tickformat=",d", range=[0, top * 1.15])
    return fig


def region_bar(frame: pd.DataFrame, value: str, lang: str = "id", *, axis_title: str, target: float | None = None,
               detail: list[str] | None = None, highlight: str | None = None,
               reported: str | None = None) -> go.Figure:
    """Horizontal ranking of regions by a percentage ``value`` (0-100), best on top, with the target line.

    ``frame``: code, name, ``value`` (NaN: not applicable, labelled so and never drawn as 0);
    ``detail``: hover text per row; ``highlight``: a code drawn in the accent colour; ``reported``: a
    boolean column, False where the region has not reported ("belum melapor" instead of a value)."""
    rows = frame.iloc[::-1]
    applies = rows[value].notna()
    missing = ~rows[reported].astype(bool) if reported else pd.Series(False, index=rows.index)
    text = [fmt_pct(v, 1, lang) if ok else t("not_reported" if miss else "not_applicable", lang)
            for v, ok, miss in zip(rows[value], applies, missing, strict=True)]
    colours = [MUTED if not ok else (SECONDARY if c == highlight else PRIMARY)
               for c, ok in zip(rows["code"], applies, strict=True)]
    fig = go.Figure(go.Bar(
        x=rows[value].fillna(0), y=rows["name"], orientation="h", marker_color=colours, text=text,
        # Values inside the bar end so they never collide with the target line; "not applicable" beside it.
        textposition=["inside" if ok else "outside" for ok in applies], insidetextanchor="end",
        insidetextfont=dict(color="white"), cliponaxis=False,
        customdata=(detail[::-1] if detail is not None else text),
        hovertemplate="<b>%{y}</b><br>%{customdata}<extra></extra>",
    ))
    layout = {**_layout(lang), "height": 80 + 24 * len(rows), "margin": dict(l=10, r=60, t=30, b=10)}
    fig.update_layout(**layout, showlegend=False, bargap=0.25)
    fig.update_xaxes(title=axis_title, range=[0, 112], ticksuffix="%")
    if target is not None:
        fig.add_vline(x=target, line=dict(color=TARGET, dash="dash", width=2))
        fig.add_annotation(x=target, y=1, yref="paper", yanchor="bottom", showarrow=False,
                           text=t("prog_target_line", lang, pct=fmt_pct(target, 0, lang)),
                           font=dict(color=TARGET))
    return fig


def pillar_bar(pillars: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Share of the desa using services that use each pillar (``progress.pillar_table``)."""
    labels = _stage_labels(pillars, lang)
    fig = go.Figure(go.Bar(
        x=labels, y=pillars["pct_users"], marker_color=[PRIMARY, SECONDARY, "#F18F01"],
        text=[t("adp_pillar_text", lang, pct=fmt_pct(p, 1, lang), n=fmt_int(d, lang), of=fmt_int(u, lang))
              for p, d, u in zip(pillars["pct_users"], pillars["desa_with"], pillars["users"], strict=True)],
        textposition="outside", cliponaxis=False,
        customdata=[t("adp_pillar_hover", lang, n=fmt_int(s, lang)) for s in pillars["services"]],
        hovertemplate="<b>%{x}</b>: %{text}<br>%{customdata}<extra></extra>",
    ))
    fig.update_layout(**{**_layout(lang), "height": 280, "margin": dict(l=10, r=10, t=30, b=10)}, showlegend=False)
    fig.update_yaxes(title=t("adp_pillar_axis", lang), range=[0, 112], ticksuffix="%")
    return fig


def events_timeline(events: pd.DataFrame, cumulative: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Bimtek events over time (bars: participants from the region per event) and the cumulative
    participants (line, right axis). ``events``: ``progress.event_table``; ``cumulative``: month,
    participants."""
    # Titles and venues are typed by operators: plotly renders its hover text as HTML, so they go in inert.
    hover = [t("btk_event_hover", lang, title=inert.html(r.title), start=fmt_date(r.start_date.date(), lang),
               end=fmt_date(r.end_date.date(), lang), venues=inert.html(r.venues or "–"),
               n=fmt_int(r.participants_here, lang),
               v=fmt_int(r.villages_here, lang)) for r in events.itertuples(index=False)]
    fig = go.Figure(go.Bar(
        x=events["start_date"], y=events["participants_here"], name=t("btk_per_event", lang),
        marker_color=PRIMARY, width=12 * 24 * 3600 * 1000, customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=cumulative["month"], y=cumulative["participants"], mode="lines", name=t("btk_cumulative", lang),
        line=dict(color=SECONDARY, width=3, shape="hv"), yaxis="y2",
        customdata=[fmt_month(m.date(), lang) for m in cumulative["month"]],
        hovertemplate="%{customdata}: <b>%{y:,d}</b><extra></extra>",
    ))
    fig.update_layout(**{**_layout(lang), "height": 320},
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
                      yaxis=dict(title=t("btk_per_event", lang), tickformat=",d", rangemode="tozero",
                                 **_whole_ticks(events["participants_here"])),
                      yaxis2=dict(title=t("btk_cumulative", lang), overlaying="y", side="right",
                                  tickformat=",d", rangemode="tozero", showgrid=False,
                                  **_whole_ticks(cumulative["participants"])))
    return fig


def _whole_ticks(values: pd.Series) -> dict:
    """A count axis with small values gets a tick per whole number: plotly's own ticks would fall on halves,
    which ",d" prints as repeated labels ("2, 2, 1, 1, 0")."""
    top = pd.to_numeric(values, errors="coerce").max() if len(values) else 0
    return {"tickmode": "linear", "tick0": 0, "dtick": 1} if pd.isna(top) or top < 10 else {"tickmode": "auto"}


def roles_bar(roles: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Participants by role (``progress.roles``)."""
    labels = _stage_labels(roles, lang)
    fig = go.Figure(go.Bar(
        x=roles["participants"], y=labels, orientation="h", marker_color=PRIMARY,
        text=[f"{fmt_int(n, lang)} · {fmt_pct(p, 1, lang)}" for n, p in zip(roles["participants"], roles["pct"],
                                                                            strict=True)],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}: <b>%{text}</b><extra></extra>",
    ))
    top = max(int(roles["participants"].max()), 1)
    fig.update_layout(**{**_layout(lang), "margin": dict(l=10, r=90, t=10, b=10)}, showlegend=False)
    fig.update_xaxes(title=t("btk_participants", lang), tickformat=",d", range=[0, top * 1.3])
    return fig


def budget_bar(table: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Planned against realised Bimtek budget per region (``progress.budget_table``), in Rp juta."""
    rows = table.iloc[::-1]
    fig = go.Figure()
    for col, colour, key in (("planned", MUTED, "btk_planned"), ("realised", PRIMARY, "btk_realised")):
        fig.add_trace(go.Bar(
            x=rows[col] / 1e6, y=rows["name"], orientation="h", name=t(key, lang), marker_color=colour,
            customdata=[rupiah(v, lang) for v in rows[col]],
            hovertemplate="<b>%{y}</b><br>" + t(key, lang) + ": %{customdata}<extra></extra>",
        ))
    fig.update_layout(**{**_layout(lang), "height": 100 + 34 * len(rows)}, barmode="group",
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    fig.update_xaxes(title=t("btk_budget_axis", lang), tickformat=",d")
    return fig
