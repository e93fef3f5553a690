"""What a reader sees a dataset's codes as: titles, state and enum labels, names, colours.

Translatable labels (``N_`` marks them for the catalog) and the CLDR names of powers and
countries per language, memoised per dataset. No counts, no layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from dashboard.view.codec import Context, decode
from dashboard.view.i18n import DEFAULT_LANG, N_, place_name
from dashboard.view.memo import memo
from dashboard.view.state import ViewState

TITLE = N_("Foreign military presence in Africa")

#: Installation states as readers see them (legend, hover, details, filters).
STATE_LABELS: dict[str, str] = {
    "active": N_("Active"),
    "planned": N_("Planned"),
    "abandoned": N_("Abandoned"),
    "refused": N_("Refused by host"),
    "closed": N_("Closed"),
}

#: The dataset's enumerations as readers see them: the msgid is the value itself, so
#: ``tr(lang)(row["kind"])`` translates a kind; these markers put them in the catalog.
ENUM_LABELS: tuple[str, ...] = (
    N_("air base"), N_("army base"), N_("naval base"), N_("joint base"),
    N_("logistics facility"), N_("drone base"), N_("training mission"), N_("headquarters"),
    N_("communications station"), N_("military cooperation"),
    N_("military-technical cooperation"), N_("basing or access"), N_("deployment"),
    N_("active"), N_("closed"), N_("planned"), N_("abandoned"), N_("refused"),
    N_("high"), N_("medium"), N_("low"), N_("yes"), N_("no"), N_("unknown"),
    N_("troops"), N_("instructors"), N_("contractors"), N_("civilian staff"), N_("mixed"),
    N_("ceiling"), N_("own personnel"), N_("runs it"), N_("plan only"),
)

#: What a marker's point stands for when it is not the site itself (hover, details, legend).
PRECISION_TEXT: dict[str, str] = {
    "exact": "",
    "approximate": N_("approx. location"),
    "town": N_("town only: the point is the town"),
    "region": N_("region only: the point is in the region"),
    "country": N_("country only: the point is in the country"),
}


@dataclass(frozen=True)
class Names:
    """Display names and colours of a dataset's powers and countries."""

    powers: dict[str, str]
    colors: dict[str, str]
    countries: dict[str, str]


def names(ds: Any, lang: str = DEFAULT_LANG) -> Names:
    """Power and country names of ``ds`` in ``lang`` (CLDR; memoised per language)."""
    return memo(ds, "view.names", ("names", lang), lambda: Names(
        powers={c: place_name(c, n, lang)
                for c, n in zip(ds.powers["code"], ds.powers["name"], strict=True)},
        colors=dict(zip(ds.powers["code"], ds.powers["color"], strict=True)),
        countries={c: place_name(c, n, lang)
                   for c, n in zip(ds.countries["iso3"], ds.countries["name"], strict=True)},
    ))


def record_hosts(ds: Any) -> dict[str, str]:
    """Record id -> host country, for every installation and agreement (memoised)."""
    def build() -> dict[str, str]:
        out = dict(zip(ds.installations["id"], ds.installations["host_iso3"], strict=True))
        out.update(zip(ds.agreements["id"], ds.agreements["host_iso3"], strict=True))
        return out
    return memo(ds, "view.names", "hosts", build)


def state_context(ds: Any, default_lang: str = DEFAULT_LANG) -> Context:
    """What a link is checked against for ``ds`` (memoised per default language)."""
    return memo(ds, "view.names", ("context", default_lang), lambda: Context(
        tuple(ds.power_codes), ds.year_range, ds.default_year, frozenset(names(ds).countries),
        record_hosts(ds), default_lang))


def state_of(ds: Any, query: str | None) -> ViewState:
    """The state behind a canonical query of the state store (memoised: the map, texts,
    views, chart and table callbacks of one interaction all read the same one)."""
    return memo(ds, "view.state", query or "",
                lambda: decode(query, state_context(ds))[0], size=256)
