"""Every component id of the page, in one place: layout, callbacks, bench and tests use these.

A ``StrEnum`` (as equinor/webviz-config does per view): each member *is* its string, so it
goes wherever Dash takes an id, and a typo is an AttributeError at import, not a callback
that silently never fires. ``dashboard/assets/app.js`` names a few of the same ids in JS.
"""

from __future__ import annotations

from enum import StrEnum


class Ids(StrEnum):
    """Component ids (``Ids.MAP == "map"``)."""

    URL = "url"
    DETAILS_KEY = "details-key"
    URL_NOTE = "url-note"
    SUMMARY = "summary"
    MAP = "map"
    PLAY_BUTTON = "play-button"
    YEAR_SLIDER = "year-slider"
    PLAY_TIMER = "play-timer"
    METRIC = "metric"
    LAYERS = "layers"
    POWERS_ALL = "powers-all"
    POWERS_NONE = "powers-none"
    POWER_FILTER = "power-filter"
    STATUS_FILTER = "status-filter"
    SHOW_CLOSED = "show-closed"
    DETAILS_TITLE = "details-title"
    DETAILS_CLOSE = "details-close"
    COUNTRY_SELECT = "country-select"
    DETAILS_BODY = "details-body"
    DETAILS = "details"
    EXPORT_FORMAT = "export-format"
    EXPORT_WIDTH = "export-width"
    EXPORT_HEIGHT = "export-height"
    EXPORT_SCALE = "export-scale"
    EXPORT_BUTTON = "export-button"
    EXPORT_STATUS = "export-status"
    EXPORT_DOWNLOAD = "export-download"
    EXPORT_PANEL = "export-panel"
    EXPORT_SUMMARY = "export-summary"
    FILTERS_TOGGLE = "filters-toggle"
    SIDEBAR = "sidebar"
    SCREEN = "screen"  # the window's width in CSS px, set once on load
    # The state's canonical query, published for the view that is shown (only it: a year step
    # on the map sets neither, so the hidden chart and table cost no request).
    STATE = "view-state"  # the canonical query of the state shown: every view reads it
    MAP_STYLE = "map-style"  # fingerprint of the colour scale the map has now
    TAB_STATE = "tab-state"  # the tab shown, set only when it changes
    VIEW_TABS = "view-tabs"
    TAB_MAP = "tab-map"
    TAB_CHART = "tab-chart"
    TAB_TABLE = "tab-table"
    VIEWS = "views"
    PANEL_MAP = "panel-map"
    PANEL_CHART = "panel-chart"
    PANEL_TABLE = "panel-table"
    CHART = "chart"
    CHART_SCOPE = "chart-scope"
    CHART_KEY = "chart-key"
    CHART_NOTE = "chart-note"
    COUNTRY_TABLE = "country-table"
    TABLE_FILTER = "table-filter"
    TABLE_SORT = "table-sort"
    TABLE_COUNT = "table-count"
    TABLE_DOWNLOAD_BUTTON = "table-download-button"
    TABLE_DOWNLOAD = "table-download"
    COMPARE_YEAR = "compare-year"
    CHANGES = "changes"
    CHANGES_KEY = "changes-key"
    LEGEND = "legend"
    SEARCH = "search"
    SEARCH_RESULTS = "search-results"
    PICK_STATE = "pick"  # the last pick: {"key": "record:FR-MLI-1", "n": clicks}
    PAGE = "page"
    PAGE_LANG = "page-lang"  # the language the page was built in (callbacks answer in it)
    LANG_SELECT = "lang-select"
    FULL_LINK = "full-link"
    SHARE_PANEL = "share-panel"
    SHARE_LINK = "share-link"
    SHARE_SNIPPET = "share-snippet"
    SHARE_COPY_LINK = "share-copy-link"
    SHARE_COPY_SNIPPET = "share-copy-snippet"
    SHARE_NOTE = "share-note"
    SHARE_META = "share-meta"
    SCROLLED = "scrolled"  # where the details panel last scrolled to (clientside)


#: Pattern-matching id types (dicts with ``type`` and a key), for repeated components.
ROW_OPEN = "table-row-open"  # {"type": ROW_OPEN, "iso3": "MLI"}: a table row's country button
SORT_BY = "table-sort-by"
#: {"type": PICK, "key": "record:FR-MLI-1" | "country:MLI" | "power:RUS"}: a search result or
#: a record in the list of changes; picking it sets the view state.
PICK = "pick-button"  # {"type": SORT_BY, "column": "name"}: a column header's button
