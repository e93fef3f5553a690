"""The chart tab's figure: one line per selected power over the years, in its map colour.

Built from :mod:`dashboard.view.series`, so every point is the number the map shows for
that power in that year. A dashed rule marks the state's year; a year step only moves it
(:func:`year_patch`), so the chart tab pays a few bytes per step, not the figure.
:func:`print_chart` dresses the same figure for an image: title, filters, credit footer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly.graph_objects as go

from dashboard.figures.print import export_date, plotly_text
from dashboard.view.i18n import N_, tr, translate
from dashboard.view.labels import TITLE, names
from dashboard.view.model import view_model
from dashboard.view.series import COUNTRY_MEASURE_LABELS, MEASURE_LABELS, Series, series
from dashboard.view.state import ViewState, to_query

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
RULE_COLOUR = "#555555"
COMPARE_COLOUR = "#b35806"  # the change map's "fewer" end: the year compared against
#: Shown in the chart itself when no power is selected (an empty plot says nothing).
EMPTY_TEXT = N_("No foreign power selected: tick one or more in the filters.")


def chart_series(ds: Any, state: ViewState, *, by_country: bool = False) -> Series:
    """The series the chart draws: the continent's, or the open country's."""
    country = state.country if by_country and state.country else None
    return series(ds, state, country=country)


def chart_title(ds: Any, state: ViewState, s: Series) -> str:
    """What the y axis counts, and where: "African countries where present, 2000–2026"."""
    t = tr(state.lang)
    lo, hi = s.years[0], s.years[-1]
    if s.country:
        place = names(ds, state.lang).countries.get(s.country, s.country)
        return t("{measure} in {place}, {lo}–{hi}", measure=t(COUNTRY_MEASURE_LABELS[s.measure]),
                 place=place, lo=lo, hi=hi)
    return f"{t(MEASURE_LABELS[s.measure])}, {lo}–{hi}"


def _rule(year: int) -> list[dict[str, Any]]:
    return [{"type": "line", "xref": "x", "yref": "paper", "x0": year, "x1": year,
             "y0": 0, "y1": 1, "line": {"color": RULE_COLOUR, "width": 1.5, "dash": "dash"}}]


def _rule_label(year: int) -> dict[str, Any]:
    return {"x": year, "xref": "x", "y": 1, "yref": "paper", "text": str(year),
            "showarrow": False, "yanchor": "bottom", "font": {"size": 12, "color": RULE_COLOUR}}


#: Below this width (CSS px) the legend goes under the plot: beside it, it would take half.
NARROW_PX = 600


def chart_figure(ds: Any, state: ViewState, *, by_country: bool = False,
                 narrow: bool = False) -> go.Figure:
    """The whole chart for ``state`` (see the module docstring); ``narrow``: a phone."""
    s = chart_series(ds, state, by_country=by_country)
    power_names, colours = names(ds, state.lang).powers, names(ds).colors
    # Largest footprint first, so the legend reads as a ranking (stable across years).
    order = sorted(s.powers, key=lambda p: (-max((v for v in s.values[p] if v is not None),
                                                 default=0), s.powers.index(p)))
    years = list(s.years)
    traces = [
        {"type": "scatter", "mode": "lines+markers", "name": power_names.get(p, p),
         "x": years, "y": list(s.values[p]),
         "line": {"color": colours.get(p, "#444"), "width": 2},
         "marker": {"color": colours.get(p, "#444"), "size": 5},
         "hovertemplate": "%{x} · <b>%{fullData.name}</b>: %{y}<extra></extra>"}
        | ({"customdata": [s.range_text(p, i, state.lang) for i in range(len(years))],
            "connectgaps": False,
            "hovertemplate": "%{x} · <b>%{fullData.name}</b>: %{customdata} ("
                             + translate(state.lang, "middle {value}", value="%{y:,}")
                             + ")<extra></extra>"} if s.ranges else {})
        for p in order
    ]
    annotations = [_rule_label(state.year)]
    shapes = _rule(state.year)
    if state.span is not None and state.compare is not None:
        # The compare year: a dotted rule (the year's stays first: year_patch moves it).
        shapes += [_rule(state.compare)[0] | {"line": {"color": COMPARE_COLOUR, "width": 1.5,
                                                       "dash": "dot"}}]
        annotations.append(_rule_label(state.compare) | {
            "text": translate(state.lang, "compared: {year}", year=state.compare),
            "font": {"size": 12, "color": COMPARE_COLOUR},
            "xanchor": "right" if state.compare < state.year else "left"})
    if not s.powers:
        annotations.append({"text": tr(state.lang)(EMPTY_TEXT), "xref": "paper",
                            "yref": "paper", "x": 0.5, "y": 0.5, "showarrow": False,
                            "font": {"size": 14}})
    layout = {
        # No template: every style below is explicit, and plotly's default template adds
        # 7 KB (1.1 KB gzipped) to each chart the server sends (every filter change).
        "template": "none",
        "margin": {"l": 48, "r": 8, "t": 28, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "#ffffff",
        "font": {"family": FONT, "color": "#222"},
        "hovermode": "closest", "hoverlabel": {"bgcolor": "#ffffff"},
        "xaxis": {"range": [years[0] - 0.5, years[-1] + 0.5], "dtick": 5, "tick0": 2000,
                  "gridcolor": "#eeeeee", "fixedrange": True, "zeroline": False,
                  "automargin": True},
        "yaxis": {"title": {"text": chart_title(ds, state, s).rsplit(",", 1)[0]},
                  "rangemode": "tozero", "gridcolor": "#e6e6e6", "fixedrange": True,
                  "zeroline": False, "automargin": True,
                  "tickformat": "d", "dtick": 1 if s.country and s.measure == "countries"
                  else None},
        "legend": ({"orientation": "h", "x": 0, "xanchor": "left", "y": -0.2,
                    "yanchor": "top", "font": {"size": 11}} if narrow else
                   {"orientation": "v", "x": 1.01, "xanchor": "left", "y": 1,
                    "font": {"size": 12}}) | {"itemclick": False, "itemdoubleclick": False},
        "shapes": shapes,
        "annotations": annotations,
        "uirevision": "chart",
        "clickmode": "event",
    }
    return go.Figure({"data": traces, "layout": layout})


def year_patch(year: int) -> dict[tuple[str | int, ...], Any]:
    """What a year step changes in the chart: the rule and its label, nothing else."""
    return {("layout", "shapes", 0, "x0"): year, ("layout", "shapes", 0, "x1"): year,
            ("layout", "annotations", 0, "x"): year,
            ("layout", "annotations", 0, "text"): str(year)}


def print_chart(ds: Any, state: ViewState, width: int, height: int, *,
                exported: dt.date | None = None, by_country: bool = False) -> go.Figure:
    """The chart for an image: title, counts and filters above, credit and view below."""
    exported = exported or dt.date.today()
    t = tr(state.lang)
    fig = chart_figure(ds, state, by_country=by_country)
    s = chart_series(ds, state, by_country=by_country)
    model = view_model(ds, state)
    k = max(0.6, min((width * height / (1600 * 1200)) ** 0.5, 2.5))
    font = 13 * k
    fig.update_layout(
        width=width, height=height, paper_bgcolor="#ffffff",
        font={"size": font},
        margin={"l": 70 * k, "r": 20 * k, "t": 120 * k, "b": 110 * k},
        legend={"font": {"size": font}},
        title={"text": f"<b>{plotly_text(t(TITLE))}: "
                       f"{plotly_text(chart_title(ds, state, s))}</b>"
                       f"<br><span style='font-size:{font:.0f}px'>"
                       f"{plotly_text(model.filters)}</span>",
               "x": 0.01, "xanchor": "left", "y": 1 - 24 * k / height, "yanchor": "top",
               "font": {"size": 22 * k}},
    )
    fig.layout.annotations[0].font.size = font
    fig.add_annotation(
        text=f"{plotly_text(model.credit)}.<br>" + plotly_text(
            t("Exported {date} · view {view} · dashed line: {year}",
              date=export_date(exported, state.lang), view=to_query(state), year=state.year)
            + (t(" · dotted line: {year}", year=state.compare) if state.span else "")),
        xref="paper", yref="paper", x=0, y=-70 * k / height, xanchor="left", yanchor="top",
        showarrow=False, align="left", font={"size": 11 * k, "color": "#444"})
    return fig
