"""Plotly builders for the evaluation page: composite ranking, indicator trends, two-region comparison.

Data in, figure out; no streamlit. Colours: RAG statuses and the charts module's primary colour.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from utils.i18n import fmt_num, fmt_pct, has_text, label, signal_label, t
from utils.metrics.evaluation import (
    AMBER,
    BY_ID,
    GREEN,
    INDICATORS,
    NO_DATA,
    NOT_APPLICABLE,
    RAG_AMBER,
    RAG_GREEN,
    RED,
    Scorecard,
)
from utils.views.charts import PRIMARY, _layout

#: Strong RAG colours (chart marks) and light ones (table cells, readable with black text on a projector).
RAG_COLOURS = {GREEN: "#1a9850", AMBER: "#f0a500", RED: "#d73027", NOT_APPLICABLE: "#bdbdbd", NO_DATA: "#bdbdbd"}
RAG_FILLS = {GREEN: "#c7e9c0", AMBER: "#ffe8a3", RED: "#f6b3ab", NOT_APPLICABLE: "#eeeeee", NO_DATA: "#eeeeee"}
SECOND = "#6a51a3"  # region B in the comparison (distinct from PRIMARY for colour-blind readers)


def indicator_label(indicator: str, lang: str = "id") -> str:
    """An indicator's name ("Desa bergabung"), from the string table (``ind_<id>_label``)."""
    return t(f"ind_{indicator}_label", lang)


def indicator_short(indicator: str, lang: str = "id") -> str:
    """An indicator's short name for column headings and small charts; its name where it has none."""
    key = f"ind_{indicator}_short"
    return t(key, lang) if has_text(key) else indicator_label(indicator, lang)


def indicator_definition(indicator: str, lang: str = "id") -> str:
    """What an indicator measures, in one or two sentences (``ind_<id>_def``)."""
    return t(f"ind_{indicator}_def", lang)


def composite_status(score: float) -> str:
    """RAG of a composite score (same thresholds as an indicator's attainment)."""
    if pd.isna(score):
        return NO_DATA
    return GREEN if round(score, 1) >= RAG_GREEN else AMBER if round(score, 1) >= RAG_AMBER else RED


def composite_bar(summary: pd.DataFrame, names: Mapping[str, str], lang: str = "id") -> go.Figure:
    """Horizontal bars of the composite score, rank 1 on top, coloured by its RAG band."""
    rows = summary.dropna(subset=["composite"]).sort_values(["rank", "composite"], ascending=[False, True])
    labels = [f"{int(r)}. {names.get(c, c)}" for c, r in zip(rows.index, rows["rank"], strict=True)]
    fig = go.Figure(go.Bar(
        x=rows["composite"], y=labels, orientation="h",
        marker_color=[RAG_COLOURS[composite_status(v)] for v in rows["composite"]],
        text=[fmt_num(v, 1, lang) for v in rows["composite"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: <b>%{text}</b><extra></extra>",
    ))
    # Room right of the axis for the values beside the longest bars ("98,2" was cut on a 390 px phone).
    fig.update_layout(**{**_layout(lang), "height": 40 + 26 * len(rows), "margin": dict(l=10, r=44, t=10, b=10)},
                      showlegend=False)
    fig.update_xaxes(title=t("ev_col_composite", lang), range=[0, 112])
    for x in (RAG_AMBER, RAG_GREEN):
        fig.add_vline(x=x, line_dash="dot", line_color="#777", line_width=1)
    return fig


def trend_grid(trend: pd.DataFrame, targets: Mapping[str, float], lang: str = "id") -> go.Figure:
    """One small line chart per indicator (quarter ends), the current target as a dashed line."""
    cols = 4
    rows = -(-len(INDICATORS) // cols)
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=[indicator_short(i.id, lang) for i in INDICATORS],
                        vertical_spacing=0.16, horizontal_spacing=0.06)
    for n, ind in enumerate(INDICATORS):
        r, c = n // cols + 1, n % cols + 1
        part = trend[trend["indicator"] == ind.id]
        if part["value"].isna().all() and not part.empty:  # e.g. adoption in a kota: say so, no empty frame
            fig.add_trace(go.Scatter(x=part["date"], y=[50] * len(part), mode="lines", showlegend=False,
                                     line=dict(width=0), hoverinfo="skip"), r, c)
            fig.add_annotation(text=t("ev_status_not_applicable", lang), showarrow=False, font=dict(color="#777"),
                               x=part["date"].iloc[len(part) // 2], y=50, row=r, col=c)
            fig.update_yaxes(range=[0, 105], row=r, col=c)
            fig.update_xaxes(range=[part["date"].min(), part["date"].max()], row=r, col=c)
            continue
        text = [fmt_value(ind.id, v, lang) if pd.notna(v) else t("ev_status_not_applicable", lang)
                for v in part["value"]]
        fig.add_trace(go.Scatter(x=part["date"], y=part["value"], mode="lines+markers", customdata=text,
                                 line=dict(color=PRIMARY, width=2), marker=dict(size=5), showlegend=False,
                                 hovertemplate="%{x|%d-%m-%Y}: <b>%{customdata}</b><extra></extra>"), r, c)
        target = targets.get(ind.id)
        if target is not None and pd.notna(target) and not part.empty:
            fig.add_trace(go.Scatter(x=[part["date"].min(), part["date"].max()], y=[target, target], mode="lines",
                                     line=dict(color="#d73027", dash="dash", width=1), showlegend=False,
                                     hovertemplate=f"{t('ev_trend_target', lang)}: {fmt_num(target, 0, lang)}"
                                                   "<extra></extra>"), r, c)
        fig.update_yaxes(rangemode="tozero", row=r, col=c, **({"range": [0, 105]} if ind.unit == "pct" else {}))
    fig.update_layout(**{**_layout(lang), "height": 430, "margin": dict(l=10, r=10, t=40, b=10)})
    fig.update_annotations(font_size=12)
    fig.update_xaxes(tickformat="%m/%y", nticks=5)
    return fig


def compare_bar(table: pd.DataFrame, name_a: str, name_b: str, lang: str = "id") -> go.Figure:
    """Grouped horizontal bars of the percent indicators of two regions (not applicable: no bar)."""
    pct = [i for i in INDICATORS if i.unit == "pct"]
    rows = table.set_index("indicator").loc[[i.id for i in pct]]
    # Short names (as the scorecard's headings): the long ones left a phone's plot a few pixels wide.
    labels = [indicator_short(i.id, lang) for i in pct]
    fig = go.Figure()
    for col, name, colour in (("value_a", name_a, PRIMARY), ("value_b", name_b, SECOND)):
        fig.add_trace(go.Bar(x=rows[col], y=labels, orientation="h", name=name, marker_color=colour,
                             text=[fmt_pct(v, 1, lang) if pd.notna(v) else t("ev_status_not_applicable", lang)
                                   for v in rows[col]], textposition="outside", cliponaxis=False,
                             hovertemplate=f"{name} · %{{y}}: <b>%{{text}}</b><extra></extra>"))
    fig.update_layout(**{**_layout(lang), "height": 90 + 48 * len(pct), "margin": dict(l=10, r=56, t=10, b=10)},
                      barmode="group",
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 118], title="%")
    return fig


# --------------------------------------------------------------------------- tables (display frames)


def fmt_value(indicator: str, value: float | None, lang: str = "id", signed: bool = False) -> str:
    """An indicator's value as shown: '93,1%' or '12 hari'; ``signed`` for gaps ('+2,5 poin', '−9 hari')."""
    if value is None or pd.isna(value):
        return "–"
    ind = BY_ID[indicator]
    sign = ("+" if value > 0 else "\u2212" if value < 0 else "±") if signed else ""
    magnitude = abs(value) if signed else value
    if ind.unit == "days":
        return sign + t("ev_day_one" if round(magnitude) == 1 else "ev_days", lang, n=fmt_num(magnitude, 0, lang))
    if signed:
        return sign + t("ev_points", lang, n=fmt_num(magnitude, 1, lang))
    return fmt_pct(magnitude, 1, lang)


def status_text(status: str, lang: str = "id") -> str:
    return t(f"ev_status_{status}", lang)


def rank_change_text(change: float | None, lang: str = "id") -> str:
    """'▲ 2' (moved up), '▼ 1', '=' or '–' (no rank in the previous period)."""
    if change is None or pd.isna(change):
        return "–"
    n = int(change)
    return f"\u25b2 {n}" if n > 0 else f"\u25bc {-n}" if n < 0 else "="


def scorecard_frame(card: Scorecard, names: Mapping[str, str], lang: str = "id",
                    show: str = "value") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(display table, status table) of all regions side by side, best rank first.

    ``show``: what the indicator cells hold, ``value``, ``target`` or ``gap``; the status table has the
    same shape (RAG codes in the indicator columns) for colouring.
    """
    summary = card.summary.sort_values(["rank", "composite"], ascending=[True, False], na_position="last")
    codes = list(summary.index)
    values, statuses = card.wide(show), card.wide("status")
    basis = card.wide("target_basis")
    region, comp, rank, change = (t(k, lang) for k in ("ev_col_region", "ev_col_composite", "ev_col_rank",
                                                        "ev_col_change"))
    display = pd.DataFrame({region: [names.get(c, c) for c in codes],
                            comp: [fmt_num(v, 1, lang) for v in summary["composite"]],
                            rank: [str(int(r)) if pd.notna(r) else "–" for r in summary["rank"]],
                            change: [rank_change_text(summary.at[c, "rank_change"], lang) if "rank_change" in summary
                                     else "–" for c in codes]})
    status = pd.DataFrame({region: "", comp: [composite_status(v) for v in summary["composite"]], rank: "",
                           change: ""})
    for ind in INDICATORS:
        label = indicator_short(ind.id, lang)
        cells = []
        for c in codes:
            st_ = statuses.at[c, ind.id]
            if st_ in (NOT_APPLICABLE, NO_DATA):
                cells.append(status_text(st_, lang))
            elif show == "target" and basis.at[c, ind.id] == "province":
                cells.append(fmt_value(ind.id, values.at[c, ind.id], lang) + " *")
            else:
                cells.append(fmt_value(ind.id, values.at[c, ind.id], lang, signed=show == "gap"))
        display[label] = cells
        status[label] = [statuses.at[c, ind.id] for c in codes]
    return display, status


def style_scorecard(display: pd.DataFrame, status: pd.DataFrame):  # -> pandas Styler
    """Light RAG fills on the indicator and composite cells."""
    fills = status.map(lambda s: f"background-color: {RAG_FILLS[s]}; color: #111" if s in RAG_FILLS else "")
    return display.style.apply(lambda _: fills.to_numpy(), axis=None)


def indicator_frame(report_rows: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """One region's indicators (``Scorecard.row``) as a table: indicator, value, target, gap, status, rank."""
    out = []
    for ind_id, r in report_rows.iterrows():
        ind = BY_ID[str(ind_id)]
        applies = r["status"] in (GREEN, AMBER, RED)
        target = fmt_value(ind.id, r["target"], lang)
        if r["target_basis"] == "province":
            target = t("ev_basis_province", lang, value=target)
        out.append({t("ev_col_indicator", lang): indicator_label(ind.id, lang),
                    t("ev_col_value", lang): fmt_value(ind.id, r["value"], lang) if applies else status_text(r["status"], lang),
                    t("ev_col_target", lang): target if applies else "–",
                    t("ev_col_gap", lang): fmt_value(ind.id, r["gap"], lang, signed=True) if applies else "–",
                    t("ev_col_status", lang): status_text(r["status"], lang),
                    t("ev_col_rank", lang): str(int(r["rank"])) if pd.notna(r["rank"]) else "–"})
    return pd.DataFrame(out)


def kecamatan_frame(kec: pd.DataFrame, indicator: str, lang: str = "id") -> pd.DataFrame:
    """The kecamatan ranking (``evaluation.sub_ranking`` with names), weakest first."""
    return pd.DataFrame({
        t("ev_col_rank", lang): [str(int(r)) if pd.notna(r) else "–" for r in kec["rank_weakest"]],
        t("ev_col_kecamatan", lang): kec["name"].tolist() if "name" in kec else kec["code"].tolist(),
        indicator_label(indicator, lang): [fmt_value(indicator, v, lang) if pd.notna(v) else status_text(NOT_APPLICABLE, lang)
                                       for v in kec["value"]],
        t("ev_col_villages", lang): [fmt_num(v, 0, lang) for v in kec["villages"]],
    })


def pulling_down_frame(down: pd.DataFrame, names: Mapping[str, str], lang: str = "id") -> pd.DataFrame:
    """Villages pulling a region down, with kecamatan (village names repeat), stage, Bimtek, IDM and signal."""
    from utils.domain.programme import STAGES  # stage labels

    stage = {s.order: label(s, lang) for s in STAGES}
    return pd.DataFrame({
        t("ev_col_village", lang): [names.get(c, c) for c in down["code"]],
        t("ev_col_kecamatan", lang): [names.get(c, c) for c in down["kec_code"]],
        t("ev_col_stage", lang): [(stage.get(int(s), "–") + (f" (\u26a0 {t('evid_flag', lang)})" if flag else ""))
                                  if vt == "desa" else status_text(NOT_APPLICABLE, lang)
                                  for s, vt, flag in zip(down["stage_order"], down["village_type"],
                                                         down.get("evidence_issues", pd.Series("", index=down.index))
                                                         .fillna("").ne(""), strict=True)],
        t("ev_col_participants", lang): [fmt_num(v, 0, lang) for v in down["bimtek_participants"]],
        t("ev_col_days", lang): [fmt_num(v, 0, lang) for v in down["days_since_update"]],
        t("ev_col_idm", lang): [s if isinstance(s, str) else "–" for s in down["status"]],
        t("ev_col_signal", lang): [signal_label(s, lang) for s in down["signal"]],
    })


def follow_up_frame(fu: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """One actor's follow-ups: body, activity, number of desa, mean IDM score gain per desa (IDM runs 0..1)."""
    return pd.DataFrame({
        t("ev_col_who", lang): fu["who"].tolist(),
        t("ev_col_activity", lang): fu["activity"].tolist(),
        t("ev_col_digital", lang): ["\u2713" if d else "" for d in fu["digital"]],
        t("ev_col_desa", lang): [fmt_num(v, 0, lang) for v in fu["desa"]],
        t("ev_col_gain", lang): [fmt_num(v, 4, lang) for v in fu["gain_per_desa"]],
    })


def compare_frame(table: pd.DataFrame, name_a: str, name_b: str, lang: str = "id") -> pd.DataFrame:
    """Two regions side by side as text: value (status) of each and the difference A − B."""
    def cell(ind: str, v: float, s: str) -> str:
        return status_text(s, lang) if s in (NOT_APPLICABLE, NO_DATA) else f"{fmt_value(ind, v, lang)} ({status_text(s, lang)})"

    return pd.DataFrame({
        t("ev_col_indicator", lang): [indicator_label(i, lang) for i in table["indicator"]],
        name_a: [cell(i, v, s) for i, v, s in zip(table["indicator"], table["value_a"], table["status_a"], strict=True)],
        name_b: [cell(i, v, s) for i, v, s in zip(table["indicator"], table["value_b"], table["status_b"], strict=True)],
        t("ev_compare_diff", lang): [fmt_value(i, d, lang, signed=True) for i, d in zip(table["indicator"], table["difference"], strict=True)],
    })


def method_frame(weights: Mapping[str, float], lang: str = "id") -> pd.DataFrame:
    """Every indicator's definition, source table, target and (current) weight."""
    def target(ind) -> str:
        if ind.target_indicator:
            return t("ev_method_target_official", lang, name=ind.target_indicator)
        if ind.default_target is not None:
            return t("ev_method_target_days", lang, n=fmt_num(ind.default_target, 0, lang))
        return t("ev_method_target_province", lang)

    return pd.DataFrame({
        t("ev_col_indicator", lang): [indicator_label(i.id, lang) for i in INDICATORS],
        t("ev_col_definition", lang): [indicator_definition(i.id, lang) for i in INDICATORS],
        t("ev_col_source", lang): [i.source for i in INDICATORS],
        t("ev_col_target", lang): [target(i) for i in INDICATORS],
        t("ev_col_weight", lang): [fmt_pct(weights.get(i.id, 0.0), 1, lang) for i in INDICATORS],
    })


def scorecard_html(display: pd.DataFrame, status: pd.DataFrame, lang: str = "id") -> str:
    """The scorecard as a plain HTML table with RAG fills (rendered once and cached: a styled
    ``st.dataframe`` costs tens of milliseconds per rerun). The RAG word is in each cell's title."""
    from utils.i18n.inert import html as escape

    head = "".join(f"<th>{escape(str(c))}</th>" for c in display.columns)
    body = []
    for i in range(len(display)):
        cells = []
        for n in range(len(display.columns)):
            s = status.iat[i, n]
            style = f' style="background:{RAG_FILLS[s]}"' if s in RAG_FILLS else ""
            title = f' title="{escape(status_text(s, lang))}"' if s in RAG_FILLS else ""
            tag = "th" if n == 0 else "td"
            cells.append(f"<{tag}{style}{title}>{escape(str(display.iat[i, n]))}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    css = ("<style>.ev-card{border-collapse:collapse;font-size:0.82rem;width:100%}"
           ".ev-card th,.ev-card td{border:1px solid #ccc;padding:3px 5px;color:#111}"
           ".ev-card td{text-align:right;white-space:nowrap}.ev-card thead th{background:#e8f0ec;"
           "vertical-align:bottom;font-weight:600;text-align:center}.ev-card tbody th{text-align:left;"
           "font-weight:500;white-space:nowrap;background:#fff}</style>")
    return (f'{css}<div style="overflow-x:auto"><table class="ev-card" data-testid="ev-scorecard"><thead><tr>{head}'
            f'</tr></thead><tbody>{"".join(body)}</tbody></table></div>')
