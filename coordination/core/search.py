"""Substring search on stored search keys, served by an index on both databases.

``search_text`` columns hold search_key() forms. A LIKE '%key%' cannot use a B-tree index,
so each database gets its own: PostgreSQL a pg_trgm GIN index on the column (the LIKE stays
as it is), SQLite an FTS5 trigram table kept in step by triggers (migration 20261122_0003).
"""

from __future__ import annotations

from sqlalchemy import bindparam, literal_column, select, text

from coordination.core.features import registry
from coordination.extensions import db

# Trigram indexes need three characters; shorter keys (李明) are matched by a plain scan.
MIN_INDEXED_LENGTH = 3


def contains_key(model, key: str):
    """A condition: ``model.search_text`` contains ``key`` (already in search_key() form)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite" and len(key) >= MIN_INDEXED_LENGTH:
        # Base table -> its SQLite FTS5 trigram table, as the feature declares it.
        table = registry().search_tables[model.__tablename__]
        phrase = '"' + key.replace('"', '""') + '"'  # an FTS5 phrase: the exact substring
        parameter = bindparam(f"{table}_phrase", phrase)
        matches = (
            select(literal_column("rowid"))
            .select_from(text(table))
            .where(text(f"{table} MATCH :{table}_phrase").bindparams(parameter))
        )
        return model.id.in_(matches)
    return model.search_text.contains(key, autoescape=True)
