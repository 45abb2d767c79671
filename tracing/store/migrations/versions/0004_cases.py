"""Cases: their items (addresses, traces, transfers with parameters), notes and read-only share links.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _case_id():
    return sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False)


def upgrade():
    op.create_table(
        "cases",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("tags", sa.String(500), nullable=False, server_default=""),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_cases_updated", "cases", ["updated_at"])
    op.create_table(
        "case_items",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        _case_id(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("chain", sa.String(16), nullable=False),
        sa.Column("address", sa.String(128), nullable=False),
        sa.Column("ref", sa.String(200), nullable=False, server_default=""),
        sa.Column("params", sa.Text, nullable=False, server_default="{}"),
        sa.Column("added_by", sa.String(80), nullable=False),
        sa.Column("added_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_case_items_case", "case_items", ["case_id"])
    op.create_index("ix_case_items_address", "case_items", ["chain", "address"])
    op.create_table(
        "case_notes",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        _case_id(),
        sa.Column("chain", sa.String(16), nullable=False, server_default=""),
        sa.Column("address", sa.String(128), nullable=False, server_default=""),
        sa.Column("author", sa.String(80), nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_case_notes_case", "case_notes", ["case_id", "at"])
    op.create_table(
        "share_links",
        sa.Column("id", _ID, primary_key=True, autoincrement=True),
        _case_id(),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
        sa.Column("revoked_at", sa.BigInteger, nullable=True),
        sa.Column("revoked_by", sa.String(80), nullable=True),
    )
    op.create_index("ix_share_links_case", "share_links", ["case_id"])


def downgrade():
    for table in ("share_links", "case_notes", "case_items"):
        op.drop_table(table)
    op.drop_index("ix_cases_updated", "cases")
    op.drop_table("cases")
