"""The dashboard's export panel: download the current view as PNG/SVG/PDF/HTML or its records.

The panel only collects the format and size; the view itself is read from the page's URL
(``dcc.Location`` id ``url``, which the main callback keeps in step with every control) and
the year slider (ahead of the URL while the timeline plays). All the work happens in
:mod:`dashboard.export`, which keeps one headless browser for every export of the process.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from typing import Any

from dash import Dash, Input, Output, State, dcc, html, no_update

from dashboard import export
from dashboard.limits import ExportGate, ExportRefused
from dashboard.state import State as ViewState
from dashboard.state import parse_query

log = logging.getLogger(__name__)

FORMAT_OPTIONS: tuple[tuple[str, str], ...] = (
    ("png", "PNG image"),
    ("svg", "SVG (vector)"),
    ("pdf", "PDF"),
    ("html", "Interactive HTML (offline)"),
    ("csv", "CSV of the records shown"),
    ("geojson", "GeoJSON of the records shown"),
)
#: Formats whose output has a pixel density (scale matters), and formats with no image.
RASTER = frozenset({"png"})
DATA_ONLY = frozenset({"csv", "geojson"})

_INPUT_STYLE = {"width": "4.6em"}

#: Exports the server makes at once (machine-wide under ``serve --workers``); one more is
#: refused at once with a message rather than queued, so the map always keeps a thread.
GATE = ExportGate(max_concurrent=2, timeout_s=export.RENDER_TIMEOUT + 30)


def _number_input(cid: str, label: str, value: float, lo: float, hi: float,
                  step: float) -> html.Label:
    """A small number field whose label is read out but not shown (the row says it)."""
    return html.Label([
        html.Span(label, className="visually-hidden"),
        dcc.Input(id=cid, type="number", value=value, min=lo, max=hi, step=step,
                  required=True, debounce=True, style=_INPUT_STYLE),
    ])


_ROW = {"display": "flex", "alignItems": "center", "gap": "4px", "margin": "3px 0"}
_ROW_LABEL = {"width": "2.8em", "color": "var(--muted, #555)"}


def export_panel(ds: Any) -> html.Details:
    """The export control: a collapsible group for the sidebar (opening it warms the browser)."""
    del ds  # the panel is the same for every dataset; the callbacks hold it
    return html.Details([
        html.Summary("Export map or data", style={"fontWeight": 600, "cursor": "pointer"}),
        html.Fieldset([
            html.Legend("Format", className="visually-hidden"),
            dcc.RadioItems(
                id="export-format", value="png", className="radio-list",
                options=[{"label": label, "value": value} for value, label in FORMAT_OPTIONS],
            ),
        ], style={"border": 0, "padding": 0, "margin": "6px 0"}),
        html.Div([
            html.Span("Size", style=_ROW_LABEL),
            _number_input("export-width", "Width in pixels", export.DEFAULT_WIDTH,
                          export.MIN_SIDE, export.MAX_SIDE, 1),
            "×",
            _number_input("export-height", "Height in pixels", export.DEFAULT_HEIGHT,
                          export.MIN_SIDE, export.MAX_SIDE, 1),
            "px",
        ], style=_ROW),
        html.Div([
            html.Span("Scale", style=_ROW_LABEL),
            _number_input("export-scale", "Scale (pixel density of a PNG)",
                          export.DEFAULT_SCALE, export.MIN_SCALE, export.MAX_SCALE, 0.5),
            "× (PNG)",
        ], style=_ROW),
        html.P(
            f"Print size {export.DEFAULT_WIDTH}×{export.DEFAULT_HEIGHT} by default; "
            f"{export.MIN_SIDE}–{export.MAX_SIDE} px, scale {export.MIN_SCALE:g}–"
            f"{export.MAX_SCALE:g} (2 doubles a PNG's pixels). Images carry the year, "
            "filters, legend and data credit.",
            className="hint", style={"fontSize": "0.85rem", "margin": "4px 0"},
        ),
        html.Button("Download", id="export-button", n_clicks=0, className="play",
                    title="Download the current view in the chosen format"),
        html.Div(id="export-status", role="status", **{"aria-live": "polite"},
                 className="hint", style={"fontSize": "0.85rem", "marginTop": "4px",
                                          "overflowWrap": "anywhere"}),
        dcc.Download(id="export-download"),
    ], id="export-panel", className="control export", open=False)


def view_state(ds: Any, search: str | None, slider_year: Any) -> ViewState:
    """The state shown on the page: the URL's, with the slider's year (ahead while playing)."""
    state, _ = parse_query(search, ds.power_codes, ds.year_range, default_year=ds.default_year,
                           valid_countries=set(ds.countries["iso3"]))
    try:
        year = int(slider_year)
    except (TypeError, ValueError):
        return state
    lo, hi = ds.year_range
    return replace(state, year=year) if lo <= year <= hi else state


def _warm_up() -> None:
    """Start the shared browser in the background, so the first image export is quick."""
    def start() -> None:
        try:
            export.renderer().start()
        except export.ExportError as exc:  # reported on the first image export instead
            log.info("export browser not started: %s", exc)

    threading.Thread(target=start, name="export-warm-up", daemon=True).start()


def _describe(fmt: str, size: export.Size, blob: bytes) -> str:
    kb = f"{len(blob) / 1024:.0f} KB" if len(blob) < 2**20 else f"{len(blob) / 2**20:.1f} MB"
    if fmt in RASTER:
        w, h = size.pixels
        return f"{w}×{h} px, {kb}"
    if fmt in DATA_ONLY or fmt == "html":
        return kb
    return f"{size.width}×{size.height}, {kb}"


def make_export(ds: Any, fmt: str, width: Any, height: Any, scale: Any, search: str | None,
                slider_year: Any) -> tuple[dict[str, Any] | None, str]:
    """The download (``dcc.Download`` data) and a status line; never raises."""
    fmt = fmt if fmt in dict(FORMAT_OPTIONS) else "png"
    # The browser empties a number field whose value breaks its min/max: say so, rather
    # than quietly exporting the default size.
    fields = (("Width", width), ("Height", height)) if fmt not in DATA_ONLY else ()
    fields += (("Scale", scale),) if fmt in RASTER else ()
    missing = [name for name, value in fields if value in (None, "")]
    if missing:
        bounds = (f"{export.MIN_SCALE:g}–{export.MAX_SCALE:g}" if missing[0] == "Scale"
                  else f"{export.MIN_SIDE}–{export.MAX_SIDE} px")
        return None, f"Not exported: {missing[0].lower()} must be {bounds}."
    try:
        size = export.check_size(width if fmt not in DATA_ONLY else None,
                                 height if fmt not in DATA_ONLY else None,
                                 scale if fmt in RASTER else None)
        state = view_state(ds, search, slider_year)
        blob = GATE.run(export.export_bytes, ds, state, fmt, size)
    except ExportRefused as exc:  # busy or too slow: the message says so
        return None, str(exc)
    except export.NoBrowserError:
        return None, ("Image export needs Chrome or Chromium on the server (Debian/Ubuntu: "
                      "apt-get install chromium, or set BROWSER_PATH). CSV, GeoJSON and HTML "
                      "work without it.")
    except export.ExportError as exc:
        return None, f"Not exported: {str(exc).replace('--', '')}."
    except Exception:  # a bug must not leave the button spinning without a word
        log.exception("export failed")
        return None, "Not exported: an unexpected error occurred (see the server log)."
    filename = export.export_filename(state, fmt)
    data = dcc.send_bytes(blob, filename, type=export.MEDIA_TYPES[fmt])
    return data, f"Downloaded {filename} ({_describe(fmt, size, blob)})."


def register_export_callbacks(app: Dash, ds: Any) -> None:
    """Wire the export panel into ``app`` (thin: the work is in dashboard.export)."""

    @app.callback(
        Output("export-download", "data"),
        Output("export-status", "children"),
        Input("export-button", "n_clicks"),
        State("export-format", "value"),
        State("export-width", "value"),
        State("export-height", "value"),
        State("export-scale", "value"),
        State("url", "search"),
        State("year-slider", "value"),
        prevent_initial_call=True,
        running=[
            (Output("export-button", "disabled"), True, False),
            (Output("export-button", "children"), "Preparing…", "Download"),
        ],
    )
    def download(_clicks: int, fmt: str, width: Any, height: Any, scale: Any,
                 search: str | None, year: Any) -> tuple[Any, str]:
        data, status = make_export(ds, fmt, width, height, scale, search, year)
        return (data if data is not None else no_update), status

    @app.callback(
        Input("export-panel", "open"),
        Input("export-format", "value"),
        prevent_initial_call=True,
    )
    def warm(is_open: bool | None, fmt: str | None) -> None:
        if is_open and fmt in export.BROWSER_FORMATS and not export.renderer().running:
            _warm_up()

    @app.callback(
        Output("export-width", "disabled"),
        Output("export-height", "disabled"),
        Output("export-scale", "disabled"),
        Input("export-format", "value"),
    )
    def size_fields(fmt: str | None) -> tuple[bool, bool, bool]:
        """Size fields only where they mean something: none for data, scale for PNG."""
        data = fmt in DATA_ONLY
        return data, data, data or fmt not in RASTER
