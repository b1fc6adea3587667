"""The meeting deck as PDF, one 16:9 page per slide (reportlab; charts drawn by reportlab, no browser).

Same slides, titles and footers as the PPTX and the presentation page: all three render one Deck.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.graphics import renderPDF
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from utils.views.deck_model import ChartData, Deck, Slide
from utils.views.exports.report_pdf import FONT, FONT_BOLD, _fonts

PAGE_W, PAGE_H = 960.0, 540.0  # 13.333 × 7.5 inches, the PPTX's 16:9
MARGIN = 36.0
PRIMARY = colors.HexColor("#0B6E4F")
GREY = colors.HexColor("#555555")
DEMO_RED = colors.HexColor("#B01E1E")
SERIES_COLOURS = [PRIMARY, colors.HexColor("#e6550d"), colors.HexColor("#6a51a3"), colors.HexColor("#3182bd")]


def _fmt(value: float, unit: str, lang: str) -> str:
    from utils.i18n import fmt_int, fmt_num

    if unit == "%":
        return f"{fmt_num(value, 1, lang)}%"
    return fmt_num(value, 1, lang) if unit == "score" else fmt_int(value, lang)


_DASHES = {"dash": (6, 3), "dot": (1.5, 2.5)}


def _chart_drawing(chart: ChartData, width: float, height: float, lang: str) -> Drawing:
    names = list(chart.series)
    # A missing value (e.g. adoption in a kota: "tidak berlaku") stays missing, never drawn as 0.
    data = [[None if v is None or pd.isna(v) else float(v) for v in chart.series[n]] for n in names]
    colours = [colors.HexColor(chart.styles[n].colour) if n in chart.styles else SERIES_COLOURS[i % len(SERIES_COLOURS)]
               for i, n in enumerate(names)]
    drawing = Drawing(width, height)
    legend_h = 22 if len(names) > 1 else 0
    n = len(chart.categories)
    if chart.kind == "bar":
        label_w = min(220.0, 6.5 * max((len(c) for c in chart.categories), default=4))
        plot = HorizontalBarChart()
        plot.x, plot.y = label_w + 10, 20 + legend_h
        plot.width, plot.height = width - label_w - 60, height - 30 - legend_h
        plot.data = [list(reversed(d)) for d in data]  # first category at the top, as ranked
        plot.categoryAxis.categoryNames = list(reversed(chart.categories))
        plot.barLabelFormat = lambda v: "–" if v is None else _fmt(v, chart.unit, lang)
        plot.barLabels.nudge = 18
        plot.barLabels.fontName, plot.barLabels.fontSize = FONT, 11
    elif chart.kind == "column":
        plot = VerticalBarChart()
        plot.x, plot.y = 50, 40 + legend_h
        plot.width, plot.height = width - 70, height - 55 - legend_h
        plot.data = data
        plot.categoryAxis.categoryNames = chart.categories
        plot.categoryAxis.labels.angle = 30 if n > 8 else 0
        plot.categoryAxis.labels.boxAnchor = "ne" if n > 8 else "n"
    else:
        plot = HorizontalLineChart()
        plot.x, plot.y = 50, 40 + legend_h
        plot.width, plot.height = width - 70, height - 55 - legend_h
        plot.data = data
        step = max(1, n // 12)  # at most ~12 month labels on the axis
        plot.categoryAxis.categoryNames = [c if i % step == 0 else "" for i, c in enumerate(chart.categories)]
        plot.categoryAxis.labels.angle = 30
        plot.categoryAxis.labels.boxAnchor = "ne"
        for i, name in enumerate(names):
            style = chart.styles.get(name)
            plot.lines[i].strokeWidth = style.width if style else 2.5
            plot.lines[i].strokeColor = colours[i]
            if style and style.dash in _DASHES:
                plot.lines[i].strokeDashArray = _DASHES[style.dash]
        # Yearly targets are points at 31 December: join them across the months between, as the screen does.
        plot.joinedLines = 1
        plot.lineLabelFormat = None
    for axis in (plot.categoryAxis, plot.valueAxis):
        axis.labels.fontName, axis.labels.fontSize = FONT, 11
    plot.valueAxis.valueMin = 0
    if chart.unit in ("%", "score"):  # rates and scores run 0..100: a fixed axis places the target line exactly
        plot.valueAxis.valueMax = 100
    plot.valueAxis.labelTextFormat = lambda v: _fmt(v, "", lang) + ("%" if chart.unit == "%" else "")
    if chart.kind != "line":
        for i in range(len(data)):
            plot.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        # The screen's colours per bar (RAG bands, the selected region); a ranking is drawn bottom-up here.
        order = list(reversed(chart.colours)) if chart.kind == "bar" else list(chart.colours)
        for j, colour in enumerate(order):
            plot.bars[(0, j)].fillColor = colors.HexColor(colour)
    drawing.add(plot)
    if chart.target is not None and chart.kind == "bar":  # the target as a dashed line, as on screen
        from reportlab.graphics.shapes import Line, String

        x = plot.x + plot.width * (chart.target - plot.valueAxis.valueMin) / max(
            (plot.valueAxis.valueMax or 100) - plot.valueAxis.valueMin, 1e-9)
        drawing.add(Line(x, plot.y, x, plot.y + plot.height, strokeColor=colors.HexColor("#C0392B"),
                         strokeDashArray=(4, 3), strokeWidth=1.5))
        drawing.add(String(x, plot.y + plot.height + 3, chart.target_label or "Target", fontName=FONT, fontSize=9,
                           fillColor=colors.HexColor("#C0392B"), textAnchor="middle"))
    if legend_h:
        legend = Legend()
        legend.x, legend.y = plot.x, 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.fontName, legend.fontSize = FONT, 9
        legend.colorNamePairs = [(colours[i], names[i]) for i in range(len(names))]
        drawing.add(legend)
    return drawing


def _fit(text: str, font: str, size: float, smallest: float, width: float) -> float:
    """The font size (at most ``size``) at which ``text`` fits ``width``: a long KPI value or label shrinks
    to its column rather than run into the next one."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _paragraph(c: canvas.Canvas, text: str, x: float, y_top: float, width: float, style: ParagraphStyle) -> float:
    para = Paragraph(escape(text), style)
    _, h = para.wrap(width, PAGE_H)
    para.drawOn(c, x, y_top - h)
    return h


def _page(c: canvas.Canvas, deck: Deck, spec: Slide, number: int, total: int) -> None:
    body = ParagraphStyle("body", fontName=FONT, fontSize=14, leading=18)
    c.setFillColor(PRIMARY)
    c.setFont(FONT_BOLD, 26)
    c.drawString(MARGIN, PAGE_H - MARGIN - 20, spec.title)
    if deck.demo_label:
        c.setFillColor(DEMO_RED)
        c.setFont(FONT_BOLD, 14)
        c.drawRightString(PAGE_W - MARGIN, PAGE_H - MARGIN - 16, deck.demo_label)
    top = PAGE_H - MARGIN - 40
    if spec.subtitle:
        top -= 6 + _paragraph(c, spec.subtitle, MARGIN, top, PAGE_W - 2 * MARGIN,
                              ParagraphStyle("sub", body, fontSize=13, textColor=GREY))
    if spec.kpis:
        width = (PAGE_W - 2 * MARGIN) / len(spec.kpis)
        for i, kpi in enumerate(spec.kpis):
            x = MARGIN + i * width
            c.setFillColor(GREY)
            c.setFont(FONT, _fit(kpi.label, FONT, 12, 8, width - 12))
            c.drawString(x, top - 16, kpi.label)
            c.setFillColor(PRIMARY)
            c.setFont(FONT_BOLD, _fit(kpi.value, FONT_BOLD, 28, 12, width - 12))
            c.drawString(x, top - 50, kpi.value)
            c.setFillColor(GREY)
            c.setFont(FONT, 11)
            c.drawString(x, top - 68, kpi.note)
        top -= 86
    bottom = MARGIN + 24
    has_side = bool(spec.bullets) and (spec.chart is not None or spec.image is not None or spec.table is not None)
    main_w = (PAGE_W - 2 * MARGIN) * (0.64 if has_side else 1.0)
    height = top - bottom
    if spec.chart is not None:
        renderPDF.draw(_chart_drawing(spec.chart, main_w, height, deck.lang), c, MARGIN, bottom)
    elif spec.image is not None:
        img = ImageReader(io.BytesIO(spec.image))
        iw, ih = img.getSize()
        scale = min(main_w / iw, height / ih)
        c.drawImage(img, MARGIN, top - ih * scale, iw * scale, ih * scale)
    elif spec.table is not None:
        frame = spec.table.head(14)
        cell = ParagraphStyle("cell", fontName=FONT, fontSize=10, leading=12)
        rows = [[Paragraph(escape(str(col)), ParagraphStyle("h", cell, fontName=FONT_BOLD)) for col in frame.columns]]
        rows += [[Paragraph(escape("" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)), cell)
                  for v in row] for row in frame.itertuples(index=False)]
        table = Table(rows, colWidths=[main_w / len(frame.columns)] * len(frame.columns))
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#BBBBBB")),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8F1EE"))]))
        _, h = table.wrap(main_w, height)
        table.drawOn(c, MARGIN, top - h)
    if spec.bullets:
        x = MARGIN + main_w + 18 if has_side else MARGIN
        y = top
        for line in spec.bullets:
            y -= 6 + _paragraph(c, f"• {line}", x, y, PAGE_W - MARGIN - x, body)
    c.setFillColor(GREY)
    c.setFont(FONT, 9)
    c.drawString(MARGIN, MARGIN - 6, deck.footer)
    c.drawRightString(PAGE_W - MARGIN, MARGIN - 6, f"{number} / {total}")


def deck_pdf(deck: Deck, progress: Callable[[int, int], None] | None = None) -> bytes:
    """Render the deck as a PDF; ``progress(done, total)`` is called after each page."""
    _fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H))
    c.setTitle(deck.slides[0].title if deck.slides else "Smart Village")
    total = len(deck.slides)
    for i, spec in enumerate(deck.slides, start=1):
        _page(c, deck, spec, i, total)
        c.showPage()
        if progress:
            progress(i, total)
    c.save()
    return buffer.getvalue()
