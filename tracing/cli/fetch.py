"""``python -m tracing fetch ADDRESS``: fetch an address's transfers from its chain's API into the store.

A progress bar runs on stderr (pages, and done/total when the API tells); the summary
(new, already stored, pages, requests, time, and any limit reached) goes to stdout.
"""

import argparse
import sys

from tqdm import tqdm

from tracing.cli import command
from tracing.errors import BadParameters
from tracing.investigate.refresh import FetchProgress, fetch_history
from tracing.model import normalize_address
from tracing.settings import load_settings, unix_seconds
from tracing.sources.registry import source_for
from tracing.store import Store

__all__ = ["add_parser"]


def add_parser(sub) -> None:
    """Add the ``fetch`` sub-command to the CLI's sub-parsers."""
    fetch = sub.add_parser("fetch", help="fetch an address's transfers from its chain's API (only what is newer)")
    fetch.add_argument("address")
    fetch.add_argument("--chain", help="tron, ethereum, bitcoin or solana (detected from the format when omitted)")
    fetch.add_argument("--since", help="oldest transfer to fetch: ISO date or Unix seconds (default FETCH_SINCE)")
    fetch.add_argument(
        "--max", type=int, dest="max_transfers", help="at most N transfers (default FETCH_MAX_TRANSFERS)"
    )


@command("fetch")
def cmd_fetch(args: argparse.Namespace, store: Store) -> int:
    """Fetch with a progress bar, then print the summary."""
    settings = load_settings()
    if args.max_transfers is not None and args.max_transfers < 1:
        raise BadParameters("max", f"must be 1 or more, got {args.max_transfers}")
    since = unix_seconds(args.since, "since") if args.since is not None else settings.fetch_since
    chain, address = normalize_address(args.address, args.chain)
    source = source_for(chain, settings)
    bar = tqdm(desc=f"{source.title} {address[:12]}…", unit=" pages", file=sys.stderr, leave=False)

    def show(step: FetchProgress) -> None:
        bar.total = step.total
        bar.n = step.done if step.total else step.pages
        bar.set_postfix_str(f"{step.transfers} transfers", refresh=False)
        bar.refresh()

    try:
        summary = fetch_history(
            store,
            source,
            address,
            since=since,
            max_transfers=args.max_transfers or settings.fetch_max_transfers,
            progress=show,
        )
    finally:
        bar.close()
    print(summary.describe())
    return 0
