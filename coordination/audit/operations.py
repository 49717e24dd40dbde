"""Recording audit entries and verifying the chain.

Entries are chained: ``digest = HMAC(key, previous_digest + canonical(entry))``. Writers
take a lock so that two concurrent transactions never chain onto the same predecessor.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass

from flask import current_app, g, has_app_context
from sqlalchemy import select, text

from coordination.audit.models import AuditEntry
from coordination.core.db import utcnow
from coordination.extensions import db

GENESIS = "0" * 64
_POSTGRES_LOCK_KEY = 7_301_138  # any constant; identifies the audit chain's advisory lock


@dataclass(frozen=True)
class Origin:
    """Where an action came from: set per request (IP, browser) or per CLI/job run."""

    ip_address: str | None = None
    user_agent: str | None = None


def set_origin(origin: Origin) -> None:
    g.audit_origin = origin


def current_origin() -> Origin:
    return (g.get("audit_origin") if has_app_context() else None) or Origin()


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "created_at": entry.created_at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_office_id": entry.actor_office_id,
        "subject_office_id": entry.subject_office_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "details": entry.details,
        "ip_address": entry.ip_address,
        "user_agent": entry.user_agent,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _digest(previous: str, entry: AuditEntry) -> str:
    key = current_app.config["AUDIT_KEY"].encode()
    return hmac.new(key, previous.encode() + _canonical(entry), hashlib.sha256).hexdigest()


def _lock_chain() -> None:
    # PostgreSQL: serialise chain writers. SQLite allows one writer at a time already, and
    # pysqlite opens the write transaction at our INSERT, so the read below is current.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _POSTGRES_LOCK_KEY})


def record(
    action: str,
    *,
    actor=None,
    target=None,
    target_type: str | None = None,
    target_id: int | None = None,
    details: dict | None = None,
    actor_name: str | None = None,
    subject_office_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry to the session (flushed, not committed).

    ``subject_office_id`` defaults to the target's office (an Office itself, or the
    ``office_id`` of a user, case…), else, for an action on no record, to the actor's office.
    Entries about no office (reference data) are for administrators only.
    """
    if target is not None:
        target_type = target_type or target.__tablename__
        target_id = target_id if target_id is not None else target.id
    if subject_office_id is None and target is not None:
        subject_office_id = (
            target.id if target.__tablename__ == "offices" else getattr(target, "office_id", None)
        )
    elif subject_office_id is None and target_type is None and actor is not None:
        subject_office_id = actor.office_id
    origin = current_origin()
    _lock_chain()
    entry = AuditEntry(
        created_at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_office_id=actor.office_id if actor is not None else None,
        subject_office_id=subject_office_id,
        actor_name=actor_name or (actor.username if actor is not None else None),
        action=action,
        target_type=target_type,
        target_id=target_id,
        details=_jsonable(details or {}),
        ip_address=origin.ip_address,
        user_agent=(origin.user_agent or "")[:300] or None,
        previous_digest=GENESIS,
        digest=uuid.uuid4().hex,  # placeholder until the id (and so the predecessor) is known
    )
    db.session.add(entry)
    db.session.flush()
    previous = db.session.scalar(
        select(AuditEntry.digest)
        .where(AuditEntry.id < entry.id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    entry.previous_digest = previous or GENESIS
    entry.digest = _digest(entry.previous_digest, entry)
    db.session.flush()
    return entry


def _jsonable(value):
    """Details as plain JSON types, so the stored value re-serialises to the same bytes."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    broken_at: int | None  # id of the first entry whose digest or link does not match

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 5000) -> ChainCheck:
    previous = GENESIS
    count = 0
    last_id = 0
    while True:
        batch = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.id > last_id)
            .order_by(AuditEntry.id)
            .limit(batch_size)
        ).all()
        if not batch:
            return ChainCheck(count, None)
        for entry in batch:
            if entry.previous_digest != previous or entry.digest != _digest(previous, entry):
                return ChainCheck(count, entry.id)
            previous = entry.digest
            count += 1
            last_id = entry.id


def changes(obj, before: dict, fields: list[str]) -> dict:
    """{field: [old, new]} for the fields that differ from ``before``."""
    diff = {}
    for name in fields:
        new = getattr(obj, name)
        if before.get(name) != new:
            diff[name] = [before.get(name), new]
    return diff


def snapshot(obj, fields: list[str]) -> dict:
    return {name: getattr(obj, name) for name in fields}
