"""Where markers go on a continental map: near sites fanned out, agreements around a centre.

Pure geometry on the dataset's coordinates and country polygons; the map figure calls it once
per dataset (its skeleton is memoised), so none of this runs on a year step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

#: Sites closer than this (degrees) are fanned out on a ring, so that the ten sites around
#: Djibouti City read as ten markers at continental zoom (hover and details keep the real
#: site); the ring grows with the cluster, up to a cap.
CLUSTER_DEG = 0.35
FAN_STEP_DEG = 0.24
FAN_MAX_DEG = 2.2


def fan_out(lat: Sequence[float], lon: Sequence[float]) -> tuple[list[float], list[float]]:
    """Spread points closer than ``CLUSTER_DEG`` on a ring around their mean position.

    Near pairs are found on a grid of ``CLUSTER_DEG`` cells (only the 3x3 cells around a
    point can hold one), so start-up grows with the points, not their square.
    """
    lat_a, lon_a = np.asarray(lat, float), np.asarray(lon, float)
    n = len(lat_a)
    group = list(range(n))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    cells: dict[tuple[int, int], list[int]] = {}
    for i, key in enumerate(zip(np.floor(lat_a / CLUSTER_DEG).astype(int).tolist(),
                                np.floor(lon_a / CLUSTER_DEG).astype(int).tolist(),
                                strict=True)):
        cells.setdefault(key, []).append(i)
    for (row, col), members_ in cells.items():
        here = np.asarray(members_)
        for d_row, d_col in ((0, 0), (0, 1), (1, -1), (1, 0), (1, 1)):  # each cell pair once
            other = cells.get((row + d_row, col + d_col))
            if other is None:
                continue
            there = np.asarray(other)
            near = np.hypot(lat_a[here][:, None] - lat_a[there][None, :],
                            lon_a[here][:, None] - lon_a[there][None, :]) < CLUSTER_DEG
            for a, b in zip(*np.nonzero(near), strict=True):
                i, j = int(here[a]), int(there[b])
                if i != j:
                    group[root(i)] = root(j)
    out_lat, out_lon = lat_a.copy(), lon_a.copy()
    clusters: dict[int, list[int]] = {}
    for i in range(n):
        clusters.setdefault(root(i), []).append(i)
    for members in clusters.values():
        if len(members) < 2:
            continue
        c_lat, c_lon = lat_a[members].mean(), lon_a[members].mean()
        radius = min(FAN_MAX_DEG, FAN_STEP_DEG * len(members))
        # Stable order: by original bearing from the centre, so neighbours stay neighbours.
        members = sorted(members, key=lambda k: math.atan2(lat_a[k] - c_lat, lon_a[k] - c_lon))
        for rank, k in enumerate(members):
            angle = 2 * math.pi * rank / len(members) + math.pi / 2
            out_lat[k] = c_lat + radius * math.sin(angle)
            out_lon[k] = c_lon + radius * math.cos(angle) / math.cos(math.radians(c_lat))
    return out_lat.round(4).tolist(), out_lon.round(4).tolist()



def anchors(countries: Any) -> dict[str, tuple[float, float, float]]:
    """Per country: a point inside it and a ring radius for agreement markers (degrees)."""
    out = {}
    for code, geom in zip(countries["iso3"], countries.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        parts = getattr(geom, "geoms", [geom])
        main = max(parts, key=lambda g: g.area)
        point = main.representative_point()
        radius = min(1.3, max(0.35, 0.18 * math.sqrt(main.area)))
        out[code] = (point.y, point.x, radius)
    # Records file presence in Somaliland under Somalia; keep its markers in Somalia proper.
    return out
