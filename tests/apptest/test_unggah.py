"""Upload page: login gate, throttling, the operator's fixed kabupaten, the validation report in both
languages, and nothing stored before confirmation."""

from __future__ import annotations

from tests.apptest.helpers import login, open_upload_page, upload
from tests.helpers import assert_same, content, raw_count


def test_viewing_needs_no_login_but_uploading_does(tmp_store, operators_file):
    at = open_upload_page()
    assert any("Silakan masuk" in i.value for i in at.info)
    assert not at.get("file_uploader")
    login(at, "op_tgm", "salah")
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    assert not at.get("file_uploader")


def test_login_is_rate_limited(tmp_store, operators_file, monkeypatch):
    from utils.data import auth

    monkeypatch.setattr(auth, "now", lambda: 1_000_000.0)  # frozen: the backoff does not run out between runs
    at = open_upload_page()
    for _ in range(5):
        login(at, "op_lsel", "tebakan")
    login(at, "op_lsel")  # the right password, too late
    assert any("Terlalu banyak percobaan" in e.value for e in at.error)
    assert not at.get("file_uploader")


def test_operator_uploads_for_own_kabupaten_only(tmp_store, operators_file):
    at = login(open_upload_page(), "op_tgm")
    scope = at.selectbox(key="ing_scope")
    assert scope.options == ["Kab. Tanggamus"] and scope.disabled
    assert any("Operator Tanggamus" in c.value for c in at.caption)  # who is signed in, in the sidebar
    uploader = at.get("file_uploader")[0].proto
    assert uploader.max_upload_size_mb == 5 and "maks. 5 MB" in uploader.label  # the widget says 5MB, not 110MB


def test_bad_file_gets_a_report_per_row_in_both_languages_and_nothing_is_stored(tmp_store, operators_file):
    before = content(tmp_store)
    at = login(open_upload_page(), "op_tgm")
    csv = b"kode_desa;tahap;tanggal\n18.06.20.2006;Bergabung;17/12/2024\n18.01.04.2001;Bergabung;1/1/2099\n"
    upload(at, "adopsi.csv", csv)
    assert at.error[0].value.startswith("2 masalah ditemukan")
    table = at.dataframe[0].value
    assert table["Baris"].tolist() == [3, 3]
    assert set(table["Masalah"]) == {"Tanggal di masa depan.",
                                     "Kode milik kabupaten lain (18.01); unggahan ini untuk 18.06."}
    assert not [b for b in at.button if b.label.startswith("Simpan")]
    at.radio(key="_w_lang").set_value("en").run()
    assert at.error[0].value.startswith("2 problems found")
    assert "The date is in the future." in set(at.dataframe[0].value["Problem"])
    assert_same(before, content(tmp_store))
    assert raw_count(tmp_store, "uploads") == 0


def test_wrong_file_type_message(tmp_store, operators_file):
    at = login(open_upload_page(), "admin")
    upload(at, "laporan.pdf", b"%PDF-1.4")
    assert "Jenis berkas \u201c.pdf\u201d tidak didukung" in at.dataframe[0].value["Masalah"].iloc[0]


def test_clean_file_waits_for_confirmation_then_approval(tmp_store, operators_file):
    before = content(tmp_store)
    at = login(open_upload_page(), "op_tgm")
    upload(at, "adopsi.csv", b"nama_desa;kecamatan;tahap;tanggal\nGisting Atas;Gisting;Bergabung;17/12/2024\n")
    assert "Akan ditambah: 1, diubah: 0" in " ".join(m.value for m in at.markdown)
    assert_same(before, content(tmp_store))  # checked, not stored
    save = at.button(key="ing_confirm")
    assert save.disabled  # the name match must be confirmed first
    at.checkbox(key="ing_matches_ok").check().run()
    at.button(key="ing_confirm").click().run()
    assert at.success[0].value == "Unggahan #1 tersimpan dan menunggu persetujuan admin provinsi."
    assert_same(before, content(tmp_store))  # pending: the province's figures are untouched
    assert raw_count(tmp_store, "uploads", "WHERE status = 'pending' AND uploader = 'op_tgm'") == 1
