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


def _print_figures(ds: Any, years: Sequence[int]) -> tuple[list[dict], Any]:
    from dashboard.export import Size
    from dashboard.figures.print import print_figure
    from dashboard.view.state import ViewState

    size = Size()
    return [print_figure(ds, ViewState(year=y), size).to_dict() for y in years], size


def _threaded(render: Any, figs: list[dict], threads: int) -> list[bytes | None]:
    """Render every figure once, ``threads`` callers at a time (as a busy dashboard would)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(fig: dict) -> bytes | None:
        try:
            return render(fig)
        except Exception:
            return None

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, figs))


def compare_engines(ds: Any, years: Sequence[int], threads: int = 4) -> dict[str, Any]:
    """The app's renderer against Kaleido's own persistent server, on the same figures.

    Both keep one browser alive, so seconds per PNG compare the engines, not start-ups.
    Then each renders the same figures from ``threads`` threads at once; an image that
    differs from the one the same figure gave single-threaded went to the wrong caller.
    """
    import kaleido

    from dashboard.export import Renderer, topojson_url

    figs, size = _print_figures(ds, years)
    opts = {"format": "png", "width": size.width, "height": size.height, "scale": size.scale}
    out: dict[str, Any] = {"years": list(years), "threads": threads}

    def summarise(name: str, render: Any, start: Any, stop: Any) -> None:
        t0 = time.perf_counter()
        start()
        started = time.perf_counter() - t0
        try:
            alone, per_png = [], []
            for fig in figs:
                t0 = time.perf_counter()
                alone.append(render(fig))
                per_png.append(time.perf_counter() - t0)
            together = _threaded(render, figs, threads)
            wrong = sum(a != b for a, b in zip(alone, together, strict=True))
            out[name] = _summary(per_png, browser_start_s=round(started, 3),
                                 threaded_wrong_or_failed=wrong, threaded_n=len(figs))
        except Exception as exc:
            out[name] = {"status": "error", "note": f"{type(exc).__name__}: {exc}"[:300]}
        finally:
            stop()

    engine = Renderer()
    summarise("app", lambda fig: engine.render(fig, "png", size), engine.start, engine.close)
    topo = topojson_url()
    summarise("kaleido_sync_server",
              lambda fig: kaleido.calc_fig_sync(fig, opts=opts, topojson=topo),
              lambda: kaleido.start_sync_server(mathjax=False, silence_warnings=True),
              lambda: kaleido.stop_sync_server(silence_warnings=True))
    return out
