"""Exports of a view: map images (PNG, SVG, PDF, GIF), standalone HTML, CSV, GeoJSON.

No Dash and no CLI here: the ``export`` subcommand (:mod:`dashboard.cli.export`) and the
dashboard's export panel (:mod:`dashboard.callbacks.export`) both call
:func:`export_bytes` / :func:`export_batch`. One module per job:

- :mod:`.options`: formats, sizes and their bounds, the errors a user sees;
- :mod:`.records`: CSV and GeoJSON of the records the view shows;
- :mod:`.html_page`: the standalone offline HTML page;
- :mod:`.gif`: an animated GIF from PNG frames;
- :mod:`.renderer`: the one headless browser (Kaleido) kept for the process;
- :mod:`.files`: all-or-nothing file writing;
- :mod:`.service`: dispatch from (dataset, states, format) to bytes.

The print figure itself (title, legend, footer) is :mod:`dashboard.figures.print`.
"""

from dashboard.export.files import atomic_write, write_all
from dashboard.export.gif import gif_bytes, gif_colours
from dashboard.export.html_page import figure_html
from dashboard.export.records import records_csv, records_geojson
from dashboard.export.renderer import Renderer, find_browser, shared_renderer, topojson_url
from dashboard.export.service import ViewOptions, check_state, export_batch, export_bytes
from dashboard.view.export_options import (
    BROWSER_FORMATS,
    DEFAULT_HEIGHT,
    DEFAULT_SCALE,
    DEFAULT_WIDTH,
    FORMATS,
    MAX_PIXELS,
    MAX_SCALE,
    MAX_SIDE,
    MEDIA_TYPES,
    MIN_SCALE,
    MIN_SIDE,
    RENDER_TIMEOUT,
    TAB_FORMATS,
    ExportError,
    NoBrowserError,
    RenderError,
    Size,
    check_size,
    check_tab_format,
    export_filename,
)

__all__ = [
    "BROWSER_FORMATS",
    "DEFAULT_HEIGHT",
    "DEFAULT_SCALE",
    "DEFAULT_WIDTH",
    "FORMATS",
    "MAX_PIXELS",
    "MAX_SCALE",
    "MAX_SIDE",
    "MEDIA_TYPES",
    "MIN_SCALE",
    "MIN_SIDE",
    "RENDER_TIMEOUT",
    "TAB_FORMATS",
    "ExportError",
    "NoBrowserError",
    "RenderError",
    "Renderer",
    "Size",
    "ViewOptions",
    "atomic_write",
    "check_size",
    "check_state",
    "check_tab_format",
    "export_batch",
    "export_bytes",
    "export_filename",
    "figure_html",
    "find_browser",
    "gif_bytes",
    "gif_colours",
    "records_csv",
    "records_geojson",
    "shared_renderer",
    "topojson_url",
    "write_all",
]
