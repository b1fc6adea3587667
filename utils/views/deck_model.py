"""The meeting deck as plain data: slides with KPIs, chart data, an image or a table.

One model feeds the three outputs (presentation page, PPTX, PDF), so they always have the same slides,
titles and figures. No streamlit, no rendering here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class Kpi:
    """A headline figure: label, formatted value, optional note (target, share)."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class SeriesStyle:
    """How a line series is drawn, the same on screen, in PowerPoint and in the PDF."""

    colour: str  # "#RRGGBB"
    dash: str = "solid"  # "solid" | "dash" | "dot"
    width: float = 2.5  # points
    markers: bool = False
    opacity: float = 1.0


@dataclass(frozen=True)
class ChartData:
    """Chart data as categories and named series, so PowerPoint can draw it as a native, editable chart.

    kind: ``bar`` (horizontal, a ranking), ``column`` or ``line``. ``target`` draws a reference line on a
    bar chart. ``unit``: ``"%"`` for rates, ``"score"`` for a 0-100 score with one decimal, ``""`` for
    counts. Values are rounded as the screen shows them. ``colours``: one per category (bars), the screen's
    colours (RAG bands, the highlighted region); ``styles``: per line series. ``figure`` is the on-screen
    plotly figure built from the same data.
    """

    kind: str
    categories: list[str]
    series: dict[str, list[float | None]]
    unit: str = ""
    target: float | None = None
    target_label: str = ""
    figure: object | None = None
    colours: tuple[str, ...] = ()
    styles: dict[str, SeriesStyle] = field(default_factory=dict)


@dataclass(frozen=True)
class Slide:
    """One slide. Any of kpis, chart, image (PNG bytes), table and bullets may be present."""

    key: str
    title: str
    subtitle: str = ""
    kpis: tuple[Kpi, ...] = ()
    chart: ChartData | None = None
    image: bytes | None = None
    table: pd.DataFrame | None = None
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deck:
    """The slides plus what every slide footer repeats: filter context, data date, demo marker."""

    slides: list[Slide]
    context: str
    data_as_of: str
    demo_label: str | None
    lang: str = "id"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def footer(self) -> str:
        parts = [self.context, self.data_as_of]
        if self.demo_label:
            parts.append(self.demo_label)
        return " · ".join(parts)
