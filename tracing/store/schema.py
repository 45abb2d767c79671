"""Table definitions (SQLAlchemy Core). Change them only together with a migration."""

import sqlalchemy as sa

__all__ = [
    "TRANSFER_COLUMNS",
    "api_tokens",
    "audit_log",
    "case_items",
    "case_notes",
    "cases",
    "fetches",
    "labels",
    "login_failures",
    "market_alerts",
    "market_bars",
    "metadata",
    "share_links",
    "store_meta",
    "transfers",
    "users",
    "web_sessions",
]

metadata = sa.MetaData()

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite autoincrements INTEGER keys only

transfers = sa.Table(
    "transfers",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("chain", sa.String(16), nullable=False),
    sa.Column("tx_hash", sa.String(128), nullable=False),
    sa.Column("idx", sa.Integer, nullable=False),
    sa.Column("block", sa.BigInteger, nullable=False),
    sa.Column("timestamp", sa.BigInteger, nullable=False),
    sa.Column("sender", sa.String(128), nullable=False),
    sa.Column("receiver", sa.String(128), nullable=False),
    sa.Column("symbol", sa.String(32), nullable=False),
    sa.Column("contract", sa.String(128), nullable=False),
    sa.Column("decimals", sa.SmallInteger, nullable=False),
    sa.Column("amount", sa.String(80), nullable=False),  # exact base units as digits: may exceed 2**64
    sa.Column("value", sa.Float, nullable=False),  # token units, for analytics only
    sa.Column("source", sa.String(64), nullable=False),
    sa.UniqueConstraint("chain", "tx_hash", "idx", name="uq_transfers_identity"),
    sa.Index("ix_transfers_sender", "chain", "sender", "timestamp"),
    sa.Index("ix_transfers_receiver", "chain", "receiver", "timestamp"),
)

TRANSFER_COLUMNS = tuple(
    transfers.c[name]
    for name in (
        "tx_hash",
        "idx",
        "block",
        "timestamp",
        "sender",
        "receiver",
        "symbol",
        "contract",
        "decimals",
        "amount",
    )
)
"""The columns a stored transfer is read back from, in TransferTable order (``value``, ``source`` are not read)."""

labels = sa.Table(
    "labels",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("chain", sa.String(16), nullable=False),
    sa.Column("address", sa.String(128), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    # provenance (migration 0004): how sure, whose, which listing, who stored it when
    sa.Column("confidence", sa.SmallInteger, nullable=False, server_default="50"),
    sa.Column("actor", sa.String(120), nullable=False, server_default=""),
    sa.Column("reference", sa.String(120), nullable=False, server_default=""),
    sa.Column("programs", sa.String(200), nullable=False, server_default=""),
    sa.Column("listed_on", sa.String(10), nullable=False, server_default=""),
    sa.Column("list_version", sa.String(32), nullable=False, server_default=""),
    sa.Column("added_by", sa.String(80), nullable=False, server_default=""),
    sa.Column("added_at", sa.BigInteger, nullable=False, server_default="0"),
    sa.UniqueConstraint("chain", "address", "category", "source", "name", name="uq_labels_statement"),
    sa.Index("ix_labels_address", "chain", "address"),
    sa.Index("ix_labels_source", "source"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(80), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(256), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)

api_tokens = sa.Table(
    "api_tokens",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),  # sha256 hex: tokens are random
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("name", sa.String(80), nullable=False, server_default=""),  # what the token is for
    sa.Column("expires_at", sa.BigInteger, nullable=True),  # None: never
    sa.Column("last_used_at", sa.BigInteger, nullable=True),
)

web_sessions = sa.Table(  # a logged-in browser: the cookie holds the token, the store its sha256
    "web_sessions",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("last_seen", sa.BigInteger, nullable=False),
    sa.Index("ix_web_sessions_user", "user_id"),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(200), nullable=False),  # "user:NAME" or "ip:ADDRESS"
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Index("ix_login_failures_key", "key", "at"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("at", sa.BigInteger, nullable=False),  # Unix seconds, UTC
    sa.Column("actor", sa.String(80), nullable=False),  # a user name, or "cli" / "system"
    sa.Column("action", sa.String(64), nullable=False),  # e.g. "case.create", "user.passwd"
    sa.Column("object_type", sa.String(32), nullable=False),
    sa.Column("object_id", sa.String(200), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Index("ix_audit_log_object", "object_type", "object_id", "at"),
    sa.Index("ix_audit_log_at", "at"),
)

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("status", sa.String(16), nullable=False),  # open | closed
    sa.Column("tags", sa.String(500), nullable=False, server_default=""),  # ",a,b," so LIKE '%,a,%' finds a tag
    sa.Column("owner", sa.String(80), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
    sa.Index("ix_cases_updated", "updated_at"),
)

case_items = sa.Table(
    "case_items",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # address | trace | transfer
    sa.Column("chain", sa.String(16), nullable=False),
    sa.Column("address", sa.String(128), nullable=False),
    sa.Column("ref", sa.String(200), nullable=False, server_default=""),  # tx hash (and :index) for traces, transfers
    sa.Column("params", sa.Text, nullable=False, server_default="{}"),  # the parameters used, JSON
    sa.Column("added_by", sa.String(80), nullable=False),
    sa.Column("added_at", sa.BigInteger, nullable=False),
    sa.Index("ix_case_items_case", "case_id"),
    sa.Index("ix_case_items_address", "chain", "address"),
)

case_notes = sa.Table(
    "case_notes",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("chain", sa.String(16), nullable=False, server_default=""),  # empty: a note on the case
    sa.Column("address", sa.String(128), nullable=False, server_default=""),
    sa.Column("author", sa.String(80), nullable=False),
    sa.Column("at", sa.BigInteger, nullable=False),
    sa.Column("body", sa.Text, nullable=False),  # Markdown, rendered safely
    sa.Index("ix_case_notes_case", "case_id", "at"),
)

share_links = sa.Table(
    "share_links",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_by", sa.String(80), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("expires_at", sa.BigInteger, nullable=False),
    sa.Column("revoked_at", sa.BigInteger, nullable=True),
    sa.Column("revoked_by", sa.String(80), nullable=True),
    sa.Index("ix_share_links_case", "case_id"),
)

fetches = sa.Table(
    "fetches",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("chain", sa.String(16), nullable=False),
    sa.Column("address", sa.String(128), nullable=False),
    sa.Column("source", sa.String(64), nullable=False),  # the connector: trongrid, etherscan, esplora, solana
    sa.Column("newest_timestamp", sa.BigInteger, nullable=False),  # the newest transfer fetched so far
    sa.Column("newest_block", sa.BigInteger, nullable=False),
    sa.Column("newest_tx", sa.String(128), nullable=False),
    sa.Column("complete", sa.Boolean, nullable=False),  # False: a limit cut the history (older ones missing)
    sa.Column("fetched_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("chain", "address", "source", name="uq_fetches_address"),
)

market_bars = sa.Table(
    "market_bars",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("symbol", sa.String(64), nullable=False),
    sa.Column("minute", sa.BigInteger, nullable=False),  # minutes since the Unix epoch, UTC
    *(sa.Column(name, sa.Float, nullable=False) for name in ("open", "high", "low", "close")),
    *(sa.Column(name, sa.Float, nullable=False) for name in ("volume", "buy_volume", "sell_volume", "quote_volume")),
    *(sa.Column(name, sa.BigInteger, nullable=False) for name in ("count", "buy_count", "rush")),
    sa.UniqueConstraint("symbol", "minute", name="uq_market_bars_minute"),
    sa.Index("ix_market_bars_minute", "minute"),
)

market_alerts = sa.Table(
    "market_alerts",
    metadata,
    sa.Column("id", _ID, primary_key=True, autoincrement=True),
    sa.Column("detector", sa.String(32), nullable=False),
    sa.Column("symbol", sa.String(64), nullable=False),
    sa.Column("minute", sa.BigInteger, nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),  # pump or dump
    sa.Column("signals", sa.Text, nullable=False),  # JSON
    sa.Column("bars", sa.Text, nullable=False),  # JSON: the pair's bars up to 30 minutes before, and the alert's
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.UniqueConstraint("detector", "symbol", "minute", name="uq_market_alerts_minute"),
    sa.Index("ix_market_alerts_symbol", "symbol", "minute"),
)

store_meta = sa.Table(  # facts about the database itself; "identity": a random id made by migration 0010
    "store_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
)
