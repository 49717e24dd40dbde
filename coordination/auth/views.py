"""Signing in and out, choosing the interface language, and the user's own account."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from coordination.auth import operations, throttling
from coordination.auth.devices import device_label
from coordination.auth.models import ApiToken, UserSession
from coordination.auth.policies import can_edit_own_profile, can_end_session
from coordination.auth.schemas import (
    LocaleSchema,
    LoginSchema,
    PasswordChangeSchema,
    PreferencesSchema,
    TokenCreateSchema,
)
from coordination.auth.session import current_session
from coordination.core.access import get_visible_or_404, require
from coordination.core.errors import OperationError
from coordination.core.validation import load_form
from coordination.core.views import attempt, render_form, safe_next
from coordination.extensions import db, limiter
from coordination.i18n import _, ngettext

bp = Blueprint("auth", __name__, template_folder="templates")


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _client() -> throttling.Client:
    return throttling.read_known_device(
        request.cookies.get(throttling.KNOWN_DEVICE_COOKIE), request.remote_addr
    )


def _remember_device(response, client: throttling.Client, user) -> None:
    """Mark this browser as one that signed in as ``user``: strangers' failures spare it."""
    config = current_app.config
    response.set_cookie(
        throttling.KNOWN_DEVICE_COOKIE,
        throttling.known_device_cookie(client, user),
        max_age=config["KNOWN_DEVICE_DAYS"] * 86400,
        path=url_for("auth.login"),
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    context = {"next": request.values.get("next", ""), "username": request.form.get("username", "")}
    if request.method == "GET":
        return render_form("auth/login.html", **context)
    data, errors = load_form(LoginSchema(), request.form)
    if errors:
        return render_form("auth/login.html", errors, **context)
    client = _client()
    result = operations.authenticate(data["username"], data["password"], client)
    if not result.ok:
        # 200, not 4xx: the failed attempt (and its count) must be committed and audited.
        return render_template("auth/login.html", message=result.error, errors={}, **context)
    locale = session.get("locale")
    session.clear()  # nothing from before sign-in carries over, except the language
    if locale:
        session["locale"] = locale
    session.permanent = True
    operations.start_session(
        result.user, ip_address=request.remote_addr, user_agent=request.user_agent.string
    )
    login_user(result.user)
    response = redirect(safe_next(data.get("next")))
    _remember_device(response, client, result.user)
    return response


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    operations.record_logout(current_user, current_session())
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/locale", methods=["POST"])
def set_locale():
    data, errors = load_form(LocaleSchema(), request.form)
    if errors:
        raise OperationError(
            _("This language is not available. Choose Tiếng Việt, ພາສາລາວ, 中文 or English.")
        )
    if current_user.is_authenticated:
        operations.update_preferences(current_user, {"locale": data["locale"]})
    session["locale"] = data["locale"]
    return redirect(safe_next(data.get("next") or _referrer_path()))


def _referrer_path() -> str | None:
    """The path of the page the form was sent from, if it is on this site."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc and referrer.netloc != request.host:
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "") or None


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    require(can_edit_own_profile(current_user, current_user), hide=False)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(PreferencesSchema(), request.form)
        if not errors:
            operations.update_preferences(current_user, data)
            session["locale"] = data["locale"]
            flash(_("Your preferences have been saved."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(errors=errors)


def _account_page(errors=None, password_errors=None, token_errors=None, new_token=None):
    tokens = db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.created_at.desc())
    ).all()
    this_session = current_session()
    return render_form(
        "auth/account.html",
        {**(errors or {}), **(password_errors or {}), **(token_errors or {})},
        tokens=tokens,
        new_token=new_token,
        sessions=operations.live_sessions(current_user),
        this_session_id=this_session.id if this_session else None,
        device_label=device_label,
        password_errors=password_errors or {},
        token_errors=token_errors or {},
        preference_errors=errors or {},
    )


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    require(can_edit_own_profile(current_user, current_user), hide=False)
    data, errors = load_form(PasswordChangeSchema(), request.form)
    if not errors and data["password"].lower() == current_user.username.lower():
        errors = {"password": [_("The password must not be the user name.")]}
    if not errors:
        this_session = current_session()
        _done, errors = attempt(
            operations.change_own_password,
            current_user,
            data["current_password"],
            data["password"],
            current_session_id=this_session.id if this_session else None,
        )
    if errors:
        return _account_page(password_errors=errors)
    flash(_("Your password has been changed. Other sessions have been signed out."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    row = get_visible_or_404(UserSession, session_id, can_end_session, current_user)
    this_session = current_session()
    operations.end_session(row, actor=current_user)
    if this_session is not None and row.id == this_session.id:
        logout_user()  # the user ended the session they are using: sign this browser out
        flash(_("You have signed out."), "info")
        return redirect(url_for("auth.login"))
    flash(_("The session has been ended; that device is signed out."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    require(can_edit_own_profile(current_user, current_user), hide=False)
    this_session = current_session()
    ended = operations.end_other_sessions(
        current_user, current_id=this_session.id if this_session else None
    )
    flash(
        ngettext(
            "%(num)d other session has been ended.",
            "%(num)d other sessions have been ended.",
            ended,
        ),
        "success",
    )
    return redirect(url_for("auth.account"))


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_token():
    require(can_edit_own_profile(current_user, current_user), hide=False)
    data, errors = load_form(TokenCreateSchema(), request.form)
    if errors:
        return _account_page(token_errors=errors)
    _token, plain = operations.create_api_token(current_user, data["name"], actor=current_user)
    return _account_page(new_token=plain)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    require(token is not None and token.user_id == current_user.id)
    operations.revoke_api_token(token, actor=current_user)
    flash(_("The API token has been revoked."), "success")
    return redirect(url_for("auth.account"))
