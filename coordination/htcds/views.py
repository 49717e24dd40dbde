"""The HTCDS pages: export (de-identified or with identifiers) and import of a partner's file
(upload, the report of problems, "import only the valid rows" or cancel).

A file with problems waits until confirmed or cancelled (pending.py).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from coordination.core.access import require
from coordination.htcds import export, importing, operations, pending, policies
from coordination.i18n import _, local_today

bp = Blueprint("htcds", __name__, url_prefix="/htcds", template_folder="templates")


def export_response(user, fmt: str, identifiers: bool, children: bool) -> Response:
    """Audit (before streaming, so the request's commit keeps the entry) and stream."""
    operations.record_export(actor=user, fmt=fmt, identifiers=identifiers, children=children)
    kind = "identified" if identifiers else "deidentified"
    filename = f"htcds-{kind}-{local_today().isoformat()}.{fmt}"
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


def _read_upload() -> tuple[bytes, str] | None:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    most = importing.limit("HTCDS_IMPORT_MAX_BYTES", importing.MAX_BYTES)
    return upload.stream.read(most + 1), upload.filename


@bp.route("/import", methods=["POST"])
@login_required
def import_file():
    require(policies.can_import(current_user))
    upload = _read_upload()
    if upload is None:
        flash(_("Choose a file to import."), "error")
        return redirect(url_for("htcds.index"))
    data, filename = upload
    report = operations.check_file(data, filename, actor=current_user)
    if not report.problems:
        result = operations.import_file(report, actor=current_user)
        flash(_("Imported %(people)d people in %(cases)d cases.") % result, "success")
        return redirect(url_for("cases.index"))
    token = None
    if not report.fatal and report.valid:
        pending.remove_old()
        token = pending.keep(current_user.id, data, filename)
    return render_template("htcds/report.html", report=report, token=token), 422


@bp.route("/import/<string(length=32):token>", methods=["POST"])
@login_required
def confirm_import(token: str):
    require(policies.can_import(current_user))
    path = pending.path_for(current_user.id, token)
    if path is None:  # not a token this page ever gave out
        abort(404)
    waiting = pending.take(path)
    if waiting is None:
        flash(_("That upload is no longer waiting; upload the file again."), "error")
        return redirect(url_for("htcds.index"))
    data, filename = waiting
    if request.form.get("action") != "import":
        flash(_("Nothing was imported."), "info")
        return redirect(url_for("htcds.index"))
    report = operations.check_file(data, filename, actor=current_user)
    result = operations.import_file(report, actor=current_user, accept_partial=True)
    if not result["imported"]:
        flash(_("Nothing was imported."), "info")
        return redirect(url_for("htcds.index"))
    flash(_("Imported %(people)d people in %(cases)d cases.") % result, "success")
    return redirect(url_for("cases.index"))
