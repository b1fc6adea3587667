"""Matching a GIS unit's boundary layer, codes first: BPS 2020 codes (with and without a prefix) translated
through the crosswalk and the village found by name in its kecamatan; names in other spellings; location;
pseudo-areas set aside; the level detected and a wrong one explained; misplaced polygons warned about and left
out; whole kabupaten only; and the same report from ``python -m utils check-boundaries``.

Every layer is written by tests/unit/boundary_layers.py from the build's own villages, so the true village of
each feature is known and the expectations come from the file, never from the matcher."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest

from tests.helpers import content, served_files
from tests.unit import boundary_layers as bl
from utils.data import paths, served
from utils.intake import boundaries as ib


@pytest.fixture(scope="module")
def regions() -> pd.DataFrame:
    return pd.read_parquet(paths.REGIONS)


def plan_of(data: bytes, name: str, regions: pd.DataFrame, level: str | None = None) -> ib.BoundaryPlan:
    return ib.plan_boundary_import(ib.read_boundary_upload(data, name), level, regions)


# ---- small pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "digits"), [
    ("18.01.04.2001", "1801042001"), (1801042001, "1801042001"), ("1801042001.0", "1801042001"),
    (1801042001.0, "1801042001"), ("id1801040001", "1801040001"), ("ID_1801", "1801"), ("18.01.040.001", "1801040001"),
    ("1801040", "1801040"), ("Lampung", None), ("3201010001", None), ("", None), (None, None),
])
def test_code_forms(value, digits):
    assert ib.code_digits(value) == digits


def test_bps_kabupaten_codes_are_translated_not_read_as_kemendagri():
    crosswalk = ib.Crosswalk.load()
    known = set(pd.read_parquet(paths.REGIONS)["code"])
    # BPS 1801 is Lampung Barat (Kemendagri 18.04); read as Kemendagri, 1801 would be Lampung Selatan.
    assert ib.interpret("1801", "bps", known, crosswalk) == ("18.04", "region")
    assert ib.interpret("1801", "kemendagri", known, crosswalk) == ("18.01", "region")
    assert ib.interpret("1802010", "bps", known, crosswalk)[1] == "region"  # a BPS kecamatan
    assert ib.interpret("1801040001", "bps", known, crosswalk) == ("18.04.04", "kecamatan")  # village: to its kecamatan


@pytest.mark.parametrize(("name", "reason"), [
    ("Kawasan Hutan Register 45", "forest"), ("HUTAN LINDUNG BUKIT REREK", "forest"), ("TN Way Kambas", "forest"),
    ("Danau Ranau", "lake"), ("Waduk Batutegi", "lake"), ("UPT SP 3 Rawa Pitu", "transmigration"),
    ("SP-2 Mesuji Timur", "transmigration"), ("Sukarame", None), ("Hutan Baru", "forest"), ("Rawajitu", None),
    ("Pulau Pahawang", None),
])
def test_pseudo_areas_by_name(name, reason):
    assert ib.pseudo_area(name) == reason


# ---- whole layers --------------------------------------------------------------------------------


def test_bps_codes_with_a_prefix_match_every_village_through_the_crosswalk(regions, tmp_path):
    layer, truth = bl.bps_layer("id")
    plan = plan_of(bl.zipped_shapefile(layer, tmp_path / "shp", crs=bl.UTM48S), "desa_bps.zip", regions)
    assert (plan.level, plan.columns.code, plan.columns.code_system) == ("desa", "KODE_BPS", "bps")
    assert (plan.columns.name, plan.columns.kecamatan, plan.columns.kabupaten) == ("NAMOBJ", "WADMKC", "WADMKK")
    rep = plan.report.assign(truth=truth["code"])
    matched = rep[rep["status"] == "matched"]
    assert (matched["code"] == matched["truth"]).all()  # never the wrong village
    parent, covered = truth["split"]
    villages = [c for c in truth["code"] if c]
    assert plan.matched_by() == {"by_code": 0, "by_code_then_name": len(villages) - 1, "by_name": 0, "by_location": 0}
    # the parent from before the split covers a village the file lacks: flagged, not applied
    flagged = rep[rep["status"] == "covers_other"]
    assert flagged["truth"].tolist() == [parent] and covered in flagged["reason"].iloc[0]
    # a kecamatan formed after 2020 (no BPS code): its villages found by name within the kabupaten
    assert set(matched.loc[matched["truth"].str.startswith("18.08.15."), "truth"]) == \
        {c for c in villages if c.startswith("18.08.15.")}
    aside = rep[rep["status"] == "set_aside"]
    assert dict(zip(aside.index, aside["reason"], strict=True)) == truth["pseudo"]
    assessment = ib.assess(plan)
    assert "18.06.20" in assessment.mixed_parents  # Gisting keeps two built villages beside the file's
    assert assessment.partial_kabupaten == ["18.06"] and not assessment.low_overlap
    assert set(assessment.apply["code"]) == set(villages) - {parent}


def test_bps_codes_without_a_prefix_never_fall_into_the_kabupaten_of_the_same_digits(regions):
    # BPS 1801 Lampung Barat and 1803 Lampung Selatan; Kemendagri 18.01 is Lampung Selatan, 18.04 Lampung Barat.
    layer, truth = bl.bps_layer("", split=False, kabs=("18.04", "18.01"))
    plan = plan_of(bl.geojson(layer), "bps.geojson", regions)
    assert plan.columns.code_system == "bps" and plan.columns.code_share == 1.0
    rep = plan.report.assign(truth=truth["code"])
    assert (rep["status"] == "matched").all() and (rep["code"] == rep["truth"]).all()
    assert set(rep["method"]) == {"by_code_then_name"}


def test_names_only_in_other_spellings(regions):
    layer, truth = bl.names_layer(swapped_every=25, nameless_every=100)
    plan = plan_of(bl.geojson(layer), "nama.geojson", regions)
    assert (plan.level, plan.columns.code_system, plan.columns.name) == ("desa", "none", "nama")
    rep = plan.report.assign(truth=truth["code"])
    matched = rep[rep["status"] == "matched"]
    assert (matched["code"] == matched["truth"]).all()  # never the wrong village
    by = plan.matched_by()
    nameless = rep[rep["truth"].isin(truth["nameless"])]
    assert (nameless["method"] == "by_location").all() and by["by_location"] == len(truth["nameless"])
    # Other spellings are matched by name; only names in another word order on a partial polygon are left open,
    # each with its true village among the suggestions.
    open_ = rep[rep["status"] != "matched"]
    assert set(open_["truth"]) <= set(truth["swapped"]) and len(open_) >= 0.8 * len(truth["swapped"])
    assert (open_["status"] == "suggested").all()
    assert all(t in [s["code"] for s in sug] for sug, t in zip(open_["suggestions"], open_["truth"], strict=True))
    assert by["by_name"] == len(rep) - len(open_) - len(truth["nameless"])
    top = {f: s[0]["code"] for f, s in open_["suggestions"].items()}
    accepted = plan.suggestions(min_score=0)
    assert set(accepted) <= set(top) and all(accepted[f] == top[f] for f in accepted
                                               if top[f] not in set(matched["code"]))
    chosen = dict(zip(open_.index, open_["truth"], strict=True))  # the admin picks the true village each time
    assessment = ib.assess(plan, chosen)
    # their partial polygons overlap the village by 0.6² = 36%: accepted, but left out unless included
    assert set(open_["truth"]) <= set(assessment.low_overlap)
    assert set(assessment.apply["code"]) == set(truth["code"]) - set(assessment.low_overlap)
    included = ib.assess(plan, chosen, ib.Options(include_low_overlap=True))
    assert set(included.apply["code"]) == set(truth["code"])
    assert set(included.apply.loc[included.apply["method"] == "accepted", "code"]) == set(open_["truth"])


def test_the_level_is_detected_and_a_wrong_one_explained(regions):
    layer, _ = bl.kemendagri_layer(kab="18.06")
    data = bl.geojson(layer)
    plan = plan_of(data, "tgm.geojson", regions, level="kabupaten")
    assert plan.guess.level == "desa" and plan.counts()["matched"] == 0
    explained = plan.guess.explain("kabupaten")
    assert explained.startswith("Tingkat kabupaten/kota tampaknya keliru: berkas ini berisi desa/kelurahan")
    assert f"{len(layer)} fitur" in explained and "kode 10 digit" in explained
    assert plan_of(data, "tgm.geojson", regions).level == "desa"  # proposed when no level is given
    names_only = layer[["WADMKD", "geometry"]]
    assert plan_of(bl.geojson(names_only), "tgm.geojson", regions).guess.level == "desa"


def test_misplaced_polygons_warn_and_are_left_out_unless_included(regions):
    layer, truth = bl.kemendagri_layer(kab="18.10", shift_km=3.0, shifted_every=4)
    plan = plan_of(bl.geojson(layer), "pringsewu.geojson", regions)
    built = gpd.read_parquet(paths.boundary_path("desa")).set_index("code").geometry
    geoms = dict(zip(truth["code"], layer.geometry, strict=True))
    expected = sorted(c for c in truth["code"] if bl.iou(geoms[c], built[c]) < ib.LOW_OVERLAP)
    assert expected and set(expected) <= set(truth["shifted"])
    assessment = ib.assess(plan)
    # A polygon moved onto a village outside the file is flagged (it covers a region the file lacks); the
    # others are warned about; neither is applied.
    flagged = set(plan.report.loc[plan.report["status"] == "covers_other", "code"])
    assert set(assessment.low_overlap) | flagged == set(expected) and not set(assessment.low_overlap) & flagged
    assert assessment.skipped_low_overlap == len(assessment.low_overlap) > 0
    assert not set(expected) & set(assessment.apply["code"])
    kinds = {w["kind"]: w["message"] for w in assessment.warnings(plan)}
    assert kinds["low_overlap"].startswith(
        f"{len(assessment.low_overlap)} wilayah yang cocok tumpang tindih kurang dari 50%")
    assert kinds["low_overlap"].endswith("tidak diterapkan kecuali Anda menyertakannya di bawah.")
    included = ib.assess(plan, options=ib.Options(include_low_overlap=True))
    assert set(assessment.low_overlap) <= set(included.apply["code"])
    kinds = {w["kind"] for w in included.warnings(plan)}
    assert {"gap", "overlap"} <= kinds  # moved polygons open gaps and cover their neighbours


def test_a_code_column_chosen_by_hand_that_holds_no_code_is_said_so(regions):
    layer, _ = bl.kemendagri_layer(kab="18.72")
    src = ib.read_boundary_upload(bl.geojson(layer), "metro.geojson")
    plan = ib.plan_boundary_import(src, "desa", regions, code_col="WADMKD", name_col="WADMKD", auto=False)
    assert plan.code_unrecognised and plan.columns.code_system == "none"
    assert plan.matched_by()["by_name"] == len(layer)  # matched by name instead, not silently nothing
    warning = {w["kind"]: w["message"] for w in ib.assess(plan).warnings(plan)}["code_unrecognised"]
    assert warning == ("Kolom \u201cWADMKD\u201d tidak berisi kode Kemendagri maupun BPS yang dikenal; pencocokan "
                       "memakai nama dan lokasi.")


def test_whole_kabupaten_only(regions):
    metro, _ = bl.kemendagri_layer(kab="18.72")
    pringsewu, _ = bl.kemendagri_layer(kab="18.10")
    layer = gpd.GeoDataFrame(pd.concat([metro, pringsewu.iloc[3:]], ignore_index=True), crs="EPSG:4326")
    plan = plan_of(bl.geojson(layer), "dua.geojson", regions)
    default = ib.assess(plan)
    assert default.complete_kabupaten == ["18.72"] and default.partial_kabupaten == ["18.10"]
    whole = ib.assess(plan, options=ib.Options(whole_kabupaten=True))
    assert set(whole.apply["code"]) == set(metro["KDEPUM"])
    assert whole.skipped_partial_kabupaten == len(pringsewu) - 3


def test_check_boundaries_command_prints_the_report_and_stores_nothing(served_env, regions, tmp_path, capsys):
    from utils.__main__ import main as cli

    layer, truth = bl.bps_layer("id", split=False, kabs=("18.72",))
    pseudo = bl.pseudo_features(bl.built_villages()).iloc[:2]
    layer = gpd.GeoDataFrame(pd.concat([layer, gpd.GeoDataFrame({"NAMOBJ": pseudo["name"]}, geometry=pseudo.geometry,
                                                                crs="EPSG:4326")], ignore_index=True), crs="EPSG:4326")
    path = tmp_path / "metro_bps.zip"
    path.write_bytes(bl.zipped_shapefile(layer, tmp_path / "shp"))
    store_before, files_before = content(served_env), served_files()
    assert cli(["check-boundaries", str(path), "--json", "--rows"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"features", "level", "code_column", "code_system", "matched", "suggested", "unmatched", "set_aside",
            "warnings", "rows"} <= set(report)
    assert (report["features"], report["level"], report["code_column"], report["code_system"]) == \
        (len(layer), "desa", "KODE_BPS", "bps")
    assert report["matched"] == {"by_code": 0, "by_code_then_name": 22, "by_name": 0, "by_location": 0}
    assert [s["reason"] for s in report["set_aside"]] == ["forest", "forest"] and report["unmatched"] == []
    assert {r["code"] for r in report["rows"]} == set(truth["code"][:22])
    assert all(r["method"] == "by_code_then_name" and 0.9 < r["overlap"] <= 1 for r in report["rows"])
    for name, after in (("store", content(served_env)), ("files", served_files())):
        before = store_before if name == "store" else files_before
        assert (all(before[k].equals(after[k]) for k in before) if name == "store" else before == after), name
    assert not served.active()
    assert cli(["check-boundaries", str(path), "--level", "kabupaten"]) == 0
    out = capsys.readouterr().out
    assert "tampaknya keliru: berkas ini berisi desa/kelurahan" in out
    assert cli(["check-boundaries", str(tmp_path / "tidak_ada.zip")]) == 2
