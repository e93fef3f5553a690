"""Exports from the running dashboard: the panel downloads files that match the view.

Run with ``pytest --headless tests/test_export_browser.py``. Headless Chromium saves
downloads into ``dash_duo.download_path`` (dash's test browser enables that through CDP).
The app is the real ``create_app``: the export panel must be wired into it.
"""

from __future__ import annotations

import csv
import struct
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard.app import create_app
from dashboard.ids import Ids
from dashboard.view.state import ViewState
from geo.timeline import agreements_in_year, installation_states
from tests.browser.waits import idle, until

pytestmark = [pytest.mark.browser, pytest.mark.slow]



@pytest.fixture
def app(ds):
    app = create_app(ds)
    if "export-panel" not in str(app.layout()):  # the layout is built per language
        pytest.fail("the export panel is not wired: layout needs export_panel(ds) and "
                    "create_app needs register_export_callbacks(app, ds)")
    return app


def start(dash_duo: Any, app: Any, query: str) -> None:
    """Serve ``app``, open ``/?query``, wait for the map and the year in the summary."""
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element("#map .choroplethlocation", timeout=30)


@pytest.fixture(autouse=True)
def own_renderer():
    """Each test's dashboard gets its own export browser, as a fresh server process would.

    The process-wide renderer outlives one dash_duo server; after the test browser of the
    previous test is torn down, Kaleido's page stops answering here (seen with Chromium 156),
    so a second test's first render hung until the export gate gave up.
    """
    from dashboard.export import shared_renderer

    yield
    shared_renderer().close()


def wait_for_download(folder: Path, name: str, timeout: float = 90) -> Path:
    """The finished download called ``name`` (Chrome writes *.crdownload until done)."""
    path = folder / name

    def done() -> bool:
        partial = list(folder.glob("*.crdownload"))
        return path.exists() and not partial and path.stat().st_size > 0

    until(done, timeout, f"download {name} in {folder}")
    return path


def export_from_panel(dash_duo: Any, fmt: str, *, width: int | None = None,
                      height: int | None = None) -> str:
    """Open the panel, pick ``fmt`` (and a size), press Download; return the status line."""
    panel = dash_duo.find_element(f"#{Ids.EXPORT_PANEL}")
    if not panel.get_attribute("open"):
        dash_duo.find_element("#export-panel summary").click()
    dash_duo.find_element(f"#export-format input[value='{fmt}']").click()
    for cid, value in ((f"#{Ids.EXPORT_WIDTH}", width), (f"#{Ids.EXPORT_HEIGHT}", height)):
        if value is not None:
            field = dash_duo.find_element(cid)
            dash_duo.wait_for_element(f"{cid}:not([disabled])")
            field.send_keys(Keys.CONTROL, "a")
            field.send_keys(str(value), Keys.TAB)  # debounce: the value lands on blur
    before = dash_duo.find_element(f"#{Ids.EXPORT_STATUS}").text
    dash_duo.find_element(f"#{Ids.EXPORT_BUTTON}").click()
    def changed() -> str:
        status = dash_duo.find_element(f"#{Ids.EXPORT_STATUS}").text
        return status if status and status != before else ""

    return until(changed, 90, "the export status to change")


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", blob[16:24])


def test_dashboard_downloads_the_current_view(dash_duo, app, ds) -> None:
    start(dash_duo, app, "?year=2019&powers=RUS")
    dash_duo.wait_for_contains_text(f"#{Ids.SUMMARY}", "2019 · ", timeout=20)
    folder = Path(dash_duo.download_path)

    status = export_from_panel(dash_duo, "csv")
    assert "africa-presence-2019-RUS.csv" in status, status
    rows = list(csv.DictReader(wait_for_download(folder, "africa-presence-2019-RUS.csv")
                               .open(encoding="utf-8")))
    inst = installation_states(ds, 2019, powers=["RUS"], states=ViewState(year=2019).statuses)
    agr = agreements_in_year(ds, 2019, powers=["RUS"])
    assert sorted(r["id"] for r in rows) == sorted([*inst["id"], *agr["id"]])

    status = export_from_panel(dash_duo, "png", width=800, height=600)
    assert "800×600 px" in status, status
    png = wait_for_download(folder, "africa-presence-2019-RUS.png").read_bytes()
    assert png_size(png) == (800, 600)

    # The panel follows the page: another year on the slider, another file.
    dash_duo.driver.get(dash_duo.server_url + "/?year=2016&powers=RUS&metric=agreements")
    dash_duo.wait_for_contains_text(f"#{Ids.SUMMARY}", "2016 · ", timeout=20)
    status = export_from_panel(dash_duo, "geojson")
    assert "africa-presence-2016-RUS.geojson" in status, status
    assert wait_for_download(folder, "africa-presence-2016-RUS.geojson").stat().st_size > 0
    assert dash_duo.get_logs() == []


def test_exported_html_works_offline_in_the_browser(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2021&powers=FRA,TUR")
    dash_duo.wait_for_contains_text(f"#{Ids.SUMMARY}", "2021 · ", timeout=20)
    status = export_from_panel(dash_duo, "html")
    assert "africa-presence-2021-FRA-TUR.html" in status, status
    page = wait_for_download(Path(dash_duo.download_path), "africa-presence-2021-FRA-TUR.html")
    # Open the file itself: it must draw the map with no server and no network behind it.
    dash_duo.driver.get(page.as_uri())
    dash_duo.wait_for_element(".js-plotly-plot .choroplethlocation", timeout=30)
    title = dash_duo.driver.execute_script(
        "return document.querySelector('.js-plotly-plot').layout.title.text")
    assert "2021" in title
    # The base map's ocean comes from the embedded topojson: a real outline drawn (the land
    # lies under the choropleth and is not drawn, see figures.map).
    for layer in ("ocean",):
        outline = dash_duo.driver.execute_script(
            "const p = document.querySelector(`.js-plotly-plot .geo .layer.${arguments[0]} "
            "path`); return p ? (p.getAttribute('d') || '').length : 0", layer)
        assert outline > 1000, f"the base map's {layer} did not draw"
    assert dash_duo.get_logs() == []


def test_bad_size_is_reported_in_the_panel(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2019")
    status = export_from_panel(dash_duo, "png", width=100000)
    assert "Not exported" in status and "4000" in status, status
    assert not list(Path(dash_duo.download_path).glob("*.png"))


def test_export_works_under_the_content_security_policy(dash_duo, app) -> None:
    """The hardened server (CSP: scripts by hash, no inline) still lets the panel export."""
    from flask import request

    from dashboard.web import security

    security.harden(app, report_uri="/_test/csp-report")
    reports: list[str] = []

    @app.server.route("/_test/csp-report", methods=["POST"])
    def collect() -> tuple[str, int]:
        reports.append(request.get_data(as_text=True))
        return "", 204

    start(dash_duo, app, "?year=2020&powers=CHN")
    status = export_from_panel(dash_duo, "png", width=640, height=480)
    assert "640×480 px" in status, status
    png = wait_for_download(Path(dash_duo.download_path), "africa-presence-2020-CHN.png")
    assert png_size(png.read_bytes()) == (640, 480)
    idle(dash_duo)  # a violation report would be sent before the page goes idle
    assert dash_duo.get_logs() == []
    assert reports == []
