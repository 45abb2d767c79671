"""The SQLAlchemy engine behind a Store: pooled connections checked before use, SQLite in WAL mode.

- A database that stops answering raises :class:`~tracing.errors.StoreUnavailable`
  (the web app answers 503 and an alert); connections are checked before use, so
  the app recovers by itself when the database is back.
- SQLite runs in WAL mode (readers never wait for a writer) with a busy timeout,
  so an import does not make the web app fail with ``database is locked``.
"""

import os
from pathlib import Path

import sqlalchemy as sa

from tracing.errors import BadParameters, StoreUnavailable

__all__ = ["BUSY_TIMEOUT_SECONDS", "make_engine", "private_file", "write_if_free"]

BUSY_TIMEOUT_SECONDS = 30.0
BOOKKEEPING_WAIT_MS = 100  # how long a skippable write (a last-seen time) waits for SQLite's write lock
# SQLite names every error OperationalError, a missing table too; only these mean "not available"
_SQLITE_DOWN = ("database is locked", "unable to open database", "disk I/O error", "database or disk is full")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed transaction
    cursor.close()


def _unavailable(context: sa.engine.ExceptionContext) -> None:
    """Raise StoreUnavailable in place of a lost connection or a database that does not answer."""
    original = context.original_exception
    if context.dialect is not None and context.dialect.name == "sqlite":
        down = any(words in str(original) for words in _SQLITE_DOWN)
    else:
        down = isinstance(context.sqlalchemy_exception, sa.exc.OperationalError)
    if context.is_disconnect or down:
        reason = str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__
        raise StoreUnavailable(f"the database is not answering ({reason}); try again in a moment") from original


def private_file(path: Path, *, make_folder: bool = True) -> None:
    """Create the SQLite file (0600) and its folder (0700) unless they exist: only this user reads them.

    With ``make_folder`` false, a missing folder is an error (a mistyped path, not a new store).
    """
    if not make_folder and not path.parent.is_dir():
        raise BadParameters(
            "database",
            f"no folder {path.parent} for the SQLite file {path.name}: check the path (or create the folder)",
        )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url`` with the settings above."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        if url != "sqlite:///:memory:":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True, pool_recycle=3600)
    sa.event.listen(engine, "handle_error", _unavailable)
    return engine


def write_if_free(engine: sa.Engine, statement) -> bool:
    """Run a bookkeeping write (a last-seen time) unless the database is busy; return whether it ran.

    SQLite has one write lock, and an import holds it for its whole transaction:
    a page that waited the busy timeout for a timestamp would stall, so on SQLite
    such writes give up after :data:`BOOKKEEPING_WAIT_MS`. PostgreSQL locks rows,
    so there the write simply runs.
    """
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            conn.execute(statement)
        return True
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={BOOKKEEPING_WAIT_MS}")
            try:
                conn.execute(statement)
            finally:
                conn.exec_driver_sql(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
    except StoreUnavailable:
        return False
    return True
