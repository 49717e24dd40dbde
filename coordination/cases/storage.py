"""Uploaded files: checked by content, stored outside the web root, read back by key.

Only scans and photos are accepted (PDF, JPEG, PNG, WebP), recognised by their first bytes,
never by the name or the type the browser claims.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from coordination.cases.models import Document
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


def upload_folder() -> Path:
    return Path(current_app.instance_path) / "uploads"


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
    """Write the file under instance/uploads and add its Document row (flushed)."""
    key = uuid.uuid4().hex
    path = upload_folder() / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
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
