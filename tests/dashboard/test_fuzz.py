"""Bad input never gives a 500 or a traceback: URLs, callback bodies, data files, exports.

Cases come from a seeded random generator (hypothesis is not a dependency of the project),
so every run tries the same few hundred inputs and a failure names the exact case. Each
generator mixes wrong types, huge numbers, unicode, injection strings and repeated keys.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from dash import Dash

from bench.dashclient import Page, callback_request
from bench.processes import free_port
from dashboard import cli
from dashboard.ids import Ids
from dashboard.view.codec import parse_query
from dashboard.view.i18n import LANGS
from dashboard.view.search import record_hosts
from dashboard.view.state import LAYERS, METRICS, STATUS_FILTER, TABS, ViewState, to_query
from geo import schema
from tests.paths import REPO

SEED = 20261127

# --------------------------------------------------------------------------- generators

KEYS = ("year", "powers", "metric", "layers", "status", "closed", "country", "tab",
        "compare", "record", "lang", "embed")
NASTY = (
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)",
    "' OR '1'='1", "1; DROP TABLE installations;--", "../../etc/passwd", "${7*7}", "{{7*7}}",
    "%00", "\x00", "\r\nSet-Cookie: a=b", "__proto__", "constructor", "NaN", "Infinity",
    "-0", "1e308", "0x7E3", "２０１９", "२०१९", "2019.0", " 2019 ", "+2019", "-2019",
    "2_019", "9" * 50, "9" * 5000, "", ",", ",,,", "none", "NONE", "all", "RUS,RUS,rus",
    "🇷🇺", "Ｒｕｓ", "\u202eSUR", "a" * 10000, "%zz", "%", "&", "=", "#frag", "?", "%ED%A0%80",
    "true", "ON", "0", "[]", "{}", "null", "MLI\x00", "mli", "SOL", "ESH", "XXX",
)
GOOD = {
    "year": ["2000", "2014", "2019", "2025", "1999", "2100"],
    "powers": ["RUS", "FRA,USA", "rus,chn", "none", "RUS,XXX", "all"],
    "metric": [*METRICS, "Powers"],
    "layers": ["countries", "installations,agreements", "none", ""],
    "status": ["active", "planned,refused", "closed"],
    "closed": ["1", "0", "yes", "off"],
    "country": ["MLI", "dji", "SOL", "FRA"],
    "tab": [*TABS, "Chart", "TABLE", "graph", "maps"],
    "compare": ["2014", "2000", "2026", "1999", "2100", "20x4", "2019.5"],
    "record": ["FR-MLI-1", "RU-CAF-1", "US-DJI-1", "fr-mli-1", "XX-YYY-9", "RU-MLI-A1"],
    "lang": ["fr", "en", "FR", "fr-FR", "de", "français"],
    "embed": ["1", "0", "yes", "true", "2", "embed"],
}


def random_text(rng: random.Random, limit: int = 30) -> str:
    """Unicode soup: ASCII, Latin, Arabic, CJK, emoji, controls (no lone surrogates)."""
    ranges = [(0x20, 0x7E), (0xA0, 0x17F), (0x600, 0x6FF), (0x4E00, 0x4FFF),
              (0x1F300, 0x1F5FF), (0x0, 0x1F), (0x2000, 0x206F)]
    out = []
    for _ in range(rng.randint(0, limit)):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def random_value(rng: random.Random, key: str) -> str:
    roll = rng.random()
    if roll < 0.3 and key in GOOD:
        return rng.choice(GOOD[key])
    if roll < 0.55:
        return rng.choice(NASTY)
    if roll < 0.7:
        return str(rng.choice([rng.randint(-10**6, 10**6), rng.randint(0, 10**30),
                               -(10 ** rng.randint(1, 400)), rng.random() * 1e6]))
    if roll < 0.85:
        return ",".join(rng.choice((*GOOD.get(key, ["x"]), *NASTY[:10]))
                        for _ in range(rng.randint(0, 6)))
    return random_text(rng)


def random_query(rng: random.Random) -> str:
    """A query string as a hand-edited or mangled link could carry it."""
    if rng.random() < 0.03:
        return "&".join(f"k{i}=v" for i in range(rng.randint(51, 200)))  # too many fields
    params = []
    for _ in range(rng.randint(0, 9)):
        key = rng.choice(KEYS) if rng.random() < 0.85 else random_text(rng, 8)
        if rng.random() < 0.1:
            key = key.upper()
        value = random_value(rng, key)
        encoded = quote(value, safe="") if rng.random() < 0.7 else value
        params.append(f"{quote(key, safe='')}={encoded}" if rng.random() < 0.95 else key)
        if rng.random() < 0.15:  # repeated key
            params.append(f"{key}={quote(random_value(rng, key), safe='')}")
    text = "&".join(params)
    return rng.choice(["", "?", "??", ""]) + text


def queries(n: int, salt: int) -> list[str]:
    rng = random.Random(SEED + salt)
    return [random_query(rng) for _ in range(n)]


def random_json(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 2 or roll < 0.4:
        return rng.choice([None, True, False, 0, -1, 2**63, 1e308, "", "x", "\u0000",
                           rng.choice(NASTY), random_text(rng), rng.random()])
    if roll < 0.7:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {random_text(rng, 6) if rng.random() < 0.5 else rng.choice(
        ["output", "outputs", "inputs", "state", "changedPropIds", "id", "property", "value"]
    ): random_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def page(client: Any) -> Page:
    """The page as the browser loads it (layout values and callbacks)."""
    return Page.load(client)


def assert_valid_state(state: ViewState, notes: list[str], ds: Any) -> None:
    """Every field within its domain, in canonical order, and notes short sentences."""
    lo, hi = ds.year_range
    assert isinstance(state, ViewState)
    assert type(state.year) is int and lo <= state.year <= hi
    assert state.powers is None or list(state.powers) == [
        p for p in ds.power_codes if p in state.powers]
    assert state.metric in METRICS
    assert list(state.layers) == [x for x in LAYERS if x in state.layers]
    assert list(state.statuses) == [x for x in STATUS_FILTER if x in state.statuses]
    assert type(state.show_closed) is bool
    assert state.country is None or state.country in set(ds.countries["iso3"])
    assert state.tab in TABS
    assert state.compare is None or (type(state.compare) is int
                                     and lo <= state.compare <= hi
                                     and state.compare != state.year)
    if state.record is not None:
        hosts = record_hosts(ds)
        assert state.record in hosts and state.country == hosts[state.record]
    assert state.lang in LANGS and type(state.embed) is bool
    assert isinstance(notes, list)
    for note in notes:
        assert isinstance(note, str) and 0 < len(note) < 400


# --------------------------------------------------------------------------- URL state


def batches(items: list[Any], size: int) -> list[list[Any]]:
    """Cases in batches: one test item runs many cheap cases (the same coverage, without
    pytest's per-item cost dominating); a failure names the case."""
    return [items[i:i + size] for i in range(0, len(items), size)]


@pytest.mark.parametrize("batch", batches(queries(400, 1), 50))
def test_parse_query_never_raises_and_returns_a_valid_state(dataset, batch: list[str]) -> None:
    countries = set(dataset.countries["iso3"])
    hosts = record_hosts(dataset)
    for query in batch:
        state, notes = parse_query(query, dataset.power_codes, dataset.year_range,
                                   default_year=dataset.year_range[1],
                                   valid_countries=countries, record_hosts=hosts)
        assert_valid_state(state, notes, dataset)
        # The canonical link of whatever was understood reads back with no notes.
        assert parse_query(to_query(state), dataset.power_codes, dataset.year_range,
                           default_year=dataset.year_range[1],
                           valid_countries=countries, record_hosts=hosts) == (state, []), query


@pytest.mark.parametrize("batch", batches(queries(200, 2), 25))
def test_page_route_serves_the_page_for_any_query(client, batch: list[str]) -> None:
    for query in batch:
        raw = quote(query.lstrip("?"), safe="&=,;/:+%?#")
        response = client.get("/", query_string=raw)
        assert response.status_code == 200, query
        assert b'id="react-entry-point"' in response.get_data()
        assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("batch", batches(queries(120, 3), 15))
def test_state_callback_follows_any_link(client, page, dataset, batch: list[str]) -> None:
    """The callback that reads the URL on load answers 200 with a valid view and notes; the
    map, texts and views callbacks answer any state store, even one a client forged."""
    lo, hi = dataset.year_range
    outputs = (f"{Ids.MAP}.figure", f"{Ids.SUMMARY}.children", f"{Ids.VIEWS}.className")
    for i, query in enumerate(batch):
        search = query if query.startswith("?") or not query else "?" + query
        body = callback_request(page.copy(), (Ids.URL, "search"), search)
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, (query, response.get_data()[:200])
        out = response.get_json()["response"]
        assert lo <= out["year-slider"]["value"] <= hi
        note = out["url-note"]["children"]
        assert isinstance(note, list) and all(isinstance(n, str) for n in note)
        # The store as the state callback wrote it, and as raw text; one listener each, in
        # turn (the three read the store through the same codec).
        for k, store in enumerate((out.get(Ids.STATE, {}).get("data"), search)):
            output = outputs[(i + k) % len(outputs)]
            body = callback_request(page.copy(), (Ids.STATE, "data"), store, output=output)
            answer = client.post("/_dash-update-component", json=body)
            assert answer.status_code in (200, 204), (query, output, answer.status_code)


# --------------------------------------------------------------------------- callback bodies


def garbage_bodies(n: int, template: dict[str, Any]) -> Iterator[tuple[str, bytes]]:
    """Bodies from random JSON to a real body with one part broken."""
    rng = random.Random(SEED + 4)
    fixed: list[bytes] = [
        b"", b"garbage", b"{", b"[" * 100_000, b'{"a":' * 50_000, b"\xff\xfe\x00",
        json.dumps(template)[:-1].encode(), json.dumps(template).encode() * 2,
    ]
    for i, raw in enumerate(fixed):
        yield f"fixed-{i}", raw
    for i in range(n - len(fixed)):
        body = json.loads(json.dumps(template))
        kind = rng.choice(["random", "drop", "replace", "value", "entry", "extra-input"])
        if kind == "random":
            body = random_json(rng)
        elif kind == "drop":
            body.pop(rng.choice(list(body)))
        elif kind == "replace":
            body[rng.choice(list(body))] = random_json(rng)
        elif kind == "value":
            entry = rng.choice(body["inputs"] + body["state"])
            entry["value"] = random_json(rng)
            body["changedPropIds"] = [f"{entry['id']}.{entry['property']}"]
        elif kind == "entry":
            body["inputs"][rng.randrange(len(body["inputs"]))] = random_json(rng)
        else:
            body["inputs"].append({"id": "x", "property": "y", "value": 1})
        yield f"{kind}-{i}", json.dumps(body).encode()


def test_garbage_callback_bodies_are_4xx_never_500(client, page) -> None:
    template = callback_request(page.copy(), (Ids.YEAR_SLIDER, "value"), 2019)
    seen: dict[int, int] = {}
    cases = list(garbage_bodies(220, template))
    assert len(cases) >= 200
    for name, raw in cases:
        response = client.post("/_dash-update-component", data=raw,
                               content_type="application/json")
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        assert response.status_code in (200, 204, 400, 413), (name, response.status_code)
        text = response.get_data()
        assert b"Traceback" not in text and b"File \"" not in text, name
    assert seen.get(400, 0) > 0 and seen.get(200, 0) > 0, seen


def test_wrong_content_type_is_4xx(client) -> None:
    for ctype in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
        response = client.post("/_dash-update-component", data=b"a=1", content_type=ctype)
        assert 400 <= response.status_code < 500


# --------------------------------------------------------------------------- data files


@pytest.fixture
def no_server(monkeypatch) -> list[str]:
    """Record (instead of run) any attempt to start a server."""
    started: list[str] = []
    monkeypatch.setattr(Dash, "run", lambda self, **kw: started.append("werkzeug"))
    monkeypatch.setattr("dashboard.web.gunicorn.run_gunicorn",
                        lambda *a, **kw: started.append("gunicorn") or 0)
    monkeypatch.setattr("dashboard.web.gunicorn.check_bind", lambda host, port: None)
    return started


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """``africa-presence ARGV`` in process: exit status, stdout, stderr (no exception)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


INST, AGR, POW = schema.INSTALLATIONS_FILE, schema.AGREEMENTS_FILE, schema.POWERS_FILE

#: One broken cell per validation rule: (table, row, cells, "file:line: column").
RULES: list[tuple[str, int, dict[str, str], str]] = [
    (INST, 1, {"id": "T-FRA-1"}, "installations.csv:3: id"),
    (INST, 0, {"power": "XXX"}, "installations.csv:2: power"),
    (INST, 0, {"host_iso3": "FRA"}, "installations.csv:2: host_iso3"),
    (INST, 0, {"name": ""}, "installations.csv:2: name"),
    (INST, 0, {"lat": "north"}, "installations.csv:2: lat"),
    (INST, 0, {"lat": "95"}, "installations.csv:2: lat"),
    (INST, 0, {"lon": "-190"}, "installations.csv:2: lon"),
    (INST, 0, {"lat": "48.85", "lon": "2.35"}, "installations.csv:2: lat/lon"),
    (INST, 0, {"coord_precision": "rough"}, "installations.csv:2: coord_precision"),
    (INST, 0, {"kind": "castle"}, "installations.csv:2: kind"),
    (INST, 0, {"status": "open"}, "installations.csv:2: status"),
    (INST, 0, {"confidence": "sure"}, "installations.csv:2: confidence"),
    (INST, 0, {"opened": "19x0"}, "installations.csv:2: opened"),
    (INST, 0, {"closed": "2999"}, "installations.csv:2: closed"),
    (INST, 0, {"opened": "2026", "closed": "2025"}, "installations.csv:2: closed"),
    (INST, 1, {"opened": ""}, "installations.csv:3: opened"),
    (INST, 1, {"closed": "2020"}, "installations.csv:3: closed"),
    (INST, 0, {"closed": ""}, "installations.csv:2: closed"),
    (INST, 2, {"announced": ""}, "installations.csv:4: announced"),
    (INST, 2, {"opened": "2019"}, "installations.csv:4: opened"),
    (INST, 2, {"status": "abandoned"}, "installations.csv:4: closed"),
    (INST, 0, {"sources": "javascript:alert(1)"}, "installations.csv:2: sources"),
    (INST, 0, {"sources": "ftp://example.org/x"}, "installations.csv:2: sources"),
    (AGR, 0, {"signed": "2019-13-45"}, "agreements.csv:2: signed"),
    (AGR, 0, {"signed": "2999"}, "agreements.csv:2: signed"),
    (AGR, 0, {"ended": "2010"}, "agreements.csv:2: ended"),
    (AGR, 0, {"in_force": "maybe"}, "agreements.csv:2: in_force"),
    (AGR, 0, {"kind": "pact"}, "agreements.csv:2: kind"),
    (AGR, 0, {"confidence": "x"}, "agreements.csv:2: confidence"),
    (AGR, 0, {"summary": ""}, "agreements.csv:2: summary"),
    (AGR, 0, {"power": "ZZZ"}, "agreements.csv:2: power"),
    (AGR, 0, {"host_iso3": "<b>"}, "agreements.csv:2: host_iso3"),
    (POW, 0, {"code": "fr"}, "powers.csv:2: code"),
    (POW, 0, {"color": "red"}, "powers.csv:2: color"),
    (POW, 1, {"code": "FRA"}, "powers.csv:3: code"),
    (POW, 0, {"name": ""}, "powers.csv:2: name"),
]


def _break_rule(make_data: Callable[..., Path], table: str, row: int,
                cells: dict[str, str]) -> Path:
    key = {INST: "installations", AGR: "agreements", POW: "powers"}[table]
    return make_data(**{key: {row: cells}})


@pytest.mark.parametrize(("table", "row", "cells", "where"), RULES,
                         ids=[f"{w}={next(iter(c.values()))[:12]}" for _, _, c, w in RULES])
def test_serve_refuses_each_invalid_rule(make_data, no_server, table, row, cells,
                                         where) -> None:
    folder = _break_rule(make_data, table, row, cells)
    code, _, err = run_cli(["serve", "--port", str(free_port()), "--data", str(folder)])
    assert code == 1 and no_server == []
    assert "is invalid" in err and f"{folder}/{where}:" in err, err
    assert "Traceback" not in err


def _file_cases() -> list[tuple[str, str, bytes | None, str]]:
    """(name, file, new content or None to delete, expected message fragment)."""
    cases: list[tuple[str, str, bytes | None, str]] = []
    for file in (INST, AGR, POW):
        cases += [
            (f"{file}-missing", file, None, "file not found"),
            (f"{file}-empty", file, b"", "file is empty"),
            (f"{file}-blank", file, b"  \n\n", "file is empty"),
            (f"{file}-binary", file, b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
            (f"{file}-latin1", file, "id,name\nx,Kénitra\n".encode("latin-1"), "not valid UTF-8"),
            (f"{file}-semicolons", file, b"id;name;power\n1;a;b\n", "separated by"),
            (f"{file}-no-columns", file, b"foo,bar\n1,2\n", "missing required column"),
        ]
    cases += [
        ("geojson-missing", schema.COUNTRIES_FILE, None, "country geometries"),
        ("geojson-garbage", schema.COUNTRIES_FILE, b"{not json", "country geometries"),
        ("geojson-binary", schema.COUNTRIES_FILE, b"\x00\x01\x02", "country geometries"),
        ("geojson-empty", schema.COUNTRIES_FILE, b"", "country geometries"),
    ]
    return cases


@pytest.mark.parametrize(("name", "file", "content", "fragment"), _file_cases(),
                         ids=[c[0] for c in _file_cases()])
def test_serve_refuses_unreadable_files(make_data, no_server, name, file, content,
                                        fragment) -> None:
    folder = make_data()
    target = folder / file
    if content is None:
        target.unlink()
    else:
        target.write_bytes(content)
    code, _, err = run_cli(["serve", "--port", str(free_port()), "--data", str(folder)])
    assert code == 1 and no_server == [], (name, err)
    assert "is invalid" in err and fragment in err, err
    assert "Traceback" not in err


def _rewrite(path: Path, edit: Callable[[list[str]], list[str]]) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("name", "edit", "fragment"), [
    ("duplicate-column", lambda ls: [ls[0] + ",notes", *[x + "," for x in ls[1:]]],
     "duplicate column"),
    ("ragged-row", lambda ls: [*ls, "only,three,fields"], "fields but the header has"),
    ("missing-column", lambda ls: [",".join(c for c in ls[0].split(",") if c != "lat"),
                                   *ls[1:]], "missing required column(s): lat"),
    ("unclosed-quote", lambda ls: [*ls, 'T-X,"never closed,FRA'], "installations.csv"),
])
def test_serve_refuses_malformed_csv(make_data, no_server, name, edit, fragment) -> None:
    folder = make_data()
    _rewrite(folder / INST, edit)
    code, _, err = run_cli(["serve", "--port", str(free_port()), "--data", str(folder)])
    assert code == 1 and no_server == [], err
    assert fragment in err and "Traceback" not in err


def test_extra_columns_do_not_stop_the_server(make_data, no_server) -> None:
    folder = make_data()
    _rewrite(folder / INST, lambda ls: [ls[0] + ",comment", *[x + ",x" for x in ls[1:]]])
    code, _, err = run_cli(["serve", "--port", str(free_port()), "--data", str(folder)])
    assert code == 0 and no_server == ["werkzeug"], err


def test_missing_data_directory(tmp_path, no_server) -> None:
    code, _, err = run_cli(["serve", "--port", str(free_port()), "--data", str(tmp_path / "nope")])
    assert code == 1 and "data directory not found" in err and no_server == []


@pytest.mark.parametrize("case", range(16))
def test_random_cell_garbage_is_reported_or_served(make_data, no_server, case: int) -> None:
    """Random junk in random cells: either a clean report (exit 1) or a working app."""
    rng = random.Random(SEED + 100 + case)
    table = rng.choice([INST, AGR, POW])
    columns = {INST: schema.INSTALLATIONS_COLUMNS, AGR: schema.AGREEMENTS_COLUMNS,
               POW: schema.POWERS_COLUMNS}[table]
    rows = {INST: 3, AGR: 1, POW: 3}[table]
    cells = {rng.choice(columns): random_value(rng, "x").replace("\x00", "")
             for _ in range(rng.randint(1, 3))}
    folder = _break_rule(make_data, table, rng.randrange(rows), cells)
    code, _, err = run_cli(["serve", "--port", str(free_port()), "--data", str(folder)])
    assert "Traceback" not in err
    if code == 1:
        assert "is invalid" in err and no_server == []
    else:
        assert code == 0 and no_server == ["werkzeug"], err


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_real_process_refuses_invalid_data(make_data, workers: str) -> None:
    """The installed command, both server modes: report on stderr, exit 1, nothing served."""
    folder = make_data(installations={0: {"lat": "x"}})
    (folder / POW).write_bytes(b"\x00\x01binary")
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "serve", "--data", str(folder),
         "--workers", workers, "--port", str(free_port())],
        cwd=REPO, capture_output=True, text=True, timeout=180)
    assert result.returncode == 1, result.stderr
    assert f"{folder}/installations.csv:2: lat: not a number (x)" in result.stderr
    assert "powers.csv:1: (file): file contains NUL bytes" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


# --------------------------------------------------------------------------- export options


def export_argvs(n: int, out_dir: Path) -> list[list[str]]:
    """``export`` command lines with fuzzed options; outputs stay inside ``out_dir``."""
    rng = random.Random(SEED + 5)
    options = {
        "--year": lambda: random_value(rng, "year"),
        "--years": lambda: rng.choice(["2014-2016", "2016-2014", "1990-2030", "2019",
                                       "2014..2015", "x-y", *NASTY[:20]]),
        "--powers": lambda: random_value(rng, "powers"),
        "--metric": lambda: random_value(rng, "metric"),
        "--layers": lambda: random_value(rng, "layers"),
        "--status": lambda: random_value(rng, "status"),
        "--country": lambda: random_value(rng, "country"),
        "--tab": lambda: random_value(rng, "tab"),
        "--scope": lambda: rng.choice(["africa", "country", "AFRICA", "", *NASTY[:4]]),
        "--view": lambda: random_query(rng),
        "--format": lambda: rng.choice(["csv", "geojson", "html", "png", "gif", "pdf", "svg",
                                        "CSV", "exe", "", *NASTY[:8]]),
        "--width": lambda: random_value(rng, "width"),
        "--height": lambda: random_value(rng, "height"),
        "--scale": lambda: rng.choice(["0", "-1", "nan", "inf", "1e9", "0.5", "4", "2",
                                       *NASTY[:8]]),
        "--out": lambda: str(out_dir / rng.choice(["map.csv", "m-{year}.html", "x.png",
                                                  "nodir/x.csv", "", "a.geojson", "."])),
    }
    # A few valid lines first: the fuzz must see the happy path too, not only refusals.
    argvs = [["export", "--format", "csv", "--out", str(out_dir / "ok.csv")],
             ["export", "--year", "2019", "--powers", "FRA,RUS", "--out",
              str(out_dir / "ok.geojson")],
             ["export", "--tab", "table", "--lang", "fr", "--out", str(out_dir / "t.csv")],
             ["export", "--view", "?year=2015&metric=agreements", "--format", "html",
              "--out", str(out_dir / "ok.html")]]
    for _ in range(n - len(argvs)):
        argv = ["export"]
        for key in rng.sample(list(options), rng.randint(0, 6)):
            argv += [key, options[key]()]
        if rng.random() < 0.2:
            argv.append("--closed")
        if rng.random() < 0.05:
            argv.append(rng.choice(["--bogus", "-x", "--width"]))
        argvs.append([a.replace("\x00", "") for a in argv])
    return argvs


def test_export_options_fuzz(dataset, tmp_path, monkeypatch) -> None:
    """80 fuzzed ``export`` command lines: exit 0, 1 or 2 with a message, never a traceback.

    Image formats stop at the browser check (faked absent) so no Chromium starts; every
    option is parsed and validated before that point.
    """
    from dashboard.export import renderer
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(renderer, "find_browser", lambda: None)
    monkeypatch.setattr(cli.export, "load_or_report", lambda data_dir: dataset)
    codes: dict[int, int] = {}
    for argv in export_argvs(80, tmp_path):
        code, _, err = run_cli(argv)
        codes[code] = codes.get(code, 0) + 1
        assert code in (0, 1, 2), argv
        assert "Traceback" not in err, (argv, err)
        if code:
            assert err.strip(), argv
    assert codes.get(2, 0) > 0 and codes.get(0, 0) > 0, codes


@pytest.mark.parametrize("salts", batches(list(range(60)), 10))
def test_search_and_pick_take_any_text(client, page, dataset, salts: list[int]) -> None:
    """The search box and a pick (search result or change) answer 200 for any text."""
    lo, hi = dataset.year_range
    for salt in salts:
        rng = random.Random(SEED + 100 + salt)
        text = rng.choice([random_text(rng, 120), rng.choice(NASTY), "a" * 5000,
                           random_value(rng, "record")])
        body = callback_request(page.copy(), (Ids.SEARCH, "value"), text,
                                output=Ids.SEARCH_RESULTS)
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code in (200, 204), (salt, response.get_data()[:200])
        kind = rng.choice(["record", "country", "power", "installation", "",
                           random_text(rng, 5)])
        pick = {"key": f"{kind}:{text}", "n": rng.choice([1, -1, 10**30, "x", None])}
        body = callback_request(page.copy(), (Ids.PICK_STATE, "data"), pick)
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, (salt, response.get_data()[:200])
        out = response.get_json()["response"]
        assert lo <= out["year-slider"]["value"] <= hi


@pytest.mark.parametrize("lang", ["fr", "en", "de"])
@pytest.mark.parametrize("batch", batches(queries(40, 7), 10))
def test_any_link_in_any_language_answers(client, page, dataset, batch: list[str],
                                          lang: str) -> None:
    """A French browser (Accept-Language) and any link: notes in the page's language (the
    page a French browser loads is French: its language store says so)."""
    built_in = lang if lang in LANGS else "en"
    for query in batch:
        search = query if query.startswith("?") or not query else "?" + query
        body = callback_request(page.copy(), (Ids.URL, "search"), search,
                                extra={(Ids.PAGE_LANG, "data"): built_in})
        response = client.post("/_dash-update-component", json=body,
                               headers={"Accept-Language": f"{lang},en;q=0.5"})
        assert response.status_code == 200, (query, response.get_data()[:200])
        out = response.get_json()["response"]
        note = out["url-note"]["children"]
        assert isinstance(note, list) and all(isinstance(n, str) for n in note)
        if note and lang == "fr" and "lang=" not in search.lower():
            assert note[0].startswith("Ce lien était en partie invalide"), query


def test_english_chosen_on_a_french_browser_stays_in_the_link(client, page) -> None:
    """A reader on a French browser who chose English: the link says lang=en, so the next
    step, a reload or a shared copy stays English."""
    body = callback_request(page.copy(), (Ids.YEAR_SLIDER, "value"), 2019,
                            extra={(Ids.PAGE_LANG, "data"): "en",
                                   (Ids.URL, "search"): "?year=2020&lang=en"})
    out = client.post("/_dash-update-component", json=body,
                      headers={"Accept-Language": "fr"}).get_json()["response"]
    assert "lang=en" in out["url"]["search"]
    state = out[Ids.STATE]["data"]
    assert "lang=" not in state  # the state itself is English: the texts follow it
    texts = callback_request(page.copy(), (Ids.STATE, "data"), state,
                             output=f"{Ids.SUMMARY}.children")
    answer = client.post("/_dash-update-component", json=texts,
                         headers={"Accept-Language": "fr"}).get_json()["response"]
    assert "puissances" not in answer[Ids.SUMMARY]["children"]


@pytest.mark.parametrize("value", [1e400, -1e400, "1e400", float("nan")])
def test_huge_numbers_in_a_callback_are_not_a_500(client, page, value: Any) -> None:
    body = callback_request(page.copy(), (Ids.YEAR_SLIDER, "value"), 2019)
    raw = json.dumps(body).replace("2019", "1e400" if value in (1e400, "1e400") else
                                   "-1e400" if value == -1e400 else "NaN", 1)
    response = client.post("/_dash-update-component", data=raw,
                           content_type="application/json")
    assert response.status_code in (200, 204, 400), response.status_code
