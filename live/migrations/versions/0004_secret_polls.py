"""Secret polls: who voted, and the ballot box, in two tables that share nothing but the poll.

`poll_voters` holds one row per voter and poll (the database refuses a second ballot);
`ballot_box` holds (receipt, ballot) with no voter, time or sequence. On SQLite both are
WITHOUT ROWID tables, stored in key order, so not even the row order says who voted when.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "poll_voters",
        sa.Column("meeting_id", sa.String(), primary_key=True),
        sa.Column("poll_id", sa.String(), primary_key=True),
        sa.Column("voter", sa.String(), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "ballot_box",
        sa.Column("meeting_id", sa.String(), primary_key=True),
        sa.Column("poll_id", sa.String(), primary_key=True),
        sa.Column("receipt", sa.String(), primary_key=True),
        sa.Column("ballot", sa.String(), nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("ballot_box")
    op.drop_table("poll_voters")
