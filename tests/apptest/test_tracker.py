"""The reporting tracker lists exactly the reports uploaded, per kabupaten, with their sender, coverage,
approval state and lateness against the due day the Dinas sets; kabupaten without a report are listed as
such; the Excel export holds the same table. Expected rows are built here from what the test uploaded."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from tests.apptest.helpers import open_page
from tests.helpers import ADMIN, OP_TGM
from utils.data import auth
from utils.i18n import t
from utils.intake import apply, validation
from utils.metrics import reporting
from utils.views import reporting_display as rpd
from utils.views.exports import excel

OP_PSW = auth.Operator("op_psw", "Operator Pringsewu", "operator", "18.10")
PAGE = "pages/11_Pelaporan.py"


def desa_of(regions, kab: str, n: int) -> list[str]:
    codes = regions[(regions["level"] == "desa") & (regions["kab_code"] == kab)
                    & regions["code"].str.split(".").str[3].str.startswith("2")]["code"].sort_values()
    return codes.head(n).tolist()


def upload(engine, regions, kab: str, codes: list[str], op, name: str) -> int:
    data = ("kode_desa;tahap;tanggal\n" + "".join(f"{c};Bergabung;05/03/2024\n" for c in codes)).encode()
    rep = validation.validate("adoption", name, data, regions, kab, {})
    assert rep.ok, rep.issues
    return apply.submit(engine, rep, op)


@pytest.fixture
def three_reports(tmp_store, regions):
    tgm = upload(tmp_store, regions, "18.06", desa_of(regions, "18.06", 12), OP_TGM, "tanggamus.csv")
    psw = upload(tmp_store, regions, "18.10", desa_of(regions, "18.10", 7), OP_PSW, "pringsewu.csv")
    psw2 = upload(tmp_store, regions, "18.10", desa_of(regions, "18.10", 9)[2:], OP_PSW, "pringsewu-2.csv")
    apply.approve(tmp_store, psw, ADMIN)
    apply.reject(tmp_store, psw2, ADMIN, "ganda")
    # Sent on the 15th of the month after the report month: late against the default due day (10).
    with tmp_store.begin() as conn:
        sent = conn.execute(sa.text("SELECT uploaded_at FROM uploads WHERE upload_id = :u"), {"u": tgm}).scalar()
        late_at = pd.Timestamp(sent).replace(day=15, hour=9, minute=30)
        conn.execute(sa.text("UPDATE uploads SET uploaded_at = :d WHERE upload_id = :u"),
                     {"d": late_at.to_pydatetime(), "u": tgm})
    period = (pd.Timestamp(sent).to_period("M") - 1).strftime("%Y-%m")
    return {"tgm": tgm, "psw": psw, "psw2": psw2, "period": period, "late_at": late_at}


def test_tracker_lists_exactly_the_reports_with_their_states(three_reports, regions, dataset):
    fx = three_reports
    at = open_page(PAGE)
    assert at.selectbox(key="trk_period").value == fx["period"]
    table = at.dataframe[0].value
    kabs = regions[regions["level"] == "kabupaten"]
    assert len(table) == 3 + len(kabs) - 2  # one row per report (3), one per kabupaten without any
    total = regions[regions["level"] == "desa"].groupby("kab_code").size()
    got = table[table["Berkas"] != "–"].set_index("Berkas")
    assert got.loc["tanggamus.csv", ["Kabupaten/kota", "Pengirim", "Cakupan (desa/pekon)", "Status", "Ketepatan"]
                   ].tolist() == ["Kab. Tanggamus", "op_tgm", f"12 / {total['18.06']}", "menunggu persetujuan",
                                  "terlambat"]
    assert got.loc["pringsewu.csv", ["Pengirim", "Cakupan (desa/pekon)", "Status", "Ketepatan"]].tolist() == [
        "op_psw", f"7 / {total['18.10']}", "disetujui", "tepat waktu"]
    assert got.loc["pringsewu-2.csv", ["Cakupan (desa/pekon)", "Status"]].tolist() == [f"7 / {total['18.10']}",
                                                                                        "ditolak"]
    missing = table[table["Berkas"] == "–"]
    assert sorted(missing["Kabupaten/kota"]) == sorted(set(kabs["display_name"]) - {"Kab. Tanggamus", "Kab. Pringsewu"})
    assert set(missing["Status"]) == {"belum ada laporan"}
    assert any("2 dari 15 kabupaten/kota sudah mengirim laporan" in m.value and "1 terlambat" in m.value
               for m in at.markdown)


def test_due_day_set_by_the_dinas_changes_lateness(three_reports, regions):
    with pytest.raises(apply.ApplyError) as exc:
        apply.set_report_due_day(three_reports_engine(), 31, ADMIN)
    assert t(exc.value.key, "id", **exc.value.kw) == "Batas laporan harus tanggal 1\u201328 (bukan 31)."
    with pytest.raises(apply.ApplyError):
        apply.set_report_due_day(three_reports_engine(), 20, OP_TGM)
    apply.set_report_due_day(three_reports_engine(), 20, ADMIN)
    table = open_page(PAGE).dataframe[0].value.set_index("Berkas")
    assert table.at["tanggamus.csv", "Ketepatan"] == "tepat waktu"  # the 15th is before the 20th
    assert table.at["tanggamus.csv", "Batas waktu"].startswith("20 ")


def three_reports_engine():
    from utils.data import paths, store

    return store.get_engine(paths.database_url())


def test_excel_export_holds_the_table_shown(three_reports, regions, dataset):
    engine = three_reports_engine()
    from utils.data import store

    uploads = store.read_uploads(engine)
    covered = reporting.upload_coverage(engine, uploads["upload_id"].astype(int).tolist())
    frame = reporting.tracker(uploads, covered, regions, three_reports["period"], 10, dt.date.today())
    shown = rpd.tracker_display(frame, dataset.names, "id")
    ws = openpyxl.load_workbook(io.BytesIO(excel.table_xlsx(shown, "Pelacak laporan", "id"))).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(shown.columns)
    assert [list(r) for r in rows[1:]] == shown.astype(object).values.tolist()
