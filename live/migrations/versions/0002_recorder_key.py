"""Each meeting gets a recorder key of its own (the recorder no longer uses the moderator's).

Meetings created before this get a new random key; their moderator links keep working.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("recorder_key", sa.String(), nullable=True))
    conn = op.get_bind()
    meetings = sa.table("meetings", sa.column("id", sa.String()), sa.column("recorder_key", sa.String()))
    for (meeting_id,) in conn.execute(sa.select(meetings.c.id)).all():
        conn.execute(meetings.update().where(meetings.c.id == meeting_id).values(recorder_key=secrets.token_urlsafe(18)))
    with op.batch_alter_table("meetings") as batch:
        batch.alter_column("recorder_key", existing_type=sa.String(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("recorder_key")
