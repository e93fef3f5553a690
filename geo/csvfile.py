"""Reading one CSV file of the dataset: rows with their line numbers, or one clear problem.

Editors fix a CSV by hand, so a problem names the exact file, line, column and value; a
missing, empty, binary, non-UTF-8 or malformed file is one :class:`Problem`, never a
traceback. :mod:`geo.validate` applies the dataset's rules to what this module reads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one cell (or with a whole file, then ``column`` is ``(file)``)."""

    file: str
    line: int
    column: str
    message: str
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: {self.column}: {self.message}"
        if self.value is None:
            return where
        return f"{where} ({self.value if self.value != '' else 'empty'})"


@dataclass(frozen=True)
class Row:
    """A CSV record with the line where it starts, so problems can point at it."""

    line: int
    values: Mapping[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


@dataclass(frozen=True)
class Table:
    """A parsed CSV file: its header and its rows; ``problems`` is non-empty if unreadable."""

    path: Path
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    problems: tuple[Problem, ...]


def read_table(path: Path, required: Iterable[str]) -> Table:
    """Read one CSV file, reporting a missing, empty, binary, non-UTF-8 or malformed file."""
    name = str(path)

    def fail(message: str, value: str | None = None, line: int = 1) -> Table:
        return Table(path, (), (), (Problem(name, line, "(file)", message, value),))

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return fail("file not found")
    except OSError as exc:
        return fail(f"cannot read file: {exc.strerror or exc}")
    if not raw.strip():
        return fail("file is empty; expected a CSV header row")
    if b"\x00" in raw:
        return fail("file contains NUL bytes: it is binary, not a CSV text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return fail(f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})", line=line)

    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = tuple(h.strip() for h in next(reader))
        required = tuple(required)
        missing = [c for c in required if c not in header]
        if missing and len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            sep = "';'" if ";" in header[0] else "a tab"
            return fail(f"columns are separated by {sep}; the dataset uses commas", header[0][:120])
        if missing:
            return fail(
                "missing required column(s): " + ", ".join(missing),
                ",".join(header)[:120],
            )
        problems: list[Problem] = []
        dupes = sorted({h for h in header if header.count(h) > 1})
        if dupes:
            problems.append(Problem(name, 1, "(header)", "duplicate column name", ",".join(dupes)))
        rows: list[Row] = []
        start = reader.line_num + 1
        for record in reader:
            if not any(cell.strip() for cell in record):
                start = reader.line_num + 1
                continue
            if len(record) != len(header):
                problems.append(
                    Problem(
                        name, start, "(row)",
                        f"row has {len(record)} fields but the header has {len(header)}",
                        ",".join(record)[:80],
                    )
                )
            else:
                rows.append(Row(start, dict(zip(header, record, strict=True))))
            start = reader.line_num + 1
    except csv.Error as exc:
        return fail(f"not a valid CSV file: {exc}", line=reader.line_num or 1)
    return Table(path, header, tuple(rows), tuple(problems))
