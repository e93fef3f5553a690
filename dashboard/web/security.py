"""Security headers, strict routing and plain error pages for the Dash app.

A dashboard shared by link is opened by anyone and poked at by scanners. ``harden`` makes
the Flask server behind the Dash app answer every request with a Content-Security-Policy
(scripts only from this server, plus Dash's one inline bootstrap script by its hash), no
framing unless configured, ``nosniff``, no referrer leak to the cited sources, and plain
4xx/5xx pages that never carry a traceback. It also keeps Werkzeug's interactive debugger
out of reach, even under ``--debug``: that debugger runs any Python sent to it.

Call it once the layout and callbacks are registered (the CSP hashes the inline scripts
Dash knows about at the first request).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

from dash import Dash
from dash.exceptions import DashException, DependencyException
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, NotFound

__all__ = [
    "CALLBACK_ROUTE",
    "content_security_policy",
    "harden",
    "security_headers",
    "validate_frame_ancestors",
]

log = logging.getLogger(__name__)

#: Dash's callback endpoint (below ``routes_pathname_prefix``).
CALLBACK_ROUTE = "_dash-update-component"

#: Largest request body accepted. A real callback body is a few kB (the map figure is never
#: sent back: the server answers with a patch); 1 MiB leaves room and stops memory abuse.
MAX_BODY_BYTES = 1 << 20

#: Exceptions a callback raises when a client sends values of the wrong type or shape
#: (the callbacks are pure functions of their inputs), and Dash's own complaints about a
#: request that does not match the callback: answered 400, not 500.
_BAD_INPUT_ERRORS = (TypeError, ValueError, LookupError, AttributeError, ArithmeticError,
                     DashException)

_HOST_SOURCE = re.compile(
    r"^(?:(?:https?|wss?)://)?(?:\*\.)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?"
    r"(?::(?:\d{1,5}|\*))?(?:/[A-Za-z0-9._~/%-]*)?$"
)
_SCHEME_SOURCE = re.compile(r"^(?:https?|wss?):$")
_KEYWORDS = {"'self'", "'none'"}


def validate_frame_ancestors(value: str | None) -> str:
    """The CSP ``frame-ancestors`` source list for ``value`` (None: no framing at all).

    Accepts ``'self'``, ``'none'``, ``https:`` or host sources such as
    ``https://news.example.org`` or ``https://*.example.org``, space-separated (commas are
    accepted too). Anything else raises ValueError: the value goes into a response header,
    so a stray ``;`` or newline must never reach it.
    """
    if value is None:
        return "'none'"
    tokens = [t for t in re.split(r"[\s,]+", value.strip()) if t]
    if not tokens:
        raise ValueError("frame ancestors: empty value; use 'none' to forbid framing")
    cleaned: list[str] = []
    for token in tokens:
        bare = token.strip("'\"").lower()
        if f"'{bare}'" in _KEYWORDS:
            cleaned.append(f"'{bare}'")
        elif _SCHEME_SOURCE.match(token) or _HOST_SOURCE.match(token):
            cleaned.append(token)
        else:
            raise ValueError(
                f"frame ancestors: {token!r} is not a CSP source (expected 'self', 'none', "
                "https: or an origin such as https://example.org)"
            )
    if "'none'" in cleaned and len(cleaned) > 1:
        raise ValueError("frame ancestors: 'none' cannot be combined with other sources")
    return " ".join(dict.fromkeys(cleaned))


def content_security_policy(
    script_hashes: list[str] | tuple[str, ...] = (),
    *,
    frame_ancestors: str = "'none'",
    report_uri: str | None = None,
) -> str:
    """The CSP header value: everything from this server, nothing from anywhere else.

    - scripts: our own files plus Dash's inline bootstrap by hash (no 'unsafe-inline',
      no 'unsafe-eval': plotly's geo traces and Dash run without eval);
    - styles: 'unsafe-inline' stays, because plotly.js writes its own <style> rules and
      React components set inline styles; CSS cannot run script in current browsers;
    - images: data: and blob: for plotly's "download as PNG" and its SVG-to-canvas step;
    - fetches: only this server (callbacks, the local topojson base map).
    """
    directives = [
        "default-src 'self'",
        " ".join(["script-src 'self'", *script_hashes]),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        f"frame-ancestors {frame_ancestors}",
    ]
    if report_uri:
        directives.append(f"report-uri {report_uri}")
    return "; ".join(d.strip() for d in directives)


def security_headers(csp: str, frame_ancestors: str = "'none'") -> dict[str, str]:
    """Headers for every response; X-Frame-Options mirrors frame-ancestors for old browsers."""
    headers = {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        # same-origin: the page's own requests carry its link (the layout request reads the
        # language from it); a cited site still sees nothing of the view that linked to it.
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    }
    if frame_ancestors == "'none'":
        headers["X-Frame-Options"] = "DENY"
    elif frame_ancestors == "'self'":
        headers["X-Frame-Options"] = "SAMEORIGIN"
    # Any other list cannot be said in X-Frame-Options; browsers then follow the CSP.
    return headers


def _plain(status: int, reason: str, headers: Mapping[str, str] | None = None) -> Response:
    """A short text page: the status and its reason, never a stack or request echo."""
    response = Response(f"{status} {reason}\n", status=status, mimetype="text/plain")
    for key, value in (headers or {}).items():
        if key.lower() not in ("content-type", "content-length"):
            response.headers[key] = value
    return response


def _callback_shape_error(body: Any, callback_map: Mapping[str, Any]) -> str | None:
    """Why a callback request body is malformed, or None if Dash can take it.

    Dash reads ``output``, ``outputs``, ``inputs``, ``state`` and ``changedPropIds`` without
    checking them, so garbage becomes a KeyError/AttributeError and a 500. Checking the
    shape here (and the input count against the registered callback) turns it into a 400.
    """
    if not isinstance(body, dict):
        return "body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        return "unknown callback output"
    spec = callback_map[output]
    for key, expected in (("inputs", spec.get("inputs", ())), ("state", spec.get("state", ()))):
        items = body.get(key, [])
        if not isinstance(items, list) or len(items) != len(expected):
            return f"{key} must be a list of {len(expected)} item(s)"
        for item in items:
            entries = item if isinstance(item, list) else [item]
            for entry in entries:
                if not (isinstance(entry, dict) and isinstance(entry.get("property"), str)
                        and isinstance(entry.get("id"), str | dict)):
                    return f"each of {key} needs an id and a property"
    changed = body.get("changedPropIds", [])
    if not (isinstance(changed, list) and all(isinstance(c, str) for c in changed)):
        return "changedPropIds must be a list of strings"
    if spec.get("no_output"):
        return None
    outputs = body.get("outputs")
    expected_outputs = len(output[2:-2].split("...")) if output.startswith("..") else 1
    if isinstance(outputs, dict):
        outputs = [outputs]
    if not isinstance(outputs, list) or len(outputs) != expected_outputs:
        return f"outputs must list the callback's {expected_outputs} output(s)"
    for entry in outputs:
        for item in entry if isinstance(entry, list) else [entry]:
            if not (isinstance(item, dict) and isinstance(item.get("property"), str)
                    and isinstance(item.get("id"), str | dict)):
                return "each output needs an id and a property"
    return None


def _keep_debugger_off(server: Flask) -> None:
    """Make ``server.run`` (used by ``Dash.run``) never start Werkzeug's debugger.

    ``--debug`` still gives Dash's dev tools and the reloader; the interactive console,
    which executes arbitrary Python for whoever reaches it, stays off in every mode.
    """
    original: Callable[..., Any] = server.run
    if getattr(original, "_keeps_debugger_off", False):
        return

    @functools.wraps(original)
    def run(*args: Any, **kwargs: Any) -> Any:
        kwargs["use_debugger"] = False
        kwargs["use_evalex"] = False
        return original(*args, **kwargs)

    run._keeps_debugger_off = True  # type: ignore[attr-defined]
    server.run = run  # type: ignore[method-assign]


def harden(
    app: Dash,
    *,
    frame_ancestors: str | None = None,
    report_uri: str | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
) -> None:
    """Add security headers, strict routes and plain error pages to ``app``'s server.

    ``frame_ancestors`` lists who may embed the dashboard in a frame (CSP syntax, e.g.
    ``"https://news.example.org"``); None forbids framing. ``report_uri`` (optional) is
    where browsers post CSP violation reports. Calling it again on the same app replaces
    these settings (the hooks are installed once).
    """
    ancestors = validate_frame_ancestors(frame_ancestors)
    if report_uri is not None and not re.fullmatch(r"[A-Za-z0-9:/._~%?=&-]+", report_uri):
        raise ValueError(f"report_uri {report_uri!r} is not a plain URL")
    server: Flask = app.server
    server.config["MAX_CONTENT_LENGTH"] = max_body_bytes
    server.config["PROPAGATE_EXCEPTIONS"] = False
    settings: dict[str, Any] = server.extensions.setdefault("africa_presence_security", {})
    installed = bool(settings)
    settings.update(ancestors=ancestors, report_uri=report_uri, headers=None)
    if installed:
        return
    _keep_debugger_off(server)

    prefix = app.config.routes_pathname_prefix or "/"
    callback_path = prefix + CALLBACK_ROUTE

    def headers() -> dict[str, str]:
        # Hash the inline scripts at the first request, after every callback is registered.
        if settings["headers"] is None:
            csp = content_security_policy(
                list(app.csp_hashes()), frame_ancestors=settings["ancestors"],
                report_uri=settings["report_uri"])
            settings["headers"] = security_headers(csp, settings["ancestors"])
        return settings["headers"]  # type: ignore[no-any-return]

    @server.before_request
    def _strict_routes() -> Response | None:
        rule = request.url_rule
        # Dash maps every unknown path to the page (for multi-page apps). This app has one
        # page, so /console, /.env, /wp-admin ... get a plain 404 instead of a 200.
        if rule is not None and rule.rule.endswith("<path:path>"):
            raise NotFound()
        if request.path == callback_path and request.method == "POST":
            try:
                body = request.get_json(silent=True)
            except RecursionError:  # "[[[[..." nested deeper than the JSON parser goes
                body = None
            problem = _callback_shape_error(body, app.callback_map)
            if problem is not None:
                log.info("refused callback request: %s", problem)
                return _plain(400, "Bad Request: " + problem)
        return None

    @server.after_request
    def _add_headers(response: Response) -> Response:
        for key, value in headers().items():
            response.headers.setdefault(key, value)
        return response

    @server.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response:
        status = error.code or 500
        extra = dict(error.get_headers()) if status in (405, 413, 416, 429, 503) else {}
        return _plain(status, error.name, extra)

    @server.errorhandler(DependencyException)
    def _unknown_bundle(_error: DependencyException) -> Response:
        # /_dash-component-suites/<anything>: a missing file, not a server fault.
        return _plain(404, "Not Found")

    @server.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        if request.path == callback_path and isinstance(error, _BAD_INPUT_ERRORS):
            # The body had the right shape but values a callback cannot use.
            log.warning("callback refused bad input: %s: %s", type(error).__name__, error)
            return _plain(400, "Bad Request: invalid callback input")
        server.logger.error("unhandled error on %s", request.path, exc_info=error)
        return _plain(500, "Internal Server Error")
