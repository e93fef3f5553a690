"""The map page's callbacks as plain functions (no Dash app, no HTTP): URL <-> state,
state -> map patch, state -> texts, state -> views, each with one job."""

from __future__ import annotations

from typing import Any

from dash import no_update

from dashboard.callbacks.map import (
    CONTROLS,
    map_output,
    read_state,
    state_of,
    text_outputs,
    view_outputs,
)
from dashboard.ids import Ids


def _read(ds: Any, trigger: str | None, search: str = "", shown: str | None = None,
          **controls: Any) -> tuple:
    values = {"year": None, "powers": None, "metric": None, "layers": None,
              "statuses": None, "closed": None, "country": None, "click": None,
              "timer_off": True, "compare": None, "pick": None, "page_lang": "en"}
    values.update(controls)
    return read_state(ds, trigger, search, values["year"], values["powers"],
                      values["metric"], values["layers"], values["statuses"],
                      values["closed"], values["country"], values["click"],
                      values["timer_off"], values["compare"], values["pick"],
                      values["page_lang"], shown)


def test_a_link_sets_every_control_and_the_state(ds) -> None:
    out = _read(ds, None, "?year=2019&powers=FRA,RUS&country=MLI")
    assert len(out) == len(CONTROLS) + 3
    controls, (url, note, state) = out[:len(CONTROLS)], out[len(CONTROLS):]
    assert controls[0] == 2019 and controls[1] == ["FRA", "RUS"] and controls[6] == "MLI"
    assert url is no_update and note == []
    assert state == "?year=2019&powers=FRA,RUS&country=MLI"


def test_a_bad_link_gets_a_note_and_the_default(ds) -> None:
    out = _read(ds, None, "?year=banana")
    note, state = out[-2], out[-1]
    assert "banana" in note[0] and state == f"?year={ds.default_year}"


def test_a_year_step_writes_only_the_url_and_the_state(ds) -> None:
    shown = "?year=2019"
    out = _read(ds, Ids.YEAR_SLIDER, "?year=2019", shown, year=2020,
                powers=list(ds.power_codes), metric="powers",
                layers=["countries", "installations", "agreements"],
                statuses=["active", "planned", "abandoned", "refused"], closed=[])
    assert all(v is no_update for v in out[:len(CONTROLS)])
    assert out[-3] == "?year=2020" and out[-1] == "?year=2020"


def test_an_unchanged_state_wakes_nothing(ds) -> None:
    out = _read(ds, Ids.PLAY_TIMER, "?year=2019", "?year=2019", year=2019,
                powers=list(ds.power_codes), metric="powers",
                layers=["countries", "installations", "agreements"],
                statuses=["active", "planned", "abandoned", "refused"], closed=[],
                timer_off=False)
    assert out[-1] is no_update  # the store keeps its value: no chain runs


def test_the_tab_carries_over_from_the_shown_state(ds) -> None:
    out = _read(ds, Ids.YEAR_SLIDER, "?year=2019&tab=chart", "?year=2019&tab=chart",
                year=2018, powers=list(ds.power_codes), metric="powers",
                layers=["countries", "installations", "agreements"],
                statuses=["active", "planned", "abandoned", "refused"], closed=[])
    assert state_of(ds, out[-1]).tab == "chart"


def test_the_map_is_patched_only_when_shown(ds) -> None:
    patch, style = map_output(ds, "?year=2019")
    assert patch is not no_update and "__dash_patch_update" in str(patch.to_plotly_json())
    assert "colorscale" in str(patch.to_plotly_json()) and style
    assert map_output(ds, "?year=2019&tab=table") == (no_update, no_update)


def test_the_colour_scale_is_sent_only_when_it_changes(ds) -> None:
    _, style = map_output(ds, "?year=2019")
    step, same = map_output(ds, "?year=2020", style)  # a year step keeps the scale
    assert same is no_update and "colorscale" not in str(step.to_plotly_json())
    other, changed = map_output(ds, "?year=2020&metric=installations", style)
    assert changed not in (no_update, style) and "colorscale" in str(other.to_plotly_json())


def test_texts_skip_what_did_not_change(ds) -> None:
    first = text_outputs(ds, "?year=2019&country=DJI", None, None)
    assert first[0].startswith("2019 · ") and first[1] and first[4]
    again = text_outputs(ds, "?year=2019&country=DJI&metric=agreements", first[4], first[7])
    assert again[0].startswith("2019 · ")
    assert all(v is no_update for v in again[1:])  # same panel, same legend


def test_views_switch_tabs_and_skip_repeats(ds) -> None:
    out = view_outputs(ds, "?year=2019&tab=table", "map", "page")
    assert out[0] == "views view-table"
    assert out[1:4] == ("false", "false", "true")
    assert out[4] == "table"
    again = view_outputs(ds, "?year=2018&tab=table", "table", "page")
    assert all(v is no_update for v in again)  # same tab, same page class, not embedded


def test_a_control_change_under_an_unreadable_link_is_not_an_error(ds) -> None:
    """A link of more than 50 parameters stays in the address bar (the page noted it); the
    next control change must still answer, not fail on reading the record from it."""
    search = "?" + "&".join(f"p{i}=1" for i in range(60))
    out = _read(ds, Ids.YEAR_SLIDER, search, "?year=2019", year=2020,
                powers=list(ds.power_codes), metric="powers",
                layers=["countries", "installations", "agreements"],
                statuses=["active", "planned", "abandoned", "refused"], closed=[])
    assert out[-1] == "?year=2020"
