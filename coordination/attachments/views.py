"""Downloading an attached file, after an access check (files live outside the web root)."""

from __future__ import annotations

from flask import Blueprint, send_file
from flask_login import current_user, login_required

from coordination.attachments import policies
from coordination.attachments.models import Document
from coordination.attachments.storage import document_path
from coordination.audit.operations import record
from coordination.core.access import require
from coordination.extensions import db

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.route("/<int:document_id>")
@login_required
def download(document_id: int):
    document = db.session.get(Document, document_id)
    require(document is not None and policies.can_view_document(current_user, document))
    path = document_path(document)
    require(path.is_file())
    record("document.download", actor=current_user, target=document)
    response = send_file(
        path,
        mimetype=document.content_type,
        as_attachment=not document.is_image,
        download_name=document.filename,
        conditional=False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
