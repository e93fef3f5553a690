"""Compare and search in headless Chromium: compare by link and by the control, the list of
changes opening a record, the search driven by the keyboard to a record, and the URL."""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.keys import Keys

from dashboard.ids import Ids
from tests.browser.test_map_browser import js, wait_until
from tests.browser.test_views_browser import start, url_params

pytestmark = pytest.mark.browser

GD = "document.querySelector('#map .js-plotly-plot')"


def summary(dash_duo: Any) -> str:
    return dash_duo.find_element(f"#{Ids.SUMMARY}").text


def symbols(dash_duo: Any) -> set[str]:
    return set(js(dash_duo, f"return {GD}.data[2].marker.symbol") or [])


def test_compare_by_link_colours_the_change_and_lists_it(dash_duo, app, ds) -> None:
    start(dash_duo, app, "?year=2024&compare=2014", "#map .choroplethlocation")
    wait_until(lambda: summary(dash_duo).startswith("2014 → 2024: +"), what="compare headline")
    wait_until(lambda: "triangle-up" in symbols(dash_duo), what="new-site markers")
    assert {"triangle-down-open", "circle"} <= symbols(dash_duo)
    scale = js(dash_duo, f"return {GD}.data[0].colorbar.ticktext")
    assert scale[0].startswith("≤") and scale[-1].startswith("≥")
    legend = dash_duo.find_element(f"#{Ids.LEGEND}").text
    assert "Opened or announced between 2014 and 2024" in legend
    changes = dash_duo.find_element(f"#{Ids.CHANGES}")
    assert changes.is_displayed() and changes.text.startswith("2014 → 2024")
    # A record in the list opens in the details panel, highlighted, its id in the URL.
    button = dash_duo.find_element(f"#{Ids.CHANGES} button[id*='FR-MLI-1']")
    button.click()
    wait_until(lambda: url_params(dash_duo).get("record") == ["FR-MLI-1"], what="record=")
    picked = dash_duo.wait_for_element(f"#{Ids.DETAILS_BODY} .item.picked", timeout=20)
    assert "Gao" in picked.text and "Closed 2022" in picked.text
    assert url_params(dash_duo)["country"] == ["MLI"]
    assert url_params(dash_duo)["compare"] == ["2014"]
    assert dash_duo.get_logs() == []


def test_compare_by_control_and_back_off(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2022", "#map .choroplethlocation")
    assert not dash_duo.find_element(f"#{Ids.CHANGES}").is_displayed()
    dash_duo.select_dcc_dropdown(f"#{Ids.COMPARE_YEAR}", "2012")
    wait_until(lambda: url_params(dash_duo).get("compare") == ["2012"], what="compare=2012")
    wait_until(lambda: summary(dash_duo).startswith("2012 → 2022"), what="headline")
    wait_until(lambda: dash_duo.find_element(f"#{Ids.CHANGES}").is_displayed(), what="list")
    # The chart tab marks both years.
    dash_duo.find_element(f"#{Ids.TAB_CHART}").click()
    dash_duo.wait_for_element(f"#{Ids.CHART} .scatterlayer .trace", timeout=20)
    wait_until(lambda: len(js(dash_duo, f"return document.querySelector('#{Ids.CHART} "
                                        ".js-plotly-plot').layout.shapes") or []) == 2,
               what="two rules")
    # The table tab gains the change column.
    dash_duo.find_element(f"#{Ids.TAB_TABLE}").click()
    dash_duo.wait_for_element(f"#{Ids.COUNTRY_TABLE} tbody tr", timeout=20)
    wait_until(lambda: "Change 2012 → 2022" in dash_duo.find_element(
        f"#{Ids.COUNTRY_TABLE} thead").text, what="change column")
    dash_duo.find_element(f"#{Ids.TAB_MAP}").click()
    # Clearing the control leaves compare mode.
    dash_duo.find_element(f"#{Ids.COMPARE_YEAR} .dash-dropdown-clear, "
                          f"#{Ids.COMPARE_YEAR} [aria-label='Clear selection'], "
                          f"#{Ids.COMPARE_YEAR} .Select-clear").click()
    wait_until(lambda: "compare" not in url_params(dash_duo), what="compare gone")
    wait_until(lambda: summary(dash_duo).startswith("2022 ·"), what="single-year headline")
    wait_until(lambda: not dash_duo.find_element(f"#{Ids.CHANGES}").is_displayed(),
               what="list hidden")
    assert dash_duo.get_logs() == []


def test_a_bad_compare_link_falls_back_with_a_note(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2020&compare=2020", "#map .choroplethlocation")
    wait_until(lambda: "Compare year 2020 is the year shown" in dash_duo.find_element(
        f"#{Ids.URL_NOTE}").text, what="note")
    assert summary(dash_duo).startswith("2020 ·")
    assert dash_duo.get_logs() == []


def test_search_by_keyboard_to_a_record(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2026", "#map .choroplethlocation")
    box = dash_duo.find_element(f"#{Ids.SEARCH}")
    assert box.get_attribute("role") == "combobox"
    box.send_keys("Gao desert")
    dash_duo.wait_for_element(f"#{Ids.SEARCH_RESULTS} .search-hit", timeout=20)
    wait_until(lambda: "Gao desert" in dash_duo.find_element(
        f"#{Ids.SEARCH_RESULTS}").text, what="hit")
    box.send_keys(Keys.ARROW_DOWN)
    active = dash_duo.find_element(f"#{Ids.SEARCH_RESULTS} .search-hit.active")
    assert active.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == active.get_attribute("id")
    box.send_keys(Keys.ENTER)
    # Gao (France) closed in 2022: the year moves to 2022, Mali's details open on the record.
    wait_until(lambda: url_params(dash_duo).get("record") == ["FR-MLI-1"], what="record=")
    assert url_params(dash_duo)["year"] == ["2022"]
    picked = dash_duo.wait_for_element(f"#{Ids.DETAILS_BODY} .item.picked", timeout=20)
    assert "Gao" in picked.text
    wait_until(lambda: box.get_attribute("value") == "", what="box emptied")
    # Escape empties the box and closes the results.
    box.send_keys("Agalega")
    dash_duo.wait_for_element(f"#{Ids.SEARCH_RESULTS} .search-hit", timeout=20)
    assert "Agaléga" in dash_duo.find_element(f"#{Ids.SEARCH_RESULTS}").text
    box.send_keys(Keys.ESCAPE)
    wait_until(lambda: box.get_attribute("value") == "", what="escape empties")
    wait_until(lambda: not dash_duo.driver.find_elements(
        "css selector", f"#{Ids.SEARCH_RESULTS} .search-hit"), what="results closed")
    # The details panel stayed open (Escape in the box is the box's).
    assert "open" in dash_duo.find_element(f"#{Ids.DETAILS}").get_attribute("class")
    assert dash_duo.get_logs() == []


def test_a_shared_record_link_opens_on_the_record(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2019&record=US-DJI-1", "#map .choroplethlocation")
    picked = dash_duo.wait_for_element(f"#{Ids.DETAILS_BODY} .item.picked", timeout=20)
    assert "Lemonnier" in picked.text
    assert url_params(dash_duo).get("record") == ["US-DJI-1"]
    # Picking a power from the search filters to it.
    box = dash_duo.find_element(f"#{Ids.SEARCH}")
    box.send_keys("Turkey")
    dash_duo.wait_for_element(f"#{Ids.SEARCH_RESULTS} .search-hit", timeout=20)
    box.send_keys(Keys.ENTER)
    wait_until(lambda: url_params(dash_duo).get("powers") == ["TUR"], what="powers=TUR")
    assert dash_duo.get_logs() == []


def test_personnel_metric_by_link_and_control(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2020", "#map .choroplethlocation")
    dash_duo.find_element(f"#{Ids.METRIC} input[value='personnel']").click()
    wait_until(lambda: url_params(dash_duo).get("metric") == ["personnel"], what="metric=")
    wait_until(lambda: "n.p." in (js(dash_duo, f"return {GD}.data[0].colorbar.ticktext")
                                  or []), what="not-published class")
    legend = dash_duo.find_element(f"#{Ids.LEGEND}").text
    assert "Marker area = personnel" in legend and "not published" in legend
    sizes = js(dash_duo, f"return {GD}.data[2].marker.size")
    assert isinstance(sizes, list) and max(sizes) > 20
    # Details list a record's series with sources.
    dash_duo.select_dcc_dropdown(f"#{Ids.COUNTRY_SELECT}", "Djibouti")
    block = dash_duo.wait_for_element(f"#{Ids.DETAILS_BODY} details.personnel", timeout=20)
    block.find_element("css selector", "summary").click()
    assert "troops" in block.text or "mixed" in block.text
    assert block.find_elements("css selector", "a[href^='http']")
    # Back to another metric: the legend loses its size key.
    dash_duo.find_element(f"#{Ids.METRIC} input[value='powers']").click()
    wait_until(lambda: "Marker area" not in dash_duo.find_element(f"#{Ids.LEGEND}").text,
               what="size key gone")
    assert dash_duo.get_logs() == []
