"""The Presentasi page's report pack (issue 22): one ZIP for the chosen period, built on click with a progress
bar, then served from the cache to the next session of the same period and data; another period is built anew."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager

from tests.apptest.helpers import open_page
from utils.views.exports import pack

PAGE = "pages/10_Presentasi.py"
BUILD_TIMEOUT = 600  # the whole pack: most of a minute of CPU on 2 shared cores


@pytest.fixture
def saved(monkeypatch):
    """(file name, bytes) of every static download registered while the test runs."""
    seen: list[tuple[str | None, bytes]] = []
    add = MediaFileManager.add

    def record(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if is_for_static_download and mimetype == "application/zip":
            seen.append((file_name, path_or_data))
        return add(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    monkeypatch.setattr(MediaFileManager, "add", record)
    return seen


@pytest.fixture
def builds(monkeypatch):
    """Counts the pack builds the page starts."""
    calls: list[tuple[int, int]] = []
    real = pack.build_pack

    def counted(ds, year, quarter, *args, **kwargs):
        calls.append((year, quarter))
        return real(ds, year, quarter, *args, **kwargs)

    monkeypatch.setattr(pack, "build_pack", counted)
    return calls


def test_pack_zip_is_built_with_progress_then_served_from_cache(saved, builds, dataset):
    at = open_page(PAGE, tahun="2026", tw="2")
    assert "Triwulan 2 2026 · s.d. 30 Juni 2026" in " ".join(c.value for c in at.caption)
    assert not [d for d in at.get("download_button") if d.proto.label.startswith("Simpan paket")]
    at.button(key="sv_pres_pack_build").click().run(timeout=BUILD_TIMEOUT)
    assert not at.exception, [e.message for e in at.exception]
    assert builds == [(2026, 2)]
    bars = at.get("progress")
    assert bars and bars[-1].proto.value == 100  # the bar ran to the end
    assert [(s.label, s.state) for s in at.status] == [("Paket laporan siap: 33 berkas", "complete")]
    name, data = saved[-1]
    assert name == "smart-village_paket-laporan_provinsi-lampung_2026-06-30_data-contoh.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert len(names) == 33 and "index.html" in names
        assert all(re.match(r"^smart-village_[a-z-]+_[a-z0-9-]+_2026-06-30_data-contoh\.(pdf|pptx|xlsx)$", n)
                   for n in names if n != "index.html")
        one_pager = archive.read("smart-village_evaluasi_kab-tanggamus_2026-06-30_data-contoh.pdf")
        text = PdfReader(io.BytesIO(one_pager)).pages[0].extract_text()
        assert "Kab. Tanggamus" in text and "30 Juni 2026" in text and "Data per 31 Oktober 2026" in text

    # A second session of the same period and data: the ZIP is there at once, no build button, no rebuild.
    other = open_page(PAGE, tahun="2026", tw="2", kab="18.06")
    assert not [b for b in other.button if b.key == "sv_pres_pack_build"]
    assert [d for d in other.get("download_button") if d.proto.label == "Simpan paket laporan (ZIP)"]
    assert builds == [(2026, 2)]
    assert saved[-1] == (name, data)

    # Another period is another pack: its button is offered, nothing is served from the other period.
    later = open_page(PAGE, tahun="2026", tw="1")
    assert [b for b in later.button if b.key == "sv_pres_pack_build"]
    assert not [d for d in later.get("download_button") if d.proto.label.startswith("Simpan paket")]
