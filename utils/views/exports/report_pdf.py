"""One-page PDF report of one kabupaten for the coordination meeting (Rakor), built with reportlab.

Title with kabupaten and date, scorecard, trend, top issues and follow-ups on one A4 landscape page. The
chart is drawn with reportlab's own graphics (no browser, no network); text uses the Vera font shipped
inside reportlab (it has "≥", "–", "·"), so nothing depends on system fonts. Each column is shrunk to fit,
so the report is always exactly one page.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import reportlab
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from utils.i18n import fmt_date, fmt_month, fmt_num, fmt_pct, t
from utils.metrics.evaluation import ACTORS, BY_ID, INDICATORS, RAG_STATUSES, KabReport, previous_quarter_end
from utils.views.evaluation_display import RAG_COLOURS, RAG_FILLS, fmt_value, indicator_label, status_text

FONT, FONT_BOLD = "SV-Vera", "SV-Vera-Bold"
_FONT_DIR = Path(reportlab.__file__).parent / "fonts"
PAGE = landscape(A4)
MARGIN = 12 * mm
LINE_COLOURS = ["#0B6E4F", "#6a51a3", "#e6550d", "#3182bd", "#d6616b", "#8c6d31", "#17becf"]
MAX_FOLLOW_UPS_PER_ACTOR = 3


def _fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "VeraBd.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=10.5)
    return {
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=15, leading=18),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=9.5, leading=12, textColor=colors.HexColor("#333333")),
        "h": ParagraphStyle("h", base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=4, spaceAfter=2),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9),
        "cell": ParagraphStyle("cell", base, fontSize=8, leading=9.5),
        "bullet": ParagraphStyle("bullet", base, leftIndent=9, bulletIndent=0),
        "footer": ParagraphStyle("footer", base, fontSize=7, textColor=colors.HexColor("#555555")),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def scorecard_table(report: KabReport, lang: str, width: float, styles: dict[str, ParagraphStyle]) -> Table:
    """The kabupaten's indicators: value, target, gap and status (cell filled with the RAG colour)."""
    head = [t(k, lang) for k in ("ev_col_indicator", "ev_col_value", "ev_col_target", "ev_col_gap", "ev_col_status",
                                 "ev_col_rank")]
    rows = [[_p(h, styles["cell"]) for h in head]]
    fills = []
    for n, (ind_id, r) in enumerate(report.indicators.iterrows(), start=1):
        ind = BY_ID[str(ind_id)]
        applies = r["status"] in RAG_STATUSES
        target = fmt_value(ind.id, r["target"], lang) + (" *" if r["target_basis"] == "province" else "")
        rows.append([_p(indicator_label(ind.id, lang), styles["cell"]),
                     fmt_value(ind.id, r["value"], lang) if applies else "–",
                     target if applies else "–",
                     fmt_value(ind.id, r["gap"], lang, signed=True) if applies else "–",
                     status_text(r["status"], lang),
                     str(int(r["rank"])) if pd.notna(r["rank"]) else "–"])
        fills.append(("BACKGROUND", (4, n), (4, n), colors.HexColor(RAG_FILLS[r["status"]])))
    table = Table(rows, colWidths=[width * f for f in (0.31, 0.11, 0.13, 0.14, 0.17, 0.14)], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 8), ("FONT", (0, 0), (-1, 0), FONT_BOLD, 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0ec")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        *fills,
    ]))
    return table


def trend_drawing(trend: pd.DataFrame, lang: str, width: float, height: float = 215) -> Drawing:
    """Lines of the percent indicators at each quarter end (reportlab graphics: no browser needed)."""
    drawing = Drawing(width, height)
    pct = [i for i in INDICATORS if i.unit == "pct"]
    data, names, shades = [], [], []
    for n, ind in enumerate(pct):
        part = trend[(trend["indicator"] == ind.id) & trend["value"].notna()]
        if part.empty:
            continue
        data.append([(d.toordinal(), float(v)) for d, v in zip(part["date"].dt.date, part["value"], strict=True)])
        names.append(indicator_label(ind.id, lang))
        shades.append(colors.HexColor(LINE_COLOURS[n % len(LINE_COLOURS)]))
    if not data:
        drawing.add(String(4, height / 2, t("ev_status_not_applicable", lang), fontName=FONT, fontSize=8))
        return drawing
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = 30, 80, width - 44, height - 88
    plot.data = data
    for n, shade in enumerate(shades):
        plot.lines[n].strokeColor = shade
        plot.lines[n].strokeWidth = 1.4
    xs = sorted({x for line in data for x, _ in line})
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = xs[0], xs[-1] if xs[-1] > xs[0] else xs[0] + 1
    # Label quarter ends; the period end only when it is not a month from the last one (labels would overlap).
    plot.xValueAxis.valueSteps = xs if len(xs) < 2 or xs[-1] - xs[-2] > 45 else xs[:-2] + xs[-1:]
    plot.xValueAxis.labelTextFormat = lambda x: fmt_month(dt.date.fromordinal(int(x)), lang)
    plot.xValueAxis.labels.fontName, plot.xValueAxis.labels.fontSize = FONT, 6
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 100, 25
    plot.yValueAxis.labelTextFormat = lambda v: fmt_pct(v, 0, lang)
    plot.yValueAxis.labels.fontName, plot.yValueAxis.labels.fontSize = FONT, 6.5
    plot.yValueAxis.visibleGrid, plot.yValueAxis.gridStrokeColor = True, colors.HexColor("#dddddd")
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y, legend.dx, legend.dy = 30, 62, 6, 6
    legend.fontName, legend.fontSize, legend.alignment = FONT, 7, "right"
    legend.columnMaximum, legend.deltax, legend.deltay = 4, (width - 40) / 2, 10
    legend.colorNamePairs = list(zip(shades, names, strict=True))
    drawing.add(legend)
    return drawing


def top_issues(report: KabReport, lang: str, names: Mapping[str, str]) -> list[str]:
    """The few sentences a Rakor reads first: weakest indicator, red ones, weak kecamatan, villages, signal."""
    out = []
    rows = report.indicators
    if report.weakest:
        w = rows.loc[report.weakest]
        out.append(t("ev_pdf_issue_weakest", lang, indicator=indicator_label(report.weakest, lang),
                     value=fmt_value(report.weakest, w["value"], lang), target=fmt_value(report.weakest, w["target"], lang)))
    red = [indicator_label(i, lang) for i in rows.index[rows["status"] == "red"] if i != report.weakest]
    if red:
        out.append(t("ev_pdf_issue_red", lang, items=", ".join(red)))
    kec = report.weak_kecamatan
    if report.weakest and not kec.empty:
        first = kec.dropna(subset=["value"]).head(3)
        items = ", ".join(f"{names.get(c, c)} {fmt_value(report.weakest, v, lang)}"
                          for c, v in zip(first["code"], first["value"], strict=True))
        if items:
            out.append(t("ev_pdf_issue_kec", lang, items=items))
    if report.weakest:
        out.append(t("ev_pdf_issue_down", lang, n=fmt_num(len(report.pulling_down), 0, lang)))
    cx = report.context
    if cx.desa and cx.pct_signal_gap is not None:
        out.append(t("ev_pdf_issue_infra", lang, value=fmt_pct(cx.pct_signal_gap, 1, lang),
                     prov=fmt_pct(cx.province_pct_signal_gap, 1, lang)))
    fu, cov = report.indeks_follow_ups, report.indeks_coverage  # both None before any Indeks Desa import
    if fu is not None and cov is not None and len(fu):  # the round's largest Dinas PMD item, with index and year
        out.append(t("ix_rec_line", lang, year=cov.year, action=fu["action"].iloc[0],
                     n=fmt_num(fu["desa"].iloc[0], 0, lang)))
    return out


def follow_up_lines(report: KabReport, lang: str, per_actor: int = MAX_FOLLOW_UPS_PER_ACTOR) -> list[tuple[str, list[str]]]:
    """[(actor heading, ["body: activity (n desa)", ...])] for the report, digital activities first."""
    fu = report.follow_ups
    out = []
    for actor in ACTORS:
        part = fu[fu["actor"] == actor].head(per_actor)
        if part.empty:
            continue
        out.append((t(f"ev_actor_{actor}", lang), [
            t("ev_pdf_followup_row", lang, who=w, activity=a, n=fmt_num(n, 0, lang))
            for w, a, n in zip(part["who"], part["activity"], part["desa"], strict=True)]))
    ix, cov = report.indeks_follow_ups, report.indeks_coverage  # both None before any Indeks Desa import
    if ix is not None and cov is not None and len(ix):  # beside the IDM 2024 rows, under their own heading
        out.append((t("ix_rec_pdf_title", lang, year=cov.year), [
            t("ev_pdf_followup_row", lang, who="Dinas PMD", activity=a, n=fmt_num(n, 0, lang))
            for a, n in zip(ix["action"].head(per_actor), ix["desa"].head(per_actor), strict=True)]))
    return out


def kab_report_pdf(report: KabReport, lang: str, names: Mapping[str, str], *, is_demo: bool = True,
                   generated: dt.date | None = None, data_as_of: dt.date | None = None) -> bytes:
    """The one-page PDF of ``report`` (bytes). Its footer names the data date (``data_as_of``, when given) and
    the sources, as every page's header does."""
    _fonts()
    styles = _styles()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                            bottomMargin=MARGIN, title=t("ev_pdf_title", lang, name=report.name),
                            author=t("office", lang))
    width = PAGE[0] - 2 * MARGIN
    change = ("–" if report.rank_change is None else t(
        "ev_rank_up" if report.rank_change > 0 else "ev_rank_down" if report.rank_change < 0 else "ev_rank_same",
        lang, n=abs(report.rank_change), prev=fmt_date(previous_quarter_end(report.as_of), lang)))
    head = [
        _p(t("ev_pdf_title", lang, name=report.name), styles["title"]),
        _p(t("ev_pdf_subtitle", lang, date=fmt_date(report.as_of, lang), score=fmt_num(report.composite, 1, lang),
             rank=t("ev_rank_of", lang, rank=report.rank or "–", n=report.n_regions), change=change),
           styles["subtitle"]),
        Spacer(1, 4),
    ]
    col_w = width / 2 - 8
    left = [_p(t("ev_scorecard", lang), styles["h"]), scorecard_table(report, lang, col_w, styles)]
    shown = report.indicators[report.indicators["status"].isin(RAG_STATUSES)]
    if (shown["target_basis"] == "province").any():
        left.append(_p("* " + t("ev_method_target_province", lang), styles["small"]))
    if report.context.desa == 0:
        left.append(_p(t("no_desa_note", lang), styles["small"]))
    left += [_p(t("ev_trend", lang), styles["h"]), trend_drawing(report.trend, lang, col_w)]
    right = [_p(t("ev_pdf_issues", lang), styles["h"])]
    right += [Paragraph(escape(s), styles["bullet"], bulletText="•") for s in top_issues(report, lang, names)]
    right.append(_p(t("ev_pdf_followups", lang), styles["h"]))
    lines = follow_up_lines(report, lang)
    if not lines:
        right.append(_p(t("ev_followups_none", lang), styles["body"]))
    for actor, items in lines:
        right.append(Paragraph(f"<b>{escape(actor)}</b>", styles["body"]))
        right += [Paragraph(escape(s), styles["bullet"], bulletText="–") for s in items]
    body_h = PAGE[1] - 2 * MARGIN - 60
    columns = Table([[KeepInFrame(col_w, body_h, left, mode="shrink"), KeepInFrame(col_w, body_h, right, mode="shrink")]],
                    colWidths=[col_w + 8, col_w + 8])
    columns.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    footer = t("ev_pdf_footer", lang, date=fmt_date(generated or dt.date.today(), lang),
               demo=t("ev_pdf_demo" if is_demo else "ev_pdf_real", lang))
    if data_as_of is not None:
        footer = f"{t('data_as_of', lang, date=fmt_date(data_as_of, lang))} · {footer}"
    sources = t("sources", lang, programme=t("programme_demo" if is_demo else "programme_real", lang))

    def on_page(canvas, _doc) -> None:  # footer at the bottom edge, and a thin RAG legend
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, MARGIN / 2, footer)
        canvas.drawString(MARGIN, MARGIN / 2 + 9, sources)
        if is_demo:  # the marker every artefact carries while demo rows are in it, where a reader looks first
            canvas.setFont(FONT_BOLD, 11)
            canvas.setFillColor(colors.HexColor("#B01E1E"))
            canvas.drawRightString(PAGE[0] - MARGIN, PAGE[1] - MARGIN / 2 - 4, t("artefact_demo", lang))
            canvas.setFont(FONT, 7)
        x = PAGE[0] - MARGIN
        for status in reversed(RAG_STATUSES):
            label = status_text(status, lang)
            x -= pdfmetrics.stringWidth(label, FONT, 7) + 14
            canvas.setFillColor(colors.HexColor(RAG_COLOURS[status]))
            canvas.rect(x, MARGIN / 2 - 1, 8, 7, stroke=0, fill=1)
            canvas.setFillColor(colors.HexColor("#333333"))
            canvas.drawString(x + 10, MARGIN / 2, label)
        canvas.restoreState()

    doc.build([*head, columns], onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
