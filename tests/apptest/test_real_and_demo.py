"""Real and demo data never mixed: from the demo store, two kabupaten send real adoption data (an operator's
upload approved on Riwayat, an administrator's applied at once). Every page then shows the real figures for
those two, "belum melapor" for the others (never the demo figure, never 0), province totals over the desa that
reported, and the banner names who has not reported; undoing both returns exactly to the demo state.

Expected figures are computed here from the uploaded rows and the region list with plain pandas."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from tests.apptest.helpers import charts, login, metric, open_page, open_upload_page, thousands, values
from tests.apptest.test_peta import message, rows
from tests.helpers import ADMIN, OP_TGM, assert_same, content
from tests.independent import JOINED_OR_DEEPER, desa_count, joined_desa
from utils.data import auth
from utils.intake import apply, validation

OP_PSW = auth.Operator("op_psw", "Operator Pringsewu", "operator", "18.10")
TGM, PSW = "18.06", "18.10"
STAGES = ("Sosialisasi", "Bergabung", "Operator terlatih", "Layanan aktif", "Bergabung", "Data terintegrasi")


def real_rows(regions: pd.DataFrame, kab: str, n: int, skip: int) -> pd.DataFrame:
    """``n`` desa of ``kab`` (every ``skip``-th) with a stage and a 2024 date each."""
    desa = regions[(regions["level"] == "desa") & (regions["kab_code"] == kab)
                   & regions["code"].str.split(".").str[3].str.startswith("2")]["code"].sort_values()
    codes = desa.iloc[::skip].head(n).tolist()
    return pd.DataFrame({"village_code": codes,
                         "stage": [STAGES[i % len(STAGES)] for i in range(len(codes))],
                         "day": [dt.date(2024, 1 + i % 12, 1 + i % 27) for i in range(len(codes))]})


def csv(rows: pd.DataFrame) -> bytes:
    lines = ["kode_desa;tahap;tanggal"] + [f"{r.village_code};{r.stage};{r.day:%d/%m/%Y}" for r in rows.itertuples()]
    return ("\n".join(lines) + "\n").encode()


def expected_joined(rows: pd.DataFrame, as_of: dt.date) -> int:
    stage = rows["stage"].str.lower().str.replace(" ", "_")
    hit = rows[stage.isin(JOINED_OR_DEEPER) & (pd.to_datetime(rows["day"]) <= pd.Timestamp(as_of))]
    return hit["village_code"].nunique()


def raw_frames(engine) -> dict[str, pd.DataFrame]:
    with engine.connect() as conn:
        return {"adoption": pd.read_sql(sa.text("SELECT * FROM adoption"), conn, parse_dates=["reached_on"])}


@pytest.fixture
def two_kabupaten(tmp_store, regions):
    """The demo store after real adoption data from Tanggamus (operator, approved) and Pringsewu (admin)."""
    s0 = content(tmp_store)
    tgm, psw = real_rows(regions, TGM, 40, 3), real_rows(regions, PSW, 25, 2)
    rep = validation.validate("adoption", "adopsi-tanggamus.csv", csv(tgm), regions, TGM, {})
    assert rep.ok, rep.issues
    a = apply.submit(tmp_store, rep, OP_TGM)
    return {"engine": tmp_store, "s0": s0, "tgm": tgm, "psw": psw, "pending": a}


def approve_both(fx, regions) -> int:
    apply.approve(fx["engine"], fx["pending"], ADMIN)
    rep = validation.validate("adoption", "adopsi-pringsewu.csv", csv(fx["psw"]), regions, PSW, {})
    assert rep.ok, rep.issues
    return apply.submit(fx["engine"], rep, ADMIN)


def test_approval_screen_says_what_approving_changes(two_kabupaten, operators_file):
    at = open_upload_page("pages/7_Riwayat.py")
    login(at, "admin")
    warnings = " ".join(w.value for w in at.warning)
    assert "mengganti **data contoh adopsi** dengan data nyata" in warnings
    assert "belum melapor" in warnings and "Kab. Tanggamus" in warnings


def test_pages_show_real_figures_belum_melapor_and_coverage_then_undo_restores_demo(two_kabupaten, regions, dataset):
    fx = two_kabupaten
    b = approve_both(fx, regions)
    as_of = dataset.data_as_of  # adoption templates carry no report date: the period stays the demo's
    j_tgm, j_psw = expected_joined(fx["tgm"], as_of), expected_joined(fx["psw"], as_of)
    d_tgm, d_psw = desa_count(regions, TGM), desa_count(regions, PSW)
    assert j_tgm > 0 and j_psw > 0

    # Adopsi, province: the total counts only the two kabupaten that reported, and says so.
    at = open_page("pages/3_Adopsi.py")
    assert metric(at, "Desa bergabung") == f"{j_tgm + j_psw} / {d_tgm + d_psw}"
    assert metric(at, "Desa belum bergabung") == str(d_tgm + d_psw - j_tgm - j_psw)
    info = " ".join(i.value for i in at.info)
    assert f"{thousands(d_tgm + d_psw)} desa dari 2 kabupaten yang sudah melapor" in info
    banner = " ".join(w.value for w in at.warning)
    assert "**belum melapor** (tidak ditampilkan, bukan 0)" in banner and "Kab. Lampung Selatan" in banner
    assert "Kab. Tanggamus" not in banner.split("belum melapor")[1]
    funnel = charts(at)[0]["spec"]["data"][0]  # over the desa that reported, not all 2.446
    assert values(funnel["x"])[0] == d_tgm + d_psw and values(funnel["x"])[2] == j_tgm + j_psw
    bar = next(f["spec"]["data"][0] for f in charts(at)
               if "_adopsi-peringkat_provinsi-lampung_" in f["config"]["toImageButtonOptions"]["filename"])
    labels = dict(zip(bar["y"], bar["text"], strict=True))
    assert labels["Kab. Tanggamus"] == f"{100 * j_tgm / d_tgm:.1f}".replace(".", ",") + "%"
    assert labels["Kab. Pringsewu"] == f"{100 * j_psw / d_psw:.1f}".replace(".", ",") + "%"
    assert labels["Kota Metro"] == "tidak berlaku"
    others = {k: v for k, v in labels.items() if k.startswith("Kab.") and k not in ("Kab. Tanggamus", "Kab. Pringsewu")}
    assert len(others) == 11 and set(others.values()) == {"belum melapor"}

    # Adopsi, the two kabupaten: their own real figures.
    assert metric(open_page("pages/3_Adopsi.py", kab=TGM), "Desa bergabung") == f"{j_tgm} / {d_tgm}"
    assert metric(open_page("pages/3_Adopsi.py", kab=PSW), "Desa bergabung") == f"{j_psw} / {d_psw}"
    # ... a kabupaten that has not reported: "belum melapor", no figure at all (the demo one would be > 0).
    at = open_page("pages/3_Adopsi.py", kab="18.01")
    assert "belum melapor" in " ".join(w.value for w in at.warning)
    assert not [m for m in at.metric if m.label == "Desa bergabung"]

    # Ringkasan: the same, on the headline.
    at = open_page("pages/1_Ringkasan.py")
    assert metric(at, "Desa bergabung") == f"{thousands(j_tgm + j_psw)} / {thousands(d_tgm + d_psw)}"
    assert metric(open_page("pages/1_Ringkasan.py", kab="18.01"), "Desa bergabung") == "belum melapor"
    assert metric(open_page("pages/1_Ringkasan.py", kab=PSW), "Desa bergabung") == f"{j_psw} / {d_psw}"

    # Undo both, newest first: the store is the demo store again, the pages the demo figures.
    apply.rollback(fx["engine"], b, ADMIN)
    apply.rollback(fx["engine"], fx["pending"], ADMIN)
    assert_same(fx["s0"], content(fx["engine"]))
    demo = joined_desa(raw_frames(fx["engine"]), as_of)
    at = open_page("pages/3_Adopsi.py")
    assert metric(at, "Desa bergabung") == f"{thousands(demo)} / {thousands(desa_count(regions))}"
    assert not any("melapor" in w.value for w in at.warning)


def test_no_demo_adoption_figure_on_any_page(two_kabupaten, regions):
    approve_both(two_kabupaten, regions)
    from utils.data.dataset import load_dataset

    ds = load_dataset()
    stored = raw_frames(two_kabupaten["engine"])["adoption"]
    real = stored[stored["source"] != "demo"]
    assert len(stored[stored["source"] == "demo"]) > 0  # kept in the store for an exact undo ...
    assert sorted(ds["adoption"]["village_code"]) == sorted(real["village_code"])  # ... never shown
    assert ds.reporting["adoption"] == {TGM, PSW}
    # The Rakor deck's headline says the same as the screen.
    from utils.metrics import indicators
    from utils.views import deck

    as_of = ds.data_as_of
    kpis = {k.label: k for k in deck.kpi_slide(ds, indicators.village_snapshot(ds, as_of), "18", as_of, "id").kpis}
    j = expected_joined(two_kabupaten["tgm"], as_of) + expected_joined(two_kabupaten["psw"], as_of)
    assert kpis["Desa bergabung"].value == f"{j} / {desa_count(regions, TGM) + desa_count(regions, PSW)}"
    unreported = deck.kpi_slide(ds, indicators.village_snapshot(ds, as_of), "18.01", as_of, "id").kpis
    assert [(k.value, k.note) for k in unreported if k.label == "Desa bergabung"] == [("belum melapor", "")]

    # The map draws the kabupaten that have not reported as their own legend entry, not as 0 or a demo value.
    msg = message(open_page("pages/2_Peta.py"))
    assert "belum melapor" in [label for _, label in msg["legend"]["items"]]
    by_code, nodata = rows(msg), msg["special"]["nodata"] - len(msg["colors"])
    assert by_code["18.01"][0] == nodata and by_code["18.06"][0] != nodata and by_code["18.10"][0] != nodata
    assert sum(1 for code, row in by_code.items() if row[0] == nodata) == 11  # 13 kabupaten with desa - 2
    for page, params in (("pages/2_Peta.py", {}), ("pages/5_Evaluasi.py", {}), ("pages/10_Presentasi.py", {}),
                         ("pages/2_Peta.py", {"kab": "18.01"})):
        at = open_page(page, **params)
        assert "belum melapor" in " ".join(w.value for w in at.warning), page
