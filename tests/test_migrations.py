"""The schema comes from the migrations alone, and they match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from coordination.core.db import migration_include_name, migration_include_object
from coordination.extensions import db


def test_migrations_match_the_models(app_ctx):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": migration_include_name,
                "include_object": migration_include_object,
            },
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_every_foreign_key_column_used_for_scoping_is_indexed(app_ctx):
    inspector = inspect(db.engine)
    indexed = {
        (table, tuple(index["column_names"]))
        for table in inspector.get_table_names()
        for index in inspector.get_indexes(table)
    }
    for table, column in [
        ("users", "office_id"),
        ("offices", "province_id"),
        ("partnerships", "office_b_id"),
        ("audit_entries", "actor_id"),
    ]:
        assert (table, (column,)) in indexed, (table, column)


def test_app_never_creates_tables_itself(database_url):
    """A fresh database stays empty until `flask db upgrade` runs."""
    from coordination import create_app
    from tests.conftest import TEST_SETTINGS

    url = database_url + "-empty" if database_url.startswith("sqlite") else None
    if url is None:
        return  # the PostgreSQL copy is already migrated; the SQLite check covers the app
    app = create_app({**TEST_SETTINGS, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        app.test_client().get("/login")
        assert inspect(db.engine).get_table_names() == []
        db.engine.dispose()
