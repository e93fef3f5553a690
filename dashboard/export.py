"""Exports of the current view: map images (PNG, SVG, PDF, GIF), standalone HTML, CSV, GeoJSON.

Pure Python, no Dash: the CLI (``africa-presence export``) and the dashboard's export panel
both call :func:`export_bytes` / :func:`export_batch`. Images go through Kaleido 1.x and the
machine's Chrome/Chromium; one browser (:class:`Renderer`) is started on first use and kept
for the whole process, because starting it costs seconds while a render costs a fraction of
one. Everything works offline: plotly.js comes from the plotly package, the base-map topojson
from ``assets/topojson/`` and MathJax is switched off (Kaleido would fetch it from a CDN).
Files are written atomically (temporary file, then ``os.replace``), so an interrupted export
never leaves a half-written file, and a batch lands all together or not at all.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import contextlib
import datetime as dt
import html
import io
import json
import math
import os
import re
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import STATE_LABELS, STATE_STYLE, base_figure
from dashboard.state import LAYERS, METRIC_LABELS, METRICS, STATUS_FILTER, State, to_query
from geo.join import agreements_in_year, installation_states, summary_counts

# --------------------------------------------------------------------------- options

#: Print size by default: fills an A4/letter page at 200 dpi, readable on a slide.
DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_SCALE = 1600, 1200, 1.0
#: Layout size bounds (CSS pixels) and scale bounds. Below 400 px the title, legend and footer
#: leave the map a thumbnail; above 4000 px (x4) Chromium needs gigabytes and minutes.
MIN_SIDE, MAX_SIDE = 400, 4000
MIN_SCALE, MAX_SCALE = 0.5, 4.0
#: The image's pixel size is width*scale x height*scale; keep each side within this so a
#: render stays far from Chromium's canvas limit (16384 px, 268 Mpx) and from swapping.
MAX_PIXELS = 8000

FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "html", "csv", "geojson", "gif")
#: Formats drawn by the browser (the others need no Chrome).
BROWSER_FORMATS: frozenset[str] = frozenset({"png", "svg", "pdf", "gif"})
MEDIA_TYPES: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "gif": "image/gif",
    "html": "text/html",
    "csv": "text/csv",
    "geojson": "application/geo+json",
}
SUFFIXES: dict[str, str] = {
    ".png": "png", ".svg": "svg", ".pdf": "pdf", ".gif": "gif", ".html": "html",
    ".htm": "html", ".csv": "csv", ".geojson": "geojson", ".json": "geojson",
}

#: plotly's base maps, shipped with the app (technical notes, section 1).
TOPOJSON_DIR = Path(__file__).resolve().parent / "assets" / "topojson"

#: Seconds a single render may take before the browser is considered stuck.
RENDER_TIMEOUT = 60.0
#: Seconds per GIF frame, and for the last frame (so a loop pauses on the latest year).
GIF_FRAME_S, GIF_LAST_FRAME_S = 1.2, 3.0

NO_BROWSER_MESSAGE = (
    "no Chrome or Chromium found for PNG/SVG/PDF/GIF export: install one "
    "(Debian/Ubuntu: apt-get install chromium) or set BROWSER_PATH=/path/to/chrome "
    "(CSV, GeoJSON and HTML exports need no browser)"
)


class ExportError(ValueError):
    """A bad option or an export that cannot be made; ``str()`` is one line for the user."""


class NoBrowserError(ExportError):
    """No Chrome/Chromium to render images with."""


class RenderError(ExportError):
    """The browser failed or timed out while drawing (not the user's options: exit 1)."""


@dataclass(frozen=True)
class Size:
    """Layout size in CSS pixels and the pixel-density scale of the image."""

    width: int = DEFAULT_WIDTH
    height: int = DEFAULT_HEIGHT
    scale: float = DEFAULT_SCALE

    @property
    def pixels(self) -> tuple[int, int]:
        """Pixel size of a PNG/GIF: layout size times scale, rounded down (as Chromium does)."""
        return (math.floor(self.width * self.scale + 1e-9),
                math.floor(self.height * self.scale + 1e-9))


def _number(value: Any, name: str, kind: type) -> float:
    """``value`` as a finite float, or as an int when ``kind`` is int (1600.0 is fine)."""
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise ExportError(f"--{name} must be a number (got {str(value)[:20]!r})") from None
    if not math.isfinite(number):
        raise ExportError(f"--{name} must be a finite number") from None
    if kind is int:
        if not number.is_integer():
            raise ExportError(f"--{name} must be a whole number (got {number:g})")
        return int(number)
    return number


def check_size(width: Any = None, height: Any = None, scale: Any = None) -> Size:
    """Validate width/height/scale (None = default) against the documented bounds."""
    w = DEFAULT_WIDTH if width in (None, "") else _number(width, "width", int)
    h = DEFAULT_HEIGHT if height in (None, "") else _number(height, "height", int)
    s = DEFAULT_SCALE if scale in (None, "") else _number(scale, "scale", float)
    for name, value in (("width", w), ("height", h)):
        if not MIN_SIDE <= value <= MAX_SIDE:
            raise ExportError(
                f"--{name} must be {MIN_SIDE}-{MAX_SIDE} px (got {value})")
    if not MIN_SCALE <= s <= MAX_SCALE:
        raise ExportError(f"--scale must be {MIN_SCALE:g}-{MAX_SCALE:g} (got {s:g})")
    size = Size(int(w), int(h), float(s))
    if max(size.pixels) > MAX_PIXELS:
        px = "x".join(map(str, size.pixels))
        raise ExportError(
            f"image would be {px} px; width or height times scale must stay <= {MAX_PIXELS}")
    return size


# --------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class Records:
    """The records behind one view: what the CSV and GeoJSON exports contain."""

    installations: pd.DataFrame  # geo.join.installation_states (state column = state in year)
    agreements: pd.DataFrame  # geo.join.agreements_in_year


def view_records(ds: Any, state: State) -> Records:
    """Installations and agreements the map shows for ``state`` (layers and filters applied)."""
    powers = state.power_set(ds.power_codes)
    inst = installation_states(ds, state.year, show_closed=state.show_closed, powers=powers,
                               states=state.visible_states())
    agr = agreements_in_year(ds, state.year, powers=powers)
    if not state.shows("installations"):
        inst = inst.iloc[0:0]
    if not state.shows("agreements"):
        agr = agr.iloc[0:0]
    return Records(inst, agr)


def _names(ds: Any) -> tuple[dict[str, str], dict[str, str]]:
    powers = dict(zip(ds.powers["code"], ds.powers["name"], strict=True))
    countries = dict(zip(ds.countries["iso3"], ds.countries["name"], strict=True))
    return powers, countries


def _license(ds: Any) -> str | None:
    """The dataset licence's short name from its descriptor, for the credit line."""
    try:
        path = Path(ds.data_dir) / "datapackage.json"
        descriptor = json.loads(path.read_text("utf-8"))
        return str(descriptor["licenses"][0]["name"]).replace("CC-BY-", "CC BY ")
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None


def credit_line(ds: Any) -> str:
    """The data credit every export carries (the licence asks for attribution)."""
    version = getattr(ds, "version", "") or "unversioned"
    label = f"v{version}" if version[:1].isdigit() else f"({version})"
    text = f"Data: africa-presence dataset {label} (sources per record); borders: Natural Earth"
    licence = _license(ds)
    return f"{text}. Data licence: {licence}" if licence else text


def _powers_text(ds: Any, state: State) -> str:
    names, _ = _names(ds)
    chosen = state.power_set(ds.power_codes)
    if state.powers is None:
        return f"all {len(ds.power_codes)} foreign powers"
    if not chosen:
        return "no power selected"
    if len(chosen) <= 4:
        return ", ".join(names.get(c, c) for c in chosen)
    return f"{len(chosen)} of {len(ds.power_codes)} powers ({', '.join(chosen)})"


def filters_text(ds: Any, state: State) -> str:
    """The filters in words, for the title block of an image and the data files' metadata."""
    parts = [f"Powers: {_powers_text(ds, state)}"]
    if state.shows("installations"):
        statuses = [STATE_LABELS[s].lower() for s in state.statuses]
        if not statuses:
            text = "closed only" if state.show_closed else "no status selected"
        else:
            text = "all statuses" if state.statuses == STATUS_FILTER else ", ".join(statuses)
            text += " incl. closed" if state.show_closed else ""
        parts.append(f"installations: {text}")
    else:
        parts.append("installations hidden")
    parts.append("agreements in force" if state.shows("agreements") else "agreements hidden")
    if state.shows("countries"):
        parts.append(f"countries coloured by {METRIC_LABELS[state.metric].lower()}")
    else:
        parts.append("countries not coloured")
    if state.country:
        _, countries = _names(ds)
        parts.append(f"outlined: {countries.get(state.country, state.country)}")
    return " · ".join(parts)


def counts_text(ds: Any, state: State) -> str:
    """Headline numbers of the view, as in the dashboard's summary line."""
    c = summary_counts(
        ds, state.year, state.power_set(ds.power_codes), states=state.visible_states(),
        show_closed=state.show_closed, include_installations=state.shows("installations"),
        include_agreements=state.shows("agreements"),
    )

    def n(k: int, one: str, many: str) -> str:
        return f"{k} {one if k == 1 else many}"

    parts = [n(c["powers"], "power", "powers")]
    if state.shows("installations"):
        parts.append(n(c["installations"], "installation", "installations"))
    if state.shows("agreements"):
        parts.append(n(c["agreements"], "agreement", "agreements"))
    parts.append(n(c["countries"], "country", "countries"))
    return " · ".join(parts)


TITLE = "Foreign military presence in Africa"


# --------------------------------------------------------------------------- print figure


def _esc(text: str) -> str:
    """Plotly text is pseudo-HTML: escape dataset strings (names) before they go in."""
    return html.escape(text, quote=False)


#: Legend ids: powers (marker colour) and marker shapes (installation states, agreements).
POWER_LEGEND, SHAPE_LEGEND = "legend", "legend2"


@dataclass(frozen=True)
class _Entry:
    label: str
    legend: str
    marker: dict[str, Any]
    glyph: str  # the marker as a character, for the compact text key of small images


def _legend_entries(ds: Any, state: State, records: Records, k: float) -> list[_Entry]:
    """What the legend lists: each power with a marker on the map, each marker shape in use."""
    names, _ = _names(ds)
    colors = dict(zip(ds.powers["code"], ds.powers["color"], strict=True))
    on_map = set(records.installations["power"]) | set(records.agreements["power"])
    entries = [
        _Entry(names.get(code, code), POWER_LEGEND,
               {"symbol": "circle", "size": 11 * k, "color": colors[code],
                "line": {"color": "#ffffff", "width": 1}},
               f'<span style="color:{colors[code]}">●</span>')
        for code in ds.power_codes if code in on_map
    ]
    states_shown = set(records.installations["state"])
    for s in ("active", "planned", "abandoned", "refused", "closed"):
        if s not in states_shown:
            continue
        symbol, size, width = STATE_STYLE[s]
        label = {"active": "Active installation", "planned": "Planned / announced"}.get(
            s, STATE_LABELS[s])
        colour = "#8a8a8a" if s == "closed" else "#444444"
        glyph = {"active": "●", "planned": "○", "abandoned": "◇", "refused": "✕",
                 "closed": "⊗"}[s]
        entries.append(_Entry(label, SHAPE_LEGEND, {
            "symbol": symbol, "size": size * k, "color": colour,
            "line": {"color": colour if "open" in symbol else "#ffffff", "width": width * k}},
            f'<span style="color:{colour}">{glyph}</span>'))
    if len(records.agreements):
        entries.append(_Entry("Agreement in force", SHAPE_LEGEND, {
            "symbol": "square", "size": 8 * k, "color": "#444444",
            "line": {"color": "#ffffff", "width": 1}}, '<span style="color:#444444">■</span>'))
    return entries


def _text_px(text: str, font: float) -> float:
    """Rough rendered width of ``text`` (DejaVu/system sans averages ~0.6 em per char)."""
    return 0.6 * font * len(text)


def _row_px(font: float) -> float:
    """Height of one legend entry: plotly.js uses max(1.3 x font, 16) + 3."""
    return max(1.3 * font, 16) + 3


def _wrap(text: str, width_px: float, font: float) -> list[str]:
    """Break ``text`` into lines that fit ``width_px`` (plotly never wraps), at " · " first."""
    limit = max(10, int(width_px / (0.62 * font)))
    lines: list[str] = []
    line = ""
    for part in text.split(" · "):
        candidate = f"{line} · {part}" if line else part
        if len(candidate) <= limit:
            line = candidate
            continue
        if line:
            lines.append(line + " ·")
        while len(part) > limit:  # a single long part: break at the last space
            cut = part.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            lines.append(part[:cut])
            part = part[cut:].lstrip()
        line = part
    if line:
        lines.append(line)
    return lines


def _key_lines(title: str, entries: Sequence[_Entry], width_px: float,
               font: float) -> list[str]:
    """A legend as wrapped lines of text ("● France   ● Italy ..."): compact for small images."""
    limit = max(10, int(width_px / (0.62 * font)))
    lines: list[str] = []
    html_line, used = f"<b>{_esc(title)}:</b>", len(title) + 1
    for e in entries:
        item_len = len(e.label) + 2
        if used + 3 + item_len > limit:
            lines.append(html_line)
            html_line, used = "", 0
        sep = "   " if used else ""
        html_line += f"{sep}{e.glyph} {_esc(e.label)}"
        used += len(sep) + item_len
    lines.append(html_line)
    return lines


def map_aspect(geo: Any) -> float:
    """Width/height of the map region the geo layout shows (lon/lat ranges, projection).

    plotly fits that region inside the plot area, so a plot area of the same aspect has no
    blank bands; the legend and footer then sit snugly around the map at any image size.
    """
    try:
        lon0, lon1 = (float(v) for v in geo.lonaxis.range)
        lat0, lat1 = (float(v) for v in geo.lataxis.range)
    except (TypeError, ValueError):
        return 1.0
    kind = (geo.projection.type or "").lower()
    centre = (lon0 + lon1) / 2
    if kind == "mercator":
        def y(lat: float) -> float:
            return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        height = y(min(lat1, 85)) - y(max(lat0, -85))
        return math.radians(lon1 - lon0) / height if height > 0 else 1.0
    if kind in ("equirectangular", ""):
        return (lon1 - lon0) / (lat1 - lat0) if lat1 > lat0 else 1.0
    if kind != "natural earth":
        return 1.0

    def ne(lon: float, lat: float) -> tuple[float, float]:
        lam, phi = math.radians(lon - centre), math.radians(lat)
        p2 = phi * phi
        p4 = p2 * p2
        x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2
                                                                      - 0.001529 * p4)))
        yy = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2
                                                       - 0.005916 * p4)))
        return x, yy

    edge = [ne(lon0 + (lon1 - lon0) * i / 50, lat) for i in range(51) for lat in (lat0, lat1)]
    edge += [ne(lon, lat0 + (lat1 - lat0) * i / 50) for i in range(51) for lon in (lon0, lon1)]
    xs, ys = [p[0] for p in edge], [p[1] for p in edge]
    return (max(xs) - min(xs)) / (max(ys) - min(ys))


def print_figure(
    ds: Any,
    state: State,
    size: Size | None = None,
    *,
    exported: dt.date | None = None,
    interactive: bool = False,
) -> go.Figure:
    """The dashboard's map for ``state`` dressed for a report: title, legend, credit footer.

    Fonts, markers and margins grow with the layout size, so a 4000 px poster reads like the
    1600 px default. The legend sits in a column right of the map when the image is wide
    enough, else in rows below it, whichever leaves the bigger map. ``interactive`` (the
    HTML export) keeps the same composition and only turns panning and hovering on.
    """
    size = size or Size()
    exported = exported or dt.date.today()
    W, H = size.width, size.height
    # Type and markers follow the image's area (a portrait page gets readable text too).
    k = max(0.5, min(math.sqrt(W * H / (DEFAULT_WIDTH * DEFAULT_HEIGHT)), 2.5))
    font = max(8.0, 13 * k)
    records = view_records(ds, state)
    fig = base_figure(ds, state)

    for trace in fig.data:
        marker = trace.marker
        if trace.type == "choropleth":
            if isinstance(marker.line.width, tuple):
                marker.line.width = [w * min(k, 1.5) for w in marker.line.width]
        elif trace.type == "scattergeo":
            if isinstance(marker.size, tuple):
                marker.size = [s * k for s in marker.size]
            elif isinstance(marker.size, int | float):
                marker.size = marker.size * k
            if isinstance(marker.line.width, tuple):
                marker.line.width = [w * k for w in marker.line.width]
            elif isinstance(marker.line.width, int | float):
                marker.line.width = marker.line.width * k

    entries = _legend_entries(ds, state, records, k)
    titles = {POWER_LEGEND: "Foreign power (marker colour)",
              SHAPE_LEGEND: f"Marker shape in {state.year}"}
    groups = {lg: n for lg in titles if (n := sum(e.legend == lg for e in entries))}
    show_scale = state.shows("countries")
    metric_title = f"Countries: {METRIC_LABELS[state.metric].lower()}"

    # Geometry, in layout pixels.
    gap, side = 18 * k, 28 * k
    title_font, foot_font = 25 * k, max(8.0, 11 * k)
    text_w = W - 2 * side
    title = f"{TITLE}, {state.year}"
    if _text_px(title, title_font * 1.1) > text_w:  # bold is wider
        title_font = max(10.0, text_w / (0.66 * len(title)))
    subtitle_lines = _wrap(counts_text(ds, state), text_w, font) + _wrap(
        filters_text(ds, state), text_w, font)
    footer_lines = _wrap(credit_line(ds) + ".", text_w, foot_font) + _wrap(
        f"Exported {exported.isoformat()} · view {to_query(state)} · borders and names "
        "do not imply any position on their status", text_w, foot_font)
    top = 18 * k + 1.3 * title_font + len(subtitle_lines) * 1.4 * font + 22 * k
    footer_h = len(footer_lines) * 1.35 * foot_font + 16 * k
    avail_w, avail_h = text_w, H - top - footer_h
    aspect = map_aspect(fig.layout.geo)
    col_w = max([_text_px(e.label, font) + 50 for e in entries]
                + [_text_px(titles[lg], font) + 12 for lg in groups]
                + ([_text_px(metric_title, font) + 12] if show_scale else []) + [120 * k])
    legend_title_h = 1.3 * font + 8
    scale_h = (2 * 1.3 * font + 12 * k + 14) if show_scale else 0.0

    def legend_h(n: int, cols: int) -> float:
        return legend_title_h + -(-n // max(cols, 1)) * _row_px(font) + 8

    column_h = scale_h + sum(legend_h(n, 1) + gap for n in groups.values())
    map_h_right = min(avail_h, (avail_w - col_w - gap) / aspect)
    key = [line for lg in groups for line in _key_lines(
        titles[lg], [e for e in entries if e.legend == lg], avail_w, font)]
    below_h = len(key) * 1.35 * font + gap + (scale_h + gap / 2 if show_scale else 0)
    map_h_below = min(avail_h - below_h, avail_w / aspect)
    right = column_h <= avail_h and map_h_right >= 0.95 * map_h_below

    colorbar: dict[str, Any] = {
        "orientation": "h", "thickness": 12 * k, "outlinewidth": 0,
        "tickfont": {"size": font * 0.92},
        "title": {"text": metric_title, "side": "top", "font": {"size": font}},
        "bgcolor": "rgba(255,255,255,0)", "xpad": 0, "ypad": 0,
    }
    common = {"font": {"size": font}, "bgcolor": "rgba(255,255,255,0)",
              "itemsizing": "trace", "groupclick": "toggleitem", "maxheight": H}
    legends: dict[str, dict[str, Any]] = {}
    if right:
        map_h = max(map_h_right, 1.0)
        map_w = map_h * aspect
        spare = max(0.0, avail_w - (map_w + gap + col_w))
        margin = {"l": side + spare / 2, "t": top}
        x_legend = 1 + gap / map_w
    else:
        map_h = max(map_h_below, 1.0)
        map_w = min(avail_w, map_h * aspect)
        margin = {"l": side + (avail_w - map_w) / 2, "t": top}
    # Centre the block (map plus legend rows) between the header and the footer.
    block_h = max(map_h, column_h) if right else map_h + below_h
    margin["t"] = top + max(0.0, avail_h - block_h) / 2
    margin["r"] = W - margin["l"] - map_w
    margin["b"] = H - margin["t"] - map_h
    if right:
        colorbar.update(x=x_legend, xanchor="left", y=1, yanchor="top", lenmode="pixels",
                        len=col_w)
        y_px = scale_h + (gap if show_scale else 0)
        for lg, n in groups.items():
            legends[lg] = {**common, "x": x_legend, "xanchor": "left", "y": 1 - y_px / map_h,
                           "yanchor": "top", "orientation": "v",
                           "title": {"text": titles[lg], "font": {"size": font}}}
            y_px += legend_h(n, 1) + gap
    else:
        # Legends under the map, aligned with the text block's left edge (not the map's).
        x_left = -(margin["l"] - side) / map_w
        colorbar.update(x=x_left, xanchor="left", y=-gap / 2 / map_h, yanchor="top",
                        lenmode="pixels", len=min(col_w, avail_w))
    if right:
        for e in entries:
            fig.add_trace(go.Scattergeo(
                lat=[None], lon=[None], mode="markers", name=_esc(e.label), legend=e.legend,
                marker=e.marker, showlegend=True, hoverinfo="skip"))
    annotations: list[dict[str, Any]] = []
    if not right and key:
        annotations.append({
            "text": "<br>".join(key), "xref": "paper", "yref": "paper", "x": x_left, "y": 0,
            "xanchor": "left", "yanchor": "top", "showarrow": False,
            "yshift": -(gap / 2 + (scale_h + gap / 2 if show_scale else 0)),
            "align": "left", "font": {"size": font, "color": "#222"},
        })

    subtitle = "<br>".join(_esc(line) for line in subtitle_lines)
    footer = "<br>".join(_esc(line) for line in footer_lines)
    # The footer's top sits footer_h above the image's bottom, whatever the map's height.
    foot_shift = -(H - footer_h + 8 * k - (margin["t"] + map_h))
    fig.update_traces(selector={"type": "choropleth"}, showscale=show_scale,
                      colorbar=colorbar)
    fig.update_layout(
        paper_bgcolor="#ffffff",
        font={"size": font},
        margin={**margin, "autoexpand": False},
        title={
            "text": f"<b>{_esc(title)}</b>",
            "font": {"size": title_font, "color": "#111"},
            "subtitle": {"text": subtitle, "font": {"size": font, "color": "#444"}},
            "x": (margin["l"] if right else side) / W, "xanchor": "left",
            "xref": "container", "y": 1 - 18 * k / H,
            "yanchor": "top", "yref": "container",
        },
        showlegend=right,
        **legends,
        annotations=[*annotations, {
            "text": footer, "xref": "paper", "yref": "paper",
            "x": 0 if right else -(margin["l"] - side) / map_w, "y": 0,
            "xanchor": "left", "yanchor": "top", "yshift": foot_shift, "showarrow": False,
            "align": "left", "font": {"size": foot_font, "color": "#555"},
        }],
        geo={"domain": {"x": [0, 1], "y": [0, 1]}},
        dragmode="pan" if interactive else False,
        width=W,
        height=H,
    )
    if interactive:  # the standalone page has no details panel to open
        for trace in fig.data:
            if trace.type == "choropleth" and trace.hovertemplate:
                trace.hovertemplate = trace.hovertemplate.replace(
                    "<br><i>Click for details</i>", "")
    return fig


# --------------------------------------------------------------------------- browser engine


def find_browser() -> str | None:
    """Path of the Chrome/Chromium Kaleido will drive: $BROWSER_PATH, else a usual install."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:  # choreographer comes with kaleido
        return None
    try:
        return Chromium.find_browser(skip_local=False)
    except Exception:  # a broken local download must not hide a system browser
        return Chromium.find_browser(skip_local=True)


def topojson_url() -> str:
    """The shipped base-map folder as a file:// URL with a trailing slash (Kaleido wants it)."""
    return TOPOJSON_DIR.as_uri() + "/"


class Renderer:
    """One headless browser (a Kaleido) on its own event-loop thread, shared by all exports.

    Why not ``kaleido.start_sync_server``: its queue mixes up results when two threads (two
    dashboard users) render at once and it hangs forever if the browser dies. Here each call
    waits on its own future with a timeout, and a dead browser is restarted once.
    """

    def __init__(self, browser: str | None = None, *, tabs: int = 1,
                 timeout: float = RENDER_TIMEOUT) -> None:
        self.browser = browser
        self.tabs = tabs
        self.timeout = timeout
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self.starts = 0  # browsers started (a test checks it stays 1 over a batch)

    @property
    def running(self) -> bool:
        """A browser is up and its event loop still turns."""
        return (self._kaleido is not None and self._thread is not None
                and self._thread.is_alive() and self._loop is not None
                and self._loop.is_running())

    def _abandon(self) -> None:
        """Forget a browser whose loop thread died (killed from outside): end its process."""
        process = getattr(self._kaleido, "subprocess", None)
        if process is not None:
            with contextlib.suppress(Exception):
                process.kill()
                process.wait(5)
        self._kaleido = None
        if self._loop is not None and not self._loop.is_running():
            with contextlib.suppress(Exception):
                self._loop.close()
        self._loop = self._thread = None

    def _run(self, coro: Any, timeout: float) -> Any:
        assert self._loop is not None
        future: Future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def start(self) -> None:
        """Start the browser now (else the first render does): a dashboard may warm up."""
        with self._lock:
            if self.running:
                return
            if self._kaleido is not None:  # its thread was killed: start afresh
                self._abandon()
            path = self.browser or find_browser()
            if not path:
                raise NoBrowserError(NO_BROWSER_MESSAGE)
            import kaleido

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread

            async def open_browser() -> Any:
                k = kaleido.Kaleido(n=self.tabs, timeout=self.timeout, mathjax=False,
                                    path=path)
                await k.open()
                return k

            try:
                self._kaleido = self._run(open_browser(), self.timeout)
            except Exception as exc:
                self._stop_loop()
                raise RenderError(f"could not start the browser at {path}: "
                                  f"{_one_line(exc)}") from exc
            self.starts += 1

    def _stop_loop(self) -> None:
        """Cancel what still runs on the loop (a dead browser's watchdog...), then stop it."""
        loop = self._loop
        if loop is not None:
            async def cancel_all() -> None:
                tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(cancel_all(), loop).result(5)
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(5)
            if not loop.is_running():
                loop.close()
        self._loop = self._thread = None

    def close(self, only: Any = None) -> None:
        """Close the browser and its thread (idempotent; registered at exit).

        ``only``: close only if that is still the running browser, so that two threads
        that both saw it crash do not close the fresh one the other just started.
        """
        with self._lock:
            if only is not None and self._kaleido is not only:
                return
            if self._kaleido is not None and not self.running:
                self._abandon()
                return
            if self._kaleido is not None and self._loop is not None:
                with contextlib.suppress(Exception):
                    self._run(self._kaleido.close(), 15)
            self._kaleido = None
            self._stop_loop()

    def render(self, fig: go.Figure | dict, fmt: str, size: Size) -> bytes:
        """The image bytes of ``fig``; restarts a crashed browser once and tries again."""
        return self.render_many([fig], fmt, size)[0]

    def render_many(self, figs: Iterable[go.Figure | dict], fmt: str, size: Size) -> list[bytes]:
        """Render several figures with the one browser, in order.

        Each figure is handed to the browser as soon as it is built, so a batch builds the
        next map in Python while Chromium draws the previous one (two CPUs busy, not one).
        """
        if fmt not in BROWSER_FORMATS:
            raise ExportError(f"{fmt} is not an image format")
        opts = {"format": "png" if fmt == "gif" else fmt, "width": size.width,
                "height": size.height, "scale": size.scale}
        built: list[go.Figure | dict] = []
        pending: Iterable[go.Figure | dict] = figs
        for attempt in (1, 2):
            self.start()
            browser = self._kaleido
            try:
                return self._render_all(browser, pending, built, opts)
            except Exception as exc:
                from choreographer.errors import BrowserClosedError, BrowserFailedError

                broken = isinstance(exc, BrowserClosedError | BrowserFailedError | OSError
                                    | FutureTimeout)
                if attempt == 2 or not broken:
                    raise RenderError(f"rendering failed: {_one_line(exc)}") from exc
                self.close(only=browser)  # a crashed or stuck browser: start a fresh one
                pending, built = [*built, *pending], []  # the rest of a generator, too
        raise AssertionError("unreachable")

    def _render_all(self, browser: Any, figs: Iterable[go.Figure | dict],
                    built: list[go.Figure | dict], opts: dict) -> list[bytes]:
        """Submit each figure as it comes (kept in ``built`` for a retry), then collect."""
        loop = self._loop
        if browser is None or loop is None:  # closed by another thread meanwhile
            raise OSError("the browser was closed")
        topo = topojson_url()
        futures: list[Future] = []
        try:
            for fig in figs:
                built.append(fig)
                futures.append(asyncio.run_coroutine_threadsafe(
                    browser.calc_fig(fig, opts=opts, topojson=topo), loop))
            # The browser works through them tabs at a time: allow each its own timeout.
            deadline = time.monotonic() + self.timeout * (len(futures) / self.tabs + 1) + 5
            return [f.result(max(0.1, deadline - time.monotonic())) for f in futures]
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


_RENDERER: Renderer | None = None
_RENDERER_LOCK = threading.Lock()


def renderer() -> Renderer:
    """The process-wide renderer; a forked worker (gunicorn --preload) gets its own."""
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is None or _RENDERER.pid != os.getpid():
            _RENDERER = Renderer()
        return _RENDERER


@atexit.register
def _close_renderer() -> None:
    if _RENDERER is not None and _RENDERER.pid == os.getpid():
        _RENDERER.close()


# --------------------------------------------------------------------------- data files


_CSV_COLUMNS = (
    "record_type", "id", "year", "state_in_year", "power", "power_name", "host_iso3",
    "host_name", "name", "kind", "status", "announced", "opened", "closed", "signed",
    "in_force", "ended", "site", "lat", "lon", "coord_precision", "confidence", "summary",
    "notes", "sources", "dataset_version",
)


def _record_rows(ds: Any, state: State) -> list[dict[str, Any]]:
    """One flat dict per record of the view, installations then agreements."""
    records = view_records(ds, state)
    powers, countries = _names(ds)

    def year(value: Any) -> int | None:
        return None if value is None or pd.isna(value) else int(value)

    def text(value: Any) -> str:
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else (
            str(value))

    rows: list[dict[str, Any]] = []
    for _, r in records.installations.iterrows():
        rows.append({
            "record_type": "installation", "id": r["id"], "year": state.year,
            "state_in_year": r["state"], "power": r["power"],
            "power_name": powers.get(r["power"], ""), "host_iso3": r["host_iso3"],
            "host_name": countries.get(r["host_iso3"], ""), "name": r["name"],
            "kind": r["kind"], "status": r["status"], "announced": year(r["announced"]),
            "opened": year(r["opened"]), "closed": year(r["closed"]), "signed": "",
            "in_force": "", "ended": None, "site": text(r["site"]), "lat": float(r["lat"]),
            "lon": float(r["lon"]), "coord_precision": r["coord_precision"],
            "confidence": r["confidence"], "summary": "", "notes": text(r["notes"]),
            "sources": text(r["sources"]), "dataset_version": ds.version,
        })
    for _, r in records.agreements.iterrows():
        rows.append({
            "record_type": "agreement", "id": r["id"], "year": state.year,
            "state_in_year": "in force", "power": r["power"],
            "power_name": powers.get(r["power"], ""), "host_iso3": r["host_iso3"],
            "host_name": countries.get(r["host_iso3"], ""), "name": "", "kind": r["kind"],
            "status": "", "announced": None, "opened": None, "closed": None,
            "signed": r["signed"], "in_force": r["in_force"], "ended": year(r["ended"]),
            "site": "", "lat": None, "lon": None, "coord_precision": "",
            "confidence": r["confidence"], "summary": text(r["summary"]),
            "notes": text(r.get("notes")), "sources": text(r["sources"]),
            "dataset_version": ds.version,
        })
    return rows


def records_csv(ds: Any, state: State) -> bytes:
    """The view's records as one UTF-8 CSV (installations and agreements, ``record_type``)."""
    frame = pd.DataFrame(_record_rows(ds, state), columns=list(_CSV_COLUMNS))
    for column in ("announced", "opened", "closed", "ended"):
        frame[column] = frame[column].astype("Int64")
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def records_geojson(ds: Any, state: State, *, exported: dt.date | None = None) -> bytes:
    """The view's records as GeoJSON: installations as points, agreements without geometry.

    Agreements have no place of their own (the map draws them at the country's centre), so
    their geometry is null, which RFC 7946 allows; ``host_iso3`` ties them to a country.
    """
    exported = exported or dt.date.today()
    features = []
    for row in _record_rows(ds, state):
        props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        props["sources"] = [s for s in str(row["sources"]).split(" ; ") if s]
        geometry = ({"type": "Point", "coordinates": [row["lon"], row["lat"]]}
                    if row["record_type"] == "installation" else None)
        features.append({"type": "Feature", "id": row["id"], "geometry": geometry,
                         "properties": props})
    doc = {
        "type": "FeatureCollection",
        "metadata": {
            "title": f"{TITLE}, {state.year}",
            "year": state.year,
            "filters": filters_text(ds, state),
            "view": to_query(state),
            "dataset_version": ds.version,
            "exported": exported.isoformat(),
            "credit": credit_line(ds),
        },
        "features": features,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- HTML


_CDN_TOPOJSON = '"https://cdn.plot.ly/un/"'


def figure_html(ds: Any, state: State, size: Size | None = None, *,
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
    title = f"<title>{html.escape(TITLE)}, {state.year} · africa-presence</title>"
    style = "<style>body{margin:0;background:#eceff2}body>div{margin:0 auto;}</style>"
    head = '<meta charset="utf-8" />'
    page = page.replace(head, f"{head}\n    {title}\n    {style}\n    {assets}", 1)
    return page.encode("utf-8")


# --------------------------------------------------------------------------- files


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    write_all([(Path(path), data)])


def write_all(items: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files so that either all of them land or none changes.

    Each goes to a hidden temporary file beside its target first (where a full disk or an
    interruption would strike); only when all are on disk are they renamed into place
    (``os.replace`` is atomic on one filesystem). Should a rename still fail, the files
    already renamed are put back as they were (an old file is kept as a hard link).
    """
    tag = f"{os.getpid()}.{threading.get_ident()}"
    temps: list[tuple[Path, Path]] = []
    landed: list[tuple[Path, Path | None]] = []
    try:
        for path, data in items:
            tmp = path.with_name(f".{path.name}.{tag}.part")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in temps:
            backup: Path | None = None
            if path.exists():
                backup = path.with_name(f".{path.name}.{tag}.old")
                try:
                    os.link(path, backup)
                except OSError:  # no hard links here: this one cannot be rolled back
                    backup = None
            try:
                os.replace(tmp, path)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            landed.append((path, backup))
    except BaseException:
        for path, backup in reversed(landed):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                else:
                    path.unlink()
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        raise
    finally:
        for _, backup in landed:
            if backup is not None:
                with contextlib.suppress(FileNotFoundError):
                    backup.unlink()


# --------------------------------------------------------------------------- exports


def check_state(ds: Any, state: State) -> State:
    """Refuse a state the dataset cannot show (the CLI's strict counterpart of parse_query)."""
    lo, hi = ds.year_range
    if not lo <= state.year <= hi:
        raise ExportError(f"year {state.year} is outside the data's range {lo}-{hi}")
    if state.powers is not None:
        unknown = [p for p in state.powers if p not in ds.power_codes]
        if unknown:
            raise ExportError(f"unknown power {', '.join(unknown)} "
                              f"(known: {', '.join(ds.power_codes)})")
    return state


def export_bytes(
    ds: Any,
    state: State,
    fmt: str,
    size: Size | None = None,
    *,
    exported: dt.date | None = None,
    engine: Renderer | None = None,
) -> bytes:
    """One export of ``state`` in ``fmt``, as bytes (the dashboard sends them as a download)."""
    return export_batch(ds, [state], fmt, size, exported=exported, engine=engine)[0]


def export_batch(
    ds: Any,
    states: Sequence[State],
    fmt: str,
    size: Size | None = None,
    *,
    exported: dt.date | None = None,
    engine: Renderer | None = None,
) -> list[bytes]:
    """One file's bytes per state; images share one browser (``gif`` = one PNG per state)."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    size = size or Size()
    exported = exported or dt.date.today()
    for state in states:
        check_state(ds, state)
    if fmt == "csv":
        return [records_csv(ds, s) for s in states]
    if fmt == "geojson":
        return [records_geojson(ds, s, exported=exported) for s in states]
    if fmt == "html":
        return [figure_html(ds, s, size, exported=exported) for s in states]
    figs = (print_figure(ds, s, size, exported=exported).to_dict() for s in states)
    return (engine or renderer()).render_many(figs, fmt, size)


def gif_colours(ds: Any) -> list[str]:
    """Colours a GIF must keep exactly: marker colours and the choropleth's classes."""
    from dashboard import figures

    extra = [*getattr(figures, "RAMP", ()), getattr(figures, "CLOSED_COLOUR", "#8a8a8a")]
    return [*ds.powers["color"], *extra, "#444444", "#ffffff", "#111111"]


def gif_bytes(frames: Sequence[bytes], keep: Iterable[str] = ()) -> bytes:
    """An animated GIF (looping, a longer pause on the last year) from PNG frames.

    GIF has 256 colours. One palette serves every frame (no flicker between years): the
    colours in ``keep`` (the powers' marker colours, each a few pixels only) plus the most
    common colours of all frames; every pixel takes the nearest, without dithering.
    """
    try:
        from PIL import Image
    except ImportError:
        raise ExportError("GIF export needs Pillow: pip install pillow") from None
    images = [Image.open(io.BytesIO(b)).convert("RGB") for b in frames]
    counts: dict[tuple[int, int, int], int] = {}
    for image in images:
        for n, colour in image.getcolors(maxcolors=image.width * image.height) or []:
            counts[colour] = counts.get(colour, 0) + n
    forced = [tuple(int(c.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)) for c in keep]
    common = sorted(counts, key=counts.__getitem__, reverse=True)
    colours = list(dict.fromkeys([*forced, *common]))[:256]
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for c in colours for v in c] + [0] * 3 * (256 - len(colours)))
    quantized = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    durations = [int(GIF_FRAME_S * 1000)] * len(images)
    durations[-1] = int(GIF_LAST_FRAME_S * 1000)
    out = io.BytesIO()
    quantized[0].save(out, format="GIF", save_all=True, append_images=quantized[1:],
                      duration=durations, loop=0, optimize=False, disposal=1)
    return out.getvalue()


def export_filename(state: State, fmt: str, *, prefix: str = "africa-presence") -> str:
    """A descriptive download name, e.g. ``africa-presence-2019-RUS-FRA.png``."""
    parts = [prefix, str(state.year)]
    if state.powers is not None:
        parts.append("-".join(state.powers[:4]) + ("-etc" if len(state.powers) > 4 else "")
                     if state.powers else "none")
    return "-".join(parts) + f".{fmt}"


# --------------------------------------------------------------------------- CLI


def _parse_years(text: str, lo: int, hi: int) -> list[int]:
    """``2014-2025`` (or ``2014..2025``, ``2019``, ``2014,2016,2019``) -> sorted years."""
    years: set[int] = set()
    for part in text.replace("–", "-").replace("..", "-").split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", part)
        if not m:
            raise ExportError(f"--years must look like 2014-2025 (got {text[:30]!r})")
        a, b = int(m[1]), int(m[2] or m[1])
        if a > b:
            raise ExportError(f"--years {a}-{b} runs backwards")
        for y in (a, b):
            if not lo <= y <= hi:
                raise ExportError(f"year {y} is outside the data's range {lo}-{hi}")
        years.update(range(a, b + 1))
    return sorted(years)


def _choose(values: str, allowed: Sequence[str], option: str) -> tuple[str, ...]:
    """A comma list checked against ``allowed`` (case-insensitive), in canonical order."""
    by_key = {a.lower(): a for a in allowed}
    picked = []
    for raw in values.split(","):
        v = raw.strip()
        if not v:
            continue
        if v.lower() not in by_key:
            raise ExportError(f"unknown {option} value {v!r} (choose from {', '.join(allowed)})")
        picked.append(by_key[v.lower()])
    return tuple(a for a in allowed if a in picked)


def parse_view(ds: Any, text: str) -> tuple[State, bool]:
    """A dashboard link (or its ``?query``) as a state, strictly; and whether it set a year."""
    from urllib.parse import parse_qs

    from dashboard.state import parse_query

    query = text.split("?", 1)[1] if "?" in text else text
    query = query.split("#", 1)[0]
    state, notes = parse_query(query, ds.power_codes, ds.year_range,
                               default_year=ds.default_year,
                               valid_countries=set(ds.countries["iso3"]))
    if notes:
        raise ExportError(f"--view: {notes[0].split(';')[0].rstrip('.')}")
    return state, "year" in parse_qs(query)


def state_from_args(ds: Any, args: argparse.Namespace, year: int,
                    base: State | None = None) -> State:
    """The view the options describe for ``year``, starting from ``base`` (from ``--view``)."""
    state = replace(base, year=year) if base is not None else State(year=year)
    if args.powers is not None:
        if args.powers.strip().lower() == "all":
            state = replace(state, powers=None)
        else:
            picked = []
            for raw in args.powers.split(","):
                code = raw.strip().upper()
                if not code:
                    continue
                if code not in ds.power_codes:
                    raise ExportError(f"unknown power {raw.strip()!r} "
                                      f"(known: {', '.join(ds.power_codes)})")
                picked.append(code)
            if not picked:
                raise ExportError("--powers is empty (give codes like RUS,FRA or 'all')")
            chosen = tuple(c for c in ds.power_codes if c in picked)
            state = replace(state, powers=None if len(chosen) == len(ds.power_codes)
                            else chosen)
    if args.metric is not None:
        metric = args.metric.strip().lower()
        if metric not in METRICS:
            raise ExportError(f"unknown --metric {args.metric!r} "
                              f"(choose from {', '.join(METRICS)})")
        state = replace(state, metric=metric)
    if args.layers is not None:
        state = replace(state, layers=_choose(args.layers, LAYERS, "--layers"))
    if args.status is not None:
        state = replace(state, statuses=_choose(args.status, STATUS_FILTER, "--status"))
    if args.closed:
        state = replace(state, show_closed=True)
    if args.country is not None:
        code = args.country.strip().upper()
        if code not in set(ds.countries["iso3"]):
            raise ExportError(f"unknown country {args.country!r} (use an ISO3 code like MLI)")
        state = replace(state, country=code)
    return state


def _format_and_out(args: argparse.Namespace) -> tuple[str, Path | None]:
    """The format (from --format or --out's suffix) and the output path, checked."""
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and args.out.endswith(("/", os.sep)) and not out.is_dir():
        raise ExportError(f"output folder {out} does not exist")
    fmt = args.format.strip().lower() if args.format else None
    if fmt is not None and fmt not in FORMATS:
        raise ExportError(f"unknown format {args.format!r} (choose from {', '.join(FORMATS)})")
    suffix_fmt = SUFFIXES.get(out.suffix.lower()) if out is not None else None
    if fmt is None:
        fmt = suffix_fmt or "png"
    elif suffix_fmt is not None and suffix_fmt != fmt and not (out and out.is_dir()):
        raise ExportError(f"--out {out.name} does not match --format {fmt}")
    return fmt, out


def output_paths(out: Path | None, fmt: str, years: Sequence[int]) -> list[Path]:
    """Where each year's file goes: ``map-2019.png`` by default, ``NAME-2019.ext`` in a batch."""
    many = len(years) > 1 and fmt != "gif"
    ext = "geojson" if fmt == "geojson" else fmt
    default = (f"map-{years[0]}-{years[-1]}.gif" if fmt == "gif" and len(years) > 1
               else "map-{year}." + ext)
    if out is None:
        out = Path.cwd()
    if out.is_dir():
        template = str(out / default)
    elif "{year}" in out.name:
        template = str(out)
    elif many:
        template = str(out.with_name(f"{out.stem}-{{year}}{out.suffix or '.' + ext}"))
    else:
        template = str(out)
    folder = Path(template.format(year=years[0])).parent
    if not folder.is_dir():
        raise ExportError(f"output folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"output folder {folder} is not writable")
    if fmt == "gif":
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
        return [Path(template.format(year=span))]
    paths = [Path(template.format(year=y)) for y in years]
    for path in paths:
        if path.is_dir():
            raise ExportError(f"--out {path} is a folder")
    return paths


def _human(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def cmd_export(args: argparse.Namespace) -> int:
    """``africa-presence export``: validate every option first, then write all or nothing."""
    from dashboard.cli import load_or_report

    def fail(message: str) -> int:
        print(f"africa-presence export: error: {message}", file=sys.stderr)
        return 2

    try:
        fmt, out = _format_and_out(args)
        size = check_size(args.width, args.height, args.scale)
        if args.data is not None and not Path(args.data).is_dir():
            return fail(f"--data {args.data} is not a folder")
        if args.year is not None and args.years is not None:
            return fail("give --year or --years, not both")
        if fmt == "gif":
            import importlib.util

            if importlib.util.find_spec("PIL") is None:
                return fail("GIF export needs Pillow: pip install pillow")
        ds = load_or_report(args.data)
        if ds is None:
            return 1
        lo, hi = ds.year_range
        base, view_has_year = parse_view(ds, args.view) if args.view else (None, False)
        if args.years is not None:
            years = _parse_years(args.years, lo, hi)
        elif args.year is not None:
            year = int(_number(args.year, "year", int))
            if not lo <= year <= hi:
                return fail(f"year {year} is outside the data's range {lo}-{hi}")
            years = [year]
        elif base is not None and view_has_year:
            years = [base.year]
        else:
            years = [ds.default_year]
        states = [state_from_args(ds, args, y, base) for y in years]
        paths = output_paths(out, fmt, years)
        if fmt in BROWSER_FORMATS and find_browser() is None:  # every option is valid
            return fail(NO_BROWSER_MESSAGE)
        started = time.perf_counter()
        blobs = export_batch(ds, states, fmt, size)
        if fmt == "gif":
            blobs = [gif_bytes(blobs, keep=gif_colours(ds))]
        write_all(list(zip(paths, blobs, strict=True)))
    except RenderError as exc:
        print(f"africa-presence export: error: {exc}; nothing written", file=sys.stderr)
        return 1
    except ExportError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print("africa-presence export: interrupted; nothing written", file=sys.stderr)
        return 130
    elapsed = time.perf_counter() - started
    px = "x".join(map(str, size.pixels)) + " px" if fmt in ("png", "gif") else None
    for path, blob in zip(paths, blobs, strict=True):
        detail = ", ".join(p for p in (px, _human(len(blob))) if p)
        print(f"wrote {path} ({detail})")
    if len(paths) > 1 or fmt == "gif":
        print(f"{len(states)} view(s) in {elapsed:.1f} s", file=sys.stderr)
    return 0


def register(subparsers: Any, add_data_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``export`` subcommand to the CLI (called by dashboard.cli.build_parser)."""
    p = subparsers.add_parser(
        "export",
        help="write the map (png, svg, pdf, html, gif) or the filtered records (csv, geojson)",
        description=textwrap.fill(
            "Export the map of one year (or one file per year with --years) as it appears "
            "in the dashboard, with a title naming the year and filters, the legend and a "
            "footer with the data credit, dataset version and export date; or the records "
            "behind it as CSV/GeoJSON. PNG, SVG, PDF and GIF need Chrome or Chromium (found "
            "on PATH or via $BROWSER_PATH); nothing is fetched from the network. A bad "
            "option exits with code 2 and writes nothing; files are replaced atomically.",
            width=88,
        ),
        epilog=(
            "examples:\n"
            "  africa-presence export --year 2019 --powers RUS --format png --out map.png\n"
            "  africa-presence export --years 2014-2025 --out maps/        # map-2014.png ...\n"
            "  africa-presence export --years 2014-2025 --format gif --out russia.gif "
            "--powers RUS\n"
            "  africa-presence export --view '?year=2021&powers=FRA&metric=installations' "
            "--format pdf"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_data_option(p)
    # Checked in cmd_export rather than by an argparse group: the error stays one line.
    p.add_argument("--year", metavar="YEAR",
                      help="year to show (default: the latest year in the data)")
    p.add_argument("--years", metavar="FROM-TO",
                      help="one file per year, e.g. 2014-2025 -> map-2014.png ... "
                           "(with --format gif: one animated GIF)")
    p.add_argument("--powers", metavar="CODES",
                   help="comma-separated power codes, e.g. RUS,FRA (default: all)")
    p.add_argument("--metric", metavar="NAME",
                   help=f"colour countries by: {', '.join(METRICS)} (default: powers)")
    p.add_argument("--layers", metavar="LIST",
                   help=f"layers to draw, from {','.join(LAYERS)} (default: all)")
    p.add_argument("--status", metavar="LIST",
                   help=f"installation statuses, from {','.join(STATUS_FILTER)} (default: all)")
    p.add_argument("--closed", action="store_true", help="also show closed sites")
    p.add_argument("--country", metavar="ISO3", help="outline one country, e.g. MLI")
    p.add_argument("--view", metavar="QUERY",
                   help="start from a dashboard link or its ?query; other options override it")
    p.add_argument("--format", metavar="FMT",
                   help=f"{', '.join(FORMATS)} (default: from --out's suffix, else png)")
    p.add_argument("--out", metavar="PATH",
                   help="output file, or an existing folder (default: ./map-YEAR.FMT); with "
                        "--years, NAME.png becomes NAME-2014.png ... ({year} also works)")
    p.add_argument("--width", metavar="PX",
                   help=f"layout width, {MIN_SIDE}-{MAX_SIDE} (default {DEFAULT_WIDTH})")
    p.add_argument("--height", metavar="PX",
                   help=f"layout height, {MIN_SIDE}-{MAX_SIDE} (default {DEFAULT_HEIGHT})")
    p.add_argument("--scale", metavar="S",
                   help=f"pixel density, {MIN_SCALE:g}-{MAX_SCALE:g} (default 1; 2 doubles "
                        f"the PNG's pixels); width and height x scale <= {MAX_PIXELS}")
    p.set_defaults(func=cmd_export)


# --------------------------------------------------------------------------- benchmark


def bench(ds: Any, years: Sequence[int], size: Size | None = None, *, fmt: str = "png",
          tabs: int = 1) -> dict[str, Any]:
    """Time exports with one browser: its start, then each year alone, then one batch.

    "Warm" means the browser is already running, as in the dashboard after its first export
    or in a CLI batch after the first file. Each timing covers building the print figure,
    rendering and an atomic write to a temporary folder.
    """
    import statistics
    import tempfile

    size = size or Size()
    engine = Renderer(tabs=tabs)
    try:
        t0 = time.perf_counter()
        engine.start()
        browser_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        export_bytes(ds, State(year=years[0]), fmt, size, engine=engine)  # first render
        first = time.perf_counter() - t0
        per_file: list[float] = []
        with tempfile.TemporaryDirectory() as tmp:
            for y in years:
                t0 = time.perf_counter()
                blob = export_bytes(ds, State(year=y), fmt, size, engine=engine)
                atomic_write(Path(tmp) / f"map-{y}.{fmt}", blob)
                per_file.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            blobs = export_batch(ds, [State(year=y) for y in years], fmt, size, engine=engine)
            write_all([(Path(tmp) / f"batch-{y}.{fmt}", b)
                       for y, b in zip(years, blobs, strict=True)])
            batch = time.perf_counter() - t0
    finally:
        engine.close()
    return {
        "format": fmt, "pixels": "x".join(map(str, size.pixels)), "files": len(years),
        "tabs": tabs, "browser_start_s": round(browser_start, 2),
        "first_render_s": round(first, 2),
        "warm_s_per_file_median": round(statistics.median(per_file), 3),
        "warm_s_per_file_mean": round(statistics.fmean(per_file), 3),
        "warm_per_file_s": [round(t, 2) for t in per_file],
        "batch_total_s": round(batch, 2), "batch_s_per_file": round(batch / len(years), 3),
        "cpus": os.cpu_count(),
        "load_avg_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
