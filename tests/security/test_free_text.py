"""Free text typed by operators reaches no public output: an event's note with a name and a phone number is in
the store, and nowhere in the anonymous Excel export (nor its header), at any level."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import openpyxl
import pytest

from utils.domain.filters import FilterState
from utils.i18n import t
from utils.views.exports import excel

NAME = "Kelik Pramudya Wicaksonoputro"
NOTE = f"Narasumber {NAME} (HP 0812-7788-1234), peserta lain dari desa tetangga."


@pytest.mark.parametrize("state", [FilterState(), FilterState(kab="18.06"), FilterState(kab="18.06", kec="18.06.20")])
def test_event_notes_are_left_out_of_the_export(dataset, state):
    assert not any(frame.astype(str).apply(lambda c: c.str.contains(NAME)).any().any()
                   for frame in dataset.tables.values())  # the name is nowhere else in the data
    events = dataset["bimtek_events"].copy()
    events["notes"] = NOTE  # every event, so whatever the filter keeps carries the note
    doctored = dataclasses.replace(dataset, tables={**dataset.tables, "bimtek_events": events})
    data = excel.workbook_bytes(doctored, state, dataset.data_as_of, dt.datetime(2025, 1, 1, 8, 0))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [x for x in texts if NAME in x or "0812-7788" in x]
    sheet = wb[excel.sheet_title(doctored, "bimtek_events", "id")]  # "Bimtek_Kegiatan (contoh)" over the demo set
    headers = [c.value for c in sheet[1]]
    assert t("col_notes", "id") not in headers
    assert t("col_title", "id") in headers and sheet.max_row > 1  # the events themselves are exported
    readme = " ".join(texts[:40])
    assert "catatan bebas kegiatan tidak disertakan" in readme
