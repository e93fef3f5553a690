"""Key press to repainted map, in the browser: what a reader feels at every step.

The HTTP rows (bench.interactions) time the server's answer; a reader also waits for the
browser to send the request, apply the answer and let plotly.js redraw. Here headless
Chromium presses the keys a keyboard user would (arrow keys on the year slider, the space
bar on a power's checkbox) and the page records, with ``performance.now()``, the key event
and every ``plotly_afterplot`` of the map that follows. A step counts as repainted at the
last redraw before the map stays quiet for ``QUIET_MS`` (one step may redraw twice).

Year steps walk down from the latest year to the first and back, so the first pass asks for
states not seen before; filter changes untick then tick one power after another.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

#: A redraw later than this after the previous one belongs to the next step.
QUIET_MS = 400
TIMEOUT_S = 15.0

HOOK_JS = """
const gd = document.querySelector(arguments[0] + ' .js-plotly-plot');
if (!gd || !gd.on) { return false; }
window.__repaint = {key: null, draws: []};
document.addEventListener('keydown', function () {
  window.__repaint.key = performance.now(); window.__repaint.draws = [];
}, true);
gd.on('plotly_afterplot', function () { window.__repaint.draws.push(performance.now()); });
return true;
"""

READ_JS = "return window.__repaint ? [window.__repaint.key, window.__repaint.draws] : null;"


@dataclass
class Steps:
    """Key press to repaint, in milliseconds, for one kind of step."""

    n: int
    p50_ms: float | None
    p95_ms: float | None
    max_ms: float | None
    timeouts: int
    runs_ms: list[float] = field(default_factory=list)


def _summary(runs: list[float], timeouts: int) -> Steps:
    if not runs:
        return Steps(0, None, None, None, timeouts)
    p95 = statistics.quantiles(runs, n=20, method="inclusive")[18] if len(runs) > 1 else runs[0]
    return Steps(len(runs), round(statistics.median(runs), 1), round(p95, 1),
                 round(max(runs), 1), timeouts, [round(r, 1) for r in runs])


def _press(driver: Any, element: Any, key: str) -> float | None:
    """Press ``key`` on ``element``; milliseconds until the map's last redraw, or None."""
    element.send_keys(key)
    deadline = time.perf_counter() + TIMEOUT_S
    while time.perf_counter() < deadline:
        time.sleep(0.05)
        pressed, draws = driver.execute_script(READ_JS) or (None, [])
        if pressed is None or not draws:
            continue
        now = driver.execute_script("return performance.now();")
        if now - draws[-1] >= QUIET_MS:
            return draws[-1] - pressed
    return None


def measure(browser: Any, url: str, year_id: str, powers_id: str, *, graph: str = "map",
            n_year: int = 20, n_filter: int = 10) -> dict[str, Any]:
    """Year-step and filter-change repaint times for the page at ``url``."""
    from selenium.webdriver.common.keys import Keys

    driver = browser.driver
    browser.load(url)
    deadline = time.perf_counter() + TIMEOUT_S
    while not driver.execute_script(HOOK_JS, f"#{graph}"):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{url}: #{graph} never became a plotly graph")
        time.sleep(0.1)
    time.sleep(QUIET_MS / 1000)  # let the first draws and initial callbacks settle
    handle = driver.find_element("css selector", f"#{year_id} [role=slider]")
    lo, hi = (int(handle.get_attribute(a)) for a in ("aria-valuemin", "aria-valuemax"))
    value = int(handle.get_attribute("aria-valuenow"))
    years: list[float] = []
    timeouts = 0
    direction = -1 if value > lo else 1
    for _ in range(n_year):
        if not lo <= value + direction <= hi:
            direction = -direction
        took = _press(driver, handle, Keys.ARROW_LEFT if direction < 0 else Keys.ARROW_RIGHT)
        value += direction
        if took is None:
            timeouts += 1
        else:
            years.append(took)
    boxes = driver.find_elements("css selector", f"#{powers_id} input[type=checkbox]")
    filters: list[float] = []
    filter_timeouts = 0
    for i in range(n_filter):
        box = boxes[(i // 2) % len(boxes)]  # untick, then tick again, power by power
        took = _press(driver, box, Keys.SPACE)
        if took is None:
            filter_timeouts += 1
        else:
            filters.append(took)
    return {"year_step": _summary(years, timeouts).__dict__,
            "filter_change": _summary(filters, filter_timeouts).__dict__,
            "quiet_ms": QUIET_MS}
