"""First map paint in headless Chromium, the number a visitor feels.

A script injected before any page script runs (CDP ``Page.addScriptToEvaluateOnNewDocument``)
watches the DOM with a MutationObserver and records ``performance.now()`` (milliseconds since
navigation start) when the first choropleth path of ``#map`` exists, and again two animation
frames later, by which time the browser has painted it. The browser cache is off, so every
load is a first visit; the browser itself is started once and is not timed. Chromium's
``TaskDuration`` metric (main-thread CPU time, in thread ticks) is kept too: on a busy
machine it shows how much of the wait is the page's own work.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SELECTOR = "#map .choroplethlocation"

OBSERVER_JS = """
(function () {
  var mark = {};
  window.__benchPaint = mark;
  function check() {
    if (mark.dom === undefined && document.querySelector(__SELECTOR__)) {
      mark.dom = performance.now();
      obs.disconnect();
      requestAnimationFrame(function () {
        requestAnimationFrame(function () { mark.frame = performance.now(); });
      });
    }
  }
  var obs = new MutationObserver(check);
  obs.observe(document, {childList: true, subtree: true});
})();
""".replace("__SELECTOR__", repr(SELECTOR))

RESULT_JS = """
var m = window.__benchPaint || {};
var bytes = 0, nav = performance.getEntriesByType('navigation')[0];
performance.getEntriesByType('resource').forEach(function (e) { bytes += e.transferSize; });
if (nav) { bytes += nav.transferSize; }
return {dom: m.dom, frame: m.frame, bytes: bytes,
        requests: performance.getEntriesByType('resource').length + 1};
"""


@dataclass
class Paint:
    """Median over the loads of one page."""

    dom_ms: float
    frame_ms: float
    main_thread_ms: float  # CPU time of the page's main thread (CDP TaskDuration)
    runs_ms: list[float]
    transfer_bytes: int
    requests: int


class Browser:
    """One headless Chromium driven by Debian's chromedriver, reused for every page."""

    def __init__(self, width: int = 1400, height: int = 900) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update",
                    f"--window-size={width},{height}"):
            options.add_argument(arg)
        self.driver: Any = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument",
                                    {"source": OBSERVER_JS})
        self.driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
        self.loads = 0

    def load(self, url: str, timeout: float = 60.0) -> dict:
        """Navigate to ``url`` and wait until the map is painted; return the marks."""
        self.driver.get("about:blank")
        self.driver.get(url)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            marks = self.driver.execute_script(RESULT_JS)
            if marks.get("frame") is not None:
                self.loads += 1
                metrics = self.driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
                by_name = {m["name"]: m["value"] for m in metrics}
                marks["main_thread_ms"] = 1000 * by_name.get("TaskDuration", float("nan"))
                return marks
            time.sleep(0.05)
        raise TimeoutError(f"{url}: no '{SELECTOR}' within {timeout:.0f} s")

    def first_paint(self, url: str, reps: int) -> Paint:
        """Median first-paint times over ``reps`` cold-cache loads.

        The browser's very first navigation is discarded: it pays for the browser's own
        start-up, which no visitor's page load does.
        """
        if self.loads == 0:
            self.load(url)
        runs = [self.load(url) for _ in range(reps)]
        return Paint(
            dom_ms=round(statistics.median(r["dom"] for r in runs), 1),
            frame_ms=round(statistics.median(r["frame"] for r in runs), 1),
            main_thread_ms=round(statistics.median(r["main_thread_ms"] for r in runs), 1),
            runs_ms=[round(r["dom"], 1) for r in runs],
            transfer_bytes=int(statistics.median(r["bytes"] for r in runs)),
            requests=int(statistics.median(r["requests"] for r in runs)),
        )

    def close(self) -> None:
        self.driver.quit()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
