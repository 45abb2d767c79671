"""Labels keep their provenance: confidence, actor, listing (reference, programs, date, list version),
who added them and when; one address may carry several entities of one list.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("confidence", sa.SmallInteger, "50"),
    ("actor", sa.String(120), ""),
    ("reference", sa.String(120), ""),
    ("programs", sa.String(200), ""),
    ("listed_on", sa.String(10), ""),
    ("list_version", sa.String(32), ""),
    ("added_by", sa.String(80), ""),
    ("added_at", sa.BigInteger, "0"),
)


def upgrade():
    with op.batch_alter_table("labels") as batch:
        for name, kind, default in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=default))
        batch.drop_constraint("uq_labels_statement", type_="unique")
        batch.create_unique_constraint("uq_labels_statement", ["chain", "address", "category", "source", "name"])
        batch.create_index("ix_labels_source", ["source"])


def downgrade():
    with op.batch_alter_table("labels") as batch:
        batch.drop_index("ix_labels_source")
        batch.drop_constraint("uq_labels_statement", type_="unique")
        batch.create_unique_constraint("uq_labels_statement", ["chain", "address", "category", "source"])
        for name, _kind, _default in reversed(_COLUMNS):
            batch.drop_column(name)
