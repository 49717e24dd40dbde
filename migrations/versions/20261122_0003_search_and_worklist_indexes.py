"""search and worklist indexes

Indexes that keep the inbox, the outbox, the case list and name search fast at volume
(bench/exchange_bench.py, bench/FINDINGS.md):

* expression indexes in the worklist order of requests, and the case list order;
* substring search on ``search_text``: a pg_trgm GIN index on PostgreSQL, an FTS5 trigram
  table kept in step by triggers on SQLite (the B-tree indexes on it served nothing).

Revision ID: 20261122_0003
Revises: 20261122_0002
Create Date: 2026-11-22 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "20261122_0003"
down_revision = "20261122_0002"
branch_labels = None
depends_on = None

AWAITING = "state IN ('sent', 'acknowledged', 'information_requested')"
RANK = f"(CASE WHEN {AWAITING} THEN 0 ELSE 1 END)"
DEADLINE = f"(CASE WHEN {AWAITING} THEN deadline_at END)"
# base table -> FTS5 table (SQLite)
SEARCHED = {
    "people": "people_search",
    "requests": "requests_search",
    "missing_person_reports": "missing_search",
}


def upgrade():
    for column in ("recipient_office_id", "sender_office_id"):
        side = column.split("_")[0]
        op.create_index(
            f"ix_requests_{side}_worklist",
            "requests",
            [column, sa.text(RANK), sa.text(DEADLINE), sa.text("id DESC")],
        )
    op.create_index(
        "ix_cases_office_opened", "cases", ["office_id", sa.text("opened_on DESC"), sa.text("id DESC")]
    )
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_index("ix_people_search_text")
    with op.batch_alter_table("missing_person_reports") as batch_op:
        batch_op.drop_index("ix_missing_person_reports_search_text")

    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # Trusted since PostgreSQL 13: the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for table in SEARCHED:
            op.create_index(
                f"ix_{table}_search_trgm",
                table,
                ["search_text"],
                postgresql_using="gin",
                postgresql_ops={"search_text": "gin_trgm_ops"},
            )
    elif dialect == "sqlite":
        for table, fts in SEARCHED.items():
            op.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
                "content_rowid='id', tokenize='trigram')"
            )
            op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
            op.execute(
                f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
            )
            op.execute(
                f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, search_text) "
                f"VALUES ('delete', old.id, old.search_text); END"
            )
            op.execute(
                f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text ON {table} BEGIN "
                f"INSERT INTO {fts}({fts}, rowid, search_text) "
                f"VALUES ('delete', old.id, old.search_text); "
                f"INSERT INTO {fts}(rowid, search_text) VALUES (new.id, new.search_text); END"
            )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in SEARCHED:
            op.drop_index(f"ix_{table}_search_trgm", table_name=table)
    elif dialect == "sqlite":
        for fts in SEARCHED.values():
            for suffix in ("ai", "ad", "au"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    with op.batch_alter_table("missing_person_reports") as batch_op:
        batch_op.create_index("ix_missing_person_reports_search_text", ["search_text"])
    with op.batch_alter_table("people") as batch_op:
        batch_op.create_index("ix_people_search_text", ["search_text"])
    op.drop_index("ix_cases_office_opened", table_name="cases")
    op.drop_index("ix_requests_sender_worklist", table_name="requests")
    op.drop_index("ix_requests_recipient_worklist", table_name="requests")
