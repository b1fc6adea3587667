"""Riwayat's note on a pending upload: what approving it changes on every page (metric decides, view words)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from utils.data.dataset import VIEW_DEMO_KEY
from utils.i18n import t
from utils.metrics import reporting
from utils.views import reporting_display as rpd


@pytest.fixture
def real(dataset):
    """The data set as if Lampung Barat (18.04) and Tanggamus (18.06) had sent real adoption reports."""
    return replace(dataset, reporting={"adoption": frozenset({"18.04", "18.06"})}, meta={**dataset.meta})


@pytest.mark.parametrize("lang", ["id", "en"])
def test_first_real_report_of_a_group_says_every_other_kabupaten_will_read_not_reported(dataset, lang):
    ds = replace(dataset, reporting={}, meta={**dataset.meta})
    effect = reporting.approval_effect(ds, "status_report", "18.01")
    assert effect == reporting.ApprovalEffect("adoption", "18.01", True, 0)
    assert rpd.approval_effect(ds, "status_report", "18.01", ds.names, lang) == t(
        "rep_approve_first", lang, kind=t("demo_group_adoption", lang), kab=ds.names["18.01"])


def test_next_kabupaten_joins_those_already_reporting(real):
    effect = reporting.approval_effect(real, "adoption", "18.01")
    assert effect == reporting.ApprovalEffect("adoption", "18.01", False, 2)
    text = rpd.approval_effect(real, "adoption", "18.01", real.names, "id")
    assert text == t("rep_approve_next", "id", kind=t("demo_group_adoption", "id"), kab=real.names["18.01"], n="2")


def test_nothing_to_say_for_a_kabupaten_already_reporting_a_group_outside_reporting_or_the_demo_view(real):
    assert reporting.approval_effect(real, "adoption", "18.06") is None
    assert rpd.approval_effect(real, "adoption", "18.06", real.names, "id") == ""
    assert reporting.approval_effect(real, "meetings", "18.01") is None
    viewing = replace(real, meta={**real.meta, VIEW_DEMO_KEY: "1"})
    assert reporting.approval_effect(viewing, "adoption", "18.01") is None


def test_bimtek_participants_follow_the_bimtek_group_and_a_province_upload_names_the_province(real):
    effect = reporting.approval_effect(real, "bimtek_participants", None)
    assert effect == reporting.ApprovalEffect("bimtek", None, True, 0)
    assert rpd.approval_effect(real, "bimtek_participants", None, real.names, "id") == t(
        "rep_approve_first", "id", kind=t("demo_group_bimtek", "id"), kab=t("province", "id"))
