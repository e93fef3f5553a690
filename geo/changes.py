"""What changed between two years: the records that came onto the map, left it, or moved on.

A reader asks "what changed between 2014 and 2024?". The answer must agree with the two
single-year views, so it is computed from them: the caller passes what the map shows in the
earlier and the later year (:func:`geo.timeline.installation_states` and
:func:`geo.timeline.agreements_in_year`, same filters), and this module compares the two.
A record that opened and closed between the two years is in neither, so it is not a change.

Change kinds, each with the year the records give for it:

* installations: ``opened`` (active in the later year, hidden or planned in the earlier),
  ``announced`` (planned in the later year, hidden in the earlier), ``closed``,
  ``abandoned``, ``refused`` (on the map in the earlier year, gone or in that final state
  in the later one);
* agreements: ``signed`` (in force in the later year only), ``ended`` (earlier year only).

``direction`` is +1 for a record new on the map, -1 for one that left it, 0 for a record on
the map in both years whose state moved (a planned base that opened), so the sums of the
directions are the differences of the two years' counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Change kinds in the order a list shows them.
INSTALLATION_CHANGES: tuple[str, ...] = ("opened", "announced", "closed", "abandoned",
                                         "refused")
AGREEMENT_CHANGES: tuple[str, ...] = ("signed", "ended")
CHANGE_KINDS: tuple[str, ...] = (*INSTALLATION_CHANGES, *AGREEMENT_CHANGES)

#: Final states of an installation (it no longer operates).
_ENDED = ("closed", "abandoned", "refused")

COLUMNS = ["id", "record", "change", "year", "direction", "power", "host_iso3", "before",
           "after"]


def _year(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def installation_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Installations whose state differs between two years' ``installation_states`` frames.

    Columns: ``id``, ``record`` (``"installation"``), ``change``, ``year`` (of the change,
    from the record; may be missing), ``direction``, ``power``, ``host_iso3``, ``before``
    and ``after`` (the state shown in each year, ``""`` when not on the map).
    """
    s0 = dict(zip(before["id"], before["state"], strict=True))
    s1 = dict(zip(after["id"], after["state"], strict=True))
    rows = pd.concat([after, before[~before["id"].isin(s1.keys())]])
    out = []
    for r in rows.to_dict("records"):
        a, b = s0.get(r["id"], ""), s1.get(r["id"], "")
        if a == b:
            continue
        if b == "active" and a in ("", "planned"):
            change, year = "opened", _year(r["opened"])
        elif b == "planned" and a == "":
            change, year = "announced", _year(r["announced"])
        elif (b == "" and a != "") or (b in _ENDED and a not in _ENDED):
            change = r["status"] if r["status"] in _ENDED else "closed"
            year = _year(r["closed"])
        elif a == "" and b in _ENDED:
            # Came onto the map already in its final state (shown in the year it ended, or
            # with closed sites switched on): it is new on the map, and what it did was end.
            change, year = b, _year(r["closed"])
        else:  # an ended record that moved between final states: nothing happened to it
            continue
        direction = 1 if a == "" else -1 if b == "" else 0
        out.append([r["id"], "installation", change, year, direction, r["power"],
                    r["host_iso3"], a, b])
    return pd.DataFrame(out, columns=COLUMNS)


def agreement_changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Agreements in force in only one of two years' ``agreements_in_year`` frames."""
    ids0, ids1 = set(before["id"]), set(after["id"])
    out = []
    for r in after[~after["id"].isin(ids0)].to_dict("records"):
        out.append([r["id"], "agreement", "signed", _year(r["signed_year"]), 1, r["power"],
                    r["host_iso3"], "", "in force"])
    for r in before[~before["id"].isin(ids1)].to_dict("records"):
        out.append([r["id"], "agreement", "ended", _year(r["ended"]), -1, r["power"],
                    r["host_iso3"], "in force", ""])
    return pd.DataFrame(out, columns=COLUMNS)


def changes(inst_before: pd.DataFrame, inst_after: pd.DataFrame, agr_before: pd.DataFrame,
            agr_after: pd.DataFrame) -> pd.DataFrame:
    """Every change between two years (installations first), in a stable order."""
    frames = [f for f in (installation_changes(inst_before, inst_after),
                          agreement_changes(agr_before, agr_after)) if len(f)]
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    rank = {k: i for i, k in enumerate(CHANGE_KINDS)}
    out["_k"] = out["change"].map(rank)
    out["_y"] = out["year"].astype("float").fillna(np.inf)
    return out.sort_values(["_k", "_y", "id"]).drop(columns=["_k", "_y"]).reset_index(
        drop=True)


def change_counts(table: pd.DataFrame) -> dict[str, int]:
    """Headline numbers: installations new on / gone from the map, agreements signed / ended."""
    inst = table[table["record"] == "installation"]
    agr = table[table["record"] == "agreement"]
    return {
        "installations_added": int((inst["direction"] > 0).sum()),
        "installations_removed": int((inst["direction"] < 0).sum()),
        "agreements_added": int((agr["direction"] > 0).sum()),
        "agreements_removed": int((agr["direction"] < 0).sum()),
    }
