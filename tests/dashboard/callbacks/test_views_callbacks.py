"""The chart and table callbacks over HTTP, as the browser calls them: hidden tabs cost
nothing, a year step on the chart sends only the moved rule, the table follows sorting,
typing and the state, and a row opens its country."""

from __future__ import annotations

import base64
import json
import unicodedata
from typing import Any

import pytest

from bench.dashclient import Page, callback_request, cascade, post
from dashboard.ids import ROW_OPEN, SORT_BY, Ids
from dashboard.view.table import COLUMNS

PAYLOAD_LIMIT = 20_000  # bytes on the wire per interaction, as for the map


@pytest.fixture
def page(client) -> Page:
    return Page.load(client)


def sync(client, page: Page, trigger: tuple[str, str], value: Any) -> dict:
    """Every output of the chain the renderer runs after ``trigger`` changes."""
    chain = cascade(client, page, {trigger: value})
    assert chain.status == 200, chain.body[:300]
    return chain.response


def chart(client, page: Page, view: str, scope: str = "africa") -> tuple[dict, int]:
    body = callback_request(page, (Ids.STATE, "data"), view,
                            extra={(Ids.CHART_SCOPE, "value"): scope},
                            output=f"{Ids.CHART}.figure")
    reply = post(client, body)
    if reply.status == 204:
        return {}, reply.wire_bytes
    assert reply.status == 200, reply.body[:300]
    out = json.loads(reply.body)
    page.apply(out, skip=())
    return out["response"], reply.wire_bytes


def table(client, page: Page, view: str, query: str = "", sort_click: str | None = None,
          clicks: int = 1) -> dict | None:
    page.values[(Ids.TABLE_FILTER, "value")] = query
    pattern = json.dumps({"column": "ALL", "type": SORT_BY}).replace('"ALL"', '["ALL"]')
    spec = next(i for d in page.dependencies for i in d["inputs"]
                if i["id"].startswith("{") and SORT_BY in i["id"])
    page.values[(spec["id"], "n_clicks")] = [
        {"id": {"type": SORT_BY, "column": c}, "property": "n_clicks",
         "value": clicks if c == sort_click else 0} for c in COLUMNS[:-1]]
    body = callback_request(page, (Ids.STATE, "data"), view, output=Ids.COUNTRY_TABLE)
    if sort_click:
        changed = json.dumps({"column": sort_click, "type": SORT_BY},
                             separators=(",", ":"), sort_keys=True) + ".n_clicks"
        body["changedPropIds"] = [changed]
    assert pattern  # the renderer's own wildcard id form is what the layout declares
    reply = post(client, body)
    if reply.status == 204:
        return None
    assert reply.status == 200, reply.body[:300]
    assert reply.wire_bytes <= PAYLOAD_LIMIT
    out = json.loads(reply.body)["response"]
    page.values[(Ids.TABLE_SORT, "data")] = out[Ids.TABLE_SORT]["data"]
    return out


def texts(node: Any) -> list[str]:
    """Every string in a component tree, in order."""
    if isinstance(node, str | int | float):
        return [str(node)]
    if isinstance(node, list):
        return [t for n in node for t in texts(n)]
    if isinstance(node, dict):
        return texts(node.get("props", {}).get("children", []))
    return []


def body_rows(children: list) -> list[list[str]]:
    tbody = children[0]["props"]["children"][2]
    return [texts(tr) for tr in tbody["props"]["children"]]


def test_the_tab_follows_the_url_and_the_tab_buttons(client, page) -> None:
    out = sync(client, page, (Ids.URL, "search"), "?year=2019&tab=chart")
    assert out[Ids.VIEWS]["className"] == "views view-chart"
    assert out[Ids.TAB_CHART]["aria-selected"] == "true"
    assert out[Ids.TAB_MAP]["aria-selected"] == "false"
    assert "tab=chart" in out[Ids.STATE]["data"] and Ids.CHART in out
    assert Ids.COUNTRY_TABLE not in out  # the hidden table answers nothing
    assert out[Ids.TAB_STATE]["data"] == "chart"
    assert Ids.MAP not in out  # a hidden map is not patched
    # A year step on the chart: the chart follows, the tab did not change.
    out = sync(client, page, (Ids.YEAR_SLIDER, "value"), 2018)
    assert "year=2018" in out[Ids.STATE]["data"] and Ids.CHART in out
    assert Ids.TAB_STATE not in out
    out = sync(client, page, (Ids.TAB_TABLE, "n_clicks"), 1)
    assert out[Ids.VIEWS]["className"] == "views view-table"
    assert out[Ids.URL]["search"].endswith("tab=table")
    out = sync(client, page, (Ids.TAB_MAP, "n_clicks"), 1)
    assert "tab=" not in out[Ids.URL]["search"]  # the map is the default: not written
    assert "__dash_patch_update" in json.dumps(out[Ids.MAP]["figure"])
    # On the map, a year step changes neither hidden view: they answer nothing.
    out = sync(client, page, (Ids.YEAR_SLIDER, "value"), 2017)
    assert not {Ids.CHART, Ids.COUNTRY_TABLE, Ids.TAB_STATE} & set(out)


def test_a_hidden_chart_and_table_answer_nothing(client, page) -> None:
    assert chart(client, page, "?year=2019")[0] == {}
    assert table(client, page, "?year=2019") is None


def test_chart_year_step_moves_only_the_rule(client, page) -> None:
    first, first_bytes = chart(client, page, "?year=2019&tab=chart")
    figure = first[Ids.CHART]["figure"]
    assert len(figure["data"]) == 28 and figure["layout"]["shapes"][0]["x0"] == 2019
    step, step_bytes = chart(client, page, "?year=2018&tab=chart")
    patch = step[Ids.CHART]["figure"]
    assert "__dash_patch_update" in json.dumps(patch)
    assert "2018" in json.dumps(patch) and '"data"' not in json.dumps(patch)
    assert step_bytes < 1000 < first_bytes <= PAYLOAD_LIMIT
    # A filter change is a new figure.
    changed, changed_bytes = chart(client, page, "?year=2018&powers=RUS,FRA&tab=chart")
    assert len(changed[Ids.CHART]["figure"]["data"]) == 2
    assert changed_bytes <= PAYLOAD_LIMIT


def test_chart_scope_offers_the_open_country(client, page) -> None:
    out, _ = chart(client, page, "?year=2019&country=MLI&tab=chart")
    labels = [o["label"] for o in out[Ids.CHART_SCOPE]["options"]]
    assert labels == ["All Africa", "Only Mali"]
    out, _ = chart(client, page, "?year=2019&country=MLI&tab=chart", scope="country")
    assert "Mali" in json.dumps(out[Ids.CHART]["figure"]["layout"]["yaxis"]) or any(
        t["y"] for t in out[Ids.CHART]["figure"]["data"])
    assert max(max(t["y"]) for t in out[Ids.CHART]["figure"]["data"]) == 1  # present or not


def test_table_sorts_filters_and_stays_small(client, page) -> None:
    out = table(client, page, "?year=2019&tab=table")
    rows = body_rows(out[Ids.COUNTRY_TABLE]["children"])
    assert len(rows) == 56
    out = table(client, page, "?year=2019&tab=table", sort_click="name")
    assert out[Ids.TABLE_SORT]["data"] == {"column": "name", "descending": False}
    names = [r[0] for r in body_rows(out[Ids.COUNTRY_TABLE]["children"])]
    assert names[0] == "Algeria" and names.index("São Tomé and Príncipe") < names.index(
        "Senegal")  # accents do not push a name to the end
    assert names == sorted(names, key=lambda n: unicodedata.normalize("NFKD", n).casefold())
    out = table(client, page, "?year=2019&tab=table", sort_click="name", clicks=2)
    assert out[Ids.TABLE_SORT]["data"] == {"column": "name", "descending": True}
    out = table(client, page, "?year=2019&tab=table", query="djib")
    rows = body_rows(out[Ids.COUNTRY_TABLE]["children"])
    assert [r[0] for r in rows] == ["Djibouti"]
    caption = texts(out[Ids.COUNTRY_TABLE]["children"][0]["props"]["children"][0])
    assert "2019" in caption[0] and "1 of 56" in caption[0]


def test_a_row_opens_its_country(client, page) -> None:
    dep = page.server_callback(
        next(i["id"] for d in page.dependencies for i in d["inputs"] if ROW_OPEN in i["id"]),
        "n_clicks")
    clicks = [{"id": {"type": ROW_OPEN, "iso3": c}, "property": "n_clicks",
               "value": 1 if c == "DJI" else 0} for c in ("MLI", "DJI")]
    body = {"output": dep["output"], "outputs": {"id": Ids.COUNTRY_SELECT,
                                                  "property": "value@" + dep["output"]
                                                  .split("@")[1]}
            if "@" in dep["output"] else {"id": Ids.COUNTRY_SELECT, "property": "value"},
            "inputs": [clicks],
            "changedPropIds": [json.dumps({"iso3": "DJI", "type": ROW_OPEN},
                                          separators=(",", ":")) + ".n_clicks"]}
    reply = post(client, body)
    assert reply.status == 200, reply.body[:300]
    assert json.loads(reply.body)["response"][Ids.COUNTRY_SELECT]["value"] == "DJI"


def test_download_is_the_csv_of_the_shown_rows(client, page) -> None:
    table(client, page, "?year=2019&tab=table", query="djib")
    body = callback_request(page, (Ids.TABLE_DOWNLOAD_BUTTON, "n_clicks"), 1)
    reply = post(client, body)
    data = json.loads(reply.body)["response"][Ids.TABLE_DOWNLOAD]["data"]
    assert data["filename"] == "africa-presence-countries-2019.csv"
    text = base64.b64decode(data["content"]).decode("utf-8")
    assert text.splitlines()[0].startswith("Country,Foreign powers")
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["Djibouti"]
