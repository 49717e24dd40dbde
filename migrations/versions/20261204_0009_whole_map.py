"""the whole map: former units and their successors (directory helper)

Revision ID: 20261204_0009
Revises: 20261204_0008
Create Date: 2026-12-04 11:30:00

PLACEHOLDER: no schema change yet. The lead removes this file if it stays empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261204_0009'
down_revision = '20261204_0008'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
