"""Start-up time: from spawning the server process to its first HTTP 200.

This is what a user waits for after typing ``africa-presence serve``: interpreter start,
imports, loading and validating the data, building the layout (the base figure), then
Flask answering ``GET /``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_command(port: int, data_dir: Path) -> list[str]:
    """``africa-presence serve`` from this interpreter's environment (the console script)."""
    script = Path(sys.executable).with_name("africa-presence")
    if not script.exists():
        found = shutil.which("africa-presence")
        script = Path(found) if found else None
    base = [str(script)] if script else [sys.executable, "-m", "dashboard"]
    return [*base, "serve", "--port", str(port), "--data", str(data_dir)]


def naive_command(port: int, data_dir: Path) -> list[str]:
    """The baseline server (bench/naive.py)."""
    return [sys.executable, "-m", "bench.naive", "--port", str(port), "--data", str(data_dir)]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc; 0.0 elsewhere).

    Wall-clock times on a shared 2-core machine include waiting for other work; the CPU
    time a server spends is what an idle machine would show as latency.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


@dataclass
class Server:
    """A server process we started, with its URL; ``stop`` ends exactly this process."""

    proc: subprocess.Popen
    url: str
    log: Path
    startup_cpu_s: float = 0.0

    def cpu(self) -> float:
        """CPU seconds the server process has used so far."""
        return cpu_seconds(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        with contextlib.suppress(OSError):
            self.log.unlink()


def start(command: list[str], port: int, *, timeout: float = 180.0) -> tuple[float, Server]:
    """Spawn ``command`` and poll ``GET /`` until it answers 200; return (seconds, server)."""
    log = Path(tempfile.mkstemp(prefix="bench-server-", suffix=".log")[1])
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    url = f"http://127.0.0.1:{port}/"
    with log.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
                                env=env)
    server = Server(proc, url, log)
    deadline = t0 + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            tail = log.read_text("utf-8", "replace")[-800:]
            server.stop()
            raise RuntimeError(f"{' '.join(command)} exited with {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    elapsed = time.perf_counter() - t0
                    server.startup_cpu_s = server.cpu()
                    return elapsed, server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.02)
    server.stop()
    raise TimeoutError(f"{' '.join(command)} did not answer within {timeout:.0f} s")
