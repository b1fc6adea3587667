"""The report pack of one period: what goes to every kabupaten/kota and to the province before a Rakor.

For a period end: the province deck (PPTX and PDF, ``deck.build_deck`` as the Presentasi page shows it for
the province), one evaluation one-pager per kabupaten/kota (``report_pdf.kab_report_pdf`` of the report the
Evaluasi page shows, default weights), the filtered Excel per kabupaten/kota (``excel.workbook_bytes``, as
its download on every page) and an ``index.html`` linking them with period, data date and sources. Every
file is named by ``excel.download_name`` (the one pattern, ``_data-contoh`` while demo rows are in it).

No streamlit, no network: ``python -m utils reports`` writes a folder, the Presentasi page serves the same
pack as one ZIP (``zip_bytes``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import io
import sys
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from utils.data import paths
from utils.data.dataset import Dataset
from utils.domain.codes import PROVINCE_CODE
from utils.domain.filters import (
    FilterState,
    default_period,
    parse_period,
    period_end,
    quarter_end,
    region_options,
)
from utils.i18n import fmt_date, inert, t
from utils.metrics import evaluation as ev
from utils.metrics import indicators
from utils.views.exports import excel

INDEX = "index.html"
#: progress(done, total, label): called before each step, and once more with done == total at the end.
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class PackFile:
    """One file of the pack: its name (the one pattern), the region it is about, its kind and bytes."""

    name: str
    region: str  # Kemendagri code (the province's for the deck)
    kind: str  # "deck_pptx" | "deck_pdf" | "report" | "data"
    data: bytes


@dataclass(frozen=True)
class Pack:
    """Every file of one period's pack, then the index linking them."""

    as_of: dt.date
    data_as_of: dt.date
    is_demo: bool
    lang: str
    files: tuple[PackFile, ...]
    index: bytes

    def names(self) -> list[str]:
        return [f.name for f in self.files] + [INDEX]


def kabupaten_codes(ds: Dataset) -> list[str]:
    """The 15 kabupaten/kota in the order the sidebar lists them (by name)."""
    return region_options(ds.regions, PROVINCE_CODE, "kabupaten")["code"].tolist()


class _Period:
    """The indicator tables of the pack's period and of the dates its scorecard and trend need, each once."""

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self._snap: dict[dt.date, pd.DataFrame] = {}
        self._kab: dict[dt.date, pd.DataFrame] = {}
        self._province: dict[dt.date, pd.Series] = {}

    def snapshot(self, day: dt.date) -> pd.DataFrame:
        if day not in self._snap:
            self._snap[day] = indicators.village_snapshot(self.ds, day)
        return self._snap[day]

    def kab(self, day: dt.date) -> pd.DataFrame:
        if day not in self._kab:
            self._kab[day] = indicators.region_indicators(self.snapshot(day), "kab_code")
        return self._kab[day]

    def province(self, day: dt.date) -> pd.Series:
        if day not in self._province:
            snap = self.snapshot(day).assign(province=PROVINCE_CODE)
            self._province[day] = indicators.region_indicators(snap, "province").loc[PROVINCE_CODE]
        return self._province[day]

    def scored(self, day: dt.date) -> pd.DataFrame:
        ds = self.ds
        return ev.score_indicators(self.kab(day), self.province(day),
                                   lambda c, k: indicators.target_for(ds, c, day.year, k), day)


def kab_reports(ds: Dataset, as_of: dt.date, codes: Sequence[str], recs: pd.DataFrame,
                period: _Period | None = None) -> dict[str, ev.KabReport]:
    """The Evaluasi page's report of each kabupaten/kota of ``codes`` at ``as_of`` (default weights): the same
    scorecard with rank change, trend over ``ev.trend_dates`` and kecamatan table the page computes."""
    period = period or _Period(ds)
    card = ev.period_scorecard(period.scored, as_of)
    trend_all = ev.trend({day: period.kab(day) for day in ev.trend_dates(as_of)})
    snap = period.snapshot(as_of)
    kec = indicators.region_indicators(snap, "kec_code")
    names = ds.names
    return {code: ev.kab_report(card, code, names[code], trend_all[trend_all["code"] == code].reset_index(drop=True),
                                kec, snap, recs, period.kab(as_of), period.province(as_of), names)
            for code in codes}


def period_label(as_of: dt.date, year: int, quarter: int, lang: str) -> str:
    """"Triwulan 3 2026 · s.d. 30 September 2026" (the period end is capped at the data date)."""
    return t("rep_period", lang, quarter=t("quarter_label", lang, q=quarter), year=year, date=fmt_date(as_of, lang))


def build_pack(ds: Dataset, year: int, quarter: int, lang: str = "id", kab_codes: Sequence[str] | None = None, *,
               boundaries: Callable[[str], object] | None = None, recs: pd.DataFrame | None = None,
               progress: Progress | None = None, generated: dt.datetime | None = None) -> Pack:
    """The pack of ``year``/``quarter`` (its end, capped at the data date) for ``kab_codes`` (all 15 when None).

    ``boundaries``: level -> GeoDataFrame for the deck's map (None: ``dataset.load_boundaries``, once per level).
    """
    from utils.views import deck as deck_mod
    from utils.views.exports.deck_pdf import deck_pdf
    from utils.views.exports.deck_pptx import deck_pptx
    from utils.views.exports.report_pdf import kab_report_pdf

    generated = generated or dt.datetime.now()
    state = FilterState(year=year, quarter=quarter, lang=lang)
    as_of = period_end(state, ds.data_as_of)
    codes = list(kab_codes) if kab_codes is not None else kabupaten_codes(ds)
    names = ds.names
    if boundaries is None:
        from functools import lru_cache

        from utils.data.dataset import load_boundaries

        boundaries = lru_cache(maxsize=4)(load_boundaries)
    recs = ev.load_recommendations(paths.IDM_RECOMMENDATIONS) if recs is None else recs
    steps: list[tuple[str, Callable[[], None]]] = []
    files: list[PackFile] = []
    made: dict[str, Any] = {}  # "reports": code -> KabReport, "deck": the Deck (filled by the steps)
    period = _Period(ds)

    def figures() -> None:
        made["reports"] = kab_reports(ds, as_of, codes, recs, period)

    def deck() -> None:
        made["deck"] = deck_mod.build_deck(ds, state, as_of, lang, (), snapshot=period.snapshot(as_of),
                                           boundaries=boundaries, recs=recs, today=generated.date())

    def add(kind: str, code: str, what: str, ext: str, build: Callable[[], bytes]) -> Callable[[], None]:
        return lambda: files.append(PackFile(excel.download_name(ds, code, what, as_of, ext), code, kind, build()))

    steps += [(t("rep_step_data", lang), figures), (t("rep_step_deck", lang), deck),
              (t("rep_step_pptx", lang), add("deck_pptx", PROVINCE_CODE, "presentasi", "pptx",
                                             lambda: deck_pptx(made["deck"]))),
              (t("rep_step_pdf", lang), add("deck_pdf", PROVINCE_CODE, "presentasi", "pdf",
                                            lambda: deck_pdf(made["deck"])))]
    def report_pdf(c: str) -> bytes:
        return kab_report_pdf(made["reports"][c], lang, names, is_demo=ds.is_demo, generated=generated.date(),
                              data_as_of=ds.data_as_of)

    def data_xlsx(c: str) -> bytes:
        return excel.workbook_bytes(ds, state.with_region(c), as_of, generated, snapshot=period.snapshot(as_of))

    for code in codes:
        steps.append((t("rep_step_report", lang, name=names[code]),
                      add("report", code, "evaluasi", "pdf", functools.partial(report_pdf, code))))
    for code in codes:
        steps.append((t("rep_step_data_kab", lang, name=names[code]),
                      add("data", code, "data", "xlsx", functools.partial(data_xlsx, code))))
    total = len(steps) + 1
    for done, (label, step) in enumerate(steps):
        if progress:
            progress(done, total, label)
        step()
    if progress:
        progress(len(steps), total, t("rep_step_index", lang))
    index = index_html(ds, files, as_of, year, quarter, lang, generated)
    if progress:
        progress(total, total, t("rep_step_index", lang))
    return Pack(as_of=as_of, data_as_of=ds.data_as_of, is_demo=ds.is_demo, lang=lang, files=tuple(files),
                index=index)


_INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 60rem;
  padding: 1rem; color: #222; line-height: 1.45; }
h1 { color: #0B6E4F; font-size: 1.5rem; margin-bottom: .2rem; }
.demo { color: #B01E1E; font-weight: 700; border: 2px solid #B01E1E; padding: .4rem .6rem; }
.meta { color: #444; }
table { border-collapse: collapse; width: 100%; }
td, th { border-bottom: 1px solid #ddd; padding: .35rem .4rem; text-align: left; vertical-align: top; }
a { color: #0B6E4F; overflow-wrap: anywhere; }
"""


def index_html(ds: Dataset, files: Sequence[PackFile], as_of: dt.date, year: int, quarter: int, lang: str,
               generated: dt.datetime) -> bytes:
    """A self-contained page (no script, nothing fetched) linking every file by its relative name."""
    esc = inert.html
    programme = t("programme_demo" if ds.is_demo else "programme_real", lang)
    deck = [f for f in files if f.region == PROVINCE_CODE]
    by_region: dict[str, dict[str, PackFile]] = {}
    for f in files:
        if f.region != PROVINCE_CODE:
            by_region.setdefault(f.region, {})[f.kind] = f

    def link(f: PackFile | None) -> str:
        return "–" if f is None else f'<a href="{esc(f.name)}">{esc(f.name)}</a>'

    rows = "".join(f"<tr><td>{esc(ds.names.get(code, code))}</td><td>{link(kinds.get('report'))}</td>"
                   f"<td>{link(kinds.get('data'))}</td></tr>" for code, kinds in by_region.items())
    demo = f'<p class="demo">{esc(t("rep_demo", lang))}</p>' if ds.is_demo else ""
    title = t("rep_title", lang)
    body = f"""<!DOCTYPE html>
<html lang="{esc(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · {esc(period_label(as_of, year, quarter, lang))}</title><style>{_INDEX_CSS}</style></head>
<body>
<h1>{esc(title)}</h1>
{demo}
<p class="meta"><strong>{esc(period_label(as_of, year, quarter, lang))}</strong><br>
{esc(t("data_as_of", lang, date=fmt_date(ds.data_as_of, lang)))} · {esc(t("office", lang))}<br>
{esc(t("sources", lang, programme=programme))}<br>
{esc(t("rep_generated", lang, date=generated.strftime("%Y-%m-%d %H:%M")))}</p>
<h2>{esc(t("rep_deck", lang))}</h2>
<ul>{"".join(f"<li>{link(f)}</li>" for f in deck)}</ul>
<h2>{esc(t("rep_reports", lang))}</h2>
<table><thead><tr><th>{esc(t("rep_col_region", lang))}</th><th>{esc(t("rep_col_report", lang))}</th>
<th>{esc(t("rep_col_data", lang))}</th></tr></thead><tbody>{rows}</tbody></table>
</body></html>
"""
    return body.encode("utf-8")


def write_pack(pack: Pack, out: Path) -> list[Path]:
    """Write every file and the index into ``out`` (created when missing); the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in [(f.name, f.data) for f in pack.files] + [(INDEX, pack.index)]:
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def zip_bytes(pack: Pack) -> bytes:
    """The pack as one ZIP (flat: the index's relative links work once it is unpacked)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in pack.files:
            archive.writestr(f.name, f.data)
        archive.writestr(INDEX, pack.index)
    return buffer.getvalue()


def zip_name(ds: Dataset, as_of: dt.date) -> str:
    return excel.download_name(ds, PROVINCE_CODE, "paket-laporan", as_of, "zip")


# --------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m utils reports",
        description="Paket laporan satu periode / one period's report pack: province deck (PPTX, PDF), one "
                    "evaluation PDF and one Excel per kabupaten/kota, index.html. No network.")
    parser.add_argument("--period", default="terkini",
                        help="tahun dan triwulan / year and quarter: 2026Q3, 2026-TW3, 2026/3, tahun=2026&tw=3, a "
                             "quarter end 2026-09-30, or 'terkini' (default: the quarter holding the data date)")
    parser.add_argument("--kab", nargs="+", metavar="CODE", help="only these kabupaten/kota (e.g. 18.06 18.71)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (created when missing)")
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="language of the files (default id)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """``python -m utils reports --period 2026Q3 [--kab CODE ...] --out DIR``: 0 done, 1 data or folder
    problem, 2 bad input (period, kabupaten code); every problem is one sentence, never a traceback."""
    from utils.data.dataset import DataUnavailable, load_dataset

    args = _parser().parse_args(argv)
    lang = args.lang
    try:
        ds = load_dataset()
    except DataUnavailable as exc:
        print(t("rep_no_data", lang, detail=exc.detail or exc.what), file=sys.stderr)
        return 1
    try:
        year, quarter = parse_period(args.period, ds.data_as_of)
    except ValueError:
        last = default_period(ds.data_as_of)
        print(t("rep_bad_period", lang, value=args.period[:40], first="2020Q1", last=f"{last[0]}Q{last[1]}"),
              file=sys.stderr)
        return 2
    known = kabupaten_codes(ds)
    for code in args.kab or []:
        if code not in known:
            listing = ", ".join(f"{c} {ds.names[c]}" for c in sorted(known))
            print(t("rep_bad_kab", lang, code=code[:40], codes=listing), file=sys.stderr)
            return 2
    codes = [c for c in known if c in set(args.kab)] if args.kab else known
    out: Path = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".sv-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        print(t("rep_bad_out", lang, path=out, error=exc.strerror or exc), file=sys.stderr)
        return 1
    as_of = min(quarter_end(year, quarter), ds.data_as_of)
    print(t("rep_start", lang, period=period_label(as_of, year, quarter, lang), n=len(codes), path=out), flush=True)
    start = time.perf_counter()
    width = len(str(len(codes) * 2 + 5))

    def report(done: int, total: int, label: str) -> None:
        if done < total:
            print(f"[{done + 1:>{width}}/{total}] {label}", flush=True)

    pack = build_pack(ds, year, quarter, lang, codes, progress=report)
    try:
        write_pack(pack, out)
    except OSError as exc:
        print(t("rep_bad_out", lang, path=out, error=exc.strerror or exc), file=sys.stderr)
        return 1
    print(t("rep_done", lang, n=len(pack.files) + 1, seconds=f"{time.perf_counter() - start:.0f}",
            index=out / INDEX), flush=True)
    return 0
