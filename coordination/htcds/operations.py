"""HTCDS actions: flush only, never commit (the request commits once)."""

from __future__ import annotations

from coordination.audit.operations import record
from coordination.htcds import importing
from coordination.htcds.importing import Report


def record_export(*, actor, fmt: str, identifiers: bool, children: bool) -> None:
    """Every export is audited; one with identifiers says so (and whether children's)."""
    record(
        "htcds.export_identified" if identifiers else "htcds.export",
        actor=actor,
        details={"format": fmt, "children": children} if identifiers else {"format": fmt},
    )


def check_file(data: bytes, filename: str, *, actor) -> Report:
    """The file's report of problems, as the actor's office would import it (partner cases
    it imported before count as problems)."""
    report = importing.parse(data, filename)
    if not report.fatal:
        importing.mark_already_imported(report, actor.office_id)
    return report


def import_file(report: Report, *, actor, accept_partial: bool = False) -> dict:
    return importing.apply(report, actor=actor, accept_partial=accept_partial)
