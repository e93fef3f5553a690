"""Loading the dataset into typed DataFrames, after validation has passed.

The loader refuses invalid data (raising :class:`DatasetError` with every problem) so that
nothing downstream (the map, an export) ever draws a half-valid dataset.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

import pandas as pd

from geo import schema
from geo.validate import (
    Problem,
    Table,
    check_dir,
    parse_confirmed,
    parse_signed,
    split_sources,
)


class DatasetError(Exception):
    """The dataset is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the dataset:\n" + "\n".join(
            str(p) for p in self.problems))


@dataclass(frozen=True)
class Dataset:
    """The validated dataset: one DataFrame per table plus the country geometries."""

    powers: pd.DataFrame
    installations: pd.DataFrame
    agreements: pd.DataFrame
    countries: object  # geopandas.GeoDataFrame indexed by iso3 (kept untyped: lazy import)
    version: str
    data_dir: Path
    #: personnel.csv (optional file): low/high as Int64 (NA = no published figure)
    personnel: pd.DataFrame = field(default_factory=lambda: _personnel(None))
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def power_codes(self) -> list[str]:
        """Codes in the order of powers.csv, the order used in legends and filters."""
        return list(self._power_codes)

    @cached_property
    def _power_codes(self) -> tuple[str, ...]:
        return tuple(self.powers["code"])

    @cached_property
    def _first_year(self) -> int:
        # Cached: the tables never change, and callbacks ask for the range on every request
        # (3 ms of pandas each time, uncached).
        years = pd.concat([
            self.installations[["announced", "opened"]].min(axis=1),
            self.agreements["signed_year"],
        ]).dropna()
        return max(int(years.min()) if len(years) else 2000, 2000)

    @property
    def year_range(self) -> tuple[int, int]:
        """First year with any record (not before 2000) to the current year."""
        return self._first_year, dt.date.today().year

    @property
    def default_year(self) -> int:
        """The year a view opens on: the latest year in the data, within :attr:`year_range`."""
        lo, hi = self.year_range
        return min(max(self.latest_year, lo), hi)

    @cached_property
    def latest_year(self) -> int:
        """The latest year any record mentions: the dashboard's default year."""
        cols = [self.installations[c] for c in ("announced", "opened", "closed")]
        cols += [self.agreements["signed_year"], self.agreements["ended"]]
        years = pd.concat(cols).dropna()
        return int(years.max()) if len(years) else self.year_range[1]


def default_data_dir() -> Path:
    """The data directory: $AFRICA_PRESENCE_DATA, else the dataset bundled with the package."""
    env = os.environ.get(schema.DATA_ENV)
    if env:
        return Path(env)
    try:
        bundled = Path(str(resources.files("africa_presence_data")))
        if (bundled / schema.INSTALLATIONS_FILE).exists():
            return bundled
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "data"


def read_version(data_dir: Path) -> str:
    """The dataset version from its Frictionless descriptor ("unversioned" without one)."""
    try:
        descriptor = json.loads((Path(data_dir) / schema.DESCRIPTOR_FILE).read_text("utf-8"))
        return str(descriptor.get("version") or "unversioned")
    except (OSError, ValueError, AttributeError):
        return "unversioned"


def load_dataset(data_dir: Path | str | None = None, today: dt.date | None = None) -> Dataset:
    """Validate and load the dataset in ``data_dir`` (default: :func:`default_data_dir`)."""
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    checked = check_dir(data_dir, today)
    if checked.problems:
        raise DatasetError(checked.problems)
    tables = checked.tables
    return Dataset(
        powers=_frame(tables[schema.POWERS_FILE]),
        installations=_installations(tables[schema.INSTALLATIONS_FILE]),
        agreements=_agreements(tables[schema.AGREEMENTS_FILE]),
        countries=checked.countries,
        version=read_version(data_dir),
        data_dir=data_dir,
        personnel=_personnel(tables.get(schema.PERSONNEL_FILE)),
    )


def _frame(table: Table) -> pd.DataFrame:
    """Rows as strings, stripped, with the source line kept for messages downstream."""
    records = [{k: (v or "").strip() for k, v in row.values.items()} | {"line": row.line}
               for row in table.rows]
    return pd.DataFrame.from_records(records, columns=[*table.header, "line"])


def _years(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.replace("", None), errors="raise").astype("Int64")


def _installations(table: Table) -> pd.DataFrame:
    df = _frame(table)
    for column in ("announced", "opened", "closed"):
        df[column] = _years(df[column])
    #: the year part of last_confirmed (NA when blank): what freshness is judged by
    df["confirmed_year"] = pd.array(
        [parse_confirmed(v) if v else None for v in df["last_confirmed"]], dtype="Int64")
    df["lat"] = df["lat"].astype(float)
    df["lon"] = df["lon"].astype(float)
    df["source_list"] = df["sources"].map(split_sources)
    return df


def _personnel(table: Table | None) -> pd.DataFrame:
    """Estimates with integer years and figures; an absent file is an empty table."""
    if table is None:
        df = pd.DataFrame(columns=[*schema.PERSONNEL_COLUMNS, "line"])
    else:
        df = _frame(table)
    for column in ("year", "low", "high"):
        df[column] = _years(df[column]) if len(df) else pd.array([], dtype="Int64")
    df["source_list"] = df["sources"].map(split_sources) if len(df) else []
    return df


def _agreements(table: Table) -> pd.DataFrame:
    df = _frame(table)
    df["ended"] = _years(df["ended"])
    df["signed_year"] = pd.array(
        [parse_signed(s)[1] for s in df["signed"]], dtype="Int64")
    df["source_list"] = df["sources"].map(split_sources)
    if "notes" not in df:
        df["notes"] = ""
    return df
