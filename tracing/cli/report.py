"""``python -m tracing report ...``: HTML and PDF reports of an address or a case, and their verification.

report ADDRESS [--chain C] --format html|pdf -o FILE
report --case ID --format html|pdf -o FILE
report verify FILE
"""

import argparse
import getpass
import sys
from pathlib import Path

from tracing.cli import command
from tracing.errors import BadParameters
from tracing.sources import demo
from tracing.store import Store

__all__ = ["add_parser"]

FORMATS = ("html", "pdf")


def add_parser(sub) -> None:
    """Add the ``report`` sub-command to the CLI's sub-parsers."""
    parser = sub.add_parser(
        "report", help="HTML or PDF report of an address or a case; 'report verify FILE' checks one"
    )
    parser.add_argument("target", nargs="*", metavar="ADDRESS | verify FILE")
    parser.add_argument("--case", type=int, metavar="ID", help="report on this case instead of an address")
    parser.add_argument("--chain", help="tron, ethereum, bitcoin or solana (detected from the format when omitted)")
    parser.add_argument("--format", choices=FORMATS, help="default: from the output file's extension")
    parser.add_argument("-o", "--output", metavar="FILE", help="where to write the report")
    parser.add_argument("--investigator", help="name on the cover (default: your login name)")


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    raise BadParameters("format", f"say --format html or pdf (the file name {args.output!r} does not tell)")


def _verify(path: str) -> int:
    from tracing.report.seal import verify

    if not Path(path).is_file():
        raise BadParameters("FILE", f"no such file: {path}")
    result = verify(path)
    if result.ok:
        print(f"OK: {result.kind} report {result.report_id}, evidence SHA-256 {result.evidence_sha256}")
        return 0
    for problem in result.problems:
        print(f"FAILED: {path}: {problem}", file=sys.stderr)
    return 1


@command("report")
def cmd_report(args: argparse.Namespace, store: Store) -> int:
    """Write a report, or verify one."""
    if args.target[:1] == ["verify"]:
        if len(args.target) != 2:
            raise BadParameters("verify", "usage: report verify FILE")
        return _verify(args.target[1])
    if (args.case is None) == (len(args.target) != 1):
        raise BadParameters("report", "give one ADDRESS or --case ID (not both, not neither)")
    if not args.output:
        raise BadParameters("output", "say where to write the report with -o FILE")
    kind = _format(args)
    from tracing.report import address_evidence, case_evidence, render_html, render_pdf

    investigator = args.investigator or getpass.getuser()
    if args.case is not None:
        evidence = case_evidence(store, args.case, investigator=investigator)
    else:
        demo.ensure_demo(store)
        evidence = address_evidence(store, args.target[0], args.chain, investigator=investigator)
    content = render_html(evidence) if kind == "html" else render_pdf(evidence)
    Path(args.output).write_bytes(content)
    print(
        f"{kind.upper()} report written to {args.output} ({len(content):,} bytes); evidence SHA-256 {evidence.sha256}"
    )
    return 0
