"""The view state's one codec: a parser per link parameter, one validator, one cache key.

``decode`` turns any query string (including garbage typed by hand) into a valid
:class:`~dashboard.view.state.ViewState` plus structured :class:`Problem` s; the page shows
them as translated notes, the CLI as English one-line errors naming the bad value.
``to_query`` (in :mod:`dashboard.view.state`) writes the canonical query back.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qs

from dashboard.view.i18n import DEFAULT_LANG, LANGS, N_, tr
from dashboard.view.state import (
    DEFAULT_METRIC,
    DEFAULT_TAB,
    LAYERS,
    METRICS,
    NONE,
    STATUS_FILTER,
    TABS,
    ViewState,
    default_state,
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


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


@dataclass(frozen=True)
class Context:
    """What a state is checked against: the dataset's powers, years, countries and records.

    Built once per dataset (:func:`dashboard.view.model.state_context`); the default language is
    the browser's, for the notes of a link that does not say its own.
    """

    powers: tuple[str, ...]
    year_range: tuple[int, int]
    default_year: int
    countries: frozenset[str] | None = None
    record_hosts: Mapping[str, str] | None = None
    default_lang: str = DEFAULT_LANG


@dataclass(frozen=True)
class Problem:
    """One link parameter that could not be followed: where, what, and what is shown instead.

    The page shows :meth:`note` (translated, with the fallback); the CLI, which refuses
    instead of falling back, prints :attr:`error` (English, naming the value).
    """

    param: str
    value: str
    #: The page's note: a translatable template (``{value}`` is the quoted value).
    template: str
    #: The CLI's one-line English error.
    error: str
    fields: tuple[tuple[str, Any], ...] = ()
    limit: int = 40

    def note(self, lang: str = DEFAULT_LANG) -> str:
        """The note in ``lang`` (the English error for a problem that has no page note:
        gettext would translate an empty template into the catalog's header)."""
        if not self.template:
            return self.error
        return tr(lang)(self.template, value=_short(self.value, self.limit), **dict(self.fields))


#: What a parameter's parser gives back: the fields to set and the problems found.
Parsed = tuple[dict[str, Any], list[Problem]]


def _parse_lang(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
    if raw.lower() in LANGS:
        return {"lang": raw.lower()}, []
    return {}, [Problem("lang", raw, N_("Language {value} is not offered (en or fr); showing "
                                        "{lang}."),
                        f"lang {raw[:12]!r} is not offered (give en or fr)",
                        (("lang", ctx.default_lang),), 12)]


def _parse_year(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
    lo, hi = ctx.year_range
    try:
        y = int(raw)
    except ValueError:
        return {}, [Problem("year", raw, N_("Year {value} is not a year; showing {default}."),
                            f"year {raw[:30]!r} is not a year",
                            (("default", ctx.default_year),))]
    if lo <= y <= hi:
        return {"year": y}, []
    return {}, [Problem("year", str(y), N_("Year {value} is outside {lo}–{hi}; showing "
                                            "{default}."),
                        f"year {y} is outside the data's range {lo}-{hi}",
                        (("lo", lo), ("hi", hi), ("default", ctx.default_year)))]


def _parse_powers(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
    if raw == "":
        return {}, []
    if raw.lower() == NONE:
        return {"powers": ()}, []
    picked, rejected = _ordered_subset(raw.split(","), ctx.powers)
    fields: dict[str, Any] = {"powers": normalise_powers(picked, ctx.powers)} if picked else {}
    if not rejected:
        return fields, []
    listed = ", ".join(_short(r, 12) for r in rejected[:5])
    template = (N_("Unknown power code(s) {codes} ignored.") if picked else
                N_("Unknown power code(s) {codes} ignored; showing all powers."))
    plain = ", ".join(repr(r[:12]) for r in rejected[:5])
    return fields, [Problem("powers", ",".join(rejected), template,
                            f"unknown power code(s) {plain} (known: {', '.join(ctx.powers)})",
                            (("codes", listed),))]


def _parse_metric(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
    if raw == "":
        return {}, []
    if raw.lower() in METRICS:
        return {"metric": raw.lower()}, []
    return {}, [Problem("metric", raw, N_("Map colour {value} is unknown (powers, "
                                          "installations, agreements, presence or "
                                          "personnel); showing powers present."),
                        f"metric {raw[:40]!r} is unknown (choose from {', '.join(METRICS)})")]


def _subset_parser(name: str, allowed: Sequence[str], attr: str
                   ) -> Callable[[str, dict[str, Any], Context], Parsed]:
    def parse(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
        if raw.lower() == NONE or raw == "":
            return {attr: ()}, []
        picked, rejected = _ordered_subset(raw.split(","), allowed)
        fields = {attr: picked} if picked or not rejected else {}
        if not rejected:
            return fields, []
        listed = ", ".join(_short(r, 16) for r in rejected[:5])
        plain = ", ".join(repr(r[:16]) for r in rejected[:5])
        return fields, [Problem(name, ",".join(rejected),
                                N_("Unknown {name} value(s) {values} ignored."),
                                f"unknown {name} value(s) {plain} (choose from "
                                f"{','.join(allowed)})",
                                (("name", name), ("values", listed)))]
    return parse


def _switch_parser(name: str, attr: str, template: str
                   ) -> Callable[[str, dict[str, Any], Context], Parsed]:
    def parse(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
        on = _switch(raw)
        if on is not None:
            return {attr: on}, []
        return {attr: False}, [Problem(name, raw, template,
                                       f"{name} {raw[:10]!r} is not on or off (give 1 or 0)",
                                       limit=10)]
    return parse


def _parse_country(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
    if not raw:
        return {}, []
    code = raw.upper()
    known = (code in ctx.countries if ctx.countries is not None
             else len(code) == 3 and code.isascii() and code.isalpha())
    if known:
        return {"country": code}, []
    return {}, [Problem("country", raw, N_("Country {value} is unknown; no country selected."),
                        f"country {raw[:12]!r} is unknown (give an ISO3 code like MLI)",
                        limit=12)]


def _parse_tab(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
    if not raw:
        return {}, []
    if raw.lower() in TABS:
        return {"tab": raw.lower()}, []
    return {}, [Problem("tab", raw, N_("View {value} is unknown (map, chart or table); "
                                       "showing the map."),
                        f"tab {raw[:12]!r} is unknown (choose from {', '.join(TABS)})",
                        limit=12)]


def _parse_compare(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
    if not raw:
        return {}, []
    lo, hi = ctx.year_range
    try:
        c = int(raw)
    except ValueError:
        return {}, [Problem("compare", raw, N_("Compare year {value} is not a year; not "
                                               "comparing."),
                            f"compare {raw[:12]!r} is not a year", limit=12)]
    if not lo <= c <= hi:
        return {}, [Problem("compare", str(c), N_("Compare year {value} is outside {lo}–{hi}; "
                                                  "not comparing."),
                            f"compare year {c} is outside the data's range {lo}-{hi}",
                            (("lo", lo), ("hi", hi)), 12)]
    if c == got.get("year", ctx.default_year):
        return {}, [Problem("compare", str(c), N_("Compare year {year} is the year shown; not "
                                                  "comparing."),
                            f"compare year {c} is the year shown (give another year)",
                            (("year", c),), 12)]
    return {"compare": c}, []


def _parse_record(raw: str, got: dict[str, Any], ctx: Context) -> Parsed:
    if not raw:
        return {}, []
    host = (ctx.record_hosts or {}).get(raw)
    if host is None:
        return {}, [Problem("record", raw, N_("Record {value} is unknown; no record selected."),
                            f"record {raw[:20]!r} is unknown (give an id of the dataset)",
                            limit=20)]
    problems = []
    if got.get("country") and not _same_country(host, got["country"]):
        problems.append(Problem("record", raw, N_("Record {value} is not in the country asked "
                                                  "for; showing the record's country."),
                                f"record {raw[:20]!r} is not in country "
                                f"{got['country']!r}", limit=20))
    return {"record": raw, "country": host}, problems


#: One parser per link parameter, in the order they are read (the year before the compare
#: year, the country before the record). Unknown parameters (e.g. tracking tags added by a
#: chat app) are ignored silently.
PARSERS: dict[str, Callable[[str, dict[str, Any], Context], Parsed]] = {
    "lang": _parse_lang,
    "year": _parse_year,
    "powers": _parse_powers,
    "metric": _parse_metric,
    "layers": _subset_parser("layers", LAYERS, "layers"),
    "status": _subset_parser("status", STATUS_FILTER, "statuses"),
    "closed": _switch_parser("closed", "show_closed", N_("Show closed {value} is not on or "
                                                          "off; closed sites hidden.")),
    "country": _parse_country,
    "tab": _parse_tab,
    "compare": _parse_compare,
    "record": _parse_record,
    "embed": _switch_parser("embed", "embed", N_("Embed {value} is not on or off; showing the "
                                                  "full dashboard.")),
}


def decode(query: str | None, ctx: Context) -> tuple[ViewState, list[Problem]]:
    """``?year=2019&powers=RUS,FRA&...`` as a valid state and the problems met on the way.

    Never raises: every invalid value keeps its default and adds one :class:`Problem`.
    """
    default_lang = ctx.default_lang if ctx.default_lang in LANGS else DEFAULT_LANG
    state = replace(default_state(ctx.default_year), lang=default_lang)
    text = (query or "").strip()
    if text.startswith("?"):
        text = text[1:]
    try:
        params = parse_qs(text, keep_blank_values=True, max_num_fields=50)
    except ValueError:
        return state, [Problem("", "", N_("The link has too many parameters; showing the "
                                          "default view."),
                               "the link has more than 50 parameters")]
    got: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, parser in PARSERS.items():
        values = params.get(name)
        if values is None:
            continue
        fields, found = parser(values[0].strip(), got, replace(ctx, default_lang=default_lang))
        got.update(fields)
        problems.extend(found)
    return replace(state, **got), problems


def notes_of(problems: Sequence[Problem], state: ViewState) -> list[str]:
    """The page's notes on ``problems``, in the state's language."""
    return [p.note(state.lang) for p in problems]


def check(state: ViewState, ctx: Context) -> list[Problem]:
    """What in an already built state the dataset cannot show (the export's strict check).

    The one validator of a typed state: the link parsers above apply the same rules to text.
    """
    problems: list[Problem] = []
    lo, hi = ctx.year_range
    if not lo <= state.year <= hi:
        problems.append(Problem("year", str(state.year), "", f"year {state.year} is outside "
                                f"the data's range {lo}-{hi}"))
    unknown = [p for p in state.powers or () if p not in ctx.powers]
    if unknown:
        problems.append(Problem("powers", ",".join(unknown), "",
                                f"unknown power {', '.join(unknown)} "
                                f"(known: {', '.join(ctx.powers)})"))
    if state.country and ctx.countries is not None and state.country not in ctx.countries:
        problems.append(Problem("country", state.country, "",
                                f"country {state.country!r} is unknown"))
    if state.compare is not None and not lo <= state.compare <= hi:
        problems.append(Problem("compare", str(state.compare), "",
                                f"compare year {state.compare} is outside {lo}-{hi}"))
    return problems


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
    """:func:`decode` with the notes as text, in the link's language (else ``default_lang``)."""
    ctx = Context(tuple(valid_powers), year_range,
                  year_range[1] if default_year is None else default_year,
                  frozenset(valid_countries) if valid_countries is not None else None,
                  record_hosts, default_lang)
    state, problems = decode(query, ctx)
    return state, notes_of(problems, state)


#: The fields each consumer of a state depends on: its cache key (:func:`key_of`) and the
#: page's "unchanged, skip resending" checks are built from these, in one place.
FACETS: dict[str, tuple[str, ...]] = {
    # geo.timeline's queries for one year (the colour metric does not change them)
    "joins": ("year", "powers", "layers", "statuses", "show_closed"),
    # the comparison of two years (``year`` holds the later one, ``compare`` the earlier)
    "compare": ("year", "compare", "powers", "metric", "layers", "statuses", "show_closed"),
    # the chart's series over all years
    "series": ("powers", "metric", "layers", "statuses", "show_closed"),
    # the list of changes in compare mode
    # ("span": the two years when comparing, nothing otherwise)
    "changes": ("span", "powers", "metric", "layers", "statuses", "show_closed", "lang"),
    # the marker legend
    # ("personnel": whether the metric is personnel, which adds the marker sizes)
    "legend": ("span", "personnel", "show_closed", "lang", "embed"),
}


def key_of(state: ViewState, facet: str) -> ViewState:
    """``state`` reduced to the fields ``facet`` depends on (the others at their defaults):
    a hashable key, and a state a builder can use without depending on anything else."""
    fields = FACETS[facet]
    kept = {f: getattr(state, f) for f in fields if f not in ("span", "personnel")}
    if "span" in fields and state.span is not None:
        kept.update(year=state.year, compare=state.compare)
    if "personnel" in fields and state.metric == "personnel":
        kept.update(metric="personnel")
    return replace(ViewState(year=0), **kept)
