"""Every African country in one table for a state: the map's numbers as rows and columns.

The rows come from the view model's per-country table (the one the map colours), so a
number in the table is the number on the map. Sorting and the typed filter are pure
functions of the rows, used by the page and by the CSV download alike, so the file holds
exactly the rows and columns the reader sees.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

from dashboard.view.compare import comparison, signed
from dashboard.view.i18n import N_, tr
from dashboard.view.labels import names
from dashboard.view.memo import memo
from dashboard.view.model import metric_values, view_model
from dashboard.view.state import METRIC_LABELS, ViewState

#: Column keys in display order, with their header text (the metric's is the metric label).
COLUMNS: tuple[str, ...] = ("name", "powers", "active", "unconfirmed", "planned",
                            "agreements", "value", "change")
HEADERS: dict[str, str] = {
    "name": N_("Country"),
    "powers": N_("Foreign powers"),
    "active": N_("Active installations"),
    "unconfirmed": N_("of which not confirmed in over 3 years"),
    "planned": N_("Planned"),
    "agreements": N_("Agreements in force"),
    "value": N_("Map value"),
    "change": N_("Change"),
}
NUMERIC = frozenset({"powers", "active", "unconfirmed", "planned", "agreements", "value",
                     "change"})
DEFAULT_SORT = ("value", True)  # the map's metric, largest first


@dataclass(frozen=True)
class Row:
    """One country's line: codes for colours, names for reading, counts for sorting."""

    iso3: str
    name: str
    powers: tuple[str, ...]  # codes, powers.csv order
    power_names: tuple[str, ...]
    active: int
    planned: int
    agreements: int
    value: int | None  # personnel: None = not published
    unconfirmed: int = 0  # active installations not confirmed in over 3 years
    change: int | None = None  # compare mode: the map value's change between the two years


def columns(state: ViewState) -> tuple[str, ...]:
    """The columns shown: the change column only in compare mode."""
    return COLUMNS if state.span is not None else COLUMNS[:-1]


def header(column: str, state: ViewState) -> str:
    """A column's header text (the value column is named after the map's metric)."""
    t = tr(state.lang)
    if column == "value":
        return t(METRIC_LABELS[state.metric])
    if column == "change" and state.span is not None:
        return t("Change {y0} → {y1}", y0=state.span[0], y1=state.span[1])
    return t(HEADERS[column])


def rows(ds: Any, state: ViewState) -> tuple[Row, ...]:
    """The 56 rows for ``state`` in the table's own order (by country name); memoised."""
    return memo(ds, "view.table", state, lambda: _build(ds, state), size=64)


def _build(ds: Any, state: ViewState) -> tuple[Row, ...]:
    table = view_model(ds, state).table
    power_names = names(ds, state.lang).powers
    countries = names(ds, state.lang).countries
    values = metric_values(table, state.metric)
    cmp = comparison(ds, state)
    out = [
        Row(iso3=str(r.iso3), name=countries.get(str(r.iso3), str(r.name)),
            powers=tuple(r.powers_present),
            power_names=tuple(power_names.get(p, p) for p in r.powers_present),
            active=int(r.active), planned=int(r.planned), agreements=int(r.agreements),
            unconfirmed=int(r.unconfirmed),
            value=None if v is None else int(v),
            change=None if cmp is None else cmp.delta(str(r.iso3)))
        for r, v in zip(table.itertuples(index=False), values, strict=True)
    ]
    return tuple(sorted(out, key=lambda row: fold_accents(row.name)))


def fold_accents(text: str) -> str:
    """Lower case without accents: "cote" finds "Côte d'Ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def matches(row: Row, query: str) -> bool:
    """Whether the typed text is in the country's name or ISO code, or a power's name/code."""
    q = fold_accents(query.strip())
    if not q:
        return True
    texts = (row.name, row.iso3, *row.powers, *row.power_names)
    return any(q in fold_accents(text) for text in texts)


def sort_key(column: str) -> Any:
    """Sort key of a column; names break ties, so the order is the same on every visit."""
    if column == "powers":
        return lambda r: (len(r.powers), r.power_names)
    if column == "name":
        return lambda r: fold_accents(r.name)
    if column == "change":
        return lambda r: (r.change is not None, r.change or 0)
    if column == "value":  # personnel: "not published" sorts below every figure
        return lambda r: (r.value is not None, r.value or 0)
    return lambda r: getattr(r, column)


def shown(ds: Any, state: ViewState, sort: tuple[str, bool] = DEFAULT_SORT,
          query: str = "") -> list[Row]:
    """The rows a reader sees: filtered by ``query``, sorted by ``(column, descending)``."""
    column, descending = sort if sort[0] in columns(state) else DEFAULT_SORT
    kept = [r for r in rows(ds, state) if matches(r, query or "")]
    by_name = sorted(kept, key=sort_key("name"))
    return sorted(by_name, key=sort_key(column), reverse=bool(descending))


#: Longest typed filter taken into account (the box also stops at 60 characters).
MAX_QUERY = 60


def clean_query(value: Any) -> str:
    """The typed filter as sent by the page: a string, cut to ``MAX_QUERY``; else empty."""
    return value[:MAX_QUERY] if isinstance(value, str) else ""


def parse_sort(value: Any) -> tuple[str, bool]:
    """A stored sort (``{"column": ..., "descending": ...}``) as a pair; anything odd: default."""
    if isinstance(value, dict) and value.get("column") in COLUMNS:
        return str(value["column"]), bool(value.get("descending"))
    return DEFAULT_SORT


def value_text(value: int | None, lang: str = "en") -> str:
    """A map value as the table shows it (personnel may be unknown)."""
    t = tr(lang)
    return t("not published") if value is None else t.num(value)


def _cell(text: str) -> str:
    """A spreadsheet opens a cell starting with = + - @ as a formula: quote it as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_csv(ds: Any, state: ViewState, sort: tuple[str, bool] = DEFAULT_SORT,
              query: str = "") -> bytes:
    """The shown rows and columns as UTF-8 CSV (powers as names, separated by "; ")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([header(c, state) for c in columns(state)])
    for r in shown(ds, state, sort, query):
        writer.writerow([_cell(r.name), _cell("; ".join(r.power_names)), r.active,
                         r.unconfirmed, r.planned,
                         r.agreements, "" if r.value is None else r.value,
                         *([signed(r.change, state.lang)] if state.span is not None
                           else [])])
    return buffer.getvalue().encode("utf-8")


def caption(ds: Any, state: ViewState, n_shown: int, query: str = "") -> str:
    """What the table shows, in words: year, filters, and how many rows the typing left."""
    t = tr(state.lang)
    model = view_model(ds, state)
    text = t("Countries in {year}. {filters}.", year=state.year, filters=model.filters)
    if state.span is not None:
        text += " " + t("Change column: {y0} → {y1}.", y0=state.span[0], y1=state.span[1])
    total = len(rows(ds, state))
    if query.strip():
        text += " " + t("Showing {k} of {n} countries matching “{query}”.", k=n_shown,
                        n=total, query=query.strip()[:40])
    else:
        text += " " + t("All {n} countries.", n=total)
    return text
