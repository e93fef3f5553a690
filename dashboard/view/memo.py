"""One cache per dataset object: views and figure skeletons are computed once and reused.

Play, back/forward and a second visitor repeat the same states, so everything derived from
(dataset, state) is memoised here, in the dataset's own ``_cache`` dict: a reloaded dataset
starts with an empty cache, and nothing outlives the data it was computed from.

Single flight: the callbacks of one interaction (map, texts, views) ask for the same joins
at the same moment, in parallel requests; the first builds, the others wait for its result
instead of building it again (each build competes for the one interpreter lock, so two
copies would make both requests slower).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

_T = TypeVar("_T")
_LOCK = threading.Lock()


def memo(ds: Any, space: str, key: Hashable, build: Callable[[], _T], size: int = 64) -> _T:
    """``build()`` cached per dataset under ``(space, key)``; least recently used dropped first."""
    cache = getattr(ds, "_cache", None)
    if cache is None:
        return build()
    with _LOCK:
        store = cache.setdefault(space, OrderedDict())
        if key in store:
            store.move_to_end(key)
            return store[key]
        building = cache.setdefault("_building", {})
        flight = building.get((space, key))
        leader = flight is None
        if leader:
            flight = building[(space, key)] = threading.Event()
    if not leader:
        flight.wait()
        with _LOCK:
            if key in store:
                store.move_to_end(key)
                return store[key]
        return memo(ds, space, key, build, size)  # the leader failed: try again
    try:
        value = build()
        with _LOCK:
            store[key] = value
            while len(store) > size:
                store.popitem(last=False)
        return value
    finally:
        with _LOCK:
            building.pop((space, key), None)
        flight.set()
