"""``python -m tracing sanctions ...``: load other lists, update the OFAC SDN list, check an address.

``update`` parses the official ``sdn_advanced.xml`` (plain or ``.bz2``) from a file
or a URL (default: the Treasury's download address) and replaces the stored
OFAC list in one transaction; when the download or the parse fails, the
previous list stays. ``check`` answers without any transfers.
"""

import argparse
import getpass
import json
import sys
import tempfile
from pathlib import Path

from tracing.cli import command
from tracing.errors import ImportFormatError, SourceUnavailable
from tracing.labels import OFAC_LIST, load_sanctions_file
from tracing.labels.ofac import parse_sdn_advanced
from tracing.labels.sanctions import sdn_labels
from tracing.screening import check_address
from tracing.settings import load_settings
from tracing.sources.chainalysis import sanctions_api
from tracing.sources.ofac import download_sdn
from tracing.store import Store
from tracing.store.label_store import LabelStore

__all__ = ["add_parser", "cli_actor", "print_skipped"]


def cli_actor() -> str:
    """Who acts from the command line, for the audit log."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def print_skipped(skipped: list[str], limit: int = 20) -> None:
    """List skipped entries on stderr, each with where and why."""
    for reason in skipped[:limit]:
        print(f"skipped {reason}", file=sys.stderr)
    if len(skipped) > limit:
        print(f"... and {len(skipped) - limit} more entries skipped", file=sys.stderr)


def add_parser(sub) -> None:
    """Add the ``sanctions`` sub-command and its actions to the CLI's sub-parsers."""
    parser = sub.add_parser("sanctions", help="sanctions lists: load, update the OFAC SDN list, check an address")
    actions = parser.add_subparsers(dest="action", required=True)
    load = actions.add_parser("load", help="load a sanctions list (OFAC-derived CSV or one address per line)")
    load.add_argument("file")
    load.add_argument("--source", help="name of the list (default: the file name); entries are named after it")
    load.add_argument("--chain", help="read every address as one of this chain (lists of chains not detected)")
    update = actions.add_parser("update", help="refresh the OFAC SDN list from sdn_advanced.xml")
    where = update.add_mutually_exclusive_group()
    where.add_argument("--file", help="a downloaded sdn_advanced.xml or .xml.bz2")
    where.add_argument("--url", help="download from this address (default: SDN_URL, the Treasury's download address)")
    check = actions.add_parser("check", help="is an address listed? (no transfers needed)")
    check.add_argument("address")
    check.add_argument("--chain", help="tron, ethereum, bitcoin or solana (detected when omitted)")
    check.add_argument("--json", action="store_true", help="print the JSON document")


@command("sanctions")
def cmd_sanctions(args: argparse.Namespace, store: Store) -> int:
    """Run one ``sanctions`` action."""
    return {"load": _load, "update": _update, "check": _check}[args.action](args, store)


def _load(args: argparse.Namespace, store: Store) -> int:
    source = args.source or Path(args.file).name
    read = load_sanctions_file(args.file, source=source, chain=args.chain)
    new = LabelStore(store).import_labels(read.labels, cli_actor(), f"sanctions:{source}")
    print(f"{source}: {len(read.labels)} listed addresses read ({new} new); {len(read.skipped)} entries skipped")
    print_skipped(read.skipped)
    return 0


def _update(args: argparse.Namespace, store: Store) -> int:
    kept = "; the previous list is kept"
    if args.file:
        try:
            sdn = parse_sdn_advanced(Path(args.file))
        except ImportFormatError as err:
            raise ImportFormatError(f"{err}{kept}") from err
    else:
        settings = load_settings()
        url = args.url or settings.sdn_url
        with tempfile.TemporaryDirectory() as tmp:
            try:
                sdn = parse_sdn_advanced(download_sdn(url, Path(tmp), settings))
            except SourceUnavailable as err:
                raise SourceUnavailable(f"cannot download the SDN list: {err}{kept}") from err
            except ImportFormatError as err:
                raise ImportFormatError(f"what {url} sent is not sdn_advanced.xml ({err.__cause__}){kept}") from err
    read = sdn_labels([a.to_row() for a in sdn.addresses], source=OFAC_LIST, version=sdn.published)
    stored = LabelStore(store).replace_list(OFAC_LIST, read.labels, cli_actor(), sdn.published)
    print(
        f"{OFAC_LIST} of {sdn.published}: {len(sdn.addresses)} listed addresses, {stored} entries stored "
        "(an address listed for one entity under several assets is one entry)"
    )
    print_skipped(read.skipped)
    return 0


def _check(args: argparse.Namespace, store: Store) -> int:
    settings = load_settings()
    api = sanctions_api(settings)
    try:
        result = check_address(store, args.address, args.chain, api=api)
    finally:
        if api is not None:
            api.close()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    versions = ", ".join(f"{x['list']} {x['version'] or ''}".strip() for x in result["lists"]) or "none"
    if result["api"] is not None:
        api_state = result["api"]
        print(f"{api_state['name']}: {api_state.get('message') or api_state['status']}")
    if not result["listed"]:
        print(f"{result['address']} ({result['chain']}): not listed. Lists checked: {versions}")
        return 0
    print(f"{result['address']} ({result['chain']}): LISTED")
    for e in result["entries"]:
        sdn = f" SDN {e['sdn_id']}" if e["sdn_id"] else ""
        programs = f", programs {';'.join(e['programs'])}" if e["programs"] else ""
        since = f", listed {e['listed_on']}" if e["listed_on"] else ""
        print(f"  {e['entity']} ({e['list']} {e['list_version'] or ''}{sdn}{programs}{since})".replace(" )", ")"))
        if e.get("url"):
            print(f"    {e.get('description') or ''} {e['url']}".rstrip())
    return 0
