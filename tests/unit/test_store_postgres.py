"""Programme store on PostgreSQL: the demo set round trip, all-or-nothing replacement, length limits, and
the app's dataset read from PostgreSQL equal to the one read from SQLite.

The server is the session's throwaway cluster (tests/postgres.py, fixtures in tests/conftest.py); each test
gets a fresh database. The store tests of test_store.py, test_ingest.py and test_ingest_apply.py run on
PostgreSQL as well (``both_backends``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from utils.data import demo, paths, store
from utils.data.dataset import DataUnavailable, load_dataset


@contextmanager
def _engine(url: str) -> Iterator[sa.Engine]:
    engine = store.get_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _date_columns(name: str) -> list[str]:
    return [c.name for c in store.TABLES[name].columns if isinstance(c.type, sa.Date)]


def test_demo_set_round_trips_through_postgres(pg, demo_frames):
    assert pg.dialect.name == "postgresql" and pg.dialect.driver == "psycopg"
    store.init_schema(pg)
    store.init_schema(pg)  # idempotent on PostgreSQL too
    assert store.store_is_empty(pg)
    meta = demo.demo_meta(demo.DEFAULT_SEED)
    store.replace_all(pg, demo_frames, meta)
    assert not store.store_is_empty(pg)
    assert store.read_meta(pg) == meta

    for name in store.DATA_TABLES:
        got = store.read_table(pg, name)
        assert len(got) == len(demo_frames[name]), name
        assert list(got.columns) == [c.name for c in store.TABLES[name].columns], name
        for col in _date_columns(name):
            assert str(got[col].dtype).startswith("datetime64"), (name, col)
        # Same rows as generated, whatever order the server returns them in.
        key = [c.name for c in store.TABLES[name].primary_key.columns]
        want = store.normalise_types(demo_frames[name].copy(), store.TABLES[name])
        want = want.reindex(columns=got.columns).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(
            got.sort_values(key).reset_index(drop=True), want, check_dtype=False, obj=name
        )

    # Codes stay text: nothing numeric or truncated ("18.10" must not become 18.1).
    officers = store.read_table(pg, "officers")
    assert "18.04.15.2004" in set(officers["village_code"])
    for name in store.DATA_TABLES:
        for col in store.TABLES[name].columns:
            if col.name in {"village_code", "region_code", "event_id", "officer_id", "meeting_id"}:
                values = store.read_table(pg, name)[col.name]
                assert all(isinstance(v, str) for v in values), (name, col.name)
    targets = store.read_table(pg, "targets")
    assert {"18", "18.10"} <= set(targets["region_code"])
    # Dates come back as dates: DATE columns on the server, midnight timestamps in the frames.
    with pg.connect() as conn:
        reached = conn.execute(sa.select(store.adoption.c.reached_on).limit(1)).scalar_one()
    assert isinstance(reached, dt.date) and not isinstance(reached, dt.datetime)
    adoption = store.read_table(pg, "adoption")
    assert (adoption["reached_on"] == adoption["reached_on"].dt.normalize()).all()
    assert adoption["reached_on"].min() >= pd.Timestamp("2020-01-01")


def test_failed_replace_all_keeps_previous_content_on_postgres(pg, demo_frames):
    meta = demo.demo_meta(demo.DEFAULT_SEED)
    store.replace_all(pg, demo_frames, meta)
    before = {name: store.read_table(pg, name) for name in store.DATA_TABLES}

    # New content that differs everywhere, whose LAST inserted table repeats a primary key: every other
    # table has been emptied and refilled inside the transaction by the time the server refuses it.
    last = [name for name in store.DATA_TABLES if len(demo_frames[name])][-1]  # the last table written
    bad = {
        name: frame.assign(source="replacement") if "source" in frame else frame
        for name, frame in demo_frames.items()
    }
    bad[last] = pd.concat([bad[last], bad[last].iloc[[0]]], ignore_index=True)
    with pytest.raises(IntegrityError):
        store.replace_all(pg, bad, {"is_demo": "0"})

    assert store.read_meta(pg) == meta
    for name in store.DATA_TABLES:
        pd.testing.assert_frame_equal(store.read_table(pg, name), before[name], obj=name)
    assert len(store.read_table(pg, last)) == len(demo_frames[last])


def test_text_longer_than_the_column_fails_before_the_transaction(pg_url, tmp_path):
    """SQLite would store it, PostgreSQL would fail mid-transaction: both now refuse it with a ValueError."""
    too_long = pd.DataFrame(
        {"meeting_id": ["M" * 41], "date": pd.to_datetime(["2024-12-17"]), "title": ["Rakor"]}
    )
    ok = too_long.assign(meeting_id=["M" * 40])
    for url in (pg_url, f"sqlite:///{tmp_path / 'programme.db'}"):
        with _engine(url) as engine:
            store.replace_all(engine, {"meetings": ok}, {})
            with pytest.raises(ValueError, match=r"'meeting_id' holds at most 40 characters"):
                store.replace_all(engine, {"meetings": too_long}, {})
            with pytest.raises(ValueError, match="NUL"):
                store.replace_all(engine, {"meetings": ok.assign(title=["Ra\x00kor"])}, {})
            assert store.read_table(engine, "meetings")["meeting_id"].tolist() == ["M" * 40]


def test_load_dataset_over_postgres_matches_the_sqlite_store(pg, pg_url):
    sqlite_url = paths.database_url()
    try:
        lite = load_dataset(sqlite_url)
    except DataUnavailable as exc:
        pytest.fail(f"default programme store missing: run `make data` first\n{exc}", pytrace=False)
    # Copy the default store as it is (demo or real data) into PostgreSQL through the store API.
    with _engine(sqlite_url) as source:
        frames = {name: store.read_table(source, name) for name in store.DATA_TABLES}
        meta = store.read_meta(source)
    store.replace_all(pg, frames, meta)

    remote = load_dataset(pg_url)
    assert remote.meta == lite.meta
    assert remote.is_demo == lite.is_demo and remote.data_as_of == lite.data_as_of
    ad_pg, ad_lite = remote["adoption"], lite["adoption"]
    assert len(ad_pg) == len(ad_lite) > 0
    assert ad_pg["stage"].value_counts().to_dict() == ad_lite["stage"].value_counts().to_dict()
    assert ad_pg["village_code"].nunique() == ad_lite["village_code"].nunique()
    joined = {
        name: ds["adoption"].loc[ds["adoption"]["stage"] == "bergabung"]
        for name, ds in (("pg", remote), ("lite", lite))
    }
    by_year = {k: v["reached_on"].dt.year.value_counts().sort_index().to_dict() for k, v in joined.items()}
    assert by_year["pg"] == by_year["lite"]
    parts_pg, parts_lite = remote["bimtek_participants"], lite["bimtek_participants"]
    assert len(parts_pg) == len(parts_lite) > 0
    assert (
        parts_pg.groupby("village_code").size().to_dict()
        == parts_lite.groupby("village_code").size().to_dict()
    )
    assert parts_pg["role"].value_counts().to_dict() == parts_lite["role"].value_counts().to_dict()
    # And every programme table is identical, dtypes included.
    for name in lite.tables:
        pd.testing.assert_frame_equal(remote[name], lite[name], obj=name)
