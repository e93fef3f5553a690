"""African country polygons: loading, host geometry and point-to-country distance.

The geometry is ``data/africa_countries.geojson``, built by ``geo.build_geometries`` from
Natural Earth 1:50m. Pure geometry: no dash import, no global state.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

COUNTRIES_FILE = "africa_countries.geojson"

SOMALILAND = "SOL"
"""Natural Earth's code for Somaliland, which it draws apart from Somalia.

Somaliland has no ISO 3166 code. The map keeps it as its own feature so that north-west
Somalia is not a hole, but records say SOM for sites there (e.g. Berbera), so
``host_geometry("SOM")`` is Somalia plus Somaliland.
"""

SOMALIA = "SOM"


def load_countries(data_dir: Path) -> gpd.GeoDataFrame:
    """Read the country polygons: columns iso3, name, geometry (EPSG:4326), index = iso3.

    The index holds the iso3 codes but is left unnamed, so that ``reset_index`` and merges on
    the ``iso3`` column do not clash with an index level of the same name.
    """
    path = Path(data_dir) / COUNTRIES_FILE
    frame = gpd.read_file(path)
    missing = {"iso3", "name"} - set(frame.columns)
    if missing:
        raise ValueError(f"{path}: features lack properties {sorted(missing)}")
    frame = frame[["iso3", "name", "geometry"]]
    frame = frame.set_crs("EPSG:4326") if frame.crs is None else frame.to_crs("EPSG:4326")
    frame.index = list(frame["iso3"])
    return frame


def host_geometry(countries: gpd.GeoDataFrame, iso3: str) -> BaseGeometry:
    """The area a record's ``host_iso3`` stands for: SOM is Somalia plus Somaliland."""
    if iso3 not in countries.index:
        raise KeyError(f"unknown country code {iso3!r}")
    geom = countries.geometry.loc[iso3]
    if iso3 == SOMALIA and SOMALILAND in countries.index:
        geom = shapely.union(geom, countries.geometry.loc[SOMALILAND])
    return geom


def distance_km(countries: gpd.GeoDataFrame, iso3: str, lon: float, lat: float) -> float:
    """Distance in km from (lon, lat) to the host country; 0 inside or on its border.

    Measured in an azimuthal equidistant projection centred on the point, where distances
    from the centre are true ground distances: exact enough (well under 1%) for a
    "within a few km of the coast" check, and independent of latitude.
    """
    geom = host_geometry(countries, iso3)
    point = shapely.Point(lon, lat)
    if shapely.intersects(geom, point):
        return 0.0
    # A PROJ pipeline string, not from_crs: the same transformation (lon/lat degrees in,
    # metres out), built in 0.1 ms instead of 12 ms of CRS database lookups per point.
    to_local = Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=aeqd +lat_0={lat} +lon_0={lon} +ellps=WGS84")
    projected = shapely.transform(geom, lambda xy: _project(to_local, xy))
    return float(shapely.distance(projected, shapely.Point(0.0, 0.0))) / 1000.0


def _project(transformer: Transformer, xy: np.ndarray) -> np.ndarray:
    """Project an (n, 2) array of lon/lat pairs with ``transformer``."""
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])
