"""The first visit as Chromium makes it: every preloaded file used (fetched once, not twice),
and on a desktop screen the continent fills most of its map frame."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dashboard.ids import Ids

pytestmark = pytest.mark.browser


def test_every_preload_is_used_and_fetched_once(dash_duo, app) -> None:
    dash_duo.start_server(app)
    dash_duo.driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    dash_duo.driver.get(dash_duo.server_url + "/")
    dash_duo.wait_for_element(f"#{Ids.MAP} .choroplethlocation", timeout=30)
    index = dash_duo.driver.execute_script("return document.head.innerHTML")
    preloads = re.findall(r'<link rel="preload" href="([^"]+)"', index)
    assert len(preloads) >= 6
    entries: list[dict[str, Any]] = dash_duo.driver.execute_script(
        "return performance.getEntriesByType('resource')"
        ".map(e => ({name: e.name, initiator: e.initiatorType}))")
    for href in preloads:
        hits = [e for e in entries if e["name"] == dash_duo.server_url + href]
        # A preload whose mode does not match the page's own request is fetched again.
        assert [e["initiator"] for e in hits] == ["link"], (href, hits)
    assert dash_duo.get_logs() == []


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_desktop_continent_fills_its_frame(dash_duo, app, width: int, height: int) -> None:
    dash_duo.start_server(app)
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    dash_duo.driver.get(dash_duo.server_url + "/?year=2019")
    dash_duo.wait_for_element(f"#{Ids.MAP} .choroplethlocation", timeout=30)
    sizes = dash_duo.driver.execute_script("""
        const f = document.querySelector('.map-frame').getBoundingClientRect();
        const c = document.querySelector('#map .choroplethlocation').closest('g')
            .getBoundingClientRect();
        const play = document.getElementById(arguments[0]).getBoundingClientRect();
        return {frame: [f.width, f.height], land: [c.width, c.height],
                inside: c.left >= f.left - 1 && c.right <= f.right + 1
                    && c.top >= f.top - 1 && c.bottom <= f.bottom + 1,
                playBottom: play.bottom};""", Ids.PLAY_BUTTON)
    (fw, fh), (lw, lh) = sizes["frame"], sizes["land"]
    assert sizes["inside"], sizes
    # Before 2.0 the continent took about half of a 1366 x 768 frame (a fixed-height map).
    assert lw * lh >= 0.6 * fw * fh, sizes
    # ... and the timeline's play button stays on the first screen.
    assert sizes["playBottom"] <= height, sizes
    assert dash_duo.get_logs() == []
