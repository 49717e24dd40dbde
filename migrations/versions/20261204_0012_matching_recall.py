"""matching recall (matching helper)

Revision ID: 20261204_0012
Revises: 20261204_0011
Create Date: 2026-12-04 11:30:00

PLACEHOLDER: no schema change yet. The lead removes this file if it stays empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261204_0012'
down_revision = '20261204_0011'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
