"""An administrator enters Tanggamus's joining target on "Unggah Data": the Adopsi page, the forecast and the
scorecard's traffic light follow it. Expected figures from plain SQL over the store and arithmetic here."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import sqlalchemy as sa

from tests.apptest.helpers import login, open_page, open_upload_page
from tests.independent import desa_count, joined_desa
from utils.data.dataset import load_dataset
from utils.metrics import evaluation as ev
from utils.metrics import indicators

TGM = "18.06"


def rag_of(pct: float, target: float) -> str:
    att = round(100 * pct / target, 1)
    return "green" if att >= 100 else "amber" if att >= 85 else "red"


def scorecard_status(as_of: dt.date) -> str:
    ds = load_dataset()
    snap = indicators.village_snapshot(ds, as_of)
    prov = indicators.region_indicators(snap.assign(p="18"), "p").loc["18"]
    scored = ev.score_indicators(indicators.region_indicators(snap, "kab_code"), prov,
                                 lambda c, k: indicators.target_for(ds, c, as_of.year, k), as_of)
    return scored.loc[(scored["code"] == TGM) & (scored["indicator"] == "joined"), "status"].iloc[0]


def target_kpi(as_of: dt.date) -> tuple[str, str]:
    at = open_page("pages/3_Adopsi.py", kab=TGM)
    m = next(m for m in at.metric if m.label == f"Target bergabung {as_of.year}")
    forecast = at.dataframe[0].value
    return m.value, m.delta, forecast.loc[forecast["Wilayah"] == "Kab. Tanggamus", "Perkiraan tercapai"].iloc[0]


def test_admin_targets_change_the_traffic_light_and_the_forecast(tmp_store, operators_file, regions):
    as_of = load_dataset().data_as_of
    with tmp_store.connect() as conn:
        adoption = pd.read_sql(sa.text("SELECT * FROM adoption"), conn, parse_dates=["reached_on"])
        demo_target = conn.execute(sa.text("SELECT value FROM targets WHERE year = :y AND region_code = :r AND "
                                           "indicator = 'pct_bergabung'"), {"y": as_of.year, "r": TGM}).scalar()
    joined, desa = joined_desa({"adoption": adoption}, as_of, TGM), desa_count(regions, TGM)
    pct = 100 * joined / desa
    new_target = math.floor(pct)  # just reached: the light turns green
    assert rag_of(pct, demo_target) != "green" and rag_of(pct, new_target) == "green"
    assert scorecard_status(as_of) == rag_of(pct, demo_target)
    value, delta, eta = target_kpi(as_of)
    assert value == f"{demo_target}%" and delta.endswith("target contoh")
    assert not eta.startswith("sudah tercapai")  # the demo target (more than reached) is still ahead

    at = open_upload_page()
    login(at, "admin")
    at.selectbox(key="ing_kind").set_value("targets").run()
    at.selectbox(key="tgt_region").set_value(TGM).run()
    at.number_input(key=f"tgt_v_pct_bergabung_{as_of.year}_{TGM}").set_value(new_target)
    at.text_input(key="tgt_doc_form").input("SK Gubernur Lampung No. G/123/2026")
    at.button(key="tgt_check_form").click().run()
    assert not at.exception, [e.message for e in at.exception]
    falling = " ".join(w.value for w in at.warning)
    assert "lebih rendah dari tahun sebelumnya" in falling  # 2025's demo target was higher: warned, not refused
    at.button(key="tgt_save").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("Target tersimpan" in s.value for s in at.success)

    with tmp_store.connect() as conn:
        stored = conn.execute(sa.text("SELECT value, source FROM targets WHERE year = :y AND region_code = :r AND "
                                      "indicator = 'pct_bergabung'"), {"y": as_of.year, "r": TGM}).one()
    assert tuple(stored) == (new_target, "SK Gubernur Lampung No. G/123/2026")
    assert scorecard_status(as_of) == "green"
    value, delta, eta = target_kpi(as_of)
    assert value == f"{new_target}%" and delta == f"{math.ceil(new_target * desa / 100)} desa"  # no "contoh"
    assert eta.startswith("sudah tercapai")
