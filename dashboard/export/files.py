"""All-or-nothing file writing: an interrupted export never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename."""
    write_all([(Path(path), data)])


def write_all(items: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files so that either all of them land or none changes.

    Each goes to a hidden temporary file beside its target first (where a full disk or an
    interruption would strike); only when all are on disk are they renamed into place
    (``os.replace`` is atomic on one filesystem). Should a rename still fail, the files
    already renamed are put back as they were (an old file is kept as a hard link).
    """
    tag = f"{os.getpid()}.{threading.get_ident()}"
    temps: list[tuple[Path, Path]] = []
    landed: list[tuple[Path, Path | None]] = []
    try:
        for path, data in items:
            tmp = path.with_name(f".{path.name}.{tag}.part")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, path in temps:
            backup: Path | None = None
            if path.exists():
                backup = path.with_name(f".{path.name}.{tag}.old")
                try:
                    os.link(path, backup)
                except OSError:  # no hard links here: this one cannot be rolled back
                    backup = None
            try:
                os.replace(tmp, path)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            landed.append((path, backup))
    except BaseException:
        for path, backup in reversed(landed):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, path)
                else:
                    path.unlink()
        for tmp, _ in temps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        raise
    finally:
        for _, backup in landed:
            if backup is not None:
                with contextlib.suppress(FileNotFoundError):
                    backup.unlink()

