from __future__ import annotations

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.extensions import db


class NameKey(db.Model):
    """A blocking key of the name of a person (in a case) or of a missing-person report.

    Candidates for a requested name are the records that share one of its keys: an indexed
    lookup, never a scan of the register. Operations rewrite the keys when a name changes.
    """

    __tablename__ = "name_keys"
    __table_args__ = (
        Index("ix_name_keys_key", "key", "record_kind", "record_id"),
        Index("ix_name_keys_record", "record_kind", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(16), nullable=False)  # person | missing
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    key: Mapped[str] = mapped_column(String(80), nullable=False)
