"""The dashboard in headless Chromium: URLs, slider, filters, play, clicks, console.

Run with ``pytest --headless tests/browser``. Every test ends by asserting an empty
browser console: a map whose base topojson failed to load (plotly would fetch it from its CDN)
logs an error there, as does any failing callback.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard.figures.map import AGREEMENTS, COUNTRIES, INSTALLATIONS
from dashboard.ids import Ids
from tests.browser.waits import idle, prop, stable, until

pytestmark = pytest.mark.browser

GD = "document.querySelector('#map .js-plotly-plot')"


def open_page(dash_duo: Any, app: Any, query: str = "") -> None:
    """Start the app, open ``/?query`` and wait for the map to be drawn."""
    dash_duo.start_server(app)
    if query:
        dash_duo.driver.get(dash_duo.server_url + "/" + query)
    dash_duo.wait_for_element("#map .choroplethlocation", timeout=30)


def js(dash_duo: Any, script: str, *args: Any) -> Any:
    return dash_duo.driver.execute_script(script, *args)


def summary(dash_duo: Any) -> str:
    return dash_duo.find_element(f"#{Ids.SUMMARY}").text


def wait_summary_year(dash_duo: Any, year: int, timeout: float = 15) -> None:
    dash_duo.wait_for_contains_text(f"#{Ids.SUMMARY}", f"{year} · ", timeout=timeout)


def query(dash_duo: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def wait_until(check: Any, timeout: float = 15, what: str = "condition") -> None:
    until(check, timeout, what)


def shown_powers(dash_duo: Any) -> set[str]:
    """Marker colours of the installations drawn now (hidden ones have a null latitude)."""
    colors = js(dash_duo, f"""
        const t = {GD}.data[{INSTALLATIONS}];
        return t.lat.map((lat, i) => lat === null ? null : t.marker.color[i]).filter(Boolean);
    """)
    return set(colors)


def country_value(dash_duo: Any, iso3: str, key: str = "z") -> Any:
    return js(dash_duo, f"""
        const t = {GD}.data[{COUNTRIES}];
        return t[arguments[1]][t.locations.indexOf(arguments[0])];
    """, iso3, key)


# --------------------------------------------------------------------------- URL state


def test_url_with_params_opens_that_view(dash_duo, app, ds) -> None:
    open_page(dash_duo, app, "?year=2019&powers=RUS,FRA")
    wait_summary_year(dash_duo, 2019)
    text = summary(dash_duo)
    assert "installations" in text and "agreements" in text and "countries" in text
    assert "France, Russia" in text
    palette = dict(zip(ds.powers["code"], ds.powers["color"], strict=True))
    wait_until(lambda: shown_powers(dash_duo) == {palette["FRA"], palette["RUS"]},
               what="only French and Russian markers")
    checked = js(dash_duo, "return Array.from(document.querySelectorAll("
                 "'#power-filter input:checked')).map(e => e.value)")
    assert sorted(checked) == ["FRA", "RUS"]
    assert dash_duo.find_element(f"#{Ids.YEAR_SLIDER}") is not None
    # France is still in Mali in 2019 (French bases closed in 2021-2022).
    assert "France" in country_value(dash_duo, "MLI", "customdata")
    # The geometry comes from its fingerprinted URL (cached for a year), survives the
    # patches, and every country is drawn from it.
    assert js(dash_duo, f"return {GD}.data[{COUNTRIES}].geojson").startswith("/_geometry/")
    assert js(dash_duo, "return document.querySelectorAll('#map .choroplethlocation')"
                        ".length") == len(ds.countries)
    assert dash_duo.find_element(f"#{Ids.URL_NOTE}").text == ""
    assert dash_duo.get_logs() == []


def test_invalid_url_falls_back_with_note(dash_duo, app, ds) -> None:
    open_page(dash_duo, app, "?year=banana&powers=XXX,RUS&metric=nope")
    dash_duo.wait_for_contains_text(f"#{Ids.URL_NOTE}", "partly invalid", timeout=15)
    note = dash_duo.find_element(f"#{Ids.URL_NOTE}").text
    assert "banana" in note and "XXX" in note and "nope" in note
    wait_summary_year(dash_duo, ds.latest_year)
    assert "Russia" in summary(dash_duo)
    assert dash_duo.get_logs() == []


def test_default_view_is_latest_year_all_powers(dash_duo, app, ds) -> None:
    open_page(dash_duo, app)
    wait_summary_year(dash_duo, ds.latest_year)
    assert f"{len(ds.powers)} powers" in summary(dash_duo) or "powers" in summary(dash_duo)
    assert js(dash_duo, "return document.querySelectorAll('#power-filter input:checked')"
                        ".length") == len(ds.powers)
    assert dash_duo.get_logs() == []


# --------------------------------------------------------------------------- timeline


def test_slider_moves_with_the_keyboard_and_updates_url(dash_duo, app) -> None:
    open_page(dash_duo, app, "?year=2019")
    wait_summary_year(dash_duo, 2019)
    handle = dash_duo.find_element("#year-slider [role='slider']")
    handle.send_keys(Keys.ARROW_LEFT)
    wait_summary_year(dash_duo, 2018)
    wait_until(lambda: query(dash_duo).get("year") == ["2018"], what="year=2018 in the URL")
    handle.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    wait_summary_year(dash_duo, 2020)
    wait_until(lambda: query(dash_duo).get("year") == ["2020"], what="year=2020 in the URL")
    # The hover line says the year the map shows.
    assert "2020" in js(dash_duo, f"return {GD}.data[{INSTALLATIONS}].hovertemplate")
    assert dash_duo.get_logs() == []


def test_year_changes_what_is_drawn(dash_duo, app, ds) -> None:
    """China's Djibouti base: planned in 2016, active from 2017."""
    open_page(dash_duo, app, "?year=2016&powers=CHN")
    wait_summary_year(dash_duo, 2016)
    index = list(ds.installations["id"]).index("CN-DJI-1")

    def symbol() -> str:
        return js(dash_duo, f"return {GD}.data[{INSTALLATIONS}].marker.symbol[arguments[0]]",
                  index)

    wait_until(lambda: symbol() == "circle-open", what="planned marker in 2016")
    dash_duo.find_element("#year-slider [role='slider']").send_keys(Keys.ARROW_RIGHT)
    wait_summary_year(dash_duo, 2017)
    wait_until(lambda: symbol() == "circle", what="active marker in 2017")
    assert dash_duo.get_logs() == []


def test_play_steps_stops_at_the_end_and_restarts(dash_duo, app, ds) -> None:
    lo, hi = ds.year_range
    open_page(dash_duo, app, f"?year={hi - 2}")
    wait_summary_year(dash_duo, hi - 2)
    button = dash_duo.find_element(f"#{Ids.PLAY_BUTTON}")
    assert "Play" in button.text
    button.click()
    dash_duo.wait_for_contains_text(f"#{Ids.PLAY_BUTTON}", "Pause", timeout=5)
    wait_summary_year(dash_duo, hi - 1, timeout=10)
    wait_summary_year(dash_duo, hi, timeout=10)
    dash_duo.wait_for_contains_text(f"#{Ids.PLAY_BUTTON}", "Play", timeout=10)  # stopped at the end
    wait_until(lambda: query(dash_duo).get("year") == [str(hi)], what="final year in the URL")
    # Stopped means the timer is off in the renderer and nothing is in flight.
    wait_until(lambda: prop(dash_duo, Ids.PLAY_TIMER, "disabled") is True, what="timer off")
    idle(dash_duo)
    assert summary(dash_duo).startswith(f"{hi} · ")
    # Play at the end starts over from the first year; pause holds the year.
    button.click()
    wait_summary_year(dash_duo, lo, timeout=10)
    dash_duo.wait_for_contains_text(f"#{Ids.PLAY_BUTTON}", "Pause", timeout=5)
    button.click()
    dash_duo.wait_for_contains_text(f"#{Ids.PLAY_BUTTON}", "Play", timeout=5)
    wait_until(lambda: prop(dash_duo, Ids.PLAY_TIMER, "disabled") is True, what="timer off")
    idle(dash_duo)
    held = summary(dash_duo).split(" · ")[0]
    assert prop(dash_duo, Ids.PLAY_TIMER, "disabled") is True  # no further step can come
    assert summary(dash_duo).split(" · ")[0] == held
    wait_until(lambda: query(dash_duo).get("year") == [held], what="paused year in the URL")
    assert dash_duo.get_logs() == []


# --------------------------------------------------------------------------- filters


def test_power_filter_updates_map_summary_and_url(dash_duo, app, ds) -> None:
    open_page(dash_duo, app, "?year=2019")
    wait_summary_year(dash_duo, 2019)
    dash_duo.find_element(f"#{Ids.POWERS_NONE}").click()
    wait_until(lambda: query(dash_duo).get("powers") == ["none"], what="powers=none")
    wait_until(lambda: shown_powers(dash_duo) == set(), what="no markers")
    assert summary(dash_duo).startswith("2019 · 0 powers")
    # Tick China in the list.
    box = dash_duo.driver.find_element(By.CSS_SELECTOR, "#power-filter input[value='CHN']")
    box.click()
    wait_until(lambda: query(dash_duo).get("powers") == ["CHN"], what="powers=CHN")
    palette = dict(zip(ds.powers["code"], ds.powers["color"], strict=True))
    wait_until(lambda: shown_powers(dash_duo) == {palette["CHN"]}, what="Chinese markers")
    dash_duo.wait_for_contains_text(f"#{Ids.SUMMARY}", "China", timeout=10)
    dash_duo.find_element(f"#{Ids.POWERS_ALL}").click()
    wait_until(lambda: "powers" not in query(dash_duo), what="all powers: no powers= in URL")
    assert dash_duo.get_logs() == []


def test_layers_metric_and_closed_toggles(dash_duo, app) -> None:
    open_page(dash_duo, app, "?year=2024")
    wait_summary_year(dash_duo, 2024)
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#layers input[value='installations']").click()
    wait_until(lambda: js(dash_duo, f"return {GD}.data[{INSTALLATIONS}].visible") is False,
               what="installations hidden")
    assert "installations" not in summary(dash_duo)
    wait_until(lambda: query(dash_duo).get("layers") == ["countries,agreements"],
               what="layers in URL")
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#metric input[value='agreements']").click()
    wait_until(lambda: js(dash_duo, f"return {GD}.data[{COUNTRIES}].colorbar.title.text")
               == "Agreements in force", what="agreements colour bar")
    dash_duo.driver.find_element(By.CSS_SELECTOR, "#show-closed input").click()
    wait_until(lambda: query(dash_duo).get("closed") == ["1"], what="closed=1")
    assert js(dash_duo, f"return {GD}.data[{AGREEMENTS}].visible") is True
    assert dash_duo.get_logs() == []


# --------------------------------------------------------------------------- details


def click_country(dash_duo: Any, iso3: str) -> None:
    """A real mouse click on the country's shape (at a point inside it, off the markers)."""
    js(dash_duo, "document.getElementById('map').scrollIntoView({block: 'center'})")
    stable(lambda: js(dash_duo, "return document.getElementById('map')"
                                ".getBoundingClientRect().top"), what="the map to stop scrolling")
    point = js(dash_duo, """
        const paths = Array.from(document.querySelectorAll('#map .choroplethlocation'));
        const path = paths.find(p => p.__data__ && p.__data__.loc === arguments[0]);
        const box = path.getBoundingClientRect();
        const inverse = path.getScreenCTM().inverse();
        const inside = (x, y) => {
          const p = new DOMPoint(x, y).matrixTransform(inverse);
          return path.isPointInFill(p);
        };
        // Markers sit on top of some shapes: keep clear of them (plotly hovers markers first).
        const dots = Array.from(document.querySelectorAll('#map .scattergeo .point'))
          .map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
        const clear = (x, y) => dots.every(r => Math.hypot(x - (r.left + r.width / 2),
                                                       y - (r.top + r.height / 2)) > 25);
        let best = null;
        for (let fy = 0.1; fy < 0.95; fy += 0.05) {
          for (let fx = 0.1; fx < 0.95; fx += 0.05) {
            const x = box.left + fx * box.width, y = box.top + fy * box.height;
            if (inside(x, y)) {
              if (clear(x, y)) { return [x, y]; }
              best = best || [x, y];
            }
          }
        }
        return best;
    """, iso3)
    assert point, f"no clickable point inside {iso3}"
    actions = ActionBuilder(dash_duo.driver)
    actions.pointer_action.move_to_location(int(point[0]), int(point[1]))
    actions.pointer_action.pause(0.3)  # let plotly register the hover before the click
    actions.pointer_action.click()
    actions.perform()


def choose_country(dash_duo: Any, name: str) -> None:
    """Pick a country in the details dropdown with the keyboard: type, then Enter."""
    dash_duo.find_element(f"#{Ids.COUNTRY_SELECT}").click()
    search = dash_duo.wait_for_element(".dash-dropdown-search", timeout=5)
    search.send_keys(name)
    # The dropdown filters as it is typed into: wait until its first option is the country.
    wait_until(lambda: js(dash_duo, """
        const o = document.querySelector('.dash-dropdown-option');
        return o ? o.textContent.trim() : '';""").startswith(name), what=f"option {name}")
    search.send_keys(Keys.ENTER)


def test_click_country_opens_details(dash_duo, app) -> None:
    open_page(dash_duo, app, "?year=2019")
    wait_summary_year(dash_duo, 2019)
    click_country(dash_duo, "MLI")
    dash_duo.wait_for_text_to_equal(f"#{Ids.DETAILS_TITLE}", "Mali, 2019", timeout=15)
    dash_duo.wait_for_contains_text(f"#{Ids.DETAILS_BODY}", "Gao", timeout=15)
    body = dash_duo.find_element(f"#{Ids.DETAILS_BODY}").text
    assert "Installations" in body and "Agreements in force" in body and "Russia" in body
    links = dash_duo.driver.find_elements(By.CSS_SELECTOR, "#details-body a")
    assert links
    for link in links:
        assert link.get_attribute("href").startswith(("http://", "https://"))
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"
    wait_until(lambda: query(dash_duo).get("country") == ["MLI"], what="country=MLI")
    assert "details open" in dash_duo.find_element(f"#{Ids.DETAILS}").get_attribute("class")
    # The selected country is outlined on the map.
    width = js(dash_duo, f"""
        const t = {GD}.data[{COUNTRIES}];
        return t.marker.line.width[t.locations.indexOf('MLI')];
    """)
    assert width > 1
    # The year moves, the panel follows.
    dash_duo.find_element("#year-slider [role='slider']").send_keys(Keys.ARROW_RIGHT)
    dash_duo.wait_for_text_to_equal(f"#{Ids.DETAILS_TITLE}", "Mali, 2020", timeout=15)
    # Close (button), then re-open from the dropdown, then Escape.
    dash_duo.find_element(f"#{Ids.DETAILS_CLOSE}").click()
    dash_duo.wait_for_text_to_equal(f"#{Ids.DETAILS_TITLE}", "Country details", timeout=10)
    wait_until(lambda: "country" not in query(dash_duo), what="country gone from URL")
    click_country(dash_duo, "MLI")  # the same country again, after closing, reopens it
    dash_duo.wait_for_text_to_equal(f"#{Ids.DETAILS_TITLE}", "Mali, 2020", timeout=15)
    choose_country(dash_duo, "Djibouti")
    dash_duo.wait_for_text_to_equal(f"#{Ids.DETAILS_TITLE}", "Djibouti, 2020", timeout=15)
    dash_duo.wait_for_contains_text(f"#{Ids.DETAILS_BODY}", "Camp Lemonnier", timeout=15)
    dash_duo.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)
    dash_duo.wait_for_text_to_equal(f"#{Ids.DETAILS_TITLE}", "Country details", timeout=10)
    assert dash_duo.get_logs() == []


def test_country_link_opens_details(dash_duo, app) -> None:
    open_page(dash_duo, app, "?year=2017&country=DJI&powers=CHN")
    dash_duo.wait_for_text_to_equal(f"#{Ids.DETAILS_TITLE}", "Djibouti, 2017", timeout=15)
    dash_duo.wait_for_contains_text(f"#{Ids.DETAILS_BODY}", "PLA", timeout=15)
    assert "Camp Lemonnier" not in dash_duo.find_element(f"#{Ids.DETAILS_BODY}").text
    assert dash_duo.get_logs() == []


def test_back_button_restores_previous_view(dash_duo, app) -> None:
    open_page(dash_duo, app, "?year=2019")
    wait_summary_year(dash_duo, 2019)
    dash_duo.find_element("#year-slider [role='slider']").send_keys(Keys.ARROW_LEFT)
    wait_summary_year(dash_duo, 2018)
    wait_until(lambda: query(dash_duo).get("year") == ["2018"], what="year=2018")
    dash_duo.driver.back()
    wait_summary_year(dash_duo, 2019)
    assert js(dash_duo, "return document.querySelector('#year-slider [role=slider]')"
                        ".getAttribute('aria-valuenow')") == "2019"
    assert dash_duo.get_logs() == []


# --------------------------------------------------------------------------- offline


def test_nothing_leaves_the_machine(dash_duo, app) -> None:
    open_page(dash_duo, app, "?year=2019")
    wait_summary_year(dash_duo, 2019)
    urls = js(dash_duo, "return performance.getEntriesByType('resource').map(e => e.name)")
    base = dash_duo.server_url
    assert urls, "no resources recorded"
    outside = [u for u in urls if not u.startswith(base)]
    assert outside == []
    # plotly's base map comes from the app, under its fingerprinted (long-cached) folder.
    assert any(re.search(r"/_static/topojson-[0-9a-f]{12}/africa_50m\.json$", u) for u in urls)
    assert js(dash_duo, "return document.querySelectorAll('#map .layer.ocean path').length") > 0
    titles = js(dash_duo, "return Array.from(document.querySelectorAll('#map .modebar-btn'))"
                          ".map(b => b.getAttribute('data-title'))")
    assert titles and not any("Share" in (t or "") for t in titles)
    assert dash_duo.get_logs() == []


def test_map_follows_its_frame_without_a_window_resize(dash_duo, app) -> None:
    """The frame changes size without a window resize (details panel, scrollbar, rotation):
    dcc.Graph(responsive=True) refits the plot by itself, no script of ours needed."""
    open_page(dash_duo, app, "?year=2019")

    def plot_width() -> float:
        return js(dash_duo, f"return {GD}._fullLayout.width;")

    before = plot_width()
    js(dash_duo, "document.querySelector('.map-frame').style.width = '420px';")
    wait_until(lambda: abs(plot_width() - 420) <= 2, what="the plot to shrink to 420 px")
    js(dash_duo, "document.querySelector('.map-frame').style.width = '';")
    wait_until(lambda: abs(plot_width() - before) <= 2, what="the plot to grow back")
    assert dash_duo.get_logs() == []
