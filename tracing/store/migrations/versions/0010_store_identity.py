"""The store's identity: a random id made once per database, so what is saved outside it
(the behavioural profile model) can tell which store it belongs to.

Revision ID: 0010
Revises: 0009
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    meta = op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
    )
    op.bulk_insert(meta, [{"key": "identity", "value": uuid.uuid4().hex}])


def downgrade():
    op.drop_table("store_meta")
