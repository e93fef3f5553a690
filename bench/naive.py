"""The baseline: the dashboard as a plain Dash tutorial would write it.

One callback takes the year and the selected powers and builds a fresh ``go.Figure`` (the
country GeoJSON included) on every interaction. Same data, same joins (geo.timeline) and the
same local base map as the real app, so the comparison isolates the one design choice the
benchmark is about: rebuilding and shipping the whole figure versus patching it.

Run it alone with ``python -m bench.naive --port 8060 [--data DIR]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

from geo.dataset import Dataset, load_dataset
from geo.timeline import country_table, installation_states

#: The app's own assets folder: only its base-map topojson is used (scripts and styles are
#: ignored), otherwise the baseline map would stay blank offline (plotly would fetch its
#: base map from a CDN).
ASSETS = Path(__file__).resolve().parent.parent / "dashboard" / "assets"
TOPOJSON_URL = "/assets/topojson/"


def naive_figure(ds: Dataset, geojson: dict, colors: dict[str, str], year: int,
                 powers: Sequence[str]) -> go.Figure:
    """The whole figure for one year, built from scratch, geometry included."""
    table = country_table(ds, year, powers)
    inst = installation_states(ds, year, powers=powers)
    fig = go.Figure(go.Choropleth(
        geojson=geojson, featureidkey="properties.iso3",
        locations=table["iso3"], z=table["n_powers"], text=table["name"],
        colorscale="Blues", zmin=0, zmax=6, colorbar={"title": {"text": "Powers"}},
    ))
    fig.add_trace(go.Scattergeo(
        lat=inst["lat"], lon=inst["lon"], mode="markers",
        text=inst["name"] + "<br>" + inst["power"] + " · " + inst["kind"] + " · " + inst["state"],
        marker={"size": 9, "color": [colors.get(p, "#444") for p in inst["power"]]},
    ))
    fig.update_geos(scope="africa", resolution=50, showcountries=True,
                    lataxis_range=[-36, 38.5], lonaxis_range=[-26, 60])
    fig.update_layout(margin={"l": 0, "r": 0, "t": 0, "b": 0}, showlegend=False)
    return fig


def naive_inputs(ds: Dataset) -> tuple[dict, dict[str, str]]:
    """The GeoJSON as a tutorial gets it from a GeoDataFrame, and the power colours."""
    geojson = json.loads(ds.countries.to_json())
    return geojson, dict(zip(ds.powers["code"], ds.powers["color"], strict=True))


def create_naive_app(ds: Dataset) -> Dash:
    """A Dash app that returns the whole figure from its only callback."""
    geojson, colors = naive_inputs(ds)
    lo, hi = ds.year_range
    app = Dash(__name__, serve_locally=True, assets_folder=str(ASSETS),
               assets_ignore=r".*\.(js|css)$", title="naive baseline")
    app.layout = html.Div([
        html.H1("Foreign military presence in Africa"),
        dcc.Slider(id="year", min=lo, max=hi, step=1, value=min(ds.latest_year, hi),
                   marks={y: str(y) for y in range(lo, hi + 1, 5)}),
        dcc.Checklist(id="powers", options=list(ds.power_codes), value=list(ds.power_codes),
                      inline=True),
        dcc.Graph(id="map", style={"height": "80vh"}, config={"topojsonURL": TOPOJSON_URL}),
    ])

    @app.callback(Output("map", "figure"), Input("year", "value"), Input("powers", "value"))
    def update_map(year: int, powers: list[str]) -> go.Figure:
        return naive_figure(ds, geojson, colors, year, powers)

    return app


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the baseline (the benchmark times its start-up like the real app's)."""
    parser = argparse.ArgumentParser(prog="python -m bench.naive")
    parser.add_argument("--port", type=int, default=8060)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args(argv)
    app: Any = create_naive_app(load_dataset(args.data))
    app.run(host=args.host, port=args.port, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
