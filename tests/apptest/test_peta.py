"""The map page without a browser: the per-rerun message stays within budget at every level, carries
no coordinates, keeps its element across a metric change, and bad input gets a clear message."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest.helpers import open_page
from utils.data import geo_static, paths, served

APP = str(paths.ROOT / "app.py")
PAGE = "pages/2_Peta.py"
TIMEOUT = 90
BUDGET = 100_000  # bytes of map message per rerun (issue 3)


def open_map(**params: str) -> AppTest:
    return open_page(PAGE, **params)


def map_proto(at: AppTest):
    found = at.get("bidi_component")
    assert len(found) == 1, "the map component is not on the page"
    return found[0].proto


def message(at: AppTest) -> dict:
    return json.loads(json.loads(map_proto(at).json))  # the component gets compact JSON text


def rows(msg: dict) -> dict[str, list[int]]:
    return {f"{group}.{own}": row for group, members in msg["rows"].items() for own, row in members.items()}


@pytest.mark.parametrize(("params", "villages", "level_file", "n"), [
    ({}, False, "kabupaten", 15),
    ({}, True, "desa", 2651),  # every village of the province, the 11 without polygon included
    ({"kab": "18.06"}, False, "kecamatan", 20),
    ({"kab": "18.06"}, True, "desa/18.06", None),
    ({"kec": "18.06.20"}, False, "desa/18.06", None),
    ({"desa": "18.06.20.2001"}, False, "desa/18.06", None),
])
def test_map_message_within_budget_at_every_level(dataset, params, villages, level_file, n):
    at = open_map(**params)
    if villages:
        at.toggle(key="map_villages").set_value(True).run()
    for metric in ("joined", "freshness", "idm_score"):  # the metrics with the most distinct values
        at.selectbox(key="map_metric").set_value(metric).run()
        assert not at.exception
        proto = map_proto(at)
        assert proto.ByteSize() <= BUDGET, (metric, proto.ByteSize())
        assert "coordinates" not in proto.json
        msg = message(at)
        assert msg["layer"]["url"].startswith(f"/app/static/geo/{level_file}.geojson?v=")
    prefix = next(iter(params.values()), "18")
    prefix = ".".join(prefix.split(".")[:3]) if "desa" in params else prefix
    regions = dataset.regions
    if n is None:
        level = "desa"
        n = int(((regions["level"] == level) & regions["code"].str.startswith(prefix + ".")).sum())
    assert len(rows(msg)) == n


def test_metric_change_keeps_the_map_element_and_only_values_change():
    at = open_map(kab="18.06")
    first, msg1 = map_proto(at), message(at)
    at.selectbox(key="map_metric").set_value("idm_status").run()
    second, msg2 = map_proto(at), message(at)
    assert first.id == second.id  # same element: the browser keeps map, layer and zoom
    assert msg1["layer"] == msg2["layer"]
    assert msg1["legend"]["title"] != msg2["legend"]["title"]


def test_static_files_missing_are_named_and_rewritten_where_the_data_is_loaded(tmp_path, monkeypatch):
    monkeypatch.setattr(geo_static, "STATIC_GEO_DIR", tmp_path)  # e.g. static/geo/ deleted while serving
    at = open_map()
    assert any(f"static/geo/{geo_static.MANIFEST}" in e.value for e in at.error)
    assert not at.get("bidi_component")
    assert not any(tmp_path.iterdir())  # a page run writes no file
    # Loading the data (once per data version) and the server's warm-up bring the files in line.
    assert served.ensure_current() is True
    assert served.ensure_current() is False  # current now: nothing to do
    at = open_map()
    assert not at.error
    assert (tmp_path / "kabupaten.geojson").is_file() and (tmp_path / "desa" / "18.06.geojson").is_file()
    assert len(rows(message(at))) == 15


def test_kota_is_not_applicable_for_adoption_but_counted_for_bimtek():
    at = open_map(kab="18.71")
    msg = message(at)
    na = msg["special"]["na"] - len(msg["colors"])
    assert {row[0] for row in rows(msg).values()} == {na}
    assert "tidak berlaku" in [label for _, label in msg["legend"]["items"]]
    at.selectbox(key="map_metric").set_value("bimtek").run()
    assert all(row[0] >= 0 for row in rows(message(at)).values())


def test_unknown_code_in_the_url_falls_back_to_the_province_with_a_notice():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["kab"] = "18.99"
    at.run()  # the first page of the session shows the notice
    # The notice is markdown with the code escaped as inert text ("18\\.99" renders as "18.99").
    assert any("18.99" in i.value.replace("\\", "") for i in at.info)
    at.switch_page(PAGE).run()
    assert message(at)["layer"]["url"].startswith("/app/static/geo/kabupaten.geojson")
    assert "kab" not in at.query_params


def test_missing_boundary_file_names_it_and_the_rest_of_the_page_works(tmp_path, monkeypatch):
    # Neither the static files nor the display layers they are written from exist.
    monkeypatch.setattr(geo_static, "STATIC_GEO_DIR", tmp_path / "static_geo")
    monkeypatch.setattr(paths, "GEO_DIR", tmp_path / "geo")
    at = open_map()
    assert any("geo/kabupaten_display.parquet" in e.value and "make data" in e.value for e in at.error)
    assert not at.get("bidi_component")
    assert any(b.label == "Unduh nilai (CSV)" for b in at.get("download_button"))
    assert at.selectbox(key="map_metric").value == "joined"


def test_english_switch_translates_legend_and_numbers():
    at = open_map(lang="en", kab="18.06")
    msg = message(at)
    assert msg["legend"]["title"] == "Desa joined (%), against this year's target"
    labels = [label for _, label in msg["legend"]["items"]]
    assert "not applicable" in labels and "Target reached" in labels and "0.1–4.9 points below target" in labels
    values = [msg["strings"][row[1]] for row in rows(msg).values()]
    assert all("," not in v for v in values) and any("." in v for v in values)  # 97.5%, not 97,5%
    assert any(v.endswith("(target 100%)") for v in values)
    assert at.selectbox(key="map_metric").label == "Indicator"
