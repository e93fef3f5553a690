"""A record's personnel series in the details panel: every row, with its sources and notes.

Figures are as the sources give them (low–high, what they count, the year they are as of);
rows without a figure say that none is published. Dataset text goes in as plain strings.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dashboard.figures.map_personnel import range_text
from dashboard.view.i18n import DEFAULT_LANG, N_, tr
from geo.personnel import series

SCOPE_TEXT = {"site": "", "country": N_("whole country"), "operation": N_("whole operation")}


def personnel_block(ds: Any, record_id: str, links: Any, lang: str = DEFAULT_LANG
                    ) -> html.Details | None:
    """The record's estimates, newest first; None when it has none. ``links`` renders a
    source list (details.safe_link's caller), passed in to keep one link policy."""
    t = tr(lang)
    rows = series(ds, record_id)
    if not len(rows):
        return None
    items = []
    for r in rows.iloc[::-1].to_dict("records"):
        known = not (pd.isna(r["low"]) or pd.isna(r["high"]))
        if known and r["what"] == "ceiling":
            figure = t("up to {n} (authorised ceiling, not a headcount)",
                       n=t.num(int(r["high"])))
        elif known:
            figure = f"{range_text(int(r['low']), int(r['high']), lang)} {t(r['what'])}"
        else:
            figure = t("no published figure")
        scope = SCOPE_TEXT.get(r["scope"], "")
        facts = [str(int(r["year"])), figure, t(scope) if scope else "",
                 t("confidence {level}", level=t(r["confidence"])) if known else ""]
        children: list[Any] = [html.Strong(" · ".join(f for f in facts if f))]
        if r.get("notes"):
            children.append(html.Span(" " + str(r["notes"]), className="notes"))
        sources = links(r.get("source_list") or [])
        if sources is not None:
            children.append(sources)
        items.append(html.Li(children))
    known_rows = rows[rows["low"].notna() & (rows["what"] != "ceiling")]
    summary = (t.n("Personnel: {n} estimate", "Personnel: {n} estimates", len(known_rows))
               if len(known_rows) else t("Personnel: no published figure"))
    return html.Details([html.Summary(summary), html.Ul(items, className="personnel-list")],
                        className="personnel")
