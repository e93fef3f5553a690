"""The command line: validate and serve, their messages and exit codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench.processes import free_port
from dashboard.cli import main


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


@pytest.mark.slow  # starts a Python process
def test_python_dash_m_dashboard_is_the_same_command(tmp_path) -> None:
    result = subprocess.run([sys.executable, "-m", "dashboard", "validate"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: dataset ")


def test_export_tab_chart_and_table_from_the_command_line(tmp_path, capsys) -> None:
    out = tmp_path / "t.csv"
    assert main(["export", "--tab", "table", "--year", "2019", "--out", str(out)]) == 0
    assert out.read_text().startswith("Country,Foreign powers,")
    assert main(["export", "--tab", "chart", "--format", "csv", "--country", "MLI",
                 "--scope", "country", "--out", str(tmp_path / "c.csv")]) == 0
    assert ",MLI," in (tmp_path / "c.csv").read_text()
    capsys.readouterr()
    assert main(["export", "--tab", "table", "--format", "png",
                 "--out", str(tmp_path / "x.png")]) == 2
    assert "the table exports as csv, not png" in capsys.readouterr().err
    assert main(["export", "--tab", "map", "--scope", "country"]) == 2
    assert "--scope country needs --tab chart" in capsys.readouterr().err
    assert main(["export", "--tab", "graph"]) == 2
    err = capsys.readouterr().err
    assert "--tab: tab 'graph' is unknown (choose from map, chart, table)" in err
    assert err.count("\n") == 1  # one English line naming the value
    assert not (tmp_path / "x.png").exists()
