"""Administration of user accounts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from coordination.auth import operations, throttling
from coordination.auth.models import Role, User
from coordination.auth.policies import can_edit_user, can_manage_users, can_view_user
from coordination.auth.schemas import PasswordResetSchema, UserCreateSchema, UserUpdateSchema
from coordination.auth.session import current_session
from coordination.core.access import require
from coordination.core.db import utcnow
from coordination.core.text import clean_query, search_key
from coordination.core.validation import MAX_ID, load_form
from coordination.core.views import paginate, render_form, submit
from coordination.directory.models import Office
from coordination.directory.queries import offices_for_choice
from coordination.extensions import db
from coordination.i18n import _, ngettext

bp = Blueprint("users", __name__, url_prefix="/admin/users", template_folder="templates")


def _load_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    require(user is not None and can_view_user(current_user, user))
    return user


def _form_context(user: User | None) -> dict:
    submitted = request.method == "POST"
    return {
        "user": user,
        "office_options": [(o.id, f"{o.code} · {o.name}") for o in offices_for_choice()],
        "role_options": [(role.value, role.label) for role in Role],
        "checked_roles": request.form.getlist("roles")
        if submitted
        else list(user.roles if user else []),
    }


@bp.route("/")
@login_required
def index():
    require(can_manage_users(current_user), hide=False)
    query = select(User).join(User.office)
    q = clean_query(request.args.get("q"))
    if q and search_key(q):
        query = query.where(User.search_text.contains(search_key(q), autoescape=True))
    office_id = request.args.get("office", type=int)
    if office_id and 0 < office_id <= MAX_ID:
        query = query.where(User.office_id == office_id)
    page = paginate(query.order_by(Office.code, User.username))
    delays = throttling.active_throttles([user.username for user in page.items], utcnow())
    return render_form(
        "users/list.html",
        page=page,
        q=q,
        office_id=office_id,
        offices=offices_for_choice(),
        delays=delays,
    )


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    require(can_manage_users(current_user), hide=False)
    sent = submit(UserCreateSchema(), operations.create_user, actor=current_user)
    if sent.done:
        flash(_("User %(name)s has been created.", name=sent.result.username), "success")
        return redirect(url_for("users.detail", user_id=sent.result.id))
    return render_form("users/form.html", sent.errors, **_form_context(None))


@bp.route("/<int:user_id>")
@login_required
def detail(user_id: int):
    user = _load_user(user_id)
    return render_form("users/detail.html", **_detail_context(user))


def _detail_context(user: User) -> dict:
    can_edit = can_edit_user(current_user, user)
    return {
        "user": user,
        "can_edit": can_edit,
        "delays": throttling.active_throttles([user.username], utcnow()).get(user.username, []),
        "session_count": len(operations.live_sessions(user)) if can_edit else None,
    }


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit(user_id: int):
    user = _load_user(user_id)
    require(can_edit_user(current_user, user), hide=False)
    sent = submit(UserUpdateSchema(), operations.update_user, user, actor=current_user)
    if sent.done:
        flash(_("User %(name)s has been saved.", name=user.username), "success")
        return redirect(url_for("users.detail", user_id=user.id))
    return render_form("users/form.html", sent.errors, **_form_context(user))


@bp.route("/<int:user_id>/password", methods=["POST"])
@login_required
def reset_password(user_id: int):
    user = _load_user(user_id)
    require(can_edit_user(current_user, user), hide=False)
    data, errors = load_form(PasswordResetSchema(), request.form)
    if errors:
        return render_form(
            "users/detail.html", errors, password_errors=errors, **_detail_context(user)
        )
    this_session = current_session()
    keep = this_session.id if this_session and user.id == current_user.id else None
    operations.set_password(user, data["password"], actor=current_user, keep_session_id=keep)
    flash(_("The password of %(name)s has been reset.", name=user.username), "success")
    return redirect(url_for("users.detail", user_id=user.id))


@bp.route("/<int:user_id>/unlock", methods=["POST"])
@login_required
def unlock(user_id: int):
    user = _load_user(user_id)
    require(can_edit_user(current_user, user), hide=False)
    operations.unlock_user(user, actor=current_user)
    flash(_("Sign-in delays of %(name)s have been lifted.", name=user.username), "success")
    return redirect(url_for("users.detail", user_id=user.id))


@bp.route("/<int:user_id>/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere(user_id: int):
    user = _load_user(user_id)
    require(can_edit_user(current_user, user), hide=False)
    ended = operations.sign_out_everywhere(user, actor=current_user)
    flash(
        ngettext(
            "%(name)s has been signed out of %(num)d session.",
            "%(name)s has been signed out of %(num)d sessions.",
            ended,
            name=user.username,
        ),
        "success",
    )
    return redirect(url_for("users.detail", user_id=user.id))
