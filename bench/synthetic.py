"""Synthetic datasets N times the size of the real one, for measuring how costs grow.

Rows are resampled from the real records (so statuses, kinds and year patterns keep their
real mix), with powers and hosts drawn from the real distribution blended with a uniform
one (so the map fills out the way a larger survey would), years shifted by a few years and
every point sampled inside its host's polygon. The files use the real schema and pass
``load_dataset`` validation: a benchmark on data the app would refuse measures nothing.
Everything derives from one seed, so a run is repeatable.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from geo import schema
from geo.countries import host_geometry
from geo.dataset import Dataset, default_data_dir, load_dataset

DEFAULT_SEED = 20240601

#: Share of rows whose power / host is drawn uniformly rather than from the real mix.
UNIFORM_POWER_SHARE = 0.2
UNIFORM_HOST_SHARE = 0.3
#: Years are shifted by up to this many years either way (the whole row together).
MAX_SHIFT = 6

_YEAR_IN_DATE = re.compile(r"\d{4}")


def _blend(rng: np.random.Generator, observed: Sequence[str], universe: Sequence[str],
           uniform_share: float, n: int) -> np.ndarray:
    """Draw ``n`` codes: the observed frequencies, with a uniform share over ``universe``."""
    values, counts = np.unique(np.asarray(observed, dtype=object), return_counts=True)
    weights = (1 - uniform_share) * counts / counts.sum()
    prob = pd.Series(weights, index=values).reindex(universe, fill_value=0.0)
    prob += uniform_share / len(universe)
    return rng.choice(np.asarray(universe, dtype=object), size=n, p=(prob / prob.sum()).values)


def _shift(rng: np.random.Generator, years: Sequence[int | None], this_year: int) -> int:
    """A random shift that keeps every year of the row at or before ``this_year``."""
    known = [y for y in years if y is not None]
    shift = int(rng.integers(-MAX_SHIFT, MAX_SHIFT + 1))
    if known:
        shift = min(shift, this_year - max(known))
        shift = max(shift, schema.EARLIEST_YEAR - min(known))
    return shift


def _year(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


class PointSampler:
    """Uniform random points inside each host's polygon (SOM includes Somaliland)."""

    def __init__(self, countries: object, rng: np.random.Generator) -> None:
        self.countries = countries
        self.rng = rng
        self._geoms: dict[str, object] = {}

    def sample(self, host: str, n: int) -> np.ndarray:
        """``n`` (lat, lon) pairs strictly inside ``host``, rounded to 5 decimals."""
        geom = self._geoms.get(host)
        if geom is None:
            geom = host_geometry(self.countries, host)
            shapely.prepare(geom)
            self._geoms[host] = geom
        minx, miny, maxx, maxy = geom.bounds
        out: list[np.ndarray] = []
        have = 0
        while have < n:
            batch = max(64, 4 * (n - have))
            x = self.rng.uniform(minx, maxx, batch)
            y = self.rng.uniform(miny, maxy, batch)
            x, y = np.round(x, 5), np.round(y, 5)
            inside = shapely.contains_xy(geom, x, y)
            pts = np.column_stack([y[inside], x[inside]])
            out.append(pts)
            have += len(pts)
        return np.concatenate(out)[:n]


def _installations(ds: Dataset, factor: int, rng: np.random.Generator,
                   this_year: int) -> list[dict[str, str]]:
    real = ds.installations.reset_index(drop=True)
    n = len(real) * factor
    hosts_all = sorted(set(ds.countries.index) - {"SOL"})
    templates = rng.integers(0, len(real), n)
    powers = _blend(rng, real["power"], ds.power_codes, UNIFORM_POWER_SHARE, n)
    hosts = _blend(rng, real["host_iso3"], hosts_all, UNIFORM_HOST_SHARE, n)
    points: dict[str, np.ndarray] = {}
    sampler = PointSampler(ds.countries, rng)
    for host in sorted(set(hosts)):
        points[host] = sampler.sample(host, int((hosts == host).sum()))
    used = dict.fromkeys(points, 0)
    rows = []
    for i in range(n):
        t = real.iloc[int(templates[i])]
        power, host = str(powers[i]), str(hosts[i])
        lat, lon = points[host][used[host]]
        used[host] += 1
        years = [_year(t[c]) for c in ("announced", "opened", "closed")]
        shift = _shift(rng, years, this_year)
        shifted = ["" if y is None else str(y + shift) for y in years]
        rows.append({
            "id": f"SYN-{power}-{host}-{i + 1}",
            "name": f"Synthetic {t['kind']} {i + 1}",
            "power": power,
            "host_iso3": host,
            "site": f"Site {i + 1}",
            "lat": f"{lat:.5f}",
            "lon": f"{lon:.5f}",
            "coord_precision": str(t["coord_precision"]),
            "kind": str(t["kind"]),
            "status": str(t["status"]),
            "announced": shifted[0],
            "opened": shifted[1],
            "closed": shifted[2],
            "last_confirmed": _shift_confirmed(str(t["last_confirmed"]), shift, this_year),
            "basis": str(t["basis"]),
            "confidence": str(t["confidence"]),
            "sources": f"https://example.org/synthetic/{i + 1} ; "
                       f"https://example.net/{power.lower()}/{host.lower()}",
            "notes": f"Synthetic row modelled on {t['id']}, years shifted by {shift}.",
        })
    return rows


def _shift_confirmed(text: str, shift: int, this_year: int) -> str:
    """``last_confirmed`` moved with the row's years, never past the current year."""
    if not text:
        return ""
    return str(min(int(text[:4]) + shift, this_year)) + text[4:]


def _shift_signed(text: str, shift: int) -> str:
    """Shift every year inside a ``signed`` value (date, interval or open interval)."""
    return _YEAR_IN_DATE.sub(lambda m: str(int(m.group()) + shift), text)


def _agreements(ds: Dataset, factor: int, rng: np.random.Generator,
                this_year: int) -> list[dict[str, str]]:
    real = ds.agreements.reset_index(drop=True)
    n = len(real) * factor
    hosts_all = sorted(ds.countries.index)
    templates = rng.integers(0, len(real), n)
    powers = _blend(rng, real["power"], ds.power_codes, UNIFORM_POWER_SHARE, n)
    hosts = _blend(rng, real["host_iso3"], hosts_all, UNIFORM_HOST_SHARE, n)
    rows = []
    for i in range(n):
        t = real.iloc[int(templates[i])]
        years = [int(y) for y in _YEAR_IN_DATE.findall(str(t["signed"]))]
        ended = _year(t["ended"])
        shift = _shift(rng, [*years, ended], this_year)
        power, host = str(powers[i]), str(hosts[i])
        rows.append({
            "id": f"SYN-{power}-{host}-A{i + 1}",
            "power": power,
            "host_iso3": host,
            "signed": _shift_signed(str(t["signed"]), shift),
            "kind": str(t["kind"]),
            "in_force": str(t["in_force"]),
            "ended": "" if ended is None else str(ended + shift),
            "confidence": str(t["confidence"]),
            "sources": f"https://example.org/synthetic/a{i + 1}",
            "summary": f"Synthetic {t['kind']} agreement modelled on {t['id']}.",
            "notes": "",
        })
    return rows


def _write(path: Path, rows: list[dict[str, str]], columns: Sequence[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def generate(out_dir: Path, factor: int, *, seed: int = DEFAULT_SEED,
             source: Path | None = None, this_year: int | None = None) -> Path:
    """Write a dataset ``factor`` times the size of ``source`` into ``out_dir``; return it.

    Powers and country geometries are copied unchanged; installations and agreements are
    ``factor`` times as many rows. Same seed and year, byte-identical files.
    """
    source = Path(source) if source is not None else default_data_dir()
    this_year = this_year or dt.date.today().year
    ds = load_dataset(source)
    rng = np.random.default_rng([seed, factor])
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in (schema.POWERS_FILE, schema.COUNTRIES_FILE, schema.DESCRIPTOR_FILE):
        if (source / name).exists():
            shutil.copyfile(source / name, out_dir / name)
    inst = _installations(ds, factor, rng, this_year)
    agr = _agreements(ds, factor, rng, this_year)
    _write(out_dir / schema.INSTALLATIONS_FILE, inst, [*schema.INSTALLATIONS_COLUMNS])
    agr_columns = [*schema.AGREEMENTS_COLUMNS, "notes"]
    _write(out_dir / schema.AGREEMENTS_FILE, agr, agr_columns)
    return out_dir
