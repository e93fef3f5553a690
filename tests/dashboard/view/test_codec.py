"""The one codec: every parameter's parser gives structured problems, shown as translated
notes on the page and as English one-line errors in the CLI; the cache keys keep only the
fields each consumer depends on."""

from __future__ import annotations

import pytest

from dashboard.view.codec import FACETS, PARSERS, Context, check, decode, key_of
from dashboard.view.state import ViewState, to_query

CTX = Context(("FRA", "USA", "RUS"), (2000, 2026), 2025, frozenset({"MLI", "SOM", "SOL"}),
              {"FR-MLI-1": "MLI"})


@pytest.mark.parametrize("query, param, named", [
    ("?lang=fr&powers=XXX", "powers", "XXX"),
    ("?lang=fr&year=banana", "year", "banana"),
    ("?lang=fr&year=1900", "year", "1900"),
    ("?lang=fr&metric=colour", "metric", "colour"),
    ("?lang=fr&layers=roads", "layers", "roads"),
    ("?lang=fr&status=gone", "status", "gone"),
    ("?lang=fr&closed=maybe", "closed", "maybe"),
    ("?lang=fr&country=ATL", "country", "ATL"),
    ("?lang=fr&tab=graph", "tab", "graph"),
    ("?lang=fr&compare=3000", "compare", "3000"),
    ("?lang=fr&year=2019&compare=2019", "compare", "2019"),
    ("?lang=fr&record=XX-YYY-9", "record", "XX-YYY-9"),
    ("?lang=fr&embed=perhaps", "embed", "perhaps"),
    ("?lang=de", "lang", "de"),
])
def test_each_problem_is_a_french_note_and_an_english_error(query, param, named) -> None:
    state, problems = decode(query, CTX)
    assert [p.param for p in problems] == [param]
    problem = problems[0]
    assert named in problem.error and "\n" not in problem.error
    english_link = query.replace("lang=fr&", "")
    if english_link != query:  # the CLI's error is the same English line in any language
        assert decode(english_link, CTX)[1][0].error == problem.error
    note_en, note_fr = problem.note("en"), problem.note(state.lang)
    assert named[:10] in note_en
    if state.lang == "fr":
        assert note_fr != note_en  # translated on the page


def test_every_parameter_has_one_parser_and_round_trips() -> None:
    assert set(PARSERS) == {"lang", "year", "powers", "metric", "layers", "status", "closed",
                            "country", "tab", "compare", "record", "embed"}
    state = ViewState(year=2010, powers=("USA",), metric="presence", layers=("countries",),
                      statuses=("active",), show_closed=True, country="MLI", tab="chart",
                      compare=2004, record="FR-MLI-1", lang="fr", embed=True)
    assert decode(to_query(state), CTX) == (state, [])


def test_the_validator_refuses_what_the_data_cannot_show() -> None:
    assert check(ViewState(year=2019), CTX) == []
    bad = ViewState(year=1990, powers=("ZZZ",), country="ATL", compare=3000)
    assert [p.param for p in check(bad, CTX)] == ["year", "powers", "country", "compare"]


def test_cache_keys_keep_only_the_fields_that_matter() -> None:
    a = ViewState(year=2019, metric="agreements", country="MLI", lang="fr", tab="table")
    b = ViewState(year=2019, metric="powers")
    assert key_of(a, "joins") == key_of(b, "joins")  # the metric does not change the joins
    assert key_of(a, "series") != key_of(b, "series")
    assert key_of(ViewState(year=2019), "legend") == key_of(ViewState(year=2020), "legend")
    assert key_of(ViewState(year=2019, metric="personnel"), "legend") != key_of(b, "legend")
    assert key_of(ViewState(year=2020, compare=2010), "changes") != key_of(
        ViewState(year=2020, compare=2011), "changes")
    assert set(FACETS) == {"joins", "compare", "series", "changes", "legend"}
