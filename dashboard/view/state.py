"""The dashboard's view state and its URL form, as pure functions.

Everything a shared link must reproduce lives in :class:`ViewState`; ``to_query`` writes its
canonical, minimal query and :mod:`dashboard.view.codec` reads any query back (with the
problems it met), so ``decode(to_query(s)) == (s, [])`` for every valid state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from dashboard.view.i18n import DEFAULT_LANG, N_

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
