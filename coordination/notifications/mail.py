"""E-mail delivery of notifications over SMTP: the Notification table is the outbox.

A run takes the oldest notifications whose ``emailed_at`` is unset, not claimed, and whose
back-off has passed, and either sends each as an e-mail in its recipient's language and time
zone, or decides that none is due. ``emailed_at`` means "the outbox is done with this one":

- e-mailed: the SMTP server accepted the message;
- no e-mail due: the user has no e-mail address, is disabled, or has already read the
  notification in the app. Marking these (rather than filtering them out on every run) keeps
  the pending set small, and a user who adds an address later is not sent a backlog.

Never twice: before connecting, the run CLAIMS the notifications it will send (a
conditional UPDATE, so that two runs cannot claim the same one) and COMMITS the claims;
then it sends, marks each accepted message ``emailed_at``, releases the others, and
commits again. This is the one job that commits on its own (twice), on purpose. If the
server cannot be reached or refuses the session (connection, STARTTLS, login, sender or
data refused), or refuses a recipient, the claims of what was not sent are released
with a back-off (``email_next_attempt_at``: MAIL_RETRY_SECONDS, doubling with each
attempt, at most MAIL_RETRY_MAX_SECONDS, six hours by default), and the error is kept in
``email_error``.

A crash between the server's acceptance and the final commit (power cut, kill -9) leaves a
notification claimed and not marked: it is NOT sent again (at most once rather than at least
once: a duplicate reminder about a trafficking case is worse than a missing e-mail, which
the in-app notification still carries). The administrator's scheduler page counts such
stuck claims.

Nothing happens unless MAIL_ENABLED is set.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_gmt
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from coordination.auth.models import User
from coordination.core.db import utcnow
from coordination.core.jobs import job_now
from coordination.extensions import db
from coordination.i18n import LOCALES, _
from coordination.notifications.describe import describe
from coordination.notifications.models import Notification, NotificationKind

log = logging.getLogger(__name__)

TEMPLATE = "notifications/email/notification.txt"


@dataclass
class DeliveryReport:
    sent: int = 0  # accepted by the SMTP server
    not_needed: int = 0  # marked done without an e-mail (no address, disabled, already read)
    error: str | None = None  # why the run stopped early, if it did


def send_pending_emails(limit: int = 200, now: datetime | None = None) -> int:
    """E-mail up to ``limit`` pending notifications; return how many were sent."""
    return deliver_pending(limit, now=now).sent


def send_email_job() -> str:
    """The scheduler's e-mail job (notifications.send_email): one run, what it did."""
    if not current_app.config.get("MAIL_ENABLED"):
        return "e-mail is off"
    report = deliver_pending()
    if report.error:
        # The job is recorded as failed (its error shown to administrators); what was not
        # sent stays pending for a later run.
        raise DeliveryError(f"{report.sent} sent, the rest stays pending: {report.error}")
    return f"{report.sent} sent, {report.not_needed} needed no e-mail"


class DeliveryError(RuntimeError):
    pass


def retry_delay(attempts: int) -> timedelta:
    base = current_app.config.get("MAIL_RETRY_SECONDS", 60)
    longest = current_app.config.get("MAIL_RETRY_MAX_SECONDS", 6 * 3600)
    return timedelta(seconds=min(base * 2 ** min(max(attempts - 1, 0), 20), longest))


def deliver_pending(limit: int = 200, now: datetime | None = None) -> DeliveryReport:
    """Like send_pending_emails, with what was skipped and why a run stopped."""
    config = current_app.config
    report = DeliveryReport()
    if not config.get("MAIL_ENABLED"):
        return report
    now = now or job_now()
    pending = db.session.scalars(
        select(Notification)
        .where(
            Notification.emailed_at.is_(None),
            Notification.email_claimed_at.is_(None),
            or_(
                Notification.email_next_attempt_at.is_(None),
                Notification.email_next_attempt_at <= now,
            ),
        )
        .options(joinedload(Notification.user), joinedload(Notification.request))
        .order_by(Notification.id)
        .limit(limit)
    ).all()
    outbox: list[tuple[Notification, EmailMessage]] = []
    for notification in pending:
        if not _wants_email(notification):
            notification.emailed_at = utcnow()
            report.not_needed += 1
            continue
        try:
            message = render_email(notification)
        except ValueError:  # e.g. an address that an e-mail header cannot carry
            log.warning("Notification %s not e-mailed", notification.id, exc_info=True)
            continue
        outbox.append((notification, message))
    db.session.flush()
    if not outbox:
        return report
    # Claim, then commit the claims, before any message leaves: see the module's docstring.
    claimed = []
    for notification, message in outbox:
        taken = db.session.execute(
            update(Notification)
            .where(
                Notification.id == notification.id,
                Notification.emailed_at.is_(None),
                Notification.email_claimed_at.is_(None),
            )
            .values(email_claimed_at=utcnow(), email_attempts=Notification.email_attempts + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken == 1:
            claimed.append((notification.id, message))
    db.session.commit()
    sent: list[int] = []
    failed: dict[int, str] = {}
    # Everything is rendered before connecting, so that no bug can strike between sends.
    try:
        with _connect(config) as smtp:
            for notification_id, message in claimed:
                try:
                    smtp.send_message(message)
                except smtplib.SMTPRecipientsRefused as error:
                    log.warning(
                        "SMTP server refused the recipient of notification %s: %s",
                        notification_id,
                        error.recipients,
                    )
                    failed[notification_id] = f"recipient refused: {error.recipients}"
                    continue
                sent.append(notification_id)
    except (smtplib.SMTPException, OSError) as error:
        report.error = f"{type(error).__name__}: {error}"
        log.error(
            "E-mail run stopped (%s sent, the rest stays pending) on %s:%s: %s",
            len(sent),
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            report.error,
        )
    done = utcnow()
    if sent:
        db.session.execute(
            update(Notification)
            .where(Notification.id.in_(sent))
            .values(emailed_at=done)
            .execution_options(synchronize_session=False)
        )
    for notification_id, _message in claimed:
        if notification_id in sent:
            continue
        attempts = db.session.scalar(
            select(Notification.email_attempts).where(Notification.id == notification_id)
        )
        db.session.execute(
            update(Notification)
            .where(Notification.id == notification_id)
            .values(
                email_claimed_at=None,
                email_next_attempt_at=now + retry_delay(attempts or 1),
                email_error=(failed.get(notification_id) or report.error or "")[:1000],
            )
            .execution_options(synchronize_session=False)
        )
    # The outcome is committed at once, like the claims: a job reporting the failure
    # afterwards (and rolling back) must not leave these claimed.
    db.session.commit()
    report.sent = len(sent)
    return report


def _wants_email(notification: Notification) -> bool:
    user = notification.user
    return bool(
        user is not None
        and user.is_enabled
        and (user.email or "").strip()
        and notification.read_at is None
    )


def _connect(config) -> smtplib.SMTP:
    smtp = smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]
    )
    try:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def user_locale(user: User) -> str:
    return user.locale if user.locale in LOCALES else current_app.config["DEFAULT_LOCALE"]


def user_timezone(user: User) -> ZoneInfo:
    for name in (user.timezone, current_app.config["DEFAULT_TIMEZONE"]):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            continue
    return ZoneInfo("UTC")


def format_user_datetime(value: datetime | None, user: User) -> str:
    """``value`` in the user's language and time zone, to the minute, with the UTC offset:
    "3 ພະຈິກ 2026, 9:30 (GMT+07:00)", "09:30 3 tháng 11, 2026 (GMT+07:00)"."""
    if value is None:
        return "—"
    locale = Locale.parse(user_locale(user))
    local = value.astimezone(user_timezone(user))
    glue = str(locale.datetime_formats["long"]).replace("'", "")  # e.g. "{1}, {0}"
    text = glue.replace("{0}", format_time(local, "short", tzinfo=local.tzinfo, locale=locale))
    text = text.replace("{1}", format_date(local.date(), "long", locale=locale))
    return f"{text} ({get_timezone_gmt(local, 'long', locale=locale)})"


def _link(endpoint: str, **values) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def render_email(notification: Notification) -> EmailMessage:
    """The e-mail for ``notification``, in its user's language and time zone."""
    user = notification.user
    config = current_app.config
    with force_locale(user_locale(user)):
        subject, body = _render_text(notification, user)
    message = EmailMessage()
    _set_text_header(message, "Subject", subject)
    message["From"] = config["MAIL_SENDER"]
    # The bare address: a long non-Latin display name would meet the folding bug below.
    message["To"] = user.email.strip()
    message["Date"] = formatdate(usegmt=True)
    domain = parseaddr(config["MAIL_SENDER"])[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid("notification", domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
    # Which notification it carries: a receiving system (or a test) can tell a resend.
    message["X-Coordination-Notification"] = str(notification.id)
    message.set_content(body, charset="utf-8")
    message["Content-Language"] = user_locale(user)  # after set_content, which clears it
    return message


def _set_text_header(message: EmailMessage, name: str, value: str) -> None:
    """Set a free-text header, RFC 2047-encoded as UTF-8 when it is not ASCII.

    Python's own folding (email.policy.default, before CPython gh-144156 was fixed in 2026)
    can drop the space between two encoded words: "Đề nghị xác minh" arrived as
    "Đề nghịxác minh". The legacy encoder (email.header.Header) keeps every space inside the
    encoded words and folds to 76 columns; set_raw stores its lines as they are.
    """
    if value.isascii():
        message[name] = value
    else:
        message.set_raw(name, Header(value, "utf-8", header_name=name).encode(linesep="\n"))


def _render_text(notification: Notification, user: User) -> tuple[str, str]:
    """Subject and body; call inside force_locale(the user's locale)."""
    locale = user_locale(user)
    request = notification.request
    rows: list[tuple[str, str]] = []
    about = describe(notification, user, user_timezone(user)) if request is None else None
    if about is not None:
        # About something of another feature (a handover), as that feature tells it.
        subject = about.title
        intro = about.title
        rows = list(about.lines)
        if about.endpoint:
            link = _link(about.endpoint, **about.values)
            link_label = about.link_label or _("See your notifications:")
        else:
            link = _link("notifications.index")
            link_label = _("See your notifications:")
    elif request is None:
        subject = intro = notification.label
        link = _link("notifications.index")
        link_label = _("See your notifications:")
    else:
        partner = (
            request.recipient_office
            if user.office_id == request.sender_office_id
            else request.sender_office
        )
        partner_name = partner.name_in(locale)
        deadline = format_user_datetime(request.deadline_at, user)
        kind = NotificationKind(notification.kind)
        intro = {
            NotificationKind.REQUEST_RECEIVED: _(
                "Your office has received a new request from %(office)s.", office=partner_name
            ),
            NotificationKind.REQUEST_UPDATED: _(
                "%(office)s has taken a new step on this request.", office=partner_name
            ),
            NotificationKind.REQUEST_ANSWERED: _(
                "%(office)s has answered this request.", office=partner_name
            ),
            NotificationKind.DEADLINE_NEAR: _(
                "The reply deadline of this request is near (%(deadline)s) "
                "and your office has not answered yet.",
                deadline=deadline,
            ),
            NotificationKind.DEADLINE_PASSED: _(
                "The reply deadline of this request has passed (%(deadline)s) "
                "and your office has not answered yet.",
                deadline=deadline,
            ),
            NotificationKind.ESCALATION: _(
                "A request to your office is overdue: its reply deadline passed on "
                "%(deadline)s and it has not been answered. Please see that it is.",
                deadline=deadline,
            ),
        }[kind]
        subject = "[{}] {}".format(
            request.reference or "—",
            _("%(event)s: %(subject)s", event=kind.label, subject=request.subject),
        )
        rows = [
            (_("Reference"), request.reference or "—"),
            (_("Subject"), request.subject),
            (_("Request kind"), request.kind_label),
            (_("Partner office"), partner_name),
            (_("State"), request.state_label),
            (_("Reply deadline"), deadline),
        ]
        link = _link("exchange.detail", request_id=request.id)
        link_label = _("Open the request:")
    body = (
        current_app.jinja_env.get_template(TEMPLATE)
        .render(
            greeting=_("Hello %(name)s,", name=user.full_name),
            intro=intro,
            rows=rows,
            link_label=link_label,
            link=link,
            footer=_(
                "This message was sent automatically by the cross-border coordination "
                "system; replies to it are not read. Your notifications are also listed "
                "in the application."
            ),
        )
        .strip()
    )
    # One line, whatever a request's subject holds (headers cannot carry line breaks).
    subject = " ".join(subject.split())
    return subject, body + "\n"
