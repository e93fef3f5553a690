"""Build the Dash app for a loaded dataset (the CLI serves it; tests drive it).

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

from dashboard.callbacks import register_callbacks
from dashboard.export_view import register_export_callbacks
from dashboard.layout import build_layout
from dashboard.security import harden
from dashboard.state import default_state

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
    app.layout = build_layout(dataset, state, data_version=data_version)
    register_callbacks(app, dataset)
    register_export_callbacks(app, dataset)
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
