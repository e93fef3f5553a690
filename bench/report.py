"""Turn a benchmark result into the terminal table, the target verdicts and README text.

Kept apart from the measuring code so the README section can be regenerated from a saved
JSON file (``python -m bench --from-json FILE``) without measuring again.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import subprocess
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

PAYLOAD_BUDGET = 20_000  # bytes per interaction on the real data (20 KB, decimal)
RATIO_TARGET = 20.0  # baseline bytes / app bytes
SERVER_MS_TARGET = 50.0  # median per interaction at 100x data
PAINT_MS_TARGET = 2000.0
STARTUP_S_TARGET = 3.0
FIRST_VISIT_BYTES_TARGET = 750_000
RETURN_VISIT_BYTES_TARGET = 40_000
SLOW_MAP_MS_TARGET = 5000.0
REPAINT_P95_MS_TARGET = {"real": 100.0, "100x": 250.0}  # year step, key press to repaint

README_START = "<!-- bench:performance:start -->"
README_END = "<!-- bench:performance:end -->"


# --------------------------------------------------------------------------- machine


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError):
        pass
    return None


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _chromium() -> str:
    try:
        out = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True,
                             text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return out.strip().splitlines()[-1] if out.strip() else "unknown"


def machine() -> dict[str, Any]:
    """What the numbers were measured on: they mean little without it."""
    return {
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "ram_gb": _ram_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "dash": _version("dash"),
        "plotly": _version("plotly"),
        "flask": _version("flask"),
        "pandas": _version("pandas"),
        "kaleido": _version("kaleido"),
        "chromium": _chromium(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# --------------------------------------------------------------------------- formatting


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def kb(value: Any) -> str:
    v = _num(value)
    return "n/a" if v is None else (f"{v / 1000:.1f} KB" if v < 1e6 else f"{v / 1e6:.2f} MB")


def ms(value: Any) -> str:
    v = _num(value)
    return "n/a" if v is None else (f"{v:.0f} ms" if v >= 10 else f"{v:.1f} ms")


def secs(value: Any) -> str:
    v = _num(value)
    return "n/a" if v is None else f"{v:.2f} s"


def ratio(baseline: Any, app: Any) -> str:
    """How many times cheaper the app is (baseline / app)."""
    b, a = _num(baseline), _num(app)
    if b is None or a is None or a == 0:
        return ""
    return f"{b / a:.1f}x"


def _get(d: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


#: (label, path inside an app's result, formatter)
ROWS: list[tuple[str, tuple[str, ...], Callable[[Any], str]]] = [
    ("Year step: bytes on the wire", ("year_step", "wire_bytes_median"), kb),
    ("Year step: JSON body, uncompressed", ("year_step", "bytes_median"), kb),
    ("Year step: JSON body, both gzipped", ("year_step", "gzip_bytes_median"), kb),
    ("Filter change: bytes on the wire", ("filter_change", "wire_bytes_median"), kb),
    ("Filter change: JSON body, uncompressed", ("filter_change", "bytes_median"), kb),
    ("Year step: server time median", ("year_step", "ms_median"), ms),
    ("Year step: server time p95", ("year_step", "ms_p95"), ms),
    ("Filter change: server time median", ("filter_change", "ms_median"), ms),
    ("Filter change: server time p95", ("filter_change", "ms_p95"), ms),
    ("Year step: server CPU per request", ("year_step", "cpu_ms_mean"), ms),
    ("Filter change: server CPU per request", ("filter_change", "cpu_ms_mean"), ms),
    ("Repeated state: server time median", ("repeat_ms_median",), ms),
    ("Start-up to first HTTP 200", ("startup_s_median",), secs),
    ("Start-up: CPU time of the server", ("startup_cpu_s_median",), secs),
    ("First map paint (headless Chromium)", ("paint", "dom_ms"), ms),
    ("First paint: page main-thread CPU", ("paint", "main_thread_ms"), ms),
    ("First load transferred", ("paint", "transfer_bytes"), kb),
    ("First visit: bytes on the wire, empty cache", ("first_visit", "first_visit_bytes"), kb),
    ("Return visit: bytes on the wire", ("first_visit", "return_visit_bytes"), kb),
    ("Map drawn on 1.6 Mbit/s, 150 ms RTT", ("first_visit", "slow_map_ms"), ms),
    ("Year step: key press to repainted map p50", ("repaint", "year_step", "p50_ms"), ms),
    ("Year step: key press to repainted map p95", ("repaint", "year_step", "p95_ms"), ms),
    ("Filter change: key press to repainted map p50",
     ("repaint", "filter_change", "p50_ms"), ms),
    ("Filter change: key press to repainted map p95",
     ("repaint", "filter_change", "p95_ms"), ms),
    ("Chart tab, year step: bytes on the wire (both answers)",
     ("views", "chart", "year_step", "wire_bytes_median"), kb),
    ("Chart tab, filter change: bytes on the wire",
     ("views", "chart", "filter_change", "wire_bytes_median"), kb),
    ("Table tab, year step: bytes on the wire (both answers)",
     ("views", "table", "year_step", "wire_bytes_median"), kb),
    ("Table tab, filter change: bytes on the wire",
     ("views", "table", "filter_change", "wire_bytes_median"), kb),
    ("Compare toggle on: bytes on the wire median", ("compare_toggle", "wire_bytes_median"),
     kb),
    ("Compare toggle on: bytes on the wire max", ("compare_toggle", "wire_bytes_max"), kb),
    ("Search keystroke: server time median", ("search", "ms_median"), ms),
    ("Search keystroke: server time p95", ("search", "ms_p95"), ms),
]


def table_rows(result: dict) -> tuple[list[str], list[list[str]]]:
    """Header and rows: per scale, this app | baseline | baseline/app."""
    scales = list(result["scales"])
    header = ["Metric"]
    for s in scales:
        header += [f"{s}: app", f"{s}: baseline", f"{s}: ×"]
    rows = []
    for label, path, fmt in ROWS:
        row = [label]
        for s in scales:
            app = _get(result["scales"][s], "app", *path)
            base = _get(result["scales"][s], "baseline", *path)
            row += [fmt(app), fmt(base), ratio(base, app)]
        rows.append(row)
    exp = result.get("export") or {}
    app_png, naive_png = exp.get("app") or {}, exp.get("baseline") or {}
    row = ["Seconds per exported PNG (real data)"]
    a = app_png.get("seconds_per_png_median") if app_png.get("status") == "ok" else None
    b = naive_png.get("seconds_per_png_median") if naive_png.get("status") == "ok" else None
    row += [secs(a), secs(b), ratio(b, a)]
    row += [""] * (len(header) - len(row))
    rows.append(row)
    engines = exp.get("engines") or {}
    ours, theirs = engines.get("app") or {}, engines.get("kaleido_sync_server") or {}
    if ours or theirs:
        def ok(d: dict, key: str) -> Any:
            return d.get(key) if d.get("status") == "ok" else None

        a, k = ok(ours, "seconds_per_png_median"), ok(theirs, "seconds_per_png_median")
        row = ["Seconds per PNG vs Kaleido's persistent sync server", secs(a), secs(k),
               ratio(k, a)]
        rows.append(row + [""] * (len(header) - len(row)))
        n = engines.get("threads", "?")

        def wrong(d: dict) -> str:
            value = ok(d, "threaded_wrong_or_failed")
            return "n/a" if value is None else f"{value} of {d.get('threaded_n')}"

        row = [f"PNGs wrong or failed, {n} threads at once (app vs Kaleido sync server)",
               wrong(ours), wrong(theirs), ""]
        rows.append(row + [""] * (len(header) - len(row)))
    return header, rows


def text_table(result: dict) -> str:
    header, rows = table_rows(result)
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in [header, *rows]]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def markdown_table(result: dict) -> str:
    header, rows = table_rows(result)
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


# --------------------------------------------------------------------------- targets


def targets(result: dict) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured value and met / missed."""
    scales = result["scales"]
    real = scales.get("real", {})
    out: list[dict[str, Any]] = []

    def add(name: str, value: Any, limit: str, met: bool | None, shown: str) -> None:
        out.append({"target": name, "measured": value, "limit": limit,
                    "met": met, "shown": shown})

    kinds = ("year_step", "filter_change")

    def worst(key: str) -> float | None:
        values = [_num(_get(real, "app", k, key)) for k in kinds]
        values = [v for v in values if v is not None]
        return max(values) if values else None

    def lowest_ratio(key: str) -> float | None:
        ratios = []
        for k in kinds:
            a, b = _num(_get(real, "app", k, key)), _num(_get(real, "baseline", k, key))
            if a and b:
                ratios.append(b / a)
        return min(ratios) if ratios else None

    wire, raw = worst("wire_bytes_max"), worst("bytes_max")
    add("Payload per interaction on the wire, real data (largest seen)", wire,
        f"<= {kb(PAYLOAD_BUDGET)}", None if wire is None else wire <= PAYLOAD_BUDGET,
        kb(wire) + (f" ({kb(raw)} as uncompressed JSON)" if raw is not None else ""))
    low = lowest_ratio("wire_bytes_median")
    low_raw, low_gz = lowest_ratio("bytes_median"), lowest_ratio("gzip_bytes_median")
    extra = []
    if low_raw is not None:
        extra.append(f"{low_raw:.1f}x comparing uncompressed JSON")
    if low_gz is not None:
        extra.append(f"{low_gz:.1f}x with both gzipped")
    add("Payload vs baseline on the wire, real data (smaller of the two interactions)", low,
        f">= {RATIO_TARGET:.0f}x smaller", None if low is None else low >= RATIO_TARGET,
        ("n/a" if low is None else f"{low:.1f}x") + (f" ({'; '.join(extra)})" if extra else ""))
    big = scales.get("100x")
    times = [_get(big, "app", k, "ms_median") for k in ("year_step", "filter_change")]
    times = [t for t in times if _num(t) is not None]
    slow = max(times) if times else None
    cpus = [_get(big, "app", k, "cpu_ms_mean") for k in ("year_step", "filter_change")]
    cpus = [c for c in cpus if _num(c) is not None]
    add("Median server time per interaction, 100x data (slower of the two)", slow,
        f"<= {SERVER_MS_TARGET:.0f} ms", None if slow is None else slow <= SERVER_MS_TARGET,
        ms(slow) + (f" (server CPU {ms(max(cpus))} per request)" if cpus else ""))
    paint = _get(real, "app", "paint", "dom_ms")
    main = _get(real, "app", "paint", "main_thread_ms")
    add("First map paint, real data", paint, f"<= {PAINT_MS_TARGET / 1000:.0f} s",
        None if paint is None else paint <= PAINT_MS_TARGET,
        ms(paint) + (f" (page main-thread CPU {ms(main)})" if _num(main) else ""))
    start = _get(real, "app", "startup_s_median")
    cpu = _get(real, "app", "startup_cpu_s_median")
    add("Start-up to first HTTP response, real data", start, f"<= {STARTUP_S_TARGET:.0f} s",
        None if start is None else start <= STARTUP_S_TARGET,
        secs(start) + (f" (server CPU {secs(cpu)})" if _num(cpu) else ""))
    for key, name, limit, fmt in (
            ("first_visit_bytes", "First visit on the wire, empty cache", FIRST_VISIT_BYTES_TARGET,
             kb),
            ("return_visit_bytes", "Return visit on the wire", RETURN_VISIT_BYTES_TARGET, kb),
            ("slow_map_ms", "Map drawn on 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT",
             SLOW_MAP_MS_TARGET, ms)):
        value = _num(_get(real, "app", "first_visit", key))
        add(f"{name}, real data", value, f"<= {fmt(limit)}",
            None if value is None else value <= limit, fmt(value))
    largest = [_num(_get(real, "app", "views", tab, kind, "wire_bytes_max"))
               for tab in ("chart", "table") for kind in kinds]
    largest = [v for v in largest if v is not None]
    big_view = max(largest) if largest else None
    add("Chart and table tabs, bytes per interaction on the wire, real data (largest seen)",
        big_view, f"<= {kb(PAYLOAD_BUDGET)}",
        None if big_view is None else big_view <= PAYLOAD_BUDGET, kb(big_view))
    for label, limit in REPAINT_P95_MS_TARGET.items():
        value = _num(_get(scales.get(label), "app", "repaint", "year_step", "p95_ms"))
        filt = _num(_get(scales.get(label), "app", "repaint", "filter_change", "p95_ms"))
        add(f"Year step, key press to repainted map p95, {label} data", value,
            f"<= {ms(limit)}", None if value is None else value <= limit,
            ms(value) + (f" (filter change p95 {ms(filt)})" if filt is not None else ""))
    return out


def targets_text(rows: list[dict[str, Any]]) -> str:
    mark = {True: "met", False: "MISSED", None: "not measured"}
    width = max(len(r["target"]) for r in rows)
    return "\n".join(f"{r['target'].ljust(width)}  {mark[r['met']]:>12}  target "
                     f"{r['limit']}, measured {r['shown']}" for r in rows)


# --------------------------------------------------------------------------- README


def dataset_line(result: dict) -> str:
    parts = []
    for label, scale in result["scales"].items():
        d = scale.get("dataset", {})
        parts.append(f"{label}: {d.get('installations')} installations, "
                     f"{d.get('agreements')} agreements")
    return "; ".join(parts)


def performance_markdown(result: dict, notes: list[str] | None = None) -> str:
    """The README "Performance" section: table, targets, machine, command."""
    m = result["meta"]["machine"]
    opts = result["meta"]["options"]
    lines = [
        "## Performance",
        "",
        "Measured by `python -m bench`, which runs this app and a naive baseline (a plain "
        "Dash-tutorial app, `bench/naive.py`, that rebuilds and returns the whole figure, "
        "country geometry included, on every interaction) side by side on the real data and "
        "on synthetic data 10x and 100x larger (fixed seed, generated on the fly). "
        "`×` = baseline / app (how many times cheaper this app is).",
        "",
        markdown_table(result),
        "",
        "What each row measures: responses to `POST /_dash-update-component` with the "
        "request the browser sends (built from `/_dash-dependencies`); bytes on the wire = "
        "the body as sent to a client that accepts gzip like a browser (the app gzips its "
        "JSON, plain Dash does not), JSON body = the same uncompressed, both gzipped = that "
        "JSON gzipped by the benchmark, to compare on equal terms; each request is for a "
        "state not "
        f"requested before (real data: {opts['n_year']} year steps and {opts['n_filter']} "
        f"filter changes; synthetic: {opts.get('n_year_synthetic', opts['n_year'])} and "
        f"{opts.get('n_filter_synthetic', opts['n_filter'])}); server time = round trip to "
        "the running server on localhost, server CPU = CPU time the server process spent "
        "per request (immune to other load on the machine); start-up = spawning "
        "`africa-presence serve` (or the baseline) until `GET /` answers 200 (median of "
        f"{opts['startup_reps']} on real data, 1 on synthetic); first map paint = "
        "navigation start until `#map .choroplethlocation` exists, cold browser cache, warm "
        f"browser (median of {opts['paint_reps']} on real data, 1 on synthetic); first and "
        "return visit = Resource Timing `transferSize` of the page and everything it loads, "
        "empty cache, then again with the cache kept; map drawn on the slow link = the same "
        "cold load under CDP `Network.emulateNetworkConditions` (1.6 Mbit/s down, 750 kbit/s "
        "up, 150 ms RTT), navigation start to the map painted (median of "
        f"{opts.get('visit_reps', 1)} for the app, 1 for the baseline); key press to repainted "
        "map = in headless Chromium, an arrow key on the year slider or the space bar on a "
        "power's checkbox, from the key event to the map's last `plotly_afterplot` "
        f"({opts.get('n_key_year', '?')} year steps and {opts.get('n_key_filter', '?')} filter "
        f"changes on real data, {opts.get('n_key_year_synthetic', '?')} year steps on "
        "synthetic); chart and table tabs = the same year steps and filter changes with that "
        "tab open: the state callback's answer plus the view callback's it triggers, both "
        "as sent to a gzip-accepting client; PNG = "
        f"{opts['png_years']} years with the app's one warm export browser at 1600x1200, vs "
        "the baseline's `plotly.io.to_image`, which starts a browser per image; then the same "
        "print figures through Kaleido's own persistent server (`kaleido.start_sync_server`, "
        "one browser kept alive, the honest baseline for speed), one at a time and then from "
        f"{(result.get('export') or {}).get('engines', {}).get('threads', 4)} threads at once: "
        "an image that differs from the one-at-a-time image of the same figure went to the "
        "wrong caller (Kaleido's sync server shares one result queue among threads).",
        "",
        "Targets:",
        "",
    ]
    mark = {True: "met", False: "**missed**", None: "not measured"}
    for r in result["targets"]:
        lines.append(f"- {r['target']}, target {r['limit']}: {mark[r['met']]} — "
                     f"measured {r['shown']}")
    for note in notes or result.get("notes") or []:
        lines.append(f"  - {note}")
    load = m.get("load_average_start") or [0.0]
    end = result["meta"].get("load_average_end") or load
    busy = max(load[0], end[0]) > (m.get("nproc") or 1)
    shared = (" The machine was shared with other work during the run (load above the core "
              "count): wall-clock rows are inflated, the CPU rows are not."
              if busy else "")
    lines += [
        "",
        f"Machine: {m['nproc']} CPU cores (`nproc`), {m['cpu']}, {m['ram_gb']} GB RAM; "
        f"{m['os']}; Python {m['python']}, dash {m['dash']}, plotly {m['plotly']}, "
        f"Flask {m['flask']}, pandas {m['pandas']}, kaleido {m['kaleido']}, {m['chromium']}. "
        f"Load average (1/5/15 min) {load} at start, {end} at the end.{shared} "
        f"{m['date']}; the run took {result['meta'].get('elapsed_s', '?')} s.",
        "",
        f"Data: {dataset_line(result)}.",
        "",
        f"Command: `{result['meta']['command']}`",
    ]
    return "\n".join(lines) + "\n"


def update_readme(path: Path, section: str) -> bool:
    """Replace the text between the bench markers in ``path``; False if no markers."""
    text = path.read_text("utf-8")
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    path.write_text(f"{head}{README_START}\n{section}{README_END}{tail}", "utf-8")
    return True
