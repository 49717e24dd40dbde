"""handovers: new_time_pending (postponed without a new time: not reminded at the old time)

Revision ID: 20261204_0015
Revises: 20261204_0014
Create Date: 2026-12-04 14:40:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0015"
down_revision = "20261204_0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("handovers") as batch:
        batch.add_column(
            sa.Column(
                "new_time_pending", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade():
    with op.batch_alter_table("handovers") as batch:
        batch.drop_column("new_time_pending")
