"""The dashboard on a phone, emulated as a mobile device (a plain 360 px window is not one):
layout assertions, not screenshots alone."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.ids import Ids
from tests.browser.waits import until

pytestmark = pytest.mark.browser

PHONES = [(360, 740), (390, 844)]


def emulate(dash_duo: Any, width: int, height: int) -> None:
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 2, "mobile": True})
    dash_duo.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True})


def rect(dash_duo: Any, selector: str) -> dict[str, float]:
    return dash_duo.driver.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,"
        " width: r.width, height: r.height};", selector)


@pytest.mark.parametrize(("width", "height"), PHONES)
def test_phone_first_screen(dash_duo, app, width: int, height: int) -> None:
    dash_duo.start_server(app)
    emulate(dash_duo, width, height)
    dash_duo.driver.get(dash_duo.server_url + "/?year=2019")
    dash_duo.wait_for_element(f"#{Ids.MAP} .choroplethlocation", timeout=30)
    js = dash_duo.driver.execute_script
    # No sideways scrolling.
    assert js("return document.documentElement.scrollWidth") <= width
    # The map takes at least half of the first screen.
    frame = rect(dash_duo, ".map-frame")
    visible = min(frame["bottom"], height) - max(frame["top"], 0)
    assert visible >= height / 2, frame
    # The whole continent and its islands are drawn inside the map frame.
    box = js("const b = document.querySelector('#map .choroplethlocation').closest('g')"
             ".getBoundingClientRect();"
             "return {left: b.left, right: b.right, top: b.top, bottom: b.bottom};")
    assert box["left"] >= frame["left"] - 1 and box["right"] <= frame["right"] + 1, (box, frame)
    # The play button is on the first screen, and the filters start folded behind a
    # control below it.
    play = rect(dash_duo, f"#{Ids.PLAY_BUTTON}")
    assert play["bottom"] <= height, play
    assert play["top"] < rect(dash_duo, f"#{Ids.FILTERS_TOGGLE}")["top"]
    assert js(f"return document.getElementById('{Ids.METRIC}').offsetParent") is None
    # The colour legend's title is not clipped by the map's edge.
    title = js("const t = document.querySelector('#map .colorbar .cbtitle text, #map .cbtitle');"
               "const r = t.getBoundingClientRect(); return {left: r.left, right: r.right};")
    assert title["left"] >= frame["left"] and title["right"] <= frame["right"], title
    # Controls people tap are at least 24 x 24 CSS px (WCAG 2.2, 2.5.8).
    small = js("""return Array.from(document.querySelectorAll(
        'button, input[type=checkbox], input[type=radio], [role=slider]'))
        .filter(e => e.offsetParent !== null)
        .map(e => [e.id || e.className || e.tagName, e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 24 || r.height < 24)
        .map(([n, r]) => n + ' ' + Math.round(r.width) + 'x' + Math.round(r.height));""")
    assert small == [], sorted(set(small))
    assert dash_duo.get_logs() == []


def test_phone_filters_unfold_and_fold(dash_duo, app) -> None:
    dash_duo.start_server(app)
    emulate(dash_duo, 360, 740)
    dash_duo.driver.get(dash_duo.server_url + "/?year=2019")
    dash_duo.wait_for_element(f"#{Ids.MAP} .choroplethlocation", timeout=30)
    toggle = dash_duo.find_element(f"#{Ids.FILTERS_TOGGLE}")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    dash_duo.wait_for_element(f"#{Ids.METRIC} input", timeout=10)
    assert dash_duo.find_element(f"#{Ids.METRIC}").is_displayed()
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    until(lambda: toggle.get_attribute("aria-expanded") == "false", timeout=10,
          what="the filters to close")
    assert not dash_duo.find_element(f"#{Ids.METRIC}").is_displayed()
    assert dash_duo.get_logs() == []


def test_desktop_never_folds_the_filters(dash_duo, app) -> None:
    dash_duo.start_server(app)
    dash_duo.driver.set_window_size(1366, 768)
    dash_duo.driver.get(dash_duo.server_url + "/?year=2019")
    dash_duo.wait_for_element(f"#{Ids.MAP} .choroplethlocation", timeout=30)
    assert dash_duo.find_element(f"#{Ids.METRIC}").is_displayed()
    assert not dash_duo.find_element(f"#{Ids.FILTERS_TOGGLE}").is_displayed()
