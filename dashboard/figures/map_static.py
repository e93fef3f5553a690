"""The parts of the map figure fixed per dataset: geometry, record order, hover texts.

Built once per dataset (memoised) and shared by the page's figure, its patches, the compare
patch and the exports, so a year step never rebuilds them.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import shapely

from dashboard.figures.placement import anchors, fan_out
from dashboard.view.i18n import DEFAULT_LANG, N_, Translator, tr, translate
from dashboard.view.labels import PRECISION_TEXT
from dashboard.view.labels import names as names_of
from dashboard.view.memo import memo


def esc(value: object) -> str:
    """Dataset text for plotly's hover labels, which accept a subset of HTML: escape it."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=False)


def _year(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


# --------------------------------------------------------------------------- static parts


@dataclass(frozen=True)
class Static:
    """What never changes for a dataset: geometry, record order, colours, hover text."""

    geojson: dict
    iso3: tuple[str, ...]
    names: dict[str, str]
    power_names: dict[str, str]
    power_colors: dict[str, str]
    inst_lat: tuple[float, ...]
    inst_lon: tuple[float, ...]
    inst_text: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]  # (host, power) of every agreement marker
    pair_lat: tuple[float, ...]
    pair_lon: tuple[float, ...]
    pair_text: tuple[str, ...]
    # Per-state patches are built from these arrays with masks, never row by row.
    inst_lat_obj: np.ndarray  # inst_lat as an object array (None fills hidden markers)
    inst_color: np.ndarray  # power colour per installation (object)
    low_rows: tuple[int, ...]  # installations of low confidence (the "?" trace's points)
    agr_line: np.ndarray  # escaped "kind, signed year" hover line per agreement (object)
    agr_pair: np.ndarray  # index into ``pairs`` per agreement (int)


def static(ds: Any, lang: str = DEFAULT_LANG) -> Static:
    """Build (once per dataset and language) the parts of the figure that do not depend on
    the state; the geometry is shared by every language."""
    return memo(ds, "figures.static", ("static", lang), lambda: _build_static(ds, lang))


def geojson(ds: Any) -> dict:
    """The countries as GeoJSON (memoised per dataset)."""
    return memo(ds, "figures.static", "geojson", lambda: _geojson(ds.countries))


def _geojson(countries: Any) -> dict:
    """Countries as GeoJSON, coordinates rounded to ~100 m: a third lighter, same picture."""
    features = []
    for code, name, geom in zip(countries["iso3"], countries["name"], countries.geometry,
                                strict=True):
        rounded = shapely.set_precision(geom, 0.001) if geom is not None else None
        rounded = geom if rounded is None or rounded.is_empty else rounded
        features.append({
            "type": "Feature",
            "id": code,
            "properties": {"iso3": code, "name": name},
            "geometry": shapely.geometry.mapping(rounded),
        })
    return {"type": "FeatureCollection", "features": features}


def _years_text(row: Any, t: Translator) -> str:
    parts = [t(label, year=y) for label, y in (
        (N_("announced {year}"), _year(row["announced"])),
        (N_("opened {year}"), _year(row["opened"])),
        (N_("closed {year}") if row["status"] == "closed" else N_("ended {year}"),
         _year(row["closed"])),
    ) if y is not None]
    return " · ".join(parts)


def _build_static(ds: Any, lang: str) -> Static:
    t = tr(lang)
    countries = ds.countries
    n = names_of(ds, lang)
    names, power_names = n.countries, n.powers
    power_colors = dict(zip(ds.powers["code"], ds.powers["color"], strict=True))

    inst = ds.installations
    lat, lon = fan_out(inst["lat"].tolist(), inst["lon"].tolist())
    texts = []
    for _, row in inst.iterrows():
        where = names.get(row["host_iso3"], row["host_iso3"])
        site = f" ({esc(row['site'])})" if row["site"] else ""
        precision = PRECISION_TEXT.get(row["coord_precision"], "")
        approx = f" · {esc(t(precision))}" if precision else ""
        who = t("{power} in {country}", power=power_names.get(row["power"], row["power"]),
                country=where)
        confidence = esc(t("confidence {level}", level=t(row["confidence"])))
        if row["confidence"] == "low":
            confidence = f"<b>{esc(t('? low confidence: an unverified report'))}</b>"
        confirmed = (f" · {esc(t('last confirmed {date}', date=row['last_confirmed']))}"
                     if row["last_confirmed"] else "")
        texts.append(
            f"<b>{esc(row['name'])}</b><br>"
            f"{esc(who)}{site}<br>"
            f"{esc(t(row['kind']))} · {esc(_years_text(row, t))}{confirmed}<br>"
            f"{confidence}{approx}"
        )

    agr = ds.agreements
    pairs = list(dict.fromkeys(zip(agr["host_iso3"], agr["power"], strict=True)))
    order = {code: i for i, code in enumerate(ds.powers["code"])}
    pairs.sort(key=lambda p: (p[0], order.get(p[1], 99)))
    pair_lat: list[float] = []
    pair_lon: list[float] = []
    by_host: dict[str, list[str]] = {}
    for host, power in pairs:
        by_host.setdefault(host, []).append(power)
    anchor = anchors(countries)
    for host, power in pairs:
        members = by_host[host]
        a_lat, a_lon, radius = anchor.get(host, (0.0, 0.0, 0.5))
        k, n = members.index(power), len(members)
        angle = 2 * math.pi * k / n + math.pi / 4 if n > 1 else 0.0
        r = radius if n > 1 else 0.0
        pair_lat.append(round(a_lat + r * math.sin(angle), 4))
        pair_lon.append(round(a_lon + r * math.cos(angle) / math.cos(math.radians(a_lat)), 4))
    pair_text = [
        f"<b>{esc(power_names.get(p, p))} – {esc(names.get(h, h))}</b>" for h, p in pairs
    ]
    pair_index = {pair: i for i, pair in enumerate(pairs)}
    lat_obj = np.empty(len(lat), dtype=object)
    lat_obj[:] = lat
    return Static(
        geojson=geojson(ds),
        iso3=tuple(countries["iso3"]),
        names=names,
        power_names=power_names,
        power_colors=power_colors,
        inst_lat=tuple(lat),
        inst_lon=tuple(lon),
        inst_text=tuple(texts),
        pairs=tuple(pairs),
        pair_lat=tuple(pair_lat),
        pair_lon=tuple(pair_lon),
        pair_text=tuple(pair_text),
        inst_lat_obj=lat_obj,
        inst_color=_objects([power_colors.get(p, "#444") for p in inst["power"]]),
        low_rows=tuple(int(i) for i in np.flatnonzero(
            inst["confidence"].to_numpy(dtype=object) == "low")),
        agr_line=_objects([esc(t("{kind}, signed {date}", kind=t(kind), date=signed))
                           for kind, signed in zip(agr["kind"], agr["signed"], strict=True)]),
        agr_pair=np.array([pair_index[pair] for pair in zip(agr["host_iso3"], agr["power"],
                                                            strict=True)], dtype=np.intp),
    )


def _objects(values: Sequence[Any]) -> np.ndarray:
    """A 1-d object array of ``values`` as they are (np.array would coerce or nest them)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def country_name_text(code: str, name: str, lang: str = DEFAULT_LANG) -> str:
    """The static first line of a country's hover (sent once, with the geometry)."""
    head = f"<b>{esc(name)}</b>"
    if code == "SOL":
        head += " " + esc(translate(lang, "(records filed under Somalia)"))
    return head


def country_hover(row: Any, static_: Static, show_agreements: bool = True,
                  lang: str = DEFAULT_LANG) -> str:
    """The per-year lines of a country's hover: powers present and counts."""
    t = tr(lang)
    powers = [static_.power_names.get(p, p) for p in row["powers_present"]]
    parts = []
    if row["installations"]:
        detail = [t.n("{n} active", "{n} active", int(row["active"]))] if row["active"] else []
        if row["planned"]:
            detail.append(t.n("{n} planned", "{n} planned", int(row["planned"])))
        if row["ended"]:
            detail.append(t.n("{n} ended", "{n} ended", int(row["ended"])))
        parts.append(t.n("{n} installation", "{n} installations", int(row["installations"]))
                     + (f" ({', '.join(detail)})" if detail else ""))
    if show_agreements and row["agreements"]:
        parts.append(t.n("{n} agreement in force", "{n} agreements in force",
                         int(row["agreements"])))
    if not powers and not parts:
        return esc(t("No foreign presence recorded"))
    lines = [esc(t("Present: {powers}", powers=", ".join(powers) if powers else t("none")))]
    if parts:
        lines.append(esc(" · ".join(parts)))
    return "<br>".join(lines)


def geometry_json(ds: Any) -> bytes:
    """The countries' GeoJSON as compact JSON bytes, for serving under a fingerprinted URL."""
    return memo(ds, "figures.static", "geometry_json", lambda: json.dumps(
        geojson(ds), separators=(",", ":")).encode("utf-8"))
