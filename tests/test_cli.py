"""The command line, and the built wheel installed on its own (not the source tree)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.processes import free_port
from dashboard.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_validate_ok_prints_one_summary_line(capsys) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    assert out[0].startswith("OK: dataset ")
    assert "installations (FRA " in out[0] and "agreements (" in out[0]


def test_validate_reports_every_problem_and_exits_1(make_data, capsys) -> None:
    folder = make_data(installations={0: {"lat": "x"}}, agreements={0: {"kind": "pact"}})
    assert main(["validate", "--data", str(folder)]) == 1
    err = capsys.readouterr().err
    assert f"{folder}/installations.csv:2: lat: not a number (x)" in err
    assert f"{folder}/agreements.csv:2: kind: must be one of:" in err
    assert "Traceback" not in err


def test_data_directory_from_environment(make_data, monkeypatch, capsys) -> None:
    folder = make_data()
    monkeypatch.setenv("AFRICA_PRESENCE_DATA", str(folder))
    assert main(["validate"]) == 0
    assert f"in {folder}:" in capsys.readouterr().out
    (folder / "powers.csv").unlink()
    assert main(["validate"]) == 1
    assert "powers.csv:1: (file): file not found" in capsys.readouterr().err


def test_missing_data_directory(tmp_path, capsys) -> None:
    assert main(["validate", "--data", str(tmp_path / "nope")]) == 1
    assert "data directory not found" in capsys.readouterr().err


def test_serve_refuses_invalid_data_without_traceback(make_data, capsys) -> None:
    folder = make_data(installations={1: {"status": "sometimes"}})
    assert main(["serve", "--port", str(free_port()), "--data", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "status: must be one of" in err and "Traceback" not in err


def test_serve_defaults_are_safe() -> None:
    from dashboard.cli import build_parser

    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.debug, args.workers) == ("127.0.0.1", 8050, False, 1)


def test_python_dash_m_dashboard_is_the_same_command(tmp_path) -> None:
    result = subprocess.run([sys.executable, "-m", "dashboard", "validate"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: dataset ")


@pytest.mark.slow
def test_built_wheel_validates_from_any_directory(tmp_path) -> None:
    """A plain (non-editable) install must carry the data files inside the package."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(wheel_dir), str(REPO)], check=True, timeout=600)
    wheel = next(wheel_dir.glob("africa_presence-*.whl"))
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(wheel)], check=True, timeout=600)
    assert (target / "africa_presence_data" / "installations.csv").exists()
    assert (target / "africa_presence_data" / "africa_countries.geojson").exists()
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("AFRICA_PRESENCE_DATA", None)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = ("import geo, dashboard.cli as c, sys; "
             "print(geo.__file__); sys.exit(c.main(['validate']))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    first, summary = result.stdout.splitlines()[:2]
    assert first.startswith(str(target)), "imported the source tree, not the wheel"
    assert summary.startswith("OK: dataset ") and str(target) in summary
