"""One broken dataset per validation rule, each asserting the exact message a user sees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo.dataset import DatasetError, load_dataset
from geo.validate import validate_dir
from tests.paths import DATA

TODAY = dt.date(2026, 11, 27)


def messages(folder: Path) -> list[str]:
    """Problems as printed, with the folder prefix removed so tests read like the report."""
    return [str(p).replace(f"{folder}/", "") for p in validate_dir(folder, TODAY)]


def test_the_fixture_itself_is_valid(make_data) -> None:
    assert messages(make_data()) == []


def test_the_bundled_dataset_is_valid() -> None:
    assert [str(p) for p in validate_dir(DATA)] == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"id": "T-CHN-1"}, "installations.csv:3: id: duplicate id (first on line 2) (T-CHN-1)"),
        ({"power": "XXX"},
         "installations.csv:2: power: unknown power code; add it to powers.csv first (XXX)"),
        ({"host_iso3": "FRA"},
         "installations.csv:2: host_iso3: unknown host country code (not an African ISO "
         "alpha-3) (FRA)"),
        ({"name": ""}, "installations.csv:2: name: required value is missing (empty)"),
        ({"lat": "north"}, "installations.csv:2: lat: not a number (north)"),
        ({"lat": "95"}, "installations.csv:2: lat: latitude out of range -90..90 (95)"),
        ({"lon": "-190"}, "installations.csv:2: lon: longitude out of range -180..180 (-190)"),
        ({"lat": "48.85", "lon": "2.35"},
         "installations.csv:2: lat/lon: point lies 3885 km outside SEN (tolerance 15 km) "
         "(48.85, 2.35)"),
        ({"coord_precision": "rough"},
         "installations.csv:2: coord_precision: must be one of: exact | approximate | town | "
         "region | country (rough)"),
        ({"kind": "castle"},
         "installations.csv:2: kind: must be one of: air base | army base | naval base | "
         "joint base | logistics facility | drone base | training mission | headquarters | "
         "communications station (castle)"),
        ({"status": "open"},
         "installations.csv:2: status: must be one of: active | closed | planned | abandoned | "
         "refused (open)"),
        ({"confidence": "sure"},
         "installations.csv:2: confidence: must be one of: high | medium | low (sure)"),
        ({"opened": "19x0"}, "installations.csv:2: opened: not a year (expected YYYY) (19x0)"),
        ({"closed": "2031"}, "installations.csv:2: closed: year out of range 1800-2026 (2031)"),
        ({"opened": "2026", "closed": "2025"},
         "installations.csv:2: closed: closed is before opened (2026) (2025)"),
        ({"announced": "1970"},
         "installations.csv:2: opened: opened is before announced (1970) (1960)"),
        ({"closed": ""},
         "installations.csv:2: closed: a closed installation needs a year in closed (empty)"),
        ({"status": "active"},
         "installations.csv:2: closed: an active installation cannot have a closing year (2025)"),
        ({"status": "planned", "announced": "1959"},
         "installations.csv:2: opened: a planned installation cannot have a year in opened "
         "(1960)"),
        ({"sources": "see the newspaper"},
         "installations.csv:2: sources: not an http(s) URL (see the newspaper)"),
        ({"sources": "javascript:alert(1)"},
         "installations.csv:2: sources: not an http(s) URL (javascript:alert(1))"),
        ({"sources": ""}, "installations.csv:2: sources: required value is missing (empty)"),
    ],
)
def test_installation_rules(make_data, changes: dict[str, str], expected: str) -> None:
    folder = make_data(installations={0: changes})
    assert expected in messages(folder)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"status": "abandoned", "opened": "", "announced": "2016", "closed": ""},
         "installations.csv:2: closed: a abandoned installation needs the year it was "
         "abandoned in closed (empty)"),
        ({"status": "planned", "opened": "", "closed": "", "announced": ""},
         "installations.csv:2: announced: a planned installation needs an announcement year "
         "(empty)"),
        ({"status": "active", "opened": "", "closed": ""},
         "installations.csv:2: opened: an active installation needs an opening year (empty)"),
    ],
)
def test_status_needs_its_years(make_data, changes: dict[str, str], expected: str) -> None:
    assert expected in messages(make_data(installations={0: changes}))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"signed": "2019-13-01"},
         "agreements.csv:2: signed: not a date (expected YYYY, YYYY-MM or YYYY-MM-DD, or an "
         "interval START/END of those) (2019-13-01)"),
        ({"signed": "2019/2014"},
         "agreements.csv:2: signed: not a date (expected YYYY, YYYY-MM or YYYY-MM-DD, or an "
         "interval START/END of those) (2019/2014)"),
        ({"signed": "2014/2019", "ended": "2017"},
         "agreements.csv:2: ended: ends before it was signed (2019) (2017)"),
        ({"signed": "2030"}, "agreements.csv:2: signed: date is after the current year 2026 "
         "(2030)"),
        ({"ended": "2015"}, "agreements.csv:2: ended: ends before it was signed (2019) (2015)"),
        ({"kind": "friendship"},
         "agreements.csv:2: kind: must be one of: military cooperation | military-technical "
         "cooperation | basing or access | deployment (friendship)"),
        ({"in_force": "maybe"},
         "agreements.csv:2: in_force: must be one of: yes | no | unknown (maybe)"),
        ({"power": "ZZZ"},
         "agreements.csv:2: power: unknown power code; add it to powers.csv first (ZZZ)"),
        ({"host_iso3": "USA"}, "agreements.csv:2: host_iso3: unknown host country code (not an "
         "African ISO alpha-3) (USA)"),
        ({"sources": "ftp://example.org/x"},
         "agreements.csv:2: sources: not an http(s) URL (ftp://example.org/x)"),
    ],
)
def test_agreement_rules(make_data, changes: dict[str, str], expected: str) -> None:
    assert expected in messages(make_data(agreements={0: changes}))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"code": "fr"}, "powers.csv:2: code: must be an ISO 3166-1 alpha-3 code (3 capital "
         "letters) (fr)"),
        ({"color": "blue"}, "powers.csv:2: color: must be a #RRGGBB colour (blue)"),
        ({"code": "RUS"}, "powers.csv:3: code: duplicate code (first on line 2) (RUS)"),
    ],
)
def test_power_rules(make_data, changes: dict[str, str], expected: str) -> None:
    assert expected in messages(make_data(powers={0: changes}))


def test_all_problems_are_collected_not_just_the_first(make_data) -> None:
    folder = make_data(installations={0: {"lat": "x", "kind": "castle"}, 1: {"power": "QQQ"}},
                       agreements={0: {"in_force": "perhaps"}})
    found = messages(folder)
    assert len(found) == 4
    assert [m.split(":")[0] for m in found].count("installations.csv") == 3


def test_coastal_point_within_tolerance_is_accepted(make_data) -> None:
    # About 5 km off Dakar's coast: a harbour the simplified outline cuts off.
    folder = make_data(installations={0: {"lat": "14.66", "lon": "-17.47"}})
    assert messages(folder) == []


def test_somaliland_points_count_as_somalia(make_data) -> None:
    folder = make_data(installations={1: {"host_iso3": "SOM", "lat": "10.389",
                                          "lon": "44.941"}})
    assert messages(folder) == []


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "installations.csv:1: (file): file not found"),
        (b"", "installations.csv:1: (file): file is empty; expected a CSV header row"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "installations.csv:1: (file): file contains NUL bytes: "
         "it is binary, not a CSV text file"),
        ("id,name\n1,Caf\xe9\n".encode("latin-1"),
         "installations.csv:2: (file): not valid UTF-8 (byte 0xe9)"),
        (b"id;name;power\n1;x;FRA\n", "installations.csv:1: (file): columns are separated by "
         "';'; the dataset uses commas (id;name;power)"),
        (b"id,name,power\n1,x,FRA\n", "installations.csv:1: (file): missing required column(s): "
         "host_iso3, site, lat, lon, coord_precision, kind, status, announced, opened, closed, "
         "last_confirmed, basis, confidence, sources, notes (id,name,power)"),
        (b'id,name,power,host_iso3,site,lat,lon,coord_precision,kind,status,announced,opened,'
         b'closed,last_confirmed,basis,confidence,sources,notes\n"unterminated,x\n',
         "installations.csv:2: (file): not a valid CSV file: unexpected end of data"),
    ],
)
def test_unreadable_file_is_one_clear_problem(make_data, content: bytes | None,
                                              expected: str) -> None:
    folder = make_data()
    target = folder / "installations.csv"
    if content is None:
        target.unlink()
    else:
        target.write_bytes(content)
    found = messages(folder)
    assert found == [expected]


def test_row_with_extra_fields(make_data) -> None:
    folder = make_data()
    target = folder / "agreements.csv"
    target.write_text(target.read_text() + "T-X,RUS,MLI,2019,deployment,yes,,high,"
                      "https://example.org,s,n,EXTRA\n", encoding="utf-8")
    assert messages(folder) == ["agreements.csv:3: (row): row has 12 fields but the header "
                                "has 11 (T-X,RUS,MLI,2019,deployment,yes,,high,https://example.org,"
                                "s,n,EXTRA)"]


def test_extra_columns_are_welcome(make_data) -> None:
    folder = make_data()
    target = folder / "powers.csv"
    lines = target.read_text().splitlines()
    lines = [lines[0] + ",wikidata"] + [line + ",Q1" for line in lines[1:]]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert messages(folder) == []


def test_loader_refuses_invalid_data_with_every_problem(make_data) -> None:
    folder = make_data(installations={0: {"lat": "x"}, 1: {"kind": "castle"}})
    with pytest.raises(DatasetError) as info:
        load_dataset(folder, today=TODAY)
    assert len(info.value.problems) == 2
    assert "installations.csv:2: lat: not a number (x)" in str(info.value)


@pytest.mark.parametrize(("signed", "year"), [("2014/2019", 2019), ("../2019-04-30", 2019),
                                              ("2019-06", 2019), ("2018-12-31/2019-01", 2019)])
def test_signed_may_be_an_interval_counted_from_its_end(make_data, signed: str,
                                                        year: int) -> None:
    folder = make_data(agreements={0: {"signed": signed}})
    assert messages(folder) == []
    assert list(load_dataset(folder, today=TODAY).agreements["signed_year"]) == [year]
