"""The headless browser that draws images: one Kaleido kept alive for the whole process.

Starting Chromium costs seconds while a render costs a fraction of one, so the first image
export starts it and later ones reuse it. Everything works offline: plotly.js comes from the
plotly package, the base-map topojson from ``assets/topojson/`` and MathJax is switched off.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from dashboard.view.export_options import (
    BROWSER_FORMATS,
    NO_BROWSER_MESSAGE,
    RENDER_TIMEOUT,
    ExportError,
    NoBrowserError,
    RenderError,
    Size,
)

#: plotly's base maps, shipped with the app (plotly fetches them from its CDN otherwise,
#: and offline the map stays blank).
TOPOJSON_DIR = Path(__file__).resolve().parent.parent / "assets" / "topojson"


def find_browser() -> str | None:
    """Path of the Chrome/Chromium Kaleido will drive: $BROWSER_PATH, else a usual install."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    try:
        from choreographer.browsers.chromium import Chromium
    except ImportError:  # choreographer comes with kaleido
        return None
    try:
        return Chromium.find_browser(skip_local=False)
    except Exception:  # a broken local download must not hide a system browser
        return Chromium.find_browser(skip_local=True)


def topojson_url() -> str:
    """The shipped base-map folder as a file:// URL with a trailing slash (Kaleido wants it)."""
    return TOPOJSON_DIR.as_uri() + "/"


class Renderer:
    """One headless browser (a Kaleido) on its own event-loop thread, shared by all exports.

    Why not ``kaleido.start_sync_server``: its queue mixes up results when two threads (two
    dashboard users) render at once and it hangs forever if the browser dies. Here each call
    waits on its own future with a timeout, and a dead browser is restarted once.
    """

    def __init__(self, browser: str | None = None, *, tabs: int = 1,
                 timeout: float = RENDER_TIMEOUT) -> None:
        self.browser = browser
        self.tabs = tabs
        self.timeout = timeout
        self.pid = os.getpid()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self.starts = 0  # browsers started (a test checks it stays 1 over a batch)

    @property
    def running(self) -> bool:
        """A browser is up and its event loop still turns."""
        return (self._kaleido is not None and self._thread is not None
                and self._thread.is_alive() and self._loop is not None
                and self._loop.is_running())

    def _abandon(self) -> None:
        """Forget a browser whose loop thread died (killed from outside): end its process."""
        process = getattr(self._kaleido, "subprocess", None)
        if process is not None:
            with contextlib.suppress(Exception):
                process.kill()
                process.wait(5)
        self._kaleido = None
        if self._loop is not None and not self._loop.is_running():
            with contextlib.suppress(Exception):
                self._loop.close()
        self._loop = self._thread = None

    def _run(self, coro: Any, timeout: float) -> Any:
        assert self._loop is not None
        future: Future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except FutureTimeout:
            future.cancel()
            raise

    def start(self) -> None:
        """Start the browser now (else the first render does): a dashboard may warm up."""
        with self._lock:
            if self.running:
                return
            if self._kaleido is not None:  # its thread was killed: start afresh
                self._abandon()
            path = self.browser or find_browser()
            if not path:
                raise NoBrowserError(NO_BROWSER_MESSAGE)
            import kaleido

            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
            thread.start()
            self._loop, self._thread = loop, thread

            async def open_browser() -> Any:
                k = kaleido.Kaleido(n=self.tabs, timeout=self.timeout, mathjax=False,
                                    path=path)
                await k.open()
                return k

            try:
                self._kaleido = self._run(open_browser(), self.timeout)
            except Exception as exc:
                self._stop_loop()
                raise RenderError(f"could not start the browser at {path}: "
                                  f"{_one_line(exc)}") from exc
            self.starts += 1

    def _stop_loop(self) -> None:
        """Cancel what still runs on the loop (a dead browser's watchdog...), then stop it."""
        loop = self._loop
        if loop is not None:
            async def cancel_all() -> None:
                tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(cancel_all(), loop).result(5)
            loop.call_soon_threadsafe(loop.stop)
            if self._thread is not None:
                self._thread.join(5)
            if not loop.is_running():
                loop.close()
        self._loop = self._thread = None

    def close(self, only: Any = None) -> None:
        """Close the browser and its thread (idempotent; registered at exit).

        ``only``: close only if that is still the running browser, so that two threads
        that both saw it crash do not close the fresh one the other just started.
        """
        with self._lock:
            if only is not None and self._kaleido is not only:
                return
            if self._kaleido is not None and not self.running:
                self._abandon()
                return
            if self._kaleido is not None and self._loop is not None:
                with contextlib.suppress(Exception):
                    self._run(self._kaleido.close(), 15)
            self._kaleido = None
            self._stop_loop()

    def render(self, fig: go.Figure | dict, fmt: str, size: Size) -> bytes:
        """The image bytes of ``fig``; restarts a crashed browser once and tries again."""
        return self.render_many([fig], fmt, size)[0]

    def render_many(self, figs: Iterable[go.Figure | dict], fmt: str, size: Size) -> list[bytes]:
        """Render several figures with the one browser, in order.

        Each figure is handed to the browser as soon as it is built, so a batch builds the
        next map in Python while Chromium draws the previous one (two CPUs busy, not one).
        """
        if fmt not in BROWSER_FORMATS:
            raise ExportError(f"{fmt} is not an image format")
        opts = {"format": "png" if fmt == "gif" else fmt, "width": size.width,
                "height": size.height, "scale": size.scale}
        built: list[go.Figure | dict] = []
        pending: Iterable[go.Figure | dict] = figs
        for attempt in (1, 2):
            self.start()
            browser = self._kaleido
            try:
                return self._render_all(browser, pending, built, opts)
            except Exception as exc:
                from choreographer.errors import BrowserClosedError, BrowserFailedError

                broken = isinstance(exc, BrowserClosedError | BrowserFailedError | OSError
                                    | FutureTimeout)
                # Seen under load: a tab evaluated before kaleido's page scripts had loaded
                # ("ReferenceError: kaleido_scopes is not defined"); a fresh browser fixes it.
                broken = broken or "is not defined" in str(exc)
                if attempt == 2 or not broken:
                    raise RenderError(f"rendering failed: {_one_line(exc)}") from exc
                self.close(only=browser)  # a crashed or stuck browser: start a fresh one
                pending, built = [*built, *pending], []  # the rest of a generator, too
        raise AssertionError("unreachable")

    def _render_all(self, browser: Any, figs: Iterable[go.Figure | dict],
                    built: list[go.Figure | dict], opts: dict) -> list[bytes]:
        """Submit each figure as it comes (kept in ``built`` for a retry), then collect."""
        loop = self._loop
        if browser is None or loop is None:  # closed by another thread meanwhile
            raise OSError("the browser was closed")
        topo = topojson_url()
        futures: list[Future] = []
        try:
            for fig in figs:
                built.append(fig)
                futures.append(asyncio.run_coroutine_threadsafe(
                    browser.calc_fig(fig, opts=opts, topojson=topo), loop))
            # The browser works through them tabs at a time: allow each its own timeout.
            deadline = time.monotonic() + self.timeout * (len(futures) / self.tabs + 1) + 5
            return [f.result(max(0.1, deadline - time.monotonic())) for f in futures]
        except BaseException:
            for f in futures:
                f.cancel()
            raise


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"


_RENDERER: Renderer | None = None
_RENDERER_LOCK = threading.Lock()


def shared_renderer() -> Renderer:
    """The process-wide renderer; a forked worker (gunicorn --preload) gets its own."""
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is None or _RENDERER.pid != os.getpid():
            _RENDERER = Renderer()
        return _RENDERER


@atexit.register
def _close_renderer() -> None:
    if _RENDERER is not None and _RENDERER.pid == os.getpid():
        _RENDERER.close()

