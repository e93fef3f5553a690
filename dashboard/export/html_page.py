"""The standalone interactive HTML export: the print figure with plotly.js and the base map inside.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from typing import Any

from dashboard.export.renderer import TOPOJSON_DIR
from dashboard.figures.print import print_figure
from dashboard.view.export_options import ExportError, Size
from dashboard.view.i18n import translate
from dashboard.view.labels import TITLE
from dashboard.view.state import ViewState

_CDN_TOPOJSON = '"https://cdn.plot.ly/un/"'


def figure_html(ds: Any, state: ViewState, size: Size | None = None, *,
                exported: dt.date | None = None) -> bytes:
    """A standalone interactive page that works offline: plotly.js and the base map inside.

    The base-map topojson is embedded as ``window.PlotlyGeoAssets`` (plotly.js looks there
    before fetching), and the CDN default in the bundled plotly.js is replaced, so the page
    makes no request at all, even if opened from a mail attachment. The page shows the same
    composition as the PNG at the same size (pan, zoom and hover on), centred in the window.
    """
    size = size or Size()
    fig = print_figure(ds, state, size, exported=exported, interactive=True)
    geo = fig.layout.geo
    name = f"{(geo.scope or 'world').replace(' ', '-')}_{int(geo.resolution or 110)}m"
    topo_file = TOPOJSON_DIR / f"{name}.json"
    if not topo_file.is_file():
        raise ExportError(f"base map {topo_file.name} is missing from {TOPOJSON_DIR}")
    topo = json.dumps(json.loads(topo_file.read_text("utf-8")), separators=(",", ":"))
    assets = ("<script>window.PlotlyGeoAssets={topojson:{" + json.dumps(name) + ":"
              + topo.replace("</", "<\\/") + "}};</script>")
    config = {"topojsonURL": "topojson/", "displaylogo": False, "scrollZoom": True,
              "responsive": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"],
              "toImageButtonOptions": {"filename": f"africa-presence-{state.year}",
                                       "width": size.width, "height": size.height}}
    page = fig.to_html(include_plotlyjs=True, include_mathjax=False, full_html=True,
                       config=config)
    if _CDN_TOPOJSON in page:
        page = page.replace(_CDN_TOPOJSON, '"topojson/"')
    title = (f"<title>{html.escape(translate(state.lang, TITLE))}, {state.year} · "
             "africa-presence</title>")
    style = "<style>body{margin:0;background:#eceff2}body>div{margin:0 auto;}</style>"
    head = '<meta charset="utf-8" />'
    page = page.replace(head, f"{head}\n    {title}\n    {style}\n    {assets}", 1)
    page = page.replace("<html>", f'<html lang="{state.lang}">', 1)
    return page.encode("utf-8")

