"""Compare mode on the page: the list of changes and the map legend of change markers.

Every record in the list is a button that opens it in the details panel (the pick callback
turns its id into the view state). Dataset text goes in as plain strings.
"""

from __future__ import annotations

from typing import Any

from dash import html

from dashboard.ids import PICK, Ids
from dashboard.view.compare import (
    BOTH,
    CATEGORY_LABELS,
    CHANGE_LABELS,
    GONE,
    NEW,
    comparison,
    counts_text,
    span_text,
)
from dashboard.view.compare import change_groups as _groups
from dashboard.view.i18n import DEFAULT_LANG, tr, translate
from dashboard.view.labels import names
from dashboard.view.state import ViewState

#: The legend's marker glyphs, drawn like the plotly symbols of figures.map.CHANGE_STYLE.
CATEGORY_GLYPHS: dict[str, str] = {NEW: "▲", GONE: "▽", BOTH: "●"}


def pick_button(kind: str, key: str, children: Any, **attrs: Any) -> html.Button:
    """A button that picks a record, country or power (handled by the pick callback)."""
    return html.Button(children, id={"type": PICK, "key": f"{kind}:{key}"}, n_clicks=0,
                       className=attrs.pop("className", "link-button pick"), **attrs)


def compare_legend(state: ViewState) -> list[Any]:
    """The legend entries of compare mode (marker shapes), in the page's legend list."""
    t = tr(state.lang)
    y0, y1 = min(state.year, state.compare or state.year), max(state.year,
                                                               state.compare or state.year)
    span = " " + t("between {y0} and {y1}", y0=y0, y1=y1)
    return [html.Li([html.Span(CATEGORY_GLYPHS[c], className=f"glyph glyph-{c}",
                               **{"aria-hidden": "true"}),
                     t(CATEGORY_LABELS[c]) + (span if c != BOTH else "")])
            for c in (NEW, GONE, BOTH)]


def change_line(item: Any, lang: str = DEFAULT_LANG) -> html.Li:
    """One change: "+ Opened 2018 · <name>", all one button that opens the record.

    One component per line (this list can hold hundreds of lines, and each component costs
    its own JSON on the wire); CSS colours the sign by its class.
    """
    sign = "+" if item.direction > 0 else "−" if item.direction < 0 else "→"
    way = "up" if item.direction > 0 else "down" if item.direction < 0 else "flat"
    when = f" {item.year}" if item.year is not None else ""
    label = tr(lang)(CHANGE_LABELS[item.change])
    return html.Li(html.Button(f"{sign} {label}{when} · {item.title}",
                               id={"type": PICK, "key": f"record:{item.record_id}"},
                               className=f"pick {way}"))


def changes_body(ds: Any, state: ViewState) -> list[Any]:
    """The list of changes between the two years, grouped by power then country."""
    c = comparison(ds, state)
    if c is None:
        return []
    t = tr(state.lang)
    n = names(ds, state.lang)
    groups = _groups(ds, state)
    body: list[Any] = [html.H2(f"{span_text(c)}: {counts_text(state, c)}",
                               className="changes-head")]
    if not groups:
        body.append(html.P(t("Nothing changed under the current filters."), className="hint"))
        return body
    by_power: dict[str, list[Any]] = {}
    for g in groups:
        by_power.setdefault(g.power, []).append(g)
    for power, power_groups in by_power.items():
        total = sum(len(g.items) for g in power_groups)
        body.append(html.Details([
            html.Summary([html.Span(className="swatch",
                                    style={"backgroundColor": n.colors.get(power, "#444")}),
                          f"{n.powers.get(power, power)} ({total})"]),
            *[html.Div([
                html.H3(n.countries.get(g.country, g.country)),
                html.Ul([change_line(i, state.lang) for i in g.items],
                        className="change-list"),
            ], className="change-country") for g in power_groups],
        ], open=True, className="change-power"))
    return body


def changes_key(state: ViewState) -> str:
    """What the list depends on: equal keys mean an identical list (skip resending it)."""
    if state.span is None:
        return "none"
    return repr((state.span, state.powers, state.metric, state.layers, state.statuses,
                 state.show_closed, state.lang))


def changes_section(lang: str = DEFAULT_LANG) -> html.Section:
    """The empty section the map callback fills in compare mode."""
    return html.Section(id=Ids.CHANGES, className="changes hidden",
                        **{"aria-label": translate(lang, "Changes between the two years"),
                           "aria-live": "polite"})
