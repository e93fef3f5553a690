"""The dashboard's view state and its URL form, as pure functions.

Everything a shared link must reproduce lives in :class:`ViewState`. ``parse_query`` turns any
query string (including garbage typed by hand) into a valid state plus human-readable notes
about what was ignored, and ``to_query`` writes the canonical, minimal query back, so
``parse_query(to_query(s)) == (s, [])`` for every valid state.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from dashboard.view.i18n import DEFAULT_LANG, LANGS, N_, tr

#: Choropleth metrics, in the order the selector lists them.
METRICS: tuple[str, ...] = ("powers", "installations", "agreements", "presence", "personnel")
METRIC_LABELS: dict[str, str] = {
    "powers": N_("Foreign powers present"),
    "installations": N_("Installations"),
    "agreements": N_("Agreements in force"),
    "presence": N_("Selected powers present"),
    "personnel": N_("Foreign personnel (estimates)"),
}
DEFAULT_METRIC = "powers"

#: Map layers that can be switched on and off.
LAYERS: tuple[str, ...] = ("countries", "installations", "agreements")

#: Installation states the status filter offers ("closed" has its own toggle, off by default).
STATUS_FILTER: tuple[str, ...] = ("active", "planned", "abandoned", "refused")

#: The views of one state: the map, the chart over time, the table of countries.
TABS: tuple[str, ...] = ("map", "chart", "table")
TAB_LABELS: dict[str, str] = {"map": N_("Map"), "chart": N_("Chart"), "table": N_("Table")}
DEFAULT_TAB = "map"

#: Query value for an empty selection (an absent parameter means the default).
NONE = "none"

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class ViewState:
    """What the dashboard shows: one value per control, plus the selected country.

    ``powers is None`` means "all powers" (so a link keeps meaning "all" when the dataset
    gains a power); an empty tuple means none selected.
    """

    year: int
    powers: tuple[str, ...] | None = None
    metric: str = DEFAULT_METRIC
    layers: tuple[str, ...] = LAYERS
    statuses: tuple[str, ...] = STATUS_FILTER
    show_closed: bool = False
    country: str | None = None
    tab: str = DEFAULT_TAB
    #: Another year of the range: the views then show the change between the two years.
    compare: int | None = None
    #: A record id picked from the search or the list of changes: its country's details open
    #: on it, highlighted.
    record: str | None = None
    #: Interface language (en, fr); the dataset's free text stays in English.
    lang: str = DEFAULT_LANG
    #: The embed view: map, timeline, legend and headline only (for an iframe).
    embed: bool = False

    @property
    def span(self) -> tuple[int, int] | None:
        """(earlier, later) year when comparing: changes always read forward in time."""
        if self.compare is None or self.compare == self.year:
            return None
        return min(self.year, self.compare), max(self.year, self.compare)

    def power_set(self, all_powers: Sequence[str]) -> tuple[str, ...]:
        """The selected power codes, with ``None`` expanded to every power."""
        return tuple(all_powers) if self.powers is None else self.powers

    def shows(self, layer: str) -> bool:
        """Whether a map layer is switched on."""
        return layer in self.layers

    def visible_states(self) -> tuple[str, ...]:
        """Installation states to draw: the status filter plus "closed" if toggled on."""
        return (*self.statuses, "closed") if self.show_closed else self.statuses


def default_state(year: int) -> ViewState:
    """The state of a fresh visit: ``year`` (the latest in the data), everything else default."""
    return ViewState(year=year)


def _ordered_subset(
    values: Iterable[str], allowed: Sequence[str]
) -> tuple[tuple[str, ...], list[str]]:
    """Keep the allowed values (case-insensitive) in canonical order; return the rejects too."""
    by_key = {a.lower(): a for a in allowed}
    picked: set[str] = set()
    rejected: list[str] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        match = by_key.get(value.lower())
        if match is None:
            if value not in rejected:
                rejected.append(value)
        else:
            picked.add(match)
    return tuple(a for a in allowed if a in picked), rejected


def _short(value: str, limit: int = 40) -> str:
    """Quote a user-supplied value for a note, cut so a huge query can't flood the page."""
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return f"“{value}”"


def normalise_powers(
    selected: Iterable[str] | None, all_powers: Sequence[str]
) -> tuple[str, ...] | None:
    """A control's selection as stored in :class:`ViewState`: all selected collapses to None."""
    if selected is None:
        return None
    picked, _ = _ordered_subset(selected, all_powers)
    return None if set(picked) == set(all_powers) else picked


def from_controls(
    *,
    year: int | float | str | None,
    powers: Iterable[str] | None,
    metric: str | None,
    layers: Iterable[str] | None,
    statuses: Iterable[str] | None,
    show_closed: bool | Iterable[str] | None,
    country: str | None,
    all_powers: Sequence[str],
    year_range: tuple[int, int],
    default_year: int,
    valid_countries: Collection[str] | None = None,
    tab: str | None = None,
    compare: int | float | str | None = None,
    record: str | None = None,
    record_hosts: Mapping[str, str] | None = None,
    lang: str = DEFAULT_LANG,
    embed: bool = False,
) -> ViewState:
    """Build a valid state from the controls' current values (clamping anything odd).

    ``compare`` outside the range is dropped; equal to the year it is kept but compares
    nothing (``span``); ``record`` is kept only while its country is the one open.
    """
    lo, hi = year_range
    try:
        y = int(float(year)) if year is not None else default_year
    except (TypeError, ValueError, OverflowError):  # OverflowError: 1e400 is inf
        y = default_year
    y = min(max(y, lo), hi)
    if isinstance(show_closed, bool) or show_closed is None:
        closed = bool(show_closed)
    else:
        closed = "closed" in list(show_closed)
    chosen_layers, _ = _ordered_subset(layers or (), LAYERS)
    chosen_statuses, _ = _ordered_subset(statuses or (), STATUS_FILTER)
    code = country.strip().upper() if isinstance(country, str) and country.strip() else None
    if code is not None and valid_countries is not None and code not in valid_countries:
        code = None
    cmp = _int_or_none(compare)
    # Kept when the timeline reaches it (play, a drag): compare mode pauses (``span`` is
    # None) and comes back on the next year, as the control still shows it.
    cmp = cmp if cmp is not None and lo <= cmp <= hi else None
    rec = record if isinstance(record, str) and record else None
    if rec is not None and (record_hosts is None or _same_country(record_hosts.get(rec),
                                                                     code) is False):
        rec = None
    return ViewState(
        year=y,
        compare=cmp,
        record=rec,
        powers=normalise_powers(list(powers) if powers is not None else [], all_powers),
        metric=metric if metric in METRICS else DEFAULT_METRIC,
        layers=chosen_layers,
        statuses=chosen_statuses,
        show_closed=closed,
        country=code,
        tab=tab if tab in TABS else DEFAULT_TAB,
        lang=lang if lang in LANGS else DEFAULT_LANG,
        embed=bool(embed),
    )


def _switch(value: str) -> bool | None:
    """A link's on/off value: True (1, true, yes, on), False (0, false, no, off, empty),
    None for anything else (the caller notes it and keeps the default, off)."""
    v = value.lower()
    return True if v in _TRUE else False if v in _FALSE else None


def _int_or_none(value: Any) -> int | None:
    """An integer from a control's value (a number or a numeric string), else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number == number and abs(number) < 1e6 else None


def _same_country(host: str | None, country: str | None) -> bool:
    """Whether a record filed under ``host`` belongs to the open ``country`` (Somaliland's
    records are filed under Somalia)."""
    if host is None or country is None:
        return False
    return host == country or {host, country} == {"SOM", "SOL"}


def parse_query(
    query: str | None,
    valid_powers: Sequence[str],
    year_range: tuple[int, int],
    *,
    default_year: int | None = None,
    valid_countries: Collection[str] | None = None,
    record_hosts: Mapping[str, str] | None = None,
    default_lang: str = DEFAULT_LANG,
) -> tuple[ViewState, list[str]]:
    """Parse ``?year=2019&powers=RUS,FRA&...`` into a state and notes on what was ignored.

    Never raises: every invalid value falls back to its default and adds one note, in the
    link's language (``lang``, else ``default_lang``: the browser's). Unknown parameters
    (e.g. tracking tags added by a chat app) are ignored silently.
    """
    lo, hi = year_range
    default_year = hi if default_year is None else default_year
    default_lang = default_lang if default_lang in LANGS else DEFAULT_LANG
    state = replace(default_state(default_year), lang=default_lang)
    t = tr(default_lang)
    notes: list[str] = []
    text = (query or "").strip()
    if text.startswith("?"):
        text = text[1:]
    try:
        params = parse_qs(text, keep_blank_values=True, max_num_fields=50)
    except ValueError:
        return state, [t("The link has too many parameters; showing the default view.")]

    def first(name: str) -> str | None:
        values = params.get(name)
        return values[0].strip() if values else None

    lang = first("lang")
    if lang:
        if lang.lower() in LANGS:
            state = replace(state, lang=lang.lower())
            t = tr(state.lang)
        else:
            notes.append(t("Language {value} is not offered (en or fr); showing {lang}.",
                           value=_short(lang, 12), lang=default_lang))

    year = first("year")
    if year is not None:
        try:
            y = int(year)
        except ValueError:
            notes.append(t("Year {value} is not a year; showing {default}.",
                           value=_short(year), default=default_year))
        else:
            if lo <= y <= hi:
                state = replace(state, year=y)
            else:
                notes.append(t("Year {value} is outside {lo}–{hi}; showing {default}.",
                               value=_short(str(y)), lo=lo, hi=hi, default=default_year))

    powers = first("powers")
    if powers is not None and powers != "":
        if powers.lower() == NONE:
            state = replace(state, powers=())
        else:
            picked, rejected = _ordered_subset(powers.split(","), valid_powers)
            if rejected:
                listed = ", ".join(_short(r, 12) for r in rejected[:5])
                if picked:
                    notes.append(t("Unknown power code(s) {codes} ignored.", codes=listed))
                else:
                    notes.append(t("Unknown power code(s) {codes} ignored; showing all "
                                   "powers.", codes=listed))
            if picked:
                state = replace(state, powers=normalise_powers(picked, valid_powers))

    metric = first("metric")
    if metric is not None and metric != "":
        if metric.lower() in METRICS:
            state = replace(state, metric=metric.lower())
        else:
            notes.append(t("Map colour {value} is unknown (powers, installations, agreements, "
                           "presence or personnel); showing powers present.",
                           value=_short(metric)))

    multi = (("layers", LAYERS, "layers"), ("status", STATUS_FILTER, "statuses"))
    for name, allowed, attr in multi:
        raw = first(name)
        if raw is None:
            continue
        if raw.lower() == NONE or raw == "":
            state = replace(state, **{attr: ()})
            continue
        picked, rejected = _ordered_subset(raw.split(","), allowed)
        if rejected:
            listed = ", ".join(_short(r, 16) for r in rejected[:5])
            notes.append(t("Unknown {name} value(s) {values} ignored.", name=name,
                           values=listed))
        if picked or not rejected:
            state = replace(state, **{attr: picked})

    closed = first("closed")
    if closed is not None:
        on = _switch(closed)
        if on is None:
            notes.append(t("Show closed {value} is not on or off; closed sites hidden.",
                           value=_short(closed, 10)))
        state = replace(state, show_closed=bool(on))

    country = first("country")
    if country:
        code = country.upper()
        known = (
            code in valid_countries
            if valid_countries is not None
            else len(code) == 3 and code.isascii() and code.isalpha()
        )
        if known:
            state = replace(state, country=code)
        else:
            notes.append(t("Country {value} is unknown; no country selected.",
                           value=_short(country, 12)))
    tab = first("tab")
    if tab:
        if tab.lower() in TABS:
            state = replace(state, tab=tab.lower())
        else:
            notes.append(t("View {value} is unknown (map, chart or table); showing the map.",
                           value=_short(tab, 12)))
    compare = first("compare")
    if compare:
        try:
            c = int(compare)
        except ValueError:
            notes.append(t("Compare year {value} is not a year; not comparing.",
                           value=_short(compare, 12)))
        else:
            if not lo <= c <= hi:
                notes.append(t("Compare year {value} is outside {lo}–{hi}; not comparing.",
                               value=_short(str(c), 12), lo=lo, hi=hi))
            elif c == state.year:
                notes.append(t("Compare year {year} is the year shown; not comparing.",
                               year=c))
            else:
                state = replace(state, compare=c)
    record = first("record")
    if record:
        host = (record_hosts or {}).get(record)
        if host is None:
            notes.append(t("Record {value} is unknown; no record selected.",
                           value=_short(record, 20)))
        else:
            if state.country and not _same_country(host, state.country):
                notes.append(t("Record {value} is not in the country asked for; showing "
                               "the record's country.", value=_short(record, 20)))
            state = replace(state, record=record, country=host)
    embed = first("embed")
    if embed is not None:
        on = _switch(embed)
        if on is None:
            notes.append(t("Embed {value} is not on or off; showing the full dashboard.",
                           value=_short(embed, 10)))
        state = replace(state, embed=bool(on))
    return state, notes


def to_query(state: ViewState) -> str:
    """The canonical query string of ``state`` (with leading "?"), defaults left out.

    The year is always written: the default year moves when the data grows, a link must not.
    """
    params: list[tuple[str, str]] = [("year", str(state.year))]
    if state.powers is not None:
        params.append(("powers", ",".join(state.powers) if state.powers else NONE))
    if state.metric != DEFAULT_METRIC:
        params.append(("metric", state.metric))
    if state.layers != LAYERS:
        params.append(("layers", ",".join(state.layers) if state.layers else NONE))
    if state.statuses != STATUS_FILTER:
        params.append(("status", ",".join(state.statuses) if state.statuses else NONE))
    if state.show_closed:
        params.append(("closed", "1"))
    if state.country:
        params.append(("country", state.country))
    if state.tab != DEFAULT_TAB:
        params.append(("tab", state.tab))
    if state.span is not None:
        params.append(("compare", str(state.compare)))
    if state.record:
        params.append(("record", state.record))
    if state.lang != DEFAULT_LANG:
        params.append(("lang", state.lang))
    if state.embed:
        params.append(("embed", "1"))
    return "?" + urlencode(params, safe=",")
