"""Users, API tokens and failed-login counts, kept in the store.

Passwords are hashed with scrypt (salted, parameters stored with the hash);
API tokens are random and stored as their SHA-256 only, so a copy of the
database reveals neither. Failed logins are rows in the store, so every web
worker sees the same count.

>>> stored = hash_password("correct horse")
>>> stored.startswith("scrypt$"), verify_password("correct horse", stored), verify_password("wrong", stored)
(True, True, False)
"""

import base64
import functools
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa

from tracing.errors import TracingError
from tracing.store import Store
from tracing.store.schema import api_tokens, login_failures, users

__all__ = ["ROLES", "AccountError", "Accounts", "User", "hash_password", "verify_password"]

ROLES = ("admin", "investigator", "viewer")
MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "trc_"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}  # werkzeug's default cost: ~50 ms and 32 MiB per hash


class AccountError(TracingError, ValueError):
    """A user name, role or password is not acceptable, or the user does not exist."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password``, with its parameters: ``scrypt$n$r$p$salt$hash``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, maxmem=2**26, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant-time compare)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), maxmem=2**26, dklen=32
        )
    except (ValueError, TypeError):
        return False
    return kind == "scrypt" and hmac.compare_digest(actual, expected)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class User:
    """A person who may log in."""

    id: int
    name: str
    role: str


class Accounts:
    """User, token and failed-login operations on one :class:`~tracing.store.Store`."""

    def __init__(self, store: Store):
        self.engine = store.engine

    # -- users ----------------------------------------------------------------------------
    def count_users(self) -> int:
        """How many users exist."""
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one()

    def add_user(self, name: str, password: str, role: str = "investigator") -> User:
        """Create a user; refuse a taken name, an unknown role or a short password."""
        name = name.strip()
        if not name or len(name) > 80:
            raise AccountError("a user name must have 1 to 80 characters")
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; expected one of: {', '.join(ROLES)}")
        _check_password(password)
        row = {"name": name, "password_hash": hash_password(password), "role": role, "created_at": int(time.time())}
        try:
            with self.engine.begin() as conn:
                user_id = conn.execute(users.insert().values(**row)).inserted_primary_key[0]
        except sa.exc.IntegrityError:
            raise AccountError(f"a user named {name!r} already exists") from None
        return User(int(user_id), name, role)

    def get(self, user_id: int) -> User | None:
        """The user with this id, or None."""
        return self._one(users.c.id == user_id)

    def by_name(self, name: str) -> User | None:
        """The user with this name, or None."""
        return self._one(users.c.name == name)

    def _one(self, condition) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(users.c.id, users.c.name, users.c.role).where(condition)).first()
        return User(int(row[0]), row[1], row[2]) if row else None

    def list_users(self) -> list[User]:
        """Every user, by name."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(users.c.id, users.c.name, users.c.role).order_by(users.c.name)).all()
        return [User(int(r[0]), r[1], r[2]) for r in rows]

    def set_role(self, name: str, role: str) -> None:
        """Give a user another role."""
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}; expected one of: {', '.join(ROLES)}")
        with self.engine.begin() as conn:
            done = conn.execute(users.update().where(users.c.name == name).values(role=role)).rowcount
        if not done:
            raise AccountError(f"no user named {name!r}")

    def set_password(self, name: str, password: str) -> None:
        """Replace a user's password."""
        _check_password(password)
        with self.engine.begin() as conn:
            done = conn.execute(
                users.update().where(users.c.name == name).values(password_hash=hash_password(password))
            ).rowcount
        if not done:
            raise AccountError(f"no user named {name!r}")

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when ``password`` is theirs, else None (an unknown name costs the same time)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(users.c.id, users.c.name, users.c.role, users.c.password_hash).where(users.c.name == name)
            ).first()
        stored = row[3] if row else _dummy_hash()
        ok = verify_password(password, stored)
        return User(int(row[0]), row[1], row[2]) if row and ok else None

    def ensure_admin(self, password: str | None = None) -> str | None:
        """When no user exists, create ``admin`` and return its password (random unless given).

        Returns None when users exist already, or when another process created the
        admin at the same moment (several web workers starting together).
        """
        if self.count_users():
            return None
        password = password or secrets.token_urlsafe(12)
        try:
            self.add_user("admin", password, "admin")
        except AccountError:
            return None
        return password

    # -- API tokens -----------------------------------------------------------------------
    def new_token(self, name: str) -> str:
        """A new API token for the user; only its hash is stored, so it is shown once."""
        user = self.by_name(name)
        if user is None:
            raise AccountError(f"no user named {name!r}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(
                api_tokens.insert().values(user_id=user.id, token_hash=_token_hash(token), created_at=int(time.time()))
            )
        return token

    def revoke_tokens(self, name: str) -> int:
        """Delete every API token of the user; return how many there were."""
        user = self.by_name(name)
        if user is None:
            raise AccountError(f"no user named {name!r}")
        with self.engine.begin() as conn:
            return conn.execute(api_tokens.delete().where(api_tokens.c.user_id == user.id)).rowcount

    def user_for_token(self, token: str) -> User | None:
        """The owner of a valid API token, or None."""
        query = (
            sa.select(users.c.id, users.c.name, users.c.role)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_hash == _token_hash(token))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return User(int(row[0]), row[1], row[2]) if row else None

    # -- failed logins --------------------------------------------------------------------
    def record_failure(self, *keys: str, now: float | None = None) -> None:
        """Count one failed login against each key (``user:NAME``, ``ip:ADDRESS``)."""
        at = int(now if now is not None else time.time())
        with self.engine.begin() as conn:
            conn.execute(login_failures.insert(), [{"key": k, "at": at} for k in keys])

    def failures_since(self, key: str, since: float) -> tuple[int, int | None]:
        """How many failures ``key`` has since a time, and the oldest of them."""
        query = sa.select(sa.func.count(), sa.func.min(login_failures.c.at)).where(
            login_failures.c.key == key, login_failures.c.at >= int(since)
        )
        with self.engine.connect() as conn:
            count, oldest = conn.execute(query).one()
        return int(count), oldest

    def clear_failures(self, key: str) -> None:
        """Forget the failures of ``key`` (after a good login)."""
        with self.engine.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.key == key))

    def prune_failures(self, before: float) -> None:
        """Forget every failure older than ``before`` (they no longer count)."""
        with self.engine.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.at < int(before)))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so they take as long as known ones."""
    return hash_password(secrets.token_hex(8))
