"""``python -m bench``: measure this app and the naive baseline, print, write JSON.

Per dataset (real, then synthetic 10x and 100x): start each server as a user would and time
it; drive its callbacks over HTTP (bytes and round-trip time per interaction); load it in
headless Chromium (first map paint). Then, on the real data only, time PNG exports.
One browser serves every page load; every server started is stopped by its own handle.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench import (
    compare_search,
    first_visit,
    interactions,
    processes,
    repaint,
    report,
    synthetic,
    views,
)
from bench.dashclient import LiveClient
from geo.dataset import default_data_dir, load_dataset

RESULTS = Path(__file__).resolve().parent / "results"
README = Path(__file__).resolve().parent / "README.md"
#: The one copy of the generated table (docs/performance.md quotes its headline figures).
READMES = (README,)
SCALES = ("real", "10x", "100x")

APPS: dict[str, tuple[Any, interactions.Controls]] = {
    "app": (processes.app_command, interactions.APP_CONTROLS),
    "baseline": (processes.naive_command, interactions.NAIVE_CONTROLS),
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true",
                   help="fewer repetitions (about half the time; noisier percentiles)")
    p.add_argument("--scales", default=",".join(SCALES),
                   help="comma-separated subset of real,10x,100x (default: all)")
    p.add_argument("--seed", type=int, default=synthetic.DEFAULT_SEED,
                   help="seed of the synthetic datasets")
    p.add_argument("--out", type=Path, default=None,
                   help="JSON output file (default bench/results/bench-<time>.json)")
    p.add_argument("--no-browser", action="store_true", help="skip the first-paint test")
    p.add_argument("--no-export", action="store_true", help="skip the PNG export test")
    p.add_argument("--update-readme", action="store_true",
                   help="rewrite the Performance section of bench/README.md")
    p.add_argument("--from-json", type=Path, default=None,
                   help="print table and README text from a saved result, measure nothing")
    args = p.parse_args(argv)
    args.scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = [s for s in args.scales if s not in SCALES]
    if unknown:
        p.error(f"unknown scale(s) {', '.join(unknown)}; choose from {', '.join(SCALES)}")
    quick = args.quick
    # Real data gets the most repetitions (the targets are judged there); the synthetic
    # scales show growth, and their 100x start-up alone takes tens of seconds.
    args.n_year = 12 if quick else 30
    args.n_filter = 8 if quick else 20
    args.n_year_synthetic = 8 if quick else 20
    args.n_filter_synthetic = 6 if quick else 10
    args.n_repeat = 5 if quick else 10
    args.startup_reps = 1 if quick else 3  # synthetic scales start once
    args.paint_reps = 1 if quick else 3  # synthetic scales load once
    args.n_key_year = 10 if quick else 30
    args.n_key_year_synthetic = 6 if quick else 16
    args.n_key_filter = 6 if quick else 12
    args.visit_reps = 1 if quick else 3
    args.png_years = 4 if quick else 12
    args.naive_png_years = 1
    args.export_threads = 4  # a cold browser per image: one shows the cost
    return args


def measuring_args(argv: Sequence[str]) -> list[str]:
    """The command-line arguments that change what is measured (not where it is written)."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        name = arg.split("=", 1)[0]
        if name in ("--out", "--from-json"):
            skip = "=" not in arg
            continue
        if name != "--update-readme":
            out.append(arg)
    return out


def dataset_summary(ds: Any) -> dict[str, Any]:
    return {"installations": len(ds.installations), "agreements": len(ds.agreements),
            "powers": len(ds.powers), "countries": len(ds.countries),
            "years": list(ds.year_range), "version": ds.version}


def browser_rows(label: str, name: str, url: str, controls: interactions.Controls,
                 args: argparse.Namespace, browser: Any) -> dict[str, Any]:
    """Key press to repaint on every scale; first and return visit and the slow link on real."""
    out: dict[str, Any] = {}
    real = label == "real"
    log(f"[{label}] {name}: key press to repainted map")
    try:
        out["repaint"] = repaint.measure(
            browser, url, controls.year[0], controls.powers[0], graph=controls.graph,
            n_year=args.n_key_year if real else args.n_key_year_synthetic,
            n_filter=args.n_key_filter)
    except Exception as exc:
        out["repaint"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    if real:
        reps = args.visit_reps if name == "app" else 1  # the baseline's slow load is ~40 s
        log(f"[{label}] {name}: first visit, return visit, slow link x{reps}")
        try:
            out["first_visit"] = first_visit.measure_in(browser, url, reps)
        except Exception as exc:
            out["first_visit"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    return out


def measure_scale(label: str, data_dir: Path, ds: Any, args: argparse.Namespace,
                  browser: Any) -> dict[str, Any]:
    """Start-up, interactions and first paint of both apps on one dataset.

    Start-ups alternate app, baseline, app, ... so that a burst of other load on a shared
    machine hits both alike; the last server of each stays up for the other measurements.
    """
    real = label == "real"
    reps = args.startup_reps if real else 1
    out: dict[str, dict[str, Any]] = {}
    servers: dict[str, processes.Server] = {}
    try:
        log(f"[{label}] start-up x{reps}, alternating app and baseline")
        for name, (command, _) in APPS.items():
            out[name] = {"startup_s": [], "startup_cpu_s": [],
                         "command": shlex.join(command(0, data_dir)).replace(" 0 ", " P ")}
        for i in range(reps):
            for name, (command, _) in APPS.items():
                port = processes.free_port()
                seconds, server = processes.start(command(port, data_dir), port)
                out[name]["startup_s"].append(round(seconds, 3))
                out[name]["startup_cpu_s"].append(round(server.startup_cpu_s, 3))
                if i < reps - 1:
                    server.stop()
                else:
                    servers[name] = server
        for name, (_, controls) in APPS.items():
            res = out[name]
            res["startup_s_median"] = round(statistics.median(res["startup_s"]), 3)
            res["startup_cpu_s_median"] = round(statistics.median(res["startup_cpu_s"]), 3)
            server = servers[name]
            log(f"[{label}] {name}: year steps and filter changes")
            result = interactions.measure(
                LiveClient(server.url), controls, ds.power_codes, ds.year_range,
                n_year=args.n_year if real else args.n_year_synthetic,
                n_filter=args.n_filter if real else args.n_filter_synthetic,
                n_repeat=args.n_repeat, cpu=server.cpu)
            res.update(asdict(result))
            if name == "app":  # only this app has the chart and table tabs
                log(f"[{label}] app: year steps and filter changes on the chart and table tabs")
                try:
                    res["views"] = views.measure(
                        LiveClient(server.url), list(ds.power_codes), ds.year_range,
                        n_year=args.n_year_synthetic, n_filter=args.n_filter_synthetic)
                except Exception as exc:
                    res["views"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
                log(f"[{label}] app: compare toggles and search keystrokes")
                try:
                    res.update(compare_search.measure(LiveClient(server.url), ds.year_range))
                except Exception as exc:
                    res["compare_toggle"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            if browser is not None:
                paint_reps = args.paint_reps if real else 1
                log(f"[{label}] {name}: first paint x{paint_reps}")
                try:
                    res["paint"] = asdict(browser.first_paint(server.url, paint_reps))
                except Exception as exc:  # a browser hiccup must not lose the other numbers
                    res["paint"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
                res.update(browser_rows(label, name, server.url, controls, args, browser))
            servers.pop(name).stop()
    finally:
        for server in servers.values():
            server.stop()
    return out


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    argv = " ".join(measuring_args(sys.argv[1:]))
    result: dict[str, Any] = {
        "meta": {
            "command": f"python -m bench {argv}".strip(),
            "options": {k: (str(v) if isinstance(v, Path) else v)
                        for k, v in vars(args).items()},
            "machine": report.machine(),
        },
        "scales": {},
    }
    browser = None
    if not args.no_browser:
        from bench.browser import Browser

        try:
            browser = Browser()
        except Exception as exc:
            log(f"no browser, first paint skipped: {exc}")
            result["meta"]["browser_error"] = str(exc)[:300]
    try:
        with tempfile.TemporaryDirectory(prefix="bench-data-") as tmp:
            for label in args.scales:
                if label == "real":
                    data_dir = default_data_dir()
                else:
                    factor = int(label.rstrip("x"))
                    log(f"[{label}] generating synthetic data (seed {args.seed})")
                    data_dir = synthetic.generate(Path(tmp) / label, factor, seed=args.seed)
                ds = load_dataset(data_dir)
                scale: dict[str, Any] = {"dataset": dataset_summary(ds)}
                scale.update(measure_scale(label, data_dir, ds, args, browser))
                result["scales"][label] = scale
    finally:
        if browser is not None:
            browser.close()
    if not args.no_export:
        from bench import exports

        ds = load_dataset(default_data_dir())
        hi = min(ds.latest_year, ds.year_range[1])
        years = list(range(hi - args.png_years + 1, hi + 1))
        log(f"[export] app: {len(years)} PNGs with one warm browser")
        app_png = exports.app_png(ds, years)
        log(f"[export] baseline: {args.naive_png_years} PNG(s), a browser each")
        naive_png = exports.naive_png(ds, years[-args.naive_png_years:])
        result["export"] = {"years": years, "app": app_png, "baseline": naive_png}
        log(f"[export] app renderer vs Kaleido's sync server: {len(years)} PNGs each, "
            f"then {args.export_threads} threads at once")
        try:
            result["export"]["engines"] = exports.compare_engines(
                ds, years, threads=args.export_threads)
        except Exception as exc:
            result["export"]["engines"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    result["targets"] = report.targets(result)
    result["meta"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    result["meta"]["elapsed_s"] = round(time.perf_counter() - started, 1)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text("utf-8"))
        result["targets"] = report.targets(result)  # the verdict logic may be newer
    else:
        result = run(args)
        out = args.out or RESULTS / f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=1), "utf-8")
        log(f"wrote {out} ({result['meta']['elapsed_s']} s)")
    print(report.text_table(result))
    print()
    print(report.targets_text(result["targets"]))
    section = report.performance_markdown(result)
    if args.update_readme:
        for readme in READMES:
            if report.update_readme(readme, section):
                log(f"updated the Performance section of {readme}")
            else:
                log(f"{readme} has no {report.README_START} marker; not updated")
    else:
        print()
        print(section)
    return 0
