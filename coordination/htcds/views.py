"""The HTCDS pages: export (de-identified or with identifiers) and import of a partner's file
(upload, the report of problems, "import only the valid rows" or cancel).

A file with problems waits, until confirmed or cancelled, in the instance folder under a
random token bound to the user (``htcds-pending/<user id>-<token>``); it is deleted when
imported or cancelled, and files older than an hour are ignored and removed.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from coordination.core.access import require
from coordination.htcds import export, importing, operations, policies
from coordination.i18n import _

bp = Blueprint("htcds", __name__, url_prefix="/htcds", template_folder="templates")
TOKEN = re.compile(r"^[0-9a-f]{32}$")
PENDING_SECONDS = 3600


def export_response(user, fmt: str, identifiers: bool, children: bool) -> Response:
    """Audit (before streaming, so the request's commit keeps the entry) and stream."""
    operations.record_export(actor=user, fmt=fmt, identifiers=identifiers, children=children)
    kind = "identified" if identifiers else "deidentified"
    filename = f"htcds-{kind}-{date.today().isoformat()}.{fmt}"
    mimetype = "application/json" if fmt == "json" else "text/csv"
    chunks = export.export_chunks(user, fmt, identifiers=identifiers, children=children)
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/")
@login_required
def index():
    require(policies.can_use_htcds(current_user))
    return render_template(
        "htcds/index.html",
        can_export=policies.can_export(current_user),
        can_identify=policies.can_export_identifiers(current_user),
        can_import=policies.can_import(current_user),
    )


@bp.route("/export", methods=["POST"])
@login_required
def export_file():
    require(policies.can_export(current_user))
    fmt = "json" if request.form.get("format") == "json" else "csv"
    identifiers = request.form.get("identifiers") == "1"
    children = identifiers and request.form.get("children") == "1"
    if identifiers and not policies.can_export_identifiers(current_user):
        require(False, hide=False)
    return export_response(current_user, fmt, identifiers, children)


def _pending_dir() -> Path:
    folder = Path(current_app.instance_path) / "htcds-pending"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _pending_path(token: str) -> Path | None:
    if not TOKEN.match(token or ""):
        return None
    return _pending_dir() / f"{current_user.id}-{token}"


def _read_upload() -> tuple[bytes, str] | None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    most = importing.limit("HTCDS_IMPORT_MAX_BYTES", importing.MAX_BYTES)
    return upload.stream.read(most + 1), upload.filename


def _remove_old(folder: Path) -> None:
    for path in folder.iterdir():
        if path.stat().st_mtime < time.time() - PENDING_SECONDS:
            path.unlink(missing_ok=True)


@bp.route("/import", methods=["POST"])
@login_required
def import_file():
    require(policies.can_import(current_user))
    upload = _read_upload()
    if upload is None:
        flash(_("Choose a file to import."), "error")
        return redirect(url_for("htcds.index"))
    data, filename = upload
    report = importing.parse(data, filename)
    if not report.problems:
        result = operations.import_file(report, actor=current_user)
        flash(_("Imported %(people)d people in %(cases)d cases.") % result, "success")
        return redirect(url_for("cases.index"))
    token = None
    if not report.fatal and report.valid:
        folder = _pending_dir()
        _remove_old(folder)
        token = secrets.token_hex(16)
        path = folder / f"{current_user.id}-{token}"
        path.write_bytes(data)
        (folder / f"{current_user.id}-{token}.name").write_text(filename[:200], "utf-8")
    return render_template("htcds/report.html", report=report, token=token), 422


@bp.route("/import/<string(length=32):token>", methods=["POST"])
@login_required
def confirm_import(token: str):
    require(policies.can_import(current_user))
    path = _pending_path(token)
    if path is None:  # not a token this page ever gave out
        abort(404)
    if not path.exists() or path.stat().st_mtime < time.time() - PENDING_SECONDS:
        flash(_("That upload is no longer waiting; upload the file again."), "error")
        return redirect(url_for("htcds.index"))
    name_path = path.with_name(path.name + ".name")
    filename = name_path.read_text("utf-8") if name_path.exists() else ""
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    name_path.unlink(missing_ok=True)
    if request.form.get("action") != "import":
        flash(_("Nothing was imported."), "info")
        return redirect(url_for("htcds.index"))
    report = importing.parse(data, filename)
    result = operations.import_file(report, actor=current_user, accept_partial=True)
    if not result["imported"]:
        flash(_("Nothing was imported."), "info")
        return redirect(url_for("htcds.index"))
    flash(_("Imported %(people)d people in %(cases)d cases.") % result, "success")
    return redirect(url_for("cases.index"))
