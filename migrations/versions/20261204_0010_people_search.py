"""people search (search helper; delete the body comment if unused)

Revision ID: 20261204_0010
Revises: 20261204_0009
Create Date: 2026-12-04 11:30:00

PLACEHOLDER: no schema change yet. The lead removes this file if it stays empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261204_0010'
down_revision = '20261204_0009'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
