"""A record's personnel series in the details panel: every row, with its sources and notes.

Figures are as the sources give them (low–high, what they count, the year they are as of);
rows without a figure say that none is published. Dataset text goes in as plain strings.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dashboard.figures.map_personnel import range_text
from geo.personnel import series

SCOPE_TEXT = {"site": "", "country": "whole country", "operation": "whole operation"}


def personnel_block(ds: Any, record_id: str, links: Any) -> html.Details | None:
    """The record's estimates, newest first; None when it has none. ``links`` renders a
    source list (details.safe_link's caller), passed in to keep one link policy."""
    rows = series(ds, record_id)
    if not len(rows):
        return None
    items = []
    for r in rows.iloc[::-1].to_dict("records"):
        known = not (pd.isna(r["low"]) or pd.isna(r["high"]))
        figure = (f"{range_text(int(r['low']), int(r['high']))} {r['what']}" if known
                  else "no published figure")
        facts = [str(int(r["year"])), figure, SCOPE_TEXT.get(r["scope"], ""),
                 f"confidence {r['confidence']}" if known else ""]
        children: list[Any] = [html.Strong(" · ".join(f for f in facts if f))]
        if r.get("notes"):
            children.append(html.Span(" " + str(r["notes"]), className="notes"))
        sources = links(r.get("source_list") or [])
        if sources is not None:
            children.append(sources)
        items.append(html.Li(children))
    known_rows = rows[rows["low"].notna()]
    summary = (f"Personnel: {len(known_rows)} estimate{'s' * (len(known_rows) != 1)}"
               if len(known_rows) else "Personnel: no published figure")
    return html.Details([html.Summary(summary), html.Ul(items, className="personnel-list")],
                        className="personnel")
