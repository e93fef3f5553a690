"""``africa-presence export``: every option checked first, then all files written or none.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode

from dashboard.cli.common import load_or_report
from dashboard.view.codec import decode
from dashboard.view.export_options import (
    BROWSER_FORMATS,
    DEFAULT_HEIGHT,
    DEFAULT_WIDTH,
    FORMATS,
    MAX_PIXELS,
    MAX_SCALE,
    MAX_SIDE,
    MIN_SCALE,
    MIN_SIDE,
    NO_BROWSER_MESSAGE,
    SUFFIXES,
    ExportError,
    RenderError,
    check_size,
    check_tab_format,
    parse_number,
)
from dashboard.view.labels import state_context
from dashboard.view.state import LAYERS, METRICS, STATUS_FILTER, ViewState, to_query


def _parse_years(text: str, lo: int, hi: int) -> list[int]:
    """``2014-2025`` (or ``2014..2025``, ``2019``, ``2014,2016,2019``) -> sorted years."""
    years: set[int] = set()
    for part in text.replace("–", "-").replace("..", "-").split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", part)
        if not m:
            raise ExportError(f"--years must look like 2014-2025 (got {text[:30]!r})")
        a, b = int(m[1]), int(m[2] or m[1])
        if a > b:
            raise ExportError(f"--years {a}-{b} runs backwards")
        for y in (a, b):
            if not lo <= y <= hi:
                raise ExportError(f"year {y} is outside the data's range {lo}-{hi}")
        years.update(range(a, b + 1))
    return sorted(years)


#: The options that describe the view, and the link parameter each one stands for.
VIEW_OPTIONS: dict[str, str] = {
    "powers": "powers", "metric": "metric", "layers": "layers", "status": "status",
    "country": "country", "tab": "tab", "compare": "compare", "lang": "lang",
}
def _strict(ds: Any, query: str, option: str) -> ViewState:
    """``query`` read by the dashboard's own link codec; any problem is an error, in English,
    naming the option and the bad value (the page would fall back with a note instead)."""
    state, problems = decode(query, state_context(ds))
    if problems:
        raise ExportError(f"{option}: {problems[0].error}")
    return state


def parse_view(ds: Any, text: str) -> tuple[ViewState, bool]:
    """A dashboard link (or its ``?query``) as a state, strictly; and whether it set a year."""
    query = text.split("?", 1)[1] if "?" in text else text
    query = query.split("#", 1)[0]
    return _strict(ds, query, "--view"), "year" in parse_qs(query)


def state_from_args(ds: Any, args: argparse.Namespace, year: int,
                    base: ViewState | None = None) -> ViewState:
    """The view the options describe for ``year``, starting from ``base`` (from ``--view``).

    The options become link parameters over ``base``'s own link, read by the same codec as
    a shared link (:func:`dashboard.view.codec.decode`), strictly: an option the dashboard
    would ignore with a note is an error here. Each option is checked as it is added, so
    the error names the option it is about.
    """
    params = dict(parse_qsl(to_query(base)[1:], keep_blank_values=True)) if base else {}
    params["year"] = str(year)
    for option in VIEW_OPTIONS:
        value = getattr(args, option)
        if value is None:
            continue
        value = value.strip()
        if option == "powers":
            if value.lower() == "all":
                params.pop("powers", None)
                continue
            if not [p for p in value.split(",") if p.strip()]:
                raise ExportError("--powers is empty (give codes like RUS,FRA or 'all')")
        if option in ("metric", "country", "tab", "compare", "lang") and not value:
            raise ExportError(f"--{option} is empty")
        params[VIEW_OPTIONS[option]] = value
        _strict(ds, urlencode(params, safe=","), f"--{option}")
    if args.closed:
        params["closed"] = "1"
    return _strict(ds, urlencode(params, safe=","), "--view")


def _format_and_out(args: argparse.Namespace) -> tuple[str, Path | None]:
    """The format (from --format or --out's suffix) and the output path, checked."""
    out = Path(args.out).expanduser() if args.out else None
    if out is not None and args.out.endswith(("/", os.sep)) and not out.is_dir():
        raise ExportError(f"output folder {out} does not exist")
    fmt = args.format.strip().lower() if args.format else None
    if fmt is not None and fmt not in FORMATS:
        raise ExportError(f"unknown format {args.format!r} (choose from {', '.join(FORMATS)})")
    suffix_fmt = SUFFIXES.get(out.suffix.lower()) if out is not None else None
    if fmt is None:
        fmt = suffix_fmt or "png"
    elif suffix_fmt is not None and suffix_fmt != fmt and not (out and out.is_dir()):
        raise ExportError(f"--out {out.name} does not match --format {fmt}")
    return fmt, out


def output_paths(out: Path | None, fmt: str, years: Sequence[int],
                 view: str = "map") -> list[Path]:
    """Where each year's file goes: ``map-2019.png`` by default (``chart-2019.png``,
    ``table-2019.csv`` for the other views), ``NAME-2019.ext`` in a batch."""
    many = len(years) > 1 and fmt != "gif"
    ext = "geojson" if fmt == "geojson" else fmt
    default = (f"{view}-{years[0]}-{years[-1]}.gif" if fmt == "gif" and len(years) > 1
               else view + "-{year}." + ext)
    if out is None:
        out = Path.cwd()
    if out.is_dir():
        template = str(out / default)
    elif "{year}" in out.name:
        template = str(out)
    elif many:
        template = str(out.with_name(f"{out.stem}-{{year}}{out.suffix or '.' + ext}"))
    else:
        template = str(out)
    folder = Path(template.format(year=years[0])).parent
    if not folder.is_dir():
        raise ExportError(f"output folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ExportError(f"output folder {folder} is not writable")
    if fmt == "gif":
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
        return [Path(template.format(year=span))]
    paths = [Path(template.format(year=y)) for y in years]
    for path in paths:
        if path.is_dir():
            raise ExportError(f"--out {path} is a folder")
    return paths


def _human(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def cmd_export(args: argparse.Namespace) -> int:
    """``africa-presence export``: validate every option first, then write all or nothing."""
    # The engine (plotly, Kaleido) loads only when an export runs, not for --help.
    from dashboard.export.files import write_all
    from dashboard.export.gif import gif_bytes, gif_colours
    from dashboard.export.renderer import find_browser
    from dashboard.export.service import ViewOptions, export_batch

    def fail(message: str) -> int:
        print(f"africa-presence export: error: {message}", file=sys.stderr)
        return 2

    try:
        fmt, out = _format_and_out(args)
        size = check_size(args.width, args.height, args.scale)
        if args.data is not None and not Path(args.data).is_dir():
            return fail(f"--data {args.data} is not a folder")
        if args.year is not None and args.years is not None:
            return fail("give --year or --years, not both")
        if fmt == "gif":
            import importlib.util

            if importlib.util.find_spec("PIL") is None:
                return fail("GIF export needs Pillow: pip install pillow")
        ds = load_or_report(args.data)
        if ds is None:
            return 1
        lo, hi = ds.year_range
        base, view_has_year = parse_view(ds, args.view) if args.view else (None, False)
        if args.years is not None:
            years = _parse_years(args.years, lo, hi)
        elif args.year is not None:
            year = int(parse_number(args.year, "year", int))
            if not lo <= year <= hi:
                return fail(f"year {year} is outside the data's range {lo}-{hi}")
            years = [year]
        elif base is not None and view_has_year:
            years = [base.year]
        else:
            years = [ds.default_year]
        states = [state_from_args(ds, args, y, base) for y in years]
        check_tab_format(states[0].tab, fmt)
        if args.scope == "country" and (states[0].tab != "chart" or not states[0].country):
            return fail("--scope country needs --tab chart and --country")
        views = ViewOptions(chart_by_country=args.scope == "country")
        paths = output_paths(out, fmt, years, states[0].tab)
        if fmt in BROWSER_FORMATS and find_browser() is None:  # every option is valid
            return fail(NO_BROWSER_MESSAGE)
        started = time.perf_counter()
        blobs = export_batch(ds, states, fmt, size, views=views)
        if fmt == "gif":
            blobs = [gif_bytes(blobs, keep=gif_colours(ds))]
        write_all(list(zip(paths, blobs, strict=True)))
    except RenderError as exc:
        print(f"africa-presence export: error: {exc}; nothing written", file=sys.stderr)
        return 1
    except ExportError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        print("africa-presence export: interrupted; nothing written", file=sys.stderr)
        return 130
    elapsed = time.perf_counter() - started
    px = "x".join(map(str, size.pixels)) + " px" if fmt in ("png", "gif") else None
    for path, blob in zip(paths, blobs, strict=True):
        detail = ", ".join(p for p in (px, _human(len(blob))) if p)
        print(f"wrote {path} ({detail})")
    if len(paths) > 1 or fmt == "gif":
        print(f"{len(states)} view(s) in {elapsed:.1f} s", file=sys.stderr)
    return 0


def register(subparsers: Any, add_data_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``export`` subcommand to the CLI (called by dashboard.cli.build_parser)."""
    p = subparsers.add_parser(
        "export",
        help="write the map (png, svg, pdf, html, gif) or the filtered records (csv, geojson)",
        description=textwrap.fill(
            "Export the map of one year (or one file per year with --years) as it appears "
            "in the dashboard, with a title naming the year and filters, the legend and a "
            "footer with the data credit, dataset version and export date; or the records "
            "behind it as CSV/GeoJSON. PNG, SVG, PDF and GIF need Chrome or Chromium (found "
            "on PATH or via $BROWSER_PATH); nothing is fetched from the network. A bad "
            "option exits with code 2 and writes nothing; files are replaced atomically.",
            width=88,
        ),
        epilog=(
            "examples:\n"
            "  africa-presence export --year 2019 --powers RUS --format png --out map.png\n"
            "  africa-presence export --years 2014-2025 --out maps/        # map-2014.png ...\n"
            "  africa-presence export --years 2014-2025 --format gif --out russia.gif "
            "--powers RUS\n"
            "  africa-presence export --view '?year=2021&powers=FRA&metric=installations' "
            "--format pdf\n"
            "  africa-presence export --tab chart --powers RUS,FRA,USA --format svg\n"
            "  africa-presence export --tab table --year 2019 --format csv"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_data_option(p)
    # Checked in cmd_export rather than by an argparse group: the error stays one line.
    p.add_argument("--year", metavar="YEAR",
                      help="year to show (default: the latest year in the data)")
    p.add_argument("--years", metavar="FROM-TO",
                      help="one file per year, e.g. 2014-2025 -> map-2014.png ... "
                           "(with --format gif: one animated GIF)")
    p.add_argument("--powers", metavar="CODES",
                   help="comma-separated power codes, e.g. RUS,FRA (default: all)")
    p.add_argument("--metric", metavar="NAME",
                   help=f"colour countries by: {', '.join(METRICS)} (default: powers)")
    p.add_argument("--layers", metavar="LIST",
                   help=f"layers to draw, from {','.join(LAYERS)} (default: all)")
    p.add_argument("--status", metavar="LIST",
                   help=f"installation statuses, from {','.join(STATUS_FILTER)} (default: all)")
    p.add_argument("--closed", action="store_true", help="also show closed sites")
    p.add_argument("--country", metavar="ISO3", help="outline one country, e.g. MLI")
    p.add_argument("--compare", metavar="YEAR",
                   help="show the change from YEAR to --year (map coloured by the change, "
                        "markers opened/closed/in both; chart marks both years; table gains "
                        "a change column)")
    p.add_argument("--lang", metavar="LANG",
                   help="language of titles, legends and footers: en (default) or fr; "
                        "the records' own text stays in English")
    p.add_argument("--tab", metavar="VIEW",
                   help="what to export: map (default), chart (png, svg, pdf, or csv of its "
                        "numbers) or table (csv of the 56 countries)")
    p.add_argument("--scope", choices=("africa", "country"), default="africa",
                   help="chart of the whole continent (default) or of --country alone")
    p.add_argument("--view", metavar="QUERY",
                   help="start from a dashboard link or its ?query; other options override it")
    p.add_argument("--format", metavar="FMT",
                   help=f"{', '.join(FORMATS)} (default: from --out's suffix, else png)")
    p.add_argument("--out", metavar="PATH",
                   help="output file, or an existing folder (default: ./map-YEAR.FMT); with "
                        "--years, NAME.png becomes NAME-2014.png ... ({year} also works)")
    p.add_argument("--width", metavar="PX",
                   help=f"layout width, {MIN_SIDE}-{MAX_SIDE} (default {DEFAULT_WIDTH})")
    p.add_argument("--height", metavar="PX",
                   help=f"layout height, {MIN_SIDE}-{MAX_SIDE} (default {DEFAULT_HEIGHT})")
    p.add_argument("--scale", metavar="S",
                   help=f"pixel density, {MIN_SCALE:g}-{MAX_SCALE:g} (default 1; 2 doubles "
                        f"the PNG's pixels); width and height x scale <= {MAX_PIXELS}")
    p.set_defaults(func=cmd_export)

