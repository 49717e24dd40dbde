"""referral search: the caseload's name search served by an index on both databases
(a pg_trgm GIN index on PostgreSQL, an FTS5 trigram table kept by triggers on SQLite), as
for people, requests and missing-person reports (20261122_0003).

Revision ID: 20261204_0022
Revises: 20261204_0021
Create Date: 2026-12-04 18:00:00
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "20261204_0022"
down_revision = "20261204_0021"
branch_labels = None
depends_on = None

TABLE, FTS = "reintegration_referrals", "referrals_search"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            f"ix_{TABLE}_search_trgm",
            TABLE,
            ["search_text"],
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        )
        return
    op.execute(
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='{TABLE}', "
        "content_rowid='id', tokenize='trigram')"
    )
    op.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
    op.execute(
        f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF search_text ON {TABLE} BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_text) "
        f"VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index(f"ix_{TABLE}_search_trgm", table_name=TABLE)
        return
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {FTS}")
