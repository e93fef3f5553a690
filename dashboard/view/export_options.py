"""Export options: formats, media types, image sizes and their bounds, the errors users see.

Checked here once for the CLI and the dashboard panel alike, before any work starts, so a bad
option costs nothing and writes nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from dashboard.view.state import ViewState

#: Print size by default: fills an A4/letter page at 200 dpi, readable on a slide.
DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_SCALE = 1600, 1200, 1.0
#: Layout size bounds (CSS pixels) and scale bounds. Below 400 px the title, legend and footer
#: leave the map a thumbnail; above 4000 px (x4) Chromium needs gigabytes and minutes.
MIN_SIDE, MAX_SIDE = 400, 4000
MIN_SCALE, MAX_SCALE = 0.5, 4.0
#: The image's pixel size is width*scale x height*scale; keep each side within this so a
#: render stays far from Chromium's canvas limit (16384 px, 268 Mpx) and from swapping.
MAX_PIXELS = 8000

FORMATS: tuple[str, ...] = ("png", "svg", "pdf", "html", "csv", "geojson", "gif")
#: Formats drawn by the browser (the others need no Chrome).
BROWSER_FORMATS: frozenset[str] = frozenset({"png", "svg", "pdf", "gif"})
MEDIA_TYPES: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "gif": "image/gif",
    "html": "text/html",
    "csv": "text/csv",
    "geojson": "application/geo+json",
}
SUFFIXES: dict[str, str] = {
    ".png": "png", ".svg": "svg", ".pdf": "pdf", ".gif": "gif", ".html": "html",
    ".htm": "html", ".csv": "csv", ".geojson": "geojson", ".json": "geojson",
}

#: Seconds a single render may take before the browser is considered stuck.
RENDER_TIMEOUT = 60.0
#: Seconds per GIF frame, and for the last frame (so a loop pauses on the latest year).
GIF_FRAME_S, GIF_LAST_FRAME_S = 1.2, 3.0

NO_BROWSER_MESSAGE = (
    "no Chrome or Chromium found for PNG/SVG/PDF/GIF export: install one "
    "(Debian/Ubuntu: apt-get install chromium) or set BROWSER_PATH=/path/to/chrome "
    "(CSV, GeoJSON and HTML exports need no browser)"
)


class ExportError(ValueError):
    """A bad option or an export that cannot be made; ``str()`` is one line for the user."""


class NoBrowserError(ExportError):
    """No Chrome/Chromium to render images with."""


class RenderError(ExportError):
    """The browser failed or timed out while drawing (not the user's options: exit 1)."""


@dataclass(frozen=True)
class Size:
    """Layout size in CSS pixels and the pixel-density scale of the image."""

    width: int = DEFAULT_WIDTH
    height: int = DEFAULT_HEIGHT
    scale: float = DEFAULT_SCALE

    @property
    def pixels(self) -> tuple[int, int]:
        """Pixel size of a PNG/GIF: layout size times scale, rounded down (as Chromium does)."""
        return (math.floor(self.width * self.scale + 1e-9),
                math.floor(self.height * self.scale + 1e-9))


def parse_number(value: Any, name: str, kind: type) -> float:
    """``value`` as a finite float, or as an int when ``kind`` is int (1600.0 is fine)."""
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        raise ExportError(f"--{name} must be a number (got {str(value)[:20]!r})") from None
    if not math.isfinite(number):
        raise ExportError(f"--{name} must be a finite number") from None
    if kind is int:
        if not number.is_integer():
            raise ExportError(f"--{name} must be a whole number (got {number:g})")
        return int(number)
    return number


def check_size(width: Any = None, height: Any = None, scale: Any = None) -> Size:
    """Validate width/height/scale (None = default) against the documented bounds."""
    w = DEFAULT_WIDTH if width in (None, "") else parse_number(width, "width", int)
    h = DEFAULT_HEIGHT if height in (None, "") else parse_number(height, "height", int)
    s = DEFAULT_SCALE if scale in (None, "") else parse_number(scale, "scale", float)
    for name, value in (("width", w), ("height", h)):
        if not MIN_SIDE <= value <= MAX_SIDE:
            raise ExportError(
                f"--{name} must be {MIN_SIDE}-{MAX_SIDE} px (got {value})")
    if not MIN_SCALE <= s <= MAX_SCALE:
        raise ExportError(f"--scale must be {MIN_SCALE:g}-{MAX_SCALE:g} (got {s:g})")
    size = Size(int(w), int(h), float(s))
    if max(size.pixels) > MAX_PIXELS:
        px = "x".join(map(str, size.pixels))
        raise ExportError(
            f"image would be {px} px; width or height times scale must stay <= {MAX_PIXELS}")
    return size



#: What each view exports to: the map everything, the chart images and its numbers, the
#: table its rows.
TAB_FORMATS: dict[str, tuple[str, ...]] = {
    "map": FORMATS,
    "chart": ("png", "svg", "pdf", "csv"),
    "table": ("csv",),
}


def check_tab_format(tab: str, fmt: str) -> None:
    """Refuse a format the view has no meaning in (a GeoJSON of a table...), in words."""
    allowed = TAB_FORMATS.get(tab, FORMATS)
    if fmt not in allowed:
        raise ExportError(f"the {tab} exports as {', '.join(allowed)}, not {fmt}")


def export_filename(state: ViewState, fmt: str, *, prefix: str = "africa-presence") -> str:
    """A descriptive download name, e.g. ``africa-presence-2019-RUS-FRA.png``.

    The chart and the table say so: ``africa-presence-chart-2019.png``.
    """
    when = f"{state.span[0]}-{state.span[1]}" if state.span else str(state.year)
    parts = [prefix] + ([state.tab] if state.tab != "map" else []) + [when]
    if state.powers is not None:
        parts.append("-".join(state.powers[:4]) + ("-etc" if len(state.powers) > 4 else "")
                     if state.powers else "none")
    return "-".join(parts) + f".{fmt}"

