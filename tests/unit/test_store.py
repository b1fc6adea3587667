"""Programme store: schema round trip, codes as text, all-or-nothing replacement (SQLite and PostgreSQL)."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy.exc import IntegrityError

from utils.data import store
from utils.domain import programme

#: Every test that uses a store runs on SQLite and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends


@pytest.fixture
def engine(empty_store):
    """A new store (schema, no rows) on SQLite or PostgreSQL, per the test id."""
    return empty_store


def _d(*days: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(days)))


def sample_frames() -> dict[str, pd.DataFrame]:
    """One small, valid frame per table; codes chosen to break if ever read as numbers (18.10 -> 18.1)."""
    return {
        "adoption": pd.DataFrame({
            "village_code": ["18.10.01.2009", "18.10.01.2009", "18.06.20.2006"],
            "stage": ["sosialisasi", "bergabung", "sosialisasi"],
            "reached_on": _d("2020-02-01", "2020-05-04", "2023-03-01"),
            "source": "test",
        }),
        "services": pd.DataFrame({
            "village_code": ["18.10.01.2009"], "pillar": ["pemerintahan"], "service": ["Sistem Informasi Desa"],
            "started_on": _d("2021-01-05"), "ended_on": pd.Series([pd.NaT]), "source": "test",
        }),
        "officers": pd.DataFrame({
            "officer_id": ["OSV-1804152004"], "village_code": ["18.04.15.2004"], "name": ["Hadi Waluyo"],
            "role": ["Official Smart Village"], "appointed_on": _d("2022-01-03"), "source": "test",
        }),
        "bimtek_events": pd.DataFrame({
            "event_id": ["BT-1"], "title": ["Bimtek"], "start_date": _d("2024-10-10"), "end_date": _d("2024-10-12"),
            "organiser": ["Dinas PMDT Provinsi Lampung"], "kab_codes": ["18.06,18.10"],
            "reported_participants": pd.array([19], dtype="Int64"), "reported_villages": pd.array([None], dtype="Int64"),
            "reported_scope": ["18.06.20"], "notes": [None], "source": "test",
        }),
        "bimtek_venues": pd.DataFrame({"event_id": ["BT-1", "BT-1"], "venue": ["Hotel BATIQA", "Hotel AMALIA"]}),
        "bimtek_participants": pd.DataFrame({
            "participant_id": [1, 2], "event_id": ["BT-1", "BT-1"], "village_code": ["18.06.20.2006"] * 2,
            "role": ["sekretaris", "operator"], "name": ["Yoga Setiawan", None], "source": "test",
        }),
        "meetings": pd.DataFrame({
            "meeting_id": ["RK-1"], "date": _d("2024-12-17"), "title": ["Rakor"], "venue": ["Hotel Yunna"],
            "organiser": ["Dinas PMDT Provinsi Lampung"], "source": "test",
        }),
        "meeting_attendance": pd.DataFrame({"meeting_id": ["RK-1"], "officer_id": ["OSV-1804152004"]}),
        "targets": pd.DataFrame({
            "year": [2024, 2024], "region_code": ["18", "18.10"], "indicator": ["pct_bergabung"] * 2,
            "value": [100, 100], "source": "test",
        }),
    }  # fmt: skip


def test_vocabulary_is_ordered_and_complete():
    assert [s.code for s in programme.STAGES] == [
        "belum", "sosialisasi", "bergabung", "operator_terlatih", "layanan_aktif", "data_terintegrasi",
    ]  # fmt: skip
    assert [s.order for s in programme.STAGES] == list(range(6))
    assert all(s.label_id and s.label_en for s in programme.STAGES)
    assert [p.label_id for p in programme.PILLARS] == ["Pemerintahan", "Ekonomi Kreatif", "Pemberdayaan"]
    assert [r.code for r in programme.PARTICIPANT_ROLES] == ["kepala_desa", "sekretaris", "operator"]


def test_new_store_is_empty_and_reads_typed_empty_frames(tmp_path):
    eng = store.get_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert store.store_is_empty(eng)  # no schema yet
    assert store.read_meta(eng) == {}
    empty = store.read_table(eng, "adoption")
    assert list(empty.columns) == ["village_code", "stage", "reached_on", "source"] and empty.empty
    assert str(empty["reached_on"].dtype).startswith("datetime64")
    store.init_schema(eng)
    store.init_schema(eng)  # idempotent
    assert store.store_is_empty(eng)
    with pytest.raises(ValueError, match="unknown table"):
        store.read_table(eng, "nope")


def test_round_trip_keeps_codes_as_text_and_dates_as_datetimes(engine):
    frames = sample_frames()
    store.replace_all(engine, frames, {"data_as_of": "2026-10-31", "is_demo": "0"})
    assert not store.store_is_empty(engine)
    assert store.read_meta(engine) == {"data_as_of": "2026-10-31", "is_demo": "0"}
    for name, frame in frames.items():
        got = store.read_table(engine, name)
        assert list(got.columns) == [c.name for c in store.TABLES[name].columns]
        assert len(got) == len(frame), name
    ad = store.read_table(engine, "adoption")
    assert set(ad["village_code"]) == {"18.10.01.2009", "18.06.20.2006"}  # not 18.1, not floats
    assert str(ad["reached_on"].dtype).startswith("datetime64")
    assert ad["reached_on"].min() == pd.Timestamp("2020-02-01")
    tg = store.read_table(engine, "targets")
    assert sorted(tg["region_code"]) == ["18", "18.10"]
    ev = store.read_table(engine, "bimtek_events").iloc[0]
    assert ev["kab_codes"] == "18.06,18.10" and ev["reported_participants"] == 19
    assert pd.isna(ev["reported_villages"]) and pd.isna(ev["notes"])
    sv = store.read_table(engine, "services")
    assert sv["ended_on"].isna().all() and str(sv["ended_on"].dtype).startswith("datetime64")
    parts = store.read_table(engine, "bimtek_participants")
    assert parts["name"].isna().sum() == 1


def test_replace_all_empties_tables_not_given(engine):
    store.replace_all(engine, sample_frames(), {"is_demo": "1"})
    store.replace_all(engine, {"targets": sample_frames()["targets"]}, {"is_demo": "0"})
    assert store.read_table(engine, "adoption").empty
    assert len(store.read_table(engine, "targets")) == 2
    assert store.read_meta(engine) == {"is_demo": "0"}


def test_replace_tables_touches_only_given_tables(engine):
    store.replace_all(engine, sample_frames(), {"is_demo": "1", "data_as_of": "2026-10-31"})
    new_targets = sample_frames()["targets"].assign(value=[90, 80])
    store.replace_tables(engine, {"targets": new_targets}, {"is_demo": "0"})
    assert sorted(store.read_table(engine, "targets")["value"]) == [80, 90]
    assert len(store.read_table(engine, "adoption")) == 3
    assert store.read_meta(engine) == {"is_demo": "0", "data_as_of": "2026-10-31"}


@pytest.mark.parametrize("table", ["meeting_attendance", "targets", "adoption"])
def test_failed_replace_leaves_previous_content_intact(engine, table):
    before = sample_frames()
    store.replace_all(engine, before, {"is_demo": "1", "demo_seed": "7"})
    snapshot = {name: store.read_table(engine, name) for name in store.TABLES}

    bad = sample_frames()
    bad["adoption"] = bad["adoption"].assign(village_code=["18.01.01.2001"] * 3, stage=["a", "b", "c"])
    bad[table] = pd.concat([bad[table], bad[table].iloc[[0]]], ignore_index=True)  # duplicate primary key
    with pytest.raises(IntegrityError):
        store.replace_all(engine, bad, {"is_demo": "0"})

    for name, frame in snapshot.items():
        pd.testing.assert_frame_equal(store.read_table(engine, name), frame, obj=name)
    assert store.read_meta(engine) == {"is_demo": "1", "demo_seed": "7"}


def test_foreign_key_violation_rolls_back(engine):
    store.replace_all(engine, sample_frames(), {"is_demo": "1"})
    bad = sample_frames()
    bad["bimtek_venues"] = pd.DataFrame({"event_id": ["NO-SUCH-EVENT"], "venue": ["Hotel X"]})
    with pytest.raises(IntegrityError):
        store.replace_all(engine, bad, {"is_demo": "0"})
    assert len(store.read_table(engine, "bimtek_venues")) == 2


def test_bad_columns_are_refused_before_writing(engine):
    store.replace_all(engine, sample_frames(), {"is_demo": "1"})
    bad = sample_frames()
    bad["adoption"] = bad["adoption"].assign(extra=1)
    with pytest.raises(ValueError, match="unknown columns"):
        store.replace_all(engine, bad, {})
    missing = sample_frames()
    missing["adoption"] = missing["adoption"].drop(columns="stage")
    with pytest.raises(ValueError, match="missing required"):
        store.replace_all(engine, missing, {})
    with pytest.raises(ValueError, match="unknown table"):
        store.replace_all(engine, {"nope": pd.DataFrame()}, {})
    assert len(store.read_table(engine, "adoption")) == 3


def test_database_url_from_environment(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("SV_DATABASE_URL", url)
    eng = store.get_engine()
    assert str(eng.url) == url
    store.init_schema(eng)
    assert (tmp_path / "env.db").exists()
    eng.dispose()
