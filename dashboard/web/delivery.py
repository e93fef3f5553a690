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

from flask import Flask, Response, abort, request
from flask_compress import Compress

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
#: Paths whose URL carries a fingerprint (Dash's suites embed version and mtime in the name).
FINGERPRINTED_PREFIXES = ("/_dash-component-suites/",)


def is_fingerprinted(path: str, args: Any) -> bool:
    """Whether the URL names one immutable version of its content."""
    return path.startswith((*FINGERPRINTED_PREFIXES, GEOMETRY_PREFIX, FOLDER_PREFIX)) or (
        path.startswith("/assets/") and "m" in args)


def _long_cache(response: Response) -> Response:
    if response.status_code == 200 and is_fingerprinted(request.path, request.args):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def compress_and_cache(server: Flask) -> Compress:
    """Set the compression options, then start flask-compress; mark fingerprinted URLs."""
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
    compress = Compress(server)
    server.after_request(_long_cache)
    return compress


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
