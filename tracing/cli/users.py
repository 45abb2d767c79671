"""``python -m tracing users ...``: add users, change passwords, issue and revoke API tokens.

Passwords are read from the ``TRACING_PASSWORD`` environment variable when it is
set (for scripts), else prompted for twice without echo.
"""

import argparse
import getpass
import os

from tracing.accounts import ROLES, AccountError, Accounts
from tracing.cli import command
from tracing.store import Store

__all__ = ["add_parser"]

PASSWORD_ENV = "TRACING_PASSWORD"


def add_parser(sub) -> None:
    """Add the ``users`` sub-command and its actions to the CLI's sub-parsers."""
    parser = sub.add_parser("users", help="dashboard users and API tokens")
    actions = parser.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help=f"create a user (password prompted, or from ${PASSWORD_ENV})")
    add.add_argument("name")
    add.add_argument("--role", default="investigator", choices=ROLES)
    actions.add_parser("passwd", help="change a user's password").add_argument("name")
    actions.add_parser("token", help="print a new API token for a user (shown once)").add_argument("name")
    actions.add_parser("revoke-tokens", help="revoke every API token of a user").add_argument("name")


def _read_password() -> str:
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise AccountError("the two passwords differ")
    return first


@command("users")
def cmd_users(args: argparse.Namespace, store: Store) -> int:
    """Carry out one ``users`` action."""
    accounts = Accounts(store)
    if args.action == "add":
        user = accounts.add_user(args.name, _read_password(), args.role)
        print(f"user {user.name!r} created with role {user.role}")
    elif args.action == "passwd":
        accounts.set_password(args.name, _read_password())
        print(f"password of {args.name!r} changed")
    elif args.action == "token":
        token = accounts.new_token(args.name)
        print(f"API token for {args.name!r} (store it now: it is not shown again):\n{token}")
    else:
        count = accounts.revoke_tokens(args.name)
        print(f"{count} API token(s) of {args.name!r} revoked")
    return 0
