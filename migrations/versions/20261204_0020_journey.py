"""journey: a missing-person report found through a confirmed match names the request and
the person in it (missing_person_reports.found_request_id, found_request_person_id)

Revision ID: 20261204_0020
Revises: 20261204_0019
Create Date: 2026-12-04 15:00:00
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0020"
down_revision = "20261204_0019"
branch_labels = None
depends_on = None

TABLE = "missing_person_reports"
# As made by 0003 (its full-text index, missing_search), then the index rebuilt.
TRIGGERS = (
    "DROP TRIGGER IF EXISTS missing_search_ai",
    "DROP TRIGGER IF EXISTS missing_search_ad",
    "DROP TRIGGER IF EXISTS missing_search_au",
    "CREATE TRIGGER missing_search_ai AFTER INSERT ON missing_person_reports BEGIN "
    "INSERT INTO missing_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER missing_search_ad AFTER DELETE ON missing_person_reports BEGIN "
    "INSERT INTO missing_search(missing_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER missing_search_au AFTER UPDATE OF search_text ON missing_person_reports "
    "BEGIN INSERT INTO missing_search(missing_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO missing_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO missing_search(missing_search) VALUES ('rebuild')",
)


def _search_triggers():
    """SQLite: batch mode copies the table into a new one, which drops the triggers that
    keep its full-text index (0003) current; they are made again, and the index rebuilt."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in TRIGGERS:
        op.execute(statement)


def upgrade():
    with op.batch_alter_table(TABLE) as batch:
        batch.add_column(sa.Column("found_request_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("found_request_person_id", sa.Integer(), nullable=True))
        batch.create_index(
            batch.f("ix_missing_person_reports_found_request_person_id"),
            ["found_request_person_id"],
            unique=False,
        )
        batch.create_foreign_key(
            batch.f("fk_missing_person_reports_found_request_id_requests"),
            "requests",
            ["found_request_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_foreign_key(
            batch.f("fk_missing_person_reports_found_request_person_id_request_people"),
            "request_people",
            ["found_request_person_id"],
            ["id"],
            ondelete="SET NULL",
        )
    _search_triggers()


def downgrade():
    with op.batch_alter_table(TABLE) as batch:
        batch.drop_constraint(
            batch.f("fk_missing_person_reports_found_request_person_id_request_people"),
            type_="foreignkey",
        )
        batch.drop_constraint(
            batch.f("fk_missing_person_reports_found_request_id_requests"), type_="foreignkey"
        )
        batch.drop_index(batch.f("ix_missing_person_reports_found_request_person_id"))
        batch.drop_column("found_request_person_id")
        batch.drop_column("found_request_id")
    _search_triggers()
