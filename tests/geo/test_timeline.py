"""Timeline semantics and the per-country join, on the small fixture dataset."""

from __future__ import annotations

import datetime as dt

import pytest

from geo.dataset import load_dataset
from geo.timeline import agreements_in_year, country_table, installation_states, summary_counts

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def ds(make_data):
    extra = {"id": "T-RUS-2", "status": "refused", "host_iso3": "DJI", "lat": "11.59",
             "lon": "43.15", "announced": "2014", "opened": "", "closed": "2018"}
    folder = make_data()
    # Add a refused request and a Somaliland site, to cover their semantics.
    import csv

    path = folder / "installations.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows.append({**rows[2], **extra})
    rows.append({**rows[1], "id": "T-CHN-2", "host_iso3": "SOM", "lat": "10.389",
                 "lon": "44.941", "opened": "2017", "announced": ""})
    from tests.conftest import write_csv  # the fixtures' own CSV writer

    write_csv(path, rows)
    return load_dataset(folder, today=TODAY)


def states(ds, year: int, **kw) -> dict[str, str]:
    df = installation_states(ds, year, **kw)
    return dict(zip(df["id"], df["state"], strict=True))


def test_active_from_opening_through_closing_year(ds) -> None:
    assert states(ds, 1960)["T-FRA-1"] == "active"
    assert states(ds, 2025)["T-FRA-1"] == "active"  # closed in 2025: still shown for 2025
    assert "T-FRA-1" not in states(ds, 2026)
    assert states(ds, 2026, show_closed=True)["T-FRA-1"] == "closed"


def test_planned_before_opening(ds) -> None:
    assert "T-CHN-1" not in states(ds, 2014)
    assert states(ds, 2015)["T-CHN-1"] == "planned"
    assert states(ds, 2016)["T-CHN-1"] == "planned"
    assert states(ds, 2017)["T-CHN-1"] == "active"


def test_planned_stays_planned_and_never_opens(ds) -> None:
    assert "T-RUS-1" not in states(ds, 2017)
    assert all(states(ds, y)["T-RUS-1"] == "planned" for y in range(2018, 2027))


def test_refused_is_planned_then_refused_in_its_year_then_gone(ds) -> None:
    assert states(ds, 2014)["T-RUS-2"] == "planned"
    assert states(ds, 2018)["T-RUS-2"] == "refused"
    assert "T-RUS-2" not in states(ds, 2019)
    assert states(ds, 2019, show_closed=True)["T-RUS-2"] == "refused"


def test_filters_by_power_and_state(ds) -> None:
    assert set(states(ds, 2018, powers=["RUS"])) == {"T-RUS-1", "T-RUS-2"}
    assert set(states(ds, 2018, states=["planned"])) == {"T-RUS-1"}


def test_agreements_count_from_signature(ds) -> None:
    assert agreements_in_year(ds, 2018).empty
    assert list(agreements_in_year(ds, 2019)["id"]) == ["T-RUS-A1"]
    assert agreements_in_year(ds, 2019, powers=["FRA"]).empty


def test_country_table_2019(ds) -> None:
    table = country_table(ds, 2019).set_index("iso3")
    assert len(table) == 56
    assert table.loc["DJI", "powers_present"] == ("CHN",)
    assert table.loc["ERI", "planned"] == 1 and table.loc["ERI", "n_powers"] == 0
    assert table.loc["MLI", "agreements"] == 1 and table.loc["MLI", "powers_present"] == ("RUS",)
    assert table.loc["SEN", "powers_present"] == ("FRA",)
    # Somaliland mirrors Somalia (records say SOM for Berbera) but keeps its own name.
    assert table.loc["SOL"].drop("name").equals(table.loc["SOM"].drop("name"))
    assert table.loc["SOL", "name"] == "Somaliland"
    assert table.loc["NGA", "n_powers"] == 0


def test_country_table_layers_and_power_filter(ds) -> None:
    no_agreements = country_table(ds, 2019, include_agreements=False).set_index("iso3")
    assert no_agreements.loc["MLI", "n_powers"] == 0
    only_fra = country_table(ds, 2019, ["FRA"]).set_index("iso3")
    assert only_fra["n_powers"].sum() == 1


def test_summary_counts_countries_once(ds) -> None:
    s = summary_counts(ds, 2019)
    assert s == {"year": 2019, "powers": 3, "installations": 4, "agreements": 1, "countries": 5,
                 "unconfirmed": 0}
