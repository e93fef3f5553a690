"""Which language a request is in: the link's ``lang``, else the browser's Accept-Language.

Callbacks read it from the request they answer (Flask's ``request``), so a first visit from
a French browser is French before any choice, and a shared link's ``lang=fr`` wins.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from flask import has_request_context, request

from dashboard.view.i18n import DEFAULT_LANG, LANGS, negotiate


def browser_lang() -> str:
    """The language the browser asks for (English outside a request, or if not offered)."""
    if not has_request_context():
        return DEFAULT_LANG
    return negotiate(lang for lang, _ in request.accept_languages)


def url_param(search: str | None, name: str) -> str | None:
    """A link parameter's first value, stripped; None if absent or the link is unreadable
    (more than 50 parameters)."""
    try:
        values = parse_qs((search or "").lstrip("?"), max_num_fields=50).get(name)
    except ValueError:
        return None
    return values[0].strip() if values else None


def _first(search: str | None, name: str) -> str | None:
    value = url_param(search, name)
    return value.lower() if value is not None else None


def url_lang(search: str | None, default: str | None = None) -> str:
    """The link's language if it names one we offer, else ``default`` (the browser's)."""
    lang = _first(search, "lang")
    if lang in LANGS:
        return lang
    return default if default in LANGS else browser_lang()


def url_embed(search: str | None) -> bool:
    """Whether the link asks for the embed view."""
    return _first(search, "embed") in {"1", "true", "yes", "on"}
