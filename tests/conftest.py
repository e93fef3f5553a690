"""Shared fixtures: a small valid dataset written to a temporary folder, to break on purpose."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from geo import schema
from geo.dataset import load_dataset
from tests.paths import DATA

POWERS = [
    {"code": "FRA", "name": "France", "color": "#0072B2"},
    {"code": "RUS", "name": "Russia", "color": "#D55E00"},
    {"code": "CHN", "name": "China", "color": "#CC79A7"},
]

INSTALLATIONS = [
    {"id": "T-FRA-1", "name": "Test base Dakar", "power": "FRA", "host_iso3": "SEN",
     "site": "Dakar", "lat": "14.72", "lon": "-17.49", "coord_precision": "approximate",
     "kind": "army base", "status": "closed", "announced": "", "opened": "1960",
     "closed": "2025", "last_confirmed": "2025-05", "basis": "own personnel",
     "confidence": "high", "sources": "https://example.org/a ; https://example.org/b",
     "notes": "test row"},
    {"id": "T-CHN-1", "name": "Test base Djibouti", "power": "CHN", "host_iso3": "DJI",
     "site": "Doraleh", "lat": "11.59", "lon": "43.06", "coord_precision": "approximate",
     "kind": "naval base", "status": "active", "announced": "2015", "opened": "2017",
     "closed": "", "last_confirmed": "2024", "basis": "own personnel", "confidence": "high",
     "sources": "https://example.org/c", "notes": ""},
    {"id": "T-RUS-1", "name": "Test logistics centre", "power": "RUS", "host_iso3": "ERI",
     "site": "Massawa", "lat": "15.61", "lon": "39.45", "coord_precision": "approximate",
     "kind": "logistics facility", "status": "planned", "announced": "2018", "opened": "",
     "closed": "", "last_confirmed": "", "basis": "plan only", "confidence": "high",
     "sources": "https://example.org/d", "notes": ""},
]

AGREEMENTS = [
    {"id": "T-RUS-A1", "power": "RUS", "host_iso3": "MLI", "signed": "2019-06-25",
     "kind": "military cooperation", "in_force": "unknown", "ended": "",
     "confidence": "high", "sources": "https://example.org/e",
     "summary": "Test agreement", "notes": ""},
]


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> None:
    """Write rows with the csv module (so quoting is right) in a fixed column order."""
    columns = columns or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def make_data(tmp_path: Path) -> Callable[..., Path]:
    """Build a dataset folder from the rows above with some cells changed.

    ``make_data(installations={0: {"lat": "x"}})`` changes cell ``lat`` of row 0 (CSV line 2).
    """

    def build(
        installations: dict[int, dict[str, str]] | None = None,
        agreements: dict[int, dict[str, str]] | None = None,
        powers: dict[int, dict[str, str]] | None = None,
    ) -> Path:
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        for name, rows, changes in (
            (schema.POWERS_FILE, POWERS, powers),
            (schema.INSTALLATIONS_FILE, INSTALLATIONS, installations),
            (schema.AGREEMENTS_FILE, AGREEMENTS, agreements),
        ):
            rows = [dict(r) for r in rows]
            for index, cells in (changes or {}).items():
                rows[index].update(cells)
            write_csv(folder / name, rows)
        shutil.copy(DATA / schema.COUNTRIES_FILE, folder / schema.COUNTRIES_FILE)
        return folder

    return build


@pytest.fixture(scope="session")
def ds():
    """The bundled dataset, loaded once for the run (read-only: no test may change it)."""
    return load_dataset(DATA)


@pytest.fixture(scope="session")
def dataset(ds):
    """The bundled dataset under the name the fuzz and security tests use."""
    return ds


@pytest.fixture(scope="session")
def shared_app(ds):
    """One dashboard on the bundled data for every test that only sends it requests."""
    from dashboard.app import create_app

    return create_app(ds)


@pytest.fixture(scope="session")
def client(shared_app):
    """Flask's test client of :func:`shared_app` (the one HTTP client of the suite)."""
    return shared_app.server.test_client()


@pytest.fixture
def app(ds):
    """A fresh dashboard on the bundled data (browser tests start one per test)."""
    from dashboard.app import create_app

    return create_app(ds)
