"""Reading the audit log: sentences with links, filters, and a CSV export (itself audited)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale, get_timezone
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from coordination.audit.actions import (
    Reader,
    action_choices,
    codes_for,
    kind_names,
    record_kinds,
    reference_for,
)
from coordination.audit.models import AuditEntry
from coordination.audit.operations import Problem, latest_checkpoint, record, verify_chain
from coordination.audit.policies import (
    can_verify_audit_log,
    can_view_audit_log,
    visible_entries,
)
from coordination.audit.schemas import AuditFilters
from coordination.auth.models import User
from coordination.core.access import require
from coordination.core.formatting import datetime_text
from coordination.core.validation import load_form, parse_id
from coordination.core.views import paginate
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.i18n import _

bp = Blueprint("audit", __name__, url_prefix="/audit", template_folder="templates")

EXPORT_LIMIT = 50_000  # rows in one CSV export: the newest, when more match
EXPORT_BATCH = 500
FILTER_NAMES = ("who", "office", "action", "record_type", "record", "date_from", "date_to")


def _locale() -> str:
    locale = get_locale()
    return locale.language if locale else "vi"


def filter_offices(user: User) -> list[Office]:
    """The offices a reader may filter by: all for admins, their province's for supervisors."""
    query = select(Office).order_by(Office.code)
    if not user.is_admin:
        query = query.where(Office.province_id == user.office.province_id)
    return list(db.session.scalars(query))


def _filtered(user: User):
    """(query, filters as given, errors): the entries ``user`` may read that match the query
    string's filters; errors (field -> messages) when a filter is malformed."""
    data, errors = load_form(AuditFilters(), request.args)
    given = {name: request.args.get(name, "")[:200] for name in FILTER_NAMES}
    query = visible_entries(user)
    if errors:
        return query, given, errors
    if data.get("who"):
        query = query.where(func.lower(AuditEntry.actor_name) == data["who"].lower())
    if data.get("office"):
        if data["office"] not in {office.id for office in filter_offices(user)}:
            errors["office"] = [_("Choose one of the listed options.")]
        else:
            query = query.where(
                or_(
                    AuditEntry.subject_office_id == data["office"],
                    AuditEntry.actor_office_id == data["office"],
                )
            )
    if data.get("action"):
        query = query.where(AuditEntry.action.in_(codes_for(data["action"])))
    if data.get("record_type"):
        query = query.where(AuditEntry.target_type == data["record_type"])
        raw = data.get("record")
        if raw:
            record_id = parse_id(raw.lstrip("#"))
            if record_id is None:
                record_id = reference_for(data["record_type"], raw)
            if record_id is None:
                errors["record"] = [_("No record of this kind has this number or reference.")]
            else:
                query = query.where(AuditEntry.target_id == record_id)
    zone = get_timezone()
    if data.get("date_from"):
        start = datetime.combine(data["date_from"], time.min, tzinfo=zone).astimezone(UTC)
        query = query.where(AuditEntry.created_at >= start)
    if data.get("date_to"):
        end_day = data["date_to"] + timedelta(days=1)
        end = datetime.combine(end_day, time.min, tzinfo=zone).astimezone(UTC)
        query = query.where(AuditEntry.created_at < end)
    return query, given, errors


def _page_context(user: User, given: dict, errors: dict) -> dict:
    offices = filter_offices(user)
    names = select(User.username).order_by(User.username).limit(500)
    if not user.is_admin:
        names = names.where(User.office_id.in_([office.id for office in offices]))
    return {
        "filters": given,
        "errors": errors,
        "action_groups": action_choices(),
        "record_kinds": sorted(
            ((table, str(kind_names()[table])) for table in record_kinds()), key=lambda k: k[1]
        ),
        "offices": offices,
        "usernames": list(db.session.scalars(names)),
        "export_url": url_for("audit.export", **{k: v for k, v in given.items() if v}),
    }


@bp.route("/")
@login_required
def index():
    require(can_view_audit_log(current_user), hide=False)
    query, given, errors = _filtered(current_user)
    page, shown = None, []
    if not errors:
        page = paginate(query.order_by(AuditEntry.id.desc()))
        reader = Reader(current_user, _locale())
        reader.load(page.items)
        shown = [reader.show(entry) for entry in page.items]
    can_verify = can_verify_audit_log(current_user)
    # Administrators see the last signed checkpoint (read from the end of the file, unchecked
    # against the log: "Verify integrity" does that).
    checkpoint, checkpoint_valid = latest_checkpoint() if can_verify else (None, True)
    html = render_template(
        "audit/list.html",
        page=page,
        shown=shown,
        can_verify=can_verify,
        checkpoint=checkpoint,
        checkpoint_valid=checkpoint_valid,
        **_page_context(current_user, given, errors),
    )
    return html, 400 if errors else 200


def _office_names(locale: str) -> dict[int, str]:
    return {office.id: office.name_in(locale) for office in db.session.scalars(select(Office))}


@bp.route("/export.csv")
@login_required
def export():
    """The filtered entries as CSV (UTF-8 with a BOM, so spreadsheet programs read Lao and
    Chinese right), newest first, at most EXPORT_LIMIT rows; the export is itself audited."""
    require(can_view_audit_log(current_user), hide=False)
    query, given, errors = _filtered(current_user)
    if errors:
        html = render_template(
            "audit/list.html",
            page=None,
            shown=[],
            can_verify=False,
            checkpoint=None,
            checkpoint_valid=True,
            **_page_context(current_user, given, errors),
        )
        return html, 400
    # The entries as they stand now: not the export's own entry, nor any written meanwhile.
    ceiling = db.session.scalar(select(func.max(AuditEntry.id))) or 0
    query = query.where(AuditEntry.id <= ceiling)
    matching = db.session.scalar(select(func.count()).select_from(query.subquery()))
    count = min(matching, EXPORT_LIMIT)
    record(
        "audit.export",
        actor=current_user,
        details={"filters": {k: v for k, v in given.items() if v}, "count": count},
    )
    locale = _locale()
    user_id = current_user.id
    offices = _office_names(locale)

    def rows():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                _("Time (UTC, ISO 8601)"),
                _("Time (local)"),
                _("Who"),
                _("Office"),
                _("Action code"),
                _("What happened"),
                _("Record"),
                _("Details"),
                _("From where"),
            ]
        )
        yield "\ufeff" + buffer.getvalue()
        # After the request's commit (the export's entry): a fresh copy of the reader.
        reader = Reader(db.session.get(User, user_id), locale)
        last_id, written = None, 0
        while written < count:
            batch_query = query.order_by(AuditEntry.id.desc())
            if last_id is not None:
                batch_query = batch_query.where(AuditEntry.id < last_id)
            batch = db.session.scalars(batch_query.limit(min(EXPORT_BATCH, count - written))).all()
            if not batch:
                break
            reader.load(batch)
            buffer.seek(0)
            buffer.truncate()
            for entry in batch:
                shown = reader.show(entry)
                created = entry.created_at
                if created.tzinfo is None:
                    created = created.replace(tzinfo=UTC)
                writer.writerow(
                    [
                        created.astimezone(UTC).isoformat(timespec="seconds"),
                        datetime_text(entry.created_at),
                        shown.actor.text,
                        offices.get(entry.actor_office_id, ""),
                        entry.action,
                        shown.sentence_text,
                        shown.record.text if shown.record else "",
                        "; ".join(f"{label}: {text}" for label, _html, text in shown.details),
                        shown.origin,
                    ]
                )
            written += len(batch)
            last_id = batch[-1].id
            yield buffer.getvalue()

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    response = Response(stream_with_context(rows()), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/verify", methods=["POST"])
@login_required
def verify():
    require(can_verify_audit_log(current_user), hide=False)
    check = verify_chain()
    if check.intact:
        flash(
            _("The audit log is intact: %(count)d entries verified.", count=check.entries),
            "success",
        )
    else:
        for problem in check.problems:
            message = _("The audit log has been altered: %(problem)s", problem=_problem(problem))
            flash(message, "error")
    if not check.checkpoint_file_exists:
        flash(_("No audit checkpoint has been written yet."), "info")
    return redirect(url_for("audit.index"))


def _problem(problem: Problem) -> str:
    params = problem.params
    if problem.code == "entries_missing" and params["first"] == params["last"]:
        return _("entry %(first)d is missing (deleted).", first=params["first"])
    if problem.code == "entries_missing":
        return _("entries %(first)d to %(last)d are missing (deleted).", **params)
    if problem.code == "entry_altered":
        return _("entry %(sequence)d was changed, or the entry before it replaced.", **params)
    if problem.code == "state_missing":
        return _("the record of where the log ends was deleted.")
    if problem.code in ("state_mismatch", "state_signature"):
        return _("the record of where the log ends was edited or reset.")
    if problem.code == "checkpoint_forged":
        return _("line %(line)d of the checkpoint file is forged or edited.", **params)
    return _(
        "entries up to %(sequence)d, covered by the checkpoint of %(at)s, were deleted or "
        "replaced.",
        **params,
    )
