"""The composition root: the one place that knows every feature and wires them together.

``create_app`` builds the page with its feature panels, registers each feature's callbacks,
then hardens the server (security headers, error pages) and compresses its answers. Nothing
in ``dashboard`` imports this module but the CLI.

Everything the page needs is served by the app itself: plotly.js and Dash's bundles
(``serve_locally``), the CSS and JS in ``assets/`` and plotly's base-map topojson in
``assets/topojson/``. No request leaves the machine.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from dash import Dash
from flask import has_request_context, request

from dashboard.callbacks.export import new_gate, register_export_callbacks
from dashboard.callbacks.locale import browser_lang, url_embed, url_lang
from dashboard.callbacks.map import register_map_callbacks
from dashboard.callbacks.search import register_search_callbacks
from dashboard.callbacks.share import register_share_callbacks
from dashboard.callbacks.views import register_view_callbacks
from dashboard.figures.map_static import geometry_json
from dashboard.page.export_panel import export_panel
from dashboard.page.layout import build_layout
from dashboard.page.share_panel import share_panel
from dashboard.view.i18n import tr
from dashboard.view.labels import TITLE as PAGE_TITLE
from dashboard.view.state import default_state
from dashboard.web.delivery import (
    compress_and_cache,
    preload_links,
    serve_fingerprinted,
    serve_folder_fingerprinted,
    with_preloads,
)
from dashboard.web.security import harden

ASSETS = Path(__file__).resolve().parent / "assets"
#: The base map plotly.js fetches for a map scoped to Africa at 50m resolution.
BASE_MAP = "africa_50m.json"
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
    # The country geometry travels once per year at most: a fingerprinted, long-cached URL.
    geometry_url = serve_fingerprinted(app.server, "africa-countries", geometry_json(dataset))
    topojson_url = serve_folder_fingerprinted(app.server, "topojson", ASSETS / "topojson")
    layouts: dict[tuple[str, bool], Any] = {}

    def layout() -> Any:
        """The page in the visitor's language (the link's, else the browser's), built once
        per language. The layout request's Referer carries the page's own link."""
        link = _referer_query()
        key = (url_lang(link), url_embed(link))
        if key not in layouts:
            first = replace(state, lang=key[0], embed=key[1])
            layouts[key] = build_layout(
                dataset, first, panels=[export_panel(key[0]), share_panel(key[0],
                                                                          frame_ancestors)],
                data_version=data_version, geometry_url=geometry_url,
                topojson_url=topojson_url)
        return layouts[key]

    app.layout = layout
    # Dash validates a layout function once (duplicate ids...) and then keeps its output as
    # the "validation layout", which it writes into every page's config: 120 KB more on
    # every first visit. The page's own layout is complete (no pages, no hidden parts), so
    # the renderer needs no second copy to check callbacks against.
    app.validation_layout = None
    register_map_callbacks(app, dataset)
    register_view_callbacks(app, dataset)
    register_search_callbacks(app, dataset)
    register_share_callbacks(app)
    register_export_callbacks(app, dataset, new_gate())
    base_maps = [topojson_url + p.name for p in sorted((ASSETS / "topojson").glob("*.json"))]
    compress_and_cache(app.server, warm_urls=[geometry_url, *base_maps])
    # plotly.js asks for the base map of the figure's scope (Africa) only.
    app.index_string = with_preloads(app.index_string, preload_links(
        app.config.requests_pathname_prefix, [geometry_url, topojson_url + BASE_MAP]))
    _localise_index(app)
    _vary_by_language(app)
    harden(app, frame_ancestors=frame_ancestors)  # last: the CSP hashes every inline script
    return app


def _referer_query() -> str:
    """The query of the page a request comes from (the layout request's Referer)."""
    if not has_request_context():
        return ""
    if request.args:  # the page itself (GET /?lang=fr)
        return "?" + request.query_string.decode("utf-8", "replace")
    return "?" + urlparse(request.referrer or "").query


def _vary_by_language(app: Dash) -> None:
    """The page and its layout depend on the visitor's language: say so to caches (a shared
    cache must not hand the first visitor's French page to everyone)."""
    prefix = app.config.requests_pathname_prefix
    page, layout = prefix, prefix + "_dash-layout"

    @app.server.after_request
    def vary(response: Any) -> Any:
        if request.path in (page, layout):
            response.vary.add("Accept-Language")
            if request.path == layout:
                response.vary.add("Referer")  # the page's link: its lang and embed
            response.headers["Cache-Control"] = "private, no-cache"
        return response


def _localise_index(app: Dash) -> None:
    """``<html lang="fr">`` and a translated ``<title>`` on the page in French."""
    render = app.interpolate_index

    def interpolate_index(**kwargs: Any) -> str:
        lang = url_lang(_referer_query(), browser_lang())
        page = render(**kwargs)
        page = page.replace("<html>", f'<html lang="{lang}">', 1)
        if lang != "en":
            page = page.replace(f"<title>{TITLE}</title>",
                                f"<title>{tr(lang)(PAGE_TITLE)} · africa-presence</title>", 1)
        return page

    app.interpolate_index = interpolate_index
