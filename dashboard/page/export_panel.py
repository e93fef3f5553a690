"""The export panel: format and size fields and the download button (no callbacks here).

The panel only collects the format and size; :mod:`dashboard.callbacks.export` reads the view
from the page's URL and makes the file with :mod:`dashboard.export`.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard.ids import Ids
from dashboard.view.export_options import (
    DEFAULT_HEIGHT,
    DEFAULT_SCALE,
    DEFAULT_WIDTH,
    MAX_SCALE,
    MAX_SIDE,
    MIN_SCALE,
    MIN_SIDE,
)
from dashboard.view.i18n import DEFAULT_LANG, N_, tr

FORMAT_OPTIONS: tuple[tuple[str, str], ...] = (
    ("png", N_("PNG image")),
    ("svg", N_("SVG (vector)")),
    ("pdf", N_("PDF")),
    ("html", N_("Interactive HTML (offline)")),
    ("csv", N_("CSV of the records shown")),
    ("geojson", N_("GeoJSON of the records shown")),
)
#: What the chart and the table offer (labels say what the file holds).
TAB_FORMAT_OPTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "map": FORMAT_OPTIONS,
    "chart": (("png", N_("PNG image of the chart")), ("svg", N_("SVG (vector)")),
              ("pdf", N_("PDF")), ("csv", N_("CSV of the chart's numbers"))),
    "table": (("csv", N_("CSV of the table (rows as shown)")),),
}
SUMMARY_TEXT = {"map": N_("Export map or data"), "chart": N_("Export the chart"),
                "table": N_("Export the table")}

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


def format_options(tab: str, lang: str = DEFAULT_LANG) -> list[dict[str, str]]:
    """The formats a view offers, labelled in ``lang``."""
    t = tr(lang)
    return [{"label": t(label), "value": value}
            for value, label in TAB_FORMAT_OPTIONS.get(tab, FORMAT_OPTIONS)]


def export_panel(lang: str = DEFAULT_LANG) -> html.Details:
    """The export control: a collapsible group for the sidebar (opening it warms the browser)."""
    t = tr(lang)
    return html.Details([
        html.Summary(t(SUMMARY_TEXT["map"]), id=Ids.EXPORT_SUMMARY,
                     style={"fontWeight": 600, "cursor": "pointer"}),
        html.Fieldset([
            html.Legend(t("Format"), className="visually-hidden"),
            dcc.RadioItems(
                id=Ids.EXPORT_FORMAT, value="png", className="radio-list",
                options=format_options("map", lang),
            ),
        ], style={"border": 0, "padding": 0, "margin": "6px 0"}),
        html.Div([
            html.Span(t("Size"), style=_ROW_LABEL),
            _number_input(Ids.EXPORT_WIDTH, t("Width in pixels"), DEFAULT_WIDTH,
                          MIN_SIDE, MAX_SIDE, 1),
            "×",
            _number_input(Ids.EXPORT_HEIGHT, t("Height in pixels"), DEFAULT_HEIGHT,
                          MIN_SIDE, MAX_SIDE, 1),
            "px",
        ], style=_ROW),
        html.Div([
            html.Span(t("Scale"), style=_ROW_LABEL),
            _number_input(Ids.EXPORT_SCALE, t("Scale (pixel density of a PNG)"),
                          DEFAULT_SCALE, MIN_SCALE, MAX_SCALE, 0.5),
            "× (PNG)",
        ], style=_ROW),
        html.P(
            t("Print size {w}×{h} by default; {lo}–{hi} px, scale {s0}–{s1} (2 doubles a "
              "PNG's pixels). Images carry the year, filters, legend and data credit.",
              w=DEFAULT_WIDTH, h=DEFAULT_HEIGHT, lo=MIN_SIDE, hi=MAX_SIDE,
              s0=f"{MIN_SCALE:g}", s1=f"{MAX_SCALE:g}"),
            className="hint", style={"fontSize": "0.85rem", "margin": "4px 0"},
        ),
        html.Button(t("Download"), id=Ids.EXPORT_BUTTON, n_clicks=0, className="play",
                    title=t("Download the current view in the chosen format")),
        html.Div(id=Ids.EXPORT_STATUS, role="status", **{"aria-live": "polite"},
                 className="hint", style={"fontSize": "0.85rem", "marginTop": "4px",
                                          "overflowWrap": "anywhere"}),
        dcc.Download(id=Ids.EXPORT_DOWNLOAD),
    ], id=Ids.EXPORT_PANEL, className="control export", open=False)
