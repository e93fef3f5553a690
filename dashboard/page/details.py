"""The details panel's contents: a country's records for the year, every field as plain text.

All dataset text goes into Dash components as plain strings (React escapes it); only
http(s) URLs become links. Nothing here uses Markdown or raw HTML.
"""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlparse

import pandas as pd
from dash import html

from dashboard.page.personnel import personnel_block
from dashboard.view.compare import CHANGE_LABELS, comparison
from dashboard.view.i18n import DEFAULT_LANG, N_, tr, translate
from dashboard.view.labels import PRECISION_TEXT, STATE_LABELS, names
from dashboard.view.model import hosts_of, view_model
from dashboard.view.state import ViewState


def safe_link(url: str) -> Any:
    """An http(s) URL becomes a link opening in a new tab; anything else stays plain text."""
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme.lower() in ("http", "https") and parsed.netloc:
        host = parsed.netloc.removeprefix("www.")
        return html.A(host, href=url, target="_blank", rel="noopener noreferrer")
    return url


def _sources(values: Any, lang: str = DEFAULT_LANG) -> Any:
    urls = values if isinstance(values, list | tuple) else str(values or "").split(" ; ")
    urls = [u for u in (str(v).strip() for v in urls) if u]
    if not urls:
        return None
    items: list[Any] = [translate(lang, "Sources: ")]
    for i, u in enumerate(urls):
        if i:
            items.append(" · ")
        items.append(safe_link(u))
    return html.P(items, className="sources")


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _when(label: str, value: Any, lang: str = DEFAULT_LANG) -> str:
    """``label`` is a message with ``{year}`` (translated here)."""
    return "" if value is None or pd.isna(value) else tr(lang)(label, year=int(value))


def _item(color: str | None, title: str, badge: Any, lines: list[str], notes: str,
          sources: Any, *, record_id: str = "", picked: bool = False,
          change: str = "", personnel: Any = None) -> html.Li:
    """One record: coloured title, status badge, one line of facts, notes, sources.

    Kept to a handful of components: the panel is resent on every year step while open.
    ``picked``: the record chosen in the search or the list of changes (highlighted, and
    scrolled to by assets/app.js); ``change``: what happened to it in compare mode.
    """
    badges = list(badge) if isinstance(badge, list) else [badge]
    if change:
        badges.append(html.Span(change, className="badge change-badge"))
    children: list[Any] = [
        html.Strong(title, className="item-title", style={"borderColor": color}),
        html.P([*badges, " ".join(line for line in lines[:1] if line)]),
        html.P(" · ".join(line for line in lines[1:] if line), className="meta"),
    ]
    if notes:
        children.append(html.P(notes, className="notes"))
    if sources is not None:
        children.append(sources)
    if personnel is not None:
        children.append(personnel)
    return html.Li(children, className="item picked" if picked else "item",
                   tabIndex="-1" if picked else None, **{"data-record": record_id})


def installation_item(row: Any, power_names: dict[str, str], colors: dict[str, str],
                      year: int, *, picked: bool = False, change: str = "",
                      personnel: Any = None, lang: str = DEFAULT_LANG) -> html.Li:
    """One installation in the details panel, every field as text."""
    t = tr(lang)
    state = row["state"]
    where = _text(row["site"])
    precision = PRECISION_TEXT.get(row["coord_precision"], "")
    if precision:
        where = (where + " " if where else "") + f"({t(precision)})"
    power = power_names.get(row["power"], row["power"])
    first = f"{power}" + (f" · {where}" if where else "")
    badges: list[Any] = [html.Span(t(STATE_LABELS.get(state, state)),
                                   className=f"badge state-{state}",
                                   title=t("State in {year}", year=year))]
    confirmed = _text(row.get("last_confirmed"))
    if bool(row.get("unconfirmed", False)):
        badges.append(html.Span(t("not confirmed since {date}", date=confirmed),
                                className="badge unconfirmed-badge",
                                title=t("No source after {date} shows it in use; nothing "
                                        "says it closed either.", date=confirmed)))
    if _text(row["confidence"]) == "low":
        badges.append(html.Span(t("? low confidence"), className="badge low-badge",
                                title=t("An unverified report: one weak source, or only "
                                        "blogs and mirrors.")))
    return _item(
        colors.get(row["power"]),
        _text(row["name"]),
        badges,
        [first, t(_text(row["kind"])), _when(N_("announced {year}"), row["announced"], lang),
         _when(N_("opened {year}"), row["opened"], lang),
         _when(N_("ended {year}"), row["closed"], lang),
         t("last confirmed in use: {date}", date=confirmed) if confirmed else "",
         t("record status: {status}", status=t(_text(row["status"]))),
         t("confidence: {level}", level=t(_text(row["confidence"])))],
        _text(row.get("notes")),
        _sources(row.get("source_list", row.get("sources")), lang),
        record_id=str(row["id"]), picked=picked, change=change, personnel=personnel,
    )


def agreement_item(row: Any, power_names: dict[str, str], colors: dict[str, str], *,
                   picked: bool = False, change: str = "", personnel: Any = None,
                   lang: str = DEFAULT_LANG) -> html.Li:
    """One agreement in the details panel."""
    t = tr(lang)
    power = power_names.get(row["power"], row["power"])
    return _item(
        colors.get(row["power"]),
        f"{power}: {t(_text(row['kind']))}",
        html.Span(t("signed {date}", date=_text(row["signed"])), className="badge"),
        [_text(row["summary"]), t("in force: {value}", value=t(_text(row["in_force"]))),
         _when(N_("ended {year}"), row["ended"], lang),
         t("confidence: {level}", level=t(_text(row["confidence"]))), _text(row["id"])],
        _text(row.get("notes")),
        _sources(row.get("source_list", row.get("sources")), lang),
        record_id=str(row["id"]), picked=picked, change=change, personnel=personnel,
    )


def details_records(ds: Any, state: ViewState) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Installations (with their state) and agreements listed for the selected country."""
    view = view_model(ds, state)
    hosts = hosts_of(state.country)
    inst = view.installations[view.installations["host_iso3"].isin(hosts)]
    agr = view.agreements[view.agreements["host_iso3"].isin(hosts)]
    order = {code: i for i, code in enumerate(ds.power_codes)}
    inst = inst.assign(_o=inst["power"].map(order)).sort_values(["_o", "name"])
    agr = agr.assign(_o=agr["power"].map(order)).sort_values(["_o", "signed"])
    return inst, agr


def change_labels(ds: Any, state: ViewState) -> dict[str, str]:
    """Record id -> "Opened 2018" for the open country's changes in compare mode."""
    c = comparison(ds, state)
    if c is None or not state.country:
        return {}
    table = c.changes[c.changes["host_iso3"].isin(hosts_of(state.country))]
    t = tr(state.lang)
    return {rid: t(CHANGE_LABELS[ch]) + ("" if y is None or pd.isna(y) else f" {int(y)}")
            for rid, ch, y in zip(table["id"], table["change"], table["year"], strict=True)}


def changed_elsewhere(ds: Any, state: ViewState, inst: pd.DataFrame, agr: pd.DataFrame
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Compare mode: the country's changed records that the year's lists do not hold."""
    labels = change_labels(ds, state)
    shown = set(inst["id"]) | set(agr["id"])
    extra = [rid for rid in labels if rid not in shown]
    i = ds.installations[ds.installations["id"].isin(extra)]
    a = ds.agreements[ds.agreements["id"].isin(extra)]
    return i, a


def details_key(ds: Any, state: ViewState) -> str:
    """A short fingerprint of the details body: equal keys mean an identical panel.

    The callback keeps the last key in the browser and skips resending a panel that did not
    change (playing through the years with a country open would otherwise resend tens of KB
    of notes and sources on every step).
    """
    if not state.country:
        return "none"
    inst, agr = details_records(ds, state)
    raw = repr((state.country, state.layers, state.year if len(inst) else None,
                list(zip(inst["id"], inst["state"], strict=True)), list(agr["id"]),
                state.record, state.span, state.span and sorted(change_labels(ds, state)),
                state.lang, state.embed))
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def details_title(ds: Any, state: ViewState) -> str:
    """Panel heading: the selected country, or a prompt."""
    if not state.country:
        return translate(state.lang, "Country details")
    return f"{names(ds, state.lang).countries.get(state.country, state.country)}, {state.year}"


def details_body(ds: Any, state: ViewState) -> list[Any]:
    """Everything recorded for the selected country under the current filters and year."""
    t, lang = tr(state.lang), state.lang
    if not state.country:
        return [html.P(t("Click a country on the map (or choose one above) to list its "
                         "installations and agreements, with dates, status and sources."),
                       className="hint")]
    if state.embed:
        return compact_body(ds, state)
    n = names(ds, lang)
    inst, agr = details_records(ds, state)
    power_names, colors = n.powers, n.colors
    body: list[Any] = []
    if lang != DEFAULT_LANG:
        body.append(html.P(t("Record names, notes and summaries are in English, the "
                             "language of the dataset's sources."), className="hint"))
    if state.country == "SOL":
        body.append(html.P(t("Records file Somaliland under Somalia; both are listed."),
                           className="hint"))
    labels = change_labels(ds, state)
    picked = state.record

    def links(values: Any) -> Any:
        return _sources(values, lang)

    def staff(record_id: str) -> Any:
        return personnel_block(ds, record_id, links, lang)

    none = html.P(t("None under the current filters."), className="hint")
    shown_any = False
    if state.shows("installations"):
        shown_any = True
        body.append(html.H3(t("Installations ({n})", n=len(inst))))
        body.append(html.Ul([installation_item(r, power_names, colors, state.year,
                                               picked=r["id"] == picked,
                                               change=labels.get(r["id"], ""),
                                               personnel=staff(r["id"]), lang=lang)
                             for r in inst.to_dict("records")], className="items")
                    if len(inst) else none)
    if state.shows("agreements"):
        shown_any = True
        body.append(html.H3(t("Agreements in force ({n})", n=len(agr))))
        body.append(html.Ul([agreement_item(r, power_names, colors, picked=r["id"] == picked,
                                            change=labels.get(r["id"], ""),
                                            personnel=staff(r["id"]), lang=lang)
                             for r in agr.to_dict("records")], className="items")
                    if len(agr) else none)
    c = comparison(ds, state)
    if c is not None and shown_any:
        gone_inst, gone_agr = changed_elsewhere(ds, state, inst, agr)
        if len(gone_inst) or len(gone_agr):
            body.append(html.H3(t("Not on the {year} map, changed {y0} → {y1} ({n})",
                                  year=state.year, y0=c.before, y1=c.after,
                                  n=len(gone_inst) + len(gone_agr))))
            body.append(html.Ul(
                [installation_item(r | {"state": "closed" if r["status"] == "closed"
                                        else r["status"] if r["status"] in STATE_LABELS
                                        else "active"},
                                   power_names, colors, state.year, picked=r["id"] == picked,
                                   change=labels.get(r["id"], ""), lang=lang)
                 for r in gone_inst.to_dict("records")]
                + [agreement_item(r, power_names, colors, picked=r["id"] == picked,
                                  change=labels.get(r["id"], ""), lang=lang)
                   for r in gone_agr.to_dict("records")], className="items"))
    if not shown_any:
        body.append(html.P(t("Switch on the installations or agreements layer to list "
                             "records."), className="hint"))
    return body


def compact_body(ds: Any, state: ViewState) -> list[Any]:
    """The embed view's details: the country's figures in a few lines, powers by colour."""
    t = tr(state.lang)
    n = names(ds, state.lang)
    inst, agr = details_records(ds, state)
    rows = []
    for power in ds.power_codes:
        k_inst = int((inst["power"] == power).sum())
        k_agr = int((agr["power"] == power).sum())
        if not (k_inst or k_agr):
            continue
        parts = []
        if k_inst:
            parts.append(t.n("{n} installation", "{n} installations", k_inst))
        if k_agr:
            parts.append(t.n("{n} agreement", "{n} agreements", k_agr))
        rows.append(html.Li([html.Span(className="swatch",
                                       style={"backgroundColor": n.colors.get(power)}),
                             f"{n.powers.get(power, power)}: {', '.join(parts)}"]))
    if not rows:
        return [html.P(t("No foreign presence recorded"), className="hint")]
    return [html.Ul(rows, className="compact-list")]
