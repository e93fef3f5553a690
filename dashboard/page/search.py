"""The search box: type a country, a base, an agreement or a power, pick with the keyboard.

The results list is a WAI-ARIA listbox of buttons; ``assets/app.js`` moves the active one
with the arrow keys, Enter picks it, Escape closes the list. Each result is a pick button
(see :func:`dashboard.page.changes.pick_button`). dcc.Input takes no ARIA props, so app.js
gives the box its combobox role and attributes.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dashboard.ids import Ids
from dashboard.page.changes import pick_button
from dashboard.view.i18n import DEFAULT_LANG, tr
from dashboard.view.search import KIND_LABELS, MAX_QUERY, Hit


def search_box(lang: str = DEFAULT_LANG) -> html.Div:
    """The box and its (empty) list of results."""
    t = tr(lang)
    return html.Div([
        html.Label(t("Search"), htmlFor=Ids.SEARCH, className="visually-hidden"),
        dcc.Input(id=Ids.SEARCH, type="search", value="", debounce=False,
                  placeholder=t("Search countries, bases, agreements, powers…"),
                  autoComplete="off", maxLength=MAX_QUERY, className="search-input"),
        html.Div(id=Ids.SEARCH_RESULTS, role="listbox", className="search-results",
                 **{"aria-label": t("Search results")}),
    ], className="search", role="search")


def results(hits: list[Hit], query: str, lang: str = DEFAULT_LANG) -> list[Any]:
    """The listbox's options: a kind tag, the name, a line of detail."""
    t = tr(lang)
    if not query.strip():
        return []
    if not hits:
        return [html.P(t("Nothing found."), className="search-empty", role="status")]
    return [
        pick_button(h.kind, h.key, [
            html.Span(t(KIND_LABELS[h.kind]), className=f"kind kind-{h.kind}"),
            html.Span(h.label, className="hit-label"),
            html.Span(h.detail, className="hit-detail"),
        ], className="search-hit", role="option", tabIndex="-1")
        for h in hits
    ]
