"""Polling waits for the browser tests: wait for a condition, never a fixed sleep.

A fixed sleep is either too short on a loaded CI machine (a flaky failure) or wasted time
on a fast one; these poll a condition the page exposes instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

POLL_S = 0.1


def until(check: Callable[[], Any], timeout: float = 15, what: str = "condition") -> Any:
    """Poll ``check`` until it returns something truthy (returned); fail after ``timeout``."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(POLL_S)


def stable(read: Callable[[], Any], timeout: float = 10, repeats: int = 3,
           what: str = "a stable value") -> Any:
    """Poll ``read`` until it gives the same value ``repeats`` times in a row (a layout that
    stopped moving after a scroll, a list that stopped growing); returns that value."""
    seen: list[Any] = []

    def settled() -> bool:
        seen.append(read())
        return len(seen) >= repeats and all(v == seen[-1] for v in seen[-repeats:])

    until(settled, timeout, what)
    return seen[-1]


#: The page is idle: Dash has no callback in flight, every image has loaded (or failed,
#: which fires its onerror) and the fonts are ready.
_IDLE_JS = """
const store = window.store && window.store.getState();
if (!store) return false;
const cbs = Object.assign({}, store.callbacks || {});
delete cbs.stored; delete cbs.completed;
const pending = [].concat(...Object.values(cbs));
const images = Array.from(document.images).every(i => i.complete);
return pending.length === 0 && images && document.readyState === 'complete'
       && (!document.fonts || document.fonts.status === 'loaded');
"""


def idle(dash_duo: Any, timeout: float = 15) -> None:
    """Wait until the page is idle (see ``_IDLE_JS``), twice in a row a poll apart."""
    hits: list[bool] = []

    def twice() -> bool:
        hits.append(bool(dash_duo.driver.execute_script(_IDLE_JS)))
        return len(hits) >= 2 and hits[-1] and hits[-2]

    until(twice, timeout, "the page to be idle")


#: A prop of a component as the renderer holds it (the redux layout, found by id).
_PROP_JS = """
const state = window.store && window.store.getState();
if (!state) return null;
const path = state.paths.strs[arguments[0]];
if (!path) return null;
let node = state.layout;
for (const key of path) node = node[key];
return node && node.props ? node.props[arguments[1]] : null;
"""


def prop(dash_duo: Any, component_id: str, name: str) -> Any:
    """``name`` of the component ``component_id`` in the renderer's state."""
    return dash_duo.driver.execute_script(_PROP_JS, str(component_id), name)
