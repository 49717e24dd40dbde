"""contacts: hotline calls, letters and diplomatic notes logged by an office

contacts: one row per call, letter, note, fax or meeting with a partner office (who, when,
how long, language, what was asked and answered, links to a case and a request, the letter's
own reference, a follow-up due date, sharing with the partner and its confirmation);
contact_people: the people of the office's cases it concerns; contact_documents: the scans
(files of the attachments feature).

Revision ID: 20261204_0019
Revises: 20261204_0018
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0019"
down_revision = "20261204_0018"
branch_labels = None
depends_on = None


def _user_fk(column: str):
    return sa.ForeignKeyConstraint([column], ["users.id"], name=op.f(f"fk_contacts_{column}_users"))


def upgrade():
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("partner_office_id", sa.Integer(), nullable=False),
        sa.Column("partner_person", sa.String(length=200), nullable=True),
        sa.Column("channel", sa.String(length=24), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("interpreter", sa.String(length=200), nullable=True),
        sa.Column("asked", sa.Text(), nullable=True),
        sa.Column("answered", sa.Text(), nullable=True),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("reference_number", sa.String(length=100), nullable=True),
        sa.Column("reference_date", sa.Date(), nullable=True),
        sa.Column("follow_up_due_at", sa.DateTime(), nullable=True),
        sa.Column("follow_up_done_at", sa.DateTime(), nullable=True),
        sa.Column("shared_at", sa.DateTime(), nullable=True),
        sa.Column("shared_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("partner_note", sa.Text(), nullable=True),
        sa.Column("partner_note_at", sa.DateTime(), nullable=True),
        sa.Column("partner_note_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_contacts_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_contacts_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["partner_office_id"],
            ["offices.id"],
            name=op.f("fk_contacts_partner_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"], ["requests.id"], name=op.f("fk_contacts_request_id_requests")
        ),
        _user_fk("confirmed_by_id"),
        _user_fk("created_by_id"),
        _user_fk("partner_note_by_id"),
        _user_fk("shared_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_request_id"), ["request_id"], unique=False)
        batch_op.create_index(
            "ix_contacts_office_log",
            [
                "office_id",
                "occurred_at",
                "id",
                "partner_office_id",
                "channel",
                "direction",
                "urgency",
                "follow_up_due_at",
                "follow_up_done_at",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_contacts_office_partner_log",
            ["office_id", "partner_office_id", "occurred_at", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_contacts_partner_shared",
            [
                "partner_office_id",
                "shared_at",
                "occurred_at",
                "id",
                "office_id",
                "channel",
                "direction",
                "urgency",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_contacts_follow_up", ["follow_up_due_at", "follow_up_done_at"], unique=False
        )
    op.create_table(
        "contact_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_contact_people_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_contact_people_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_people")),
        sa.UniqueConstraint(
            "contact_id", "person_id", name=op.f("uq_contact_people_contact_id_person_id")
        ),
    )
    with op.batch_alter_table("contact_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_people_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contact_people_person_id"), ["person_id"], unique=False
        )
    op.create_table(
        "contact_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_contact_documents_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_contact_documents_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_documents")),
        sa.UniqueConstraint("document_id", name=op.f("uq_contact_documents_document_id")),
    )
    with op.batch_alter_table("contact_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_documents_contact_id"), ["contact_id"], unique=False
        )


def downgrade():
    op.drop_table("contact_documents")
    op.drop_table("contact_people")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_follow_up")
        batch_op.drop_index("ix_contacts_partner_shared")
        batch_op.drop_index("ix_contacts_office_partner_log")
        batch_op.drop_index("ix_contacts_office_log")
        batch_op.drop_index(batch_op.f("ix_contacts_request_id"))
        batch_op.drop_index(batch_op.f("ix_contacts_case_id"))
    op.drop_table("contacts")
