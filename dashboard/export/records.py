"""The records behind a view as data files: one CSV, or GeoJSON with points for installations.

Both read the view model, so a file holds exactly the records the map shows.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pandas as pd

from dashboard.view.i18n import translate
from dashboard.view.labels import TITLE, names
from dashboard.view.model import view_model
from dashboard.view.state import ViewState, to_query
from geo.personnel import latest

_CSV_COLUMNS = (
    "record_type", "id", "year", "state_in_year", "power", "power_name", "host_iso3",
    "host_name", "name", "kind", "status", "announced", "opened", "closed", "signed",
    "in_force", "ended", "site", "lat", "lon", "coord_precision", "confidence",
    "last_confirmed", "unconfirmed_in_year", "basis", "summary",
    "notes", "sources", "personnel_low", "personnel_high", "personnel_as_of",
    "personnel_what", "personnel_scope", "dataset_version",
)


def _personnel(ds: Any, record_id: str, year: int) -> dict[str, Any]:
    """The record's latest personnel figure as of ``year`` (blank: not published)."""
    e = latest(ds, record_id, year)
    if e is None:
        return {"personnel_low": None, "personnel_high": None, "personnel_as_of": None,
                "personnel_what": "", "personnel_scope": ""}
    return {"personnel_low": e[1], "personnel_high": e[2], "personnel_as_of": e[0],
            "personnel_what": e[3], "personnel_scope": e[4]}


def _record_rows(ds: Any, state: ViewState) -> list[dict[str, Any]]:
    """One flat dict per record of the view, installations then agreements."""
    records = view_model(ds, state)
    powers, countries = names(ds).powers, names(ds).countries

    def year(value: Any) -> int | None:
        return None if value is None or pd.isna(value) else int(value)

    def text(value: Any) -> str:
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else (
            str(value))

    rows: list[dict[str, Any]] = []
    for _, r in records.installations.iterrows():
        rows.append({
            "record_type": "installation", "id": r["id"], "year": state.year,
            "state_in_year": r["state"], "power": r["power"],
            "power_name": powers.get(r["power"], ""), "host_iso3": r["host_iso3"],
            "host_name": countries.get(r["host_iso3"], ""), "name": r["name"],
            "kind": r["kind"], "status": r["status"], "announced": year(r["announced"]),
            "opened": year(r["opened"]), "closed": year(r["closed"]), "signed": "",
            "in_force": "", "ended": None, "site": text(r["site"]), "lat": float(r["lat"]),
            "lon": float(r["lon"]), "coord_precision": r["coord_precision"],
            "confidence": r["confidence"], "last_confirmed": text(r["last_confirmed"]),
            "unconfirmed_in_year": bool(r.get("unconfirmed", False)),
            "basis": text(r["basis"]), "summary": "", "notes": text(r["notes"]),
            "sources": text(r["sources"]), **_personnel(ds, r["id"], state.year),
            "dataset_version": ds.version,
        })
    for _, r in records.agreements.iterrows():
        rows.append({
            "record_type": "agreement", "id": r["id"], "year": state.year,
            "state_in_year": "in force", "power": r["power"],
            "power_name": powers.get(r["power"], ""), "host_iso3": r["host_iso3"],
            "host_name": countries.get(r["host_iso3"], ""), "name": "", "kind": r["kind"],
            "status": "", "announced": None, "opened": None, "closed": None,
            "signed": r["signed"], "in_force": r["in_force"], "ended": year(r["ended"]),
            "site": "", "lat": None, "lon": None, "coord_precision": "",
            "confidence": r["confidence"], "last_confirmed": "",
            "unconfirmed_in_year": None, "basis": "", "summary": text(r["summary"]),
            "notes": text(r.get("notes")), "sources": text(r["sources"]),
            **_personnel(ds, r["id"], state.year), "dataset_version": ds.version,
        })
    return rows


def records_csv(ds: Any, state: ViewState) -> bytes:
    """The view's records as one UTF-8 CSV (installations and agreements, ``record_type``)."""
    frame = pd.DataFrame(_record_rows(ds, state), columns=list(_CSV_COLUMNS))
    for column in ("announced", "opened", "closed", "ended", "personnel_low",
                   "personnel_high", "personnel_as_of"):
        frame[column] = frame[column].astype("Int64")
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def records_geojson(ds: Any, state: ViewState, *, exported: dt.date | None = None) -> bytes:
    """The view's records as GeoJSON: installations as points, agreements without geometry.

    Agreements have no place of their own (the map draws them at the country's centre), so
    their geometry is null, which RFC 7946 allows; ``host_iso3`` ties them to a country.
    """
    exported = exported or dt.date.today()
    records = view_model(ds, state)
    features = []
    for row in _record_rows(ds, state):
        props = {k: v for k, v in row.items() if k not in ("lat", "lon")}
        props["sources"] = [s for s in str(row["sources"]).split(" ; ") if s]
        geometry = ({"type": "Point", "coordinates": [row["lon"], row["lat"]]}
                    if row["record_type"] == "installation" else None)
        features.append({"type": "Feature", "id": row["id"], "geometry": geometry,
                         "properties": props})
    doc = {
        "type": "FeatureCollection",
        "metadata": {
            "title": f"{translate(state.lang, TITLE)}, {state.year}",
            "year": state.year,
            "filters": records.filters,
            "view": to_query(state),
            "dataset_version": ds.version,
            "exported": exported.isoformat(),
            "credit": records.credit,
        },
        "features": features,
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

