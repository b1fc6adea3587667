"""The one filter state: URL parsing never raises, bad codes fall back to the province with a notice."""

import datetime as dt

from utils.domain.filters import FilterState, parse_query, period_end, to_query

AS_OF = dt.date(2026, 10, 31)
KNOWN = {"18", "18.06", "18.06.10", "18.06.10.2001", "18.71"}


def test_deep_link_to_a_kabupaten():
    state, notices = parse_query({"kab": "18.06"}, KNOWN, AS_OF)
    assert (state.kab, state.kec, state.desa, state.region_code) == ("18.06", None, None, "18.06")
    assert notices == []


def test_village_link_fills_its_ancestors():
    state, _ = parse_query({"desa": "18.06.10.2001"}, KNOWN, AS_OF)
    assert (state.kab, state.kec, state.desa) == ("18.06", "18.06.10", "18.06.10.2001")
    assert state.level == "desa"


def test_unknown_or_malformed_codes_fall_back_to_the_province_with_a_notice():
    for bad in ("99.99", "18.6", "<script>", "18.06.10", "18.99"):
        state, notices = parse_query({"kab": bad}, KNOWN, AS_OF)
        assert state.region_code == "18"
        assert notices and notices[0][0] == "bad_code"


def test_period_defaults_to_the_data_date_and_caps_there():
    state, _ = parse_query({}, KNOWN, AS_OF)
    assert (state.year, state.quarter) == (2026, 4)
    assert period_end(state, AS_OF) == AS_OF
    state, _ = parse_query({"tahun": "2023", "tw": "4"}, KNOWN, AS_OF)
    assert period_end(state, AS_OF) == dt.date(2023, 12, 31)
    state, _ = parse_query({"tahun": "2024", "tw": "1"}, KNOWN, AS_OF)
    assert period_end(state, AS_OF) == dt.date(2024, 3, 31)


def test_bad_period_gives_notice_and_latest_period():
    for year, q in (("2031", "1"), ("abc", "2"), ("2024", "7"), ("2019", "4")):
        state, notices = parse_query({"tahun": year, "tw": q}, KNOWN, AS_OF)
        assert (state.year, state.quarter) == (2026, 4)
        assert [n[0] for n in notices] == ["bad_period"]


def test_state_round_trips_through_the_url():
    state = FilterState(lang="en").with_region("18.06.10")
    state = FilterState(kab=state.kab, kec=state.kec, year=2024, quarter=2, lang="en")
    query = to_query(state, AS_OF)
    assert query == {"kec": "18.06.10", "tahun": "2024", "tw": "2", "lang": "en"}
    again, notices = parse_query(query, KNOWN, AS_OF)
    assert again == state and notices == []
