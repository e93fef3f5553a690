"""Export limits: bounded concurrency that refuses at once, a timeout, machine-wide slots,
and the map answering other users while exports are slow, failing or refused."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from dashboard.web.gate import (
    LOCK_DIR_ENV,
    ExportBusy,
    ExportGate,
    ExportRefused,
    ExportTimeout,
)
from tests.paths import REPO


def _hold(gate: ExportGate, release: threading.Event) -> threading.Thread:
    """Occupy one slot of ``gate`` until ``release`` is set."""
    started = threading.Event()

    def work() -> None:
        started.set()
        release.wait(10)

    thread = threading.Thread(target=lambda: gate.run(work), daemon=True)
    thread.start()
    assert started.wait(5)
    return thread


def test_run_returns_the_result_and_reraises_errors() -> None:
    gate = ExportGate(max_concurrent=1, timeout_s=5)
    assert gate.run(sum, [1, 2, 3]) == 6
    with pytest.raises(ZeroDivisionError):
        gate.run(lambda: 1 / 0)
    assert gate.run(lambda: "again") == "again"  # a failure frees its slot
    stats = gate.stats()
    assert (stats.completed, stats.failed, stats.running) == (2, 1, 0)


def test_busy_gate_refuses_at_once_with_a_message() -> None:
    gate = ExportGate(max_concurrent=2, timeout_s=30)
    release = threading.Event()
    holders = [_hold(gate, release), _hold(gate, release)]
    t0 = time.monotonic()
    with pytest.raises(ExportBusy) as refused:
        gate.run(lambda: "never runs")
    assert time.monotonic() - t0 < 0.1, "refusing must not wait for a slot"
    assert "already making 2 exports" in str(refused.value)
    assert refused.value.http_status == 503
    assert int(refused.value.headers["Retry-After"]) > 0
    with pytest.raises(ExportBusy), gate.slot():
        pass
    release.set()
    for holder in holders:
        holder.join(5)
    assert gate.run(lambda: "free again") == "free again"
    assert gate.stats().refused == 2


def test_timeout_answers_the_caller_and_keeps_the_slot_until_the_export_ends() -> None:
    gate = ExportGate(max_concurrent=1, timeout_s=0.3)
    release = threading.Event()
    t0 = time.monotonic()
    with pytest.raises(ExportTimeout) as late:
        gate.run(release.wait, 10)
    assert 0.25 < time.monotonic() - t0 < 2
    assert late.value.http_status == 504 and "0.3 s" in str(late.value)
    with pytest.raises(ExportBusy):  # the hung export still holds its slot
        gate.run(lambda: None)
    release.set()
    deadline = time.monotonic() + 5
    while gate.stats().running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert gate.run(lambda: "ok") == "ok"
    assert gate.stats().timed_out == 1


def test_slot_context_manager_counts_and_releases() -> None:
    gate = ExportGate(max_concurrent=1)
    with gate.slot():
        assert gate.stats().running == 1
        with pytest.raises(ExportBusy):
            gate.run(lambda: None)
    with pytest.raises(KeyError), gate.slot():
        raise KeyError("export failed")
    assert gate.stats().failed == 1 and gate.stats().running == 0


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"max_concurrent": 0}, "max_concurrent"), ({"timeout_s": 0}, "timeout_s")])
def test_bad_settings_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ExportGate(**kwargs)


def test_refusals_are_one_exception_family() -> None:
    assert issubclass(ExportBusy, ExportRefused) and issubclass(ExportTimeout, ExportRefused)


HOLDER = textwrap.dedent("""
    import sys
    from dashboard.web.gate import ExportGate
    with ExportGate(max_concurrent=1, lock_dir=sys.argv[1]).slot():
        print("holding", flush=True)
        sys.stdin.read()
""")


def test_slots_in_a_lock_dir_are_shared_across_processes(tmp_path, monkeypatch) -> None:
    """Two gunicorn workers see one limit; a killed process gives its slot back."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], cwd=REPO,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        gate = ExportGate(max_concurrent=1, lock_dir=tmp_path)
        with pytest.raises(ExportBusy):
            gate.run(lambda: None)
        monkeypatch.setenv(LOCK_DIR_ENV, str(tmp_path))  # the env var works the same way
        with pytest.raises(ExportBusy):
            ExportGate(max_concurrent=1).run(lambda: None)
    finally:
        holder.kill()  # no clean release: the kernel drops the lock with the process
        holder.wait(10)
    assert ExportGate(max_concurrent=1, lock_dir=tmp_path).run(lambda: "mine") == "mine"


# --------------------------------------------------------------------------- under gunicorn

SERVER = textwrap.dedent("""
    import sys, time
    from dashboard.app import create_app
    from dashboard.web.gate import ExportGate, ExportRefused
    from dashboard.web.gunicorn import run_gunicorn
    from geo.dataset import load_dataset

    app = create_app(load_dataset())
    GATE = ExportGate(max_concurrent=2, timeout_s=1.5)
    HANG = 6.0  # a render stuck far beyond the timeout

    def slow(seconds):
        time.sleep(seconds)
        return "exported"

    def broken():
        raise RuntimeError("renderer crashed")

    @app.server.route("/_test/export/<kind>")
    def export(kind):
        job = {"quick": (slow, 0), "hang": (slow, HANG), "fail": (broken,)}[kind]
        try:
            return GATE.run(*job)
        except ExportRefused as exc:
            return str(exc), exc.http_status, exc.headers

    sys.exit(run_gunicorn(app.server, host="127.0.0.1", port=int(sys.argv[1]), workers=2))
""")


def _get(url: str, timeout: float = 30) -> tuple[int, float, str]:
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, time.monotonic() - t0, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, time.monotonic() - t0, exc.read().decode()


@pytest.mark.slow
def test_exports_under_gunicorn_never_block_the_map(tmp_path) -> None:
    """4 hanging exports + 1 failing one at once, while 24 map callbacks run.

    Two exports get the two machine-wide slots (they time out at 1.5 s, and keep their
    slots while still running), the others are refused at once with 503 and Retry-After,
    and every callback answers 200 without waiting. Later a crashing export is a plain 500.
    """
    from bench.load import year_change_bodies
    from bench.processes import free_port

    port = free_port()
    script = tmp_path / "serve_with_exports.py"
    script.write_text(SERVER, encoding="utf-8")
    server = subprocess.Popen([sys.executable, str(script), str(port)], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, server.communicate()[0]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
        layout = json.loads(_get(base + "/_dash-layout")[2])
        deps = json.loads(_get(base + "/_dash-dependencies")[2])
        bodies = year_change_bodies(layout, deps)

        def callback(i: int) -> tuple[int, float]:
            request = urllib.request.Request(
                base + "/_dash-update-component", data=bodies[i % len(bodies)],
                headers={"Content-Type": "application/json"}, method="POST")
            t0 = time.monotonic()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                return response.status, time.monotonic() - t0

        for i in range(4):  # warm both workers' per-year views
            callback(i)
        with ThreadPoolExecutor(max_workers=12) as pool:
            exports = [pool.submit(_get, f"{base}/_test/export/hang") for _ in range(4)]
            time.sleep(0.3)  # the two slots are taken now
            failing = pool.submit(_get, f"{base}/_test/export/fail")
            maps = [pool.submit(callback, i) for i in range(24)]
            map_results = [m.result() for m in maps]
            export_results = [e.result() for e in exports]
            fail_result = failing.result()
        # Once the hung renders end, their slots are free again; a crashing export is then
        # a plain 500, and the map is still fine.
        deadline = time.monotonic() + 15
        while _get(f"{base}/_test/export/quick")[0] != 200:
            assert time.monotonic() < deadline, "slots never came back"
            time.sleep(0.2)
        crash = _get(f"{base}/_test/export/fail")
        after = callback(0)
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0]

    statuses = sorted(status for status, _, _ in export_results)
    assert statuses == [503, 503, 504, 504], (export_results, output)
    for status, seconds, text in export_results:
        if status == 503:
            assert seconds < 1.0 and "try again" in text
        else:
            assert 1.4 < seconds < 3.5 and "longer than 1.5 s" in text
    # Both slots are still held by the hung renders, so the failing export is refused too
    # (or, if a slot came free, it fails as a plain 500): never a traceback.
    assert fail_result[0] in (500, 503) and "Traceback" not in fail_result[2]
    assert crash[0] == 500 and crash[2] == "500 Internal Server Error\n"
    assert "renderer crashed" not in crash[2] and after[0] == 200
    assert all(status == 200 for status, _ in map_results)
    # No callback waited for the hung renders (6 s): each was answered in CPU time.
    latencies = sorted(seconds for _, seconds in map_results)
    assert latencies[-1] < 4.0 and latencies[len(latencies) // 2] < 1.5, latencies
