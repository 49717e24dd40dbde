"""calendar: feed tokens (calendar helper)

Revision ID: 20261204_0014
Revises: 20261204_0013
Create Date: 2026-12-04 12:20:00

PLACEHOLDER: no schema change yet. The lead removes this file if it stays empty.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261204_0014'
down_revision = '20261204_0013'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
