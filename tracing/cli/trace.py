"""``python -m tracing trace ...`` and ``python -m tracing path A B``: follow the money from the command line.

Both trace what the store holds (the demo world is loaded into an empty store first).
The text output lists the exits first (the list an investigator sends with a freeze
request), then sanctioned addresses, mixers, bridges, scams and hacks reached.
"""

import argparse
import json
import sys

from tracing.cli import command
from tracing.errors import BadParameters, NoFlowPath
from tracing.figures import amount, when
from tracing.flow import DIRECTIONS, FORMATS, MODELS, Trace, TraceParameters, export_trace, flow_paths
from tracing.flow.export import check_export_path
from tracing.flow.paths import check_distinct
from tracing.flow.result import group_title
from tracing.investigate import gather_flow, trace_stored
from tracing.model import normalize_address
from tracing.sources import demo
from tracing.store import Store

__all__ = ["add_parser", "render_paths", "render_trace"]

TRACE_OPTIONS = ("direction", "hops", "model", "min_amount", "since", "until", "asset", "tx", "amount")
SHOWN_ADDRESSES = 15
POISON_NOTE = "  (poison counts every tainted transfer in full: amounts are upper bounds, not shares of the seed)"


def add_parser(sub) -> None:
    """Add the ``trace`` and ``path`` sub-commands to the CLI's sub-parsers."""
    defaults = TraceParameters()
    trace = sub.add_parser("trace", help="follow funds forward or backward from an address or a theft transaction")
    trace.add_argument("address")
    trace.add_argument("--chain", help="tron, ethereum, bitcoin or solana (detected from the format when omitted)")
    trace.add_argument("--tx", help="hash of the seed transaction (the theft) sent or received by ADDRESS")
    trace.add_argument(
        "--amount",
        metavar="X",
        help="seed amount held by ADDRESS at --since (forward) or --until (backward), instead of --tx",
    )
    trace.add_argument("--direction", choices=DIRECTIONS, help=f"default {defaults.direction}")
    trace.add_argument("--hops", metavar="N", help=f"default {defaults.hops}")
    trace.add_argument("--model", choices=MODELS, help=f"taint model, default {defaults.model}")
    trace.add_argument("--min-amount", dest="min_amount", metavar="X", help="do not follow smaller traced transfers")
    trace.add_argument("--since", metavar="T", help="unix seconds or ISO 8601 (UTC)")
    trace.add_argument("--until", metavar="T", help="unix seconds or ISO 8601 (UTC)")
    trace.add_argument("--asset", metavar="SYMBOL", help="token to trace (default: the seed's or the usual one)")
    trace.add_argument("--json", action="store_true", help="print the trace as JSON")
    trace.add_argument("--export", metavar="FILE", help=f"also write the trace to FILE ({' '.join(FORMATS)})")

    path = sub.add_parser("path", help="time-respecting paths from A to B, largest amount first")
    path.add_argument("source")
    path.add_argument("target")
    path.add_argument("--chain", help="tron, ethereum, bitcoin or solana (detected from the format when omitted)")
    path.add_argument("--hops", metavar="N", default=defaults.hops, help=f"default {defaults.hops}")
    path.add_argument("--asset", metavar="SYMBOL")
    path.add_argument("--since", metavar="T")
    path.add_argument("--until", metavar="T")
    path.add_argument("--limit", type=int, default=10, help="paths to show (default 10)")
    path.add_argument("--json", action="store_true", help="print the paths as JSON")


@command("trace")
def cmd_trace(args: argparse.Namespace, store: Store) -> int:
    """Trace from an address and print the exits, the addresses reached and the transfers."""
    params = TraceParameters.from_mapping({k: getattr(args, k) for k in TRACE_OPTIONS})
    if args.export:
        check_export_path(args.export)  # before tracing: a wrong path is said at once
    demo.ensure_demo(store)
    result = trace_stored(store, args.address, params, chain=args.chain)
    print(json.dumps(result.to_dict(), indent=2) if args.json else render_trace(result))
    if args.export:
        written = export_trace(result, args.export)
        print(f"trace written to {written}", file=sys.stderr)
    return 0


@command("path")
def cmd_path(args: argparse.Namespace, store: Store) -> int:
    """Print the time-respecting paths from one address to another."""
    chain, source = normalize_address(args.source, args.chain)
    _, target = normalize_address(args.target, chain)
    check_distinct(source, target)
    params = TraceParameters.from_mapping(
        {"hops": args.hops, "asset": args.asset, "since": args.since, "until": args.until}
    )
    if args.limit < 1:
        raise BadParameters("limit", f"must be 1 or more, got {args.limit}")
    demo.ensure_demo(store)
    table = gather_flow(store, chain, source, params, labels=store.label_index(chain))
    if table.code_of(target) < 0:
        print(f"error: no stored flow from {source} reaches {target} within {params.hops} hops", file=sys.stderr)
        return 1
    try:
        paths = flow_paths(
            table,
            source,
            target,
            hops=params.hops,
            asset=params.asset,
            since=params.since,
            until=params.until,
            limit=args.limit,
        )
    except NoFlowPath as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"source": source, "target": target, "paths": [p.to_dict() for p in paths]}, indent=2))
    else:
        print(render_paths(source, target, paths))
    return 0


def render_trace(result: Trace) -> str:
    """A readable text version of a trace: what reached exits, then each group of labelled addresses reached
    (exchanges, sanctioned, mixers, bridges, scams and hacks), then the addresses reached."""
    p, symbol = result.params, result.asset.symbol
    seed = f"seed {amount(result.asset, result.seed)}" + (f" from tx {p.tx}" if p.tx else "")
    lines = [
        f"{p.direction.capitalize()} trace of {symbol} from {result.source} ({result.chain.value})",
        f"model {p.model}, {p.hops} hops, min amount {p.min_amount:g}, {seed}",
        "",
    ]
    summary = result.summary()

    def total(line: dict) -> str:
        share = f" ({100 * line['share']:.1f}% of the seed)" if line["share"] is not None else ""
        return f"{line['count']}, {amount(result.asset, line['amount'])}{share}"

    lines.append(f"Exits reached: {total(summary['exits'])}")
    if p.model == "poison":
        lines.append(POISON_NOTE)
    for group, items in result.destinations.items():
        lines += ["", f"{group_title(group, p.direction)}: {total(summary[group])}"]
        lines += [
            f"  {amount(result.asset, e.amount):>20}  {e.label} ({e.category})  {e.address}  hop {e.hop}  "
            f"first {when(e.first)}  tx {', '.join(e.transactions[:3])}{' ...' if len(e.transactions) > 3 else ''}"
            for e in items
        ]
    rows = sorted(result.address_rows(), key=lambda r: -r["received"])[:SHOWN_ADDRESSES]
    lines += ["", f"Addresses reached: {len(result)} (largest {len(rows)} shown)"]
    lines += [
        f"  hop {r['hop']:>2}  {amount(result.asset, r['received']):>20}  {100 * r['taint_share']:5.1f}% of inflow  "
        f"{r['address']}  {r['label']}"
        for r in rows
    ]
    lines += ["", f"Traced transfers: {len(result.edges)}"]
    return "\n".join(lines)


def render_paths(source: str, target: str, paths) -> str:
    """A readable text version of the paths from ``source`` to ``target``."""
    lines = [f"{len(paths)} time-respecting path(s) from {source} to {target}, largest first:"]
    for n, path in enumerate(paths, 1):
        lines.append(
            f"{n}. {amount(path.asset, path.amount)} over {len(path.addresses) - 1} hop(s), from {when(path.times[0])}"
        )
        lines += [
            f"     {a}" + (f"  --tx {tx}-->" if tx else "") for a, tx in zip(path.addresses, (*path.transactions, ""))
        ]
    return "\n".join(lines)
