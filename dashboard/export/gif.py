"""Animated GIF of several years, from PNG frames, with one palette that keeps every colour.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from dashboard.figures.map import CLOSED_COLOUR, RAMP
from dashboard.figures.map_compare import DIVERGING
from dashboard.view.export_options import GIF_FRAME_S, GIF_LAST_FRAME_S, ExportError


def gif_colours(ds: Any) -> list[str]:
    """Colours a GIF must keep exactly: marker colours and the choropleth's classes."""
    extra = [*RAMP, CLOSED_COLOUR, *DIVERGING]
    return [*ds.powers["color"], *extra, "#444444", "#ffffff", "#111111"]


def gif_bytes(frames: Sequence[bytes], keep: Iterable[str] = ()) -> bytes:
    """An animated GIF (looping, a longer pause on the last year) from PNG frames.

    GIF has 256 colours. One palette serves every frame (no flicker between years): the
    colours in ``keep`` (the powers' marker colours, each a few pixels only) plus the most
    common colours of all frames; every pixel takes the nearest, without dithering.
    """
    try:
        from PIL import Image
    except ImportError:
        raise ExportError("GIF export needs Pillow: pip install pillow") from None
    images = [Image.open(io.BytesIO(b)).convert("RGB") for b in frames]
    counts: dict[tuple[int, int, int], int] = {}
    for image in images:
        for n, colour in image.getcolors(maxcolors=image.width * image.height) or []:
            counts[colour] = counts.get(colour, 0) + n
    forced = [tuple(int(c.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)) for c in keep]
    common = sorted(counts, key=counts.__getitem__, reverse=True)
    colours = list(dict.fromkeys([*forced, *common]))[:256]
    palette = Image.new("P", (1, 1))
    palette.putpalette([v for c in colours for v in c] + [0] * 3 * (256 - len(colours)))
    quantized = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    durations = [int(GIF_FRAME_S * 1000)] * len(images)
    durations[-1] = int(GIF_LAST_FRAME_S * 1000)
    out = io.BytesIO()
    quantized[0].save(out, format="GIF", save_all=True, append_images=quantized[1:],
                      duration=durations, loop=0, optimize=False, disposal=1)
    return out.getvalue()

