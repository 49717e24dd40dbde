"""Recording audit entries, verifying the chain, and signed checkpoints.

Entries are chained: ``digest = HMAC(key, previous_digest + canonical(entry))``, and numbered
by ``sequence`` (1, 2, 3…, never reused), taken from the one-row chain state that also holds
the digest of the last entry and a signature over both. Writers take a lock so that two
concurrent transactions never chain onto the same predecessor.

What each piece catches:
- the digest chain: an entry changed, or removed from the middle;
- the sequence: entries removed anywhere (a gap), or from the end (the chain state points
  past the last entry), and a number reused after such a removal;
- the chain state's signature: the state row edited or reset to hide a removal at the end;
- checkpoints, lines in an append-only file outside the database (AUDIT_CHECKPOINT_FILE):
  the log and the state row both rolled back to an old, genuinely signed copy.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import time
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import event, select, update

from coordination.audit.models import (
    CURRENT_FORMAT,
    LEGACY_FORMAT,
    AuditChainState,
    AuditEntry,
)
from coordination.core.db import utcnow, write_at_commit, writes_deferred
from coordination.core.errors import OperationError
from coordination.core.origin import current_origin
from coordination.extensions import db
from coordination.i18n import _

GENESIS = "0" * 64
_STATE = AuditChainState.__table__


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
    # Entries written before sequences existed (format 1) were signed without one; the
    # migration numbered them in chain order, and the chain itself still fixes that order.
    # From format 2 on the sequence and the format are signed, so neither can be changed
    # (turning a format-2 entry into a format-1 one changes what its digest covers).
    if entry.format != LEGACY_FORMAT:
        payload["format"] = entry.format
        payload["sequence"] = entry.sequence
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _mac(message: bytes) -> str:
    key = current_app.config["AUDIT_KEY"].encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _digest(previous: str, entry: AuditEntry) -> str:
    return _mac(previous.encode() + _canonical(entry))


def state_signature(sequence: int, head_digest: str) -> str:
    """The chain state's signature (migration 20261204_0008 signs the first one the same way)."""
    return _mac(f"audit-chain-state\n{sequence}\n{head_digest}".encode())


class ChainStateMissingError(OperationError):
    """The chain state row is gone: the log cannot be extended safely (run `flask audit verify`).

    Nothing that must be audited may happen meanwhile, so the action is refused (503), with a
    message for the user rather than a server error.
    """

    status = 503

    def __init__(self):
        super().__init__(
            _(
                "The audit log needs an administrator's attention, so nothing can be viewed "
                "or changed for now. Ask your administrator."
            )
        )


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
    """Add an audit entry to the session: at once (flushed, not committed), or, during an
    HTTP request, just before the request's commit (dropped with a rollback, like its work).

    ``subject_office_id`` defaults to the target's office (an Office itself, or the
    ``office_id`` of a user, case…), else, for an action on no record, to the actor's office.
    Entries about no office (reference data) are for administrators only.
    """
    if target is not None:
        target_type = target_type or target.__tablename__
        target_id = target_id if target_id is not None else target.id
    if subject_office_id is None and target is not None:
        # A record without an office of its own (a person: their case's) names it as
        # ``audit_office_id``, so that the office's supervisors see who read or changed it.
        subject_office_id = (
            target.id
            if target.__tablename__ == "offices"
            else getattr(target, "audit_office_id", None) or getattr(target, "office_id", None)
        )
    elif subject_office_id is None and target_type is None and actor is not None:
        subject_office_id = actor.office_id
    origin = current_origin()
    entry = AuditEntry(
        format=CURRENT_FORMAT,
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
    )
    if writes_deferred():
        # A request commits once, at its end: chaining the entry then keeps the chain's lock
        # (and SQLite's write lock) for the commit only, not for rendering the page.
        write_at_commit(lambda: _chain(entry))
    else:
        _chain(entry)
    return entry


def _chain(entry: AuditEntry) -> None:
    """Number ``entry``, link it to the head of the chain and add it (flushed)."""
    # This UPDATE serialises chain writers until they commit: PostgreSQL (READ COMMITTED)
    # holds its row lock, and a writer waiting for it then reads the row as the other one
    # committed it; SQLite allows one writer at a time and opens the write transaction here.
    # (A separate advisory lock before it added a round trip while holding the chain.)
    state = db.session.execute(
        update(_STATE)
        .where(_STATE.c.id == 1)
        .values(last_sequence=_STATE.c.last_sequence + 1)
        .returning(_STATE.c.last_sequence, _STATE.c.head_digest, _STATE.c.signature)
    ).one_or_none()
    if state is None:
        # Fail closed: a log that cannot be numbered must not pretend to be complete.
        raise ChainStateMissingError()
    sequence, previous, signature = state
    entry.sequence = sequence
    entry.previous_digest = previous
    entry.digest = _digest(previous, entry)
    db.session.add(entry)
    db.session.flush()
    # Re-sign the state only if it was genuine: a state row someone edited keeps a signature
    # that matches nothing, so `flask audit verify` goes on reporting it.
    if hmac.compare_digest(signature, state_signature(sequence - 1, previous)):
        signature = state_signature(sequence, entry.digest)
    else:
        current_app.logger.error("Audit chain state signature invalid at sequence %d", sequence)
    db.session.execute(
        update(_STATE).where(_STATE.c.id == 1).values(head_digest=entry.digest, signature=signature)
    )


def _jsonable(value):
    """Details as plain JSON types, so the stored value re-serialises to the same bytes."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


# --- Checkpoints ------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement "the log had ``sequence`` entries ending in ``head_digest`` at ``at``"."""

    sequence: int
    head_digest: str
    at: datetime

    def _payload(self) -> dict:
        return {"at": self.at.isoformat(), "head": self.head_digest, "sequence": self.sequence}

    def signature(self) -> str:
        body = json.dumps(self._payload(), sort_keys=True, separators=(",", ":"))
        return _mac(b"audit-checkpoint\n" + body.encode())

    def to_line(self) -> bytes:
        line = {**self._payload(), "mac": self.signature()}
        return (json.dumps(line, sort_keys=True, separators=(",", ":")) + "\n").encode()

    @classmethod
    def from_line(cls, line: str) -> Checkpoint | None:
        """The checkpoint a line holds, or None if it is not one signed with our key."""
        try:
            data = json.loads(line)
            checkpoint = cls(
                sequence=int(data["sequence"]),
                head_digest=str(data["head"]),
                at=datetime.fromisoformat(data["at"]),
            )
            mac = str(data["mac"])
        except (ValueError, TypeError, KeyError):
            return None
        if checkpoint.at.tzinfo is None or set(data) != {"at", "head", "sequence", "mac"}:
            return None
        return checkpoint if hmac.compare_digest(mac, checkpoint.signature()) else None


class CheckpointRefusedError(RuntimeError):
    """The chain state is missing or its signature is wrong: signing it would bless tampering."""


def checkpoint_file() -> str:
    return current_app.config["AUDIT_CHECKPOINT_FILE"]


def write_checkpoint(*, only_if_older_than: float | None = None) -> Checkpoint | None:
    """Append a signed checkpoint of the committed chain state to the checkpoint file.

    For `flask audit checkpoint` and scheduled jobs; also called after commits (see
    ``_checkpoint_if_due``). The file is opened O_APPEND and locked (flock), so concurrent
    workers write whole lines one after another; the state is read under that lock, so the
    lines' sequences never go backwards. With ``only_if_older_than`` (seconds), nothing is
    written (None) if another worker wrote a checkpoint more recently than that.
    """
    path = checkpoint_file()
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    created = not os.path.exists(path)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        info = os.fstat(fd)
        if (
            only_if_older_than is not None
            and info.st_size > 0
            and time.time() - info.st_mtime < only_if_older_than
        ):
            return None
        # A connection of its own: the committed state, whatever the session holds.
        with db.engine.connect() as connection:
            state = connection.execute(select(_STATE).where(_STATE.c.id == 1)).one_or_none()
        if state is None:
            raise CheckpointRefusedError("the audit chain state row is missing")
        if not hmac.compare_digest(
            state.signature, state_signature(state.last_sequence, state.head_digest)
        ):
            raise CheckpointRefusedError("the audit chain state row's signature does not match")
        checkpoint = Checkpoint(state.last_sequence, state.head_digest, utcnow())
        line = checkpoint.to_line()
        while line:
            line = line[os.write(fd, line) :]
        os.fsync(fd)
    finally:
        os.close(fd)  # also releases the lock
    if created:  # make the new file's name durable too
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return checkpoint


def _checkpoint_if_due(session) -> None:
    """After a commit: write a checkpoint if the last one is older than AUDIT_CHECKPOINT_SECONDS.

    Usually one stat() of the file. Never fails the commit that has already happened.
    """
    if not has_app_context():
        return
    seconds = current_app.config.get("AUDIT_CHECKPOINT_SECONDS", 0)
    if not seconds:
        return
    try:
        if time.time() - os.stat(checkpoint_file()).st_mtime < seconds:
            return
    except FileNotFoundError:
        pass
    try:
        write_checkpoint(only_if_older_than=seconds)
    except Exception:  # logged; the request's work is committed already
        current_app.logger.exception("Could not write an audit checkpoint")


def init_app(app) -> None:
    """The audit feature's set-up: signed checkpoints after commits once they are due."""
    register_checkpoint_hook()


def register_checkpoint_hook() -> None:
    """Checkpoint after commits (requests, commands, jobs), from a SQLAlchemy session event."""
    if not event.contains(db.session, "after_commit", _checkpoint_if_due):
        event.listen(db.session, "after_commit", _checkpoint_if_due)


@dataclass(frozen=True)
class CheckpointFile:
    exists: bool
    checkpoints: list[Checkpoint]
    bad_lines: list[int]  # 1-based numbers of lines that are not validly signed checkpoints


def read_checkpoints(path: str | None = None) -> CheckpointFile:
    path = path or checkpoint_file()
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        return CheckpointFile(False, [], [])
    checkpoints, bad = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        checkpoint = Checkpoint.from_line(line)
        if checkpoint is None:
            bad.append(number)
        else:
            checkpoints.append(checkpoint)
    return CheckpointFile(True, checkpoints, bad)


def latest_checkpoint(path: str | None = None) -> tuple[Checkpoint | None, bool]:
    """The file's last line as a checkpoint (None if none), and whether that line was valid.

    Reads only the end of the file: cheap enough for a page.
    """
    path = path or checkpoint_file()
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 4096))
            tail = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None, True
    lines = [line for line in tail.splitlines() if line.strip()]
    if not lines:
        return None, True
    checkpoint = Checkpoint.from_line(lines[-1])
    return checkpoint, checkpoint is not None


# --- Verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One sign of tampering. ``code`` names the kind; ``params`` fill in its message."""

    code: str
    params: dict = field(default_factory=dict)

    MESSAGES = {
        "entries_missing": "entries {first} to {last} are missing (deleted)",
        "entry_altered": (
            "entry {sequence} (id {id}) does not match the chain: it was changed, "
            "or the entry before it replaced"
        ),
        "state_missing": "the chain state row is missing (deleted)",
        "state_mismatch": (
            "the chain state (last sequence {state_sequence}) does not match the end of the "
            "log (sequence {log_sequence}): it was edited or reset"
        ),
        "state_signature": "the chain state row was edited or reset (its signature does not match)",
        "checkpoint_forged": (
            "line {line} of the checkpoint file is not a validly signed checkpoint "
            "(forged or edited)"
        ),
        "checkpoint_mismatch": (
            "the log does not match the checkpoint of {at} (sequence {sequence}): "
            "entries up to it were deleted or replaced"
        ),
    }

    @property
    def message(self) -> str:
        if self.code == "entries_missing" and self.params["first"] == self.params["last"]:
            return "entry {first} is missing (deleted)".format(**self.params)
        return self.MESSAGES[self.code].format(**self.params)


@dataclass(frozen=True)
class ChainCheck:
    entries: int  # entries checked, in sequence order, before the first break
    broken_at: int | None  # id of the first entry whose digest, link or number does not match
    problems: list[Problem] = field(default_factory=list)
    checkpoint_file_exists: bool = True
    checkpoints_read: int = 0
    last_confirmed: Checkpoint | None = None  # the newest checkpoint the log matches

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_chain(batch_size: int = 5000) -> ChainCheck:
    """Walk the whole log in sequence order; compare its end with the chain state and with
    every checkpoint in the checkpoint file."""
    problems: list[Problem] = []
    stored = read_checkpoints()
    problems += [Problem("checkpoint_forged", {"line": n}) for n in stored.bad_lines]
    wanted = {checkpoint.sequence for checkpoint in stored.checkpoints}
    seen: dict[int, str] = {0: GENESIS}

    previous, count, broken_at = GENESIS, 0, None
    while broken_at is None:
        batch = db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.sequence > count)
            .order_by(AuditEntry.sequence)
            .limit(batch_size)
        ).all()
        if not batch:
            break
        for entry in batch:
            if entry.sequence != count + 1:
                problems.append(
                    Problem("entries_missing", {"first": count + 1, "last": entry.sequence - 1})
                )
                broken_at = entry.id
                break
            if (
                entry.format not in (LEGACY_FORMAT, CURRENT_FORMAT)
                or entry.previous_digest != previous
                or entry.digest != _digest(previous, entry)
            ):
                params = {"sequence": entry.sequence, "id": entry.id}
                problems.append(Problem("entry_altered", params))
                broken_at = entry.id
                break
            previous = entry.digest
            count += 1
            if count in wanted:
                seen[count] = previous
        for entry in batch:  # keep memory flat on a long log
            db.session.expunge(entry)

    state = db.session.execute(select(_STATE).where(_STATE.c.id == 1)).one_or_none()
    if state is None:
        problems.append(Problem("state_missing"))
    else:
        if broken_at is None and state.last_sequence > count:
            problems.append(
                Problem("entries_missing", {"first": count + 1, "last": state.last_sequence})
            )
        elif broken_at is None and (state.last_sequence != count or state.head_digest != previous):
            problems.append(
                Problem(
                    "state_mismatch",
                    {"state_sequence": state.last_sequence, "log_sequence": count},
                )
            )
        if not hmac.compare_digest(
            state.signature, state_signature(state.last_sequence, state.head_digest)
        ):
            problems.append(Problem("state_signature"))

    last_confirmed = None
    for checkpoint in stored.checkpoints:
        if checkpoint.sequence in seen:
            if seen[checkpoint.sequence] != checkpoint.head_digest:
                problems.append(_checkpoint_mismatch(checkpoint))
            elif last_confirmed is None or checkpoint.sequence >= last_confirmed.sequence:
                last_confirmed = checkpoint
        elif broken_at is None:  # the log ends before the checkpoint's entry
            problems.append(_checkpoint_mismatch(checkpoint))
    return ChainCheck(
        entries=count,
        broken_at=broken_at,
        problems=_unique(problems),
        checkpoint_file_exists=stored.exists,
        checkpoints_read=len(stored.checkpoints),
        last_confirmed=last_confirmed,
    )


def _checkpoint_mismatch(checkpoint: Checkpoint) -> Problem:
    return Problem(
        "checkpoint_mismatch",
        {"sequence": checkpoint.sequence, "at": checkpoint.at.isoformat(timespec="seconds")},
    )


def _unique(problems: list[Problem]) -> list[Problem]:
    result = []
    for problem in problems:
        if problem not in result:
            result.append(problem)
    return result


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
