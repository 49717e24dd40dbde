"""reintegration: referrals to centres, intakes, support services, follow-up visits, closures

A person referred to a social protection centre (from a handover at the gate or directly by
a liaison officer) has a referral row, which is their file at the centre (its stage); the
intake (needs assessment, consents, children's fields), the services of the support plan,
the follow-up visits and the closure requests hang from it. Version columns on the edited
rows (optimistic locking).

Revision ID: 20261204_0016
Revises: 20261204_0015
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0016"
down_revision = "20261204_0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "reintegration_referrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("centre_office_id", sa.Integer(), nullable=False),
        sa.Column("from_office_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("handover_person_id", sa.Integer(), nullable=True),
        sa.Column("name_as_written", sa.String(length=200), nullable=False),
        sa.Column("name_romanised", sa.String(length=200), nullable=True),
        sa.Column("search_text", sa.String(length=500), nullable=False),
        sa.Column("sex", sa.String(length=8), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("child", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("referred_at", sa.DateTime(), nullable=False),
        sa.Column("referred_by_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("home_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("service_due_on", sa.Date(), nullable=True),
        sa.Column("limit_on", sa.Date(), nullable=True),
        sa.Column("visit_due_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_reintegration_referrals_answered_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_reintegration_referrals_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["centre_office_id"],
            ["offices.id"],
            name=op.f("fk_reintegration_referrals_centre_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["from_office_id"],
            ["offices.id"],
            name=op.f("fk_reintegration_referrals_from_office_id_offices"),
        ),
        sa.ForeignKeyConstraint(
            ["handover_person_id"],
            ["handover_people.id"],
            name=op.f("fk_reintegration_referrals_handover_person_id_handover_people"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_reintegration_referrals_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["referred_by_id"],
            ["users.id"],
            name=op.f("fk_reintegration_referrals_referred_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reintegration_referrals")),
    )
    with op.batch_alter_table("reintegration_referrals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reintegration_referrals_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            "ix_reintegration_referrals_centre_due",
            [
                "centre_office_id",
                "stage",
                "service_due_on",
                "limit_on",
                "visit_due_on",
                "closed_on",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_reintegration_referrals_centre_referred",
            ["centre_office_id", "referred_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_reintegration_referrals_centre_stage",
            ["centre_office_id", "stage", "referred_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_reintegration_referrals_from_office", ["from_office_id", "stage"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reintegration_referrals_handover_person_id"),
            ["handover_person_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_reintegration_referrals_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "reintegration_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_reintegration_closures_decided_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["reintegration_referrals.id"],
            name=op.f("fk_reintegration_closures_referral_id_reintegration_referrals"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_reintegration_closures_requested_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reintegration_closures")),
    )
    with op.batch_alter_table("reintegration_closures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reintegration_closures_referral_id"), ["referral_id"], unique=False
        )

    op.create_table(
        "reintegration_intakes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("arrived_on", sa.Date(), nullable=False),
        sa.Column("health", sa.Text(), nullable=True),
        sa.Column("psychological", sa.Text(), nullable=True),
        sa.Column("safety_risk", sa.String(length=8), nullable=True),
        sa.Column("safety_note", sa.Text(), nullable=True),
        sa.Column("family_situation", sa.Text(), nullable=True),
        sa.Column("education", sa.Text(), nullable=True),
        sa.Column("skills", sa.Text(), nullable=True),
        sa.Column("income", sa.Text(), nullable=True),
        sa.Column("counselling_note", sa.Text(), nullable=True),
        sa.Column("consent_services", sa.Boolean(), nullable=False),
        sa.Column("consent_sharing", sa.Boolean(), nullable=False),
        sa.Column("consent_recorded_at", sa.DateTime(), nullable=True),
        sa.Column("consent_recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("consent_withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("consent_withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("guardian", sa.Text(), nullable=True),
        sa.Column("school_status", sa.Text(), nullable=True),
        sa.Column("legal_representative", sa.Text(), nullable=True),
        sa.Column("best_interests_note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consent_recorded_by_id"],
            ["users.id"],
            name=op.f("fk_reintegration_intakes_consent_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["consent_withdrawn_by_id"],
            ["users.id"],
            name=op.f("fk_reintegration_intakes_consent_withdrawn_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_reintegration_intakes_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["reintegration_referrals.id"],
            name=op.f("fk_reintegration_intakes_referral_id_reintegration_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reintegration_intakes")),
        sa.UniqueConstraint("referral_id", name=op.f("uq_reintegration_intakes_referral_id")),
    )
    op.create_table(
        "reintegration_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("provider", sa.String(length=300), nullable=True),
        sa.Column("planned_start", sa.Date(), nullable=False),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("actual_start", sa.Date(), nullable=True),
        sa.Column("actual_end", sa.Date(), nullable=True),
        sa.Column("cost", sa.Integer(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("referred_to", sa.String(length=300), nullable=True),
        sa.Column("delivered", sa.Boolean(), nullable=True),
        sa.Column("extension_decision", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "cost IS NULL OR cost >= 0", name=op.f("ck_reintegration_services_cost_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_reintegration_services_created_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["reintegration_referrals.id"],
            name=op.f("fk_reintegration_services_referral_id_reintegration_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reintegration_services")),
    )
    with op.batch_alter_table("reintegration_services", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reintegration_services_due", ["delivered", "planned_start"], unique=False
        )
        batch_op.create_index(
            "ix_reintegration_services_referral_planned",
            ["referral_id", "planned_start"],
            unique=False,
        )

    op.create_table(
        "reintegration_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("referral_id", sa.Integer(), nullable=False),
        sa.Column("months_after", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=True),
        sa.Column("housing", sa.Text(), nullable=True),
        sa.Column("income", sa.Text(), nullable=True),
        sa.Column("health", sa.Text(), nullable=True),
        sa.Column("safety_risk", sa.String(length=8), nullable=True),
        sa.Column("safety_note", sa.Text(), nullable=True),
        sa.Column("stigma", sa.Text(), nullable=True),
        sa.Column("legal_proceedings", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_reintegration_visits_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["referral_id"],
            ["reintegration_referrals.id"],
            name=op.f("fk_reintegration_visits_referral_id_reintegration_referrals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reintegration_visits")),
    )
    with op.batch_alter_table("reintegration_visits", schema=None) as batch_op:
        batch_op.create_index("ix_reintegration_visits_due", ["visited_on", "due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reintegration_visits_referral_id"), ["referral_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("reintegration_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reintegration_visits_referral_id"))
        batch_op.drop_index("ix_reintegration_visits_due")

    op.drop_table("reintegration_visits")
    with op.batch_alter_table("reintegration_services", schema=None) as batch_op:
        batch_op.drop_index("ix_reintegration_services_referral_planned")
        batch_op.drop_index("ix_reintegration_services_due")

    op.drop_table("reintegration_services")
    op.drop_table("reintegration_intakes")
    with op.batch_alter_table("reintegration_closures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reintegration_closures_referral_id"))

    op.drop_table("reintegration_closures")
    with op.batch_alter_table("reintegration_referrals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reintegration_referrals_person_id"))
        batch_op.drop_index(batch_op.f("ix_reintegration_referrals_handover_person_id"))
        batch_op.drop_index("ix_reintegration_referrals_from_office")
        batch_op.drop_index("ix_reintegration_referrals_centre_stage")
        batch_op.drop_index("ix_reintegration_referrals_centre_referred")
        batch_op.drop_index("ix_reintegration_referrals_centre_due")
        batch_op.drop_index(batch_op.f("ix_reintegration_referrals_case_id"))

    op.drop_table("reintegration_referrals")
