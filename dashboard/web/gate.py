"""A bound on concurrent exports and a timeout, so exports cannot starve the map.

An image export drives a headless browser for seconds and can use hundreds of MB; the map
callbacks take milliseconds. Without a bound, a few people pressing "Export" at once (or
one script) would tie up every worker thread and the map would stop answering.
:class:`ExportGate` therefore

- admits at most ``max_concurrent`` exports and refuses the next one *at once* with a clear
  message (it never queues, so no request thread sits waiting for a slot);
- runs each export in its own thread and gives up waiting after ``timeout_s``, so the
  request that asked for it is answered (with a message) even if the renderer hangs;
- keeps a timed-out export's slot until that export really ends, so hung renders reduce
  export capacity instead of piling up without limit.

Slots are per process by default. Give ``lock_dir`` (or set $AFRICA_PRESENCE_LOCK_DIR) and
they become file locks shared by every process on the machine, e.g. all gunicorn workers:
the kernel drops a lock when its process dies, so a crashed worker never leaks a slot.

Wiring (export callback or route)::

    GATE = ExportGate(max_concurrent=2, timeout_s=60)
    try:
        data = GATE.run(export_bytes, ds, state, fmt, size)
    except ExportRefused as exc:
        return str(exc)  # shown to the user; exc.http_status / exc.headers for a route
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

try:  # POSIX only; elsewhere slots stay per process
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "LOCK_DIR_ENV",
    "ExportBusy",
    "ExportGate",
    "ExportRefused",
    "ExportTimeout",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Environment variable naming a directory for machine-wide export slots.
LOCK_DIR_ENV = "AFRICA_PRESENCE_LOCK_DIR"


class ExportRefused(RuntimeError):
    """An export was not done; ``str(exc)`` is a sentence fit to show the user."""

    http_status = 503

    def __init__(self, message: str, *, retry_after_s: int | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers for a refusal response (Retry-After when a retry makes sense)."""
        return {"Retry-After": str(self.retry_after_s)} if self.retry_after_s else {}


class ExportBusy(ExportRefused):
    """Every export slot is taken: try again shortly (HTTP 503 with Retry-After)."""


class ExportTimeout(ExportRefused):
    """The export took longer than allowed; the map itself is unaffected (HTTP 504)."""

    http_status = 504


@dataclass(frozen=True)
class GateStats:
    """Counters since the gate was made, for logs and the load benchmark."""

    running: int
    completed: int
    failed: int
    refused: int
    timed_out: int


class _Slot:
    """One held export slot: a file lock, or a share of an in-process semaphore."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release = release
        self._lock = threading.Lock()
        self._released = False

    def release(self) -> None:
        with self._lock:
            if self._released:
                return
            self._released = True
        self._release()


class ExportGate:
    """At most ``max_concurrent`` exports at once, each waited for at most ``timeout_s``."""

    def __init__(
        self,
        max_concurrent: int = 2,
        timeout_s: float = 60.0,
        *,
        lock_dir: Path | str | None = None,
        name: str = "export",
    ) -> None:
        if max_concurrent < 1:
            raise ValueError("max_concurrent must be at least 1")
        if timeout_s <= 0:
            raise ValueError("timeout_s must be positive")
        self.max_concurrent = max_concurrent
        self.timeout_s = float(timeout_s)
        self.name = name
        self._lock_dir = Path(lock_dir) if lock_dir is not None else None
        self._local = threading.BoundedSemaphore(max_concurrent)
        self._counts = {"running": 0, "completed": 0, "failed": 0, "refused": 0,
                        "timed_out": 0}
        self._counts_lock = threading.Lock()

    # ------------------------------------------------------------------ slots

    def lock_dir(self) -> Path | None:
        """Directory of the machine-wide slot files, or None for per-process slots.

        Read at each acquire, not at construction: the app is built before the server
        (``serve --workers``) exports $AFRICA_PRESENCE_LOCK_DIR and forks.
        """
        if fcntl is None:
            return None
        if self._lock_dir is not None:
            return self._lock_dir
        env = os.environ.get(LOCK_DIR_ENV)
        return Path(env) if env else None

    def _try_acquire(self) -> _Slot | None:
        folder = self.lock_dir()
        if folder is None:
            if not self._local.acquire(blocking=False):
                return None
            return _Slot(self._local.release)
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(self.max_concurrent):
            handle: IO[bytes] = open(folder / f"{self.name}-slot-{index}.lock", "ab")  # noqa: SIM115
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue

            def release(handle: IO[bytes] = handle) -> None:
                with contextlib.suppress(OSError):
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
                handle.close()

            return _Slot(release)
        return None

    def _count(self, key: str, delta: int = 1) -> None:
        with self._counts_lock:
            self._counts[key] += delta

    def _busy(self) -> ExportBusy:
        self._count("refused")
        return ExportBusy(
            f"The server is already making {self.max_concurrent} "
            f"export{'s' if self.max_concurrent != 1 else ''}; please try again in a minute. "
            "The map keeps working meanwhile.",
            retry_after_s=max(5, min(60, int(self.timeout_s // 2) or 5)),
        )

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one slot for the ``with`` block, or raise :class:`ExportBusy` right away.

        No timeout here (the block runs in the caller's thread); use :meth:`run` for that.
        """
        held = self._try_acquire()
        if held is None:
            raise self._busy()
        self._count("running")
        try:
            yield
        except BaseException:
            self._count("failed")
            raise
        else:
            self._count("completed")
        finally:
            self._count("running", -1)
            held.release()

    # ------------------------------------------------------------------ running

    def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in a slot and a thread of its own, waited for ``timeout_s``.

        Raises :class:`ExportBusy` at once when no slot is free, :class:`ExportTimeout`
        when ``fn`` is still running after ``timeout_s`` (it keeps its slot until it
        returns), and re-raises whatever ``fn`` raised. ``fn`` runs outside the caller's
        Flask/Dash request context: pass it plain data.
        """
        held = self._try_acquire()
        if held is None:
            raise self._busy()
        outcome: dict[str, Any] = {}
        done = threading.Event()
        self._count("running")

        def work() -> None:
            try:
                outcome["value"] = fn(*args, **kwargs)
                self._count("completed")
            except BaseException as exc:  # handed to the waiting caller
                outcome["error"] = exc
                self._count("failed")
            finally:
                self._count("running", -1)
                held.release()
                done.set()

        started = time.monotonic()
        worker = threading.Thread(target=work, name=f"{self.name}-worker", daemon=True)
        try:
            worker.start()
        except BaseException:
            self._count("running", -1)
            held.release()
            raise
        if not done.wait(self.timeout_s):
            self._count("timed_out")
            log.warning("%s still running after %.0f s; the caller gave up, the slot stays "
                        "held until it ends", self.name, time.monotonic() - started)
            raise ExportTimeout(
                f"The export took longer than {self.timeout_s:g} s and was abandoned; try a "
                "smaller size or fewer years. The map keeps working meanwhile.",
            )
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ reporting

    def stats(self) -> GateStats:
        """Counters of this process's use of the gate."""
        with self._counts_lock:
            return GateStats(**self._counts)
