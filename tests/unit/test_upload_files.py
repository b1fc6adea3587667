"""The uploaded files themselves live in the store for audit (``upload_files``), beside their history row and
in the same transaction: a programme upload, an IDM workbook import and a boundary import each keep the bytes
as received, any engine on the store reads them back, and a record whose bytes do not match its SHA-256 is
refused without leaving a trace. Read with plain SQL, never through the code under test."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
import sqlalchemy as sa

from tests.files import doctored
from tests.helpers import ADMIN, OP_TGM, raw_count
from tests.report_family import Layout, tanggamus_march, workbook
from tests.unit import boundary_layers as bl
from utils.data import store
from utils.intake import apply, report, village_index
from utils.intake import boundaries as ib

pytestmark = pytest.mark.both_backends


def kept(engine) -> dict[int, tuple[str, str, int, bytes]]:
    """upload_id -> (kind, sha256 of the history row, size, bytes kept), plain SQL."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT u.upload_id, u.kind, u.sha256, f.size, f.content FROM uploads u "
                                    "JOIN upload_files f ON f.upload_id = u.upload_id")).all()
    return {int(r[0]): (r[1], r[2], int(r[3]), bytes(r[4])) for r in rows}


def test_an_idm_import_keeps_its_workbook(real_rows, regions, tmp_store):
    data, _ = doctored(real_rows, 2025, 5)
    result = village_index.apply_import(
        tmp_store, village_index.plan_idm_import(data, "IDM_2025.xlsx", regions, 2024, tmp_store), ADMIN)
    assert kept(tmp_store) == {result.upload_id: ("idm", hashlib.sha256(data).hexdigest(), len(data), data)}
    # Another engine on the same store (a second app server) hands back the same file.
    other = store.get_engine(tmp_store.url.render_as_string(hide_password=False))
    try:
        assert store.read_upload_file(other, result.upload_id) == ("IDM_2025.xlsx", data)
        assert store.uploads_with_file(other) == {result.upload_id}
    finally:
        other.dispose()


def test_a_boundary_import_keeps_its_file(served_env, regions, tmp_path):
    layer, _ = bl.kemendagri_layer(kab="18.72", dotted=False)
    data = bl.zipped_shapefile(layer, tmp_path / "shp", crs=bl.UTM48S)
    plan = ib.plan_boundary_import(ib.read_boundary_upload(data, "metro.zip"), None, regions)
    result = ib.apply_boundary_import(plan, ib.assess(plan, engine=served_env), ADMIN, served_env, "Bappeda")
    assert kept(served_env) == {result.upload_id: ("boundary", hashlib.sha256(data).hexdigest(), len(data), data)}
    ib.undo_boundary_import(served_env, result.upload_id, ADMIN)  # undone, the file stays for the audit
    assert kept(served_env)[result.upload_id][3] == data


def test_a_kabupaten_status_report_keeps_its_workbook(tmp_store, regions):
    data = workbook(tanggamus_march(), Layout())
    rf = report.read_report("laporan-maret.xlsx", data)
    chk = report.check(rf, report.propose(rf), regions, "18.06", skip_unmatched=True)
    assert chk.ok, chk.errors
    upload_id = apply.submit(tmp_store, chk, OP_TGM)  # pending: the file is kept from the start
    assert kept(tmp_store) == {upload_id: (report.KIND, hashlib.sha256(data).hexdigest(), len(data), data)}


def test_bytes_that_do_not_match_the_recorded_hash_leave_no_trace(empty_store):
    with pytest.raises(ValueError, match="does not match"):
        store.record_upload(empty_store, kind="adoption", file_name="a.xlsx", sha256="0" * 64, uploader="admin",
                            status="pending", content=b"not the file the hash names")
    assert raw_count(empty_store, "uploads") == 0 and raw_count(empty_store, "upload_files") == 0


def test_a_record_without_a_file_reads_back_as_none(empty_store):
    upload_id = store.record_upload(empty_store, kind="demo_view", file_name="—", sha256="", uploader="admin",
                                    status="applied")
    assert store.read_upload_file(empty_store, upload_id) is None
    assert store.uploads_with_file(empty_store) == set() and isinstance(store.read_uploads(empty_store), pd.DataFrame)
