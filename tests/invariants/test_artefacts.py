"""Contradiction 6: every downloaded artefact says "Data contoh" while demo rows are in it, under one
file-name pattern.

Seen before: the map PNG made for slides and the CSV downloads carried no marker (a demo figure could reach an
official presentation), and three file-name patterns. Here every download button of the leadership pages is
captured as Streamlit registers it (its file name and its bytes, a deferred download's callable run as a
click would), and every chart's PNG (plotly's camera) is checked in the figure the browser receives.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager

from tests.apptest.helpers import open_page

PATTERN = re.compile(r"^smart-village_[a-z0-9-]+_[a-z0-9-]+_\d{4}-\d{2}-\d{2}_data-contoh\.(csv|png|pdf|pptx|xlsx)$")
PAGES = [("pages/1_Ringkasan.py", {"kab": "18.06"}), ("pages/2_Peta.py", {"kab": "18.06"}),
         ("pages/3_Adopsi.py", {"kab": "18.06"}), ("pages/4_Pelatihan.py", {"kab": "18.06"}),
         ("pages/5_Evaluasi.py", {"kab": "18.06"}), ("pages/9_Kualitas.py", {"kab": "18.06"}),
         ("pages/2_Peta.py", {"kab": "18.71"}), ("pages/3_Adopsi.py", {"kec": "18.06.20"})]


@pytest.fixture
def captured(monkeypatch):
    """Every (file name, bytes or callable) a download button registers while the fixture is active."""
    seen: list[tuple[str | None, object]] = []
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def record(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        if is_for_static_download:
            seen.append((file_name, path_or_data))
        return add(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)

    def record_deferred(self, data_callable, mimetype, coordinates, file_name=None, *, element_id=""):
        seen.append((file_name, data_callable))
        return add_deferred(self, data_callable, mimetype, coordinates, file_name, element_id=element_id)

    monkeypatch.setattr(MediaFileManager, "add", record)
    monkeypatch.setattr(MediaFileManager, "add_deferred", record_deferred)
    return seen


def _bytes(data) -> bytes:
    data = data() if callable(data) else data
    return data.encode("utf-8") if isinstance(data, str) else bytes(data)


def _check(name: str, data: bytes) -> None:
    assert PATTERN.match(name or ""), name
    ext = name.rsplit(".", 1)[1]
    if ext == "csv":
        header, *rows = data.decode("utf-8-sig").splitlines()
        assert header.split(",")[0] == "Keterangan", name
        assert rows and all(r.startswith("Data contoh,") for r in rows), name
    elif ext == "png":
        img = Image.open(io.BytesIO(data))
        assert img.text.get("Description") == "Data contoh", name
        corner = np.asarray(img.convert("RGB").crop((int(img.width * 0.8), 0, img.width, int(img.height * 0.06))))
        red = (corner[..., 0] > 150) & (corner[..., 1] < 80) & (corner[..., 2] < 80)
        assert red.any(), name  # the red marker is drawn
    elif ext == "pdf":
        pages = PdfReader(io.BytesIO(data)).pages
        assert pages and all("Data contoh" in p.extract_text() for p in pages), name
    elif ext == "pptx":
        slides = Presentation(io.BytesIO(data)).slides
        for slide in slides:
            assert any("Data contoh" in s.text_frame.text for s in slide.shapes if s.has_text_frame), name
    elif ext == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data))
        assert wb.sheetnames[0].endswith("(contoh)") and wb[wb.sheetnames[0]]["A1"].value.endswith("DATA CONTOH")
        assert all(n.endswith("(contoh)") for n in wb.sheetnames if n not in ("Wilayah", "IDM")), wb.sheetnames


def _charts_are_marked(at) -> int:
    n = 0
    for chart in at.get("plotly_chart"):
        spec, config = json.loads(chart.proto.spec), json.loads(chart.proto.config)
        texts = [a.get("text", "") for a in spec["layout"].get("annotations", [])]
        assert any("Data contoh" in x for x in texts), texts
        if config.get("displayModeBar") is False:  # no camera button: no PNG can be saved from it
            continue
        name = config.get("toImageButtonOptions", {}).get("filename", "")
        assert PATTERN.match(name + ".png"), name
        n += 1
    return n


@pytest.mark.parametrize(("page", "params"), PAGES)
def test_every_download_of_a_page_is_labelled_and_named_alike(captured, page, params):
    at = open_page(page, **params)
    charts = _charts_are_marked(at)
    assert captured, page
    for name, data in captured:
        _check(name, _bytes(data))
    assert charts + len(captured) >= 2, page


def test_presentation_exports_are_labelled_and_named_alike(captured):
    at = open_page("pages/10_Presentasi.py", kab="18.06")
    for kind in ("pptx", "pdf", "xlsx"):
        at.button(key=f"sv_pres_build_{kind}").click().run()
        assert not at.exception
    _charts_are_marked(at)
    kinds = {name.rsplit(".", 1)[1] for name, _ in captured}
    assert {"pptx", "pdf", "xlsx"} <= kinds, kinds
    for name, data in captured:
        _check(name, _bytes(data))
