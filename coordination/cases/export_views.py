"""Exporting a case file as one PDF for the record."""

from __future__ import annotations

import re

from flask import Blueprint, Response
from flask_login import current_user, login_required

from coordination.audit.operations import record
from coordination.cases.case_file import render_case_file
from coordination.cases.loaders import case_or_404

bp = Blueprint("case_export", __name__, url_prefix="/cases")


@bp.route("/<int:case_id>/file.pdf")
@login_required
def case_file(case_id: int):
    case = case_or_404(case_id, current_user)
    pdf = render_case_file(case, current_user)
    record(
        "case.export",
        actor=current_user,
        target=case,
        details={"number": case.number, "people": [person.id for person in case.people]},
    )
    filename = re.sub(r"[^A-Za-z0-9._-]", "-", case.number.replace("/", "-")) + ".pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
