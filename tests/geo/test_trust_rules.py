"""Dataset 3.0's trust rules: bad sources refused, freshness and basis checked, and drawn."""

from __future__ import annotations

import pytest

from dashboard.figures.map import FLAGS, INSTALLATIONS, UNCONFIRMED_STYLE, figure_patch
from dashboard.view.state import ViewState
from geo.dataset import load_dataset
from geo.sources import url_problem
from geo.timeline import installation_states
from geo.validate import validate_dir

# Row 1 (CSV line 3) is the active Chinese test base, opened 2017, confirmed 2024.
ACTIVE = 1


@pytest.mark.parametrize(("cells", "expected"), [
    ({"sources": "https://example.org/a?utm_source=x"},
     "installations.csv:3: sources: tracking parameter utm_source"),
    ({"sources": "https://example.org/a?fbclid=IwAR2"},
     "installations.csv:3: sources: tracking parameter fbclid"),
    ({"sources": "https://example.org/tag/djibouti"},
     "installations.csv:3: sources: a search, tag, listing or forum page"),
    ({"sources": "https://example.org/search?q=base"},
     "installations.csv:3: sources: a search, tag, listing or forum page"),
    ({"sources": "https://www.example.org/?s=base+militaire"},
     "installations.csv:3: sources: a search results page"),
    ({"sources": "https://forum.example.org/Topic3039.aspx"},
     "installations.csv:3: sources: a search, tag, listing or forum page"),
    ({"sources": "https://news.example.be./fr/node/1"},
     "installations.csv:3: sources: the host name ends with a dot"),
    ({"sources": "https://library.kiwix.org/wikipedia_en_all/A/Camp"},
     "installations.csv:3: sources: a mirror or copy"),
    ({"sources": "https://someone.blogspot.com/2016/base.html"},
     "installations.csv:3: confidence: every source is a blog or a mirror"),
    ({"last_confirmed": ""}, "installations.csv:3: last_confirmed: required for an active"),
    ({"last_confirmed": "2024-13"}, "installations.csv:3: last_confirmed: not a year or month"),
    ({"last_confirmed": "2016"}, "installations.csv:3: last_confirmed: before the site opened"),
    ({"basis": "plan only"}, "installations.csv:3: basis: an active site needs"),
    ({"basis": "supplied"}, "installations.csv:3: basis: must be one of"),
])
def test_each_trust_rule_names_file_line_and_value(make_data, cells, expected) -> None:
    folder = make_data(installations={ACTIVE: cells})
    problems = [str(p) for p in validate_dir(folder)]
    assert any(expected in p for p in problems), problems


def test_a_mirror_said_in_the_notes_and_low_confidence_is_accepted(make_data) -> None:
    folder = make_data(installations={ACTIVE: {
        "sources": "https://library.kiwix.org/wikipedia_en_all/A/Camp",
        "notes": "mirror: original not found", "confidence": "low"}})
    assert validate_dir(folder) == []


def test_plan_rows_carry_no_confirmation(make_data) -> None:
    folder = make_data(installations={2: {"last_confirmed": "2020"}})
    assert any("installations.csv:4: last_confirmed: a planned site was never in use" in str(p)
               for p in validate_dir(folder))


@pytest.mark.parametrize("url", [
    "https://www.defenceweb.co.za/joint/diplomacy-a-peace/determination-in-the-desert/",
    "https://lecalame.info/?q=node%2F431",
    "https://www.government.nl/topics/mali/news/2019/05/01/end",
    "https://ipdefenseforum.com/2024/04/south-korean-peacekeepers/",
])
def test_ordinary_articles_pass(url) -> None:
    assert url_problem(url) is None


def test_a_stale_active_site_is_unconfirmed_then_drawn_apart(make_data) -> None:
    folder = make_data(installations={ACTIVE: {"last_confirmed": "2018", "confidence": "low"}})
    ds = load_dataset(folder)
    fresh = installation_states(ds, 2021)
    stale = installation_states(ds, 2022)
    assert not fresh.set_index("id").loc["T-CHN-1", "unconfirmed"]
    assert stale.set_index("id").loc["T-CHN-1", "unconfirmed"]
    row = list(ds.installations["id"]).index("T-CHN-1")
    changes = figure_patch(ds, ViewState(year=2022))
    assert changes[("data", INSTALLATIONS, "marker", "symbol")][row] == UNCONFIRMED_STYLE[0]
    assert "not confirmed since 2018" in changes[("data", INSTALLATIONS, "customdata")][row]
    # the low-confidence "?" sits on the marker's latitude; hidden when the marker is
    assert changes[("data", FLAGS, "lat")] == [changes[("data", INSTALLATIONS, "lat")][row]]
    earlier = figure_patch(ds, ViewState(year=2014))  # before it was announced: not drawn
    assert earlier[("data", FLAGS, "lat")] == [None]
    assert changes[("data", INSTALLATIONS, "marker", "symbol")][row] != (
        figure_patch(ds, ViewState(year=2021))[("data", INSTALLATIONS, "marker", "symbol")][row])


def test_bundled_data_low_and_high_look_different_at_the_same_precision(ds) -> None:
    """At ?year=2024, a low-confidence and a high-confidence record of one precision differ."""
    changes = figure_patch(ds, ViewState(year=2024))
    lat = changes[("data", INSTALLATIONS, "lat")]
    inst = ds.installations.reset_index(drop=True)
    flagged = {i for i, v in zip(range(len(inst)), lat, strict=True)
               if v is not None and inst.at[i, "confidence"] == "low"}
    assert flagged, "some low-confidence record is on the 2024 map"
    flags = changes[("data", FLAGS, "lat")]
    assert sum(v is not None for v in flags) == len(flagged)


def test_ceilings_are_never_summed(tmp_path) -> None:
    import shutil

    from geo.personnel import by_power, ceiling, latest
    from tests.conftest import AGREEMENTS, INSTALLATIONS, POWERS, write_csv
    from tests.paths import DATA
    for name, rows in (("powers.csv", POWERS), ("installations.csv", INSTALLATIONS),
                       ("agreements.csv", AGREEMENTS)):
        write_csv(tmp_path / name, rows)
    shutil.copy(DATA / "africa_countries.geojson", tmp_path / "africa_countries.geojson")
    url = "https://example.org/p"
    write_csv(tmp_path / "personnel.csv", [
        {"id": "T-CHN-1-P2018", "record": "T-CHN-1", "year": "2018", "low": "400",
         "high": "400", "what": "troops", "scope": "site", "confidence": "high",
         "sources": url, "notes": ""},
        {"id": "T-CHN-1-P2020", "record": "T-CHN-1", "year": "2020", "low": "10000",
         "high": "10000", "what": "ceiling", "scope": "site", "confidence": "high",
         "sources": url, "notes": "authorised maximum"},
    ])
    ds = load_dataset(tmp_path)
    assert latest(ds, "T-CHN-1", 2021)[1] == 400  # the ceiling is not the figure
    assert ceiling(ds, "T-CHN-1", 2021) == (2020, 10000)
    inst = installation_states(ds, 2021)
    from geo.timeline import agreements_in_year
    assert by_power(ds, inst, agreements_in_year(ds, 2021), 2021)["CHN"].high == 400
