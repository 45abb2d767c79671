"""Initial schema: transfers, labels, users.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "transfers",
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
        sa.Column("amount", sa.String(80), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.UniqueConstraint("chain", "tx_hash", "idx", name="uq_transfers_identity"),
    )
    op.create_index("ix_transfers_sender", "transfers", ["chain", "sender", "timestamp"])
    op.create_index("ix_transfers_receiver", "transfers", ["chain", "receiver", "timestamp"])
    op.create_table(
        "labels",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("chain", sa.String(16), nullable=False),
        sa.Column("address", sa.String(128), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("chain", "address", "category", "source", name="uq_labels_statement"),
    )
    op.create_index("ix_labels_address", "labels", ["chain", "address"])
    op.create_table(
        "users",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(256), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )


def downgrade():
    op.drop_table("users")
    op.drop_index("ix_labels_address", "labels")
    op.drop_table("labels")
    op.drop_index("ix_transfers_receiver", "transfers")
    op.drop_index("ix_transfers_sender", "transfers")
    op.drop_table("transfers")
