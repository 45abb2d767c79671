"""Market surveillance: one-minute bars and alerts of the live pipeline.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "market_bars",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("symbol", sa.String(64), nullable=False),
        sa.Column("minute", sa.BigInteger, nullable=False),
        *(sa.Column(name, sa.Float, nullable=False) for name in ("open", "high", "low", "close")),
        *(sa.Column(name, sa.Float, nullable=False) for name in ("volume", "buy_volume", "sell_volume", "quote_volume")),
        *(sa.Column(name, sa.BigInteger, nullable=False) for name in ("count", "buy_count", "rush")),
        sa.UniqueConstraint("symbol", "minute", name="uq_market_bars_minute"),
    )
    op.create_index("ix_market_bars_minute", "market_bars", ["minute"])
    op.create_table(
        "market_alerts",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("detector", sa.String(32), nullable=False),
        sa.Column("symbol", sa.String(64), nullable=False),
        sa.Column("minute", sa.BigInteger, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("signals", sa.Text, nullable=False),
        sa.Column("bars", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("detector", "symbol", "minute", name="uq_market_alerts_minute"),
    )
    op.create_index("ix_market_alerts_symbol", "market_alerts", ["symbol", "minute"])


def downgrade():
    op.drop_table("market_alerts")
    op.drop_table("market_bars")
