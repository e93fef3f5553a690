"""The page's own plotly bundle must match the Python plotly package and be what it loads."""

from __future__ import annotations

import re
from pathlib import Path

import plotly

from dashboard.app import create_app
from geo.dataset import load_dataset
from tests.paths import ASSETS


def _version(path: Path) -> str:
    head = path.read_text(encoding="utf-8", errors="replace")[:400]
    match = re.search(r"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)", head)
    assert match, f"no version header in {path}"
    return match.group(1)


def test_geo_bundle_is_the_same_plotly_js_as_the_python_package() -> None:
    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert _version(ASSETS / "plotly-geo.min.js") == _version(full)


def test_page_ships_the_geo_bundle_and_not_the_cdn() -> None:
    client = create_app(load_dataset()).server.test_client()
    html = client.get("/").get_data(as_text=True)
    assert "/assets/plotly-geo.min.js" in html
    assert "cdn.plot.ly" not in html
    assert client.get("/assets/plotly-geo.min.js").status_code == 200
    assert client.get("/assets/topojson/africa_50m.json").status_code == 200
