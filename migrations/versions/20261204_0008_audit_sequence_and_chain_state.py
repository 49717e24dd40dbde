"""audit sequence and chain state

Revision ID: 20261204_0008
Revises: 20261204_0007
Create Date: 2026-12-04 08:30:00

Existing entries are numbered 1, 2, 3… in the order of their ids (the order the chain was
built in) and keep format 1: their digests do not cover the sequence, so they still verify.
The chain state row is signed here with the app's AUDIT_KEY (migrations run inside the app),
the same way coordination.audit.operations signs it.
"""
import hashlib
import hmac

from alembic import op
import sqlalchemy as sa
from flask import current_app


# revision identifiers, used by Alembic.
revision = '20261204_0008'
down_revision = '20261204_0007'
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def _state_signature(sequence, head):
    key = current_app.config["AUDIT_KEY"].encode()
    message = f"audit-chain-state\n{sequence}\n{head}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def upgrade():
    op.create_table('audit_chain_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_sequence', sa.Integer(), nullable=False),
    sa.Column('head_digest', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=64), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_audit_chain_state_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_chain_state'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('format', sa.SmallInteger(), server_default='1', nullable=False))

    connection = op.get_bind()
    connection.execute(sa.text(
        "UPDATE audit_entries SET sequence = numbered.n"
        " FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_entries) AS numbered"
        " WHERE audit_entries.id = numbered.id"
    ))
    last = connection.execute(sa.text(
        "SELECT sequence, digest FROM audit_entries ORDER BY id DESC LIMIT 1"
    )).first()
    sequence, head = (last[0], last[1]) if last else (0, GENESIS)
    connection.execute(
        sa.text(
            "INSERT INTO audit_chain_state (id, last_sequence, head_digest, signature)"
            " VALUES (1, :sequence, :head, :signature)"
        ),
        {"sequence": sequence, "head": head, "signature": _state_signature(sequence, head)},
    )

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.alter_column('sequence', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entries_sequence'), ['sequence'])


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entries_sequence'), type_='unique')
        batch_op.drop_column('format')
        batch_op.drop_column('sequence')

    op.drop_table('audit_chain_state')
