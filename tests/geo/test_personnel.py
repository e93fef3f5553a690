"""Personnel estimates: validation messages, the as-of rule, no double counting, no zeros."""

from __future__ import annotations

import pandas as pd
import pytest

from geo import load_dataset
from geo.dataset import DatasetError
from geo.personnel import (
    by_country,
    by_power,
    estimates,
    latest,
    power_country_totals,
    records_of,
)
from geo.timeline import agreements_in_year, installation_states
from tests.conftest import write_csv

COLUMNS = ["id", "record", "year", "low", "high", "what", "scope", "confidence", "sources",
           "notes"]
URL = "https://example.org/report"


def _row(**over: str) -> dict[str, str]:
    row = {"id": "X-P2020", "record": "", "year": "2020", "low": "100", "high": "200",
           "what": "troops", "scope": "site", "confidence": "high", "sources": URL,
           "notes": ""}
    return row | over


def _first_ids(folder) -> tuple[str, str, tuple[int, int | None]]:
    inst = pd.read_csv(folder / "installations.csv", dtype=str).fillna("")
    r = inst[inst["opened"] != ""].iloc[0]
    closed = int(r["closed"]) if r["closed"] else None
    agr = pd.read_csv(folder / "agreements.csv", dtype=str).fillna("")
    return r["id"], agr["id"].iloc[0], (int(r["opened"]), closed)


def test_bad_rows_give_file_line_column_messages(make_data) -> None:
    folder = make_data()
    inst_id, _, (opened, _closed) = _first_ids(folder)
    rows = [
        _row(id="A", record="NOPE-1"),
        _row(id="B", record=inst_id, year=str(opened - 5)),
        _row(id="C", record=inst_id, year=str(opened), low="300", high="200"),
        _row(id="D", record=inst_id, year=str(opened + 0), low="", high="5"),
        _row(id="E", record=inst_id, year=str(opened), low="0x10", high="20",
             sources="ftp://x"),
        _row(id="F", record=inst_id, year=str(opened), low="", high="", notes="",
             sources=""),
        _row(id="A", record=inst_id, year=str(opened), what="soldiers", scope="region"),
    ]
    write_csv(folder / "personnel.csv", rows, COLUMNS)
    with pytest.raises(DatasetError) as err:
        load_dataset(folder)
    text = str(err.value)
    path = f"{folder}/personnel.csv"
    assert f"{path}:2: record: unknown record" in text
    assert f"{path}:3: year: outside the record's lifetime" in text
    assert f"{path}:4: high: smaller than low (300) (200)" in text
    assert f"{path}:5: low: give both low and high" in text
    assert f"{path}:6: low: not a whole number of people" in text
    assert f"{path}:6: sources: not an http(s) URL (ftp://x)" in text
    assert f"{path}:7: notes: a row without a figure must say" in text
    assert f"{path}:8: what: must be one of" in text
    assert f"{path}:8: scope: must be one of" in text
    assert f"{path}:8: id: duplicate id (first on line 2)" in text
    assert f"{path}:8: year: a second estimate for {inst_id}" in text


def test_a_dataset_without_the_file_has_no_estimates(make_data) -> None:
    ds = load_dataset(make_data())
    assert len(ds.personnel) == 0


@pytest.fixture(scope="module")
def real():
    return load_dataset()


def test_latest_estimate_as_of_and_a_blank_row_ends_it(real) -> None:
    assert latest(real, "FR-MLI-1", 2013)[1:3] == (3000, 4500)
    assert latest(real, "FR-MLI-1", 2014) is None  # "counted in Barkhane from 2014"
    assert latest(real, "FR-MLI-1", 2012) is None  # before any row
    e = latest(real, "FR-TCD-1", 2016)  # the 2015 Barkhane figure still stands in 2016
    assert (e[0], e[1], e[4]) == (2015, 3000, "operation")


def _view(ds, year):
    return installation_states(ds, year), agreements_in_year(ds, year)


def test_operation_totals_are_not_added_to_their_host_country(real) -> None:
    inst, agr = _view(real, 2020)
    chad = by_country(real, inst, agr, 2020)["TCD"]
    # Barkhane's 5,100 is filed under N'Djamena but is not Chad's: Chad's total is only its
    # own site figures (Faya-Largeau and Abéché, about 30 each in 2020).
    assert chad.total is not None and chad.total.high < 1000
    assert [e.record for e in chad.operations] == ["FR-TCD-1"]
    france = by_power(real, inst, agr, 2020)["FRA"]
    assert france.low >= 5100  # ...but it counts in France's continental total


def test_a_country_figure_replaces_site_figures_of_the_same_power(real) -> None:
    """CAR 2018: Berengo's 150 and the country-wide 175 are the same people: 175."""
    inst, agr = _view(real, 2018)
    found = estimates(real, records_of(inst, agr), 2018)
    russia = [e for e in found if e.power == "RUS" and e.host == "CAF"]
    assert {e.record for e in russia} == {"RU-CAF-1", "RU-CAF-D1"}
    totals = power_country_totals(found)
    assert (totals[("RUS", "CAF")].low, totals[("RUS", "CAF")].high) == (175, 175)
    car = by_country(real, inst, agr, 2018)["CAF"]
    assert car.total.low == sum(t.low for (_, host), t in totals.items() if host == "CAF")


def test_unknown_is_never_zero(real) -> None:
    for year in (2005, 2015, 2020, 2025):
        inst, agr = _view(real, year)
        for host, cp in by_country(real, inst, agr, year).items():
            assert cp.records > 0
            if cp.total is not None:
                assert cp.with_figure > 0 and cp.total.high >= cp.total.low >= 0, host
        assert all(t.high > 0 for t in by_power(real, inst, agr, year).values())


def test_closed_sites_shown_on_the_map_count_nobody(real) -> None:
    """'Show closed' keeps a closed base's marker, not its last figure (France and the US
    left Niger by 2024)."""
    def niger(show_closed: bool):
        inst = installation_states(real, 2025, show_closed=show_closed)
        return by_country(real, inst, agreements_in_year(real, 2025), 2025)["NER"].total

    assert niger(True) == niger(False)
    hidden = by_power(real, installation_states(real, 2025),
                      agreements_in_year(real, 2025), 2025)["FRA"]
    shown = by_power(real, installation_states(real, 2025, show_closed=True),
                     agreements_in_year(real, 2025), 2025)["FRA"]
    assert hidden == shown
