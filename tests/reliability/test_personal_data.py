"""UU PDP 27/2022 minimisation: a Bimtek participant's name never reaches a leadership page or a default export.

The demo store holds one named participant (the Gisting article): "Yoga Setiawan", sekretaris of Gisting Atas
(18.06.20.2006), at the Tanggamus Bimtek of 10 October 2024. Each leadership page is opened at every level on
the way down to that village, and every element, chart and download the page produces is searched for the name.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from tests.reliability.pages_helper import open_page
from utils.data import paths, store
from utils.data.dataset import load_dataset
from utils.domain import filters
from utils.views.exports import excel

NAME = "Yoga Setiawan"
VILLAGE = "18.06.20.2006"
LEVELS = {"provinsi": {}, "kabupaten": {"kab": "18.06"}, "kecamatan": {"kec": "18.06.20"}, "desa": {"desa": VILLAGE}}
PAGES = [p for p in ("1_Ringkasan", "2_Peta", "3_Adopsi", "4_Pelatihan", "5_Evaluasi", "10_Presentasi")
         if (paths.ROOT / "pages" / f"{p}.py").exists()]


def test_the_demo_store_holds_the_name():
    """Guard: the tests below prove something only while the store really holds a named participant."""
    with store.get_engine(paths.database_url()).connect() as conn:
        rows = conn.execute(sa.text("SELECT village_code FROM bimtek_participants WHERE name = :n"),
                            {"n": NAME}).scalars().all()
    assert rows == [VILLAGE]


def _texts(node) -> list[str]:
    """The protobuf text of every element under ``node`` (tables as Arrow bytes, charts as JSON)."""
    out = [str(node.proto)] if getattr(node, "proto", None) is not None else []
    for child in getattr(node, "children", {}).values():
        out += _texts(child)
    return out


@pytest.fixture
def media(monkeypatch) -> list[bytes]:
    """Every file a page hands to the browser (download buttons, images) in the run."""
    seen: list[bytes] = []
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        seen.append(path_or_data if isinstance(path_or_data, bytes) else Path(path_or_data).read_bytes()
                    if isinstance(path_or_data, str) and Path(path_or_data).is_file() else str(path_or_data).encode())
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return seen


@pytest.mark.parametrize("level", list(LEVELS))
@pytest.mark.parametrize("page", PAGES)
def test_leadership_page_never_shows_a_participant_name(page, level, media):
    at = open_page(f"pages/{page}.py", LEVELS[level])
    texts = _texts(at._tree)
    assert sum(len(x) for x in texts) > 1000  # the page really rendered
    if level == "desa" and page == "4_Pelatihan":  # the village's own participation table is there, by role
        assert any("Sekretaris" in x for x in texts)
    leaks = [x[:200] for x in texts if NAME in x]
    assert not leaks, leaks
    assert not [m[:100] for m in media if NAME.encode() in m]


@pytest.mark.parametrize("level", list(LEVELS))
def test_excel_export_leaves_names_out(level):
    ds = load_dataset()
    assert (ds["bimtek_participants"]["name"] == NAME).any()
    codes = LEVELS[level]
    state = filters.FilterState(kab=codes.get("kab") or (VILLAGE[:5] if level != "provinsi" else None),
                                kec=codes.get("kec") or (VILLAGE[:8] if level == "desa" else None),
                                desa=codes.get("desa"))
    data = excel.workbook_bytes(ds, state, ds.data_as_of, dt.datetime(2025, 1, 1, 8, 0))

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    cells = [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert len(cells) > 100
    assert not [c for c in cells if NAME in c]


def _file_text(data: bytes) -> str:
    """Readable text of a download: zip members (pptx, xlsx) unpacked, PDF text extracted, else the bytes."""
    import zipfile

    from pypdf import PdfReader

    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            kind = "[pptx]" if any(n.startswith("ppt/") for n in zf.namelist()) else "[xlsx]"
            return kind + "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
    if data.startswith(b"%PDF"):
        return "[pdf]" + "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8", "replace")


@pytest.mark.parametrize("level", ["kabupaten", "desa"])
def test_presentation_files_leave_names_out(level, media):
    at = open_page("pages/10_Presentasi.py", LEVELS[level])
    for kind in ("pptx", "pdf", "xlsx"):
        at.button(key=f"sv_pres_build_{kind}").click()
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    texts = [_file_text(m) for m in media]
    built = [x for x in texts if len(x) > 2000]
    assert len(built) >= 3, [len(x) for x in texts]  # the three files were really built and handed over
    assert any("Gisting" in x for x in built)  # the region's data is in them
    assert not [x[:6] + x[x.index(NAME) - 150:x.index(NAME) + 60] for x in built if NAME in x]
