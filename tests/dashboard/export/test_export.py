"""Exports: valid files in every format, exactly the view's records, strict options, atomicity.

Image tests drive Kaleido with the machine's Chromium through one module-wide renderer (so
they also show that one browser serves many exports). Nothing here needs chromedriver.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard import cli, export
from dashboard.export import ExportError, Renderer, Size
from dashboard.figures.print import map_aspect, print_figure
from dashboard.view.state import ViewState, to_query
from geo.timeline import agreements_in_year, installation_states

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DAY = dt.date(2024, 3, 5)


@pytest.fixture(scope="module")
def engine():
    renderer = Renderer()
    yield renderer
    renderer.close()


def png_size(blob: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (the first chunk, right after the signature)."""
    assert blob[:8] == PNG_SIGNATURE, "not a PNG"
    length, kind = struct.unpack(">I4s", blob[8:16])
    assert kind == b"IHDR" and length == 13
    return struct.unpack(">II", blob[16:24])


def run_cli(*argv: str) -> int:
    return cli.main(["export", *argv])


VIEWS = [
    ViewState(year=2019),
    ViewState(year=2019, powers=("RUS",)),
    ViewState(year=2023, powers=("FRA", "USA"), statuses=("active",), show_closed=True),
    ViewState(year=2015, layers=("countries", "agreements")),
    ViewState(year=2024, layers=("installations",), statuses=("planned", "refused")),
    ViewState(year=2010, powers=()),
]


# --------------------------------------------------------------------------- options


def test_size_defaults_and_bounds() -> None:
    assert export.check_size() == Size(1600, 1200, 1.0)
    assert export.check_size("800", 600, "2").pixels == (1600, 1200)
    assert export.check_size(1600.0, "1200.0").pixels == (1600, 1200)  # from a number field
    assert Size(401, 999, 1.25).pixels == (501, 1248)  # Chromium rounds down
    for kwargs, word in [
        ({"width": 100000}, "width"), ({"height": 10}, "height"), ({"scale": 9}, "scale"),
        ({"scale": 0.1}, "scale"), ({"width": "abc"}, "number"), ({"scale": "nan"}, "finite"),
        ({"width": 4000, "scale": 4}, "8000"), ({"width": "800.5"}, "whole"),
    ]:
        with pytest.raises(ExportError, match=word):
            export.check_size(**kwargs)


def test_check_state_refuses_what_the_data_cannot_show(ds) -> None:
    lo, hi = ds.year_range
    with pytest.raises(ExportError, match="outside"):
        export.check_state(ds, ViewState(year=lo - 1))
    with pytest.raises(ExportError, match="unknown power XYZ"):
        export.check_state(ds, ViewState(year=hi, powers=("XYZ",)))
    with pytest.raises(ExportError, match="unknown format"):
        export.export_bytes(ds, ViewState(year=hi), "bmp")


# --------------------------------------------------------------------------- the figure


def test_print_figure_explains_itself(ds) -> None:
    state = ViewState(year=2019, powers=("FRA", "RUS"), country="MLI")
    fig = print_figure(ds, state, Size(), exported=DAY)
    layout = fig.layout
    assert layout.width == 1600 and layout.height == 1200
    assert "Foreign military presence in Africa, 2019" in layout.title.text
    subtitle = layout.title.subtitle.text
    assert "France, Russia" in subtitle and "outlined: Mali" in subtitle
    assert "installation" in subtitle and "agreement" in subtitle
    footer = layout.annotations[-1].text
    assert f"Data: africa-presence dataset v{ds.version} (sources per record)" in footer
    assert "borders: Natural Earth" in footer
    assert "Exported 2024-03-05" in footer
    assert to_query(state).replace("&", "&amp;") in footer
    legend_names = {t.name for t in fig.data if t.showlegend}
    assert {"France", "Russia"} <= legend_names
    assert "Agreement in force" in legend_names
    assert not legend_names & {"China", "Turkey"}  # only powers on the map
    assert fig.data[0].colorbar.title.text.startswith("Countries: ")


@pytest.mark.parametrize("size", [Size(400, 400), Size(600, 450), Size(900, 1200),
                                  Size(1920, 1080), Size(4000, 1000), Size(1000, 4000)])
def test_print_figure_layout_fits_any_size(ds, size) -> None:
    fig = print_figure(ds, ViewState(year=2023), size, exported=DAY)
    m = fig.layout.margin
    assert min(m.l, m.r, m.t, m.b) >= 0
    assert m.l + m.r < size.width and m.t + m.b < size.height
    assert fig.layout.font.size >= 8
    # Every legend entry is either in a plotly legend or in the text key under the map.
    text = " ".join(a.text for a in fig.layout.annotations)
    shown = {t.name for t in fig.data if t.showlegend}
    assert "Russia" in shown or "Russia" in text


def test_map_aspect_matches_projection_shapes(ds) -> None:
    from dashboard.figures.map import base_figure

    geo = base_figure(ds, ViewState(year=2019)).layout.geo
    assert 0.7 < map_aspect(geo) < 1.4  # Africa is about as wide as it is tall


# --------------------------------------------------------------------------- data files


def expected_ids(ds, state: ViewState) -> tuple[set[str], set[str]]:
    """The ids geo.timeline gives for the view (the dashboard's semantics)."""
    powers = state.power_set(ds.power_codes)
    inst = installation_states(ds, state.year, show_closed=state.show_closed, powers=powers,
                               states=state.visible_states())
    agr = agreements_in_year(ds, state.year, powers=powers)
    return (set(inst["id"]) if state.shows("installations") else set(),
            set(agr["id"]) if state.shows("agreements") else set())


@pytest.mark.parametrize("state", VIEWS, ids=to_query)
def test_csv_holds_exactly_the_views_records(ds, state) -> None:
    rows = list(csv.DictReader(io.StringIO(export.records_csv(ds, state).decode("utf-8"))))
    inst, agr = expected_ids(ds, state)
    got_inst = [r["id"] for r in rows if r["record_type"] == "installation"]
    got_agr = [r["id"] for r in rows if r["record_type"] == "agreement"]
    assert sorted(got_inst) == sorted(inst) and len(got_inst) == len(set(got_inst))
    assert sorted(got_agr) == sorted(agr) and len(got_agr) == len(set(got_agr))
    assert all(r["year"] == str(state.year) and r["dataset_version"] == ds.version
               for r in rows)
    states = installation_states(ds, state.year, show_closed=state.show_closed)
    by_id = dict(zip(states["id"], states["state"], strict=True))
    for r in rows:
        if r["record_type"] == "installation":
            assert r["state_in_year"] == by_id[r["id"]]
            assert re.fullmatch(r"\d{4}|", r["opened"])  # years print as integers


@pytest.mark.parametrize("state", VIEWS, ids=to_query)
def test_geojson_holds_exactly_the_views_records(ds, state) -> None:
    doc = json.loads(export.records_geojson(ds, state, exported=DAY))
    assert doc["type"] == "FeatureCollection"
    meta = doc["metadata"]
    assert meta["dataset_version"] == ds.version and meta["exported"] == "2024-03-05"
    assert meta["year"] == state.year and meta["view"] == to_query(state)
    inst, agr = expected_ids(ds, state)
    points = [f for f in doc["features"] if f["properties"]["record_type"] == "installation"]
    deals = [f for f in doc["features"] if f["properties"]["record_type"] == "agreement"]
    assert sorted(f["id"] for f in points) == sorted(inst)
    assert sorted(f["id"] for f in deals) == sorted(agr)
    coords = ds.installations.set_index("id")[["lon", "lat"]]
    for f in points:
        assert f["geometry"]["type"] == "Point"
        assert f["geometry"]["coordinates"] == pytest.approx(list(coords.loc[f["id"]]))
        assert all(s.startswith("http") for s in f["properties"]["sources"])
    assert all(f["geometry"] is None for f in deals)


def newplot_args(page: str) -> tuple[list, dict, dict]:
    """The data, layout and config plotly.js is called with in an exported page."""
    decoder = json.JSONDecoder()
    start = page.index("Plotly.newPlot(")
    rest = page[start + len("Plotly.newPlot("):].lstrip()
    rest = rest[rest.index(",") + 1:].lstrip()  # skip the div id
    data, end = decoder.raw_decode(rest)
    rest = rest[end:].lstrip()[1:].lstrip()
    layout, end = decoder.raw_decode(rest)
    rest = rest[end:].lstrip()[1:].lstrip()
    config, _ = decoder.raw_decode(rest)
    return data, layout, config


def test_html_is_standalone_and_offline(ds) -> None:
    state = ViewState(year=2019, powers=("RUS",))
    page = export.export_bytes(ds, state, "html", exported=DAY).decode("utf-8")
    assert "cdn.plot.ly" not in page
    assert not re.search(r"<script[^>]+src=[\"']?(https?:)?//", page)
    assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", page)
    assert "window.PlotlyGeoAssets" in page and '"africa_50m"' in page  # base map inside
    assert "MathJax.js" not in page and "mathjax@" not in page.lower()
    data, layout, config = newplot_args(page)
    assert not config["topojsonURL"].startswith("http")
    assert "2019" in layout["title"]["text"]
    assert ds.version in layout["annotations"][-1]["text"]
    inst, _ = expected_ids(ds, state)
    installations = next(t for t in data if t.get("name") == "Installations")
    assert sum(lat is not None for lat in installations["lat"]) == len(inst)
    for name in ds.installations.set_index("id").loc[sorted(inst), "name"]:
        assert any(name.split(" (")[0][:20] in text for text in installations["text"])


# --------------------------------------------------------------------------- images


@pytest.mark.slow
def test_png_has_the_requested_pixel_size(ds, engine) -> None:
    blob = export.export_bytes(ds, ViewState(year=2019), "png", engine=engine)
    assert png_size(blob) == (1600, 1200)  # the print size by default
    assert png_size(export.export_bytes(ds, ViewState(year=2019), "png", Size(800, 600, 1),
                                        engine=engine)) == (800, 600)
    assert png_size(export.export_bytes(ds, ViewState(year=2019), "png", Size(500, 400, 2),
                                        engine=engine)) == (1000, 800)
    odd = Size(401, 777, 1.25)  # fractional pixels: the documented size is what comes out
    assert png_size(export.export_bytes(ds, ViewState(year=2019), "png", odd,
                                        engine=engine)) == odd.pixels


@pytest.mark.slow
def test_svg_and_pdf_are_valid(ds, engine) -> None:
    state = ViewState(year=2021, powers=("TUR",))
    svg = export.export_bytes(ds, state, "svg", Size(1200, 900), exported=DAY, engine=engine)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg") and root.get("width") == "1200"
    texts = " ".join("".join(t.itertext()) for t in root.iter() if t.tag.endswith("}text"))
    assert "Foreign military presence in Africa, 2021" in texts
    assert "Turkey" in texts and "Exported 2024-03-05" in texts
    assert f"v{ds.version}" in texts
    pdf = export.export_bytes(ds, state, "pdf", engine=engine)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


@pytest.mark.slow
def test_filters_change_the_image_and_renders_are_stable(ds, engine) -> None:
    size = Size(600, 450)
    russia, russia2, france = export.export_batch(
        ds, [ViewState(year=2019, powers=("RUS",)), ViewState(year=2019, powers=("RUS",)),
             ViewState(year=2019, powers=("FRA",))], "png", size, exported=DAY, engine=engine)
    assert russia == russia2
    assert russia != france
    assert export.export_bytes(ds, ViewState(year=2012), "png", size, exported=DAY,
                               engine=engine) != export.export_bytes(
        ds, ViewState(year=2022), "png", size, exported=DAY, engine=engine)


@pytest.mark.slow
def test_image_is_not_blank(ds, engine) -> None:
    from PIL import Image as image_mod  # pillow is a dependency: no skip
    blob = export.export_bytes(ds, ViewState(year=2019), "png", Size(800, 600), engine=engine)
    image = image_mod.open(io.BytesIO(blob)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 100  # map, markers, text: not a blank page
    # The base map (ocean, land) comes from the local topojson: its colours are there.
    from dashboard.figures.map import LAND, OCEAN

    present = {c for _, c in colours}
    for hex_colour in (LAND, OCEAN):
        rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        assert rgb in present, f"base-map colour {hex_colour} missing: blank base map?"


@pytest.mark.slow
def test_kaleido_page_fetches_nothing_remote(engine) -> None:
    engine.start()
    index = Path(urlparse(engine._kaleido._index).path).read_text("utf-8")
    assert not re.search(r"src=[\"']?https?:", index)
    assert "mathjax" not in index.lower()
    assert export.topojson_url().startswith("file://")


@pytest.mark.slow
def test_base_map_comes_from_the_local_folder(ds, monkeypatch, tmp_path) -> None:
    """Point the topojson at an empty folder: the render fails, so the shipped one is used."""
    renderer = Renderer()
    try:
        monkeypatch.setattr(export.renderer, "topojson_url", lambda: tmp_path.as_uri() + "/")
        with pytest.raises(export.RenderError, match="topojson"):
            renderer.render(print_figure(ds, ViewState(year=2019)), "png", Size(400, 400))
    finally:
        renderer.close()


@pytest.mark.slow
def test_one_browser_serves_a_batch(ds, engine) -> None:
    engine.start()
    blobs = export.export_batch(ds, [ViewState(year=y) for y in range(2014, 2018)], "png",
                                Size(400, 400), engine=engine)
    assert [png_size(b) for b in blobs] == [(400, 400)] * 4
    assert engine.starts == 1  # the module's exports all went through one browser


@pytest.mark.slow
def test_concurrent_exports_get_their_own_images(ds, engine) -> None:
    """Two dashboard users exporting at once through the one browser: no mix-up."""
    from concurrent.futures import ThreadPoolExecutor

    size = Size(400, 400)
    views = [ViewState(year=2012), ViewState(year=2022, powers=("RUS",)), ViewState(year=2017)]
    alone = [export.export_bytes(ds, v, "png", size, exported=DAY, engine=engine)
             for v in views]
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(
            lambda v: export.export_bytes(ds, v, "png", size, exported=DAY, engine=engine),
            views * 2))
    assert together == alone * 2


@pytest.mark.slow
def test_a_crashed_browser_is_replaced_and_a_closed_one_is_gone(ds) -> None:
    import signal

    renderer = Renderer()
    try:
        renderer.render(print_figure(ds, ViewState(year=2019)), "png", Size(400, 400))
        first = renderer._kaleido.subprocess
        os.kill(first.pid, signal.SIGKILL)  # the browser dies between two exports
        blob = renderer.render(print_figure(ds, ViewState(year=2020)), "png",
                               Size(400, 400))
        assert png_size(blob) == (400, 400) and renderer.starts == 2
        second = renderer._kaleido.subprocess
    finally:
        renderer.close()
    second.wait(timeout=30)  # closing really ends the browser process
    assert not renderer.running


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_killed_loop_thread_is_noticed(ds) -> None:
    """Test harnesses (dash_duo) kill stray threads: the next export must not hang."""
    import ctypes

    renderer = Renderer(timeout=30)
    try:
        renderer.render(print_figure(ds, ViewState(year=2019)), "png", Size(400, 400))
        old_process = renderer._kaleido.subprocess
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(renderer._thread.ident), ctypes.py_object(SystemExit))
        renderer._loop.call_soon_threadsafe(lambda: None)  # wake the loop so it sees it
        renderer._thread.join(10)
        assert not renderer.running
        blob = renderer.render(print_figure(ds, ViewState(year=2020)), "png",
                               Size(400, 400))
        assert png_size(blob) == (400, 400) and renderer.starts == 2
        assert old_process.poll() is not None  # the orphaned browser was ended
    finally:
        renderer.close()


# --------------------------------------------------------------------------- CLI


@pytest.mark.slow
def test_cli_png_and_batch(tmp_path, capsys) -> None:
    out = tmp_path / "map.png"
    assert run_cli("--year", "2019", "--powers", "RUS", "--format", "png", "--out", str(out),
                   "--width", "640", "--height", "480") == 0
    assert png_size(out.read_bytes()) == (640, 480)
    assert run_cli("--years", "2014-2016", "--out", str(tmp_path), "--width", "500",
                   "--height", "400", "--scale", "1.5") == 0
    for year in (2014, 2015, 2016):
        assert png_size((tmp_path / f"map-{year}.png").read_bytes()) == (750, 600)
    assert "wrote" in capsys.readouterr().out
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


@pytest.mark.slow
def test_cli_gif(tmp_path, ds) -> None:
    from PIL import Image as image_mod  # pillow is a dependency: no skip
    out = tmp_path / "anim.gif"
    assert run_cli("--years", "2016-2018", "--format", "gif", "--out", str(out), "--width",
                   "400", "--height", "400", "--powers", "RUS") == 0
    with image_mod.open(out) as gif:
        assert gif.format == "GIF" and gif.n_frames == 3 and gif.size == (400, 400)
        assert gif.info["loop"] == 0
        gif.seek(2)
        colours = {c for _, c in gif.convert("RGB").getcolors(maxcolors=1 << 20)}
    russia = ds.powers.set_index("code").loc["RUS", "color"].lstrip("#")
    # Russia's marker colour (a few pixels per frame) survives the 256-colour palette.
    assert tuple(int(russia[i:i + 2], 16) for i in (0, 2, 4)) in colours


def test_cli_data_formats_follow_the_suffix(tmp_path, ds) -> None:
    assert run_cli("--year", "2019", "--powers", "rus,fra", "--out",
                   str(tmp_path / "v.csv")) == 0
    assert run_cli("--view", "http://host/?year=2019&powers=FRA,RUS", "--out",
                   str(tmp_path / "v.geojson")) == 0
    rows = list(csv.DictReader((tmp_path / "v.csv").open(encoding="utf-8")))
    doc = json.loads((tmp_path / "v.geojson").read_text("utf-8"))
    assert sorted(r["id"] for r in rows) == sorted(f["id"] for f in doc["features"])
    assert doc["metadata"]["view"] == "?year=2019&powers=FRA,RUS"
    inst, agr = expected_ids(ds, ViewState(year=2019, powers=("FRA", "RUS")))
    assert {r["id"] for r in rows} == inst | agr


def test_cli_html_has_no_cdn(tmp_path) -> None:
    out = tmp_path / "map.html"
    assert run_cli("--year", "2020", "--out", str(out)) == 0
    assert "cdn.plot.ly" not in out.read_text("utf-8")


@pytest.mark.parametrize("argv", [
    ["--year", "1990"],
    ["--year", "2019", "--years", "2014-2015"],
    ["--years", "2020-2014"],
    ["--years", "1999-2001"],
    ["--powers", "XYZ"],
    ["--powers", ","],
    ["--width", "100000"],
    ["--height", "12"],
    ["--scale", "0"],
    ["--width", "wide"],
    ["--format", "bmp"],
    ["--format", "png", "--out", "x.svg"],
    ["--out", "{tmp}/missing/map.png"],
    ["--years", "2014-2015", "--out", "{tmp}/maps/"],
    ["--metric", "colour"],
    ["--layers", "countries,boats"],
    ["--status", "sunk"],
    ["--country", "XXX"],
    ["--view", "?year=banana"],
    ["--data", "{tmp}/nowhere"],
])
def test_cli_bad_options_exit_2_with_one_line_and_write_nothing(argv, tmp_path, capsys,
                                                               monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert run_cli(*argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("africa-presence export: error:")
    assert list(tmp_path.iterdir()) == []


def test_no_browser_is_one_clear_message_and_no_file(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr(export.renderer, "find_browser", lambda: None)
    out = tmp_path / "map.png"
    assert run_cli("--year", "2019", "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "apt-get install chromium" in err and "BROWSER_PATH" in err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(export.NoBrowserError):
        Renderer().start()
    # Data exports do not need a browser.
    assert run_cli("--year", "2019", "--out", str(tmp_path / "v.csv")) == 0


def test_browser_path_that_does_not_exist_counts_as_no_browser(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chrome"))
    assert export.find_browser() is None


def test_render_failure_exits_1_and_writes_nothing(tmp_path, capsys, monkeypatch) -> None:
    def broken(self, figs, fmt, size):
        raise export.RenderError("rendering failed: browser crashed")

    monkeypatch.setattr(export.renderer, "find_browser", lambda: "/usr/bin/true")
    monkeypatch.setattr(Renderer, "render_many", broken)
    assert run_cli("--years", "2018-2019", "--out", str(tmp_path)) == 1
    assert "nothing written" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- atomic writes


def test_atomic_write_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch) -> None:
    target = tmp_path / "map.png"
    target.write_bytes(b"old")

    def fail(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        export.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]  # no temporary file left


def test_atomic_write_leaves_no_file_when_writing_fails(tmp_path, monkeypatch) -> None:
    target = tmp_path / "map.csv"
    real_fdopen = os.fdopen

    class Exploding(io.RawIOBase):
        def __init__(self, fd: int) -> None:
            self.inner = real_fdopen(fd, "wb")

        def write(self, data) -> int:
            self.inner.write(bytes(data)[:10])
            raise KeyboardInterrupt  # interrupted half way

        def close(self) -> None:
            self.inner.close()

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Exploding(fd))
    with pytest.raises(KeyboardInterrupt):
        export.atomic_write(target, b"x" * 1000)
    assert list(tmp_path.iterdir()) == []


def test_batch_lands_all_or_nothing(tmp_path, monkeypatch) -> None:
    (tmp_path / "b.png").write_bytes(b"old b")
    real_replace = os.replace
    calls = []

    def third_fails(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError("no space")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", third_fails)
    items = [(tmp_path / f"{n}.png", n.encode()) for n in "abc"]
    with pytest.raises(OSError):
        export.write_all(items)
    # a and b had landed: a (new) is gone again, b (old) has its old content back.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.png"]
    assert (tmp_path / "b.png").read_bytes() == b"old b"
    monkeypatch.setattr(os, "replace", real_replace)
    export.write_all(items)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.png", "b.png", "c.png"]
    assert (tmp_path / "b.png").read_bytes() == b"b"


def test_export_filename(ds) -> None:
    assert export.export_filename(ViewState(year=2019), "png") == "africa-presence-2019.png"
    assert export.export_filename(ViewState(year=2019, powers=("FRA", "RUS")), "csv") == (
        "africa-presence-2019-FRA-RUS.csv")


# --------------------------------------------------------------------------- dashboard glue


def test_panel_reads_the_view_from_the_url_and_the_slider(ds) -> None:
    from dashboard.callbacks.export import view_state

    state = view_state(ds, "?year=2019&powers=RUS&metric=agreements&country=MLI", 2021)
    assert state == ViewState(year=2021, powers=("RUS",), metric="agreements", country="MLI")
    assert view_state(ds, "", None).year == min(ds.latest_year, ds.year_range[1])
    assert view_state(ds, "?year=2019", 1800).year == 2019  # a bad slider value is ignored


def test_panel_export_of_data_and_its_messages(ds) -> None:
    import base64

    from dashboard.callbacks.export import make_export

    data, status = make_export(ds, "csv", None, None, None, "?year=2019&powers=RUS", 2019)
    assert data["filename"] == "africa-presence-2019-RUS.csv"
    assert status.startswith("Downloaded africa-presence-2019-RUS.csv")
    body = base64.b64decode(data["content"]) if data.get("base64") else data["content"]
    body = body if isinstance(body, bytes) else body.encode()
    assert body == export.records_csv(ds, ViewState(year=2019, powers=("RUS",)))
    # An emptied number field (the browser clears out-of-range values) is said, not ignored.
    assert make_export(ds, "png", None, 1200, 1, "", 2019) == (
        None, "Not exported: width must be 400–4000 px.")
    none, message = make_export(ds, "png", 100000, 1200, 1, "", 2019)
    assert none is None and "4000" in message and "--" not in message


# --------------------------------------------------------------------------- chart and table


@pytest.mark.slow  # draws with the Kaleido browser
def test_chart_exports_as_an_image_with_its_own_name(ds, engine) -> None:
    state = ViewState(year=2019, powers=("RUS", "FRA"), tab="chart")
    blob = export.export_bytes(ds, state, "png", Size(800, 600, 1), engine=engine)
    assert png_size(blob) == (800, 600)
    svg = export.export_bytes(ds, state, "svg", Size(800, 600, 1), engine=engine).decode()
    assert "Russia" in svg and "France" in svg and "African countries where present" in svg
    assert export.export_filename(state, "png").startswith("africa-presence-chart-2019")


def test_chart_csv_holds_the_series(ds) -> None:
    state = ViewState(year=2019, powers=("RUS",), tab="chart", country="MLI")
    text = export.export_bytes(ds, state, "csv").decode()
    lines = text.splitlines()
    assert lines[0] == "year,power,power_name,scope,measure,value"
    assert len(lines) == 1 + (ds.year_range[1] - ds.year_range[0] + 1)
    by_country = export.export_bytes(ds, state, "csv",
                                     views=export.ViewOptions(chart_by_country=True)).decode()
    assert ",MLI,Present (1) or not (0)," in by_country and ",Africa," in text


def test_table_csv_follows_the_shown_order_and_filter(ds) -> None:
    state = ViewState(year=2019, tab="table")
    views = export.ViewOptions(table_sort=("name", False), table_query="niger")
    names = [line.split(",")[0] for line in
             export.export_bytes(ds, state, "csv", views=views).decode().splitlines()[1:]]
    assert names == ["Niger", "Nigeria"]


@pytest.mark.parametrize(("tab", "fmt"), [("table", "png"), ("table", "geojson"),
                                          ("chart", "gif"), ("chart", "geojson")])
def test_a_view_refuses_formats_it_has_no_meaning_in(ds, tab: str, fmt: str) -> None:
    with pytest.raises(export.ExportError, match=f"the {tab} exports as"):
        export.export_bytes(ds, ViewState(year=2019, tab=tab), fmt)
