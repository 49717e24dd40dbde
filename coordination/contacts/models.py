"""Contacts outside the app: hotline calls, letters, diplomatic notes, faxes, meetings in
person, logged by the office that made or took them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import TimestampMixin, UTCDateTime, VersionedMixin, utcnow
from coordination.core.enums import LabelledEnum
from coordination.extensions import db
from coordination.i18n import L_


class Channel(LabelledEnum):
    HOTLINE = "hotline", L_("Hotline call")
    LETTER = "letter", L_("Letter")
    DIPLOMATIC_NOTE = "diplomatic_note", L_("Diplomatic note")
    FAX = "fax", L_("Fax")
    MEETING = "meeting", L_("Meeting in person")
    OTHER = "other", L_("Other message")


class Direction(LabelledEnum):
    INCOMING = "in", L_("Incoming")
    OUTGOING = "out", L_("Outgoing")


class Urgency(LabelledEnum):
    ROUTINE = "routine", L_("Routine")
    URGENT = "urgent", L_("Urgent")


class Language(LabelledEnum):
    VIETNAMESE = "vi", L_("Vietnamese")
    LAO = "lo", L_("Lao")
    CHINESE = "zh", L_("Chinese")
    ENGLISH = "en", L_("English")
    OTHER = "other", L_("Another language")


class Contact(TimestampMixin, VersionedMixin, db.Model):
    """One call, letter, note or meeting with a partner office, as our office logged it."""

    __tablename__ = "contacts"
    __table_args__ = (
        # The office's log, most recent first (read backwards on both databases), with the
        # columns its filters test: the page's ids and its count come from the index alone.
        Index(
            "ix_contacts_office_log",
            "office_id",
            "occurred_at",
            "id",
            "partner_office_id",
            "channel",
            "direction",
            "urgency",
            "follow_up_due_at",
            "follow_up_done_at",
        ),
        Index(
            "ix_contacts_office_partner_log", "office_id", "partner_office_id", "occurred_at", "id"
        ),
        # What partners shared with an office, likewise.
        Index(
            "ix_contacts_partner_shared",
            "partner_office_id",
            "shared_at",
            "occurred_at",
            "id",
            "office_id",
            "channel",
            "direction",
            "urgency",
        ),
        Index("ix_contacts_follow_up", "follow_up_due_at", "follow_up_done_at"),
        # What border guard stations passed to a liaison office, likewise.
        Index("ix_contacts_forwarded", "forwarded_office_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    partner_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    partner_person: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(24), nullable=False)
    direction: Mapped[str] = mapped_column(String(8), nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(8))
    interpreter: Mapped[str | None] = mapped_column(String(200))
    asked: Mapped[str | None] = mapped_column(Text)
    answered: Mapped[str | None] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(16), nullable=False, default=Urgency.ROUTINE)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    # As written on a letter or note.
    reference_number: Mapped[str | None] = mapped_column(String(100))
    reference_date: Mapped[date | None] = mapped_column(Date)
    # An answer was promised: by when; and when it came.
    follow_up_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Shared with the partner office (explicitly); the partner's confirmation and notes.
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    partner_note: Mapped[str | None] = mapped_column(Text)
    partner_note_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    partner_note_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    # A case's number as the logging officer wrote it (a border guard sees no liaison
    # office's case: the liaison office links the case itself).
    case_reference: Mapped[str | None] = mapped_column(String(60))
    # A border guard station passed the contact to its province's liaison office, which
    # then sees it, links its own case, request and people to it and makes requests from it.
    forwarded_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    forwarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    office = relationship("Office", foreign_keys=[office_id], lazy="joined")
    partner_office = relationship("Office", foreign_keys=[partner_office_id], lazy="joined")
    forwarded_office = relationship("Office", foreign_keys=[forwarded_office_id])
    forwarded_by = relationship("User", foreign_keys=[forwarded_by_id])
    case = relationship("Case")
    request = relationship("Request")
    created_by = relationship("User", foreign_keys=[created_by_id])
    confirmed_by = relationship("User", foreign_keys=[confirmed_by_id])
    partner_note_by = relationship("User", foreign_keys=[partner_note_by_id])
    people: Mapped[list[ContactPerson]] = relationship(
        back_populates="contact", order_by="ContactPerson.id", cascade="all, delete-orphan"
    )
    scans: Mapped[list[ContactDocument]] = relationship(
        back_populates="contact", order_by="ContactDocument.id", cascade="all, delete-orphan"
    )

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label

    @property
    def direction_label(self) -> str:
        return Direction(self.direction).label

    def direction_label_for(self, office_id: int | None) -> str:
        """The direction as the reader's office saw it: the partner's incoming call was
        our outgoing one."""
        if office_id == self.partner_office_id and office_id != self.office_id:
            flipped = (
                Direction.OUTGOING if self.direction == Direction.INCOMING else Direction.INCOMING
            )
            return flipped.label
        return self.direction_label

    @property
    def urgency_label(self) -> str:
        return Urgency(self.urgency).label

    @property
    def language_label(self) -> str | None:
        return Language(self.language).label if self.language else None

    @property
    def is_urgent(self) -> bool:
        return self.urgency == Urgency.URGENT

    @property
    def is_forwarded(self) -> bool:
        return self.forwarded_at is not None

    @property
    def is_shared(self) -> bool:
        return self.shared_at is not None

    def follow_up_pending(self) -> bool:
        return self.follow_up_due_at is not None and self.follow_up_done_at is None

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Derived, never stored: an answer was promised, has not come, and is late."""
        return self.follow_up_pending() and self.follow_up_due_at < (now or utcnow())


class ContactPerson(db.Model):
    """A person of one of the logging office's cases whom the contact concerns."""

    __tablename__ = "contact_people"
    __table_args__ = (UniqueConstraint("contact_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), nullable=False, index=True)

    contact: Mapped[Contact] = relationship(back_populates="people")
    person = relationship("Person", lazy="joined")


class ContactDocument(db.Model):
    """The scan of a letter or note (a file of the attachments feature) of a contact."""

    __tablename__ = "contact_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id"), nullable=False, unique=True
    )

    contact: Mapped[Contact] = relationship(back_populates="scans")
    document = relationship("Document", lazy="joined")
