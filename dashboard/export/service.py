"""One entry point for every export of a view: bytes of one file per state, in any format.

Pure Python, no Dash and no CLI: the ``export`` subcommand and the dashboard's export panel
both call :func:`export_bytes` / :func:`export_batch`. Images share one browser
(:mod:`dashboard.export.renderer`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.export.html_page import figure_html
from dashboard.export.records import records_csv, records_geojson
from dashboard.export.renderer import Renderer, shared_renderer
from dashboard.figures.chart import print_chart
from dashboard.figures.print import print_figure
from dashboard.view.codec import check
from dashboard.view.export_options import FORMATS, ExportError, Size, check_tab_format
from dashboard.view.labels import state_context
from dashboard.view.series import series_csv
from dashboard.view.state import ViewState
from dashboard.view.table import DEFAULT_SORT, table_csv


@dataclass(frozen=True)
class ViewOptions:
    """What the chart and the table show beyond the state: the chart's scope (the open
    country alone) and the table's order and typed filter."""

    chart_by_country: bool = False
    table_sort: tuple[str, bool] = DEFAULT_SORT
    table_query: str = ""


def check_state(ds: Any, state: ViewState) -> ViewState:
    """Refuse a state the dataset cannot show: the codec's one validator, strictly."""
    problems = check(state, state_context(ds))
    if problems:
        raise ExportError(problems[0].error)
    return state


def export_bytes(
    ds: Any,
    state: ViewState,
    fmt: str,
    size: Size | None = None,
    *,
    exported: dt.date | None = None,
    engine: Renderer | None = None,
    views: ViewOptions | None = None,
) -> bytes:
    """One export of ``state`` in ``fmt``, as bytes (the dashboard sends them as a download)."""
    return export_batch(ds, [state], fmt, size, exported=exported, engine=engine,
                        views=views)[0]


def export_batch(
    ds: Any,
    states: Sequence[ViewState],
    fmt: str,
    size: Size | None = None,
    *,
    exported: dt.date | None = None,
    engine: Renderer | None = None,
    views: ViewOptions | None = None,
) -> list[bytes]:
    """One file's bytes per state; images share one browser (``gif`` = one PNG per state).

    A state's ``tab`` picks what is exported: the map, the chart or the table (``views``
    carries what those two show beyond the state: the chart's scope, the table's order).
    """
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    size = size or Size()
    exported = exported or dt.date.today()
    views = views or ViewOptions()
    for state in states:
        check_state(ds, state)
        check_tab_format(state.tab, fmt)
    if states and states[0].tab == "table":
        return [table_csv(ds, s, views.table_sort, views.table_query) for s in states]
    if states and states[0].tab == "chart":
        if fmt == "csv":
            return [series_csv(ds, s, by_country=views.chart_by_country) for s in states]
        charts = (print_chart(ds, s, size.width, size.height, exported=exported,
                              by_country=views.chart_by_country).to_dict() for s in states)
        return (engine or shared_renderer()).render_many(charts, fmt, size)
    if fmt == "csv":
        return [records_csv(ds, s) for s in states]
    if fmt == "geojson":
        return [records_geojson(ds, s, exported=exported) for s in states]
    if fmt == "html":
        return [figure_html(ds, s, size, exported=exported) for s in states]
    figs = (print_figure(ds, s, size, exported=exported).to_dict() for s in states)
    return (engine or shared_renderer()).render_many(figs, fmt, size)
