"""How responses travel: compressed by flask-compress, and cached for a year when fingerprinted.

A reader on a slow mobile link pays for every byte of the first visit and should pay almost
nothing on the next one. So every text response (scripts, CSS, the layout, callback answers)
is compressed with brotli or gzip, whichever the browser prefers of the two, by flask-compress
(what Dash's own ``compress=True`` uses; configured here *before* ``Compress`` reads the
settings, which Dash's switch does too late).
Anything served under a fingerprinted URL (Dash's component suites, ``/assets/...?m=<mtime>``,
the country geometry) is cacheable for a year: a new version gets a new URL.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from dash.fingerprint import check_fingerprint
from flask import Flask, Response, abort, request
from flask_compress import Compress

from dashboard.web.precompressed import Precompressed, precompress

#: Preference order when the browser accepts both (Chromium sends "gzip, deflate, br, zstd").
ALGORITHMS = ["br", "gzip"]
#: Below this a response fits in a packet or two: not worth compressing.
MIN_SIZE = 500
MIMETYPES = [
    "text/html", "text/css", "text/javascript", "application/javascript", "text/plain",
    "application/json", "application/geo+json", "image/svg+xml", "text/csv",
]
#: One year, and never revalidated: the URL changes when the content does.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Dash's component suites; most names embed version and mtime (``react@18.v4_4_1m17….js``),
#: but the lazily loaded chunks (``async-graph.js``) do not, and must stay revalidated.
SUITES_PREFIX = "/_dash-component-suites/"


def is_fingerprinted(path: str, args: Any) -> bool:
    """Whether the URL names one immutable version of its content."""
    if path.startswith(SUITES_PREFIX):
        return check_fingerprint(path[len(SUITES_PREFIX):])[1]
    return path.startswith((GEOMETRY_PREFIX, FOLDER_PREFIX)) or (
        path.startswith("/assets/") and "m" in args)


def _long_cache(response: Response) -> Response:
    if response.status_code == 200 and is_fingerprinted(request.path, request.args):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def compress_and_cache(server: Flask, warm_urls: list[str] | tuple[str, ...] = ()) -> Precompressed:
    """Set the compression options, start flask-compress, mark fingerprinted URLs.

    Returns the store of strongly compressed immutable files; ``warm`` fills it from the
    page's own URLs plus ``warm_urls`` (what plotly.js fetches by itself).
    """
    server.config.update(
        COMPRESS_ALGORITHM=list(ALGORITHMS),
        COMPRESS_MIN_SIZE=MIN_SIZE,
        COMPRESS_MIMETYPES=list(MIMETYPES),
        COMPRESS_LEVEL=6,
        COMPRESS_BR_LEVEL=5,
        # Static files (assets/) leave Flask as file streams: compress those too.
        COMPRESS_STREAMS=True,
        COMPRESS_ALGORITHM_STREAMING=list(ALGORITHMS),
    )
    Compress(server)
    server.after_request(_long_cache)
    # Registered after Compress, so it runs before it (Flask runs these in reverse).
    return precompress(server, is_fingerprinted, MIMETYPES, MIN_SIZE, warm_urls)


#: Where the country geometry is served, by the fingerprint of its bytes.
GEOMETRY_PREFIX = "/_geometry/"


def serve_fingerprinted(server: Flask, name: str, body: bytes,
                        mimetype: str = "application/json") -> str:
    """Serve ``body`` at ``/_geometry/<name>-<sha256[:12]>.json``; return that URL."""
    url = f"{GEOMETRY_PREFIX}{name}-{hashlib.sha256(body).hexdigest()[:12]}.json"

    def view() -> Response:
        return Response(body, mimetype=mimetype)

    server.add_url_rule(url, endpoint=f"fingerprinted_{name}", view_func=view)
    return url


#: Where whole folders are served by the fingerprint of their contents (plotly's base maps:
#: plotly.js appends the file name to a folder URL, so the fingerprint goes in the folder).
FOLDER_PREFIX = "/_static/"


def serve_folder_fingerprinted(server: Flask, name: str, folder: Path,
                               pattern: str = "*.json") -> str:
    """Serve ``folder/pattern`` at ``/_static/<name>-<sha256[:12]>/<file>``; return that URL."""
    files = {p.name: p.read_bytes() for p in sorted(folder.glob(pattern))}
    digest = hashlib.sha256()
    for file_name, body in files.items():
        digest.update(file_name.encode() + b"\0" + body)
    url = f"{FOLDER_PREFIX}{name}-{digest.hexdigest()[:12]}/"

    def view(file_name: str) -> Response:
        body = files.get(file_name)
        if body is None:
            abort(404)
        return Response(body, mimetype="application/json")

    server.add_url_rule(url + "<file_name>", endpoint=f"folder_{name}", view_func=view)
    return url


#: Dash's lazily loaded dcc chunks the first screen needs (Graph, Slider, Dropdown).
FIRST_SCREEN_CHUNKS = ("async-graph.js", "async-slider.js", "async-dropdown.js")


def preload_links(prefix: str, fetched: list[str] | tuple[str, ...],
                  chunks: tuple[str, ...] = FIRST_SCREEN_CHUNKS) -> str:
    """``<link rel=preload>`` tags for what the page asks for only after its scripts ran.

    Without them the first visit is a chain: scripts, then the layout, then the lazy chunks,
    then the geometry, each a round trip (150 ms on a slow mobile link) after the last.
    Preloaded, they travel alongside the scripts. ``fetched`` are URLs the page fetches with
    ``fetch``/XHR (same-origin, so ``crossorigin="anonymous"`` matches their credentials mode
    and the preloaded copy is reused rather than fetched twice).
    """
    links = [f'<link rel="preload" href="{prefix}{name}" as="fetch" crossorigin="anonymous">'
             for name in ("_dash-layout", "_dash-dependencies")]
    links += [f'<link rel="preload" href="{url}" as="fetch" crossorigin="anonymous">'
              for url in fetched]
    links += [f'<link rel="preload" href="{prefix}_dash-component-suites/dash/dcc/{name}" '
              'as="script">' for name in chunks]
    return "\n        ".join(links)


def with_preloads(index_string: str, links: str) -> str:
    """Dash's page template with ``links`` in the head, before the stylesheets."""
    if "{%css%}" not in index_string:
        raise ValueError("index template has no {%css%} placeholder")
    return index_string.replace("{%css%}", links + "\n        {%css%}", 1)
