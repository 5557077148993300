"""What lists and the public board show of each meeting, kept beside the record.

`meeting_digests` holds one row per meeting: the record's head it was made from (seq and hash)
and the digest as JSON. It is derived data: a row whose head is not the record's, or whose
version is not this code's, is made again from the record; deleting every row loses nothing.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "meeting_digests",
        sa.Column("meeting_id", sa.String(), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meeting_digests")
