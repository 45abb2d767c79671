"""``python -m tracing labels ...``: import, list, export, add and remove labels (audit-logged)."""

import argparse
from pathlib import Path

from tracing.cli import command
from tracing.cli.sanctions import cli_actor, print_skipped
from tracing.labels import CATEGORIES, Label
from tracing.labels.files import LABEL_FORMATS, export_format, labels_text, read_labels
from tracing.model import normalize_address
from tracing.store import Store
from tracing.store.label_store import LabelStore

__all__ = ["add_parser"]


def add_parser(sub) -> None:
    """Add the ``labels`` sub-command and its actions to the CLI's sub-parsers."""
    parser = sub.add_parser("labels", help="address labels: import, list, export, add, remove")
    actions = parser.add_subparsers(dest="action", required=True)
    imp = actions.add_parser("import", help="import a TagPack (YAML), CSV or JSON label file")
    imp.add_argument("file")
    imp.add_argument("--format", choices=LABEL_FORMATS, help="default: from the extension (.yaml, .csv, .json)")
    ls = actions.add_parser("list", help="list (or export) stored labels")
    ls.add_argument("--search", default="", help="part of an address, name, actor or source")
    ls.add_argument("--category", choices=CATEGORIES)
    ls.add_argument("--chain")
    ls.add_argument("--source")
    ls.add_argument("--limit", type=int, default=50)
    ls.add_argument(
        "--export", metavar="FILE", help="write every match to FILE (.csv, .json or .yaml for a TagPack) instead"
    )
    add = actions.add_parser("add", help="label an address")
    add.add_argument("address")
    add.add_argument("--name", required=True, help="the entity holding the address")
    add.add_argument("--category", required=True, choices=CATEGORIES)
    add.add_argument("--chain", help="detected from the address when omitted")
    add.add_argument("--source", default="manual", help="where the statement comes from (default: manual)")
    add.add_argument("--confidence", type=int, default=80, help="0-100 (default 80)")
    add.add_argument("--actor", default="", help="the actor behind the entity")
    add.add_argument("--detail", default="")
    remove = actions.add_parser("remove", help="remove a label by its id (see labels list)")
    remove.add_argument("id", type=int)


@command("labels")
def cmd_labels(args: argparse.Namespace, store: Store) -> int:
    """Run one ``labels`` action."""
    return {"import": _import, "list": _list, "add": _add, "remove": _remove}[args.action](args, store)


def _import(args: argparse.Namespace, store: Store) -> int:
    read = read_labels(args.file, args.format)
    new = LabelStore(store).import_labels(read.labels, cli_actor(), Path(args.file).name)
    print(f"{Path(args.file).name}: {len(read.labels)} labels read ({new} new); {len(read.skipped)} entries skipped")
    print_skipped(read.skipped)
    return 0


def _list(args: argparse.Namespace, store: Store) -> int:
    labels = LabelStore(store)
    where = {"category": args.category, "chain": args.chain, "source": args.source}
    if args.export:
        fmt = export_format(Path(args.export).suffix)
        every = labels.every(args.search, **where)
        Path(args.export).write_text(labels_text(every, fmt), encoding="utf-8")
        print(f"{len(every)} labels written to {args.export}")
        return 0
    page = labels.search(args.search, **where, limit=args.limit)
    for lb in page.labels:
        print(f"{lb.id:>7}  {lb.chain!s:<9} {lb.address}  {lb.category:<10} {lb.name}  [{lb.source}, {lb.confidence}]")
    print(f"{len(page.labels)} of {page.total} labels shown")
    return 0


def _add(args: argparse.Namespace, store: Store) -> int:
    chain, address = normalize_address(args.address, args.chain)
    label = Label(chain, address, args.name, args.category, args.source, args.detail, args.confidence, args.actor)
    added = LabelStore(store).add(label, cli_actor())
    print(f"label {added.id} added: {added.address} is {added.category} '{added.name}'")
    return 0


def _remove(args: argparse.Namespace, store: Store) -> int:
    removed = LabelStore(store).remove(args.id, cli_actor())
    print(f"label {removed.id} removed: {removed.address} was {removed.category} '{removed.name}'")
    return 0
