"""Shared fixtures: the real canonical files and programme store built by `make test`'s set-up."""

from __future__ import annotations

import pytest

from utils.data import paths


@pytest.fixture(scope="session")
def dataset():
    """The app's dataset over the real build and the demo store (fails clearly when not built)."""
    from utils.data.dataset import DataUnavailable, load_dataset

    try:
        return load_dataset()
    except DataUnavailable as exc:
        pytest.fail(f"canonical data missing: run `make data` first\n{exc}")


@pytest.fixture(scope="session")
def store_frames():
    """Programme tables read straight from the store with plain SQL (independent of utils.metrics.indicators)."""
    import pandas as pd
    import sqlalchemy as sa

    engine = sa.create_engine(paths.database_url())
    with engine.connect() as conn:
        frames = {
            name: pd.read_sql(sa.text(f"SELECT * FROM {name}"), conn)
            for name in ("adoption", "services", "bimtek_events", "bimtek_participants", "officers", "targets",
                         "meta")
        }
    engine.dispose()
    for frame in frames.values():
        for col in frame.columns:
            if col.endswith(("_on", "_date")):
                frame[col] = pd.to_datetime(frame[col])
    return frames
