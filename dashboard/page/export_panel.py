"""The export panel: format and size fields and the download button (no callbacks here).

The panel only collects the format and size; :mod:`dashboard.callbacks.export` reads the view
from the page's URL and makes the file with :mod:`dashboard.export`.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard.export.options import (
    DEFAULT_HEIGHT,
    DEFAULT_SCALE,
    DEFAULT_WIDTH,
    MAX_SCALE,
    MAX_SIDE,
    MIN_SCALE,
    MIN_SIDE,
)
from dashboard.ids import Ids

FORMAT_OPTIONS: tuple[tuple[str, str], ...] = (
    ("png", "PNG image"),
    ("svg", "SVG (vector)"),
    ("pdf", "PDF"),
    ("html", "Interactive HTML (offline)"),
    ("csv", "CSV of the records shown"),
    ("geojson", "GeoJSON of the records shown"),
)
#: What the chart and the table offer (labels say what the file holds).
TAB_FORMAT_OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "map": FORMAT_OPTIONS,
    "chart": (("png", "PNG image of the chart"), ("svg", "SVG (vector)"), ("pdf", "PDF"),
              ("csv", "CSV of the chart's numbers")),
    "table": (("csv", "CSV of the table (rows as shown)"),),
}
SUMMARY_TEXT = {"map": "Export map or data", "chart": "Export the chart",
                "table": "Export the table"}

#: Formats whose output has a pixel density (scale matters), and formats with no image.
RASTER = frozenset({"png"})
DATA_ONLY = frozenset({"csv", "geojson"})

_INPUT_STYLE = {"width": "4.6em"}

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


def export_panel() -> html.Details:
    """The export control: a collapsible group for the sidebar (opening it warms the browser)."""
    return html.Details([
        html.Summary(SUMMARY_TEXT["map"], id=Ids.EXPORT_SUMMARY,
                     style={"fontWeight": 600, "cursor": "pointer"}),
        html.Fieldset([
            html.Legend("Format", className="visually-hidden"),
            dcc.RadioItems(
                id=Ids.EXPORT_FORMAT, value="png", className="radio-list",
                options=[{"label": label, "value": value} for value, label in FORMAT_OPTIONS],
            ),
        ], style={"border": 0, "padding": 0, "margin": "6px 0"}),
        html.Div([
            html.Span("Size", style=_ROW_LABEL),
            _number_input(Ids.EXPORT_WIDTH, "Width in pixels", DEFAULT_WIDTH,
                          MIN_SIDE, MAX_SIDE, 1),
            "×",
            _number_input(Ids.EXPORT_HEIGHT, "Height in pixels", DEFAULT_HEIGHT,
                          MIN_SIDE, MAX_SIDE, 1),
            "px",
        ], style=_ROW),
        html.Div([
            html.Span("Scale", style=_ROW_LABEL),
            _number_input(Ids.EXPORT_SCALE, "Scale (pixel density of a PNG)",
                          DEFAULT_SCALE, MIN_SCALE, MAX_SCALE, 0.5),
            "× (PNG)",
        ], style=_ROW),
        html.P(
            f"Print size {DEFAULT_WIDTH}×{DEFAULT_HEIGHT} by default; "
            f"{MIN_SIDE}–{MAX_SIDE} px, scale {MIN_SCALE:g}–"
            f"{MAX_SCALE:g} (2 doubles a PNG's pixels). Images carry the year, "
            "filters, legend and data credit.",
            className="hint", style={"fontSize": "0.85rem", "margin": "4px 0"},
        ),
        html.Button("Download", id=Ids.EXPORT_BUTTON, n_clicks=0, className="play",
                    title="Download the current view in the chosen format"),
        html.Div(id=Ids.EXPORT_STATUS, role="status", **{"aria-live": "polite"},
                 className="hint", style={"fontSize": "0.85rem", "marginTop": "4px",
                                          "overflowWrap": "anywhere"}),
        dcc.Download(id=Ids.EXPORT_DOWNLOAD),
    ], id=Ids.EXPORT_PANEL, className="control export", open=False)
