"""Filters and globals for templates: dates in the user's locale and time zone, languages."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import format_decimal, get_locale
from flask_login import current_user

from coordination.core.features import navigation_for
from coordination.core.formatting import (
    country_name,
    date_text,
    datetime_text,
    local_input,
    name_with_romanised,
)
from coordination.core.views import form_checked, form_value
from coordination.i18n import LOCALES, TIMEZONES, install_template_gettext, timezone_label


def _template_context() -> dict:
    locale = get_locale()
    return {
        "locales": LOCALES,
        "current_locale": locale.language if locale else "vi",
        "timezones": [(tz, timezone_label(tz)) for tz in TIMEZONES],
        "current_user": current_user,
        # The main menu: the features' entries this user may open (see core/features.py).
        "navigation": navigation_for(current_user),
    }


def _url_with(**changes) -> str:
    """The current URL with some query arguments replaced (for pagination links)."""
    from flask import url_for

    args = request.args.to_dict()
    args.update({key: value for key, value in changes.items() if value is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["datetime"] = datetime_text
    app.jinja_env.filters["date"] = date_text
    app.jinja_env.filters["local_input"] = local_input
    app.jinja_env.filters["name"] = name_with_romanised
    app.jinja_env.filters["country"] = country_name
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["timezone"] = timezone_label
    app.jinja_env.globals["url_with"] = _url_with
    app.jinja_env.globals["form_value"] = form_value
    app.jinja_env.globals["form_checked"] = form_checked
    app.context_processor(_template_context)
    install_template_gettext(app)
