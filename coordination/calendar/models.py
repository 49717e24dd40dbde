"""Private calendar feed links.

A feed link must be shown again whenever its owner wants to subscribe another device, yet a
copy of the database alone must not be enough to read anyone's schedule. So the row holds a
random salt and the SHA-256 of the token; the token itself is the HMAC of the salt under
the app's SECRET_KEY (operations.token_for), recomputed to show the link again. A new link
revokes the previous one; a revoked or unknown token gets 404.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import UTCDateTime, utcnow
from coordination.extensions import db


class CalendarFeedToken(db.Model):
    __tablename__ = "calendar_feed_tokens"
    __table_args__ = (UniqueConstraint("digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    salt: Mapped[str] = mapped_column(String(64), nullable=False)
    digest: Mapped[str] = mapped_column(String(64), nullable=False)  # SHA-256 of the token
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)  # shown in the audit log
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", lazy="joined", innerjoin=True)
