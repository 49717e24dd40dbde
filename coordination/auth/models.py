from __future__ import annotations

from datetime import datetime, timedelta

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import TimestampMixin, UTCDateTime, VersionedMixin, utcnow
from coordination.core.enums import LabelledEnum
from coordination.core.text import search_key
from coordination.extensions import db
from coordination.i18n import L_


class Role(LabelledEnum):
    LIAISON_OFFICER = "liaison_officer", L_("Liaison officer")
    BORDER_GUARD = "border_guard", L_("Border guard")
    SOCIAL_WORKER = "social_worker", L_("Social worker")
    SUPERVISOR = "supervisor", L_("Supervisor")
    ADMIN = "admin", L_("Administrator")


class User(UserMixin, TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    full_name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False, index=True)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    locale: Mapped[str] = mapped_column(String(8), nullable=False, default="vi")
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="Asia/Ho_Chi_Minh")
    # "active" is Flask-Login's name; a deactivated user cannot log in or use a token.
    is_enabled: Mapped[bool] = mapped_column("active", Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # User name and full name in search_key() form, kept in step by the operations.
    search_text: Mapped[str] = mapped_column(String(300), nullable=False, default="")

    office = relationship("Office", lazy="joined", innerjoin=True)
    role_links: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    roles: AssociationProxy[list[str]] = association_proxy(
        "role_links", "role", creator=lambda role: UserRole(role=str(role))
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    # Flask-Login keeps the secret of the user's server-side session (UserSession) in the
    # cookie; it is set on the object when the session starts or is loaded, never stored.
    session_secret = None  # not a column (no annotation): per request only

    def get_id(self) -> str | None:
        return self.session_secret

    @property
    def is_active(self) -> bool:
        return self.is_enabled

    def refresh_search_text(self) -> None:
        self.search_text = search_key(self.username, self.full_name)

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.roles

    @property
    def is_admin(self) -> bool:
        return self.has_role(Role.ADMIN)

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in sorted(self.roles)]


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (
        CheckConstraint(
            "role IN ('liaison_officer', 'border_guard', 'social_worker', 'supervisor', 'admin')",
            name="known_role",
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)
    user: Mapped[User] = relationship(back_populates="role_links")


class ApiToken(TimestampMixin, db.Model):
    """A bearer token for API clients; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    prefix: Mapped[str] = mapped_column(String(12), nullable=False)
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and self.expires_at > now


class SessionEnd(LabelledEnum):
    """Why a sign-in session ended (stored in user_sessions.end_reason)."""

    LOGOUT = "logout"
    ENDED_BY_USER = "ended_by_user"
    PASSWORD_CHANGE = "password_change"  # noqa: S105 - a reason, not a secret
    PASSWORD_RESET = "password_reset"  # noqa: S105
    DEACTIVATED = "deactivated"
    SIGNED_OUT_EVERYWHERE = "signed_out_everywhere"
    IDLE = "idle"
    EXPIRED = "expired"


class UserSession(db.Model):
    """A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored."""

    __tablename__ = "user_sessions"
    __table_args__ = (UniqueConstraint("digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # Absolute end (SESSION_HOURS after sign-in), however active the session is.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))
    ip_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)

    def is_live(self, now: datetime, idle_minutes: int) -> bool:
        """Not ended, within its lifetime, and (if idle time is limited) used recently."""
        return self.ended_at is None and self.refusal(now, idle_minutes) is None

    def refusal(self, now: datetime, idle_minutes: int) -> SessionEnd | None:
        """Why the session may no longer be used (idle or expired), or None."""
        if self.expires_at <= now:
            return SessionEnd.EXPIRED
        if idle_minutes and self.last_seen_at <= now - timedelta(minutes=idle_minutes):
            return SessionEnd.IDLE
        return None


class SignInThrottle(db.Model):
    """Failed sign-ins for one user name from one client: an address or a known device.

    Keyed by the user name as typed (lower case), not the user, so that names that do not
    exist are throttled alike: the answers never tell whether an account exists.
    """

    __tablename__ = "sign_in_throttles"
    __table_args__ = (UniqueConstraint("username", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    # "ip:<address>" or "device:<hash of the known-device id>".
    client_key: Mapped[str] = mapped_column(String(80), nullable=False)
    ip_address: Mapped[str | None] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    first_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def from_known_device(self) -> bool:
        return self.client_key.startswith("device:")
