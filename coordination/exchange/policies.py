"""Who may see a request and take each step of its thread.

A request is visible to the sending office (from its draft on) and to the receiving office
once sent, and to the supervisors of either office's province. An unrelated office does not
learn that it exists (404). Only liaison officers act on requests.
"""

from __future__ import annotations

from coordination.auth.models import Role, User
from coordination.exchange.models import MessageKind, Request, RequestMessage, RequestState
from coordination.extensions import db

# Which side may take which step, and from which states.
SENDER_STEPS = {
    MessageKind.SEND: (RequestState.DRAFT,),
    MessageKind.SUPPLEMENT: (RequestState.INFORMATION_REQUESTED,),
    MessageKind.WITHDRAW: (
        RequestState.SENT,
        RequestState.ACKNOWLEDGED,
        RequestState.INFORMATION_REQUESTED,
    ),
    MessageKind.REOPEN: (RequestState.ANSWERED,),
    MessageKind.CLOSE: (RequestState.ANSWERED,),
}
RECIPIENT_STEPS = {
    MessageKind.ACKNOWLEDGE: (RequestState.SENT,),
    MessageKind.REPLY: (RequestState.SENT, RequestState.ACKNOWLEDGED),
    MessageKind.ASK_BACK: (RequestState.SENT, RequestState.ACKNOWLEDGED),
    MessageKind.DECLINE: (RequestState.SENT, RequestState.ACKNOWLEDGED),
}


def _oversees(user: User, office) -> bool:
    return user.has_role(Role.SUPERVISOR) and user.office.province_id == office.province_id


def can_send_requests(user: User) -> bool:
    return user.is_active and user.has_role(Role.LIAISON_OFFICER)


def can_view_request(user: User, request: Request) -> bool:
    if not user.is_active:
        return False
    if user.office_id == request.sender_office_id or _oversees(user, request.sender_office):
        return True
    if request.state == RequestState.DRAFT:
        return False  # a draft is the sender's alone
    return user.office_id == request.recipient_office_id or _oversees(
        user, request.recipient_office
    )


def allowed_steps(user: User, request: Request) -> list[MessageKind]:
    """The steps ``user`` may take on ``request`` now."""
    if not (user.is_active and user.has_role(Role.LIAISON_OFFICER)):
        return []
    if user.office_id == request.sender_office_id:
        steps = SENDER_STEPS
    elif user.office_id == request.recipient_office_id and request.state != RequestState.DRAFT:
        steps = RECIPIENT_STEPS
    else:
        return []
    return [step for step, states in steps.items() if request.state in states]


def can_take_step(user: User, request: Request, step: MessageKind | str) -> bool:
    return MessageKind(step) in allowed_steps(user, request)


def can_verify_identities(user: User, request: Request) -> bool:
    """The receiving office's liaison officers look for the requested people in their own
    records (register, cases) to answer an identity verification."""
    return (
        user.is_active
        and user.has_role(Role.LIAISON_OFFICER)
        and user.office_id == request.recipient_office_id
        and request.kind == "identity_verification"
        and request.state != RequestState.DRAFT
    )


def can_view_attachment(user: User, document) -> bool | None:
    """A file attached to a message of a request's thread is seen by whoever may see the
    request; None for a file attached elsewhere (hook attachments.policies.DOCUMENT_ACCESS)."""
    if document.request_message_id is None:
        return None
    from_thread = db.session.get(RequestMessage, document.request_message_id)
    return from_thread is not None and can_view_request(user, from_thread.request)
