"""The change between two years agrees with the two single-year views, record by record."""

from __future__ import annotations

import pytest

from geo.changes import change_counts, changes
from geo.timeline import agreements_in_year, installation_states

PAIRS = [(2000, 2026), (2014, 2024), (2019, 2020), (2010, 2022), (2021, 2023), (2005, 2013)]
POWER_SETS = [None, ("FRA",), ("RUS", "USA"), ("CHN", "TUR", "ARE")]


def _frames(ds, year, powers, show_closed=False):
    return (installation_states(ds, year, powers=powers, show_closed=show_closed),
            agreements_in_year(ds, year, powers=powers))


@pytest.mark.parametrize(("y0", "y1"), PAIRS)
@pytest.mark.parametrize("powers", POWER_SETS)
@pytest.mark.parametrize("show_closed", [False, True])
def test_counts_are_the_difference_of_the_two_maps(ds, y0, y1, powers, show_closed) -> None:
    i0, a0 = _frames(ds, y0, powers, show_closed)
    i1, a1 = _frames(ds, y1, powers, show_closed)
    table = changes(i0, i1, a0, a1)
    k = change_counts(table)
    # Exactly the records new on / gone from the map, by set difference of the two views.
    assert k["installations_added"] == len(set(i1["id"]) - set(i0["id"]))
    assert k["installations_removed"] == len(set(i0["id"]) - set(i1["id"]))
    assert k["agreements_added"] == len(set(a1["id"]) - set(a0["id"]))
    assert k["agreements_removed"] == len(set(a0["id"]) - set(a1["id"]))
    assert k["installations_added"] - k["installations_removed"] == len(i1) - len(i0)
    # Every change's states are the ones the two single-year views show.
    s0 = dict(zip(i0["id"], i0["state"], strict=True))
    s1 = dict(zip(i1["id"], i1["state"], strict=True))
    for r in table[table["record"] == "installation"].itertuples():
        assert (r.before, r.after) == (s0.get(r.id, ""), s1.get(r.id, ""))
        assert r.before != r.after
    assert table["id"].is_unique


def test_change_kinds_and_years_follow_the_records(ds) -> None:
    i0, a0 = _frames(ds, 2014, None)
    i1, a1 = _frames(ds, 2024, None)
    table = changes(i0, i1, a0, a1).set_index("id")
    inst = ds.installations.set_index("id")
    for rid, r in table[table["record"] == "installation"].iterrows():
        rec = inst.loc[rid]
        if r["change"] == "opened":
            assert r["year"] == rec["opened"] and 2014 < rec["opened"] <= 2024
        elif r["change"] in ("closed", "abandoned", "refused"):
            assert r["year"] == rec["closed"] and 2014 <= rec["closed"] < 2024
        elif r["change"] == "announced":
            assert r["after"] == "planned" and r["year"] == rec["announced"]
    agr = ds.agreements.set_index("id")
    for rid, r in table[table["record"] == "agreement"].iterrows():
        if r["change"] == "signed":
            assert 2014 < agr.loc[rid, "signed_year"] <= 2024
        else:
            assert 2014 <= agr.loc[rid, "ended"] < 2024


def test_known_changes_2014_to_2024(ds) -> None:
    """France left Mali (Gao, 2022); the US left Niger (Niamey, 2024 is still on the map)."""
    i0, a0 = _frames(ds, 2014, None)
    i1, a1 = _frames(ds, 2024, None)
    table = changes(i0, i1, a0, a1).set_index("id")
    assert table.loc["FR-MLI-1", "change"] == "closed"
    assert table.loc["FR-MLI-1", "year"] == 2022
    assert table.loc["FR-MLI-1", "direction"] == -1
    assert table.loc["CN-DJI-1", "change"] == "opened"
    assert table.loc["CN-DJI-1", "year"] == 2017


def test_same_year_has_no_change(ds) -> None:
    i, a = _frames(ds, 2019, None)
    assert len(changes(i, i, a, a)) == 0


def test_planned_then_opened_is_a_change_without_a_count(ds) -> None:
    """A record planned in one year and active in the other moves state but stays on the map."""
    inst = ds.installations
    both = inst[inst["announced"].notna() & inst["opened"].notna()
                & (inst["announced"] < inst["opened"])]
    assert len(both), "the data has records announced before they opened"
    row = both.iloc[0]
    y0, y1 = int(row["announced"]), int(row["opened"])
    (i0, a0), (i1, a1) = _frames(ds, y0, None), _frames(ds, y1, None)
    t = changes(i0, i1, a0, a1)
    moved = t[(t["before"] == "planned") & (t["after"] == "active")]
    assert row["id"] in set(moved["id"]), (row["id"], y0, y1)
    assert set(moved["change"]) == {"opened"}
    assert set(moved["direction"]) == {0}
