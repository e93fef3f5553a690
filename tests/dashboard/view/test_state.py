"""URL state: every link parses to a valid view, and every view has exactly one link."""

from __future__ import annotations

import itertools

import pytest

from dashboard.view.codec import from_controls, normalise_powers, parse_query
from dashboard.view.state import LAYERS, METRICS, STATUS_FILTER, ViewState, to_query

POWERS = ("FRA", "USA", "CHN", "RUS", "TUR")
RANGE = (2000, 2026)
COUNTRIES = frozenset({"MLI", "DJI", "SOM", "SOL", "NER"})


def parse(query: str, **kw) -> tuple[ViewState, list[str]]:
    return parse_query(query, POWERS, RANGE, default_year=2025, valid_countries=COUNTRIES, **kw)


# --------------------------------------------------------------------------- valid links


def test_empty_query_is_default_view() -> None:
    for query in ("", "?", None, "   "):
        state, notes = parse(query)
        assert state == ViewState(year=2025)
        assert notes == []


def test_example_from_the_issue() -> None:
    state, notes = parse("?year=2019&powers=RUS,FRA")
    assert notes == []
    assert state.year == 2019
    assert state.powers == ("FRA", "RUS")  # canonical order: powers.csv


def test_without_leading_question_mark_and_lowercase_codes() -> None:
    state, notes = parse("year=2017&powers=chn,usa&country=dji")
    assert notes == []
    assert (state.year, state.powers, state.country) == (2017, ("USA", "CHN"), "DJI")


def test_all_powers_listed_means_all() -> None:
    state, notes = parse("?powers=" + ",".join(POWERS))
    assert notes == []
    assert state.powers is None
    assert to_query(state) == "?year=2025"


def test_none_means_empty_selection() -> None:
    state, notes = parse("?powers=none")
    assert notes == [] and state.powers == ()
    assert "powers=none" in to_query(state)


def test_encoded_commas_and_spaces() -> None:
    state, notes = parse("?powers=RUS%2C%20FRA&year=%202019%20")
    assert notes == []
    assert (state.year, state.powers) == (2019, ("FRA", "RUS"))


def test_every_parameter() -> None:
    state, notes = parse("?year=2010&powers=USA&metric=presence&layers=countries,agreements"
                         "&status=active,refused&closed=1&country=SOL")
    assert notes == []
    assert state == ViewState(year=2010, powers=("USA",), metric="presence",
                          layers=("countries", "agreements"), statuses=("active", "refused"),
                          show_closed=True, country="SOL")


def test_empty_layers_and_statuses() -> None:
    state, notes = parse("?layers=none&status=none")
    assert notes == []
    assert state.layers == () and state.statuses == ()


def test_duplicates_collapse() -> None:
    state, notes = parse("?powers=FRA,FRA,fra")
    assert notes == [] and state.powers == ("FRA",)


def test_unknown_parameters_ignored_silently() -> None:
    state, notes = parse("?year=2019&utm_source=chat&fbclid=abc")
    assert notes == [] and state == ViewState(year=2019)


def test_range_ends_are_valid() -> None:
    assert parse("?year=2000")[0].year == 2000
    assert parse("?year=2026")[0].year == 2026


# --------------------------------------------------------------------------- invalid links


@pytest.mark.parametrize("year", ["abc", "2019.5", "", "1e3", "20 19", "二〇一九", "-5"])
def test_garbage_year_falls_back_with_note(year: str) -> None:
    state, notes = parse(f"?year={year}")
    assert state.year == 2025
    assert len(notes) == 1 and "2025" in notes[0]


@pytest.mark.parametrize("year", ["1999", "2027", "99999999999999999999", "0"])
def test_year_out_of_range_falls_back_with_note(year: str) -> None:
    state, notes = parse(f"?year={year}")
    assert state.year == 2025
    assert len(notes) == 1 and "2000–2026" in notes[0]


def test_unknown_power_dropped_others_kept() -> None:
    state, notes = parse("?powers=RUS,XXX,FRA")
    assert state.powers == ("FRA", "RUS")
    assert len(notes) == 1 and "XXX" in notes[0]


def test_only_unknown_powers_means_all() -> None:
    state, notes = parse("?powers=XXX,YYY")
    assert state.powers is None
    assert len(notes) == 1 and "all powers" in notes[0]


def test_bad_metric_layer_status_closed_country() -> None:
    state, notes = parse("?metric=bogus&layers=countries,ships&status=gone&closed=maybe"
                         "&country=ATLANTIS")
    assert state.metric == "powers"
    assert state.layers == ("countries",)
    assert state.statuses == STATUS_FILTER
    assert state.show_closed is False
    assert state.country is None
    assert len(notes) == 5


def test_every_problem_noted_once_and_valid_parts_kept() -> None:
    state, notes = parse("?year=3000&powers=RUS,ZZZ&country=MLI")
    assert (state.year, state.powers, state.country) == (2025, ("RUS",), "MLI")
    assert len(notes) == 2


def test_huge_values_are_cut_in_notes() -> None:
    state, notes = parse("?year=" + "9" * 5000 + "&powers=" + "Q" * 5000)
    assert state == ViewState(year=2025)
    assert all(len(n) < 200 for n in notes)


def test_markup_in_query_stays_text() -> None:
    """Notes are rendered as text by React; parse_query must not choke on markup either."""
    state, notes = parse("?year=<script>alert(1)</script>&powers=<b>x</b>")
    assert state == ViewState(year=2025)
    assert len(notes) == 2


def test_too_many_fields() -> None:
    state, notes = parse("&".join(f"a{i}=1" for i in range(200)))
    assert state == ViewState(year=2025)
    assert len(notes) == 1


def test_repeated_parameter_takes_first() -> None:
    state, notes = parse("?year=2011&year=2012")
    assert state.year == 2011 and notes == []


def test_country_without_list_accepts_any_alpha3() -> None:
    state, notes = parse_query("?country=ken", POWERS, RANGE)
    assert state.country == "KEN" and notes == []
    state, notes = parse_query("?country=K3N", POWERS, RANGE)
    assert state.country is None and len(notes) == 1


def test_default_year_defaults_to_range_end() -> None:
    assert parse_query("", POWERS, RANGE)[0].year == 2026


# --------------------------------------------------------------------------- round trips


def _states():
    powers_choices = [None, (), ("FRA",), ("USA", "RUS"), POWERS[:-1]]
    layer_choices = [LAYERS, (), ("countries",), ("installations", "agreements")]
    status_choices = [STATUS_FILTER, (), ("active",), ("planned", "abandoned", "refused")]
    for year, powers, metric, layers, statuses, closed, country in itertools.product(
        (2000, 2019, 2026), powers_choices, METRICS, layer_choices, status_choices,
        (False, True), (None, "MLI"),
    ):
        yield ViewState(year, powers, metric, layers, statuses, closed, country)


def test_round_trip_every_combination() -> None:
    count = 0
    for state in _states():
        query = to_query(state)
        assert parse(query) == (state, []), query
        count += 1
    assert count > 1000


def test_default_query_is_minimal() -> None:
    assert to_query(ViewState(year=2019)) == "?year=2019"
    assert to_query(ViewState(year=2019, powers=("FRA", "RUS"))) == "?year=2019&powers=FRA,RUS"


def test_query_parameter_order_is_stable() -> None:
    query = to_query(ViewState(2019, ("FRA",), "agreements", ("countries",), ("active",), True,
                          "DJI"))
    assert query == ("?year=2019&powers=FRA&metric=agreements&layers=countries&status=active"
                     "&closed=1&country=DJI")


# --------------------------------------------------------------------------- controls


def controls(**kw):
    base = {
        "year": 2019, "powers": list(POWERS), "metric": "powers", "layers": list(LAYERS),
        "statuses": list(STATUS_FILTER), "show_closed": [], "country": None,
        "all_powers": POWERS, "year_range": RANGE, "default_year": 2025,
        "valid_countries": COUNTRIES,
    }
    base.update(kw)
    return from_controls(**base)


def test_controls_default() -> None:
    assert controls() == ViewState(year=2019)


def test_controls_clamp_and_clean() -> None:
    state = controls(year=1990, powers=["RUS", "BAD", "FRA"], metric="??",
                     layers=["agreements", "x"], statuses=["refused", "active"],
                     show_closed=["closed"], country="xyz")
    assert state == ViewState(year=2000, powers=("FRA", "RUS"), metric="powers",
                          layers=("agreements",), statuses=("active", "refused"),
                          show_closed=True, country=None)


def test_controls_missing_values() -> None:
    state = controls(year=None, powers=None, metric=None, layers=None, statuses=None,
                     show_closed=None, country="")
    assert state == ViewState(year=2025, powers=(), layers=(), statuses=())


def test_controls_float_year_from_slider() -> None:
    assert controls(year=2019.0).year == 2019
    assert controls(year="junk").year == 2025


def test_normalise_powers() -> None:
    assert normalise_powers(None, POWERS) is None
    assert normalise_powers(list(reversed(POWERS)), POWERS) is None
    assert normalise_powers(["TUR", "FRA"], POWERS) == ("FRA", "TUR")
    assert normalise_powers([], POWERS) == ()


def test_state_helpers() -> None:
    state = ViewState(year=2019, powers=None, statuses=("active",), show_closed=True)
    assert state.power_set(POWERS) == POWERS
    assert state.visible_states() == ("active", "closed")
    assert state.shows("countries")
    assert ViewState(year=2019, layers=()).shows("countries") is False
