"""The Pelatihan timeline: whole-number ticks on small participant counts (plotly's own would fall on halves,
printed by ',d' as "2, 2, 1, 1, 0"), event text in the hover shown as typed."""

from __future__ import annotations

import pandas as pd

from utils.views import charts


def _figure(counts: list[int], title: str = "Bimtek Smart Village"):
    days = pd.to_datetime([f"2024-0{i + 1}-10" for i in range(len(counts))])
    events = pd.DataFrame({"title": [title] * len(counts), "start_date": days, "end_date": days,
                           "venues": ["Hotel A"] * len(counts), "participants_here": counts,
                           "villages_here": [1] * len(counts)})
    cumulative = pd.DataFrame({"month": days, "participants": pd.Series(counts).cumsum()})
    return charts.events_timeline(events, cumulative)


def test_small_counts_tick_every_whole_number():
    fig = _figure([2, 1])
    for axis in (fig.layout.yaxis, fig.layout.yaxis2):
        assert (axis.tickmode, axis.tick0, axis.dtick) == ("linear", 0, 1)


def test_large_counts_keep_plotly_ticks():
    fig = _figure([40, 35, 20])
    assert fig.layout.yaxis.tickmode == "auto" and fig.layout.yaxis.dtick is None
    assert fig.layout.yaxis2.tickmode == "auto"


def test_event_text_in_the_hover_is_inert():
    fig = _figure([2], title='<span style="font-size:60px">X</span><a href="http://evil.test">y</a>')
    hover = fig.data[0].customdata[0]
    assert "<span" not in hover and "<a " not in hover
    assert "&lt;span style=&#34;font-size:60px&#34;&gt;X&lt;/span&gt;" in hover
