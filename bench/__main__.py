"""Command line: ``python -m bench generate|run --db sqlite|postgresql --scale S``, and
``python -m bench snapshot [COMMIT]`` to measure a pinned commit, and
``python -m bench table RESULT.json ...`` for the README's table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bench.generate import DEFAULT_SEED, generate
from bench.paths import PATHS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("generate", "build (or reuse) the benchmark database"),
                            ("run", "build or reuse the database, then measure the five queries")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--db", choices=("sqlite", "postgresql"), required=True)
        command.add_argument("--scale", type=float, default=1.0,
                             help="1.0 is the full size (~1.1M votes); 0.1 for a quick run")
        command.add_argument("--seed", type=int, default=DEFAULT_SEED)
        command.add_argument("--rebuild", action="store_true", help="regenerate even if cached")
        if name == "run":
            command.add_argument("--requests", type=int, default=None,
                                 help="in-process requests per query (default: by scale)")
            command.add_argument("--http-requests", type=int, default=None,
                                 help="HTTP requests per query and worker count (default: by scale)")
            command.add_argument("--concurrency", type=int, default=4,
                                 help="concurrent HTTP clients")
            command.add_argument("--no-http", action="store_true", help="skip the uvicorn part")
            command.add_argument(
                "--path", choices=tuple(PATHS), default="compiled",
                help="execution path measured: compiled (the default settings), batched "
                "(ATLAS_COMPILED_EXECUTION=false) or resolvers (ATLAS_BATCHED_EXECUTION=false: "
                "graphql-core field by field, with DataLoaders)")
    pin = commands.add_parser("snapshot", help="extract app/ of a commit to measure it pinned")
    pin.add_argument("revision", nargs="?", default="HEAD")
    report = commands.add_parser("table", help="a Markdown table of result files")
    report.add_argument("paths", nargs="+", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "snapshot":
        from bench.snapshot import snapshot

        folder = snapshot(args.revision)
        print(folder)
        print(f"cd {folder} && PYTHONPATH={Path(__file__).resolve().parent.parent} "
              "python -m bench run --db sqlite --scale 1.0")
        return 0
    if args.command == "table":
        from bench.report import table

        print(table(args.paths))
        return 0
    url = generate(args.db, args.scale, args.seed, rebuild=args.rebuild)
    if args.command == "generate":
        print(url)
        return 0
    from bench.run import run

    return run(args, url)


if __name__ == "__main__":
    sys.exit(main())
