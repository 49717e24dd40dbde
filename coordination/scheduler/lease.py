"""Only one scheduler: a lease row in the database (SQLite and PostgreSQL alike).

Each statement runs in its own short transaction on its own connection, so that the lease
never waits on a job's transaction. Times are the real clock (never the tests' job clock).
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import timedelta

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from coordination.core.db import utcnow
from coordination.extensions import db
from coordination.scheduler.models import LEASE_NAME, SchedulerLease

_lease = SchedulerLease.__table__


def new_holder() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire(holder: str, seconds: int) -> bool:
    """Take the lease if it is free, expired or already ours; True if we hold it now."""
    now = utcnow()
    with db.engine.begin() as connection:
        exists = connection.execute(
            select(_lease.c.name).where(_lease.c.name == LEASE_NAME)
        ).first()
        if exists is None:
            try:
                with connection.begin_nested():
                    connection.execute(insert(_lease).values(name=LEASE_NAME))
            except IntegrityError:
                pass  # another scheduler inserted it first: the UPDATE below decides
    with db.engine.begin() as connection:
        taken = connection.execute(
            update(_lease)
            .where(
                _lease.c.name == LEASE_NAME,
                or_(
                    _lease.c.holder == holder,
                    _lease.c.holder.is_(None),
                    _lease.c.expires_at.is_(None),
                    _lease.c.expires_at < now,
                ),
            )
            .values(
                holder=holder,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                acquired_at=now,
                heartbeat_at=now,
                expires_at=now + timedelta(seconds=seconds),
            )
        ).rowcount
    return taken == 1


def renew(holder: str, seconds: int) -> bool:
    """The heartbeat: push our lease's expiry on; False if it is no longer ours."""
    now = utcnow()
    with db.engine.begin() as connection:
        return (
            connection.execute(
                update(_lease)
                # Ours even if a late heartbeat let it expire, as long as nobody took it.
                .where(_lease.c.name == LEASE_NAME, _lease.c.holder == holder)
                .values(heartbeat_at=now, expires_at=now + timedelta(seconds=seconds))
            ).rowcount
            == 1
        )


def release(holder: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(
            update(_lease)
            .where(_lease.c.name == LEASE_NAME, _lease.c.holder == holder)
            .values(holder=None, expires_at=None)
        )


def current() -> SchedulerLease | None:
    """The lease row as it is now (None before any scheduler ever ran)."""
    with db.engine.connect() as connection:
        row = connection.execute(select(_lease).where(_lease.c.name == LEASE_NAME)).first()
    return SchedulerLease(**row._mapping) if row else None
