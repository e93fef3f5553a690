"""French, embed and share in headless Chromium: the whole page in French with no English
left in the controls (checked against the catalog), the language switch and the link, no
French label overflowing its control on a 360 px phone, the embed view inside a real iframe
of another local origin (allowed by --frame-ancestors, refused without), and the copy
buttons."""

from __future__ import annotations

import http.server
import threading
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from selenium.webdriver.common.actions.action_builder import ActionBuilder

from bench.processes import free_port
from dashboard.ids import Ids
from dashboard.view.i18n import LOCALE_DIR
from tests.browser.test_map_browser import js, wait_until
from tests.browser.test_phone_browser import emulate
from tests.browser.test_views_browser import start, url_params
from tests.browser.waits import stable, until

pytestmark = pytest.mark.browser

#: Rendered text of the controls, one string per element that holds text directly.
CONTROL_TEXT = """
const sel = 'label, button, legend, summary, h1, h2, h3, .tab, [role=option], th, caption,'
  + ' .dash-dropdown-placeholder, .Select-placeholder, .legend li, .hint, .credit, p.summary';
const out = [];
for (const el of document.querySelectorAll(sel)) {
  if (el.offsetParent === null) continue;
  if (el.closest('.details-body .item, .notes, .sources, .changes .pick')) continue;
  for (const node of el.childNodes) {
    if (node.nodeType === 3 && node.textContent.trim()) out.push(node.textContent.trim());
  }
}
for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
  if (el.offsetParent !== null && el.placeholder) out.push(el.placeholder);
}
return out;
"""


#: A point inside a country's shape, clear of markers, in the page's viewport.
FIND_POINT = """
const path = Array.from(document.querySelectorAll('#map .choroplethlocation'))
  .find(p => p.__data__ && p.__data__.loc === arguments[0]);
const box = path.getBoundingClientRect(), inverse = path.getScreenCTM().inverse();
const dots = Array.from(document.querySelectorAll('#map .scattergeo .point'))
  .map(e => e.getBoundingClientRect()).filter(r => r.width > 0);
for (let fy = 0.1; fy < 0.95; fy += 0.05) {
  for (let fx = 0.1; fx < 0.95; fx += 0.05) {
    const x = box.left + fx * box.width, y = box.top + fy * box.height;
    if (path.isPointInFill(new DOMPoint(x, y).matrixTransform(inverse)) && dots.every(
        r => Math.hypot(x - r.left - r.width / 2, y - r.top - r.height / 2) > 25)) {
      return [x, y];
    }
  }
}
return null;
"""


def english_only() -> set[str]:
    """Catalog strings whose French differs (a label still equal to one is untranslated)."""
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f)
    out = set()
    for m in catalog:
        ids = m.id if isinstance(m.id, list | tuple) else (m.id,)
        strings = m.string if isinstance(m.string, list | tuple) else (m.string,)
        if m.id and "{" not in ids[0] and all(s != ids[0] for s in strings):
            out.update(i.strip() for i in ids)
    return out


def test_the_whole_page_in_french(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2019&lang=fr&country=MLI", "#map .choroplethlocation")
    assert js(dash_duo, "return document.documentElement.lang") == "fr"
    assert dash_duo.find_element("h1").text == "Présence militaire étrangère en Afrique"
    wait_until(lambda: "puissances" in dash_duo.find_element(f"#{Ids.SUMMARY}").text,
               what="French headline")
    dash_duo.wait_for_element(f"#{Ids.DETAILS_BODY} .item", timeout=20)
    # Open every folded part, then walk the visible text of the controls.
    for summary in dash_duo.driver.find_elements("css selector", "details > summary"):
        if summary.is_displayed():
            summary.click()
    left = sorted({text for text in js(dash_duo, CONTROL_TEXT) if text in english_only()})
    assert left == [], f"English left in the French page: {left}"
    hover = js(dash_duo, "return document.querySelector('#map .js-plotly-plot')"
                         ".data[0].hovertemplate")
    assert "Cliquez pour le détail" in hover
    assert "Tchad" in js(dash_duo, "return document.querySelector('#map .js-plotly-plot')"
                                   ".data[0].text.join(' ')")
    # The chart and the table in French too.
    dash_duo.find_element(f"#{Ids.TAB_TABLE}").click()
    dash_duo.wait_for_element(f"#{Ids.COUNTRY_TABLE} tbody tr", timeout=20)
    left = sorted({text for text in js(dash_duo, CONTROL_TEXT) if text in english_only()})
    assert left == [], f"English left in the French table: {left}"
    assert "Pays en 2019" in dash_duo.find_element(f"#{Ids.COUNTRY_TABLE} caption").text
    assert dash_duo.get_logs() == []


def test_language_switch_and_link_round_trip(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2016&powers=FRA", "#map .choroplethlocation")
    assert js(dash_duo, "return document.documentElement.lang") == "en"
    dash_duo.find_element(f"#{Ids.LANG_SELECT} input[value='fr']").click()
    wait_until(lambda: url_params(dash_duo).get("lang") == ["fr"], what="lang=fr")
    wait_until(lambda: js(dash_duo, "return document.documentElement.lang") == "fr",
               what="page reloaded in French")
    dash_duo.wait_for_element("#map .choroplethlocation", timeout=30)
    params = url_params(dash_duo)
    assert params["year"] == ["2016"] and params["powers"] == ["FRA"]  # same view
    # An interaction keeps lang=fr in the link (a shared link stays French).
    dash_duo.find_element(f"#{Ids.TAB_CHART}").click()
    wait_until(lambda: url_params(dash_duo).get("tab") == ["chart"], what="tab=chart")
    assert url_params(dash_duo)["lang"] == ["fr"]
    wait_until(lambda: "Graphique" in dash_duo.find_element(f"#{Ids.TAB_CHART}").text,
               what="French tab")
    # And back to English.
    dash_duo.find_element(f"#{Ids.LANG_SELECT} input[value='en']").click()
    wait_until(lambda: js(dash_duo, "return document.documentElement.lang") == "en",
               what="page reloaded in English")
    assert dash_duo.get_logs() == []


def test_no_french_label_overflows_its_control_on_a_phone(dash_duo, app) -> None:
    dash_duo.start_server(app)
    emulate(dash_duo, 360, 740)
    dash_duo.driver.get(dash_duo.server_url + "/?year=2020&lang=fr&compare=2014")
    dash_duo.wait_for_element(f"#{Ids.MAP} .choroplethlocation", timeout=30)
    dash_duo.find_element(f"#{Ids.FILTERS_TOGGLE}").click()
    for summary in dash_duo.driver.find_elements("css selector", ".sidebar details > summary"):
        summary.click()
    overflow = js(dash_duo, """
      return Array.from(document.querySelectorAll(
          'button, label, .tab, summary, legend, .dash-dropdown, select, input'))
        .filter(e => e.offsetParent !== null && !e.closest('.visually-hidden')
                     && !e.readOnly && e.type !== 'search')
        .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX
                     !== 'auto')
        .map(e => (e.id || e.className || e.tagName) + ': ' + e.textContent.slice(0, 40));""")
    assert overflow == [], overflow
    assert js(dash_duo, "return document.documentElement.scrollWidth") <= 360
    assert dash_duo.get_logs() == []


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def host_page(tmp_path: Path):
    """A news site on another local port: its page embeds the dashboard in iframes."""
    port = free_port()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", port), partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def publish(dashboard_url: str) -> str:
        frames = "".join(
            f'<iframe id="w{w}" src="{dashboard_url}" title="map" width="{w}" height="600" '
            f'loading="lazy" style="border:0;display:block"></iframe>' for w in (320, 1200))
        (tmp_path / "index.html").write_text(
            '<!doctype html><meta name="viewport" content="width=device-width">'
            f"<body style='margin:0;width:1240px'>{frames}</body>", "utf-8")
        return f"http://127.0.0.1:{port}/index.html"

    publish.origin = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    yield publish
    server.shutdown()


def _inside(dash_duo: Any, frame_id: str) -> dict[str, Any]:
    driver = dash_duo.driver
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.find_element("id", frame_id))
    return driver.execute_script("""
      const map = document.querySelector('#map .choroplethlocation');
      const link = document.getElementById('full-link');
      return {map: !!map, width: document.documentElement.scrollWidth,
              height: document.documentElement.scrollHeight,
              sidebar: !!document.querySelector('#sidebar') &&
                       document.querySelector('#sidebar').offsetParent !== null,
              link: link && link.offsetParent !== null ? link.getAttribute('href') : null,
              target: link ? link.getAttribute('target') : null};""")


def test_embed_view_in_an_iframe_of_another_site(dash_duo, ds, host_page) -> None:
    from dashboard.app import create_app

    app = create_app(ds, frame_ancestors=host_page.origin)
    dash_duo.start_server(app)
    url = host_page(dash_duo.server_url + "/?year=2020&embed=1&lang=fr")
    dash_duo.driver.set_window_size(1300, 1400)
    dash_duo.driver.get(url)
    for frame, width in (("w320", 320), ("w1200", 1200)):
        wait_until(lambda f=frame: _inside(dash_duo, f)["map"], timeout=30, what="map drawn")
        seen = _inside(dash_duo, frame)
        assert seen["width"] <= width, seen  # no sideways scroll
        assert seen["height"] <= 600 + 2, seen  # fits the 600 px frame
        assert not seen["sidebar"]  # map, timeline, legend and headline only
        assert seen["link"] and "embed" not in seen["link"] and "lang=fr" in seen["link"]
        assert seen["target"] == "_blank"
    # A click on a country shows its figures compactly (a real click: top-level coordinates
    # of a point inside Mali inside the frame).
    driver = dash_duo.driver
    driver.switch_to.default_content()
    frame = driver.find_element("id", "w1200")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", frame)
    left, top = stable(lambda: driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top];", frame),
        what="the frame to stop scrolling")
    driver.switch_to.frame(frame)
    x, y = driver.execute_script(FIND_POINT, "MLI")
    driver.switch_to.default_content()
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(left + x), int(top + y))
    actions.pointer_action.pause(0.3)
    actions.pointer_action.click()
    actions.perform()
    driver.switch_to.frame(frame)
    wait_until(lambda: driver.execute_script(
        "const d = document.getElementById('details');"
        "return d.classList.contains('open') && getComputedStyle(d).display !== 'none'"),
        what="card")
    text = driver.execute_script("return document.getElementById('details-body').innerText")
    assert "France" in text and ("installation" in text or "accord" in text)
    assert not driver.find_elements("css selector", "#details-body .item")  # compact
    driver.switch_to.default_content()


def test_embed_is_refused_without_frame_ancestors(dash_duo, app, host_page) -> None:
    dash_duo.start_server(app)  # default: no site may frame the dashboard
    dash_duo.driver.get(host_page(dash_duo.server_url + "/?embed=1"))
    dash_duo.driver.implicitly_wait(0)
    # The browser says so in the console when it refuses to frame the page: wait for that.
    logs: list[Any] = []
    until(lambda: logs.extend(dash_duo.driver.get_log("browser")) or any(
        "frame-ancestors" in entry.get("message", "") for entry in logs),
        timeout=30, what="the browser to refuse the frame")
    assert not _inside(dash_duo, "w1200")["map"]
    dash_duo.driver.switch_to.default_content()


def test_share_panel_copies_the_link_and_the_iframe_snippet(dash_duo, app) -> None:
    start(dash_duo, app, "?year=2018&powers=RUS&lang=fr", "#map .choroplethlocation")
    driver = dash_duo.driver
    driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": dash_duo.server_url,
        "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    dash_duo.find_element(f"#{Ids.SHARE_PANEL} summary").click()
    link = dash_duo.find_element(f"#{Ids.SHARE_LINK}")
    wait_until(lambda: "year=2018" in (link.get_attribute("value") or ""), what="link")
    assert link.get_attribute("value").startswith(dash_duo.server_url)
    assert "embed" not in link.get_attribute("value")
    snippet = dash_duo.find_element(f"#{Ids.SHARE_SNIPPET}").get_attribute("value")
    assert snippet.startswith("<iframe ") and "embed=1" in snippet
    for part in ('title="Présence militaire étrangère en Afrique"', 'loading="lazy"',
                 'width="100%"', 'height="600"'):
        assert part in snippet
    # Refused framing is explained in the panel.
    assert "--frame-ancestors" in dash_duo.find_element(f"#{Ids.SHARE_NOTE}").text

    def clipboard() -> str:
        return driver.execute_async_script(
            "const done = arguments[0];"
            "navigator.clipboard.readText().then(done, e => done('ERR ' + e));")

    dash_duo.find_element(f"#{Ids.SHARE_COPY_LINK}").click()
    wait_until(lambda: clipboard() == link.get_attribute("value"), what="link copied")
    dash_duo.find_element(f"#{Ids.SHARE_COPY_SNIPPET}").click()
    wait_until(lambda: clipboard() == snippet, what="snippet copied")
    assert dash_duo.get_logs() == []
