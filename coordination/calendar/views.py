"""The calendar pages (month, week, list; the user's own or an office's), the feed link
panel (make, renew, revoke), and the feed itself at its private URL."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_skeleton, format_time
from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import force_locale, get_locale, get_timezone
from flask_login import current_user, login_required

from coordination.calendar import operations, policies
from coordination.calendar.entries import Entry, entries_for, fingerprint_for
from coordination.calendar.feed import build_feed, cached_feed, few_collections, keep_feed
from coordination.calendar.periods import VIEWS, period, weeks
from coordination.calendar.schemas import PageArgs
from coordination.core.access import require
from coordination.core.formatting import day_text, moment_text
from coordination.core.validation import load_form
from coordination.core.views import render_form
from coordination.directory.models import Office
from coordination.extensions import db
from coordination.i18n import TIMEZONES, _, timezone_label

bp = Blueprint(
    "calendar",
    __name__,
    url_prefix="/calendar",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)

MONTH_CELL_ENTRIES = 4  # a month cell lists this many, then "+N more" (the week view has all)
# The feed's default window: the past month (what was just done, for the record) and the
# coming year (a subscriber plans months ahead); one calendar year with ?year=2027. About
# 5,000 entries for the busiest office (5,000 a year); the feed is sent whole each time.
FEED_PAST = timedelta(days=31)
FEED_AHEAD = timedelta(days=366)


def _locale() -> Locale:
    return get_locale() or Locale.parse("vi")


def _group(entries: list[Entry], zone) -> dict[date, list[Entry]]:
    by_day: dict[date, list[Entry]] = {}
    for entry in entries:
        by_day.setdefault(entry.start.astimezone(zone).date(), []).append(entry)
    return by_day


@bp.route("/")
@login_required
def index():
    require(policies.can_use_calendar(current_user))
    args, errors = load_form(PageArgs(), request.args)
    office = None
    raw_office = request.args.get("office", "").strip()
    if args and args.get("office"):
        office = db.session.get(Office, args["office"])
        require(office is not None and policies.can_view_office_calendar(current_user, office))
    elif raw_office and "office" in errors:
        abort(404)  # not an id: no office of that "id" exists
    args = args or {}
    zone = get_timezone()
    locale = _locale()
    today = datetime.now(zone).date()
    view = args.get("view") or "month"
    anchor = args.get("date") or today
    shown = period(view, anchor, locale.first_week_day)
    start, end = shown.bounds(zone)
    entries = entries_for(current_user, start, end, office.id if office else None)
    token = operations.feed_token(current_user)
    return render_form(
        "calendar/index.html",
        errors,
        period=shown,
        view=view,
        views=VIEWS,
        today=today,
        office=office,
        offices=policies.offices_for(current_user),
        weeks=weeks(shown.days()),
        by_day=_group(entries, zone),
        entries=entries,
        weekday_names=[
            locale.days["format"]["abbreviated"][(locale.first_week_day + n) % 7] for n in range(7)
        ],
        title=_title(shown, locale),
        day_label=lambda day: day_text(day, locale),
        weekday=lambda day: locale.days["format"]["wide"][day.weekday()],
        time_of=lambda moment: format_time(moment, "short", tzinfo=zone, locale=locale),
        moment_of=lambda moment: moment_text(moment, locale, zone),
        cell_entries=MONTH_CELL_ENTRIES,
        zone_label=timezone_label(str(zone)),
        feed_url=url_for("calendar.feed", token=token, _external=True) if token else None,
    )


def _title(shown, locale: Locale) -> str:
    if shown.view == "month":
        text = format_skeleton("yMMMM", shown.anchor, locale=locale)  # "tháng 12 năm 2026"
        return text[:1].upper() + text[1:]
    return f"{day_text(shown.first, locale)} – {day_text(shown.last, locale)}"


def _back() -> Response:
    return redirect(url_for("calendar.index", _anchor="feed"))


@bp.route("/feed-link", methods=["POST"])
@login_required
def renew_feed():
    require(policies.can_use_calendar(current_user))
    operations.renew_feed(current_user, actor=current_user)
    flash(_("Your calendar link is ready. Any earlier link no longer works."), "success")
    return _back()


@bp.route("/feed-link/revoke", methods=["POST"])
@login_required
def revoke_feed():
    require(policies.can_use_calendar(current_user))
    if operations.revoke_feed(current_user, actor=current_user):
        flash(_("Your calendar link no longer works."), "success")
    return _back()


def _not_found() -> Response:
    """The same answer for an unknown, revoked or malformed token: nothing is revealed."""
    return Response("Not Found\n", status=404, mimetype="text/plain")


@bp.route("/feed/<token>.ics")
def feed(token: str):
    """No sign-in: the token is the key. A user's own calendar, in their language and zone."""
    user = operations.user_for_feed(token)
    if user is None:
        return _not_found()
    zone = ZoneInfo(user.timezone if user.timezone in TIMEZONES else "Asia/Ho_Chi_Minh")
    year = request.args.get("year", "").strip()
    if year:
        if not (year.isascii() and year.isdigit() and len(year) == 4 and 1900 <= int(year) <= 2199):
            return Response("Bad Request: year\n", status=400, mimetype="text/plain")
        start = datetime(int(year), 1, 1, tzinfo=zone)
        end = datetime(int(year) + 1, 1, 1, tzinfo=zone)
    else:
        today = datetime.combine(datetime.now(zone).date(), time.min, tzinfo=zone)
        start, end = today - FEED_PAST, today + FEED_AHEAD
    fingerprint = fingerprint_for(user, start, end)
    etag = None
    if fingerprint is not None:
        etag = _feed_etag(user, start, end, zone, request.host_url, fingerprint)
        if etag in request.if_none_match:
            return _feed_response(b"", etag, status=304)
        body = cached_feed(user.id, etag)
        if body is not None:
            return _feed_response(body, etag)
    with force_locale(user.locale), few_collections():
        entries = entries_for(user, start, end)
        body = build_feed(
            entries,
            name=_("Coordination calendar: %(name)s", name=user.username),
            zone=zone,
            base_url=request.host_url,
        )
        del entries
    if etag is not None:
        keep_feed(user.id, etag, body)
    return _feed_response(body, etag)


# Raise when the feed's text changes for the same entries (a new property, a new layout):
# the ETags of feeds made before then no longer match.
FEED_FORMAT = "1"


def _feed_etag(user, start, end, zone, base_url: str, fingerprint) -> str:
    """The feed's ETag: what the feed's text depends on besides the entries (its reader, their
    language, zone, office and roles, the address, the window) and the providers'
    fingerprints of the entries themselves (one cheap query each)."""
    parts = (
        FEED_FORMAT,
        user.id,
        user.username,
        user.locale,
        zone.key,
        user.office_id,
        sorted(user.roles),
        base_url,
        start.isoformat(),
        end.isoformat(),
        fingerprint,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _feed_response(body: bytes, etag: str | None, status: int = 200) -> Response:
    response = Response(body, status=status, mimetype="text/calendar")
    if etag is not None:
        response.set_etag(etag)
    # Calendar applications keep what they read anyway: "no-cache" lets them ask again with
    # If-None-Match (and get 304) where "no-store" made them fetch the whole feed each time.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response
