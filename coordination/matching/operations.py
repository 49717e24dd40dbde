"""Actions of the matching feature: keeping the name index current. Never commits."""

from __future__ import annotations

from sqlalchemy import delete

from coordination.extensions import db
from coordination.matching.index import blocking_keys
from coordination.matching.models import NameKey


def index_name(record_kind: str, record_id: int, *names: str | None) -> None:
    """Replace the keys of one record (call after it is created or its names change)."""
    db.session.execute(
        delete(NameKey).where(NameKey.record_kind == record_kind, NameKey.record_id == record_id)
    )
    db.session.add_all(
        NameKey(record_kind=record_kind, record_id=record_id, key=key)
        for key in sorted(blocking_keys(*names))
    )
