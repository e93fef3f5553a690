"""Load test: many concurrent clients stepping the year on a gunicorn-served dashboard.

Starts ``africa-presence serve --workers N`` on a free loopback port, builds real callback
requests from the app's own ``/_dash-layout`` and ``/_dash-dependencies`` (exactly what the
browser sends when the year slider moves, one body per year, some with a country selected
or another map colour), fires them from ``--clients`` threads with keep-alive connections,
then reports errors, latency percentiles and the memory (RSS, and PSS, which counts pages
shared since the fork once) of the gunicorn processes before and after. It only talks to
127.0.0.1, stops after ``--requests`` or ``--max-seconds`` whichever comes first, and always
stops the server it started.

    python -m bench.load                     # 50 clients, 2,000 requests, 2 workers
    python bench/load.py --clients 100 --requests 5000 --json result.json

Exit status 0 when every request succeeded, 1 otherwise (2 if the server did not start).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.dashclient import Page, PropKey, callback_request, layout_values
from bench.processes import free_port
from dashboard.ids import Ids
from dashboard.view.state import ViewState, to_query

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only, by design
CALLBACK_PATH = "/_dash-update-component"


# --------------------------------------------------------------------------- payloads


#: The callbacks that read the state store, by one output each.
CHAIN_OUTPUTS = (f"{Ids.MAP}.figure", f"{Ids.SUMMARY}.children", f"{Ids.VIEWS}.className")


def year_change_bodies(layout: Any, dependencies: Sequence[dict[str, Any]]) -> list[bytes]:
    """Callback bodies for moving the year slider to every year, in three views each.

    Views: the default map, a selected country (so the details panel is rendered too) and
    another colour metric; together they exercise the figure patch and the text blocks.
    """
    page = Page(layout, list(dependencies), layout_values(layout))
    try:
        page.server_callback(Ids.YEAR_SLIDER, "value")
    except LookupError:
        raise SystemExit("bench.load: no server callback listens to the year slider") from None
    props = {cid: v for (cid, prop), v in page.values.items() if prop == "options"}
    lo = int(page.values.get((Ids.YEAR_SLIDER, "min"), 2000))
    hi = int(page.values.get((Ids.YEAR_SLIDER, "max"), 2025))
    countries = [o["value"] for o in props.get("country-select", [])
                 if isinstance(o, dict)] or [None]
    metrics = [o["value"] for o in props.get("metric", []) if isinstance(o, dict)] or [None]
    rng = random.Random(7)
    bodies = []
    for year in range(lo, hi + 1):
        views: list[dict[PropKey, Any]] = [
            {},
            {(Ids.COUNTRY_SELECT, "value"): rng.choice(countries)},
            {(Ids.METRIC, "value"): rng.choice(metrics)},
        ]
        for extra in views:
            extra = {k: v for k, v in extra.items() if v}
            body = callback_request(page.copy(), (Ids.YEAR_SLIDER, "value"), year, extra)
            bodies.append(json.dumps(body, separators=(",", ":")).encode())
            # ...and the chain the renderer runs from the state it answers: the map patch,
            # the texts and the views, each reading the state store.
            state = to_query(ViewState(year=year, country=extra.get((Ids.COUNTRY_SELECT,
                                                                     "value")),
                                       metric=extra.get((Ids.METRIC, "value"), "powers")))
            for output in CHAIN_OUTPUTS:
                try:
                    body = callback_request(page.copy(), (Ids.STATE, "data"), state,
                                            output=output)
                except LookupError:  # an app without the chain (the baseline)
                    continue
                bodies.append(json.dumps(body, separators=(",", ":")).encode())
    return bodies


# --------------------------------------------------------------------------- server


def serve_command(port: int, workers: int, data: Path | None) -> list[str]:
    """``africa-presence serve`` from this interpreter's environment."""
    script = Path(sys.executable).with_name("africa-presence")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "dashboard"]
    cmd += ["serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    if data is not None:
        cmd += ["--data", str(data)]
    return cmd


def get(port: int, path: str, timeout: float = 10.0) -> tuple[int, bytes]:
    """One GET on loopback."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(port: int, process: subprocess.Popen[bytes], timeout: float) -> bool:
    """Poll the page until it answers 200, the server exits, or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if get(port, "/", timeout=2)[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server we started: SIGTERM to its master, then its process group."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the group this script created
            process.wait(timeout=10)


@dataclass
class Memory:
    """Memory of the gunicorn master and workers, in MiB."""

    pids: list[int] = field(default_factory=list)
    rss_mib: list[float] = field(default_factory=list)
    pss_mib: list[float] = field(default_factory=list)

    @property
    def rss_total(self) -> float:
        return round(sum(self.rss_mib), 1)

    @property
    def pss_total(self) -> float:
        return round(sum(self.pss_mib), 1)


def _proc_kib(pid: int, name: str, path: str) -> float:
    """A ``Name: N kB`` field from /proc (fallback when psutil is missing)."""
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(name + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    try:
        import psutil

        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except ImportError:
        found = []
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            found += [int(t) for t in text]
        return found


def memory(master: int) -> Memory:
    """RSS and PSS of ``master`` and all its children (psutil if installed, else /proc)."""
    result = Memory()
    for pid in [master, *_children(master)]:
        try:
            import psutil

            info = psutil.Process(pid).memory_full_info()
            rss, pss = info.rss / 2**20, getattr(info, "pss", 0) / 2**20
        except ImportError:
            rss = _proc_kib(pid, "VmRSS", "status") / 1024
            pss = _proc_kib(pid, "Pss", "smaps_rollup") / 1024
        except Exception:  # a worker may be recycled between listing and reading
            continue
        result.pids.append(pid)
        result.rss_mib.append(round(rss, 1))
        result.pss_mib.append(round(pss, 1))
    return result


# --------------------------------------------------------------------------- load


@dataclass
class Result:
    """What a run measured; ``ok`` means zero errors and every planned request sent."""

    command: str
    workers: int
    clients: int
    planned: int
    sent: int
    errors: int
    error_samples: list[str]
    seconds: float
    per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    memory_before: dict[str, Any]
    memory_after: dict[str, Any]
    ok: bool


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def check_response(status: int, payload: bytes) -> str | None:
    """Why a callback response is wrong, or None: 200 and a JSON body with ``response``."""
    if status != 200:
        return f"HTTP {status}: {payload[:80]!r}"
    try:
        data = json.loads(payload)
    except ValueError:
        return f"not JSON: {payload[:80]!r}"
    if not isinstance(data, dict) or "response" not in data:
        return f"no 'response' in body: {payload[:80]!r}"
    return None


def run_load(port: int, bodies: Sequence[bytes], clients: int, total: int,
             max_seconds: float) -> tuple[list[float], list[str], int, float]:
    """Send ``total`` callback POSTs from ``clients`` threads; latencies (ms), errors, sent."""
    counter = itertools.count()
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds
    start_gate = threading.Barrier(clients)

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        start_gate.wait()
        try:
            while time.monotonic() < deadline and next(counter) < total:
                body = rng.choice(bodies)
                t0 = time.perf_counter()
                try:
                    conn.request("POST", CALLBACK_PATH, body=body,
                                 headers={"Content-Type": "application/json"})
                    response = conn.getresponse()
                    payload = response.read()
                    problem = check_response(response.status, payload)
                except (OSError, http.client.HTTPException) as exc:
                    problem = f"{type(exc).__name__}: {exc}"
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(elapsed)
                    if problem:
                        errors.append(problem)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + 35)
    return latencies, errors, len(latencies), time.perf_counter() - t0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description="Concurrent callback load on a local gunicorn-served dashboard.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument("--requests", type=int, default=2000, help="callback POSTs (2000)")
    parser.add_argument("--max-seconds", type=float, default=180.0,
                        help="stop sending after this long (default 180)")
    parser.add_argument("--data", type=Path, default=None, help="dataset directory")
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args(argv)
    if not (1 <= args.clients <= 500 and 1 <= args.requests <= 100_000
            and 1 <= args.workers <= 16 and 0 < args.max_seconds <= 900):
        parser.error("bounds: clients 1-500, requests 1-100000, workers 1-16, "
                     "max-seconds 0-900")

    port = free_port()
    cmd = serve_command(port, args.workers, args.data)
    log_file = REPO / "build" / "bench-load-server.log"
    log_file.parent.mkdir(exist_ok=True)
    print(f"starting: {' '.join(cmd)}", file=sys.stderr)
    with log_file.open("wb") as log:
        process = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            if not wait_ready(port, process, timeout=90):
                print(f"bench.load: the server did not start; see {log_file}", file=sys.stderr)
                return 2
            status_l, layout = get(port, "/_dash-layout")
            status_d, deps = get(port, "/_dash-dependencies")
            if status_l != 200 or status_d != 200:
                print("bench.load: could not read the layout/dependencies", file=sys.stderr)
                return 2
            bodies = year_change_bodies(json.loads(layout), json.loads(deps))
            # One pass over every body first: each worker builds its per-year views once
            # (the memo in dashboard/figures.py), which a real server also does early on.
            warm_latencies, warm_errors, _, _ = run_load(
                port, bodies, clients=min(len(bodies), 8), total=len(bodies) * args.workers,
                max_seconds=60)
            before = memory(process.pid)
            latencies, errors, sent, seconds = run_load(
                port, bodies, args.clients, args.requests, args.max_seconds)
            after = memory(process.pid)
        finally:
            stop(process)
    errors = warm_errors + errors
    result = Result(
        command=" ".join(cmd),
        workers=args.workers,
        clients=args.clients,
        planned=args.requests,
        sent=sent,
        errors=len(errors),
        error_samples=sorted(set(errors))[:5],
        seconds=round(seconds, 2),
        per_second=round(sent / seconds, 1) if seconds else 0.0,
        p50_ms=round(statistics.median(latencies), 1) if latencies else float("nan"),
        p95_ms=round(_percentile(latencies, 95), 1),
        p99_ms=round(_percentile(latencies, 99), 1),
        max_ms=round(max(latencies), 1) if latencies else float("nan"),
        memory_before={"pids": before.pids, "rss_mib": before.rss_mib,
                       "rss_total_mib": before.rss_total, "pss_total_mib": before.pss_total},
        memory_after={"pids": after.pids, "rss_mib": after.rss_mib,
                      "rss_total_mib": after.rss_total, "pss_total_mib": after.pss_total},
        ok=not errors and sent >= args.requests,
    )
    width = shutil.get_terminal_size((100, 20)).columns
    print("-" * min(width, 72))
    print(f"{result.sent}/{result.planned} callback POSTs from {result.clients} clients "
          f"to {result.workers} gunicorn workers in {result.seconds} s "
          f"({result.per_second}/s); warm-up {len(warm_latencies)} requests")
    print(f"errors: {result.errors}" + (f"  e.g. {result.error_samples}" if errors else ""))
    print(f"latency ms: p50 {result.p50_ms}  p95 {result.p95_ms}  p99 {result.p99_ms}  "
          f"max {result.max_ms}")
    print(f"memory before: RSS {before.rss_mib} MiB (sum {before.rss_total}), "
          f"PSS sum {before.pss_total} MiB")
    print(f"memory after:  RSS {after.rss_mib} MiB (sum {after.rss_total}), "
          f"PSS sum {after.pss_total} MiB")
    print("OK" if result.ok else "FAILED")
    if args.json:
        args.json.write_text(json.dumps(asdict(result), indent=2) + "\n", encoding="utf-8")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
