"""office_reminder_settings: an office's lead times before liaison meetings and joint patrols
(event_reminder_days, event_reminder_hours); each lead time may be left to the default.

Revision ID: 20261204_0021
Revises: 20261204_0020
Create Date: 2026-12-04 15:50:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0021"
down_revision = "20261204_0020"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("office_reminder_settings") as batch:
        batch.alter_column("deadline_reminder_hours", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("event_reminder_days", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("event_reminder_hours", sa.Integer(), nullable=True))


def downgrade():
    op.execute("DELETE FROM office_reminder_settings WHERE deadline_reminder_hours IS NULL")
    with op.batch_alter_table("office_reminder_settings") as batch:
        batch.drop_column("event_reminder_hours")
        batch.drop_column("event_reminder_days")
        batch.alter_column("deadline_reminder_hours", existing_type=sa.Integer(), nullable=False)
