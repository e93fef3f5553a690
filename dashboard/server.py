"""Production serving with gunicorn: the app (and its data) is built once, then workers fork."""

from __future__ import annotations

import sys

from flask import Flask


def run_gunicorn(server: Flask, *, host: str, port: int, workers: int) -> int:
    """Serve ``server`` with ``workers`` gunicorn processes sharing the preloaded dataset."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        print("africa-presence: --workers needs gunicorn (pip install gunicorn)", file=sys.stderr)
        return 2

    class _App(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("preload_app", True)
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", None)

        def load(self) -> Flask:
            return server

    _App().run()
    return 0
