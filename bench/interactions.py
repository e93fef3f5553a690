"""Bytes on the wire and server time of the two interactions users repeat most.

A *year step* moves the slider by one year; a *filter change* ticks or unticks a foreign
power. Both are POSTed with the exact body the browser would send (see bench.dashclient),
to the running server (``python -m bench``) or through Flask's test client (the guard
test), so the bytes are real response bodies. Over HTTP the time is the round trip on
localhost: Dash's dispatch, the callback, JSON encoding and a loopback hop.

Every request asks for a state not asked for before: the app memoises per-state joins,
and a benchmark that repeats one state would measure a dictionary lookup. Repeats are
timed separately (``repeat_ms``) because playing the timeline or going back does repeat.
"""

from __future__ import annotations

import gc
import gzip
import json
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.dashclient import Page, PropKey, cascade, map_page
from dashboard.ids import Ids

PATCH_MARK = b'"__dash_patch_update"'
GEOMETRY_MARKS = (b'"coordinates"', b'"features"')


@dataclass(frozen=True)
class Controls:
    """Where an app keeps its year and its power selection."""

    year: PropKey
    powers: PropKey
    graph: str = "map"


APP_CONTROLS = Controls((Ids.YEAR_SLIDER, "value"), (Ids.POWER_FILTER, "value"))
NAIVE_CONTROLS = Controls(("year", "value"), ("powers", "value"))


@dataclass
class Sample:
    """One callback round trip."""

    kind: str
    year: int
    powers: int
    status: int
    bytes: int  # JSON body, uncompressed
    wire_bytes: int  # as sent to a browser (compressed if the server compresses)
    gzip_bytes: int  # the JSON body gzipped here: both apps on equal terms
    ms: float
    patch: bool
    geometry: bool


@dataclass
class Series:
    """Summary of the samples of one kind."""

    n: int
    bytes_median: float
    bytes_max: int
    wire_bytes_median: float
    wire_bytes_max: int
    gzip_bytes_median: float
    ms_median: float
    ms_p95: float
    all_patches: bool
    any_geometry: bool
    errors: int
    cpu_ms_mean: float | None = None


@dataclass
class InteractionResult:
    """What one app costs per interaction on one dataset."""

    year_step: Series
    filter_change: Series
    repeat_ms_median: float
    request_bytes_median: float
    samples: list[dict] = field(default_factory=list)


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) without numpy."""
    data = sorted(values)
    if not data:
        return float("nan")
    pos = (len(data) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def summarise(samples: Sequence[Sample], cpu_s: float | None = None) -> Series:
    """Median/max bytes and median/p95 time of a series (``cpu_s``: server CPU for all)."""
    ok = [s for s in samples if s.status == 200]
    return Series(
        cpu_ms_mean=None if cpu_s is None or not samples else
        round(cpu_s * 1000 / len(samples), 2),
        n=len(ok),
        bytes_median=statistics.median(s.bytes for s in ok) if ok else float("nan"),
        bytes_max=max((s.bytes for s in ok), default=0),
        wire_bytes_median=statistics.median(s.wire_bytes for s in ok) if ok else float("nan"),
        wire_bytes_max=max((s.wire_bytes for s in ok), default=0),
        gzip_bytes_median=statistics.median(s.gzip_bytes for s in ok) if ok else float("nan"),
        ms_median=statistics.median(s.ms for s in ok) if ok else float("nan"),
        ms_p95=percentile([s.ms for s in ok], 95),
        all_patches=bool(ok) and all(s.patch for s in ok),
        any_geometry=any(s.geometry for s in ok),
        errors=len(samples) - len(ok),
    )


def graph_output(body: bytes, graph: str) -> bytes:
    """The JSON of the graph's figure in a callback response (b'' if not there)."""
    try:
        response = json.loads(body).get("response", {})
    except ValueError:
        return b""
    figure = response.get(graph, {}).get("figure")
    return b"" if figure is None else json.dumps(figure).encode()


def plan(years: Sequence[int], codes: Sequence[str], start: tuple[int, tuple[str, ...]],
         n_year: int, n_filter: int) -> tuple[list[tuple], list[tuple]]:
    """Distinct (year, powers) states for year steps and for filter changes.

    Year steps sweep the years with all powers, then with one power unticked, and so on;
    filter changes untick one power (or pick a single one) at a spread of years.
    """
    seen = {start}
    all_powers = tuple(codes)
    year_states: list[tuple] = []
    subsets = [all_powers, *[tuple(c for c in codes if c != p) for p in codes]]
    for k, subset in enumerate(subsets):
        sweep = sorted(years, reverse=k % 2 == 0)
        for y in sweep:
            if len(year_states) >= n_year:
                break
            if (y, subset) not in seen:
                seen.add((y, subset))
                year_states.append((y, subset))
    filter_states: list[tuple] = []

    def candidates() -> Iterator[tuple]:
        for y in sorted(years, reverse=True):
            for p in codes:
                yield y, tuple(c for c in codes if c != p)
                yield y, (p,)

    for state in candidates():
        if len(filter_states) >= n_filter:
            break
        if state not in seen:
            seen.add(state)
            filter_states.append(state)
    return year_states, filter_states


def _request(client: Any, page: Page, dep: dict, changed: dict, kind: str, year: int,
             powers: Sequence[str], graph: str) -> tuple[Sample, int]:
    """One interaction: the callback the change wakes and the chain the renderer runs from
    its answer (the app's state, then map, texts and views; the baseline's one callback).
    Bytes are summed over the chain, the time is the chain's latency."""
    chain = cascade(client, page, changed, first=dep, follow=map_page)
    status = chain.status
    data = b"".join(r.body for _, r in chain.replies if r.status == 200)
    figure = b"".join(graph_output(r.body, graph) for _, r in chain.replies
                      if r.status == 200)
    sample = Sample(
        kind=kind, year=year, powers=len(powers), status=status,
        bytes=sum(len(r.body) for _, r in chain.replies),
        wire_bytes=chain.wire_bytes,
        gzip_bytes=sum(len(gzip.compress(r.body, 6)) for _, r in chain.replies),
        ms=round(chain.ms, 3),
        patch=PATCH_MARK in figure, geometry=any(m in data for m in GEOMETRY_MARKS),
    )
    return sample, chain.request_bytes


def measure(client: Any, controls: Controls, codes: Sequence[str], year_range: tuple[int, int],
            *, n_year: int = 30, n_filter: int = 20, n_repeat: int = 10,
            cpu: Callable[[], float] | None = None) -> InteractionResult:
    """Drive an app (Flask test client or LiveClient) through year steps and filter changes.

    ``cpu`` returns the server's CPU seconds so far (a running server's process), giving a
    per-request CPU cost that other load on the machine does not inflate.
    """
    clock = cpu or (lambda: float("nan"))
    page = Page.load(client)
    dep = page.server_callback(*controls.year)
    dep_f = page.server_callback(*controls.powers)
    page.values.setdefault((Ids.URL, "search"), "")
    start_year = int(page.values[controls.year])
    start_powers = tuple(page.values[controls.powers])
    lo, hi = year_range
    years = list(range(lo, hi + 1))
    year_states, filter_states = plan(years, codes, (start_year, start_powers),
                                      n_year, n_filter)
    # Warm-up on a state outside the plan: first-request costs are not an interaction's.
    _request(client, page, dep_f, {controls.powers: []}, "warmup", start_year, [],
             controls.graph)
    samples: list[Sample] = []
    request_sizes: list[int] = []
    gc.collect()
    cpu_year = clock()
    for year, powers in year_states:
        # The user had these powers ticked already; only the year changes now.
        page.values[controls.powers] = list(powers)
        page.values[controls.year] = year + (1 if year < hi else -1)
        s, n = _request(client, page, dep, {controls.year: year}, "year_step", year, powers,
                        controls.graph)
        samples.append(s)
        request_sizes.append(n)
    cpu_year = clock() - cpu_year
    cpu_filter = clock()
    for year, powers in filter_states:
        page.values[controls.year] = year
        s, n = _request(client, page, dep_f, {controls.powers: list(powers)}, "filter_change",
                        year, powers, controls.graph)
        samples.append(s)
        request_sizes.append(n)
    cpu_filter = clock() - cpu_filter
    repeats = []
    for year, powers in year_states[:n_repeat]:
        page.values[controls.powers] = list(powers)
        s, _ = _request(client, page, dep, {controls.year: year}, "repeat", year, powers,
                        controls.graph)
        repeats.append(s.ms)
    return InteractionResult(
        year_step=summarise([s for s in samples if s.kind == "year_step"],
                            cpu_year if cpu else None),
        filter_change=summarise([s for s in samples if s.kind == "filter_change"],
                                cpu_filter if cpu else None),
        repeat_ms_median=statistics.median(repeats) if repeats else float("nan"),
        request_bytes_median=statistics.median(request_sizes) if request_sizes else 0,
        samples=[asdict(s) for s in samples],
    )
