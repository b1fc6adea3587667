"""Indeks Desa: the item catalogue against the mirrored files, and per-desa workbooks written from the structure
(complete, aliases, a missing item column, out-of-range scores, a status that disagrees with the scores, a 2026
round, another layout) read by the importer and by ``python -m utils check-index``."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from tests import indeks_desa_files as f
from utils.data import paths
from utils.intake import check_index
from utils.intake import indeks_desa as ix


@pytest.fixture(scope="module")
def catalogue() -> pd.DataFrame:
    from utils.data.build import ensure_built

    ensure_built()
    return pd.read_parquet(paths.INDEKS_DESA_ITEMS)


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return pd.read_parquet(paths.REGIONS)


def desa_of(regions: pd.DataFrame, kab: str, n: int | None = None) -> list[tuple[str, str]]:
    rows = regions[(regions["kab_code"] == kab) & (regions["village_type"] == "desa")]
    return list(rows[["code", "name"]].head(n).itertuples(index=False, name=None)) if n else \
        list(rows[["code", "name"]].itertuples(index=False, name=None))


def read(data: bytes, catalogue, regions, year=None) -> ix.IndexRead:
    return ix.read_index(data, catalogue, regions, year)


def written_scores(desa: list[f.Desa], drop: tuple[int, ...] = ()) -> pd.DataFrame:
    rows = [(d.code, n, s) for d in desa for n, s in d.scores.items() if n not in drop]
    return pd.DataFrame(rows, columns=["code", "item_no", "score"]).sort_values(["code", "item_no"], ignore_index=True)


# ---- the catalogue ------------------------------------------------------------------------------------


def test_every_scored_header_item_maps_to_its_structure_item(catalogue):
    items = f.scored_items()
    assert len(f.headers()) == 137 and len(f.structure()) == 127 and len(items) == 127
    scored = catalogue[catalogue["structure_no"].notna()]
    # The name mapping agrees with the two files' shared order, item by item.
    assert scored["item_no"].tolist() == list(range(1, 128))
    assert scored["structure_no"].astype(int).tolist() == list(range(1, 128))
    assert [re.sub(r"\s+", " ", i).strip() for i in scored["item"]] == \
        [re.sub(r"\s+", " ", i["item"]).strip() for i in items]
    # Worded differently, mapped through an alias: e.g. "Ketersediaan" / "Keberadaan PAUD".
    paud = catalogue[catalogue["standard"] == "Ketersediaan PAUD/ TK/ Sederajat di Desa"].iloc[0]
    assert paud["item"] == "Keberadaan PAUD/TK/Sederajat di Desa" and paud["mapped_by"] == "alias"
    # The four thematic columns have no structure item: read, never scored.
    unmapped = catalogue.loc[catalogue["structure_no"].isna(), "standard"].tolist()
    assert unmapped == [h["standard"] for h in f.headers()[133:]]
    # Dimensions as in the structure file.
    counts = scored["dimension"].value_counts().to_dict()
    assert counts == {"layanan_dasar": 34, "sosial": 17, "ekonomi": 32, "lingkungan": 18, "aksesibilitas": 10,
                      "tata_kelola": 16}
    # Recommended actions keyed like headers.json.
    acts = f.actions()
    assert all(catalogue.loc[catalogue["item_no"] == i["item_no"], "action_1"].iloc[0] == acts[i["standard"]]["1"]
               for i in items)


def test_build_report_names_the_mapping():
    report = json.loads(paths.BUILD_REPORT.read_text())["indeks_desa"]
    assert report["mapped"] == 127 and report["structure_items_unmapped"] == 0
    assert sum(report["mapped_by"].values()) == 127
    assert len(report["header_items_unmapped"]) == 4


# ---- workbooks ----------------------------------------------------------------------------------------


def test_complete_workbook_of_one_kabupaten(catalogue, regions):
    desa = f.make_desa(desa_of(regions, "18.06"), seed=3)
    r = read(f.write_workbook(desa), catalogue, regions)
    assert r.accepted and r.errors == [] and r.year == 2025 and r.header_row == 4  # three title rows above
    assert len(r.desa) == len(desa) == int(((regions["kab_code"] == "18.06") & (regions["village_type"] == "desa")).sum())
    assert r.kab_codes == ["18.06"] and r.items_missing == [] and len(r.items_found) == 127
    # Codes written as numbers come back dotted; every score as written.
    got = r.items.sort_values(["code", "item_no"], ignore_index=True)
    pd.testing.assert_frame_equal(got, written_scores(desa), check_dtype=False)
    # No dimension/total columns: the documented method (mean item score / 5 x 100, total = mean of dimensions).
    assert (r.dims_source, r.total_source) == ("dashboard", "dashboard")
    by_code = r.desa.set_index("code")
    for d in desa:
        assert by_code.at[d.code, "total"] == pytest.approx(d.total())
        for dim, value in d.dims().items():
            assert by_code.at[d.code, f"dim_{dim}"] == pytest.approx(value)
        assert by_code.at[d.code, "status"] == f.band(d.total()) and by_code.at[d.code, "status_source"] == "file"
    assert not [x for x in r.findings if x.key.startswith("ix_find_status")]


def test_aliases_title_year_and_the_files_own_scores(catalogue, regions):
    desa = f.make_desa(desa_of(regions, "18.10", 30), seed=4)
    layout = f.Layout(alias=True, year_in="title", title_rows=2, with_scores=True)
    r = read(f.write_workbook(desa, layout), catalogue, regions)
    assert r.accepted and r.year == 2025 and len(r.items_found) == 127
    pd.testing.assert_frame_equal(r.items.sort_values(["code", "item_no"], ignore_index=True), written_scores(desa),
                                  check_dtype=False)
    assert (r.dims_source, r.total_source) == ("file", "file")
    by_code = r.desa.set_index("code")
    for d in desa:  # the file's own (rounded) numbers, not recomputed
        assert by_code.at[d.code, "total"] == round(d.total(), 2)


def test_shared_alias_goes_to_the_item_it_names(catalogue, regions):
    """headers.json gives "SKOR Keberadaan Aktivitas Posyandu" to two items; the structure names only one."""
    desa = f.make_desa(desa_of(regions, "18.01", 3), seed=5)
    data = f.write_workbook(desa)
    import io

    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    items = f.scored_items()
    target = next(i for i in items if i["item"].strip() == "Keberadaan Aktivitas Posyandu")
    for cell in ws[4]:
        if cell.value == target["standard"]:
            cell.value = "SKOR Keberadaan Aktivitas Posyandu"
    buf = io.BytesIO()
    wb.save(buf)
    r = read(buf.getvalue(), catalogue, regions)
    assert r.items_missing == [] and target["item_no"] in r.items_found
    got = r.items[(r.items["item_no"] == target["item_no"])].set_index("code")["score"]
    assert got.to_dict() == {d.code: d.scores[target["item_no"]] for d in desa}


def test_missing_item_columns_are_listed(catalogue, regions):
    desa = f.make_desa(desa_of(regions, "18.02", 12), seed=6)
    items = f.scored_items()
    drop = (items[2]["item_no"], items[40]["item_no"], items[120]["item_no"])
    r = read(f.write_workbook(desa, f.Layout(drop_items=drop)), catalogue, regions)
    assert r.items_missing == [items[n - 1]["standard"] for n in drop]
    assert r.accepted and len(r.items_found) == 124
    kept = f.Desa(desa[0].code, "", {n: s for n, s in desa[0].scores.items() if n not in drop})
    assert r.desa.set_index("code").at[desa[0].code, "total"] == pytest.approx(kept.total())


def test_out_of_range_scores_are_errors_with_row_and_column(catalogue, regions):
    desa = f.make_desa(desa_of(regions, "18.03", 6), seed=7)
    items = f.scored_items()
    bad = {(desa[0].code, 1): 0, (desa[2].code, 10): 6, (desa[3].code, 20): 2.5, (desa[5].code, 30): "tinggi"}
    r = read(f.write_workbook(desa, f.Layout(overrides=bad)), catalogue, regions)
    assert not r.accepted
    got = {(e.row, e.column, e.code) for e in r.errors}
    # Header in row 4: desa k is in row 5 + k.
    assert got == {(5 + [d.code for d in desa].index(code), items[n - 1]["standard"], code) for code, n in bad}
    messages = {e.code: e.message("id") for e in r.errors}
    assert "di luar 1..5" in messages[desa[1 + 1].code] and "bukan angka" in messages[desa[5].code]


def test_status_disagreeing_with_the_scores_is_a_finding(catalogue, regions):
    desa = f.make_desa(desa_of(regions, "18.04", 8), seed=8)
    wrong = desa[2]
    wrong.status = next(s for s in f.STATUSES if s != f.band(wrong.total()))
    for with_scores, key in ((False, "ix_find_status_total_dashboard"), (True, "ix_find_status_total_file")):
        r = read(f.write_workbook(desa, f.Layout(with_scores=with_scores)), catalogue, regions)
        hits = [x for x in r.findings if x.key.startswith("ix_find_status")]
        assert [(x.code, x.row, x.key) for x in hits] == [(wrong.code, 7, key)]
        assert r.accepted  # a finding, not an error: the file's status is what is shown
        assert r.desa.set_index("code").at[wrong.code, "status"] == wrong.status
        text = hits[0].message("id")
        assert wrong.status in text and f.band(wrong.total()) in text and "pihak ketiga" in text


def test_a_2026_round_and_a_file_without_year(catalogue, regions):
    desa = f.make_desa(desa_of(regions, "18.05", 5), seed=9)
    r = read(f.write_workbook(desa, f.Layout(year=2026)), catalogue, regions)
    assert r.accepted and r.year == 2026
    no_year = f.write_workbook(desa, f.Layout(year_in="none"))
    r = read(no_year, catalogue, regions)
    assert not r.accepted and [e.key for e in r.errors] == ["ix_err_no_year"]
    assert read(no_year, catalogue, regions, year=2026).year == 2026
    r = read(f.write_workbook(desa, f.Layout(year=2026)), catalogue, regions, year=2025)
    assert [e.key for e in r.errors] == ["ix_err_year_differs"]


def test_another_layout_is_refused_naming_expected_and_found(catalogue, regions):
    import io

    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["KODE", "DIMENSI", "SKOR"])
    wb.active.append([1801042001, "LAYANAN DASAR", 3])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ix.LayoutRefused) as err:
        read(buf.getvalue(), catalogue, regions)
    text = err.value.text("id")
    assert "Kode Wilayah Administrasi Desa" in text and "Status ID" in text and "KODE, DIMENSI, SKOR" in text
    # A header with the identification columns but only a handful of items: also another layout.
    desa = f.make_desa(desa_of(regions, "18.01", 2), seed=10)
    few = f.write_workbook(desa, f.Layout(drop_items=tuple(range(10, 128))))
    with pytest.raises(ix.LayoutRefused, match="9 of the 127"):
        read(few, catalogue, regions)


# ---- python -m utils check-index -------------------------------------------------------------------------


def test_check_index_json_and_exit_status(tmp_path, catalogue, regions, capsys):
    from tests.helpers import content
    from utils.data import store

    engine = store.get_engine(paths.database_url())
    before = content(engine)
    imports_before = sorted(paths.IMPORTS_DIR.rglob("*")) if paths.IMPORTS_DIR.exists() else []
    desa = f.make_desa(desa_of(regions, "18.06", 10), seed=11)
    good = tmp_path / "tanggamus.xlsx"
    good.write_bytes(f.write_workbook(desa, f.Layout(drop_items=(5,))))
    assert check_index.main([str(good), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["index"] == "indeks_desa" and report["year"] == 2025 and report["accepted"]
    assert report["desa_read"] == 10 and report["items_found"] == 126
    assert report["items_missing"] == [f.scored_items()[4]["standard"]]
    assert report["errors"] == [] and isinstance(report["findings"], list)
    assert report["coverage"] == {"desa": 10, "of": 2446} and report["kabupaten"] == ["18.06"]

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(f.write_workbook(desa, f.Layout(overrides={(desa[1].code, 3): 9})))
    assert check_index.main([str(bad), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == [{"row": 6, "column": f.scored_items()[2]["standard"],
                                 "message": "Skor \u201c9\u201d di luar 1..5 (harus bilangan bulat 1 sampai 5).",
                                 "code": desa[1].code}]
    assert {"index", "year", "desa_read", "items_found", "items_missing", "errors", "findings"} <= set(report)

    other = tmp_path / "other.xlsx"
    import openpyxl
    wb = openpyxl.Workbook()
    wb.active.append(["NO", "NAMA"])
    wb.save(other)
    assert check_index.main([str(other), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"][0]["row"] == 0 and "Diharapkan" in report["errors"][0]["message"]
    # Nothing stored: the store and the imports folder are as they were.
    from tests.helpers import assert_same
    assert_same(before, content(engine))
    assert (sorted(paths.IMPORTS_DIR.rglob("*")) if paths.IMPORTS_DIR.exists() else []) == imports_before
    engine.dispose()


def test_check_index_reads_an_idm_workbook_too(tmp_path, capsys):
    from tests.unit.test_build_idm import HEADER, _workbook

    path = _workbook(tmp_path, [h.replace("2024", "2023").replace("2025", "2024") for h in HEADER])
    assert check_index.main([str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["index"], report["year"], report["desa_read"]) == ("idm", 2023, 2)


# ---- into the store: per-kabupaten files merge into one year, later rounds are other years, undo ---------


def test_two_kabupaten_in_two_files_merge_into_the_year_and_undo_restores(tmp_store, catalogue, regions):
    from tests.helpers import ADMIN, raw_count
    from utils.data.dataset import load_dataset
    from utils.intake import village_index as vi
    from utils.metrics import quality
    from utils.views.quality_display import describe

    engine = tmp_store
    tgm = f.make_desa(desa_of(regions, "18.06"), seed=21)
    psw = f.make_desa(desa_of(regions, "18.10"), seed=22)
    psw[0].status = next(s for s in f.STATUSES if s != f.band(psw[0].total()))  # disagrees with its scores

    def plan(data: bytes, name: str) -> vi.IndexPlan:
        return vi.plan_upload(data, name, regions, catalogue, 2024, engine)

    first = plan(f.write_workbook(tgm), "tanggamus_2025.xlsx")
    assert isinstance(first, vi.IndexPlan) and first.accepted and first.existing == "new"
    assert (first.year_desa_after, first.desa_total) == (len(tgm), 2446)  # partial: one kabupaten
    a = vi.apply_import(engine, first, ADMIN)
    assert (a.status, a.rows_added) == ("added", len(tgm))
    second = plan(f.write_workbook(psw), "pringsewu_2025.xlsx")
    assert second.year_desa_after == len(tgm) + len(psw)
    b = vi.apply_import(engine, second, ADMIN)

    ds = load_dataset()
    year = ds.indeks_desa[2025]
    assert len(year) == len(tgm) + len(psw) and set(year["code"]) == {d.code for d in tgm + psw}
    expected = {d.code: (d.status or f.band(d.total())) for d in tgm + psw}
    assert year.set_index("code")["status"].to_dict() == expected
    # Item scores at or below 2 (what recommendations need) are exactly the written ones.
    low = {(d.code, n, s) for d in tgm + psw for n, s in d.scores.items() if s <= 2}
    assert set(ds.indeks_low_items[2025].itertuples(index=False, name=None)) == low
    assert raw_count(engine, "indeks_desa_items") == sum(len(d.scores) for d in tgm + psw)
    # The desa whose status disagrees with its scores is a finding on Kualitas Data.
    issues = describe(quality.find_issues(ds.tables, ds.regions, ds.data_as_of, idm=ds.idm_base, indeks=ds.indeks_desa),
                      "id")
    listed = issues[issues["rule"] == "indeks_status_score"]
    assert listed["village_code"].tolist() == [psw[0].code]
    assert psw[0].status in listed["detail"].iloc[0] and "dihitung oleh dasbor" in listed["detail"].iloc[0]

    # The same file again: nothing changes. A corrected Tanggamus file replaces only when asked.
    assert plan(f.write_workbook(tgm), "tanggamus_2025.xlsx").existing == "same"
    corrected = [f.Desa(d.code, d.name, {n: 5 for n in d.scores}) for d in tgm]
    fix = plan(f.write_workbook(corrected), "tanggamus_2025_revisi.xlsx")
    assert (fix.existing, fix.replaces, fix.year_desa_after) == ("differs", len(tgm), len(tgm) + len(psw))
    with pytest.raises(vi.Refused):
        vi.apply_import(engine, fix, ADMIN)
    c = vi.apply_import(engine, fix, ADMIN, replace=True)
    shown = load_dataset().indeks_desa[2025].set_index("code")
    assert (shown.loc[[d.code for d in tgm], "total"] == 100).all() and (shown.loc[[d.code for d in tgm], "status"] == "Mandiri").all()
    vi.rollback_import(engine, c.upload_id, ADMIN)
    shown = load_dataset().indeks_desa[2025].set_index("code")
    assert shown.loc[tgm[0].code, "total"] == pytest.approx(tgm[0].total())
    # A 2026 round is another year beside 2025.
    vi.apply_import(engine, plan(f.write_workbook(tgm, f.Layout(year=2026)), "tanggamus_2026.xlsx"), ADMIN)
    ds = load_dataset()
    assert sorted(ds.indeks_desa) == [2025, 2026] and len(ds.indeks_desa[2026]) == len(tgm)
    # Undo both 2025 files: only 2026 is left.
    vi.rollback_import(engine, a.upload_id, ADMIN)
    vi.rollback_import(engine, b.upload_id, ADMIN)
    assert sorted(load_dataset().indeks_desa) == [2026]
    assert raw_count(engine, "uploads", "WHERE kind = 'indeks_desa' AND status = 'rolled_back'") == 3


def test_a_file_with_errors_cannot_be_applied(tmp_store, catalogue, regions):
    from tests.helpers import ADMIN, raw_count
    from utils.intake import village_index as vi

    desa = f.make_desa(desa_of(regions, "18.06", 4), seed=23)
    plan = vi.plan_upload(f.write_workbook(desa, f.Layout(overrides={(desa[0].code, 7): 0})), "x.xlsx", regions,
                          catalogue, 2024, tmp_store)
    assert not plan.accepted
    with pytest.raises(vi.Refused, match="1 errors"):
        vi.apply_import(tmp_store, plan, ADMIN)
    assert raw_count(tmp_store, "index_imports") == 0 and raw_count(tmp_store, "indeks_desa_desa") == 0


# ---- what pages show: Dinas PMD follow-ups, the status transition, dimensions, the map ---------------------

_PMD = re.compile(r"pmd|pem[a-z]*dayaan masyarakat", re.IGNORECASE)  # the test's own reading of "Dinas PMD"


@pytest.fixture
def imported(tmp_store, catalogue, regions):
    """Tanggamus and Pringsewu Indeks Desa 2025, two files, imported into a throwaway store."""
    from tests.helpers import ADMIN
    from utils.intake import village_index as vi

    written = {}
    for kab, seed in (("18.06", 61), ("18.10", 62)):
        desa = f.make_desa(desa_of(regions, kab), seed=seed)
        plan = vi.plan_upload(f.write_workbook(desa), f"{kab}.xlsx", regions, catalogue, 2024, tmp_store)
        vi.apply_import(tmp_store, plan, ADMIN)
        written[kab] = desa
    return written


def test_dinas_pmd_follow_ups_of_a_kabupaten_match_an_independent_reading(imported):
    from utils.data.dataset import load_dataset
    from utils.metrics import development

    ds = load_dataset()
    rnd = development.indeks_round(ds, 2026)
    assert rnd.year == 2025
    tgm = imported["18.06"]
    got = rnd.recommendations([d.code for d in tgm])
    # Independently: structure rows (same order as headers.json items) whose province or kabupaten implementer
    # names the Dinas PMD, desa scores <= 2, the action rekomendasi.json gives for that score.
    acts = f.actions()
    expected: dict[tuple[int, int], set[str]] = {}
    for item in f.scored_items():
        if not (_PMD.search(item["provinsi"] or "") or _PMD.search(item["kabupaten"] or "")):
            continue
        for d in tgm:
            score = d.scores[item["item_no"]]
            if score <= 2:
                expected.setdefault((item["item_no"], score), set()).add(d.code)
    assert {(int(r.item_no), int(r.score)): set(r.codes) for r in got.itertuples()} == expected
    for r in got.itertuples():
        item = f.scored_items()[int(r.item_no) - 1]
        assert r.action == acts[item["standard"]][str(int(r.score))].strip()
        assert r.desa == len(r.codes)
    assert got["desa"].is_monotonic_decreasing  # most desa first
    # Pringsewu's desa are not in Tanggamus's list.
    assert not set().union(*got["codes"]) & {d.code for d in imported["18.10"]}


def test_transition_matrix_sums_to_the_desa_scored_in_both(imported):
    from utils.data.dataset import load_dataset
    from utils.metrics import development

    ds = load_dataset()
    rnd = development.indeks_round(ds, 2025)
    matrix = development.transition_matrix(ds.idm_base, rnd.desa)
    written = {d.code: f.band(d.total()) for desa in imported.values() for d in desa}
    idm = pd.read_parquet(paths.IDM).set_index("code")["status"]  # every desa has an IDM 2024 status
    both = [c for c in written if c in idm.index]
    assert int(matrix.to_numpy().sum()) == len(both) == len(written)
    expected = pd.crosstab(idm.loc[both], pd.Series(written).loc[both])
    for a in expected.index:
        for b in expected.columns:
            assert matrix.at[a, b] == expected.at[a, b]
    assert list(matrix.index) == list(f.STATUSES) and list(matrix.columns) == list(f.STATUSES)
    # One kabupaten: its own desa only.
    tgm = development.transition_matrix(ds.idm_base, rnd.desa, [d.code for d in imported["18.06"]])
    assert int(tgm.to_numpy().sum()) == len(imported["18.06"])


def test_six_dimensions_per_kabupaten_and_partial_coverage(imported, regions):
    from utils.data.dataset import load_dataset
    from utils.metrics import development, indicators
    from utils.views import index_display as ixv

    ds = load_dataset()
    rnd = development.indeks_round(ds, 2025)
    dims = development.dimensions_by_region(rnd.desa, ds.regions)
    for kab, desa in imported.items():
        assert dims.at[kab, "scored"] == len(desa) == dims.at[kab, "desa"]
        for dim in f.DIMENSIONS.values():
            assert dims.at[kab, f"dim_{dim}"] == pytest.approx(sum(d.dims()[dim] for d in desa) / len(desa))
    assert dims.loc[~dims.index.isin(list(imported)), "scored"].eq(0).all()
    cov = development.coverage(rnd.desa, ds.regions, "18", 2025)
    n = sum(len(v) for v in imported.values())
    assert (cov.scored, cov.desa, cov.partial) == (n, 2446, True)
    assert ixv.coverage_label(cov, "id") == f"Indeks Desa 2025: {n} dari 2.446 desa"
    # The shared indicator table carries the round: per kabupaten scored desa and mean total.
    snap = indicators.village_snapshot(ds, ds.data_as_of)
    table = indicators.region_indicators(snap, "kab_code")
    assert table.at["18.06", "id_scored"] == len(imported["18.06"]) and table.at["18.01", "id_scored"] == 0
    assert table.at["18.10", "id_total"] == pytest.approx(sum(d.total() for d in imported["18.10"]) / len(imported["18.10"]))


def test_map_classes_the_indeks_desa_scores_with_the_band_edges(imported):
    from utils.data.dataset import load_dataset
    from utils.metrics import indicators
    from utils.views.maps import choropleth

    ds = load_dataset()
    snap = indicators.village_snapshot(ds, ds.data_as_of)
    frame = choropleth.region_values(indicators.region_indicators(snap, "kab_code"), ds.data_as_of)
    classed = choropleth.classify(choropleth.metric("id_total"), frame, False, "id", frame["desa"] > 0)
    total = frame["id_total"]
    bounds = [0, 49.48, 57.38, 69.34, 79.62, 100]
    for kab in imported:
        expected = next(i for i in range(5) if total[kab] <= bounds[i + 1])
        assert classed.cls[kab] == expected
    assert classed.cls["18.01"] == choropleth.NODATA  # no desa scored there: "tidak ada data", never a class
    status = choropleth.classify(choropleth.metric("id_status"), frame, False, "id", frame["desa"] > 0)
    written = pd.Series([f.band(d.total()) for d in imported["18.06"]]).value_counts()
    most = [s for s in f.STATUSES if written.get(s, 0) == written.max()]  # ties: the better status
    assert status.value["18.06"] == most[0]
