"""History page and the round trip: download the template, fill it, upload as the kabupaten operator,
approve as the provincial administrator, and the overview shows the new figures; rollback brings the old
ones back. Expected figures are counted from the filled file and the store rows, never via utils.metrics.indicators."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import openpyxl
import pandas as pd
import sqlalchemy as sa

from tests.apptest.helpers import login, open_upload_page, upload
from tests.helpers import assert_same, content
from tests.independent import desa_count, joined_desa
from utils.intake import templates

JOINED = ["18.06.20.2006", "18.06.20.2002", "18.06.20.2001"]  # Gisting Atas, Campang, Banjar Manis


def filled_template(regions: pd.DataFrame) -> bytes:
    """The Tanggamus adoption template with three desa marked as joined, as an operator would fill it."""
    wb = openpyxl.load_workbook(io.BytesIO(templates.build_template("adoption", regions, "18.06")))
    ws = wb["Data"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in JOINED:
            row[3].value, row[4].value = "Bergabung", dt.datetime(2024, 12, 17)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def overview_joined(at, kab: str | None) -> str:
    at.switch_page("pages/1_Ringkasan.py").run()
    at.selectbox(key="_w_kab").set_value(kab or "").run()
    assert not at.exception, [e.message for e in at.exception]
    return next(m.value for m in at.metric if m.label == "Desa bergabung")


def switch_user(at, user: str):
    at.switch_page("pages/7_Riwayat.py").run()
    if [b for b in at.button if b.key == "_w_logout"]:
        at.button(key="_w_logout").click().run()
    return login(at, user)


def adoption_rows(engine) -> dict[str, pd.DataFrame]:
    with engine.connect() as conn:
        frame = pd.read_sql(sa.text("SELECT * FROM adoption"), conn, parse_dates=["reached_on"])
    return {"adoption": frame}


def test_round_trip_template_upload_approve_overview_rollback(tmp_store, operators_file, regions):
    as_of = dt.date(2026, 10, 31)  # the store's data date (meta.data_as_of)
    demo_joined = joined_desa(adoption_rows(tmp_store), as_of, "18.06")
    n_desa = desa_count(regions, "18.06")
    before = content(tmp_store)

    at = login(open_upload_page(), "op_tgm")
    upload(at, "adopsi-tanggamus.xlsx", filled_template(regions))
    at.button(key="ing_confirm").click().run()
    assert "menunggu persetujuan" in at.success[0].value
    assert overview_joined(at, "18.06") == f"{demo_joined} / {n_desa}"  # not yet approved

    switch_user(at, "admin")
    hist = at.dataframe[0].value
    assert hist[["Berkas", "Pengunggah", "Status", "Ditambah"]].values.tolist() == [
        ["adopsi-tanggamus.xlsx", "op_tgm", "menunggu persetujuan", 3]]
    at.button(key="hist_approve").click().run()
    assert at.success[0].value == "Unggahan #1 disetujui dan diterapkan."
    hist = at.dataframe[0].value
    assert hist["Status"].tolist() == ["diterapkan"] and hist["Disetujui/ditolak oleh"].iloc[0].startswith("admin ")
    assert joined_desa(adoption_rows(tmp_store), as_of, "18.06") == 3

    assert overview_joined(at, "18.06") == f"3 / {n_desa}"
    # The province counts the desa of the one kabupaten that reported (was 3 / 2.446: the others fell to 0).
    assert overview_joined(at, None) == f"3 / {n_desa}"
    assert any(f"{n_desa} desa dari 1 kabupaten yang sudah melapor" in i.value for i in at.info)
    marker = " ".join(w.value for w in at.warning).split("  \n")
    assert "Data contoh** masih dipakai untuk: layanan, petugas, Bimtek" in marker[0] and "adopsi" not in marker[0]
    assert marker[1].startswith("**Data nyata adopsi** dari 1 kabupaten; **belum melapor**")

    at.switch_page("pages/7_Riwayat.py").run()
    at.button(key="hist_rollback").click().run()
    assert at.success[0].value == "Unggahan #1 dibatalkan; data kembali seperti sebelumnya."
    assert_same(before, content(tmp_store))
    assert overview_joined(at, "18.06") == f"{demo_joined} / {n_desa}"


def test_operator_sees_history_but_cannot_approve(tmp_store, operators_file, regions):
    at = login(open_upload_page(), "op_tgm")
    upload(at, "a.csv", b"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n")
    at.button(key="ing_confirm").click().run()
    at.switch_page("pages/7_Riwayat.py").run()
    assert len(at.dataframe[0].value) == 1
    assert not [b for b in at.button if b.key in ("hist_approve", "hist_rollback")]
    assert any("hanya oleh admin provinsi" in c.value for c in at.caption)


def test_demo_switch_on_the_history_page(tmp_store, operators_file, regions):
    demo = joined_desa(adoption_rows(tmp_store), dt.date(2026, 10, 31), "18.06")  # the demo rows, before the upload
    at = login(open_upload_page(), "admin")
    upload(at, "a.csv", b"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n")
    at.button(key="ing_confirm").click().run()
    assert "diterapkan" in at.success[0].value  # an administrator's upload applies at once
    assert overview_joined(at, "18.06") == f"1 / {desa_count(regions, '18.06')}"
    at.switch_page("pages/7_Riwayat.py").run()
    at.toggle(key="hist_demo").set_value(True).run()
    assert overview_joined(at, "18.06") == f"{demo} / {desa_count(regions, '18.06')}"
    assert any(w.value.startswith("**Data contoh** \u2014") for w in at.warning)



def test_uploaded_file_is_kept_in_the_store_and_offered_to_the_admin(tmp_store, operators_file, regions):
    data = filled_template(regions)
    at = login(open_upload_page(), "op_tgm")
    upload(at, "adopsi-tanggamus.xlsx", data)
    at.button(key="ing_confirm").click().run()
    with tmp_store.connect() as conn:  # plain SQL: the bytes as uploaded, beside their history row
        rows = conn.execute(sa.text("SELECT f.upload_id, f.size, f.sha256, f.content, u.sha256 FROM upload_files f "
                                    "JOIN uploads u ON u.upload_id = f.upload_id")).all()
    assert len(rows) == 1
    upload_id, size, sha, stored, recorded = rows[0]
    assert bytes(stored) == data and size == len(data)
    assert sha == recorded == hashlib.sha256(data).hexdigest()

    switch_user(at, "admin")
    assert not at.exception, [e.message for e in at.exception]
    pick = at.selectbox(key="hist_file")
    assert pick.options == [f"#{upload_id} · Status adopsi per desa · adopsi-tanggamus.xlsx"]
    caption = " ".join(c.value for c in at.caption)
    assert f"SHA-256 {sha[:12]}" in caption and "disimpan di basis data" in caption
    button = at.get("download_button")
    assert len(button) == 1 and f"Unduh berkas asli #{upload_id}" in str(button[0].proto)


def test_an_operator_is_not_offered_the_files(tmp_store, operators_file, regions):
    at = login(open_upload_page(), "op_tgm")
    upload(at, "adopsi-tanggamus.xlsx", filled_template(regions))
    at.button(key="ing_confirm").click().run()
    at.switch_page("pages/7_Riwayat.py").run()
    assert not at.exception
    assert [s for s in at.selectbox if s.key == "hist_file"] == [] and not at.get("download_button")
