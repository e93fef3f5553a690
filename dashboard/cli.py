"""The ``africa-presence`` command: ``serve``, ``validate`` (and ``export``).

Every subcommand takes ``--data DIR`` (or $AFRICA_PRESENCE_DATA) so that a corrected copy
of the dataset can be checked and served without touching the bundled one.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from geo import schema
from geo.dataset import Dataset, DatasetError, default_data_dir, load_dataset


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data", type=Path, metavar="DIR", default=None,
        help=f"dataset directory (default: ${schema.DATA_ENV} or the bundled data)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; subcommands register themselves here."""
    parser = argparse.ArgumentParser(
        prog="africa-presence",
        description="Foreign military presence in Africa, year by year: dashboard and data tools.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the dashboard (http://127.0.0.1:8050 by default)")
    _add_data_option(serve)
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

    validate = sub.add_parser("validate", help="check the dataset and list every problem")
    _add_data_option(validate)
    validate.set_defaults(func=cmd_validate)

    try:
        from dashboard import export
    except ImportError:  # export needs kaleido; the rest of the CLI works without it
        export = None
    if export is not None and hasattr(export, "register"):
        export.register(sub, _add_data_option)
    return parser


def load_or_report(data_dir: Path | None) -> Dataset | None:
    """Load the dataset, or print the validation report to stderr and return None."""
    try:
        return load_dataset(data_dir)
    except DatasetError as exc:
        where = data_dir or default_data_dir()
        print(f"africa-presence: the dataset in {where} is invalid "
              f"({len(exc.problems)} problem(s)):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def summary_line(ds: Dataset) -> str:
    """One line: records by table and by power, for ``validate`` and the server log."""
    def by_power(df) -> str:
        counts = Counter(df["power"])
        return ", ".join(f"{code} {counts[code]}" for code in ds.power_codes if counts[code])

    return (
        f"OK: dataset {ds.version} in {ds.data_dir}: "
        f"{len(ds.installations)} installations ({by_power(ds.installations)}); "
        f"{len(ds.agreements)} agreements ({by_power(ds.agreements)}); "
        f"{len(ds.powers)} powers; {len(ds.countries)} countries"
    )


def cmd_validate(args: argparse.Namespace) -> int:
    ds = load_or_report(args.data)
    if ds is None:
        return 1
    print(summary_line(ds))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    # Options first, so a typo exits 2 at once instead of after loading the data.
    from dashboard.security import validate_frame_ancestors
    from dashboard.server import check_bind

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

    app = create_app(ds, frame_ancestors=args.frame_ancestors)
    print(summary_line(ds), file=sys.stderr)
    if args.workers > 1:
        from dashboard.server import run_gunicorn

        return run_gunicorn(app.server, host=args.host, port=args.port, workers=args.workers)
    print(f"Serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of ``python -m dashboard``."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
