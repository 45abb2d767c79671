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
from tracing.store.engine import write_if_free
from tracing.store.schema import api_tokens, login_failures, users, web_sessions

__all__ = ["ROLES", "AccountError", "Accounts", "User", "hash_password", "verify_password"]

ROLES = ("admin", "investigator", "viewer")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200  # the login form's limit
TOKEN_DAYS = 90  # API tokens expire after this many days unless asked otherwise
# Common passwords of 10 characters or more (from public breach top lists), compared lower-case.
_COMMON_PASSWORDS = frozenset(
    [
        "1234567890",
        "0123456789",
        "12345678910",
        "1234567891",
        "0987654321",
        "1qaz2wsx3edc",
        "qwertyuiop",
        "qwertyuiop123",
        "password123",
        "password1234",
        "password12",
        "passw0rd123",
        "p@ssw0rd123",
        "password!",
        "password1!",
        "iloveyou123",
        "iloveyou12",
        "qwerty1234",
        "qwerty12345",
        "qwerty123456",
        "1q2w3e4r5t",
        "1q2w3e4r5t6y",
        "asdfghjkl1",
        "asdfghjkl;",
        "zxcvbnm123",
        "abcdefghij",
        "abc1234567",
        "abcd123456",
        "1234qwerty",
        "123456qwerty",
        "qazwsxedcrfv",
        "administrator",
        "admin12345",
        "admin123456",
        "adminadmin",
        "welcome123",
        "welcome1234",
        "letmein123",
        "changeme123",
        "sunshine123",
        "football123",
        "baseball123",
        "princess123",
        "monkey12345",
        "dragon12345",
        "superman123",
        "trustno1234",
        "starwars123",
        "michael123",
        "whatever123",
        "computer123",
        "internet123",
        "1234554321",
        "1122334455",
        "1234512345",
        "0000011111",
        "9876543210",
        "passwordpassword",
    ]
)
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
        """Replace a user's password; every session of the user ends."""
        _check_password(password)
        with self.engine.begin() as conn:
            done = conn.execute(
                users.update().where(users.c.name == name).values(password_hash=hash_password(password))
            ).rowcount
            conn.execute(web_sessions.delete().where(web_sessions.c.user_id.in_(_user_id(name))))
        if not done:
            raise AccountError(f"no user named {name!r}")

    def sign_out_everywhere(self, name: str) -> int:
        """End every web session of the user; return how many there were."""
        if self.by_name(name) is None:
            raise AccountError(f"no user named {name!r}")
        with self.engine.begin() as conn:
            return conn.execute(web_sessions.delete().where(web_sessions.c.user_id.in_(_user_id(name)))).rowcount

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
    def new_token(self, name: str, label: str = "", days: float | None = TOKEN_DAYS) -> str:
        """A new API token for the user, named ``label``, valid ``days`` (None: never expires).

        Only its hash is stored, so it is shown once.
        """
        user = self.by_name(name)
        if user is None:
            raise AccountError(f"no user named {name!r}")
        if len(label) > 80:
            raise AccountError("a token name has at most 80 characters")
        if days is not None and not 0 < days <= 3660:
            raise AccountError(f"a token is valid 1 to 3660 days, got {days}")
        token, now = TOKEN_PREFIX + secrets.token_urlsafe(32), int(time.time())
        expires = None if days is None else now + int(days * 86400)
        row = {"user_id": user.id, "token_hash": _token_hash(token), "created_at": now, "name": label}
        with self.engine.begin() as conn:
            conn.execute(api_tokens.insert().values(**row, expires_at=expires))
        return token

    def tokens(self, name: str) -> list[dict]:
        """The user's tokens: id, name, created, expires and last used (Unix seconds; None when never)."""
        c = api_tokens.c
        query = (
            sa.select(c.id, c.name, c.created_at, c.expires_at, c.last_used_at)
            .where(c.user_id.in_(_user_id(name)))
            .order_by(c.id)
        )
        with self.engine.connect() as conn:
            return [dict(zip(("id", "name", "created", "expires", "last_used"), row)) for row in conn.execute(query)]

    def revoke_token(self, name: str, token_id: int) -> bool:
        """Delete one of the user's own API tokens (another user's id deletes nothing); whether one went."""
        query = api_tokens.delete().where(api_tokens.c.id == int(token_id), api_tokens.c.user_id.in_(_user_id(name)))
        with self.engine.begin() as conn:
            return conn.execute(query).rowcount == 1

    def revoke_tokens(self, name: str) -> int:
        """Delete every API token of the user and end their web sessions; return how many tokens there were."""
        user = self.by_name(name)
        if user is None:
            raise AccountError(f"no user named {name!r}")
        with self.engine.begin() as conn:
            conn.execute(web_sessions.delete().where(web_sessions.c.user_id == user.id))
            return conn.execute(api_tokens.delete().where(api_tokens.c.user_id == user.id)).rowcount

    def user_for_token(self, token: str) -> User | None:
        """The owner of a valid, unexpired API token, or None; notes when the token was last used."""
        if len(token) > 100:
            return None
        now = int(time.time())
        live = sa.or_(api_tokens.c.expires_at.is_(None), api_tokens.c.expires_at > now)
        query = (
            sa.select(users.c.id, users.c.name, users.c.role, api_tokens.c.id, api_tokens.c.last_used_at)
            .join(api_tokens, api_tokens.c.user_id == users.c.id)
            .where(api_tokens.c.token_hash == _token_hash(token), live)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        if row[4] is None or row[4] < now - 60:  # written at most once a minute, never waiting for an import
            write_if_free(self.engine, api_tokens.update().where(api_tokens.c.id == row[3]).values(last_used_at=now))
        return User(int(row[0]), row[1], row[2])

    # -- failed logins --------------------------------------------------------------------
    def record_failure(self, *keys: str, now: float | None = None) -> list[int]:
        """Count one failed login against each key (``user:NAME``, ``ip:ADDRESS``); return the rows' ids.

        A login counts itself first and checks the counts after, so parallel
        attempts see one another (see :func:`forget_failures` to take it back).
        """
        at = int(now if now is not None else time.time())
        with self.engine.begin() as conn:
            return [
                conn.execute(login_failures.insert().values(key=k[:200], at=at)).inserted_primary_key[0] for k in keys
            ]

    def forget_failures(self, ids: list[int]) -> None:
        """Take back counted attempts (a login that succeeded or was not tried)."""
        with self.engine.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.id.in_(ids)))

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


def _user_id(name: str):
    return sa.select(users.c.id).where(users.c.name == name).scalar_subquery()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    if len(set(password)) == 1 or password.lower() in _COMMON_PASSWORDS:
        raise AccountError("this password is too easy to guess (a common password or one repeated character)")


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown names against, so they take as long as known ones."""
    return hash_password(secrets.token_hex(8))
