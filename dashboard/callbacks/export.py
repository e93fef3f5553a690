"""The export panel's callbacks: read the view from the page, make the file, send it.

The view is read from the page's URL (``dcc.Location``, which the map callback keeps in
step with every control) and the year slider (ahead of the URL while the timeline plays).
The work happens in :mod:`dashboard.export`, which keeps one headless browser for every
export of the process; the composition root passes in the gate that bounds concurrent
exports, so nothing here is built at import.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from typing import Any

from dash import Dash, Input, Output, State, dcc, no_update

from dashboard import export
from dashboard.callbacks.locale import browser_lang
from dashboard.ids import Ids
from dashboard.page.export_panel import (
    DATA_ONLY,
    RASTER,
    SUMMARY_TEXT,
    TAB_FORMAT_OPTIONS,
    format_options,
)
from dashboard.view.codec import decode
from dashboard.view.i18n import LANGS, N_, tr
from dashboard.view.labels import state_context
from dashboard.view.state import ViewState
from dashboard.view.table import clean_query, parse_sort
from dashboard.web.gate import ExportGate, ExportRefused

log = logging.getLogger(__name__)

#: Seconds an export may take in the gate: a render's own timeout plus building and writing.
GATE_TIMEOUT_S = export.RENDER_TIMEOUT + 30


def new_gate() -> ExportGate:
    """The gate the dashboard uses: two exports at once (machine-wide under ``--workers``);
    one more is refused at once with a message rather than queued, so the map keeps a thread."""
    return ExportGate(max_concurrent=2, timeout_s=GATE_TIMEOUT_S)


def view_state(ds: Any, search: str | None, slider_year: Any,
               lang: str | None = None) -> ViewState:
    """The state shown on the page: the URL's, with the slider's year (ahead while playing),
    in the page's language."""
    state, _ = decode(search, state_context(ds, lang if lang in LANGS else browser_lang()))
    if lang in LANGS:
        state = replace(state, lang=lang)
    try:
        year = int(slider_year)
    except (TypeError, ValueError):
        return state
    lo, hi = ds.year_range
    return replace(state, year=year) if lo <= year <= hi else state


def _warm_up() -> None:
    """Start the shared browser in the background, so the first image export is quick."""
    def start() -> None:
        try:
            export.shared_renderer().start()
        except export.ExportError as exc:  # reported on the first image export instead
            log.info("export browser not started: %s", exc)

    threading.Thread(target=start, name="export-warm-up", daemon=True).start()


def _describe(fmt: str, size: export.Size, blob: bytes, lang: str = "en") -> str:
    num = tr(lang).num
    kb = (f"{num(round(len(blob) / 1024))} KB" if len(blob) < 2**20
          else f"{num(round(len(blob) / 2**20, 1))} MB")
    if fmt in RASTER:
        w, h = size.pixels
        return f"{w}×{h} px, {kb}"
    if fmt in DATA_ONLY or fmt == "html":
        return kb
    return f"{size.width}×{size.height}, {kb}"


def make_export(ds: Any, fmt: str, width: Any, height: Any, scale: Any, search: str | None,
                slider_year: Any, gate: ExportGate | None = None,
                views: export.ViewOptions | None = None, lang: str | None = None,
                ) -> tuple[dict[str, Any] | None, str]:
    """The download (``dcc.Download`` data) and a status line; never raises.

    ``gate`` bounds concurrent exports (the dashboard's); without one the export just runs.
    ``views``: the chart's scope and the table's order, as shown.
    """
    first = view_state(ds, search, slider_year, lang)
    tab, lang = first.tab, first.lang
    t = tr(lang)
    offered = dict(TAB_FORMAT_OPTIONS[tab])
    fmt = fmt if fmt in offered else next(iter(offered))
    # The browser empties a number field whose value breaks its min/max: say so, rather
    # than quietly exporting the default size.
    fields = ((N_("width"), width), (N_("height"), height)) if fmt not in DATA_ONLY else ()
    fields += ((N_("scale"), scale),) if fmt in RASTER else ()
    missing = [name for name, value in fields if value in (None, "")]
    if missing:
        bounds = (f"{export.MIN_SCALE:g}–{export.MAX_SCALE:g}" if missing[0] == "scale"
                  else f"{export.MIN_SIDE}–{export.MAX_SIDE} px")
        return None, t("Not exported: {field} must be {bounds}.", field=t(missing[0]),
                       bounds=bounds)
    try:
        size = export.check_size(width if fmt not in DATA_ONLY else None,
                                 height if fmt not in DATA_ONLY else None,
                                 scale if fmt in RASTER else None)
        state = view_state(ds, search, slider_year, lang)
        blob = (gate.run(export.export_bytes, ds, state, fmt, size, views=views)
                if gate is not None else export.export_bytes(ds, state, fmt, size, views=views))
    except ExportRefused as exc:  # busy or too slow: the message says so
        return None, str(exc)
    except export.NoBrowserError:
        return None, t("Image export needs Chrome or Chromium on the server (Debian/Ubuntu: "
                       "apt-get install chromium, or set BROWSER_PATH). CSV, GeoJSON and HTML "
                       "work without it.")
    except export.ExportError as exc:
        return None, t("Not exported: {reason}.", reason=str(exc).replace("--", ""))
    except Exception:  # a bug must not leave the button spinning without a word
        log.exception("export failed")
        return None, t("Not exported: an unexpected error occurred (see the server log).")
    filename = export.export_filename(state, fmt)
    data = dcc.send_bytes(blob, filename, type=export.MEDIA_TYPES[fmt])
    return data, t("Downloaded {file} ({about}).", file=filename,
                   about=_describe(fmt, size, blob, lang))


def register_export_callbacks(app: Dash, ds: Any, gate: ExportGate) -> None:
    """Wire the export panel into ``app`` (thin: the work is in dashboard.export)."""

    @app.callback(
        Output(Ids.EXPORT_DOWNLOAD, "data"),
        Output(Ids.EXPORT_STATUS, "children"),
        Input(Ids.EXPORT_BUTTON, "n_clicks"),
        State(Ids.EXPORT_FORMAT, "value"),
        State(Ids.EXPORT_WIDTH, "value"),
        State(Ids.EXPORT_HEIGHT, "value"),
        State(Ids.EXPORT_SCALE, "value"),
        State(Ids.URL, "search"),
        State(Ids.YEAR_SLIDER, "value"),
        State(Ids.CHART_SCOPE, "value"),
        State(Ids.TABLE_SORT, "data"),
        State(Ids.TABLE_FILTER, "value"),
        State(Ids.PAGE_LANG, "data"),
        prevent_initial_call=True,
        # Disabled while it runs (the label stays: it is in the page's language).
        running=[(Output(Ids.EXPORT_BUTTON, "disabled"), True, False)],
    )
    def download(_clicks: int, fmt: str, width: Any, height: Any, scale: Any,
                 search: str | None, year: Any, scope: Any, sort: Any,
                 query: Any, page_lang: Any) -> tuple[Any, str]:
        views = export.ViewOptions(chart_by_country=scope == "country",
                                   table_sort=parse_sort(sort),
                                   table_query=clean_query(query))
        data, status = make_export(ds, fmt, width, height, scale, search, year, gate, views,
                                   page_lang if page_lang in LANGS else None)
        return (data if data is not None else no_update), status

    @app.callback(
        Output(Ids.EXPORT_FORMAT, "options"),
        Output(Ids.EXPORT_FORMAT, "value"),
        Output(Ids.EXPORT_SUMMARY, "children"),
        Input(Ids.TAB_STATE, "data"),
        State(Ids.EXPORT_FORMAT, "value"),
        State(Ids.PAGE_LANG, "data"),
        prevent_initial_call=True,
    )
    def formats_for_view(tab: Any, fmt: str | None, page_lang: Any
                         ) -> tuple[Any, Any, Any]:
        """The export panel offers what fits the view shown (no GeoJSON of a chart)."""
        tab = tab if tab in TAB_FORMAT_OPTIONS else "map"
        lang = page_lang if page_lang in LANGS else "en"
        values = [value for value, _ in TAB_FORMAT_OPTIONS[tab]]
        return (format_options(tab, lang), fmt if fmt in values else values[0],
                tr(lang)(SUMMARY_TEXT[tab]))

    @app.callback(
        Input(Ids.EXPORT_PANEL, "open"),
        Input(Ids.EXPORT_FORMAT, "value"),
        prevent_initial_call=True,
    )
    def warm(is_open: bool | None, fmt: str | None) -> None:
        if is_open and fmt in export.BROWSER_FORMATS and not export.shared_renderer().running:
            _warm_up()

    @app.callback(
        Output(Ids.EXPORT_WIDTH, "disabled"),
        Output(Ids.EXPORT_HEIGHT, "disabled"),
        Output(Ids.EXPORT_SCALE, "disabled"),
        Input(Ids.EXPORT_FORMAT, "value"),
    )
    def size_fields(fmt: str | None) -> tuple[bool, bool, bool]:
        """Size fields only where they mean something: none for data, scale for PNG."""
        data = fmt in DATA_ONLY
        return data, data, data or fmt not in RASTER
