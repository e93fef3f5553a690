"""Production serving with gunicorn: the app (and its data) is built once, then workers fork.

``africa-presence serve --workers N`` loads and validates the dataset and builds the Dash app
in the master process; gunicorn's ``preload_app`` then forks N workers that share those
pages copy-on-write. Workers are threaded (``gthread``), so one slow request (an export)
holds one thread, not a whole worker, and map callbacks keep flowing on the others.
Workers keep no per-user state: everything a view needs is in the request (the URL state
and the callback inputs), so any worker, or any machine, can answer any request.
"""

from __future__ import annotations

import errno
import gc
import os
import shutil
import socket
import sys
import tempfile
from typing import Any

from flask import Flask

#: Threads per worker: enough that a couple of slow exports leave room for map callbacks.
DEFAULT_THREADS = 4
#: Upper bounds that catch typos such as ``--workers 400``.
MAX_WORKERS = 64
MAX_THREADS = 64


def bind_address(host: str, port: int) -> str:
    """gunicorn's ``bind`` string; IPv6 literals need brackets."""
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def check_bind(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be listened on, in words; None if it can.

    Checked before gunicorn (or Werkzeug) starts, because both report a busy port as a
    log line or a retry loop rather than one clear sentence and exit status.
    """
    if not 0 < port < 65536:
        return f"--port must be 1-65535 (got {port})"
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        return f"--host {host!r} is not a known address ({getattr(exc, 'strerror', exc)})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # Same option as gunicorn and Werkzeug: a port left in TIME_WAIT is still free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"port {port} on {host} is already in use (is another dashboard "
                        "running?); stop it or choose another --port")
            if exc.errno == errno.EADDRNOTAVAIL:
                return f"--host {host} is not an address of this machine"
            if exc.errno == errno.EACCES:
                return (f"no permission to listen on port {port} (ports below 1024 need "
                        "privileges); use a higher --port behind a reverse proxy")
            return f"cannot listen on {host}:{port}: {exc.strerror or exc}"
    return None


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int = DEFAULT_THREADS,
    access_log: bool = False,
) -> dict[str, Any]:
    """The gunicorn settings for the dashboard, in one place so tests can read them."""
    return {
        "bind": bind_address(host, port),
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # Build the app and load the data once, in the master, before forking.
        "preload_app": True,
        # A gthread worker heartbeats from its main loop, so this bounds a stuck worker,
        # not a long request; exports have their own timeout (dashboard.web.gate).
        "timeout": 60,
        "graceful_timeout": 15,
        "keepalive": 5,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "africa-presence",
        # Only a proxy on this machine may set X-Forwarded-*; $FORWARDED_ALLOW_IPS widens it.
        "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        # No runtime control socket (gunicorn >= 25 opens one in $HOME by default): nothing
        # here needs it, and two instances would fight over the same path.
        "control_socket_disable": True,
        # Request size limits (gunicorn's defaults, stated): long URLs get a 414.
        "limit_request_line": 4094,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
    }


def _when_ready(arbiter: Any) -> None:
    """Log the address once, and freeze the preloaded heap so forks share it longer."""
    # Objects that exist now (the dataset, the figures' static parts) are moved out of the
    # collector's reach: a GC pass in a worker would otherwise touch, and so copy, them.
    gc.collect()
    gc.freeze()
    cfg = arbiter.cfg
    arbiter.log.info(
        "africa-presence: dataset preloaded in pid %s; serving http://%s/ with %s workers "
        "x %s threads", os.getpid(), cfg.bind[0], cfg.workers, cfg.threads)


def run_gunicorn(
    server: Flask, *, host: str, port: int, workers: int, threads: int = DEFAULT_THREADS,
    access_log: bool = False,
) -> int:
    """Serve ``server`` with gunicorn workers forked from this process; the exit status.

    Returns 2 with a one-line message on stderr when the address cannot be used, so the
    CLI never shows gunicorn's retry loop or a traceback for a busy port.
    """
    if not 1 <= workers <= MAX_WORKERS:
        print(f"africa-presence: --workers must be 1-{MAX_WORKERS} (got {workers})",
              file=sys.stderr)
        return 2
    if not 1 <= threads <= MAX_THREADS:
        print(f"africa-presence: threads must be 1-{MAX_THREADS} (got {threads})",
              file=sys.stderr)
        return 2
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        print("africa-presence: --workers needs gunicorn (pip install gunicorn)", file=sys.stderr)
        return 2
    problem = check_bind(host, port)
    if problem:
        print(f"africa-presence: {problem}", file=sys.stderr)
        return 2
    options = gunicorn_options(host=host, port=port, workers=workers, threads=threads,
                               access_log=access_log)

    class _App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            self.cfg.set("when_ready", _when_ready)

        def load(self) -> Flask:
            return server

    from dashboard.web.gate import LOCK_DIR_ENV

    # Export slots become file locks shared by all workers (see dashboard.web.gate), so the
    # export limit holds for the whole server, not per worker.
    master = os.getpid()
    locks = None
    if not os.environ.get(LOCK_DIR_ENV):
        locks = tempfile.mkdtemp(prefix="africa-presence-locks-")
        os.environ[LOCK_DIR_ENV] = locks
    try:
        _App().run()
    except SystemExit as exc:  # gunicorn exits through sys.exit, also on a clean stop
        if os.getpid() != master:
            raise  # a forked worker leaving: let it exit, touch nothing of the master's
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    finally:
        if locks and os.getpid() == master:
            shutil.rmtree(locks, ignore_errors=True)
    return 0
