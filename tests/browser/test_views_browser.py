"""Map, Chart and Table in headless Chromium: tabs by mouse and keyboard, the URL and the back
button, a chart point moving the year, a table row opening its country, sorting and typing,
the phone, and an empty console after each."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard.ids import ROW_OPEN, SORT_BY, Ids
from tests.browser.test_map_browser import js, wait_summary_year, wait_until
from tests.browser.waits import idle, stable

pytestmark = pytest.mark.browser


def start(dash_duo: Any, app: Any, query: str, ready: str) -> None:
    dash_duo.start_server(app)
    dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element(ready, timeout=30)


def tab_of(dash_duo: Any) -> str:
    return js(dash_duo, f"return document.getElementById('{Ids.VIEWS}').className")


def url_params(dash_duo: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def pattern_id(kind: str, **key: str) -> str:
    return json.dumps({**key, "type": kind}, separators=(",", ":"), sort_keys=True)


def visible(dash_duo: Any, cid: str) -> bool:
    return js(dash_duo, "const e = document.getElementById(arguments[0]);"
                        "return !!e && e.offsetParent !== null;", cid)


def test_tabs_switch_views_keep_the_state_and_the_back_button_works(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2014&powers=RUS,FRA&country=MLI", "#map .choroplethlocation")
    dash_duo.find_element(f"#{Ids.TAB_CHART}").click()
    dash_duo.wait_for_element(f"#{Ids.CHART} .scatterlayer .trace", timeout=20)
    wait_until(lambda: url_params(dash_duo).get("tab") == ["chart"], what="tab=chart")
    params = url_params(dash_duo)
    assert params["year"] == ["2014"] and params["powers"] == ["FRA,RUS"]  # canonical order
    assert params["country"] == ["MLI"]  # the open country carries across
    assert not visible(dash_duo, Ids.MAP) and visible(dash_duo, Ids.CHART)
    assert js(dash_duo, f"return document.getElementById('{Ids.TAB_CHART}')"
                        ".getAttribute('aria-selected')") == "true"
    names = js(dash_duo, f"return Array.from(document.querySelectorAll('#{Ids.CHART} "
                         ".legendtext')).map(e => e.textContent)")
    assert sorted(names) == ["France", "Russia"]
    dash_duo.find_element(f"#{Ids.TAB_TABLE}").click()
    dash_duo.wait_for_element(f"#{Ids.COUNTRY_TABLE} tbody tr", timeout=20)
    wait_until(lambda: url_params(dash_duo).get("tab") == ["table"], what="tab=table")
    assert "2014" in dash_duo.find_element(f"#{Ids.COUNTRY_TABLE} caption").text
    # Back: the chart again, then the map, each with the same state.
    dash_duo.driver.back()
    wait_until(lambda: tab_of(dash_duo) == "views view-chart", what="back to the chart")
    dash_duo.driver.back()
    wait_until(lambda: tab_of(dash_duo) == "views view-map", what="back to the map")
    assert visible(dash_duo, Ids.MAP)
    wait_summary_year(dash_duo, 2014)
    assert dash_duo.get_logs() == []


def test_a_link_opens_the_chart_and_a_point_click_moves_the_year(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2019&powers=RUS&tab=chart", f"#{Ids.CHART} .scatterlayer .trace")
    assert tab_of(dash_duo) == "views view-chart"
    rule = lambda: js(dash_duo, f"return document.querySelector('#{Ids.CHART} .annotation-text')"  # noqa: E731
                                ".textContent")
    assert rule() == "2019"
    points = dash_duo.driver.find_elements("css selector",
                                           f"#{Ids.CHART} .scatterlayer .points path")
    assert len(points) == 27  # 2000-2026
    ActionChains(dash_duo.driver).move_to_element(points[10]).click().perform()  # 2010
    wait_summary_year(dash_duo, 2010)
    wait_until(lambda: rule() == "2010", what="the chart's rule at 2010")
    wait_until(lambda: url_params(dash_duo).get("year") == ["2010"], what="year=2010")
    # The map, shown again, is at the chart's year.
    dash_duo.find_element(f"#{Ids.TAB_MAP}").click()
    wait_until(lambda: visible(dash_duo, Ids.MAP), what="the map shown again")
    wait_summary_year(dash_duo, 2010)
    assert url_params(dash_duo).get("year") == ["2010"]
    assert dash_duo.get_logs() == []


def test_chart_of_one_country(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2019&country=DJI&tab=chart", f"#{Ids.CHART} .scatterlayer .trace")
    dash_duo.wait_for_text_to_equal(f"#{Ids.CHART_SCOPE} label:nth-of-type(2)", "Only Djibouti",
                                    timeout=15)
    dash_duo.find_element(f"#{Ids.CHART_SCOPE} label:nth-of-type(2) input").click()
    wait_until(lambda: "Djibouti" in js(dash_duo, f"return document.querySelector('#{Ids.CHART} "
                                                  ".ytitle').textContent") or js(
        dash_duo, f"return Math.max(...document.querySelector('#{Ids.CHART} .js-plotly-plot')"
                  ".data.flatMap(t => t.y))") == 1, what="the country's own chart")
    assert dash_duo.get_logs() == []


def test_table_sorts_filters_and_a_row_opens_its_country(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2019&tab=table", f"#{Ids.COUNTRY_TABLE} tbody tr")
    table = f"#{Ids.COUNTRY_TABLE}"
    assert len(dash_duo.driver.find_elements("css selector", f"{table} tbody tr")) == 56
    assert dash_duo.find_element(f"{table} caption").text.startswith("Countries in 2019.")
    headers = js(dash_duo, f"return Array.from(document.querySelectorAll('{table} thead th'))"
                           ".map(t => [t.getAttribute('scope'), t.getAttribute('aria-sort')])")
    assert all(scope == "col" for scope, _ in headers) and headers[-1][1] == "descending"
    # Sort by country name by keyboard: focus the header's button, press Enter.
    button = dash_duo.find_element(f"[id='{pattern_id(SORT_BY, column='name')}']")
    button.send_keys(Keys.ENTER)
    wait_until(lambda: js(dash_duo, f"return document.querySelector('{table} thead th')"
                                    ".getAttribute('aria-sort')") == "ascending", what="sorted")
    first = lambda: dash_duo.find_element(f"{table} tbody tr th").text  # noqa: E731
    wait_until(lambda: first() == "Algeria", what="Algeria first")
    # Type a power: only its host countries remain.
    box = dash_duo.find_element(f"#{Ids.TABLE_FILTER}")
    box.send_keys("djib")
    wait_until(lambda: len(dash_duo.driver.find_elements("css selector",
                                                         f"{table} tbody tr")) == 1,
               what="one row for 'djib'")
    assert "1 of 56" in dash_duo.find_element(f"{table} caption").text
    # A click anywhere on the row opens the details; so does Enter on its name.
    cell = dash_duo.find_element(f"{table} tbody tr td:nth-child(5)")
    ActionChains(dash_duo.driver).move_to_element(cell).click().perform()  # not the name
    dash_duo.wait_for_contains_text(f"#{Ids.DETAILS_TITLE}", "Djibouti", timeout=15)
    assert "country=DJI" in dash_duo.driver.current_url
    box.send_keys(Keys.CONTROL, "a")  # clear() would bypass React's change event
    box.send_keys("niger")
    wait_until(lambda: len(dash_duo.driver.find_elements("css selector",
                                                         f"{table} tbody tr")) == 2,
               what="Niger and Nigeria")
    dash_duo.find_element(f"[id='{pattern_id(ROW_OPEN, iso3='NGA')}']").send_keys(Keys.ENTER)
    dash_duo.wait_for_contains_text(f"#{Ids.DETAILS_TITLE}", "Nigeria", timeout=15)
    wait_until(lambda: js(dash_duo, f"return document.querySelector('{table} tr.selected th')"
                                    "?.textContent") == "Nigeria", what="row marked selected")
    assert dash_duo.get_logs() == []


def test_tabs_by_keyboard(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2019", "#map .choroplethlocation")
    tab = dash_duo.find_element(f"#{Ids.TAB_MAP}")
    tab.send_keys(Keys.ARROW_RIGHT)
    wait_until(lambda: tab_of(dash_duo) == "views view-chart", what="chart by arrow key")
    assert js(dash_duo, "return document.activeElement.id") == Ids.TAB_CHART
    dash_duo.find_element(f"#{Ids.TAB_CHART}").send_keys(Keys.END)
    wait_until(lambda: tab_of(dash_duo) == "views view-table", what="table by End")
    dash_duo.find_element(f"#{Ids.TAB_TABLE}").send_keys(Keys.HOME)
    wait_until(lambda: tab_of(dash_duo) == "views view-map", what="map by Home")
    assert dash_duo.get_logs() == []


def test_the_table_scrolls_inside_itself_on_a_phone(dash_duo, app) -> None:
    dash_duo.start_server(app)
    dash_duo.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    for tab, ready in (("table", f"#{Ids.COUNTRY_TABLE} tbody tr"),
                       ("chart", f"#{Ids.CHART} .scatterlayer .trace")):
        dash_duo.driver.get(dash_duo.server_url + f"/?year=2019&tab={tab}")
        dash_duo.wait_for_element(ready, timeout=30)
        idle(dash_duo)
        width = stable(lambda: js(dash_duo, "return document.documentElement.scrollWidth"))
        assert width <= 360, tab
    dash_duo.driver.get(dash_duo.server_url + "/?year=2019&tab=table")
    dash_duo.wait_for_element(f"#{Ids.COUNTRY_TABLE} tbody tr", timeout=30)
    box = js(dash_duo, f"const s = document.getElementById('{Ids.COUNTRY_TABLE}');"
                       "return [s.scrollWidth > s.clientWidth, s.scrollHeight > s.clientHeight,"
                       " s.getBoundingClientRect().right];")
    assert box[0] and box[1] and box[2] <= 360  # scrolls both ways, inside the page
    tabs = js(dash_duo, f"return Array.from(document.querySelectorAll('#{Ids.VIEW_TABS} "
                        "button')).map(b => b.getBoundingClientRect().height)")
    assert min(tabs) >= 24
    assert dash_duo.get_logs() == []
