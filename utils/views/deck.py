"""The meeting deck for the current filter: one ``Deck`` that the Presentasi page, the PPTX and the PDF render.

Pure (no streamlit). Every figure comes from the progress and evaluation functions the other pages use
(``progress.adoption_view`` / ``bimtek_view``, ``evaluation.build_scorecard`` / ``kab_report``), every
screen chart from the existing plotly builders, and the map from ``maps.choropleth`` + ``maps.png``: this module
only chooses slides and puts those outputs into the deck model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import pandas as pd

from utils.data import paths
from utils.data.dataset import Dataset
from utils.domain.codes import PROVINCE_CODE
from utils.domain.filters import FilterState, breadcrumb
from utils.i18n import fmt_date, fmt_int, fmt_month, fmt_num, fmt_pct, t
from utils.metrics import development, indicators, progress
from utils.metrics import evaluation as ev
from utils.views import charts
from utils.views import evaluation_display as evc
from utils.views.deck_model import ChartData, Deck, Kpi, Slide

#: Regions listed on the laggard slide and follow-ups per actor: what a projected slide can hold.
LAGGARD_ROWS = 10
FOLLOW_UPS_PER_ACTOR = 2
FOLLOW_UP_LINES = 6
#: Of those, lines for the Indeks Desa round's Dinas PMD follow-ups (when a round is imported).
INDEKS_LINES = 2
#: Screen charts are drawn this tall, with this font size: readable from the back of a meeting room.
SCREEN_HEIGHT, SCREEN_FONT = 470, 18

BoundaryLoader = Callable[[str], object]  # level -> GeoDataFrame (code, name, geometry)


def _big(fig):
    """The page builders' figure, enlarged for a projector (the builders size for a dashboard column)."""
    fig.update_layout(height=SCREEN_HEIGHT, font=dict(size=SCREEN_FONT), legend=dict(font=dict(size=SCREEN_FONT)),
                      margin=dict(l=20, r=40, t=50, b=20))
    for update in (fig.update_xaxes, fig.update_yaxes):  # automargin: the larger labels make their own room
        update(tickfont=dict(size=SCREEN_FONT - 2), title_font=dict(size=SCREEN_FONT - 2), automargin=True)
    bars = [tr for tr in fig.data if tr.type == "bar" and tr.orientation == "h"]
    if bars:  # a ranking: every region named (plotly would skip every other label), text sized to the rows
        names = list(bars[0].y)
        size = max(11, min(SCREEN_FONT - 2, int(0.75 * (SCREEN_HEIGHT - 90) / max(len(names), 1))))
        fig.update_yaxes(tickmode="array", tickvals=names, ticktext=names, tickfont=dict(size=size))
        fig.update_traces(textfont=dict(size=size), insidetextfont=dict(size=size), selector=dict(type="bar"))
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
        t("office", lang)))


def kpi_slide(ds: Dataset, snapshot: pd.DataFrame, code: str, as_of: dt.date, lang: str) -> Slide:
    """Headline figures of the region (``indicators.summarise``, as on Ringkasan)."""
    s = indicators.summarise(ds, snapshot, code, as_of.year)
    kpis = []
    if s.pct_joined is None:  # a kota or kelurahan: adoption is "tidak berlaku", never 0
        kpis.append(Kpi(t("kpi_joined", lang), t("not_applicable", lang)))
    else:
        kpis.append(Kpi(t("kpi_joined", lang), f"{fmt_int(s.joined, lang)} / {fmt_int(s.n_desa, lang)}",
                        t("deck_kpi_joined_note", lang, pct=fmt_pct(s.pct_joined, 1, lang))))
        if s.target_pct_joined is not None:
            kpis.append(Kpi(t("deck_kpi_target", lang, year=as_of.year), fmt_pct(s.target_pct_joined, 0, lang),
                            t("deck_kpi_target_note", lang, n=fmt_int(
                                progress.target_desa(s.target_pct_joined, s.n_desa), lang))))
    kpis += [
        Kpi(t("kpi_bimtek", lang), fmt_int(s.bimtek_participants, lang),
            t("deck_kpi_villages_note", lang, n=fmt_int(s.n_villages, lang))),
        Kpi(t("kpi_bimtek2", lang), fmt_pct(s.pct_2plus, 1, lang),
            t("deck_kpi_2plus_note", lang, n=fmt_int(s.villages_2plus, lang))),
        Kpi(t("kpi_officers", lang), fmt_int(s.officers, lang)),
    ]
    region = _region_name(ds, code, lang)
    bullets = (t("deck_no_desa", lang),) if s.n_desa == 0 else ()
    return Slide("kpis", t("deck_kpi_title", lang, region=region), kpis=tuple(kpis), bullets=bullets)


def map_slide(snapshot: pd.DataFrame, state: FilterState, as_of: dt.date, lang: str, region: str,
              boundaries: BoundaryLoader | None) -> Slide:
    """Desa joined by the level below the filter, as the Peta page's PNG (same classes and colours)."""
    from utils.views.maps import choropleth

    title, sub = t("deck_map_title", lang), t("deck_map_sub", lang)
    if boundaries is None:
        return Slide("map", title, sub, bullets=(t("deck_map_missing", lang),))
    plan = choropleth.layer_plan(state.kab, state.kec, False, len(snapshot))
    ind = indicators.region_indicators(indicators.select(snapshot, state.kec or state.kab or PROVINCE_CODE), plan.by)
    villages = plan.by == "code"
    frame = (choropleth.village_values(ind, snapshot, as_of) if villages else choropleth.region_values(ind, as_of))
    classed = choropleth.classify(choropleth.metric("joined"), frame, villages, lang,
                                  frame["applies"] if villages else frame["desa"] > 0)
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
                                 selected=state.desa)
    except (OSError, ValueError, KeyError):  # no boundary file for this level: say so on the slide
        return Slide("map", title, sub, bullets=(t("deck_map_missing", lang),))
    return Slide("map", title, sub, image=image)


def adoption_slide(view: progress.AdoptionView, lang: str, year: int) -> Slide:
    """Cumulative desa joined against the year's target, with the forecast (``progress.adoption_view``)."""
    title = t("deck_adoption_title", lang)
    row, fc = view.row, view.forecast
    if int(row["desa"]) == 0:
        return Slide("adoption", title, bullets=(t("deck_no_desa", lang),))
    eta, spread = progress.forecast_text(fc, lang)
    monthly = view.monthly
    pct = view.target_pct
    target_label = t("deck_series_target", lang, year=year)
    chart = ChartData(
        kind="line", categories=[fmt_month(m.date(), lang) for m in monthly["month"]],
        series={t("deck_series_joined", lang): _values(monthly["joined"])},
        target=float(fc.target) if pct is not None else None, target_label=target_label,
        figure=_big(charts.joined_vs_target(monthly, view.targets, lang, fc)))
    # Chart slides keep their figures at the side, not above: the chart then fits a 1366×768 screen.
    bullets = [t("deck_adoption_joined", lang, joined=fmt_int(row["joined"], lang), desa=fmt_int(row["desa"], lang),
                 pct=fmt_pct(row["pct_joined"], 1, lang)), t("deck_adoption_forecast", lang, eta=eta)]
    if spread:
        bullets.append(t("deck_adoption_range", lang, range=spread))
    if fc.status in ("on_pace", "no_progress"):
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
                      series={t("deck_series_2plus", lang): _values(cov["pct_2plus"])}, unit="%",
                      target=view.target_pct, target_label=t("deck_target_line", lang), figure=_big(fig))
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
    """Kabupaten/kota by composite score, rank 1 first (the Evaluasi page's ranking)."""
    rows = card.summary.dropna(subset=["composite"]).sort_values(["rank", "composite"], ascending=[True, False])
    labels = [f"{int(r)}. {names.get(c, c)}" for c, r in zip(rows.index, rows["rank"], strict=True)]
    chart = ChartData(kind="bar", categories=labels,
                      series={t("deck_series_composite", lang): _values(rows["composite"])},
                      figure=_big(evc.composite_bar(card.summary, names, lang)))
    bullets = ()
    if len(rows):
        first, last = rows.index[0], rows.index[-1]
        bullets = (t("deck_rank_top", lang, name=names.get(first, first), score=fmt_num(rows["composite"].iloc[0], 1, lang)),
                   t("deck_rank_bottom", lang, name=names.get(last, last),
                     score=fmt_num(rows["composite"].iloc[-1], 1, lang)))
    return Slide("ranking", t("deck_rank_title", lang), t("deck_rank_sub", lang), chart=chart, bullets=bullets)


def kab_slide(report: ev.KabReport, lang: str, names: dict[str, str]) -> Slide:
    """One kabupaten's scorecard: composite, rank, indicator table and the issues a Rakor reads first."""
    from utils.views.exports.report_pdf import top_issues  # the one-page report's sentences, said once

    weakest = ev.BY_ID[report.weakest].short(lang) if report.weakest else "–"
    kpis = (Kpi(t("deck_kab_composite", lang), fmt_num(report.composite, 1, lang) if report.composite is not None else "–"),
            Kpi(t("deck_kab_rank", lang), t("deck_kab_rank_value", lang, rank=report.rank, n=report.n_regions)
                if report.rank is not None else "–"),
            Kpi(t("deck_kab_weakest", lang), weakest))
    table = evc.indicator_frame(report.indicators, lang)
    # Short indicator names (as the scorecard's column headings): one line per indicator on a projector.
    rows = report.indicators
    table[table.columns[0]] = [ev.BY_ID[str(i)].short(lang) for i in rows.index]
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
               recs: pd.DataFrame | None = None, today: dt.date | None = None) -> Deck:
    """The deck of the filter ``state`` at ``as_of`` in ``lang``: title, KPIs, map, adoption against target,
    Bimtek coverage, kabupaten ranking, one scorecard per code of ``kab_codes``, laggards and follow-ups.

    ``snapshot``: ``indicators.village_snapshot(ds, as_of)`` when the caller has it cached; ``boundaries``:
    a level -> GeoDataFrame loader (None: the map slide says the map is unavailable); ``recs``: the IDM
    recommendation rows (``evaluation.load_recommendations``; None: read them from ``paths``).
    """
    snap = indicators.village_snapshot(ds, as_of) if snapshot is None else snapshot
    recs = ev.load_recommendations(paths.IDM_RECOMMENDATIONS) if recs is None else recs
    code, names = state.region_code, ds.names
    region = _region_name(ds, code, lang)
    adoption = progress.adoption_view(ds, snap, code, as_of)
    bimtek = progress.bimtek_view(ds, snap, code, as_of)
    card, kab_table, province = scorecard(ds, snap, as_of)
    slides = [title_slide(ds, state, as_of, lang, today or dt.date.today()),
              kpi_slide(ds, snap, code, as_of, lang),
              map_slide(snap, state, as_of, lang, region, boundaries),
              adoption_slide(adoption, lang, as_of.year),
              bimtek_slide(bimtek, code, lang),
              ranking_slide(card, names, lang)]
    kec_table = indicators.region_indicators(snap, "kec_code") if kab_codes else None
    indeks = development.indeks_round(ds, as_of.year)
    empty_trend = pd.DataFrame(columns=["date", "code", "indicator", "value"])  # the deck shows no trend chart
    for kab in kab_codes:
        if kab not in card.summary.index:
            continue
        report = ev.kab_report(card, kab, names.get(kab, kab), empty_trend, kec_table, snap, recs, kab_table,
                               province, names, indeks=indeks)
        slides.append(kab_slide(report, lang, names))
    slides.append(laggard_slide(adoption, code, recs, names, lang, indeks))
    return Deck(slides=slides, context=deck_context(ds, state, as_of, lang),
                data_as_of=t("data_as_of", lang, date=fmt_date(ds.data_as_of, lang)),
                demo_label=t("deck_demo", lang) if ds.is_demo else None, lang=lang)

