"""Column types and model mixins shared by the features' models."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import g, has_app_context
from sqlalchemy import Boolean, DateTime, Integer, String, TypeDecorator, event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from coordination.extensions import db
from coordination.i18n import LOCALES


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC (portable to SQLite) and read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime; give it a time zone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class VersionedMixin:
    """Optimistic locking: an UPDATE that finds another version raises StaleDataError.

    Edit forms carry the version they were loaded with; operations compare it first so that
    the second of two concurrent editors gets a conflict instead of overwriting the first.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - SQLAlchemy's declared_attr signature
        return {"version_id_col": cls.version}


class TranslatedNameMixin:
    """A name in each interface language; ``name`` picks the current one."""

    name_vi: Mapped[str] = mapped_column(String(200), nullable=False)
    name_lo: Mapped[str] = mapped_column(String(200), nullable=False)
    name_zh: Mapped[str] = mapped_column(String(200), nullable=False)
    name_en: Mapped[str] = mapped_column(String(200), nullable=False)
    # Best-effort spellings (e.g. Lao renderings of Vietnamese places) await a native reader.
    names_reviewed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    def name_in(self, locale: str) -> str:
        return getattr(self, f"name_{locale}", None) or self.name_en or self.name_vi

    @property
    def name(self) -> str:
        from flask_babel import get_locale  # local: models must import without an app

        locale = get_locale()
        return self.name_in(locale.language if locale else "vi")

    @property
    def names(self) -> dict[str, str]:
        return {code: getattr(self, f"name_{code}") for code in LOCALES}


def _sqlite_pragmas(dbapi_connection, connection_record):
    import sqlite3

    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    # WAL lets readers proceed while one writer writes; busy_timeout queues writers.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def register_sqlite_pragmas() -> None:
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


# --- Writes deferred to the commit ----------------------------------------------------------

_AT_COMMIT = "writes_at_commit"


def write_at_commit(write) -> None:
    """Run ``write()`` just before the session's next commit; forget it on a rollback.

    For writes no one needs to read back before then (the audit entry of a page view, a
    session's last-seen time): the database's write lock (SQLite) and the audit chain's
    lock (PostgreSQL) are then held only while committing, not while a page is rendered.
    """
    db.session.info.setdefault(_AT_COMMIT, []).append(write)


def defer_writes_to_commit() -> None:
    """From now on in this request, writes that may wait (see ``writes_deferred``) wait for
    the commit at the request's end. Set for HTTP requests, which commit once."""
    g.defer_writes = True


def writes_deferred() -> bool:
    return has_app_context() and g.get("defer_writes", False)


def _run_writes_at_commit(session) -> None:
    writes = session.info.get(_AT_COMMIT)
    while writes:  # a write may queue another
        writes.pop(0)()


def _forget_writes_at_commit(session, *args) -> None:
    session.info.pop(_AT_COMMIT, None)


# --- Whether this transaction wrote ----------------------------------------------------------

_WROTE = "wrote"


def _note_flush(session, *args) -> None:
    session.info[_WROTE] = True


def _note_statement(execute_state) -> None:
    if execute_state.is_insert or execute_state.is_update or execute_state.is_delete:
        execute_state.session.info[_WROTE] = True


def _forget_write(session, *args) -> None:
    session.info.pop(_WROTE, None)


def has_written() -> bool:
    """Whether the session's transaction has written something not committed yet (another
    connection would not see it): a reader on its own connection must not be used then."""
    return bool(db.session.info.get(_WROTE)) or bool(db.session.new or db.session.dirty)


def register_writes_at_commit() -> None:
    for name, listener in (
        ("before_commit", _run_writes_at_commit),
        ("after_rollback", _forget_writes_at_commit),
        ("after_soft_rollback", _forget_writes_at_commit),
        ("after_flush", _note_flush),
        ("do_orm_execute", _note_statement),
        ("after_commit", _forget_write),
        ("after_rollback", _forget_write),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)


__all__ = [
    "TimestampMixin",
    "TranslatedNameMixin",
    "UTCDateTime",
    "VersionedMixin",
    "defer_writes_to_commit",
    "has_written",
    "register_sqlite_pragmas",
    "register_writes_at_commit",
    "utcnow",
    "write_at_commit",
    "writes_deferred",
]


def render_migration_item(type_, obj, autogen_context):
    """Alembic hook: write UTCDateTime as a plain DateTime, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def migration_include_name(name, type_, parent_names) -> bool:
    """Alembic hook: leave out what the models do not declare on purpose.

    The search indexes differ per database (migration 20261122_0003): SQLite's FTS5 tables
    and their shadow tables, PostgreSQL's pg_trgm indexes. Autogenerate must not drop them,
    nor the expression indexes it cannot compare (they are written by hand there).
    """
    if type_ == "table" and name and "_search" in name:
        return False
    if type_ == "index" and name in _hand_written_indexes():
        return False
    return not (type_ == "index" and name and name.endswith("_search_trgm"))


def migration_include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic hook, for the models' side too (include_name sees only reflected names)."""
    return migration_include_name(name, type_, {})


def _hand_written_indexes() -> frozenset[str]:
    """Indexes the features write by hand in migrations (expressions Alembic cannot compare)."""
    from coordination.core.features import registry

    return registry().hand_written_indexes


def count_rows(query) -> int:
    """How many rows a Select returns (its ordering dropped, which a count does not need)."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
