"""``africa-presence serve``: the dashboard on 127.0.0.1:8050, debug off, unless told otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from dashboard.cli.common import load_or_report, summary_line


def cmd_serve(args: argparse.Namespace) -> int:
    # Options first, so a typo exits 2 at once instead of after loading the data.
    from dashboard.web.gunicorn import check_bind
    from dashboard.web.security import validate_frame_ancestors

    if args.workers < 1:
        print(f"africa-presence: --workers must be 1 or more (got {args.workers})",
              file=sys.stderr)
        return 2
    if args.debug and args.workers > 1:
        print("africa-presence: --debug is for the single-process server; drop --workers",
              file=sys.stderr)
        return 2
    try:
        validate_frame_ancestors(args.frame_ancestors)
    except ValueError as exc:
        print(f"africa-presence: {exc}", file=sys.stderr)
        return 2
    problem = check_bind(args.host, args.port)
    if problem:
        print(f"africa-presence: {problem}", file=sys.stderr)
        return 2
    ds = load_or_report(args.data)
    if ds is None:
        return 1
    from dashboard.app import create_app
    from dashboard.web.precompressed import EXTENSION, warm_in_background

    app = create_app(ds, frame_ancestors=args.frame_ancestors)
    print(summary_line(ds), file=sys.stderr)
    if args.workers > 1:
        from dashboard.web.gunicorn import run_gunicorn

        # Before the fork, so every worker inherits the strongly compressed files.
        app.server.extensions[EXTENSION].warm()

        return run_gunicorn(app.server, host=args.host, port=args.port, workers=args.workers)
    print(f"Serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    warm_in_background(app.server)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def register(subparsers: Any, add_data_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ``serve`` subcommand."""
    serve = subparsers.add_parser("serve",
                                  help="run the dashboard (http://127.0.0.1:8050 by default)")
    add_data_option(serve)
    serve.add_argument("--host", default="127.0.0.1",
                       help="interface to bind (default 127.0.0.1; 0.0.0.0 exposes it)")
    serve.add_argument("--port", type=int, default=8050, help="port (default 8050)")
    serve.add_argument("--debug", action="store_true",
                       help="Dash debug mode with reloader; never on a shared machine")
    serve.add_argument("--workers", type=int, default=1,
                       help="N > 1 serves with gunicorn, data loaded once before forking")
    serve.add_argument("--frame-ancestors", metavar="SOURCES", default=None,
                       help="who may embed the dashboard in a frame, CSP syntax, e.g. "
                            "\"'self' https://news.example.org\" (default: nobody)")
    serve.set_defaults(func=cmd_serve)
