"""Web sessions kept in the store (so logout and password changes end them); API tokens get a name,
an expiry and a last-used time.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "web_sessions",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("user_id", _ID, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("last_seen", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_web_sessions_user", "web_sessions", ["user_id"])
    op.add_column("api_tokens", sa.Column("name", sa.String(80), nullable=False, server_default=""))
    op.add_column("api_tokens", sa.Column("expires_at", sa.BigInteger, nullable=True))
    op.add_column("api_tokens", sa.Column("last_used_at", sa.BigInteger, nullable=True))


def downgrade():
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("last_used_at")
        batch.drop_column("expires_at")
        batch.drop_column("name")
    op.drop_index("ix_web_sessions_user", "web_sessions")
    op.drop_table("web_sessions")
