"""The import contracts can fail: a forbidden import injected into a copy of the code breaks
``lint-imports`` (page and export are siblings; nothing of the app imports bench)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO as ROOT

LINT = Path(sys.executable).with_name("lint-imports")

#: Runs lint-imports five times on a copy of the code.
pytestmark = pytest.mark.slow

INJECTIONS = {
    "page imports export": ("dashboard/page/details.py", "import dashboard.export.service"),
    "export imports page": ("dashboard/export/records.py", "import dashboard.page.layout"),
    "the app imports bench": ("dashboard/app.py", "import bench.naive"),
    "geo imports bench": ("geo/timeline.py", "import bench"),
}


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT), "--no-cache"], cwd=tree, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    for name in ("dashboard", "geo", "bench"):
        shutil.copytree(ROOT / name, root / name,
                        ignore=shutil.ignore_patterns("__pycache__", "assets", "locale"))
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed")
def test_the_copy_is_clean(tree: Path) -> None:
    result = _lint(tree)
    assert result.returncode == 0, result.stdout[-2000:]


@pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed")
@pytest.mark.parametrize("name", list(INJECTIONS))
def test_an_injected_import_breaks_a_contract(tree: Path, name: str) -> None:
    path, line = INJECTIONS[name]
    target = tree / path
    original = target.read_text("utf-8")
    try:
        target.write_text(original + f"\n{line}  # injected by the test\n", "utf-8")
        result = _lint(tree)
    finally:
        target.write_text(original, "utf-8")
    assert result.returncode != 0, result.stdout[-2000:]
    assert "BROKEN" in result.stdout, result.stdout[-2000:]
