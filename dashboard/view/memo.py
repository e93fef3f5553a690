"""One cache per dataset object: views and figure skeletons are computed once and reused.

Play, back/forward and a second visitor repeat the same states, so everything derived from
(dataset, state) is memoised here, in the dataset's own ``_cache`` dict: a reloaded dataset
starts with an empty cache, and nothing outlives the data it was computed from.
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
    value = build()
    with _LOCK:
        store[key] = value
        while len(store) > size:
            store.popitem(last=False)
    return value
