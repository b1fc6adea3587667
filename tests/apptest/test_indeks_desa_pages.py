"""The pages once an Indeks Desa round of one kabupaten is imported: Ringkasan says "N dari 2.446 desa", never a
province figure; Evaluasi lists the Dinas PMD follow-ups beside the IDM 2024 ones, the six dimensions per
kabupaten and the IDM 2024 → Indeks Desa status transition; Peta offers the round's indicators; the deck's
laggard slide carries both indices' lines, each labelled."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests import indeks_desa_files as ixf
from tests.apptest import helpers
from tests.helpers import ADMIN
from utils.data import paths


@pytest.fixture
def tanggamus(tmp_store):
    """Indeks Desa 2025 of Tanggamus imported into a throwaway store (the app reads it through SV_DATABASE_URL)."""
    from utils.intake import village_index as vi

    regions = pd.read_parquet(paths.REGIONS)
    codes = regions[(regions["kab_code"] == "18.06") & (regions["village_type"] == "desa")][["code", "name"]]
    desa = ixf.make_desa(list(codes.itertuples(index=False, name=None)), seed=71)
    plan = vi.plan_upload(ixf.write_workbook(desa), "tanggamus.xlsx", regions, pd.read_parquet(paths.INDEKS_DESA_ITEMS),
                          2024, tmp_store)
    vi.apply_import(tmp_store, plan, ADMIN)
    return desa


def thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_pages_show_the_imported_round_labelled_and_partial(tanggamus):
    n = len(tanggamus)
    at = helpers.open_page("pages/1_Ringkasan.py")
    assert any(s.value == "Status Indeks Desa 2025" for s in at.subheader)
    caption = next(c.value for c in at.caption if c.value.startswith("Indeks Desa 2025:"))
    assert caption.startswith(f"Indeks Desa 2025: {n} dari 2.446 desa (sebagian")
    assert "dihitung oleh dasbor" in caption

    at = helpers.open_page("pages/5_Evaluasi.py", kab="18.06")
    recs = next(df.value for df in at.dataframe if "Rekomendasi" in df.value.columns)
    assert set(recs["Indeks"]) == {"Indeks Desa 2025"}
    # The largest item: as many desa as score <= 2 on it, counted from the written scores.
    first = recs.iloc[0]
    item = next(i for i in ixf.scored_items() if " ".join(i["item"].split()) == first["Butir"])
    assert int(first["Desa"].replace(".", "")) == sum(1 for d in tanggamus if d.scores[item["item_no"]] == int(first["Skor"]))
    assert any(c.value.startswith("Butir yang pelaksananya") and f"Indeks Desa 2025: {n} desa." in c.value
               for c in at.caption)  # the whole kabupaten is scored: not partial
    dims = next(df.value for df in at.dataframe if "Desa bernilai" in df.value.columns)
    assert len(dims) == 15 and dims.set_index("Kabupaten/kota").loc["Kab. Tanggamus", "Desa bernilai"] == f"{n} dari {n}"
    assert (dims.set_index("Kabupaten/kota").drop("Kab. Tanggamus")["Total"] == "–").all()
    matrix = next(df.value for df in at.dataframe if any(c.startswith("IDM 2024") for c in df.value.columns))
    assert matrix.iloc[-1, -1] == thousands(n)  # every Tanggamus desa has both statuses
    assert any("hanya status yang dibandingkan" in c.value for c in at.caption)

    at = helpers.open_page("pages/2_Peta.py", kab="18.06")
    options = at.selectbox(key="map_metric").options
    assert "Nilai Indeks Desa (rata-rata, 0–100)" in options and "Indeks Desa: Layanan Dasar (rata-rata, 0–100)" in options


def test_deck_carries_both_indices_lines(tanggamus):
    from utils.data.dataset import load_dataset
    from utils.domain.filters import FilterState
    from utils.views import deck

    ds = load_dataset()
    d = deck.build_deck(ds, FilterState(kab="18.06"), ds.data_as_of, "id", ["18.06"], today=dt.date(2026, 11, 1))
    lag = next(s for s in d.slides if s.key == "laggards")
    assert any(b.startswith("Indeks Desa 2025 · Dinas PMD:") for b in lag.bullets)
    assert any(b.startswith("IDM 2024 ·") for b in lag.bullets)
    kab = next(s for s in d.slides if s.key == "kab_18.06")
    assert any(b.startswith("Indeks Desa 2025 · Dinas PMD:") for b in kab.bullets)


def test_excel_export_names_the_round_and_its_source(tanggamus):
    import io

    import openpyxl

    from utils.data.dataset import load_dataset
    from utils.domain.filters import FilterState
    from utils.views.exports import excel

    ds = load_dataset()
    data = excel.workbook_bytes(ds, FilterState(kab="18.06"), ds.data_as_of, dt.datetime(2026, 11, 1, 9, 0))
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert "Indeks_Desa" in wb.sheetnames and wb.sheetnames.index("Indeks_Desa") == wb.sheetnames.index("IDM") + 1
    rows = list(wb["Indeks_Desa"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == len(tanggamus) and "Status Indeks Desa" in header
    source = header.index("Sumber")
    assert {r[source] for r in body} == {"Indeks Desa 2025 (Kemendesa, diimpor Dinas); skor dihitung oleh dasbor"}
    idm = list(wb["IDM"].iter_rows(values_only=True))
    edition = idm[0].index("Sumber dan edisi IDM")
    assert {r[edition] for r in idm[1:]} <= {"IDM 2024 (Kemendesa, rekomendasi)", "IDM 2024 (Satu Data)",
                                             "IDM 2024 (Satu Data, nilai 2023)",
                                             "IDM 2024 (Kemendesa, rekomendasi; Satu Data: nilai 2023)"}
    # Tanggamus: 20 desa filled from Satu Data, 44 carried from 2023 (sources/README.md).
    assert sum(r[edition].startswith("IDM 2024 (Satu Data") for r in idm[1:]) == 20
    assert sum("nilai 2023" in r[edition] for r in idm[1:]) == 44
