"""The meeting deck as PowerPoint: native, editable charts from the deck's data (python-pptx).

Every slide carries the filter context and data date in its footer, a slide number, and the
"Data contoh" marker while demo data is in use.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from utils.views.deck_model import ChartData, Deck, Kpi, Slide

if TYPE_CHECKING:  # the class; pptx.Presentation is the function that opens one
    from pptx.presentation import Presentation as PptxPresentation

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9, what projectors and Rakor decks use
PRIMARY = RGBColor(0x0B, 0x6E, 0x4F)
GREY = RGBColor(0x55, 0x55, 0x55)
DEMO_RED = RGBColor(0xB0, 0x1E, 0x1E)
_CHART_TYPES = {"bar": XL_CHART_TYPE.BAR_CLUSTERED, "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
                "line": XL_CHART_TYPE.LINE_MARKERS}


def _text(slide, left, top, width, height, text: str, size: int, *, bold: bool = False,
          color: RGBColor | None = None, align=PP_ALIGN.LEFT):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    para.alignment = align
    run = para.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    return box


def _kpis(slide, kpis: tuple[Kpi, ...], top: int, height: int) -> None:
    """``top`` and ``height`` in EMU (pptx's Length is an int; a sum of lengths is a plain int)."""
    n = len(kpis)
    gap = Inches(0.25)
    width = int((WIDTH - Inches(1) - gap * (n - 1)) / n)
    for i, kpi in enumerate(kpis):
        left = Inches(0.5) + i * (width + gap)
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        # A long value (a name, "2.420 / 2.446") gets a smaller size so it stays in its column.
        value_size = max(16, min(36, int(width / Emu(Pt(1)) / max(len(kpi.value), 1) * 1.7)))
        for j, (text, size, bold, color) in enumerate([(kpi.label, 16, False, GREY), (kpi.value, value_size, True, PRIMARY),
                                                       (kpi.note, 14, False, GREY)]):
            para = frame.paragraphs[0] if j == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = text
            run.font.size, run.font.bold = Pt(size), bold
            run.font.color.rgb = color


_NUMBER_FORMATS = {"%": '0.0"%"', "score": "0.0", "": "#,##0"}
_DASHES = {"dash": MSO_LINE_DASH_STYLE.DASH, "dot": MSO_LINE_DASH_STYLE.ROUND_DOT}


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _chart(slide, chart: ChartData, left, top, width, height) -> None:
    data = CategoryChartData()
    data.categories = chart.categories
    for name, values in chart.series.items():
        data.add_series(name, [None if v is None or pd.isna(v) else float(v) for v in values])
    frame = slide.shapes.add_chart(_CHART_TYPES[chart.kind], left, top, width, height, data)
    c = frame.chart
    c.font.size = Pt(12)
    c.has_legend = len(data._series) > 1
    if c.has_legend:
        c.legend.position = XL_LEGEND_POSITION.BOTTOM
        c.legend.include_in_layout = False
    number_format = _NUMBER_FORMATS.get(chart.unit, "#,##0")
    plot = c.plots[0]
    plot.has_data_labels = chart.kind != "line" and len(chart.categories) <= 30
    if plot.has_data_labels:
        plot.data_labels.number_format = number_format
        plot.data_labels.number_format_is_linked = False
        plot.data_labels.font.size = Pt(11)
    c.value_axis.tick_labels.number_format = number_format
    c.value_axis.tick_labels.number_format_is_linked = False
    if chart.kind == "bar":  # rankings read top-down: first category at the top
        c.category_axis.reverse_order = True
    if chart.kind == "line":
        # Yearly targets are points at 31 December: span the months between them, as the screen's line does.
        blanks = c._chartSpace.chart.find(qn("c:dispBlanksAs"))
        if blanks is None:
            blanks = c._chartSpace.chart.makeelement(qn("c:dispBlanksAs"), {})
            c._chartSpace.chart.append(blanks)
        blanks.set("val", "span")
    for series in plot.series:
        if chart.kind != "line":
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = PRIMARY
            for i, colour in enumerate(chart.colours):  # the screen's colours: RAG bands, the selected region
                point = series.points[i]
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = _rgb(colour)
            continue
        style = chart.styles.get(series.name)
        if style is None:
            continue
        line = series.format.line
        line.color.rgb = _rgb(style.colour)
        line.width = Pt(style.width)
        if style.dash in _DASHES:
            line.dash_style = _DASHES[style.dash]
        series.smooth = False
        if not style.markers:
            series.marker.style = XL_MARKER_STYLE.NONE


def _table(slide, table: pd.DataFrame, left, top, width, height) -> None:
    rows, cols = min(len(table), 16) + 1, len(table.columns)
    shape = slide.shapes.add_table(rows, cols, left, top, width, height)
    grid = shape.table
    for j, col in enumerate(table.columns):
        grid.cell(0, j).text = str(col)
    for i, row in enumerate(table.head(rows - 1).itertuples(index=False), start=1):
        for j, value in enumerate(row):
            grid.cell(i, j).text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    for cell in (grid.cell(i, j) for i in range(rows) for j in range(cols)):
        for para in cell.text_frame.paragraphs:
            for run in para.runs:
                run.font.size = Pt(12)


def _slide(prs: PptxPresentation, deck: Deck, spec: Slide, number: int, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank: the deck draws its own title and footer
    slide.name = spec.key
    _text(slide, Inches(0.5), Inches(0.3), Inches(10.5), Inches(0.9), spec.title, 30, bold=True, color=PRIMARY)
    if deck.demo_label:
        _text(slide, Inches(10.8), Inches(0.35), Inches(2.1), Inches(0.5), deck.demo_label, 16, bold=True,
              color=DEMO_RED, align=PP_ALIGN.RIGHT)
    top: int = Inches(1.15)  # EMU, moved down as the blocks are placed
    if spec.subtitle:
        _text(slide, Inches(0.5), top, Inches(12.3), Inches(0.5), spec.subtitle, 16, color=GREY)
        top += Inches(0.55)
    bottom = HEIGHT - Inches(0.6)
    if spec.kpis:
        _kpis(slide, spec.kpis, top, Inches(1.6))
        top += Inches(1.8)
    body_h = bottom - top
    has_side = bool(spec.bullets) and (spec.chart is not None or spec.image is not None or spec.table is not None)
    main_w = Inches(8.2) if has_side else WIDTH - Inches(1)
    if spec.chart is not None:
        _chart(slide, spec.chart, Inches(0.5), top, main_w, body_h)
    elif spec.image is not None:
        pic = slide.shapes.add_picture(io.BytesIO(spec.image), Inches(0.5), top, height=body_h)
        if pic.width > main_w:  # too wide: fit the width instead, keeping the aspect ratio
            ratio = main_w / pic.width
            pic.width, pic.height = int(main_w), int(pic.height * ratio)
    elif spec.table is not None:
        _table(slide, spec.table, Inches(0.5), top, main_w, min(body_h, Inches(0.4) * (len(spec.table) + 1)))
    if spec.bullets:
        left = Inches(0.5) + main_w + Inches(0.3) if has_side else Inches(0.5)
        box = slide.shapes.add_textbox(left, top, WIDTH - left - Inches(0.5), body_h)
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(spec.bullets):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = para.add_run()
            run.text = f"• {line}"
            run.font.size = Pt(16)
    _text(slide, Inches(0.5), HEIGHT - Inches(0.5), Inches(11), Inches(0.4), deck.footer, 11, color=GREY)
    _text(slide, Inches(11.8), HEIGHT - Inches(0.5), Inches(1.1), Inches(0.4), f"{number} / {total}", 11,
          color=GREY, align=PP_ALIGN.RIGHT)


def deck_pptx(deck: Deck, progress: Callable[[int, int], None] | None = None) -> bytes:
    """Render the deck as a .pptx file; ``progress(done, total)`` is called after each slide."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    total = len(deck.slides)
    for i, spec in enumerate(deck.slides, start=1):
        _slide(prs, deck, spec, i, total)
        if progress:
            progress(i, total)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
