"""Uploaded files: checked by content, stored outside the web root, read back by key.

Only scans and photos are accepted (PDF, JPEG, PNG, WebP), recognised by their first bytes,
never by the name or the type the browser claims.

A file and its Document row are saved together or not at all. The bytes are written under
a temporary name (``<key>.part``) while the transaction is open; the file takes its real
name only once the transaction has committed, and is deleted if it rolls back or the
session is discarded. A crash in between leaves at most a ``.part`` file, which
``flask uploads cleanup`` removes (see ``find_strays``).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from coordination.attachments.models import Document
from coordination.core.errors import OperationError
from coordination.extensions import db
from coordination.i18n import _

SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


log = logging.getLogger(__name__)

PARTIAL_SUFFIX = ".part"
_PENDING = "pending_uploads"  # Session.info key: [(temporary path, final path)]


def upload_folder() -> Path:
    """The ``UPLOAD_FOLDER`` setting (instance/uploads unless set; tests give each app its own)."""
    return Path(current_app.config["UPLOAD_FOLDER"])


def _clean_filename(name: str | None) -> str:
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return name[:200] or "file"


def read_upload(upload: FileStorage, *, field: str, images_only: bool = False) -> tuple[bytes, str]:
    """The file's bytes and its real type, or an OperationError naming ``field``."""
    limit = current_app.config["ATTACHMENT_MAX_MB"] * 1024 * 1024
    data = upload.stream.read(limit + 1)
    if not data:
        raise OperationError(_("The file is empty."), {field: [_("The file is empty.")]})
    if len(data) > limit:
        message = _(
            "The file is larger than %(size)d MB.", size=current_app.config["ATTACHMENT_MAX_MB"]
        )
        raise OperationError(message, {field: [message]})
    content_type = sniff(data[:16])
    if content_type is None or (images_only and not content_type.startswith("image/")):
        message = (
            _("Only photos are accepted here (JPEG, PNG or WebP).")
            if images_only
            else _("Only scans and photos are accepted (PDF, JPEG, PNG or WebP).")
        )
        raise OperationError(message, {field: [message]})
    return data, content_type


def read_uploads(uploads: list[FileStorage], field: str):
    """Check every uploaded file before anything is stored: (files, errors).

    ``files`` holds (bytes, content type, file name) for save_document().
    """
    files, errors = [], {}
    for upload in uploads:
        if not upload or not upload.filename:
            continue  # an empty file input
        try:
            data, content_type = read_upload(upload, field=field)
        except OperationError as error:
            errors.setdefault(field, []).extend(error.errors[field])
            continue
        files.append((data, content_type, upload.filename))
    return files, errors


def save_document(
    data: bytes,
    content_type: str,
    filename: str | None,
    *,
    office_id: int,
    uploader,
    case_id: int | None = None,
    request_message_id: int | None = None,
) -> Document:
    """Write the file under a temporary name and add its Document row (flushed); the file
    takes its real name when the transaction commits, and is removed if it does not."""
    key = uuid.uuid4().hex
    path = upload_folder() / key[:2] / key
    partial = path.with_name(key + PARTIAL_SUFFIX)
    partial.parent.mkdir(parents=True, exist_ok=True)
    db.session.info.setdefault(_PENDING, []).append((partial, path))
    partial.write_bytes(data)
    document = Document(
        case_id=case_id,
        request_message_id=request_message_id,
        office_id=office_id,
        filename=_clean_filename(filename),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=key,
        uploaded_by_id=uploader.id,
    )
    db.session.add(document)
    db.session.flush()
    return document


def document_path(document: Document) -> Path:
    return upload_folder() / document.storage_key[:2] / document.storage_key


def _move_into_place(partial: Path, path: Path) -> None:
    try:
        os.replace(partial, path)
    except FileNotFoundError:
        if not path.exists():  # else the cleanup command finished the move first
            log.error("upload %s vanished before it could be moved into place", partial.name)


def _finish_uploads(session: Session) -> None:
    """The rows are committed: give their files their real names."""
    for partial, path in session.info.pop(_PENDING, []):
        _move_into_place(partial, path)


def _discard_uploads(session: Session, transaction) -> None:
    """The outermost transaction ended without a commit (rolled back, or the session
    closed): its files go with its rows."""
    if transaction.parent is not None or transaction.nested:
        return
    for partial, _path in session.info.pop(_PENDING, []):
        partial.unlink(missing_ok=True)


def register_upload_hooks() -> None:
    """Files follow their rows: moved into place after a commit, removed otherwise."""
    for name, listener in (
        ("after_commit", _finish_uploads),
        ("after_transaction_end", _discard_uploads),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


# --- Finding and removing stray files (``flask uploads cleanup``) -------------------------

STALE_AFTER_SECONDS = 3600  # a .part file older than this belongs to no running request
_STORED_NAME = re.compile(rf"^(?P<key>[0-9a-f]{{32}})(?P<partial>{re.escape(PARTIAL_SUFFIX)})?$")


@dataclass(frozen=True)
class Stray:
    path: Path
    action: str  # "remove" or "restore" (a committed row whose move did not happen)
    reason: str


def find_strays(now: float | None = None, stale_after: int = STALE_AFTER_SECONDS) -> list[Stray]:
    """Files in the upload folder that no Document row explains.

    * a final-named file no row points to: removed;
    * a ``.part`` file older than ``stale_after`` seconds: removed if no row names its key,
      else moved into place (the commit happened, the move did not);
    * a recent ``.part`` file: left alone (a request may still be writing it).

    The folder is listed before the rows are read: a file renamed after its commit is then
    sure to find its row.
    """
    folder = upload_folder()
    now = time.time() if now is None else now
    found = []
    if folder.is_dir():
        for path in sorted(folder.glob("*/*")):
            match = _STORED_NAME.match(path.name)
            if path.is_file() and match and path.parent.name == match["key"][:2]:
                found.append((path, match["key"], bool(match["partial"])))
    keys = set(db.session.scalars(select(Document.storage_key)))
    strays = []
    for path, key, partial in found:
        if not partial:
            if key not in keys:
                strays.append(Stray(path, "remove", "no document points to it"))
            continue
        try:
            age = now - path.stat().st_mtime
        except FileNotFoundError:  # moved into place meanwhile
            continue
        if age < stale_after:
            continue
        final = path.with_name(key)
        if key in keys and not final.exists():
            strays.append(Stray(path, "restore", "its document was saved; moving it into place"))
        else:
            strays.append(Stray(path, "remove", "unfinished upload older than an hour"))
    return strays


def clean_strays(strays: list[Stray]) -> None:
    for stray in strays:
        if stray.action == "restore":
            _move_into_place(
                stray.path, stray.path.with_name(stray.path.name[: -len(PARTIAL_SUFFIX)])
            )
        else:
            stray.path.unlink(missing_ok=True)
