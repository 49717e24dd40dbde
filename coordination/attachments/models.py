"""Uploaded files (scans, photos): the rows that point to them. The bytes live in storage.py."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coordination.core.db import TimestampMixin
from coordination.extensions import db


class Document(TimestampMixin, db.Model):
    """An uploaded file, stored outside the web root and served only after an access check."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    # Set when the file was attached to a message of a request thread.
    request_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("request_messages.id"), index=True
    )
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(100), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
