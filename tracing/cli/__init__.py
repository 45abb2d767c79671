"""``python -m tracing``: score addresses, trace funds, load the demo world, import files and sanctions lists.

Every command opens the store named by ``--database`` or ``DATABASE_URL`` (default:
the SQLite file under ``instance/``). Errors a user can cause print one line on
stderr and exit with status 2 (bad input) or 1 (nothing found, source failed).
"""

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence

from dotenv import load_dotenv

from tracing.cli.render import render_report
from tracing.errors import AddressNotFound, ModelNotTrained, SourceUnavailable, TracingError
from tracing.investigate import score_address
from tracing.investigate.imports import import_transfers
from tracing.investigate.profiles import scored_profile
from tracing.params import FIELDS, Parameters
from tracing.settings import load_settings
from tracing.sources import demo
from tracing.sources.chainalysis import sanctions_api
from tracing.sources.files import FORMATS, open_transfers
from tracing.store import Store

__all__ = ["build_parser", "command", "main"]

COMMANDS: dict[str, Callable[[argparse.Namespace, Store], int]] = {}


def command(name: str):
    """Register a ``cmd_*`` function as the handler of a sub-command."""

    def register(func):
        COMMANDS[name] = func
        return func

    return register


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m tracing", description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: DATABASE_URL or sqlite:///instance/tracing.db)")
    sub = parser.add_subparsers(dest="command", required=True)

    score = sub.add_parser("score", help="danger score of an address, with every test's evidence")
    score.add_argument("address")
    score.add_argument("--chain", help="tron, ethereum, bitcoin or solana (detected from the format when omitted)")
    for name in FIELDS:
        score.add_argument("--" + name.replace("_", "-"), dest=name, metavar="X", help=f"default {FIELDS[name]}")
    score.add_argument("--json", action="store_true", help="print the REST API's JSON document")

    sub.add_parser("demo", help="(re)load the bundled demo world and list its key addresses")

    imp = sub.add_parser("import", help="import transfers from a file")
    imp.add_argument("file")
    imp.add_argument("--format", choices=sorted(FORMATS), help="default: recognised from the file's header")
    imp.add_argument("--asset", help="token symbol, for exports that do not name it (TronScan)")
    imp.add_argument("--contract", help="token contract, for exports that do not name it (TronScan)")
    imp.add_argument("--decimals", type=int, help="token decimals, for exports that do not carry them")

    users.add_parser(sub)
    labels.add_parser(sub)
    sanctions.add_parser(sub)
    trace.add_parser(sub)
    fetch.add_parser(sub)
    report.add_parser(sub)
    profiles.add_parser(sub)
    market.add_parser(sub)
    return parser


@command("score")
def cmd_score(args: argparse.Namespace, store: Store) -> int:
    """Score one address and print the report."""
    demo.ensure_demo(store)
    params = Parameters.from_mapping({k: getattr(args, k) for k in FIELDS if getattr(args, k) is not None})
    settings = load_settings()
    api = sanctions_api(settings)
    try:
        budget = settings.chainalysis_counterparties
        scored = score_address(store, args.address, args.chain, params, api=api, api_budget=budget)
    finally:
        if api is not None:
            api.close()
    report = scored.to_dict()
    if args.json:
        report["profile"] = scored_profile(store, scored)
    print(json.dumps(report, indent=2) if args.json else render_report(report))
    return 0


@command("demo")
def cmd_demo(args: argparse.Namespace, store: Store) -> int:
    """Reload the demo world and print who is who."""
    count = demo.load_demo(store)
    world = demo.build_demo()
    print(f"Demo world loaded: {count} transfers on 4 chains. Key TRON addresses:")
    for name, role in demo.KEY_ACTORS:
        print(f"  {name:<20} {world.cast[name]}  {role}")
    return 0


@command("import")
def cmd_import(args: argparse.Namespace, store: Store) -> int:
    """Import a file and say what was new, what was known and what was skipped."""
    options = {k: getattr(args, k) for k in ("asset", "contract", "decimals") if getattr(args, k) is not None}
    reader = open_transfers(args.file, args.format, **options)
    summary = import_transfers(store, reader, args.file.rsplit("/", 1)[-1], actor=sanctions.cli_actor())
    for line in summary.lines():
        print(line)
    for line in summary.warnings():
        print(line, file=sys.stderr)
    return 0


from tracing.cli import fetch, labels, market, profiles, report, sanctions, trace, users  # noqa: E402  (register their commands; import `command` from here)


def _discard_stdout() -> None:
    """Point stdout at /dev/null: its reader is gone, and Python's flush at exit must not fail again."""
    with contextlib.suppress(OSError, ValueError):  # no file descriptor (captured output): nothing to do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    load_dotenv()
    args = build_parser().parse_args(argv)
    try:
        store = Store(args.database)
    except TracingError as err:  # a mistyped path: never a new empty store
        print(f"error: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # a bad URL or an unreachable server: say which, in one line
        print(f"error: cannot open the database {args.database or ''}: {err}".replace("  ", " "), file=sys.stderr)
        return 1
    try:
        status = COMMANDS[args.command](args, store)
        sys.stdout.flush()  # a reader that stopped early (| head) is met here, not at exit
        return status
    except BrokenPipeError:
        _discard_stdout()
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (AddressNotFound, ModelNotTrained, SourceUnavailable) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except (TracingError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    finally:
        store.close()
