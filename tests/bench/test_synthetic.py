"""The benchmark's synthetic datasets: valid, repeatable, and the size they claim."""

from __future__ import annotations

import filecmp
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import generate
from geo import schema
from geo.dataset import load_dataset

#: Generates and validates ten times the dataset.
pytestmark = pytest.mark.slow

FACTOR = 10
FILES = (schema.INSTALLATIONS_FILE, schema.AGREEMENTS_FILE)


@pytest.fixture(scope="module")
def real() -> Any:
    return load_dataset()


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("syn10"), FACTOR, seed=7, this_year=2026)


@pytest.fixture(scope="module")
def synthetic(synthetic_dir: Path) -> Any:
    return load_dataset(synthetic_dir)  # raises DatasetError listing every invalid cell


def test_generated_data_passes_validation(synthetic: Any) -> None:
    assert len(synthetic.installations) > 0
    assert len(synthetic.agreements) > 0


def test_about_ten_times_the_rows(real: Any, synthetic: Any) -> None:
    for table in ("installations", "agreements"):
        ratio = len(getattr(synthetic, table)) / len(getattr(real, table))
        assert FACTOR * 0.95 <= ratio <= FACTOR * 1.05, (table, ratio)


def test_same_seed_same_files(synthetic_dir: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", FACTOR, seed=7, this_year=2026)
    for name in FILES:
        assert filecmp.cmp(synthetic_dir / name, again / name, shallow=False), name


def test_other_seed_other_files(synthetic_dir: Path, tmp_path: Path) -> None:
    other = generate(tmp_path / "other", FACTOR, seed=8, this_year=2026)
    assert not filecmp.cmp(synthetic_dir / schema.INSTALLATIONS_FILE,
                           other / schema.INSTALLATIONS_FILE, shallow=False)


def test_spread_looks_like_the_real_data(real: Any, synthetic: Any) -> None:
    inst = synthetic.installations
    assert set(inst["status"]) == set(real.installations["status"])
    assert set(inst["power"]) == set(real.power_codes)  # every power appears
    assert inst["host_iso3"].nunique() > real.installations["host_iso3"].nunique()
    # Real hosts stay the busiest: the most common real host is still common.
    top = real.installations["host_iso3"].value_counts().index[0]
    assert (inst["host_iso3"] == top).mean() > 1 / len(synthetic.countries)
    opened = inst["opened"].dropna()
    assert opened.max() <= 2026
    assert opened.nunique() > 15
