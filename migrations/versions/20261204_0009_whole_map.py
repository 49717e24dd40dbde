"""the whole map: former units and their successors

Revision ID: 20261204_0009
Revises: 20261204_0008
Create Date: 2026-12-04 11:30:00

administrative_areas.abolished_on (NULL for a current unit, the end date for a former one
that people still write, e.g. 2025-07-01 for Vietnam's pre-reform provinces and districts)
and area_successions (former unit -> current units holding its territory). The rows
themselves are loaded by ``flask reference-data load``.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20261204_0009'
down_revision = '20261204_0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('administrative_areas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('abolished_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_administrative_areas_abolished_on'), ['abolished_on'], unique=False)

    op.create_table('area_successions',
    sa.Column('former_id', sa.Integer(), nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['former_id'], ['administrative_areas.id'], name=op.f('fk_area_successions_former_id_administrative_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['successor_id'], ['administrative_areas.id'], name=op.f('fk_area_successions_successor_id_administrative_areas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('former_id', 'successor_id', name=op.f('pk_area_successions'))
    )
    with op.batch_alter_table('area_successions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_area_successions_successor_id'), ['successor_id'], unique=False)


def downgrade():
    with op.batch_alter_table('area_successions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_area_successions_successor_id'))

    op.drop_table('area_successions')
    # Not in batch mode: on SQLite a batch recreates the table, which other tables'
    # foreign keys forbid; SQLite (3.35+) and PostgreSQL both drop a column in place.
    op.drop_index(op.f('ix_administrative_areas_abolished_on'), table_name='administrative_areas')
    op.drop_column('administrative_areas', 'abolished_on')
