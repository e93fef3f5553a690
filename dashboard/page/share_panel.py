"""The share panel: copy a link to this view, or an ``<iframe>`` snippet to embed it.

The link and the snippet are filled in the browser (``assets/app.js`` knows the page's own
address; the server behind a proxy may not), and copied with ``dcc.Clipboard``. The panel
knows whether the server lets other sites frame it (``--frame-ancestors``): when it does
not, it says the snippet will only work once the operator allows the publishing site.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard.ids import Ids
from dashboard.view.i18n import DEFAULT_LANG, tr
from dashboard.view.labels import TITLE

#: The iframe's height: the embed view is laid out for 600 px (from 320 to 1200 px wide).
EMBED_HEIGHT = 600


def framing_allowed(frame_ancestors: str | None) -> bool:
    """Whether another site may frame the dashboard (a CSP source other than 'none'/'self')."""
    sources = (frame_ancestors or "").split()
    return any(s not in ("'none'", "'self'") for s in sources)


def share_panel(lang: str = DEFAULT_LANG, frame_ancestors: str | None = None) -> html.Details:
    """The share control for the sidebar: two read-only fields, two copy buttons, a note."""
    t = tr(lang)
    if framing_allowed(frame_ancestors):
        note = t("Sites allowed to embed this dashboard: {sites}.", sites=frame_ancestors)
    else:
        note = t("This server does not let other sites embed it yet: the snippet works only "
                 "once the operator allows the publishing site (africa-presence serve "
                 "--frame-ancestors https://news.example.org).")
    return html.Details([
        html.Summary(t("Share or embed"), style={"fontWeight": 600, "cursor": "pointer"}),
        html.Label(t("Link to this view"), htmlFor=Ids.SHARE_LINK, className="share-label"),
        html.Div([
            dcc.Input(id=Ids.SHARE_LINK, type="text", readOnly=True, value="",
                      className="share-field"),
            dcc.Clipboard(id=Ids.SHARE_COPY_LINK, target_id=Ids.SHARE_LINK,
                          title=t("Copy the link"), className="copy"),
        ], className="share-row"),
        html.Label(t("Embed in an article (iframe)"), htmlFor=Ids.SHARE_SNIPPET,
                   className="share-label"),
        html.Div([
            dcc.Textarea(id=Ids.SHARE_SNIPPET, readOnly=True, value="", rows=3,
                         className="share-field"),
            dcc.Clipboard(id=Ids.SHARE_COPY_SNIPPET, target_id=Ids.SHARE_SNIPPET,
                          title=t("Copy the embed code"), className="copy"),
        ], className="share-row"),
        html.P(note, id=Ids.SHARE_NOTE, className="hint share-note"),
        # What app.js needs to write the snippet: its title (in the page's language), height.
        dcc.Store(id=Ids.SHARE_META, data={"title": t(TITLE), "height": EMBED_HEIGHT}),
    ], id=Ids.SHARE_PANEL, className="control share", open=False)
