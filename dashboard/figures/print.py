"""The map dressed for a report: title, legend, credit footer around the dashboard's map.

Shared by every image export (PNG, SVG, PDF, GIF frames) and the standalone HTML page; it
reads the same view model as the page, so the title's numbers are the headline's.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import plotly.graph_objects as go
from babel.dates import format_date

from dashboard.figures.map import (
    STAND_IN_OPACITY,
    STAND_IN_PRECISIONS,
    STATE_LABELS,
    STATE_STYLE,
    UNCONFIRMED_STYLE,
    base_figure,
)
from dashboard.figures.map_compare import CHANGE_STYLE
from dashboard.figures.map_personnel import LEGEND_PEOPLE, UNKNOWN_SIZE, marker_size
from dashboard.view.compare import BOTH, CATEGORY_LABELS, GONE, NEW, comparison, span_text
from dashboard.view.compare import counts_text as compare_counts
from dashboard.view.i18n import DEFAULT_LANG, N_, tr
from dashboard.view.labels import TITLE, names
from dashboard.view.model import ViewModel, view_model
from dashboard.view.state import METRIC_LABELS, ViewState, to_query

#: The size the composition is designed at (an A4/letter page at 200 dpi); fonts, markers
#: and margins scale from it.
REFERENCE_WIDTH, REFERENCE_HEIGHT = 1600, 1200


class Frame(Protocol):
    """A layout size in CSS pixels (dashboard.view.export_options.Size is one)."""

    width: int
    height: int


def export_date(day: dt.date, lang: str) -> str:
    """The export date: ISO in English (as before), CLDR's long form otherwise."""
    return day.isoformat() if lang == DEFAULT_LANG else format_date(day, "long", locale=lang)


def plotly_text(text: str) -> str:
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


def _legend_entries(ds: Any, records: ViewModel, k: float) -> list[_Entry]:
    """What the legend lists: each power with a marker on the map, each marker shape in use."""
    t = tr(records.state.lang)
    n = names(ds, records.state.lang)
    power_names, colors = n.powers, n.colors
    on_map = set(records.installations["power"]) | set(records.agreements["power"])
    cmp = comparison(ds, records.state)
    if cmp is not None:  # markers of either year are drawn
        on_map |= set(cmp.changes["power"])
    entries = [
        _Entry(power_names.get(code, code), POWER_LEGEND,
               {"symbol": "circle", "size": 11 * k, "color": colors[code],
                "line": {"color": "#ffffff", "width": 1}},
               f'<span style="color:{colors[code]}">●</span>')
        for code in ds.power_codes if code in on_map
    ]
    if cmp is not None:
        # Compare mode: the change markers instead of the year's states.
        for cat, glyph in ((NEW, "▲"), (GONE, "▽"), (BOTH, "●")):
            symbol, size, width = CHANGE_STYLE[cat]
            label = t(CATEGORY_LABELS[cat]) + (
                f" {cmp.before}–{cmp.after}" if cat != BOTH else "")
            entries.append(_Entry(label, SHAPE_LEGEND, {
                "symbol": symbol, "size": size * k, "color": "#444444",
                "line": {"color": "#444444" if "open" in symbol else "#ffffff",
                         "width": width * k}},
                f'<span style="color:#444444">{glyph}</span>'))
        return entries
    states_shown = set(records.installations["state"])
    for s in ("active", "planned", "abandoned", "refused", "closed"):
        if s not in states_shown:
            continue
        symbol, size, width = STATE_STYLE[s]
        label = t({"active": N_("Active installation"),
                   "planned": N_("Planned / announced")}.get(s, STATE_LABELS[s]))
        colour = "#8a8a8a" if s == "closed" else "#444444"
        glyph = {"active": "●", "planned": "○", "abandoned": "◇", "refused": "✕",
                 "closed": "⊗"}[s]
        entries.append(_Entry(label, SHAPE_LEGEND, {
            "symbol": symbol, "size": size * k, "color": colour,
            "line": {"color": colour if "open" in symbol else "#ffffff", "width": width * k}},
            f'<span style="color:{colour}">{glyph}</span>'))
    shown = records.installations
    if "unconfirmed" in shown and shown["unconfirmed"].any():
        symbol, size, width = UNCONFIRMED_STYLE
        entries.append(_Entry(t("Not confirmed in use for 3+ years"), SHAPE_LEGEND, {
            "symbol": symbol, "size": size * k, "color": "#444444",
            "line": {"color": "#444444", "width": width * k}},
            '<span style="color:#444444">◎</span>'))
    if (shown["confidence"] == "low").any():
        # The map draws a "?" beside the marker; the legend names it in its label (an
        # invisible marker keeps the row aligned with the others).
        entries.append(_Entry(t("? = low confidence (unverified report)"), SHAPE_LEGEND, {
            "symbol": "circle", "size": 11 * k, "color": "rgba(0,0,0,0)",
            "line": {"color": "rgba(0,0,0,0)", "width": 0}}, "<b>?</b>"))
    if records.installations["coord_precision"].isin(sorted(STAND_IN_PRECISIONS)).any():
        entries.append(_Entry(t("Faded: town or region only"), SHAPE_LEGEND, {
            "symbol": "circle", "size": 11 * k, "color": "#444444", "opacity": STAND_IN_OPACITY,
            "line": {"color": "#ffffff", "width": 1}},
            f'<span style="color:#444444;opacity:{STAND_IN_OPACITY}">●</span>'))
    if records.state.metric == "personnel":  # marker area stands for people
        for people in LEGEND_PEOPLE:
            entries.append(_Entry(t.n("{n} person", "{n} people", people), SHAPE_LEGEND, {
                "symbol": "circle", "size": marker_size(people) * k, "color": "#888888",
                "line": {"color": "#444444", "width": 1}}, '<span style="color:#444">●</span>'))
        entries.append(_Entry(t("not published"), SHAPE_LEGEND, {
            "symbol": "circle-open", "size": UNKNOWN_SIZE * k, "color": "#444444",
            "line": {"color": "#444444", "width": 1}}, '<span style="color:#444">○</span>'))
    if len(records.agreements):
        entries.append(_Entry(t("Agreement in force"), SHAPE_LEGEND, {
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
    html_line, used = f"<b>{plotly_text(title)}:</b>", len(title) + 1
    for e in entries:
        item_len = len(e.label) + 2
        if used + 3 + item_len > limit:
            lines.append(html_line)
            html_line, used = "", 0
        sep = "   " if used else ""
        html_line += f"{sep}{e.glyph} {plotly_text(e.label)}"
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
    if kind == "mercator":
        def y(lat: float) -> float:
            return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        height = y(min(lat1, 85)) - y(max(lat0, -85))
        return math.radians(lon1 - lon0) / height if height > 0 else 1.0
    if kind in ("equirectangular", ""):
        return (lon1 - lon0) / (lat1 - lat0) if lat1 > lat0 else 1.0
    return 1.0


def print_figure(
    ds: Any,
    state: ViewState,
    size: Frame | None = None,
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
    exported = exported or dt.date.today()
    W, H = (size.width, size.height) if size else (REFERENCE_WIDTH, REFERENCE_HEIGHT)
    # Type and markers follow the image's area (a portrait page gets readable text too).
    k = max(0.5, min(math.sqrt(W * H / (REFERENCE_WIDTH * REFERENCE_HEIGHT)), 2.5))
    font = max(8.0, 13 * k)
    records = view_model(ds, state)
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

    entries = _legend_entries(ds, records, k)
    cmp = comparison(ds, state)
    t = tr(state.lang)
    titles = {POWER_LEGEND: t("Foreign power (marker colour)"),
              SHAPE_LEGEND: t("Marker shape in {year}", year=state.year) if cmp is None
              else t("Change {span}", span=span_text(cmp))}
    groups = {lg: n for lg in titles if (n := sum(e.legend == lg for e in entries))}
    show_scale = state.shows("countries")
    metric_title = t("Countries: {metric}", metric=t(METRIC_LABELS[state.metric]).lower()) + (
        t(", change {span}", span=span_text(cmp)) if cmp is not None else "")

    # Geometry, in layout pixels.
    gap, side = 18 * k, 28 * k
    title_font, foot_font = 25 * k, max(8.0, 11 * k)
    text_w = W - 2 * side
    title = f"{t(TITLE)}, {state.year}" if cmp is None else f"{t(TITLE)}, {span_text(cmp)}"
    if _text_px(title, title_font * 1.1) > text_w:  # bold is wider
        title_font = max(10.0, text_w / (0.66 * len(title)))
    counts = records.counts if cmp is None else compare_counts(state, cmp)
    subtitle_lines = _wrap(counts, text_w, font) + _wrap(
        records.filters, text_w, font)
    footer_lines = _wrap(records.credit + ".", text_w, foot_font) + _wrap(
        t("Exported {date} · view {view} · borders and names do not imply any position on "
          "their status", date=export_date(exported, state.lang), view=to_query(state)),
        text_w, foot_font)
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
                lat=[None], lon=[None], mode="markers", name=plotly_text(e.label), legend=e.legend,
                marker=e.marker, showlegend=True, hoverinfo="skip"))
    annotations: list[dict[str, Any]] = []
    if not right and key:
        annotations.append({
            "text": "<br>".join(key), "xref": "paper", "yref": "paper", "x": x_left, "y": 0,
            "xanchor": "left", "yanchor": "top", "showarrow": False,
            "yshift": -(gap / 2 + (scale_h + gap / 2 if show_scale else 0)),
            "align": "left", "font": {"size": font, "color": "#222"},
        })

    subtitle = "<br>".join(plotly_text(line) for line in subtitle_lines)
    footer = "<br>".join(plotly_text(line) for line in footer_lines)
    # The footer's top sits footer_h above the image's bottom, whatever the map's height.
    foot_shift = -(H - footer_h + 8 * k - (margin["t"] + map_h))
    fig.update_traces(selector={"type": "choropleth"}, showscale=show_scale,
                      colorbar=colorbar)
    fig.update_layout(
        paper_bgcolor="#ffffff",
        font={"size": font},
        margin={**margin, "autoexpand": False},
        title={
            "text": f"<b>{plotly_text(title)}</b>",
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
                    "<br><i>" + t("Click for details") + "</i>", "")
    return fig

