from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coordination.core.db import TimestampMixin, UTCDateTime, VersionedMixin, utcnow
from coordination.core.enums import LabelledEnum
from coordination.core.text import search_key
from coordination.directory.models import RequestKind
from coordination.extensions import db
from coordination.i18n import L_


class RequestState(LabelledEnum):
    DRAFT = "draft", L_("Draft")
    SENT = "sent", L_("Sent")
    ACKNOWLEDGED = "acknowledged", L_("Acknowledged")
    INFORMATION_REQUESTED = "information_requested", L_("More information asked")
    ANSWERED = "answered", L_("Answered")
    CLOSED = "closed", L_("Closed")
    DECLINED = "declined", L_("Declined")
    WITHDRAWN = "withdrawn", L_("Withdrawn")


# States in which the partner still owes an answer: the deadline runs.
AWAITING_ANSWER = (
    RequestState.SENT,
    RequestState.ACKNOWLEDGED,
    RequestState.INFORMATION_REQUESTED,
)
FINISHED = (RequestState.CLOSED, RequestState.DECLINED, RequestState.WITHDRAWN)

# The same condition as SQL text with literal states: an expression index only serves a query
# whose expression matches it, and neither database matches one with bound parameters.
AWAITING_SQL = "state IN ('sent', 'acknowledged', 'information_requested')"
# Worklist order: requests still awaiting an answer first, nearest deadline first; then the
# rest, most recent first.
WORKLIST_RANK_SQL = f"(CASE WHEN {AWAITING_SQL} THEN 0 ELSE 1 END)"
WORKLIST_DEADLINE_SQL = f"(CASE WHEN {AWAITING_SQL} THEN deadline_at END)"


class MessageKind(LabelledEnum):
    SEND = "send", L_("Request sent")
    ACKNOWLEDGE = "acknowledge", L_("Acknowledged")
    REPLY = "reply", L_("Reply")
    ASK_BACK = "ask_back", L_("More information asked")
    SUPPLEMENT = "supplement", L_("More information given")
    DECLINE = "decline", L_("Declined")
    WITHDRAW = "withdraw", L_("Withdrawn")
    REOPEN = "reopen", L_("Reopened")
    CLOSE = "close", L_("Closed")


# What the button for each step says (an action, where MessageKind.label names an event).
STEP_BUTTON_LABELS = {
    MessageKind.SEND: L_("Send"),
    MessageKind.ACKNOWLEDGE: L_("Acknowledge receipt"),
    MessageKind.REPLY: L_("Reply"),
    MessageKind.ASK_BACK: L_("Ask for more information"),
    MessageKind.SUPPLEMENT: L_("Give the information asked for"),
    MessageKind.DECLINE: L_("Decline"),
    MessageKind.WITHDRAW: L_("Withdraw the request"),
    MessageKind.REOPEN: L_("Ask again (reopen)"),
    MessageKind.CLOSE: L_("Close the request"),
}


class VerificationResult(LabelledEnum):
    CONFIRMED = "confirmed", L_("Identity confirmed")
    NOT_CONFIRMED = "not_confirmed", L_("Identity not confirmed")
    MORE_INFORMATION = "more_information", L_("More information needed")


class Request(TimestampMixin, VersionedMixin, db.Model):
    __tablename__ = "requests"
    __table_args__ = (
        Index(
            "ix_requests_recipient_state_deadline", "recipient_office_id", "state", "deadline_at"
        ),
        Index("ix_requests_sender_state_deadline", "sender_office_id", "state", "deadline_at"),
        Index(
            "ix_requests_recipient_worklist",
            "recipient_office_id",
            text(WORKLIST_RANK_SQL),
            text(WORKLIST_DEADLINE_SQL),
            text("id DESC"),
        ),
        Index(
            "ix_requests_sender_worklist",
            "sender_office_id",
            text(WORKLIST_RANK_SQL),
            text(WORKLIST_DEADLINE_SQL),
            text("id DESC"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str | None] = mapped_column(String(64), unique=True)  # given when sent
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    state: Mapped[str] = mapped_column(String(32), nullable=False, default=RequestState.DRAFT)
    sender_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    recipient_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    body: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    # Subject, reference and shared names in search_key() form, for inbox search.
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")

    sender_office = relationship("Office", foreign_keys=[sender_office_id], lazy="joined")
    recipient_office = relationship("Office", foreign_keys=[recipient_office_id], lazy="joined")
    case = relationship("Case")
    people: Mapped[list[RequestPerson]] = relationship(
        back_populates="request", order_by="RequestPerson.position", cascade="all, delete-orphan"
    )
    messages: Mapped[list[RequestMessage]] = relationship(
        back_populates="request", order_by="RequestMessage.id", cascade="all, delete-orphan"
    )

    @property
    def state_label(self) -> str:
        return RequestState(self.state).label

    @property
    def kind_label(self) -> str:
        return RequestKind(self.kind).label

    def is_overdue(self, now: datetime | None = None) -> bool:
        """Derived, never stored: still owed an answer and past the reply deadline."""
        return (
            self.state in AWAITING_ANSWER
            and self.deadline_at is not None
            and self.deadline_at < (now or utcnow())
        )

    def refresh_search_text(self) -> None:
        names = [value for person in self.people for value in person.names()]
        self.search_text = search_key(self.reference, self.subject, *names)


class RequestPerson(db.Model):
    """A person as shared with the partner: a copy of the fields the sender chose to share.

    The partner reads this copy, never the sender's record (``person_id`` stays with the
    sender for linking outcomes back).
    """

    __tablename__ = "request_people"
    __table_args__ = (UniqueConstraint("request_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), nullable=False, index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    shared: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    request: Mapped[Request] = relationship(back_populates="people")
    person = relationship("Person")

    def names(self) -> list[str]:
        return [
            value
            for value in (self.shared.get("name_as_written"), self.shared.get("name_romanised"))
            if value
        ]

    @property
    def display_name(self) -> str:
        written = self.shared.get("name_as_written") or ""
        romanised = self.shared.get("name_romanised")
        return f"{written} ({romanised})" if romanised and romanised != written else written

    @property
    def outcome_label(self) -> str | None:
        return VerificationResult(self.outcome).label if self.outcome else None


class RequestMessage(db.Model):
    """One step of a request's thread, by one side."""

    __tablename__ = "request_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("requests.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    author_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), nullable=False)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    request: Mapped[Request] = relationship(back_populates="messages")
    author = relationship("User", lazy="joined")
    attachments = relationship("Document", order_by="Document.id", lazy="selectin")

    @property
    def kind_label(self) -> str:
        return MessageKind(self.kind).label
