"""Seconds per exported PNG: the app's export engine (one warm browser) vs the naive way.

The app side uses ``dashboard.export`` if it exists: its ``Renderer`` is started once (not
timed, a dashboard starts it ahead), then one ``export_bytes`` call per year, each timed.
The naive side is ``plotly.io.to_image`` on the baseline figure, which starts a fresh
browser for every image; it only gets the local topojson and MathJax off, without which no
offline export works at all.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _summary(per_png: list[float], **extra: Any) -> dict[str, Any]:
    return {
        "status": "ok",
        "n": len(per_png),
        "seconds_per_png_median": round(statistics.median(per_png), 3),
        "seconds_per_png_mean": round(statistics.fmean(per_png), 3),
        "per_png_s": [round(s, 3) for s in per_png],
        **extra,
    }


def app_png(ds: Any, years: Sequence[int]) -> dict[str, Any]:
    """Time the app's PNG export over ``years`` with one warm browser, or say why not."""
    try:
        from dashboard import export
        from dashboard.view.state import ViewState as State
    except ImportError as exc:
        return {"status": "n/a", "note": f"dashboard/export.py not available ({exc})"}
    needed = ("Renderer", "export_bytes")
    missing = [name for name in needed if not hasattr(export, name)]
    if missing:
        return {"status": "n/a", "note": "dashboard.export lacks " + ", ".join(missing)}
    engine = export.Renderer()
    try:
        t0 = time.perf_counter()
        engine.start()
        warm_up = time.perf_counter() - t0
        per_png: list[float] = []
        size = export.Size() if hasattr(export, "Size") else None
        for year in years:
            t0 = time.perf_counter()
            data = export.export_bytes(ds, State(year=year), "png", size, engine=engine)
            per_png.append(time.perf_counter() - t0)
            if not data.startswith(PNG_SIGNATURE):
                return {"status": "error", "note": f"year {year}: not a PNG"}
        pixels = list(size.pixels) if size is not None and hasattr(size, "pixels") else None
        return _summary(per_png, browser_start_s=round(warm_up, 3), pixels=pixels,
                        engine="dashboard.export.Renderer (one browser for the batch)")
    except Exception as exc:  # an export failure must not sink the rest of the benchmark
        return {"status": "error", "note": f"{type(exc).__name__}: {exc}"[:300]}
    finally:
        engine.close()


def naive_png(ds: Any, years: Sequence[int], width: int = 1600,
              height: int = 1200) -> dict[str, Any]:
    """Time ``plotly.io.to_image`` per year on the baseline figure (a browser per image)."""
    import plotly.io as pio

    from bench.naive import ASSETS, naive_figure, naive_inputs

    geojson, colors = naive_inputs(ds)
    old = pio.defaults.topojson, pio.defaults.mathjax
    pio.defaults.topojson = (ASSETS / "topojson").as_uri() + "/"
    pio.defaults.mathjax = None
    try:
        per_png: list[float] = []
        for year in years:
            t0 = time.perf_counter()
            fig = naive_figure(ds, geojson, colors, year, ds.power_codes)
            data = pio.to_image(fig, format="png", width=width, height=height)
            per_png.append(time.perf_counter() - t0)
            if not data.startswith(PNG_SIGNATURE):
                return {"status": "error", "note": f"year {year}: not a PNG"}
        return _summary(per_png, pixels=[width, height],
                        engine="plotly.io.to_image (a new browser per image)")
    except Exception as exc:
        return {"status": "error", "note": f"{type(exc).__name__}: {exc}"[:300]}
    finally:
        pio.defaults.topojson, pio.defaults.mathjax = old
