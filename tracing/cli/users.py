"""``python -m tracing users ...``: list and add users, change passwords, issue and revoke API tokens.

Passwords are read from the ``TRACING_PASSWORD`` environment variable when it is
set (for scripts), else prompted for twice without echo on a terminal. A name that
cannot work (unknown, or taken) is refused before any prompt.
"""

import argparse
import getpass
import os
import sys
from datetime import UTC, datetime

from tracing.accounts import ROLES, TOKEN_DAYS, AccountError, Accounts
from tracing.audit import AuditLog
from tracing.cli import command
from tracing.cli.sanctions import cli_actor
from tracing.store import Store

__all__ = ["add_parser"]

PASSWORD_ENV = "TRACING_PASSWORD"
CHANGES = ("add", "passwd", "token", "sign-out", "revoke-tokens")
"""The actions that change an account (the others only list)."""


def add_parser(sub) -> None:
    """Add the ``users`` sub-command and its actions to the CLI's sub-parsers."""
    parser = sub.add_parser("users", help="dashboard users and API tokens")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="every user with their role")
    add = actions.add_parser("add", help=f"create a user (password prompted, or from ${PASSWORD_ENV})")
    add.add_argument("name")
    add.add_argument("--role", default="investigator", choices=ROLES)
    actions.add_parser("passwd", help="change a user's password").add_argument("name")
    token = actions.add_parser("token", help="print a new API token for a user (shown once)")
    token.add_argument("name")
    token.add_argument("--label", default="", help="what the token is for (shown by 'users tokens')")
    token.add_argument("--days", type=float, default=TOKEN_DAYS, help=f"days it is valid (default {TOKEN_DAYS})")
    actions.add_parser("tokens", help="list a user's API tokens: label, created, expires, last used").add_argument(
        "name"
    )
    actions.add_parser("revoke-tokens", help="revoke every API token and web session of a user").add_argument("name")
    actions.add_parser("sign-out", help="end every web session of a user (sign out everywhere)").add_argument("name")


def _when(seconds: int | None) -> str:
    return "never" if seconds is None else datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _read_password() -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if not sys.stdin.isatty():
        raise AccountError(f"no terminal to prompt for the password: set {PASSWORD_ENV}")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise AccountError("the two passwords differ")
    return first


def _existing(accounts: Accounts, name: str) -> str:
    if accounts.by_name(name) is None:
        raise AccountError(f"no user named {name!r}")
    return name


@command("users")
def cmd_users(args: argparse.Namespace, store: Store) -> int:
    """Carry out one ``users`` action."""
    accounts = Accounts(store)
    if args.action == "list":
        found = accounts.list_users()
        width = max((len(u.name) for u in found), default=4)
        print("\n".join([f"{'name':<{width}}  role", *(f"{u.name:<{width}}  {u.role}" for u in found)]))
    elif args.action == "add":
        if accounts.by_name(args.name.strip()) is not None:
            raise AccountError(f"a user named {args.name.strip()!r} already exists")
        user = accounts.add_user(args.name, _read_password(), args.role)
        print(f"user {user.name!r} created with role {user.role}")
    elif args.action == "passwd":
        accounts.set_password(_existing(accounts, args.name), _read_password())
        print(f"password of {args.name!r} changed")
    elif args.action == "token":
        token = accounts.new_token(args.name, args.label, args.days)
        print(f"API token for {args.name!r} (store it now: it is not shown again):\n{token}")
    elif args.action == "tokens":
        for row in accounts.tokens(args.name):
            times = ", ".join(f"{k} {_when(row[k])}" for k in ("created", "expires", "last_used"))
            print(f"{row['name'] or '(no label)'}: {times}")
    elif args.action == "sign-out":
        print(f"{accounts.sign_out_everywhere(args.name)} session(s) of {args.name!r} ended")
    else:
        count = accounts.revoke_tokens(args.name)
        print(f"{count} API token(s) of {args.name!r} revoked")
    if args.action in CHANGES:  # every change is audit-logged, as from the admin page
        detail = {"role": args.role} if args.action == "add" else ""
        AuditLog(store).record(cli_actor(), f"user.{args.action}", "user", args.name, detail)
    return 0
