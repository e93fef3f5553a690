"""The view's words: headline numbers, the filters in words, the data credit.

Pure functions of (dataset, state): the page, the image titles and the data files' metadata
all read them through :func:`dashboard.view.model.view_model`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dashboard.view.i18n import DEFAULT_LANG, tr
from dashboard.view.labels import STATE_LABELS, names
from dashboard.view.memo import memo
from dashboard.view.state import METRIC_LABELS, STATUS_FILTER, ViewState


def counts_text(state: ViewState, summary: dict[str, int]) -> str:
    """Headline numbers of the view: powers, installations, agreements, countries."""
    t = tr(state.lang)
    parts = [t.n("{n} power", "{n} powers", summary["powers"])]
    if state.shows("installations"):
        text = t.n("{n} installation", "{n} installations", summary["installations"])
        stale = summary.get("unconfirmed", 0)
        if stale:
            text += " " + t.n("({n} not confirmed in over 3 years)",
                              "({n} not confirmed in over 3 years)", stale)
        parts.append(text)
    if state.shows("agreements"):
        parts.append(t.n("{n} agreement", "{n} agreements", summary["agreements"]))
    parts.append(t.n("{n} country", "{n} countries", summary["countries"]))
    return " · ".join(parts)


def headline_text(ds: Any, state: ViewState, summary: dict[str, int]) -> str:
    """The page's summary line, e.g. "2019 · 9 powers · 31 installations · ...", plus powers."""
    text = f"{state.year} · {counts_text(state, summary)}"
    chosen = chosen_powers_text(ds, state)
    return f"{text} · {chosen}" if chosen else text


def chosen_powers_text(ds: Any, state: ViewState) -> str:
    """The headline's last part when the powers are filtered ("France, Russia" or "5 of 28
    powers selected"); empty when all are shown."""
    all_powers = ds.power_codes
    chosen = state.power_set(all_powers)
    if len(chosen) >= len(all_powers):
        return ""
    if 0 < len(chosen) <= 3:
        power_names = names(ds, state.lang).powers
        return ", ".join(power_names[c] for c in chosen)
    return tr(state.lang)("{k} of {n} powers selected", k=len(chosen), n=len(all_powers))


def _license(ds: Any) -> str | None:
    """The dataset licence's short name from its descriptor, for the credit line."""
    try:
        path = Path(ds.data_dir) / "datapackage.json"
        descriptor = json.loads(path.read_text("utf-8"))
        return str(descriptor["licenses"][0]["name"]).replace("CC-BY-", "CC BY ")
    except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None


def credit_line(ds: Any, lang: str = DEFAULT_LANG) -> str:
    """The data credit every export carries (the licence asks for attribution).

    Memoised per dataset: it reads the descriptor, and every new view model asks for it.
    """
    return memo(ds, "view.names", ("credit", lang), lambda: _build_credit(ds, lang))


def _build_credit(ds: Any, lang: str) -> str:
    t = tr(lang)
    version = getattr(ds, "version", "") or "unversioned"
    label = f"v{version}" if version[:1].isdigit() else f"({version})"
    text = t("Data: africa-presence dataset {version} (sources per record); borders: "
             "Natural Earth", version=label)
    licence = _license(ds)
    return t("{credit}. Data licence: {licence}", credit=text, licence=licence) if licence \
        else text


def _powers_text(ds: Any, state: ViewState) -> str:
    t = tr(state.lang)
    power_names = names(ds, state.lang).powers
    chosen = state.power_set(ds.power_codes)
    if state.powers is None:
        return t("all {n} foreign powers", n=len(ds.power_codes))
    if not chosen:
        return t("no power selected")
    if len(chosen) <= 4:
        return ", ".join(power_names.get(c, c) for c in chosen)
    return t("{k} of {n} powers ({codes})", k=len(chosen), n=len(ds.power_codes),
             codes=", ".join(chosen))


def filters_text(ds: Any, state: ViewState) -> str:
    """The filters in words, for the title block of an image and the data files' metadata."""
    t = tr(state.lang)
    parts = [t("Powers: {powers}", powers=_powers_text(ds, state))]
    if state.shows("installations"):
        statuses = [t(STATE_LABELS[s]).lower() for s in state.statuses]
        if not statuses:
            text = t("closed only") if state.show_closed else t("no status selected")
        else:
            text = t("all statuses") if state.statuses == STATUS_FILTER else ", ".join(statuses)
            text += t(" incl. closed") if state.show_closed else ""
        parts.append(t("installations: {statuses}", statuses=text))
    else:
        parts.append(t("installations hidden"))
    parts.append(t("agreements in force") if state.shows("agreements")
                 else t("agreements hidden"))
    if state.shows("countries"):
        parts.append(t("countries coloured by {metric}",
                       metric=t(METRIC_LABELS[state.metric]).lower()))
    else:
        parts.append(t("countries not coloured"))
    if state.country:
        countries = names(ds, state.lang).countries
        parts.append(t("outlined: {country}", country=countries.get(state.country,
                                                                    state.country)))
    return " · ".join(parts)
