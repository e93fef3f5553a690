"""No XSS: dataset text and link state that hold HTML or script are shown as inert text.

The dataset is edited by hand and a shared link is typed by anyone, so both are untrusted.
These tests load a dataset whose names, notes, summaries and source URLs carry script
payloads (each sets ``window.__xss`` or opens an alert if it ever runs), render every place
that text reaches (power legend, details panel, hover label, link note) in Chromium under
the app's CSP (and once without it, so escaping is proven on its own), and check that
nothing ran and the text reads literally.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from flask import Response
from selenium.common.exceptions import NoAlertPresentException

from dashboard.app import create_app
from dashboard.figures.map import INSTALLATIONS
from dashboard.ids import Ids
from geo.dataset import load_dataset
from tests.browser.waits import idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAME = "<script>window.__xss='name'</script>Doraleh base"
SITE = "<b>Doraleh</b>"
NOTES = "<img src=x onerror=\"window.__xss='notes';alert('notes')\"> javascript:alert(1)"
SOURCE = "https://example.org/\"><script>window.__xss='source'</script>"
POWER = "China <img src=x onerror=\"window.__xss='power'\">"
SUMMARY = "<svg onload=\"window.__xss='summary'\"></svg>Pact javascript:alert('summary')"
AGREEMENT_NOTES = "<iframe src=\"javascript:window.top.__xss='iframe'\"></iframe>"
AGREEMENT_SOURCE = "https://example.org/e?p=\"><svg/onload=alert(1)>&r=javascript:alert(1)"

#: Elements or attributes that only a successful injection could have created.
INJECTED = "script:not([src]):not([id]):not([type]), img[src='x'], [onerror], [onload], iframe"


@pytest.fixture
def hostile_data(make_data) -> Path:
    """The test dataset with payloads in every free-text field of one Djibouti record."""
    folder = make_data(
        installations={1: {"name": NAME, "site": SITE, "notes": NOTES,
                           "sources": f"https://example.org/c ; {SOURCE}"}},
        agreements={0: {"host_iso3": "DJI", "power": "CHN", "summary": SUMMARY,
                        "notes": AGREEMENT_NOTES, "sources": AGREEMENT_SOURCE}},
        powers={2: {"name": POWER}},
    )
    load_dataset(folder)  # the payloads are valid data: the validator is not the defence
    return folder


def _no_script_ran(dash_duo: Any) -> None:
    """No alert is open, no payload set window.__xss, no injected element exists."""
    driver = dash_duo.driver
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 (reading it is the check)
    assert driver.execute_script("return window.__xss") is None
    assert driver.execute_script(
        "return document.querySelectorAll(arguments[0]).length", INJECTED) == 0


@pytest.mark.parametrize("with_csp", [True, False], ids=["csp", "no-csp"])
def test_hostile_record_renders_as_text(dash_duo, hostile_data: Path, with_csp: bool) -> None:
    """Without the CSP too: escaping must hold on its own, the CSP is the second wall."""
    app = create_app(load_dataset(hostile_data))  # create_app sets the CSP
    if not with_csp:
        # Strip it again: registered first, this hook runs last (Flask runs them in reverse).
        def drop_csp(response: Response) -> Response:
            response.headers.pop("Content-Security-Policy", None)
            return response

        app.server.after_request_funcs.setdefault(None, []).insert(0, drop_csp)
    dash_duo.start_server(app)
    dash_duo.wait_for_element("#map .main-svg", timeout=30)

    # The power legend shows the name literally.
    dash_duo.wait_for_contains_text(".powers", POWER, timeout=10)

    # Select Djibouti so the details panel renders the record.
    dash_duo.select_dcc_dropdown(f"#{Ids.COUNTRY_SELECT}", value="Djibouti")
    dash_duo.wait_for_contains_text(f"#{Ids.DETAILS_TITLE}", "Djibouti", timeout=15)
    dash_duo.wait_for_contains_text(f"#{Ids.DETAILS_BODY}", NAME, timeout=15)
    body = dash_duo.find_element(f"#{Ids.DETAILS_BODY}").text
    for text in (NAME, SITE, NOTES, POWER, SUMMARY, AGREEMENT_NOTES):
        assert text in body, text

    # Source URLs are links (http(s) only) whose href is the exact URL, quotes and all.
    hrefs = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#details-body a'))"
        ".map(a => a.getAttribute('href'))")
    assert SOURCE in hrefs and AGREEMENT_SOURCE in hrefs
    assert not any(h.lower().startswith("javascript:") for h in hrefs)

    # The hover label of the installation marker (plotly hover text is a subset of HTML).
    hover = dash_duo.driver.execute_script(
        """
        const gd = document.querySelector('#map .js-plotly-plot');
        const i = gd.data[arguments[0]].text.findIndex(t => t.includes('Doraleh base'));
        Plotly.Fx.hover(gd, [{curveNumber: arguments[0], pointNumber: i}], 'geo');
        const layer = document.querySelector('#map .hoverlayer');
        return layer ? layer.textContent : '';
        """, INSTALLATIONS)
    assert "<script>window.__xss='name'</script>Doraleh base" in hover
    assert "<b>Doraleh</b>" in hover

    idle(dash_duo)  # every image loaded or failed: any payload's onerror/onload has fired
    _no_script_ran(dash_duo)
    assert dash_duo.get_logs() == []


def test_hostile_link_state_renders_as_text(dash_duo, hostile_data: Path) -> None:
    app = create_app(load_dataset(hostile_data))
    dash_duo.start_server(app)
    dash_duo.wait_for_element("#map .main-svg", timeout=30)
    query = (
        "?year=" + quote("<img src=x onerror=window.__xss=1>")
        + "&country=" + quote("<svg onload=alert(2)>")
        + "&metric=" + quote("javascript:alert(3)")
        + "&powers=" + quote("<script>window.__xss=4</script>")
    )
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_contains_text(f"#{Ids.URL_NOTE}", "partly invalid", timeout=15)
    note = dash_duo.find_element(f"#{Ids.URL_NOTE}").text
    assert "<img src=x onerror=window.__xss=1>" in note
    assert "javascript:alert(3)" in note
    assert "<svg onl" in note
    idle(dash_duo)
    _no_script_ran(dash_duo)
    assert dash_duo.get_logs() == []
