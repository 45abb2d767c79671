"""Fetches: how far each address's history has been fetched from each chain API.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "fetches",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("chain", sa.String(16), nullable=False),
        sa.Column("address", sa.String(128), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("newest_timestamp", sa.BigInteger, nullable=False),
        sa.Column("newest_block", sa.BigInteger, nullable=False),
        sa.Column("newest_tx", sa.String(128), nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("fetched_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("chain", "address", "source", name="uq_fetches_address"),
    )


def downgrade():
    op.drop_table("fetches")
