"""Requests and counts for the scheduler's tests (through the real operations)."""

from __future__ import annotations

from sqlalchemy import func, select

from coordination.exchange import operations as exchange_operations
from coordination.exchange.models import MessageKind
from coordination.extensions import db
from coordination.notifications.models import Notification
from tests.conftest import user_named
from tests.notifications.conftest import compose_data


def send_to_quang_tri(subject: str = "Đề nghị hỗ trợ giải cứu", kind: str = "rescue_assistance"):
    """A request from Savannakhet to Quang Tri (rescue assistance: a 3-day deadline), owed by
    qt.liaison, overseen by qt.supervisor (the province's supervisor)."""
    return exchange_operations.compose(
        compose_data(to="QT-BLO", kind=kind, subject=subject), actor=user_named("svk.liaison")
    )


def answer(request) -> None:
    exchange_operations.take_step(
        request, MessageKind.REPLY, {"body": "Đã xác minh."}, {}, actor=user_named("qt.liaison")
    )


def count(kind, username: str | None = None, request=None) -> int:
    query = select(func.count()).select_from(Notification).where(Notification.kind == str(kind))
    if username:
        query = query.where(Notification.user_id == user_named(username).id)
    if request is not None:
        query = query.where(Notification.request_id == request.id)
    return db.session.scalar(query)
