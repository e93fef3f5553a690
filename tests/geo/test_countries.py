"""The shipped African country geometry and the helpers in geo.countries."""

from __future__ import annotations

import csv
import json

import pytest
import shapely
from pyproj import Geod

from geo import build_geometries
from geo.countries import SOMALILAND, distance_km, host_geometry, load_countries
from tests.paths import DATA, REPO

ROOT = REPO
GEOJSON = DATA / "africa_countries.geojson"
ISLANDS = {"CPV", "COM", "MUS", "SYC", "STP"}
BERBERA = (44.941, 10.389)  # lon, lat
NIAMEY = (2.111, 13.512)


@pytest.fixture(scope="module")
def raw() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def countries():
    return load_countries(DATA)


def test_file_is_small_enough() -> None:
    assert GEOJSON.stat().st_size <= 300 * 1024


def test_56_features_with_ids_and_exact_properties(raw: dict) -> None:
    features = raw["features"]
    codes = [f["id"] for f in features]
    assert len(features) == 56
    assert len(set(codes)) == 56
    assert {"ESH", SOMALILAND, "SOM", "SDN", "SSD"} | ISLANDS <= set(codes)
    for feature in features:
        assert set(feature["properties"]) == {"iso3", "name"}
        assert feature["properties"]["iso3"] == feature["id"]
        assert feature["properties"]["name"]


def test_coordinates_are_rounded(raw: dict) -> None:
    for feature in raw["features"]:
        for x, y in shapely.get_coordinates(shapely.from_geojson(json.dumps(feature["geometry"]))):
            assert round(x, 4) == x and round(y, 4) == y


def test_exterior_rings_clockwise_for_plotly(raw: dict) -> None:
    # d3-geo (plotly.js) draws a counter-clockwise exterior as "the globe minus the country".
    for feature in raw["features"]:
        geom = shapely.from_geojson(json.dumps(feature["geometry"]))
        for part in shapely.get_parts(geom):
            assert not part.exterior.is_ccw, feature["id"]


def test_load_countries_shape(countries) -> None:
    assert countries.crs.to_epsg() == 4326
    assert list(countries.columns) == ["iso3", "name", "geometry"]
    assert list(countries.index) == list(countries["iso3"])
    assert countries.loc["CIV", "name"] == "Côte d'Ivoire"
    assert countries.loc["COD", "name"] == "DR Congo"


def test_geometries_valid_and_in_africa(countries) -> None:
    assert shapely.is_valid(countries.geometry.values).all()
    assert not countries.geometry.is_empty.any()
    minx, miny, maxx, maxy = countries.total_bounds
    assert minx > -26 and maxx < 64 and miny > -47 and maxy < 38


def test_small_island_states_survive(countries) -> None:
    for iso3 in ISLANDS:
        geom = countries.geometry.loc[iso3]
        assert geom.area > 0.005, iso3  # Mahé alone is ~0.014 square degrees
    assert shapely.get_num_geometries(countries.geometry.loc["CPV"]) >= 8


def test_neighbours_share_borders_without_overlap_or_gap(countries) -> None:
    geoms = countries.geometry.values
    assert shapely.coverage_is_valid(geoms)
    union = shapely.union_all(geoms)
    overlap = float(sum(g.area for g in geoms) - union.area)
    assert abs(overlap) < 1e-6
    # A gap between neighbours would show up as a hole in the union; Africa's land has none.
    holes = [ring for part in shapely.get_parts(union) for ring in part.interiors]
    assert holes == []
    ner, nga = countries.geometry.loc["NER"], countries.geometry.loc["NGA"]
    shared = shapely.intersection(ner.boundary, nga.boundary)
    assert shared.length > 10  # the border is ~1,600 km, ~14 degrees
    assert shapely.intersection(ner, nga).area < 1e-9


def test_somalia_host_includes_somaliland(countries) -> None:
    berbera = shapely.Point(*BERBERA)
    assert not countries.geometry.loc["SOM"].contains(berbera)
    assert countries.geometry.loc[SOMALILAND].contains(berbera)
    assert host_geometry(countries, "SOM").contains(berbera)
    assert host_geometry(countries, "NER") == countries.geometry.loc["NER"]
    with pytest.raises(KeyError):
        host_geometry(countries, "XXX")


def test_distance_zero_inside(countries) -> None:
    assert distance_km(countries, "NER", *NIAMEY) == 0.0
    assert distance_km(countries, "SOM", *BERBERA) == 0.0


def test_distance_at_sea_is_plausible(countries) -> None:
    lon, lat = -18.38, 14.69  # ~100 km west of Dakar (-17.45, 14.69)
    km = distance_km(countries, "SEN", lon, lat)
    assert 80 < km < 105
    # Cross-check against geodesic distances to the polygon's vertices: the distance to the
    # nearest vertex bounds the distance to the polygon from above, and is close to it.
    geod = Geod(ellps="WGS84")
    xy = shapely.get_coordinates(countries.geometry.loc["SEN"])
    _, _, dists = geod.inv([lon] * len(xy), [lat] * len(xy), xy[:, 0], xy[:, 1])
    nearest_vertex_km = min(dists) / 1000
    assert km <= nearest_vertex_km + 0.01
    assert nearest_vertex_km - km < 5


def test_distance_to_the_wrong_country(countries) -> None:
    # Niamey is ~200 km north-west of the Nigerian border.
    assert 150 < distance_km(countries, "NGA", *NIAMEY) < 260


def test_countries_csv_matches_geometry(raw: dict) -> None:
    with (DATA / "countries.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["iso3", "name", "numeric", "region"]
    names = {f["id"]: f["properties"]["name"] for f in raw["features"]}
    assert {r["iso3"]: r["name"] for r in rows} == names
    north = {r["iso3"] for r in rows if r["region"] == "Northern Africa"}
    assert north == {"DZA", "EGY", "LBY", "MAR", "SDN", "TUN", "ESH"}
    assert {r["region"] for r in rows} == {"Northern Africa", "Sub-Saharan Africa"}
    numeric = {r["iso3"]: r["numeric"] for r in rows}
    assert numeric["ESH"] == "732" and numeric["DZA"] == "012" and numeric[SOMALILAND] == ""


def test_coverage_simplification_keeps_shared_edges() -> None:
    # Two squares sharing a wiggly edge: simplified separately they would drift apart.
    wiggle = [(1.0, y / 10) for y in range(11)]
    wiggle = [(x + (0.003 if i % 2 else 0.0), y) for i, (x, y) in enumerate(wiggle)]
    left = shapely.Polygon([(0, 0), *wiggle, (0, 1)])
    right = shapely.Polygon([(2, 0), (2, 1), *reversed(wiggle)])
    out = build_geometries.simplify_coverage([left, right], tolerance=0.02)
    assert shapely.coverage_is_valid(out)
    assert shapely.intersection(out[0], out[1]).area < 1e-12
    assert abs(shapely.union_all(out).area - 2.0) < 0.01
    assert all(not part.exterior.is_ccw for part in out)


def test_iso_table_is_consistent() -> None:
    codes = [iso3 for iso3, _ in build_geometries.ISO_NUMERIC.values()]
    assert len(codes) == len(set(codes)) == 55
    assert build_geometries.EXPECTED_COUNT == 56
    assert build_geometries.region_of("SDN") == "Northern Africa"
    assert build_geometries.region_of(SOMALILAND) == "Sub-Saharan Africa"
