"""The Frictionless descriptor and the docs must describe the CSVs exactly as they are."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from geo import schema
from geo.dataset import load_dataset

DATA = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))


def header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def test_every_csv_is_described_field_by_field() -> None:
    for resource in DESCRIPTOR["resources"]:
        path = DATA / resource["path"]
        assert path.exists(), resource["path"]
        if resource["format"] == "csv":
            fields = [f["name"] for f in resource["schema"]["fields"]]
            assert fields == header(path), resource["path"]


def test_enumerations_match_the_validator() -> None:
    by_name = {r["name"]: {f["name"]: f for f in r.get("schema", {}).get("fields", [])}
               for r in DESCRIPTOR["resources"]}
    inst, agr = by_name["installations"], by_name["agreements"]
    assert inst["status"]["constraints"]["enum"] == list(schema.STATUSES)
    assert inst["kind"]["constraints"]["enum"] == list(schema.INSTALLATION_KINDS)
    assert agr["kind"]["constraints"]["enum"] == list(schema.AGREEMENT_KINDS)
    assert agr["in_force"]["constraints"]["enum"] == list(schema.IN_FORCE)


def test_version_is_semver_and_in_the_changelog() -> None:
    version = DESCRIPTOR["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert f"## {version}" in (DATA / "CHANGELOG.md").read_text(encoding="utf-8")
    assert load_dataset(DATA).version == version


def test_data_readme_documents_every_allowed_value() -> None:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    for value in (*schema.STATUSES, *schema.INSTALLATION_KINDS, *schema.AGREEMENT_KINDS):
        assert f"`{value}`" in text, value
