"""Search: one box that finds countries, powers, installations and agreements as you type.

The index is built once per dataset (memoised): every entry keeps its text folded (lower
case, accents stripped), so "Agalega" finds Agaléga and "Menaka" finds Ménaka. Ranking, best
first: exact name or code, name starting with the query, a word of the name starting with
it, the name containing it, then matches in the other text (site, summary, id). Kinds break
ties in the order countries, powers, installations, agreements; names break the rest.

:func:`apply_pick` turns a picked result into the next view state: a country opens its
details, a power filters to it, a record opens its country's details on it (moving the year
to one in which the record is on the map, widening the filters if they hide it).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from dashboard.view.compare import comparison
from dashboard.view.i18n import DEFAULT_LANG, N_, tr, translate
from dashboard.view.labels import names, record_hosts
from dashboard.view.memo import memo
from dashboard.view.model import joins
from dashboard.view.state import LAYERS, STATUS_FILTER, ViewState
from dashboard.view.table import fold_accents

#: Result kinds in ranking order.
KINDS: tuple[str, ...] = ("country", "power", "installation", "agreement")
KIND_LABELS: dict[str, str] = {
    "country": N_("Country"), "power": N_("Power"), "installation": N_("Installation"),
    "agreement": N_("Agreement"),
}
MAX_RESULTS = 10
#: Longest query taken into account (the box stops at the same length).
MAX_QUERY = 80


def fold(text: str) -> str:
    """The table filter's folding (lower case, no accents), plus straight apostrophes and
    single spaces: what typed text and names are compared as."""
    return " ".join(fold_accents(text).replace("’", "'").split())


@dataclass(frozen=True)
class Entry:
    """One findable thing: what it is, how it is shown, and its folded text."""

    kind: str
    key: str  # iso3, power code or record id
    label: str
    detail: str  # second line: where, who, when
    name: str  # folded label
    words: tuple[str, ...]  # folded words of the label
    other: str  # folded other text (codes, site, summary, id)
    code: str  # folded key (an exact code or id ranks first)
    hay: str  # name and other text: what every typed word must be found in
    spaced: str  # " " + the name's words: " " + query in it = a word starts with the query


@dataclass(frozen=True)
class Hit:
    """A ranked result."""

    kind: str
    key: str
    label: str
    detail: str


def _years(opened: Any, closed: Any, lang: str) -> str:
    a = "" if pd.isna(opened) else str(int(opened))
    b = "" if pd.isna(closed) else str(int(closed))
    return f"{a}–{b}" if b else (translate(lang, "since {year}", year=a) if a else "")


def index(ds: Any, lang: str = DEFAULT_LANG) -> tuple[Entry, ...]:
    """Every entry of ``ds`` (memoised: built once per dataset and language)."""
    return memo(ds, "view.search", ("index", lang), lambda: _build(ds, lang))


def _by_name(ds: Any, lang: str) -> tuple[list[str], list[int]]:
    """Folded names sorted, with their entry positions: prefix matches by bisection."""
    def build() -> tuple[list[str], list[int]]:
        pairs = sorted((e.name, i) for i, e in enumerate(index(ds, lang)))
        return [n for n, _ in pairs], [i for _, i in pairs]
    return memo(ds, "view.search", ("by_name", lang), build)


def _entry(kind: str, key: str, label: str, detail: str, other: str) -> Entry:
    name = fold(label)
    rest = fold(other)
    return Entry(kind=kind, key=key, label=label, detail=detail, name=name,
                 words=tuple(name.replace("(", " ").replace(",", " ").split()),
                 other=rest, code=fold(key), hay=f"{name} {rest}",
                 spaced=" " + name.replace("(", " ").replace(",", " "))


def _build(ds: Any, lang: str) -> tuple[Entry, ...]:
    t = tr(lang)
    n, english = names(ds, lang), names(ds)
    # A country or power is found by its name in the reader's language or in English.
    out = [_entry("country", code, name, code, f"{code} {english.countries[code]}")
           for code, name in sorted(n.countries.items(), key=lambda kv: fold(kv[1]))]
    out += [_entry("power", code, name, code, f"{code} {english.powers[code]}")
            for code, name in n.powers.items()]
    inst = ds.installations
    for rid, name, power, host, site, opened, closed in zip(
            inst["id"], inst["name"], inst["power"], inst["host_iso3"], inst["site"],
            inst["opened"], inst["closed"], strict=True):
        where = n.countries.get(host, host)
        span = _years(opened, closed, lang)
        detail = f"{n.powers.get(power, power)} · {where}" + (f" · {span}" if span else "")
        out.append(_entry("installation", rid, str(name), detail, f"{site} {rid}"))
    agr = ds.agreements
    for rid, power, host, kind, summary, signed in zip(
            agr["id"], agr["power"], agr["host_iso3"], agr["kind"], agr["summary"],
            agr["signed"], strict=True):
        label = f"{n.powers.get(power, power)} – {n.countries.get(host, host)}: {t(kind)}"
        text = str(summary)
        short = text if len(text) <= 90 else text[:89] + "…"
        out.append(_entry("agreement", rid, label,
                          t("signed {date} · {summary}", date=signed, summary=short),
                          f"{text} {rid} {kind}"))
    return tuple(out)


def _rank(e: Entry, q: str, tokens: Sequence[str]) -> int:
    """0 (best) to 5, for an entry already known to contain every typed word."""
    if e.name == q or e.code == q:
        return 0
    if e.name.startswith(q):
        return 1
    if any(w.startswith(q) for w in e.words):
        return 2
    if q in e.name:
        return 3
    words = e.hay.split()
    return 4 if all(any(w.startswith(t) for w in words) for t in tokens) else 5


def search(ds: Any, query: Any, limit: int = MAX_RESULTS, lang: str = DEFAULT_LANG
           ) -> list[Hit]:
    """The best ``limit`` entries for ``query`` (an empty or odd query finds nothing)."""
    if not isinstance(query, str):
        return []
    q = fold(query[:MAX_QUERY])
    if not q:
        return []
    tokens = q.split()
    kind_rank = {k: i for i, k in enumerate(KINDS)}
    entries = index(ds, lang)
    # Names equal to or starting with the query rank above everything else: when there are
    # enough of those (short queries match thousands of entries), bisection finds them and
    # nothing else is scanned.
    names_, order = _by_name(ds, lang)
    start = bisect_left(names_, q)
    top = []
    for k in range(start, len(names_)):
        if not names_[k].startswith(q):
            break
        top.append(order[k])
    if len(top) >= limit:
        ranked = sorted((0 if entries[i].name == q else 1, kind_rank[entries[i].kind],
                         entries[i].name, i) for i in top)
        return [_hit(entries[i]) for *_, i in ranked[:limit]]
    # Then tier by tier, each a substring test on prebuilt folded text, ranking in full
    # only what the cheaper tiers leave room for: a keystroke stays a few scans of the index.
    first, rest = tokens[0], tokens[1:]
    matches = [i for i, e in enumerate(entries) if first in e.hay]
    if rest:
        matches = [i for i in matches if all(t in entries[i].hay for t in rest)]
    found = set(top)
    spaced_q = " " + q
    tiers = [(0 if entries[i].name == q or entries[i].code == q else 1, i) for i in top]
    tiers += [(0, i) for i in matches if i not in found and entries[i].code == q]
    found.update(i for _, i in tiers)
    word = [i for i in matches if i not in found and spaced_q in entries[i].spaced]
    tiers += [(2, i) for i in word]
    found.update(word)
    if len(tiers) < limit:
        inner = [i for i in matches if i not in found and q in entries[i].name]
        tiers += [(3, i) for i in inner]
        found.update(inner)
    if len(tiers) < limit:
        tiers += [(_rank(entries[i], q, tokens), i) for i in matches if i not in found]
    ranked = sorted((r, kind_rank[entries[i].kind], entries[i].name, i) for r, i in tiers)
    return [_hit(entries[i]) for *_, i in ranked[:limit]]


def _hit(e: Entry) -> Hit:
    return Hit(kind=e.kind, key=e.key, label=e.label, detail=e.detail)


# --------------------------------------------------------------------------- picking


def _record_power(ds: Any, record_id: str) -> tuple[str, str]:
    """(power, layer) of a record."""
    inst = ds.installations
    hit = inst[inst["id"] == record_id]
    if len(hit):
        return str(hit["power"].iloc[0]), "installations"
    agr = ds.agreements
    return str(agr.loc[agr["id"] == record_id, "power"].iloc[0]), "agreements"


def on_map(ds: Any, state: ViewState, record_id: str) -> bool:
    """Whether the record is listed for ``state``: on the year's map, or among its changes."""
    j = joins(ds, replace(state, compare=None, record=None))
    if record_id in set(j.installations["id"]) or record_id in set(j.agreements["id"]):
        return True
    c = comparison(ds, state)
    return c is not None and record_id in set(c.changes["id"])


def _nearest_year(ds: Any, state: ViewState, record_id: str) -> int | None:
    lo, hi = ds.year_range
    for step in range(hi - lo + 1):
        for y in (state.year + step, state.year - step):
            if lo <= y <= hi and on_map(ds, replace(state, year=y, compare=None), record_id):
                return y
    return None


def apply_pick(ds: Any, state: ViewState, kind: str, key: str) -> ViewState:
    """The state after picking a search result (or a record in a list of changes)."""
    if kind == "country" and key in names(ds).countries:
        return replace(state, country=key, record=None)
    if kind == "power" and key in ds.power_codes:
        return replace(state, powers=(key,) if len(ds.power_codes) > 1 else None)
    host = record_hosts(ds).get(key)
    if kind not in ("installation", "agreement", "record") or host is None:
        return state
    state = replace(state, country=host, record=key)
    if on_map(ds, state, key):
        return state
    year = _nearest_year(ds, state, key)
    if year is None:
        # The filters hide it in every year: show its power, its layer and every status.
        power, layer = _record_power(ds, key)
        powers = state.power_set(ds.power_codes)
        wider = replace(
            state,
            powers=None if state.powers is None or set(powers) | {power} >= set(
                ds.power_codes) else tuple(p for p in ds.power_codes
                                           if p in powers or p == power),
            layers=tuple(x for x in LAYERS if x in state.layers or x == layer),
            statuses=STATUS_FILTER,
        )
        year = _nearest_year(ds, wider, key)
        state = wider
    if year is None:
        return state
    return replace(state, year=year)
