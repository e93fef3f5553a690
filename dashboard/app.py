"""The composition root: the one place that knows every feature and wires them together.

``create_app`` builds the page with its feature panels, registers each feature's callbacks,
then hardens the server (security headers, error pages) and compresses its answers. Nothing
in ``dashboard`` imports this module but the CLI.

Everything the page needs is served by the app itself: plotly.js and Dash's bundles
(``serve_locally``), the CSS and JS in ``assets/`` and plotly's base-map topojson in
``assets/topojson/``. No request leaves the machine.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from dash import Dash
from flask import Response, request

from dashboard.callbacks.export import new_gate, register_export_callbacks
from dashboard.callbacks.map import register_map_callbacks
from dashboard.page.export_panel import export_panel
from dashboard.page.layout import build_layout
from dashboard.view.state import default_state
from dashboard.web.security import harden

ASSETS = Path(__file__).resolve().parent / "assets"
TITLE = "Foreign military presence in Africa · africa-presence"


def create_app(
    dataset: Any, *, data_version: str | None = None, frame_ancestors: str | None = None
) -> Dash:
    """A ready-to-serve Dash app for ``dataset``; it does not start a server.

    ``app.server`` is the Flask app (for gunicorn). Debug stays off unless the caller
    turns it on when running. Security headers are always on; ``frame_ancestors`` (CSP
    source syntax) lets named sites embed the dashboard, nobody by default.
    """
    state = default_state(dataset.default_year)
    app = Dash(
        __name__,
        title=TITLE,
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,
        compress=False,
        meta_tags=[
            {"name": "viewport", "content": "width=device-width, initial-scale=1"},
            {"name": "description",
             "content": "Map of foreign military bases and defence agreements in Africa, "
                        "year by year, with sources."},
        ],
    )
    app.layout = build_layout(dataset, state, panels=[export_panel()],
                              data_version=data_version)
    register_map_callbacks(app, dataset)
    register_export_callbacks(app, dataset, new_gate())
    app.server.after_request(gzip_json)
    harden(app, frame_ancestors=frame_ancestors)  # last: the CSP hashes every inline script
    return app


#: Below this a response is not worth compressing (it fits in a packet or two anyway).
GZIP_MIN_BYTES = 1400


def gzip_json(response: Response) -> Response:
    """Gzip Dash's JSON answers (the layout carries the map geometry) when the browser accepts it.

    flask-compress is not a dependency; this covers the two responses that matter: the page
    layout (about 230 KB, 4x smaller gzipped) and callback answers (the per-step patch).
    """
    if (
        response.direct_passthrough
        or response.status_code != 200
        or response.mimetype != "application/json"
        or "Content-Encoding" in response.headers
        or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
    ):
        return response
    data = response.get_data()
    if len(data) < GZIP_MIN_BYTES:
        return response
    response.set_data(gzip.compress(data, compresslevel=5))
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(response.get_data()))
    response.vary.add("Accept-Encoding")
    return response
