"""The Frictionless descriptor and the docs must describe the CSVs exactly as they are."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from geo import schema
from geo.dataset import load_dataset
from tests.paths import DATA

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


def test_coord_precision_enum_matches_the_validator() -> None:
    inst = {f["name"]: f for r in DESCRIPTOR["resources"] if r["name"] == "installations"
            for f in r["schema"]["fields"]}
    assert inst["coord_precision"]["constraints"]["enum"] == list(schema.COORD_PRECISION)


def test_frictionless_validates_the_descriptor_and_every_table() -> None:
    """The descriptor is read by other tools: the Frictionless reference validator must accept
    it (the spec's `created` is a date-time) and every row of every table under it."""
    import frictionless  # the test extra's, not the app's: geo/validate.py serves editors

    report = frictionless.validate(str(DATA / "datapackage.json"))
    problems = [f"{task.name}: {error.message}" for task in report.tasks
                for error in task.errors][:10]
    problems += [error.message for error in report.errors][:10]
    assert report.valid, problems


def test_readme_coverage_line_matches_the_data() -> None:
    """The data README's headline counts are the files' counts (a stale table misleads)."""
    ds = load_dataset(DATA)
    text = (DATA / "README.md").read_text(encoding="utf-8")
    m = re.search(r"\*\*(\d+) installations and (\d+) agreements of (\d+) foreign powers\*\*",
                  text)
    assert m, "coverage line missing from data/README.md"
    assert tuple(map(int, m.groups())) == (len(ds.installations), len(ds.agreements),
                                           len(ds.powers))
    assert f"Dataset {DESCRIPTOR['version']}:" in text
