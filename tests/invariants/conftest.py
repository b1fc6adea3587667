"""Invariants over the demo store: for every kabupaten and kecamatan and a few periods, the checks that would
have caught each contradiction of issue 15 (one figure saying two things on two screens or artefacts)."""

from __future__ import annotations

import datetime as dt

import pytest

from utils.metrics import indicators

#: Period ends checked: the data date, the last year end, a mid-year and the end of 2023 (a 95 % target).
PERIODS = (dt.date(2026, 10, 31), dt.date(2025, 12, 31), dt.date(2024, 6, 30), dt.date(2023, 12, 31))


@pytest.fixture(scope="session")
def snapshots(dataset):
    """Village snapshot per period end (built once, shared by every invariant module)."""
    cache: dict[dt.date, object] = {}

    def get(as_of: dt.date):
        if as_of not in cache:
            cache[as_of] = indicators.village_snapshot(dataset, as_of)
        return cache[as_of]

    return get


@pytest.fixture(scope="session")
def kabupaten(dataset) -> list[str]:
    regions = dataset.regions
    return sorted(regions.loc[regions["level"] == "kabupaten", "code"])
