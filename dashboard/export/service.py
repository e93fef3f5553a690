"""One entry point for every export of a view: bytes of one file per state, in any format.

Pure Python, no Dash and no CLI: the ``export`` subcommand and the dashboard's export panel
both call :func:`export_bytes` / :func:`export_batch`. Images share one browser
(:mod:`dashboard.export.renderer`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from dashboard.export.html_page import figure_html
from dashboard.export.options import FORMATS, ExportError, Size
from dashboard.export.records import records_csv, records_geojson
from dashboard.export.renderer import Renderer, shared_renderer
from dashboard.figures.print import print_figure
from dashboard.view.state import ViewState


def check_state(ds: Any, state: ViewState) -> ViewState:
    """Refuse a state the dataset cannot show (the CLI's strict counterpart of parse_query)."""
    lo, hi = ds.year_range
    if not lo <= state.year <= hi:
        raise ExportError(f"year {state.year} is outside the data's range {lo}-{hi}")
    if state.powers is not None:
        unknown = [p for p in state.powers if p not in ds.power_codes]
        if unknown:
            raise ExportError(f"unknown power {', '.join(unknown)} "
                              f"(known: {', '.join(ds.power_codes)})")
    return state


def export_bytes(
    ds: Any,
    state: ViewState,
    fmt: str,
    size: Size | None = None,
    *,
    exported: dt.date | None = None,
    engine: Renderer | None = None,
) -> bytes:
    """One export of ``state`` in ``fmt``, as bytes (the dashboard sends them as a download)."""
    return export_batch(ds, [state], fmt, size, exported=exported, engine=engine)[0]


def export_batch(
    ds: Any,
    states: Sequence[ViewState],
    fmt: str,
    size: Size | None = None,
    *,
    exported: dt.date | None = None,
    engine: Renderer | None = None,
) -> list[bytes]:
    """One file's bytes per state; images share one browser (``gif`` = one PNG per state)."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    size = size or Size()
    exported = exported or dt.date.today()
    for state in states:
        check_state(ds, state)
    if fmt == "csv":
        return [records_csv(ds, s) for s in states]
    if fmt == "geojson":
        return [records_geojson(ds, s, exported=exported) for s in states]
    if fmt == "html":
        return [figure_html(ds, s, size, exported=exported) for s in states]
    figs = (print_figure(ds, s, size, exported=exported).to_dict() for s in states)
    return (engine or shared_renderer()).render_many(figs, fmt, size)
