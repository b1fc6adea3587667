"""The meeting deck for the current filter: one ``Deck`` that the Presentasi page, the PPTX and the PDF render.

Pure (no streamlit). Every figure comes from the progress and evaluation functions the other pages use
(``progress.adoption_view`` / ``bimtek_view``, ``evaluation.build_scorecard`` / ``kab_report``), every
screen chart from the existing plotly builders, and the map from ``maps.choropleth`` + ``maps.png``: this module
only chooses slides and puts those outputs into the deck model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from utils.data import paths
from utils.data.dataset import Dataset
from utils.domain.codes import PROVINCE_CODE
from utils.domain.filters import FilterState, breadcrumb
from utils.i18n import fmt_date, fmt_int, fmt_month, fmt_num, fmt_pct, t
from utils.metrics import development, forecast, indicators, progress, reporting
from utils.metrics import evaluation as ev
from utils.views import charts
from utils.views import evaluation_display as evc
from utils.views import forecast_display as fcd
from utils.views import reporting_display as rpd
from utils.views.deck_model import ChartData, Deck, Kpi, SeriesStyle, Slide

if TYPE_CHECKING:
    import geopandas as gpd

#: Regions listed on the laggard slide and follow-ups per actor: what a projected slide can hold.
LAGGARD_ROWS = 10
FOLLOW_UPS_PER_ACTOR = 2
FOLLOW_UP_LINES = 6
#: Screen charts fill the slide's height (the Presentasi page sizes their frame to the window: about 480 px
#: at 1366×768 and 790 px at 1920×1080); text is sized for the taller one and shrinks inside bars as needed.
SCREEN_FONT = 20
#: The chart height on a 1366×768 screen: region names are sized so every row fits it.
SMALL_SCREEN_HEIGHT = 480
#: Of those, lines for the Indeks Desa round's Dinas PMD follow-ups (when a round is imported).
INDEKS_LINES = 2

BoundaryLoader = Callable[[str], "gpd.GeoDataFrame"]  # level -> (code, name, geometry)


def _big(fig):
    """The page builders' figure, enlarged for a projector (the builders size for a dashboard column). Its
    height is left to the slide's frame (``autosize``), so the chart fills the screen at any resolution."""
    fig.update_layout(height=None, autosize=True, font=dict(size=SCREEN_FONT),
                      legend=dict(font=dict(size=SCREEN_FONT)), margin=dict(l=20, r=40, t=60, b=20))
    for update in (fig.update_xaxes, fig.update_yaxes):  # automargin: the larger labels make their own room
        update(tickfont=dict(size=SCREEN_FONT - 2), title_font=dict(size=SCREEN_FONT - 2), automargin=True)
    bars = [tr for tr in fig.data if tr.type == "bar" and tr.orientation == "h"]
    if bars:  # a ranking: every region named (plotly would skip every other label)
        names = list(bars[0].y)
        # Region names do not shrink: sized so every row fits the smaller screen (1366×768, about 480 px).
        ticks = max(12, min(SCREEN_FONT - 2, int(0.85 * (SMALL_SCREEN_HEIGHT - 110) / max(len(names), 1))))
        fig.update_yaxes(tickmode="array", tickvals=names, ticktext=names, tickfont=dict(size=ticks))
        # Values beside the bars, as large as the names: inside a thin bar plotly would shrink them to ~10 px.
        fig.update_traces(textposition="outside", textfont=dict(size=ticks, color="#222222"),
                          outsidetextfont=dict(size=ticks, color="#222222"), cliponaxis=False,
                          selector=dict(type="bar"))
    return fig


def _region_name(ds: Dataset, code: str, lang: str) -> str:
    return t("province", lang) if code == PROVINCE_CODE else ds.names.get(code, code)


def _level_word(by: str, lang: str) -> str:
    return t("deck_level_kab" if by == "kab_code" else "deck_level_kec", lang)


def _values(series: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in series]


def title_slide(ds: Dataset, state: FilterState, as_of: dt.date, lang: str, today: dt.date) -> Slide:
    region = _region_name(ds, state.region_code, lang)
    return Slide("title", t("deck_programme", lang), t("deck_title_sub", lang, region=region), bullets=(
        t("deck_title_date", lang, date=fmt_date(today, lang)),
        t("deck_title_period", lang, date=fmt_date(as_of, lang)),
        t("deck_title_data", lang, date=fmt_date(ds.data_as_of, lang)),
        t("office", lang),
        # The sources, as every page's header names them (a deck mailed on its own says where it comes from).
        t("sources", lang, programme=t("programme_demo" if ds.is_demo else "programme_real", lang))))


def kpi_slide(ds: Dataset, snapshot: pd.DataFrame, code: str, as_of: dt.date, lang: str) -> Slide:
    """Headline figures of the region (``indicators.summarise``, as on Ringkasan)."""
    s = indicators.summarise(ds, snapshot, code, as_of.year)
    kpis = []
    cov = reporting.coverage(ds, snapshot, code)  # real data: over the desa of kabupaten that reported
    if s.pct_joined is not None:  # a kota or kelurahan: adoption does not apply, so no adoption figure at all
        joined, pct = rpd.joined_kpi(s.joined, cov, None, lang)
        kpis.append(Kpi(t("kpi_joined", lang), joined,
                        t("deck_kpi_joined_note", lang, pct=pct) if pct else ""))
        if s.target_pct_joined is not None and not cov.none:
            kpis.append(Kpi(t("deck_kpi_target", lang, year=as_of.year), fmt_pct(s.target_pct_joined, 0, lang),
                            t("deck_kpi_target_note", lang, n=fmt_int(
                                indicators.target_desa(s.target_pct_joined, cov.desa), lang))))
    kpis += [
        Kpi(t("kpi_bimtek", lang), fmt_int(s.bimtek_participants, lang),
            t("deck_kpi_villages_note", lang, n=fmt_int(s.n_villages, lang))),
        Kpi(t("kpi_bimtek2", lang), fmt_pct(s.pct_2plus, 1, lang),
            t("deck_kpi_2plus_note", lang, n=fmt_int(s.villages_2plus, lang))),
    ]
    if s.n_desa:  # officers serve desa: a kota has none to count
        kpis.append(Kpi(t("kpi_officers", lang), fmt_int(s.officers, lang)))
    region = _region_name(ds, code, lang)
    bullets = (t("deck_no_desa", lang),) if s.n_desa == 0 else ()
    return Slide("kpis", t("deck_kpi_title", lang, region=region), kpis=tuple(kpis), bullets=bullets)


def map_slide(ds: Dataset, snapshot: pd.DataFrame, state: FilterState, as_of: dt.date, lang: str, region: str,
              boundaries: BoundaryLoader | None, metric_key: str = "joined") -> Slide:
    """One metric by the level below the filter, as the Peta page's PNG (same classes, targets and colours):
    desa joined, or Bimtek coverage where adoption does not apply (a kota)."""
    from utils.views.maps import choropleth

    title, sub = t(f"deck_map_title_{metric_key}", lang), t(f"deck_map_sub_{metric_key}", lang)
    if boundaries is None:
        return Slide("map", title, sub, bullets=(t("deck_map_missing", lang),))
    plan = choropleth.layer_plan(state.kab, state.kec, False, len(snapshot))
    ind = indicators.region_indicators(indicators.select(snapshot, state.kec or state.kab or PROVINCE_CODE), plan.by)
    villages = plan.by == "code"
    frame = (choropleth.village_values(ind, snapshot, as_of) if villages else choropleth.region_values(ind, as_of))
    classed = choropleth.layer_classes(ds, frame, villages, metric_key, as_of, lang)
    try:
        from utils.views.maps import png

        gdf = boundaries(plan.level)
        gdf = gdf[gdf["code"].str.startswith(plan.prefix)] if plan.prefix else gdf
        outline = None
        if plan.outline_file:
            outline = boundaries(plan.outline_file.split("/")[0])
            outline = outline[outline["code"] == plan.outline_prefix] if plan.outline_prefix else outline
        image = png.render_png(gdf, classed, t("map_png_title", lang, metric=classed.title, region=region,
                                                 date=fmt_date(as_of, lang)), t("office", lang), outline,
                                 selected=state.desa, marker=t("deck_demo", lang) if ds.is_demo else None)
    except (OSError, ValueError, KeyError):  # no boundary file for this level: say so on the slide
        return Slide("map", title, sub, bullets=(t("deck_map_missing", lang),))
    return Slide("map", title, sub, image=image)


def adoption_slide(view: progress.AdoptionView, lang: str, year: int) -> Slide:
    """Cumulative desa joined against the yearly targets, with the forecast's projection and range: the
    series of the Adopsi page's chart (``progress.adoption_chart_frame``), so slide, PPTX and PDF draw what
    the screen draws."""
    title = t("deck_adoption_title", lang)
    row, fc = view.row, view.forecast
    eta, spread = fcd.forecast_text(fc, lang)
    frame = progress.adoption_chart_frame(view)
    pct = view.target_pct
    figure = _big(charts.joined_vs_target(frame, lang, fc))
    series, styles = {}, {}
    for col, key, style in (
            ("actual", "adp_actual", SeriesStyle(charts.PRIMARY, width=3)),
            ("target", "adp_target", SeriesStyle(charts.TARGET, dash="dash", width=2, markers=True)),
            ("projection", "adp_projection", SeriesStyle(charts.SECONDARY, dash="dot", width=2)),
            ("range", "adp_range", SeriesStyle(charts.SECONDARY, width=8, opacity=0.3))):
        if frame[col].notna().any():
            series[t(key, lang)] = _values(frame[col].round(0))
            styles[t(key, lang)] = style
    chart = ChartData(kind="line", categories=[fmt_month(m.date(), lang) for m in frame["month"]], series=series,
                      styles=styles, figure=figure)
    # Chart slides keep their figures at the side, not above: the chart then fits a 1366×768 screen.
    bullets = [t("deck_adoption_joined", lang, joined=fmt_int(row["joined"], lang), desa=fmt_int(row["desa"], lang),
                 pct=fmt_pct(row["pct_joined"], 1, lang)), t("deck_adoption_forecast", lang, eta=eta)]
    if spread:
        bullets.append(t("deck_adoption_range", lang, range=spread))
    if fc.status in (forecast.ON_PACE, forecast.STALLED):
        bullets.append(t("deck_adoption_pace", lang, pace=fmt_num(fc.pace, 1, lang)))
    bullets.append(t("deck_adoption_outstanding", lang, n=fmt_int(int(row["desa"]) - int(row["joined"]), lang)))
    sub = (t("deck_adoption_sub", lang, year=year, n=fmt_int(fc.target, lang), pct=fmt_pct(pct, 0, lang))
           if pct is not None else "")
    return Slide("adoption", title, sub, chart=chart, bullets=tuple(bullets))


def bimtek_slide(view: progress.BimtekView, code: str, lang: str) -> Slide:
    """Share of villages with ≥ 2 trained per region the ranking compares (``progress.bimtek_view``)."""
    cov = view.coverage
    by, _ = progress.child_scope(code)
    detail = [t("btk_cov_hover", lang, c=fmt_int(c, lang), n=fmt_int(n, lang), k=fmt_int(k, lang))
              for c, n, k in zip(cov["villages_2plus"], cov["villages"], cov["kelurahan"], strict=True)]
    fig = charts.region_bar(cov, "pct_2plus", lang, axis_title=t("btk_pct_2plus", lang), target=view.target_pct,
                            detail=detail, highlight=code)
    chart = ChartData(kind="bar", categories=cov["name"].tolist(),
                      series={t("deck_series_2plus", lang): _values(cov["pct_2plus"].round(1))}, unit="%",
                      target=view.target_pct, target_label=t("deck_target_line", lang), figure=_big(fig),
                      colours=tuple(fig.data[0].marker.color[::-1]))
    row = view.row
    bullets = [t("deck_bimtek_participants", lang, n=fmt_int(row["bimtek_participants"], lang)),
               t("deck_bimtek_covered", lang, n=fmt_int(row["villages_2plus"], lang),
                 of=fmt_int(row["villages"], lang), pct=fmt_pct(row["pct_2plus"], 1, lang))]
    if view.target_pct is not None:
        bullets.append(t("deck_bimtek_target", lang, pct=fmt_pct(view.target_pct, 0, lang)))
    return Slide("bimtek", t("deck_bimtek_title", lang), t("deck_bimtek_sub", lang, level=_level_word(by, lang)),
                 chart=chart, bullets=tuple(bullets))


def scorecard(ds: Dataset, snapshot: pd.DataFrame, as_of: dt.date) -> tuple[ev.Scorecard, pd.DataFrame, pd.Series]:
    """All kabupaten/kota scored at ``as_of`` with the default weights: (card, kab table, province row)."""
    kab = indicators.region_indicators(snapshot, "kab_code")
    province = indicators.region_indicators(snapshot.assign(province=PROVINCE_CODE), "province").loc[PROVINCE_CODE]
    card = ev.build_scorecard(kab, province, lambda c, k: indicators.target_for(ds, c, as_of.year, k), as_of)
    return card, kab, province


def ranking_slide(card: ev.Scorecard, names: dict[str, str], lang: str) -> Slide:
    """Kabupaten/kota by composite score, rank 1 first: the Evaluasi page's chart (``composite_bar``), its
    values as shown (one decimal), its ranks (ties share the best rank) and its RAG colours."""
    fig = evc.composite_bar(card.summary, names, lang)
    bars = fig.data[0]
    # The page draws rank 1 at the top of a horizontal bar chart, i.e. last in its data: reverse it.
    labels, values, colours = list(bars.y)[::-1], [round(float(v), 1) for v in bars.x][::-1], tuple(
        bars.marker.color[::-1])
    series: dict[str, list[float | None]] = {t("deck_series_composite", lang): [*values]}
    chart = ChartData(kind="bar", categories=labels, series=series,
                      unit="score", figure=_big(fig), colours=colours)
    bullets: tuple[str, ...] = ()
    if labels:
        bullets = (t("deck_rank_top", lang, name=labels[0].split(". ", 1)[1], score=fmt_num(values[0], 1, lang)),
                   t("deck_rank_bottom", lang, name=labels[-1].split(". ", 1)[1], score=fmt_num(values[-1], 1, lang)))
    return Slide("ranking", t("deck_rank_title", lang), t("deck_rank_sub", lang), chart=chart, bullets=bullets)


def kab_slide(report: ev.KabReport, lang: str, names: dict[str, str]) -> Slide:
    """One kabupaten's scorecard: composite, rank, indicator table and the issues a Rakor reads first."""
    from utils.views.exports.report_pdf import top_issues  # the one-page report's sentences, said once

    weakest = evc.indicator_short(report.weakest, lang) if report.weakest else "–"
    kpis = (Kpi(t("deck_kab_composite", lang), fmt_num(report.composite, 1, lang) if report.composite is not None else "–"),
            Kpi(t("deck_kab_rank", lang), t("deck_kab_rank_value", lang, rank=report.rank, n=report.n_regions)
                if report.rank is not None else "–"),
            Kpi(t("deck_kab_weakest", lang), weakest))
    table = evc.indicator_frame(report.indicators, lang)
    # Short indicator names (as the scorecard's column headings): one line per indicator on a projector.
    rows = report.indicators
    table[table.columns[0]] = [evc.indicator_short(str(i), lang) for i in rows.index]
    # A province benchmark as "65,0% *" (as the Evaluasi scorecard marks it), explained under the title.
    benchmark = rows["target_basis"].eq("province").to_numpy() & rows["status"].isin(ev.RAG_STATUSES).to_numpy()
    table[table.columns[2]] = [f"{evc.fmt_value(str(i), v, lang)} *" if b else cell for i, v, b, cell in
                               zip(rows.index, rows["target"], benchmark, table[table.columns[2]], strict=True)]
    return Slide(f"kab_{report.code}", t("deck_kab_title", lang, name=report.name),
                 t("deck_kab_benchmark", lang) if benchmark.any() else "", kpis=kpis, table=table,
                 bullets=tuple(top_issues(report, lang, names)))


def laggard_table(lag: pd.DataFrame, by: str, names: dict[str, str], lang: str) -> pd.DataFrame:
    """Desa not yet joined per region (most first): region, outstanding, infrastructure and programme gaps."""
    counts = pd.crosstab(lag[by], lag["gap"]).reindex(columns=["infra", "programme", "unknown"], fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts = counts.assign(name=counts.index.map(names)).sort_values(["total", "name"], ascending=[False, True])
    top = counts.head(LAGGARD_ROWS)
    return pd.DataFrame({
        t("deck_col_region", lang): top["name"].tolist(),
        t("deck_col_outstanding", lang): [fmt_int(v, lang) for v in top["total"]],
        t("deck_col_infra", lang): [fmt_int(v, lang) for v in top["infra"]],
        t("deck_col_programme", lang): [fmt_int(v, lang) for v in top["programme"]],
    })


def follow_up_lines(fu: pd.DataFrame, lang: str) -> list[str]:
    """The first follow-ups per actor (digital first, as ``evaluation.follow_ups`` sorts them)."""
    top = ev.top_follow_ups(fu, FOLLOW_UPS_PER_ACTOR).head(FOLLOW_UP_LINES)
    return [t("deck_follow_up", lang, actor=t(f"ev_actor_{a}", lang), who=w, activity=act, n=fmt_int(n, lang))
            for a, w, act, n in zip(top["actor"], top["who"], top["activity"], top["desa"], strict=True)]


def indeks_lines(indeks: development.IndeksRound | None, codes, lang: str, n: int = INDEKS_LINES) -> list[str]:
    """The Indeks Desa round's first Dinas PMD follow-ups for ``codes`` (most desa first), labelled with the index."""
    if indeks is None:
        return []
    recs = indeks.recommendations(codes).head(n)
    return [t("ix_rec_line", lang, year=indeks.year, action=a, n=fmt_int(k, lang))
            for a, k in zip(recs["action"], recs["desa"], strict=True)]


def laggard_slide(view: progress.AdoptionView, code: str, recs: pd.DataFrame, names: dict[str, str],
                  lang: str, indeks: development.IndeksRound | None = None) -> Slide:
    lag = view.laggards
    by, _ = progress.child_scope(code)
    title, sub = t("deck_laggard_title", lang), t("deck_laggard_sub", lang, level=_level_word(by, lang))
    if int(view.row["desa"]) == 0:
        return Slide("laggards", title, bullets=(t("deck_no_desa", lang),))
    if lag.empty:
        return Slide("laggards", title, bullets=(t("deck_none_lagging", lang),))
    gaps = lag["gap"].value_counts()
    kpis = tuple(Kpi(t(f"adp_gap_{g}", lang), fmt_int(gaps.get(g, 0), lang)) for g in ("infra", "programme", "unknown"))
    ix = indeks_lines(indeks, lag["code"], lang)  # beside the IDM 2024 rows, each labelled with index and year
    lines = (follow_up_lines(ev.follow_ups(recs, lag["code"]), lang)[:FOLLOW_UP_LINES - len(ix)]
             or [t("deck_no_follow_ups", lang)]) + ix
    return Slide("laggards", title, sub, kpis=kpis, table=laggard_table(lag, by, names, lang), bullets=tuple(lines))


def deck_context(ds: Dataset, state: FilterState, as_of: dt.date, lang: str) -> str:
    """Footer text: the breadcrumb of the filter and the period end."""
    crumbs = " › ".join(label for _, label in breadcrumb(state, ds.names, t("province", lang)))
    return f"{crumbs} · {t('period_as_of', lang, date=fmt_date(as_of, lang))}"


def build_deck(ds: Dataset, state: FilterState, as_of: dt.date, lang: str, kab_codes: Sequence[str] = (), *,
               snapshot: pd.DataFrame | None = None, boundaries: BoundaryLoader | None = None,
               recs: pd.DataFrame | None = None, today: dt.date | None = None,
               adoption: progress.AdoptionView | None = None, bimtek: progress.BimtekView | None = None,
               scored: tuple[ev.Scorecard, pd.DataFrame, pd.Series] | None = None,
               kec_table: pd.DataFrame | None = None) -> Deck:
    """The deck of the filter ``state`` at ``as_of`` in ``lang``: title, KPIs, map, adoption against target,
    Bimtek coverage, kabupaten ranking, one scorecard per code of ``kab_codes``, laggards and follow-ups.

    ``snapshot``: ``indicators.village_snapshot(ds, as_of)`` when the caller has it cached; ``boundaries``:
    a level -> GeoDataFrame loader (None: the map slide says the map is unavailable); ``recs``: the IDM
    recommendation rows (``evaluation.load_recommendations``; None: read them from ``paths``). The figures the
    Adopsi, Pelatihan and Evaluasi pages already hold for this region and period can be passed in, so the deck shows
    the very objects the pages show and a first deck costs little more than its charts: ``adoption``
    (``progress.adoption_view``), ``bimtek`` (``progress.bimtek_view``), ``scored`` (``scorecard``'s card, kab
    table and province row; the page's card with the default weights) and ``kec_table``
    (``region_indicators(snapshot, "kec_code")``). None: computed here.
    """
    snap = indicators.village_snapshot(ds, as_of) if snapshot is None else snapshot
    recs = ev.load_recommendations(paths.IDM_RECOMMENDATIONS) if recs is None else recs
    code, names = state.region_code, ds.names
    region = _region_name(ds, code, lang)
    adoption = progress.adoption_view(ds, snap, code, as_of) if adoption is None else adoption
    bimtek = progress.bimtek_view(ds, snap, code, as_of) if bimtek is None else bimtek
    card, kab_table, province = scorecard(ds, snap, as_of) if scored is None else scored
    # Where adoption does not apply (a kota, a kelurahan: no desa) its slides are left out, not shown empty;
    # the map then shows Bimtek coverage, which covers kelurahan.
    has_desa = int(adoption.row["desa"]) > 0
    slides = [title_slide(ds, state, as_of, lang, today or dt.date.today()),
              kpi_slide(ds, snap, code, as_of, lang),
              map_slide(ds, snap, state, as_of, lang, region, boundaries, "joined" if has_desa else "bimtek"),
              *([adoption_slide(adoption, lang, as_of.year)] if has_desa else []),
              bimtek_slide(bimtek, code, lang),
              ranking_slide(card, names, lang)]
    if kab_codes and kec_table is None:
        kec_table = indicators.region_indicators(snap, "kec_code")
    indeks = development.indeks_round(ds, as_of.year)
    empty_trend = pd.DataFrame(columns=["date", "code", "indicator", "value"])  # the deck shows no trend chart
    for kab in kab_codes:
        if kab not in card.summary.index:
            continue
        report = ev.kab_report(card, kab, names.get(kab, kab), empty_trend, kec_table, snap, recs, kab_table,
                               province, names, indeks=indeks)
        slides.append(kab_slide(report, lang, names))
    if has_desa:
        slides.append(laggard_slide(adoption, code, recs, names, lang, indeks))
    demo = t("deck_demo", lang) if ds.is_demo else None
    for spec in slides:  # a PNG saved from a slide's chart says "Data contoh" too
        if spec.chart is not None and spec.chart.figure is not None:
            charts.mark_demo(spec.chart.figure, demo)
    from utils.views.exports.excel import download_name

    return Deck(slides=slides, context=deck_context(ds, state, as_of, lang),
                data_as_of=t("data_as_of", lang, date=fmt_date(ds.data_as_of, lang)), demo_label=demo, lang=lang,
                extra={"png_names": {spec.key: download_name(ds, code, f"presentasi-{spec.key}", as_of, "png")[:-4]
                                     for spec in slides if spec.chart is not None}})

