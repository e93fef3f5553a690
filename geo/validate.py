"""Validation of the dataset files: every problem, each with its file, line, column and value.

Editors fix a CSV by hand, so the report must point at the exact cell and must list all
problems in one pass rather than stop at the first. Nothing here raises on bad input: an
unreadable file is one :class:`Problem`, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from geo import schema
from geo import sources as source_rules
from geo.csvfile import Problem, Row, Table, read_table

__all__ = ["Problem", "Row", "Table", "check_dir", "read_table", "validate_dir"]

_YEAR_RE = re.compile(r"^\d{4}$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_CODE_RE = re.compile(r"^[A-Z]{3}$")

#: (host iso3, lon, lat) -> km outside the host polygon, 0 inside.
DistanceFn = Callable[[str, float, float], float]


def parse_year(text: str) -> int | None:
    """A four-digit year, or None if the text is not one."""
    return int(text) if _YEAR_RE.match(text) else None


def parse_partial_date(text: str) -> tuple[int, int | None, int | None] | None:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD into (year, month, day); None if not a real date."""
    m = _DATE_RE.match(text)
    if not m:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return year, month, day


def parse_signed(text: str) -> tuple[int, int] | None:
    """Earliest and latest possible year of a ``signed`` value; None if it is not valid.

    Besides a date, ``signed`` may be an interval ``START/END`` (ISO 8601 style) when the
    sources only bound the date, e.g. ``2014/2019`` ("among the deals signed since 2014",
    reported in 2019) or ``../2019-04-30`` (ratified on that day, signing date unknown).
    The map counts such an agreement from the END year, the first year it surely existed.
    """
    if "/" not in text:
        date = parse_partial_date(text)
        return (date[0], date[0]) if date else None
    start_text, _, end_text = text.partition("/")
    end = parse_partial_date(end_text)
    start = None if start_text == ".." else parse_partial_date(start_text)
    if end is None or (start is None and start_text != ".."):
        return None
    if start is not None and (start[0], start[1] or 1, start[2] or 1) > (
            end[0], end[1] or 12, end[2] or 31):
        return None
    return (start[0] if start else schema.EARLIEST_YEAR), end[0]


def split_sources(text: str) -> list[str]:
    """Split the ``sources`` cell on its separator; blank pieces are dropped."""
    return [p.strip() for p in text.split(";") if p.strip()]


@lru_cache(maxsize=8192)  # pure; the same URLs are checked once per record and per rule
def is_http_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host: the only kind that becomes a link."""
    try:
        parsed = urlparse(text)
    except ValueError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and " " not in text


class _Checker:
    """Collects problems for one table; small helpers keep each rule one line."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.problems: list[Problem] = []

    def add(self, row: Row, column: str, message: str, value: str | None = None) -> None:
        self.problems.append(Problem(self.file, row.line, column, message, value))

    def required(self, row: Row, columns: Iterable[str]) -> None:
        for column in columns:
            if not row.get(column):
                self.add(row, column, "required value is missing", "")

    def unique(self, rows: Iterable[Row], column: str) -> None:
        seen: dict[str, int] = {}
        for row in rows:
            value = row.get(column)
            if not value:
                continue
            if value in seen:
                self.add(row, column, f"duplicate {column} (first on line {seen[value]})", value)
            else:
                seen[value] = row.line

    def choice(self, row: Row, column: str, allowed: Iterable[str]) -> None:
        value = row.get(column)
        allowed = tuple(allowed)
        if value and value not in allowed:
            self.add(row, column, "must be one of: " + " | ".join(allowed), value)

    def year(self, row: Row, column: str, this_year: int) -> int | None:
        value = row.get(column)
        if not value:
            return None
        year = parse_year(value)
        if year is None:
            self.add(row, column, "not a year (expected YYYY)", value)
        elif not schema.EARLIEST_YEAR <= year <= this_year:
            self.add(row, column, f"year out of range {schema.EARLIEST_YEAR}-{this_year}", value)
            return None
        return year

    def sources(self, row: Row) -> None:
        value = row.get("sources")
        if not value:
            return
        urls = split_sources(value)
        bad = [u for u in urls if not is_http_url(u)]
        for url in bad:
            self.add(row, "sources", "not an http(s) URL", url)
        if not bad and not urls:
            self.add(row, "sources", "needs at least one http(s) URL", value)
        notes = row.get("notes").lower()
        for url in urls:
            if url in bad:
                continue
            problem = source_rules.url_problem(url)
            if problem:
                self.add(row, "sources", problem, url)
            elif source_rules.is_mirror(url) and "mirror" not in notes:
                self.add(row, "sources", "a mirror or copy of another publisher's page: cite "
                         "the original, or say in notes 'mirror: original not found'", url)
        if (not bad and source_rules.all_weak(urls) and row.get("confidence")
                and row.get("confidence") != "low"):
            self.add(row, "confidence", "every source is a blog or a mirror: the record "
                     "can only be low confidence", row.get("confidence"))


def validate_powers(table: Table) -> list[Problem]:
    """Rules for ``powers.csv``: ISO-like codes, a name and a #RRGGBB colour."""
    check = _Checker(table.path)
    for row in table.rows:
        check.required(row, schema.POWERS_COLUMNS)
        code = row.get("code")
        if code and not _CODE_RE.match(code):
            check.add(row, "code", "must be an ISO 3166-1 alpha-3 code (3 capital letters)", code)
        color = row.get("color")
        if color and not _COLOR_RE.match(color):
            check.add(row, "color", "must be a #RRGGBB colour", color)
    check.unique(table.rows, "code")
    return check.problems


def validate_installations(
    table: Table,
    powers: set[str],
    hosts: set[str],
    distance_km: DistanceFn | None,
    this_year: int,
) -> list[Problem]:
    """Rules for ``installations.csv`` (see data/README.md for what each status means)."""
    check = _Checker(table.path)
    required = [c for c in schema.INSTALLATIONS_COLUMNS if c not in schema.INSTALLATIONS_OPTIONAL]
    for row in table.rows:
        check.required(row, required)
        _known_codes(check, row, powers, hosts)
        check.choice(row, "coord_precision", schema.COORD_PRECISION)
        check.choice(row, "kind", schema.INSTALLATION_KINDS)
        check.choice(row, "status", schema.STATUSES)
        check.choice(row, "confidence", schema.CONFIDENCE)
        check.choice(row, "basis", schema.BASES)
        check.sources(row)
        years = {c: check.year(row, c, this_year) for c in ("announced", "opened", "closed")}
        _check_order(check, row, years)
        _check_status(check, row, years)
        _check_freshness(check, row, years, this_year)
        _check_point(check, row, hosts, distance_km)
    check.unique(table.rows, "id")
    return check.problems


def validate_agreements(
    table: Table, powers: set[str], hosts: set[str], this_year: int
) -> list[Problem]:
    """Rules for ``agreements.csv``: dates, enumerations, codes and sources."""
    check = _Checker(table.path)
    required = [c for c in schema.AGREEMENTS_COLUMNS if c not in schema.AGREEMENTS_OPTIONAL]
    for row in table.rows:
        check.required(row, required)
        _known_codes(check, row, powers, hosts)
        check.choice(row, "kind", schema.AGREEMENT_KINDS)
        check.choice(row, "in_force", schema.IN_FORCE)
        check.choice(row, "confidence", schema.CONFIDENCE)
        check.sources(row)
        signed_text = row.get("signed")
        signed = parse_signed(signed_text) if signed_text else None
        if signed_text and signed is None:
            check.add(row, "signed", "not a date (expected YYYY, YYYY-MM or YYYY-MM-DD, or an "
                      "interval START/END of those)", signed_text)
        elif signed and signed[1] > this_year:
            check.add(row, "signed", f"date is after the current year {this_year}", signed_text)
        ended = check.year(row, "ended", this_year)
        if signed and ended is not None and ended < signed[1]:
            check.add(row, "ended", f"ends before it was signed ({signed[1]})", str(ended))
    check.unique(table.rows, "id")
    return check.problems


#: Lifetime of a record for personnel: first year on the map, last year (None = still on).
Lifetimes = dict[str, tuple[int, int | None]]


def record_lifetimes(installations: Table, agreements: Table) -> Lifetimes:
    """Years in which each record can carry a personnel figure (from its own dates)."""
    out: Lifetimes = {}
    for row in installations.rows:
        years = [parse_year(row.get(c) or "") for c in ("announced", "opened")]
        first = next((y for y in years if y is not None), None)
        if row.get("id") and first is not None:
            out[row.get("id")] = (first, parse_year(row.get("closed") or ""))
    for row in agreements.rows:
        signed = parse_signed(row.get("signed") or "")
        if row.get("id") and signed is not None:
            out[row.get("id")] = (signed[1], parse_year(row.get("ended") or ""))
    return out


def validate_personnel(table: Table, lifetimes: Lifetimes, this_year: int) -> list[Problem]:
    """Rules for ``personnel.csv``: the record exists, low <= high, the year lies in the
    record's lifetime, sources are http(s), and a row without a figure says so in its notes."""
    check = _Checker(table.path)
    required = [c for c in schema.PERSONNEL_COLUMNS if c not in schema.PERSONNEL_OPTIONAL]
    for row in table.rows:
        check.required(row, required)
        check.choice(row, "what", schema.PERSONNEL_WHAT)
        check.choice(row, "scope", schema.PERSONNEL_SCOPES)
        check.choice(row, "confidence", schema.CONFIDENCE)
        check.sources(row)
        record = row.get("record")
        if record and record not in lifetimes:
            check.add(row, "record", "unknown record: not an id of installations.csv or "
                      "agreements.csv", record)
        year = check.year(row, "year", this_year)
        if record in lifetimes and year is not None:
            first, last = lifetimes[record]
            if year < first or (last is not None and year > last):
                span = f"{first}-{last if last is not None else this_year}"
                check.add(row, "year", f"outside the record's lifetime ({span})", str(year))
        numbers = {}
        for column in ("low", "high"):
            value = row.get(column)
            if value:
                if not value.isdigit():
                    check.add(row, column, "not a whole number of people (digits only; leave "
                              "blank when unknown, never 0 for unknown)", value)
                else:
                    numbers[column] = int(value)
        if bool(row.get("low")) != bool(row.get("high")):
            column = "high" if row.get("low") else "low"
            check.add(row, column, "give both low and high (equal for a single figure), or "
                      "neither when no figure is published", "")
        elif len(numbers) == 2:
            if numbers["low"] > numbers["high"]:
                check.add(row, "high", f"smaller than low ({numbers['low']})",
                          str(numbers["high"]))
            if not row.get("sources"):
                check.add(row, "sources", "a figure needs at least one http(s) URL", "")
        elif not row.get("low") and not row.get("notes"):
            check.add(row, "notes", "a row without a figure must say in its notes what was "
                      "searched", "")
    check.unique(table.rows, "id")
    _unique_pairs(check, table.rows)
    return check.problems


def _unique_pairs(check: _Checker, rows: Iterable[Row]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row.get("record") or "", row.get("year") or "")
        if all(key) and key in seen:
            check.add(row, "year", f"a second estimate for {key[0]} in this year (first on "
                      f"line {seen[key]}); give one row with low and high", key[1])
        seen.setdefault(key, row.line)


def _known_codes(check: _Checker, row: Row, powers: set[str], hosts: set[str]) -> None:
    power, host = row.get("power"), row.get("host_iso3")
    if power and power not in powers:
        check.add(row, "power", "unknown power code; add it to powers.csv first", power)
    if host and host not in hosts:
        check.add(row, "host_iso3", "unknown host country code (not an African ISO alpha-3)",
                  host)


def _check_order(check: _Checker, row: Row, years: dict[str, int | None]) -> None:
    """announced <= opened <= closed (the upper bound is checked by ``year``)."""
    pairs = (("announced", "opened"), ("opened", "closed"), ("announced", "closed"))
    for earlier, later in pairs:
        a, b = years[earlier], years[later]
        if a is not None and b is not None and a > b:
            check.add(row, later, f"{later} is before {earlier} ({a})", str(b))
            return


def _check_status(check: _Checker, row: Row, years: dict[str, int | None]) -> None:
    """Each status needs the years that place it on the timeline, and no contradicting ones."""
    status = row.get("status")
    raw = {c: row.get(c) for c in years}
    if status == "active":
        if not raw["opened"]:
            check.add(row, "opened", "an active installation needs an opening year", "")
        if raw["closed"]:
            check.add(row, "closed", "an active installation cannot have a closing year",
                      raw["closed"])
    elif status == "closed":
        for column in ("opened", "closed"):
            if not raw[column]:
                check.add(row, column, f"a closed installation needs a year in {column}", "")
    elif status == "planned":
        if not raw["announced"]:
            check.add(row, "announced", "a planned installation needs an announcement year", "")
        for column in ("opened", "closed"):
            if raw[column]:
                check.add(row, column, f"a planned installation cannot have a year in {column}",
                          raw[column])
    elif status in ("abandoned", "refused"):
        if not raw["announced"] and not raw["opened"]:
            check.add(row, "announced", f"a {status} installation needs an announcement year",
                      "")
        if not raw["closed"]:
            check.add(row, "closed", f"a {status} installation needs the year it was {status} "
                      "in closed", "")


def parse_confirmed(text: str) -> int | None:
    """The year of a ``last_confirmed`` value (YYYY or YYYY-MM), or None if malformed."""
    match = _CONFIRMED_RE.match(text.strip())
    return int(match.group(1)) if match else None


_CONFIRMED_RE = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")


def _check_freshness(
    check: _Checker, row: Row, years: dict[str, int | None], this_year: int
) -> None:
    """``last_confirmed`` (the latest source showing the site in use) and ``basis``."""
    status, basis, text = row.get("status"), row.get("basis"), row.get("last_confirmed")
    if status in schema.PLAN_STATUSES and basis and basis != "plan only":
        check.add(row, "basis", f"a {status} site was never used by the power: basis must "
                  "be 'plan only'", basis)
    if status in ("active", "closed") and basis == "plan only":
        check.add(row, "basis", f"an {status} site needs 'own personnel' or 'runs it' (a "
                  "host-run site the power only supplied is not its installation)", basis)
    if not text:
        if status == "active":
            check.add(row, "last_confirmed", "required for an active installation: the "
                      "year (YYYY or YYYY-MM) of the latest source showing it in use", "")
        return
    year = parse_confirmed(text)
    if year is None:
        check.add(row, "last_confirmed", "not a year or month (expected YYYY or YYYY-MM)",
                  text)
        return
    if status in schema.PLAN_STATUSES:
        check.add(row, "last_confirmed", f"a {status} site was never in use: leave it blank",
                  text)
    elif year > this_year:
        check.add(row, "last_confirmed", f"after the current year {this_year}", text)
    elif years.get("opened") is not None and year < years["opened"]:
        check.add(row, "last_confirmed", f"before the site opened ({years['opened']})", text)
    elif years.get("closed") is not None and year > years["closed"]:
        check.add(row, "last_confirmed", f"after the site closed ({years['closed']})", text)


def _check_point(
    check: _Checker, row: Row, hosts: set[str], distance_km: DistanceFn | None
) -> None:
    lat_text, lon_text = row.get("lat"), row.get("lon")
    try:
        lat = float(lat_text) if lat_text else None
    except ValueError:
        check.add(row, "lat", "not a number", lat_text)
        lat = None
    try:
        lon = float(lon_text) if lon_text else None
    except ValueError:
        check.add(row, "lon", "not a number", lon_text)
        lon = None
    if lat is not None and not -90 <= lat <= 90:
        check.add(row, "lat", "latitude out of range -90..90", lat_text)
        lat = None
    if lon is not None and not -180 <= lon <= 180:
        check.add(row, "lon", "longitude out of range -180..180", lon_text)
        lon = None
    host = row.get("host_iso3")
    if lat is None or lon is None or distance_km is None or host not in hosts:
        return
    km = distance_km(host, lon, lat)
    if km > schema.COAST_TOLERANCE_KM:
        check.add(
            row, "lat/lon",
            f"point lies {km:.0f} km outside {host} (tolerance {schema.COAST_TOLERANCE_KM:g} km)",
            f"{lat_text}, {lon_text}",
        )


@dataclass(frozen=True)
class Checked:
    """The outcome of reading and validating a data directory, reused by the loader."""

    problems: tuple[Problem, ...]
    tables: Mapping[str, Table]
    countries: object  # geopandas.GeoDataFrame, or None when the geometry file is unreadable


def check_dir(data_dir: Path, today: dt.date | None = None) -> Checked:
    """Read every file of the dataset and collect all problems across all of them."""
    from geo import countries as geo_countries  # geopandas is slow to import; only here

    this_year = (today or dt.date.today()).year
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    if not data_dir.is_dir():
        problems.append(Problem(str(data_dir), 0, "(dir)", "data directory not found"))
        return Checked(tuple(problems), {}, None)

    countries = None
    geometry_path = data_dir / schema.COUNTRIES_FILE
    try:
        countries = geo_countries.load_countries(data_dir)
    except Exception as exc:  # any reader error becomes one clear problem, not a traceback
        problems.append(Problem(str(geometry_path), 1, "(file)",
                                f"cannot read country geometries: {exc}".splitlines()[0]))
    hosts = set(countries.index) if countries is not None else set()

    def distance(host: str, lon: float, lat: float) -> float:
        return geo_countries.distance_km(countries, host, lon, lat)

    tables = {
        schema.POWERS_FILE: read_table(data_dir / schema.POWERS_FILE, schema.POWERS_COLUMNS),
        schema.INSTALLATIONS_FILE: read_table(
            data_dir / schema.INSTALLATIONS_FILE, schema.INSTALLATIONS_COLUMNS),
        schema.AGREEMENTS_FILE: read_table(
            data_dir / schema.AGREEMENTS_FILE, schema.AGREEMENTS_COLUMNS),
    }
    for table in tables.values():
        problems.extend(table.problems)
    powers_table = tables[schema.POWERS_FILE]
    problems.extend(validate_powers(powers_table))
    powers = {row.get("code") for row in powers_table.rows if row.get("code")}
    # Without geometries, host codes and points cannot be checked: skip those rules only.
    known_hosts = hosts if countries is not None else _AnyCode()
    problems.extend(validate_installations(
        tables[schema.INSTALLATIONS_FILE], powers, known_hosts,
        distance if countries is not None else None, this_year))
    problems.extend(validate_agreements(
        tables[schema.AGREEMENTS_FILE], powers, known_hosts, this_year))
    personnel_path = data_dir / schema.PERSONNEL_FILE
    if personnel_path.exists():
        personnel = read_table(personnel_path, schema.PERSONNEL_COLUMNS)
        tables[schema.PERSONNEL_FILE] = personnel
        problems.extend(personnel.problems)
        problems.extend(validate_personnel(personnel, record_lifetimes(
            tables[schema.INSTALLATIONS_FILE], tables[schema.AGREEMENTS_FILE]), this_year))
    return Checked(tuple(problems), tables, countries)


def validate_dir(data_dir: Path, today: dt.date | None = None) -> list[Problem]:
    """All problems of the dataset in ``data_dir``; an empty list means it is valid."""
    return list(check_dir(data_dir, today).problems)


class _AnyCode(set):
    """Stands in for the host list when geometries are missing, so no code is flagged."""

    def __contains__(self, item: object) -> bool:
        return True
