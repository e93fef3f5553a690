"""The built wheel, installed on its own (not the source tree): its packages and data files."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib

import pytest

from tests.paths import REPO


def test_pyproject_lists_every_subpackage() -> None:
    """setuptools gets an explicit package list (data/ is mapped to a new name, which find
    cannot do): a new subpackage missing from it would be silently absent from the wheel."""
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    on_disk = {".".join(p.parent.relative_to(REPO).parts)
               for top in ("dashboard", "geo") for p in (REPO / top).rglob("__init__.py")}
    assert on_disk <= listed, sorted(on_disk - listed)
    assert "bench" not in listed and not any(name.startswith("tests") for name in listed)


def test_no_module_carries_more_than_about_500_lines() -> None:
    """One module, one job: a long module is where a second job hides."""
    long = {str(p.relative_to(REPO)): n for top in ("dashboard", "geo")
            for p in (REPO / top).rglob("*.py")
            if (n := len(p.read_text("utf-8").splitlines())) > 520}
    assert long == {}


def test_every_module_says_why_it_exists() -> None:
    """Each module opens with a docstring (what it holds and why it is its own module)."""
    missing = [str(p.relative_to(REPO)) for top in ("dashboard", "geo")
               for p in (REPO / top).rglob("*.py") if p.name != "__main__.py"
               and not ast.get_docstring(ast.parse(p.read_text("utf-8")))]
    assert missing == []


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
    assert (target / "africa_presence_data" / "personnel.csv").exists()
    # The compiled French catalog ships (the installed app is French without pybabel).
    assert (target / "dashboard" / "locale" / "fr" / "LC_MESSAGES" / "messages.mo").exists()
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("AFRICA_PRESENCE_DATA", None)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = ("import geo, dashboard.cli as c, sys; "
             "from dashboard.view.i18n import tr; assert tr('fr')('Map') == 'Carte'; "
             "print(geo.__file__); sys.exit(c.main(['validate']))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    first, summary = result.stdout.splitlines()[:2]
    assert first.startswith(str(target)), "imported the source tree, not the wheel"
    assert summary.startswith("OK: dataset ") and str(target) in summary
