"""API: HTCDS export (streamed CSV or JSON) and import of a partner's file. Same policies as
the pages. An import answers 201 with the report and counts when it stored something, 422
with the report (nothing stored) otherwise."""

from __future__ import annotations

from flask import jsonify, request

from coordination.core.access import require
from coordination.core.api import api_blueprint, api_user, query_args
from coordination.htcds import importing, operations, policies
from coordination.htcds.schemas import ExportArgs, ImportArgs, ReportOut
from coordination.htcds.views import export_response
from coordination.i18n import _

blp = api_blueprint("api_htcds", __name__, "/htcds", "HTCDS 2.0 exchange: export and import.")


@blp.route("/export")
@blp.arguments(query_args(ExportArgs), location="query", as_kwargs=True)
@blp.response(200, content_type="text/csv")
@blp.alt_response(200, content_type="application/json", success=True)
def export_people(format="csv", identifiers=False, children=False):
    """The people of the cases you may export, one HTCDS record each (streamed)."""
    user = api_user()
    require(policies.can_export(user))
    if identifiers:
        require(policies.can_export_identifiers(user), hide=False)
    return export_response(user, format, identifiers, children and identifiers)


@blp.route("/imports", methods=["POST"])
@blp.arguments(query_args(ImportArgs), location="query", as_kwargs=True)
@blp.response(201, ReportOut)
@blp.alt_response(422, schema=ReportOut)
@blp.doc(
    requestBody={
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            }
        },
    }
)
def import_people(accept_partial=False):
    """Send the file as multipart form data (field ``file``), or as the request body
    (Content-Type text/csv or application/json). A file with problems answers 422 with the
    report (``problems``: row, field, message) and imports nothing, unless ``accept_partial``
    and some rows are valid: then only those are imported."""
    user = api_user()
    require(policies.can_import(user))
    most = importing.limit("HTCDS_IMPORT_MAX_BYTES", importing.MAX_BYTES)
    upload = request.files.get("file")
    if upload is None and request.mimetype == "multipart/form-data":
        message = _("Choose a file to import.")
        return _refused({"problems": [{"row": None, "field": None, "message": message}]}, message)
    if upload is not None:
        data, filename = upload.stream.read(most + 1), upload.filename or ""
    else:
        data = request.stream.read(most + 1)
        filename = "upload.json" if request.mimetype == "application/json" else "upload.csv"
    report = operations.check_file(data, filename, actor=user)
    result = operations.import_file(report, actor=user, accept_partial=accept_partial)
    body = {**report.as_dict(), **result}
    if not result["imported"]:
        # As every refusal of the API: the problem on its field (here the file's first).
        first = report.problems[0].message if report.problems else _("Nothing was imported.")
        return _refused(body, first)
    return body


def _refused(body: dict, message: str):
    response = jsonify({**body, "errors": {"file": [message]}})
    response.status_code = 422
    return response
